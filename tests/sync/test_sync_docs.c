/* Surveys and ballots down (GET /v1/docs) with the real kiosk-server on loopback:
 * a survey imported on the server reaches the kiosk and its response reaches the
 * server; bad imports are refused whole; ballots and their code hashes come down;
 * ballots wait on the kiosk until ballot_release_allows() lets them go. */
#include "ballot.h"
#include "store_sql.h"
#include "doctest.h"
#include "outbox.h"
#include "store.h"
#include "survey.h"
#include "testutil.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SURVEY_V1                                                                          \
    "{\"format\":\"kiosk-survey\",\"id\":\"t-survey\",\"title\":{\"fi\":\"Testikysely\"},"   \
    "\"questions\":[{\"id\":\"q1\",\"type\":\"single\",\"text\":{\"fi\":\"Kumpi?\"},"      \
    "\"required\":true,\"options\":[{\"id\":\"a\",\"text\":{\"fi\":\"A\"}},"                 \
    "{\"id\":\"b\",\"text\":{\"fi\":\"B\"}}]},"                                              \
    "{\"id\":\"q2\",\"type\":\"scale\",\"text\":{\"fi\":\"Kuinka tyytyväinen?\"}}]}"

static int import(const char *db, const char *cmd, const char *file, char *err)
{
    char out[4096];
    const char *args[] = { cmd, file, NULL };
    return dt_admin(db, out, err, 4096, args);
}

static void answer_survey(const char *kdb, const char *id, char uuid[OUTBOX_UUID_LEN + 1])
{
    store *st = NULL;
    survey_session *ss = NULL;
    char msg[KC_MSGMAX];
    assert_int_equal(store_open(kdb, &st), KC_OK);
    assert_int_equal(survey_init(st), KC_OK);
    if (survey_session_start(st, id, &ss, msg))
        fail_msg("%s", msg);
    assert_int_equal(survey_session_choose(ss, 1), KC_OK);
    assert_int_equal(survey_session_next(ss), KC_OK);
    assert_int_equal(survey_session_set_number(ss, 4), KC_OK);
    assert_int_equal(survey_session_next(ss), KC_OK);
    assert_true(survey_session_current(ss) == SURVEY_END);
    if (survey_session_submit(ss, st, time(NULL), uuid))
        fail_msg("%s", survey_session_errmsg(ss));
    survey_session_free(ss);
    store_close(st);
}

static int kiosk_survey_version(const char *kdb, const char *id)
{
    store *st = NULL;
    survey *sv = NULL;
    char msg[KC_MSGMAX];
    assert_int_equal(store_open(kdb, &st), KC_OK);
    assert_int_equal(survey_init(st), KC_OK);
    kc_err rc = survey_store_get(st, id, 0, &sv, msg);
    int v = rc ? 0 : survey_version(sv);
    survey_free(sv);
    store_close(st);
    return v;
}

