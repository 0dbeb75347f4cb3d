/* srvdb_pg_results.c - the PostgreSQL backend's side of srvdb_results.h: feedback
 * counts, cards, comments, merged taps, workshops and the rows for exports.
 *
 * The answers are those of srvdb_results_sqlite.c for the same responses: the view
 * table fb_row holds the feedback SQLite counts (a valid payload with an integer score
 * 1-5 and a stored hour read by kc_hour exactly as SQLite's strftime reads it, the
 * kiosk's local hour taken as UTC), one row per response, and every query sums it.  A
 * trigger on the response table fills it (and the survey rows) as each response is
 * stored, so every way a response is stored counts without the writers knowing, and
 * no request parses a payload.  Hiding a comment is a row of fb_hidden.  Exports
 * read through a server-side cursor, a page at a time, so the server's memory stays
 * flat whatever the number of responses. */
#include "srvdb_pg_impl.h"
#include "srvdb_results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An integer in JSON text (SQLite's json_type 'integer'); numbers with a fraction or
 * an exponent are 'real' there. */
#define JINT "'^-?[0-9]{1,18}$'"

/* The feedback the results count, of rows SRC (uuid, device, j: the payload as JSON). */
#define FB_SELECT(SRC)                                                                  \
    "SELECT uuid, device, hour, score, context, card, comment, merged"                   \
    " FROM (SELECT r.uuid, r.device, kc_hour(j->>'hour') AS hour,"                       \
    " CASE WHEN json_typeof(j->'score') = 'number' AND j->>'score' IN ('1', '2', '3', '4',"  \
    " '5') THEN (j->>'score')::int END AS score,"                                         \
    " coalesce(CASE json_typeof(j->'context') WHEN 'string' THEN j->>'context' END, 'home')" \
    " AS context,"                                                                       \
    " CASE WHEN json_typeof(j->'context') = 'string' AND j->>'context' <> 'home' AND"      \
    " length(j->>'context') BETWEEN 1 AND 64 THEN j->>'context' END AS card,"              \
    " CASE WHEN json_typeof(j->'comment') = 'string' THEN j->>'comment' END AS comment,"   \
    " CASE WHEN json_typeof(j->'merged') = 'number' AND j->>'merged' ~ '^[0-9]{1,7}$' AND"  \
    " (j->>'merged')::int BETWEEN 1 AND 1000000 THEN (j->>'merged')::int END AS merged"   \
    " FROM " SRC " r WHERE json_typeof(j->'hour') = 'string') x"                           \
    " WHERE score IS NOT NULL AND hour IS NOT NULL"
#define FB_STORED                                                                       \
    "(SELECT uuid, device, kc_json(payload) AS j FROM response WHERE kind = 'feedback')"
/* The survey responses the results count, of rows SRC (uuid, device, j). */
#define SV_SELECT(SRC)                                                                  \
    "SELECT uuid, device, survey, version, hour, answers FROM"                            \
    " (SELECT r.uuid, r.device, j->>'survey' AS survey, CASE WHEN j->>'version' ~ " JINT   \
    " THEN (j->>'version')::bigint END AS version, kc_hour(j->>'hour') AS hour,"           \
    " j->'answers' AS answers FROM " SRC " r WHERE json_typeof(j->'survey') = 'string' AND" \
    " json_typeof(j->'version') = 'number' AND json_typeof(j->'answers') = 'object' AND"   \
    " json_typeof(j->'hour') = 'string') x WHERE version IS NOT NULL AND hour IS NOT NULL"
#define SV_STORED                                                                       \
    "(SELECT uuid, device, kc_json(payload) AS j FROM response"                          \
    " WHERE kind = 'survey-response')"
/* A survey row's answers S (rows of sv_row): the strings and numbers, one row each,
 * and the strings in list answers with their place (from 1). */
#define SV_ANS_OF(S)                                                                    \
    "SELECT s.uuid, s.survey, s.version, s.hour, s.device, a.key, json_typeof(a.value),"  \
    " a.value #>> '{}' FROM " S " s, json_each(s.answers) a WHERE json_typeof(a.value) IN" \
    " ('string', 'number')"
#define SV_ELEM_OF(S)                                                                   \
    "SELECT s.uuid, s.survey, s.version, s.hour, s.device, a.key, e.n, e.v #>> '{}' FROM " \
    S " s, json_each(s.answers) a, json_array_elements(CASE json_typeof(a.value) WHEN"    \
    " 'array' THEN a.value END) WITH ORDINALITY e(v, n) WHERE json_typeof(e.v) = 'string'"
