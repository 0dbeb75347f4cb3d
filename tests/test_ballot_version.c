/* Ballot versions (docs/voting.md, "Versions"): a ballot is cast under the version it
 * was shown, carries that version, and is counted by it; rule, projects and costs
 * frozen from the start of voting with words that say what may still change. */
#include "testutil.h"
#include "store_sql.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ballot.h"
#include "outbox.h"
#include "tally.h"

/* Knapsack over a 300, b 400, c 500. */
static ballot *make(const char *opens, long budget, const char *title, long cost_a)
{
    char text[2048], msg[KC_MSGMAX];
    snprintf(text, sizeof text,
             "{\"format\":\"kiosk-ballot\",\"version\":1,\"id\":\"v\","
             "\"title\":{\"fi\":\"%s\"},\"eligibility\":{\"fi\":\"Kaikki\"},"
             "\"opens\":\"%s\",\"closes\":\"2099-12-31\","
             "\"rule\":{\"type\":\"knapsack\",\"budget\":%ld},\"projects\":["
             "{\"id\":\"a\",\"title\":{\"fi\":\"A\"},\"cost\":%ld},"
             "{\"id\":\"b\",\"title\":{\"fi\":\"B\"},\"cost\":400},"
             "{\"id\":\"c\",\"title\":{\"fi\":\"C\"},\"cost\":500}]}",
             title, opens, budget, cost_a);
    ballot *b = NULL;
    if (ballot_parse(text, strlen(text), "v.json", &b, msg))
        fail_msg("%s", msg);
    return b;
}

static store *open_db(const char *name)
{
    store *st;
    assert_int_equal(store_open(tu_tmp(name), &st), KC_OK);
    assert_int_equal(ballot_init(st), KC_OK);
    return st;
}

/* A staff ballot for the stored newest version, cast on `day`; picks by index. */
static void cast(store *st, const char *day, size_t p1, long p2)
{
    ballot *b = NULL;
    ballot_session *s = NULL;
    ballot_why why;
    char receipt[BALLOT_RECEIPT_TEXT + 1];
    assert_int_equal(ballot_store_get(st, "v", &b), KC_OK);
    assert_int_equal(ballot_session_new(b, day, &s), KC_OK);
    assert_int_equal(ballot_session_unlock_staff(s, &why), KC_OK);
    assert_int_equal(ballot_session_toggle(s, p1, &why), KC_OK);
    if (p2 >= 0)
        assert_int_equal(ballot_session_toggle(s, (size_t)p2, &why), KC_OK);
    if (ballot_session_cast(s, st, receipt, &why))
        fail_msg("cast: %s", ballot_session_errmsg(s));
    ballot_session_free(s);
    ballot_free(b);
}

