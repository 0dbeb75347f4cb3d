/* srvdb_pg_results.c - the PostgreSQL backend's side of srvdb_results.h: feedback
 * counts, cards, comments, merged taps, workshops and the rows for exports.
 *
 * The answers are those of srvdb_results_sqlite.c for the same responses.  The queries
 * read the rows and sums srvdb_pg_results_schema.c keeps: a period's whole UTC days
 * from the sums, its edge hours from the hourly sums or the rows.  Hiding a comment is
 * a row of fb_hidden.  Exports read through a server-side cursor, a page at a time, so
 * the server's memory stays flat whatever the number of responses. */
#include "srvdb_pg_impl.h"
#include "srvdb_results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- helpers shared with srvdb_pg_survey.c --------------------------------------------- */

char *pg_id_array(const long long *v, size_t n, int *oom)
{
    *oom = 0;
    if (!v)
        return NULL;
    size_t cap = 3 + n * 21;
    char *s = kc_malloc(cap), *o = s;
    if (!s) {
        *oom = 1;
        return NULL;
    }
    *o++ = '{';
    for (size_t i = 0; i < n; i++)
        o += snprintf(o, cap - (size_t)(o - s), "%s%lld", i ? "," : "", v[i]);
    snprintf(o, cap - (size_t)(o - s), "}");
    return s;
}

struct pg_cursor {
    pg *p;
    PGresult *r;
    int i;
    int done;
};

/* Fetched this many rows at a time. */
#define FETCH "FETCH 200 FROM kc_cur"

kc_err pg_cursor_open(pg *p, char *msg, const char *sql, int n, const char *const *vals,
                      pg_cursor **out)
{
    *out = NULL;
    if (p->in_tx)
        return kc_fail(msg, KC_EUSAGE, "srvdb: a cursor needs a handle of its own");
    pg_cursor *c = kc_calloc(1, sizeof *c);
    size_t len = strlen(sql) + 64;
    char *decl = kc_malloc(len);
    if (!c || !decl) {
        kc_free(c);
        kc_free(decl);
        return kc_fail(msg, KC_ENOMEM, "srvdb: out of memory");
    }
    snprintf(decl, len, "DECLARE kc_cur NO SCROLL CURSOR FOR %s", sql);
    c->p = p;
    /* one snapshot for the whole export, no writes */
    kc_err rc = pg_x(p, msg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (!rc) {
        p->in_tx = 1;
        if ((rc = pg_q(p, msg, NULL, decl, n, vals, NULL)))
            pg_rollback(p);
    }
    kc_free(decl);
    if (rc) {
        kc_free(c);
        return rc;
    }
    c->i = -1;
    *out = c;
    return KC_OK;
}

kc_err pg_cursor_next(pg_cursor *c, char *msg, PGresult **r, int *row)
{
    *row = -1;
    if (c->done)
        return KC_OK;
    if (!c->r || ++c->i >= PQntuples(c->r)) {
        PQclear(c->r);
        c->r = NULL;
        kc_err rc = pg_q(c->p, msg, &c->r, FETCH, 0, NULL, NULL);
        if (rc)
            return rc;
        c->i = 0;
        if (PQntuples(c->r) == 0) {
            c->done = 1;
            return KC_OK;
        }
    }
    *r = c->r;
    *row = c->i;
    return KC_OK;
}

void pg_cursor_close(pg_cursor *c)
{
    if (!c)
        return;
    PQclear(c->r);
    pg_rollback(c->p);
    kc_free(c);
}

/* --- feedback ------------------------------------------------------------------------- */

/* The filter as $1 (from) $2 (to) $3 (devices, an array; NULL for every device). */
#define FILTER " hour >= $1 AND hour < $2 AND ($3::bigint[] IS NULL OR device = ANY($3))"
#define SUMS "sum(n1), sum(n2), sum(n3), sum(n4), sum(n5)"
/* The top cards of rows C (card, n1-n5, t: their sum), with their items' names. */
#define CARDS_SQL(C)                                                                    \
    "SELECT c.card, c.n1, c.n2, c.n3, c.n4, c.n5, coalesce(i.b->'name'->>'fi', ''),"       \
    " coalesce(i.b->'name'->>'sv', ''), coalesce(i.b->'name'->>'en', ''), i.ext_id IS NOT"  \
    " NULL FROM (" C ") c LEFT JOIN (SELECT ext_id, body::json b FROM item WHERE deleted ="  \
    " 0) i ON i.ext_id = c.card ORDER BY c.t DESC, c.card COLLATE \"C\""

typedef struct fargs {
    char from[24], to[24];
    char *devs;
    const char *v[8];
} fargs;

static kc_err fargs_make(fargs *a, char *msg, const srvdb_fb_filter *f)
{
    int oom;
    memset(a, 0, sizeof *a);
    snprintf(a->from, sizeof a->from, "%lld", f->from);
    snprintf(a->to, sizeof a->to, "%lld", f->to > 0 ? f->to : (1LL << 62));
    a->devs = pg_id_array(f->devices, f->ndevices, &oom);
    if (oom)
        return kc_fail(msg, KC_ENOMEM, "srvdb: out of memory");
    a->v[0] = a->from;
    a->v[1] = a->to;
    a->v[2] = a->devs;
    return KC_OK;
}

static kc_err filtered(void *impl, char *msg, const srvdb_fb_filter *f, const char *sql,
                       int n, const char *const *more, PGresult **r)
{
    fargs a;
    kc_err rc = fargs_make(&a, msg, f);
    if (rc)
        return rc;
    for (int i = 0; i < n; i++)
        a.v[3 + i] = more[i];
    rc = pg_q(impl, msg, r, sql, 3 + n, a.v, NULL);
    kc_free(a.devs);
    return rc;
}

static kc_err each_counts(PGresult *r, kc_err (*fn)(void *, long long, const long *),
                          void *ctx)
{
    kc_err rc = KC_OK;
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        long n[SRVDB_FACES];
        for (int k = 0; k < SRVDB_FACES; k++)
            n[k] = (long)pg_ll(r, i, 1 + k);
        rc = fn(ctx, pg_ll(r, i, 0), n);
    }
    PQclear(r);
    return rc;
}

