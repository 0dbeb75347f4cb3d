/*
 * The order of anonymous answers, as someone who copies the kiosk's files would look
 * for it (docs/privacy.md).  30 feedback comments and 30 ballots are stored one by
 * one, as residents would; then the database and its write-ahead log are copied while
 * the store is open and the attacker ranks each answer by
 *   - the first WAL frame that holds it (frames are appended in commit order),
 *   - its byte offset in the database file, first and last copy (a new cell goes to
 *     the free end of its page, so offsets follow the order of writing),
 * and compares each ranking with the true order of writing (Kendall's tau).  For a
 * random ranking of 30, tau has a standard deviation of 0.13; the test fails when
 * |tau| reaches MAX_TAU (4.6 deviations: about 4 in a million by chance).  Receipts
 * and the ballots' outbox rows are ranked the same way.  (There are no rowids: every
 * table of answers is WITHOUT ROWID, checked below.)
 */
#include "testutil.h"
#include "store_sql.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballot.h"
#include "feedback.h"
#include "outbox.h"

#define N 30
#define MAX_TAU 0.6
#define NOW ((time_t)1795610000)

static unsigned char *slurp(const char *path, size_t *len)
{
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static long find(const unsigned char *hay, size_t n, const char *needle, long from)
{
    size_t m = strlen(needle);
    for (size_t i = (size_t)from; i + m <= n; i++)
        if (hay[i] == (unsigned char)needle[0] && !memcmp(hay + i, needle, m))
            return (long)i;
    return -1;
}

/* Kendall's tau between the true order (0..n-1) and the attacker's keys; items with a
 * negative key were not found and are left out.  Returns 0 when fewer than 3 found. */
static double tau(const double *key, int n)
{
    long conc = 0, disc = 0;
    int found = 0;
    for (int i = 0; i < n; i++)
        found += key[i] >= 0;
    if (found < 3)
        return 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            if (key[i] < 0 || key[j] < 0 || key[i] == key[j])
                continue;
            if (key[j] > key[i])
                conc++;
            else
                disc++;
        }
    return conc + disc ? (double)(conc - disc) / (double)(conc + disc) : 0;
}

typedef struct files {
    unsigned char *db, *wal;
    size_t ndb, nwal;
} files;

static void copy_files(const char *path, files *f)
{
    char wal[600];
    snprintf(wal, sizeof wal, "%s-wal", path);
    f->db = slurp(path, &f->ndb);
    f->wal = slurp(wal, &f->nwal);
    assert_non_null(f->db);
}

static void free_files(files *f)
{
    free(f->db);
    free(f->wal);
}

/* Every attack on the answers needle[0..N) (in the order they were written). */
static void attack(const files *f, char needle[][64], const char *what)
{
    double first[N], last[N], frame[N];
    for (int i = 0; i < N; i++) {
        first[i] = (double)find(f->db, f->ndb, needle[i], 0);
        last[i] = -1;
        for (long at = (long)first[i]; at >= 0; at = find(f->db, f->ndb, needle[i], at + 1))
            last[i] = (double)at;
        frame[i] = -1;
        /* WAL: 32-byte header, then frames of a 24-byte header and one 4096-byte page */
        long at = f->wal ? find(f->wal, f->nwal, needle[i], 32) : -1;
        if (at >= 0)
            frame[i] = (double)((at - 32) / (24 + 4096));
    }
    double t[3] = { tau(first, N), tau(last, N), tau(frame, N) };
    const char *how[3] = { "first copy's offset", "last copy's offset", "WAL frame" };
    int worst = 0;
    for (int k = 0; k < 3; k++) {
        printf("# %s by %s: tau %+.2f\n", what, how[k], t[k]);
        if (fabs(t[k]) > fabs(t[worst]))
            worst = k;
    }
    if (fabs(t[worst]) >= MAX_TAU)
        fail_msg("%s: the %s gives their order (tau %+.2f)", what, how[worst], t[worst]);
}

