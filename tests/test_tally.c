/* Tally on hand-computed datasets: counts, ranking, tie rule, greedy budget, CSV. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballot.h"
#include "tally.h"

static ballot *make(const char *rule, const char *projects)
{
    char buf[4096], msg[KC_MSGMAX];
    snprintf(buf, sizeof buf,
             "{\"format\":\"kiosk-ballot\",\"version\":1,\"id\":\"h\",\"title\":{\"fi\":\"H\"},"
             "\"eligibility\":{\"fi\":\"E\"},\"opens\":\"2026-01-01\",\"closes\":\"2026-12-31\","
             "\"rule\":%s,\"projects\":[%s]}", rule, projects);
    ballot *b;
    if (ballot_parse(buf, strlen(buf), "h.json", &b, msg))
        fail_msg("%s", msg);
    return b;
}

#define NB "\xC2\xA0"
#define EUR "\xE2\x82\xAC"
#define P(id, cost) "{\"id\":\"" id "\",\"title\":{\"fi\":\"" id "\"},\"cost\":" #cost "}"

/* Knapsack, budget 1000.  Hand count:
 *   p3 (500) 5 votes, p2 (300) 4, p1 (600) 4, p5 (100) 2, p4 (200) 2, p6 (400) 0.
 * Ranking with the tie rule (cheaper first): p3, p2, p1, p5, p4, p6.
 * Greedy: p3 (left 500), p2 (left 200), p1 does not fit, p5 (left 100), p4 does not fit,
 * p6 has no votes.  Winners p3 p2 p5, spent 900. */
static const char *const KS_PROJECTS =
    P("p1", 600) "," P("p2", 300) "," P("p3", 500) "," P("p4", 200) "," P("p5", 100) ","
    P("p6", 400);

typedef struct vote {
    const char *picks[4];
    int staff;
    int valid;
} vote;

static const vote KS_VOTES[] = {
    { { "p3", "p2", "p4" }, 1, 1 },
    { { "p3", "p2", "p5" }, 0, 1 },
    { { "p3", "p2" }, 0, 1 },
    { { "p3", "p5" }, 1, 1 },
    { { "p3" }, 0, 1 },
    { { "p1", "p4" }, 0, 1 },
    { { "p1", "p2" }, 0, 1 },
    { { "p1" }, 0, 1 },
    { { "p1" }, 0, 1 },
    { { "p1", "p3" }, 0, 0 },  /* 1100: over the budget */
    { { "p2", "p2" }, 0, 0 },  /* repeated pick */
    { { "zzz" }, 0, 0 },       /* no such project */
    { { NULL }, 0, 0 },        /* no picks: fewer than min 1 */
};

static size_t npicks(const vote *v)
{
    size_t n = 0;
    while (n < 4 && v->picks[n])
        n++;
    return n;
}

static void add_all(tally *t, const vote *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        assert_int_equal(tally_add(t, v[i].picks, npicks(&v[i]), v[i].staff),
                         v[i].valid ? KC_OK : KC_EINVAL);
}

static void check_row(const tally *t, size_t rank, const char *id, long votes, long staff,
                      int tied, int winner)
{
    const tally_row *r = tally_row_at(t, rank);
    assert_string_equal(r->id, id);
    assert_int_equal(r->rank, (int)rank + 1);
    assert_int_equal(r->votes, votes);
    assert_int_equal(r->votes_staff, staff);
    assert_int_equal(r->votes_code, votes - staff);
    assert_int_equal(r->tied, tied);
    assert_int_equal(r->winner, winner);
}

