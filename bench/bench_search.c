/*
 * bench_search: search on a real catalog database.
 *
 *   bench_search DB QUERIES RELSET CATALOG...
 *
 * Prints the index build time (wall and CPU: the machine may be shared), the memory
 * the index holds, the latency of every keystroke of QUERIES typed letter by letter
 * (each prefix searched as the kiosk does: 20 results, all tiers, analysis included),
 * and the relevance set RELSET (judged against the CATALOG files the database was
 * imported from) per category: top-3 pass rate and mean reciprocal rank, next to the
 * same queries through a plain SQLite FTS5 trigram + bm25 index built from the same
 * items in this run (names and descriptions in all languages) - the search a city
 * would otherwise use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "relset.h"
#include "store_sql.h"
#include "search.h"
#include "store.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3 + ru.ru_stime.tv_sec * 1e3 +
           ru.ru_stime.tv_usec / 1e3;
}

/* CPU time of this thread: on a machine shared with other work, wall time also counts
 * the time the scheduler gave to others; both are reported. */
static double thread_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *what, double *v, size_t n)
{
    if (!n)
        return;
    qsort(v, n, sizeof *v, cmp_d);
    printf("%-28s n=%zu  p50 %.3f ms  p95 %.3f ms  p99 %.3f ms  max %.3f ms\n", what, n,
           v[n / 2], v[n * 95 / 100], v[n * 99 / 100], v[n - 1]);
}

/* --- ours ------------------------------------------------------------------------ */

typedef struct ours {
    search *s;
    search_hit hits[RELSET_DEPTH];
    double *lat;
    size_t nlat;
} ours;

static size_t rank_ours(void *ctx, const char *query, const char **ids, size_t max)
{
    ours *o = ctx;
    size_t n = 0;
    search_info info;
    char msg[KC_MSGMAX];
    double t = now_ms();
    if (search_run(o->s, query, NULL, NULL, o->hits, max, &n, &info, msg))
        return 0;
    if (o->lat)
        o->lat[o->nlat++] = now_ms() - t;
    for (size_t i = 0; i < n; i++)
        ids[i] = search_item_id(o->s, o->hits[i].item);
    return n;
}

/* --- the FTS5 baseline ------------------------------------------------------------ */

typedef struct base {
    sqlite3 *db;
    sqlite3_stmt *q;
    char ids[RELSET_DEPTH][80];
    double *lat;
    size_t nlat;
} base;