static kc_err pr_hours(void *impl, char *msg, const srvdb_fb_filter *f, srvdb_fb_hour_fn fn,
                       void *ctx)
{
    PGresult *r;
    kc_err rc = filtered(impl, msg, f,
                         f->devices ? "SELECT hour, " SUMS " FROM fb_hour WHERE" FILTER
                                      " GROUP BY hour ORDER BY hour"
                                    : "SELECT hour, n1, n2, n3, n4, n5 FROM fb_hour_all WHERE"
                                      " hour >= $1 AND hour < $2 AND $3::bigint[] IS NULL"
                                      " ORDER BY hour",
                         0, NULL, &r);
    return rc ? rc : each_counts(r, fn, ctx);
}

static kc_err pr_devices(void *impl, char *msg, const srvdb_fb_filter *f,
                         srvdb_fb_device_fn fn, void *ctx)
{
    PGresult *r;
    /* whole UTC days [d1, d2) from fb_day, the hours at the edges from fb_hour */
    long long from = f->from, to = f->to > 0 ? f->to : (1LL << 62);
    long long d1 = (from + 86399) / 86400 * 86400, d2 = to / 86400 * 86400;
    if (d2 < d1)
        d2 = d1;  /* no whole day: everything from fb_hour */
    char s1[24], s2[24];
    snprintf(s1, sizeof s1, "%lld", d1);
    snprintf(s2, sizeof s2, "%lld", d2);
    const char *more[2] = { s1, s2 };
    kc_err rc = filtered(
        impl, msg, f,
        "SELECT device, " SUMS " FROM (SELECT device, n1, n2, n3, n4, n5 FROM fb_day WHERE"
        " day >= $4::bigint AND day < $5::bigint AND ($3::bigint[] IS NULL OR device ="
        " ANY($3)) UNION ALL SELECT device, n1, n2, n3, n4, n5 FROM fb_hour WHERE ((hour >="
        " $1::bigint AND hour < least($2::bigint, $4::bigint)) OR (hour >= greatest($1::bigint,"
        " $5::bigint) AND hour < $2::bigint)) AND ($3::bigint[] IS NULL OR device = ANY($3))) x"
        " GROUP BY device ORDER BY device",
        2, more, &r);
    return rc ? rc : each_counts(r, fn, ctx);
}

static kc_err pr_cards(void *impl, char *msg, const srvdb_fb_filter *f, long limit,
                       srvdb_fb_card_fn fn, void *ctx)
{
    char l[24];
    snprintf(l, sizeof l, "%ld", limit);
    const char *more[1] = { l };
    PGresult *r;
    /* every kiosk over all time: the totals; else the period's rows */
    int all = !f->devices && f->from <= 0 && f->to <= 0;
    kc_err rc = filtered(
        impl, msg, f,
        all ? CARDS_SQL("SELECT card, n1, n2, n3, n4, n5, n1 + n2 + n3 + n4 + n5 t FROM"
                        " fb_card_total WHERE $1::bigint <= 0 AND $2::bigint > 0 AND"
                        " $3::bigint[] IS NULL ORDER BY t DESC, card COLLATE \"C\" LIMIT $4")
            : CARDS_SQL("SELECT card, count(*) FILTER (WHERE score = 1) n1, count(*) FILTER"
                        " (WHERE score = 2) n2, count(*) FILTER (WHERE score = 3) n3, count(*)"
                        " FILTER (WHERE score = 4) n4, count(*) FILTER (WHERE score = 5) n5,"
                        " count(*) t FROM fb_row WHERE card IS NOT NULL AND" FILTER " GROUP BY"
                        " card ORDER BY t DESC, card COLLATE \"C\" LIMIT $4"),
        1, more, &r);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        long n[SRVDB_FACES];
        for (int k = 0; k < SRVDB_FACES; k++)
            n[k] = (long)pg_ll(r, i, 1 + k);
        int known = strcmp(PQgetvalue(r, i, 9), "t") == 0;
        const char *names[3];
        for (int k = 0; k < 3; k++)
            names[k] = known ? PQgetvalue(r, i, 6 + k) : NULL;
        rc = fn(ctx, PQgetvalue(r, i, 0), names, n);
    }
    PQclear(r);
    return rc;
}

