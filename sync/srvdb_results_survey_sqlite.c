/* srvdb_results_survey_sqlite.c - the SQLite side of srvdb_results_survey.h: count
 * tables kept by triggers on the response table (every way a response is stored
 * counts, in the same transaction), and the question types of every stored survey
 * version, kept by a trigger on the document table, so a response's answers are
 * sorted into counts (choices, steps, numbers) and texts without parsing its
 * definition. */
#include "srvdb_results_survey.h"
#include "store_sql.h"
#include "srvdb_sqlite_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The pieces of a survey-response payload P (docs/survey-format.md). */
#define SV_S(P) "json_extract(" P ", '$.survey')"
#define SV_V(P) "json_extract(" P ", '$.version')"
#define SV_HT(P) "json_extract(" P ", '$.hour')"
#define SV_H(P)                                                                         \
    "CAST(strftime('%s', substr(" SV_HT(P) ", 1, 10) || ' ' || substr(" SV_HT(P)         \
    ", 12, 2) || ':00') AS INTEGER)"
/* The local day in the server's zone, as the console's periods are. */
#define SV_D(P) "date(" SV_H(P) ", 'unixepoch', 'localtime')"
#define SV_OK(K, P)                                                                     \
    K " = 'survey-response' AND json_valid(" P ") AND json_type(" P ", '$.survey') = 'text'" \
      " AND json_type(" P ", '$.version') = 'integer' AND json_type(" P ", '$.answers') ="  \
      " 'object' AND json_type(" P ", '$.hour') = 'text' AND length(" SV_HT(P) ") BETWEEN"  \
      " 13 AND 14 AND substr(" SV_HT(P) ", 11, 1) = 'T' AND " SV_H(P) " IS NOT NULL"

/* Answers of payload P (survey S, version V) joined to their questions' types. */
#define SV_ANS(P, S, V)                                                                 \
    " json_each(" P ", '$.answers') a JOIN sv_qtype t ON t.survey = " S " AND t.version = " \
    V " AND t.qid = a.key"
/* One count row per scalar answer (a single choice, a scale step, a number) and per
 * element of a list answer (multi, top: first place and place).  COLS are the leading
 * columns ("survey, version[, day]" values); FROM and WHERE add the row's source. */
#define SV_ROWS(P, S, V, COLS, FROM, WHERE)                                             \
    "SELECT " COLS ", a.key, CAST(a.atom AS TEXT), 1, 0, 0 FROM " FROM                   \
    SV_ANS(P, S, V) " WHERE " WHERE " ((t.type = 'single' AND a.type = 'text') OR"        \
    " (t.type = 'scale' AND a.type = 'integer') OR (t.type = 'number' AND a.type IN"      \
    " ('integer', 'real'))) UNION ALL SELECT " COLS ", a.key, e.value, 1,"                \
    " e.key = 0, e.key + 1 FROM " FROM SV_ANS(P, S, V) ", json_each(a.value) e WHERE "    \
    WHERE " t.type IN ('multi', 'top') AND a.type = 'array' AND e.type = 'text'"
#define SV_ADD                                                                          \
    " DO UPDATE SET n = n + excluded.n, first = first + excluded.first, rsum = rsum +"   \
    " excluded.rsum"
/* Per kiosk and day, per day over every kiosk, per kiosk over all time. */
#define SV_CNT(P, S, V, D, DEV, FROM, WHERE)                                            \
    SV_CNT1(P, S, V, D, DEV, FROM, WHERE)                                               \
    "INSERT INTO sv_cnt_month(survey, version, month, qid, key, n, first, rsum) SELECT *" \
    " FROM (" SV_ROWS(P, S, V, S ", " V ", substr(" D ", 1, 7)", FROM, WHERE) ") WHERE"  \
    " true ON CONFLICT(survey, version, month, qid, key)" SV_ADD ";"
