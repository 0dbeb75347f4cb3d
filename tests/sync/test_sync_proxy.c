/* A fault-injecting proxy between the client and the real server: drops, delays,
 * stalls, truncated bodies, 500s and garbage.  The client keeps retrying and ends
 * consistent: every response on the server exactly once, the same catalog. */
#include "ballot.h"
#include "doctest.h"
#include "faultproxy.h"
#include "synctest.h"
#include "syncc.h"
#include "testutil.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void nap_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static void import(const char *sdb, const char *file)
{
    const char *args[] = { "import", file, NULL };
    assert_int_equal(st_admin(sdb, NULL, 0, args), 0);
}

static void gen(const char *out, int items, int seed)
{
    assert_int_equal(tu_sh("'%s' gen --items %d --seed %d -o '%s' >/dev/null",
                           st_kioskctl_bin(), items, seed, out),
                     0);
}

static syncc *client(const char *kdb, int port, const char *tok)
{
    char url[64], msg[KC_MSGMAX];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    syncc_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.db_path = kdb;
    cfg.server = url;
    cfg.token = tok;
    cfg.batch = 40;
    cfg.page = 60;
    cfg.timeout_s = 1;
    cfg.connect_timeout_s = 1;
    cfg.interval_s = 1;
    cfg.backoff_min_s = 1;
    cfg.backoff_max_s = 1;
    cfg.heartbeat_s = -1;
    syncc *c = NULL;
    if (syncc_new(&cfg, &c, msg))
        fail_msg("%s", msg);
    return c;
}

static void check_consistent(const char *kdb, const char *sdb)
{
    long made = st_outbox_count(kdb);
    assert_int_equal(st_server_count(sdb), made);
    assert_int_equal(st_common_count(kdb, sdb), made);
    st_assert_same_payloads(kdb, sdb);
    st_assert_same_catalog(kdb, sdb);
    st_assert_integrity(kdb);
    st_assert_integrity(sdb);
}

static void report(fproxy *p, long *counts)
{
    static const char *const names[] = { "pass",  "drop",    "drop-after", "delay",
                                         "stall", "truncate", "500",        "garbage",
                                         "garbage-json" };
    fproxy_counts(p, counts);
    fprintf(stderr, "proxy:");
    for (int i = 0; i < FP_NFAULT; i++)
        fprintf(stderr, " %s %ld", names[i], counts[i]);
    fprintf(stderr, "\n");
}

