/* bench_tally: a 100 000-ballot, 60-project approval election counted under each method,
 * then written as a pabulib .pb file and read back.  Usage: bench_tally DIR [BALLOTS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pbfile.h"
#include "tally.h"

#define NPROJ 60

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The election's JSON with the rule's counting keys in `method`. */
static ballot *make(const char *method)
{
    static char buf[64 * 1024];
    char msg[KC_MSGMAX];
    int o = snprintf(buf, sizeof buf,
                     "{\"format\":\"kiosk-ballot\",\"version\":1,\"id\":\"bench\","
                     "\"title\":{\"en\":\"Bench\"},\"eligibility\":{\"en\":\"All\"},"
                     "\"opens\":\"2026-01-01\",\"closes\":\"2026-01-31\",\"rule\":{\"type\":"
                     "\"approval\",\"min\":1,\"max\":10,\"budget\":4000000%s},\"projects\":[",
                     method);
    for (int i = 0; i < NPROJ; i++) {
        long long cost = 20000 + (long long)((i * 7919) % 38) * 10000;  /* 20k..390k */
        o += snprintf(buf + o, sizeof buf - (size_t)o,
                      "%s{\"id\":\"p%02d\",\"title\":{\"en\":\"Project %d\"},\"cost\":%lld}",
                      i ? "," : "", i, i, cost);
    }
    snprintf(buf + o, sizeof buf - (size_t)o, "]}");
    ballot *b;
    if (ballot_parse(buf, strlen(buf), "bench", &b, msg)) {
        fprintf(stderr, "%s\n", msg);
        exit(1);
    }
    return b;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_tally DIR [BALLOTS]\n");
        return 2;
    }
    long nb = argc > 2 ? atol(argv[2]) : 100000;
    /* the ballots: 1..10 picks each, popular projects more often (a skewed draw) */
    unsigned char *picks = malloc((size_t)nb * 10);
    unsigned char *len = malloc((size_t)nb);
    unsigned seed = 42;
    for (long v = 0; v < nb; v++) {
        seed = seed * 1103515245u + 12345u;
        int k = 1 + (int)((seed >> 16) % 10), n = 0;
        unsigned char seen[NPROJ] = { 0 };
        while (n < k) {
            seed = seed * 1103515245u + 12345u;
            double u = (double)((seed >> 8) & 0xFFFF) / 65536.0;
            int p = (int)(u * u * NPROJ);
            if (!seen[p]) {
                seen[p] = 1;
                picks[v * 10 + n++] = (unsigned char)p;
            }
        }
        len[v] = (unsigned char)k;
    }
    static const struct {
        const char *name, *rule;
    } methods[] = {
        { "greedy", "" },
        { "greedy-no-skip", ",\"method\":\"greedy-no-skip\"" },
        { "greedy-threshold 5 %", ",\"method\":\"greedy-threshold\",\"threshold_percent\":5" },
        { "equal-shares (approval utilities, add-one)", ",\"method\":\"equal-shares\"" },
        { "equal-shares (cost utilities, add-one)",
          ",\"method\":\"equal-shares\",\"utility\":\"cost\"" },
        { "equal-shares (cost utilities, no completion)",
          ",\"method\":\"equal-shares\",\"utility\":\"cost\",\"completion\":\"none\"" },
    };
    printf("tally: %ld ballots, %d projects, budget 4 000 000\n", nb, NPROJ);
    tally *keep = NULL;
    ballot *keepb = NULL;
    for (size_t m = 0; m < sizeof methods / sizeof methods[0]; m++) {
        ballot *b = make(methods[m].rule);
        tally *t;
        if (tally_new(b, &t))
            return 1;
        double t0 = now();
        for (long v = 0; v < nb; v++) {
            size_t idx[10];
            for (int i = 0; i < len[v]; i++)
                idx[i] = picks[v * 10 + i];
            if (tally_add_index(t, idx, len[v], TALLY_CODE))
                return 1;
        }
        double t1 = now();
        if (tally_compute(t))
            return 1;
        double t2 = now();
        tally_summary s;
        tally_get_summary(t, &s);
        printf("  %-46s add %.3f s, compute %.3f s: %d winners, %lld spent", methods[m].name,
               t1 - t0, t2 - t1, s.winners, s.spent);
        if (s.share > 0)
            printf(", share %.2f (from %.2f)", s.share, s.share_base);
        printf("\n");
        if (m == 4) {
            keep = t;
            keepb = b;
        } else {
            tally_free(t);
            ballot_free(b);
        }
    }
    char path[4096], msg[KC_MSGMAX];
    snprintf(path, sizeof path, "%s/bench.pb", argv[1]);
    FILE *f = fopen(path, "w");
    pbfile_meta meta = { NULL, NULL, 0, 0 };
    double t0 = now();
    if (!f || pbfile_write(keep, &meta, f) || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        return 1;
    }
    double t1 = now();
    pbfile *p;
    if (pbfile_load(path, "bench", &p, msg)) {
        fprintf(stderr, "%s\n", msg);
        return 1;
    }
    double t2 = now();
    tally *t;
    if (tally_new(pbfile_ballot(p), &t))
        return 1;
    for (size_t i = 0; i < pbfile_nvotes(p); i++) {
        const unsigned char *idx;
        size_t ix[BALLOT_MAX_PROJECTS], n = pbfile_vote(p, i, &idx, NULL);
        for (size_t k = 0; k < n; k++)
            ix[k] = idx[k];
        tally_add_index(t, ix, n, TALLY_CODE);
    }
    if (tally_compute(t))
        return 1;
    double t3 = now();
    int same = 1;
    for (size_t i = 0; i < NPROJ; i++)
        same &= tally_row_of(t, i)->winner == tally_row_of(keep, i)->winner &&
                tally_row_of(t, i)->votes == tally_row_of(keep, i)->votes;
    FILE *g = fopen(path, "rb");
    long size = 0;
    if (g && fseek(g, 0, SEEK_END) == 0)
        size = ftell(g);
    if (g)
        fclose(g);
    printf("pabulib: export %.3f s (%ld bytes), import %.3f s, recount %.3f s: %s\n", t1 - t0,
           size, t2 - t1, t3 - t2, same ? "same result" : "DIFFERENT RESULT");
    tally_free(t);
    pbfile_free(p);
    tally_free(keep);
    ballot_free(keepb);
    free(picks);
    free(len);
    return same ? 0 : 1;
}
