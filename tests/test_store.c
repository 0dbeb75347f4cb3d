/* Store: migrations, refusing newer databases, transactions, items and tombstones. */
#include "testutil.h"
#include "store_sql.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "store.h"
#include "store_impl.h"

static int pragma_int(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

static void test_create_and_reopen(void **state)
{
    (void)state;
    const char *path = tu_tmp("create.db");
    store *st;
    assert_int_equal(store_open(path, &st), KC_OK);
    assert_int_equal(store_catalog_rev(st), 0);
    store_stats ss;
    assert_int_equal(store_get_stats(st, &ss), KC_OK);
    assert_int_equal(ss.schema, store_schema_version());
    store_close(st);
    assert_int_equal(pragma_int(path, "PRAGMA user_version"), store_schema_version());
    /* WAL persists in the file header; reopening migrates nothing and works. */
    sqlite3 *db;
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
    sqlite3_finalize(s);
    sqlite3_close(db);
    assert_int_equal(store_open(path, &st), KC_OK);
    assert_int_equal(sqlite3_exec(store_db(st), "PRAGMA synchronous", NULL, NULL, NULL),
                     SQLITE_OK);
    store_close(st);
}

static void test_refuses_newer(void **state)
{
    (void)state;
    const char *path = tu_tmp("newer.db");
    store *st;
    assert_int_equal(store_open(path, &st), KC_OK);
    store_close(st);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", store_schema_version() + 1);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    size_t len1, len2;
    char *before = tu_read(path, &len1);
    assert_int_equal(store_open(path, &st), KC_ENEWER);
    assert_non_null(strstr(store_errmsg(st), "newer version"));
    store_close(st);
    char *after = tu_read(path, &len2);
    assert_int_equal(len1, len2);
    assert_memory_equal(before, after, len1);
    free(before);
    free(after);
}

static void test_unopenable(void **state)
{
    (void)state;
    store *st;
    assert_int_equal(store_open(tu_tmp("no/such/dir/x.db"), &st), KC_EIO);
    assert_non_null(strstr(store_errmsg(st), "cannot open"));
    store_close(st);
    /* a file that is not a database */
    FILE *f = fopen(tu_tmp("garbage.db"), "w");
    assert_non_null(f);
    fputs("this is not an SQLite database, just some text long enough to matter......",
          f);
    fclose(f);
    assert_int_not_equal(store_open(tu_tmp("garbage.db"), &st), KC_OK);
    assert_non_null(strstr(store_errmsg(st), "not a database"));
    store_close(st);
}

static void put(store *st, const char *json, int *changed)
{
    cat_item it;
    char msg[KC_MSGMAX];
    if (content_item_from_json(json, strlen(json), &it, msg))
        fail_msg("%s", msg);
    char *body;
    assert_int_equal(content_item_to_json(&it, &body), KC_OK);
    assert_int_equal(store_item_put(st, &it, body, 0, changed), KC_OK);
    kc_free(body);
    cat_item_clear(&it);
}

static void test_transactions_and_revisions(void **state)
{
    (void)state;
    store *st;
    assert_int_equal(store_open(tu_tmp("tx.db"), &st), KC_OK);
    assert_int_equal(store_commit(st), KC_EUSAGE);
    assert_int_equal(store_begin(st), KC_OK);
    assert_int_equal(store_begin(st), KC_EUSAGE);
    int changed;
    put(st, "{\"id\":\"a1\",\"kind\":\"association\",\"name\":{\"fi\":\"Seura\"}}", &changed);
    assert_int_equal(changed, 1);
    assert_int_equal(store_catalog_rev(st), 1);
    put(st, "{\"id\":\"a1\",\"kind\":\"association\",\"name\":{\"fi\":\"Seura\"}}", &changed);
    assert_int_equal(changed, 0);
    assert_int_equal(store_catalog_rev(st), 1);
    assert_int_equal(store_commit(st), KC_OK);

    /* rolled back work is gone */
    assert_int_equal(store_begin(st), KC_OK);
    put(st, "{\"id\":\"a2\",\"kind\":\"association\",\"name\":{\"fi\":\"Toinen\"}}", &changed);
    store_rollback(st);
    int kind;
    assert_int_equal(store_item_kind(st, "a2", &kind), KC_OK);
    assert_int_equal(kind, -1);
    assert_int_equal(store_catalog_rev(st), 1);

    /* outside a transaction writes are refused */
    cat_item it;
    memset(&it, 0, sizeof it);
    assert_int_equal(store_item_put(st, &it, "{}", 0, &changed), KC_EUSAGE);
    assert_int_equal(store_item_delete(st, "a1", 0, &changed), KC_EUSAGE);

    /* tombstone gets a new revision, deleting twice changes nothing */
    assert_int_equal(store_begin(st), KC_OK);
    assert_int_equal(store_item_delete(st, "a1", 0, &changed), KC_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(store_item_delete(st, "a1", 0, &changed), KC_OK);
    assert_int_equal(changed, 0);
    assert_int_equal(store_commit(st), KC_OK);
    assert_int_equal(store_catalog_rev(st), 2);
    store_stats ss;
    assert_int_equal(store_get_stats(st, &ss), KC_OK);
    assert_int_equal(ss.tombstones, 1);
    assert_int_equal(ss.live[CAT_ASSOCIATION], 0);
    char *body;
    assert_int_equal(store_item_body(st, "a1", &body), KC_OK);
    assert_null(body);

    /* a revision from the server is used as given and raises the counter */
    assert_int_equal(store_begin(st), KC_OK);
    cat_item it2;
    char msg[KC_MSGMAX];
    const char *j = "{\"id\":\"a1\",\"kind\":\"association\",\"name\":{\"fi\":\"Uusi\"}}";
    assert_int_equal(content_item_from_json(j, strlen(j), &it2, msg), KC_OK);
    assert_int_equal(store_item_put(st, &it2, j, 40, &changed), KC_OK);
    cat_item_clear(&it2);
    assert_int_equal(store_commit(st), KC_OK);
    assert_int_equal(store_catalog_rev(st), 40);
    store_close(st);
}

static void test_open_under_fault_injection(void **state)
{
    (void)state;
    for (long n = 0;; n++) {
        char name[32];
        snprintf(name, sizeof name, "fault%ld.db", n);
        store *st = NULL;
        kc_fault_after(n);
        kc_err rc = store_open(tu_tmp(name), &st);
        long hits = kc_fault_after(-1);
        if (rc)
            assert_int_equal(rc, KC_ENOMEM);
        store_close(st);
        if (hits == 0) {
            assert_int_equal(rc, KC_OK);
            break;
        }
    }
}

static int live_statements(store *st)
{
    int n = 0;
    for (sqlite3_stmt *s = sqlite3_next_stmt(store_db(st), NULL); s;
         s = sqlite3_next_stmt(store_db(st), s))
        n++;
    return n;
}

/* More statements than the cache keeps: the extra ones are finalized after use (the
 * cache once called itself for them, forever). */
static void test_statement_cache_overflow(void **state)
{
    (void)state;
    static const char *const sql[] = {
        "SELECT 1", "SELECT 2", "SELECT 3", "SELECT 4", "SELECT 5", "SELECT 6", "SELECT 7",
        "SELECT 8", "SELECT 9", "SELECT 10", "SELECT 11", "SELECT 12", "SELECT 13",
        "SELECT 14", "SELECT 15", "SELECT 16", "SELECT 17", "SELECT 18", "SELECT 19",
        "SELECT 20", "SELECT 21", "SELECT 22", "SELECT 23", "SELECT 24", "SELECT 25",
        "SELECT 26", "SELECT 27", "SELECT 28", "SELECT 29", "SELECT 30", "SELECT 31",
        "SELECT 32", "SELECT 33", "SELECT 34", "SELECT 35", "SELECT 36", "SELECT 37",
        "SELECT 38", "SELECT 39", "SELECT 40",
    };
    store *st;
    assert_int_equal(store_open(tu_tmp("cache.db"), &st), KC_OK);
    int before = live_statements(st);
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
            sqlite3_stmt *s = NULL;
            assert_int_equal(store_prep(st, &s, sql[i]), KC_OK);
            assert_int_equal(sqlite3_step(s), SQLITE_ROW);
            assert_int_equal(sqlite3_column_int(s, 0), (int)i + 1);
            store_done(st, s);
        }
    }
    /* only the cache's own statements stay prepared (SQLite keeps a few of its own) */
    assert_in_range(live_statements(st), 1, before + 32);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_and_reopen),
        cmocka_unit_test(test_refuses_newer),
        cmocka_unit_test(test_unopenable),
        cmocka_unit_test(test_transactions_and_revisions),
        cmocka_unit_test(test_open_under_fault_injection),
        cmocka_unit_test(test_statement_cache_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
