/*
 * Crash test for responses: a child process submits survey responses and feedback in
 * a loop and, after each commit, writes the response's UUID to a pipe.  The parent
 * SIGKILLs it at a random moment, at least 50 times, and after every kill checks that
 * the database opens cleanly (PRAGMA integrity_check), that every UUID the child
 * reported is stored exactly once (response or feedback row, and its outbox row), and
 * that no partial response exists (no row without its outbox row or the reverse, and
 * every stored JSON is whole).  A UUID written to a pipe is at most PIPE_BUF bytes, so
 * the parent reads whole lines or nothing.
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

#include "feedback.h"
#include "survey.h"

#define KILLS 60
#define LINE (OUTBOX_UUID_LEN + 1)

static const char *survey_json =
    "{\"format\":\"kiosk-survey\",\"id\":\"crash\",\"title\":{\"fi\":\"Kaatuu\"},"
    "\"questions\":[{\"id\":\"s\",\"type\":\"scale\",\"required\":true,\"text\":{\"fi\":\"?\"}},"
    "{\"id\":\"t\",\"type\":\"text\",\"max_chars\":2000,\"multiline\":true,"
    "\"text\":{\"fi\":\"?\"}}]}";

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "crash_responses: %s: %s\n", what, msg);
    exit(1);
}

/* The child: submit until killed.  Never returns. */
static void child(const char *db, int fd, unsigned seed)
{
    store *st;
    char msg[KC_MSGMAX], uuid[OUTBOX_UUID_LEN + 1], text[1601];
    if (store_open(db, &st))
        _exit(3);
    srand(seed);
    for (unsigned n = 0;; n++) {
        int len = rand() % 1600;
        memset(text, 'a' + (int)(n % 26), (size_t)len);
        text[len] = '\0';
        kc_err rc;
        if (n % 3 == 2) {
            text[len % FEEDBACK_COMMENT_CHARS] = '\0';
            feedback_entry e = { 1 + (int)(n % 5), "home", text, 0, NULL, NULL, NULL };
            feedback_problem p;
            rc = feedback_submit(st, &e, time(NULL), uuid, &p, msg);
        } else {
            survey_session *ss;
            if (survey_session_start(st, "crash", &ss, msg))
                _exit(4);
            rc = survey_session_set_number(ss, 1 + (int)(n % 5)) || survey_session_next(ss) ||
                 (len && survey_session_set_text(ss, 0, text)) || survey_session_next(ss);
            if (!rc)
                rc = survey_session_submit(ss, st, time(NULL), uuid);
            snprintf(msg, sizeof msg, "%s", survey_session_errmsg(ss));
            survey_session_free(ss);
        }
        if (rc) {
            fprintf(stderr, "crash_responses child: submit failed: %s\n", msg);
            _exit(5);
        }
        uuid[OUTBOX_UUID_LEN] = '\n';
        if (write(fd, uuid, LINE) != LINE)
            _exit(6);
    }
}

static long one(store *st, const char *sql, const char *arg)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
        die("prepare", sqlite3_errmsg(store_db(st)));
    if (arg)
        sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_ROW)
        die("step", sqlite3_errmsg(store_db(st)));
    long n = (long)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

