/* The server's answer to a push, row by row (docs/protocol.md, "Responses up"):
 * a row that breaks the format is refused alone (400) and the rest is stored; a
 * UUID is answered for once; an identical resend is acknowledged; the same UUID
 * with other content, in one batch or later, from this or another device, is
 * refused with 409 and the first content stays. */
#include "doctest.h"
#include "proto.h"
#include "synctest.h"
#include "testutil.h"

#include <dirent.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define U1 "0b7e4d0c-27c6-4a4c-9d6b-5f3a3b1c2d01"
#define U2 "0b7e4d0c-27c6-4a4c-9d6b-5f3a3b1c2d02"
#define U3 "0b7e4d0c-27c6-4a4c-9d6b-5f3a3b1c2d03"

static const char *row(char *buf, size_t cap, const char *uuid, const char *kind,
                       const char *payload)
{
    snprintf(buf, cap, "{\"uuid\":\"%s\",\"kind\":\"%s\",\"payload\":%s}", uuid, kind,
             payload);
    return buf;
}

/* The reply as read off the wire (with jansson, not the protocol module's reader,
 * so the test checks the format itself). */
typedef struct answer {
    char acked[16][37];
    size_t n;
    struct {
        char uuid[37];
        long status;
        char reason[256];
    } refused[16];
    size_t nrefused;
    long stored;
} answer;

/* POSTs the batch; the reply must be 200 and a push reply. */
static void push(const st_server *s, const char *tok, const char *batch, answer *a)
{
    char reply[65536];
    long status = st_post(s, PROTO_PATH_RESPONSES, tok, batch, reply, sizeof reply);
    if (status != 200)
        fail_msg("push: %ld %s", status, reply);
    memset(a, 0, sizeof *a);
    json_t *j = json_loads(reply, 0, NULL), *v;
    if (!j || !json_is_array(json_object_get(j, "ack")))
        fail_msg("push reply: %s", reply);
    size_t i;
    json_array_foreach(json_object_get(j, "ack"), i, v) if (a->n < 16)
        snprintf(a->acked[a->n++], 37, "%s", json_string_value(v));
    json_array_foreach(json_object_get(j, "refused"), i, v) if (a->nrefused < 16) {
        snprintf(a->refused[a->nrefused].uuid, 37, "%s",
                 json_string_value(json_object_get(v, "uuid")));
        a->refused[a->nrefused].status = (long)json_integer_value(json_object_get(v, "status"));
        snprintf(a->refused[a->nrefused].reason, 256, "%s",
                 json_string_value(json_object_get(v, "reason")));
        a->nrefused++;
    }
    a->stored = (long)json_integer_value(json_object_get(j, "stored"));
    json_decref(j);
}

static int acked(const answer *a, const char *uuid)
{
    int k = 0;
    for (size_t i = 0; i < a->n; i++)
        k += strcmp(a->acked[i], uuid) == 0;
    return k;
}

static int refused(const answer *a, const char *uuid, int status)
{
    int k = 0;
    for (size_t i = 0; i < a->nrefused; i++)
        k += strcmp(a->refused[i].uuid, uuid) == 0 && a->refused[i].status == status;
    return k;
}

static long payload_is(const char *db, const char *uuid, const char *payload)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM response WHERE uuid = '%s' AND "
                              "payload = '%s'", uuid, payload);
    return dt_long(db, sql);
}

/* The same UUID twice in one batch: identical copies are one row, acknowledged
 * once; copies that differ are refused with 409 and neither is stored. */
static void test_same_uuid_twice_in_one_batch(void **state)
{
    (void)state;
    const char *db = st_server_db("twice-server.db");
    char tok[65], r1[200], r2[200], r3[200], r4[200], batch[1200];
    st_device_add(db, "k1", tok);
    st_server s;
    st_server_start(&s, db, NULL);
    snprintf(batch, sizeof batch, "{\"responses\":[%s,%s,%s,%s]}",
             row(r1, sizeof r1, U1, "feedback", "{\"a\":1}"),
             row(r2, sizeof r2, U1, "feedback", "{\"a\":1}"),
             row(r3, sizeof r3, U2, "feedback", "{\"a\":1}"),
             row(r4, sizeof r4, U2, "feedback", "{\"a\":2}"));
    answer a;
    push(&s, tok, batch, &a);
    assert_int_equal(acked(&a, U1), 1);  /* once, though sent twice */
    assert_int_equal(acked(&a, U2), 0);
    assert_int_equal(refused(&a, U2, 409), 1);
    assert_int_equal(a.n, 1);
    assert_int_equal(a.nrefused, 1);
    assert_int_equal(a.stored, 1);
    assert_int_equal(st_server_count(db), 1);
    assert_int_equal(payload_is(db, U1, "{\"a\":1}"), 1);
    st_server_stop(&s, SIGTERM);
}

/* A UUID stored before: the identical row again (from this or another device) is
 * acknowledged; other content (from this or another device) is refused with 409 and
 * the first content stays. */
