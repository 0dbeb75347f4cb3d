/*
 * SIGKILL during confirm: a child process casts ballots with codes; the parent kills it
 * at a random moment inside ballot_session_cast(), at least 50 times, and after each
 * kill checks, on a fresh connection, that
 *   - the database is intact (integrity_check),
 *   - a vote is stored whole or not at all: every stored vote is a valid ballot, and
 *     votes = used codes = receipts = "ballot" outbox rows = "ballot-code" outbox rows,
 *   - the code in flight is consumed if and only if its ballot was stored (the vote
 *     count grew by one exactly when that code is marked used),
 *   - every cast the child reported as done is there.
 */
#include "testutil.h"
#include "store_sql.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ballot.h"
#include "tally.h"

#define NCODES 200
#define KILLS_WANTED 50

static const char BALLOT[] =
    "{\"format\":\"kiosk-ballot\",\"version\":1,\"id\":\"c\",\"title\":{\"fi\":\"C\"},"
    "\"eligibility\":{\"fi\":\"E\"},\"opens\":\"2026-01-01\",\"closes\":\"2026-12-31\","
    "\"rule\":{\"type\":\"knapsack\",\"budget\":1000},\"projects\":["
    "{\"id\":\"x\",\"title\":{\"fi\":\"X\"},\"cost\":400},"
    "{\"id\":\"y\",\"title\":{\"fi\":\"Y\"},\"cost\":500},"
    "{\"id\":\"z\",\"title\":{\"fi\":\"Z\"},\"cost\":600}]}";

static char codes[NCODES][VOTECODE_TEXT_LEN + 1];

static long long now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

/* The child: casts with codes from `first` on, reporting "C i" before and "D i us"
 * after each cast.  Never returns. */
static void child(const char *db, int first, int fd)
{
    char msg[KC_MSGMAX];
    ballot *b;
    store *st;
    if (ballot_parse(BALLOT, strlen(BALLOT), "c.json", &b, msg) || store_open(db, &st) ||
        ballot_init(st))
        _exit(3);
    for (int i = first; i < NCODES; i++) {
        ballot_session *s;
        ballot_why why;
        char receipt[BALLOT_RECEIPT_TEXT + 1], line[64];
        if (ballot_session_new(b, "2026-03-03", &s))
            _exit(3);
        if (ballot_session_enter_code(s, st, codes[i], &why)) {
            ballot_session_free(s);
            continue;
        }
        ballot_session_toggle(s, (size_t)(i % 3), NULL);
        if (i % 2)
            ballot_session_toggle(s, (size_t)((i + 1) % 3), NULL);
        int n = snprintf(line, sizeof line, "C %d\n", i);
        if (write(fd, line, (size_t)n) != n)
            _exit(3);
        long long t0 = now_us();
        if (ballot_session_cast(s, st, receipt, &why))
            _exit(4);
        n = snprintf(line, sizeof line, "D %d %lld\n", i, now_us() - t0);
        if (write(fd, line, (size_t)n) != n)
            _exit(3);
        ballot_session_free(s);
    }
    _exit(0);
}

static long q(store *st, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long v = (long)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static int code_used(store *st, int i)
{
    votecode_params p;
    char bare[VOTECODE_LEN + 1], hash[VOTECODE_HASH_HEX + 1], msg[KC_MSGMAX], sql[256];
    assert_int_equal(ballot_code_params(st, "c", &p), KC_OK);
    assert_int_equal(votecode_normalize(codes[i], bare, msg), KC_OK);
    assert_int_equal(votecode_derive(&p, bare, hash, NULL), KC_OK);
    snprintf(sql, sizeof sql, "SELECT used FROM ballot_code WHERE hash = '%s'", hash);
    return (int)q(st, sql);
}

/* Checks the invariants; returns the number of votes. */
static long check_db(const char *db, const ballot *b)
{
    store *st;
    assert_int_equal(store_open(db, &st), KC_OK);
    assert_int_equal(ballot_init(st), KC_OK);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), "PRAGMA integrity_check", -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "ok");
    sqlite3_finalize(s);
    long votes = q(st, "SELECT count(*) FROM ballot_vote");
    assert_int_equal(q(st, "SELECT count(*) FROM ballot_code WHERE used = 1"), votes);
    assert_int_equal(q(st, "SELECT count(*) FROM ballot_receipt"), votes);
    assert_int_equal(q(st, "SELECT count(*) FROM outbox WHERE kind = 'ballot'"), votes);
    assert_int_equal(q(st, "SELECT count(*) FROM outbox WHERE kind = 'ballot-code'"), votes);
    assert_int_equal(q(st, "SELECT count(*) FROM outbox o JOIN ballot_vote v ON v.uuid = o.uuid"),
                     votes);
    tally *t;
    assert_int_equal(tally_new(b, &t), KC_OK);
    assert_int_equal(tally_add_store(t, st), KC_OK);
    tally_summary sum;
    tally_get_summary(t, &sum);
    assert_int_equal(sum.ballots, votes);
    assert_int_equal(sum.invalid, 0);
    tally_free(t);
    store_close(st);
    return votes;
}

