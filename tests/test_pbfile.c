/* pabulib .pb files: small instances written for these tests (tests/data/pb), read into
 * the real tally and compared with their recorded winners; export and import again;
 * every kind of bad file refused with its line. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pbfile.h"
#include "tally.h"

static tally *count(const pbfile *p)
{
    tally *t;
    assert_int_equal(tally_new(pbfile_ballot(p), &t), KC_OK);
    for (size_t i = 0; i < pbfile_nvotes(p); i++) {
        const unsigned char *idx;
        int paper;
        size_t n = pbfile_vote(p, i, &idx, &paper), ix[BALLOT_MAX_PROJECTS];
        for (size_t k = 0; k < n; k++)
            ix[k] = idx[k];
        assert_int_equal(tally_add_index(t, ix, n, paper ? TALLY_PAPER : TALLY_CODE), KC_OK);
    }
    assert_int_equal(tally_compute(t), KC_OK);
    return t;
}

/* The file's own "selected" column is what the tally chooses. */
static void same_as_recorded(const pbfile *p, const tally *t)
{
    for (size_t i = 0; i < ballot_nprojects(pbfile_ballot(p)); i++)
        assert_int_equal(tally_row_of(t, i)->winner, pbfile_selected(p, i));
}

static pbfile *load(const char *name, const char *id)
{
    char path[512], msg[KC_MSGMAX];
    snprintf(path, sizeof path, "%s/pb/%s", TEST_DATA_DIR, name);
    pbfile *p;
    if (pbfile_load(path, id, &p, msg))
        fail_msg("%s", msg);
    return p;
}

static void test_equal_shares_file(void **state)
{
    (void)state;
    pbfile *p = load("equal-shares.pb", "es");
    const ballot *b = pbfile_ballot(p);
    assert_int_equal(ballot_get_method(b), BALLOT_EQUAL_SHARES);
    assert_true(ballot_mes_cost_utility(b));
    assert_true(ballot_mes_add_one(b));
    assert_int_equal(ballot_winners(b), 0);  /* the budget decides */
    assert_int_equal(ballot_budget(b), 1200);
    assert_string_equal(ballot_opens(b), "2026-03-01");
    assert_string_equal(ballot_project_id(b, 1), "b");  /* ids in lower case */
    cat_langs pref = cat_langs_for(CAT_EN);
    ballot_project pr;
    ballot_project_at(b, 1, &pref, &pr);
    assert_string_equal(pr.title, "Reading corner; books");
    assert_int_equal(pbfile_nvotes(p), 6);
    tally *t = count(p);
    same_as_recorded(p, t);
    tally_free(t);
    pbfile_free(p);
}

static void test_no_skip_file(void **state)
{
    (void)state;
    pbfile *p = load("no-skip.pb", "ns");
    const ballot *b = pbfile_ballot(p);
    assert_int_equal(ballot_get_method(b), BALLOT_GREEDY_NO_SKIP);
    assert_int_equal(ballot_threshold_votes(b), 2);
    assert_string_equal(ballot_opens(b), "2026-01-01");
    assert_string_equal(ballot_closes(b), "2026-12-31");
    assert_int_equal(pbfile_nvotes(p), 5);
    assert_int_equal(pbfile_skipped(p), 1);  /* the empty vote */
    tally *t = count(p);
    same_as_recorded(p, t);
    tally_summary s;
    tally_get_summary(t, &s);
    assert_int_equal(s.ballots_paper, 2);
    assert_int_equal(tally_row_of(t, 2)->why, TALLY_WHY_STOPPED);   /* greedy would fund it */
    assert_int_equal(tally_row_of(t, 3)->why, TALLY_WHY_THRESHOLD);
    tally_free(t);
    pbfile_free(p);
}

/* Export then import: the same counts, winners and paper marks; the votes come out in
 * a new random order each time, numbered after shuffling, and carry nothing else. */
static void test_round_trip(void **state)
{
    (void)state;
    pbfile *p = load("no-skip.pb", "ns");
    tally *t = count(p);
    pbfile_meta m = { NULL, NULL, 3, 0 };
    char *text[2];
    for (int k = 0; k < 2; k++) {
        FILE *f = fopen(tu_tmp("out.pb"), "w");
        assert_non_null(f);
        assert_int_equal(pbfile_write(t, &m, f), KC_OK);
        fclose(f);
        text[k] = tu_read(tu_tmp("out.pb"), NULL);
    }
    assert_non_null(strstr(text[0], "rule;greedy-no-skip\n"));
    assert_non_null(strstr(text[0], "min_project_score_threshold;2\n"));
    assert_non_null(strstr(text[0], "budget;1000\n"));
    assert_non_null(strstr(text[0], "num_votes;5\n"));
    assert_non_null(strstr(text[0], "3 ballots were left out"));
    assert_non_null(strstr(text[0], "date_begin;01.01.2026\ndate_end;31.12.2026\n"));
    assert_non_null(strstr(text[0], "PROJECTS\nproject_id;cost;votes;name;selected\n"
                                    "1;500;5;One;1\n2;600;4;Two;0\n3;300;3;Three;0\n"
                                    "4;100;1;Four;0\nVOTES\nvoter_id;vote;voting_method\n1;"));
    pbfile *q;
    char msg[KC_MSGMAX];
    assert_int_equal(pbfile_read(text[0], strlen(text[0]), "out.pb", "ns", &q, msg), KC_OK);
    tally *u = count(q);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(tally_row_of(u, i)->votes, tally_row_of(t, i)->votes);
        assert_int_equal(tally_row_of(u, i)->votes_paper, tally_row_of(t, i)->votes_paper);
        assert_int_equal(tally_row_of(u, i)->winner, tally_row_of(t, i)->winner);
        assert_int_equal(pbfile_selected(q, i), tally_row_of(t, i)->winner);
    }
    assert_true(ballot_same_structure(pbfile_ballot(p), pbfile_ballot(q)));
    tally_free(u);
    pbfile_free(q);
    free(text[0]);
    free(text[1]);
    tally_free(t);
    pbfile_free(p);
}

