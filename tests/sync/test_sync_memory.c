/* The server's memory is bounded whatever clients send (docs/deploy.md, "Memory").
 * 268 hostile clients with a valid token at once: unfinished 8 MiB uploads, bodies
 * without Content-Length, 8 MiB bodies of tiny JSON values and bodies just under the
 * server's JSON value limit.  Before, 60 unfinished uploads held 478 MB and one body
 * of tiny values peaked near 1 GB; now the server's peak resident memory (VmHWM)
 * stays under 256 MB and it still serves a real kiosk afterwards.  A watcher kills
 * the server if it passes 400 MB, so a regression fails fast without starving the
 * machine. */
#include "synctest.h"
#include "syncc.h"
#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
/* AddressSanitizer's shadow memory and redzones come on top (quarantine is cut to
 * 8 MB for the server below). */
#define LIMIT_MB 384
#else
#define LIMIT_MB 256
#endif
#define KILL_MB 400

enum kind { UPLOAD_STALL, UPLOAD_STALL_BIG, CHUNKED_STALL, TINY_VALUES, NEAR_LIMIT, NKIND };
static const struct {
    const char *name;
    int n;
} kinds[NKIND] = {
    { "8 MiB upload stalled after 256 KiB", 160 },
    { "8 MiB upload stalled after 6 MiB", 40 },
    { "chunked upload stalled after 2 MiB", 20 },
    { "8 MiB of empty objects", 8 },
    { "just under the JSON value limit", 40 },
};

typedef struct client {
    enum kind kind;
    int addr;   /* last two bytes of 127.0.x.y */
    int status; /* HTTP status, 0 when the server closed without one */
    pthread_t t;
} client;

static int port, stop_clients;
static const char *token;
static char *tiny, *near;  /* bodies */
static size_t tiny_len, near_len;
static char filler[1 << 20];

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* {"responses":[{},{},...]} of about len bytes. */
static char *empty_objects(size_t len, size_t *out_len)
{
    size_t n = (len - 20) / 3;
    char *b = malloc(len + 64);
    assert_non_null(b);
    size_t o = (size_t)sprintf(b, "{\"responses\":[");
    for (size_t i = 0; i < n; i++) {
        memcpy(b + o, i ? ",{}" : "{}", i ? 3 : 2);
        o += i ? 3 : 2;
    }
    o += (size_t)sprintf(b + o, "]}");
    *out_len = o;
    return b;
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int read_status(int fd)
{
    char b[512];
    ssize_t r = recv(fd, b, sizeof b - 1, 0);
    if (r <= 0)
        return 0;
    b[r] = '\0';
    int st = 0;
    return sscanf(b, "HTTP/1.1 %d", &st) == 1 ? st : 0;
}

static void *client_main(void *arg)
{
    client *c = arg;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return NULL;
    struct timeval tv = { 15, 0 };
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(0x7f000000u + (unsigned)c->addr);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0)
        goto out;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((unsigned short)port);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
        goto out;
    char head[512];
    size_t body = c->kind == TINY_VALUES ? tiny_len
                  : c->kind == NEAR_LIMIT ? near_len
                                          : 8u << 20;
    if (c->kind == CHUNKED_STALL)
        snprintf(head, sizeof head,
                 "POST /v1/responses HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n",
                 token);
    else
        snprintf(head, sizeof head,
                 "POST /v1/responses HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                 "Content-Length: %zu\r\n\r\n",
                 token, body);
    if (send_all(fd, head, strlen(head)))
        goto out;
    switch (c->kind) {
    case UPLOAD_STALL:
    case UPLOAD_STALL_BIG: {
        size_t left = c->kind == UPLOAD_STALL ? 256u << 10 : 6u << 20;
        while (left) {
            size_t k = left < sizeof filler ? left : sizeof filler;
            if (send_all(fd, filler, k))
                break;
            left -= k;
        }
        break;
    }
    case CHUNKED_STALL:
        for (int i = 0; i < 32; i++) {
            char ch[32];
            snprintf(ch, sizeof ch, "10000\r\n");
            if (send_all(fd, ch, strlen(ch)) || send_all(fd, filler, 0x10000) ||
                send_all(fd, "\r\n", 2))
                break;
        }
        break;
    case TINY_VALUES:
        send_all(fd, tiny, tiny_len);
        break;
    case NEAR_LIMIT:
        send_all(fd, near, near_len);
        break;
    default:
        break;
    }
    if (c->kind == TINY_VALUES || c->kind == NEAR_LIMIT) {
        c->status = read_status(fd);
    } else {
        /* Hold the connection until told, unless the server answers or closes. */
        struct timeval shortv = { 0, 100000 };
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &shortv, sizeof shortv);
        while (!__atomic_load_n(&stop_clients, __ATOMIC_RELAXED)) {
            char b[512];
            ssize_t r = recv(fd, b, sizeof b - 1, 0);
            if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
                break;
            if (r > 0) {
                b[r] = '\0';
                if (sscanf(b, "HTTP/1.1 %d", &c->status) != 1)
                    c->status = 0;
                break;
            }
        }
    }
out:
    close(fd);
    return NULL;
}

/* kB from a "Name:   N kB" line of /proc/PID/status; -1 when gone. */
static long proc_kb(pid_t pid, const char *name)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long kb = -1;
    size_t n = strlen(name);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, name, n) == 0 && line[n] == ':')
            kb = strtol(line + n + 1, NULL, 10);
    fclose(f);
    return kb;
}