static void test_surveys_down_responses_up(void **state)
{
    (void)state;
    char sdb[600], kdb[600], f1[600], f2[600], err[4096], tok[65];
    snprintf(sdb, sizeof sdb, "%s", st_server_db("sv-server.db"));
    snprintf(kdb, sizeof kdb, "%s", tu_tmp("sv-kiosk.db"));
    snprintf(f1, sizeof f1, "%s", tu_tmp("survey1.json"));
    snprintf(f2, sizeof f2, "%s", tu_tmp("survey2.json"));
    st_write_file(f1, SURVEY_V1);
    assert_int_equal(import(sdb, "import-survey", f1, err), 0);
    st_device_add(sdb, "kiosk-library-1", tok);
    st_server s;
    st_server_start(&s, sdb, NULL);
    syncc *c = dt_client(kdb, &s, tok);
    dt_sync(c);
    syncc_status a, b;
    syncc_status_get(c, &a);
    assert_int_equal(kiosk_survey_version(kdb, "t-survey"), 1);
    assert_int_equal(a.docs_pulled, 1);
    assert_int_equal(a.docs_changes, 1);

    /* A resident answers the survey that came down; the response goes up. */
    char uuid[OUTBOX_UUID_LEN + 1], sql[512];
    answer_survey(kdb, "t-survey", uuid);
    dt_sync(c);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM response WHERE uuid = '%s' AND kind = "
             "'survey-response' AND payload LIKE '%%\"survey\":\"t-survey\",\"version\":1%%' "
             "AND payload LIKE '%%\"q1\":\"b\"%%'", uuid);
    assert_int_equal(dt_long(sdb, sql), 1);

    /* Nothing changed: one change check for every feed (catalog and the four
     * document types), answered 204. */
    syncc_status_get(c, &a);
    dt_sync(c);
    syncc_status_get(c, &b);
    assert_int_equal(b.requests - a.requests, 1);
    assert_int_equal(b.docs_pulled, a.docs_pulled);
    assert_true(b.bytes_received - a.bytes_received < 300);

    /* A changed survey becomes version 2 on the server and on the kiosk; importing
     * it again changes nothing. */
    char *text = strdup(SURVEY_V1);
    memcpy(strstr(text, "Testikysely"), "Uusi kysel", 10);
    st_write_file(f2, text);
    free(text);
    assert_int_equal(import(sdb, "import-survey", f2, err), 0);
    assert_int_equal(dt_long(sdb, "SELECT count(*) FROM doc WHERE type = 'survey'"), 2);
    syncc_status_get(c, &a);
    dt_sync(c);
    syncc_status_get(c, &b);
    /* Only the feed the check named: check, survey page, heartbeat (stored). */
    assert_int_equal(b.requests - a.requests, 3);
    assert_int_equal(kiosk_survey_version(kdb, "t-survey"), 2);
    assert_true(b.docs_changes > a.docs_changes);
    assert_int_equal(dt_long(kdb, "SELECT value FROM meta WHERE key = "
                                  "'sync.docs.survey_rev'"),
                     dt_long(sdb, "SELECT max(rev) FROM doc WHERE type = 'survey'"));
    syncc_free(c);
    st_server_stop(&s, SIGTERM);
}

static void test_bad_imports_change_nothing(void **state)
{
    (void)state;
    char sdb[600], f[600], good[600], err[4096];
    snprintf(sdb, sizeof sdb, "%s", st_server_db("bad-server.db"));
    snprintf(f, sizeof f, "%s", tu_tmp("bad.json"));
    snprintf(good, sizeof good, "%s", tu_tmp("good-survey.json"));
    st_write_file(good, SURVEY_V1);
    assert_int_equal(import(sdb, "import-survey", good, err), 0);
    long before = dt_long(sdb, "SELECT count(*) * 1000 + max(rev) FROM doc");

    /* A survey with a typo'd key: the survey module's message, nothing stored. */
    char *text = strdup(SURVEY_V1);
    memcpy(strstr(text, "\"required\""), "\"requird\" ", 10);
    st_write_file(f, text);
    free(text);
    assert_int_equal(import(sdb, "import-survey", f, err), 1);
    assert_non_null(strstr(err, "requird"));
    /* Other content under a version the server has: refused. */
    char buf[2048], out[2100];
    snprintf(buf, sizeof buf, "%s", SURVEY_V1);
    const char *title = "{\"fi\":\"Testikysely\"}";
    char *t = strstr(buf, title);
    snprintf(out, sizeof out, "%.*s{\"fi\":\"Toinen\"},\"version\":1%s", (int)(t - buf), buf,
             t + strlen(title));
    st_write_file(f, out);
    assert_int_equal(import(sdb, "import-survey", f, err), 1);
    assert_non_null(strstr(err, "version 1 is already stored"));
    /* Not JSON; a ballot breaking its format; a ballot file given as a survey. */
    st_write_file(f, "{\"format\":\"kiosk-survey\",");
    assert_int_equal(import(sdb, "import-survey", f, err), 1);
    dt_write_ballot(f, "b-bad", "2026-01-10", "2026-01-01", NULL);  /* closes before opens */
    assert_int_equal(import(sdb, "import-ballot", f, err), 1);
    assert_non_null(strstr(err, "closes"));
    assert_int_equal(import(sdb, "import-survey", f, err), 1);
    assert_non_null(strstr(err, "unknown field"));
    /* Codes for a ballot the server does not have. */
    char bf[600], cf[600], codes[2][VOTECODE_TEXT_LEN + 1];
    snprintf(bf, sizeof bf, "%s", tu_tmp("b-unknown.json"));
    snprintf(cf, sizeof cf, "%s", tu_tmp("b-unknown-codes.json"));
    dt_write_ballot(bf, "b-unknown", "2026-01-01", "2026-01-31", NULL);
    dt_make_codes(bf, "b-unknown", 2, cf, codes);
    assert_int_equal(import(sdb, "import-codes", cf, err), 1);
    assert_non_null(strstr(err, "import-ballot it first"));
    assert_int_equal(dt_long(sdb, "SELECT count(*) * 1000 + max(rev) FROM doc"), before);
    /* The same ballot with codes of another salt: the second file is refused. */
    assert_int_equal(import(sdb, "import-ballot", bf, err), 0);
    assert_int_equal(import(sdb, "import-codes", cf, err), 0);
    before = dt_long(sdb, "SELECT count(*) * 1000 + max(rev) FROM doc");
    char cf2[600];
    snprintf(cf2, sizeof cf2, "%s", tu_tmp("b-unknown-codes2.json"));
    dt_make_codes(bf, "b-unknown", 2, cf2, codes);
    assert_int_equal(import(sdb, "import-codes", cf2, err), 1);
    assert_non_null(strstr(err, "another salt"));
    assert_int_equal(dt_long(sdb, "SELECT count(*) * 1000 + max(rev) FROM doc"), before);
}

