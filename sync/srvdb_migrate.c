/* srvdb_migrate.c - `kiosk-server admin migrate-to-pg`: the SQLite file's tables into
 * the PostgreSQL schema, in one transaction (srvdb_migrate.h).
 *
 * The copy goes by table and column name: the two backends keep the same tables
 * under the same names (srvdb_sqlite*.c and srvdb_pg*.c), so a table that a later
 * version adds to both is copied without a change here.  What differs is spelled out
 * below: the catalog's SQLite-only columns, item_ref's integer item ids, the tables
 * each backend derives itself, and the revision counters. */
#include "srvdb_migrate.h"
#include "srvdb.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_COLS 64
#define IDENT_MAX 64  /* PostgreSQL's identifiers are at most 63 bytes */

typedef struct mig {
    sqlite3 *sq;
    PGconn *pg;
    FILE *log;
    char *msg;
    char *line;   /* one COPY line */
    size_t cap, len;
} mig;

typedef struct cols {
    int n;
    char name[MAX_COLS][IDENT_MAX];
    int bytea[MAX_COLS];  /* PostgreSQL: the column is bytea */
    int pk[MAX_COLS];     /* SQLite: part of the primary key */
} cols;

/* Tables one backend derives from others, never copied: the catalog's revision
 * counter and search indexes (SQLite), the results' sums kept by triggers as responses
 * are stored.  A derived table with a hidden_by column keeps a coordinator's choice
 * (a hidden comment or answer): that part is carried over (copy_hidden). */
static int derived(const char *t)
{
    static const char *const names[] = { "meta", "fb_hour", "fb_card", "fb_hour_all",
                                         "fb_day", "fb_card_total", "fb_card_month",
                                         "fb_merged", "fb_comment", "feed_rev",
                                         "schema_version" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(t, names[i]) == 0)
            return 1;
    /* the console's catalog search and counts on SQLite (srvdb_sqlite_find.c) */
    return strncmp(t, "sv_", 3) == 0 || strncmp(t, "item_text", 9) == 0 ||
           strncmp(t, "item_find", 9) == 0 || strcmp(t, "item_fold") == 0 ||
           strcmp(t, "item_count") == 0 || strncmp(t, "sqlite_", 7) == 0;
}

/* SQLite's catalog keeps columns read out of each item's body for its own searches
 * and lists; the PostgreSQL catalog keeps the body alone. */
static int sqlite_only_column(const char *t, const char *c)
{
    static const char *const item[] = { "id", "name_fi", "name_sv", "name_en", "area",
                                        "themes", "langs", "start_at", "end_at" };
    if (strcmp(t, "item") != 0)
        return 0;
    for (size_t i = 0; i < sizeof item / sizeof item[0]; i++)
        if (strcmp(c, item[i]) == 0)
            return 1;
    return 0;
}

/* The console's transient state: a login throttle and sessions end by themselves, so
 * a PostgreSQL schema without them only means logging in again. */
static int transient(const char *t)
{
    return strcmp(t, "admin_throttle") == 0 || strcmp(t, "admin_session") == 0;
}

/* References first: devices, accounts, items. */
static int rank(const char *t)
{
    if (strcmp(t, "device") == 0 || strcmp(t, "admin_user") == 0)
        return 0;
    if (strcmp(t, "item") == 0)
        return 1;
    return 2;
}

static kc_err sq_fail(mig *m, const char *what)
{
    return kc_fail(m->msg, KC_EDB, "migrate-to-pg: %s: %s", what, sqlite3_errmsg(m->sq));
}

static kc_err pg_fail(mig *m, const PGresult *r, const char *what)
{
    const char *e = r ? PQresultErrorMessage(r) : NULL;
    if (!e || !*e)
        e = PQerrorMessage(m->pg);
    return kc_fail(m->msg, KC_EDB, "migrate-to-pg: %s: %.*s", what, (int)strcspn(e, "\n"), e);
}

