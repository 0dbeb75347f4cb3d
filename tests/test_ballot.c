/* Ballots: format and validation, session rules (casting and codes:
 * test_ballot_cast.c). */
#include "testutil.h"
#include "ballotutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballot.h"
#include "tally.h"

static const char *sample(const char *name)
{
    static char buf[512];
    snprintf(buf, sizeof buf, "%s/../../assets/content/ballots/%s", TEST_DATA_DIR, name);
    return buf;
}

static void test_samples(void **state)
{
    (void)state;
    char msg[KC_MSGMAX];
    ballot *b;
    assert_int_equal(ballot_load_file(sample("porvoo-toimintaraha.json"), &b, msg), KC_OK);
    assert_int_equal(ballot_get_rule(b), BALLOT_KNAPSACK);
    assert_int_equal(ballot_budget(b), 10000);
    assert_int_equal(ballot_nprojects(b), 8);
    cat_langs sv = cat_langs_for(CAT_SV);
    ballot_project p;
    ballot_project_at(b, 0, &sv, &p);
    assert_string_equal(p.title, "Nya ramper till skateparken");
    assert_int_equal(p.cost, 4000);
    assert_int_equal(p.title_lang, CAT_SV);
    ballot_free(b);
    assert_int_equal(ballot_load_file(sample("porvoo-lahio-ideat.json"), &b, msg), KC_OK);
    assert_int_equal(ballot_get_rule(b), BALLOT_APPROVAL);
    assert_int_equal(ballot_max_picks(b), 3);
    cat_langs en = cat_langs_for(CAT_EN);
    ballot_project_at(b, 0, &en, &p);
    assert_string_equal(p.area, "Gammelbacka");  /* no English area: falls back */
    ballot_project_at(b, 2, &en, &p);
    assert_null(p.description);
    ballot_free(b);
}

