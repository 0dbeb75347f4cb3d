/* srvdb_results_sqlite.c - the SQLite side of srvdb_results.h: aggregate tables kept
 * by triggers on the response table, so every way a response is stored (a kiosk's
 * batch, an import) counts, in the same transaction, without the store code knowing. */
#include "srvdb_results.h"
#include "srvdb_results_survey.h"
#include "store_sql.h"
#include "srvdb_sqlite_impl.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The pieces of a feedback payload P (docs/protocol.md): its hour as unix time (the
 * kiosk stores "2026-11-25T12Z"), its face, its context. */
#define HOUR_TEXT(P) "json_extract(" P ", '$.hour')"
#define HOUR_UNIX(P)                                                                    \
    "CAST(strftime('%s', substr(" HOUR_TEXT(P) ", 1, 10) || ' ' || substr(" HOUR_TEXT(P) \
    ", 12, 2) || ':00') AS INTEGER)"
#define SCORE(P) "json_extract(" P ", '$.score')"
#define FACES(S) "(" S ") = 1, (" S ") = 2, (" S ") = 3, (" S ") = 4, (" S ") = 5"
/* A row the results count: well-formed feedback; anything else is left out (the
 * export still has it). */
#define COUNTED(K, P)                                                                   \
    K " = 'feedback' AND json_valid(" P ") AND json_type(" P ", '$.score') = 'integer'"  \
      " AND " SCORE(P) " BETWEEN 1 AND 5 AND json_type(" P ", '$.hour') = 'text'"        \
      " AND length(" HOUR_TEXT(P) ") BETWEEN 13 AND 14 AND substr(" HOUR_TEXT(P)          \
      ", 11, 1) = 'T' AND " HOUR_UNIX(P) " IS NOT NULL"
#define CONTEXT(P) "json_extract(" P ", '$.context')"
#define IS_CARD(P)                                                                      \
    "json_type(" P ", '$.context') = 'text' AND " CONTEXT(P) " <> 'home' AND length(" \
    CONTEXT(P) ") BETWEEN 1 AND 64"
#define MERGED(P) "json_extract(" P ", '$.merged')"
#define MERGED_OK(P)                                                                    \
    "json_type(" P ", '$.merged') = 'integer' AND " MERGED(P) " BETWEEN 1 AND 1000000"
/* The rows a workshop sends: an answer row as each group answer is saved, and the rows
 * of its end; the index below is used only by queries with exactly this condition.
 * WS_KINDS_1: the end's rows alone, as the first index had them. */
#define WS_KINDS_1 "kind IN ('workshop', 'workshop-group')"
#define WS_KINDS "kind IN ('workshop', 'workshop-answer', 'workshop-group')"
/* A running workshop's first answer row: one per workshop, for the list. */
#define WS_FIRST "kind = 'workshop-answer' AND json_extract(payload, '$.seq') = 1"
#define WS_ID "json_extract(payload, '$.workshop')"
/* The start of the UTC month of unix time T. */
#define MONTH_OF(T) "CAST(strftime('%s', " T ", 'unixepoch', 'start of month') AS INTEGER)"
#define ADD_FACES                                                                       \
    " DO UPDATE SET n1 = n1 + excluded.n1, n2 = n2 + excluded.n2, n3 = n3 + excluded.n3," \
    " n4 = n4 + excluded.n4, n5 = n5 + excluded.n5"

