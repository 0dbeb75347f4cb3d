/* srvlimit.c - connection deadlines (a watchdog thread) and memory budgets. */
#include "srvlimit.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* The watchdog looks at least this often, so a deadline is kept to within it. */
#define WATCH_MS 100

enum phase { PH_NONE, PH_HEAD, PH_BODY, PH_N };

struct srvlimit_conn {
    int fd;
    enum phase phase;
    long long since;   /* ms: when the current phase began */
    int cut;           /* shut down already: no more deadlines */
    srvlimit_conn *prev, *next;
};

/* A phase's connections in the order they entered it.  Every connection of a phase
 * has the same allowance, so the oldest is always the first to run out: the watchdog
 * looks only at the heads. */
typedef struct fifo {
    srvlimit_conn *head, *tail;
} fifo;

struct srvlimit {
    srvlimit_config cfg;
    pthread_mutex_t mu;
    pthread_cond_t wake;     /* stop */
    pthread_cond_t parse_cv; /* parse budget given back */
    pthread_t watchdog;
    int stopping;
    fifo q[PH_N];
    long cut;
    int live;                /* kept and not cut */
    size_t body_used, parse_used;
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void unlink_conn(srvlimit *l, srvlimit_conn *c)
{
    if (c->phase == PH_NONE)
        return;
    fifo *f = &l->q[c->phase];
    if (c->prev)
        c->prev->next = c->next;
    else
        f->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    else
        f->tail = c->prev;
    c->prev = c->next = NULL;
    c->phase = PH_NONE;
}

static void enter(srvlimit *l, srvlimit_conn *c, enum phase p)
{
    unlink_conn(l, c);
    if (c->cut || p == PH_NONE)
        return;
    fifo *f = &l->q[p];
    c->phase = p;
    c->since = now_ms();
    c->prev = f->tail;
    c->next = NULL;
    if (f->tail)
        f->tail->next = c;
    else
        f->head = c;
    f->tail = c;
}

/* Both directions end; the socket stays open (microhttpd owns it), so its next read
 * sees the end and microhttpd closes the connection the usual way. */
static void cut(srvlimit *l, srvlimit_conn *c)
{
    unlink_conn(l, c);
    c->cut = 1;
    l->cut++;
    l->live--;
    shutdown(c->fd, SHUT_RDWR);
}

static void *watch(void *arg)
{
    srvlimit *l = arg;
    const long long allow[PH_N] = { 0, (long long)l->cfg.header_s * 1000,
                                    (long long)l->cfg.body_s * 1000 };
    pthread_mutex_lock(&l->mu);
    while (!l->stopping) {
        long long now = now_ms();
        for (int p = PH_HEAD; p < PH_N; p++) {
            srvlimit_conn *c;
            while ((c = l->q[p].head) && now - c->since >= allow[p])
                cut(l, c);
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += WATCH_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&l->wake, &l->mu, &until);
    }
    pthread_mutex_unlock(&l->mu);
    return NULL;
}

kc_err srvlimit_start(const srvlimit_config *cfg, srvlimit **out, char *msg)
{
    *out = NULL;
    srvlimit *l = kc_calloc(1, sizeof *l);
    if (!l)
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    l->cfg = *cfg;
    if (pthread_mutex_init(&l->mu, NULL)) {
        kc_free(l);
        return kc_fail(msg, KC_ENOMEM, "cannot create locks");
    }
    if (pthread_cond_init(&l->wake, NULL)) {
        pthread_mutex_destroy(&l->mu);
        kc_free(l);
        return kc_fail(msg, KC_ENOMEM, "cannot create locks");
    }
    if (pthread_cond_init(&l->parse_cv, NULL)) {
        pthread_cond_destroy(&l->wake);
        pthread_mutex_destroy(&l->mu);
        kc_free(l);
        return kc_fail(msg, KC_ENOMEM, "cannot create locks");
    }
    if (pthread_create(&l->watchdog, NULL, watch, l)) {
        pthread_cond_destroy(&l->parse_cv);
        pthread_cond_destroy(&l->wake);
        pthread_mutex_destroy(&l->mu);
        kc_free(l);
        return kc_fail(msg, KC_ENOMEM, "cannot start the deadline watchdog");
    }
    *out = l;
    return KC_OK;
}

void srvlimit_stop(srvlimit *l)
{
    if (!l)
        return;
    pthread_mutex_lock(&l->mu);
    l->stopping = 1;
    pthread_cond_signal(&l->wake);
    pthread_mutex_unlock(&l->mu);
    pthread_join(l->watchdog, NULL);
    pthread_cond_destroy(&l->parse_cv);
    pthread_cond_destroy(&l->wake);
    pthread_mutex_destroy(&l->mu);
    kc_free(l);
}

srvlimit_conn *srvlimit_conn_open(srvlimit *l, int fd)
{
    srvlimit_conn *c = kc_calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->fd = fd;
    pthread_mutex_lock(&l->mu);
    if (l->live >= l->cfg.max_conns) {
        if (!l->q[PH_HEAD].head) {
            pthread_mutex_unlock(&l->mu);
            kc_free(c);
            return NULL;
        }
        cut(l, l->q[PH_HEAD].head);
    }
    l->live++;
    enter(l, c, PH_HEAD);
    pthread_mutex_unlock(&l->mu);
    return c;
}

static void move(srvlimit *l, srvlimit_conn *c, enum phase p)
{
    if (!c)
        return;
    pthread_mutex_lock(&l->mu);
    enter(l, c, p);
    pthread_mutex_unlock(&l->mu);
}

void srvlimit_conn_headers(srvlimit *l, srvlimit_conn *c)
{
    move(l, c, PH_BODY);
}

void srvlimit_conn_answering(srvlimit *l, srvlimit_conn *c)
{
    move(l, c, PH_NONE);
}

void srvlimit_conn_replying(srvlimit *l, srvlimit_conn *c)
{
    move(l, c, PH_BODY);
}

void srvlimit_conn_idle(srvlimit *l, srvlimit_conn *c)
{
    move(l, c, PH_HEAD);
}

void srvlimit_conn_close(srvlimit *l, srvlimit_conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&l->mu);
    unlink_conn(l, c);
    if (!c->cut)
        l->live--;
    pthread_mutex_unlock(&l->mu);
    kc_free(c);
}