static void test_canonical(void **state)
{
    (void)state;
    ballot *a = tu_ballot_parse("{\"type\":\"approval\",\"min\":1,\"max\":2,\"winners\":2}", NULL);
    ballot *b = tu_ballot_parse("{\"max\":2,\"winners\":2,\"type\":\"approval\",\"min\":1}", NULL);
    assert_string_equal(ballot_body(a), ballot_body(b));
    assert_true(ballot_same_structure(a, b));
    assert_int_equal(ballot_winners(a), 2);
    ballot_free(a);
    ballot_free(b);
}

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *rule, *extra, *want;
    } cases[] = {
        { "{\"type\":\"approval\",\"min\":3,\"max\":2,\"winners\":2}", NULL, "rule.max" },
        { "{\"type\":\"approval\",\"min\":1,\"max\":6,\"winners\":6}", NULL, "outside 1..5" },
        { "{\"type\":\"approval\",\"min\":0,\"max\":2,\"winners\":2}", NULL, "rule.min\": 0" },
        { "{\"type\":\"vote\"}", NULL, "rule.type" },
        { "{\"type\":\"knapsack\"}", NULL, "rule.budget\": required" },
        { "{\"type\":\"knapsack\",\"budget\":450}", NULL, "nobody could pick it" },
        { "{\"type\":\"knapsack\",\"budget\":500,\"min\":3}", NULL, "no ballot could be valid" },
        { "{\"type\":\"knapsack\",\"budget\":900,\"max\":2}", NULL, "not used by the knapsack" },
        /* no hidden cap on the winners: the file names it or the budget decides */
        { "{\"type\":\"approval\",\"min\":1,\"max\":2}", NULL,
          "rule.winners\": required when there is no \"budget\"" },
        { "{\"type\":\"approval\",\"min\":1,\"max\":2,\"winners\":2,\"method\":\"best\"}",
          NULL, "rule.method\": use \"greedy\", \"greedy-no-skip\", \"greedy-threshold\" or "
                "\"equal-shares\"" },
        { "{\"type\":\"approval\",\"min\":1,\"max\":2,\"winners\":2,\"ties\":\"random\"}",
          NULL, "rule.ties" },
        { "{\"type\":\"approval\",\"min\":1,\"max\":2,\"winners\":2,"
          "\"method\":\"greedy-threshold\"}", NULL, "needs exactly one of" },
        { "{\"type\":\"approval\",\"min\":1,\"max\":2,\"winners\":2,"
          "\"method\":\"greedy-threshold\",\"threshold_percent\":10,\"threshold_votes\":5}",
          NULL, "needs exactly one of" },
        { "{\"type\":\"approval\",\"min\":1,\"max\":2,\"winners\":2,"
          "\"method\":\"greedy-threshold\",\"threshold_percent\":0.001}", NULL,
          "at most two decimals" },
        { "{\"type\":\"approval\",\"min\":1,\"max\":2,\"winners\":2,\"threshold_votes\":5}",
          NULL, "only used by the methods \"greedy-threshold\" and \"greedy-no-skip\"" },
        { "{\"type\":\"approval\",\"min\":1,\"max\":2,\"winners\":2,"
          "\"method\":\"equal-shares\"}", NULL, "rule.budget\": required by \"equal-shares\"" },
        { "{\"type\":\"approval\",\"min\":1,\"max\":2,\"winners\":2,\"budget\":900,"
          "\"method\":\"equal-shares\"}", NULL, "the budget decides how many win" },
        { "{\"type\":\"approval\",\"min\":1,\"max\":2,\"budget\":900,\"utility\":\"cost\"}",
          NULL, "only used by the method \"equal-shares\"" },
        { "{\"type\":\"approval\",\"min\":1,\"max\":2,\"winners\":2}", "\"colour\":1,", "\"colour\": unknown" },
        { "{\"type\":\"approval\",\"min\":1,\"max\":2,\"winners\":2}", "\"tally_key\":\"abc\",", "tally_key" },
        { "{\"type\":\"approval\",\"min\":1,\"max\":2,\"winners\":2}", "\"description\":{\"de\":\"x\"},",
          "unknown language" },
        { "{\"type\":\"approval\",\"min\":1,\"max\":2,\"winners\":2}", "\"description\":{\"fi\":\"\"},",
          "empty" },
        { "{\"type\":\"approval\",\"min\":1,\"max\":2,\"winners\":2}", "\"description\":{\"fi\":\"a\\u0007\"},",
          "control character" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char msg[KC_MSGMAX] = "";
        char *j = tu_ballot_json(cases[i].rule, cases[i].extra);
        ballot *b = NULL;
        kc_err rc = ballot_parse(j, strlen(j), "t.json", &b, msg);
        free(j);
        assert_null(b);
        assert_int_not_equal(rc, KC_OK);
        if (!strstr(msg, cases[i].want))
            fail_msg("case %zu: \"%s\" not in \"%s\"", i, cases[i].want, msg);
    }
    /* whole-document problems */
    static const struct {
        const char *json, *want;
    } docs[] = {
        { "[]", "JSON object" },
        { "{\"format\":\"kiosk-content\"}", "kiosk-ballot" },
        { "{\"format\":\"kiosk-ballot\",\"version\":2}", "outside 1..1" },
        { "{\"a\":1,\"a\":2}", "duplicate" },
        { "{\"format\":\"kiosk-ballot\",\"version\":1,\"id\":\"Bad Id\"}", "\"id\"" },
        { "{\"format\":\"kiosk-ballot\",\"version\":1,\"id\":\"x\",\"title\":{\"fi\":\"T\"},"
          "\"eligibility\":{\"fi\":\"E\"},\"opens\":\"2026-02-30\"}", "\"opens\"" },
        { "{\"format\":\"kiosk-ballot\",\"version\":1,\"id\":\"x\",\"title\":{\"fi\":\"T\"},"
          "\"eligibility\":{\"fi\":\"E\"},\"opens\":\"2026-03-01\",\"closes\":\"2026-02-01\"}",
          "before" },
        { "{\"format\":\"kiosk-ballot\",\"version\":1,\"id\":\"x\",\"title\":{\"fi\":\"T\"},"
          "\"eligibility\":{\"fi\":\"E\"},\"opens\":\"2026-03-01\",\"closes\":\"2026-03-01\","
          "\"rule\":{\"type\":\"approval\",\"min\":1,\"max\":1,\"winners\":1},\"projects\":["
          "{\"id\":\"a\",\"title\":{\"fi\":\"A\"},\"cost\":1},"
          "{\"id\":\"a\",\"title\":{\"fi\":\"A\"},\"cost\":1}]}", "earlier project" },
        { "{\"format\":\"kiosk-ballot\",\"version\":1,\"id\":\"x\",\"title\":{\"fi\":\"T\"},"
          "\"eligibility\":{\"fi\":\"E\"},\"opens\":\"2026-03-01\",\"closes\":\"2026-03-01\","
          "\"rule\":{\"type\":\"approval\",\"min\":1,\"max\":1,\"winners\":1},\"projects\":["
          "{\"id\":\"a\",\"title\":{\"fi\":\"A\"},\"cost\":-5}]}", "project \"a\" field \"cost\"" },
        { "{\"format\":\"kiosk-ballot\",\"version\":1,\"id\":\"x\",\"title\":{\"fi\":\"T\"},"
          "\"eligibility\":{\"fi\":\"E\"},\"opens\":\"2026-03-01\",\"closes\":\"2026-03-01\","
          "\"rule\":{\"type\":\"approval\",\"min\":1,\"max\":1,\"winners\":1},\"projects\":["
          "{\"id\":\"a\",\"title\":{\"fi\":\"A\"},\"cost\":5,\"image\":\"../etc/passwd\"}]}",
          "\"image\"" },
        { "{\"format\":\"kiosk-ballot\",\"version\":1,\"id\":\"x\",\"title\":{\"fi\":\"T\"},"
          "\"eligibility\":{\"fi\":\"E\"},\"opens\":\"2026-03-01\",\"closes\":\"2026-03-01\","
          "\"rule\":{\"type\":\"approval\",\"min\":1,\"max\":1,\"winners\":1},\"projects\":[]}", "non-empty" },
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        char msg[KC_MSGMAX] = "";
        ballot *b = NULL;
        assert_int_not_equal(ballot_parse(docs[i].json, strlen(docs[i].json), "d.json", &b, msg),
                             KC_OK);
        assert_null(b);
        if (!strstr(msg, docs[i].want))
            fail_msg("doc %zu: \"%s\" not in \"%s\"", i, docs[i].want, msg);
    }
    /* invalid UTF-8 and an over-long title */
    char msg[KC_MSGMAX];
    ballot *b;
    char *j = tu_ballot_json("{\"type\":\"approval\",\"min\":1,\"max\":1,\"winners\":1}",
                          "\"description\":{\"fi\":\"\xC3\x28\"},");
    assert_int_equal(ballot_parse(j, strlen(j), "u.json", &b, msg), KC_EJSON);
    free(j);
    char extra[600] = "\"description\":{\"fi\":\"";
    size_t n = strlen(extra);
    memset(extra + n, 'x', 2001 - 1500);
    snprintf(extra + n + 501, sizeof extra - n - 501, "\"},");
    j = tu_ballot_json("{\"type\":\"approval\",\"min\":1,\"max\":1,\"winners\":1}", extra);
    assert_int_equal(ballot_parse(j, strlen(j), "u.json", &b, msg), KC_OK);  /* 501 bytes ok */
    ballot_free(b);
    free(j);
}