/* A module of its own, so it migrates apart from the server's other tables. */
static const char *const migrations[] = {
    /* Per kiosk and stored hour, per card and hour, and the comments by hour: what
     * the results page reads.  Nothing finer than the hour the kiosk stored. */
    "CREATE TABLE fb_hour(hour INTEGER NOT NULL, device INTEGER NOT NULL,"
    " n1 INTEGER NOT NULL, n2 INTEGER NOT NULL, n3 INTEGER NOT NULL, n4 INTEGER NOT NULL,"
    " n5 INTEGER NOT NULL, PRIMARY KEY(hour, device)) WITHOUT ROWID;"
    "CREATE TABLE fb_card(hour INTEGER NOT NULL, device INTEGER NOT NULL,"
    " context TEXT NOT NULL, n1 INTEGER NOT NULL, n2 INTEGER NOT NULL, n3 INTEGER NOT NULL,"
    " n4 INTEGER NOT NULL, n5 INTEGER NOT NULL, PRIMARY KEY(hour, device, context))"
    " WITHOUT ROWID;"
    /* Coarser sums of the same counts, so the common questions read a few thousand
     * rows: every kiosk together by hour, each kiosk by UTC day (a period's edges come
     * from fb_hour), each card over all time. */
    "CREATE TABLE fb_hour_all(hour INTEGER PRIMARY KEY, n1 INTEGER NOT NULL,"
    " n2 INTEGER NOT NULL, n3 INTEGER NOT NULL, n4 INTEGER NOT NULL, n5 INTEGER NOT NULL)"
    " WITHOUT ROWID;"
    "CREATE TABLE fb_day(day INTEGER NOT NULL, device INTEGER NOT NULL, n1 INTEGER NOT NULL,"
    " n2 INTEGER NOT NULL, n3 INTEGER NOT NULL, n4 INTEGER NOT NULL, n5 INTEGER NOT NULL,"
    " PRIMARY KEY(day, device)) WITHOUT ROWID;"
    "CREATE TABLE fb_card_total(context TEXT PRIMARY KEY, n1 INTEGER NOT NULL,"
    " n2 INTEGER NOT NULL, n3 INTEGER NOT NULL, n4 INTEGER NOT NULL, n5 INTEGER NOT NULL)"
    " WITHOUT ROWID;"
    /* one kiosk's hours without reading the others' */
    "CREATE INDEX fb_hour_device ON fb_hour(device, hour);"
    "CREATE INDEX fb_card_device ON fb_card(device, hour);"
    "CREATE TABLE fb_comment(hour INTEGER NOT NULL, uuid TEXT NOT NULL, device INTEGER"
    " NOT NULL, score INTEGER NOT NULL, context TEXT NOT NULL, comment TEXT NOT NULL,"
    " hidden_by TEXT, hidden_at INTEGER, PRIMARY KEY(hour, uuid)) WITHOUT ROWID;"
    "CREATE UNIQUE INDEX fb_comment_uuid ON fb_comment(uuid);"
    "CREATE TRIGGER fb_count AFTER INSERT ON response WHEN " COUNTED("new.kind", "new.payload")
    " BEGIN"
    " INSERT INTO fb_hour SELECT " HOUR_UNIX("new.payload") ", new.device, " FACES(
        SCORE("new.payload")) " WHERE true ON CONFLICT(hour, device)" ADD_FACES ";"
    " INSERT INTO fb_card SELECT " HOUR_UNIX("new.payload") ", new.device, " CONTEXT(
        "new.payload") ", " FACES(SCORE("new.payload")) " WHERE " IS_CARD("new.payload")
    " ON CONFLICT(hour, device, context)" ADD_FACES ";"
    " INSERT INTO fb_hour_all SELECT " HOUR_UNIX("new.payload") ", " FACES(
        SCORE("new.payload")) " WHERE true ON CONFLICT(hour)" ADD_FACES ";"
    " INSERT INTO fb_day SELECT " HOUR_UNIX("new.payload") " / 86400 * 86400, new.device, "
    FACES(SCORE("new.payload")) " WHERE true ON CONFLICT(day, device)" ADD_FACES ";"
    " INSERT INTO fb_card_total SELECT " CONTEXT("new.payload") ", " FACES(
        SCORE("new.payload")) " WHERE " IS_CARD("new.payload") " ON CONFLICT(context)"
    ADD_FACES ";"
    " INSERT OR IGNORE INTO fb_comment(hour, uuid, device, score, context, comment) SELECT "
    HOUR_UNIX("new.payload") ", new.uuid, new.device, " SCORE("new.payload") ", coalesce("
    "CASE json_type(new.payload, '$.context') WHEN 'text' THEN " CONTEXT("new.payload")
    " END, 'home'), json_extract(new.payload, '$.comment')"
    " WHERE json_type(new.payload, '$.comment') = 'text';"
    " END;"
    /* What was stored before this version. */
    "INSERT INTO fb_hour SELECT h, device, sum(s = 1), sum(s = 2), sum(s = 3), sum(s = 4),"
    " sum(s = 5) FROM (SELECT " HOUR_UNIX("payload") " AS h, device, " SCORE("payload")
    " AS s FROM response WHERE " COUNTED("kind", "payload") ") GROUP BY h, device;"
    "INSERT INTO fb_card SELECT h, device, c, sum(s = 1), sum(s = 2), sum(s = 3),"
    " sum(s = 4), sum(s = 5) FROM (SELECT " HOUR_UNIX("payload") " AS h, device, "
    CONTEXT("payload") " AS c, " SCORE("payload") " AS s FROM response WHERE " COUNTED(
        "kind", "payload") " AND " IS_CARD("payload") ") GROUP BY h, device, c;"
    "INSERT INTO fb_comment(hour, uuid, device, score, context, comment) SELECT "
    HOUR_UNIX("payload") ", uuid, device, " SCORE("payload") ", coalesce(CASE json_type("
    "payload, '$.context') WHEN 'text' THEN " CONTEXT("payload") " END, 'home'),"
    " json_extract(payload, '$.comment') FROM response WHERE " COUNTED("kind", "payload")
    " AND json_type(payload, '$.comment') = 'text';"
    "INSERT INTO fb_hour_all SELECT hour, sum(n1), sum(n2), sum(n3), sum(n4), sum(n5)"
    " FROM fb_hour GROUP BY hour;"
    "INSERT INTO fb_day SELECT hour / 86400 * 86400 AS d, device, sum(n1), sum(n2), sum(n3),"
    " sum(n4), sum(n5) FROM fb_hour GROUP BY d, device;"
    "INSERT INTO fb_card_total SELECT context, sum(n1), sum(n2), sum(n3), sum(n4), sum(n5)"
    " FROM fb_card GROUP BY context;",
    /* Taps the kiosk's misuse rule merged into a feedback ("merged", docs/protocol.md),
     * per kiosk and stored hour: shown beside the counts, never counted as feedback.
     * A count over a million is not a kiosk's and is left out. */
    "CREATE TABLE fb_merged(hour INTEGER NOT NULL, device INTEGER NOT NULL,"
    " n INTEGER NOT NULL, PRIMARY KEY(hour, device)) WITHOUT ROWID;"
    "CREATE TRIGGER fb_merge AFTER INSERT ON response WHEN " COUNTED("new.kind", "new.payload")
    " AND " MERGED_OK("new.payload") " BEGIN"
    " INSERT INTO fb_merged SELECT " HOUR_UNIX("new.payload") ", new.device, " MERGED(
        "new.payload") " WHERE true ON CONFLICT(hour, device) DO UPDATE SET n = n + excluded.n;"
    " END;"
    "INSERT INTO fb_merged SELECT " HOUR_UNIX("payload") " AS h, device, sum(" MERGED("payload")
    ") FROM response WHERE " COUNTED("kind", "payload") " AND " MERGED_OK("payload")
    " GROUP BY h, device;",
    /* A workshop's rows by its id without reading every response: a partial index,
     * as small as the workshops themselves. */
    "CREATE INDEX ws_rows ON response(" WS_ID ", kind) WHERE " WS_KINDS_1 ";",
    /* Cards by UTC month over every kiosk: a period's cards add a dozen months' rows
     * and the hours at its edges from fb_card, not every kiosk's every hour.  Filled
     * from the hourly card counts of what was stored before. */
    "CREATE TABLE fb_card_month(month INTEGER NOT NULL, context TEXT NOT NULL,"
    " n1 INTEGER NOT NULL, n2 INTEGER NOT NULL, n3 INTEGER NOT NULL, n4 INTEGER NOT NULL,"
    " n5 INTEGER NOT NULL, PRIMARY KEY(month, context)) WITHOUT ROWID;"
    "CREATE TRIGGER fb_card_month AFTER INSERT ON response WHEN " COUNTED("new.kind",
    "new.payload") " AND " IS_CARD("new.payload") " BEGIN"
    " INSERT INTO fb_card_month SELECT " MONTH_OF(HOUR_UNIX("new.payload")) ", "
    CONTEXT("new.payload") ", " FACES(SCORE("new.payload")) " WHERE true ON CONFLICT(month,"
    " context)" ADD_FACES ";"
    " END;"
    "INSERT INTO fb_card_month SELECT " MONTH_OF("hour") " AS m, context, sum(n1), sum(n2),"
    " sum(n3), sum(n4), sum(n5) FROM fb_card GROUP BY m, context;",
    /* Answers of running workshops (docs/survey-format.md, "workshop-answer"). */
    "DROP INDEX ws_rows;"
    "CREATE INDEX ws_rows ON response(" WS_ID ", kind) WHERE " WS_KINDS ";"
    "CREATE INDEX ws_first ON response(uuid) WHERE " WS_FIRST ";",
};