static int base_build(base *b, store *st)
{
    b->db = store_db(st);
    const char *sql =
        "DROP TABLE IF EXISTS temp.baseline;"
        "CREATE VIRTUAL TABLE temp.baseline USING fts5(name, description, tokenize='trigram');"
        "INSERT INTO temp.baseline(rowid, name, description) SELECT id, "
        "coalesce(name_fi, '') || ' ' || coalesce(name_sv, '') || ' ' || coalesce(name_en, ''), "
        "coalesce(json_extract(body, '$.description.fi'), '') || ' ' || "
        "coalesce(json_extract(body, '$.description.sv'), '') || ' ' || "
        "coalesce(json_extract(body, '$.description.en'), '') "
        "FROM item WHERE deleted = 0;";
    if (sqlite3_exec(b->db, sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(b->db,
                           "SELECT i.ext_id FROM temp.baseline b JOIN item i ON i.id = b.rowid "
                           "WHERE baseline MATCH ? ORDER BY bm25(baseline, 2.0, 1.0) LIMIT ?",
                           -1, &b->q, NULL) != SQLITE_OK) {
        fprintf(stderr, "baseline: %s\n", sqlite3_errmsg(b->db));
        return -1;
    }
    return 0;
}

/* Every word of three bytes or more as a quoted phrase, ANDed (trigrams need three). */
static size_t rank_base(void *ctx, const char *query, const char **ids, size_t max)
{
    base *b = ctx;
    char expr[2048];
    size_t e = 0;
    const char *p = query;
    while (*p) {
        while (*p == ' ' || *p == '-' || *p == ',' || *p == ':' || *p == '\'')
            p++;
        size_t l = strcspn(p, " -,:'");
        if (l >= 3 && e + 2 * l + 10 < sizeof expr) {
            if (e)
                e += (size_t)snprintf(expr + e, sizeof expr - e, " AND ");
            expr[e++] = '"';
            for (size_t i = 0; i < l; i++) {
                if (p[i] == '"')
                    expr[e++] = '"';
                expr[e++] = p[i];
            }
            expr[e++] = '"';
        }
        p += l;
    }
    expr[e] = '\0';
    if (!e)
        return 0;
    double t = now_ms();
    size_t n = 0;
    sqlite3_reset(b->q);
    sqlite3_bind_text(b->q, 1, expr, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(b->q, 2, (int)max);
    while (n < max && sqlite3_step(b->q) == SQLITE_ROW) {
        snprintf(b->ids[n], sizeof b->ids[n], "%s", (const char *)sqlite3_column_text(b->q, 0));
        ids[n] = b->ids[n];
        n++;
    }
    if (b->lat)
        b->lat[b->nlat++] = now_ms() - t;
    return n;
}

/* --- main ------------------------------------------------------------------------- */

static void keystrokes(search *s, const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        perror(file);
        return;
    }
    size_t cap = 1 << 12, nall = 0, nq = 0, hits_total = 0;
    double *all = malloc(cap * sizeof *all), *cpu = malloc(cap * sizeof *cpu);
    char line[512], msg[KC_MSGMAX];
    while (all && cpu && fgets(line, sizeof line, f)) {
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
            search_info info;
            size_t n;
            if (nall == cap) {
                cap *= 2;
                double *na = realloc(all, cap * sizeof *all);
                if (na)
                    all = na;
                double *nc = na ? realloc(cpu, cap * sizeof *cpu) : NULL;
                if (!nc)
                    break;
                cpu = nc;
            }
            double a = now_ms(), c = thread_ms();
            if (search_run(s, prefix, NULL, NULL, hits, 20, &n, &info, msg)) {
                fprintf(stderr, "%s\n", msg);
                break;
            }
            cpu[nall] = thread_ms() - c;
            all[nall++] = now_ms() - a;
            hits_total += n;
        }
    }
    fclose(f);
    printf("queries: %zu typed letter by letter = %zu keystrokes, %.1f hits on average\n",
           nq, nall, nall ? (double)hits_total / (double)nall : 0.0);
    report("keystroke, wall:", all, nall);
    report("keystroke, CPU:", cpu, nall);
    free(all);
    free(cpu);
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: bench_search DB QUERIES RELSET CATALOG...\n");
        return 2;
    }
    store *st;
    if (store_open(argv[1], &st)) {
        fprintf(stderr, "%s\n", store_errmsg(st));
        return 1;
    }
    char msg[KC_MSGMAX];
    ours o;
    memset(&o, 0, sizeof o);
    double t0 = now_ms(), c0 = cpu_ms();
    if (search_build(st, &o.s, msg)) {
        fprintf(stderr, "%s\n", msg);
        return 1;
    }
    printf("index build: %zu items in %.0f ms (CPU %.0f ms); index memory %.1f MB\n",
           search_count(o.s), now_ms() - t0, cpu_ms() - c0,
           (double)search_memory(o.s) / 1e6);
    keystrokes(o.s, argv[2]);

    relset *r = relset_load(argv[3], (const char *const *)argv + 4);
    if (!r)
        return 1;
    base b;
    memset(&b, 0, sizeof b);
    t0 = now_ms();
    if (base_build(&b, st))
        return 1;
    printf("FTS5 baseline build: %.0f ms\n", now_ms() - t0);
    relset_score mine[16], theirs[16], all_m, all_t;
    o.lat = malloc(relset_count(r) * sizeof *o.lat);
    o.nlat = 0;
    b.lat = malloc(relset_count(r) * sizeof *b.lat);
    size_t nc = relset_run(r, rank_ours, &o, mine, 16, &all_m, getenv("BENCH_VERBOSE") != NULL);
    size_t nt = relset_run(r, rank_base, &b, theirs, 16, &all_t, 0);
    printf("relevance set, top-3 pass (MRR):   search            FTS5 baseline\n");
    for (size_t i = 0; i < nc && i < nt; i++)
        printf("  %-12s n=%-4zu %10.1f%% (%.3f)   %6.1f%% (%.3f)\n", mine[i].cat, mine[i].n,
               100.0 * (double)mine[i].pass / (double)mine[i].n, mine[i].mrr,
               100.0 * (double)theirs[i].pass / (double)theirs[i].n, theirs[i].mrr);
    printf("  %-12s n=%-4zu %10.1f%% (%.3f)   %6.1f%% (%.3f)\n", "all", all_m.n,
           100.0 * (double)all_m.pass / (double)all_m.n, all_m.mrr,
           100.0 * (double)all_t.pass / (double)all_t.n, all_t.mrr);
    report("search, whole query:", o.lat, o.nlat);
    report("FTS5 baseline, whole query:", b.lat, b.nlat);
    free(o.lat);
    free(b.lat);
    sqlite3_finalize(b.q);
    relset_free(r);
    search_free(o.s);
    store_close(st);
    return 0;
}
