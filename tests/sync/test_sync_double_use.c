/* Issue 7, "offline double use across two kiosks with the real server": two kiosk
 * databases use the same code while offline, both sync to the real kiosk-server, the
 * server's tally counts the code's ballots once and flags the second use, and after
 * another sync both kiosks refuse every code used anywhere. */
#include "ballot.h"
#include "doctest.h"
#include "store.h"
#include "testutil.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BID "pb-offline"
/* Voting took place in March 2024: the kiosks cast with that date, and today lies
 * outside the period, so ballot_release_allows() lets the ballots go at once. */
#define DAY "2024-03-10"

typedef struct env {
    char sdb[600], ka[600], kb[600], bf[600], cf[600], keyf[600];
    char codes[4][VOTECODE_TEXT_LEN + 1];
    char ta[65], tb[65];
    st_server s;
} env;

static void setup_env(env *e, const char *tag, int with_key)
{
    memset(e, 0, sizeof *e);
    char n[64];
#define P(field, name)                                                                      \
    snprintf(n, sizeof n, "%s-%s", tag, name);                                              \
    snprintf(e->field, sizeof e->field, "%s", tu_tmp(n))
    snprintf(n, sizeof n, "%s-server.db", tag);
    snprintf(e->sdb, sizeof e->sdb, "%s", st_server_db(n));
    P(ka, "kiosk-a.db");
    P(kb, "kiosk-b.db");
    P(bf, "ballot.json");
    P(cf, "codes.json");
    P(keyf, "tally.key");
#undef P
    char pkhex[2 * VOTECODE_KEY_BYTES + 1], skhex[2 * VOTECODE_KEY_BYTES + 1];
    unsigned char pk[VOTECODE_KEY_BYTES], sk[VOTECODE_KEY_BYTES];
    assert_int_equal(votecode_keypair(pk, sk), KC_OK);
    votecode_to_hex(pk, sizeof pk, pkhex);
    votecode_to_hex(sk, sizeof sk, skhex);
    st_write_file(e->keyf, skhex);
    dt_write_ballot(e->bf, BID, "2024-03-01", "2024-03-31", with_key ? pkhex : NULL);
    dt_make_codes(e->bf, BID, 4, e->cf, e->codes);
    char err[4096];
    const char *ib[] = { "import-ballot", e->bf, NULL };
    const char *ic[] = { "import-codes", e->cf, NULL };
    assert_int_equal(dt_admin(e->sdb, NULL, err, sizeof err, ib), 0);
    assert_int_equal(dt_admin(e->sdb, NULL, err, sizeof err, ic), 0);
    st_device_add(e->sdb, "kiosk-a", e->ta);
    st_device_add(e->sdb, "kiosk-b", e->tb);
    st_server_start(&e->s, e->sdb, NULL);
}

static void sync_kiosk(env *e, const char *kdb, const char *tok)
{
    syncc *c = dt_client(kdb, &e->s, tok);
    dt_sync(c);
    syncc_free(c);
}

static long codes_used(const char *kdb)
{
    store *st = NULL;
    ballot_counts n;
    assert_int_equal(store_open(kdb, &st), KC_OK);
    assert_int_equal(ballot_init(st), KC_OK);
    assert_int_equal(ballot_get_counts(st, BID, &n), KC_OK);
    store_close(st);
    return n.codes_used;
}

/* Both kiosks get the ballot and its codes, then vote offline: code 0 on both, code 1
 * on kiosk A only, code 2 on kiosk B only, code 3 nowhere.  Then A syncs, then B. */
static void vote_offline(env *e)
{
    sync_kiosk(e, e->ka, e->ta);
    sync_kiosk(e, e->kb, e->tb);
    assert_int_equal(dt_cast(e->ka, BID, DAY, e->codes[0], 0), BALLOT_WHY_NONE);
    assert_int_equal(dt_cast(e->ka, BID, DAY, e->codes[1], 1), BALLOT_WHY_NONE);
    assert_int_equal(dt_cast(e->kb, BID, DAY, e->codes[0], 2), BALLOT_WHY_NONE);
    assert_int_equal(dt_cast(e->kb, BID, DAY, e->codes[2], 1), BALLOT_WHY_NONE);
    /* Each kiosk refuses a second use on itself. */
    assert_int_equal(dt_cast(e->ka, BID, DAY, e->codes[0], 0), BALLOT_WHY_CODE_VOTED);
    sync_kiosk(e, e->ka, e->ta);
    sync_kiosk(e, e->kb, e->tb);
    assert_int_equal(dt_long(e->sdb, "SELECT (SELECT count(*) FROM ballot_in) + "
                                             "(SELECT count(*) FROM ballot_pool)"), 4);
    assert_int_equal(dt_long(e->sdb, "SELECT count(*) FROM code_use"), 4);
    assert_int_equal(dt_long(e->sdb, "SELECT count(DISTINCT hash) FROM code_use"), 3);
}

