/*
 * Anonymity: an attacker holds the kiosk's database file and, worst case, the printed
 * code sheet plus the order in which voters came (so for every code it knows the
 * voter).  Each voter's ballot here is unique, so the test knows the truth.  Every
 * attack tries to pair stored ballots with used codes (or receipts, or outbox rows)
 * and must do no better than chance: with 40 voters a random pairing gets about one
 * right; more than MAX_RIGHT right pairs fails the test.
 */
#include "testutil.h"
#include "store_sql.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballot.h"
#include "outbox.h"

#define NVOTERS 40
#define MAX_RIGHT 6

/* 8 projects, approval 1..4: voter i picks the projects of the bits of (i + 1). */
static const char BALLOT[] =
    "{\"format\":\"kiosk-ballot\",\"version\":1,\"id\":\"anon\",\"title\":{\"fi\":\"A\"},"
    "\"eligibility\":{\"fi\":\"E\"},\"opens\":\"2026-01-01\",\"closes\":\"2026-12-31\","
    "\"tally_key\":\"%s\",\"rule\":{\"type\":\"approval\",\"min\":1,\"max\":6,\"winners\":6},\"projects\":["
    "{\"id\":\"p0\",\"title\":{\"fi\":\"0\"},\"cost\":1},{\"id\":\"p1\",\"title\":{\"fi\":\"1\"},\"cost\":1},"
    "{\"id\":\"p2\",\"title\":{\"fi\":\"2\"},\"cost\":1},{\"id\":\"p3\",\"title\":{\"fi\":\"3\"},\"cost\":1},"
    "{\"id\":\"p4\",\"title\":{\"fi\":\"4\"},\"cost\":1},{\"id\":\"p5\",\"title\":{\"fi\":\"5\"},\"cost\":1}]}";

typedef struct world {
    store *st;
    ballot *b;
    char codes[NVOTERS][VOTECODE_TEXT_LEN + 1];
    char hash[NVOTERS][VOTECODE_HASH_HEX + 1];  /* the attacker can compute these */
    char receipt[NVOTERS][BALLOT_RECEIPT_TEXT + 1];
    char path[512];
} world;

/* Which voter cast a ballot with these picks (the test's ground truth). */
static int voter_of_picks(const char *picks_json)
{
    json_t *a = json_loads(picks_json, 0, NULL);
    assert_non_null(a);
    int mask = 0;
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) mask |= 1 << (json_string_value(v)[1] - '0');
    json_decref(a);
    return mask - 1;
}

static int voter_of_hash(const world *w, const char *hash)
{
    for (int i = 0; i < NVOTERS; i++)
        if (strcmp(w->hash[i], hash) == 0)
            return i;
    return -1;
}

static int voter_of_receipt(const world *w, const char *r)
{
    for (int i = 0; i < NVOTERS; i++)
        if (strcmp(w->receipt[i], r) == 0)
            return i;
    return -1;
}

static void build(world *w, const char *name)
{
    unsigned char pk[VOTECODE_KEY_BYTES], sk[VOTECODE_KEY_BYTES];
    char hex[2 * VOTECODE_KEY_BYTES + 1], json[4096], msg[KC_MSGMAX];
    assert_int_equal(votecode_keypair(pk, sk), KC_OK);
    votecode_to_hex(pk, sizeof pk, hex);
    snprintf(json, sizeof json, BALLOT, hex);
    assert_int_equal(ballot_parse(json, strlen(json), "anon.json", &w->b, msg), KC_OK);
    snprintf(w->path, sizeof w->path, "%s", tu_tmp(name));
    assert_int_equal(store_open(w->path, &w->st), KC_OK);
    assert_int_equal(ballot_init(w->st), KC_OK);
    int changed;
    assert_int_equal(ballot_store_put(w->st, w->b, &changed), KC_OK);
    assert_int_equal(ballot_codes_generate(w->st, "anon", NVOTERS, w->codes), KC_OK);
    votecode_params p;
    assert_int_equal(ballot_code_params(w->st, "anon", &p), KC_OK);
    for (int i = 0; i < NVOTERS; i++) {
        char bare[VOTECODE_LEN + 1];
        assert_int_equal(votecode_normalize(w->codes[i], bare, msg), KC_OK);
        assert_int_equal(votecode_derive(&p, bare, w->hash[i], NULL), KC_OK);
    }
    /* voters come in order 0, 1, 2, ... */
    for (int i = 0; i < NVOTERS; i++) {
        ballot_session *s;
        ballot_why why;
        assert_int_equal(ballot_session_new(w->b, "2026-04-04", &s), KC_OK);
        assert_int_equal(ballot_session_enter_code(s, w->st, w->codes[i], &why), KC_OK);
        for (int k = 0; k < 6; k++)
            if ((i + 1) & (1 << k))
                assert_int_equal(ballot_session_toggle(s, (size_t)k, &why), KC_OK);
        assert_int_equal(ballot_session_cast(s, w->st, w->receipt[i], &why), KC_OK);
        ballot_session_free(s);
    }
}

