#include "fleet.h"
#include "doctest.h"
#include "outbox.h"
#include "pushenv.h"
#include "store.h"
#include "syncc.h"
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SERVERS 8
#define ROWS_PER_SYNC 7

typedef struct kiosk {
    fl_fleet *f;
    int i;
    char db[600];
    char tok[65];
    pthread_t th;
} kiosk;

struct fl_fleet {
    int n;
    kiosk *k;
    pthread_mutex_t mu;
    char urls[MAX_SERVERS][64];
    int nurls;
    int stop;
    long added, synced, add_failed;
    int started;
};

/* n rows, as st_add_responses but without cmocka, for the kiosk threads: KC_OK or
 * why not. */
static kc_err add_rows(const char *db, int n, long seq)
{
    store *st = NULL;
    kc_err rc = store_open(db, &st);
    if (!rc && !(rc = outbox_init(st)) && !(rc = store_begin(st))) {
        for (int i = 0; !rc && i < n; i++) {
            char payload[512], uuid[OUTBOX_UUID_LEN + 1];
            long s = seq + i;
            snprintf(payload, sizeof payload,
                     "{\"type\":\"feedback\",\"survey\":\"fleet\",\"hour\":\"2026-05-%02ldT%02ld\","
                     "\"lang\":\"fi\",\"answers\":{\"smiley\":%ld,\"comment\":\"#%ld\"}}",
                     1 + s % 28, 8 + s % 12, 1 + s % 5, s);
            rc = outbox_add(st, "feedback", payload, uuid);
        }
        rc = rc ? rc : store_commit(st);
    }
    store_close(st);
    return rc;
}

static int sync_once(const kiosk *k, const char *url)
{
    syncc_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.db_path = k->db;
    cfg.server = url;
    cfg.token = k->tok;
    cfg.batch = 20;
    cfg.timeout_s = 60;
    cfg.heartbeat_s = -1;
    char msg[KC_MSGMAX];
    syncc *c = NULL;
    if (syncc_new(&cfg, &c, msg))
        return 0;
    kc_err rc = syncc_run_once(c, msg);
    syncc_free(c);
    return rc == KC_OK;
}

static void pick(fl_fleet *f, int turn, char *url)
{
    pthread_mutex_lock(&f->mu);
    snprintf(url, 64, "%s", f->urls[turn % f->nurls]);
    pthread_mutex_unlock(&f->mu);
}

static void *kiosk_main(void *arg)
{
    kiosk *k = arg;
    fl_fleet *f = k->f;
    for (int turn = k->i;; turn++) {
        pthread_mutex_lock(&f->mu);
        int stop = f->stop;
        long seq = f->added;
        if (!stop)
            f->added += ROWS_PER_SYNC;
        pthread_mutex_unlock(&f->mu);
        if (stop)
            break;
        char url[64];
        int bad = add_rows(k->db, ROWS_PER_SYNC, seq) != KC_OK;
        pick(f, turn, url);
        int ok = sync_once(k, url);
        pthread_mutex_lock(&f->mu);
        f->add_failed += bad;
        f->added -= bad ? ROWS_PER_SYNC : 0;
        f->synced += ok;
        pthread_mutex_unlock(&f->mu);
        if (!ok)
            st_sleep_ms(50);  /* that server is down: the next turn goes to another */
    }
    return NULL;
}

fl_fleet *fl_new(const char *tag, const char *sdb, int n, int rows)
{
    fl_fleet *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_non_null(f->k = calloc((size_t)n, sizeof *f->k));
    f->n = n;
    pthread_mutex_init(&f->mu, NULL);
    for (int i = 0; i < n; i++) {
        char name[64];
        f->k[i].f = f;
        f->k[i].i = i;
        snprintf(name, sizeof name, "%s-k%d", tag, i);
        st_device_add(sdb, name, f->k[i].tok);
        snprintf(name, sizeof name, "%s-k%d.db", tag, i);
        snprintf(f->k[i].db, sizeof f->k[i].db, "%s", tu_tmp(name));
        if (rows)
            st_add_responses(f->k[i].db, rows);
        f->added += rows;
    }
    return f;
}

void fl_servers(fl_fleet *f, const st_server *srv, int n)
{
    assert_true(n > 0 && n <= MAX_SERVERS);
    pthread_mutex_lock(&f->mu);
    for (int i = 0; i < n; i++)
        snprintf(f->urls[i], sizeof f->urls[i], "%s", srv[i].url);
    f->nurls = n;
    pthread_mutex_unlock(&f->mu);
}

void fl_start(fl_fleet *f)
{
    assert_true(f->nurls > 0);
    for (int i = 0; i < f->n; i++)
        assert_int_equal(pthread_create(&f->k[i].th, NULL, kiosk_main, &f->k[i]), 0);
    f->started = 1;
}

static long get(fl_fleet *f, const long *v)
{
    pthread_mutex_lock(&f->mu);
    long n = *v;
    pthread_mutex_unlock(&f->mu);
    return n;
}

long fl_added(fl_fleet *f)
{
    return get(f, &f->added);
}

long fl_synced(fl_fleet *f)
{
    return get(f, &f->synced);
}

void fl_join(fl_fleet *f, double max_s)
{
    pthread_mutex_lock(&f->mu);
    f->stop = 1;
    pthread_mutex_unlock(&f->mu);
    for (int i = 0; f->started && i < f->n; i++)
        pthread_join(f->k[i].th, NULL);
    f->started = 0;
    assert_int_equal(f->add_failed, 0);
    double end = st_now_s() + max_s;
    for (int i = 0; i < f->n; i++) {
        for (int turn = i; pe_waiting(f->k[i].db) > 0; turn++) {
            char url[64];
            if (st_now_s() > end)
                fail_msg("kiosk %d still has %ld rows waiting after %.0f s", i,
                         pe_waiting(f->k[i].db), max_s);
            pick(f, turn, url);
            if (!sync_once(&f->k[i], url))
                st_sleep_ms(200);
        }
    }
}

void fl_check(fl_fleet *f, const char *sdb)
{
    long total = 0;
    for (int i = 0; i < f->n; i++) {
        long made = st_outbox_count(f->k[i].db);
        assert_int_equal(pe_waiting(f->k[i].db), 0);
        /* every row of this kiosk is there (a UUID is stored once by its key) */
        assert_int_equal(st_common_count(f->k[i].db, sdb), made);
        st_assert_same_payloads(f->k[i].db, sdb);
        total += made;
    }
    assert_int_equal(total, f->added);
    /* and nothing else: no row twice under another key, none from nowhere */
    assert_int_equal(st_server_count(sdb), total);
}

void fl_free(fl_fleet *f)
{
    if (!f)
        return;
    if (f->started)
        fl_join(f, 0);
    pthread_mutex_destroy(&f->mu);
    free(f->k);
    free(f);
}
