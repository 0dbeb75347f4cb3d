/* bench_sources: `kiosk-server admin import-source linkedevents` against a loopback
 * server generating 10 000 events over 2 000 places (100 pages), then the same
 * import again with nothing changed (conditional: every page 304), once more reading
 * and mapping every page (--full), and twice from the same pages sent without ETags
 * (an API without validators: the first run there compares every item, the second
 * recognises the pages by their bytes).  Prints wall times and the catalog revision,
 * which an unchanged import must not raise.
 * usage: bench_sources KIOSK_SERVER OUTDIR [EVENTS PLACES] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include "srcserver.h"

/* CPU seconds of the children waited for so far: on a shared machine the wall time
 * also counts waiting for a core. */
static double child_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs a shell command, its stdout into out; returns the exit status. */
static int run(const char *cmd, char *out, size_t cap)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static long long revision(const char *server, const char *db)
{
    char cmd[2048], out[512];
    snprintf(cmd, sizeof cmd, "'%s' --db '%s' admin stats", server, db);
    if (run(cmd, out, sizeof out) != 0)
        return -1;
    const char *p = strstr(out, "catalog revision ");
    return p ? atoll(p + 17) : -1;
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 5) {
        fprintf(stderr, "usage: bench_sources KIOSK_SERVER OUTDIR [EVENTS PLACES]\n");
        return 2;
    }
    long events = argc == 5 ? atol(argv[3]) : 10000, places = argc == 5 ? atol(argv[4]) : 2000;
    char db[1024], cmd[4096], out[4096];
    snprintf(db, sizeof db, "%s/sources.db", argv[2]);
    snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' '%s-shm'", db, db, db);
    if (system(cmd) != 0)
        return 1;
    srcserver *s = srcserver_start(NULL, events, places);
    if (!s) {
        fprintf(stderr, "bench_sources: cannot start the loopback server\n");
        return 1;
    }
    enum { NRUN = 5 };
    static const char *const names[NRUN] = { "first import", "again, conditional",
                                             "again, --full", "no validators, first",
                                             "no validators, again" };
    static const char *const extra[NRUN] = { "", "", "--full", "", "" };
    static const char *const query[NRUN] = { "", "", "", "?plain=1", "?plain=1" };
    double t[NRUN], cpu[NRUN];
    long long rev[NRUN];
    int rc = 0;
    for (int i = 0; i < NRUN && !rc; i++) {
        snprintf(cmd, sizeof cmd,
                 "'%s' --db '%s' admin import-source linkedevents --url '%s/gen/event/%s' "
                 "--now 2026-12-31T00:00 --days 90 --quiet %s",
                 argv[1], db, srcserver_base(s), query[i], extra[i]);
        double t0 = now_s(), c0 = child_cpu();
        if (run(cmd, out, sizeof out) != 0) {
            fprintf(stderr, "bench_sources: %s failed: %s\n", names[i], out);
            rc = 1;
            break;
        }
        t[i] = now_s() - t0;
        cpu[i] = child_cpu() - c0;
        rev[i] = revision(argv[1], db);
        printf("sources: %s: %.2f s wall, %.2f s CPU, catalog revision %lld; %s", names[i],
               t[i], cpu[i], rev[i], out);
    }
    if (!rc) {
        printf("sources: %ld events over %ld places (100 per page): import %.2f s wall / "
               "%.2f s CPU (target < 10 s), unchanged re-import %.2f s wall / %.2f s CPU "
               "conditional, %.2f s wall / %.2f s CPU full, %.2f s wall / %.2f s CPU without "
               "validators (target < 2 s), load average counted in wall; writes: %s\n",
               events, places, t[0], cpu[0], t[1], cpu[1], t[2], cpu[2], t[4], cpu[4],
               rev[1] == rev[0] && rev[2] == rev[0] && rev[3] == rev[0] && rev[4] == rev[0]
                   ? "none"
                   : "SOME (revision rose)");
        for (int i = 1; i < NRUN; i++)
            if (rev[i] != rev[0])
                rc = 1;
    }
    srcserver_stop(s);
    return rc;
}
