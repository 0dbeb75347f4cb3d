/* Round trip, paging, tombstones, idempotency, unchanged checks, revocation, the
 * client thread and TLS: the real kiosk-server on loopback, the real client engine. */
#include "outbox.h"
#include "store_sql.h"
#include "store.h"
#include "synctest.h"
#include "syncc.h"
#include "testutil.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char cat1[] =
    "{\"format\":\"kiosk-content\",\"version\":1,\"areas\":["
    "{\"id\":\"t-city\",\"city\":\"Testila\",\"type\":\"city\",\"name\":{\"fi\":\"Testilä\"}}],"
    "\"items\":["
    "{\"id\":\"a-1\",\"kind\":\"association\",\"name\":{\"fi\":\"Testiseura ry\"},"
    "\"area\":\"t-city\"},"
    "{\"id\":\"a-2\",\"kind\":\"association\",\"name\":{\"fi\":\"Toinen seura\",\"sv\":"
    "\"Andra föreningen\"}},"
    "{\"id\":\"v-1\",\"kind\":\"venue\",\"name\":{\"fi\":\"Nuorisotila\"},\"price\":\"free\","
    "\"area\":\"t-city\"}]}";

/* Changes a-1, deletes a-2, adds an area and an item in it. */
static const char cat2[] =
    "{\"format\":\"kiosk-content\",\"version\":1,\"areas\":["
    "{\"id\":\"t-village\",\"city\":\"Testila\",\"type\":\"village\",\"name\":{\"fi\":"
    "\"Kylä\",\"sv\":\"By\"}}],"
    "\"items\":["
    "{\"id\":\"a-1\",\"kind\":\"association\",\"name\":{\"fi\":\"Testiseura ry\",\"en\":"
    "\"Test Club\"},\"area\":\"t-city\"},"
    "{\"id\":\"a-3\",\"kind\":\"association\",\"name\":{\"fi\":\"Kyläyhdistys\"},"
    "\"area\":\"t-village\"}],"
    "\"deleted\":[\"a-2\"]}";

static void nap_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static void import(const char *db, const char *text)
{
    static int n;
    char name[64];
    snprintf(name, sizeof name, "import-%d.json", n++);
    st_write_file(tu_tmp(name), text);
    const char *args[] = { "import", tu_tmp(name), NULL };
    assert_int_equal(st_admin(db, NULL, 0, args), 0);
}

static syncc *client(const char *kdb, const st_server *s, const char *tok, int page)
{
    syncc_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.db_path = kdb;
    cfg.server = s->url;
    cfg.token = tok;
    cfg.page = page;
    cfg.batch = 10;
    cfg.heartbeat_s = 3600;
    syncc *c = NULL;
    char msg[KC_MSGMAX];
    if (syncc_new(&cfg, &c, msg))
        fail_msg("%s", msg);
    return c;
}

static void sync_ok(syncc *c)
{
    char msg[KC_MSGMAX];
    if (syncc_run_once(c, msg))
        fail_msg("sync failed: %s", msg);
}

static long meta_long(const char *db, const char *key)
{
    store *st = NULL;
    char *v = NULL;
    assert_int_equal(store_open(db, &st), KC_OK);
    assert_int_equal(store_meta_get(st, key, &v), KC_OK);
    long r = v ? atol(v) : -1;
    kc_free(v);
    store_close(st);
    return r;
}

