/* Issue 15, ballot versions with the real server (docs/voting.md, "Versions"):
 * - a kiosk whose clock runs ahead holds ten ballots cast under v1 (budget 1000) when
 *   the server, by its own clock before opening, accepts v2 (budget 800): the kiosk
 *   keeps syncing, and the server counts all ten by v1 (before: 7 of 10 invalid, and
 *   every later sync of that kiosk failed on storing v2);
 * - after opening the server takes text changes as a new version and refuses a cost
 *   change in words that name what may still change; ballots carry their version. */
#include "ballot.h"
#include "doctest.h"
#include "store.h"
#include "testutil.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BID "pb-versions"

static void day_from_now(int days, char out[11])
{
    time_t t = time(NULL) + (time_t)days * 86400;
    struct tm tm;
    assert_non_null(localtime_r(&t, &tm));
    assert_int_equal(strftime(out, 11, "%Y-%m-%d", &tm), 10);
}

/* Knapsack, p1 300, p2 400, p3 500. */
static void write_ballot(const char *path, const char *opens, long budget, const char *title,
                         long cost_p1)
{
    char text[2048];
    snprintf(text, sizeof text,
             "{\"format\":\"kiosk-ballot\",\"version\":1,\"id\":\"" BID "\","
             "\"title\":{\"fi\":\"%s\"},\"eligibility\":{\"fi\":\"Kaikki\"},"
             "\"opens\":\"%s\",\"closes\":\"2099-12-31\","
             "\"rule\":{\"type\":\"knapsack\",\"budget\":%ld},\"projects\":["
             "{\"id\":\"p1\",\"title\":{\"fi\":\"Yksi\"},\"cost\":%ld},"
             "{\"id\":\"p2\",\"title\":{\"fi\":\"Kaksi\"},\"cost\":400},"
             "{\"id\":\"p3\",\"title\":{\"fi\":\"Kolme\"},\"cost\":500}]}",
             title, opens, budget, cost_p1);
    st_write_file(path, text);
}

/* A staff ballot on the kiosk for its newest version, on the kiosk's `day`. */
static void cast(const char *kdb, const char *day, int big)
{
    store *st = NULL;
    ballot *b = NULL;
    ballot_session *s = NULL;
    ballot_why why;
    char receipt[BALLOT_RECEIPT_TEXT + 1];
    assert_int_equal(store_open(kdb, &st), KC_OK);
    assert_int_equal(ballot_init(st), KC_OK);
    assert_int_equal(ballot_store_get(st, BID, &b), KC_OK);
    assert_int_equal(ballot_session_new(b, day, &s), KC_OK);
    assert_int_equal(ballot_session_unlock_staff(s, &why), KC_OK);
    assert_int_equal(ballot_session_toggle(s, big ? 1 : 0, &why), KC_OK);
    if (big)
        assert_int_equal(ballot_session_toggle(s, 2, &why), KC_OK);  /* 400 + 500 */
    if (ballot_session_cast(s, st, receipt, &why))
        fail_msg("cast: %s", ballot_session_errmsg(s));
    ballot_session_free(s);
    ballot_free(b);
    store_close(st);
}

static int kiosk_version(const char *kdb, long *budget)
{
    store *st = NULL;
    ballot *b = NULL;
    assert_int_equal(store_open(kdb, &st), KC_OK);
    assert_int_equal(ballot_init(st), KC_OK);
    assert_int_equal(ballot_store_get(st, BID, &b), KC_OK);
    int v = ballot_version(b);
    if (budget)
        *budget = (long)ballot_budget(b);
    ballot_free(b);
    store_close(st);
    return v;
}

static int import(const char *sdb, const char *file, char *out, char *err, size_t cap)
{
    const char *a[] = { "import-ballot", file, NULL };
    return dt_admin(sdb, out, err, cap, a);
}

static void tally(const char *sdb, char *out, size_t cap)
{
    char err[4096];
    const char *a[] = { "ballot-tally", BID, NULL };
    assert_int_equal(dt_admin(sdb, out, err, sizeof err < cap ? sizeof err : cap, a), 0);
}

static long pushed(const char *sdb, int version)
{
    char q[300];
    snprintf(q, sizeof q, "SELECT (SELECT count(*) FROM ballot_in WHERE "
             "json_extract(payload, '$.version') = %d) + (SELECT count(*) FROM ballot_pool "
             "WHERE json_extract(payload, '$.version') = %d)", version, version);
    return dt_long(sdb, q);
}

