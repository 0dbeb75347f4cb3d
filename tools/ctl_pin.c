/* kioskctl pin: set the coordinator PIN (read from stdin, never from argv). */
#include "ctl.h"
#include "pin.h"

#include <stdio.h>
#include <string.h>

int cmd_pin(int argc, char **argv, const ctl_opts *o)
{
    if (argc < 2 || ctl_is_help(argv[1]) || strcmp(argv[1], "set") != 0 || argc > 2) {
        FILE *f = argc >= 2 && ctl_is_help(argv[1]) ? stdout : stderr;
        fprintf(f, "usage: kioskctl pin set < FILE\n\n"
                   "Reads the coordinator PIN (%d-%d digits) from the first line of stdin\n"
                   "and stores its Argon2id hash.  Clears any lockout.  The PIN is not\n"
                   "taken as an argument so it never shows in the process list.\n",
                PIN_MIN_LEN, PIN_MAX_LEN);
        return f == stdout ? CTL_OK : CTL_USAGE;
    }
    char line[64];
    if (!fgets(line, sizeof line, stdin)) {
        fprintf(stderr, "kioskctl pin: no PIN on stdin\n");
        return CTL_USAGE;
    }
    line[strcspn(line, "\r\n")] = '\0';
    store *st = NULL;
    int ret = ctl_open(o, &st);
    if (ret)
        return ret;
    kc_err rc = pin_set(st, line);
    if (rc)
        fprintf(stderr, "kioskctl %s\n", store_errmsg(st));
    else
        printf("coordinator PIN set\n");
    store_close(st);
    return rc == KC_EINVAL ? CTL_USAGE : rc ? CTL_FAIL : CTL_OK;
}
