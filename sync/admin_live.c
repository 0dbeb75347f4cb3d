/* admin_live.c - server-sent change events for the live workshop screen (admin_live.h):
 * streams, their caps, and the ticker that reads each watched workshop's counter. */
#define _GNU_SOURCE  /* POLLRDHUP */
#include "admin_live.h"
#include "srvdb.h"
#include "srvdb_results.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define LIVE_ID_MAX 36
#define LIVE_ADDR_MAX 63
/* Bytes waiting to be written: an event or a comment is far smaller. */
#define LIVE_OUT_MAX 256

typedef struct live_stream live_stream;
struct live_stream {
    admin_live *hub;
    struct MHD_Connection *c;
    char workshop[LIVE_ID_MAX + 1];
    char addr[LIVE_ADDR_MAX + 1];
    long long stamp;           /* the counter the last event said */
    time_t opened, written;    /* when opened; when something was last queued */
    int suspended;             /* its callback suspended the connection */
    int ending;                /* past its lifetime, or the hub drains */
    char out[LIVE_OUT_MAX];
    size_t out_len, out_off;   /* out[out_off..out_len) waits to be written */
    live_stream *prev, *next;
};

struct admin_live {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t ticker;
    int ticker_ok, stopping;
    char *spec;
    srvdb *db;                 /* the ticker's; opened on first need */
    live_stream *head;
    int n;
    admin_live_config cfg;
};

/* Appends text to what s has waiting; 0, or -1 when it does not fit now (what waits
 * is written first, and the ticker tries again). */
static int out_add(live_stream *s, const char *fmt, long long v)
{
    if (s->out_off == s->out_len)
        s->out_off = s->out_len = 0;
    size_t room = sizeof s->out - s->out_len;
    int n = snprintf(s->out + s->out_len, room, fmt, v);
    if (n < 0 || (size_t)n >= room) {
        s->out[s->out_len] = '\0';
        return -1;
    }
    s->out_len += (size_t)n;
    s->written = time(NULL);
    return 0;
}

/* Wakes s's connection when it waits in its callback (under the hub's lock: the
 * callback suspends under it too, so a resume always finds the connection suspended). */
static void wake(live_stream *s)
{
    if (s->suspended) {
        s->suspended = 0;
        MHD_resume_connection(s->c);
    }
}

/* 1 when the client of suspended stream s has gone (closed or reset): microhttpd
 * does not watch a suspended connection's socket, so without this a closed page
 * would hold its place until the next comment line. */
static int gone(const live_stream *s)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(s->c, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!ci)
        return 0;
    struct pollfd p = { ci->connect_fd, POLLRDHUP, 0 };
    return poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

/* microhttpd asks for the next bytes: what waits, the end, or nothing yet (then the
 * connection is suspended until the ticker has something). */
static ssize_t live_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    live_stream *s = cls;
    (void)pos;
    ssize_t n;
    pthread_mutex_lock(&s->hub->mu);
    if (s->out_off < s->out_len) {
        size_t k = s->out_len - s->out_off;
        if (k > max)
            k = max;
        memcpy(buf, s->out + s->out_off, k);
        s->out_off += k;
        n = (ssize_t)k;
    } else if (s->ending) {
        n = MHD_CONTENT_READER_END_OF_STREAM;
    } else {
        s->suspended = 1;
        MHD_suspend_connection(s->c);
        n = 0;
    }
    pthread_mutex_unlock(&s->hub->mu);
    return n;
}

/* The response is destroyed: the connection is done with the stream. */
static void live_free(void *cls)
{
    live_stream *s = cls;
    admin_live *l = s->hub;
    pthread_mutex_lock(&l->mu);
    if (s->prev)
        s->prev->next = s->next;
    else
        l->head = s->next;
    if (s->next)
        s->next->prev = s->prev;
    l->n--;
    pthread_mutex_unlock(&l->mu);
    kc_free(s);
}

