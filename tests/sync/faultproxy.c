#include "faultproxy.h"

#include <arpa/inet.h>
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

/* Handles one request; returns 1 to keep the client connection, 0 to close it. */
static int exchange(fproxy *p, int cfd)
{
    char *req = NULL, *rep = NULL;
    long rh, hh;
    long rl = read_message(p, cfd, &req, &rh, 0);
    if (rl <= 0)
        return 0;
    unsigned r;
    fp_fault f = choose(p, &r);
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