/* A query on PostgreSQL; *out (may be NULL) gets a result with rows. */
static kc_err pq(mig *m, PGresult **out, const char *what, const char *sql, int n,
                 const char *const *vals)
{
    if (out)
        *out = NULL;
    PGresult *r = PQexecParams(m->pg, sql, n, NULL, vals, NULL, NULL, 0);
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        kc_err rc = pg_fail(m, r, what);
        PQclear(r);
        return rc;
    }
    if (out)
        *out = r;
    else
        PQclear(r);
    return KC_OK;
}

/* name as a quoted identifier (either database): at most IDENT_MAX - 1 bytes. */
static kc_err ident(mig *m, char *out, size_t cap, const char *name)
{
    size_t n = 0;
    if (strlen(name) >= IDENT_MAX)
        return kc_fail(m->msg, KC_EINVAL, "migrate-to-pg: name too long: %.40s", name);
    out[n++] = '"';
    for (const char *p = name; *p; p++) {
        if (n + 3 >= cap)
            return kc_fail(m->msg, KC_EINVAL, "migrate-to-pg: name too long: %.40s", name);
        if (*p == '"')
            out[n++] = '"';
        out[n++] = *p;
    }
    out[n++] = '"';
    out[n] = '\0';
    return KC_OK;
}

static kc_err sq_count(mig *m, const char *table, const char *where, long long *n)
{
    char q[IDENT_MAX * 2 + 8], sql[512];
    kc_err rc = ident(m, q, sizeof q, table);
    if (rc)
        return rc;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s%s", q, where ? where : "");
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(m->sq, sql, -1, &s, NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW)
        rc = sq_fail(m, "counting rows");
    else
        *n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return rc;
}

static kc_err pg_count(mig *m, const char *table, long long *n)
{
    char q[IDENT_MAX * 2 + 8], sql[256];
    kc_err rc = ident(m, q, sizeof q, table);
    if (rc)
        return rc;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", q);
    PGresult *r;
    if (!(rc = pq(m, &r, "counting rows", sql, 0, NULL)))
        *n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return rc;
}

/* The columns of a table on PostgreSQL (n 0 when there is no such table). */
static kc_err pg_cols(mig *m, const char *table, cols *c)
{
    memset(c, 0, sizeof *c);
    const char *v[1] = { table };
    PGresult *r;
    kc_err rc = pq(m, &r, "reading the PostgreSQL schema",
                   "SELECT column_name, data_type FROM information_schema.columns WHERE "
                   "table_schema = current_schema() AND table_name = $1 "
                   "ORDER BY ordinal_position", 1, v);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        if (c->n == MAX_COLS || strlen(PQgetvalue(r, i, 0)) >= IDENT_MAX) {
            rc = kc_fail(m->msg, KC_EINVAL, "migrate-to-pg: table %s is too wide", table);
            break;
        }
        snprintf(c->name[c->n], IDENT_MAX, "%s", PQgetvalue(r, i, 0));
        c->bytea[c->n++] = strcmp(PQgetvalue(r, i, 1), "bytea") == 0;
    }
    PQclear(r);
    return rc;
}

static kc_err sq_cols(mig *m, const char *table, cols *c)
{
    memset(c, 0, sizeof *c);
    sqlite3_stmt *s = NULL;
    kc_err rc = KC_OK;
    if (sqlite3_prepare_v2(m->sq, "SELECT name, pk FROM pragma_table_info(?)", -1, &s, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_text(s, 1, table, -1, SQLITE_STATIC) != SQLITE_OK)
        rc = sq_fail(m, "reading the SQLite schema");
    int st = SQLITE_DONE;
    while (!rc && (st = sqlite3_step(s)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(s, 0);
        if (c->n == MAX_COLS || !name || strlen(name) >= IDENT_MAX) {
            rc = kc_fail(m->msg, KC_EINVAL, "migrate-to-pg: table %s is too wide", table);
            break;
        }
        snprintf(c->name[c->n], IDENT_MAX, "%s", name);
        c->pk[c->n++] = sqlite3_column_int(s, 1) > 0;
    }
    if (!rc && st != SQLITE_DONE)
        rc = sq_fail(m, "reading the SQLite schema");
    sqlite3_finalize(s);
    return rc;
}

static int col_at(const cols *c, const char *name)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->name[i], name) == 0)
            return i;
    return -1;
}