static void test_offline_double_use_two_kiosks(void **state)
{
    (void)state;
    env *e = calloc(1, sizeof *e);
    assert_non_null(e);
    setup_env(e, "du", 1);
    vote_offline(e);

    /* The server's tally: code 0's two ballots count once, its second use flagged. */
    char out[8192], err[8192];
    const char *t[] = { "ballot-tally", BID, "--key-file", e->keyf, NULL };
    assert_int_equal(dt_admin(e->sdb, out, err, sizeof out, t), 0);
    assert_non_null(strstr(out, "3 ballots counted (3 with a code, 0 unlocked by staff)"));
    assert_non_null(strstr(err, "double use: 3 codes used, 1 uses beyond the first, 1 "
                                "duplicate ballots not counted, 0 duplicate uses without"));
    assert_non_null(strstr(err, "flagged: code "));
    /* A synced first: the server kept only the kiosk of the later use, B */
    assert_non_null(strstr(err, "used 2 times; later uses on: kiosk-b\n"));
    /* Exactly one of p1 (kiosk A's vote with code 0) and p3 (kiosk B's) counted. */
    const char *p1 = strstr(out, "p1 "), *p3 = strstr(out, "p3 ");
    assert_non_null(p1);
    assert_non_null(p3);
    long v1 = 0, v3 = 0;
    assert_int_equal(sscanf(p1 + 3, "%*d %ld", &v1), 1);
    assert_int_equal(sscanf(p3 + 3, "%*d %ld", &v3), 1);
    assert_int_equal(v1 + v3, 1);
    const char *p2 = strstr(out, "p2 ");
    long v2 = 0;
    assert_non_null(p2);
    assert_int_equal(sscanf(p2 + 3, "%*d %ld", &v2), 1);
    assert_int_equal(v2, 2);
    /* The same as CSV on stdout. */
    const char *tc[] = { "ballot-tally", BID, "--csv", "--key-file", e->keyf, NULL };
    assert_int_equal(dt_admin(e->sdb, out, err, sizeof out, tc), 0);
    /* The spreadsheet CSV (core/csv.h): a byte order mark, then ';'-separated. */
    assert_true(strncmp(out, "\xEF\xBB\xBF\"rank\";", 10) == 0);
    assert_non_null(strstr(err, "1 duplicate ballots not counted"));
    /* A key that is not the ballot's is refused. */
    st_write_file(e->keyf, "0000000000000000000000000000000000000000000000000000000000000001");
    assert_int_equal(dt_admin(e->sdb, out, err, sizeof out, t), 1);
    assert_non_null(strstr(err, "does not belong"));

    /* B synced last and knows A's codes already; A learns B's on its next sync.  Then
     * both refuse every code used anywhere, and the unused code still works. */
    assert_int_equal(codes_used(e->ka), 2);
    assert_int_equal(codes_used(e->kb), 3);
    assert_int_equal(dt_code_why(e->ka, BID, DAY, e->codes[2]), BALLOT_WHY_NONE);
    sync_kiosk(e, e->ka, e->ta);
    sync_kiosk(e, e->kb, e->tb);
    for (int k = 0; k < 2; k++) {
        const char *kdb = k ? e->kb : e->ka;
        assert_int_equal(codes_used(kdb), 3);
        /* voted here: recorded, with a receipt; voted only elsewhere: used */
        for (int i = 0; i < 3; i++) {
            int here = i == 0 || (k == 0 ? i == 1 : i == 2);
            assert_int_equal(dt_code_why(kdb, BID, DAY, e->codes[i]),
                             here ? BALLOT_WHY_CODE_VOTED : BALLOT_WHY_CODE_USED);
        }
        assert_int_equal(dt_code_why(kdb, BID, DAY, e->codes[3]), BALLOT_WHY_NONE);
    }
    assert_int_equal(dt_long(e->sdb, "SELECT count(*) FROM doc WHERE type = 'ballot-used'"),
                     3);
    st_server_stop(&e->s, SIGTERM);
    free(e);
}