typedef struct watch {
    pid_t pid;
    int stop, killed;
    pthread_t t;
} watch;

static void *watch_main(void *arg)
{
    watch *w = arg;
    while (!__atomic_load_n(&w->stop, __ATOMIC_RELAXED)) {
        long rss = proc_kb(w->pid, "VmRSS");
        if (rss > (long)KILL_MB * 1024) {
            kill(w->pid, SIGKILL);
            w->killed = 1;
            return NULL;
        }
        sleep_ms(10);
    }
    return NULL;
}

static void test_hostile_clients(void **state)
{
    (void)state;
    memset(filler, ' ', sizeof filler);
    tiny = empty_objects(8u << 20, &tiny_len);
    /* 3 bytes and 2 units an object: about 250 000 units. */
    near = empty_objects(370000, &near_len);
#if defined(__SANITIZE_ADDRESS__)
    const char *old = getenv("ASAN_OPTIONS");
    char opts[512];
    snprintf(opts, sizeof opts, "%s%squarantine_size_mb=8", old ? old : "", old ? ":" : "");
    setenv("ASAN_OPTIONS", opts, 1);
#endif
    const char *sdb = tu_tmp("memory.db"), *kdb = tu_tmp("memory-kiosk.db");
    char tok[65], msg[KC_MSGMAX];
    st_device_add(sdb, "k", tok);
    token = tok;
    st_server s;
    st_server_start(&s, sdb, NULL);
    port = s.port;
    long base = proc_kb(s.pid, "VmRSS");

    watch w = { s.pid, 0, 0, 0 };
    assert_int_equal(pthread_create(&w.t, NULL, watch_main, &w), 0);
    static client cl[512];
    int n = 0;
    for (int k = 0; k < NKIND; k++)
        for (int i = 0; i < kinds[k].n; i++, n++) {
            cl[n].kind = (enum kind)k;
            cl[n].addr = 0x100 + 1 + n / 20;  /* 127.0.1.x, 20 clients each */
            cl[n].status = -1;
        }
    stop_clients = 0;
    for (int i = 0; i < n; i++)
        assert_int_equal(pthread_create(&cl[i].t, NULL, client_main, &cl[i]), 0);
    /* Let every upload arrive as far as it goes, then hold them a moment. */
    for (int i = 0; i < n; i++)
        if (cl[i].kind == TINY_VALUES || cl[i].kind == NEAR_LIMIT)
            pthread_join(cl[i].t, NULL);
    sleep_ms(1000);
    __atomic_store_n(&stop_clients, 1, __ATOMIC_RELAXED);
    for (int i = 0; i < n; i++)
        if (cl[i].kind != TINY_VALUES && cl[i].kind != NEAR_LIMIT)
            pthread_join(cl[i].t, NULL);
    /* Alone, with the body budget free: 8 MiB of empty objects is refused from the
     * value count, before jansson builds a thing. */
    static client alone;
    alone.kind = TINY_VALUES;
    alone.addr = 0x200 + 1;
    alone.status = -1;
    assert_int_equal(pthread_create(&alone.t, NULL, client_main, &alone), 0);
    pthread_join(alone.t, NULL);
    __atomic_store_n(&w.stop, 1, __ATOMIC_RELAXED);
    pthread_join(w.t, NULL);
    free(tiny);
    free(near);
    if (w.killed)
        fail_msg("the server passed %d MB of resident memory and was stopped", KILL_MB);
    long peak = proc_kb(s.pid, "VmHWM");

    for (int k = 0; k < NKIND; k++) {
        int by[6] = { 0 };  /* none, 2xx, 400, 413, 503, other */
        for (int i = 0; i < n; i++) {
            if (cl[i].kind != (enum kind)k)
                continue;
            int st = cl[i].status;
            by[st <= 0 ? 0 : st < 300 ? 1 : st == 400 ? 2 : st == 413 ? 3 : st == 503 ? 4 : 5]++;
        }
        printf("# %-36s x%3d: closed %d, 2xx %d, 400 %d, 413 %d, 503 %d, other %d\n",
               kinds[k].name, kinds[k].n, by[0], by[1], by[2], by[3], by[4], by[5]);
        assert_int_equal(by[1] + by[5], 0);
    }
    printf("# 8 MiB of empty objects alone: %d\n", alone.status);
    assert_int_equal(alone.status, 413);
    printf("# server resident memory: %ld MB at start, peak %ld MB (limit %d MB)\n",
           base / 1024, peak / 1024, LIMIT_MB);

    /* Still serving: a real kiosk pushes and pulls. */
    st_add_responses(kdb, 20);
    syncc_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.db_path = kdb;
    cfg.server = s.url;
    cfg.token = tok;
    syncc *c = NULL;
    assert_int_equal(syncc_new(&cfg, &c, msg), KC_OK);
    kc_err rc = syncc_run_once(c, msg);
    syncc_free(c);
    if (rc)
        fail_msg("sync after the attack: %s", msg);
    assert_int_equal(st_server_count(sdb), 20);
    st_server_stop(&s, SIGTERM);
    assert_true(peak > 0);
    assert_true(peak < (long)LIMIT_MB * 1024);
}

int main(void)
{
    if (syncc_global_init())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostile_clients),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    syncc_global_cleanup();
    return r;
}
