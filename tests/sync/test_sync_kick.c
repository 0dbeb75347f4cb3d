/* A kick (a response was just stored) syncs at once (within a second on an idle
 * machine), and a storm of kicks is a sync every two seconds at most, not one per
 * kick: the real client thread against the real server. */
#include "synctest.h"
#include "syncc.h"
#include "testutil.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static syncc_status status_of(syncc *c)
{
    syncc_status b;
    syncc_status_get(c, &b);
    return b;
}

/* How long a kick may take to reach the server.  It is meant to take about
 * SYNCC_KICK_SETTLE_MS; a loaded machine (sanitizers, parallel tests) stretches that,
 * while a kick that does not wake the thread waits for the 300 s interval. */
#define KICK_MAX_S 10.0
/* Deadline of every wait for the thread: only reached when something is broken. */
#define WAIT_MS 60000

/* Waits up to ms for the thread to finish a sync after `syncs` syncs. */
static syncc_status settled_after(syncc *c, long long syncs, long ms)
{
    syncc_status b = status_of(c);
    for (long t = 0; t < ms; t += 20) {
        b = status_of(c);
        if (b.syncs > syncs && b.state == SYNCC_UP_TO_DATE)
            break;
        st_sleep_ms(20);
    }
    return b;
}

static void test_kicks(void **state)
{
    (void)state;
    const char *sdb = tu_tmp("kick-server.db"), *kdb = tu_tmp("kick-kiosk.db");
    char tok[65], url[64], msg[KC_MSGMAX];
    st_device_add(sdb, "k", tok);
    st_server s;
    st_server_start(&s, sdb, NULL);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", s.port);
    st_add_responses(kdb, 1);
    syncc_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.db_path = kdb;
    cfg.server = url;
    cfg.token = tok;
    cfg.interval_s = 300;  /* only kicks sync again within the test */
    cfg.heartbeat_s = 0;   /* the default: not on every sync */
    syncc *c = NULL;
    if (syncc_new(&cfg, &c, msg))
        fail_msg("%s", msg);
    assert_int_equal(syncc_start(c), KC_OK);
    syncc_status b = settled_after(c, 0, WAIT_MS);
    assert_int_equal(b.state, SYNCC_UP_TO_DATE);
    assert_int_equal(st_server_count(sdb), 1);

    /* One response stored, one kick: on the server long before the interval. */
    st_sleep_ms(2100);  /* past the gap after the first sync */
    long long s0 = status_of(c).syncs;
    st_add_responses(kdb, 1);
    double t0 = st_now_s();
    syncc_kick(c);
    while (st_server_count(sdb) < 2 && st_now_s() - t0 < WAIT_MS / 1000.0)
        st_sleep_ms(10);
    double took = st_now_s() - t0;
    printf("kick: on the server after %.2f s\n", took);
    assert_int_equal(st_server_count(sdb), 2);
    assert_true(took < KICK_MAX_S);
    b = settled_after(c, s0, WAIT_MS);
    assert_int_equal(b.syncs, s0 + 1);

    /* Forty kicks over two seconds: at most a sync every two seconds. */
    st_sleep_ms(2100);
    s0 = status_of(c).syncs;
    double storm = st_now_s();
    for (int i = 0; i < 40; i++) {
        st_add_responses(kdb, 1);
        syncc_kick(c);
        st_sleep_ms(50);
    }
    /* Until the last response is on the server and the sync that took it has ended
     * (then no kick is left but, at most, one that syncs nothing). */
    double end = st_now_s() + WAIT_MS / 1000.0;
    while ((st_server_count(sdb) < 42 || status_of(c).state != SYNCC_UP_TO_DATE) &&
           st_now_s() < end)
        st_sleep_ms(20);
    b = status_of(c);
    long long syncs = b.syncs - s0;
    double spent = st_now_s() - storm;
    /* one right away, then one per two seconds (a loaded machine stretches the storm) */
    long long most = 1 + (long long)(spent / 2.0);
    printf("kick storm: 40 kicks, %lld syncs in %.1f s (at most %lld allowed)\n", syncs, spent,
           most);
    assert_true(syncs >= 1);
    assert_true(syncs <= most);
    assert_int_equal(st_server_count(sdb), 42);
    syncc_stop(c);
    syncc_free(c);
    st_server_stop(&s, SIGTERM);
}

int main(void)
{
    if (syncc_global_init())
        return 1;
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kicks),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    syncc_global_cleanup();
    return r;
}
