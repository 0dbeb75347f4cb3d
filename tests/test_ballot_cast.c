/* Ballots on a kiosk: codes and cast, staff mode, faults while casting, two kiosks,
 * vote codes, receipts and the sync release (format and sessions: test_ballot.c). */
#include "testutil.h"
#include "ballotutil.h"
#include "store_sql.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballot.h"
#include "outbox.h"
#include "tally.h"

static int count_rows(store *st, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int n = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return n;
}

static store *with_ballot(const char *dbname, ballot *b)
{
    store *st = tu_ballot_db(dbname);
    int changed;
    assert_int_equal(ballot_store_put(st, b, &changed), KC_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(ballot_store_put(st, b, &changed), KC_OK);
    assert_int_equal(changed, 0);
    return st;
}

static void test_codes_and_cast(void **state)
{
    (void)state;
    ballot *b = tu_ballot_parse("{\"type\":\"approval\",\"min\":1,\"max\":2,\"winners\":2}", NULL);
    store *st = with_ballot("cast.db", b);
    char codes[3][VOTECODE_TEXT_LEN + 1];
    assert_int_equal(ballot_codes_generate(st, "t", 3, codes), KC_OK);
    assert_int_equal(strlen(codes[0]), VOTECODE_TEXT_LEN);
    assert_int_equal(codes[0][4], '-');
    /* the codes are stored only as hashes */
    assert_int_equal(count_rows(st, "SELECT count(*) FROM ballot_code"), 3);
    char bare[VOTECODE_LEN + 1], msg[KC_MSGMAX];
    assert_int_equal(votecode_normalize(codes[0], bare, msg), KC_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), "SELECT count(*) FROM ballot_code "
                                        "WHERE hash LIKE '%' || ? || '%'", -1, &q, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(q, 1, bare, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 0);
    sqlite3_finalize(q);

    ballot_session *s;
    ballot_why why;
    char receipt[BALLOT_RECEIPT_TEXT + 1];
    assert_int_equal(ballot_session_new(b, TU_BALLOT_DAY, &s), KC_OK);
    assert_int_equal(ballot_session_enter_code(s, st, "ABCD", &why), KC_EDENIED);
    assert_int_equal(why, BALLOT_WHY_CODE_FORMAT);
    assert_int_equal(ballot_session_enter_code(s, st, "2345-6789-ACDX", &why), KC_EDENIED);
    assert_int_equal(why, BALLOT_WHY_CODE_UNKNOWN);
    assert_int_equal(ballot_session_toggle(s, 1, &why), KC_OK);
    assert_int_equal(ballot_session_cast(s, st, receipt, &why), KC_EDENIED);
    assert_int_equal(why, BALLOT_WHY_NOT_ELIGIBLE);
    /* lower case and spaces are fine */
    char typed[32];
    snprintf(typed, sizeof typed, " %.4s %.4s %.4s ", codes[0], codes[0] + 5, codes[0] + 10);
    for (char *p = typed; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    assert_int_equal(ballot_session_enter_code(s, st, typed, &why), KC_OK);
    assert_int_equal(ballot_session_validate(s, &why), KC_OK);
    assert_int_equal(ballot_session_cast(s, st, receipt, &why), KC_OK);
    assert_int_equal(strlen(receipt), BALLOT_RECEIPT_TEXT);
    assert_int_equal(receipt[3], '-');
    char again[BALLOT_RECEIPT_TEXT + 1];
    assert_int_equal(ballot_session_cast(s, st, again, &why), KC_EDENIED);
    assert_int_equal(why, BALLOT_WHY_CAST);
    assert_int_equal(ballot_session_toggle(s, 0, &why), KC_EDENIED);
    ballot_session_free(s);

    ballot_counts c;
    assert_int_equal(ballot_get_counts(st, "t", &c), KC_OK);
    assert_int_equal(c.codes, 3);
    assert_int_equal(c.codes_used, 1);
    assert_int_equal(c.votes_code, 1);
    assert_int_equal(c.votes_staff, 0);
    assert_int_equal(c.receipts, 1);
    int found;
    assert_int_equal(ballot_receipt_known(st, "t", receipt, &found), KC_OK);
    assert_true(found);
    assert_int_equal(ballot_receipt_known(st, "t", "222-222", &found), KC_OK);
    assert_false(found);

    /* the two outbox rows: the ballot without the code, the code without the ballot */
    outbox_row *rows;
    size_t n;
    assert_int_equal(outbox_pending(st, 10, &rows, &n), KC_OK);
    assert_int_equal(n, 2);
    const outbox_row *vote = strcmp(rows[0].kind, "ballot") == 0 ? &rows[0] : &rows[1];
    const outbox_row *use = vote == &rows[0] ? &rows[1] : &rows[0];
    assert_string_equal(vote->kind, "ballot");
    assert_string_equal(use->kind, "ballot-code");
    assert_non_null(strstr(vote->payload, "\"picks\":[\"b\"]"));
    assert_non_null(strstr(vote->payload, "\"eligibility\":\"code\""));
    assert_null(strstr(vote->payload, "\"code\":"));
    assert_null(strstr(use->payload, vote->uuid));
    assert_null(strstr(use->payload, "picks"));
    assert_null(strstr(vote->payload, receipt));
    assert_null(strstr(use->payload, receipt));
    outbox_rows_free(rows, n);

    /* reuse of the same code is refused at entry, saying that its vote is recorded */
    assert_int_equal(ballot_session_new(b, TU_BALLOT_DAY, &s), KC_OK);
    assert_int_equal(ballot_session_enter_code(s, st, codes[0], &why), KC_EDENIED);
    assert_int_equal(why, BALLOT_WHY_CODE_VOTED);
    ballot_session_free(s);
    sodium_memzero(codes, sizeof codes);
    store_close(st);
    ballot_free(b);
}

/* Two sessions checked the same code; the first casts; the second must fail whole. */
static void test_code_race(void **state)
{
    (void)state;
    ballot *b = tu_ballot_parse("{\"type\":\"approval\",\"min\":1,\"max\":2,\"winners\":2}", NULL);
    store *st = with_ballot("race.db", b);
    char codes[1][VOTECODE_TEXT_LEN + 1];
    assert_int_equal(ballot_codes_generate(st, "t", 1, codes), KC_OK);
    ballot_session *s1, *s2;
    ballot_why why;
    char r1[BALLOT_RECEIPT_TEXT + 1], r2[BALLOT_RECEIPT_TEXT + 1];
    assert_int_equal(ballot_session_new(b, TU_BALLOT_DAY, &s1), KC_OK);
    assert_int_equal(ballot_session_new(b, TU_BALLOT_DAY, &s2), KC_OK);
    assert_int_equal(ballot_session_enter_code(s1, st, codes[0], &why), KC_OK);
    assert_int_equal(ballot_session_enter_code(s2, st, codes[0], &why), KC_OK);
    assert_int_equal(ballot_session_toggle(s1, 0, &why), KC_OK);
    assert_int_equal(ballot_session_toggle(s2, 1, &why), KC_OK);
    assert_int_equal(ballot_session_cast(s1, st, r1, &why), KC_OK);
    assert_int_equal(ballot_session_cast(s2, st, r2, &why), KC_EDENIED);
    assert_int_equal(why, BALLOT_WHY_CODE_USED);
    assert_string_equal(r2, "");
    ballot_counts c;
    assert_int_equal(ballot_get_counts(st, "t", &c), KC_OK);
    assert_int_equal(c.votes_code, 1);
    assert_int_equal(c.receipts, 1);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM outbox"), 2);
    ballot_session_free(s1);
    ballot_session_free(s2);
    store_close(st);
    ballot_free(b);
}

static void test_staff_reset_closed(void **state)
{
    (void)state;
    ballot *b = tu_ballot_parse("{\"type\":\"knapsack\",\"budget\":1000}", NULL);
    store *st = with_ballot("staff.db", b);
    char codes[1][VOTECODE_TEXT_LEN + 1];
    assert_int_equal(ballot_codes_generate(st, "t", 1, codes), KC_OK);
    ballot_session *s;
    ballot_why why;
    char receipt[BALLOT_RECEIPT_TEXT + 1];
    /* idle reset after entering a code and picking: nothing is written */
    assert_int_equal(ballot_session_new(b, TU_BALLOT_DAY, &s), KC_OK);
    assert_int_equal(ballot_session_enter_code(s, st, codes[0], &why), KC_OK);
    assert_int_equal(ballot_session_toggle(s, 0, &why), KC_OK);
    ballot_session_reset(s);
    ballot_progress p;
    ballot_session_progress(s, &p);
    assert_int_equal(p.picks, 0);
    assert_int_equal(p.eligibility, BALLOT_ELIG_NONE);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM ballot_code WHERE used = 1"), 0);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM outbox"), 0);
    /* staff unlock */
    assert_int_equal(ballot_session_unlock_staff(s, &why), KC_OK);
    assert_int_equal(ballot_session_toggle(s, 4, &why), KC_OK);
    assert_int_equal(ballot_session_toggle(s, 3, &why), KC_OK);
    assert_int_equal(ballot_session_cast(s, st, receipt, &why), KC_OK);
    ballot_session_free(s);
    ballot_counts c;
    assert_int_equal(ballot_get_counts(st, "t", &c), KC_OK);
    assert_int_equal(c.votes_staff, 1);
    assert_int_equal(c.votes_code, 0);
    assert_int_equal(c.codes_used, 0);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM outbox WHERE kind = 'ballot-code'"), 0);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM outbox WHERE kind = 'ballot' AND "
                                    "payload LIKE '%\"eligibility\":\"staff\"%'"), 1);
    /* outside the period nothing is possible */
    assert_int_equal(ballot_session_new(b, "2027-01-01", &s), KC_OK);
    assert_int_equal(ballot_session_enter_code(s, st, codes[0], &why), KC_EDENIED);
    assert_int_equal(why, BALLOT_WHY_CLOSED);
    assert_int_equal(ballot_session_unlock_staff(s, &why), KC_EDENIED);
    assert_int_equal(why, BALLOT_WHY_CLOSED);
    ballot_session_free(s);
    /* the rule may not change once votes exist; texts may */
    ballot *b2 = tu_ballot_parse("{\"type\":\"knapsack\",\"budget\":1200}", NULL);
    int changed;
    assert_int_equal(ballot_store_put(st, b2, &changed), KC_EINVAL);
    assert_non_null(strstr(store_errmsg(st), "only texts may change"));
    ballot_free(b2);
    b2 = tu_ballot_parse("{\"type\":\"knapsack\",\"budget\":1000}", "\"description\":{\"fi\":\"Uusi\"},");
    assert_int_equal(ballot_store_put(st, b2, &changed), KC_OK);
    assert_int_equal(changed, 1);
    ballot_free(b2);
    store_close(st);
    ballot_free(b);
}