live_refusal admin_live_open(admin_live *l, struct MHD_Connection *c, const char *workshop,
                             const char *addr, long long stamp, struct MHD_Response **out)
{
    *out = NULL;
    if (strlen(workshop) > LIVE_ID_MAX)
        return LIVE_NOMEM;  /* the caller checked it is a UUID */
    live_stream *s = kc_calloc(1, sizeof *s);
    if (!s)
        return LIVE_NOMEM;
    s->hub = l;
    s->c = c;
    snprintf(s->workshop, sizeof s->workshop, "%s", workshop);
    snprintf(s->addr, sizeof s->addr, "%s", addr);
    s->stamp = stamp;
    s->opened = time(NULL);
    out_add(s, "retry: %lld\n\n", LIVE_RETRY_MS);
    out_add(s, "data: {\"stamp\":%lld}\n\n", stamp);
    pthread_mutex_lock(&l->mu);
    int same = 0;
    for (live_stream *t = l->head; t; t = t->next)
        same += strcmp(t->addr, s->addr) == 0;
    live_refusal why = l->stopping               ? LIVE_STOPPING
                       : l->n >= l->cfg.max_streams ? LIVE_FULL
                       : same >= l->cfg.per_address ? LIVE_ADDRESS_FULL
                                                   : LIVE_OK;
    if (why == LIVE_OK) {
        /* Counted before microhttpd has it, so the caps hold between two opens. */
        s->next = l->head;
        if (l->head)
            l->head->prev = s;
        l->head = s;
        l->n++;
    }
    pthread_mutex_unlock(&l->mu);
    if (why != LIVE_OK) {
        kc_free(s);
        return why;
    }
    struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN,
                                                               LIVE_OUT_MAX, live_read, s,
                                                               live_free);
    if (!r) {
        live_free(s);
        return LIVE_NOMEM;
    }
    if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, LIVE_CONTENT_TYPE) != MHD_YES ||
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") != MHD_YES ||
        MHD_add_response_header(r, "X-Accel-Buffering", "no") != MHD_YES) {
        MHD_destroy_response(r);  /* frees s */
        return LIVE_NOMEM;
    }
    *out = r;
    return LIVE_OK;
}

/* --- the ticker ------------------------------------------------------------------- */

/* The distinct workshops watched now (each LIVE_ID_MAX + 1 bytes), or NULL with
 * *n 0; under the lock. */
static char *watched(admin_live *l, size_t *n)
{
    *n = 0;
    if (l->n <= 0)
        return NULL;
    char *ids = kc_malloc((size_t)l->n * (LIVE_ID_MAX + 1));
    if (!ids)
        return NULL;
    for (live_stream *s = l->head; s; s = s->next) {
        size_t k = 0;
        while (k < *n && strcmp(ids + k * (LIVE_ID_MAX + 1), s->workshop) != 0)
            k++;
        if (k == *n)
            memcpy(ids + (*n)++ * (LIVE_ID_MAX + 1), s->workshop, LIVE_ID_MAX + 1);
    }
    return ids;
}

/* One round: read the counters (without the lock: microhttpd's callbacks never wait
 * on the database), then queue events, comments and ends, and wake who has any. */