/* (the first version's three tables; the month over every kiosk came in the second) */
#define SV_CNT1(P, S, V, D, DEV, FROM, WHERE)                                           \
    "INSERT INTO sv_cnt(survey, version, day, device, qid, key, n, first, rsum) SELECT *" \
    " FROM (" SV_ROWS(P, S, V, S ", " V ", " D ", " DEV, FROM, WHERE) ") WHERE true ON"   \
    " CONFLICT(survey, version, device, day, qid, key)" SV_ADD ";"                        \
    "INSERT INTO sv_cnt_all(survey, version, day, qid, key, n, first, rsum) SELECT * FROM (" \
    SV_ROWS(P, S, V, S ", " V ", " D, FROM, WHERE) ") WHERE true ON CONFLICT(survey,"      \
    " version, day, qid, key)" SV_ADD ";"                                                  \
    "INSERT INTO sv_tot(survey, version, device, qid, key, n, first, rsum) SELECT * FROM (" \
    SV_ROWS(P, S, V, S ", " V ", " DEV, FROM, WHERE) ") WHERE true ON CONFLICT(survey, version," \
    " device, qid, key)" SV_ADD ";"
#define SV_TEXTS(P, S, V, D, H, U, DEV, FROM, WHERE)                                    \
    "INSERT OR IGNORE INTO sv_text(survey, qid, hour, uuid, entry, version, device, day," \
    " text) SELECT " S ", a.key, " H ", " U ", 0, " V ", " DEV ", " D ", a.value FROM "    \
    FROM SV_ANS(P, S, V) " WHERE " WHERE " t.type = 'text' AND a.type = 'text' UNION ALL" \
    " SELECT " S ", a.key, " H ", " U ", e.key, " V ", " DEV ", " D ", e.value FROM " FROM \
    SV_ANS(P, S, V) ", json_each(a.value) e WHERE " WHERE " t.type = 'text' AND a.type ="  \
    " 'array' AND e.type = 'text';"
/* In the trigger the payload's survey, version, day and hour are worked out once: a
 * subquery with a LIMIT in a join is not flattened into it, so it runs once. */
#define SV_ONCE(P)                                                                      \
    "(SELECT " SV_S(P) " AS s, " SV_V(P) " AS v, " SV_D(P) " AS d, " SV_H(P) " AS h"       \
    " LIMIT 1) c, "
/* (through a second macro, so SV_NEW and SV_OLD stand for four arguments) */
#define SV_CNT_(...) SV_CNT(__VA_ARGS__)
#define SV_CNT1_(...) SV_CNT1(__VA_ARGS__)
#define SV_TEXTS_(...) SV_TEXTS(__VA_ARGS__)
#define SV_NEW "new.payload", "c.s", "c.v", "c.d"
#define SV_OLD "r.payload", SV_S("r.payload"), SV_V("r.payload"), SV_D("r.payload")
#define SV_QTYPES(FROM, WHERE)                                                          \
    "INSERT OR REPLACE INTO sv_qtype SELECT d.id, d.version, json_extract(q.value,"      \
    " '$.id'), json_extract(q.value, '$.type') FROM " FROM " json_each(d.body,"          \
    " '$.questions') q WHERE " WHERE " json_type(q.value, '$.id') = 'text';"
#define SV_DOC_OK(D)                                                                    \
    D ".type = 'survey' AND " D ".body IS NOT NULL AND json_valid(" D ".body) AND"       \
    " json_extract(" D ".body, '$.mode') = 'survey'"

/* The trigger that counts a response as it is stored, with the count tables CNT
 * keeps (SV_CNT1_ in the first version, SV_CNT_ since the second). */
#define SV_TRIGGER(CNT) SV_TRIGGER_(CNT, "")
/* ANS: the answers' column of sv_resp (since the third version) */
#define SV_TRIGGER_(CNT, ANS)                                                           \
    "CREATE TRIGGER sv_count AFTER INSERT ON response WHEN " SV_OK("new.kind", "new.payload") \
    " BEGIN"                                                                             \
    " INSERT OR IGNORE INTO sv_resp SELECT c.s, c.v, c.d, new.device, new.uuid, c.h" ANS   \
    " FROM " SV_ONCE("new.payload") "(SELECT 1) WHERE true;"                               \
    " INSERT INTO sv_day SELECT c.s, c.v, c.d, new.device, 1 FROM " SV_ONCE("new.payload") \
    "(SELECT 1) WHERE true ON CONFLICT(survey, version, day, device) DO UPDATE SET n = n + 1;" \
    CNT(SV_NEW, "new.device", SV_ONCE("new.payload"), "")                                 \
    SV_TEXTS_(SV_NEW, "c.h", "new.uuid", "new.device", SV_ONCE("new.payload"), "")         \
    " END;"

