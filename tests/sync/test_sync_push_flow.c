/* Issue 11 item 3: no row and no batch size stalls the outbox, and the pull never
 * waits on the push (docs/protocol.md, "Responses up").  The real client engine,
 * the real server on loopback, the fault proxy where a smaller body limit or a
 * broken reply is wanted. */
#include "doctest.h"
#include "outbox.h"
#include "pushenv.h"
#include "testutil.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* batch 0: the engine's default (500 rows); proxied: through the fault proxy. */
static syncc *client(const pushenv *e, int batch, int proxied)
{
    pe_client_opts o = { .batch = batch, .proxied = proxied, .timeout_s = 60 };
    return pe_client(e, &o);
}

/* n rows whose payloads are about `bytes` long each. */
static void add_big_rows(const char *kdb, int n, size_t bytes)
{
    char *payload = malloc(bytes + 100);
    assert_non_null(payload);
    for (int i = 0; i < n; i++) {
        int k = snprintf(payload, bytes + 100, "{\"type\":\"survey\",\"n\":%d,\"text\":\"", i);
        memset(payload + k, 'a' + i % 26, bytes - (size_t)k);
        strcpy(payload + bytes, "\"}");
        st_add_row(kdb, "survey-response", payload, NULL);
    }
    free(payload);
}

/* 300 survey rows of 41 KB were one 12 MB batch, over the server's 8 MiB limit: 413
 * on every sync, none delivered.  Batches are now cut by bytes. */
static void test_big_rows_go_in_batches_under_the_body_limit(void **state)
{
    (void)state;
    pushenv e;
    pe_start(&e, "big", 11);
    add_big_rows(e.kdb, 300, 41 * 1024);
    syncc *c = client(&e, 0, 0);
    pe_sync_ok(c);
    assert_int_equal(pe_waiting(e.kdb), 0);
    assert_int_equal(st_server_count(e.sdb), 300);
    st_assert_same_payloads(e.kdb, e.sdb);
    syncc_free(c);
    pe_stop(&e);
}

/* Behind a body limit smaller than the server's (a reverse proxy), a batch answered
 * 413 is halved until it passes; a single row over the limit is set aside with the
 * answer and the rest flows. */
static void test_413_halves_the_batch_down_to_one_row(void **state)
{
    (void)state;
    pushenv e;
    pe_start(&e, "halve", 11);
    add_big_rows(e.kdb, 40, 20 * 1024);
    fproxy_set_body_limit(e.px, 150 * 1024);
    syncc *c = client(&e, 40, 1);
    pe_sync_ok(c);
    assert_int_equal(pe_waiting(e.kdb), 0);
    assert_int_equal(st_server_count(e.sdb), 40);
    add_big_rows(e.kdb, 1, 60 * 1024);
    add_big_rows(e.kdb, 6, 1024);
    fproxy_set_body_limit(e.px, 50 * 1024);
    pe_sync_ok(c);
    syncc_status s;
    syncc_status_get(c, &s);
    assert_int_equal(pe_waiting(e.kdb), 0);
    assert_int_equal(st_server_count(e.sdb), 46);
    assert_int_equal(s.set_aside, 1);
    assert_non_null(strstr(s.set_aside_reason, "413"));
    syncc_free(c);
    pe_stop(&e);
}

/* A ballot row with a field this server does not know (as a newer kiosk could send:
 * the server refuses it, 400) and a row whose payload nests deeper than the protocol
 * allows (the kiosk cannot send it) among 120 good rows: both are set aside with
 * their reasons, every other row is delivered, the sync succeeds, and the kiosk's
 * status, `kioskctl sync status` and the server's device list all show it. */
