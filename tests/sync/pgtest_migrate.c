/* kiosk-server admin migrate-to-pg: a running SQLite server with kiosks pushing is
 * stopped mid-stream, moved to PostgreSQL, and the kiosks carry on against two
 * processes on PostgreSQL: every response is stored there exactly once, none lost.
 * Every table's content reads back the same through the storage API after the move,
 * the feeds continue above the revisions kiosks saw, a non-empty target is refused
 * and a failed move leaves the target empty so it can simply run again.  Needs
 * KC_TEST_PG (the "pg" fixture). */
#include "ballot.h"
#include "doctest.h"
#include "fleet.h"
#include "srvdb.h"
#include "srvdb_results.h"
#include "srvdb_target.h"
#include "synctest.h"
#include "syncc.h"
#include "testutil.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KIOSKS 5

static int migrate(const char *from, const char *to, char *err, size_t cap)
{
    const char *a[] = { "migrate-to-pg", "--from", from, "--to", to, NULL };
    return dt_admin(from, NULL, err, cap, a);
}

static void wait_for(const char *what, int (*ok)(void *), void *ctx)
{
    double end = st_now_s() + 180;
    while (!ok(ctx)) {
        if (st_now_s() > end)
            fail_msg("waited 180 s for %s", what);
        st_sleep_ms(50);
    }
}

typedef struct stream {
    fl_fleet *f;
    const char *db;
    long floor;
} stream;

static int stored_above(void *ctx)
{
    stream *s = ctx;
    return fl_synced(s->f) >= KIOSKS && st_server_count(s->db) > s->floor;
}

static void test_mid_stream(void **state)
{
    (void)state;
    const char *lite = tu_tmp("stream-server.db");
    const char *pg = st_server_db("migstream");
    fl_fleet *f = fl_new("mig", lite, KIOSKS, 40);
    st_server old;
    st_server_start(&old, lite, NULL);
    fl_servers(f, &old, 1);
    fl_start(f);
    stream s = { f, lite, 0 };
    wait_for("pushes to the SQLite server", stored_above, &s);
    /* The cut-over: the old server stops while kiosks push (SIGKILL, so mid-batch too:
     * a kiosk then has no ack for a batch the file may or may not hold). */
    st_server_stop(&old, SIGKILL);
    long on_lite = st_server_count(lite);
    char err[4096];
    if (migrate(lite, pg, err, sizeof err) != 0)
        fail_msg("migrate-to-pg: %s", err);
    assert_int_equal(st_server_count(pg), on_lite);
    st_server srv[2];
    st_server_start(&srv[0], pg, NULL);
    st_server_start(&srv[1], pg, NULL);
    fl_servers(f, srv, 2);
    s.db = pg;
    s.floor = on_lite;
    wait_for("pushes to the PostgreSQL servers", stored_above, &s);
    fl_join(f, 180);
    fl_check(f, pg);
    printf("%ld responses on SQLite at the move, %ld on PostgreSQL in the end\n", on_lite,
           st_server_count(pg));
    st_server_stop(&srv[0], SIGTERM);
    st_server_stop(&srv[1], SIGTERM);
    fl_free(f);
}

/* --- every table's content, read through srvdb ------------------------------------ */

static kc_err on_device(void *ctx, const srvdb_device *d)
{
    fprintf(ctx, "device %s revoked=%d created=%lld seen=%lld v=%s rev=%lld depth=%lld "
            "err=%s aside=%lld %s\n", d->name, d->revoked, d->created, d->last_seen,
            d->version, d->catalog_rev, d->outbox_depth, d->last_error, d->set_aside,
            d->set_aside_reason);
    return KC_OK;
}

static kc_err on_response(void *ctx, const char *uuid, const char *device, const char *kind,
                          const char *payload)
{
    fprintf(ctx, "response %s %s %s %s\n", uuid, device, kind, payload);
    return KC_OK;
}

static kc_err on_change(void *ctx, const char *id, int kind, long long rev, int deleted,
                        const char *body)
{
    fprintf(ctx, "item %s %d %lld %d %s\n", id, kind, rev, deleted, body ? body : "-");
    return KC_OK;
}

static kc_err on_area(void *ctx, const char *id, const char *body)
{
    fprintf(ctx, "area %s %s\n", id, body);
    return KC_OK;
}

static kc_err on_doc(void *ctx, const char *id, long long version, long long rev,
                     const char *body)
{
    fprintf(ctx, "doc %s %lld %lld %s\n", id, version, rev, body ? body : "-");
    return KC_OK;
}

static kc_err on_vote(void *ctx, const char *uuid, const char *payload)
{
    fprintf(ctx, "vote %s %s\n", uuid, payload);
    return KC_OK;
}

