/* Outbox: UUIDs, same-transaction rule, pending/sent, module migrations. */
#include "testutil.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uuid),
        cmocka_unit_test(test_add_pending_sent),
        cmocka_unit_test(test_module_newer_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
