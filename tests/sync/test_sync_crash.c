/* Crashes: the kiosk's sync process is SIGKILLed mid-sync again and again, and the
 * server is SIGKILLed mid-batch; afterwards every response is on the server exactly
 * once, the kiosk's catalog equals the server's and both databases are intact. */
#include "doctest.h"
#include "store_sql.h"
#include "synctest.h"
#include "syncc.h"
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void nap_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static void import(const char *sdb, const char *file)
{
    const char *args[] = { "import", file, NULL };
    assert_int_equal(st_admin(sdb, NULL, 0, args), 0);
}

static void gen(const char *out, int seed)
{
    assert_int_equal(tu_sh("'%s' gen --items 2000 --seed %d -o '%s' >/dev/null",
                           st_kioskctl_bin(), seed, out),
                     0);
}

/* Starts `kioskctl sync --once` against url; returns its pid. */
static pid_t spawn_sync(const char *kdb, const char *url, const char *tokfile)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
        }
        execl(st_kioskctl_bin(), st_kioskctl_bin(), "--db", kdb, "sync", "--once", "--server",
              url, "--token-file", tokfile, "--batch", "50", "--page", "100", (char *)NULL);
        _exit(127);
    }
    return pid;
}

static int reap(pid_t pid)
{
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            fail_msg("waitpid: %s", strerror(errno));
    return st;
}

static void finish(const char *kdb, const char *url, const char *tokfile)
{
    for (int i = 0; i < 5; i++) {
        int st = reap(spawn_sync(kdb, url, tokfile));
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
            return;
    }
    fail_msg("the final sync did not succeed");
}

static void check_exactly_once(const char *kdb, const char *sdb)
{
    long made = st_outbox_count(kdb);
    assert_int_equal(st_server_count(sdb), made);
    assert_int_equal(st_common_count(kdb, sdb), made);
    assert_int_equal(tu_sh("sqlite3 '%s' 'SELECT count(*) FROM outbox WHERE sent = 0' | "
                           "grep -qx 0",
                           kdb),
                     0);
    st_assert_same_payloads(kdb, sdb);
    st_assert_integrity(kdb);
    st_assert_integrity(sdb);
}

static void test_kiosk_killed(void **state)
{
    (void)state;
    const char *sdb = st_server_db("kk-server.db"), *kdb = tu_tmp("kk-kiosk.db");
    const char *tokfile = tu_tmp("kk-token");
    const char *g1 = tu_tmp("g1.json"), *g2 = tu_tmp("g2.json");
    char tok[65];
    gen(g1, 1);
    gen(g2, 2);
    import(sdb, g1);
    /* Surveys, a ballot and its code hashes come down in the killed syncs too. */
    char codes[50][VOTECODE_TEXT_LEN + 1], sf[600];
    dt_publish(sdb, "2024-03-01", "2024-03-31", 50, codes);
    st_device_add(sdb, "kiosk", tok);
    st_write_file(tokfile, tok);
    st_server s;
    st_server_start(&s, sdb, NULL);
    st_add_responses(kdb, 1000);
    srand(12345);
    int killed = 0, finished = 0;
    /* Kills must land after some work reached the server; on a loaded machine a
     * sync takes longer to get there, so the window widens until one has. */
    for (int i = 0; i < 400 && (killed < 32 || st_server_count(sdb) == 0); i++) {
        /* New work every round, so most kills land inside a sync. */
        st_add_responses(kdb, 100);
        if (i % 4 == 3) {
            import(sdb, (i / 4) % 2 ? g1 : g2);
            snprintf(sf, sizeof sf, "%s/survey-%d.json", tu_tmpdir(), i);
            dt_write_survey(sf, "dt-survey", (i / 4) % 2 ? "Kysely A" : "Kysely B");
            const char *a[] = { "import-survey", sf, NULL };
            assert_int_equal(dt_admin(sdb, NULL, NULL, 0, a), 0);
        }
        pid_t pid = spawn_sync(kdb, s.url, tokfile);
        nap_ms(5 + rand() % (60 + 10 * (killed > 16 ? i : 0)));
        kill(pid, SIGKILL);
        int st = reap(pid);
        if (WIFSIGNALED(st))
            killed++;
        else
            finished++;
    }
    fprintf(stderr, "kiosk killed mid-sync %d times, %d syncs finished first\n", killed,
            finished);
    assert_true(killed >= 30);
    /* The killed syncs did work: some responses and pages had arrived. */
    long before = st_server_count(sdb);
    assert_true(before > 0);
    /* One more round of new work, so the final sync has something to finish. */
    st_add_responses(kdb, 100);
    assert_true(st_server_count(sdb) < st_outbox_count(kdb));
    finish(kdb, s.url, tokfile);
    check_exactly_once(kdb, sdb);
    st_assert_same_catalog(kdb, sdb);
    dt_assert_docs_synced(kdb, sdb);
    assert_int_equal(dt_long(kdb, "SELECT count(*) FROM ballot_code"), 50);
    st_server_stop(&s, SIGTERM);
}

static void test_server_killed(void **state)
{
    (void)state;
    const char *sdb = st_server_db("sk-server.db"), *kdb = tu_tmp("sk-kiosk.db");
    const char *tokfile = tu_tmp("sk-token");
    char tok[65];
    import(sdb, tu_tmp("g1.json"));
    st_device_add(sdb, "kiosk", tok);
    st_write_file(tokfile, tok);
    st_add_responses(kdb, 3000);
    srand(777);
    int interrupted = 0;
    for (int i = 0; i < 8; i++) {
        st_server s;
        st_server_start(&s, sdb, NULL);
        pid_t pid = spawn_sync(kdb, s.url, tokfile);
        nap_ms(10 + rand() % 50);
        st_server_stop(&s, SIGKILL);
        reap(pid);
        if (st_server_count(sdb) < st_outbox_count(kdb))
            interrupted++;
        st_add_responses(kdb, 300);
    }
    fprintf(stderr, "server killed 8 times, %d of them before the push was done\n",
            interrupted);
    assert_true(interrupted >= 4);
    st_server s;
    st_server_start(&s, sdb, NULL);
    finish(kdb, s.url, tokfile);
    check_exactly_once(kdb, sdb);
    st_assert_same_catalog(kdb, sdb);
    st_server_stop(&s, SIGTERM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kiosk_killed),
        cmocka_unit_test(test_server_killed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
