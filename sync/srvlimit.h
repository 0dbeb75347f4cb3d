/*
 * srvlimit.h - what a client can make the central server hold, bounded by design.
 *
 * Deadlines: a connection has header_s seconds to deliver a request's headers (from
 * connecting, or from the end of its previous request), and body_s seconds after the
 * headers to deliver the rest, and body_s seconds to take the answer.  Sending a byte now and then does not extend either
 * (microhttpd's own timeout is an idle timeout, which a slow sender never trips).  A
 * watchdog thread cuts a connection past its deadline with shutdown(2); microhttpd
 * then sees the end of the stream and closes it the usual way.  While the server
 * itself works on a request no deadline runs.
 *
 * Budgets: request bodies held at once (reserved before reading, from Content-Length
 * or as chunks arrive) and the estimated memory of JSON trees being parsed at once.
 * A full body budget is answered 503; a parse waits for its share for a bounded time.
 *
 * Threads: every function may be called from any thread; one mutex guards the state.
 * A srvlimit_conn is owned by srvlimit between open and close; the caller must call
 * srvlimit_conn_close before the connection's socket is closed (microhttpd's "closed"
 * notification comes before it closes the socket), so the watchdog never touches a
 * socket number that was reused.
 */
#ifndef SRVLIMIT_H
#define SRVLIMIT_H

#include <stddef.h>
#include "kc.h"

typedef struct srvlimit srvlimit;
typedef struct srvlimit_conn srvlimit_conn;

typedef struct srvlimit_config {
    int header_s;          /* seconds for a request's headers */
    int body_s;            /* seconds for the rest of a request after its headers */
    int max_conns;         /* connections kept at once */
    size_t body_budget;    /* bytes of request bodies held at once */
    size_t parse_budget;   /* estimated bytes of JSON trees at once */
} srvlimit_config;

/* Starts the watchdog.  On failure nothing is left running. */
kc_err srvlimit_start(const srvlimit_config *cfg, srvlimit **out, char *msg);
/* Stops the watchdog; every connection must have been closed. */
void srvlimit_stop(srvlimit *l);

/* A new connection on socket fd, waiting for headers.  NULL when memory ran out or
 * max_conns are kept and all are busy with requests: the caller drops it. */
srvlimit_conn *srvlimit_conn_open(srvlimit *l, int fd);
/* The headers are in: the body deadline starts. */
void srvlimit_conn_headers(srvlimit *l, srvlimit_conn *c);
/* The whole request is in: no deadline while the server answers. */
void srvlimit_conn_answering(srvlimit *l, srvlimit_conn *c);
/* The answer is queued: the client has body_s seconds to take it. */
void srvlimit_conn_replying(srvlimit *l, srvlimit_conn *c);
/* The request is over: the next request's headers deadline starts. */
void srvlimit_conn_idle(srvlimit *l, srvlimit_conn *c);
/* Forgets the connection (c may be NULL). */
void srvlimit_conn_close(srvlimit *l, srvlimit_conn *c);
/* Connections cut so far (at a deadline, or to make room). */
long srvlimit_cut_count(srvlimit *l);

/* Reserves n bytes of the body budget: 0, or -1 when that would pass it. */
int srvlimit_body_take(srvlimit *l, size_t n);
void srvlimit_body_give(srvlimit *l, size_t n);
/* The whole body budget, bytes: no one body can be larger. */
size_t srvlimit_body_budget(const srvlimit *l);

/* What parsing buf as JSON may cost: *units gets an upper bound on the values and
 * object keys in it (counted from the structural characters outside strings, without
 * allocating); the result is a bound on the bytes jansson and the protocol reader
 * allocate for it (SRVLIMIT_UNIT_BYTES a unit plus copies of the text). */
#define SRVLIMIT_UNIT_BYTES 128
size_t srvlimit_json_cost(const char *buf, size_t len, size_t *units);
/* Reserves cost bytes of the parse budget, waiting up to wait_ms for others to give
 * theirs back: 0, or -1 (also when cost alone is over the budget). */
int srvlimit_parse_take(srvlimit *l, size_t cost, int wait_ms);
void srvlimit_parse_give(srvlimit *l, size_t cost);

#endif