static void test_knapsack(void **state)
{
    (void)state;
    ballot *b = make("{\"type\":\"knapsack\",\"budget\":1000}", KS_PROJECTS);
    tally *t;
    assert_int_equal(tally_new(b, &t), KC_OK);
    add_all(t, KS_VOTES, sizeof KS_VOTES / sizeof KS_VOTES[0]);
    tally_compute(t);
    check_row(t, 0, "p3", 5, 2, 0, 1);
    check_row(t, 1, "p2", 4, 1, 1, 1);
    check_row(t, 2, "p1", 4, 0, 1, 0);
    check_row(t, 3, "p5", 2, 1, 1, 1);
    check_row(t, 4, "p4", 2, 1, 1, 0);
    check_row(t, 5, "p6", 0, 0, 0, 0);
    tally_summary s;
    tally_get_summary(t, &s);
    assert_int_equal(s.ballots, 9);
    assert_int_equal(s.ballots_code, 7);
    assert_int_equal(s.ballots_staff, 2);
    assert_int_equal(s.invalid, 4);
    assert_int_equal(s.budget, 1000);
    assert_int_equal(s.spent, 900);
    assert_int_equal(s.winners, 3);

    FILE *f = fopen(tu_tmp("ks.csv"), "w");
    assert_non_null(f);
    assert_int_equal(tally_write_csv(t, f), KC_OK);
    fclose(f);
    char *csv = tu_read(tu_tmp("ks.csv"), NULL);
    assert_string_equal(csv,
                        "\xEF\xBB\xBF\"rank\";\"id\";\"title\";\"cost\";\"votes\";\"votes_code\";"
                        "\"votes_staff\";\"votes_paper\";\"tied\";\"winner\";\"round\";\"explanation\"\r\n"
                        "1;\"p3\";\"p3\";500;5;3;2;0;0;1;1;\"Won: it fitted the budget (1" NB "000" NB
                        EUR " left, costs 500" NB EUR ").\"\r\n"
                        "2;\"p2\";\"p2\";300;4;3;1;0;1;1;2;\"Won: it fitted the budget (500" NB EUR
                        " left, costs 300" NB EUR ").\"\r\n"
                        "3;\"p1\";\"p1\";600;4;4;0;0;1;0;0;\"Did not fit: 200" NB EUR " left, costs 600"
                        NB EUR ".\"\r\n"
                        "4;\"p5\";\"p5\";100;2;1;1;0;1;1;3;\"Won: it fitted the budget (200" NB EUR
                        " left, costs 100" NB EUR ").\"\r\n"
                        "5;\"p4\";\"p4\";200;2;1;1;0;1;0;0;\"Did not fit: 100" NB EUR " left, costs 200"
                        NB EUR ".\"\r\n"
                        "6;\"p6\";\"p6\";400;0;0;0;0;0;0;0;\"No votes.\"\r\n");
    free(csv);

    char text[1024];
    size_t need = tally_rule_text(b, CAT_EN, text, sizeof text);
    assert_int_equal(need, strlen(text));
    assert_non_null(strstr(text, "cheaper project comes first"));
    assert_non_null(strstr(text, "1\xC2\xA0" "000\xC2\xA0\xE2\x82\xAC"));
    assert_non_null(strstr(text, "what is left of the budget"));
    tally_rule_text(b, CAT_FI, text, sizeof text);
    assert_non_null(strstr(text, "budjettiin"));
    tally_rule_text(b, CAT_SV, text, sizeof text);
    assert_non_null(strstr(text, "budgeten"));
    /* a short buffer is cut but says how much it needed */
    char small[8];
    size_t fi = tally_rule_text(b, CAT_FI, text, sizeof text);
    assert_int_equal(tally_rule_text(b, CAT_FI, small, sizeof small), fi);
    assert_int_equal(strlen(small), 7);
    tally_free(t);
    ballot_free(b);
}

/* Approval, pick 1..2.  Hand count: a 3, b 3, c 3, d 1 (costs 100, 900, 200, 300).
 * Ranking: a, c, b (ties by cost), d. */
static const vote AP_VOTES[] = {
    { { "a", "b" }, 0, 1 },
    { { "a", "c" }, 0, 1 },
    { { "b", "c" }, 0, 1 },
    { { "a", "d" }, 0, 1 },
    { { "b", "c" }, 1, 1 },
    { { "a", "b", "c" }, 0, 0 },  /* more than max */
};

