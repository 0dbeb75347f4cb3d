/* srvdb_pg_survey.c - the PostgreSQL backend's side of srvdb_results_survey.h, over the
 * tables and views of srvdb_pg_results.c (sv_row, the sums, sv_qtype, sv_text_row): the
 * same answers as srvdb_results_survey_sqlite.c for the same responses.
 *
 * Days: SQLite files a response under the local day of the server's time zone (its
 * process's TZ, 'localtime') of its stored hour.  The database server's zone may be
 * another, so here the queries group and bound by stored hour and this process turns
 * hours into days with localtime_r, as SQLite does: a period of days is the hours
 * from the first day's local midnight to the midnight after the last. */
#include "srvdb_pg_impl.h"
#include "srvdb_results_survey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static kc_err oom(char *msg)
{
    return kc_fail(msg, KC_ENOMEM, "srvdb: out of memory");
}

static void day_of(long long hour, char day[16])
{
    time_t t = (time_t)hour;
    struct tm tm;
    /* four digits for the year, as SQLite's date() writes year 0 too (%Y gives "0") */
    if (!localtime_r(&t, &tm) || tm.tm_year < -1900 || tm.tm_year > 9999 - 1900)
        snprintf(day, 16, "?");
    else
        snprintf(day, 16, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
                 tm.tm_mday % 100);
}

/* The start of the UTC day holding unix time t, also before 1970. */
static long long floor_day(long long t)
{
    return t - ((t % 86400) + 86400) % 86400;
}

/* The unix time of the local midnight starting day + add days. */
static int midnight(const char *day, int add, long long *t)
{
    int y, m, d;
    char end;
    if (sscanf(day, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3)
        return -1;
    struct tm tm = { 0 };
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d + add;
    tm.tm_isdst = -1;
    time_t r = mktime(&tm);
    if (r == (time_t)-1)
        return -1;
    *t = (long long)r;
    return 0;
}

/* The filter as $1 survey, $2 versions (array or NULL), $3 $4 the hours of the period,
 * $5 devices (array or NULL). */
#define SV_FILTER                                                                        \
    " survey = $1 AND ($2::bigint[] IS NULL OR version = ANY($2)) AND hour >= $3::bigint"  \
    " AND hour < $4::bigint AND ($5::bigint[] IS NULL OR device = ANY($5))"

typedef struct sargs {
    long long from_t, to_t;  /* the period's hours [from_t, to_t) */
    char from[24], to[24];
    char *vers, *devs;
    const char *v[12];
} sargs;

static void sargs_free(sargs *a)
{
    kc_free(a->vers);
    kc_free(a->devs);
}

static kc_err sargs_make(sargs *a, char *msg, const srvdb_sv_filter *f)
{
    int oom1, oom2;
    long long from = -(1LL << 62), to = 1LL << 62;
    memset(a, 0, sizeof *a);
    if ((f->from_day && midnight(f->from_day, 0, &from)) ||
        (f->to_day && midnight(f->to_day, 1, &to)))
        return kc_fail(msg, KC_EUSAGE, "srvdb: days are YYYY-MM-DD");
    a->from_t = from;
    a->to_t = to;
    snprintf(a->from, sizeof a->from, "%lld", from);
    snprintf(a->to, sizeof a->to, "%lld", to);
    a->vers = pg_id_array(f->versions, f->nversions, &oom1);
    a->devs = pg_id_array(f->devices, f->ndevices, &oom2);
    if (oom1 || oom2) {
        sargs_free(a);
        return oom(msg);
    }
    a->v[0] = f->survey;
    a->v[1] = a->vers;
    a->v[2] = a->from;
    a->v[3] = a->to;
    a->v[4] = a->devs;
    return KC_OK;
}

static kc_err filtered(void *impl, char *msg, const srvdb_sv_filter *f, const char *sql, int n,
                       const char *const *more, PGresult **r)
{
    sargs a;
    kc_err rc = sargs_make(&a, msg, f);
    if (rc)
        return rc;
    for (int i = 0; i < n; i++)
        a.v[5 + i] = more[i];
    rc = pg_q(impl, msg, r, sql, 5 + n, a.v, NULL);
    sargs_free(&a);
    return rc;
}

static kc_err ps_versions(void *impl, char *msg, const char *survey, int bodies,
                          srvdb_sv_version_fn fn, void *ctx)
{
    const char *v[2] = { survey, bodies ? "t" : "f" };
    PGresult *r;
    /* the title as JSON text, as SQLite's json_extract gives an object */
    kc_err rc = pg_q(impl, msg, &r,
                     "SELECT d.id, d.version, CASE json_typeof(d.j->'title') WHEN 'string' THEN"
                     " d.j->>'title' ELSE (d.j->'title')::text END, CASE WHEN $2::bool THEN"
                     " d.body END, coalesce(n.n, 0) FROM (SELECT id, version, body,"
                     " kc_json(body) j FROM doc WHERE type = 'survey' AND deleted = 0 AND"
                     " ($1::text IS NULL OR id = $1)) d LEFT JOIN (SELECT survey, version,"
                     " sum(n) n FROM sv_hour_all WHERE $1::text IS NULL OR survey = $1 GROUP BY"
                     " survey, version) n ON n.survey = d.id AND n.version = d.version"
                     " WHERE d.j->>'mode' = 'survey' ORDER BY d.id COLLATE \"C\", d.version",
                     2, v, NULL);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        if (PQgetisnull(r, i, 2)) {
            rc = kc_fail(msg, KC_EDB, "srvdb: survey \"%.64s\" has no title",
                         PQgetvalue(r, i, 0));
            break;
        }
        rc = fn(ctx, PQgetvalue(r, i, 0), pg_ll(r, i, 1), PQgetvalue(r, i, 2),
                bodies ? PQgetvalue(r, i, 3) : NULL, pg_ll(r, i, 4));
    }
    PQclear(r);
    return rc;
}