static const char *const migrations[] = {
    "CREATE TABLE sv_qtype(survey TEXT NOT NULL, version INTEGER NOT NULL, qid TEXT NOT"
    " NULL, type TEXT NOT NULL, PRIMARY KEY(survey, version, qid)) WITHOUT ROWID;"
    /* Each response once, by survey, version, day and kiosk: what an export reads. */
    "CREATE TABLE sv_resp(survey TEXT NOT NULL, version INTEGER NOT NULL, day TEXT NOT"
    " NULL, device INTEGER NOT NULL, uuid TEXT NOT NULL, hour INTEGER NOT NULL,"
    " PRIMARY KEY(survey, version, day, device, uuid)) WITHOUT ROWID;"
    "CREATE TABLE sv_day(survey TEXT NOT NULL, version INTEGER NOT NULL, day TEXT NOT NULL,"
    " device INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(survey, version, day,"
    " device)) WITHOUT ROWID;"
    /* Counts by kiosk and day (a kiosk's period reads its own rows), by day over every
     * kiosk (a period for everyone: a year is a few tens of thousands of rows), and by
     * kiosk over all time (no period). */
    "CREATE TABLE sv_cnt(survey TEXT NOT NULL, version INTEGER NOT NULL, device INTEGER NOT"
    " NULL, day TEXT NOT NULL, qid TEXT NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL,"
    " first INTEGER NOT NULL, rsum INTEGER NOT NULL, PRIMARY KEY(survey, version, device,"
    " day, qid, key)) WITHOUT ROWID;"
    "CREATE TABLE sv_cnt_all(survey TEXT NOT NULL, version INTEGER NOT NULL, day TEXT NOT"
    " NULL, qid TEXT NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL, first INTEGER NOT"
    " NULL, rsum INTEGER NOT NULL, PRIMARY KEY(survey, version, day, qid, key))"
    " WITHOUT ROWID;"
    "CREATE TABLE sv_tot(survey TEXT NOT NULL, version INTEGER NOT NULL, device INTEGER NOT"
    " NULL, qid TEXT NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL, first INTEGER NOT"
    " NULL, rsum INTEGER NOT NULL, PRIMARY KEY(survey, version, device, qid, key))"
    " WITHOUT ROWID;"
    "CREATE TABLE sv_text(survey TEXT NOT NULL, qid TEXT NOT NULL, hour INTEGER NOT NULL,"
    " uuid TEXT NOT NULL, entry INTEGER NOT NULL, version INTEGER NOT NULL, device INTEGER"
    " NOT NULL, day TEXT NOT NULL, text TEXT NOT NULL, hidden_by TEXT, hidden_at INTEGER,"
    " PRIMARY KEY(survey, qid, hour, uuid, entry)) WITHOUT ROWID;"
    "CREATE INDEX sv_text_uuid ON sv_text(uuid, qid);"
    "CREATE TRIGGER sv_doc AFTER INSERT ON doc WHEN " SV_DOC_OK("new") " BEGIN "
    SV_QTYPES("(SELECT new.id AS id, new.version AS version, new.body AS body) d,", "")
    " END;"
    SV_TRIGGER(SV_CNT1_)
    /* What was stored before this version. */
    SV_QTYPES("doc d,", SV_DOC_OK("d") " AND")
    "INSERT OR IGNORE INTO sv_resp SELECT " SV_S("payload") ", " SV_V("payload") ", "
    SV_D("payload") ", device, uuid, " SV_H("payload") " FROM response WHERE "
    SV_OK("kind", "payload") ";"
    "INSERT INTO sv_day SELECT survey, version, day, device, count(*) FROM sv_resp"
    " GROUP BY survey, version, day, device;"
    SV_CNT1_(SV_OLD, "r.device", "response r,", SV_OK("r.kind", "r.payload") " AND")
    SV_TEXTS_(SV_OLD, SV_H("r.payload"), "r.uuid", "r.device", "response r,",
             SV_OK("r.kind", "r.payload") " AND"),
    /* Counts by local month over every kiosk: a period of whole months reads a dozen
     * months' rows instead of every day's, its edge days come from sv_cnt_all.  Filled
     * from the day counts of what was stored before. */
    "CREATE TABLE sv_cnt_month(survey TEXT NOT NULL, version INTEGER NOT NULL, month TEXT"
    " NOT NULL, qid TEXT NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL, first INTEGER NOT"
    " NULL, rsum INTEGER NOT NULL, PRIMARY KEY(survey, version, month, qid, key))"
    " WITHOUT ROWID;"
    "DROP TRIGGER sv_count;" SV_TRIGGER(SV_CNT_)
    "INSERT INTO sv_cnt_month SELECT survey, version, substr(day, 1, 7), qid, key, sum(n),"
    " sum(first), sum(rsum) FROM sv_cnt_all GROUP BY survey, version, substr(day, 1, 7),"
    " qid, key;",
    /* The exports ask of every response which texts were hidden: a probe of this small
     * index instead of a look at every text of the response. */
    ("CREATE INDEX sv_text_hidden ON sv_text(uuid) WHERE hidden_by IS NOT NULL AND"
     " entry = 0;"),
    /* Each response's answers beside its row, as JSON text: an export reads sv_resp in
     * its order instead of looking up every payload in the response table, whose rows
     * lie in the order of their random UUIDs (a page read for nearly every row). */
    "DROP TRIGGER sv_count;"
    "ALTER TABLE sv_resp ADD COLUMN answers TEXT;"
    SV_TRIGGER_(SV_CNT_, ", json_extract(new.payload, '$.answers')")
    "UPDATE sv_resp SET answers = (SELECT json_extract(r.payload, '$.answers') FROM response r"
    " WHERE r.uuid = sv_resp.uuid);",
};

