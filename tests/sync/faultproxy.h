/*
 * faultproxy.h - a fault-injecting HTTP/1.1 proxy for the sync tests.
 *
 * Listens on 127.0.0.1 (a random port) and forwards each request to the real server
 * on 127.0.0.1:upstream, one upstream connection per request.  For a chosen share
 * of requests it injects a fault instead of passing the exchange through: drop the
 * connection before or after the server saw the request, delay, stall past the
 * client's timeout, truncate the reply body, answer 500, or answer garbage (random
 * bytes, or well-formed HTTP with broken JSON after the server did store).
 *
 * Pushes (POST /v1/responses) can instead get one fault on every request, set with
 * fproxy_set_ack_fault: replies that break the push protocol in the ways a broken
 * server or a man in the middle would.  Requests in absolute form (the proxy used
 * as an HTTP proxy, http_proxy=...) are forwarded like the others, so a client can
 * be pointed at a host name that is not loopback and still reach the real server.
 *
 * Threads: one accept thread plus one thread per client connection; all are joined
 * by fproxy_stop.  The functions below may be called from any thread.
 */
#ifndef FAULTPROXY_H
#define FAULTPROXY_H

typedef enum fp_fault {
    FP_PASS,
    FP_DROP,          /* close before forwarding: the server never sees it */
    FP_DROP_AFTER,    /* forward, then close without the reply: the ack is lost */
    FP_DELAY,         /* forward, reply after 100-600 ms */
    FP_STALL,         /* say nothing for stall_ms, then close */
    FP_TRUNCATE,      /* forward, send the headers and half the body, close */
    FP_500,           /* answer 500 without forwarding */
    FP_GARBAGE,       /* random bytes without forwarding */
    FP_GARBAGE_JSON,  /* forward, then answer 200 with broken JSON */
    FP_NFAULT
} fp_fault;

typedef enum fp_ackfault {
    FP_ACK_PASS,
    FP_ACK_REPEAT,    /* forward; the reply's ack list with every UUID three times */
    FP_ACK_UNSENT,    /* forward; the reply's ack list plus UUIDs never sent */
    FP_ACK_MISSING,   /* forward; the reply's ack list without its second half */
    FP_ACK_OVERSIZE,  /* do not forward; 200 with a chunked body over 64 MiB */
    FP_ACK_FORGE,     /* do not forward (a man in the middle): 200 acknowledging every
                         UUID of the request and three never sent */
    FP_ACK_BROKEN,    /* forward; then 200 with an ack list that is not UUIDs */
} fp_ackfault;

typedef struct fproxy fproxy;

/* percent: share of requests that get a fault (0-100).  Returns 0 or -1. */
int fproxy_start(int upstream_port, unsigned seed, int percent, int stall_ms, fproxy **out);
int fproxy_port(const fproxy *p);
void fproxy_set_percent(fproxy *p, int percent);
/* How many requests got each fault so far. */
void fproxy_counts(fproxy *p, long counts[FP_NFAULT]);
/* The fault every push gets from now on (FP_ACK_PASS: none). */
void fproxy_set_ack_fault(fproxy *p, fp_ackfault f);
/* Pushes whose body is over max bytes get 413 without being forwarded, as from a
 * reverse proxy with a smaller body limit than the server's (0: no limit). */
void fproxy_set_body_limit(fproxy *p, long max);
/* Bytes received from clients so far, requests exactly as they came. */
long long fproxy_bytes_in(fproxy *p);
void fproxy_stop(fproxy *p);

#endif
