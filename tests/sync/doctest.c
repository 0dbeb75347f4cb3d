#include "doctest.h"
#include "ballot.h"
#include "testutil.h"

#include <fcntl.h>
#include <sodium.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void dt_write_ballot(const char *path, const char *id, const char *opens, const char *closes,
                     const char *tally_key)
{
    char key[100] = "";
    if (tally_key)
        snprintf(key, sizeof key, "\"tally_key\":\"%s\",", tally_key);
    char text[2048];
    snprintf(text, sizeof text,
             "{\"format\":\"kiosk-ballot\",\"version\":1,\"id\":\"%s\","
             "\"title\":{\"fi\":\"Testiäänestys\",\"en\":\"Test vote\"},"
             "\"eligibility\":{\"fi\":\"Kaikki testaajat\"},"
             "\"opens\":\"%s\",\"closes\":\"%s\",%s"
             "\"rule\":{\"type\":\"knapsack\",\"budget\":1000},"
             "\"projects\":[{\"id\":\"p1\",\"title\":{\"fi\":\"Yksi\"},\"cost\":300},"
             "{\"id\":\"p2\",\"title\":{\"fi\":\"Kaksi\"},\"cost\":400},"
             "{\"id\":\"p3\",\"title\":{\"fi\":\"Kolme\"},\"cost\":500}]}",
             id, opens, closes, key);
    st_write_file(path, text);
}

void dt_make_codes(const char *ballot_path, const char *id, size_t n, const char *codes_path,
                   char (*codes)[VOTECODE_TEXT_LEN + 1])
{
    char db[600];
    snprintf(db, sizeof db, "%s.admin.db", codes_path);
    store *st = NULL;
    ballot *b = NULL;
    char msg[KC_MSGMAX], *json = NULL;
    int changed = 0;
    assert_int_equal(store_open(db, &st), KC_OK);
    assert_int_equal(ballot_init(st), KC_OK);
    if (ballot_load_file(ballot_path, &b, msg))
        fail_msg("%s", msg);
    assert_int_equal(ballot_store_put(st, b, &changed), KC_OK);
    ballot_free(b);
    if (ballot_codes_generate(st, id, n, codes) || ballot_codes_export(st, id, &json))
        fail_msg("%s", store_errmsg(st));
    st_write_file(codes_path, json);
    kc_free(json);
    store_close(st);
}

static void open_ballot(const char *kdb, const char *bid, const char *day, store **st,
                        ballot **b, ballot_session **s)
{
    assert_int_equal(store_open(kdb, st), KC_OK);
    assert_int_equal(ballot_init(*st), KC_OK);
    if (ballot_store_get(*st, bid, b))
        fail_msg("%s", store_errmsg(*st));
    assert_int_equal(ballot_session_new(*b, day, s), KC_OK);
}

int dt_cast(const char *kiosk_db, const char *ballot_id, const char *day, const char *code,
            size_t pick)
{
    store *st;
    ballot *b;
    ballot_session *s;
    ballot_why why = BALLOT_WHY_NONE;
    char receipt[BALLOT_RECEIPT_TEXT + 1];
    open_ballot(kiosk_db, ballot_id, day, &st, &b, &s);
    kc_err rc = code ? ballot_session_enter_code(s, st, code, &why)
                     : ballot_session_unlock_staff(s, &why);
    if (!rc)
        rc = ballot_session_toggle(s, pick, &why);
    if (!rc)
        rc = ballot_session_cast(s, st, receipt, &why);
    if (rc && rc != KC_EDENIED)
        fail_msg("cast: %s / %s", store_errmsg(st), ballot_session_errmsg(s));
    ballot_session_free(s);
    ballot_free(b);
    store_close(st);
    return (int)why;
}

int dt_code_why(const char *kiosk_db, const char *ballot_id, const char *day,
                const char *code)
{
    store *st;
    ballot *b;
    ballot_session *s;
    ballot_why why = BALLOT_WHY_NONE;
    open_ballot(kiosk_db, ballot_id, day, &st, &b, &s);
    kc_err rc = ballot_session_enter_code(s, st, code, &why);
    if (rc && rc != KC_EDENIED)
        fail_msg("enter code: %s", store_errmsg(st));
    ballot_session_free(s);
    ballot_free(b);
    store_close(st);
    return (int)why;
}

static void slurp(int fd, char *buf, size_t cap)
{
    size_t len = 0;
    ssize_t r;
    char sink[4096];
    while ((r = read(fd, buf && len + 1 < cap ? buf + len : sink,
                     buf && len + 1 < cap ? cap - len - 1 : sizeof sink)) > 0)
        if (buf && len + 1 < cap)
            len += (size_t)r;
    if (buf)
        buf[len] = '\0';
}