/* Pairs the k-th item of list a with the k-th of list b; counts right pairs. */
static int pair_by_rank(const int *a, int na, const int *b, int nb)
{
    int right = 0;
    for (int k = 0; k < na && k < nb; k++)
        right += a[k] >= 0 && a[k] == b[k];
    return right;
}

/* The voters of the rows a query returns, in the order it returns them.  kind: 0 picks
 * column, 1 code hash, 2 receipt. */
static int rows(world *w, const char *sql, int kind, int *out)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(w->st), sql, -1, &s, NULL), SQLITE_OK);
    int n = 0;
    while (sqlite3_step(s) == SQLITE_ROW && n < 4 * NVOTERS) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        out[n++] = kind == 0 ? voter_of_picks(t) : kind == 1 ? voter_of_hash(w, t)
                                                             : voter_of_receipt(w, t);
    }
    sqlite3_finalize(s);
    return n;
}

/* One election shared by the tests, in order: the layout test scrubs it last. */
static world *shared;

static void test_schema_has_no_joins(void **state)
{
    (void)state;
    world *w = shared;
    sqlite3 *db = store_db(w->st);
    static const char *const tables[] = { "ballot_vote", "ballot_code", "ballot_receipt",
                                          "outbox" };
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        char sql[200];
        sqlite3_stmt *s = NULL;
        /* no rowid to order by */
        snprintf(sql, sizeof sql, "SELECT rowid FROM %s", tables[t]);
        assert_int_not_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
        sqlite3_finalize(s);
        /* no column that could hold a time or a sequence */
        snprintf(sql, sizeof sql, "SELECT name, type FROM pragma_table_info('%s')", tables[t]);
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
        int ncols = 0;
        while (sqlite3_step(s) == SQLITE_ROW) {
            const char *name = (const char *)sqlite3_column_text(s, 0);
            ncols++;
            for (const char *bad = "time\0date\0seq\0created\0at\0day\0hour\0order\0id\0";
                 *bad; bad += strlen(bad) + 1)
                if (strcmp(name, bad) == 0 || (strlen(bad) > 3 && strstr(name, bad)))
                    fail_msg("%s has a column \"%s\"", tables[t], name);
        }
        sqlite3_finalize(s);
        assert_true(ncols > 0);
    }
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE "
                                            "name = 'sqlite_sequence'", -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 0);
    sqlite3_finalize(s);

    /* payloads: exactly the documented keys; nothing of the other kind in them */
    outbox_row *r;
    size_t n;
    assert_int_equal(outbox_pending(w->st, 1000, &r, &n), KC_OK);
    assert_int_equal(n, 2 * NVOTERS);
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_loads(r[i].payload, 0, NULL);
        assert_non_null(p);
        const char *keys = strcmp(r[i].kind, "ballot") == 0 ? "ballot eligibility picks tag version"
                                                             : "ballot code";
        assert_true(strcmp(r[i].kind, "ballot") == 0 || strcmp(r[i].kind, "ballot-code") == 0);
        const char *k;
        json_t *v;
        size_t nk = 0;
        json_object_foreach(p, k, v) {
            nk++;
            assert_non_null(strstr(keys, k));
        }
        assert_int_equal(nk, strcmp(r[i].kind, "ballot") == 0 ? 5 : 2);
        for (int j = 0; j < NVOTERS; j++) {
            assert_null(strstr(r[i].payload, w->receipt[j]));
            if (strcmp(r[i].kind, "ballot") == 0)
                assert_null(strstr(r[i].payload, w->hash[j]));
        }
        for (size_t j = 0; j < n; j++)
            assert_null(strstr(r[i].payload, r[j].uuid));
        json_decref(p);
    }
    outbox_rows_free(r, n);
}

