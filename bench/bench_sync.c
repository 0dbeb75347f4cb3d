/*
 * bench_sync - sync figures against a real kiosk-server on loopback:
 *   1. push 10 000 queued responses;
 *   2. pull a large catalog into an empty kiosk;
 *   3. requests and bytes of an unchanged sync (one GET /v1/changes for every feed);
 *   4. 200 simulated kiosks syncing at once (each its own database and token).
 * usage: bench_sync KIOSK_SERVER CATALOG.json SMALL_CATALOG.json WORKDIR
 */
#include "benchsrv.h"
#include "outbox.h"
#include "srvdb.h"
#include "store.h"
#include "syncc.h"

#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NKIOSKS 200
#define KIOSK_RESPONSES 50

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "bench_sync: %s: %s\n", what, msg);
    exit(1);
}

static void rm_db(const char *path)
{
    char p[4096];
    size_t n = strlen(path);
    unlink(path);
    if (n + 5 > sizeof p)
        return;
    memcpy(p, path, n);
    memcpy(p + n, "-wal", 5);
    unlink(p);
    memcpy(p + n, "-shm", 5);
    unlink(p);
}

static void device(const char *sdb, const char *name, char tok[SRVDB_TOKEN_LEN + 1])
{
    srvdb *db = NULL;
    unsigned char hash[SRVDB_HASH_LEN];
    if (srvdb_open(sdb, &db) || srvdb_token_new(tok, hash) || srvdb_device_add(db, name, hash))
        die("device-add", srvdb_errmsg(db));
    srvdb_close(db);
}

static void import(const char *sdb, const char *file)
{
    srvdb *db = NULL;
    content_result r;
    double t0 = now_s();
    if (srvdb_open(sdb, &db) || srvdb_import(db, file, 0, &r))
        die("import", srvdb_errmsg(db));
    srvdb_close(db);
    printf("sync: server import of %ld items: %.2f s\n", r.added + r.updated, now_s() - t0);
}

static void responses(const char *kdb, int n)
{
    store *st = NULL;
    if (store_open(kdb, &st) || outbox_init(st) || store_begin(st))
        die("kiosk db", store_errmsg(st));
    for (int i = 0; i < n; i++) {
        char payload[300], uuid[OUTBOX_UUID_LEN + 1];
        snprintf(payload, sizeof payload,
                 "{\"type\":\"feedback\",\"survey\":\"library-visit\",\"hour\":"
                 "\"2026-05-04T%02d\",\"answers\":{\"smiley\":%d,\"comment\":\"Kiitos, "
                 "hyvä palvelu #%d\"}}",
                 8 + i % 12, 1 + i % 5, i);
        if (outbox_add(st, "feedback", payload, uuid))
            die("outbox", store_errmsg(st));
    }
    if (store_commit(st))
        die("kiosk db", store_errmsg(st));
    store_close(st);
}

static syncc *client(const char *kdb, const char *url, const char *tok)
{
    syncc_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.db_path = kdb;
    cfg.server = url;
    cfg.token = tok;
    cfg.heartbeat_s = 1 << 30;  /* only the change check is measured */
    cfg.timeout_s = 300;
    char msg[KC_MSGMAX];
    syncc *c = NULL;
    if (syncc_new(&cfg, &c, msg))
        die("client", msg);
    return c;
}

static void run(syncc *c, const char *what)
{
    char msg[KC_MSGMAX];
    if (syncc_run_once(c, msg))
        die(what, msg);
}

typedef struct kiosk {
    char db[1024];
    char tok[SRVDB_TOKEN_LEN + 1];
    const char *url;
    double secs;
    int failed;
    long long requests;
} kiosk;

static void *kiosk_main(void *arg)
{
    kiosk *k = arg;
    syncc *c = client(k->db, k->url, k->tok);
    char msg[KC_MSGMAX];
    double t0 = now_s();
    k->failed = syncc_run_once(c, msg) != KC_OK;
    k->secs = now_s() - t0;
    syncc_status s;
    syncc_status_get(c, &s);
    k->requests = s.requests;
    syncc_free(c);
    return NULL;
}

