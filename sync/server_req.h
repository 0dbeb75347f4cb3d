/*
 * server_req.h - the server's handle, a request and a connection as server.c,
 * server_routes.c (the sync paths) and server_reply.c (answers) share them.  Not for
 * other modules: they use server.h.  A request belongs to microhttpd's thread until it
 * is handed to a worker (stage S_WORK) and again once the worker resumed it (S_DONE).
 */
#ifndef SERVER_REQ_H
#define SERVER_REQ_H

#include <microhttpd.h>
#include <pthread.h>

#include "admin.h"
#include "proto.h"
#include "server.h"
#include "srvdb.h"
#include "srvlimit.h"
#include "srvwork.h"

struct srv {
    struct MHD_Daemon *d;
    srvlimit *lim;
    srvwork *work;
    srvdb **wdbs;    /* one per worker */
    srvdb **dbs;     /* token checks on microhttpd's threads: one each, never waited for */
    int ndb;
    int *free_idx;   /* stack of free handles */
    int nfree;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int locks_ok;
    int port;
    long max_body;
    int quiet;
    char *cert, *key;
    admin_srv *admin;   /* the console (admin.h) */
};

enum route { R_NONE, R_CATALOG, R_RESPONSES, R_HEARTBEAT, R_DOCS, R_CHANGES, R_HEALTH,
             R_SETTINGS };

enum stage { S_READ, S_WORK, S_DONE };

typedef struct req {
    srvwork_job job;     /* first: a job is its request */
    enum route route;
    void *console;      /* admin_handle's state for a console request */
    int is_console;
    long long device;
    proto_buf body;
    int too_big;
    int busy;            /* the body budget was full: body dropped, answered 503 */
    size_t reserved;     /* body budget held */
    enum stage stage;
    struct MHD_Connection *c;
    /* The answer a worker made, queued by microhttpd's thread once it resumed. */
    unsigned status;
    struct MHD_Response *resp;
} req;

/* Per connection (microhttpd's socket context). */
typedef struct conn {
    srvlimit_conn *lim;
    req *r;              /* the request being answered */
} conn;

/* --- answers (server_reply.c) ------------------------------------------------------ */

/* The connection's state (NULL: not kept, see connection() in server.c). */
conn *srv_conn_of(struct MHD_Connection *c);
/* Queues an answer (JSON when len > 0); on a worker it is kept for microhttpd's thread. */
enum MHD_Result srv_reply(struct MHD_Connection *c, unsigned status, const char *body,
                          size_t len);
/* An answer with a protocol error body carrying text. */
enum MHD_Result srv_reply_error(struct MHD_Connection *c, unsigned status, const char *text);
/* A storage failure: 503 when locked (retry), else 500 with the detail logged. */
enum MHD_Result srv_reply_db(srv *s, struct MHD_Connection *c, kc_err rc, srvdb *db);
/* A 4xx for input the protocol module refused. */
enum MHD_Result srv_reply_bad(struct MHD_Connection *c, kc_err rc, const char *msg);
/* A decimal in 0..max, digits only: 0 with *out set, else -1. */
int srv_parse_num(const char *s, long long max, long long *out);

/* --- the sync paths (server_routes.c), each on a worker with its database handle -- */

enum MHD_Result srv_do_catalog(srv *s, struct MHD_Connection *c, srvdb *db);
enum MHD_Result srv_do_responses(srv *s, struct MHD_Connection *c, req *r, srvdb *db);
enum MHD_Result srv_do_heartbeat(srv *s, struct MHD_Connection *c, req *r, srvdb *db);
enum MHD_Result srv_do_docs(srv *s, struct MHD_Connection *c, req *r, srvdb *db);
enum MHD_Result srv_do_changes(srv *s, struct MHD_Connection *c, req *r, srvdb *db);
enum MHD_Result srv_do_settings(srv *s, struct MHD_Connection *c, req *r, srvdb *db);

#endif
