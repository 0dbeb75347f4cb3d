/* Survey sessions: navigation, conditional questions, pick-top-N rules, answer checks,
 * submission in one transaction with the outbox row, version pinning, faults. */
#include "testutil.h"
#include "store_sql.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "survey.h"

#define SURVEYS TEST_DATA_DIR "/../../assets/content/surveys/"
#define NOW ((time_t)1795610000) /* 2026-11-25 ~12:33 UTC */

static store *fresh(const char *name)
{
    store *st;
    remove(tu_tmp(name));
    assert_int_equal(store_open(tu_tmp(name), &st), KC_OK);
    assert_int_equal(survey_init(st), KC_OK);
    return st;
}

static void put_file(store *st, const char *path)
{
    survey *s;
    char msg[KC_MSGMAX];
    survey_put_result r;
    if (survey_load_file(path, &s, msg) || survey_store_put(st, s, &r, msg))
        fail_msg("%s", msg);
    survey_free(s);
}

static void put_str(store *st, const char *json)
{
    survey *s;
    char msg[KC_MSGMAX];
    survey_put_result r;
    if (survey_parse(json, strlen(json), "test", &s, msg) || survey_store_put(st, s, &r, msg))
        fail_msg("%s", msg);
    survey_free(s);
}

static long count(store *st, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long n = (long)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

static char *column(store *st, const char *sql, const char *arg)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
    sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
    char *r = NULL;
    if (sqlite3_step(s) == SQLITE_ROW)
        r = strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return r;
}

static size_t qidx(survey_session *ss, const char *id)
{
    long i = survey_question_index(survey_session_survey(ss), id);
    assert_true(i >= 0);
    return (size_t)i;
}

static void expect_at(survey_session *ss, const char *id)
{
    const survey_question *q = survey_session_question(ss);
    if (!q || strcmp(q->id, id))
        fail_msg("at \"%s\", expected \"%s\"", q ? q->id : "END", id);
}

static void expect_progress(survey_session *ss, int pos, int total)
{
    int p, t;
    survey_session_progress(ss, &p, &t);
    if (p != pos || t != total)
        fail_msg("progress %d/%d, expected %d/%d", p, t, pos, total);
}

