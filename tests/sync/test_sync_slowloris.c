/* Slow clients cannot take the server away from real ones.  4 000 connections from
 * 40 loopback addresses dribble header bytes (the audit's attack: they filled the
 * connection limit and every real request timed out); while they are open, a health
 * check and a real kiosk's sync answer at once (ANSWER_MAX_S on a loaded machine).  Headers and bodies have deadlines
 * that a byte now and then does not extend. */
#include "synctest.h"
#include "syncc.h"
#include "testutil.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NSLOW 4000
/* The longest a real request may take during the flood.  Unloaded it takes a few
 * milliseconds; starved (the audit's attack) it waited for a slot until curl gave up
 * (5 s for health) or the header deadline (10 s) freed one. */
#define ANSWER_MAX_S 3.0
#define PER_ADDRESS 100  /* from 127.0.0.2, .3, ...: 40 addresses */

/* Room for the slow sockets here and in the server (which inherits the limit). */
static void raise_nofile(rlim_t want)
{
    struct rlimit rl;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_cur >= want)
        return;
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want)
        skip();  /* cannot run the attack at this scale here */
    rl.rlim_cur = want;
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
}

typedef struct slow {
    int fd[NSLOW];
    int n;
    int stop;
    pthread_t t;
} slow;

/* Connects from 127.0.0.(base + i / per) to the server and sends the start of a
 * request; n connections, 200 in flight at a time so the backlog never overflows. */
static void slow_open(slow *sl, int port, int n, int base, int per, const char *first)
{
    sl->n = 0;
    for (int i = 0; i < n; i += 200) {
        int m = n - i < 200 ? n - i : 200;
        struct pollfd pf[200];
        for (int j = 0; j < m; j++) {
            int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            assert_true(fd >= 0);
            struct sockaddr_in a;
            memset(&a, 0, sizeof a);
            a.sin_family = AF_INET;
            a.sin_addr.s_addr = htonl(0x7f000000u + (unsigned)(base + (i + j) / per));
            assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            a.sin_port = htons((unsigned short)port);
            if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 && errno != EINPROGRESS)
                fail_msg("connect: %s", strerror(errno));
            pf[j].fd = fd;
            pf[j].events = POLLOUT;
            sl->fd[sl->n++] = fd;
        }
        double until = st_now_s() + 5;
        for (int j = 0; j < m; j++) {
            pf[j].revents = 0;
            while (!pf[j].revents && st_now_s() < until)
                poll(&pf[j], 1, 100);
            send(pf[j].fd, first, strlen(first), MSG_NOSIGNAL | MSG_DONTWAIT);
        }
    }
}