static kc_err put(mig *m, const void *p, size_t n)
{
    if (m->len + n + 1 > m->cap) {
        size_t cap = m->cap ? m->cap : 4096;
        while (cap < m->len + n + 1)
            cap *= 2;
        char *q = realloc(m->line, cap);
        if (!q)
            return kc_fail(m->msg, KC_ENOMEM, "migrate-to-pg: out of memory");
        m->line = q;
        m->cap = cap;
    }
    memcpy(m->line + m->len, p, n);
    m->len += n;
    return KC_OK;
}

/* One value in COPY's text format: \N for NULL, bytea as \\x and hex, text with its
 * backslashes, tabs and line ends escaped. */
static kc_err put_value(mig *m, sqlite3_stmt *s, int i, int bytea)
{
    int t = sqlite3_column_type(s, i);
    char num[40];
    if (t == SQLITE_NULL)
        return put(m, "\\N", 2);
    if (t == SQLITE_INTEGER && !bytea) {
        int n = snprintf(num, sizeof num, "%lld", (long long)sqlite3_column_int64(s, i));
        return put(m, num, (size_t)n);
    }
    if (t == SQLITE_FLOAT && !bytea) {
        int n = snprintf(num, sizeof num, "%.17g", sqlite3_column_double(s, i));
        return put(m, num, (size_t)n);
    }
    const unsigned char *p = t == SQLITE_BLOB ? sqlite3_column_blob(s, i)
                                              : sqlite3_column_text(s, i);
    size_t n = (size_t)sqlite3_column_bytes(s, i);
    kc_err rc = KC_OK;
    if (bytea) {
        static const char hex[] = "0123456789abcdef";
        rc = put(m, "\\\\x", 3);
        for (size_t k = 0; !rc && k < n; k++) {
            char h[2] = { hex[p[k] >> 4], hex[p[k] & 15] };
            rc = put(m, h, 2);
        }
        return rc;
    }
    for (size_t k = 0; !rc && k < n; k++) {
        char e[2] = { '\\', 0 };
        switch (p[k]) {
        case '\\': e[1] = '\\'; break;
        case '\t': e[1] = 't'; break;
        case '\n': e[1] = 'n'; break;
        case '\r': e[1] = 'r'; break;
        default: break;
        }
        rc = e[1] ? put(m, e, 2) : put(m, p + k, 1);
    }
    return rc;
}