/* The responses of one local day, per version. */
typedef struct day_acc {
    char day[16];
    long long *ver, *n;
    size_t len, cap;
} day_acc;

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

static kc_err day_flush(day_acc *d, srvdb_sv_day_fn fn, void *ctx)
{
    kc_err rc = KC_OK;
    if (d->len > 1) {
        /* versions in order: sort pairs by version through an index */
        long long *pairs = kc_malloc(d->len * 2 * sizeof *pairs);
        if (!pairs)
            return KC_ENOMEM;
        for (size_t i = 0; i < d->len; i++) {
            pairs[2 * i] = d->ver[i];
            pairs[2 * i + 1] = d->n[i];
        }
        qsort(pairs, d->len, 2 * sizeof *pairs, cmp_ll);
        for (size_t i = 0; !rc && i < d->len; i++)
            rc = fn(ctx, pairs[2 * i], d->day, pairs[2 * i + 1]);
        kc_free(pairs);
    } else if (d->len == 1) {
        rc = fn(ctx, d->ver[0], d->day, d->n[0]);
    }
    d->len = 0;
    return rc;
}

static kc_err day_add(day_acc *d, long long ver, long long n)
{
    for (size_t i = 0; i < d->len; i++)
        if (d->ver[i] == ver) {
            d->n[i] += n;
            return KC_OK;
        }
    if (d->len == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        long long *v = kc_realloc(d->ver, cap * sizeof *v);
        if (!v)
            return KC_ENOMEM;
        d->ver = v;
        long long *m = kc_realloc(d->n, cap * sizeof *m);
        if (!m)
            return KC_ENOMEM;
        d->n = m;
        d->cap = cap;
    }
    d->ver[d->len] = ver;
    d->n[d->len++] = n;
    return KC_OK;
}