/* 200 ballots exported 20 times: row i is never the same ballot every time (a fixed
 * order would be), and no two exports are identical. */
static void test_votes_shuffled(void **state)
{
    (void)state;
    pbfile *p = load("equal-shares.pb", "es");
    tally *t;
    assert_int_equal(tally_new(pbfile_ballot(p), &t), KC_OK);
    for (size_t i = 0; i < 200; i++) {
        size_t ix[2] = { i % 4, (i / 4) % 4 };
        assert_int_equal(tally_add_index(t, ix, ix[0] == ix[1] ? 1 : 2, TALLY_CODE), KC_OK);
    }
    assert_int_equal(tally_compute(t), KC_OK);
    pbfile_meta m = { "Finland", "Porvoo", 0, 0 };
    char *prev = NULL;
    int same = 0;
    for (int k = 0; k < 20; k++) {
        FILE *f = fopen(tu_tmp("s.pb"), "w");
        assert_int_equal(pbfile_write(t, &m, f), KC_OK);
        fclose(f);
        char *x = tu_read(tu_tmp("s.pb"), NULL);
        assert_non_null(strstr(x, "unit;Porvoo\n"));
        if (prev)
            same += strcmp(prev, x) == 0;
        free(prev);
        prev = x;
    }
    assert_int_equal(same, 0);
    free(prev);
    tally_free(t);
    pbfile_free(p);
}

static void test_bad_files(void **state)
{
    (void)state;
    static const char *const head =
        "META\nkey;value\nbudget;1000\nvote_type;approval\nrule;greedy\n"
        "date_begin;01.01.2026\ndate_end;31.01.2026\nPROJECTS\nproject_id;cost;votes;name\n"
        "1;500;1;One\n2;300;1;Two\n";
    static const struct {
        const char *text, *want;
    } cases[] = {
        { "%sVOTES\nvoter_id;vote\na;1\nb;1,3\n", "x.pb: line 15: vote for \"3\", which "
                                                 "PROJECTS does not list" },
        { "%sVOTES\nvoter_id;vote\na;1,1\n", "line 14: vote for \"1\" twice" },
        { "%sVOTES\nvoter_id;vote\na;1;2\n", "line 14: 3 values, the header has 2" },
        { "%s3;lots;1;Three\nVOTES\nvoter_id;vote\n", "line 12: cost \"lots\"" },
        { "%s1;5;1;Again\nVOTES\nvoter_id;vote\n", "line 12: project_id \"1\" appears twice" },
        { "%s\"4;1;1;x\nVOTES\nvoter_id;vote\n", "line 12: a quoted value has no closing" },
        { "%sVOTES\nvoter_id;vote;points\na;1,2;1,2\n", "line 14: 2 points for one project" },
        { "%sVOTES\nvoter_id\n", "line 13: the VOTES header needs a vote column" },
        { "%s", "no VOTES section" },
    };
    char buf[2048], msg[KC_MSGMAX];
    pbfile *p;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(buf, sizeof buf, cases[i].text, head);
        assert_int_equal(pbfile_read(buf, strlen(buf), "x.pb", "x", &p, msg), KC_EINVAL);
        assert_null(p);
        if (!strstr(msg, cases[i].want))
            fail_msg("case %zu: \"%s\" lacks \"%s\"", i, msg, cases[i].want);
    }
    static const struct {
        const char *text, *want;
    } meta[] = {
        { "PROJECTS\n", "line 1: expected \"META\"" },
        { "META\nkey;value\nbudget;x\n", "line 3: budget \"x\"" },
        { "META\nkey;value\nbudget;10\nrule;greedy-custom\ndate_begin;2026\n"
          "date_end;2026\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\n"
          "voter_id;vote\n", "line 4: rule \"greedy-custom\"" },
        { "META\nkey;value\nbudget;10\nrule;greedy\ndate_begin;2026\n"
          "date_end;2026\nvote_type;ordinal\nPROJECTS\nproject_id;cost\n1;5\nVOTES\n"
          "voter_id;vote\n", "line 7: vote_type \"ordinal\"" },
        { "META\nkey;value\nbudget;10\nrule;greedy-threshold\ndate_begin;2026\n"
          "date_end;2026\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\n"
          "voter_id;vote\n", "needs min_project_score_threshold" },
        { "META\nkey;value\nbudget;10\ndate_begin;31.02.2026\n", "line 4: date_begin" },
        { "META\nkey;value\nbudget;10\nrule;greedy\ndate_begin;2026\n"
          "date_end;2026\nvote_type;approval\nPROJECTS\nproject_id;cost\nA B;5\n",
          "line 10: project_id \"A B\"" },
    };
    for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++) {
        assert_int_equal(pbfile_read(meta[i].text, strlen(meta[i].text), "x.pb", "x", &p, msg),
                         KC_EINVAL);
        if (!strstr(msg, meta[i].want))
            fail_msg("meta case %zu: \"%s\" lacks \"%s\"", i, msg, meta[i].want);
    }
    assert_int_equal(pbfile_read(head, strlen(head), "x.pb", "Bad Id", &p, msg), KC_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equal_shares_file),
        cmocka_unit_test(test_no_skip_file),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_votes_shuffled),
        cmocka_unit_test(test_bad_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
