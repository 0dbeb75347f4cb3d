/* The kiosk's push against replies that break the protocol, a man in the middle,
 * refused rows and batches too large (docs/protocol.md, "Responses up"): the real
 * client engine, the real server on loopback, the fault proxy between them. */
#include "doctest.h"
#include "outbox.h"
#include "pushenv.h"
#include "testutil.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static syncc *client_url(const pushenv *e, const char *url, int batch, int insecure)
{
    pe_client_opts o = { .batch = batch, .insecure = insecure, .url = url };
    return pe_client(e, &o);
}

/* A client that goes through the proxy. */
static syncc *client(const pushenv *e, int batch)
{
    pe_client_opts o = { .batch = batch, .proxied = 1 };
    return pe_client(e, &o);
}

static long sent(const char *kdb)
{
    return dt_long(kdb, "SELECT count(*) FROM outbox WHERE sent = 1");
}

/* One sync that must fail; the message must name the protocol error. */
static void sync_fails(syncc *c, const char *want)
{
    char msg[KC_MSGMAX];
    kc_err rc = syncc_run_once(c, msg);
    if (rc == KC_OK)
        fail_msg("the sync succeeded; want an error naming \"%s\"", want);
    if (!strstr(msg, want))
        fail_msg("message \"%s\" does not name \"%s\"", msg, want);
    syncc_status s;
    syncc_status_get(c, &s);
    assert_int_equal(s.state, SYNCC_ERROR);
    assert_non_null(strstr(s.last_error, want));
}

/* After a faulty push the proxy passes again: everything arrives exactly once. */
static void heals(pushenv *e, syncc *c)
{
    fproxy_set_ack_fault(e->px, FP_ACK_PASS);
    pe_sync_ok(c);
    assert_int_equal(pe_waiting(e->kdb), 0);
    assert_int_equal(st_server_count(e->sdb), st_outbox_count(e->kdb));
    assert_int_equal(st_common_count(e->kdb, e->sdb), st_outbox_count(e->kdb));
    st_assert_same_payloads(e->kdb, e->sdb);
}

/* Item 1: a reply that repeats every ack wrote past acked[] (heap overflow under
 * ASan, "corrupted size vs. prev_size" in release).  Now: a protocol error, nothing
 * marked sent. */
static void test_repeated_acks_are_a_protocol_error(void **state)
{
    (void)state;
    pushenv e;
    pe_start(&e, "repeat", 7);
    st_add_responses(e.kdb, 30);
    syncc *c = client(&e, 10);
    fproxy_set_ack_fault(e.px, FP_ACK_REPEAT);
    sync_fails(c, "twice");
    assert_int_equal(pe_waiting(e.kdb), 30);
    heals(&e, c);
    syncc_free(c);
    pe_stop(&e);
}

/* Item 1: acks for UUIDs this push never sent: the whole reply is refused, not
 * even the genuine acks beside them count. */
static void test_acks_for_unsent_uuids_mark_nothing(void **state)
{
    (void)state;
    pushenv e;
    pe_start(&e, "unsent", 7);
    st_add_responses(e.kdb, 12);
    syncc *c = client(&e, 20);
    fproxy_set_ack_fault(e.px, FP_ACK_UNSENT);
    sync_fails(c, "which was not sent");
    assert_int_equal(pe_waiting(e.kdb), 12);
    heals(&e, c);
    syncc_free(c);
    pe_stop(&e);
}

/* Item 1: a reply that answers for only part of the batch: the acked rows are
 * sent, the rest waits, and the sync records a protocol error instead of success. */
static void test_missing_acks_are_a_protocol_error(void **state)
{
    (void)state;
    pushenv e;
    pe_start(&e, "missing", 7);
    st_add_responses(e.kdb, 10);
    syncc *c = client(&e, 10);
    fproxy_set_ack_fault(e.px, FP_ACK_MISSING);
    sync_fails(c, "answers for 5 of 10 rows");
    assert_int_equal(sent(e.kdb), 5);
    assert_int_equal(pe_waiting(e.kdb), 5);
    heals(&e, c);
    syncc_free(c);
    pe_stop(&e);
}

/* A reply over the client's 64 MiB limit is cut off; nothing is marked. */
static void test_oversize_reply_is_cut_off(void **state)
{
    (void)state;
    pushenv e;
    pe_start(&e, "oversize", 7);
    st_add_responses(e.kdb, 5);
    syncc *c = client(&e, 10);
    fproxy_set_ack_fault(e.px, FP_ACK_OVERSIZE);
    sync_fails(c, "reply over");
    assert_int_equal(pe_waiting(e.kdb), 5);
    heals(&e, c);
    syncc_free(c);
    pe_stop(&e);
}

/* Item 4: the message of an unreadable reply was formatted into the buffer it was
 * read from ("bad reply: bad reply: ..."). */
static void test_bad_reply_message_once(void **state)
{
    (void)state;
    pushenv e;
    pe_start(&e, "badmsg", 7);
    st_add_responses(e.kdb, 3);
    syncc *c = client(&e, 10);
    fproxy_set_ack_fault(e.px, FP_ACK_BROKEN);
    char msg[KC_MSGMAX];
    assert_int_not_equal(syncc_run_once(c, msg), KC_OK);
    assert_string_equal(msg, "sync: pushing responses: bad reply: ack[0]: not a UUID");
    heals(&e, c);
    syncc_free(c);
    pe_stop(&e);
}