static kc_err ps_days(void *impl, char *msg, const srvdb_sv_filter *f, srvdb_sv_day_fn fn,
                      void *ctx)
{
    PGresult *r;
    /* every kiosk: the responses by hour; one kiosk's: its rows */
    kc_err rc = filtered(impl, msg, f,
                         f->devices ? "SELECT version, hour, count(*) FROM sv_row WHERE"
                                      SV_FILTER " GROUP BY hour, version ORDER BY hour, version"
                                    : "SELECT version, hour, n FROM sv_hour_all WHERE survey ="
                                      " $1 AND ($2::bigint[] IS NULL OR version = ANY($2)) AND"
                                      " hour >= $3::bigint AND hour < $4::bigint AND"
                                      " $5::bigint[] IS NULL ORDER BY hour, version",
                         0, NULL, &r);
    if (rc)
        return rc;
    /* hours in order give local days in order: one day's versions are summed, then
     * handed on in version order */
    day_acc d = { .day = "" };
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        char day[16];
        day_of(pg_ll(r, i, 1), day);
        if (strcmp(day, d.day) != 0) {
            rc = day_flush(&d, fn, ctx);
            snprintf(d.day, sizeof d.day, "%s", day);
        }
        if (!rc)
            rc = day_add(&d, pg_ll(r, i, 0), pg_ll(r, i, 2));
    }
    if (!rc)
        rc = day_flush(&d, fn, ctx);
    if (rc == KC_ENOMEM)
        oom(msg);
    kc_free(d.ver);
    kc_free(d.n);
    PQclear(r);
    return rc;
}

static kc_err ps_counts(void *impl, char *msg, const srvdb_sv_filter *f, srvdb_sv_count_fn fn,
                        void *ctx)
{
    PGresult *r;
    sargs a;
    kc_err rc = sargs_make(&a, msg, f);
    if (rc)
        return rc;
    /* whole UTC days [d1, d2) from the sums, the hours at the period's edges from the
     * answer rows */
    long long d1 = floor_day(a.from_t), d2 = floor_day(a.to_t);
    if (d1 < a.from_t)
        d1 += 86400;
    if (d2 < d1)
        d2 = d1;
    char s1[24], s2[24];
    snprintf(s1, sizeof s1, "%lld", d1);
    snprintf(s2, sizeof s2, "%lld", d2);
    sargs_free(&a);
    /* every kiosk over all time: the totals alone */
    int all = !f->devices && !f->from_day && !f->to_day;
    const char *more[3] = { s1, s2, all ? "t" : "f" };
    rc = filtered(
        impl, msg, f,
        "SELECT x.version, x.qid, x.val, sum(x.n), sum(x.first), sum(x.place) FROM ("
        "SELECT survey, version, qid, src, val, n, first, place FROM sv_sum_tot WHERE"
        " $8::bool AND survey = $1 AND ($2::bigint[] IS NULL OR version = ANY($2))"
        " UNION ALL SELECT survey, version, qid, src, val, n, first, place FROM sv_sum_all"
        " WHERE NOT $8::bool AND $5::bigint[] IS NULL AND survey = $1 AND ($2::bigint[] IS"
        " NULL OR version = ANY($2)) AND day >= $6::bigint AND day < $7::bigint"
        " UNION ALL SELECT survey, version, qid, src, val, n, first, place FROM sv_sum_day"
        " WHERE $5::bigint[] IS NOT NULL AND survey = $1 AND device = ANY($5) AND"
        " ($2::bigint[] IS NULL OR version = ANY($2)) AND day >= $6::bigint AND day <"
        " $7::bigint"
        " UNION ALL SELECT survey, version, qid, src, val, 1, first, place FROM sv_src_row"
        " WHERE NOT $8::bool AND survey = $1 AND ($2::bigint[] IS NULL OR version = ANY($2))"
        " AND ($5::bigint[] IS NULL OR device = ANY($5)) AND ((hour >= $3::bigint AND hour <"
        " least($4::bigint, $6::bigint)) OR (hour >= greatest($3::bigint, $7::bigint) AND"
        " hour < $4::bigint))) x JOIN sv_qtype t ON t.survey = x.survey AND t.version ="
        " x.version AND t.qid = x.qid AND ((t.type = 'single' AND x.src = 's') OR (t.type ="
        " 'scale' AND x.src = 'i') OR (t.type = 'number' AND x.src IN ('i', 'r')) OR (t.type"
        " IN ('multi', 'top') AND x.src = 'e')) GROUP BY x.version, x.qid, x.val"
        " ORDER BY x.version, x.qid COLLATE \"C\", x.val COLLATE \"C\"",
        3, more, &r);
    for (int i = 0; !rc && i < PQntuples(r); i++)
        rc = fn(ctx, pg_ll(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), pg_ll(r, i, 3),
                pg_ll(r, i, 4), pg_ll(r, i, 5));
    PQclear(r);
    return rc;
}

