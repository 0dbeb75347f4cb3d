/*
 * server.h - the central server's HTTP side (docs/protocol.md) over libmicrohttpd.
 *
 * A srv owns a microhttpd daemon whose threads only move bytes, and a pool of
 * workers (srvwork.h) with one srvdb handle each that answer what needs storage.
 * Every request is authenticated by its device token, bounded in size and time
 * (srvlimit.h: deadlines for headers and body, per-address and total connection
 * limits, a budget for bodies and parses in memory), and answered with JSON; input
 * never reaches storage unchecked and a failed request stores nothing.
 *
 * Threads: srv_start and srv_stop are called from one thread.  Failure of srv_start
 * leaves nothing running.
 */
#ifndef SERVER_H
#define SERVER_H

#include "kc.h"

typedef struct srv srv;
struct srcrun_ops;

typedef struct srv_config {
    const char *db;          /* srvdb spec */
    const char *listen;      /* "HOST:PORT", "[V6]:PORT"; port 0 picks a free one */
    const char *cert_file;   /* PEM; with key_file serves HTTPS */
    const char *key_file;
    int threads;             /* workers (and database handles); 0 = 4 */
    int timeout_s;           /* idle connection timeout; 0 = 30 */
    int header_timeout_s;    /* a request's headers must arrive within; 0 = 10 */
    int body_timeout_s;      /* and the rest of it within, after them; 0 = 60 */
    int max_connections;     /* open at once; 0 = 1000 */
    int per_address;         /* open at once from one address; 0 = 32 */
    long body_budget;        /* request bodies held at once, bytes; 0 = 32 MiB */
    long max_body;           /* request body limit; 0 = PROTO_MAX_BODY */
    int quiet;               /* no request log on stderr */
    const char *console_listen;  /* the console's own address; NULL = on this one */
    const char *console_dir;     /* the console's files */
    const char *sources;         /* sources file for the console's imports; NULL: none */
    const struct srcrun_ops *source_ops;  /* how to run one (sync/srcrun.h) */
    const char *card_renderer;   /* kiosk-card for the console's previews; NULL: none */
    int card_timeout_s;          /* a preview's deadline; 0 = 10 */
    int live_streams;            /* live workshop screens at once; 0 = 32 */
    int live_per_address;        /* of them from one address; 0 = 4 */
    int live_lifetime_s;         /* a live screen's stream ends after; 0 = 300 */
    int exports;                 /* console exports open at once; 0 = 8 */
} srv_config;

kc_err srv_start(const srv_config *cfg, srv **out, char *msg);
/* The port actually bound (for port 0). */
int srv_port(const srv *s);
/* The console address's port; 0 when the console shares the sync port. */
int srv_console_port(const srv *s);
void srv_stop(srv *s);

#endif