static void fleet(kiosk *ks, const char *label)
{
    pthread_t th[NKIOSKS];
    double t0 = now_s();
    for (int i = 0; i < NKIOSKS; i++)
        if (pthread_create(&th[i], NULL, kiosk_main, &ks[i]))
            die("thread", "cannot start");
    long long req = 0;
    int failed = 0;
    double worst = 0;
    for (int i = 0; i < NKIOSKS; i++) {
        pthread_join(th[i], NULL);
        req += ks[i].requests;
        failed += ks[i].failed;
        if (ks[i].secs > worst)
            worst = ks[i].secs;
    }
    double t = now_s() - t0;
    printf("sync: %d kiosks at once, %s: %.2f s wall, %lld requests (%.0f/s), slowest "
           "kiosk %.2f s, %d failed\n",
           NKIOSKS, label, t, req, (double)req / t, worst, failed);
}

/* Server throughput without the simulated kiosks' own disk work: each thread is a
 * kiosk that already has its catalog and pushes small batches plus a change check. */
#define ROUNDS 10
#define PER_BATCH 20

typedef struct raw {
    const char *url;
    char tok[SRVDB_TOKEN_LEN + 1];
    long long since;
    const char *digest;
    int failed;
} raw;

static size_t sink(char *p, size_t size, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return size * n;
}

static void *raw_main(void *arg)
{
    raw *r = arg;
    CURL *h = curl_easy_init();
    char auth[128], url[512];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", r->tok);
    struct curl_slist *hdr = curl_slist_append(NULL, auth);
    hdr = curl_slist_append(hdr, "Expect:");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 120L);
    for (int i = 0; i < ROUNDS; i++) {
        proto_response v[PER_BATCH];
        char payload[PER_BATCH][200];
        for (int k = 0; k < PER_BATCH; k++) {
            outbox_new_uuid(v[k].uuid);
            snprintf(v[k].kind, sizeof v[k].kind, "feedback");
            snprintf(payload[k], sizeof payload[k],
                     "{\"type\":\"feedback\",\"survey\":\"s\",\"answers\":{\"smiley\":%d}}",
                     1 + k % 5);
            v[k].payload = payload[k];
        }
        proto_buf b = { 0 };
        char msg[KC_MSGMAX];
        long status = 0;
        if (proto_batch_write(v, PER_BATCH, &b, msg))
            r->failed++;
        snprintf(url, sizeof url, "%s/v1/responses", r->url);
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, b.p);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)b.len);
        if (curl_easy_perform(h) != CURLE_OK ||
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) || status != 200)
            r->failed++;
        proto_buf_free(&b);
        snprintf(url, sizeof url, "%s/v1/changes?catalog=%lld&survey=0&ballot=0&"
                 "ballot-codes=0&ballot-used=0&areas=%s", r->url, r->since, r->digest);
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        if (curl_easy_perform(h) != CURLE_OK ||
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) || status != 204)
            r->failed++;
    }
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    return NULL;
}