/* 1 when the server closed or cut the connection. */
static int slow_closed(int fd)
{
    char b[256];
    ssize_t r = recv(fd, b, sizeof b, MSG_DONTWAIT);
    return r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

static long slow_count_open(slow *sl)
{
    long n = 0;
    for (int i = 0; i < sl->n; i++)
        n += !slow_closed(sl->fd[i]);
    return n;
}

/* Every 300 ms one more byte on every connection: never idle, never done. */
static void *dribble(void *arg)
{
    slow *sl = arg;
    while (!__atomic_load_n(&sl->stop, __ATOMIC_RELAXED)) {
        for (int i = 0; i < sl->n; i++)
            send(sl->fd[i], "X", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
        st_sleep_ms(300);
    }
    return NULL;
}

static void slow_start(slow *sl)
{
    sl->stop = 0;
    assert_int_equal(pthread_create(&sl->t, NULL, dribble, sl), 0);
}

static void slow_close(slow *sl)
{
    __atomic_store_n(&sl->stop, 1, __ATOMIC_RELAXED);
    pthread_join(sl->t, NULL);
    for (int i = 0; i < sl->n; i++)
        close(sl->fd[i]);
    sl->n = 0;
}

static void test_slow_flood(void **state)
{
    (void)state;
    raise_nofile(NSLOW + 512);
    const char *sdb = tu_tmp("slow-server.db"), *kdb = tu_tmp("slow-kiosk.db");
    char tok[65], msg[KC_MSGMAX];
    st_device_add(sdb, "k", tok);
    st_add_responses(kdb, 50);
    st_server s;
    st_server_start(&s, sdb, NULL);  /* the defaults a deployment runs with */

    static slow sl;
    double t0 = st_now_s();
    slow_open(&sl, s.port, NSLOW, 2, PER_ADDRESS,
              "POST /v1/responses HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    slow_start(&sl);
    st_sleep_ms(500);
    printf("# %d slow connections opened in %.2f s\n", sl.n, st_now_s() - t0);

    double th = st_timed_health(&s, 5L);
    syncc_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.db_path = kdb;
    cfg.server = s.url;
    cfg.token = tok;
    syncc *c = NULL;
    assert_int_equal(syncc_new(&cfg, &c, msg), KC_OK);
    double t1 = st_now_s();
    kc_err rc = syncc_run_once(c, msg);
    double tp = st_now_s() - t1;
    syncc_free(c);
    if (rc)
        fail_msg("sync during the flood: %s (after %.2f s)", msg, tp);
    double th2 = st_timed_health(&s, 5L);
    long open = slow_count_open(&sl);
    printf("# health %.3f s, sync with a 50-row push %.3f s, health again %.3f s; "
           "%ld slow connections still open from the client's side\n",
           th, tp, th2, open);
    slow_close(&sl);
    assert_int_equal(st_server_count(sdb), 50);
    st_server_stop(&s, SIGTERM);
    assert_true(th < ANSWER_MAX_S);
    assert_true(tp < ANSWER_MAX_S);
    assert_true(th2 < ANSWER_MAX_S);
}

/* A deadline, not an idle timeout: connections that keep sending are cut once their
 * headers (or, after the headers, their body) are late. */
static void test_deadlines(void **state)
{
    (void)state;
    const char *sdb = tu_tmp("deadline.db");
    char tok[65];
    st_device_add(sdb, "k", tok);
    st_server s;
    const char *extra[] = { "--header-timeout", "2", "--body-timeout", "2", NULL };
    st_server_start(&s, sdb, extra);

    static slow heads, bodies;
    double opened = st_now_s();  /* the headers' deadline runs from here */
    slow_open(&heads, s.port, 20, 100, 20, "GET /v1/health HTTP/1.1\r\nX-Slow: ");
    char req[512];
    snprintf(req, sizeof req,
             "POST /v1/heartbeat HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
             "Content-Length: 100000\r\n\r\n{\"version\":\"",
             tok);
    slow_open(&bodies, s.port, 20, 101, 20, req);
    double t0 = st_now_s();
    slow_start(&heads);
    slow_start(&bodies);
    /* Past the idle timeout of a byte every 300 ms, still within both deadlines.  The
     * count is judged only when it was taken in time: a machine that stalled past the
     * deadline meanwhile says nothing about an early cut. */
    while (st_now_s() - opened < 1.0)
        st_sleep_ms(50);
    long early_h = slow_count_open(&heads), early_b = slow_count_open(&bodies);
    if (st_now_s() - opened < 1.8) {
        assert_int_equal(early_h, 20);
        assert_int_equal(early_b, 20);
    } else {
        printf("# the early count came %.2f s after the connections opened: not judged\n",
               st_now_s() - opened);
    }
    /* Cut by the 2 s deadlines; 8 s leaves a loaded machine room and stays under the
     * 10 s idle timeout, which dribbling connections would never reach anyway. */
    while (st_now_s() - t0 < 8 && (slow_count_open(&heads) || slow_count_open(&bodies)))
        st_sleep_ms(100);
    double t = st_now_s() - t0;
    long h = slow_count_open(&heads), b = slow_count_open(&bodies);
    printf("# late headers: %ld of 20 open, late bodies: %ld of 20 open after %.2f s\n", h,
           b, t);
    slow_close(&heads);
    slow_close(&bodies);
    st_server_stop(&s, SIGTERM);
    assert_int_equal(h, 0);
    assert_int_equal(b, 0);
}

int main(void)
{
    if (syncc_global_init())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slow_flood),
        cmocka_unit_test(test_deadlines),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    syncc_global_cleanup();
    return r;
}