/* The text answers' rows (sv_ans, sv_elem) of question $6 in the filter and before the
 * cursor ($7 hour, $8 uuid, $9 entry), ENTRY being a row's entry: the versions where
 * the question is a free text, as sv_text_row has them. */
#define TEXT_ROWS(ENTRY)                                                                \
    " survey = $1 AND qid = $6 AND version IN (SELECT version FROM sv_qtype WHERE survey ="  \
    " $1 AND qid = $6 AND type = 'text') AND ($2::bigint[] IS NULL OR version = ANY($2))"     \
    " AND hour >= $3::bigint AND hour < $4::bigint AND ($5::bigint[] IS NULL OR device ="     \
    " ANY($5)) AND ($7::bigint = 0 OR hour < $7 OR (hour = $7 AND (uuid COLLATE \"C\" < $8"   \
    " OR (uuid = $8 AND " ENTRY " < $9::int))))"

static kc_err ps_texts(void *impl, char *msg, const srvdb_sv_filter *f, const char *qid,
                       long long before_hour, const char *before_uuid, int before_entry,
                       long limit, srvdb_sv_text_fn fn, void *ctx)
{
    char bh[24], be[16], l[24];
    snprintf(bh, sizeof bh, "%lld", before_hour);
    snprintf(be, sizeof be, "%d", before_entry);
    snprintf(l, sizeof l, "%ld", limit);
    const char *more[5] = { qid, bh, before_uuid ? before_uuid : "", be, l };
    PGresult *r;
    /* Each kind of text row newest first through its index, a page of each, then the
     * page of both: instead of every text of the question sorted (sv_text_row). */
    kc_err rc = filtered(
        impl, msg, f,
        "SELECT t.uuid, t.hour, t.version, t.device, t.entry, CASE WHEN h.uuid IS NULL THEN"
        " t.text END, h.hidden_by, h.hidden_at FROM ("
        "(SELECT uuid, hour, version, device, 0 AS entry, val AS text FROM sv_ans WHERE"
        " jtype = 'string' AND" TEXT_ROWS("0") " ORDER BY hour DESC, uuid COLLATE \"C\" DESC"
        " LIMIT $10)"
        " UNION ALL (SELECT uuid, hour, version, device, n - 1, val FROM sv_elem WHERE"
        TEXT_ROWS("n - 1") " ORDER BY hour DESC, uuid COLLATE \"C\" DESC, n DESC LIMIT $10)"
        ") t LEFT JOIN sv_hidden h ON h.uuid = t.uuid AND h.qid = $6 AND h.survey = $1"
        " ORDER BY t.hour DESC, t.uuid COLLATE \"C\" DESC, t.entry DESC LIMIT $10",
        5, more, &r);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        srvdb_sv_text t = {
            .uuid = PQgetvalue(r, i, 0),
            .hour = pg_ll(r, i, 1),
            .version = pg_ll(r, i, 2),
            .device = pg_ll(r, i, 3),
            .entry = (int)pg_ll(r, i, 4),
            .text = PQgetisnull(r, i, 5) ? NULL : PQgetvalue(r, i, 5),
            .hidden_by = PQgetisnull(r, i, 6) ? NULL : PQgetvalue(r, i, 6),
            .hidden_at = pg_ll(r, i, 7),
        };
        rc = fn(ctx, &t);
    }
    PQclear(r);
    return rc;
}