kc_err srvdb_sqlite_results_migrate_(store *st)
{
    kc_err rc = store_migrate_module(st, "server-results", migrations,
                                     (int)(sizeof migrations / sizeof migrations[0]));
    /* Surveys' tables: a module of their own (srvdb_results_survey_sqlite.c). */
    return rc ? rc : srvdb_sqlite_survey_migrate_(st);
}

static kc_err fail_db(store *st, char *msg, const char *what)
{
    kc_err rc = store_fail_db(st, what);
    snprintf(msg, KC_MSGMAX, "%s", store_errmsg(st));
    return rc;
}

/* The filter's bounds as ?1 (from) ?2 (to) and its devices as ?3 (a JSON array, NULL
 * for every device). */
#define FILTER " hour >= ?1 AND hour < ?2 AND (?3 IS NULL OR device IN (SELECT value FROM json_each(?3)))"
/* The same with devices given: without the OR, SQLite looks each device up in an
 * index instead of reading every row. */
#define FILTER_DEV " device IN (SELECT value FROM json_each(?3)) AND hour >= ?1 AND hour < ?2"

static kc_err prep_filtered(store *st, char *msg, const srvdb_fb_filter *f, const char *sql,
                            sqlite3_stmt **s)
{
    *s = NULL;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, s, NULL) != SQLITE_OK)
        return fail_db(st, msg, "preparing statement");
    sqlite3_bind_int64(*s, 1, f->from);
    sqlite3_bind_int64(*s, 2, f->to > 0 ? f->to : (1LL << 62));
    if (!f->devices)
        return KC_OK;
    proto_buf b = { 0 };
    proto_buf_str(&b, "[");
    for (size_t i = 0; i < f->ndevices; i++)
        proto_buf_printf(&b, "%s%lld", i ? "," : "", f->devices[i]);
    proto_buf_str(&b, "]");
    if (b.oom) {
        proto_buf_free(&b);
        sqlite3_finalize(*s);
        *s = NULL;
        return kc_fail(msg, KC_ENOMEM, "srvdb: out of memory");
    }
    sqlite3_bind_text(*s, 3, b.p, (int)b.len, SQLITE_TRANSIENT);
    proto_buf_free(&b);
    return KC_OK;
}