static void test_approval(void **state)
{
    (void)state;
    static const char *const projects = P("a", 100) "," P("b", 900) "," P("c", 200) ","
                                        P("d", 300);
    static const struct {
        const char *rule;
        int winners[4];  /* a c b d in rank order */
        long long spent;
    } cases[] = {
        /* two winners, no budget: the top two */
        { "{\"type\":\"approval\",\"min\":1,\"max\":2,\"winners\":2}", { 1, 1, 0, 0 }, 300 },
        /* three winners: a c b */
        { "{\"type\":\"approval\",\"min\":1,\"max\":2,\"winners\":3}", { 1, 1, 1, 0 }, 1200 },
        /* three winners within 1000: b does not fit after a and c, d does */
        { "{\"type\":\"approval\",\"min\":1,\"max\":2,\"winners\":3,\"budget\":1000}",
          { 1, 1, 0, 1 }, 600 },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        ballot *b = make(cases[k].rule, projects);
        tally *t;
        assert_int_equal(tally_new(b, &t), KC_OK);
        add_all(t, AP_VOTES, sizeof AP_VOTES / sizeof AP_VOTES[0]);
        tally_compute(t);
        tally_compute(t);  /* idempotent */
        static const char *const order[] = { "a", "c", "b", "d" };
        static const long votes[] = { 3, 3, 3, 1 };
        for (size_t i = 0; i < 4; i++)
            check_row(t, i, order[i], votes[i], i == 1 || i == 2, i < 3,
                      cases[k].winners[i]);
        tally_summary s;
        tally_get_summary(t, &s);
        assert_int_equal(s.ballots, 5);
        assert_int_equal(s.invalid, 1);
        assert_int_equal(s.spent, cases[k].spent);
        char text[1024];
        tally_rule_text(b, CAT_EN, text, sizeof text);
        assert_non_null(strstr(text, k == 0 ? "At most 2 projects" : "At most 3 projects"));
        assert_true((strstr(text, "budget") != NULL) == (k == 2));
        tally_free(t);
        ballot_free(b);
    }
}

/* The knapsack dataset under the other greedy methods and tie rules.  Hand count as
 * above: 9 ballots; p3 5 votes, p2 4, p1 4, p5 2, p4 2, p6 0. */