static void test_walk_library_survey(void **state)
{
    (void)state;
    store *st = fresh("walk.db");
    put_file(st, SURVEYS "library-feedback.json");
    survey_session *ss;
    char msg[KC_MSGMAX];
    assert_int_equal(survey_session_start(st, "library-feedback", &ss, msg), KC_OK);
    expect_at(ss, "visits");
    /* improve (needs satisfaction <= 3) and themes (needs associations) are hidden */
    expect_progress(ss, 1, 7);
    /* so the total is not known in advance: the kiosk shows no "1 of 7" that would
     * later read "4 of 8" */
    assert_false(survey_fixed_length(survey_session_survey(ss)));
    assert_false(survey_session_visible(ss, qidx(ss, "improve")));
    assert_false(survey_session_back(ss));

    /* required */
    assert_int_equal(survey_session_next(ss), KC_EINVAL);
    assert_int_equal(survey_session_problem(ss).kind, SURVEY_P_REQUIRED);
    assert_int_equal(survey_session_set_number(ss, 3), KC_EINVAL);
    assert_int_equal(survey_session_problem(ss).kind, SURVEY_P_WRONG_TYPE);
    assert_int_equal(survey_session_choose(ss, 9), KC_EINVAL);
    assert_int_equal(survey_session_problem(ss).kind, SURVEY_P_NOT_OPTION);
    assert_int_equal(survey_session_choose(ss, 0), KC_OK);
    assert_int_equal(survey_session_choose(ss, 1), KC_OK);  /* single: replaces */
    assert_int_equal(survey_session_answer(ss, 0)->nsel, 1);
    assert_int_equal(survey_session_answer(ss, 0)->sel[0], 1);
    assert_int_equal(survey_session_next(ss), KC_OK);

    expect_at(ss, "purpose");
    expect_progress(ss, 2, 7);
    assert_int_equal(survey_session_choose(ss, 2), KC_OK);
    assert_int_equal(survey_session_choose(ss, 0), KC_OK);
    const survey_answer *a = survey_session_answer(ss, qidx(ss, "purpose"));
    assert_int_equal(a->nsel, 2);
    assert_int_equal(a->sel[0], 0);  /* multi keeps option order */
    assert_int_equal(a->sel[1], 2);
    assert_int_equal(survey_session_choose(ss, 2), KC_OK);  /* toggles off */
    assert_int_equal(a->nsel, 1);
    assert_int_equal(survey_session_next(ss), KC_OK);

    expect_at(ss, "satisfaction");
    assert_int_equal(survey_session_set_number(ss, 6), KC_EINVAL);
    assert_int_equal(survey_session_problem(ss).kind, SURVEY_P_RANGE);
    assert_int_equal(survey_session_set_number(ss, 2.5), KC_EINVAL);
    assert_int_equal(survey_session_problem(ss).kind, SURVEY_P_DECIMALS);
    assert_int_equal(survey_session_set_number(ss, 2), KC_OK);
    expect_progress(ss, 3, 8);  /* improve appeared */
    assert_int_equal(survey_session_next(ss), KC_OK);

    expect_at(ss, "improve");
    assert_int_equal(survey_session_set_text(ss, 0, "huono\x01"), KC_EINVAL);
    assert_int_equal(survey_session_problem(ss).kind, SURVEY_P_BAD_TEXT);
    assert_int_equal(survey_session_set_text(ss, 0, "Enemmän iltatapahtumia\nja lehtiä"), KC_OK);
    assert_int_equal(survey_session_set_text(ss, 1, "toinen"), KC_EINVAL);
    assert_int_equal(survey_session_problem(ss).kind, SURVEY_P_TOO_MANY);
    assert_int_equal(survey_session_next(ss), KC_OK);

    /* pick three, ranked: the order of choosing is the rank */
    expect_at(ss, "services");
    assert_int_equal(survey_session_choose(ss, 3), KC_OK);
    assert_int_equal(survey_session_choose(ss, 0), KC_OK);
    assert_int_equal(survey_session_choose(ss, 5), KC_OK);
    assert_int_equal(survey_session_choose(ss, 6), KC_EINVAL);
    assert_int_equal(survey_session_problem(ss).kind, SURVEY_P_TOO_MANY);
    assert_true(survey_session_problem(ss).limit == 3);
    assert_int_equal(survey_session_choose(ss, 0), KC_OK);  /* remove #2: the gap closes */
    a = survey_session_answer(ss, qidx(ss, "services"));
    assert_int_equal(a->nsel, 2);
    assert_int_equal(a->sel[0], 3);
    assert_int_equal(a->sel[1], 5);
    /* optional, but once started it needs all three */
    assert_int_equal(survey_session_next(ss), KC_EINVAL);
    assert_int_equal(survey_session_problem(ss).kind, SURVEY_P_TOO_FEW);
    assert_int_equal(survey_session_choose(ss, 1), KC_OK);
    assert_int_equal(survey_session_next(ss), KC_OK);

    /* back to satisfaction; a happier answer hides improve again */
    expect_at(ss, "associations");
    assert_true(survey_session_back(ss));
    expect_at(ss, "services");
    assert_true(survey_session_back(ss));
    expect_at(ss, "improve");
    assert_true(survey_session_back(ss));
    expect_at(ss, "satisfaction");
    assert_int_equal(survey_session_set_number(ss, 5), KC_OK);
    assert_int_equal(survey_session_next(ss), KC_OK);
    expect_at(ss, "services");
    expect_progress(ss, 4, 7);
    assert_int_equal(survey_session_next(ss), KC_OK);

    expect_at(ss, "associations");
    assert_int_equal(survey_session_choose(ss, 0), KC_OK);  /* yes: themes appear */
    assert_int_equal(survey_session_next(ss), KC_OK);
    expect_at(ss, "themes");
    assert_true(survey_session_back(ss));
    assert_int_equal(survey_session_choose(ss, 2), KC_OK);  /* no: themes hidden */
    assert_int_equal(survey_session_next(ss), KC_OK);
    expect_at(ss, "events");
    assert_int_equal(survey_session_set_number(ss, 101), KC_EINVAL);
    assert_int_equal(survey_session_set_number(ss, 3), KC_OK);
    assert_int_equal(survey_session_next(ss), KC_OK);
    expect_at(ss, "comment");
    assert_int_equal(survey_session_next(ss), KC_OK);  /* optional, skipped */
    assert_int_equal(survey_session_current(ss), SURVEY_END);
    assert_null(survey_session_question(ss));
    expect_progress(ss, 8, 7);
    assert_int_equal(survey_session_choose(ss, 0), KC_EUSAGE);

    char *payload;
    assert_int_equal(survey_session_payload(ss, NOW, &payload), KC_OK);
    const char *want = "{\"type\":\"survey-response\",\"survey\":\"library-feedback\","
                       "\"version\":1,\"hour\":\"2026-11-25T12Z\",\"answers\":{\"visits\":"
                       "\"monthly\",\"purpose\":[\"borrow\"],\"satisfaction\":5,\"services\":"
                       "[\"computers\",\"children\",\"events\"],\"associations\":\"no\","
                       "\"events\":3}}";
    assert_string_equal(payload, want);
    kc_free(payload);

    char uuid[OUTBOX_UUID_LEN + 1];
    assert_int_equal(survey_session_submit(ss, st, NOW, uuid), KC_OK);
    assert_true(outbox_valid_uuid(uuid));
    char *ob = column(st, "SELECT payload FROM outbox WHERE uuid = ?", uuid);
    assert_string_equal(ob, want);
    free(ob);
    char *kind = column(st, "SELECT kind FROM outbox WHERE uuid = ?", uuid);
    assert_string_equal(kind, "survey-response");
    free(kind);
    char *hour = column(st, "SELECT hour FROM survey_response WHERE uuid = ?", uuid);
    assert_string_equal(hour, "2026-11-25T12Z");
    free(hour);
    assert_int_equal(survey_session_submit(ss, st, NOW, uuid), KC_EUSAGE);
    assert_int_equal(count(st, "SELECT count(*) FROM survey_response"), 1);
    survey_session_free(ss);

    /* anonymity: no rowid, nothing finer than the hour */
    char *sql = column(st, "SELECT sql FROM sqlite_master WHERE name = ?", "survey_response");
    assert_non_null(strstr(sql, "WITHOUT ROWID"));
    free(sql);
    store_close(st);
}