static void test_refused_rows_set_aside_rest_flows(void **state)
{
    (void)state;
    pushenv e;
    pe_start(&e, "aside", 11);
    st_add_responses(e.kdb, 120);
    char bad[OUTBOX_UUID_LEN + 1];
    /* A ballot row a newer kiosk could send: a field this server does not know. */
    st_add_row(e.kdb, "ballot",
               "{\"ballot\":\"b1\",\"picks\":[\"p1\"],\"eligibility\":\"staff\",\"x\":1}",
               bad);
    st_add_row(e.kdb, "feedback",
               "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{}}}}}}}}}}}",
               NULL);
    syncc *c = client(&e, 50, 0);
    pe_sync_ok(c);
    syncc_status s;
    syncc_status_get(c, &s);
    assert_int_equal(pe_waiting(e.kdb), 0);
    assert_int_equal(st_server_count(e.sdb), 120);
    assert_int_equal(s.set_aside, 2);
    assert_int_equal(dt_long(e.kdb, "SELECT count(*) FROM outbox WHERE sent = 2"), 2);
    char q[200];
    snprintf(q, sizeof q, "SELECT count(*) FROM outbox WHERE uuid = '%s' AND reason LIKE "
                          "'%%server refused (400)%%unknown field%%'", bad);
    assert_int_equal(dt_long(e.kdb, q), 1);
    assert_true(s.set_aside_reason[0]);
    /* kioskctl sync status */
    char out[4096];
    const char *status = tu_tmp("aside-status.txt");
    assert_int_equal(tu_sh("'%s' --db '%s' sync status > '%s'", st_kioskctl_bin(), e.kdb,
                           status),
                     0);
    char *text = tu_read(status, NULL);
    if (!strstr(text, "set aside:") || !strstr(text, "2"))
        fail_msg("kioskctl sync status: %s", text);
    free(text);
    /* The heartbeat carried it to the administrator. */
    const char *args[] = { "device-list", NULL };
    assert_int_equal(st_admin(e.sdb, out, sizeof out, args), 0);
    if (!strstr(out, "set aside:"))
        fail_msg("device-list: %s", out);
    const char *json[] = { "device-list", "--json", NULL };
    assert_int_equal(st_admin(e.sdb, out, sizeof out, json), 0);
    if (!strstr(out, "\"set_aside\":2"))
        fail_msg("device-list --json: %s", out);
    /* Requeued after the server was fixed, they wait again. */
    assert_int_equal(tu_sh("'%s' --db '%s' sync requeue >/dev/null", st_kioskctl_bin(),
                           e.kdb),
                     0);
    assert_int_equal(pe_waiting(e.kdb), 2);
    syncc_free(c);
    pe_stop(&e);
}

/* The pull used to run only after a successful push: a kiosk whose push failed
 * never got the catalog, surveys, ballots or code uses. */
static void test_pull_runs_when_the_push_fails(void **state)
{
    (void)state;
    pushenv e;
    pe_start(&e, "pull", 11);
    const char *content = tu_tmp("pull-content.json");
    assert_int_equal(tu_sh("'%s' gen --items 50 --seed 3 -o '%s' >/dev/null",
                           st_kioskctl_bin(), content),
                     0);
    const char *args[] = { "import", content, NULL };
    assert_int_equal(st_admin(e.sdb, NULL, 0, args), 0);
    st_add_responses(e.kdb, 5);
    syncc *c = client(&e, 10, 1);
    fproxy_set_ack_fault(e.px, FP_ACK_BROKEN);
    char msg[KC_MSGMAX];
    assert_int_not_equal(syncc_run_once(c, msg), KC_OK);
    assert_non_null(strstr(msg, "pushing responses"));
    st_assert_same_catalog(e.kdb, e.sdb);
    assert_int_equal(pe_waiting(e.kdb), 5);
    syncc_free(c);
    pe_stop(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_big_rows_go_in_batches_under_the_body_limit),
        cmocka_unit_test(test_413_halves_the_batch_down_to_one_row),
        cmocka_unit_test(test_refused_rows_set_aside_rest_flows),
        cmocka_unit_test(test_pull_runs_when_the_push_fails),
    };
    assert_int_equal(syncc_global_init(), KC_OK);
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    syncc_global_cleanup();
    return r;
}