/* Steps s, handing each row's key (column 0) and five counts (1-5) to fn. */
static kc_err each_counts(store *st, char *msg, sqlite3_stmt *s,
                          kc_err (*fn)(void *, long long, const long *), void *ctx)
{
    kc_err rc = KC_OK;
    int r;
    while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
        long n[SRVDB_FACES];
        for (int i = 0; i < SRVDB_FACES; i++)
            n[i] = (long)sqlite3_column_int64(s, 1 + i);
        rc = fn(ctx, sqlite3_column_int64(s, 0), n);
    }
    if (!rc && r != SQLITE_DONE)
        rc = fail_db(st, msg, "reading feedback counts");
    sqlite3_finalize(s);
    return rc;
}

/* Summed in SQL: a year of 40 kiosks is 200 000 rows here but only 8 760 hours, and
 * every value crossing the API costs a mutex round trip. */
static kc_err rs_hours(void *impl, char *msg, const srvdb_fb_filter *f, srvdb_fb_hour_fn fn,
                       void *ctx)
{
    store *st = srvdb_sqlite_store_(impl);
    sqlite3_stmt *s;
    kc_err rc = prep_filtered(
        st, msg, f,
        f->devices ? "SELECT hour, sum(n1), sum(n2), sum(n3), sum(n4), sum(n5) FROM fb_hour"
                     " INDEXED BY fb_hour_device WHERE" FILTER_DEV " GROUP BY hour ORDER BY hour"
                   : "SELECT hour, n1, n2, n3, n4, n5 FROM fb_hour_all WHERE hour >= ?1"
                     " AND hour < ?2 AND ?3 IS NULL ORDER BY hour",
        &s);
    return rc ? rc : each_counts(st, msg, s, fn, ctx);
}