/* The sums kept of feedback: per face and the merged taps. */
#define FB_SUMS                                                                         \
    " n1 bigint NOT NULL, n2 bigint NOT NULL, n3 bigint NOT NULL, n4 bigint NOT NULL,"    \
    " n5 bigint NOT NULL, merged bigint NOT NULL"
/* one fb_row's contribution, the sum of many, the sum added to table T's row */
#define FB_ONE                                                                          \
    "(score = 1)::int, (score = 2)::int, (score = 3)::int, (score = 4)::int,"             \
    " (score = 5)::int, coalesce(merged, 0)"
#define FB_SUM                                                                          \
    "count(*) FILTER (WHERE score = 1), count(*) FILTER (WHERE score = 2), count(*)"      \
    " FILTER (WHERE score = 3), count(*) FILTER (WHERE score = 4), count(*) FILTER (WHERE"  \
    " score = 5), coalesce(sum(merged), 0)"
#define FB_ADD(T)                                                                       \
    "n1 = " T ".n1 + excluded.n1, n2 = " T ".n2 + excluded.n2, n3 = " T ".n3 + excluded.n3," \
    " n4 = " T ".n4 + excluded.n4, n5 = " T ".n5 + excluded.n5, merged = " T ".merged +"   \
    " excluded.merged"
#define COUNT_LOCK "1668248942"
/* The answers of rows A (sv_ans) and E (sv_elem) by kind: 's' a string, 'i' an integer
 * (a scale's step or a number), 'r' another number, 'e' a string in a list (multi, top:
 * first place and place).  A query keeps the kinds its question's type counts
 * (srvdb_pg_survey.c, ps_counts). */
#define SV_SRC(A, E)                                                                    \
    "SELECT survey, version, hour, device, qid, CASE WHEN jtype = 'string' THEN 's' WHEN"   \
    " val ~ " JINT " THEN 'i' ELSE 'r' END AS src, val, 0 AS first, 0 AS place FROM " A    \
    " UNION ALL SELECT survey, version, hour, device, qid, 'e', val, (n = 1)::int, n FROM " E
#define SV_SUMS " n bigint NOT NULL, first bigint NOT NULL, place bigint NOT NULL"
/* The UTC day of hour H, also before 1970. */
#define UTC_DAY(H) "(" H " - ((" H " % 86400) + 86400) % 86400)"
#define SV_SUM_DAY(X)                                                                   \
    "SELECT survey, version, " UTC_DAY("hour") ", device, qid, src, val, count(*),"        \
    " sum(first), sum(place) FROM " X " GROUP BY 1, 2, 3, 4, 5, 6, 7"
#define SV_SUM_ALL(X)                                                                   \
    "SELECT survey, version, " UTC_DAY("hour") ", qid, src, val, count(*), sum(first),"    \
    " sum(place) FROM " X " GROUP BY 1, 2, 3, 4, 5, 6"
#define SV_SUM_TOT(X)                                                                   \
    "SELECT survey, version, qid, src, val, count(*), sum(first), sum(place) FROM " X      \
    " GROUP BY 1, 2, 3, 4, 5"
#define SV_ADD(T)                                                                       \
    "n = " T ".n + excluded.n, first = " T ".first + excluded.first, place = " T ".place +" \
    " excluded.place"
/* One response's row, as the trigger sees it. */
#define ONE_NEW "(SELECT NEW.uuid AS uuid, NEW.device AS device, kc_json(NEW.payload) AS j)"

/* The trigger's filing of a feedback (since the fourth version): its row and sums. */
#define FB_FILE                                                                         \
    " IF NEW.kind = 'feedback' THEN PERFORM pg_advisory_xact_lock(" COUNT_LOCK ");"        \
    " WITH f AS (INSERT INTO fb_row " FB_SELECT(ONE_NEW) " RETURNING *),"                 \
    " h AS (INSERT INTO fb_hour SELECT hour, device, " FB_ONE " FROM f ON CONFLICT(hour,"  \
    " device) DO UPDATE SET " FB_ADD("fb_hour") "),"                                       \
    " a AS (INSERT INTO fb_hour_all SELECT hour, " FB_ONE " FROM f ON CONFLICT(hour) DO"   \
    " UPDATE SET " FB_ADD("fb_hour_all") "),"                                              \
    " c AS (INSERT INTO fb_card_total SELECT card, " FB_ONE " FROM f WHERE card IS NOT"    \
    " NULL ON CONFLICT(card) DO UPDATE SET " FB_ADD("fb_card_total") ")"                   \
    " INSERT INTO fb_day SELECT hour / 86400 * 86400, device, " FB_ONE " FROM f"           \
    " ON CONFLICT(day, device) DO UPDATE SET " FB_ADD("fb_day") ";"

