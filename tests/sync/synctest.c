#include "synctest.h"
#include "outbox.h"
#include "testutil.h"

#include "srvdb.h"

#include <curl/curl.h>
#include <libpq-fe.h>
#include <errno.h>
#include <jansson.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *st_server_bin(void)
{
    const char *p = getenv("KIOSK_SERVER");
    if (!p)
        fail_msg("KIOSK_SERVER is not set (run through ctest)");
    return p;
}

const char *st_kioskctl_bin(void)
{
    const char *p = getenv("KIOSKCTL");
    if (!p)
        fail_msg("KIOSKCTL is not set (run through ctest)");
    return p;
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* Servers still running when a test fails (cmocka jumps out of it) are killed at
 * exit, so no child keeps ctest's output pipe open. */
static pid_t live[64];

static void kill_live(void)
{
    for (int i = 0; i < 64; i++)
        if (live[i] > 0) {
            kill(live[i], SIGKILL);
            waitpid(live[i], NULL, 0);
            live[i] = 0;
        }
}

static void track(pid_t pid, int add)
{
    static int registered;
    if (!registered) {
        atexit(kill_live);
        registered = 1;
    }
    for (int i = 0; i < 64; i++)
        if (add ? live[i] == 0 : live[i] == pid) {
            live[i] = add ? pid : 0;
            return;
        }
}

void st_server_start(st_server *s, const char *db, const char *const *extra)
{
    static int seq;
    char portfile[600];
    snprintf(portfile, sizeof portfile, "%s/port.%d.%d", tu_tmpdir(), (int)getpid(), seq++);
    unlink(portfile);
    snprintf(s->db, sizeof s->db, "%s", db);
    const char *argv[32];
    int n = 0;
    argv[n++] = st_server_bin();
    argv[n++] = "--db";
    argv[n++] = db;
    argv[n++] = "--listen";
    argv[n++] = "127.0.0.1:0";
    argv[n++] = "--port-file";
    argv[n++] = portfile;
    argv[n++] = "--quiet";
    argv[n++] = "--timeout";
    argv[n++] = "10";
    for (int i = 0; extra && extra[i] && n < 30; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, 1);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    s->pid = pid;
    track(pid, 1);
    s->port = 0;
    for (int i = 0; i < 1000 && !s->port; i++) {
        FILE *f = fopen(portfile, "r");
        if (f) {
            if (fscanf(f, "%d", &s->port) != 1)
                s->port = 0;
            fclose(f);
        }
        if (!s->port) {
            int st;
            if (waitpid(pid, &st, WNOHANG) == pid)
                fail_msg("kiosk-server exited at start (status %d)", st);
            sleep_ms(10);
        }
    }
    if (!s->port)
        fail_msg("kiosk-server did not start");
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d", s->port);
}

void st_server_stop(st_server *s, int sig)
{
    if (s->pid <= 0)
        return;
    kill(s->pid, sig);
    int st;
    while (waitpid(s->pid, &st, 0) < 0 && errno == EINTR)
        ;
    track(s->pid, 0);
    s->pid = 0;
    if (sig == SIGTERM)
        assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

int st_admin(const char *db, char *out, size_t cap, const char *const *args)
{
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        const char *argv[16];
        int n = 0;
        argv[n++] = st_server_bin();
        argv[n++] = "--db";
        argv[n++] = db;
        argv[n++] = "admin";
        for (int i = 0; args[i] && n < 15; i++)
            argv[n++] = args[i];
        argv[n] = NULL;
        dup2(fd[1], 1);
        close(fd[0]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(fd[1]);
    size_t len = 0;
    ssize_t r;
    char sink[4096];
    while ((r = read(fd[0], out && len + 1 < cap ? out + len : sink,
                     out && len + 1 < cap ? cap - len - 1 : sizeof sink)) > 0)
        if (out && len + 1 < cap)
            len += (size_t)r;
    close(fd[0]);
    if (out)
        out[len] = '\0';
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

void st_device_add(const char *db, const char *name, char *tok)
{
    char out[256];
    const char *args[] = { "device-add", name, NULL };
    assert_int_equal(st_admin(db, out, sizeof out, args), 0);
    assert_true(strlen(out) >= 64);
    memcpy(tok, out, 64);
    tok[64] = '\0';
}

void st_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

typedef struct post_reply {
    char *buf;
    size_t len, cap;
} post_reply;

static size_t on_reply(char *p, size_t size, size_t n, void *ud)
{
    post_reply *r = ud;
    size_t len = size * n;
    size_t room = r->cap > r->len + 1 ? r->cap - r->len - 1 : 0;
    size_t k = len < room ? len : room;
    if (r->buf && k) {
        memcpy(r->buf + r->len, p, k);
        r->len += k;
        r->buf[r->len] = '\0';
    }
    return len;
}

long st_post(const st_server *s, const char *path, const char *tok, const char *body,
             char *reply, size_t cap)
{
    CURL *h = curl_easy_init();
    assert_non_null(h);
    char url[512], auth[200];
    snprintf(url, sizeof url, "%s%s", s->url, path);
    struct curl_slist *hdr = curl_slist_append(NULL, "Expect:");
    hdr = curl_slist_append(hdr, "Content-Type: application/json");
    if (tok) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok);
        hdr = curl_slist_append(hdr, auth);
    }
    post_reply r = { reply, 0, cap };
    if (reply && cap)
        reply[0] = '\0';
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_reply);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &r);
    long status = 0;
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    return status;
}

