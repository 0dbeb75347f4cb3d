/* srvdb_pg_results_schema.c - the PostgreSQL tables, views, functions and trigger of
 * the results ("server-results" migrations), read by srvdb_pg_results.c and
 * srvdb_pg_survey.c.
 *
 * The rows are those SQLite counts (srvdb_results_sqlite.c,
 * srvdb_results_survey_sqlite.c): fb_row holds the feedback with a valid payload, an
 * integer score 1-5 and a stored hour read by kc_hour exactly as SQLite's strftime
 * reads it (the kiosk's local hour taken as UTC), one row per response.  A trigger on
 * the response table files each response (its row, its answers, the sums) as it is
 * stored, so every way a response is stored counts without the writers knowing, and
 * no request parses a payload. */
#include "srvdb_pg_impl.h"

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
