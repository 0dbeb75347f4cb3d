/* An admin import holds SQLite's write lock only for what it changes, and the server
 * writes no search text (kiosks search their own copies; on the server it was most
 * of an import's time under the lock).  A writer trying every 5 ms, as kiosks'
 * pushes would, measures the longest wait; figures go to the log (docs/deploy.md
 * has the measured worst cases). */
#include "doctest.h"
#include "synctest.h"
#include "testutil.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct probe {
    const char *db;
    int stop;
    double longest;
    pthread_t t;
} probe;

static void *probe_main(void *arg)
{
    probe *p = arg;
    sqlite3 *db = NULL;
    if (sqlite3_open(p->db, &db) != SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    double since = -1;
    while (!__atomic_load_n(&p->stop, __ATOMIC_RELAXED)) {
        double t = st_now_s();
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK) {
            sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
            if (since >= 0 && t - since > p->longest)
                p->longest = t - since;
            since = -1;
        } else if (since < 0) {
            since = t;
        }
        struct timespec ts = { 0, 5000000L };
        nanosleep(&ts, NULL);
    }
    sqlite3_close(db);
    return NULL;
}

/* kiosk-server admin import FILE with the probe running: the longest wait. */
static double import_measured(const char *db, const char *file, double *total)
{
    probe p = { db, 0, 0, 0 };
    assert_int_equal(pthread_create(&p.t, NULL, probe_main, &p), 0);
    double t0 = st_now_s();
    char out[512];
    const char *args[] = { "import", file, NULL };
    int st = st_admin(db, out, sizeof out, args);
    *total = st_now_s() - t0;
    __atomic_store_n(&p.stop, 1, __ATOMIC_RELAXED);
    pthread_join(p.t, NULL);
    if (st != 0)
        fail_msg("import %s failed: %s", file, out);
    return p.longest;
}

static void test_import_lock(void **state)
{
    (void)state;
    const char *sdb = tu_tmp("import-lock.db"), *file = tu_tmp("gen.json");
    if (tu_sh("'%s' gen --items 3000 --seed 7 -o '%s' >/dev/null", st_kioskctl_bin(),
              file) != 0)
        fail_msg("kioskctl gen failed");
    char out[256];
    const char *stats[] = { "stats", NULL };
    assert_int_equal(st_admin(sdb, out, sizeof out, stats), 0);  /* creates it */
    double total, fresh = import_measured(sdb, file, &total);
    printf("# 3 000 new items: import %.2f s, longest write-lock wait %.3f s\n", total, fresh);
    double again = import_measured(sdb, file, &total);
    printf("# 3 000 unchanged items: import %.2f s, longest write-lock wait %.3f s\n", total,
           again);
    assert_int_equal(dt_long(sdb, "SELECT count(*) FROM item WHERE deleted = 0"), 3000);
    assert_int_equal(dt_long(sdb, "SELECT count(*) FROM item_text"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_lock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