int main(void)
{
    const char *db = tu_tmp("crash.db");
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    printf("crash_responses: seed %u\n", seed);
    srand(seed);
    store *st;
    char msg[KC_MSGMAX];
    survey *sv;
    survey_put_result pr;
    if (store_open(db, &st) || survey_init(st) || feedback_init(st))
        die("setup", store_errmsg(st));
    if (survey_parse(survey_json, strlen(survey_json), "crash", &sv, msg) ||
        survey_store_put(st, sv, &pr, msg))
        die("survey", msg);
    survey_free(sv);
    store_close(st);

    size_t cap = 1 << 16, nconf = 0;
    char (*conf)[LINE] = malloc(cap * sizeof *conf);
    if (!conf)
        die("malloc", "out of memory");
    long mid_runs = 0;
    for (int k = 0; k < KILLS; k++) {
        int fds[2];
        if (pipe(fds))
            die("pipe", "failed");
        unsigned cseed = (unsigned)rand();
        fflush(stdout);
        pid_t pid = fork();
        if (pid < 0)
            die("fork", "failed");
        if (pid == 0) {
            close(fds[0]);
            child(db, fds[1], cseed);
        }
        close(fds[1]);
        /* 0..60 ms: sometimes before the first commit, mostly in the middle of one */
        struct timespec d = { 0, (long)(rand() % 60000) * 1000L };
        nanosleep(&d, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
            fprintf(stderr, "crash_responses: child ended by itself (status %d)\n", status);
            return 1;
        }
        char buf[LINE];
        size_t got = 0;
        ssize_t r;
        size_t before = nconf;
        while ((r = read(fds[0], buf + got, LINE - got)) > 0) {
            got += (size_t)r;
            if (got < LINE)
                continue;
            if (buf[OUTBOX_UUID_LEN] != '\n')
                die("pipe", "garbled line");
            buf[OUTBOX_UUID_LEN] = '\0';
            if (nconf == cap)
                die("confirmed", "too many");
            memcpy(conf[nconf++], buf, LINE);
            got = 0;
        }
        close(fds[0]);
        if (got)
            die("pipe", "partial line");
        mid_runs += nconf > before;

        if (store_open(db, &st))
            die("reopen", store_errmsg(st));
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(store_db(st), "PRAGMA integrity_check", -1, &s, NULL) ||
            sqlite3_step(s) != SQLITE_ROW ||
            strcmp((const char *)sqlite3_column_text(s, 0), "ok"))
            die("integrity_check", "not ok");
        sqlite3_finalize(s);
        for (size_t i = 0; i < nconf; i++) {
            long rows = one(st, "SELECT (SELECT count(*) FROM survey_response WHERE uuid = ?1)"
                                " + (SELECT count(*) FROM feedback WHERE uuid = ?1)", conf[i]);
            long ob = one(st, "SELECT count(*) FROM outbox WHERE uuid = ?", conf[i]);
            if (rows != 1 || ob != 1) {
                fprintf(stderr, "crash_responses: kill %d: confirmed %s stored %ld times, "
                                "outbox %ld\n", k, conf[i], rows, ob);
                return 1;
            }
        }
        long orphans =
            one(st, "SELECT (SELECT count(*) FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM "
                    "survey_response r WHERE r.uuid = o.uuid) AND NOT EXISTS (SELECT 1 FROM "
                    "feedback f WHERE f.uuid = o.uuid))"
                    " + (SELECT count(*) FROM survey_response r WHERE NOT EXISTS (SELECT 1 "
                    "FROM outbox o WHERE o.uuid = r.uuid))"
                    " + (SELECT count(*) FROM feedback f WHERE NOT EXISTS (SELECT 1 FROM "
                    "outbox o WHERE o.uuid = f.uuid))"
                    " + (SELECT count(*) FROM outbox WHERE NOT json_valid(payload))"
                    " + (SELECT count(*) FROM survey_response WHERE NOT json_valid(answers) "
                    "OR version != 1)", NULL);
        if (orphans) {
            fprintf(stderr, "crash_responses: kill %d: %ld partial rows\n", k, orphans);
            return 1;
        }
        store_close(st);
    }
    if (store_open(db, &st))
        die("reopen", store_errmsg(st));
    long total = one(st, "SELECT count(*) FROM outbox", NULL);
    store_close(st);
    printf("crash_responses: %d kills, %zu confirmed responses, %ld stored, %ld runs "
           "confirmed something\n", KILLS, nconf, total, mid_runs);
    free(conf);
    if (nconf == 0 || total < (long)nconf) {
        fprintf(stderr, "crash_responses: nothing was confirmed; the test proved nothing\n");
        return 1;
    }
    return 0;
}