/* Streams the rows of select (its columns in the order of list) into table(list). */
static kc_err copy_rows(mig *m, const char *table, const char *list, const cols *pgc,
                        const int *at, int n, const char *select, long long *copied)
{
    char q[IDENT_MAX * 2 + 8];
    kc_err rc = ident(m, q, sizeof q, table);
    if (rc)
        return rc;
    size_t need = strlen(q) + strlen(list) + 40;
    char *sql = malloc(need);
    if (!sql)
        return kc_fail(m->msg, KC_ENOMEM, "migrate-to-pg: out of memory");
    snprintf(sql, need, "COPY %s(%s) FROM STDIN", q, list);
    PGresult *r = PQexec(m->pg, sql);
    free(sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        rc = pg_fail(m, r, table);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    sqlite3_stmt *s = NULL;
    *copied = 0;
    if (sqlite3_prepare_v2(m->sq, select, -1, &s, NULL) != SQLITE_OK)
        rc = sq_fail(m, table);
    int st = SQLITE_DONE;
    while (!rc && (st = sqlite3_step(s)) == SQLITE_ROW) {
        m->len = 0;
        for (int i = 0; !rc && i < n; i++) {
            if (i)
                rc = put(m, "\t", 1);
            if (!rc)
                rc = put_value(m, s, i, pgc->bytea[at[i]]);
        }
        if (!rc)
            rc = put(m, "\n", 1);
        if (!rc && PQputCopyData(m->pg, m->line, (int)m->len) != 1)
            rc = pg_fail(m, NULL, table);
        ++*copied;
    }
    if (!rc && st != SQLITE_DONE)
        rc = sq_fail(m, table);
    sqlite3_finalize(s);
    /* End the COPY on every path (a failure aborts it), so the connection is usable
     * for the rollback. */
    PQputCopyEnd(m->pg, rc ? "migrate-to-pg failed" : NULL);
    while ((r = PQgetResult(m->pg))) {
        if (!rc && PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = pg_fail(m, r, table);
        PQclear(r);
    }
    return rc;
}

/* Copies a table both sides have, by the column names they share. */
static kc_err copy_table(mig *m, const char *table, const cols *sqc, const cols *pgc)
{
    /* the select list and the ORDER BY name every column at most once each */
    char list[MAX_COLS * (IDENT_MAX * 2 + 4)], sel[2 * MAX_COLS * (IDENT_MAX * 2 + 4) + 200];
    size_t ln = 0, sn = 0;
    int at[MAX_COLS], n = 0;
    kc_err rc = KC_OK;
    sn += (size_t)snprintf(sel, sizeof sel, "SELECT ");
    for (int i = 0; !rc && i < sqc->n; i++) {
        int j = col_at(pgc, sqc->name[i]);
        char q[IDENT_MAX * 2 + 8];
        if (j < 0) {
            long long used = 0;
            char where[IDENT_MAX * 2 + 40];
            if (sqlite_only_column(table, sqc->name[i]))
                continue;
            if ((rc = ident(m, q, sizeof q, sqc->name[i])))
                break;
            snprintf(where, sizeof where, " WHERE %s IS NOT NULL", q);
            if ((rc = sq_count(m, table, where, &used)))
                break;
            if (used)
                rc = kc_fail(m->msg, KC_EUSAGE, "migrate-to-pg: %s.%s holds data (%lld rows) "
                             "that this version keeps only on SQLite; nothing was copied",
                             table, sqc->name[i], used);
            continue;
        }
        if ((rc = ident(m, q, sizeof q, sqc->name[i])))
            break;
        ln += (size_t)snprintf(list + ln, sizeof list - ln, "%s%s", n ? ", " : "", q);
        sn += (size_t)snprintf(sel + sn, sizeof sel - sn, "%s%s", n ? ", " : "", q);
        at[n++] = j;
    }
    if (rc)
        return rc;
    char q[IDENT_MAX * 2 + 8];
    if ((rc = ident(m, q, sizeof q, table)))
        return rc;
    sn += (size_t)snprintf(sel + sn, sizeof sel - sn, " FROM %s", q);
    /* In key order, which is random for ballots and code uses (their UUIDs, the pool's
     * keys): the copy lines up no row with when it arrived (docs/voting.md). */
    for (int i = 0, k = 0; !rc && i < sqc->n; i++) {
        if (!sqc->pk[i] || (rc = ident(m, q, sizeof q, sqc->name[i])))
            continue;
        sn += (size_t)snprintf(sel + sn, sizeof sel - sn, "%s%s", k++ ? ", " : " ORDER BY ", q);
    }
    if (rc)
        return rc;
    long long copied = 0;
    return n ? copy_rows(m, table, list, pgc, at, n, sel, &copied) : KC_OK;
}

/* SQLite's item_ref points at the item's integer id, PostgreSQL's at its ext_id. */
static kc_err copy_item_ref(mig *m)
{
    cols pgc;
    kc_err rc = pg_cols(m, "item_ref", &pgc);
    int at[3] = { col_at(&pgc, "item"), col_at(&pgc, "field"), col_at(&pgc, "target") };
    if (!rc && (at[0] < 0 || at[1] < 0 || at[2] < 0))
        rc = kc_fail(m->msg, KC_EDB, "migrate-to-pg: item_ref differs on PostgreSQL");
    long long copied = 0;
    if (!rc)
        rc = copy_rows(m, "item_ref", "item, field, target", &pgc, at, 3,
                       "SELECT i.ext_id, r.field, r.target FROM item_ref r "
                       "JOIN item i ON i.id = r.item", &copied);
    return rc;
}

/* A coordinator's hidden comments and answers (hidden_by) in a table the backends
 * derive from responses: copied whole where PostgreSQL keeps the table but has not
 * filled it, marked on the rows it derived itself where it has, refused where it has
 * no such table (showing what a coordinator hid is not a migration's choice). */
/* PostgreSQL keeps a coordinator's hiding apart from the counts it sums on request:
 * one fb_hidden row per hidden comment, one sv_hidden row per hidden answer (SQLite's
 * sv_text has a row per entry of a list answer; hiding takes them all, so one row). */
static const struct hidden_map {
    const char *table, *pg_table, *select, *insert;
    int nv;
} hidden_maps[] = {
    { "fb_comment", "fb_hidden",
      "SELECT uuid, hidden_by, hidden_at FROM fb_comment WHERE hidden_by IS NOT NULL",
      "INSERT INTO fb_hidden(uuid, hidden_by, hidden_at) VALUES($1, $2, $3::bigint)"
      " ON CONFLICT DO NOTHING", 3 },
    { "sv_text", "sv_hidden",
      "SELECT survey, uuid, qid, hidden_by, hidden_at FROM sv_text WHERE hidden_by IS NOT NULL",
      "INSERT INTO sv_hidden(survey, uuid, qid, hidden_by, hidden_at) VALUES($1, $2, $3, $4,"
      " $5::bigint) ON CONFLICT DO NOTHING", 5 },
};

/* 1 when table's hidden rows go to a table of their own on PostgreSQL (and were). */
static int copy_hidden_mapped(mig *m, const char *table, kc_err *rc)
{
    const struct hidden_map *h = NULL;
    for (size_t i = 0; i < sizeof hidden_maps / sizeof hidden_maps[0]; i++)
        if (strcmp(table, hidden_maps[i].table) == 0)
            h = &hidden_maps[i];
    cols pgc;
    if (!h || (*rc = pg_cols(m, h->pg_table, &pgc)) || pgc.n == 0)
        return h && *rc;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(m->sq, h->select, -1, &s, NULL) != SQLITE_OK) {
        *rc = sq_fail(m, table);
        return 1;
    }
    int st = SQLITE_DONE;
    while (!*rc && (st = sqlite3_step(s)) == SQLITE_ROW) {
        const char *v[5];
        for (int i = 0; i < h->nv; i++)
            v[i] = (const char *)sqlite3_column_text(s, i);
        *rc = pq(m, NULL, h->pg_table, h->insert, h->nv, v);
    }
    if (!*rc && st != SQLITE_DONE)
        *rc = sq_fail(m, table);
    sqlite3_finalize(s);
    return 1;
}

static kc_err copy_hidden(mig *m, const char *table, const cols *sqc, long long *hidden)
{
    cols pgc;
    long long have = 0;
    kc_err rc = sq_count(m, table, " WHERE hidden_by IS NOT NULL", hidden);
    if (rc || !*hidden)
        return rc;
    if (copy_hidden_mapped(m, table, &rc))
        return rc;
    if ((rc = pg_cols(m, table, &pgc)))
        return rc;
    if (col_at(&pgc, "hidden_by") < 0 || col_at(&pgc, "hidden_at") < 0)
        return kc_fail(m->msg, KC_EUSAGE, "migrate-to-pg: %lld rows of %s were hidden by a "
                       "coordinator, and this version's PostgreSQL schema cannot keep that; "
                       "nothing was copied", *hidden, table);
    if ((rc = pg_count(m, table, &have)))
        return rc;
    if (!have)
        return copy_table(m, table, sqc, &pgc);
    /* UPDATE t SET hidden_by = $1, hidden_at = $2 WHERE pk1 = $3 AND ... */
    char sql[MAX_COLS * (IDENT_MAX * 2 + 16) + 200], sel[sizeof sql], q[IDENT_MAX * 2 + 8];
    size_t n = 0, sn = 0;
    int np = 0;
    if ((rc = ident(m, q, sizeof q, table)))
        return rc;
    n += (size_t)snprintf(sql, sizeof sql, "UPDATE %s SET hidden_by = $1, hidden_at = $2", q);
    sn += (size_t)snprintf(sel, sizeof sel, "SELECT hidden_by, hidden_at");
    for (int i = 0; !rc && i < sqc->n; i++) {
        if (!sqc->pk[i])
            continue;
        if ((rc = ident(m, q, sizeof q, sqc->name[i])))
            break;
        n += (size_t)snprintf(sql + n, sizeof sql - n, " %s %s = $%d", np ? "AND" : "WHERE", q,
                              np + 3);
        sn += (size_t)snprintf(sel + sn, sizeof sel - sn, ", %s", q);
        np++;
    }
    if (rc)
        return rc;
    if (!np || np + 2 > 16)
        return kc_fail(m->msg, KC_EDB, "migrate-to-pg: %s has no usable key", table);
    if ((rc = ident(m, q, sizeof q, table)))
        return rc;
    snprintf(sel + sn, sizeof sel - sn, " FROM %s WHERE hidden_by IS NOT NULL", q);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(m->sq, sel, -1, &s, NULL) != SQLITE_OK)
        return sq_fail(m, table);
    int st = SQLITE_DONE;
    while (!rc && (st = sqlite3_step(s)) == SQLITE_ROW) {
        const char *v[16];
        for (int i = 0; i < np + 2; i++)
            v[i] = (const char *)sqlite3_column_text(s, i);
        rc = pq(m, NULL, table, sql, np + 2, v);
    }
    if (!rc && st != SQLITE_DONE)
        rc = sq_fail(m, table);
    sqlite3_finalize(s);
    return rc;
}

