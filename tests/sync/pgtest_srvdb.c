/* pgtest_srvdb.c - the PostgreSQL backend of srvdb on a private cluster
 * (tests/lib/pg.sh; KC_TEST_PG names its maintenance database): pushes answered as on
 * SQLite, a database of a newer version refused untouched, and the catalog feed under
 * concurrent imports (the feed trap of docs/deploy.md: no revision is ever skipped by a
 * reader). */
#include <libpq-fe.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "srvdb.h"
#include "srvdb_results.h"

static char spec[600];

/* A fresh database named name; spec gets its URI. */
static void fresh_db(const char *name)
{
    const char *base = getenv("KC_TEST_PG");
    assert_non_null(base);
    PGconn *c = PQconnectdb(base);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    char sql[200];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    PGresult *r = PQexec(c, sql);
    assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    r = PQexec(c, sql);
    assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    PQfinish(c);
    const char *q = strstr(base, "/postgres?");
    assert_non_null(q);
    snprintf(spec, sizeof spec, "%.*s/%s%s", (int)(q - base), base, name, q + 9);
}

static void sql_exec(const char *sql)
{
    PGconn *c = PQconnectdb(spec);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
}

static long long sql_num(const char *sql)
{
    PGconn *c = PQconnectdb(spec);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r = PQexec(c, sql);
    assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
    long long v = atoll(PQgetvalue(r, 0, 0));
    PQclear(r);
    PQfinish(c);
    return v;
}

static void test_push_answers(void **state)
{
    (void)state;
    fresh_db("t_srvdb_push");
    srvdb *db = NULL;
    assert_int_equal(srvdb_open(spec, &db), KC_OK);
    unsigned char hash[SRVDB_HASH_LEN];
    char tok[SRVDB_TOKEN_LEN + 1];
    assert_int_equal(srvdb_token_new(tok, hash), KC_OK);
    assert_int_equal(srvdb_device_add(db, "k1", hash), KC_OK);
    assert_int_equal(srvdb_device_add(db, "k1", hash), KC_EINVAL);
    srvdb_device dev;
    assert_int_equal(srvdb_device_auth(db, hash, &dev), KC_OK);
    assert_string_equal(dev.name, "k1");

    char p1[] = "{\"score\":4}", p2[] = "{\"score\":2}";
    proto_response v[3] = {
        { "11111111-1111-4111-8111-111111111111", "feedback", p1, NULL },
        { "22222222-2222-4222-8222-222222222222", "feedback", p1, NULL },
        { "22222222-2222-4222-8222-222222222222", "feedback", p2, NULL },
    };
    proto_batch b = { v, 1 };
    proto_ack ack;
    assert_int_equal(srvdb_store_batch(db, dev.id, &b, &ack), KC_OK);
    assert_int_equal(ack.stored, 1);
    assert_int_equal(ack.n, 1);
    proto_ack_free(&ack);
    /* the same row again: acknowledged, nothing new */
    assert_int_equal(srvdb_store_batch(db, dev.id, &b, &ack), KC_OK);
    assert_int_equal(ack.stored, 0);
    assert_int_equal(ack.n, 1);
    assert_int_equal(ack.nrefused, 0);
    proto_ack_free(&ack);
    /* other content under a held UUID: 409, the first content stays */
    v[0].payload = p2;
    assert_int_equal(srvdb_store_batch(db, dev.id, &b, &ack), KC_OK);
    assert_int_equal(ack.n, 0);
    assert_int_equal(ack.nrefused, 1);
    assert_int_equal(ack.refused[0].status, 409);
    proto_ack_free(&ack);
    /* one UUID twice in a batch with different content: neither stored */
    proto_batch b2 = { v + 1, 2 };
    assert_int_equal(srvdb_store_batch(db, dev.id, &b2, &ack), KC_OK);
    assert_int_equal(ack.stored, 0);
    assert_int_equal(ack.nrefused, 1);
    proto_ack_free(&ack);
    long long n = 0;
    assert_int_equal(srvdb_response_count(db, &n), KC_OK);
    assert_int_equal(n, 1);

    /* The connection is cut (a restart, a failover): the call that finds it gone
     * fails, the next one connects again. */
    sql_exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
             "'t_srvdb_push' AND pid <> pg_backend_pid()");
    kc_err rc = srvdb_response_count(db, &n);
    if (rc)
        assert_int_equal(srvdb_response_count(db, &n), KC_OK);
    assert_int_equal(n, 1);
    srvdb_close(db);
}

/* A workshop's change counter (the live screen's events) on PostgreSQL as on SQLite:
 * the number of its rows, each stored once, from the devices asked about. */
