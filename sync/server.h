/*
 * server.h - the central server's HTTP side (docs/protocol.md) over libmicrohttpd.
 *
 * A srv owns a microhttpd daemon with a pool of worker threads and one srvdb handle
 * per worker.  Every request is authenticated by its device token, bounded in size
 * and time, and answered with JSON; input never reaches storage unchecked and a
 * failed request stores nothing.
 *
 * Threads: srv_start and srv_stop are called from one thread; the daemon's workers
 * run the handlers.  Failure of srv_start leaves nothing running.
 */
#ifndef SERVER_H
#define SERVER_H

#include "kc.h"

typedef struct srv srv;

typedef struct srv_config {
    const char *db;          /* srvdb spec */
    const char *listen;      /* "HOST:PORT", "[V6]:PORT"; port 0 picks a free one */
    const char *cert_file;   /* PEM; with key_file serves HTTPS */
    const char *key_file;
    int threads;             /* workers (and database handles); 0 = 4 */
    int timeout_s;           /* idle connection timeout; 0 = 30 */
    long max_body;           /* request body limit; 0 = PROTO_MAX_BODY */
    int quiet;               /* no request log on stderr */
    const char *console_listen;  /* the console's own address; NULL = on this one */
    const char *console_dir;     /* the console's files */
} srv_config;

kc_err srv_start(const srv_config *cfg, srv **out, char *msg);
/* The port actually bound (for port 0). */
int srv_port(const srv *s);
/* The console address's port; 0 when the console shares the sync port. */
int srv_console_port(const srv *s);
void srv_stop(srv *s);

/* "HOST:PORT" or "[V6]:PORT" -> address, *v6 set for IPv6; opt names the option in
 * the message. */
struct sockaddr_storage;
kc_err srv_parse_listen(const char *spec, const char *opt, struct sockaddr_storage *sa,
                        int *v6, char *msg);
/* A PEM file of at most 1 MiB, NUL-terminated (kc_free it); NULL with msg set. */
char *srv_read_pem(const char *path, char *msg);

#endif