static void test_order_attacks(void **state)
{
    (void)state;
    world *w = shared;
    int ballots[4 * NVOTERS], codes[4 * NVOTERS], receipts[4 * NVOTERS];
    /* every ordering SQL offers: table scan, primary key, reverse */
    static const char *const vq[] = {
        "SELECT picks FROM ballot_vote",
        "SELECT picks FROM ballot_vote ORDER BY uuid",
        "SELECT picks FROM ballot_vote ORDER BY uuid DESC",
    };
    static const char *const cq[] = {
        "SELECT hash FROM ballot_code WHERE used = 1",
        "SELECT hash FROM ballot_code WHERE used = 1 ORDER BY hash",
        "SELECT hash FROM ballot_code WHERE used = 1 ORDER BY hash DESC",
    };
    static const char *const rq[] = {
        "SELECT receipt FROM ballot_receipt",
        "SELECT receipt FROM ballot_receipt ORDER BY receipt DESC",
    };
    int truth[NVOTERS];
    for (int i = 0; i < NVOTERS; i++)
        truth[i] = i;
    for (size_t a = 0; a < 3; a++) {
        int nb = rows(w, vq[a], 0, ballots);
        assert_int_equal(nb, NVOTERS);
        /* ballots in their stored order against the order voters came */
        int right = pair_by_rank(ballots, nb, truth, NVOTERS);
        if (right > MAX_RIGHT)
            fail_msg("ballot order \"%s\" follows the voting order (%d right)", vq[a], right);
        for (size_t c = 0; c < 3; c++) {
            int nc = rows(w, cq[c], 1, codes);
            assert_int_equal(nc, NVOTERS);
            right = pair_by_rank(ballots, nb, codes, nc);
            if (right > MAX_RIGHT)
                fail_msg("\"%s\" pairs with \"%s\": %d right", vq[a], cq[c], right);
        }
        for (size_t c = 0; c < 2; c++) {
            int nr = rows(w, rq[c], 2, receipts);
            assert_int_equal(nr, NVOTERS);
            right = pair_by_rank(ballots, nb, receipts, nr);
            if (right > MAX_RIGHT)
                fail_msg("\"%s\" pairs with \"%s\": %d right", vq[a], rq[c], right);
        }
    }
    /* the outbox: ballot rows and code rows, in stored and in UUID order */
    static const char *const oq[2][2] = {
        { "SELECT payload FROM outbox WHERE kind = 'ballot'",
          "SELECT payload FROM outbox WHERE kind = 'ballot-code'" },
        { "SELECT payload FROM outbox WHERE kind = 'ballot' ORDER BY uuid",
          "SELECT payload FROM outbox WHERE kind = 'ballot-code' ORDER BY uuid" },
    };
    for (int o = 0; o < 2; o++) {
        sqlite3_stmt *s;
        int nb = 0, nc = 0;
        assert_int_equal(sqlite3_prepare_v2(store_db(w->st), oq[o][0], -1, &s, NULL), SQLITE_OK);
        while (sqlite3_step(s) == SQLITE_ROW) {
            json_t *p = json_loads((const char *)sqlite3_column_text(s, 0), 0, NULL);
            char *picks = json_dumps(json_object_get(p, "picks"), JSON_COMPACT);
            ballots[nb++] = voter_of_picks(picks);
            free(picks);
            json_decref(p);
        }
        sqlite3_finalize(s);
        assert_int_equal(sqlite3_prepare_v2(store_db(w->st), oq[o][1], -1, &s, NULL), SQLITE_OK);
        while (sqlite3_step(s) == SQLITE_ROW) {
            json_t *p = json_loads((const char *)sqlite3_column_text(s, 0), 0, NULL);
            codes[nc++] = voter_of_hash(w, json_string_value(json_object_get(p, "code")));
            json_decref(p);
        }
        sqlite3_finalize(s);
        assert_int_equal(nb, NVOTERS);
        assert_int_equal(nc, NVOTERS);
        int right = pair_by_rank(ballots, nb, codes, nc);
        if (right > MAX_RIGHT)
            fail_msg("outbox order pairs ballots with codes: %d right", right);
    }
}

