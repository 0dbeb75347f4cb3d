/*
 * bench_fleet - many simulated kiosks against one or more kiosk-server processes
 * sharing one database, as behind a load balancer:
 *
 *   bench_fleet KIOSK_SERVER DB_SPEC WORKDIR [--processes N] [--kiosks K] [--rounds R]
 *               [--label TEXT]
 *
 * Each kiosk is a thread with its own token and connection, and does R rounds of what
 * a kiosk does on its timer: push a batch of PER_BATCH responses, the change check,
 * a heartbeat.  Kiosk i talks to process i % N (round robin, like a balancer without
 * stickiness).  Reported: requests/s, responses stored/s, p50/p99 latency per request
 * kind, errors (a failed push is sent again, up to 5 times, and each failure counts);
 * then every pushed UUID is checked to be stored exactly once.
 * DB_SPEC is anything srvdb_open accepts; the database is expected to be empty.
 */
#include "benchsrv.h"
#include "outbox.h"
#include "proto.h"
#include "srvdb.h"

#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PER_BATCH 20
#define MAX_PROCS 8
#define MAX_KIOSKS 2000

enum { REQ_PUSH, REQ_CHANGES, REQ_BEAT, REQ_NKIND };
static const char *const req_name[REQ_NKIND] = { "push", "change check", "heartbeat" };

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "bench_fleet: %s: %s\n", what, msg);
    exit(1);
}

typedef struct kiosk {
    const char *url;
    char tok[SRVDB_TOKEN_LEN + 1];
    int rounds;
    double *lat[REQ_NKIND];  /* seconds, one per round */
    int errors[REQ_NKIND];
    char (*uuids)[OUTBOX_UUID_LEN + 1];  /* rounds * PER_BATCH */
} kiosk;

static size_t sink(char *p, size_t size, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return size * n;
}

/* One request; its latency into *lat, and 1 when it did not get `want`. */
static int perform(CURL *h, long want, double *lat)
{
    long status = 0;
    double t0 = now_s();
    CURLcode rc = curl_easy_perform(h);
    *lat = now_s() - t0;
    return rc != CURLE_OK || curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) ||
           status != want;
}

static void *kiosk_main(void *arg)
{
    kiosk *k = arg;
    CURL *h = curl_easy_init();
    if (!h)
        die("curl", "no handle");
    char auth[128], url[512];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", k->tok);
    struct curl_slist *hdr = curl_slist_append(NULL, auth);
    hdr = curl_slist_append(hdr, "Expect:");
    hdr = curl_slist_append(hdr, "Content-Type: application/json");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 120L);
    static const char beat[] = "{\"version\":\"bench\",\"catalog_rev\":0,\"outbox_depth\":0,"
                               "\"last_error\":\"\"}";
    for (int i = 0; i < k->rounds; i++) {
        proto_response v[PER_BATCH];
        char payload[PER_BATCH][200];
        for (int j = 0; j < PER_BATCH; j++) {
            outbox_new_uuid(v[j].uuid);
            memcpy(k->uuids[i * PER_BATCH + j], v[j].uuid, sizeof k->uuids[0]);
            snprintf(v[j].kind, sizeof v[j].kind, "feedback");
            snprintf(payload[j], sizeof payload[j],
                     "{\"type\":\"feedback\",\"survey\":\"s\",\"answers\":{\"smiley\":%d}}",
                     1 + j % 5);
            v[j].payload = payload[j];
        }
        proto_buf b = { 0 };
        char msg[KC_MSGMAX];
        if (proto_batch_write(v, PER_BATCH, &b, msg))
            die("batch", msg);
        snprintf(url, sizeof url, "%s/v1/responses", k->url);
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, b.p);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)b.len);
        /* A failed push is sent again, as a kiosk would: the same UUIDs. */
        int fails = 0;
        while (perform(h, 200, &k->lat[REQ_PUSH][i]) && ++fails < 5) {
            struct timespec ts = { 0, 200000000L };
            nanosleep(&ts, NULL);
        }
        k->errors[REQ_PUSH] += fails;
        proto_buf_free(&b);

        snprintf(url, sizeof url, "%s/v1/changes?catalog=0&survey=0&ballot=0&"
                 "ballot-codes=0&ballot-used=0", k->url);
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        double lat = 0;
        /* An empty catalog: nothing changed (204) or the empty areas digest (200). */
        int bad = perform(h, 204, &lat);
        long status = 0;
        if (bad && !curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) && status == 200)
            bad = 0;
        k->lat[REQ_CHANGES][i] = lat;
        k->errors[REQ_CHANGES] += bad;

        snprintf(url, sizeof url, "%s/v1/heartbeat", k->url);
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, beat);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)(sizeof beat - 1));
        k->errors[REQ_BEAT] += perform(h, 204, &k->lat[REQ_BEAT][i]);
    }
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Every pushed UUID, sorted, against the server's responses in UUID order. */
typedef struct check {
    char (*want)[OUTBOX_UUID_LEN + 1];
    size_t n, at;
    long missing, extra, twice;
    char last[OUTBOX_UUID_LEN + 1];
} check;

