/*
 * bench_search: per-keystroke search latency.  Every query in the file is typed
 * letter by letter (one UTF-8 character at a time) and each prefix is searched as the
 * kiosk does (20 results, all tiers).  Prints build time and latency percentiles.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "search.h"
#include "store.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *what, double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_d);
    printf("%-28s n=%zu  p50 %.3f ms  p95 %.3f ms  p99 %.3f ms  max %.3f ms\n", what, n,
           v[n / 2], v[n * 95 / 100], v[n * 99 / 100], v[n - 1]);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bench_search DB QUERIES\n");
        return 2;
    }
    store *st;
    if (store_open(argv[1], &st)) {
        fprintf(stderr, "%s\n", store_errmsg(st));
        return 1;
    }
    char msg[KC_MSGMAX];
    search *s;
    double t0 = now_ms();
    if (search_build(st, &s, msg)) {
        fprintf(stderr, "%s\n", msg);
        return 1;
    }
    printf("index build: %zu items in %.1f ms\n", search_count(s), now_ms() - t0);

    FILE *f = fopen(argv[2], "r");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    size_t cap = 1 << 16, nall = 0, nname = 0;
    double *all = malloc(cap * sizeof *all), *names = malloc(cap * sizeof *names);
    char line[512];
    size_t nq = 0, hits_total = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0])
            continue;
        nq++;
        size_t len = strlen(line);
        for (size_t i = 1; i <= len; i++) {
            if (i < len && ((unsigned char)line[i] & 0xC0) == 0x80)
                continue;  /* not a character boundary */
            char prefix[512];
            memcpy(prefix, line, i);
            prefix[i] = '\0';
            search_hit hits[20];
            size_t n;
            if (nall == cap) {
                cap *= 2;
                all = realloc(all, cap * sizeof *all);
                names = realloc(names, cap * sizeof *names);
            }
            double a = now_ms();
            if (search_query(s, st, prefix, NULL, hits, 20, &n, msg)) {
                fprintf(stderr, "%s\n", msg);
                return 1;
            }
            all[nall++] = now_ms() - a;
            hits_total += n;
            a = now_ms();
            search_query(s, NULL, prefix, NULL, hits, 20, &n, msg);
            names[nname++] = now_ms() - a;
        }
    }
    fclose(f);
    printf("queries: %zu typed letter by letter = %zu keystrokes, %.1f hits on average\n",
           nq, nall, (double)hits_total / (double)nall);
    report("keystroke, all tiers:", all, nall);
    report("keystroke, names only:", names, nname);
    free(all);
    free(names);
    search_free(s);
    store_close(st);
    return 0;
}