kc_err srvdb_sqlite_survey_migrate_(store *st)
{
    return store_migrate_module(st, "server-survey-results", migrations,
                                (int)(sizeof migrations / sizeof migrations[0]));
}

static kc_err fail_db(store *st, char *msg, const char *what)
{
    kc_err rc = store_fail_db(st, what);
    snprintf(msg, KC_MSGMAX, "%s", store_errmsg(st));
    return rc;
}

/* A JSON array of numbers, for json_each(?) in a query; NULL when list is NULL. */
static char *num_list(const long long *v, size_t n, int *oom)
{
    *oom = 0;
    if (!v)
        return NULL;
    proto_buf b = { 0 };
    proto_buf_str(&b, "[");
    for (size_t i = 0; i < n; i++)
        proto_buf_printf(&b, "%s%lld", i ? "," : "", v[i]);
    proto_buf_str(&b, "]");
    if (b.oom) {
        proto_buf_free(&b);
        *oom = 1;
        return NULL;
    }
    return b.p;
}

/* The filter as ?1 survey, ?2 versions (JSON array or NULL), ?3 from day, ?4 to day,
 * ?5 devices (JSON array or NULL). */
#define SV_FILTER                                                                       \
    " survey = ?1 AND (?2 IS NULL OR version IN (SELECT value FROM json_each(?2))) AND"  \
    " (?3 IS NULL OR day >= ?3) AND (?4 IS NULL OR day <= ?4) AND (?5 IS NULL OR device"  \
    " IN (SELECT value FROM json_each(?5)))"

/* The same when the versions are given: the version, device and day bounds then walk
 * the primary keys instead of every row of the survey. */
#define SV_FILTER_V                                                                     \
    " survey = ?1 AND version IN (SELECT value FROM json_each(?2)) AND device IN (SELECT" \
    " value FROM json_each(?5)) AND day >= coalesce(?3, '') AND day <= coalesce(?4, 'x')"

