/*
 * admin.h - the city console on kiosk-server: its JSON API under /v1/admin/
 * (docs/admin-api.md) and the console's files under /console/.
 *
 * An admin owns its own database handles and, with a console address of its own
 * (--console-listen), its own microhttpd daemon; without one the sync daemon hands it
 * the requests whose paths admin_owns() claims.  Every API request but login needs a
 * session cookie; every state-changing one also the session's CSRF token; every
 * endpoint is allowed to a fixed set of roles (one table in admin.c).
 *
 * Limits: console requests share the server's (srvlimit.h), whichever address they
 * arrive on: their bodies are held within the body budget (503 when it is full),
 * their connections count towards the connection limit and have the same header and
 * body deadlines, and their storage work runs on the console's own workers, never on
 * microhttpd's threads, so a flood of console requests waits in the console's queue
 * while kiosks' syncs are still read, answered and worked on.
 *
 * Threads: admin_handle may run on many threads at once; admin_start, admin_drain and
 * admin_stop on one.  Failure of admin_start leaves nothing running.
 */
#ifndef ADMIN_H
#define ADMIN_H

#include "kc.h"
#include "srcrun.h"
#include "srvdb_admin.h"
#include "srvlimit.h"

#include <microhttpd.h>
#include <stddef.h>

typedef struct admin_srv admin_srv;

typedef struct admin_config {
    const char *db;          /* srvdb spec */
    const char *listen;      /* console address "HOST:PORT"; NULL = on the sync port */
    const char *dir;         /* the console's files (index.html, node_modules/) */
    const char *cert_file;   /* PEM; with key_file the console address serves HTTPS */
    const char *key_file;
    int threads;             /* database handles (and console-address workers); 0 = 4 */
    int timeout_s;           /* idle connection timeout on the console address; 0 = 30 */
    int per_address;         /* connections per client address on the console address */
    int quiet;
    const char *sources;             /* the sources file (sync/srcrun.h); NULL: none */
    const srcrun_ops *source_ops;    /* NULL: no source imports from the console */
    srvlimit *lim;           /* the server's limits, shared (not owned; outlives admin) */
    const char *card_renderer;  /* kiosk-card, for the editor's preview; NULL: none */
    int card_timeout_s;         /* a preview's deadline; 0 = 10 */
    int live_streams;           /* live workshop screens open at once (admin_live.h) */
    int live_per_address;       /* of them from one address */
    int live_lifetime_s;        /* a live screen's stream ends after this */
    int exports;                /* exports open at once (admin_export.h); 0 = 8 */
} admin_config;

kc_err admin_start(const admin_config *cfg, admin_srv **out, char *msg);
/* Finishes the queued API requests and takes no more (they are answered 503): before
 * the sync daemon stops, since those requests hold its connections suspended. */
void admin_drain(admin_srv *a);
/* Stops the console address; every connection it had is closed before it returns. */
void admin_stop(admin_srv *a);
/* The console address's port, 0 when the console shares the sync port. */
int admin_port(const admin_srv *a);

/* 1 when the sync daemon should pass this request to admin_handle: the console's
 * paths, unless the console has an address of its own. */
int admin_owns(const admin_srv *a, const char *url);
/* A microhttpd access handler for one request; *state starts NULL and is freed by
 * admin_state_free when the request completes.  lc is the connection's srvlimit entry
 * (its headers deadline already started).  The daemon must allow suspend/resume. */
enum MHD_Result admin_handle(admin_srv *a, struct MHD_Connection *c, const char *url,
                             const char *method, const char *upload_data,
                             size_t *upload_size, void **state, srvlimit_conn *lc);
void admin_state_free(void *state);

/* Argon2id (libsodium, interactive limits) of a password of 10-1024 bytes; KC_EINVAL
 * naming "password" when it breaks those bounds. */
kc_err admin_password_hash(const char *password, char out[SRVDB_PWHASH_MAX + 1], char *msg);

/* `kiosk-server admin user-add|user-list ...` (argv[0] is the command). */
int admin_cli(int argc, char **argv, const char *dbspec);

#endif