/* Whole UTC days inside the period from fb_day, the hours at its edges from fb_hour. */
static kc_err rs_devices(void *impl, char *msg, const srvdb_fb_filter *f,
                         srvdb_fb_device_fn fn, void *ctx)
{
    store *st = srvdb_sqlite_store_(impl);
    sqlite3_stmt *s;
    kc_err rc = prep_filtered(
        st, msg, f,
        "SELECT device, sum(n1), sum(n2), sum(n3), sum(n4), sum(n5) FROM ("
        " SELECT device, n1, n2, n3, n4, n5 FROM fb_day WHERE day >= ?4 AND day < ?5 AND"
        " (?3 IS NULL OR device IN (SELECT value FROM json_each(?3)))"
        " UNION ALL SELECT device, n1, n2, n3, n4, n5 FROM fb_hour WHERE"
        " ((hour >= ?1 AND hour < min(?2, ?4)) OR (hour >= max(?1, ?5) AND hour < ?2)) AND"
        " (?3 IS NULL OR device IN (SELECT value FROM json_each(?3))))"
        " GROUP BY device",
        &s);
    if (rc)
        return rc;
    long long from = f->from, to = f->to > 0 ? f->to : (1LL << 62);
    long long d1 = (from + 86399) / 86400 * 86400, d2 = to / 86400 * 86400;
    if (d2 < d1)
        d2 = d1;  /* no whole day: everything from fb_hour */
    sqlite3_bind_int64(s, 4, d1);
    sqlite3_bind_int64(s, 5, d2);
    return each_counts(st, msg, s, fn, ctx);
}

#define CARDS_SQL(FROM)                                                                 \
    "SELECT c.context, c.n1, c.n2, c.n3, c.n4, c.n5, i.name_fi, i.name_sv, i.name_en,"     \
    " i.ext_id FROM (SELECT context, sum(n1) n1, sum(n2) n2, sum(n3) n3, sum(n4) n4,"      \
    " sum(n5) n5, sum(n1 + n2 + n3 + n4 + n5) t FROM " FROM                               \
    " GROUP BY context ORDER BY t DESC, context LIMIT ?4) c"                             \
    " LEFT JOIN item i ON i.ext_id = c.context AND i.deleted = 0 ORDER BY c.t DESC,"      \
    " c.context"

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static long long days_from_civil(long long y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The start of the UTC month holding t (t >= 0), and of the month after it. */
static long long month_start(long long t, int next)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm))
        return t;
    long long y = tm.tm_year + 1900LL;
    int m = tm.tm_mon + 1 + (next ? 1 : 0);
    if (m > 12) {
        m = 1;
        y++;
    }
    return days_from_civil(y, m, 1) * 86400;
}

/* A period's whole UTC months [*m1, *m2) (fb_card_month) and its edges [from, m1),
 * [m2, to) (fb_card); *m1 = *m2 = to when it holds no whole month. */
static void card_months(long long from, long long to, long long *m1, long long *m2)
{
    *m1 = month_start(from, 0);
    if (*m1 < from)
        *m1 = month_start(from, 1);
    /* no upper bound: every month from m1 on */
    *m2 = to >= (1LL << 62) ? to : month_start(to, 0);
    if (*m2 <= *m1)
        *m1 = *m2 = to;
}