static kc_err prep(store *st, char *msg, const srvdb_sv_filter *f, const char *sql,
                   sqlite3_stmt **s)
{
    *s = NULL;
    int oom1, oom2;
    char *vers = num_list(f->versions, f->nversions, &oom1);
    char *devs = num_list(f->devices, f->ndevices, &oom2);
    kc_err rc = KC_OK;
    if (oom1 || oom2)
        rc = kc_fail(msg, KC_ENOMEM, "srvdb: out of memory");
    else if (sqlite3_prepare_v2(store_db(st), sql, -1, s, NULL) != SQLITE_OK)
        rc = fail_db(st, msg, "preparing statement");
    if (!rc) {
        sqlite3_bind_text(*s, 1, f->survey, -1, SQLITE_TRANSIENT);
        if (vers)
            sqlite3_bind_text(*s, 2, vers, -1, SQLITE_TRANSIENT);
        if (f->from_day)
            sqlite3_bind_text(*s, 3, f->from_day, -1, SQLITE_TRANSIENT);
        if (f->to_day)
            sqlite3_bind_text(*s, 4, f->to_day, -1, SQLITE_TRANSIENT);
        if (devs)
            sqlite3_bind_text(*s, 5, devs, -1, SQLITE_TRANSIENT);
    }
    kc_free(vers);
    kc_free(devs);
    return rc;
}

static kc_err sv_versions(void *impl, char *msg, const char *survey, int bodies,
                          srvdb_sv_version_fn fn, void *ctx)
{
    store *st = srvdb_sqlite_store_(impl);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(
            store_db(st),
            "SELECT d.id, d.version, json_extract(d.body, '$.title'), CASE WHEN ?2 THEN"
            " d.body END, (SELECT coalesce(sum(n), 0) FROM sv_day v WHERE v.survey = d.id AND"
            " v.version = d.version) FROM doc d WHERE d.type = 'survey' AND d.deleted = 0"
            " AND d.body IS NOT NULL AND json_valid(d.body) AND json_extract(d.body,"
            " '$.mode') = 'survey' AND (?1 IS NULL OR d.id = ?1) ORDER BY d.id, d.version",
            -1, &s, NULL) != SQLITE_OK)
        return fail_db(st, msg, "preparing statement");
    if (survey)
        sqlite3_bind_text(s, 1, survey, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, bodies);
    kc_err rc = KC_OK;
    int r;
    while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(s, 0);
        const char *title = (const char *)sqlite3_column_text(s, 2);
        const char *body = (const char *)sqlite3_column_text(s, 3);
        if (!id || !title || (bodies && !body)) {
            rc = kc_fail(msg, KC_ENOMEM, "srvdb: out of memory");
            break;
        }
        rc = fn(ctx, id, sqlite3_column_int64(s, 1), title, body, sqlite3_column_int64(s, 4));
    }
    if (!rc && r != SQLITE_DONE)
        rc = fail_db(st, msg, "reading surveys");
    sqlite3_finalize(s);
    return rc;
}

static kc_err sv_days(void *impl, char *msg, const srvdb_sv_filter *f, srvdb_sv_day_fn fn,
                      void *ctx)
{
    store *st = srvdb_sqlite_store_(impl);
    sqlite3_stmt *s;
    kc_err rc = prep(st, msg, f,
                     f->versions ? "SELECT version, day, sum(n) FROM sv_day WHERE survey = ?1"
                                   " AND version IN (SELECT value FROM json_each(?2)) AND day >="
                                   " coalesce(?3, '') AND day <= coalesce(?4, 'x') AND (?5 IS NULL"
                                   " OR device IN (SELECT value FROM json_each(?5)))"
                                   " GROUP BY day, version ORDER BY day, version"
                                 : "SELECT version, day, sum(n) FROM sv_day WHERE" SV_FILTER
                     " GROUP BY day, version ORDER BY day, version",
                     &s);
    if (rc)
        return rc;
    int r;
    while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
        const char *day = (const char *)sqlite3_column_text(s, 1);
        rc = day ? fn(ctx, sqlite3_column_int64(s, 0), day, sqlite3_column_int64(s, 2))
                 : kc_fail(msg, KC_ENOMEM, "srvdb: out of memory");
    }
    if (!rc && r != SQLITE_DONE)
        rc = fail_db(st, msg, "reading responses per day");
    sqlite3_finalize(s);
    return rc;
}

/* A day as the filter gives it: "YYYY-MM-DD". */
static int is_day(const char *d)
{
    if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
            return 0;
    return 1;
}

