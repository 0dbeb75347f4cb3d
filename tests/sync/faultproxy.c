#include "faultproxy.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FP_MAX_CONN 4096
#define FP_HEAD_MAX (64 * 1024)
#define FP_BODY_MAX (80L * 1024 * 1024)

struct fproxy {
    int lfd, port, upstream, stall_ms;
    atomic_int stop;
    pthread_t acceptor;
    pthread_mutex_t mu;
    unsigned seed;               /* under mu */
    int percent;                 /* under mu */
    long counts[FP_NFAULT];      /* under mu */
    fp_ackfault ack_fault;       /* under mu */
    long long bytes_in;          /* under mu */
    long body_limit;             /* under mu */
    pthread_t conns[FP_MAX_CONN];
    int nconns;                  /* under mu */
};

typedef struct conn {
    fproxy *p;
    int fd;
} conn;

static void nap_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* Waits for fd to be readable, checking the stop flag; 0 ready, -1 stop/timeout. */
static int wait_readable(fproxy *p, int fd, int timeout_ms)
{
    for (int waited = 0; waited < timeout_ms && !atomic_load(&p->stop); waited += 100) {
        struct pollfd pf = { fd, POLLIN, 0 };
        int r = poll(&pf, 1, 100);
        if (r > 0)
            return 0;
        if (r < 0 && errno != EINTR)
            return -1;
    }
    return -1;
}

static int send_all(int fd, const char *b, size_t n)
{
    while (n) {
        ssize_t w = send(fd, b, n, MSG_NOSIGNAL);
        if (w <= 0) {
            if (w < 0 && errno == EINTR)
                continue;
            return -1;
        }
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads one HTTP message (headers + Content-Length body) into *buf.  `reply`: a
 * 204/304 reply has no body.  Returns total length, 0 on clean EOF, -1 on error. */
static long read_message(fproxy *p, int fd, char **buf, long *head_len, int reply)
{
    size_t cap = 8192, len = 0;
    char *b = malloc(cap);
    if (!b)
        return -1;
    char *end = NULL;
    while (!end) {
        if (wait_readable(p, fd, 20000)) {
            free(b);
            return -1;
        }
        if (len + 4096 + 1 > cap) {
            if (cap >= FP_HEAD_MAX) {
                free(b);
                return -1;
            }
            char *nb = realloc(b, cap *= 2);
            if (!nb) {
                free(b);
                return -1;
            }
            b = nb;
        }
        ssize_t r = recv(fd, b + len, 4096, 0);
        if (r <= 0) {
            free(b);
            return r == 0 && len == 0 ? 0 : -1;
        }
        len += (size_t)r;
        b[len] = '\0';
        end = strstr(b, "\r\n\r\n");
    }
    long hl = (long)(end + 4 - b);
    long clen = 0;
    for (char *h = strchr(b, '\n'); h && h < end; h = strchr(h + 1, '\n'))
        if (strncasecmp(h + 1, "content-length:", 15) == 0)
            clen = atol(h + 16);
    int status = 0;
    if (reply && sscanf(b, "HTTP/1.%*d %d", &status) == 1 && (status == 204 || status == 304))
        clen = 0;
    if (clen < 0 || clen > FP_BODY_MAX) {
        free(b);
        return -1;
    }
    long total = hl + clen;
    if ((size_t)total + 1 > cap) {
        char *nb = realloc(b, (size_t)total + 1);
        if (!nb) {
            free(b);
            return -1;
        }
        b = nb;
    }
    while ((long)len < total) {
        if (wait_readable(p, fd, 20000)) {
            free(b);
            return -1;
        }
        ssize_t r = recv(fd, b + len, (size_t)(total - (long)len), 0);
        if (r <= 0) {
            free(b);
            return -1;
        }
        len += (size_t)r;
    }
    b[total] = '\0';
    *buf = b;
    *head_len = hl;
    return total;
}

/* Sends the request to the server and reads its reply. */
static long forward(fproxy *p, const char *req, long req_len, char **rep, long *rep_head)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)p->upstream);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    long n = -1;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0 && send_all(fd, req, (size_t)req_len) == 0)
        n = read_message(p, fd, rep, rep_head, 1);
    close(fd);
    return n > 0 ? n : -1;
}