/* Without a tally key the extra ballot cannot be found: both count, and the report
 * says so. */
static void test_double_use_without_tally_key(void **state)
{
    (void)state;
    env *e = calloc(1, sizeof *e);
    assert_non_null(e);
    setup_env(e, "nk", 0);
    vote_offline(e);
    char out[8192], err[8192];
    const char *t[] = { "ballot-tally", BID, NULL };
    assert_int_equal(dt_admin(e->sdb, out, err, sizeof out, t), 0);
    assert_non_null(strstr(out, "4 ballots counted"));
    assert_non_null(strstr(err, "1 uses beyond the first, 0 duplicate ballots not counted, 1 "
                                "duplicate uses without a ballot to drop"));
    assert_non_null(strstr(err, "the count includes 1 ballots of codes used more than once"));
    const char *u[] = { "ballot-tally", "no-such-ballot", NULL };
    assert_int_equal(dt_admin(e->sdb, out, err, sizeof out, u), 1);
    st_server_stop(&e->s, SIGTERM);
    free(e);
}

/* Issue 11 item 5: a kiosk that has a ballot but none of its codes (the server has
 * no codes file for it; codes were handed out from elsewhere) learns that a code was
 * used on another kiosk.  The failed salt look-up left its "not found" behind and
 * every sync failed with "no codes made"; docs/protocol.md says each use is then
 * stored on its own, so the code can never vote here either. */
static void test_code_use_reaches_kiosk_without_codes(void **state)
{
    (void)state;
    char sdb[600], kdb[600], bf[600], ta[65], tb[65], reply[4096], batch[600];
    snprintf(sdb, sizeof sdb, "%s", st_server_db("nocodes-server.db"));
    snprintf(kdb, sizeof kdb, "%s", tu_tmp("nocodes-kiosk.db"));
    snprintf(bf, sizeof bf, "%s", tu_tmp("nocodes-ballot.json"));
    dt_write_ballot(bf, BID, "2024-03-01", "2024-03-31", NULL);
    char err[4096];
    const char *ib[] = { "import-ballot", bf, NULL };
    assert_int_equal(dt_admin(sdb, NULL, err, sizeof err, ib), 0);
    st_device_add(sdb, "kiosk-a", ta);
    st_device_add(sdb, "kiosk-b", tb);
    st_server s;
    st_server_start(&s, sdb, NULL);
    syncc *c = dt_client(kdb, &s, tb);
    dt_sync(c);  /* the ballot, no codes */
    assert_int_equal(dt_long(kdb, "SELECT count(*) FROM ballot_def"), 1);
    /* Kiosk A reports a code use. */
    static const char hash[] = "5f0c6a8e2b7d4c1a9e3f8b6d2a4c7e1f0b9d8c7a6e5f4d3c2b1a0f9e8d7c6b5a";
    snprintf(batch, sizeof batch,
             "{\"responses\":[{\"uuid\":\"0b7e4d0c-27c6-4a4c-9d6b-5f3a3b1c2d01\","
             "\"kind\":\"ballot-code\",\"payload\":{\"ballot\":\"%s\",\"code\":\"%s\"}}]}",
             BID, hash);
    assert_int_equal(st_post(&s, "/v1/responses", ta, batch, reply, sizeof reply), 200);
    assert_int_equal(dt_long(sdb, "SELECT count(*) FROM doc WHERE type = 'ballot-used'"), 1);
    dt_sync(c);
    char q[200];
    snprintf(q, sizeof q, "SELECT count(*) FROM ballot_code WHERE used = 1 AND hash = '%s'",
             hash);
    assert_int_equal(dt_long(kdb, q), 1);
    dt_assert_docs_synced(kdb, sdb);
    syncc_free(c);
    st_server_stop(&s, SIGTERM);
}

int main(void)
{
    if (syncc_global_init())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_offline_double_use_two_kiosks),
        cmocka_unit_test(test_double_use_without_tally_key),
        cmocka_unit_test(test_code_use_reaches_kiosk_without_codes),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    syncc_global_cleanup();
    return r;
}