/* Where each string first appears in the file, -1 when it does not. */
static long offset_of(const char *file, size_t len, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i + n <= len; i++)
        if (file[i] == s[0] && memcmp(file + i, s, n) == 0)
            return (long)i;
    return -1;
}

typedef struct placed {
    long off;
    int voter;
} placed;

static int cmp_placed(const void *a, const void *b)
{
    long x = ((const placed *)a)->off, y = ((const placed *)b)->off;
    return (x > y) - (x < y);
}

/* The bytes of the file: ballots and code hashes sorted by where they sit. */
static int file_layout_right(world *w)
{
    size_t len;
    char *file = tu_read(w->path, &len);
    placed vb[NVOTERS], vc[NVOTERS];
    sqlite3_stmt *s;
    int nb = 0;
    assert_int_equal(sqlite3_prepare_v2(store_db(w->st), "SELECT uuid, picks FROM ballot_vote",
                                        -1, &s, NULL),
                     SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW && nb < NVOTERS) {
        vb[nb].off = offset_of(file, len, (const char *)sqlite3_column_text(s, 0));
        vb[nb].voter = voter_of_picks((const char *)sqlite3_column_text(s, 1));
        assert_true(vb[nb].off >= 0);
        nb++;
    }
    sqlite3_finalize(s);
    for (int i = 0; i < NVOTERS; i++) {
        vc[i].off = offset_of(file, len, w->hash[i]);
        vc[i].voter = i;
        assert_true(vc[i].off >= 0);
    }
    free(file);
    qsort(vb, (size_t)nb, sizeof vb[0], cmp_placed);
    qsort(vc, NVOTERS, sizeof vc[0], cmp_placed);
    int right = 0;
    for (int k = 0; k < nb; k++)
        right += vb[k].voter == vc[k].voter;
    return right;
}

static void test_page_layout_after_scrub(void **state)
{
    (void)state;
    world *w = shared;
    /* Before the scrub SQLite's pages still hold cells in the order they were written;
     * shown, not asserted: it is the residual risk docs/voting.md describes. */
    fprintf(stderr, "# layout attack before scrub: %d of %d right\n", file_layout_right(w),
            NVOTERS);
    assert_int_equal(ballot_scrub(w->st), KC_OK);
    /* the write-ahead log keeps frames in commit order: it must be empty now */
    char wal[600];
    snprintf(wal, sizeof wal, "%s-wal", w->path);
    FILE *f = fopen(wal, "rb");
    if (f) {
        fseek(f, 0, SEEK_END);
        assert_int_equal(ftell(f), 0);
        fclose(f);
    }
    int right = file_layout_right(w);
    if (right > MAX_RIGHT)
        fail_msg("after scrub, the file layout pairs ballots with codes: %d right", right);
    /* and the stored order of rows still says nothing */
    int ballots[4 * NVOTERS], truth[NVOTERS];
    for (int i = 0; i < NVOTERS; i++)
        truth[i] = i;
    int nb = rows(w, "SELECT picks FROM ballot_vote", 0, ballots);
    assert_true(pair_by_rank(ballots, nb, truth, NVOTERS) <= MAX_RIGHT);
}

static int setup(void **state)
{
    (void)state;
    shared = calloc(1, sizeof *shared);
    build(shared, "anon.db");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(shared->st);
    ballot_free(shared->b);
    free(shared);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_has_no_joins),
        cmocka_unit_test(test_order_attacks),
        cmocka_unit_test(test_page_layout_after_scrub),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