static const char *const results_sql[] = {
    "CREATE VIEW fb_row AS " FB_SELECT(FB_STORED) ";"
    "CREATE TABLE fb_hidden(uuid text PRIMARY KEY, hidden_by text NOT NULL,"
    " hidden_at bigint NOT NULL);"
    /* Surveys (srvdb_pg_survey.c): the responses SQLite counts, the question types of
     * every stored survey version (the last of a repeated id, as SQLite's INSERT OR
     * REPLACE keeps it), the counted answers and the free-text answers. */
    "CREATE VIEW sv_row AS " SV_SELECT(SV_STORED) ";"
    "CREATE VIEW sv_qtype AS SELECT DISTINCT ON (d.id, d.version, q.v->>'id') d.id AS"
    " survey, d.version, q.v->>'id' AS qid, q.v->>'type' AS type FROM doc d,"
    " kc_json(d.body) b, json_array_elements(CASE json_typeof(b->'questions') WHEN 'array'"
    " THEN b->'questions' END) WITH ORDINALITY q(v, n) WHERE d.type = 'survey' AND"
    " b->>'mode' = 'survey' AND json_typeof(q.v->'id') = 'string'"
    " ORDER BY d.id, d.version, q.v->>'id', q.n DESC;"
    "CREATE VIEW sv_cnt_row AS"
    " SELECT s.survey, s.version, s.hour, s.device, a.key AS qid, a.value #>> '{}' AS key,"
    " 0 AS first, 0 AS place FROM sv_row s, json_each(s.answers) a, sv_qtype t WHERE"
    " t.survey = s.survey AND t.version = s.version AND t.qid = a.key AND"
    " ((t.type = 'single' AND json_typeof(a.value) = 'string') OR (t.type = 'scale' AND"
    " json_typeof(a.value) = 'number' AND a.value::text ~ " JINT ") OR (t.type = 'number'"
    " AND json_typeof(a.value) = 'number'))"
    " UNION ALL SELECT s.survey, s.version, s.hour, s.device, a.key, e.v #>> '{}',"
    " (e.n = 1)::int, e.n::int FROM sv_row s, json_each(s.answers) a, sv_qtype t,"
    " json_array_elements(CASE json_typeof(a.value) WHEN 'array' THEN a.value END)"
    " WITH ORDINALITY e(v, n) WHERE t.survey = s.survey AND t.version = s.version AND"
    " t.qid = a.key AND t.type IN ('multi', 'top') AND json_typeof(e.v) = 'string';"
    "CREATE VIEW sv_text_row AS"
    " SELECT s.survey, a.key AS qid, s.hour, s.uuid, 0 AS entry, s.version, s.device,"
    " a.value #>> '{}' AS text FROM sv_row s, json_each(s.answers) a, sv_qtype t WHERE"
    " t.survey = s.survey AND t.version = s.version AND t.qid = a.key AND t.type = 'text'"
    " AND json_typeof(a.value) = 'string'"
    " UNION ALL SELECT s.survey, a.key, s.hour, s.uuid, (e.n - 1)::int, s.version, s.device,"
    " e.v #>> '{}' FROM sv_row s, json_each(s.answers) a, sv_qtype t,"
    " json_array_elements(CASE json_typeof(a.value) WHEN 'array' THEN a.value END)"
    " WITH ORDINALITY e(v, n) WHERE t.survey = s.survey AND t.version = s.version AND"
    " t.qid = a.key AND t.type = 'text' AND json_typeof(e.v) = 'string';"
    "CREATE TABLE sv_hidden(survey text NOT NULL, uuid text NOT NULL, qid text NOT NULL,"
    " hidden_by text NOT NULL, hidden_at bigint NOT NULL, PRIMARY KEY(uuid, qid, survey));",
    /* A workshop's rows by its id (srvdb_ws_rows, srvdb_ws_stamp), as on SQLite. */
    "CREATE INDEX ws_rows ON response((kc_json(payload)->>'workshop'), kind) WHERE kind IN"
    " ('workshop', 'workshop-answer', 'workshop-group');",
    /* The views above read every payload again at every request: a page over a few
     * hundred thousand responses took tens of seconds.  From here the rows are tables,
     * filled from each response as it is stored (a trigger, in the same transaction,
     * whoever stores it) and from what was stored before; a survey's answers are kept
     * one row per answer (sv_ans: text and numbers) and per string in a list answer
     * (sv_elem, with its place), so a count reads columns instead of parsing JSON.
     * The answers are sorted by question type when asked, as before, so a survey
     * version stored after its responses still counts them.  kc_hour is the same
     * function without its exception block (a subtransaction per call): year 0, which
     * SQLite reads and make_date refuses, is counted from year 400, as 400 Gregorian
     * years are exactly 146097 days. */
    "CREATE OR REPLACE FUNCTION kc_hour(h text) RETURNS bigint LANGUAGE plpgsql IMMUTABLE"
    " STRICT AS $$ DECLARE y int; m int; d int; hh int; BEGIN"
    " IF length(h) NOT BETWEEN 13 AND 14 OR substr(h, 11, 1) <> 'T' OR substr(h, 1, 10) !~"
    " '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' OR substr(h, 12, 2) !~ '^[0-9]{2}$' THEN RETURN NULL;"
    " END IF;"
    " y := substr(h, 1, 4)::int; m := substr(h, 6, 2)::int; d := substr(h, 9, 2)::int;"
    " hh := substr(h, 12, 2)::int;"
    " IF m < 1 OR m > 12 OR d < 1 OR d > 31 OR hh > 24 THEN RETURN NULL; END IF;"
    " RETURN extract(epoch FROM make_date(y + 400, m, 1))::bigint - 146097 * 86400::bigint"
    " + (d - 1) * 86400 + hh * 3600; END $$;"
    "DROP VIEW sv_text_row; DROP VIEW sv_cnt_row; DROP VIEW sv_row; DROP VIEW fb_row;"
    "CREATE TABLE fb_row(uuid text PRIMARY KEY, device bigint NOT NULL, hour bigint NOT NULL,"
    " score int NOT NULL, context text NOT NULL, card text, comment text, merged int);"
    "CREATE INDEX fb_row_hour ON fb_row(hour);"
    "CREATE INDEX fb_row_device ON fb_row(device, hour);"
    "CREATE INDEX fb_row_comment ON fb_row(hour, uuid COLLATE \"C\") WHERE comment IS NOT"
    " NULL;"
    "CREATE TABLE sv_row(uuid text PRIMARY KEY, device bigint NOT NULL, survey text NOT NULL,"
    " version bigint NOT NULL, hour bigint NOT NULL, answers json NOT NULL);"
    "CREATE INDEX sv_row_survey ON sv_row(survey, hour);"
    "CREATE TABLE sv_ans(uuid text NOT NULL, survey text NOT NULL, version bigint NOT NULL,"
    " hour bigint NOT NULL, device bigint NOT NULL, qid text NOT NULL, jtype text NOT NULL,"
    " val text NOT NULL);"
    "CREATE INDEX sv_ans_q ON sv_ans(survey, qid, hour);"
    "CREATE INDEX sv_ans_uuid ON sv_ans(uuid);"
    "CREATE TABLE sv_elem(uuid text NOT NULL, survey text NOT NULL, version bigint NOT NULL,"
    " hour bigint NOT NULL, device bigint NOT NULL, qid text NOT NULL, n int NOT NULL,"
    " val text NOT NULL);"
    "CREATE INDEX sv_elem_q ON sv_elem(survey, qid, hour);"
    "CREATE INDEX sv_elem_uuid ON sv_elem(uuid);"
    "CREATE VIEW sv_cnt_row AS"
    " SELECT a.survey, a.version, a.hour, a.device, a.qid, a.val AS key, 0 AS first,"
    " 0 AS place FROM sv_ans a, sv_qtype t WHERE t.survey = a.survey AND t.version ="
    " a.version AND t.qid = a.qid AND ((t.type = 'single' AND a.jtype = 'string') OR"
    " (t.type = 'scale' AND a.jtype = 'number' AND a.val ~ " JINT ") OR (t.type = 'number'"
    " AND a.jtype = 'number'))"
    " UNION ALL SELECT e.survey, e.version, e.hour, e.device, e.qid, e.val, (e.n = 1)::int,"
    " e.n FROM sv_elem e, sv_qtype t WHERE t.survey = e.survey AND t.version = e.version"
    " AND t.qid = e.qid AND t.type IN ('multi', 'top');"
    "CREATE VIEW sv_text_row AS"
    " SELECT a.survey, a.qid, a.hour, a.uuid, 0 AS entry, a.version, a.device, a.val AS text"
    " FROM sv_ans a, sv_qtype t WHERE t.survey = a.survey AND t.version = a.version AND"
    " t.qid = a.qid AND t.type = 'text' AND a.jtype = 'string'"
    " UNION ALL SELECT e.survey, e.qid, e.hour, e.uuid, e.n - 1, e.version, e.device, e.val"
    " FROM sv_elem e, sv_qtype t WHERE t.survey = e.survey AND t.version = e.version AND"
    " t.qid = e.qid AND t.type = 'text';"
    "CREATE FUNCTION kc_result_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " IF NEW.kind = 'feedback' THEN INSERT INTO fb_row " FB_SELECT(ONE_NEW) ";"
    " ELSIF NEW.kind = 'survey-response' THEN"
    " WITH s AS (INSERT INTO sv_row " SV_SELECT(ONE_NEW) " RETURNING *),"
    " a AS (INSERT INTO sv_ans " SV_ANS_OF("s") ") INSERT INTO sv_elem " SV_ELEM_OF("s") ";"
    " END IF; RETURN NULL; END $$;"
    "CREATE TRIGGER kc_result_row AFTER INSERT ON response FOR EACH ROW EXECUTE FUNCTION"
    " kc_result_row();"
    /* What was stored before this version. */
    "INSERT INTO fb_row " FB_SELECT(FB_STORED) ";"
    "INSERT INTO sv_row " SV_SELECT(SV_STORED) ";"
    "INSERT INTO sv_ans " SV_ANS_OF("sv_row") ";"
    "INSERT INTO sv_elem " SV_ELEM_OF("sv_row") ";",
    /* Sums of the feedback, so a page reads a few thousand rows instead of every
     * feedback: per kiosk and stored hour (one kiosk's hours, the edges of a period),
     * every kiosk by hour (the heat map and trend), per kiosk by UTC day (the kiosks'
     * table: whole days, the edges from fb_hour) and per card over all time.  Rows of
     * every kiosk are shared by concurrent pushes, so the trigger takes a lock for the
     * rest of the storing transaction first: two pushes adding to the same hours in
     * different orders would otherwise deadlock; storing was one writer at a time on
     * SQLite too (COUNT_LOCK: any constant, "coun" in ASCII). */
    "CREATE TABLE fb_hour(hour bigint NOT NULL, device bigint NOT NULL," FB_SUMS
    ", PRIMARY KEY(hour, device));"
    "CREATE INDEX fb_hour_device ON fb_hour(device, hour);"
    "CREATE TABLE fb_hour_all(hour bigint PRIMARY KEY," FB_SUMS ");"
    "CREATE TABLE fb_day(day bigint NOT NULL, device bigint NOT NULL," FB_SUMS
    ", PRIMARY KEY(day, device));"
    "CREATE TABLE fb_card_total(card text PRIMARY KEY," FB_SUMS ");"
    "CREATE INDEX fb_row_card ON fb_row(hour) WHERE card IS NOT NULL;"
    "CREATE OR REPLACE FUNCTION kc_result_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    FB_FILE
    " ELSIF NEW.kind = 'survey-response' THEN"
    " WITH s AS (INSERT INTO sv_row " SV_SELECT(ONE_NEW) " RETURNING *),"
    " a AS (INSERT INTO sv_ans " SV_ANS_OF("s") ") INSERT INTO sv_elem " SV_ELEM_OF("s") ";"
    " END IF; RETURN NULL; END $$;"
    /* What was stored before this version. */
    "INSERT INTO fb_hour SELECT hour, device, " FB_SUM " FROM fb_row GROUP BY hour, device;"
    "INSERT INTO fb_hour_all SELECT hour, " FB_SUM " FROM fb_row GROUP BY hour;"
    "INSERT INTO fb_day SELECT hour / 86400 * 86400 d, device, " FB_SUM " FROM fb_row"
    " GROUP BY d, device;"
    "INSERT INTO fb_card_total SELECT card, " FB_SUM " FROM fb_row WHERE card IS NOT NULL"
    " GROUP BY card;",
    /* Sums of the survey answers, as the feedback's: every kiosk over all time, every
     * kiosk by UTC day (a period's whole days; its edges from the answer rows), per
     * kiosk by UTC day, and responses by hour (the responses per day, the list's
     * counts).  An answer is summed by its kind (SV_SRC) and sorted by question type
     * when asked, as the rows were.  Storing a survey response takes the feedback's
     * lock, for the same reason. */
    "CREATE TABLE sv_sum_all(survey text NOT NULL, version bigint NOT NULL, day bigint NOT"
    " NULL, qid text NOT NULL, src text NOT NULL, val text NOT NULL," SV_SUMS ", PRIMARY"
    " KEY(survey, version, day, qid, src, val));"
    "CREATE TABLE sv_sum_tot(survey text NOT NULL, version bigint NOT NULL, qid text NOT"
    " NULL, src text NOT NULL, val text NOT NULL," SV_SUMS ", PRIMARY KEY(survey, version,"
    " qid, src, val));"
    "CREATE TABLE sv_sum_day(survey text NOT NULL, version bigint NOT NULL, day bigint NOT"
    " NULL, device bigint NOT NULL, qid text NOT NULL, src text NOT NULL, val text NOT NULL,"
    SV_SUMS ", PRIMARY KEY(survey, version, day, device, qid, src, val));"
    "CREATE INDEX sv_sum_day_device ON sv_sum_day(survey, device, day);"
    "CREATE TABLE sv_hour_all(survey text NOT NULL, version bigint NOT NULL, hour bigint NOT"
    " NULL, n bigint NOT NULL, PRIMARY KEY(survey, version, hour));"
    "CREATE INDEX sv_row_device ON sv_row(survey, device, hour);"
    "CREATE INDEX sv_ans_hour ON sv_ans(survey, hour);"
    "CREATE INDEX sv_elem_hour ON sv_elem(survey, hour);"
    /* a question's texts newest first, a page at a time */
    "DROP INDEX sv_ans_q; DROP INDEX sv_elem_q;"
    "CREATE INDEX sv_ans_q ON sv_ans(survey, qid, hour, uuid COLLATE \"C\");"
    "CREATE INDEX sv_elem_q ON sv_elem(survey, qid, hour, uuid COLLATE \"C\", n);"
    "CREATE VIEW sv_src_row AS " SV_SRC("sv_ans", "sv_elem") ";"
    "CREATE OR REPLACE FUNCTION kc_result_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    FB_FILE
    " ELSIF NEW.kind = 'survey-response' THEN PERFORM pg_advisory_xact_lock(" COUNT_LOCK ");"
    " WITH s AS (INSERT INTO sv_row " SV_SELECT(ONE_NEW) " RETURNING *),"
    " a AS (INSERT INTO sv_ans " SV_ANS_OF("s") " RETURNING *),"
    " e AS (INSERT INTO sv_elem " SV_ELEM_OF("s") " RETURNING *),"
    " x AS (" SV_SRC("a", "e") "),"
    " d AS (INSERT INTO sv_sum_day " SV_SUM_DAY("x") " ON CONFLICT(survey, version, day,"
    " device, qid, src, val) DO UPDATE SET " SV_ADD("sv_sum_day") "),"
    " l AS (INSERT INTO sv_sum_all " SV_SUM_ALL("x") " ON CONFLICT(survey, version, day,"
    " qid, src, val) DO UPDATE SET " SV_ADD("sv_sum_all") "),"
    " t AS (INSERT INTO sv_sum_tot " SV_SUM_TOT("x") " ON CONFLICT(survey, version, qid,"
    " src, val) DO UPDATE SET " SV_ADD("sv_sum_tot") ")"
    " INSERT INTO sv_hour_all SELECT survey, version, hour, 1 FROM s ON CONFLICT(survey,"
    " version, hour) DO UPDATE SET n = sv_hour_all.n + 1;"
    " END IF; RETURN NULL; END $$;"
    /* What was stored before this version. */
    "INSERT INTO sv_sum_day " SV_SUM_DAY("sv_src_row") ";"
    "INSERT INTO sv_sum_all " SV_SUM_ALL("sv_src_row") ";"
    "INSERT INTO sv_sum_tot " SV_SUM_TOT("sv_src_row") ";"
    "INSERT INTO sv_hour_all SELECT survey, version, hour, count(*) FROM sv_row"
    " GROUP BY survey, version, hour;",
};
const pg_module pg_results_module = { "server-results", results_sql,
                                      (int)(sizeof results_sql / sizeof results_sql[0]) };

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