/* Every allocation of a cast failing in turn: nothing or everything is stored. */
static void test_cast_faults(void **state)
{
    (void)state;
    ballot *b = tu_ballot_parse("{\"type\":\"approval\",\"min\":1,\"max\":2,\"winners\":2}", NULL);
    store *st = with_ballot("faults.db", b);
    char codes[1][VOTECODE_TEXT_LEN + 1];
    assert_int_equal(ballot_codes_generate(st, "t", 1, codes), KC_OK);
    ballot_session *s;
    ballot_why why;
    char receipt[BALLOT_RECEIPT_TEXT + 1];
    assert_int_equal(ballot_session_new(b, TU_BALLOT_DAY, &s), KC_OK);
    assert_int_equal(ballot_session_enter_code(s, st, codes[0], &why), KC_OK);
    assert_int_equal(ballot_session_toggle(s, 0, &why), KC_OK);
    int done = 0;
    for (long n = 0; n < 200 && !done; n++) {
        kc_fault_after(n);
        kc_err rc = ballot_session_cast(s, st, receipt, &why);
        long hits = kc_fault_after(-1);
        int votes = count_rows(st, "SELECT count(*) FROM ballot_vote");
        int used = count_rows(st, "SELECT count(*) FROM ballot_code WHERE used = 1");
        int out = count_rows(st, "SELECT count(*) FROM outbox");
        if (rc == KC_OK) {
            assert_int_equal(hits, 0);
            assert_int_equal(votes, 1);
            assert_int_equal(used, 1);
            assert_int_equal(out, 2);
            done = 1;
        } else {
            assert_int_equal(votes, 0);
            assert_int_equal(used, 0);
            assert_int_equal(out, 0);
            assert_false(store_in_tx(st));
        }
    }
    assert_true(done);
    ballot_session_free(s);
    store_close(st);
    ballot_free(b);
}