static void test_same_uuid_other_content_later(void **state)
{
    (void)state;
    const char *db = st_server_db("later-server.db");
    char t1[65], t2[65], r1[200], r2[200], batch[1200];
    st_device_add(db, "k1", t1);
    st_device_add(db, "k2", t2);
    st_server s;
    st_server_start(&s, db, NULL);
    answer a;
    snprintf(batch, sizeof batch, "{\"responses\":[%s]}",
             row(r1, sizeof r1, U1, "feedback", "{\"a\":1}"));
    push(&s, t1, batch, &a);
    assert_int_equal(acked(&a, U1), 1);
    assert_int_equal(a.stored, 1);
    for (int dev = 0; dev < 2; dev++) {
        const char *t = dev ? t2 : t1;
        push(&s, t, batch, &a);  /* identical resend */
        assert_int_equal(acked(&a, U1), 1);
        assert_int_equal(a.stored, 0);
        assert_int_equal(a.nrefused, 0);
        /* Other content under the same UUID, with a good row beside it. */
        snprintf(batch, sizeof batch, "{\"responses\":[%s,%s]}",
                 row(r1, sizeof r1, U1, "feedback", "{\"a\":2}"),
                 row(r2, sizeof r2, dev ? U3 : U2, "feedback", "{\"b\":1}"));
        push(&s, t, batch, &a);
        assert_int_equal(acked(&a, U1), 0);
        assert_int_equal(refused(&a, U1, 409), 1);
        assert_int_equal(acked(&a, dev ? U3 : U2), 1);
        assert_int_equal(a.stored, 1);
        /* Another kind under the same UUID is other content too. */
        snprintf(batch, sizeof batch, "{\"responses\":[%s]}",
                 row(r1, sizeof r1, U1, "survey-response", "{\"a\":1}"));
        push(&s, t, batch, &a);
        assert_int_equal(refused(&a, U1, 409), 1);
        snprintf(batch, sizeof batch, "{\"responses\":[%s]}",
                 row(r1, sizeof r1, U1, "feedback", "{\"a\":1}"));
    }
    assert_int_equal(payload_is(db, U1, "{\"a\":1}"), 1);
    assert_int_equal(st_server_count(db), 3);
    st_server_stop(&s, SIGTERM);
}

/* Each file of tests/sync/refused holds one row that breaks the format (a bad kind,
 * a missing or non-object payload, an unknown field, a ballot or code use payload
 * against docs/ballot-format.md) and usually a good row: the bad row is refused
 * alone with 400 and a reason, the good row is stored. */
static void test_bad_row_refused_alone(void **state)
{
    (void)state;
    const char *db = st_server_db("refused-server.db");
    char tok[65];
    st_device_add(db, "k1", tok);
    st_server s;
    st_server_start(&s, db, NULL);
    DIR *d = opendir(SYNC_REFUSED_DIR);
    assert_non_null(d);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", SYNC_REFUSED_DIR, e->d_name);
        size_t len;
        char *body = tu_read(path, &len);
        answer a;
        push(&s, tok, body, &a);
        free(body);
        if (a.nrefused != 1 || a.refused[0].status != 400 || !a.refused[0].reason[0])
            fail_msg("%s: want one row refused with 400 and a reason", e->d_name);
        fprintf(stderr, "%s: refused: %s\n", e->d_name, a.refused[0].reason);
        for (size_t i = 0; i < a.n; i++)
            assert_string_not_equal(a.acked[i], a.refused[0].uuid);
        files++;
    }
    closedir(d);
    assert_true(files >= 12);
    /* The good rows (two UUIDs across the files), and nothing of the bad ones. */
    assert_int_equal(st_server_count(db), 2);
    assert_int_equal(dt_long(db, "SELECT (SELECT count(*) FROM ballot_in) + (SELECT "
                                 "count(*) FROM code_use) + (SELECT count(*) FROM doc)"),
                     0);
    st_server_stop(&s, SIGTERM);
}

/* Text as an altered kiosk might send it: a right-to-left override, control
 * characters (C0, C1, an escape sequence's ESC) and an invisible mark, in values, in an array and in a
 * key.  Stored without them (what a kiosk's own cleaning leaves out), so no export or
 * page shows them; a resend of the same row is the same row. */
static void test_text_cleaned(void **state)
{
    (void)state;
    const char *db = st_server_db("clean-server.db");
    char tok[65], r1[400], batch[600];
    st_device_add(db, "k1", tok);
    st_server st;
    st_server_start(&st, db, NULL);
    snprintf(batch, sizeof batch, "{\"responses\":[%s]}",
             row(r1, sizeof r1, U1, "feedback",
                 "{\"comment\":\"ok \\u202Eevil\\u0007 \\u200Bend\\nline\\tdone\","
                 "\"list\":[\"a\\u2066b\\u0085\",3],\"ke\\u202Ey\":\"v\\u001b[2J\"}"));
    answer a;
    push(&st, tok, batch, &a);
    assert_int_equal(acked(&a, U1), 1);
    assert_int_equal(a.stored, 1);
    assert_int_equal(payload_is(db, U1, "{\"comment\":\"ok evil end\\nline\\tdone\","
                                        "\"list\":[\"ab\",3],\"key\":\"v[2J\"}"),
                     1);
    push(&st, tok, batch, &a);  /* the same row again: acknowledged, nothing new */
    assert_int_equal(acked(&a, U1), 1);
    assert_int_equal(a.nrefused, 0);
    assert_int_equal(a.stored, 0);
    st_server_stop(&st, SIGTERM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_uuid_twice_in_one_batch),
        cmocka_unit_test(test_same_uuid_other_content_later),
        cmocka_unit_test(test_bad_row_refused_alone),
        cmocka_unit_test(test_text_cleaned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