static kc_err pr_comments(void *impl, char *msg, const srvdb_fb_filter *f,
                          long long before_hour, const char *before_uuid, const char *one,
                          long limit, srvdb_fb_comment_fn fn, void *ctx)
{
    char bh[24], l[24];
    snprintf(bh, sizeof bh, "%lld", before_hour);
    snprintf(l, sizeof l, "%ld", limit);
    const char *more[4] = { bh, before_uuid ? before_uuid : "", one, l };
    PGresult *r;
    kc_err rc = filtered(impl, msg, f,
                         "SELECT c.hour, c.uuid, c.device, c.score, c.context, c.comment,"
                         " h.hidden_by, h.hidden_at FROM fb_row c LEFT JOIN fb_hidden h ON"
                         " h.uuid = c.uuid WHERE c.comment IS NOT NULL AND" FILTER
                         " AND ($4::bigint = 0 OR hour < $4 OR (hour = $4 AND c.uuid COLLATE"
                         " \"C\" < $5)) AND ($6::text IS NULL OR c.uuid = $6)"
                         " ORDER BY hour DESC, c.uuid COLLATE \"C\" DESC LIMIT $7",
                         4, more, &r);
    if (rc)
        return rc;
    int seen = PQntuples(r) > 0;
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        srvdb_fb_comment c = {
            .hour = pg_ll(r, i, 0),
            .uuid = PQgetvalue(r, i, 1),
            .device = pg_ll(r, i, 2),
            .score = (int)pg_ll(r, i, 3),
            .context = PQgetvalue(r, i, 4),
            .comment = PQgetvalue(r, i, 5),
            .hidden_by = PQgetisnull(r, i, 6) ? NULL : PQgetvalue(r, i, 6),
            .hidden_at = pg_ll(r, i, 7),
        };
        rc = fn(ctx, &c);
    }
    PQclear(r);
    if (!rc && one && !seen)
        rc = kc_fail(msg, KC_ENOTFOUND, "no such comment");
    return rc;
}

static kc_err pr_hide(void *impl, char *msg, const char *uuid, const char *by, long long now,
                      int *changed)
{
    char at[24];
    snprintf(at, sizeof at, "%lld", now);
    const char *v[3] = { uuid, by, at };
    PGresult *r;
    *changed = 0;
    kc_err rc = pg_q(impl, msg, &r, "WITH c AS (SELECT uuid FROM fb_row WHERE uuid = $1 AND "
                                    "comment IS NOT NULL), i AS (INSERT INTO fb_hidden(uuid, "
                                    "hidden_by, hidden_at) SELECT uuid, $2, $3 FROM c ON "
                                    "CONFLICT DO NOTHING RETURNING 1) SELECT (SELECT count(*) "
                                    "FROM c), (SELECT count(*) FROM i)", 3, v, NULL);
    if (rc)
        return rc;
    if (pg_ll(r, 0, 0) == 0)
        rc = kc_fail(msg, KC_ENOTFOUND, "no such comment");
    else
        *changed = pg_ll(r, 0, 1) > 0;
    PQclear(r);
    return rc;
}

static kc_err pr_rows_open(void *impl, char *msg, const srvdb_fb_filter *f, void **cur)
{
    fargs a;
    kc_err rc = fargs_make(&a, msg, f);
    *cur = NULL;
    if (rc)
        return rc;
    rc = pg_cursor_open(impl, msg,
                        "SELECT c.uuid, c.device, c.hour, c.score, c.context, CASE WHEN"
                        " h.uuid IS NULL THEN c.comment END, h.uuid IS NOT NULL FROM fb_row c"
                        " LEFT JOIN fb_hidden h ON h.uuid = c.uuid WHERE" FILTER,
                        3, a.v, (pg_cursor **)cur);
    kc_free(a.devs);
    return rc;
}

