#include "benchsrv.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
    fprintf(stderr, "bench: kiosk-server: %s\n", what);
    exit(1);
}

void bench_server_start(bench_server *s, const char *bin, const char *db, const char *dir,
                        const char *tag, int per_address, int max_connections)
{
    char portfile[1024], per[24], maxc[24];
    snprintf(portfile, sizeof portfile, "%s/port-%s", dir, tag);
    snprintf(per, sizeof per, "%d", per_address);
    snprintf(maxc, sizeof maxc, "%d", max_connections);
    unlink(portfile);
    fflush(NULL);
    s->pid = fork();
    if (s->pid < 0)
        die("fork failed");
    if (s->pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, 1);
        if (max_connections > 0)
            execl(bin, bin, "--db", db, "--listen", "127.0.0.1:0", "--port-file", portfile,
                  "--quiet", "--threads", "4", "--per-address", per, "--max-connections",
                  maxc, (char *)NULL);
        else
            execl(bin, bin, "--db", db, "--listen", "127.0.0.1:0", "--port-file", portfile,
                  "--quiet", "--threads", "4", "--per-address", per, (char *)NULL);
        _exit(127);
    }
    /* up to 30 s: a server on PostgreSQL connects and checks its schema first */
    for (int i = 0; i < 3000; i++) {
        FILE *f = fopen(portfile, "r");
        int port = 0;
        if (f) {
            if (fscanf(f, "%d", &port) != 1)
                port = 0;
            fclose(f);
        }
        if (port) {
            snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d", port);
            return;
        }
        int st;
        if (waitpid(s->pid, &st, WNOHANG) == s->pid)
            die("exited at start");
        struct timespec ts = { 0, 10000000L };
        nanosleep(&ts, NULL);
    }
    die("did not start");
}

void bench_server_stop(bench_server *s)
{
    kill(s->pid, SIGTERM);
    waitpid(s->pid, NULL, 0);
}