static kc_err on_use(void *ctx, const char *uuid, const char *hash, const char *device)
{
    fprintf(ctx, "use %s %s %s\n", uuid, hash, device ? device : "-");
    return KC_OK;
}

static kc_err on_run(void *ctx, const srvdb_source_run *r)
{
    fprintf(ctx, "run %lld %s %s %lld %lld %d %d %ld %ld %ld %ld %ld %ld %s %s\n", r->id,
            r->source, r->origin, r->started, r->finished, r->ok, r->not_modified, r->pages,
            r->records, r->added, r->changed, r->removed, r->unchanged, r->error, r->notes);
    return KC_OK;
}

static void dump_names(FILE *f, const char *what, char **v, size_t n)
{
    fprintf(f, "%s:", what);
    for (size_t i = 0; i < n; i++)
        fprintf(f, " %s", v[i]);
    fprintf(f, "\n");
    srvdb_names_free(v, n);
}

/* What the storage API gives back of everything the test stored; kc_free'd by free. */
static kc_err on_comment(void *ctx, const srvdb_fb_comment *c)
{
    fprintf(ctx, "comment %s %lld %d %s hidden %s %lld\n", c->uuid, c->hour, c->score,
            c->comment, c->hidden_by ? c->hidden_by : "-", c->hidden_at);
    return KC_OK;
}

static kc_err first_comment(void *ctx, const srvdb_fb_comment *c)
{
    snprintf(ctx, 64, "%s", c->uuid);
    return KC_OK;
}

static char *dump(const char *spec, char (*toks)[65], int ntok)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    srvdb *db = NULL;
    if (srvdb_open(spec, &db))
        fail_msg("%s", srvdb_errmsg(db));
    long long head = 0, last = 0;
    char digest[PROTO_DIGEST_HEX + 1], *body = NULL;
    assert_int_equal(srvdb_devices_each(db, on_device, f), KC_OK);
    for (int i = 0; i < ntok; i++) {
        unsigned char hash[SRVDB_HASH_LEN];
        srvdb_device d;
        assert_int_equal(srvdb_token_hash(toks[i], strlen(toks[i]), hash), KC_OK);
        assert_int_equal(srvdb_device_auth(db, hash, &d), KC_OK);
        fprintf(f, "token %d -> %s\n", i, d.name);
        /* settings as the kiosk gets them */
        long long tag = 0;
        assert_int_equal(srvdb_kiosk_feed(db, d.id, &body, &tag), KC_OK);
        fprintf(f, "settings %s %lld %s\n", d.name, tag, body);
        kc_free(body);
        /* publication as each kiosk sees it */
        static const char *const types[] = { PROTO_DOC_SURVEY, PROTO_DOC_BALLOT };
        for (int t = 0; t < 2; t++) {
            char **ids = NULL;
            size_t n = 0;
            assert_int_equal(srvdb_kiosk_shows(db, d.id, types[t], &ids, &n), KC_OK);
            dump_names(f, types[t], ids, n);
        }
    }
    assert_int_equal(srvdb_responses_each(db, on_response, f), KC_OK);
    assert_int_equal(srvdb_catalog_head(db, &head), KC_OK);
    fprintf(f, "catalog head %lld\n", head);
    assert_int_equal(srvdb_catalog_changes(db, 0, 1000000, on_change, f, &last), KC_OK);
    assert_int_equal(srvdb_areas_digest(db, digest), KC_OK);
    fprintf(f, "areas %s\n", digest);
    assert_int_equal(srvdb_areas_each(db, on_area, f), KC_OK);
    static const char *const feeds[] = { PROTO_DOC_SURVEY, PROTO_DOC_BALLOT, PROTO_DOC_CODES,
                                         PROTO_DOC_USED };
    for (int t = 0; t < 4; t++) {
        assert_int_equal(srvdb_docs_head(db, feeds[t], &head), KC_OK);
        fprintf(f, "feed %s head %lld\n", feeds[t], head);
        assert_int_equal(srvdb_docs_changes(db, feeds[t], 0, 100000, 1 << 30, on_doc, f, &last),
                         KC_OK);
    }
    assert_int_equal(srvdb_ballot_rows(db, "dt-ballot", on_vote, on_use, f), KC_OK);
    assert_int_equal(srvdb_source_runs_each(db, NULL, 100, on_run, f), KC_OK);
    assert_int_equal(srvdb_source_state_get(db, "linkedevents", &body), KC_OK);
    fprintf(f, "state %s\n", body ? body : "-");
    kc_free(body);
    /* comments, with a coordinator's hiding */
    srvdb_fb_filter all = { 0, 0, NULL, 0 };
    assert_int_equal(srvdb_fb_comments(db, &all, 0, NULL, 1000, on_comment, f), KC_OK);
    srvdb_close(db);
    fclose(f);
    return out;
}

