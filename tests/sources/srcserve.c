/* srcserve: the loopback open-data server of the source tests (srcserver.c) as a
 * program, for the console's tests (tests/console/).  Prints "port N" on stdout and
 * serves until its standard input closes.
 * usage: srcserve ROOT [EVENTS PLACES] */
#include <stdio.h>
#include <stdlib.h>

#include "srcserver.h"

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 4) {
        fprintf(stderr, "usage: srcserve ROOT [EVENTS PLACES]\n");
        return 2;
    }
    long events = argc == 4 ? atol(argv[2]) : 0, places = argc == 4 ? atol(argv[3]) : 0;
    srcserver *s = srcserver_start(argv[1], events, places);
    if (!s) {
        fprintf(stderr, "srcserve: cannot start\n");
        return 1;
    }
    printf("port %d\n", srcserver_port(s));
    fflush(stdout);
    while (getchar() != EOF)
        ;
    srcserver_stop(s);
    return 0;
}