#define MINI(qtext)                                                                         \
    "{\"format\":\"kiosk-survey\",\"id\":\"mini\",\"title\":{\"fi\":\"Mini\"},\"questions\":[" \
    "{\"id\":\"n\",\"type\":\"number\",\"min\":0,\"max\":10,\"decimals\":1,\"required\":true,"  \
    "\"text\":{\"fi\":\"" qtext "\"}},"                                                          \
    "{\"id\":\"why\",\"type\":\"text\",\"max_chars\":5,\"max_entries\":3,\"text\":{\"fi\":\"?\"}," \
    "\"show_if\":{\"question\":\"n\",\"min\":5}},"                                               \
    "{\"id\":\"pick\",\"type\":\"top\",\"pick\":2,\"min\":1,\"text\":{\"fi\":\"?\"},"            \
    "\"options\":[{\"id\":\"a\",\"text\":{\"fi\":\"A\"}},{\"id\":\"b\",\"text\":{\"fi\":\"B\"}},"  \
    "{\"id\":\"c\",\"text\":{\"fi\":\"C\"}}]}]}"

static void test_numbers_entries_unranked(void **state)
{
    (void)state;
    store *st = fresh("mini.db");
    put_str(st, MINI("Luku?"));
    survey_session *ss;
    char msg[KC_MSGMAX];
    assert_int_equal(survey_session_start(st, "mini", &ss, msg), KC_OK);
    assert_int_equal(survey_session_set_number(ss, 2.55), KC_EINVAL);
    assert_int_equal(survey_session_problem(ss).kind, SURVEY_P_DECIMALS);
    assert_int_equal(survey_session_set_number(ss, 7.5), KC_OK);
    assert_int_equal(survey_session_next(ss), KC_OK);
    expect_at(ss, "why");
    assert_int_equal(survey_session_set_text(ss, 0, "yksi"), KC_OK);
    assert_int_equal(survey_session_set_text(ss, 1, "kaksi"), KC_OK);
    assert_int_equal(survey_session_set_text(ss, 2, "kolme"), KC_OK);
    assert_int_equal(survey_session_set_text(ss, 3, "neljä"), KC_EINVAL);
    assert_int_equal(survey_session_problem(ss).kind, SURVEY_P_TOO_MANY);
    assert_int_equal(survey_session_set_text(ss, 5, "x"), KC_EUSAGE);
    assert_int_equal(survey_session_set_text(ss, 0, "kuusi!"), KC_EINVAL);
    assert_int_equal(survey_session_problem(ss).kind, SURVEY_P_TOO_LONG);
    assert_int_equal(survey_session_set_text(ss, 1, "  "), KC_OK);  /* blank removes */
    assert_int_equal(survey_session_answer(ss, 1)->ntext, 2);
    assert_string_equal(survey_session_answer(ss, 1)->text[1], "kolme");
    /* bidi overrides and invisible characters are not kept (they do not count) */
    assert_int_equal(survey_session_set_text(ss, 1, "\xe2\x80\xaeko\xe2\x80\x8blme\xe2\x81\xa9"),
                     KC_OK);
    assert_string_equal(survey_session_answer(ss, 1)->text[1], "kolme");
    assert_int_equal(survey_session_set_text(ss, 1, "\xe2\x80\x8b\xe2\x80\x8b"), KC_OK);
    assert_int_equal(survey_session_answer(ss, 1)->ntext, 1);  /* nothing visible: removed */
    assert_int_equal(survey_session_set_text(ss, 1, "kolme"), KC_OK);
    assert_int_equal(survey_session_next(ss), KC_OK);
    /* unranked: kept in option order whatever the tapping order */
    assert_int_equal(survey_session_choose(ss, 2), KC_OK);
    assert_int_equal(survey_session_choose(ss, 0), KC_OK);
    assert_int_equal(survey_session_next(ss), KC_OK);
    char *payload;
    assert_int_equal(survey_session_payload(ss, NOW, &payload), KC_OK);
    assert_non_null(strstr(payload, "\"answers\":{\"n\":7.5,\"why\":[\"yksi\",\"kolme\"],"
                                    "\"pick\":[\"a\",\"c\"]}"));
    kc_free(payload);
    /* clearing n hides why: its answer is kept but not sent */
    assert_true(survey_session_back(ss));
    expect_at(ss, "pick");
    assert_true(survey_session_back(ss));
    assert_true(survey_session_back(ss));
    expect_at(ss, "n");
    assert_int_equal(survey_session_set_number(ss, 1), KC_OK);
    assert_int_equal(survey_session_next(ss), KC_OK);
    expect_at(ss, "pick");
    assert_int_equal(survey_session_next(ss), KC_OK);
    assert_int_equal(survey_session_payload(ss, NOW, &payload), KC_OK);
    assert_null(strstr(payload, "why"));
    kc_free(payload);
    survey_session_free(ss);
    store_close(st);
}