long srvlimit_cut_count(srvlimit *l)
{
    pthread_mutex_lock(&l->mu);
    long n = l->cut;
    pthread_mutex_unlock(&l->mu);
    return n;
}

/* --- budgets ------------------------------------------------------------------------ */

int srvlimit_body_take(srvlimit *l, size_t n)
{
    int ok;
    pthread_mutex_lock(&l->mu);
    ok = n <= l->cfg.body_budget - l->body_used;
    if (ok)
        l->body_used += n;
    pthread_mutex_unlock(&l->mu);
    return ok ? 0 : -1;
}

size_t srvlimit_body_budget(const srvlimit *l)
{
    return l->cfg.body_budget;  /* set at start, never changed */
}

void srvlimit_body_give(srvlimit *l, size_t n)
{
    pthread_mutex_lock(&l->mu);
    l->body_used -= n <= l->body_used ? n : l->body_used;
    pthread_mutex_unlock(&l->mu);
}

size_t srvlimit_json_cost(const char *buf, size_t len, size_t *units)
{
    /* Every value and key after the first one of a container follows a ',' or ':',
     * and the first follows '{' or '['; so these characters outside strings, plus
     * one for the top value, bound the number of values and keys. */
    size_t n = 1;
    int in_str = 0, esc = 0;
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (in_str) {
            if (esc)
                esc = 0;
            else if (c == '\\')
                esc = 1;
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '{' || c == '[' || c == ',' || c == ':') {
            n++;
        }
    }
    *units = n;
    /* Measured with jansson 2.14: an empty object costs 234 bytes, an object with
     * one member 346 (two units), an integer in an array 42; strings are copied once
     * by jansson and once more into the batch's payload texts. */
    if (n > ((size_t)-1 - 3 * len) / SRVLIMIT_UNIT_BYTES)
        return (size_t)-1;
    return n * SRVLIMIT_UNIT_BYTES + 3 * len;
}

int srvlimit_parse_take(srvlimit *l, size_t cost, int wait_ms)
{
    if (cost > l->cfg.parse_budget)
        return -1;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += wait_ms / 1000;
    until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    int ok = 0;
    pthread_mutex_lock(&l->mu);
    for (;;) {
        if (cost <= l->cfg.parse_budget - l->parse_used) {
            l->parse_used += cost;
            ok = 1;
            break;
        }
        if (pthread_cond_timedwait(&l->parse_cv, &l->mu, &until) == ETIMEDOUT)
            break;
    }
    pthread_mutex_unlock(&l->mu);
    return ok ? 0 : -1;
}

void srvlimit_parse_give(srvlimit *l, size_t cost)
{
    pthread_mutex_lock(&l->mu);
    l->parse_used -= cost <= l->parse_used ? cost : l->parse_used;
    pthread_cond_broadcast(&l->parse_cv);
    pthread_mutex_unlock(&l->mu);
}