static void test_greedy_methods(void **state)
{
    (void)state;
    static const struct {
        const char *rule;
        const char *order[6];
        int winner[6];     /* in rank order */
        tally_why why[6];
        long long spent;
    } cases[] = {
        /* stop at the first that does not fit: p1 stops it, p5 would have fitted */
        { "{\"type\":\"knapsack\",\"budget\":1000,\"method\":\"greedy-no-skip\"}",
          { "p3", "p2", "p1", "p5", "p4", "p6" }, { 1, 1, 0, 0, 0, 0 },
          { TALLY_WHY_FITS, TALLY_WHY_FITS, TALLY_WHY_NO_FIT, TALLY_WHY_STOPPED,
            TALLY_WHY_STOPPED, TALLY_WHY_NO_VOTES }, 800 },
        /* 40 % of 9 ballots: at least 4 votes (3.6 rounded up) */
        { "{\"type\":\"knapsack\",\"budget\":1000,\"method\":\"greedy-threshold\","
          "\"threshold_percent\":40}",
          { "p3", "p2", "p1", "p5", "p4", "p6" }, { 1, 1, 0, 0, 0, 0 },
          { TALLY_WHY_FITS, TALLY_WHY_FITS, TALLY_WHY_NO_FIT, TALLY_WHY_THRESHOLD,
            TALLY_WHY_THRESHOLD, TALLY_WHY_NO_VOTES }, 800 },
        { "{\"type\":\"knapsack\",\"budget\":1000,\"method\":\"greedy-threshold\","
          "\"threshold_votes\":5}",
          { "p3", "p2", "p1", "p5", "p4", "p6" }, { 1, 0, 0, 0, 0, 0 },
          { TALLY_WHY_FITS, TALLY_WHY_THRESHOLD, TALLY_WHY_THRESHOLD, TALLY_WHY_THRESHOLD,
            TALLY_WHY_THRESHOLD, TALLY_WHY_NO_VOTES }, 500 },
        /* dearer first: p1 before p2 and p4 before p5; p1 does not fit, p4 then does */
        { "{\"type\":\"knapsack\",\"budget\":1000,\"ties\":\"dearer-first\"}",
          { "p3", "p1", "p2", "p4", "p5", "p6" }, { 1, 0, 1, 1, 0, 0 },
          { TALLY_WHY_FITS, TALLY_WHY_NO_FIT, TALLY_WHY_FITS, TALLY_WHY_FITS,
            TALLY_WHY_NO_FIT, TALLY_WHY_NO_VOTES }, 1000 },
        /* listed order: p1 before p2 (listed first), p4 before p5 */
        { "{\"type\":\"knapsack\",\"budget\":1000,\"ties\":\"listed\"}",
          { "p3", "p1", "p2", "p4", "p5", "p6" }, { 1, 0, 1, 1, 0, 0 },
          { TALLY_WHY_FITS, TALLY_WHY_NO_FIT, TALLY_WHY_FITS, TALLY_WHY_FITS,
            TALLY_WHY_NO_FIT, TALLY_WHY_NO_VOTES }, 1000 },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        ballot *b = make(cases[k].rule, KS_PROJECTS);
        tally *t;
        assert_int_equal(tally_new(b, &t), KC_OK);
        add_all(t, KS_VOTES, sizeof KS_VOTES / sizeof KS_VOTES[0]);
        assert_int_equal(tally_compute(t), KC_OK);
        for (size_t i = 0; i < 6; i++) {
            const tally_row *r = tally_row_at(t, i);
            assert_string_equal(r->id, cases[k].order[i]);
            assert_int_equal(r->winner, cases[k].winner[i]);
            assert_int_equal(r->why, cases[k].why[i]);
        }
        tally_summary s;
        tally_get_summary(t, &s);
        assert_int_equal(s.spent, cases[k].spent);
        char text[2048];
        tally_rule_text(b, CAT_EN, text, sizeof text);
        if (k == 0) {
            assert_non_null(strstr(text, "Counting stops at the first project that does not"));
            tally_explain(t, tally_row_at(t, 3), CAT_EN, text, sizeof text);
            assert_string_equal(text, "Not considered: counting stopped at \"p1\", which did "
                                      "not fit.");
            tally_explain(t, tally_row_at(t, 3), CAT_FI, text, sizeof text);
            assert_non_null(strstr(text, "p1"));
        } else if (k == 1) {
            assert_non_null(strstr(text, "at least 40 % of the counted ballots"));
            tally_explain(t, tally_row_at(t, 3), CAT_EN, text, sizeof text);
            assert_string_equal(text, "Below the threshold: 2 votes, 4 needed.");
            tally_explain(t, tally_row_at(t, 3), CAT_SV, text, sizeof text);
            assert_string_equal(text, "Under gränsen: 2 röster, 4 behövdes.");
        } else if (k == 2) {
            assert_non_null(strstr(text, "at least 5 votes"));
        } else if (k == 3) {
            assert_non_null(strstr(text, "dearer project comes first"));
        } else {
            assert_non_null(strstr(text, "listed earlier on the ballot comes first"));
        }
        tally_free(t);
        ballot_free(b);
    }
}

/* Equal shares, hand-computed.  Budget 1200, 6 voters: a share of 200 each.
 *   A 800: v1 v2 v3 v4    B 400: v5 v6    C 400: v5 v6    D 100: v1
 * Approval utilities, share 200: D costs its one supporter 100 (the lowest price),
 * then A's supporters have 100 + 3 * 200 = 700 < 800: out; B and C cost 200 each, B
 * is listed first; then v5 and v6 have nothing for C.  Winners D, B: 500 spent.
 * Add-one: at a share of s, A's supporters have (s - 100) + 3s after D, enough from
 * s = 225, when D, B, A cost 1300 > 1200: the outcome at s = 224 stands (D, B), and
 * A's supporters had 124 + 3 * 224 = 796 left.
 * Cost utilities, share 200: price per euro A 200/800, B and C 200/400, D 100/100: A,
 * then B (listed before C); v1 has nothing left for D.  A, B: 1200 spent, the whole
 * budget, and no share up to 299 changes it (at 300 D comes in: 1300). */
