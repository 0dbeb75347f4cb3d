/* srcserver.c - see srcserver.h. */
#include "srcserver.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct srcserver {
    struct MHD_Daemon *d;
    char root[1024];
    char base[64];
    int port;
    long events, places;
    atomic_int stopping;
    atomic_long n200, n304;
};

#define GEN_PAGE 100

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0;
    char *b = malloc(cap);
    while (b) {
        size_t r = fread(b + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
        if (n == cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb) {
                free(b);
                b = NULL;
            }
            b = nb;
        }
    }
    fclose(f);
    *len = n;
    return b;
}

/* Replaces every "{BASE}" with the server's address. */
static char *subst(const srcserver *s, const char *in, size_t len, size_t *out_len)
{
    size_t bl = strlen(s->base), n = 0;
    char *out = malloc(len * (bl > 6 ? bl / 6 + 1 : 1) + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < len;) {
        if (len - i >= 6 && memcmp(in + i, "{BASE}", 6) == 0) {
            memcpy(out + n, s->base, bl);
            n += bl;
            i += 6;
        } else {
            out[n++] = in[i++];
        }
    }
    out[n] = '\0';
    *out_len = n;
    return out;
}

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static void bput(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bput(buf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0)
            return;
        if (b->p && b->n + (size_t)k < b->cap) {
            b->n += (size_t)k;
            return;
        }
        size_t cap = b->cap ? b->cap * 2 : 65536;
        while (cap < b->n + (size_t)k + 1)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np)
            return;
        b->p = np;
        b->cap = cap;
    }
}

/* Page `page` (1-based) of the generated events: dates spread over the next 60 days
 * from 2027-01-01, so a run with --now 2026-12-31T00:00 keeps them all. */
static char *gen_page(const srcserver *s, long page, int plain, size_t *len)
{
    buf b = { 0 };
    long first = (page - 1) * GEN_PAGE, last = first + GEN_PAGE;
    if (last > s->events)
        last = s->events;
    bput(&b, "{\"meta\":{\"count\":%ld,\"next\":", s->events);
    if (last < s->events)
        bput(&b, "\"%s/gen/event/?page=%ld%s\"", s->base, page + 1, plain ? "&plain=1" : "");
    else
        bput(&b, "null");
    bput(&b, ",\"previous\":null},\"data\":[");
    for (long i = first; i < last; i++) {
        long p = i % (s->places ? s->places : 1);
        int day = 1 + (int)(i % 59), hour = 8 + (int)(i % 12);
        int mon = day > 31 ? 2 : 1;
        int mday = day > 31 ? day - 31 : day;
        bput(&b,
             "%s{\"id\":\"bench:e%ld\",\"name\":{\"fi\":\"Tapahtuma %ld\",\"sv\":"
             "\"Evenemang %ld\",\"en\":\"Event %ld\"},\"description\":{\"fi\":\"<p>Kuvaus "
             "%ld: tervetuloa <b>kaikki</b>.</p><p>Toinen kappale.</p>\"},"
             "\"start_time\":\"2027-%02d-%02dT%02d:00:00Z\",\"end_time\":"
             "\"2027-%02d-%02dT%02d:30:00Z\",\"event_status\":\"EventScheduled\","
             "\"keywords\":[{\"@id\":\"%s/linkedevents/v1/keyword/yso:p4354/\"}],"
             "\"audience\":[],\"in_language\":[{\"@id\":\"%s/linkedevents/v1/language/fi/\"}],"
             "\"super_event\":null,\"super_event_type\":null,\"publisher\":\"bench:1\","
             "\"location\":{\"id\":\"bench:p%ld\",\"name\":{\"fi\":\"Paikka %ld\"},"
             "\"street_address\":{\"fi\":\"Katu %ld\"},\"address_locality\":{\"fi\":"
             "\"Helsinki\"},\"divisions\":[]},\"offers\":[{\"is_free\":true}]}",
             i > first ? "," : "", i, i, i, i, i, mon, mday, hour, mon, mday, hour, s->base,
             s->base, p, p, p);
    }
    bput(&b, "]}");
    *len = b.n;
    return b.p;
}