static long count_sql(store *st, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long n = (long)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

static void tally_of(store *st, tally_summary *sum)
{
    ballot *b = NULL;
    tally *t = NULL;
    assert_int_equal(ballot_store_get(st, "v", &b), KC_OK);
    assert_int_equal(tally_new(b, &t), KC_OK);
    if (tally_add_store(t, st))
        fail_msg("%s", store_errmsg(st));
    assert_int_equal(tally_compute(t), KC_OK);
    tally_get_summary(t, sum);
    tally_free(t);
    ballot_free(b);
}

/* Cast under v1, texts changed to v2 after opening: the ballot says v1, v1 is kept and
 * the tally judges it by v1; a cost change after opening is refused in words. */
static void test_text_change_after_opening(void **state)
{
    (void)state;
    store *st = open_db("version-text.db");
    char today[11];
    ballot_today(today);
    ballot *b = make("2020-01-01", 1000, "Ensimmäinen", 300);
    int changed = 0;
    assert_int_equal(ballot_store_put(st, b, &changed), KC_OK);
    assert_int_equal(changed, 1);
    ballot_free(b);
    cast(st, today, 1, 2);  /* 900 */
    assert_int_equal(count_sql(st, "SELECT count(*) FROM outbox WHERE kind = 'ballot' AND "
                                   "json_extract(payload, '$.version') = 1"), 1);

    /* texts may change after opening: a new version */
    b = make("2020-01-01", 1000, "Korjattu otsikko", 300);
    assert_int_equal(ballot_store_put(st, b, &changed), KC_OK);
    assert_int_equal(changed, 1);
    ballot_free(b);
    assert_int_equal(ballot_store_get(st, "v", &b), KC_OK);
    assert_int_equal(ballot_version(b), 2);
    cat_langs fi = cat_langs_for(CAT_FI);
    assert_string_equal(ballot_title(b, &fi, NULL), "Korjattu otsikko");
    ballot_free(b);
    assert_int_equal(ballot_store_get_version(st, "v", 1, &b), KC_OK);
    assert_string_equal(ballot_title(b, &fi, NULL), "Ensimmäinen");
    assert_int_equal(ballot_version(b), 1);
    ballot_free(b);
    cast(st, today, 0, -1);
    assert_int_equal(count_sql(st, "SELECT count(*) FROM outbox WHERE kind = 'ballot' AND "
                                   "json_extract(payload, '$.version') = 2"), 1);
    assert_int_equal(count_sql(st, "SELECT count(*) FROM ballot_vote WHERE version = 1"), 1);

    /* a cost is frozen from the start time: refused, saying what may still change */
    b = make("2020-01-01", 1000, "Korjattu otsikko", 350);
    assert_int_equal(ballot_store_put(st, b, &changed), KC_EINVAL);
    assert_int_equal(changed, 0);
    assert_non_null(strstr(store_errmsg(st), "voting opened on 2020-01-01; from then only "
                                             "texts may change (titles, descriptions, "
                                             "eligibility, areas, images)"));
    char msg[KC_MSGMAX];
    ballot *old = make("2020-01-01", 1000, "x", 300);
    assert_int_equal(ballot_check_change(old, b, today, msg), KC_EINVAL);
    assert_int_equal(ballot_check_change(old, b, "2019-12-31", msg), KC_OK);
    ballot_free(old);
    ballot_free(b);

    tally_summary sum;
    tally_of(st, &sum);
    assert_int_equal(sum.ballots, 2);
    assert_int_equal(sum.invalid, 0);
    assert_int_equal(sum.judged_earlier, 0);  /* v1 and v2 have the same structure */
    store_close(st);
}

/* A kiosk whose clock runs ahead casts under v1 (budget 1000) on the opening day by its
 * clock; the server, whose clock says voting has not opened, lowers the budget to 800
 * (v2).  The kiosk keeps v2 as sent (no refusal, so its sync does not stall), new
 * sessions get v2, and the ballots cast under v1 are judged by v1: all valid. */
static void test_changed_before_opening_judged_by_cast_version(void **state)
{
    (void)state;
    store *st = open_db("version-early.db");
    ballot *b = make("2098-06-01", 1000, "Eka", 300);
    int changed = 0;
    assert_int_equal(ballot_store_put_version(st, b, 1, &changed), KC_OK);
    ballot_free(b);
    for (int i = 0; i < 10; i++)
        if (i < 7)
            cast(st, "2098-06-01", 1, 2);  /* 900: over the later budget */
        else
            cast(st, "2098-06-01", 0, -1);  /* 300 */
    b = make("2098-06-01", 800, "Eka", 300);
    /* the local import path refuses it (votes exist) ... */
    assert_int_equal(ballot_store_put(st, b, &changed), KC_EINVAL);
    /* ... the server's version is kept as sent */
    assert_int_equal(ballot_store_put_version(st, b, 2, &changed), KC_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(ballot_store_put_version(st, b, 2, &changed), KC_OK);
    assert_int_equal(changed, 0);
    ballot_free(b);
    assert_int_equal(ballot_store_get(st, "v", &b), KC_OK);
    assert_int_equal(ballot_version(b), 2);
    assert_int_equal(ballot_budget(b), 800);
    ballot_free(b);
    /* an older version arriving late does not replace the newest */
    b = make("2098-06-01", 1000, "Eka", 300);
    assert_int_equal(ballot_store_put_version(st, b, 1, &changed), KC_OK);
    ballot_free(b);
    assert_int_equal(ballot_store_get(st, "v", &b), KC_OK);
    assert_int_equal(ballot_version(b), 2);
    ballot_free(b);

    tally_summary sum;
    tally_of(st, &sum);
    assert_int_equal(sum.ballots, 10);
    assert_int_equal(sum.invalid, 0);
    assert_int_equal(sum.judged_earlier, 10);

    /* judged by its own version: a ballot over v1's budget stays invalid */
    ballot *v1 = make("2098-06-01", 1000, "Eka", 300), *v2 = make("2098-06-01", 800, "Eka", 300);
    tally *t = NULL;
    assert_int_equal(tally_new(v2, &t), KC_OK);
    const char *all[] = { "a", "b", "c" }, *bc[] = { "b", "c" };
    assert_int_equal(tally_add_judged(t, v1, all, 3, TALLY_CODE), KC_EINVAL);
    assert_int_equal(tally_add_judged(t, v1, bc, 2, TALLY_CODE), KC_OK);
    assert_int_equal(tally_add_judged(t, NULL, bc, 2, TALLY_CODE), KC_EINVAL);
    tally_summary s;
    tally_get_summary(t, &s);
    assert_int_equal(s.ballots, 1);
    assert_int_equal(s.invalid, 2);
    tally_free(t);
    ballot_free(v1);
    ballot_free(v2);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_change_after_opening),
        cmocka_unit_test(test_changed_before_opening_judged_by_cast_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