/* The revision counters of the two feeds, from the rows copied: the next catalog or
 * document change takes the revision after every one a kiosk may have seen. */
static kc_err set_counters(mig *m)
{
    sqlite3_stmt *s = NULL;
    kc_err rc = KC_OK;
    if (sqlite3_prepare_v2(m->sq, "SELECT max(coalesce((SELECT CAST(value AS INTEGER) FROM "
                           "meta WHERE key = 'catalog_rev'), 0), coalesce((SELECT max(rev) "
                           "FROM item), 0)), coalesce((SELECT max(rev) FROM doc), 0)", -1, &s,
                           NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW)
        rc = sq_fail(m, "reading the revision counters");
    char cat[24], doc[24];
    if (!rc) {
        snprintf(cat, sizeof cat, "%lld", (long long)sqlite3_column_int64(s, 0));
        snprintf(doc, sizeof doc, "%lld", (long long)sqlite3_column_int64(s, 1));
    }
    sqlite3_finalize(s);
    const char *v[2] = { cat, doc };
    if (!rc)
        rc = pq(m, NULL, "setting the revision counters",
                "UPDATE feed_rev SET rev = CASE feed WHEN 'catalog' THEN $1::bigint "
                "ELSE $2::bigint END WHERE feed IN ('catalog', 'doc')", 2, v);
    /* serial columns continue after the ids copied */
    PGresult *r = NULL;
    if (!rc)
        rc = pq(m, &r, "reading the sequences",
                "SELECT table_name, column_name FROM information_schema.columns WHERE "
                "table_schema = current_schema() AND column_default LIKE 'nextval(%'", 0, NULL);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        char qt[IDENT_MAX * 2 + 8], qc[IDENT_MAX * 2 + 8], sql[512];
        if ((rc = ident(m, qt, sizeof qt, PQgetvalue(r, i, 0))) ||
            (rc = ident(m, qc, sizeof qc, PQgetvalue(r, i, 1))))
            break;
        snprintf(sql, sizeof sql, "SELECT setval(pg_get_serial_sequence($1, $2), "
                 "(SELECT coalesce(max(%s), 0) FROM %s) + 1, false)", qc, qt);
        const char *a[2] = { qt, PQgetvalue(r, i, 1) };
        rc = pq(m, NULL, "setting a sequence", sql, 2, a);
    }
    PQclear(r);
    return rc;
}

