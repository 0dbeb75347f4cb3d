/*
 * admin_live.h - the live workshop screen's change events: GET
 * /v1/admin/workshops/ID/events as server-sent events (docs/admin-api.md, "Live
 * workshop screen").
 *
 * A stream tells the page that the workshop's data changed ("data: {"stamp":N}"); the
 * page then reads the workshop through the ordinary API.  Changes are learnt from the
 * database (srvdb_ws_stamp, a count read in an index), so a row stored by another
 * server process on the same database shows too.
 *
 * Bounded: at most max_streams open at once and per_address from one client address
 * (more are answered 503 and the page polls instead); a stream ends after lifetime_s
 * (the browser reconnects); a comment line every LIVE_HEARTBEAT_S lets a dead peer's
 * connection fail.  A stream holds no thread: between events its connection is
 * suspended (microhttpd), and one ticker thread with one database handle reads each
 * watched workshop's counter every LIVE_POLL_MS and resumes the streams that have
 * something to send.  microhttpd's threads never wait here, so streams cannot starve
 * the kiosks' sync requests.
 *
 * Threads: admin_live_open runs on a console worker; the stream callbacks on
 * microhttpd's threads; the ticker on its own.  One mutex guards the streams.
 * Order at shutdown: admin_live_drain (ends every stream and resumes it, refuses new
 * ones), then the daemons stop, then admin_live_stop.
 */
#ifndef ADMIN_LIVE_H
#define ADMIN_LIVE_H

#include "kc.h"

#include <microhttpd.h>

#define LIVE_POLL_MS 500        /* a workshop's counter is read this often */
#define LIVE_HEARTBEAT_S 15     /* a comment line when nothing else was sent */
#define LIVE_RETRY_MS 2000      /* the browser reconnects after this (SSE "retry") */
#define LIVE_STREAMS_DEFAULT 32
#define LIVE_PER_ADDRESS_DEFAULT 4
#define LIVE_LIFETIME_DEFAULT 300
/* The Content-Type of a stream: its reply has no "take it within" deadline, its own
 * lifetime bounds it instead. */
#define LIVE_CONTENT_TYPE "text/event-stream"

typedef struct admin_live admin_live;

typedef struct admin_live_config {
    const char *db;       /* srvdb spec: the ticker opens a handle of its own */
    int max_streams;      /* 0 = LIVE_STREAMS_DEFAULT */
    int per_address;      /* 0 = LIVE_PER_ADDRESS_DEFAULT */
    int lifetime_s;       /* 0 = LIVE_LIFETIME_DEFAULT */
} admin_live_config;

/* Starts the ticker.  On failure nothing is left running. */
kc_err admin_live_start(const admin_live_config *cfg, admin_live **out, char *msg);
/* Ends every stream (resuming the suspended ones) and refuses new ones; joins the
 * ticker.  Before the daemons stop: microhttpd must not be stopped with a stream
 * suspended. */
void admin_live_drain(admin_live *l);
/* Frees the hub: every stream's response must have been destroyed (the daemons are
 * stopped). */
void admin_live_stop(admin_live *l);

typedef enum live_refusal {
    LIVE_OK,
    LIVE_FULL,          /* max_streams open */
    LIVE_ADDRESS_FULL,  /* per_address open from this address */
    LIVE_STOPPING,
    LIVE_NOMEM,
} live_refusal;

/* A stream for workshop (a UUID) to connection c from addr, whose counter is now
 * stamp: *out the response to queue (its first event says stamp), or the refusal.
 * The stream lives until microhttpd destroys the response. */
live_refusal admin_live_open(admin_live *l, struct MHD_Connection *c, const char *workshop,
                             const char *addr, long long stamp, struct MHD_Response **out);

#endif