static kc_err rs_cards(void *impl, char *msg, const srvdb_fb_filter *f, long limit,
                       srvdb_fb_card_fn fn, void *ctx)
{
    store *st = srvdb_sqlite_store_(impl);
    sqlite3_stmt *s;
    int all = !f->devices && f->from <= 0 && f->to <= 0;
    /* a period for every kiosk: whole months from the month table */
    int months = !all && !f->devices;
    kc_err rc = prep_filtered(
        st, msg, f,
        months ? CARDS_SQL("(SELECT context, n1, n2, n3, n4, n5 FROM fb_card_month WHERE month"
                           " >= ?5 AND month < ?6 AND ?3 IS NULL UNION ALL SELECT context, n1,"
                           " n2, n3, n4, n5 FROM fb_card WHERE (hour >= ?1 AND hour < min(?2,"
                           " ?5)) OR (hour >= max(?1, ?6) AND hour < ?2))") :
        all ? "SELECT c.context, c.n1, c.n2, c.n3, c.n4, c.n5, i.name_fi, i.name_sv, i.name_en,"
              " i.ext_id FROM (SELECT context, n1, n2, n3, n4, n5, n1 + n2 + n3 + n4 + n5 t"
              " FROM fb_card_total WHERE ?1 >= 0 AND ?2 > 0 AND ?3 IS NULL"
              " ORDER BY t DESC, context LIMIT ?4) c"
              " LEFT JOIN item i ON i.ext_id = c.context AND i.deleted = 0 ORDER BY c.t DESC,"
              " c.context" :
        f->devices ? CARDS_SQL("fb_card INDEXED BY fb_card_device WHERE" FILTER_DEV)
                   : CARDS_SQL("fb_card WHERE" FILTER),
        &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 4, limit);
    if (months) {
        long long m1, m2;
        card_months(f->from > 0 ? f->from : 0, f->to > 0 ? f->to : (1LL << 62), &m1, &m2);
        sqlite3_bind_int64(s, 5, m1);
        sqlite3_bind_int64(s, 6, m2);
    }
    int r;
    while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
        long n[SRVDB_FACES];
        for (int i = 0; i < SRVDB_FACES; i++)
            n[i] = (long)sqlite3_column_int64(s, 1 + i);
        int known = sqlite3_column_type(s, 9) != SQLITE_NULL;
        const char *names[3];
        for (int i = 0; i < 3; i++) {
            names[i] = known ? (const char *)sqlite3_column_text(s, 6 + i) : NULL;
            if (known && !names[i])
                names[i] = "";
        }
        rc = fn(ctx, (const char *)sqlite3_column_text(s, 0), names, n);
    }
    if (!rc && r != SQLITE_DONE)
        rc = fail_db(st, msg, "reading card feedback");
    sqlite3_finalize(s);
    return rc;
}

static kc_err rs_comments(void *impl, char *msg, const srvdb_fb_filter *f,
                          long long before_hour, const char *before_uuid, const char *one,
                          long limit, srvdb_fb_comment_fn fn, void *ctx)
{
    store *st = srvdb_sqlite_store_(impl);
    sqlite3_stmt *s;
    kc_err rc = prep_filtered(
        st, msg, f,
        "SELECT hour, uuid, device, score, context, comment, hidden_by, hidden_at"
        " FROM fb_comment WHERE" FILTER
        " AND (?4 = 0 OR hour < ?4 OR (hour = ?4 AND uuid < ?5))"
        " AND (?6 IS NULL OR uuid = ?6) ORDER BY hour DESC, uuid DESC LIMIT ?7",
        &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 4, before_hour);
    sqlite3_bind_text(s, 5, before_uuid, -1, SQLITE_STATIC);
    if (one)
        sqlite3_bind_text(s, 6, one, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 7, limit);
    int r, seen = 0;
    while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
        srvdb_fb_comment c = {
            .hour = sqlite3_column_int64(s, 0),
            .uuid = (const char *)sqlite3_column_text(s, 1),
            .device = sqlite3_column_int64(s, 2),
            .score = sqlite3_column_int(s, 3),
            .context = (const char *)sqlite3_column_text(s, 4),
            .comment = (const char *)sqlite3_column_text(s, 5),
            .hidden_by = (const char *)sqlite3_column_text(s, 6),
            .hidden_at = sqlite3_column_int64(s, 7),
        };
        if (!c.uuid || !c.context || !c.comment) {
            rc = kc_fail(msg, KC_ENOMEM, "srvdb: out of memory");
            break;
        }
        seen = 1;
        rc = fn(ctx, &c);
    }
    if (!rc && r != SQLITE_DONE)
        rc = fail_db(st, msg, "reading comments");
    sqlite3_finalize(s);
    if (!rc && one && !seen)
        rc = kc_fail(msg, KC_ENOTFOUND, "no such comment");
    return rc;
}

