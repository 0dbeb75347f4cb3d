/* Deleting an area: the server refuses while live items are in it (naming how many)
 * and otherwise deletes it; the real client engine then drops it from the kiosk on the
 * next sync, because a page with areas carries the server's complete list.  The real
 * kiosk-server on loopback; the deletion goes through the server's storage API (the
 * console's POST /v1/admin/areas/ID/delete calls the same function, and
 * tests/console/api.test.mjs covers that route). */
#include "srvdb.h"
#include "store.h"
#include "synctest.h"
#include "syncc.h"
#include "testutil.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char cat[] =
    "{\"format\":\"kiosk-content\",\"version\":1,\"areas\":["
    "{\"id\":\"t-city\",\"city\":\"Testila\",\"type\":\"city\",\"name\":{\"fi\":\"Testilä\"}},"
    "{\"id\":\"t-gone\",\"city\":\"Testila\",\"type\":\"village\",\"name\":{\"fi\":\"Kylä\"}},"
    "{\"id\":\"t-kept\",\"city\":\"Testila\",\"type\":\"district\",\"name\":{\"fi\":\"Keskusta\"}}],"
    "\"items\":["
    "{\"id\":\"a-1\",\"kind\":\"association\",\"name\":{\"fi\":\"Testiseura ry\"},"
    "\"area\":\"t-city\"}]}";

static syncc *client(const char *kdb, const st_server *s, const char *tok)
{
    syncc_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.db_path = kdb;
    cfg.server = s->url;
    cfg.token = tok;
    cfg.page = 100;
    cfg.batch = 10;
    cfg.heartbeat_s = 3600;
    syncc *c = NULL;
    char msg[KC_MSGMAX];
    if (syncc_new(&cfg, &c, msg))
        fail_msg("%s", msg);
    return c;
}

static void sync_ok(syncc *c)
{
    char msg[KC_MSGMAX];
    if (syncc_run_once(c, msg))
        fail_msg("sync failed: %s", msg);
}

static int kiosk_has_area(const char *kdb, const char *id)
{
    store *st = NULL;
    int exists = 0;
    assert_int_equal(store_open(kdb, &st), KC_OK);
    assert_int_equal(store_area_exists(st, id, &exists), KC_OK);
    store_close(st);
    return exists;
}

static void test_area_delete(void **state)
{
    (void)state;
    const char *sdb = tu_tmp("ar-server.db"), *kdb = tu_tmp("ar-kiosk.db");
    char tok[65];
    st_write_file(tu_tmp("ar-cat.json"), cat);
    const char *args[] = { "import", tu_tmp("ar-cat.json"), NULL };
    assert_int_equal(st_admin(sdb, NULL, 0, args), 0);
    st_device_add(sdb, "kiosk-areas", tok);
    st_server s;
    st_server_start(&s, sdb, NULL);
    syncc *c = client(kdb, &s, tok);
    sync_ok(c);
    assert_true(kiosk_has_area(kdb, "t-gone"));
    syncc_status a, b;
    syncc_status_get(c, &a);

    srvdb *db = NULL;
    long users = -1;
    assert_int_equal(srvdb_open(sdb, &db), KC_OK);
    /* An area with a live item in it stays, and the refusal counts the item. */
    assert_int_equal(srvdb_area_delete(db, "t-city", &users), KC_EEXIST);
    assert_int_equal(users, 1);
    assert_non_null(strstr(srvdb_errmsg(db), "1 live item is in area"));
    assert_int_equal(srvdb_area_delete(db, "t-none", &users), KC_ENOTFOUND);
    assert_int_equal(srvdb_area_delete(db, "t-gone", &users), KC_OK);
    assert_int_equal(users, 0);
    srvdb_close(db);

    /* The running server's change check names the catalog (the digest changed) and
     * the kiosk drops the area; the others stay. */
    sync_ok(c);
    syncc_status_get(c, &b);
    assert_false(kiosk_has_area(kdb, "t-gone"));
    assert_true(kiosk_has_area(kdb, "t-city"));
    assert_true(kiosk_has_area(kdb, "t-kept"));
    assert_true(b.catalog_changes > a.catalog_changes);  /* the UI re-reads its areas */
    st_assert_same_catalog(kdb, sdb);
    /* Once in step, the next sync is the unchanged one. */
    sync_ok(c);
    syncc_status_get(c, &a);
    assert_int_equal(a.catalog_changes, b.catalog_changes);
    syncc_free(c);
    st_server_stop(&s, SIGTERM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_area_delete),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