static void test_round_trip(void **state)
{
    (void)state;
    const char *sdb = st_server_db("rt-server.db"), *kdb = tu_tmp("rt-kiosk.db");
    char tok[65];
    import(sdb, cat1);
    st_device_add(sdb, "kiosk-porvoo-1", tok);
    st_server s;
    st_server_start(&s, sdb, NULL);
    syncc *c = client(kdb, &s, tok, 2);  /* 3 items in pages of 2 */
    syncc_status a, b;
    sync_ok(c);
    syncc_status_get(c, &a);
    st_assert_same_catalog(kdb, sdb);
    assert_int_equal(a.state, SYNCC_UP_TO_DATE);
    assert_int_equal(a.pulled, 3);
    assert_int_equal(a.catalog_rev, 3);
    assert_true(a.catalog_changes >= 1);
    /* A response is made on the kiosk and reaches the server. */
    st_add_responses(kdb, 25);
    sync_ok(c);
    syncc_status_get(c, &b);
    assert_int_equal(b.pushed, 25);
    assert_int_equal(b.waiting, 0);
    assert_int_equal(st_server_count(sdb), 25);
    assert_int_equal(st_common_count(kdb, sdb), 25);
    st_assert_same_payloads(kdb, sdb);
    assert_int_equal(b.catalog_changes, a.catalog_changes);
    /* Changes and a deletion on the server come down as changes and a tombstone. */
    import(sdb, cat2);
    sync_ok(c);
    syncc_status_get(c, &b);
    st_assert_same_catalog(kdb, sdb);
    assert_true(b.catalog_changes > a.catalog_changes);
    store *st = NULL;
    int kind;
    assert_int_equal(store_open(kdb, &st), KC_OK);
    assert_int_equal(store_item_kind(st, "a-2", &kind), KC_OK);
    assert_int_equal(kind, -1);
    assert_int_equal(store_item_kind(st, "a-3", &kind), KC_OK);
    assert_int_equal(kind, CAT_ASSOCIATION);
    store_close(st);
    assert_int_equal(meta_long(kdb, "sync.catalog_rev"), 6);
    /* The server lists the device with what its heartbeat said. */
    char out[2048];
    const char *args[] = { "device-list", NULL };
    assert_int_equal(st_admin(sdb, out, sizeof out, args), 0);
    assert_non_null(strstr(out, "kiosk-porvoo-1"));
    assert_non_null(strstr(out, "active"));
    /* Export holds every response. */
    const char *exp[] = { "export-responses", "--format", "json", "-o", tu_tmp("r.json"),
                          NULL };
    assert_int_equal(st_admin(sdb, NULL, 0, exp), 0);
    char *text = tu_read(tu_tmp("r.json"), NULL);
    assert_non_null(strstr(text, "\"survey\":\"youth-forum\""));
    free(text);
    syncc_free(c);
    st_server_stop(&s, SIGTERM);
}

static void test_unchanged_is_one_request(void **state)
{
    (void)state;
    const char *sdb = st_server_db("u-server.db"), *kdb = tu_tmp("u-kiosk.db");
    char tok[65];
    import(sdb, cat1);
    st_device_add(sdb, "k", tok);
    st_server s;
    st_server_start(&s, sdb, NULL);
    syncc *c = client(kdb, &s, tok, 0);
    sync_ok(c);
    syncc_status a, b;
    syncc_status_get(c, &a);
    sync_ok(c);
    syncc_status_get(c, &b);
    /* One small request for every feed at once (GET /v1/changes), answered 204. */
    assert_int_equal(b.requests - a.requests, 1);
    assert_true(b.bytes_sent - a.bytes_sent < 600);
    assert_true(b.bytes_received - a.bytes_received < 300);
    assert_int_equal(b.pulled, a.pulled);
    assert_int_equal(b.catalog_changes, a.catalog_changes);
    /* A catalog change costs the check plus the catalog page, and no document feed
     * is asked. */
    import(sdb, cat2);
    syncc_status_get(c, &a);
    sync_ok(c);
    syncc_status_get(c, &b);
    st_assert_same_catalog(kdb, sdb);
    assert_true(b.catalog_changes > a.catalog_changes);
    /* check, catalog page, heartbeat (a sync that moved anything reports) */
    assert_int_equal(b.requests - a.requests, 3);
    syncc_status_get(c, &a);
    sync_ok(c);
    syncc_status_get(c, &b);
    assert_int_equal(b.requests - a.requests, 1);
    syncc_free(c);
    /* A heartbeat that is due is the one other request of an idle sync. */
    syncc_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.db_path = kdb;
    cfg.server = s.url;
    cfg.token = tok;
    cfg.heartbeat_s = -1;
    char msg[KC_MSGMAX];
    assert_int_equal(syncc_new(&cfg, &c, msg), KC_OK);
    sync_ok(c);
    syncc_status_get(c, &b);
    assert_int_equal(b.requests, 2);
    syncc_free(c);
    st_server_stop(&s, SIGTERM);
}

/* --- idempotency --------------------------------------------------------------- */

