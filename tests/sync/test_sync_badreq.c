/* The bad-request corpus against the real server: every request gets a clear 4xx
 * with a JSON error body, the server stays up, and nothing is stored. */
#include "doctest.h"
#include "synctest.h"
#include "syncc.h"
#include "testutil.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <dirent.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static st_server srv;
static char tok[65], revoked[65];
static const char *sdb;

typedef struct reply {
    char *buf;
    size_t len;
} reply;

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    reply *r = ud;
    size_t len = size * n;
    if (r->len + len < 65536) {
        memcpy(r->buf + r->len, p, len);
        r->len += len;
        r->buf[r->len] = '\0';
    }
    return len;
}

enum { T_VALID, T_NONE, T_UNKNOWN, T_REVOKED, T_MALFORMED };

/* One request; returns the status (0 when the server closed without answering)
 * and checks that a 4xx carries {"error": "..."}. */
static long request(const char *method, const char *path, int token, const char *body,
                    size_t len, int chunked)
{
    CURL *h = curl_easy_init();
    assert_non_null(h);
    char url[512], auth[200];
    snprintf(url, sizeof url, "%s%s", srv.url, path);
    struct curl_slist *hdr = NULL;
    const char *t = token == T_VALID     ? tok
                    : token == T_REVOKED ? revoked
                    : token == T_UNKNOWN
                        ? "00000000000000000000000000000000000000000000000000000000000000ff"
                        : "short-token";
    if (token != T_NONE) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", t);
        hdr = curl_slist_append(hdr, auth);
    }
    hdr = curl_slist_append(hdr, "Expect:");
    if (chunked)
        hdr = curl_slist_append(hdr, "Transfer-Encoding: chunked");
    char buf[65536];
    reply r = { buf, 0 };
    buf[0] = '\0';
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        if (!chunked)
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &r);
    /* A server that refuses a large body answers before it has read it and closes;
     * curl may then report a send error although the answer arrived.  The answer is
     * what the test judges, so its status is read either way (0 when none came). */
    (void)curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    if (status >= 400 && status < 500 && !strstr(buf, "{\"error\":\""))
        fail_msg("%s %s: %ld without a JSON error body: %.200s", method, path, status, buf);
    return status;
}

static void expect(long status, long want, const char *what)
{
    if (status != want)
        fail_msg("%s: got %ld, want %ld", what, status, want);
}

static void assert_alive_and_empty(void)
{
    int st;
    assert_int_equal(waitpid(srv.pid, &st, WNOHANG), 0);
    expect(request("GET", "/v1/health", T_NONE, NULL, 0, 0), 200, "health");
    assert_int_equal(st_server_count(sdb), 0);
    /* Nor a ballot, a code use or a document made from one. */
    assert_int_equal(dt_long(sdb, "SELECT (SELECT count(*) FROM ballot_in) + (SELECT "
                                  "count(*) FROM code_use) + (SELECT count(*) FROM doc)"),
                     0);
    /* No heartbeat of the corpus was recorded either. */
    char out[4096];
    const char *args[] = { "device-list", NULL };
    assert_int_equal(st_admin(sdb, out, sizeof out, args), 0);
    assert_non_null(strstr(out, "never"));
}