/* Codes made on the admin's machine, imported on two kiosks, used on both while
 * offline: the server rule counts one ballot and flags the other. */
static void test_two_kiosks(void **state)
{
    (void)state;
    unsigned char pk[VOTECODE_KEY_BYTES], sk[VOTECODE_KEY_BYTES];
    char pkhex[2 * VOTECODE_KEY_BYTES + 1], extra[200];
    assert_int_equal(votecode_keypair(pk, sk), KC_OK);
    votecode_to_hex(pk, sizeof pk, pkhex);
    snprintf(extra, sizeof extra, "\"tally_key\":\"%s\",", pkhex);
    ballot *b = tu_ballot_parse("{\"type\":\"approval\",\"min\":1,\"max\":1,\"winners\":1}", extra);
    store *admin = with_ballot("admin.db", b);
    char codes[4][VOTECODE_TEXT_LEN + 1];
    assert_int_equal(ballot_codes_generate(admin, "t", 4, codes), KC_OK);
    char *json;
    assert_int_equal(ballot_codes_export(admin, "t", &json), KC_OK);
    store *k[2] = { with_ballot("kioska.db", b), with_ballot("kioskb.db", b) };
    for (int i = 0; i < 2; i++) {
        long added;
        assert_int_equal(ballot_codes_import(k[i], json, strlen(json), "codes.json", &added),
                         KC_OK);
        assert_int_equal(added, 4);
        assert_int_equal(ballot_codes_import(k[i], json, strlen(json), "codes.json", &added),
                         KC_OK);
        assert_int_equal(added, 0);
    }
    kc_free(json);
    /* codes 0 and 1 on A, codes 0 (again!) and 2 on B, plus a staff ballot on B */
    const int plan[2][2] = { { 0, 1 }, { 0, 2 } };
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            ballot_session *s;
            ballot_why why;
            char receipt[BALLOT_RECEIPT_TEXT + 1];
            assert_int_equal(ballot_session_new(b, TU_BALLOT_DAY, &s), KC_OK);
            assert_int_equal(ballot_session_enter_code(s, k[i], codes[plan[i][j]], &why), KC_OK);
            assert_int_equal(ballot_session_toggle(s, (size_t)j, &why), KC_OK);
            assert_int_equal(ballot_session_cast(s, k[i], receipt, &why), KC_OK);
            ballot_session_free(s);
        }
    {
        ballot_session *s;
        ballot_why why;
        char receipt[BALLOT_RECEIPT_TEXT + 1];
        assert_int_equal(ballot_session_new(b, TU_BALLOT_DAY, &s), KC_OK);
        assert_int_equal(ballot_session_unlock_staff(s, &why), KC_OK);
        assert_int_equal(ballot_session_toggle(s, 4, &why), KC_OK);
        assert_int_equal(ballot_session_cast(s, k[1], receipt, &why), KC_OK);
        ballot_session_free(s);
    }
    /* what the server receives: both kiosks' outboxes, one row resent */
    tally_use uses[8];
    tally_vote votes[8];
    char tags[8][2 * VOTECODE_TAG_BYTES + 1];
    size_t nu = 0, nv = 0;
    outbox_row *rows[2];
    size_t n[2];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(outbox_pending(k[i], 100, &rows[i], &n[i]), KC_OK);
        for (size_t r = 0; r < n[i]; r++) {
            json_t *p = json_loads(rows[i][r].payload, 0, NULL);
            assert_non_null(p);
            if (strcmp(rows[i][r].kind, "ballot-code") == 0) {
                uses[nu++] = (tally_use){ rows[i][r].uuid,
                                          strdup(json_string_value(json_object_get(p, "code"))),
                                          i ? "kiosk-b" : "kiosk-a", 0 };
            } else {
                const char *sealed = json_string_value(json_object_get(p, "tag"));
                const char *tag = NULL;
                if (sealed) {
                    assert_int_equal(votecode_open_tag(sealed, pk, sk, tags[nv]), KC_OK);
                    tag = tags[nv];
                }
                votes[nv++] = (tally_vote){ rows[i][r].uuid, tag, 0, 0 };
            }
            json_decref(p);
        }
    }
    votes[nv++] = votes[0];  /* a resend */
    assert_int_equal(nu, 4);
    assert_int_equal(nv, 6);
    tally_reconcile_report rep;
    assert_int_equal(tally_reconcile(uses, nu, votes, nv, &rep), KC_OK);
    assert_int_equal(rep.codes_used, 3);
    assert_int_equal(rep.duplicate_uses, 1);
    assert_int_equal(rep.duplicate_votes, 1);
    assert_int_equal(rep.counted, 4);  /* 3 codes + 1 staff */
    assert_int_equal(rep.unremovable, 0);
    int dup_uses = 0, counted = 0;
    for (size_t i = 0; i < nu; i++)
        dup_uses += uses[i].duplicate;
    for (size_t i = 0; i < nv; i++)
        counted += votes[i].counts;
    assert_int_equal(dup_uses, 1);
    assert_int_equal(counted, 4);
    /* the sync client tells each kiosk about the other's uses */
    for (size_t i = 0; i < nu; i++)
        for (int j = 0; j < 2; j++)
            assert_int_equal(ballot_code_mark_used(k[j], "t", uses[i].code_hash), KC_OK);
    ballot_counts c;
    assert_int_equal(ballot_get_counts(k[0], "t", &c), KC_OK);
    assert_int_equal(c.codes_used, 3);
    ballot_session *s;
    ballot_why why;
    assert_int_equal(ballot_session_new(b, TU_BALLOT_DAY, &s), KC_OK);
    assert_int_equal(ballot_session_enter_code(s, k[0], codes[2], &why), KC_EDENIED);
    assert_int_equal(why, BALLOT_WHY_CODE_USED);
    assert_int_equal(ballot_session_enter_code(s, k[0], codes[3], &why), KC_OK);
    ballot_session_free(s);
    for (size_t i = 0; i < nu; i++)
        free((char *)uses[i].code_hash);
    for (int i = 0; i < 2; i++) {
        outbox_rows_free(rows[i], n[i]);
        store_close(k[i]);
    }
    /* a codes file with another salt is refused */
    store_close(admin);
    admin = with_ballot("admin2.db", b);
    assert_int_equal(ballot_codes_generate(admin, "t", 1, codes), KC_OK);
    assert_int_equal(ballot_codes_export(admin, "t", &json), KC_OK);
    store *ka = tu_ballot_db("kioska.db");
    assert_int_equal(ballot_codes_import(ka, json, strlen(json), "codes2.json", NULL), KC_EINVAL);
    assert_non_null(strstr(store_errmsg(ka), "another salt"));
    kc_free(json);
    store_close(ka);
    store_close(admin);
    ballot_free(b);
}