/* Year and month of "YYYY-MM" moved by delta (-1 or 1) months, as "YYYY-MM". */
static void month_add(int y, int m, int delta, char out[8])
{
    m += delta;
    if (m < 1) {
        m = 12;
        y--;
    } else if (m > 12) {
        m = 1;
        y++;
    }
    /* (bounded for the compiler: the caller checked 1..12 and four digits) */
    snprintf(out, 8, "%04u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u);
}

static int month_days(int y, int m)
{
    static const int n[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : n[(m - 1) % 12];
}

/* A period of local days split into the whole months inside it (month1..month2, from
 * sv_cnt_month) and the days at its edges (from sv_cnt_all): days before before_lt and
 * after after_gt, within the period.  0 when a bound is not a plain day (then the
 * day table answers alone). */
typedef struct sv_split {
    char month1[8], month2[8];
    char before_lt[12], after_gt[12];
} sv_split;

static int split_period(const char *from, const char *to, sv_split *p)
{
    if ((from && !is_day(from)) || (to && !is_day(to)))
        return 0;
    /* no lower bound: every month up to the last whole one, no days before it */
    snprintf(p->month1, sizeof p->month1, "%s", "");
    snprintf(p->before_lt, sizeof p->before_lt, "%s", "");
    if (from) {
        int y = atoi(from), m = atoi(from + 5), d = atoi(from + 8);
        if (m < 1 || m > 12 || y < 1 || y > 9998)
            return 0;
        if (d == 1)
            snprintf(p->month1, sizeof p->month1, "%.7s", from);
        else
            month_add(y, m, 1, p->month1);
        snprintf(p->before_lt, sizeof p->before_lt, "%s-01", p->month1);
    }
    /* no upper bound: every month from the first whole one, no days after ("~" sorts
     * after every day) */
    snprintf(p->month2, sizeof p->month2, "%s", "~");
    snprintf(p->after_gt, sizeof p->after_gt, "%s", "~");
    if (to) {
        int y = atoi(to), m = atoi(to + 5), d = atoi(to + 8);
        if (m < 1 || m > 12 || y < 1 || y > 9998)
            return 0;
        if (d >= month_days(y, m))
            snprintf(p->month2, sizeof p->month2, "%.7s", to);
        else
            month_add(y, m, -1, p->month2);
        snprintf(p->after_gt, sizeof p->after_gt, "%s-99", p->month2);
    }
    if (strcmp(p->month1, p->month2) > 0) {
        /* no whole month: every day of the period from the day table, once */
        snprintf(p->month1, sizeof p->month1, "%s", "~");
        snprintf(p->month2, sizeof p->month2, "%s", "");
        snprintf(p->before_lt, sizeof p->before_lt, "%s", "~");
        snprintf(p->after_gt, sizeof p->after_gt, "%s", "~");
    }
    return 1;
}

#define SV_CNT_COLS " version, qid, key, n, first, rsum FROM "
#define SV_CNT_VERS " survey = ?1 AND version IN (SELECT value FROM json_each(?2)) AND "
#define SV_CNT_DAYS " day >= coalesce(?3, '') AND day <= coalesce(?4, 'x') AND "

/* Without a period the all-time table answers; with one for every kiosk, the month
 * table for its whole months and the day table for the days at its edges; for some
 * kiosks, their own days. */
static kc_err sv_counts(void *impl, char *msg, const srvdb_sv_filter *f, srvdb_sv_count_fn fn,
                        void *ctx)
{
    store *st = srvdb_sqlite_store_(impl);
    sqlite3_stmt *s;
    int period = f->from_day || f->to_day;
    sv_split sp;
    int months = period && f->versions && !f->devices && split_period(f->from_day, f->to_day, &sp);
    kc_err rc = prep(st, msg, f,
                     months
                         ? "SELECT version, qid, key, sum(n), sum(first), sum(rsum) FROM (SELECT"
                           SV_CNT_COLS "sv_cnt_month WHERE" SV_CNT_VERS "month >= ?6 AND month"
                           " <= ?7 UNION ALL SELECT" SV_CNT_COLS "sv_cnt_all WHERE" SV_CNT_VERS
                           SV_CNT_DAYS "day < ?8 UNION ALL SELECT" SV_CNT_COLS "sv_cnt_all WHERE"
                           SV_CNT_VERS SV_CNT_DAYS "day > ?9) WHERE ?5 IS NULL GROUP BY version,"
                           " qid, key"
                     : !f->versions
                         ? "SELECT version, qid, key, sum(n), sum(first), sum(rsum) FROM"
                           " sv_cnt WHERE" SV_FILTER " GROUP BY version, qid, key"
                     : period && f->devices
                         ? "SELECT version, qid, key, sum(n), sum(first), sum(rsum) FROM"
                           " sv_cnt WHERE" SV_FILTER_V " GROUP BY version, qid, key"
                     : period
                         ? "SELECT version, qid, key, sum(n), sum(first), sum(rsum) FROM"
                           " sv_cnt_all WHERE survey = ?1 AND version IN (SELECT value FROM"
                           " json_each(?2)) AND (?3 IS NULL OR day >= ?3) AND (?4 IS NULL OR"
                           " day <= ?4) AND ?5 IS NULL GROUP BY version, qid, key"
                         : "SELECT version, qid, key, sum(n), sum(first), sum(rsum) FROM"
                              " sv_tot WHERE ?3 IS NULL AND ?4 IS NULL AND survey = ?1 AND"
                              " (?2 IS NULL OR version IN (SELECT value FROM json_each(?2)))"
                              " AND (?5 IS NULL OR device IN (SELECT value FROM"
                              " json_each(?5))) GROUP BY version, qid, key",
                     &s);
    if (rc)
        return rc;
    if (months) {
        sqlite3_bind_text(s, 6, sp.month1, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 7, sp.month2, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 8, sp.before_lt, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 9, sp.after_gt, -1, SQLITE_TRANSIENT);
    }
    int r;
    while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
        const char *qid = (const char *)sqlite3_column_text(s, 1);
        const char *key = (const char *)sqlite3_column_text(s, 2);
        rc = qid && key ? fn(ctx, sqlite3_column_int64(s, 0), qid, key,
                             sqlite3_column_int64(s, 3), sqlite3_column_int64(s, 4),
                             sqlite3_column_int64(s, 5))
                        : kc_fail(msg, KC_ENOMEM, "srvdb: out of memory");
    }
    if (!rc && r != SQLITE_DONE)
        rc = fail_db(st, msg, "reading answer counts");
    sqlite3_finalize(s);
    return rc;
}

static kc_err sv_texts(void *impl, char *msg, const srvdb_sv_filter *f, const char *qid,
                       long long before_hour, const char *before_uuid, int before_entry,
                       long limit, srvdb_sv_text_fn fn, void *ctx)
{
    store *st = srvdb_sqlite_store_(impl);
    sqlite3_stmt *s;
    kc_err rc = prep(st, msg, f,
                     "SELECT uuid, hour, version, device, entry, CASE WHEN hidden_by IS NULL"
                     " THEN text END, hidden_by, hidden_at FROM sv_text WHERE qid = ?6 AND"
                     SV_FILTER " AND (?7 = 0 OR hour < ?7 OR (hour = ?7 AND (uuid < ?8 OR"
                     " (uuid = ?8 AND entry < ?9)))) ORDER BY hour DESC, uuid DESC, entry DESC"
                     " LIMIT ?10",
                     &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 6, qid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 7, before_hour);
    sqlite3_bind_text(s, 8, before_uuid ? before_uuid : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 9, before_entry);
    sqlite3_bind_int64(s, 10, limit);
    int r;
    while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
        srvdb_sv_text t = {
            .uuid = (const char *)sqlite3_column_text(s, 0),
            .hour = sqlite3_column_int64(s, 1),
            .version = sqlite3_column_int64(s, 2),
            .device = sqlite3_column_int64(s, 3),
            .entry = sqlite3_column_int(s, 4),
            .text = (const char *)sqlite3_column_text(s, 5),
            .hidden_by = (const char *)sqlite3_column_text(s, 6),
            .hidden_at = sqlite3_column_int64(s, 7),
        };
        if (!t.uuid || (!t.text && !t.hidden_by)) {
            rc = kc_fail(msg, KC_ENOMEM, "srvdb: out of memory");
            break;
        }
        rc = fn(ctx, &t);
    }
    if (!rc && r != SQLITE_DONE)
        rc = fail_db(st, msg, "reading text answers");
    sqlite3_finalize(s);
    return rc;
}