static void test_version_pinned(void **state)
{
    (void)state;
    store *st = fresh("pin.db");
    put_str(st, MINI("Versio yksi"));
    survey_session *ss;
    char msg[KC_MSGMAX];
    assert_int_equal(survey_session_start(st, "mini", &ss, msg), KC_OK);
    assert_int_equal(survey_session_set_number(ss, 3), KC_OK);
    /* the survey changes while the resident answers */
    put_str(st, MINI("Versio kaksi"));
    survey *latest;
    assert_int_equal(survey_store_get(st, "mini", 0, &latest, msg), KC_OK);
    assert_int_equal(survey_version(latest), 2);
    survey_free(latest);
    assert_int_equal(survey_session_next(ss), KC_OK);
    assert_int_equal(survey_session_next(ss), KC_OK);
    char uuid[OUTBOX_UUID_LEN + 1];
    assert_int_equal(survey_session_submit(ss, st, NOW, uuid), KC_OK);
    char *v = column(st, "SELECT version FROM survey_response WHERE uuid = ?", uuid);
    assert_string_equal(v, "1");
    free(v);
    cat_langs fi = cat_langs_for(CAT_FI);
    assert_string_equal(cat_text_pick(survey_question_at(survey_session_survey(ss), 0)->text,
                                      &fi, NULL),
                        "Versio yksi");
    survey_session_free(ss);
    /* a new session takes version 2 */
    assert_int_equal(survey_session_start(st, "mini", &ss, msg), KC_OK);
    assert_int_equal(survey_version(survey_session_survey(ss)), 2);
    survey_session_free(ss);
    /* workshops have no resident sessions */
    put_file(st, SURVEYS "ylojarvi-forum-workshop.json");
    assert_int_equal(survey_session_start(st, "ylojarvi-kumppanuusfoorumi", &ss, msg), KC_EUSAGE);
    assert_int_equal(survey_session_start(st, "nope", &ss, msg), KC_ENOTFOUND);
    store_close(st);
}