typedef struct names {
    char (*v)[IDENT_MAX];
    int n;
} names;

static kc_err sq_tables(mig *m, names *t)
{
    sqlite3_stmt *s = NULL;
    kc_err rc = KC_OK;
    t->v = NULL;
    t->n = 0;
    if (sqlite3_prepare_v2(m->sq, "SELECT name FROM sqlite_master WHERE type = 'table' "
                           "ORDER BY name", -1, &s, NULL) != SQLITE_OK)
        return sq_fail(m, "listing tables");
    int st = SQLITE_DONE;
    while (!rc && (st = sqlite3_step(s)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(s, 0);
        void *p = realloc(t->v, (size_t)(t->n + 1) * sizeof *t->v);
        if (!p) {
            rc = kc_fail(m->msg, KC_ENOMEM, "migrate-to-pg: out of memory");
            break;
        }
        t->v = p;
        if (!name || strlen(name) >= IDENT_MAX)
            rc = kc_fail(m->msg, KC_EINVAL, "migrate-to-pg: a table name is too long");
        else
            snprintf(t->v[t->n++], IDENT_MAX, "%s", name);
    }
    if (!rc && st != SQLITE_DONE)
        rc = sq_fail(m, "listing tables");
    sqlite3_finalize(s);
    return rc;
}

/* Every table of the target is empty (but the counters and the schema version), and
 * stays so to others until the copy commits. */
static kc_err target_empty(mig *m)
{
    PGresult *r = NULL;
    kc_err rc = pq(m, &r, "listing tables",
                   "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                   "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name", 0,
                   NULL);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        const char *t = PQgetvalue(r, i, 0);
        char q[IDENT_MAX * 2 + 8], sql[256];
        if ((rc = ident(m, q, sizeof q, t)))
            break;
        snprintf(sql, sizeof sql, "LOCK TABLE %s IN EXCLUSIVE MODE", q);
        if ((rc = pq(m, NULL, "locking the target", sql, 0, NULL)))
            break;
        if (strcmp(t, "feed_rev") == 0 || strcmp(t, "schema_version") == 0)
            continue;
        long long n = 0;
        if ((rc = pg_count(m, t, &n)))
            break;
        if (n)
            rc = kc_fail(m->msg, KC_EEXIST, "migrate-to-pg: the target holds data already "
                         "(%s: %lld rows); it must be a new, empty database", t, n);
    }
    PQclear(r);
    return rc;
}