/* Repeated one-shot syncs through a proxy that spoils 40% of the exchanges. */
static void test_run_once_through_faults(void **state)
{
    (void)state;
    const char *sdb = st_server_db("p1-server.db"), *kdb = tu_tmp("p1-kiosk.db");
    const char *g1 = tu_tmp("p1-g1.json"), *g2 = tu_tmp("p1-g2.json");
    char tok[65], msg[KC_MSGMAX];
    gen(g1, 600, 1);
    gen(g2, 600, 2);
    import(sdb, g1);
    /* Surveys, a ballot and its codes come down through the faults too; votes cast
     * meanwhile go up and their code uses come back down.  The voting period is
     * over by the kiosk's clock, so nothing is held back (test_sync_docs covers that);
     * the votes are cast as on a day inside it. */
    char codes[6][VOTECODE_TEXT_LEN + 1], sf[600];
    const char *day = "2024-03-10";
    dt_publish(sdb, "2024-03-01", "2024-03-31", 6, codes);
    st_device_add(sdb, "k", tok);
    st_server s;
    st_server_start(&s, sdb, NULL);
    fproxy *p = NULL;
    assert_int_equal(fproxy_start(s.port, 4242, 40, 1300, &p), 0);
    syncc *c = client(kdb, fproxy_port(p), tok);
    st_add_responses(kdb, 400);
    int ok = 0, failed = 0, voted = 0;
    for (int i = 0; i < 400 && ok < 12; i++) {
        if (i % 10 == 5) {
            st_add_responses(kdb, 30);
            import(sdb, (i / 10) % 2 ? g1 : g2);
            snprintf(sf, sizeof sf, "%s/survey-%d.json", tu_tmpdir(), i);
            dt_write_survey(sf, "dt-survey", (i / 10) % 2 ? "Kysely A" : "Kysely B");
            const char *a[] = { "import-survey", sf, NULL };
            assert_int_equal(dt_admin(sdb, NULL, NULL, 0, a), 0);
        }
        /* Once the ballot is here: two code votes and ten staff votes. */
        if (voted < 12 && dt_long(kdb, "SELECT count(*) FROM sqlite_master WHERE name = "
                                       "'ballot_def'") &&
            dt_long(kdb, "SELECT count(*) FROM ballot_code") == 6) {
            assert_int_equal(dt_cast(kdb, "dt-ballot", day, voted < 2 ? codes[voted] : NULL,
                                     (size_t)(voted % 3)),
                             BALLOT_WHY_NONE);
            voted++;
        }
        if (syncc_run_once(c, msg) == KC_OK)
            ok++;
        else
            failed++;
    }
    long counts[FP_NFAULT];
    report(p, counts);
    fprintf(stderr, "%d syncs succeeded, %d failed and were retried\n", ok, failed);
    for (int f = 0; f < FP_NFAULT; f++)
        if (counts[f] == 0)
            fail_msg("fault %d never happened", f);
    assert_true(failed > 10);
    /* Faults off: one clean sync leaves everything consistent. */
    fproxy_set_percent(p, 0);
    if (syncc_run_once(c, msg))
        fail_msg("clean sync: %s", msg);
    syncc_status b;
    syncc_status_get(c, &b);
    assert_int_equal(b.waiting, 0);
    assert_int_equal(b.state, SYNCC_UP_TO_DATE);
    syncc_free(c);
    fproxy_stop(p);
    check_consistent(kdb, sdb);
    assert_int_equal(voted, 12);
    dt_assert_docs_synced(kdb, sdb);
    assert_int_equal(dt_long(sdb, "SELECT (SELECT count(*) FROM ballot_in) + "
                                          "(SELECT count(*) FROM ballot_pool)"), 12);
    assert_int_equal(dt_long(sdb, "SELECT count(*) FROM code_use"), 2);
    assert_int_equal(dt_long(kdb, "SELECT count(*) FROM ballot_code WHERE used = 1"), 2);
    st_server_stop(&s, SIGTERM);
}

/* The client thread behind the proxy: keeps running and retrying with backoff while
 * responses keep coming; converges once the faults are off. */
static void test_thread_through_faults(void **state)
{
    (void)state;
    const char *sdb = st_server_db("p2-server.db"), *kdb = tu_tmp("p2-kiosk.db");
    char tok[65];
    import(sdb, tu_tmp("p1-g1.json"));
    st_device_add(sdb, "k", tok);
    st_server s;
    st_server_start(&s, sdb, NULL);
    fproxy *p = NULL;
    assert_int_equal(fproxy_start(s.port, 99, 50, 1300, &p), 0);
    syncc *c = client(kdb, fproxy_port(p), tok);
    assert_int_equal(syncc_start(c), KC_OK);
    int saw_failure = 0;
    for (int i = 0; i < 40; i++) {
        st_add_responses(kdb, 10);
        syncc_kick(c);
        nap_ms(100);
        syncc_status b;
        syncc_status_get(c, &b);
        saw_failure |= b.failures > 0;
    }
    fproxy_set_percent(p, 0);
    syncc_status b;
    for (int i = 0; i < 300; i++) {
        syncc_kick(c);
        nap_ms(100);
        syncc_status_get(c, &b);
        if (b.state == SYNCC_UP_TO_DATE && b.waiting == 0 &&
            st_server_count(sdb) == st_outbox_count(kdb))
            break;
    }
    syncc_stop(c);
    syncc_free(c);
    long counts[FP_NFAULT];
    report(p, counts);
    fproxy_stop(p);
    assert_true(saw_failure);
    assert_int_equal(b.waiting, 0);
    check_consistent(kdb, sdb);
    st_server_stop(&s, SIGTERM);
}

int main(void)
{
    if (syncc_global_init())
        return 1;
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_once_through_faults),
        cmocka_unit_test(test_thread_through_faults),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    syncc_global_cleanup();
    return r;
}