/* The devices as the storage API lists them ("" for none). */
static char *dump_devices(const char *spec)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    srvdb *db = NULL;
    if (srvdb_open(spec, &db))
        fail_msg("%s", srvdb_errmsg(db));
    assert_int_equal(srvdb_devices_each(db, on_device, f), KC_OK);
    srvdb_close(db);
    fclose(f);
    return out;
}

static void gen(const char *out, int items, int seed)
{
    assert_int_equal(tu_sh("'%s' gen --items %d --seed %d -o '%s' >/dev/null",
                           st_kioskctl_bin(), items, seed, out), 0);
}

static void admin_ok(const char *db, const char *const *args)
{
    char err[4096];
    if (dt_admin(db, NULL, err, sizeof err, args) != 0)
        fail_msg("%s: %s", args[0], err);
}

static void test_every_table(void **state)
{
    (void)state;
    const char *lite = tu_tmp("tables-server.db"), *pg = st_server_db("migtables");
    const char *k1 = tu_tmp("tables-k1.db"), *k2 = tu_tmp("tables-k2.db");
    const char *g1 = tu_tmp("tables-g1.json"), *sample = SAMPLE_CONTENT;
    char toks[3][65], codes[6][VOTECODE_TEXT_LEN + 1];
    st_device_add(lite, "k1", toks[0]);
    st_device_add(lite, "k2", toks[1]);
    st_device_add(lite, "k3", toks[2]);
    const char *rv[] = { "device-revoke", "k3", NULL };
    admin_ok(lite, rv);
    /* the catalog with tombstones: generated items, then the sample replacing them */
    gen(g1, 60, 3);
    const char *i1[] = { "import", g1, NULL }, *i2[] = { "import", sample, "--replace", NULL };
    admin_ok(lite, i1);
    admin_ok(lite, i2);
    dt_publish(lite, "2024-03-01", "2024-03-31", 6, codes);
    /* kiosks vote (code 0 on both: a second use names its kiosk) and send feedback,
     * one from a card (so every count table of SQLite's has rows) */
    st_server s;
    st_server_start(&s, lite, NULL);
    const char *kdb[2] = { k1, k2 };
    syncc *kc[2];
    for (int k = 0; k < 2; k++) {
        kc[k] = dt_client(kdb[k], &s, toks[k]);
        dt_sync(kc[k]);
    }
    for (int k = 0; k < 2; k++) {
        assert_int_equal(dt_cast(kdb[k], "dt-ballot", "2024-03-10", codes[0], 0),
                         BALLOT_WHY_NONE);
        assert_int_equal(dt_cast(kdb[k], "dt-ballot", "2024-03-11", codes[1 + k], 1),
                         BALLOT_WHY_NONE);
        st_add_responses(kdb[k], 30);
        st_add_row(kdb[k], "feedback", k ? "{\"type\":\"feedback\",\"hour\":\"2026-11-25T12Z\","
                                       "\"score\":2,\"context\":\"home\",\"comment\":"
                                       "\"Ovi jumittaa, soita 040 123\"}"
                                     : "{\"type\":\"feedback\",\"hour\":\"2026-11-25T13Z\","
                                       "\"score\":5,\"context\":\"item-7\",\"comment\":"
                                       "\"Hyvä paikka\"}", NULL);
    }
    for (int k = 0; k < 2; k++) {
        dt_sync(kc[k]);
        dt_sync(kc[k]);
        syncc_free(kc[k]);
    }
    st_server_stop(&s, SIGTERM);
    const char *paper[] = { "ballot-paper", "dt-ballot", "P-1", "p1", NULL };
    admin_ok(lite, paper);
    /* settings, publication, source state and runs, a heartbeat: through srvdb */
    srvdb *db = NULL;
    if (srvdb_open(lite, &db))
        fail_msg("%s", srvdb_errmsg(db));
    assert_int_equal(srvdb_kiosk_settings_set(db, "k1", "{\"place\":\"Pääkirjasto\","
                                                        "\"idle_s\":120}"), KC_OK);
    const char *chosen[] = { "k2" };
    assert_int_equal(srvdb_pub_set(db, PROTO_DOC_SURVEY, "dt-survey", SRVDB_PUB_CHOSEN, chosen,
                                   1), KC_OK);
    assert_int_equal(srvdb_source_state_set(db, "linkedevents", "{\"etag\":\"\\\"x1\\\"\"}"),
                     KC_OK);
    srvdb_source_run r;
    memset(&r, 0, sizeof r);
    snprintf(r.source, sizeof r.source, "linkedevents");
    snprintf(r.origin, sizeof r.origin, "https://api.example.fi/v1/event/");
    r.started = 1767225600;
    r.finished = 1767225660;
    r.ok = 1;
    r.pages = 3;
    r.records = 250;
    r.added = 240;
    snprintf(r.notes, sizeof r.notes, "2 texts shortened\ttab");
    assert_int_equal(srvdb_source_run_add(db, &r), KC_OK);
    proto_heartbeat hb;
    memset(&hb, 0, sizeof hb);
    snprintf(hb.version, sizeof hb.version, "1.2.3");
    hb.catalog_rev = 7;
    hb.outbox_depth = 4;
    hb.set_aside = 2;
    snprintf(hb.last_error, sizeof hb.last_error, "timeout\nline two");
    snprintf(hb.set_aside_reason, sizeof hb.set_aside_reason, "409 other content");
    assert_int_equal(srvdb_heartbeat(db, 2, &hb, 1767225700), KC_OK);
    /* a comment a coordinator hid stays hidden, by whom and when */
    srvdb_fb_filter all = { 0, 0, NULL, 0 };
    char hid[64] = "";
    int changed = 0;
    assert_int_equal(srvdb_fb_comments(db, &all, 0, NULL, 1, first_comment, hid), KC_OK);
    assert_int_equal(srvdb_fb_comment_hide(db, hid, "koordinaattori", 1767225800, &changed),
                     KC_OK);
    assert_int_equal(changed, 1);
    srvdb_close(db);

    char *before = dump(lite, toks, 3);
    char err[4096];
    if (migrate(lite, pg, err, sizeof err) != 0)
        fail_msg("migrate-to-pg: %s", err);
    char *after = dump(pg, toks, 3);
    assert_non_null(strstr(before, "hidden koordinaattori 1767225800\n"));
    assert_true(strstr(before, "\nvote ") && strstr(before, "\nuse ") &&
                strstr(before, " 1 -\n") && strstr(before, "\nrun "));
    if (strcmp(before, after) != 0) {
        /* the first line that differs, not two whole dumps */
        size_t at = 0, line = 0;
        for (size_t i = 0; before[i] && before[i] == after[i]; i++)
            if (before[i] == '\n')
                at = i + 1, line++;
        fail_msg("line %zu differs after the move:\n%.300s\n---\n%.300s", line + 1,
                 before + at, after + at);
    }
    free(before);
    free(after);

    /* The feeds go on above what kiosks saw: a kiosk synced before the move gets what
     * is imported after it, and its catalog equals the server's. */
    st_server_start(&s, pg, NULL);
    const char *i3[] = { "import", g1, NULL };
    admin_ok(pg, i3);
    dt_write_survey(tu_tmp("tables-s2.json"), "dt-survey-2", "Toinen kysely");
    const char *i4[] = { "import-survey", tu_tmp("tables-s2.json"), NULL };
    admin_ok(pg, i4);
    syncc *c = dt_client(k1, &s, toks[0]);
    dt_sync(c);
    syncc_free(c);
    st_assert_same_catalog(k1, pg);
    dt_assert_docs_synced(k1, pg);
    st_server_stop(&s, SIGTERM);
}