static void test_ws_stamp(void **state)
{
    (void)state;
    fresh_db("t_srvdb_ws");
    srvdb *db = NULL;
    assert_int_equal(srvdb_open(spec, &db), KC_OK);
    unsigned char hash[SRVDB_HASH_LEN];
    char tok[SRVDB_TOKEN_LEN + 1];
    assert_int_equal(srvdb_token_new(tok, hash), KC_OK);
    assert_int_equal(srvdb_device_add(db, "k1", hash), KC_OK);
    srvdb_device dev;
    assert_int_equal(srvdb_device_auth(db, hash, &dev), KC_OK);
    const char *w = "6f1c2a9e-8b3d-4c5e-9f70-1a2b3c4d5e6f";
    char a1[] = "{\"type\":\"workshop-answer\",\"workshop\":\"6f1c2a9e-8b3d-4c5e-9f70-1a2b3c4d5e6f\","
                "\"seq\":1,\"answer\":null}";
    char a2[] = "{\"type\":\"workshop-answer\",\"workshop\":\"6f1c2a9e-8b3d-4c5e-9f70-1a2b3c4d5e6f\","
                "\"seq\":2,\"answer\":null}";
    char other[] = "{\"type\":\"workshop-answer\",\"workshop\":\"00000000-0000-4000-8000-000000000001\","
                   "\"seq\":1,\"answer\":null}";
    proto_response v[3] = {
        { "11111111-1111-4111-8111-111111111111", "workshop-answer", a1, NULL },
        { "22222222-2222-4222-8222-222222222222", "workshop-answer", a2, NULL },
        { "33333333-3333-4333-8333-333333333333", "workshop-answer", other, NULL },
    };
    proto_batch b = { v, 3 };
    proto_ack ack;
    srvdb_fb_filter all = { 0, 0, NULL, 0 };
    long long n = -1;
    assert_int_equal(srvdb_ws_stamp(db, &all, w, &n), KC_OK);
    assert_int_equal(n, 0);
    for (int i = 0; i < 2; i++) {  /* the second time a resend: nothing new */
        assert_int_equal(srvdb_store_batch(db, dev.id, &b, &ack), KC_OK);
        assert_int_equal(ack.stored, i ? 0 : 3);
        proto_ack_free(&ack);
        assert_int_equal(srvdb_ws_stamp(db, &all, w, &n), KC_OK);
        assert_int_equal(n, 2);
    }
    long long mine = dev.id, not_mine = dev.id + 1;
    srvdb_fb_filter only = { 0, 0, &mine, 1 }, none = { 0, 0, &not_mine, 1 };
    assert_int_equal(srvdb_ws_stamp(db, &only, w, &n), KC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(srvdb_ws_stamp(db, &none, w, &n), KC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(srvdb_ws_stamp(db, &all, "not-a-workshop", &n), KC_ENOTFOUND);
    srvdb_close(db);
}

static void test_newer_refused(void **state)
{
    (void)state;
    fresh_db("t_srvdb_newer");
    srvdb *db = NULL;
    assert_int_equal(srvdb_open(spec, &db), KC_OK);
    srvdb_close(db);
    sql_exec("UPDATE schema_version SET version = 999 WHERE module = 'server'");
    sql_exec("CREATE TABLE marker(x int)");
    assert_int_equal(srvdb_open(spec, &db), KC_ENEWER);
    assert_non_null(strstr(srvdb_errmsg(db), "newer"));
    srvdb_close(db);
    assert_int_equal(sql_num("SELECT version FROM schema_version WHERE module = 'server'"),
                     999);
    assert_int_equal(sql_num("SELECT count(*) FROM marker"), 0);
}

/* --- the feed trap ------------------------------------------------------------------ */

#define WRITERS 3
#define ROUNDS 25

static kc_err nothing(void *ctx, const char *id, int kind, long long rev, int deleted,
                      const char *body)
{
    (void)id, (void)kind, (void)deleted, (void)body;
    long long *seen = ctx;
    /* every item is new and never changed: each revision appears once, in order */
    if (rev != seen[0] + 1)
        seen[1]++;
    seen[0] = rev;
    return KC_OK;
}

static int writers_done;

typedef struct writer_arg {
    int w;
    kc_err rc;
} writer_arg;

static void *writer(void *vp)
{
    writer_arg *a = vp;
    srvdb *db = NULL;
    a->rc = srvdb_open(spec, &db);
    for (int k = 0; !a->rc && k < ROUNDS; k++) {
        char doc[400];
        snprintf(doc, sizeof doc,
                 "{\"format\":\"kiosk-content\",\"version\":1,\"areas\":[],\"items\":["
                 "{\"id\":\"w%d-%d\",\"kind\":\"association\",\"name\":{\"fi\":\"Seura\"}},"
                 "{\"id\":\"w%d-%db\",\"kind\":\"association\",\"name\":{\"fi\":\"Toinen\"}}]}",
                 a->w, k, a->w, k);
        content_result res;
        a->rc = srvdb_import_buf(db, "w", doc, strlen(doc), NULL, &res);
    }
    srvdb_close(db);
    __atomic_add_fetch(&writers_done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void test_feed_trap(void **state)
{
    (void)state;
    fresh_db("t_srvdb_feed");
    srvdb *db = NULL;
    assert_int_equal(srvdb_open(spec, &db), KC_OK);
    pthread_t t[WRITERS];
    writer_arg a[WRITERS];
    for (int i = 0; i < WRITERS; i++) {
        a[i].w = i;
        a[i].rc = KC_OK;
        assert_int_equal(pthread_create(&t[i], NULL, writer, &a[i]), 0);
    }
    /* pull "changes since" over and over while the imports run, as kiosks do */
    long long seen[2] = { 0, 0 }, head = 0;
    long pulls = 0;
    for (;;) {
        /* before the snapshot: when all were done then, the snapshot holds all */
        int done = __atomic_load_n(&writers_done, __ATOMIC_SEQ_CST) == WRITERS;
        assert_int_equal(srvdb_read_begin(db), KC_OK);
        long long last = 0;
        assert_int_equal(srvdb_catalog_changes(db, seen[0], 7, nothing, seen, &last), KC_OK);
        assert_int_equal(srvdb_catalog_head(db, &head), KC_OK);
        srvdb_read_end(db);
        pulls++;
        if (done && seen[0] == head)
            break;
    }
    for (int i = 0; i < WRITERS; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(a[i].rc, KC_OK);
    }
    assert_int_equal(head, (long long)WRITERS * ROUNDS * 2);
    assert_int_equal(seen[1], 0);
    assert_true(pulls > 1);
    srvdb_close(db);
}

/* The areas digest is cached per handle by the areas' revision: a change by any
 * writer (another handle, plain SQL) shows at once, and the digest is what a fresh
 * handle computes. */
static void test_areas_digest(void **state)
{
    (void)state;
    fresh_db("t_areas");
    srvdb *a = NULL, *b = NULL;
    assert_int_equal(srvdb_open(spec, &a), KC_OK);
    assert_int_equal(srvdb_open(spec, &b), KC_OK);
    char d0[PROTO_DIGEST_HEX + 1], d1[PROTO_DIGEST_HEX + 1], d2[PROTO_DIGEST_HEX + 1];
    assert_int_equal(srvdb_areas_digest(a, d0), KC_OK);
    sql_exec("INSERT INTO area(id, body) VALUES('x', '{\"id\":\"x\"}')");
    assert_int_equal(srvdb_areas_digest(a, d1), KC_OK);
    assert_string_not_equal(d0, d1);
    assert_int_equal(srvdb_areas_digest(a, d2), KC_OK);
    assert_string_equal(d1, d2);
    assert_int_equal(srvdb_areas_digest(b, d2), KC_OK);
    assert_string_equal(d1, d2);
    sql_exec("UPDATE area SET body = '{\"id\":\"x\",\"n\":1}' WHERE id = 'x'");
    assert_int_equal(srvdb_areas_digest(a, d2), KC_OK);
    assert_string_not_equal(d1, d2);
    long users = -1;
    assert_int_equal(srvdb_area_delete(b, "x", &users), KC_OK);
    assert_int_equal(srvdb_areas_digest(a, d2), KC_OK);
    assert_string_equal(d0, d2);
    srvdb_close(a);
    srvdb_close(b);
}

/* One import per source across server processes: the lock is the handle's until it
 * closes (as when its process dies), per source. */
static void test_source_lock(void **state)
{
    (void)state;
    fresh_db("t_srclock");
    srvdb *a = NULL, *b = NULL;
    int got = -1;
    assert_int_equal(srvdb_open(spec, &a), KC_OK);
    assert_int_equal(srvdb_open(spec, &b), KC_OK);
    assert_int_equal(srvdb_source_lock(a, "linkedevents", &got), KC_OK);
    assert_int_equal(got, 1);
    assert_int_equal(srvdb_source_lock(b, "linkedevents", &got), KC_OK);
    assert_int_equal(got, 0);
    assert_int_equal(srvdb_source_lock(b, "varaamo", &got), KC_OK);
    assert_int_equal(got, 1);
    srvdb_close(a);
    /* The lock goes when PostgreSQL's backend for a's connection has ended, which it
     * does after the client has closed: wait for that, up to 30 s. */
    for (int i = 0; i < 300; i++) {
        assert_int_equal(srvdb_source_lock(b, "linkedevents", &got), KC_OK);
        if (got)
            break;
        struct timespec ts = { 0, 100 * 1000000L };
        nanosleep(&ts, NULL);
    }
    assert_int_equal(got, 1);
    srvdb_close(b);
}

int main(void)
{
    if (!getenv("KC_TEST_PG")) {
        fprintf(stderr, "pgtest_srvdb: KC_TEST_PG is not set (run under tests/lib/pg.sh)\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_push_answers),
        cmocka_unit_test(test_ws_stamp),
        cmocka_unit_test(test_newer_refused),
        cmocka_unit_test(test_feed_trap),
        cmocka_unit_test(test_areas_digest),
        cmocka_unit_test(test_source_lock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