/* Begins a write on the kiosk's database while its sync thread runs.  The store's
 * own 5 s busy wait is what the kiosk's screens get; a loaded test machine can stall
 * one of the sync thread's fsyncs for longer, so the test waits up to 60 s.  A write
 * lock that is never released still fails the test. */
static void begin_write(store *st)
{
    for (int i = 0;; i++) {
        kc_err rc = store_begin(st);
        if (rc != KC_EBUSY || i == 11) {
            assert_int_equal(rc, KC_OK);
            return;
        }
    }
}

void st_add_row(const char *kiosk_db, const char *kind, const char *payload, char *uuid)
{
    char u[OUTBOX_UUID_LEN + 1];
    store *st = NULL;
    assert_int_equal(store_open(kiosk_db, &st), KC_OK);
    assert_int_equal(outbox_init(st), KC_OK);
    begin_write(st);
    assert_int_equal(outbox_add(st, kind, payload, u), KC_OK);
    assert_int_equal(store_commit(st), KC_OK);
    store_close(st);
    if (uuid)
        memcpy(uuid, u, sizeof u);
}

void st_add_responses(const char *kiosk_db, int n)
{
    static const char *const surveys[] = { "library-visit", "youth-forum", "services-2026" };
    store *st = NULL;
    assert_int_equal(store_open(kiosk_db, &st), KC_OK);
    assert_int_equal(outbox_init(st), KC_OK);
    begin_write(st);
    for (int i = 0; i < n; i++) {
        char payload[512], uuid[OUTBOX_UUID_LEN + 1];
        snprintf(payload, sizeof payload,
                 "{\"type\":\"feedback\",\"survey\":\"%s\",\"hour\":\"2026-05-%02dT%02d\","
                 "\"lang\":\"fi\",\"answers\":{\"smiley\":%d,\"comment\":\"Hyvä paikka, "
                 "kiitos! \\u00e5\\u00e4\\u00f6 #%d\"}}",
                 surveys[i % 3], 1 + i % 28, 8 + i % 12, 1 + i % 5, i);
        assert_int_equal(outbox_add(st, "feedback", payload, uuid), KC_OK);
    }
    assert_int_equal(store_commit(st), KC_OK);
    store_close(st);
}

static long query_long(const char *db, const char *sql)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
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

int st_is_pg(const char *db)
{
    return strncmp(db, "postgresql://", 13) == 0 || strncmp(db, "postgres://", 11) == 0;
}

const char *st_server_db(const char *name)
{
    static char bufs[32][600];
    static int next;
    const char *base = getenv("KC_TEST_PG");
    if (!base || !*base)
        return tu_tmp(name);
    char *out = bufs[next++ % 32];
    /* a database of its own: the name's letters and digits, and this process */
    char db[64];
    size_t n = (size_t)snprintf(db, sizeof db, "t%d_", (int)getpid());
    for (const char *p = name; *p && n < 40; p++)
        db[n++] = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ? *p : '_';
    db[n] = '\0';
    PGconn *c = PQconnectdb(base);
    if (PQstatus(c) != CONNECTION_OK)
        fail_msg("KC_TEST_PG: %s", PQerrorMessage(c));
    char sql[200];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", db);
    PQclear(PQexec(c, sql));
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", db);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
    const char *q = strstr(base, "/postgres?");
    if (!q)
        fail_msg("KC_TEST_PG must name the database postgres with parameters: %s", base);
    snprintf(out, 600, "%.*s/%s%s", (int)(q - base), base, db, q + 9);
    return out;
}

/* The server's database through srvdb.h, so the checks hold on either backend. */
static srvdb *server_open(const char *server_db)
{
    srvdb *db = NULL;
    kc_err rc = srvdb_open(server_db, &db);
    if (rc)
        fail_msg("opening %s: %s", server_db, srvdb_errmsg(db));
    return db;
}

long st_server_count(const char *server_db)
{
    srvdb *db = server_open(server_db);
    long long n = 0;
    kc_err rc = srvdb_response_count(db, &n);
    if (rc)
        fail_msg("counting responses: %s", srvdb_errmsg(db));
    srvdb_close(db);
    return (long)n;
}

long st_outbox_count(const char *kiosk_db)
{
    return query_long(kiosk_db, "SELECT count(*) FROM outbox WHERE kind NOT IN "
                                "('ballot', 'ballot-code')");
}