static void test_votecode(void **state)
{
    (void)state;
    char out[VOTECODE_LEN + 1], msg[KC_MSGMAX];
    assert_int_equal(votecode_normalize("2345-6789-acdE", out, msg), KC_OK);
    assert_string_equal(out, "23456789ACDE");
    /* B G S Z read as 8 6 5 2 */
    assert_int_equal(votecode_normalize("bgsz 3456 789a", out, msg), KC_OK);
    assert_string_equal(out, "86523456789A");
    assert_int_equal(votecode_normalize("0345-6789-ACDE", out, msg), KC_EINVAL);
    assert_non_null(strstr(msg, "character 1"));
    assert_null(strstr(msg, "0345"));  /* a message never repeats the code */
    assert_int_equal(votecode_normalize("2345-6789-ACDEF", out, msg), KC_EINVAL);
    assert_int_equal(votecode_normalize("", out, msg), KC_EINVAL);
    char longer[200];
    memset(longer, '-', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(votecode_normalize(longer, out, msg), KC_EINVAL);
    /* every generated symbol comes from the alphabet and all of it is used */
    int seen[256] = { 0 };
    for (int i = 0; i < 300; i++) {
        char c[VOTECODE_TEXT_LEN + 1];
        assert_int_equal(votecode_generate(c), KC_OK);
        for (int k = 0; k < VOTECODE_TEXT_LEN; k++)
            seen[(unsigned char)c[k]]++;
    }
    for (const char *a = VOTECODE_ALPHABET; *a; a++)
        assert_true(seen[(unsigned char)*a] > 0);
    for (const char *bad = "01OILBGSZQ"; *bad; bad++)
        assert_int_equal(seen[(unsigned char)*bad], 0);
    /* derive: deterministic per salt, different across salts */
    votecode_params p1, p2;
    assert_int_equal(votecode_params_new(&p1), KC_OK);
    assert_int_equal(votecode_params_new(&p2), KC_OK);
    char h1[VOTECODE_HASH_HEX + 1], h2[VOTECODE_HASH_HEX + 1], h3[VOTECODE_HASH_HEX + 1];
    unsigned char t1[VOTECODE_TAG_BYTES], t2[VOTECODE_TAG_BYTES];
    assert_int_equal(votecode_derive(&p1, "23456789ACDE", h1, t1), KC_OK);
    assert_int_equal(votecode_derive(&p1, "23456789ACDE", h2, t2), KC_OK);
    assert_int_equal(votecode_derive(&p2, "23456789ACDE", h3, NULL), KC_OK);
    assert_string_equal(h1, h2);
    assert_memory_equal(t1, t2, sizeof t1);
    assert_string_not_equal(h1, h3);
    assert_true(votecode_valid_hash(h1));
    char t1hex[2 * VOTECODE_TAG_BYTES + 1];
    votecode_to_hex(t1, sizeof t1, t1hex);
    assert_null(strstr(h1, t1hex));  /* the tag is not part of the stored hash */
    p1.opslimit = 1000;
    assert_int_equal(votecode_derive(&p1, "23456789ACDE", h1, NULL), KC_EUSAGE);
    /* sealing is randomised; opening needs the right key */
    unsigned char pk[VOTECODE_KEY_BYTES], sk[VOTECODE_KEY_BYTES], pk2[VOTECODE_KEY_BYTES],
        sk2[VOTECODE_KEY_BYTES];
    char s1[VOTECODE_SEALED_B64 + 1], s2[VOTECODE_SEALED_B64 + 1], back[2 * VOTECODE_TAG_BYTES + 1];
    assert_int_equal(votecode_keypair(pk, sk), KC_OK);
    assert_int_equal(votecode_keypair(pk2, sk2), KC_OK);
    assert_int_equal(votecode_seal_tag(t2, pk, s1), KC_OK);
    assert_int_equal(votecode_seal_tag(t2, pk, s2), KC_OK);
    assert_string_not_equal(s1, s2);
    assert_int_equal(votecode_open_tag(s1, pk, sk, back), KC_OK);
    assert_string_equal(back, t1hex);
    assert_int_equal(votecode_open_tag(s1, pk2, sk2, back), KC_EDENIED);
    assert_int_equal(votecode_open_tag("not base64!", pk, sk, back), KC_EINVAL);
}

/* A vote whose receipt the voter never saw (a crash after the commit): the code shows
 * it again; a code used on another kiosk (marked by sync) is only "already used". */
static void test_receipt_again(void **state)
{
    (void)state;
    ballot *b = tu_ballot_parse("{\"type\":\"approval\",\"min\":1,\"max\":1,\"winners\":1}", NULL);
    store *st = with_ballot("again.db", b);
    char codes[2][VOTECODE_TEXT_LEN + 1];
    assert_int_equal(ballot_codes_generate(st, "t", 2, codes), KC_OK);
    ballot_session *s;
    ballot_why why;
    char receipt[BALLOT_RECEIPT_TEXT + 1];
    assert_int_equal(ballot_session_new(b, TU_BALLOT_DAY, &s), KC_OK);
    assert_int_equal(ballot_session_enter_code(s, st, codes[0], &why), KC_OK);
    assert_int_equal(ballot_session_toggle(s, 1, &why), KC_OK);
    assert_int_equal(ballot_session_cast(s, st, receipt, &why), KC_OK);
    ballot_session_free(s);
    assert_int_equal(ballot_session_new(b, TU_BALLOT_DAY, &s), KC_OK);
    assert_int_equal(ballot_session_enter_code(s, st, codes[0], &why), KC_EDENIED);
    assert_int_equal(why, BALLOT_WHY_CODE_VOTED);
    assert_string_equal(ballot_session_recorded(s), receipt);
    ballot_session_reset(s);
    assert_string_equal(ballot_session_recorded(s), "");
    ballot_session_free(s);
    /* the stored column alone is not the receipt */
    char sym[7];
    snprintf(sym, sizeof sym, "%.3s%.3s", receipt, receipt + 4);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM ballot_code WHERE receipt_box LIKE '%%%s%%'",
             sym);
    assert_int_equal(count_rows(st, sql), 0);
    /* used elsewhere: no receipt here */
    votecode_params p;
    char bare[VOTECODE_LEN + 1], hash[VOTECODE_HASH_HEX + 1], msg[KC_MSGMAX];
    assert_int_equal(ballot_code_params(st, "t", &p), KC_OK);
    assert_int_equal(votecode_normalize(codes[1], bare, msg), KC_OK);
    assert_int_equal(votecode_derive(&p, bare, hash, NULL), KC_OK);
    assert_int_equal(ballot_code_mark_used(st, "t", hash), KC_OK);
    assert_int_equal(ballot_session_new(b, TU_BALLOT_DAY, &s), KC_OK);
    assert_int_equal(ballot_session_enter_code(s, st, codes[1], &why), KC_EDENIED);
    assert_int_equal(why, BALLOT_WHY_CODE_USED);
    assert_string_equal(ballot_session_recorded(s), "");
    ballot_session_free(s);
    store_close(st);
    ballot_free(b);
}