static void test_submit_faults(void **state)
{
    (void)state;
    store *st = fresh("faults.db");
    put_str(st, MINI("Virheet"));
    int done = 0;
    long ok = 0;
    for (long n = 0; !done; n++) {
        survey_session *ss;
        char msg[KC_MSGMAX], uuid[OUTBOX_UUID_LEN + 1];
        assert_int_equal(survey_session_start(st, "mini", &ss, msg), KC_OK);
        assert_int_equal(survey_session_set_number(ss, 9), KC_OK);
        assert_int_equal(survey_session_next(ss), KC_OK);
        assert_int_equal(survey_session_set_text(ss, 0, "ok"), KC_OK);
        assert_int_equal(survey_session_next(ss), KC_OK);
        assert_int_equal(survey_session_next(ss), KC_OK);
        long before = count(st, "SELECT count(*) FROM survey_response");
        kc_fault_after(n);
        kc_err rc = survey_session_submit(ss, st, NOW, uuid);
        long hits = kc_fault_after(-1);
        long after = count(st, "SELECT count(*) FROM survey_response");
        if (rc == KC_OK) {
            ok++;
            assert_int_equal(after, before + 1);
        } else {
            assert_int_equal(after, before);
            assert_string_equal(uuid, "");
            assert_false(store_in_tx(st));
        }
        if (hits == 0)
            done = 1;
        survey_session_free(ss);
        assert_true(n < 10000);
    }
    assert_int_equal(count(st, "SELECT count(*) FROM survey_response"), ok);
    assert_int_equal(count(st, "SELECT count(*) FROM outbox"), ok);
    assert_int_equal(count(st, "SELECT count(*) FROM survey_response r JOIN outbox o "
                               "ON o.uuid = r.uuid"), ok);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_library_survey),
        cmocka_unit_test(test_numbers_entries_unranked),
        cmocka_unit_test(test_version_pinned),
        cmocka_unit_test(test_submit_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