static void test_approval_session(void **state)
{
    (void)state;
    ballot *b = tu_ballot_parse("{\"type\":\"approval\",\"min\":2,\"max\":3,\"winners\":3}", NULL);
    ballot_session *s;
    ballot_why why;
    ballot_progress p;
    assert_int_equal(ballot_session_new(b, TU_BALLOT_DAY, &s), KC_OK);
    assert_int_equal(ballot_session_toggle(s, 0, &why), KC_OK);
    ballot_session_progress(s, &p);
    assert_int_equal(p.why, BALLOT_WHY_MIN_PICKS);
    assert_int_equal(ballot_session_validate(s, &why), KC_EDENIED);
    assert_int_equal(why, BALLOT_WHY_MIN_PICKS);
    assert_int_equal(ballot_session_toggle(s, 1, &why), KC_OK);
    assert_int_equal(ballot_session_toggle(s, 2, &why), KC_OK);
    assert_int_equal(ballot_session_can_pick(s, 3), BALLOT_WHY_MAX_PICKS);
    assert_int_equal(ballot_session_toggle(s, 3, &why), KC_EDENIED);
    assert_int_equal(why, BALLOT_WHY_MAX_PICKS);
    assert_false(ballot_session_picked(s, 3));
    assert_int_equal(ballot_session_toggle(s, 9, &why), KC_EDENIED);
    assert_int_equal(why, BALLOT_WHY_NO_PROJECT);
    ballot_session_progress(s, &p);
    assert_int_equal(p.picks, 3);
    assert_int_equal(p.total, 600);
    assert_int_equal(p.budget, 0);
    assert_int_equal(p.why, BALLOT_WHY_NOT_ELIGIBLE);
    /* unpicking is always allowed */
    assert_int_equal(ballot_session_toggle(s, 0, &why), KC_OK);
    assert_int_equal(ballot_session_toggle(s, 3, &why), KC_OK);
    ballot_session_progress(s, &p);
    assert_int_equal(p.total, 900);
    ballot_session_free(s);
    ballot_free(b);
}

static void test_knapsack_session(void **state)
{
    (void)state;
    ballot *b = tu_ballot_parse("{\"type\":\"knapsack\",\"budget\":700}", NULL);
    ballot_session *s;
    ballot_why why;
    ballot_progress p;
    assert_int_equal(ballot_session_new(b, TU_BALLOT_DAY, &s), KC_OK);
    assert_int_equal(ballot_session_toggle(s, 4, &why), KC_OK);  /* 500 */
    assert_int_equal(ballot_session_can_pick(s, 2), BALLOT_WHY_BUDGET);
    assert_int_equal(ballot_session_toggle(s, 2, &why), KC_EDENIED);
    assert_int_equal(why, BALLOT_WHY_BUDGET);
    assert_non_null(strstr(ballot_session_errmsg(s), "budget"));
    assert_int_equal(ballot_session_toggle(s, 1, &why), KC_OK);  /* 700: exactly the budget */
    ballot_session_progress(s, &p);
    assert_int_equal(p.total, 700);
    assert_int_equal(p.remaining, 0);
    assert_int_equal(ballot_session_toggle(s, 0, &why), KC_EDENIED);
    /* random toggles never pass the budget, and the total always matches the picks */
    srand(7);
    for (int i = 0; i < 20000; i++) {
        ballot_session_toggle(s, (size_t)(rand() % 5), NULL);
        ballot_session_progress(s, &p);
        long long sum = 0;
        int n = 0;
        for (size_t k = 0; k < 5; k++)
            if (ballot_session_picked(s, k)) {
                sum += ballot_project_cost(b, k);
                n++;
            }
        assert_true(p.total <= 700);
        assert_int_equal(p.total, sum);
        assert_int_equal(p.picks, n);
    }
    ballot_session_free(s);
    ballot_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samples),
        cmocka_unit_test(test_canonical),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_approval_session),
        cmocka_unit_test(test_knapsack_session),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