static kc_err migrate(mig *m, const names *t)
{
    kc_err rc = target_empty(m);
    for (int pass = 0; !rc && pass < 3; pass++) {
        for (int i = 0; !rc && i < t->n; i++) {
            const char *name = t->v[i];
            if (rank(name) != pass || derived(name) || strcmp(name, "item_ref") == 0)
                continue;
            cols sqc, pgc;
            long long n = 0, got = 0;
            if ((rc = sq_cols(m, name, &sqc)) || (rc = pg_cols(m, name, &pgc)) ||
                (rc = sq_count(m, name, NULL, &n)))
                break;
            if (!pgc.n) {
                if (n && !transient(name))
                    rc = kc_fail(m->msg, KC_EUSAGE, "migrate-to-pg: table %s (%lld rows) has "
                                 "no place in this version's PostgreSQL schema; nothing was "
                                 "copied", name, n);
                else if (m->log)
                    fprintf(m->log, "%s: %lld rows, not kept on PostgreSQL\n", name, n);
                continue;
            }
            if ((rc = copy_table(m, name, &sqc, &pgc)) || (rc = pg_count(m, name, &got)))
                break;
            if (got != n)
                rc = kc_fail(m->msg, KC_EDB, "migrate-to-pg: %s: %lld rows on SQLite, %lld "
                             "copied", name, n, got);
            else if (m->log)
                fprintf(m->log, "%s: %lld rows\n", name, n);
        }
        if (!rc && pass == 1) {
            long long n = 0, got = 0;
            if (!(rc = copy_item_ref(m)) && !(rc = sq_count(m, "item_ref", NULL, &n)) &&
                !(rc = pg_count(m, "item_ref", &got)) && n != got)
                rc = kc_fail(m->msg, KC_EDB, "migrate-to-pg: item_ref: %lld rows on SQLite, "
                             "%lld copied", n, got);
            if (!rc && m->log)
                fprintf(m->log, "item_ref: %lld rows\n", n);
        }
    }
    /* after the responses: PostgreSQL may derive these from them */
    for (int i = 0; !rc && i < t->n; i++) {
        cols sqc;
        long long hidden = 0;
        if (!derived(t->v[i]) || (rc = sq_cols(m, t->v[i], &sqc)) ||
            col_at(&sqc, "hidden_by") < 0 || col_at(&sqc, "hidden_at") < 0)
            continue;
        if (!(rc = copy_hidden(m, t->v[i], &sqc, &hidden)) && hidden && m->log)
            fprintf(m->log, "%s: %lld hidden by a coordinator, kept\n", t->v[i], hidden);
    }
    if (!rc)
        rc = set_counters(m);
    return rc;
}

