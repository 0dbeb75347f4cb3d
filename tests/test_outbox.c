/* Outbox: UUIDs, same-transaction rule, pending/sent, module migrations. */
#include "testutil.h"
#include "store_sql.h"

#include <sqlite3.h>
#include <string.h>

#include "outbox.h"
#include "store.h"

static store *open_fresh(const char *name)
{
    store *st;
    assert_int_equal(store_open(tu_tmp(name), &st), KC_OK);
    assert_int_equal(outbox_init(st), KC_OK);
    return st;
}

static void test_uuid(void **state)
{
    (void)state;
    char a[OUTBOX_UUID_LEN + 1], b[OUTBOX_UUID_LEN + 1];
    assert_int_equal(outbox_new_uuid(a), KC_OK);
    assert_int_equal(outbox_new_uuid(b), KC_OK);
    assert_true(outbox_valid_uuid(a));
    assert_string_not_equal(a, b);
    assert_int_equal(a[14], '4');
    assert_false(outbox_valid_uuid("not-a-uuid"));
    assert_false(outbox_valid_uuid("0123456789abcdef0123456789abcdef0123"));
    assert_false(outbox_valid_uuid("ABCDEF01-2345-4789-8123-456789abcdef"));
}

static void test_add_pending_sent(void **state)
{
    (void)state;
    store *st = open_fresh("ob.db");
    char u[OUTBOX_UUID_LEN + 1];
    assert_int_equal(outbox_add(st, "feedback", "{}", u), KC_EUSAGE);
    assert_int_equal(store_begin(st), KC_OK);
    assert_int_equal(outbox_add(st, "Bad Kind", "{}", u), KC_EUSAGE);
    char uu[5][OUTBOX_UUID_LEN + 1];
    for (int i = 0; i < 5; i++)
        assert_int_equal(outbox_add(st, "feedback", "{\"x\":1}", uu[i]), KC_OK);
    assert_int_equal(store_commit(st), KC_OK);
    long depth;
    assert_int_equal(outbox_depth(st, &depth), KC_OK);
    assert_int_equal(depth, 5);

    outbox_row *rows;
    size_t n;
    assert_int_equal(outbox_pending(st, 3, &rows, &n), KC_OK);
    assert_int_equal(n, 3);
    assert_string_equal(rows[0].kind, "feedback");
    assert_string_equal(rows[0].payload, "{\"x\":1}");
    const char *ack[3] = { rows[0].uuid, rows[1].uuid, "00000000-0000-4000-8000-000000000000" };
    assert_int_equal(outbox_mark_sent(st, ack, 3), KC_OK);
    outbox_rows_free(rows, n);
    assert_int_equal(outbox_depth(st, &depth), KC_OK);
    assert_int_equal(depth, 3);
    /* rolled back adds leave no row */
    assert_int_equal(store_begin(st), KC_OK);
    assert_int_equal(outbox_add(st, "feedback", "{}", u), KC_OK);
    store_rollback(st);
    assert_int_equal(outbox_depth(st, &depth), KC_OK);
    assert_int_equal(depth, 3);
    store_close(st);
}

static void test_module_newer_refused(void **state)
{
    (void)state;
    store *st = open_fresh("obnew.db");
    assert_int_equal(sqlite3_exec(store_db(st),
                                  "UPDATE meta SET value = 99 WHERE key = 'schema.outbox'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(outbox_init(st), KC_ENEWER);
    assert_non_null(strstr(store_errmsg(st), "newer version"));
    store_close(st);
    /* re-init on a current database is a no-op */
    st = open_fresh("ob2.db");
    assert_int_equal(outbox_init(st), KC_OK);
    store_close(st);
}

/* Issue 11 item 3: rows came in UUID order from the smallest, so a batch that
 * failed was the same batch every sync.  From a random start, wrapping around, every
 * waiting row still comes, and different starts give different first rows. */
static void test_pending_from_a_start_wraps(void **state)
{
    (void)state;
    store *st = open_fresh("obfrom.db");
    char u[OUTBOX_UUID_LEN + 1];
    assert_int_equal(store_begin(st), KC_OK);
    for (int i = 0; i < 40; i++)
        assert_int_equal(outbox_add(st, "feedback", "{}", u), KC_OK);
    assert_int_equal(store_commit(st), KC_OK);
    outbox_row *all, *from;
    size_t n, m;
    assert_int_equal(outbox_pending(st, 100, &all, &n), KC_OK);
    assert_int_equal(n, 40);
    /* Starting just after row 10: rows 11..39, then 0..10. */
    char start[OUTBOX_UUID_LEN + 1];
    memcpy(start, all[10].uuid, sizeof start);
    start[OUTBOX_UUID_LEN - 1]++;  /* a UUID between rows 10 and 11 */
    assert_int_equal(outbox_pending_from(st, start, 100, &from, &m), KC_OK);
    assert_int_equal(m, 40);
    for (size_t i = 0; i < 40; i++)
        assert_string_equal(from[i].uuid, all[(i + 11) % 40].uuid);
    outbox_rows_free(from, m);
    assert_int_equal(outbox_pending_from(st, start, 5, &from, &m), KC_OK);
    assert_int_equal(m, 5);
    assert_string_equal(from[0].uuid, all[11].uuid);
    outbox_rows_free(from, m);
    outbox_rows_free(all, n);
    store_close(st);
}

/* Set aside: not waiting, counted with the newest reason, requeued on demand; a
 * row set aside is not marked sent by a stray ack. */
static void test_set_aside_and_requeue(void **state)
{
    (void)state;
    store *st = open_fresh("obaside.db");
    char u[3][OUTBOX_UUID_LEN + 1];
    assert_int_equal(store_begin(st), KC_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(outbox_add(st, "feedback", "{}", u[i]), KC_OK);
    assert_int_equal(store_commit(st), KC_OK);
    const char *ids[2] = { u[0], u[1] };
    const char *why[2] = { "first reason", "second reason" };
    assert_int_equal(outbox_set_aside(st, ids, why, 2), KC_OK);
    long depth, aside;
    char *reason;
    assert_int_equal(outbox_depth(st, &depth), KC_OK);
    assert_int_equal(depth, 1);
    assert_int_equal(outbox_set_aside_info(st, &aside, &reason), KC_OK);
    assert_int_equal(aside, 2);
    assert_string_equal(reason, "second reason");
    kc_free(reason);
    assert_int_equal(outbox_mark_sent(st, ids, 1), KC_OK);
    assert_int_equal(outbox_set_aside_info(st, &aside, &reason), KC_OK);
    assert_int_equal(aside, 2);
    kc_free(reason);
    long n;
    assert_int_equal(outbox_requeue(st, &n), KC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(outbox_depth(st, &depth), KC_OK);
    assert_int_equal(depth, 3);
    assert_int_equal(outbox_set_aside_info(st, &aside, &reason), KC_OK);
    assert_int_equal(aside, 0);
    assert_string_equal(reason, "");
    kc_free(reason);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uuid),
        cmocka_unit_test(test_add_pending_sent),
        cmocka_unit_test(test_module_newer_refused),
        cmocka_unit_test(test_pending_from_a_start_wraps),
        cmocka_unit_test(test_set_aside_and_requeue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
