/* /v1/health never waits for the database.  Another connection (as an admin import
 * does) holds SQLite's write lock while kiosks' heartbeats wait for it; the health
 * check still answers at once, and the heartbeats are stored once the lock is gone.
 * (Before, the heartbeats blocked microhttpd's own threads, and every request those
 * threads carried, health included, waited with them.) */
#include "doctest.h"
#include "synctest.h"
#include "testutil.h"

#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define NBEAT 8

static size_t sink(char *p, size_t size, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return size * n;
}

typedef struct beat {
    const st_server *s;
    const char *tok;
    long status;
    pthread_t t;
} beat;

static void *send_beat(void *arg)
{
    beat *b = arg;
    CURL *h = curl_easy_init();
    if (!h)
        return NULL;
    char url[128], auth[128];
    snprintf(url, sizeof url, "%s/v1/heartbeat", b->s->url);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", b->tok);
    struct curl_slist *hdr = curl_slist_append(NULL, auth);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS,
                     "{\"version\":\"1.0\",\"catalog_rev\":0,\"outbox_depth\":0}");
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &b->status);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    return NULL;
}

static void test_health_while_locked(void **state)
{
    (void)state;
    const char *sdb = tu_tmp("busy.db");
    char tok[65];
    st_device_add(sdb, "k", tok);
    st_server s;
    /* One thread: a database wait on microhttpd's thread would then hold up every
     * connection, so the test shows the rule, not the luck of which thread accepts. */
    const char *extra[] = { "--threads", "1", NULL };
    st_server_start(&s, sdb, extra);

    sqlite3 *lock = NULL;
    assert_int_equal(sqlite3_open(sdb, &lock), SQLITE_OK);
    assert_int_equal(sqlite3_exec(lock, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    double t0 = st_now_s();
    /* Heartbeats waiting for the lock, more than the server has threads. */
    beat b[NBEAT];
    for (int i = 0; i < NBEAT; i++) {
        b[i] = (beat){ &s, tok, 0, 0 };
        assert_int_equal(pthread_create(&b[i].t, NULL, send_beat, &b[i]), 0);
    }
    st_sleep_ms(400);
    double worst = 0;
    for (int i = 0; i < 5; i++) {
        double t = st_timed_health(&s, 10L);
        worst = t > worst ? t : worst;
        st_sleep_ms(100);
    }
    double held = st_now_s() - t0;
    st_sleep_ms(1500 - (long)(held * 1000) > 0 ? 1500 - (long)(held * 1000) : 0);
    assert_int_equal(sqlite3_exec(lock, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(lock);
    for (int i = 0; i < NBEAT; i++)
        pthread_join(b[i].t, NULL);
    printf("# write lock held %.2f s; slowest of 5 health checks meanwhile %.3f s\n",
           st_now_s() - t0, worst);
    for (int i = 0; i < NBEAT; i++)
        assert_int_equal(b[i].status, 204);
    assert_int_equal(dt_long(sdb, "SELECT count(*) FROM device WHERE last_seen > 0"), 1);
    st_server_stop(&s, SIGTERM);
    /* Answered at once takes milliseconds.  Behind the heartbeats a check waited for
     * the lock this thread holds through the checks: their busy timeouts (5 s each)
     * or curl's 10 s.  The margin is for a loaded machine. */
    assert_true(worst < 1.0);
}

int main(void)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_health_while_locked),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return r;
}