static void test_ballots_down_and_held_back(void **state)
{
    (void)state;
    char sdb[600], kdb[600], bf[600], cf[600], tok[65], err[4096], day[11];
    char codes[4][VOTECODE_TEXT_LEN + 1];
    snprintf(sdb, sizeof sdb, "%s", st_server_db("bd-server.db"));
    snprintf(kdb, sizeof kdb, "%s", tu_tmp("bd-kiosk.db"));
    snprintf(bf, sizeof bf, "%s", tu_tmp("bd-ballot.json"));
    snprintf(cf, sizeof cf, "%s", tu_tmp("bd-codes.json"));
    /* Open today, so the kiosk holds ballots back until there are enough of them. */
    dt_write_ballot(bf, "b-open", "2000-01-01", "2099-12-31", NULL);
    dt_make_codes(bf, "b-open", 4, cf, codes);
    assert_int_equal(import(sdb, "import-ballot", bf, err), 0);
    assert_int_equal(import(sdb, "import-codes", cf, err), 0);
    st_device_add(sdb, "kiosk-youth-1", tok);
    st_server s;
    st_server_start(&s, sdb, NULL);
    syncc *c = dt_client(kdb, &s, tok);
    dt_sync(c);
    store *st = NULL;
    ballot_counts n;
    assert_int_equal(store_open(kdb, &st), KC_OK);
    assert_int_equal(ballot_init(st), KC_OK);
    assert_int_equal(ballot_get_counts(st, "b-open", &n), KC_OK);
    store_close(st);
    assert_int_equal(n.codes, 4);
    ballot_today(day);
    assert_int_equal(dt_code_why(kdb, "b-open", day, codes[2]), BALLOT_WHY_NONE);

    /* One vote and one feedback row: the feedback goes, the vote and its code use
     * wait (fewer than BALLOT_SYNC_BATCH_MIN ballots while voting is open). */
    assert_int_equal(dt_cast(kdb, "b-open", day, codes[0], 0), BALLOT_WHY_NONE);
    st_add_responses(kdb, 1);
    dt_sync(c);
    assert_int_equal(st_server_count(sdb), 1);
    assert_int_equal(dt_long(sdb, "SELECT (SELECT count(*) FROM ballot_in) + "
                                          "(SELECT count(*) FROM ballot_pool)"), 0);
    assert_int_equal(dt_long(sdb, "SELECT count(*) FROM code_use"), 0);
    assert_int_equal(dt_long(kdb, "SELECT count(*) FROM outbox WHERE sent = 0"), 2);
    /* Nine more (staff unlocks) make ten: all go together. */
    for (int i = 0; i < BALLOT_SYNC_BATCH_MIN - 1; i++)
        assert_int_equal(dt_cast(kdb, "b-open", day, NULL, (size_t)(i % 3)), BALLOT_WHY_NONE);
    dt_sync(c);
    assert_int_equal(dt_long(sdb, "SELECT (SELECT count(*) FROM ballot_in) + "
                                          "(SELECT count(*) FROM ballot_pool)"), BALLOT_SYNC_BATCH_MIN);
    assert_int_equal(dt_long(sdb, "SELECT count(*) FROM code_use"), 1);
    assert_int_equal(dt_long(kdb, "SELECT count(*) FROM outbox WHERE sent = 0"), 0);
    assert_int_equal(st_server_count(sdb), 1);  /* ballots are not plain responses */
    /* No device and no time next to a ballot on the server. */
    const char *cols = st_is_pg(sdb) ? "SELECT count(*) FROM information_schema.columns "
                                       "WHERE table_schema = 'public' AND table_name = '%s'"
                                     : "SELECT count(*) FROM pragma_table_info('%s')";
    static const char *const tables[] = { "ballot_in", "ballot_pool", "code_use" };
    static const long ncols[] = { 3, 4, 3 };
    for (int i = 0; i < 3; i++) {
        char q[200];
        snprintf(q, sizeof q, cols, tables[i]);
        assert_int_equal(dt_long(sdb, q), ncols[i]);
    }
    /* The code use came back down as a document. */
    assert_int_equal(dt_long(sdb, "SELECT count(*) FROM doc WHERE type = 'ballot-used'"), 1);
    /* voted here: the kiosk says the vote is recorded (with its receipt) */
    assert_int_equal(dt_code_why(kdb, "b-open", day, codes[0]), BALLOT_WHY_CODE_VOTED);
    syncc_free(c);

    /* A second kiosk that had the code use but lost the ballot: the ballot comes back
     * as new and resets the code uses feed, which is fetched again in the same sync
     * although the change check did not name it (its revision was current). */
    char kdb2[600];
    snprintf(kdb2, sizeof kdb2, "%s", tu_tmp("bd-kiosk2.db"));
    c = dt_client(kdb2, &s, tok);
    dt_sync(c);
    assert_int_equal(dt_code_why(kdb2, "b-open", day, codes[0]), BALLOT_WHY_CODE_USED);
    assert_int_equal(store_open(kdb2, &st), KC_OK);
    assert_int_equal(sqlite3_exec(store_db(st),
                                  "DELETE FROM ballot_code; DELETE FROM ballot_codekey; "
                                  "DELETE FROM ballot_def_v; DELETE FROM ballot_def; UPDATE meta SET value = '0' "
                                  "WHERE key IN ('sync.docs.ballot_rev', "
                                  "'sync.docs.ballot-codes_rev')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    store_close(st);
    dt_sync(c);
    dt_assert_docs_synced(kdb2, sdb);
    assert_int_equal(dt_code_why(kdb2, "b-open", day, codes[0]), BALLOT_WHY_CODE_USED);
    assert_int_equal(dt_code_why(kdb2, "b-open", day, codes[1]), BALLOT_WHY_NONE);
    syncc_free(c);
    st_server_stop(&s, SIGTERM);
}

int main(void)
{
    if (syncc_global_init())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_surveys_down_responses_up),
        cmocka_unit_test(test_bad_imports_change_nothing),
        cmocka_unit_test(test_ballots_down_and_held_back),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    syncc_global_cleanup();
    return r;
}