typedef struct reply {
    char buf[65536];
    size_t len;
} reply;

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    reply *r = ud;
    size_t len = size * n;
    if (r->len + len < sizeof r->buf) {
        memcpy(r->buf + r->len, p, len);
        r->len += len;
        r->buf[r->len] = '\0';
    }
    return len;
}

static long post(const char *url, const char *tok, const char *body, reply *r)
{
    CURL *h = curl_easy_init();
    assert_non_null(h);
    char auth[128];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok);
    struct curl_slist *hdr = curl_slist_append(NULL, auth);
    memset(r, 0, sizeof *r);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
    assert_int_equal(curl_easy_perform(h), CURLE_OK);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    return status;
}

static void test_idempotent(void **state)
{
    (void)state;
    const char *sdb = st_server_db("i-server.db"), *kdb = tu_tmp("i-kiosk.db");
    char tok[65], url[128];
    import(sdb, cat1);
    st_device_add(sdb, "k", tok);
    st_server s;
    st_server_start(&s, sdb, NULL);
    snprintf(url, sizeof url, "%s/v1/responses", s.url);
    const char *batch =
        "{\"responses\":[{\"uuid\":\"0b7e4d0c-27c6-4a4c-9d6b-5f3a3b1c2d01\",\"kind\":"
        "\"feedback\",\"payload\":{\"type\":\"feedback\",\"survey\":\"s\",\"answers\":"
        "{\"smiley\":4}}},{\"uuid\":\"0b7e4d0c-27c6-4a4c-9d6b-5f3a3b1c2d02\",\"kind\":"
        "\"feedback\",\"payload\":{\"type\":\"feedback\",\"survey\":\"s\",\"answers\":"
        "{\"smiley\":2}}}]}";
    reply r;
    assert_int_equal(post(url, tok, batch, &r), 200);
    assert_non_null(strstr(r.buf, "\"stored\":2"));
    assert_int_equal(post(url, tok, batch, &r), 200);
    assert_non_null(strstr(r.buf, "\"stored\":0"));
    assert_non_null(strstr(r.buf, "0b7e4d0c-27c6-4a4c-9d6b-5f3a3b1c2d02"));
    assert_int_equal(st_server_count(sdb), 2);

    /* The kiosk loses its "sent" marks (an ack that never arrived): a resend changes
     * nothing on the server. */
    syncc *c = client(kdb, &s, tok, 0);
    st_add_responses(kdb, 30);
    sync_ok(c);
    assert_int_equal(st_server_count(sdb), 32);
    store *st = NULL;
    assert_int_equal(store_open(kdb, &st), KC_OK);
    assert_int_equal(sqlite3_exec(store_db(st), "UPDATE outbox SET sent = 0", NULL, NULL, NULL),
                     SQLITE_OK);
    store_close(st);
    sync_ok(c);
    syncc_status b;
    syncc_status_get(c, &b);
    assert_int_equal(b.pushed, 60);
    assert_int_equal(b.waiting, 0);
    assert_int_equal(st_server_count(sdb), 32);
    assert_int_equal(st_common_count(kdb, sdb), 30);
    syncc_free(c);
    st_server_stop(&s, SIGTERM);
}

static void test_revoked(void **state)
{
    (void)state;
    const char *sdb = st_server_db("r-server.db"), *kdb = tu_tmp("r-kiosk.db");
    char tok[65], msg[KC_MSGMAX];
    import(sdb, cat1);
    st_device_add(sdb, "gone", tok);
    st_server s;
    st_server_start(&s, sdb, NULL);
    syncc *c = client(kdb, &s, tok, 0);
    sync_ok(c);
    const char *args[] = { "device-revoke", "gone", NULL };
    assert_int_equal(st_admin(sdb, NULL, 0, args), 0);
    st_add_responses(kdb, 3);
    assert_int_equal(syncc_run_once(c, msg), KC_EDENIED);
    assert_non_null(strstr(msg, "403"));
    syncc_status b;
    syncc_status_get(c, &b);
    assert_int_equal(b.state, SYNCC_ERROR);
    assert_int_equal(b.waiting, 3);
    assert_int_equal(st_server_count(sdb), 0);
    syncc_free(c);
    /* An unknown token is 401. */
    syncc *u = client(kdb, &s, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 0);
    assert_int_equal(syncc_run_once(u, msg), KC_EDENIED);
    assert_non_null(strstr(msg, "401"));
    syncc_free(u);
    st_server_stop(&s, SIGTERM);
}