static kc_err sv_text_device(void *impl, char *msg, const char *survey, const char *uuid,
                             const char *qid, long long *device)
{
    store *st = srvdb_sqlite_store_(impl);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st),
                           "SELECT device FROM sv_text WHERE uuid = ?1 AND qid = ?2 AND"
                           " survey = ?3 LIMIT 1",
                           -1, &s, NULL) != SQLITE_OK)
        return fail_db(st, msg, "preparing statement");
    sqlite3_bind_text(s, 1, uuid, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, qid, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, survey, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    kc_err rc = r == SQLITE_ROW    ? KC_OK
                : r == SQLITE_DONE ? kc_fail(msg, KC_ENOTFOUND, "no such text answer")
                                   : fail_db(st, msg, "reading a text answer");
    if (r == SQLITE_ROW)
        *device = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return rc;
}

static kc_err sv_text_hide(void *impl, char *msg, const char *survey, const char *uuid,
                           const char *qid, const char *by, long long now, int *changed)
{
    store *st = srvdb_sqlite_store_(impl);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st),
                           "UPDATE sv_text SET hidden_by = ?1, hidden_at = ?2 WHERE uuid = ?3"
                           " AND qid = ?4 AND survey = ?5 AND hidden_by IS NULL",
                           -1, &s, NULL) != SQLITE_OK)
        return fail_db(st, msg, "preparing statement");
    sqlite3_bind_text(s, 1, by, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, now);
    sqlite3_bind_text(s, 3, uuid, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, qid, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, survey, -1, SQLITE_STATIC);
    kc_err rc = sqlite3_step(s) == SQLITE_DONE ? KC_OK : fail_db(st, msg, "hiding a text");
    sqlite3_finalize(s);
    if (!rc)
        *changed = sqlite3_changes(store_db(st)) > 0;
    return rc;
}