static int setup(void **state)
{
    (void)state;
    sdb = st_server_db("bad-server.db");
    st_device_add(sdb, "good", tok);
    st_device_add(sdb, "bad", revoked);
    const char *args[] = { "device-revoke", "bad", NULL };
    assert_int_equal(st_admin(sdb, NULL, 0, args), 0);
    st_server_start(&srv, sdb, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    st_server_stop(&srv, SIGTERM);
    return 0;
}

static void test_corpus_files(void **state)
{
    (void)state;
    DIR *d = opendir(SYNC_CORPUS_DIR);
    assert_non_null(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        char path[1024], ep[32];
        long want;
        if (e->d_name[0] == '.' || sscanf(e->d_name, "%31[a-z]-%ld-", ep, &want) != 2)
            continue;
        snprintf(path, sizeof path, "%s/%s", SYNC_CORPUS_DIR, e->d_name);
        size_t len;
        char *body = tu_read(path, &len);
        char url[64];
        snprintf(url, sizeof url, "/v1/%s", ep);
        expect(request("POST", url, T_VALID, body, len, 0), want, e->d_name);
        free(body);
        n++;
    }
    closedir(d);
    assert_true(n >= 25);
    assert_alive_and_empty();
}

static void test_auth_and_routes(void **state)
{
    (void)state;
    const char *ok_batch = "{\"responses\":[{\"uuid\":\"0b7e4d0c-27c6-4a4c-9d6b-5f3a3b1c2d01\","
                           "\"kind\":\"feedback\",\"payload\":{\"a\":1}}]}";
    size_t n = strlen(ok_batch);
    expect(request("POST", "/v1/responses", T_NONE, ok_batch, n, 0), 401, "no token");
    expect(request("POST", "/v1/responses", T_UNKNOWN, ok_batch, n, 0), 401, "unknown");
    expect(request("POST", "/v1/responses", T_MALFORMED, ok_batch, n, 0), 401, "malformed");
    expect(request("POST", "/v1/responses", T_REVOKED, ok_batch, n, 0), 403, "revoked");
    expect(request("GET", "/v1/catalog?since=0", T_NONE, NULL, 0, 0), 401, "catalog no token");
    expect(request("GET", "/v1/catalog?since=0", T_REVOKED, NULL, 0, 0), 403, "catalog revoked");
    expect(request("GET", "/v1/responses", T_VALID, NULL, 0, 0), 405, "GET responses");
    expect(request("POST", "/v1/catalog", T_VALID, "{}", 2, 0), 405, "POST catalog");
    expect(request("DELETE", "/v1/catalog", T_VALID, NULL, 0, 0), 405, "DELETE");
    expect(request("GET", "/v2/catalog", T_VALID, NULL, 0, 0), 404, "unknown path");
    expect(request("GET", "/v1/catalog?since=-1", T_VALID, NULL, 0, 0), 400, "since -1");
    expect(request("GET", "/v1/catalog?since=abc", T_VALID, NULL, 0, 0), 400, "since abc");
    expect(request("GET", "/v1/catalog?since=99999999999999999999", T_VALID, NULL, 0, 0), 400,
           "since huge");
    expect(request("GET", "/v1/catalog?since=0&limit=0", T_VALID, NULL, 0, 0), 400, "limit 0");
    expect(request("GET", "/v1/catalog?since=0&limit=5001", T_VALID, NULL, 0, 0), 400,
           "limit big");
    expect(request("GET", "/v1/catalog?since=5", T_VALID, NULL, 0, 0), 409, "since ahead");
    expect(request("GET", "/v1/docs?type=poem", T_VALID, NULL, 0, 0), 400, "docs type");
    expect(request("GET", "/v1/docs", T_VALID, NULL, 0, 0), 400, "docs no type");
    expect(request("GET", "/v1/docs?type=survey&since=x", T_VALID, NULL, 0, 0), 400,
           "docs since x");
    expect(request("GET", "/v1/docs?type=ballot&since=0&limit=0", T_VALID, NULL, 0, 0), 400,
           "docs limit 0");
    expect(request("GET", "/v1/docs?type=ballot-used&since=3", T_VALID, NULL, 0, 0), 409,
           "docs since ahead");
    expect(request("GET", "/v1/docs?type=ballot-codes&since=0", T_VALID, NULL, 0, 0), 204,
           "docs nothing yet");
    expect(request("GET", "/v1/docs?type=survey", T_REVOKED, NULL, 0, 0), 403, "docs revoked");
    expect(request("POST", "/v1/docs?type=survey", T_VALID, "{}", 2, 0), 405, "POST docs");
    /* The change check. */
    static const char hex64[] =
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    char path[300];
    expect(request("GET", "/v1/changes", T_VALID, NULL, 0, 0), 400, "changes no feed");
    expect(request("GET", "/v1/changes?poem=1", T_VALID, NULL, 0, 0), 400,
           "changes unknown feed only");
    expect(request("GET", "/v1/changes?catalog=abc", T_VALID, NULL, 0, 0), 400,
           "changes catalog abc");
    expect(request("GET", "/v1/changes?catalog=-1", T_VALID, NULL, 0, 0), 400,
           "changes catalog -1");
    expect(request("GET", "/v1/changes?catalog=", T_VALID, NULL, 0, 0), 400,
           "changes catalog empty");
    expect(request("GET", "/v1/changes?catalog=0&survey=x", T_VALID, NULL, 0, 0), 400,
           "changes survey x");
    expect(request("GET", "/v1/changes?ballot-used=99999999999999999999", T_VALID, NULL, 0,
                   0),
           400, "changes ballot-used huge");
    expect(request("GET", "/v1/changes?catalog=0&areas=xyz", T_VALID, NULL, 0, 0), 400,
           "changes areas short");
    snprintf(path, sizeof path, "/v1/changes?catalog=0&areas=%.63sA", hex64);
    expect(request("GET", path, T_VALID, NULL, 0, 0), 400, "changes areas upper case");
    snprintf(path, sizeof path, "/v1/changes?catalog=0&areas=%s0", hex64);
    expect(request("GET", path, T_VALID, NULL, 0, 0), 400, "changes areas long");
    snprintf(path, sizeof path, "/v1/changes?survey=0&areas=%s", hex64);
    expect(request("GET", path, T_VALID, NULL, 0, 0), 400, "changes areas without catalog");
    expect(request("GET", "/v1/changes?catalog=5", T_VALID, NULL, 0, 0), 409,
           "changes catalog ahead");
    expect(request("GET", "/v1/changes?ballot=0&ballot-codes=3", T_VALID, NULL, 0, 0), 409,
           "changes codes ahead");
    expect(request("GET", "/v1/changes?survey=0&ballot=0&ballot-codes=0&ballot-used=0",
                   T_VALID, NULL, 0, 0),
           204, "changes nothing yet");
    /* No areas digest yet: the catalog is named, for its areas. */
    expect(request("GET", "/v1/changes?catalog=0&areas=", T_VALID, NULL, 0, 0), 200,
           "changes areas differ");
    expect(request("GET", "/v1/changes?catalog=0", T_NONE, NULL, 0, 0), 401,
           "changes no token");
    expect(request("GET", "/v1/changes?catalog=0", T_REVOKED, NULL, 0, 0), 403,
           "changes revoked");
    expect(request("POST", "/v1/changes?catalog=0", T_VALID, "{}", 2, 0), 405,
           "POST changes");
    assert_alive_and_empty();
}

static void test_oversized(void **state)
{
    (void)state;
    /* 9 MiB of valid-looking JSON: refused from Content-Length alone. */
    size_t big = 9u * 1024 * 1024;
    char *body = malloc(big + 1);
    assert_non_null(body);
    memset(body, ' ', big);
    memcpy(body, "{\"responses\":[", 14);
    memcpy(body + big - 2, "]}", 2);
    body[big] = '\0';
    expect(request("POST", "/v1/responses", T_VALID, body, big, 0), 413, "9 MiB");
    /* The same without a length (chunked): refused when the limit is crossed, or the
     * connection is dropped; never stored, never a crash. */
    long st = request("POST", "/v1/responses", T_VALID, body, big, 1);
    if (st != 413 && st != 0)
        fail_msg("chunked 9 MiB: got %ld", st);
    /* 1001 responses: over the batch limit. */
    char *p = body;
    p += sprintf(p, "{\"responses\":[");
    for (int i = 0; i < 1001; i++)
        p += sprintf(p, "%s{\"uuid\":\"0b7e4d0c-27c6-4a4c-9d6b-5f3a3b%06x\",\"kind\":\"f\","
                        "\"payload\":{}}",
                     i ? "," : "", i);
    p += sprintf(p, "]}");
    expect(request("POST", "/v1/responses", T_VALID, body, (size_t)(p - body), 0), 413,
           "1001 responses");
    /* A 100 KiB string. */
    p = body;
    p += sprintf(p, "{\"responses\":[{\"uuid\":\"0b7e4d0c-27c6-4a4c-9d6b-5f3a3b1c2d01\","
                    "\"kind\":\"f\",\"payload\":{\"c\":\"");
    memset(p, 'x', 100 * 1024);
    p += 100 * 1024;
    p += sprintf(p, "\"}}]}");
    expect(request("POST", "/v1/responses", T_VALID, body, (size_t)(p - body), 0), 413,
           "100 KiB string");
    /* 10 000 levels of nesting. */
    p = body;
    for (int i = 0; i < 10000; i++)
        *p++ = '[';
    *p = '\0';
    expect(request("POST", "/v1/responses", T_VALID, body, (size_t)(p - body), 0), 400,
           "deep nesting");
    free(body);
    assert_alive_and_empty();
}

/* Bytes that are not HTTP at all, straight on a socket. */
static void test_garbage_http(void **state)
{
    (void)state;
    static const char *const junk[] = {
        "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not tls\r\n\r\n",
        "GET\r\n\r\n",
        "POST /v1/responses HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        "POST /v1/responses HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
        "GET /v1/catalog HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \xff\xfe\r\n\r\n",
        "\x00\x01\x02\x03\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        assert_true(fd >= 0);
        struct sockaddr_in a;
        memset(&a, 0, sizeof a);
        a.sin_family = AF_INET;
        a.sin_port = htons((unsigned short)srv.port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
        struct timeval tv = { 2, 0 };  /* a server waiting for more is fine too */
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        size_t len = i == 5 ? 8 : strlen(junk[i]);
        assert_true(send(fd, junk[i], len, MSG_NOSIGNAL) == (ssize_t)len);
        shutdown(fd, SHUT_WR);
        char buf[2048];
        ssize_t r = recv(fd, buf, sizeof buf - 1, 0);
        close(fd);
        if (r > 0) {
            buf[r] = '\0';
            /* Whatever came back must not be a success. */
            assert_null(strstr(buf, " 200 "));
        }
    }
    assert_alive_and_empty();
}

int main(void)
{
    if (syncc_global_init())
        return 1;
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_files),
        cmocka_unit_test(test_auth_and_routes),
        cmocka_unit_test(test_oversized),
        cmocka_unit_test(test_garbage_http),
    };
    int r = cmocka_run_group_tests(tests, setup, teardown);
    syncc_global_cleanup();
    return r;
}