static kc_err ps_text_device(void *impl, char *msg, const char *survey, const char *uuid,
                             const char *qid, long long *device)
{
    const char *v[3] = { uuid, qid, survey };
    PGresult *r;
    kc_err rc = pg_q(impl, msg, &r, "SELECT device FROM sv_text_row WHERE uuid = $1 AND qid ="
                                    " $2 AND survey = $3 LIMIT 1", 3, v, NULL);
    if (rc)
        return rc;
    if (PQntuples(r))
        *device = pg_ll(r, 0, 0);
    else
        rc = kc_fail(msg, KC_ENOTFOUND, "no such text answer");
    PQclear(r);
    return rc;
}

static kc_err ps_text_hide(void *impl, char *msg, const char *survey, const char *uuid,
                           const char *qid, const char *by, long long now, int *changed)
{
    char at[24];
    snprintf(at, sizeof at, "%lld", now);
    const char *v[5] = { by, at, uuid, qid, survey };
    PGresult *r;
    /* only a text there is can be hidden, as on SQLite */
    kc_err rc = pg_q(impl, msg, &r, "INSERT INTO sv_hidden(survey, uuid, qid, hidden_by, "
                                    "hidden_at) SELECT $5, $3, $4, $1, $2 WHERE EXISTS (SELECT 1"
                                    " FROM sv_text_row WHERE uuid = $3 AND qid = $4 AND survey ="
                                    " $5) ON CONFLICT DO NOTHING RETURNING 1", 5, v, NULL);
    if (!rc)
        *changed = PQntuples(r) > 0;
    PQclear(r);
    return rc;
}

static kc_err ps_rows_open(void *impl, char *msg, const srvdb_sv_filter *f, void **cur)
{
    sargs a;
    kc_err rc = sargs_make(&a, msg, f);
    *cur = NULL;
    if (rc)
        return rc;
    /* the hidden questions (those with a first entry, as SQLite lists them) as a JSON
     * array */
    rc = pg_cursor_open(impl, msg,
                        "SELECT s.uuid, s.version, s.hour, s.device, s.answers::text, '[' ||"
                        " coalesce((SELECT string_agg(to_json(h.qid)::text, ',' ORDER BY h.qid"
                        " COLLATE \"C\") FROM sv_hidden h WHERE h.uuid = s.uuid AND h.survey ="
                        " s.survey AND EXISTS (SELECT 1 FROM sv_text_row t WHERE t.uuid ="
                        " h.uuid AND t.qid = h.qid AND t.survey = h.survey AND t.entry = 0)),"
                        " '') || ']' FROM sv_row s WHERE" SV_FILTER,
                        5, a.v, (pg_cursor **)cur);
    sargs_free(&a);
    return rc;
}

static kc_err ps_rows_next(void *cur, char *msg, srvdb_sv_row *row, int *more)
{
    PGresult *r = NULL;
    int i;
    *more = 0;
    kc_err rc = pg_cursor_next(cur, msg, &r, &i);
    if (rc || i < 0)
        return rc;
    memset(row, 0, sizeof *row);
    row->uuid = PQgetvalue(r, i, 0);
    row->version = pg_ll(r, i, 1);
    row->hour = pg_ll(r, i, 2);
    row->device = pg_ll(r, i, 3);
    row->answers = PQgetvalue(r, i, 4);
    row->hidden = PQgetvalue(r, i, 5);
    *more = 1;
    return KC_OK;
}

static void ps_rows_close(void *cur)
{
    pg_cursor_close(cur);
}

const srvdb_survey_backend srvdb_pg_survey_results = {
    ps_versions,   ps_days,      ps_counts,    ps_texts,      ps_text_device,
    ps_text_hide,  ps_rows_open, ps_rows_next, ps_rows_close,
};