static kc_err rs_hide(void *impl, char *msg, const char *uuid, const char *by, long long now,
                      int *changed)
{
    store *st = srvdb_sqlite_store_(impl);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st),
                           "UPDATE fb_comment SET hidden_by = ?, hidden_at = ? WHERE uuid = ?"
                           " AND hidden_by IS NULL",
                           -1, &s, NULL) != SQLITE_OK)
        return fail_db(st, msg, "preparing statement");
    sqlite3_bind_text(s, 1, by, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, now);
    sqlite3_bind_text(s, 3, uuid, -1, SQLITE_STATIC);
    kc_err rc = sqlite3_step(s) == SQLITE_DONE ? KC_OK : fail_db(st, msg, "hiding a comment");
    sqlite3_finalize(s);
    if (rc)
        return rc;
    if (sqlite3_changes(store_db(st)) > 0) {
        *changed = 1;
        return KC_OK;
    }
    /* Nothing changed: hidden already, or no such comment. */
    if (sqlite3_prepare_v2(store_db(st), "SELECT 1 FROM fb_comment WHERE uuid = ?", -1, &s,
                           NULL) != SQLITE_OK)
        return fail_db(st, msg, "preparing statement");
    sqlite3_bind_text(s, 1, uuid, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    rc = r == SQLITE_ROW    ? KC_OK
         : r == SQLITE_DONE ? kc_fail(msg, KC_ENOTFOUND, "no such comment")
                            : fail_db(st, msg, "reading a comment");
    sqlite3_finalize(s);
    return rc;
}

/* --- rows for exports ---------------------------------------------------------------- */

typedef struct rs_cursor {
    store *st;
    sqlite3_stmt *s;
} rs_cursor;

static kc_err rs_rows_open(void *impl, char *msg, const srvdb_fb_filter *f, void **cur)
{
    store *st = srvdb_sqlite_store_(impl);
    rs_cursor *c = kc_calloc(1, sizeof *c);
    *cur = NULL;
    if (!c)
        return kc_fail(msg, KC_ENOMEM, "srvdb: out of memory");
    c->st = st;
    /* The hour is worked out once in the inner query; the outer one filters on it. */
    kc_err rc = prep_filtered(
        st, msg, f,
        "SELECT uuid, device, hour, score, context, comment, hidden FROM (SELECT r.uuid,"
        " r.device, " HOUR_UNIX("r.payload") " AS hour, " SCORE("r.payload") " AS score,"
        " coalesce(CASE json_type(r.payload, '$.context') WHEN 'text' THEN "
        CONTEXT("r.payload") " END, 'home') AS context, CASE WHEN c.hidden_by IS NULL AND"
        " json_type(r.payload, '$.comment') = 'text' THEN json_extract(r.payload,"
        " '$.comment') END AS comment, c.hidden_by IS NOT NULL AS hidden FROM response r"
        " LEFT JOIN fb_comment c ON c.uuid = r.uuid WHERE " COUNTED("r.kind", "r.payload")
        ") WHERE" FILTER,
        &c->s);
    if (rc) {
        kc_free(c);
        return rc;
    }
    *cur = c;
    return KC_OK;
}

static kc_err rs_rows_next(void *cur, char *msg, srvdb_fb_row *row, int *more)
{
    rs_cursor *c = cur;
    int r = sqlite3_step(c->s);
    *more = 0;
    if (r == SQLITE_DONE)
        return KC_OK;
    if (r != SQLITE_ROW)
        return fail_db(c->st, msg, "reading feedback");
    memset(row, 0, sizeof *row);
    row->uuid = (const char *)sqlite3_column_text(c->s, 0);
    row->device = sqlite3_column_int64(c->s, 1);
    row->hour = sqlite3_column_int64(c->s, 2);
    row->score = sqlite3_column_int(c->s, 3);
    row->context = (const char *)sqlite3_column_text(c->s, 4);
    row->comment = (const char *)sqlite3_column_text(c->s, 5);
    row->hidden = sqlite3_column_int(c->s, 6);
    if (!row->uuid || !row->context)
        return kc_fail(msg, KC_ENOMEM, "srvdb: out of memory");
    *more = 1;
    return KC_OK;
}