static void test_kill_during_cast(void **state)
{
    (void)state;
    const char *db = tu_tmp("crash.db");
    char msg[KC_MSGMAX];
    ballot *b;
    store *st;
    assert_int_equal(ballot_parse(BALLOT, strlen(BALLOT), "c.json", &b, msg), KC_OK);
    assert_int_equal(store_open(db, &st), KC_OK);
    assert_int_equal(ballot_init(st), KC_OK);
    int changed;
    assert_int_equal(ballot_store_put(st, b, &changed), KC_OK);
    assert_int_equal(ballot_codes_generate(st, "c", NCODES, codes), KC_OK);
    store_close(st);

    unsigned seed = (unsigned)time(NULL);
    srand(seed);
    long long est_us = 2000;  /* running estimate of a cast's duration */
    int next = 0, kills = 0, landed = 0, stored_in_flight = 0, lost_in_flight = 0;
    long votes = 0;
    while (next < NCODES && kills < KILLS_WANTED) {
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            child(db, next, fds[1]);
        }
        close(fds[1]);
        FILE *in = fdopen(fds[0], "r");
        assert_non_null(in);
        char line[64];
        int in_flight = -1, last = next - 1, done = 0, killed = 0;
        while (fgets(line, sizeof line, in)) {
            int i;
            long long us;
            if (sscanf(line, "C %d", &i) == 1) {
                in_flight = last = i;
                if (rand() % 4 != 0) {  /* now and then let a cast finish first */
                    long long d = est_us > 0 ? rand() % (est_us * 3 / 5 + 1) : 0;
                    struct timespec ts = { 0, (long)d * 1000 };
                    nanosleep(&ts, NULL);
                    kill(pid, SIGKILL);
                    killed = 1;
                }
            } else if (sscanf(line, "D %d %lld", &i, &us) == 2) {
                assert_int_equal(i, in_flight);
                in_flight = -1;
                done++;
                est_us = (est_us * 7 + us) / 8;
            }
        }
        fclose(in);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (!killed) {
            assert_true(WIFEXITED(status));
            assert_int_equal(WEXITSTATUS(status), 0);
        }
        long after = check_db(db, b);
        if (in_flight >= 0) {
            /* killed inside the cast: whole or nothing, and the code follows the vote */
            assert_true(WIFSIGNALED(status));
            landed++;
            store *c;
            assert_int_equal(store_open(db, &c), KC_OK);
            int used = code_used(c, in_flight);
            if (used) {
                /* the vote landed but its receipt never showed: typing the code again
                 * says so, with the receipt, instead of a bare "already used" */
                ballot_session *s;
                ballot_why why;
                int found = 0;
                assert_int_equal(ballot_session_new(b, "2026-03-03", &s), KC_OK);
                assert_int_equal(ballot_session_enter_code(s, c, codes[in_flight], &why),
                                 KC_EDENIED);
                assert_int_equal(why, BALLOT_WHY_CODE_VOTED);
                assert_int_equal(strlen(ballot_session_recorded(s)), BALLOT_RECEIPT_TEXT);
                assert_int_equal(ballot_receipt_known(c, "c", ballot_session_recorded(s),
                                                      &found), KC_OK);
                assert_true(found);
                ballot_session_free(s);
            }
            store_close(c);
            assert_int_equal(after - votes - done, used);
            if (used)
                stored_in_flight++;
            else
                lost_in_flight++;
            next = in_flight + 1;
            kills++;
        } else {
            assert_int_equal(after - votes, done);
            /* killed just after a cast finished, or the child used every code */
            next = killed ? last + 1 : NCODES;
        }
        votes = after;
    }
    fprintf(stderr, "# seed %u: %d kills inside a cast (%d stored, %d not), %ld votes, "
                    "cast ~%lld us\n", seed, landed, stored_in_flight, lost_in_flight, votes,
            est_us);
    assert_true(kills >= KILLS_WANTED);
    ballot_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_during_cast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