static void test_kiosk_holds_ten(void **state)
{
    (void)state;
    char sdb[600], kdb[600], bf[600], tok[65], tomorrow[11], out[8192], err[8192];
    st_server s;
    snprintf(sdb, sizeof sdb, "%s", tu_tmp("ver-server.db"));
    snprintf(kdb, sizeof kdb, "%s", tu_tmp("ver-kiosk.db"));
    snprintf(bf, sizeof bf, "%s", tu_tmp("ver-ballot.json"));
    day_from_now(1, tomorrow);
    write_ballot(bf, tomorrow, 1000, "Äänestys", 300);
    assert_int_equal(import(sdb, bf, out, err, sizeof out), 0);
    assert_non_null(strstr(out, "version 1 added"));
    st_device_add(sdb, "kiosk-ahead", tok);
    st_server_start(&s, sdb, NULL);
    syncc *c = dt_client(kdb, &s, tok);
    dt_sync(c);
    assert_int_equal(kiosk_version(kdb, NULL), 1);

    /* The kiosk's clock says voting opened; it holds ten ballots, seven of them 900. */
    for (int i = 0; i < 10; i++)
        cast(kdb, tomorrow, i < 7);

    /* By the server's clock voting has not opened: the budget may still change. */
    write_ballot(bf, tomorrow, 800, "Äänestys", 300);
    assert_int_equal(import(sdb, bf, out, err, sizeof out), 0);
    assert_non_null(strstr(out, "version 2 changed"));

    /* The kiosk pushes its ten under v1 and takes v2; its sync does not fail, now or
     * on the next round. */
    dt_sync(c);
    dt_sync(c);
    long budget = 0;
    assert_int_equal(kiosk_version(kdb, &budget), 2);
    assert_int_equal(budget, 800);
    dt_assert_docs_synced(kdb, sdb);
    assert_int_equal(pushed(sdb, 1), 10);
    assert_int_equal(dt_long(kdb, "SELECT count(*) FROM outbox WHERE sent = 0"), 0);
    syncc_free(c);

    /* All ten count, judged by v1. */
    tally(sdb, out, sizeof out);
    if (!strstr(out, "10 ballots counted") || !strstr(out, "0 invalid") ||
        !strstr(out, "10 ballots were cast under an earlier version"))
        fail_msg("tally:\n%s", out);
    st_server_stop(&s, SIGTERM);
}

static void test_texts_after_opening(void **state)
{
    (void)state;
    char sdb[600], kdb[600], bf[600], tok[65], today[11], out[8192], err[8192];
    st_server s;
    snprintf(sdb, sizeof sdb, "%s", tu_tmp("vt-server.db"));
    snprintf(kdb, sizeof kdb, "%s", tu_tmp("vt-kiosk.db"));
    snprintf(bf, sizeof bf, "%s", tu_tmp("vt-ballot.json"));
    ballot_today(today);
    write_ballot(bf, "2020-01-01", 1000, "Äänestys", 300);
    assert_int_equal(import(sdb, bf, out, err, sizeof out), 0);
    st_device_add(sdb, "kiosk", tok);
    st_server_start(&s, sdb, NULL);
    syncc *c = dt_client(kdb, &s, tok);
    dt_sync(c);
    for (int i = 0; i < 10; i++)
        cast(kdb, today, i % 2);

    /* texts: a new version; a cost: refused, in words naming what may change */
    write_ballot(bf, "2020-01-01", 1000, "Äänestys (korjattu)", 300);
    assert_int_equal(import(sdb, bf, out, err, sizeof out), 0);
    assert_non_null(strstr(out, "version 2 changed"));
    write_ballot(bf, "2020-01-01", 1000, "Äänestys (korjattu)", 350);
    assert_int_not_equal(import(sdb, bf, out, err, sizeof out), 0);
    if (!strstr(err, "voting opened on 2020-01-01; from then only texts may change (titles, "
                     "descriptions, eligibility, areas, images), not the rule, projects or "
                     "costs"))
        fail_msg("stderr: %s", err);
    assert_int_equal(dt_long(sdb, "SELECT count(*) FROM doc WHERE type = 'ballot'"), 2);

    dt_sync(c);
    assert_int_equal(kiosk_version(kdb, NULL), 2);
    for (int i = 0; i < 10; i++)
        cast(kdb, today, i % 2);
    dt_sync(c);
    dt_assert_docs_synced(kdb, sdb);
    assert_int_equal(pushed(sdb, 1), 10);
    assert_int_equal(pushed(sdb, 2), 10);
    syncc_free(c);
    tally(sdb, out, sizeof out);
    if (!strstr(out, "20 ballots counted") || !strstr(out, "0 invalid") ||
        strstr(out, "earlier version"))
        fail_msg("tally:\n%s", out);
    st_server_stop(&s, SIGTERM);
}

int main(void)
{
    if (syncc_global_init())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kiosk_holds_ten),
        cmocka_unit_test(test_texts_after_opening),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    syncc_global_cleanup();
    return r;
}