static void test_equal_shares(void **state)
{
    (void)state;
    static const char *const projects = P("a", 800) "," P("b", 400) "," P("c", 400) ","
                                        P("d", 100);
    static const vote votes[] = {
        { { "a", "d" }, 0, 1 }, { { "a" }, 0, 1 }, { { "a" }, 1, 1 },
        { { "a" }, 0, 1 },      { { "b", "c" }, 0, 1 }, { { "c", "b" }, 0, 1 },
    };
    static const struct {
        const char *rule;
        int won[4];         /* A B C D: the round each won in, 0 lost */
        long long spent;
        double share;
    } cases[] = {
        { "{\"type\":\"approval\",\"min\":1,\"max\":2,\"budget\":1200,"
          "\"method\":\"equal-shares\",\"completion\":\"none\"}", { 0, 2, 0, 1 }, 500, 200 },
        { "{\"type\":\"approval\",\"min\":1,\"max\":2,\"budget\":1200,"
          "\"method\":\"equal-shares\"}", { 0, 2, 0, 1 }, 500, 224 },
        { "{\"type\":\"approval\",\"min\":1,\"max\":2,\"budget\":1200,"
          "\"method\":\"equal-shares\",\"utility\":\"cost\"}", { 1, 2, 0, 0 }, 1200, 299 },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        ballot *b = make(cases[k].rule, projects);
        tally *t;
        assert_int_equal(tally_new(b, &t), KC_OK);
        add_all(t, votes, sizeof votes / sizeof votes[0]);
        assert_int_equal(tally_compute(t), KC_OK);
        for (size_t p = 0; p < 4; p++) {
            const tally_row *r = tally_row_of(t, p);
            assert_int_equal(r->round, cases[k].won[p]);
            assert_int_equal(r->winner, cases[k].won[p] > 0);
            assert_int_equal(r->why, r->winner ? TALLY_WHY_SHARES : TALLY_WHY_SHORT);
        }
        tally_summary s;
        tally_get_summary(t, &s);
        assert_int_equal(s.spent, cases[k].spent);
        assert_true(s.share_base == 200);
        assert_true(s.share == cases[k].share);
        char text[2048];
        if (k == 1) {
            tally_explain(t, tally_row_of(t, 0), CAT_EN, text, sizeof text);
            assert_string_equal(text, "Not funded: its supporters had 796.00" NB EUR
                                      " left of their shares, it costs 800" NB EUR ".");
            tally_explain(t, tally_row_of(t, 1), CAT_EN, text, sizeof text);
            assert_string_equal(text, "Won: 2 supporters paid for it from their shares, at "
                                      "most 200.00" NB EUR " each.");
            tally_explain(t, tally_row_of(t, 1), CAT_FI, text, sizeof text);
            assert_string_equal(text, "Voitti: 2 kannattajaa maksoi sen osuuksistaan, kukin "
                                      "enintään 200,00" NB EUR ".");
            tally_rule_text(b, CAT_EN, text, sizeof text);
            assert_non_null(strstr(text, "divided equally between the voters"));
            assert_non_null(strstr(text, "raised one euro at a time"));
            tally_rule_text(b, CAT_SV, text, sizeof text);
            assert_non_null(strstr(text, "delas lika"));
        }
        tally_free(t);
        ballot_free(b);
    }
}