/* Item 4: bytes_sent is what went over the wire, counted by the proxy (it was about
 * twice that for small pushes). */
static void test_bytes_sent_are_exact(void **state)
{
    (void)state;
    pushenv e;
    pe_start(&e, "bytes", 7);
    st_add_responses(e.kdb, 3);
    syncc *c = client(&e, 10);
    pe_sync_ok(c);
    syncc_status s;
    syncc_status_get(c, &s);
    assert_true(s.requests >= 3);  /* push, change check, heartbeat */
    assert_int_equal(s.bytes_sent, fproxy_bytes_in(e.px));
    syncc_free(c);
    pe_stop(&e);
}

/* Item 2: plain http:// only to loopback unless insecure http is allowed. */
static void test_plain_http_only_to_loopback(void **state)
{
    (void)state;
    static const char *const ok[] = { "https://sync.example.org", "http://127.0.0.1:8080",
                                      "http://127.3.4.5", "http://localhost:1/",
                                      "http://[::1]:8080", "http://LOCALHOST" };
    static const char *const bad[] = { "http://sync.example.org", "http://10.0.0.1:8080",
                                       "http://127.0.0.1.example.org",
                                       "http://127.0.0.1@example.org/", "http://[::2]",
                                       "http://0x7f000001.example" };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (syncc_url_insecure(ok[i]))
            fail_msg("%s: called insecure", ok[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (!syncc_url_insecure(bad[i]))
            fail_msg("%s: not called insecure", bad[i]);
    syncc_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.db_path = tu_tmp("http-kiosk.db");
    cfg.server = "http://sync.example.org";
    cfg.token = "abc";
    char msg[KC_MSGMAX];
    syncc *c = NULL;
    assert_int_equal(syncc_new(&cfg, &c, msg), KC_EUSAGE);
    assert_non_null(strstr(msg, "refusing plain http://"));
    assert_null(c);
    cfg.allow_insecure_http = 1;
    assert_int_equal(syncc_new(&cfg, &c, msg), KC_OK);
    syncc_status s;
    syncc_status_get(c, &s);
    assert_int_equal(s.insecure_http, 1);
    syncc_free(c);
    /* kioskctl too: refused (usage) without --insecure-http. */
    const char *tf = tu_tmp("http-token");
    st_write_file(tf, "abc\n");
    assert_int_equal(tu_sh("'%s' --db '%s' sync --once --server http://sync.example.org "
                           "--token-file '%s' 2>/dev/null",
                           st_kioskctl_bin(), cfg.db_path, tf),
                     2);
}

/* Item 2 and the man in the middle: a kiosk pointed at http://sync.example.org
 * through a proxy that answers for the server.  Without the insecure option the
 * kiosk refuses to start; with it, forged acks that name UUIDs never sent mark
 * nothing (acks for exactly the rows sent cannot be told from real ones: that is
 * why plain http is refused). */
static void test_forged_acks_over_plain_http(void **state)
{
    (void)state;
    pushenv e;
    pe_start(&e, "mitm", 7);
    st_add_responses(e.kdb, 20);
    char proxy[64];
    snprintf(proxy, sizeof proxy, "http://127.0.0.1:%d", fproxy_port(e.px));
    setenv("http_proxy", proxy, 1);
    syncc_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.db_path = e.kdb;
    cfg.server = "http://sync.example.org";
    cfg.token = e.tok;
    char msg[KC_MSGMAX];
    syncc *c = NULL;
    assert_int_equal(syncc_new(&cfg, &c, msg), KC_EUSAGE);
    c = client_url(&e, "http://sync.example.org", 8, 1);
    fproxy_set_ack_fault(e.px, FP_ACK_FORGE);
    sync_fails(c, "which was not sent");
    assert_int_equal(pe_waiting(e.kdb), 20);
    assert_int_equal(st_server_count(e.sdb), 0);  /* the server never saw them */
    heals(&e, c);  /* and the route does reach the real server */
    /* kioskctl with --insecure-http goes the same way (and warns). */
    const char *tf = tu_tmp("mitm-token");
    char line[80];
    snprintf(line, sizeof line, "%s\n", e.tok);
    st_write_file(tf, line);
    assert_int_equal(tu_sh("'%s' --db '%s' sync --once --server http://sync.example.org "
                           "--token-file '%s' --insecure-http >/dev/null 2>&1",
                           st_kioskctl_bin(), e.kdb, tf),
                     0);
    unsetenv("http_proxy");
    syncc_free(c);
    pe_stop(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repeated_acks_are_a_protocol_error),
        cmocka_unit_test(test_acks_for_unsent_uuids_mark_nothing),
        cmocka_unit_test(test_missing_acks_are_a_protocol_error),
        cmocka_unit_test(test_oversize_reply_is_cut_off),
        cmocka_unit_test(test_bad_reply_message_once),
        cmocka_unit_test(test_bytes_sent_are_exact),
        cmocka_unit_test(test_plain_http_only_to_loopback),
        cmocka_unit_test(test_forged_acks_over_plain_http),
    };
    assert_int_equal(syncc_global_init(), KC_OK);
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    syncc_global_cleanup();
    return r;
}