static void tick(admin_live *l)
{
    size_t n;
    pthread_mutex_lock(&l->mu);
    char *ids = watched(l, &n);
    pthread_mutex_unlock(&l->mu);
    long long *stamps = n ? kc_calloc(n, sizeof *stamps) : NULL;
    if (n && !stamps)
        n = 0;
    if (n && !l->db && srvdb_open(l->spec, &l->db) != KC_OK) {
        fprintf(stderr, "kiosk-server: live screens: %s\n", srvdb_errmsg(l->db));
        srvdb_close(l->db);
        l->db = NULL;
        n = 0;  /* tried again next round; heartbeats and ends go on */
    }
    srvdb_fb_filter all = { 0, 0, NULL, 0 };
    for (size_t k = 0; k < n; k++)
        if (srvdb_ws_stamp(l->db, &all, ids + k * (LIVE_ID_MAX + 1), &stamps[k]))
            stamps[k] = -1;
    time_t now = time(NULL);
    pthread_mutex_lock(&l->mu);
    for (live_stream *s = l->head; s; s = s->next) {
        for (size_t k = 0; k < n; k++)
            if (stamps[k] > s->stamp && strcmp(ids + k * (LIVE_ID_MAX + 1), s->workshop) == 0 &&
                out_add(s, "data: {\"stamp\":%lld}\n\n", stamps[k]) == 0)
                s->stamp = stamps[k];
        if (now - s->written >= LIVE_HEARTBEAT_S)
            out_add(s, ": %lld\n\n", (long long)now);
        if (now - s->opened >= l->cfg.lifetime_s || (s->suspended && gone(s)))
            s->ending = 1;
        if (s->out_off < s->out_len || s->ending)
            wake(s);
    }
    pthread_mutex_unlock(&l->mu);
    kc_free(ids);
    kc_free(stamps);
}

static void *ticker_main(void *arg)
{
    admin_live *l = arg;
    pthread_mutex_lock(&l->mu);
    while (!l->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += (long)LIVE_POLL_MS * 1000000L;
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        int w = 0;
        while (!l->stopping && w != ETIMEDOUT)
            w = pthread_cond_timedwait(&l->cv, &l->mu, &until);
        if (l->stopping)
            break;
        pthread_mutex_unlock(&l->mu);
        tick(l);
        pthread_mutex_lock(&l->mu);
    }
    pthread_mutex_unlock(&l->mu);
    return NULL;
}

/* --- start and stop ----------------------------------------------------------------- */

kc_err admin_live_start(const admin_live_config *cfg, admin_live **out, char *msg)
{
    *out = NULL;
    admin_live *l = kc_calloc(1, sizeof *l);
    if (!l || !(l->spec = kc_strdup(cfg->db))) {
        kc_free(l);
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    }
    l->cfg = *cfg;
    l->cfg.db = NULL;
    if (l->cfg.max_streams <= 0)
        l->cfg.max_streams = LIVE_STREAMS_DEFAULT;
    if (l->cfg.per_address <= 0)
        l->cfg.per_address = LIVE_PER_ADDRESS_DEFAULT;
    if (l->cfg.lifetime_s <= 0)
        l->cfg.lifetime_s = LIVE_LIFETIME_DEFAULT;
    if (pthread_mutex_init(&l->mu, NULL)) {
        kc_free(l->spec);
        kc_free(l);
        return kc_fail(msg, KC_ENOMEM, "cannot create locks");
    }
    if (pthread_cond_init(&l->cv, NULL)) {
        pthread_mutex_destroy(&l->mu);
        kc_free(l->spec);
        kc_free(l);
        return kc_fail(msg, KC_ENOMEM, "cannot create locks");
    }
    if (pthread_create(&l->ticker, NULL, ticker_main, l)) {
        admin_live_stop(l);
        return kc_fail(msg, KC_ENOMEM, "cannot start the live screens' thread");
    }
    l->ticker_ok = 1;
    *out = l;
    return KC_OK;
}

void admin_live_drain(admin_live *l)
{
    if (!l)
        return;
    pthread_mutex_lock(&l->mu);
    l->stopping = 1;
    for (live_stream *s = l->head; s; s = s->next) {
        s->ending = 1;
        wake(s);
    }
    pthread_cond_broadcast(&l->cv);
    pthread_mutex_unlock(&l->mu);
    if (l->ticker_ok) {
        pthread_join(l->ticker, NULL);
        l->ticker_ok = 0;
    }
}

void admin_live_stop(admin_live *l)
{
    if (!l)
        return;
    admin_live_drain(l);
    srvdb_close(l->db);
    pthread_cond_destroy(&l->cv);
    pthread_mutex_destroy(&l->mu);
    kc_free(l->spec);
    kc_free(l);
}