/* The thread: syncs by itself, picks up a kick, reports a catalog change. */
static void test_thread(void **state)
{
    (void)state;
    const char *sdb = st_server_db("t-server.db"), *kdb = tu_tmp("t-kiosk.db");
    char tok[65];
    import(sdb, cat1);
    st_device_add(sdb, "k", tok);
    st_server s;
    st_server_start(&s, sdb, NULL);
    syncc_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.db_path = kdb;
    cfg.server = s.url;
    cfg.token = tok;
    cfg.interval_s = 3600;  /* only kicks wake it */
    syncc *c = NULL;
    char msg[KC_MSGMAX];
    assert_int_equal(syncc_new(&cfg, &c, msg), KC_OK);
    assert_int_equal(syncc_start(c), KC_OK);
    assert_int_equal(syncc_run_once(c, msg), KC_EUSAGE);
    /* Deadlines only a broken thread reaches: a loaded machine (sanitizers, the
     * PostgreSQL run, parallel tests) can take seconds for a sync. */
    syncc_status b;
    for (double t0 = st_now_s(); st_now_s() - t0 < 60;) {
        syncc_status_get(c, &b);
        if (b.state == SYNCC_UP_TO_DATE)
            break;
        nap_ms(10);
    }
    assert_int_equal(b.state, SYNCC_UP_TO_DATE);
    unsigned long changes = b.catalog_changes;
    st_add_responses(kdb, 7);
    import(sdb, cat2);
    syncc_kick(c);
    for (double t0 = st_now_s(); st_now_s() - t0 < 60;) {
        syncc_status_get(c, &b);
        if (b.pushed == 7 && b.catalog_changes > changes && b.state == SYNCC_UP_TO_DATE)
            break;
        nap_ms(10);
    }
    assert_int_equal(b.pushed, 7);
    assert_true(b.catalog_changes > changes);
    syncc_stop(c);
    syncc_free(c);
    st_server_stop(&s, SIGTERM);
    st_assert_same_catalog(kdb, sdb);
    assert_int_equal(st_server_count(sdb), 7);
}

/* HTTPS with a self-signed certificate: trusted through the CA option, refused
 * without it. */
static void test_tls(void **state)
{
    (void)state;
    const char *sdb = st_server_db("tls-server.db"), *kdb = tu_tmp("tls-kiosk.db");
    const char *cert = tu_tmp("cert.pem"), *key = tu_tmp("key.pem");
    if (tu_sh("openssl req -x509 -newkey rsa:2048 -nodes -keyout '%s' -out '%s' -days 2 "
              "-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost "
              ">/dev/null 2>&1",
              key, cert) != 0)
        fail_msg("openssl could not make a test certificate");
    char tok[65], msg[KC_MSGMAX];
    import(sdb, cat1);
    st_device_add(sdb, "k", tok);
    st_server s;
    const char *extra[] = { "--cert", cert, "--key", key, NULL };
    st_server_start(&s, sdb, extra);
    snprintf(s.url, sizeof s.url, "https://127.0.0.1:%d", s.port);
    syncc_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.db_path = kdb;
    cfg.server = s.url;
    cfg.token = tok;
    syncc *c = NULL;
    assert_int_equal(syncc_new(&cfg, &c, msg), KC_OK);
    assert_int_equal(syncc_run_once(c, msg), KC_EIO);  /* not trusted by default */
    syncc_free(c);
    assert_int_equal(st_server_count(sdb), 0);
    cfg.ca_file = cert;
    assert_int_equal(syncc_new(&cfg, &c, msg), KC_OK);
    st_add_responses(kdb, 4);
    if (syncc_run_once(c, msg))
        fail_msg("%s", msg);
    syncc_free(c);
    st_assert_same_catalog(kdb, sdb);
    assert_int_equal(st_server_count(sdb), 4);
    st_server_stop(&s, SIGTERM);
}

int main(void)
{
    if (syncc_global_init())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_unchanged_is_one_request),
        cmocka_unit_test(test_idempotent),  cmocka_unit_test(test_revoked),
        cmocka_unit_test(test_thread),      cmocka_unit_test(test_tls),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    syncc_global_cleanup();
    return r;
}