/* A second run finds the target full and changes nothing; a run that fails part way
 * leaves nothing behind, so the next one starts clean. */
static void test_refusals(void **state)
{
    (void)state;
    const char *lite = tu_tmp("refuse-server.db"), *pg = st_server_db("migrefuse");
    char tok[65], err[4096];
    st_device_add(lite, "k1", tok);
    st_add_responses(tu_tmp("refuse-k1.db"), 10);
    st_server s;
    st_server_start(&s, lite, NULL);
    syncc *c = dt_client(tu_tmp("refuse-k1.db"), &s, tok);
    dt_sync(c);
    syncc_free(c);
    st_server_stop(&s, SIGTERM);
    assert_int_equal(st_server_count(lite), 10);

    /* a table this version does not know: the move stops after copying part */
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(lite, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "CREATE TABLE zz_unknown(a TEXT); INSERT INTO zz_unknown "
                                     "VALUES('x')", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(migrate(lite, pg, err, sizeof err), 0);
    assert_non_null(strstr(err, "zz_unknown"));
    assert_int_equal(st_server_count(pg), 0);
    char *empty = dump_devices(pg);
    assert_string_equal(empty, "");
    free(empty);
    assert_int_equal(sqlite3_exec(h, "DROP TABLE zz_unknown", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);

    assert_int_equal(migrate(lite, pg, err, sizeof err), 0);
    assert_int_equal(st_server_count(pg), 10);
    assert_int_not_equal(migrate(lite, pg, err, sizeof err), 0);
    assert_non_null(strstr(err, "holds data already"));
    assert_int_equal(st_server_count(pg), 10);
}

int main(void)
{
    if (!getenv("KC_TEST_PG")) {
        fprintf(stderr, "pgtest_migrate: KC_TEST_PG is not set\n");
        return 1;
    }
    if (syncc_global_init())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_every_table),
        cmocka_unit_test(test_mid_stream),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    syncc_global_cleanup();
    return r;
}
