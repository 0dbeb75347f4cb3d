/* source_cmd.c - the admin commands of source imports: `import-source` runs one
 * import, `source-runs` prints the run log. */
#include "source_cmd.h"
#include "source_impl.h"
#include "srvtext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { EX_OK = 0, EX_FAIL = 1, EX_USAGE = 2 };

static const char usage_text[] =
    "usage: kiosk-server admin import-source SOURCE (--url URL | --file FILE)\n"
    "           [--rules FILE] [--publisher ID] [--days N] [--timeout SECONDS]\n"
    "           [--retries N] [--now YYYY-MM-DDTHH:MM] [--full] [--quiet]\n"
    "       SOURCE: linkedevents, servicemap or varaamo; --keyword-map is --rules\n"
    "       kiosk-server admin source-runs [SOURCE] [--json] [--limit N]\n";

static int num(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int val(int argc, char **argv, int *i, const char *name, const char **v)
{
    if (strcmp(argv[*i], name) != 0 || *i + 1 >= argc)
        return 0;
    *v = argv[++*i];
    return 1;
}

static void when(long long t, char *buf, size_t cap)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The error and notes quote what a source sent (ids, URLs) and the origin is a path or
 * a URL: all shown escaped, so no control or bidi character reaches the terminal. */
static void print_run(FILE *f, const srvdb_source_run *r)
{
    char t[32], clean[4 * SRVDB_RUN_ERROR_MAX + 1], origin[4 * SRVDB_ORIGIN_MAX + 1];
    when(r->started, t, sizeof t);
    fprintf(f, "%s %s %s: %s, %ld s, %ld pages, %ld records; %ld added, %ld changed, "
               "%ld removed, %ld unchanged\n",
            t, r->source, srvtext_clean(r->origin, origin, sizeof origin),
            !r->ok ? "FAILED" : r->not_modified ? "not modified" : "ok",
            (long)(r->finished - r->started), r->pages, r->records, r->added, r->changed,
            r->removed, r->unchanged);
    if (r->error[0])
        fprintf(f, "  error: %s\n", srvtext_clean(r->error, clean, sizeof clean));
    if (r->notes[0])
        fprintf(f, "  notes: %s\n", srvtext_clean(r->notes, clean, sizeof clean));
}

static kc_err run_json(void *ctx, const srvdb_source_run *r)
{
    int *first = ctx;
    json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:I, s:b, s:b, s:I, s:I, s:I, s:I, s:I, s:I,"
                          " s:s, s:s}",
                          "id", (json_int_t)r->id, "source", r->source, "origin", r->origin,
                          "started", (json_int_t)r->started, "finished",
                          (json_int_t)r->finished, "ok", r->ok, "not_modified",
                          r->not_modified, "pages", (json_int_t)r->pages, "records",
                          (json_int_t)r->records, "added", (json_int_t)r->added, "changed",
                          (json_int_t)r->changed, "removed", (json_int_t)r->removed,
                          "unchanged", (json_int_t)r->unchanged, "error", r->error,
                          "notes", r->notes);
    /* ASCII only, as the device list: the error may quote what a source sent. */
    return srvtext_json_row(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII, first);
}

static kc_err run_text(void *ctx, const srvdb_source_run *r)
{
    (void)ctx;
    print_run(stdout, r);
    return KC_OK;
}

static int runs(int argc, char **argv, const char *dbspec)
{
    const char *source = NULL, *lim = NULL;
    int json = 0;
    long limit = 20;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (val(argc, argv, &i, "--limit", &lim) && !num(lim, 1, 100000, &limit))
            continue;
        else if (argv[i][0] != '-' && !source && source_kind_from_name(argv[i]) >= 0)
            source = argv[i];
        else {
            fputs(usage_text, stderr);
            return EX_USAGE;
        }
    }
    srvdb *db = NULL;
    if (srvdb_open(dbspec, &db)) {
        fprintf(stderr, "kiosk-server: %s\n", srvdb_errmsg(db));
        srvdb_close(db);
        return EX_FAIL;
    }
    int first = 1;
    kc_err rc = srvdb_source_runs_each(db, source, limit, json ? run_json : run_text, &first);
    if (json)
        srvtext_json_end(first);
    if (rc)
        fprintf(stderr, "kiosk-server: %s\n", srvdb_errmsg(db));
    srvdb_close(db);
    return rc ? EX_FAIL : EX_OK;
}

/* "YYYY-MM-DDTHH:MM" in Finnish time, for --now. */
static int parse_now(const char *s, long long *t)
{
    char buf[32];
    if (strlen(s) != 16)
        return -1;
    snprintf(buf, sizeof buf, "%s", s);
    *t = src_parse_time(buf);
    return *t < 0 ? -1 : 0;
}

int source_admin(int argc, char **argv, const char *dbspec)
{
    if (strcmp(argv[0], "source-runs") == 0)
        return runs(argc, argv, dbspec);
    source_opts o;
    memset(&o, 0, sizeof o);
    o.days = 90;
    o.retries = 2;
    int kind = argc > 1 ? source_kind_from_name(argv[1]) : -1;
    int bad = kind < 0;
    for (int i = 2; !bad && i < argc; i++) {
        const char *v;
        long n;
        if (val(argc, argv, &i, "--url", &o.url) || val(argc, argv, &i, "--file", &o.file) ||
            val(argc, argv, &i, "--rules", &o.rules) ||
            val(argc, argv, &i, "--keyword-map", &o.rules) ||
            val(argc, argv, &i, "--publisher", &o.publisher))
            continue;
        if (strcmp(argv[i], "--quiet") == 0)
            o.quiet = 1;
        else if (strcmp(argv[i], "--full") == 0)
            o.full = 1;
        else if (val(argc, argv, &i, "--days", &v))
            bad = num(v, 1, 3650, &n) || !(o.days = (int)n);
        else if (val(argc, argv, &i, "--timeout", &v))
            bad = num(v, 1, 3600, &o.timeout_s);
        else if (val(argc, argv, &i, "--retries", &v))
            bad = num(v, 0, 10, &n) || ((o.retries = (int)n), 0);
        else if (val(argc, argv, &i, "--now", &v))
            bad = parse_now(v, &o.now);
        else
            bad = 1;
    }
    if (bad || !o.url == !o.file) {
        fputs(usage_text, stderr);
        return EX_USAGE;
    }
    o.kind = (source_kind)kind;
    srvdb *db = NULL;
    if (srvdb_open(dbspec, &db)) {
        fprintf(stderr, "kiosk-server: %s\n", srvdb_errmsg(db));
        srvdb_close(db);
        return EX_FAIL;
    }
    srvdb_source_run r;
    kc_err rc = source_run(db, &o, &r);
    print_run(rc ? stderr : stdout, &r);
    srvdb_close(db);
    return rc ? EX_FAIL : EX_OK;
}