static fp_fault choose(fproxy *p, unsigned *r)
{
    pthread_mutex_lock(&p->mu);
    int roll = rand_r(&p->seed) % 100;
    fp_fault f = roll < p->percent ? (fp_fault)(1 + rand_r(&p->seed) % (FP_NFAULT - 1)) : FP_PASS;
    p->counts[f]++;
    *r = (unsigned)rand_r(&p->seed);
    pthread_mutex_unlock(&p->mu);
    return f;
}

static const char *const broken[] = {
    "{\"ack\":[1,2,3]}",
    "{\"head\":5,\"items\":[{\"id\":\"BAD ID\",\"rev\":1}],\"rev\":1,\"more\":false}",
    "{\"head\":9,\"items\":[{\"id\":\"x\",\"rev\":1,\"item\":{\"id\":\"x\",\"kind\":\"venue\"}}],"
    "\"rev\":9,\"more\":false}",
    "{\"head\":",
    "[]",
};

/* "POST http://host:port/v1/x HTTP/1.1" (a request to a proxy) becomes
 * "POST /v1/x HTTP/1.1".  Returns the new length. */
static long origin_form(char *req, long len, long *head_len)
{
    char *sp = memchr(req, ' ', (size_t)(len < 16 ? len : 16));
    if (!sp || strncmp(sp + 1, "http://", 7) != 0)
        return len;
    char *path = strchr(sp + 8, '/');
    char *eol = strstr(req, "\r\n");
    if (!path || !eol || path > eol)
        return len;
    long cut = (long)(path - (sp + 1));
    memmove(sp + 1, path, (size_t)(len - (path - req)) + 1);
    *head_len -= cut;
    return len - cut;
}

static int is_push(const char *req)
{
    return strncmp(req, "POST /v1/responses", 18) == 0;
}

static void random_uuid(unsigned *r, char out[37])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 36; i++)
        out[i] = (i == 8 || i == 13 || i == 18 || i == 23) ? '-' : hex[rand_r(r) % 16];
    out[14] = '4';
    out[19] = '8';
    out[36] = '\0';
}

static int send_json(int cfd, json_t *j)
{
    char *b = json_dumps(j, JSON_COMPACT);
    char hdr[200];
    int ok = 0;
    if (b) {
        snprintf(hdr, sizeof hdr, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                  "Content-Length: %zu\r\n\r\n", strlen(b));
        ok = send_all(cfd, hdr, strlen(hdr)) == 0 && send_all(cfd, b, strlen(b)) == 0;
    }
    free(b);
    return ok;
}

