/* Two and three kiosk-server processes on one PostgreSQL database, kiosks pushing
 * through all of them at once (real client engines, each sync to another process),
 * processes SIGKILLed at random and started again: afterwards every response is on
 * the server exactly once and none is lost.  Needs KC_TEST_PG (the "pg" fixture). */
#include "fleet.h"
#include "syncc.h"
#include "synctest.h"
#include "testutil.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#define KIOSKS 6
/* Kills per run: each lands wherever the fleet is (mid-batch, mid-commit, idle).  A
 * count, not a duration, so a slow machine does the same work, only later. */
#define KILLS 8

static void run(int nproc, unsigned seed)
{
    char tag[32];
    snprintf(tag, sizeof tag, "kill%d", nproc);
    const char *sdb = st_server_db(tag);
    srand(seed);
    fl_fleet *f = fl_new(tag, sdb, KIOSKS, 30);
    st_server srv[3];
    for (int i = 0; i < nproc; i++)
        st_server_start(&srv[i], sdb, NULL);
    fl_servers(f, srv, nproc);
    fl_start(f);
    for (int k = 0; k < KILLS; k++) {
        /* let some syncs through between kills, however slow the machine */
        long before = fl_synced(f);
        double end = st_now_s() + 120;
        while (fl_synced(f) < before + nproc && st_now_s() < end)
            st_sleep_ms(20);
        st_sleep_ms(rand() % 400);
        int v = rand() % nproc;
        st_server_stop(&srv[v], SIGKILL);
        st_server_start(&srv[v], sdb, NULL);
        fl_servers(f, srv, nproc);
    }
    fl_join(f, 180);
    fl_check(f, sdb);
    printf("%d processes: %ld responses from %d kiosks, %d kills, %ld syncs finished\n",
           nproc, fl_added(f), KIOSKS, KILLS, fl_synced(f));
    for (int i = 0; i < nproc; i++)
        st_server_stop(&srv[i], SIGTERM);
    fl_free(f);
}

static void two_processes(void **state)
{
    (void)state;
    run(2, 16);
}

static void three_processes(void **state)
{
    (void)state;
    run(3, 17);
}

int main(void)
{
    if (!getenv("KC_TEST_PG")) {
        fprintf(stderr, "pgtest_fleet_kill: KC_TEST_PG is not set\n");
        return 1;
    }
    if (syncc_global_init())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_processes),
        cmocka_unit_test(three_processes),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    syncc_global_cleanup();
    return r;
}