int dt_admin(const char *db, char *out, char *err, size_t cap, const char *const *args)
{
    char ef[600];
    snprintf(ef, sizeof ef, "%s/admin-stderr.%d", tu_tmpdir(), (int)getpid());
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        const char *argv[24];
        int n = 0;
        argv[n++] = st_server_bin();
        argv[n++] = "--db";
        argv[n++] = db;
        argv[n++] = "admin";
        for (int i = 0; args[i] && n < 23; i++)
            argv[n++] = args[i];
        argv[n] = NULL;
        int e = open(ef, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(fd[1], 1);
        if (e >= 0)
            dup2(e, 2);
        close(fd[0]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(fd[1]);
    slurp(fd[0], out, cap);
    close(fd[0]);
    int st;
    waitpid(pid, &st, 0);
    int e = open(ef, O_RDONLY);
    assert_true(e >= 0);
    slurp(e, err, cap);
    close(e);
    unlink(ef);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* A count the test asks of the server's PostgreSQL database: the tables it reads have
 * the same names and columns on both backends. */
static long pg_long(const char *db, const char *sql)
{
    PGconn *c = PQconnectdb(db);
    if (PQstatus(c) != CONNECTION_OK)
        fail_msg("%s: %s", db, PQerrorMessage(c));
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
        fail_msg("%s: %s", sql, PQresultErrorMessage(r));
    long v = atol(PQgetvalue(r, 0, 0));
    PQclear(r);
    PQfinish(c);
    return v;
}

long dt_long(const char *db, const char *sql)
{
    if (st_is_pg(db))
        return pg_long(db, sql);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(h));
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long v = (long)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(h);
    return v;
}

syncc *dt_client(const char *kiosk_db, const st_server *s, const char *tok)
{
    syncc_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.db_path = kiosk_db;
    cfg.server = s->url;
    cfg.token = tok;
    cfg.heartbeat_s = 3600;
    syncc *c = NULL;
    char msg[KC_MSGMAX];
    if (syncc_new(&cfg, &c, msg))
        fail_msg("%s", msg);
    return c;
}

void dt_sync(syncc *c)
{
    char msg[KC_MSGMAX];
    if (syncc_run_once(c, msg))
        fail_msg("sync failed: %s", msg);
}

void dt_write_survey(const char *path, const char *id, const char *title)
{
    char text[2048];
    snprintf(text, sizeof text,
             "{\"format\":\"kiosk-survey\",\"id\":\"%s\",\"title\":{\"fi\":\"%s\"},"
             "\"questions\":[{\"id\":\"q1\",\"type\":\"single\",\"text\":{\"fi\":"
             "\"Kumpi?\"},\"required\":true,\"options\":[{\"id\":\"a\",\"text\":"
             "{\"fi\":\"A\"}},{\"id\":\"b\",\"text\":{\"fi\":\"B\"}}]},"
             "{\"id\":\"q2\",\"type\":\"scale\",\"text\":{\"fi\":"
             "\"Kuinka tyytyväinen?\"}}]}",
             id, title);
    st_write_file(path, text);
}

void dt_publish(const char *db, const char *opens, const char *closes, size_t n,
                char (*codes)[VOTECODE_TEXT_LEN + 1])
{
    char sf[600], bf[600], cf[600], err[4096];
    static int seq;
    /* next to the test's files: db may be a PostgreSQL URI */
    snprintf(sf, sizeof sf, "%s/publish%d.survey.json", tu_tmpdir(), seq);
    snprintf(bf, sizeof bf, "%s/publish%d.ballot.json", tu_tmpdir(), seq);
    snprintf(cf, sizeof cf, "%s/publish%d.codes.json", tu_tmpdir(), seq++);
    dt_write_survey(sf, "dt-survey", "Kysely");
    dt_write_ballot(bf, "dt-ballot", opens, closes, NULL);
    dt_make_codes(bf, "dt-ballot", n, cf, codes);
    const char *a1[] = { "import-survey", sf, NULL }, *a2[] = { "import-ballot", bf, NULL },
               *a3[] = { "import-codes", cf, NULL };
    assert_int_equal(dt_admin(db, NULL, err, sizeof err, a1), 0);
    assert_int_equal(dt_admin(db, NULL, err, sizeof err, a2), 0);
    assert_int_equal(dt_admin(db, NULL, err, sizeof err, a3), 0);
}

void dt_assert_docs_synced(const char *kiosk_db, const char *server_db)
{
    static const char *const types[] = { "survey", "ballot", "ballot-codes", "ballot-used" };
    char q[200];
    for (int i = 0; i < 4; i++) {
        snprintf(q, sizeof q, "SELECT coalesce((SELECT value FROM meta WHERE key = "
                 "'sync.docs.%s_rev'), 0)", types[i]);
        long have = dt_long(kiosk_db, q);
        snprintf(q, sizeof q, "SELECT coalesce(max(rev), 0) FROM doc WHERE type = '%s'",
                 types[i]);
        long want = dt_long(server_db, q);
        if (have != want)
            fail_msg("feed %s: kiosk at %ld, server at %ld", types[i], have, want);
    }
    assert_int_equal(dt_long(kiosk_db, "SELECT count(*) FROM survey_def"),
                     dt_long(server_db, "SELECT count(*) FROM doc WHERE type = 'survey'"));
    assert_int_equal(dt_long(kiosk_db, "SELECT count(*) FROM ballot_def"),
                     dt_long(server_db, "SELECT count(DISTINCT id) FROM doc WHERE type = "
                                        "'ballot'"));
    /* every version of every ballot (votes are judged by theirs) */
    assert_int_equal(dt_long(kiosk_db, "SELECT count(*) FROM ballot_def_v"),
                     dt_long(server_db, "SELECT count(*) FROM doc WHERE type = 'ballot'"));
    /* Every code used anywhere is used here (a kiosk may know more: its own uses not
     * yet released). */
    assert_true(dt_long(kiosk_db, "SELECT count(*) FROM ballot_code WHERE used = 1") >=
                dt_long(server_db, "SELECT count(*) FROM doc WHERE type = 'ballot-used'"));
}