static void rs_rows_close(void *cur)
{
    rs_cursor *c = cur;
    if (!c)
        return;
    sqlite3_finalize(c->s);
    kc_free(c);
}

static kc_err rs_merged(void *impl, char *msg, const srvdb_fb_filter *f, long long *out)
{
    store *st = srvdb_sqlite_store_(impl);
    sqlite3_stmt *s;
    *out = 0;
    kc_err rc = prep_filtered(st, msg, f,
                              f->devices ? "SELECT coalesce(sum(n), 0) FROM fb_merged WHERE"
                                           FILTER_DEV
                                         : "SELECT coalesce(sum(n), 0) FROM fb_merged WHERE"
                                           FILTER,
                              &s);
    if (rc)
        return rc;
    if (sqlite3_step(s) == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    else
        rc = fail_db(st, msg, "reading merged taps");
    sqlite3_finalize(s);
    return rc;
}

static kc_err rs_ws_rows(void *impl, char *msg, const srvdb_fb_filter *f, const char *workshop,
                         srvdb_ws_fn fn, void *ctx)
{
    store *st = srvdb_sqlite_store_(impl);
    sqlite3_stmt *s = NULL;
    srvdb_fb_filter all = *f;
    all.from = 0;
    all.to = 0;
    /* ?1 ?2 are the filter's period, unused here; ?4 the workshop. */
    kc_err rc = prep_filtered(
        st, msg, &all,
        workshop ? "SELECT device, kind, payload FROM response WHERE " WS_KINDS " AND " WS_ID
                   " = ?4 AND ?1 <= ?2 AND (?3 IS NULL OR device IN (SELECT value FROM"
                   " json_each(?3))) ORDER BY kind, uuid"
                 /* ended workshops, and running ones by their first answer */
                 : "SELECT device, kind, payload, uuid FROM response WHERE " WS_KINDS " AND kind ="
                   " 'workshop' AND ?1 <= ?2 AND (?3 IS NULL OR device IN (SELECT value FROM"
                   " json_each(?3))) UNION ALL SELECT device, kind, payload, uuid FROM response r"
                   " WHERE " WS_FIRST " AND (?3 IS NULL OR device IN (SELECT value FROM"
                   " json_each(?3))) AND NOT EXISTS (SELECT 1 FROM response WHERE " WS_KINDS
                   " AND " WS_ID " = json_extract(r.payload, '$.workshop') AND kind ="
                   " 'workshop') ORDER BY 4",
        &s);
    if (rc)
        return rc;
    if (workshop)
        sqlite3_bind_text(s, 4, workshop, -1, SQLITE_STATIC);
    int r;
    while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW)
        rc = fn(ctx, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
                (const char *)sqlite3_column_text(s, 2));
    if (!rc && r != SQLITE_DONE)
        rc = fail_db(st, msg, "reading workshops");
    sqlite3_finalize(s);
    return rc;
}

static kc_err rs_ws_stamp(void *impl, char *msg, const srvdb_fb_filter *f,
                          const char *workshop, long long *out)
{
    store *st = srvdb_sqlite_store_(impl);
    sqlite3_stmt *s = NULL;
    srvdb_fb_filter all = *f;
    all.from = 0;
    all.to = 0;
    *out = 0;
    /* Rows are only ever added, so their number is the workshop's change counter;
     * counted in the partial index, it reads only this workshop's rows. */
    kc_err rc = prep_filtered(st, msg, &all,
                              "SELECT count(*) FROM response WHERE " WS_KINDS " AND " WS_ID
                              " = ?4 AND ?1 <= ?2 AND (?3 IS NULL OR device IN (SELECT value"
                              " FROM json_each(?3)))",
                              &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 4, workshop, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    else
        rc = fail_db(st, msg, "reading a workshop's changes");
    sqlite3_finalize(s);
    return rc;
}

const srvdb_results_backend srvdb_sqlite_results = {
    rs_hours,
    rs_devices,
    rs_cards,
    rs_comments,
    rs_rows_open,
    rs_rows_next,
    rs_rows_close,
    rs_hide,
    &srvdb_sqlite_survey_results,
    rs_merged,
    rs_ws_rows,
    rs_ws_stamp,
};