static int cmp_uuid(const void *a, const void *b)
{
    return strcmp(a, b);
}

static kc_err on_response(void *ctx, const char *uuid, const char *device, const char *kind,
                          const char *payload)
{
    (void)device;
    (void)kind;
    (void)payload;
    check *c = ctx;
    if (c->last[0] && strcmp(c->last, uuid) == 0)
        c->twice++;
    snprintf(c->last, sizeof c->last, "%s", uuid);
    while (c->at < c->n && strcmp(c->want[c->at], uuid) < 0) {
        c->missing++;
        c->at++;
    }
    if (c->at < c->n && strcmp(c->want[c->at], uuid) == 0)
        c->at++;
    else
        c->extra++;
    return KC_OK;
}

static long arg_num(const char *s, long lo, long hi, const char *what)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        die(what, "out of range");
    return v;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_fleet KIOSK_SERVER DB_SPEC WORKDIR [--processes N] "
                        "[--kiosks K] [--rounds R] [--label TEXT]\n");
        return 2;
    }
    const char *bin = argv[1], *spec = argv[2], *dir = argv[3], *label = spec;
    int nproc = 1, nk = 500, rounds = 10;
    for (int i = 4; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--processes") == 0)
            nproc = (int)arg_num(argv[i + 1], 1, MAX_PROCS, "--processes");
        else if (strcmp(argv[i], "--kiosks") == 0)
            nk = (int)arg_num(argv[i + 1], 1, MAX_KIOSKS, "--kiosks");
        else if (strcmp(argv[i], "--rounds") == 0)
            rounds = (int)arg_num(argv[i + 1], 1, 1000, "--rounds");
        else if (strcmp(argv[i], "--label") == 0)
            label = argv[i + 1];
        else
            die(argv[i], "unknown option");
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT))
        die("curl", "cannot start");
    signal(SIGPIPE, SIG_IGN);

    kiosk *ks = calloc((size_t)nk, sizeof *ks);
    if (!ks)
        die("memory", "out");
    /* The tokens first, on one handle: the database then holds only devices. */
    srvdb *db = NULL;
    if (srvdb_open(spec, &db))
        die("database", db ? srvdb_errmsg(db) : "out of memory");
    for (int i = 0; i < nk; i++) {
        unsigned char hash[SRVDB_HASH_LEN];
        char name[32];
        snprintf(name, sizeof name, "fleet-%d", i);
        if (srvdb_token_new(ks[i].tok, hash) || srvdb_device_add(db, name, hash))
            die("device-add", srvdb_errmsg(db));
    }
    long long before = 0;
    if (srvdb_response_count(db, &before))
        die("count", srvdb_errmsg(db));
    srvdb_close(db);

    bench_server srv[MAX_PROCS];
    for (int p = 0; p < nproc; p++) {
        char tag[24];
        snprintf(tag, sizeof tag, "fleet-%d", p);
        bench_server_start(&srv[p], bin, spec, dir, tag, 2000, 4000);
    }
    for (int i = 0; i < nk; i++) {
        ks[i].url = srv[i % nproc].url;
        ks[i].rounds = rounds;
        for (int r = 0; r < REQ_NKIND; r++)
            if (!(ks[i].lat[r] = calloc((size_t)rounds, sizeof(double))))
                die("memory", "out");
        if (!(ks[i].uuids = calloc((size_t)rounds * PER_BATCH, sizeof *ks[i].uuids)))
            die("memory", "out");
    }

    pthread_t *th = calloc((size_t)nk, sizeof *th);
    if (!th)
        die("memory", "out");
    double t0 = now_s();
    for (int i = 0; i < nk; i++)
        if (pthread_create(&th[i], NULL, kiosk_main, &ks[i]))
            die("thread", "cannot start");
    for (int i = 0; i < nk; i++)
        pthread_join(th[i], NULL);
    double wall = now_s() - t0;
    for (int p = 0; p < nproc; p++)
        bench_server_stop(&srv[p]);

    size_t per = (size_t)nk * (size_t)rounds;
    double *all = calloc(per * REQ_NKIND, sizeof *all);
    double *one = calloc(per, sizeof *one);
    if (!all || !one)
        die("memory", "out");
    long errors = 0;
    printf("fleet [%s]: %d kiosks over %d process%s x %d rounds of (push %d + change check "
           "+ heartbeat): %.2f s wall, %.0f requests/s, %.0f responses stored/s\n",
           label, nk, nproc, nproc == 1 ? "" : "es", rounds, PER_BATCH, wall,
           (double)per * REQ_NKIND / wall, (double)per * PER_BATCH / wall);
    for (int r = 0; r < REQ_NKIND; r++) {
        long err = 0;
        for (int i = 0; i < nk; i++) {
            memcpy(one + (size_t)i * (size_t)rounds, ks[i].lat[r], (size_t)rounds * sizeof(double));
            memcpy(all + (size_t)r * per + (size_t)i * (size_t)rounds, ks[i].lat[r],
                   (size_t)rounds * sizeof(double));
            err += ks[i].errors[r];
        }
        qsort(one, per, sizeof *one, cmp_double);
        printf("fleet [%s]:   %-12s p50 %7.1f ms  p99 %7.1f ms  errors %ld\n", label,
               req_name[r], one[per / 2] * 1e3, one[per * 99 / 100] * 1e3, err);
        errors += err;
    }
    qsort(all, per * REQ_NKIND, sizeof *all, cmp_double);
    printf("fleet [%s]:   all requests p50 %7.1f ms  p99 %7.1f ms  errors %ld\n", label,
           all[per * REQ_NKIND / 2] * 1e3, all[per * REQ_NKIND * 99 / 100] * 1e3, errors);

    /* Exactly once: every pushed UUID stored, none twice, nothing else new. */
    check c;
    memset(&c, 0, sizeof c);
    c.n = per * PER_BATCH;
    if (!(c.want = calloc(c.n, sizeof *c.want)))
        die("memory", "out");
    for (int i = 0; i < nk; i++)
        memcpy(c.want + (size_t)i * (size_t)rounds * PER_BATCH, ks[i].uuids,
               (size_t)rounds * PER_BATCH * sizeof *c.want);
    qsort(c.want, c.n, sizeof *c.want, cmp_uuid);
    if (srvdb_open(spec, &db) || srvdb_responses_each(db, on_response, &c))
        die("database", db ? srvdb_errmsg(db) : "out of memory");
    srvdb_close(db);
    c.missing += (long)(c.n - c.at);
    c.extra -= (long)before;
    printf("fleet [%s]:   stored exactly once: %s (%ld missing, %ld twice, %ld unexpected)\n",
           label, c.missing || c.twice || c.extra ? "NO" : "yes", c.missing, c.twice, c.extra);

    for (int i = 0; i < nk; i++) {
        for (int r = 0; r < REQ_NKIND; r++)
            free(ks[i].lat[r]);
        free(ks[i].uuids);
    }
    free(c.want);
    free(all);
    free(one);
    free(th);
    free(ks);
    curl_global_cleanup();
    return c.missing || c.twice || c.extra ? 1 : 0;
}