static unsigned long long fnv(const char *p, size_t n)
{
    unsigned long long h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

static enum MHD_Result answer(struct MHD_Connection *c, unsigned status, char *body, size_t len,
                              const char *etag)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, body, body ? MHD_RESPMEM_MUST_FREE
                                                        : MHD_RESPMEM_PERSISTENT);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "application/json");
    if (etag)
        MHD_add_response_header(r, "ETag", etag);
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *data,
                              size_t *data_len, void **state)
{
    srcserver *s = cls;
    (void)version, (void)data, (void)data_len;
    if (!*state) {  /* first call: headers only */
        *state = s;
        return MHD_YES;
    }
    if (strcmp(method, "GET") != 0)
        return answer(c, 405, NULL, 0, NULL);
    if (strcmp(url, "/status/500") == 0)
        return answer(c, 500, NULL, 0, NULL);
    if (strcmp(url, "/hang") == 0) {
        for (int i = 0; i < 200 && !atomic_load(&s->stopping); i++) {
            struct timespec ts = { 0, 50000000L };
            nanosleep(&ts, NULL);
        }
        return answer(c, 500, NULL, 0, NULL);
    }
    const char *pg = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "page");
    long page = pg ? atol(pg) : 1;
    if (page < 1)
        page = 1;
    char *body = NULL;
    size_t len = 0;
    /* ?plain=1: an API that sends no ETag (nor Last-Modified). */
    const char *pl = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "plain");
    int plain = pl && strcmp(pl, "1") == 0;
    if (strcmp(url, "/gen/event/") == 0) {
        body = gen_page(s, page, plain, &len);
    } else if (s->root[0] && !strstr(url, "..")) {
        char path[4096], rel[1024];
        snprintf(rel, sizeof rel, "%s", url + 1);
        size_t n = strlen(rel);
        while (n && rel[n - 1] == '/')
            rel[--n] = '\0';
        if (page > 1)
            snprintf(path, sizeof path, "%s/%s.%ld.json", s->root, rel, page);
        else
            snprintf(path, sizeof path, "%s/%s.json", s->root, rel);
        size_t raw_len;
        char *raw = read_all(path, &raw_len);
        if (raw) {
            body = subst(s, raw, raw_len, &len);
            free(raw);
        }
    }
    if (!body)
        return answer(c, 404, NULL, 0, NULL);
    if (plain) {
        atomic_fetch_add(&s->n200, 1);
        return answer(c, 200, body, len, NULL);
    }
    char etag[40];
    snprintf(etag, sizeof etag, "\"%016llx\"", fnv(body, len));
    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
    if (inm && strcmp(inm, etag) == 0) {
        free(body);
        atomic_fetch_add(&s->n304, 1);
        return answer(c, 304, NULL, 0, etag);
    }
    atomic_fetch_add(&s->n200, 1);
    return answer(c, 200, body, len, etag);
}

srcserver *srcserver_start(const char *root, long events, long places)
{
    srcserver *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    snprintf(s->root, sizeof s->root, "%s", root ? root : "");
    s->events = events;
    s->places = places;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                                MHD_USE_ERROR_LOG,
                            0, NULL, NULL, handle, s, MHD_OPTION_CONNECTION_TIMEOUT,
                            (unsigned)30, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                            MHD_OPTION_END);
    if (!s->d) {
        free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *i = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = i ? i->port : 0;
    snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", s->port);
    return s;
}

int srcserver_port(const srcserver *s)
{
    return s->port;
}

const char *srcserver_base(const srcserver *s)
{
    return s->base;
}

long srcserver_count(const srcserver *s, int status)
{
    return status == 304 ? atomic_load(&s->n304) : atomic_load(&s->n200);
}

void srcserver_stop(srcserver *s)
{
    if (!s)
        return;
    atomic_store(&s->stopping, 1);
    MHD_stop_daemon(s->d);
    free(s);
}