static void raw_fleet(const kiosk *ks, long long since, const char *digest)
{
    static raw rs[NKIOSKS];
    pthread_t th[NKIOSKS];
    double t0 = now_s();
    for (int i = 0; i < NKIOSKS; i++) {
        rs[i].url = ks[i].url;
        memcpy(rs[i].tok, ks[i].tok, sizeof rs[i].tok);
        rs[i].since = since;
        rs[i].digest = digest;
        rs[i].failed = 0;
        if (pthread_create(&th[i], NULL, raw_main, &rs[i]))
            die("thread", "cannot start");
    }
    int failed = 0;
    for (int i = 0; i < NKIOSKS; i++) {
        pthread_join(th[i], NULL);
        failed += rs[i].failed;
    }
    double t = now_s() - t0;
    long req = (long)NKIOSKS * ROUNDS * 2;
    printf("sync: server throughput, %d clients at once x %d rounds of (push %d + change "
           "check): %.2f s, %.0f requests/s, %.0f responses stored/s, %d failed\n",
           NKIOSKS, ROUNDS, PER_BATCH, t, (double)req / t,
           (double)NKIOSKS * ROUNDS * PER_BATCH / t, failed);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: bench_sync KIOSK_SERVER CATALOG.json SMALL.json WORKDIR\n");
        return 2;
    }
    const char *bin = argv[1], *big = argv[2], *small = argv[3], *dir = argv[4];
    char sdb[1024], kdb[1024], tok[SRVDB_TOKEN_LEN + 1];
    if (syncc_global_init())
        die("curl", "cannot start");
    signal(SIGPIPE, SIG_IGN);
    snprintf(sdb, sizeof sdb, "%s/sync-server.db", dir);
    snprintf(kdb, sizeof kdb, "%s/sync-kiosk.db", dir);
    rm_db(sdb);
    rm_db(kdb);
    import(sdb, big);
    device(sdb, "bench", tok);
    responses(kdb, 10000);
    bench_server s;
    bench_server_start(&s, bin, sdb, dir, "sync", 1000, 0);

    syncc *c;
    syncc_status a, b;
    store *st = NULL;
    long depth = 0;
    double t0;
    /* 2. pull into an empty kiosk. */
    char kdb2[1024];
    snprintf(kdb2, sizeof kdb2, "%s/sync-kiosk-pull.db", dir);
    rm_db(kdb2);
    c = client(kdb2, s.url, tok);
    t0 = now_s();
    run(c, "pull");
    double pull_s = now_s() - t0;
    syncc_status_get(c, &a);
    printf("sync: pull %lld items into an empty kiosk: %.2f s, %lld requests, %.1f MB "
           "received\n",
           a.pulled, pull_s, a.requests, (double)a.bytes_received / 1e6);
    /* 3. unchanged check. */
    run(c, "unchanged check");
    syncc_status_get(c, &b);
    printf("sync: unchanged check (catalog and 4 document feeds, target 1 request): %lld "
           "request(s), %lld bytes sent, %lld bytes received\n",
           b.requests - a.requests, b.bytes_sent - a.bytes_sent,
           b.bytes_received - a.bytes_received);
    syncc_free(c);

    /* 1. push 10 000 responses from a kiosk told its catalog is current, so the
     * sync measures the push (plus one 204 change check). */
    char *digest = NULL;
    if (store_open(kdb2, &st) || store_meta_get(st, "sync.areas_digest", &digest))
        die("kiosk db", store_errmsg(st));
    store_close(st);
    if (store_open(kdb, &st) || outbox_init(st) || store_begin(st))
        die("kiosk db", store_errmsg(st));
    char rev[32];
    snprintf(rev, sizeof rev, "%lld", b.catalog_rev);
    if (store_meta_set(st, "sync.catalog_rev", rev) ||
        store_meta_set(st, "sync.areas_digest", digest ? digest : "") || store_commit(st))
        die("kiosk db", store_errmsg(st));
    kc_free(digest);
    if (outbox_depth(st, &depth))
        die("kiosk db", store_errmsg(st));
    store_close(st);
    c = client(kdb, s.url, tok);
    t0 = now_s();
    run(c, "push");
    double push_s = now_s() - t0;
    syncc_status_get(c, &a);
    printf("sync: push %lld queued responses (batches of 500): %.2f s, %lld requests, "
           "%.1f MB sent (target < 3 s)\n",
           a.pushed, push_s, a.requests, (double)a.bytes_sent / 1e6);
    if (a.pushed != depth)
        die("push", "not everything was acknowledged");
    syncc_free(c);
    bench_server_stop(&s);

    /* 4. a fleet on a city-sized catalog. */
    snprintf(sdb, sizeof sdb, "%s/sync-fleet.db", dir);
    rm_db(sdb);
    import(sdb, small);
    static kiosk ks[NKIOSKS];
    for (int i = 0; i < NKIOSKS; i++) {
        char name[32];
        snprintf(name, sizeof name, "kiosk-%03d", i);
        device(sdb, name, ks[i].tok);
        snprintf(ks[i].db, sizeof ks[i].db, "%s/fleet-%03d.db", dir, i);
        rm_db(ks[i].db);
        responses(ks[i].db, KIOSK_RESPONSES);
    }
    bench_server_start(&s, bin, sdb, dir, "sync", 1000, 0);
    for (int i = 0; i < NKIOSKS; i++)
        ks[i].url = s.url;
    fleet(ks, "first sync (pull the catalog, push 50 responses each)");
    fleet(ks, "unchanged check (each a new client, so plus its first heartbeat)");
    char *fd = NULL;
    long long frev = 0;
    if (store_open(ks[0].db, &st) || store_meta_get(st, "sync.areas_digest", &fd))
        die("kiosk db", store_errmsg(st));
    frev = store_catalog_rev(st);
    store_close(st);
    raw_fleet(ks, frev, fd ? fd : "");
    kc_free(fd);
    bench_server_stop(&s);
    for (int i = 0; i < NKIOSKS; i++)
        rm_db(ks[i].db);
    syncc_global_cleanup();
    return 0;
}