static int allows(store *st, const char *day, const char *kind, const char *payload)
{
    ballot_release *r;
    assert_int_equal(ballot_release_new(st, day, &r), KC_OK);
    int ok = ballot_release_allows(r, kind, payload);
    ballot_release_free(r);
    return ok;
}

static void cast_staff(store *st, const ballot *b)
{
    ballot_session *s;
    ballot_why why;
    char receipt[BALLOT_RECEIPT_TEXT + 1];
    assert_int_equal(ballot_session_new(b, TU_BALLOT_DAY, &s), KC_OK);
    assert_int_equal(ballot_session_unlock_staff(s, &why), KC_OK);
    assert_int_equal(ballot_session_toggle(s, 0, &why), KC_OK);
    assert_int_equal(ballot_session_cast(s, st, receipt, &why), KC_OK);
    ballot_session_free(s);
}

/* The release holds per ballot: nine on one ballot and one on another stay; ten on
 * the first let its rows go, while the lone ballot of the second still waits (the old
 * rule counted both together and sent the lone one along). */
static void test_sync_release(void **state)
{
    (void)state;
    ballot *b = tu_ballot_parse("{\"type\":\"approval\",\"min\":1,\"max\":1,\"winners\":1}", NULL);
    store *st = with_ballot("release.db", b);
    char *j = tu_ballot_json("{\"type\":\"approval\",\"min\":1,\"max\":1,\"winners\":1}", NULL);
    char *k = strstr(j, "\"id\":\"");
    assert_non_null(k);
    memcpy(k + 6, "z", 1);  /* a second ballot: same shape, another id */
    char msg[KC_MSGMAX];
    ballot *b2;
    assert_int_equal(ballot_parse(j, strlen(j), "b2", &b2, msg), KC_OK);
    free(j);
    int changed;
    assert_int_equal(ballot_store_put(st, b2, &changed), KC_OK);
    char p1[200], p2[200];
    snprintf(p1, sizeof p1, "{\"ballot\":\"%s\",\"code\":\"x\"}", ballot_id(b));
    snprintf(p2, sizeof p2, "{\"ballot\":\"%s\",\"code\":\"x\"}", ballot_id(b2));
    assert_true(allows(st, TU_BALLOT_DAY, "response", "{}"));
    cast_staff(st, b2);
    for (int i = 0; i < BALLOT_SYNC_BATCH_MIN; i++) {
        assert_false(allows(st, TU_BALLOT_DAY, "ballot", p1));
        assert_false(allows(st, TU_BALLOT_DAY, "ballot-code", p1));
        cast_staff(st, b);
        assert_false(allows(st, TU_BALLOT_DAY, "ballot", p2));  /* 10 in all, 1 of its own */
    }
    assert_true(allows(st, TU_BALLOT_DAY, "ballot", p1));
    assert_true(allows(st, TU_BALLOT_DAY, "ballot-code", p1));
    assert_false(allows(st, TU_BALLOT_DAY, "ballot-code", p2));
    assert_false(allows(st, TU_BALLOT_DAY, "ballot", "not json"));
    /* after the period nothing needs to wait */
    assert_true(allows(st, "2027-01-01", "ballot", p2));
    store_close(st);
    ballot_free(b2);
    ballot_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes_and_cast),
        cmocka_unit_test(test_code_race),
        cmocka_unit_test(test_staff_reset_closed),
        cmocka_unit_test(test_cast_faults),
        cmocka_unit_test(test_two_kiosks),
        cmocka_unit_test(test_votecode),
        cmocka_unit_test(test_receipt_again),
        cmocka_unit_test(test_sync_release),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