/* The same knapsack dataset cast through sessions and read back from the database. */
static void test_from_store(void **state)
{
    (void)state;
    ballot *b = make("{\"type\":\"knapsack\",\"budget\":1000}", KS_PROJECTS);
    store *st;
    assert_int_equal(store_open(tu_tmp("tally.db"), &st), KC_OK);
    assert_int_equal(ballot_init(st), KC_OK);
    int changed;
    assert_int_equal(ballot_store_put(st, b, &changed), KC_OK);
    size_t nvotes = sizeof KS_VOTES / sizeof KS_VOTES[0];
    char (*codes)[VOTECODE_TEXT_LEN + 1] = calloc(nvotes, sizeof *codes);
    assert_int_equal(ballot_codes_generate(st, "h", nvotes, codes), KC_OK);
    for (size_t i = 0; i < nvotes; i++) {
        if (!KS_VOTES[i].valid)
            continue;
        ballot_session *s;
        ballot_why why;
        char receipt[BALLOT_RECEIPT_TEXT + 1];
        assert_int_equal(ballot_session_new(b, "2026-05-05", &s), KC_OK);
        if (KS_VOTES[i].staff)
            assert_int_equal(ballot_session_unlock_staff(s, &why), KC_OK);
        else
            assert_int_equal(ballot_session_enter_code(s, st, codes[i], &why), KC_OK);
        for (size_t k = 0; k < npicks(&KS_VOTES[i]); k++)
            assert_int_equal(ballot_session_toggle(
                                 s, (size_t)ballot_project_index(b, KS_VOTES[i].picks[k]), &why),
                             KC_OK);
        assert_int_equal(ballot_session_cast(s, st, receipt, &why), KC_OK);
        ballot_session_free(s);
    }
    free(codes);
    tally *t;
    assert_int_equal(tally_new(b, &t), KC_OK);
    assert_int_equal(tally_add_store(t, st), KC_OK);
    tally_compute(t);
    check_row(t, 0, "p3", 5, 2, 0, 1);
    check_row(t, 1, "p2", 4, 1, 1, 1);
    check_row(t, 2, "p1", 4, 0, 1, 0);
    check_row(t, 3, "p5", 2, 1, 1, 1);
    check_row(t, 4, "p4", 2, 1, 1, 0);
    tally_summary s;
    tally_get_summary(t, &s);
    assert_int_equal(s.ballots, 9);
    assert_int_equal(s.ballots_staff, 2);
    assert_int_equal(s.invalid, 0);
    tally_free(t);
    store_close(st);
    ballot_free(b);
}

static void test_reconcile(void **state)
{
    (void)state;
    /* code h1 used on kiosks A and B (and A's record resent), h2 once; ballots: t1 twice
     * (the double use), t2 once, one untagged (staff) twice (a resend), one untagged
     * from a ballot without a tally key whose code h3 was also used twice. */
    tally_use u[] = {
        { "u1", "h1", "A", 9 }, { "u2", "h1", "B", 9 }, { "u1", "h1", "A", 9 },
        { "u3", "h2", "A", 9 }, { "u4", "h3", "A", 9 }, { "u5", "h3", "B", 9 },
    };
    tally_vote v[] = {
        { "v2", "t1", 9, 9 }, { "v1", "t1", 9, 9 }, { "v3", "t2", 9, 9 },
        { "v4", NULL, 9, 9 }, { "v4", NULL, 9, 9 }, { "v5", NULL, 9, 9 },
    };
    tally_reconcile_report r;
    assert_int_equal(tally_reconcile(u, 6, v, 6, &r), KC_OK);
    assert_int_equal(r.codes_used, 3);
    assert_int_equal(r.duplicate_uses, 2);
    assert_int_equal(r.duplicate_votes, 1);
    assert_int_equal(r.counted, 4);  /* v1 v3 v4 v5 */
    assert_int_equal(r.unremovable, 1);
    assert_int_equal(u[0].duplicate, 0);
    assert_int_equal(u[2].duplicate, 0);  /* a resend of the standing record */
    assert_int_equal(u[1].duplicate, 1);
    assert_int_equal(u[3].duplicate, 0);
    assert_int_equal(u[4].duplicate + u[5].duplicate, 1);
    assert_int_equal(v[1].counts, 1);     /* smallest UUID of t1 */
    assert_int_equal(v[0].counts, 0);
    assert_int_equal(v[0].duplicate, 1);
    assert_int_equal(v[2].counts, 1);
    assert_int_equal(v[3].counts + v[4].counts, 1);
    assert_int_equal(v[5].counts, 1);
    assert_int_equal(tally_reconcile(NULL, 0, NULL, 0, &r), KC_OK);
    assert_int_equal(r.counted, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_knapsack),
        cmocka_unit_test(test_approval),
        cmocka_unit_test(test_greedy_methods),
        cmocka_unit_test(test_equal_shares),
        cmocka_unit_test(test_from_store),
        cmocka_unit_test(test_reconcile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