static kc_err pr_rows_next(void *cur, char *msg, srvdb_fb_row *row, int *more)
{
    PGresult *r = NULL;
    int i;
    *more = 0;
    kc_err rc = pg_cursor_next(cur, msg, &r, &i);
    if (rc || i < 0)
        return rc;
    memset(row, 0, sizeof *row);
    row->uuid = PQgetvalue(r, i, 0);
    row->device = pg_ll(r, i, 1);
    row->hour = pg_ll(r, i, 2);
    row->score = (int)pg_ll(r, i, 3);
    row->context = PQgetvalue(r, i, 4);
    row->comment = PQgetisnull(r, i, 5) ? NULL : PQgetvalue(r, i, 5);
    row->hidden = strcmp(PQgetvalue(r, i, 6), "t") == 0;
    *more = 1;
    return KC_OK;
}

static void pr_rows_close(void *cur)
{
    pg_cursor_close(cur);
}

static kc_err pr_merged(void *impl, char *msg, const srvdb_fb_filter *f, long long *out)
{
    PGresult *r;
    *out = 0;
    kc_err rc = filtered(impl, msg, f,
                         f->devices ? "SELECT coalesce(sum(merged), 0) FROM fb_hour WHERE" FILTER
                                    : "SELECT coalesce(sum(merged), 0) FROM fb_hour_all WHERE"
                                      " hour >= $1 AND hour < $2 AND $3::bigint[] IS NULL",
                         0, NULL, &r);
    if (!rc)
        *out = pg_ll(r, 0, 0);
    PQclear(r);
    return rc;
}

/* The rows a workshop sends, and a workshop's id, as srvdb_results_sqlite.c has them. */
#define WS_KINDS "kind IN ('workshop', 'workshop-answer', 'workshop-group')"
#define WS_ID "(kc_json(payload)->>'workshop')"

static kc_err pr_ws_rows(void *impl, char *msg, const srvdb_fb_filter *f, const char *workshop,
                         srvdb_ws_fn fn, void *ctx)
{
    srvdb_fb_filter all = *f;
    all.from = 0;
    all.to = 0;
    const char *more[1] = { workshop };
    PGresult *r;
    /* $1 $2 are the filter's period, unused here; $4 the workshop.  Without one: ended
     * workshops, and running ones by their first answer (seq 1). */
    kc_err rc = filtered(
        impl, msg, &all,
        workshop ? "SELECT device, kind, payload FROM response WHERE " WS_KINDS " AND " WS_ID
                   " = $4 AND json_typeof(kc_json(payload)->'workshop') = 'string' AND"
                   " $1::bigint <= $2::bigint AND ($3::bigint[] IS NULL OR device = ANY($3))"
                   " ORDER BY kind COLLATE \"C\", uuid COLLATE \"C\""
                 : "SELECT device, kind, payload FROM (SELECT device, kind, payload, uuid FROM"
                   " response WHERE kind = 'workshop' AND"
                   " $1::bigint <= $2::bigint AND ($3::bigint[] IS NULL OR device = ANY($3))"
                   " AND $4::text IS NULL UNION ALL SELECT device, kind, payload, uuid FROM"
                   " response r WHERE kind = 'workshop-answer' AND kc_json(payload)->>'seq' ="
                   " '1' AND ($3::bigint[] IS NULL OR device = ANY($3)) AND NOT EXISTS (SELECT"
                   " 1 FROM response w WHERE w.kind = 'workshop' AND (kc_json(w.payload)->>"
                   "'workshop') = (kc_json(r.payload)->>'workshop'))) x ORDER BY uuid COLLATE \"C\"",
        1, more, &r);
    for (int i = 0; !rc && i < PQntuples(r); i++)
        rc = fn(ctx, pg_ll(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2));
    PQclear(r);
    return rc;
}

/* Rows are only ever added, so their number is the workshop's change counter; counted
 * in the index above, it reads only this workshop's rows. */
static kc_err pr_ws_stamp(void *impl, char *msg, const srvdb_fb_filter *f, const char *workshop,
                          long long *out)
{
    srvdb_fb_filter all = *f;
    all.from = 0;
    all.to = 0;
    const char *more[1] = { workshop };
    PGresult *r;
    *out = 0;
    kc_err rc = filtered(impl, msg, &all,
                         "SELECT count(*) FROM response WHERE " WS_KINDS " AND " WS_ID " = $4"
                         " AND $1::bigint <= $2::bigint AND ($3::bigint[] IS NULL OR device ="
                         " ANY($3))",
                         1, more, &r);
    if (!rc)
        *out = pg_ll(r, 0, 0);
    PQclear(r);
    return rc;
}

const srvdb_results_backend srvdb_pg_results = {
    pr_hours,   pr_devices, pr_cards,          pr_comments, pr_rows_open, pr_rows_next,
    pr_rows_close, pr_hide, &srvdb_pg_survey_results, pr_merged, pr_ws_rows,
    pr_ws_stamp,
};