kc_err srvdb_migrate_to_pg(const char *from, const char *to, FILE *log, char *msg)
{
    mig m;
    memset(&m, 0, sizeof m);
    m.log = log;
    m.msg = msg;
    if (strncmp(to, "postgresql://", 13) != 0 && strncmp(to, "postgres://", 11) != 0 &&
        strncmp(to, "pg:", 3) != 0)
        return kc_fail(msg, KC_EUSAGE, "migrate-to-pg: --to must be a PostgreSQL URI "
                       "(postgresql://...) or pg:KEY=VALUE...");
    /* Both schemas current: the source as this version's server would use it (a file
     * of an older server is migrated; one of a newer one refused), the target made. */
    struct stat sb;
    if (stat(from, &sb) != 0 || !S_ISREG(sb.st_mode))
        return kc_fail(msg, KC_ENOTFOUND, "migrate-to-pg: %s: no such file", from);
    srvdb *db = NULL;
    kc_err rc = srvdb_open(from, &db);
    if (rc)
        kc_fail(msg, rc, "migrate-to-pg: %s", db ? srvdb_errmsg(db) : "out of memory");
    srvdb_close(db);
    db = NULL;
    if (!rc && (rc = srvdb_open(to, &db)))
        kc_fail(msg, rc, "migrate-to-pg: %s", db ? srvdb_errmsg(db) : "out of memory");
    srvdb_close(db);
    if (rc)
        return rc;

    names t = { NULL, 0 };
    if (sqlite3_open_v2(from, &m.sq, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        rc = sq_fail(&m, from);
    else if (sqlite3_busy_timeout(m.sq, 10000) != SQLITE_OK ||
             sqlite3_exec(m.sq, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        rc = sq_fail(&m, "starting a read");
    else
        rc = sq_tables(&m, &t);  /* the first read: the snapshot everything is read from */
    const char *conninfo = strncmp(to, "pg:", 3) == 0 ? to + 3 : to;
    if (!rc) {
        m.pg = PQconnectdb(conninfo);
        if (!m.pg)
            rc = kc_fail(msg, KC_ENOMEM, "migrate-to-pg: out of memory");
        else if (PQstatus(m.pg) != CONNECTION_OK || PQsetClientEncoding(m.pg, "UTF8") != 0)
            rc = pg_fail(&m, NULL, "connecting to PostgreSQL");
    }
    if (!rc && !(rc = pq(&m, NULL, "BEGIN", "BEGIN", 0, NULL))) {
        if ((rc = migrate(&m, &t)) || (rc = pq(&m, NULL, "COMMIT", "COMMIT", 0, NULL)))
            PQclear(PQexec(m.pg, "ROLLBACK"));
    }
    if (m.pg)
        PQfinish(m.pg);
    if (m.sq) {
        sqlite3_exec(m.sq, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(m.sq);
    }
    free(t.v);
    free(m.line);
    return rc;
}