static void test_feedback_order(void **state)
{
    (void)state;
    const char *path = tu_tmp("order-fb.db");
    store *st;
    remove(path);
    assert_int_equal(store_open(path, &st), KC_OK);
    assert_int_equal(feedback_init(st), KC_OK);
    char text[N][64], uuid[OUTBOX_UUID_LEN + 1], msg[KC_MSGMAX];
    for (int i = 0; i < N; i++) {
        snprintf(text[i], sizeof text[i], "Palaute %02d: tuolit, valot ja kahvi", i);
        feedback_entry e = { 1 + i % 5, NULL, text[i], 0, NULL, NULL, NULL };
        feedback_problem p;
        assert_int_equal(feedback_submit(st, &e, NOW, uuid, &p, msg), KC_OK);
    }
    files f;
    copy_files(path, &f);
    attack(&f, text, "feedback comments");
    free_files(&f);
    store_close(st);
}

static const char BALLOT[] =
    "{\"format\":\"kiosk-ballot\",\"version\":1,\"id\":\"ord\",\"title\":{\"fi\":\"A\"},"
    "\"eligibility\":{\"fi\":\"E\"},\"opens\":\"2026-01-01\",\"closes\":\"2026-12-31\","
    "\"rule\":{\"type\":\"approval\",\"min\":1,\"max\":2,\"winners\":1},\"projects\":["
    "{\"id\":\"p0\",\"title\":{\"fi\":\"0\"},\"cost\":1},"
    "{\"id\":\"p1\",\"title\":{\"fi\":\"1\"},\"cost\":1}]}";

static int uuid_set(store *st, char (*out)[64])
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), "SELECT uuid FROM ballot_vote", -1, &s,
                                        NULL),
                     SQLITE_OK);
    int n = 0;
    while (sqlite3_step(s) == SQLITE_ROW && n < N)
        snprintf(out[n++], 64, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return n;
}

static void test_ballot_order(void **state)
{
    (void)state;
    const char *path = tu_tmp("order-ballot.db");
    char msg[KC_MSGMAX];
    store *st;
    ballot *b;
    remove(path);
    assert_int_equal(ballot_parse(BALLOT, strlen(BALLOT), "ord.json", &b, msg), KC_OK);
    assert_int_equal(store_open(path, &st), KC_OK);
    assert_int_equal(ballot_init(st), KC_OK);
    int changed;
    assert_int_equal(ballot_store_put(st, b, &changed), KC_OK);
    static char codes[N][VOTECODE_TEXT_LEN + 1];
    assert_int_equal(ballot_codes_generate(st, "ord", N, codes), KC_OK);
    char vote[N][64], receipt[N][64], before[N][64], now[N][64];
    for (int i = 0; i < N; i++) {
        ballot_session *s;
        ballot_why why;
        char r[BALLOT_RECEIPT_TEXT + 1];
        int nb = uuid_set(st, before);
        assert_int_equal(ballot_session_new(b, "2026-04-04", &s), KC_OK);
        assert_int_equal(ballot_session_enter_code(s, st, codes[i], &why), KC_OK);
        assert_int_equal(ballot_session_toggle(s, (size_t)(i % 2), &why), KC_OK);
        assert_int_equal(ballot_session_cast(s, st, r, &why), KC_OK);
        ballot_session_free(s);
        snprintf(receipt[i], sizeof receipt[i], "%s", r);
        /* the test's ground truth: which row is new */
        int nn = uuid_set(st, now);
        assert_int_equal(nn, nb + 1);
        for (int k = 0; k < nn; k++) {
            int old = 0;
            for (int j = 0; j < nb && !old; j++)
                old = !strcmp(now[k], before[j]);
            if (!old)
                memcpy(vote[i], now[k], sizeof vote[i]);
        }
    }
    files f;
    copy_files(path, &f);
    attack(&f, vote, "ballots");
    attack(&f, receipt, "receipts");
    free_files(&f);
    /* no table of answers has a rowid to sort by */
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st),
                                        "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                                        " AND name IN ('ballot_vote', 'ballot_receipt', "
                                        "'ballot_code', 'outbox') AND sql LIKE '%WITHOUT ROWID%'",
                                        -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 4);
    sqlite3_finalize(s);
    for (int i = 0; i < N; i++)
        memset(codes[i], 0, sizeof codes[i]);
    store_close(st);
    ballot_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feedback_order),
        cmocka_unit_test(test_ballot_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