/* A push under an ack fault; returns 1 to keep the connection. */
static int ack_fault(fproxy *p, fp_ackfault f, int cfd, char *req, long rl, long rh,
                     unsigned r)
{
    char *rep = NULL;
    long hh = 0, n;
    int keep = 0;
    json_t *j = NULL;
    if (f == FP_ACK_OVERSIZE) {
        static const char h[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                "Transfer-Encoding: chunked\r\n\r\n";
        static char chunk[65536 + 16];
        size_t body = 65536;
        int k = snprintf(chunk, sizeof chunk, "%zx\r\n", body);
        memset(chunk + k, ' ', body);
        memcpy(chunk + k + body, "\r\n", 2);
        if (send_all(cfd, h, sizeof h - 1) == 0)
            for (int i = 0; i < 70 * 16 && !atomic_load(&p->stop); i++)
                if (send_all(cfd, chunk, (size_t)k + body + 2))
                    break;
        return 0;
    }
    if (f == FP_ACK_FORGE) {
        /* Acknowledge what was sent without the server ever seeing it. */
        json_t *in = json_loadb(req + rh, (size_t)(rl - rh), 0, NULL);
        json_t *rows = json_object_get(in, "responses"), *v;
        json_t *ack = json_array();
        size_t i;
        json_array_foreach(rows, i, v) json_array_append(ack, json_object_get(v, "uuid"));
        for (int k = 0; k < 3; k++) {
            char u[37];
            random_uuid(&r, u);
            json_array_append_new(ack, json_string(u));
        }
        j = json_pack("{s:o, s:I}", "ack", ack, "stored", (json_int_t)json_array_size(rows));
        keep = send_json(cfd, j);
        json_decref(in);
        json_decref(j);
        return keep;
    }
    if ((n = forward(p, req, rl, &rep, &hh)) < 0)
        return 0;
    if (f == FP_ACK_BROKEN) {
        static const char b[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                "Content-Length: 15\r\n\r\n{\"ack\":[1,2,3]}";
        free(rep);
        return send_all(cfd, b, sizeof b - 1) == 0;
    }
    j = json_loadb(rep + hh, (size_t)(n - hh), 0, NULL);
    json_t *ack = json_object_get(j, "ack"), *v;
    size_t m = json_array_size(ack), i;
    if (!ack) {
        keep = send_all(cfd, rep, (size_t)n) == 0;  /* an error reply: as it is */
    } else {
        json_t *out = json_array();
        json_array_foreach(ack, i, v) {
            if (f == FP_ACK_MISSING && i >= (m + 1) / 2)
                break;
            for (int k = 0; k < (f == FP_ACK_REPEAT ? 3 : 1); k++)
                json_array_append(out, v);
        }
        if (f == FP_ACK_UNSENT)
            for (int k = 0; k < 2; k++) {
                char u[37];
                random_uuid(&r, u);
                json_array_append_new(out, json_string(u));
            }
        json_object_set_new(j, "ack", out);
        keep = send_json(cfd, j);
    }
    json_decref(j);
    free(rep);
    return keep;
}

/* Handles one request; returns 1 to keep the client connection, 0 to close it. */
static int exchange(fproxy *p, int cfd)
{
    char *req = NULL, *rep = NULL;
    long rh, hh;
    long rl = read_message(p, cfd, &req, &rh, 0);
    if (rl <= 0)
        return 0;
    pthread_mutex_lock(&p->mu);
    p->bytes_in += rl;
    fp_ackfault af = p->ack_fault;
    long limit = p->body_limit;
    pthread_mutex_unlock(&p->mu);
    rl = origin_form(req, rl, &rh);
    if (limit > 0 && is_push(req) && rl - rh > limit) {
        static const char e413[] = "HTTP/1.1 413 Payload Too Large\r\nContent-Type: "
                                   "application/json\r\nContent-Length: 26\r\n\r\n"
                                   "{\"error\":\"body too large\"}";
        int keep = send_all(cfd, e413, sizeof e413 - 1) == 0;
        free(req);
        return keep;
    }
    unsigned r;
    fp_fault f = choose(p, &r);
    if (af != FP_ACK_PASS && is_push(req)) {
        int keep = ack_fault(p, af, cfd, req, rl, rh, r);
        free(req);
        return keep;
    }
    int keep = 0;
    long n;
    char hdr[256];
    switch (f) {
    case FP_DROP:
        break;
    case FP_STALL:
        nap_ms(p->stall_ms);
        break;
    case FP_500: {
        static const char e500[] = "HTTP/1.1 500 Internal Server Error\r\nContent-Type: "
                                   "application/json\r\nContent-Length: 17\r\n\r\n"
                                   "{\"error\":\"boom\"}\n";
        keep = send_all(cfd, e500, sizeof e500 - 1) == 0;
        break;
    }
    case FP_GARBAGE: {
        char junk[300];
        for (size_t i = 0; i < sizeof junk; i++)
            junk[i] = (char)rand_r(&r);
        send_all(cfd, junk, sizeof junk);
        break;
    }
    case FP_PASS:
    case FP_DROP_AFTER:
    case FP_DELAY:
    case FP_TRUNCATE:
    case FP_GARBAGE_JSON:
        if ((n = forward(p, req, rl, &rep, &hh)) < 0)
            break;
        if (f == FP_DROP_AFTER)
            break;
        if (f == FP_GARBAGE_JSON) {
            const char *b = broken[r % (sizeof broken / sizeof broken[0])];
            snprintf(hdr, sizeof hdr, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                      "Content-Length: %zu\r\n\r\n", strlen(b));
            keep = send_all(cfd, hdr, strlen(hdr)) == 0 && send_all(cfd, b, strlen(b)) == 0;
            break;
        }
        if (f == FP_TRUNCATE) {
            send_all(cfd, rep, (size_t)(hh + (n - hh) / 2));
            break;
        }
        if (f == FP_DELAY)
            nap_ms(100 + (long)(r % 500));
        keep = send_all(cfd, rep, (size_t)n) == 0;
        break;
    case FP_NFAULT:
        break;
    }
    free(req);
    free(rep);
    return keep;
}

static void *conn_main(void *arg)
{
    conn *c = arg;
    while (!atomic_load(&c->p->stop) && exchange(c->p, c->fd))
        ;
    close(c->fd);
    free(c);
    return NULL;
}

static void *accept_main(void *arg)
{
    fproxy *p = arg;
    while (!atomic_load(&p->stop)) {
        if (wait_readable(p, p->lfd, 1000))
            continue;
        int fd = accept(p->lfd, NULL, NULL);
        if (fd < 0)
            continue;
        conn *c = malloc(sizeof *c);
        pthread_mutex_lock(&p->mu);
        int ok = c && p->nconns < FP_MAX_CONN;
        if (ok) {
            c->p = p;
            c->fd = fd;
            ok = pthread_create(&p->conns[p->nconns], NULL, conn_main, c) == 0;
            if (ok)
                p->nconns++;
        }
        pthread_mutex_unlock(&p->mu);
        if (!ok) {
            free(c);
            close(fd);
        }
    }
    return NULL;
}

int fproxy_start(int upstream_port, unsigned seed, int percent, int stall_ms, fproxy **out)
{
    fproxy *p = calloc(1, sizeof *p);
    *out = NULL;
    if (!p)
        return -1;
    p->upstream = upstream_port;
    p->seed = seed;
    p->percent = percent;
    p->stall_ms = stall_ms;
    pthread_mutex_init(&p->mu, NULL);
    p->lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    socklen_t al = sizeof a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (p->lfd < 0 || bind(p->lfd, (struct sockaddr *)&a, sizeof a) != 0 ||
        listen(p->lfd, 128) != 0 || getsockname(p->lfd, (struct sockaddr *)&a, &al) != 0 ||
        pthread_create(&p->acceptor, NULL, accept_main, p) != 0) {
        if (p->lfd >= 0)
            close(p->lfd);
        pthread_mutex_destroy(&p->mu);
        free(p);
        return -1;
    }
    p->port = ntohs(a.sin_port);
    *out = p;
    return 0;
}

int fproxy_port(const fproxy *p)
{
    return p->port;
}

void fproxy_set_percent(fproxy *p, int percent)
{
    pthread_mutex_lock(&p->mu);
    p->percent = percent;
    pthread_mutex_unlock(&p->mu);
}

void fproxy_counts(fproxy *p, long counts[FP_NFAULT])
{
    pthread_mutex_lock(&p->mu);
    memcpy(counts, p->counts, sizeof p->counts);
    pthread_mutex_unlock(&p->mu);
}

void fproxy_set_ack_fault(fproxy *p, fp_ackfault f)
{
    pthread_mutex_lock(&p->mu);
    p->ack_fault = f;
    pthread_mutex_unlock(&p->mu);
}

void fproxy_set_body_limit(fproxy *p, long max)
{
    pthread_mutex_lock(&p->mu);
    p->body_limit = max;
    pthread_mutex_unlock(&p->mu);
}

long long fproxy_bytes_in(fproxy *p)
{
    pthread_mutex_lock(&p->mu);
    long long n = p->bytes_in;
    pthread_mutex_unlock(&p->mu);
    return n;
}

void fproxy_stop(fproxy *p)
{
    if (!p)
        return;
    atomic_store(&p->stop, 1);
    pthread_join(p->acceptor, NULL);
    for (int i = 0; i < p->nconns; i++)
        pthread_join(p->conns[i], NULL);
    close(p->lfd);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