/* --- rows for exports ---------------------------------------------------------------- */

typedef struct sv_cursor {
    store *st;
    sqlite3_stmt *s;
} sv_cursor;

/* An export's rows: the answers, and the ids of the questions whose text was hidden. */
#define SV_EXPORT                                                                       \
    "SELECT x.uuid, x.version, x.hour, x.device, x.answers, (SELECT json_group_array(qid)" \
    " FROM sv_text h WHERE h.uuid = x.uuid AND h.hidden_by IS NOT NULL AND h.entry = 0)"   \
    " FROM sv_resp x WHERE" SV_FILTER

static kc_err sv_rows_open(void *impl, char *msg, const srvdb_sv_filter *f, void **cur)
{
    store *st = srvdb_sqlite_store_(impl);
    sv_cursor *c = kc_calloc(1, sizeof *c);
    *cur = NULL;
    if (!c)
        return kc_fail(msg, KC_ENOMEM, "srvdb: out of memory");
    c->st = st;
    kc_err rc = prep(st, msg, f, SV_EXPORT, &c->s);
    if (rc) {
        kc_free(c);
        return rc;
    }
    *cur = c;
    return KC_OK;
}

static kc_err sv_rows_next(void *cur, char *msg, srvdb_sv_row *row, int *more)
{
    sv_cursor *c = cur;
    int r = sqlite3_step(c->s);
    *more = 0;
    if (r == SQLITE_DONE)
        return KC_OK;
    if (r != SQLITE_ROW)
        return fail_db(c->st, msg, "reading responses");
    memset(row, 0, sizeof *row);
    row->uuid = (const char *)sqlite3_column_text(c->s, 0);
    row->version = sqlite3_column_int64(c->s, 1);
    row->hour = sqlite3_column_int64(c->s, 2);
    row->device = sqlite3_column_int64(c->s, 3);
    row->answers = (const char *)sqlite3_column_text(c->s, 4);
    row->hidden = (const char *)sqlite3_column_text(c->s, 5);
    if (!row->uuid || !row->answers || !row->hidden)
        return kc_fail(msg, KC_ENOMEM, "srvdb: out of memory");
    *more = 1;
    return KC_OK;
}

static void sv_rows_close(void *cur)
{
    sv_cursor *c = cur;
    if (!c)
        return;
    sqlite3_finalize(c->s);
    kc_free(c);
}

const srvdb_survey_backend srvdb_sqlite_survey_results = {
    sv_versions, sv_days,      sv_counts,    sv_texts,      sv_text_device,
    sv_text_hide, sv_rows_open, sv_rows_next, sv_rows_close,
};