/* uuid -> [kind, payload] of every response on the server */
static kc_err add_response(void *ctx, const char *uuid, const char *device, const char *kind,
                           const char *payload)
{
    (void)device;
    json_object_set_new(ctx, uuid, json_pack("[ss]", kind, payload));
    return KC_OK;
}

static json_t *server_responses(const char *server_db)
{
    srvdb *db = server_open(server_db);
    json_t *m = json_object();
    assert_non_null(m);
    if (srvdb_responses_each(db, add_response, m))
        fail_msg("reading responses: %s", srvdb_errmsg(db));
    srvdb_close(db);
    return m;
}

/* Calls fn for each outbox row (uuid, kind, payload) of the kiosk. */
static long outbox_rows(const char *kiosk_db, json_t *server, int compare)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(kiosk_db, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT uuid, kind, payload FROM outbox", -1, &s,
                                        NULL),
                     SQLITE_OK);
    long n = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        json_t *r = json_object_get(server, (const char *)sqlite3_column_text(s, 0));
        if (!r)
            continue;
        if (!compare) {
            n += strcmp(json_string_value(json_array_get(r, 0)),
                        (const char *)sqlite3_column_text(s, 1)) == 0;
            continue;
        }
        json_t *a = json_loads((const char *)sqlite3_column_text(s, 2), 0, NULL);
        json_t *b = json_loads(json_string_value(json_array_get(r, 1)), 0, NULL);
        assert_non_null(a);
        assert_non_null(b);
        assert_true(json_equal(a, b));
        json_decref(a);
        json_decref(b);
        n++;
    }
    sqlite3_finalize(s);
    sqlite3_close(h);
    return n;
}

long st_common_count(const char *kiosk_db, const char *server_db)
{
    json_t *m = server_responses(server_db);
    long n = outbox_rows(kiosk_db, m, 0);
    json_decref(m);
    return n;
}

void st_assert_same_payloads(const char *kiosk_db, const char *server_db)
{
    json_t *m = server_responses(server_db);
    long n = outbox_rows(kiosk_db, m, 1);
    json_decref(m);
    assert_true(n > 0);
}

static kc_err add_item(void *ctx, const char *id, int kind, long long rev, int deleted,
                       const char *body)
{
    (void)kind, (void)rev;
    if (deleted)
        json_object_del(ctx, id);
    else
        json_object_set_new(ctx, id, json_string(body));
    return KC_OK;
}

static kc_err add_area(void *ctx, const char *id, const char *body)
{
    json_object_set_new(ctx, id, json_string(body));
    return KC_OK;
}

/* id -> body of the kiosk's live items (areas: 1) */
static json_t *kiosk_map(const char *kiosk_db, int areas)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(kiosk_db, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, areas ? "SELECT id, body FROM area"
                                                 : "SELECT ext_id, body FROM item WHERE "
                                                   "deleted = 0",
                                        -1, &s, NULL),
                     SQLITE_OK);
    json_t *m = json_object();
    while (sqlite3_step(s) == SQLITE_ROW)
        json_object_set_new(m, (const char *)sqlite3_column_text(s, 0),
                            json_string((const char *)sqlite3_column_text(s, 1)));
    sqlite3_finalize(s);
    sqlite3_close(h);
    return m;
}

void st_assert_same_catalog(const char *kiosk_db, const char *server_db)
{
    srvdb *db = server_open(server_db);
    json_t *items = json_object(), *areas = json_object();
    long long last = 0;
    if (srvdb_catalog_changes(db, 0, 100000000L, add_item, items, &last) ||
        srvdb_areas_each(db, add_area, areas))
        fail_msg("reading the server's catalog: %s", srvdb_errmsg(db));
    srvdb_close(db);
    json_t *ki = kiosk_map(kiosk_db, 0), *ka = kiosk_map(kiosk_db, 1);
    if (!json_equal(items, ki))
        fail_msg("catalogs differ: %zu items on the server, %zu on the kiosk",
                 json_object_size(items), json_object_size(ki));
    if (!json_equal(areas, ka))
        fail_msg("areas differ: %zu on the server, %zu on the kiosk", json_object_size(areas),
                 json_object_size(ka));
    json_decref(items);
    json_decref(areas);
    json_decref(ki);
    json_decref(ka);
}

void st_assert_integrity(const char *db)
{
    if (st_is_pg(db))
        return;  /* PostgreSQL keeps its own files consistent; nothing to ask of it */
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "ok");
    sqlite3_finalize(s);
    sqlite3_close(h);
}

double st_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void st_sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static size_t health_sink(char *p, size_t size, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return size * n;
}

double st_timed_health(const st_server *s, long timeout_s)
{
    CURL *h = curl_easy_init();
    assert_non_null(h);
    char url[128];
    snprintf(url, sizeof url, "%s/v1/health", s->url);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_s);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, health_sink);
    double t0 = st_now_s();
    CURLcode rc = curl_easy_perform(h);
    double t = st_now_s() - t0;
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    if (rc != CURLE_OK || status != 200)
        fail_msg("health: %s, status %ld after %.2f s", curl_easy_strerror(rc), status, t);
    return t;
}
