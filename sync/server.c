/* server.c - request handling of kiosk-server: routing, authentication, limits on
 * connections and bodies, the worker hand-off, start and stop.  The answers of the
 * sync paths are in server_routes.c, the reply helpers in server_reply.c. */
#include "server.h"
#include "admin.h"
#include "server_impl.h"
#include "server_req.h"
#include "proto.h"
#include "srvdb.h"
#include "srvlimit.h"
#include "srvwork.h"

#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

/* TLS 1.2 and 1.3 only: 1.0 and 1.1 are broken (RFC 8996). */
#define SRV_TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"
/* microhttpd's memory per connection (request line, headers, read buffer). */
#define SRV_CONN_MEMORY (16 * 1024)
/* JSON values and keys in one request body; a full batch of 1 000 rows leaves each
 * row 256, and the parse it allows costs at most 32 MiB (srvlimit_json_cost). */
#define SRV_JSON_UNITS_MAX (256L * 1024)
/* How long a worker waits for parse memory before answering 503. */
#define SRV_PARSE_WAIT_MS 5000
/* Estimated memory of JSON trees being parsed at once (srvlimit_json_cost): one
 * largest parse (32 MiB of values, three copies of an 8 MiB text) fits. */
#define SRV_PARSE_BUDGET ((size_t)64 * 1024 * 1024)
/* Body budget taken at a time for a body without Content-Length. */
#define SRV_CHUNK_TAKE (64 * 1024)

/* --- database handle pool ------------------------------------------------------ */

static int borrow(srv *s)
{
    pthread_mutex_lock(&s->mu);
    while (s->nfree == 0)
        pthread_cond_wait(&s->cv, &s->mu);
    int i = s->free_idx[--s->nfree];
    pthread_mutex_unlock(&s->mu);
    return i;
}

static void give_back(srv *s, int i)
{
    pthread_mutex_lock(&s->mu);
    s->free_idx[s->nfree++] = i;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

/* --- replies ------------------------------------------------------------------------ */


/* --- helpers ---------------------------------------------------------------------- */

static enum route route_of(const char *url)
{
    if (strcmp(url, PROTO_PATH_CATALOG) == 0)
        return R_CATALOG;
    if (strcmp(url, PROTO_PATH_RESPONSES) == 0)
        return R_RESPONSES;
    if (strcmp(url, PROTO_PATH_HEARTBEAT) == 0)
        return R_HEARTBEAT;
    if (strcmp(url, PROTO_PATH_DOCS) == 0)
        return R_DOCS;
    if (strcmp(url, PROTO_PATH_CHANGES) == 0)
        return R_CHANGES;
    if (strcmp(url, PROTO_PATH_HEALTH) == 0)
        return R_HEALTH;
    if (strcmp(url, PROTO_PATH_SETTINGS) == 0)
        return R_SETTINGS;
    return R_NONE;
}


/* 401/403 or 0 with r->device set. */
static unsigned authenticate(srv *s, struct MHD_Connection *c, req *r, const char **why)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h || strncasecmp(h, "Bearer ", 7) != 0) {
        *why = "missing device token (Authorization: Bearer TOKEN)";
        return MHD_HTTP_UNAUTHORIZED;
    }
    const char *tok = h + 7;
    while (*tok == ' ')
        tok++;
    unsigned char hash[SRVDB_HASH_LEN];
    if (srvdb_token_hash(tok, strlen(tok), hash)) {
        *why = "unknown device token";
        return MHD_HTTP_UNAUTHORIZED;
    }
    int i = borrow(s);
    srvdb_device dev;
    kc_err rc = srvdb_device_auth(s->dbs[i], hash, &dev);
    if (rc && rc != KC_ENOTFOUND)
        fprintf(stderr, "kiosk-server: storage: %s\n", srvdb_errmsg(s->dbs[i]));
    give_back(s, i);
    if (rc == KC_ENOTFOUND) {
        *why = "unknown device token";
        return MHD_HTTP_UNAUTHORIZED;
    }
    if (rc) {
        *why = rc == KC_EBUSY ? "server busy, retry later" : "storage error";
        return rc == KC_EBUSY ? MHD_HTTP_SERVICE_UNAVAILABLE : MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
    if (dev.revoked) {
        *why = "this device has been revoked";
        return MHD_HTTP_FORBIDDEN;
    }
    r->device = dev.id;
    return 0;
}


/* --- request bodies, held within the body budget -------------------------------- */

static void body_end(srv *s, req *r)
{
    proto_buf_free(&r->body);
    srvlimit_body_give(s->lim, r->reserved);
    r->reserved = 0;
}

/* Makes room for `need` bytes: the buffer never grows past what the budget granted,
 * so the budget counts what is really held. */
static int body_room(srv *s, req *r, size_t need)
{
    if (need <= r->reserved)
        return 0;
    size_t more = need - r->reserved;
    if (more < SRV_CHUNK_TAKE)
        more = SRV_CHUNK_TAKE;
    if (r->reserved + more > (size_t)s->max_body + 1)
        more = (size_t)s->max_body + 1 - r->reserved;
    if (srvlimit_body_take(s->lim, more)) {
        r->busy = 1;
        body_end(s, r);
        return -1;
    }
    r->reserved += more;
    char *p = kc_realloc(r->body.p, r->reserved);
    if (!p)
        return -2;
    r->body.p = p;
    r->body.cap = r->reserved;
    return 0;
}

/* With a Content-Length the whole body is reserved before a byte of it is read. */
static enum MHD_Result body_start(srv *s, struct MHD_Connection *c, req *r, size_t n)
{
    if (n == 0)
        return MHD_YES;
    int rc = body_room(s, r, n + 1);
    if (rc == -1)
        return srv_reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "server busy, retry later");
    return rc ? MHD_NO : MHD_YES;
}

static enum MHD_Result body_add(srv *s, req *r, const char *data, size_t *size)
{
    size_t n = *size;
    *size = 0;
    if (r->too_big || r->busy)
        return MHD_YES;  /* dropped: answered once it is all in */
    if (r->body.len + n > (size_t)s->max_body) {
        /* No Content-Length (chunked): refused once the limit is crossed. */
        r->too_big = 1;
        body_end(s, r);
        return MHD_YES;
    }
    int rc = body_room(s, r, r->body.len + n + 1);
    if (rc == -1)
        return MHD_YES;
    if (rc)
        return MHD_NO;
    proto_buf_add(&r->body, data, n);
    return r->body.oom ? MHD_NO : MHD_YES;
}

/* --- the handler ----------------------------------------------------------------------- */

static enum MHD_Result first_call(srv *s, struct MHD_Connection *c, const char *url,
                                  const char *method, req *r)
{
    r->route = route_of(url);
    if (r->route == R_NONE)
        return srv_reply_error(c, MHD_HTTP_NOT_FOUND, "no such path");
    int get = r->route == R_CATALOG || r->route == R_DOCS || r->route == R_CHANGES ||
              r->route == R_HEALTH || r->route == R_SETTINGS;
    if (strcmp(method, get ? "GET" : "POST") != 0)
        return srv_reply_error(c, MHD_HTTP_METHOD_NOT_ALLOWED,
                           get ? "use GET for this path" : "use POST for this path");
    /* Answered here, on microhttpd's thread, without the database: a monitor sees the
     * process answer whatever storage is doing. */
    if (r->route == R_HEALTH)
        return srv_reply(c, MHD_HTTP_OK, "{\"ok\":true}", 11);
    const char *why = "";
    unsigned st = authenticate(s, c, r, &why);
    if (st)
        return srv_reply_error(c, st, why);
    if (!get) {
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
        long long n;
        if (cl && (srv_parse_num(cl, 1LL << 62, &n) || n > s->max_body))
            return srv_reply_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large");
        return body_start(s, c, r, cl ? (size_t)n : 0);
    }
    return MHD_YES;
}

/* Runs on a worker: everything that touches the database. */
static void work(void *ctx, srvwork_job *job, int worker)
{
    srv *s = ctx;
    req *r = (req *)job;
    struct MHD_Connection *c = r->c;
    srvdb *db = s->wdbs[worker];
    size_t cost = 0;
    if (r->route == R_RESPONSES || r->route == R_HEARTBEAT) {
        size_t units;
        cost = srvlimit_json_cost(r->body.p, r->body.len, &units);
        if (units > SRV_JSON_UNITS_MAX) {
            srv_reply_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "request body has too many JSON "
                                                       "values");
            goto done;
        }
        if (srvlimit_parse_take(s->lim, cost, SRV_PARSE_WAIT_MS)) {
            srv_reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "server busy, retry later");
            goto done;
        }
    }
    switch (r->route) {
    case R_CATALOG:
        srv_do_catalog(s, c, db);
        break;
    case R_RESPONSES:
        srv_do_responses(s, c, r, db);
        break;
    case R_HEARTBEAT:
        srv_do_heartbeat(s, c, r, db);
        break;
    case R_DOCS:
        srv_do_docs(s, c, r, db);
        break;
    case R_CHANGES:
        srv_do_changes(s, c, r, db);
        break;
    case R_SETTINGS:
        srv_do_settings(s, c, r, db);
        break;
    default:
        srv_reply_error(c, MHD_HTTP_NOT_FOUND, "no such path");
        break;
    }
    if (cost)
        srvlimit_parse_give(s->lim, cost);
done:
    body_end(s, r);
    r->stage = S_DONE;
    MHD_resume_connection(c);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version,
                              const char *upload_data, size_t *upload_size, void **con_cls)
{
    srv *s = cls;
    req *r = *con_cls;
    (void)version;
    conn *k = srv_conn_of(c);
    if (!k)
        return MHD_NO;  /* not kept (connection()): already being closed */
    if (!r) {
        if (!(r = kc_calloc(1, sizeof *r)))
            return MHD_NO;
        *con_cls = r;
        r->c = c;
        k->r = r;
        srvlimit_conn_headers(s->lim, k->lim);
        r->is_console = admin_owns(s->admin, url);
        if (!r->is_console)
            return first_call(s, c, url, method, r);
    }
    /* The console's requests are answered on this thread (admin.h). */
    if (r->is_console)
        return admin_handle(s->admin, c, url, method, upload_data, upload_size, &r->console,
                            k->lim);
    if (r->stage == S_DONE) {
        /* Back from a worker: queue what it made (nothing: out of memory). */
        if (!r->resp)
            return MHD_NO;
        enum MHD_Result ret = MHD_queue_response(c, r->status, r->resp);
        MHD_destroy_response(r->resp);
        r->resp = NULL;
        srvlimit_conn_replying(s->lim, k->lim);
        return ret;
    }
    if (*upload_size)
        return body_add(s, r, upload_data, upload_size);
    if (r->too_big) {
        body_end(s, r);
        return srv_reply_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large");
    }
    if (r->busy) {
        body_end(s, r);
        return srv_reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "server busy, retry later");
    }
    /* The request is in.  Suspend before queueing, so the worker's resume always
     * finds the connection suspended. */
    srvlimit_conn_answering(s->lim, k->lim);
    r->stage = S_WORK;
    MHD_suspend_connection(c);
    if (srvwork_push(s->work, &r->job)) {
        /* Stopping: answer from here once resumed. */
        body_end(s, r);
        srv_reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "server stopping, retry later");
        r->stage = S_DONE;
        MHD_resume_connection(c);
    }
    return MHD_YES;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    srv *s = cls;
    req *r = *con_cls;
    (void)toe;
    conn *k = srv_conn_of(c);
    if (k) {
        k->r = NULL;
        srvlimit_conn_idle(s->lim, k->lim);
    }
    if (r) {
        admin_state_free(r->console);
        body_end(s, r);
        if (r->resp)
            MHD_destroy_response(r->resp);
        kc_free(r);
        *con_cls = NULL;
    }
}

static void connection(void *cls, struct MHD_Connection *c, void **socket_context,
                       enum MHD_ConnectionNotificationCode code)
{
    srv *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        conn *k = kc_calloc(1, sizeof *k);
        *socket_context = NULL;
        if (k && ci && (k->lim = srvlimit_conn_open(s->lim, ci->connect_fd))) {
            *socket_context = k;
            return;
        }
        /* A connection without a deadline is not kept. */
        kc_free(k);
        if (ci)
            shutdown(ci->connect_fd, SHUT_RDWR);
        return;
    }
    conn *k = *socket_context;
    if (k) {
        srvlimit_conn_close(s->lim, k->lim);
        kc_free(k);
        *socket_context = NULL;
    }
}

/* --- start and stop ---------------------------------------------------------------------- */

kc_err srv_start(const srv_config *cfg, srv **out, char *msg)
{
    *out = NULL;
    srv *s = kc_calloc(1, sizeof *s);
    if (!s)
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    kc_err rc = KC_OK;
    s->ndb = cfg->threads > 0 ? cfg->threads : 4;
    s->max_body = cfg->max_body > 0 ? cfg->max_body : PROTO_MAX_BODY;
    s->quiet = cfg->quiet;
    int max_conns = cfg->max_connections > 0 ? cfg->max_connections : 1000;
    srvlimit_config lc = {
        cfg->header_timeout_s > 0 ? cfg->header_timeout_s : 10,
        cfg->body_timeout_s > 0 ? cfg->body_timeout_s : 60,
        max_conns,
        (size_t)(cfg->body_budget > 0 ? cfg->body_budget : 32L * 1024 * 1024),
        SRV_PARSE_BUDGET,
    };
    if ((size_t)s->max_body + 1 > lc.body_budget) {
        rc = kc_fail(msg, KC_EUSAGE, "the body budget is smaller than one largest body");
        goto fail;
    }
    if (pthread_mutex_init(&s->mu, NULL) || pthread_cond_init(&s->cv, NULL)) {
        rc = kc_fail(msg, KC_ENOMEM, "cannot create locks");
        goto fail;
    }
    s->locks_ok = 1;
    s->dbs = kc_calloc((size_t)s->ndb, sizeof *s->dbs);
    s->wdbs = kc_calloc((size_t)s->ndb, sizeof *s->wdbs);
    s->free_idx = kc_calloc((size_t)s->ndb, sizeof *s->free_idx);
    if (!s->dbs || !s->wdbs || !s->free_idx) {
        rc = kc_fail(msg, KC_ENOMEM, "out of memory");
        goto fail;
    }
    for (int i = 0; i < s->ndb; i++) {
        if ((rc = srvdb_open(cfg->db, &s->dbs[i])) || (rc = srvdb_open(cfg->db, &s->wdbs[i]))) {
            kc_fail(msg, rc, "%s", srvdb_errmsg(s->wdbs[i] ? s->wdbs[i] : s->dbs[i]));
            goto fail;
        }
        s->free_idx[s->nfree++] = i;
    }
    struct sockaddr_storage sa;
    int v6 = 0;
    if ((rc = srv_parse_listen(cfg->listen ? cfg->listen : "127.0.0.1:8080", &sa, &v6, msg)))
        goto fail;
    if ((rc = srvlimit_start(&lc, &s->lim, msg)) ||
        (rc = srvwork_start(s->ndb, work, s, &s->work, msg)))
        goto fail;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_ALLOW_SUSPEND_RESUME;
    if (v6)
        flags |= MHD_USE_IPv6;
    struct MHD_OptionItem tls[4] = { { MHD_OPTION_END, 0, NULL } };
    if (cfg->cert_file || cfg->key_file) {
        if (!cfg->cert_file || !cfg->key_file) {
            rc = kc_fail(msg, KC_EUSAGE, "--cert and --key go together");
            goto fail;
        }
        if (!(s->cert = srv_read_pem(cfg->cert_file, msg)) ||
            !(s->key = srv_read_pem(cfg->key_file, msg))) {
            rc = KC_EIO;
            goto fail;
        }
        flags |= MHD_USE_TLS;
        tls[0] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, s->cert };
        tls[1] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, s->key };
        tls[2] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_PRIORITIES, 0,
                                          (void *)SRV_TLS_PRIORITIES };
        tls[3] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
    }
    /* srvlimit keeps max_conns and cuts the oldest waiting for headers to admit a new
     * one; microhttpd's own limit leaves room for those cut but not yet closed, so it
     * keeps accepting (at its limit it stops, and new clients wait in the backlog). */
    s->d = MHD_start_daemon(
        flags, 0, NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->ndb, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)(cfg->timeout_s > 0 ? cfg->timeout_s : 30), MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)(max_conns + max_conns / 2 + 16),
        MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)(cfg->per_address > 0 ? cfg->per_address : 32),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SRV_CONN_MEMORY,
        MHD_OPTION_NOTIFY_CONNECTION, connection, s, MHD_OPTION_NOTIFY_COMPLETED, completed,
        s, MHD_OPTION_ARRAY, tls, MHD_OPTION_END);
    if (!s->d) {
        rc = kc_fail(msg, KC_EIO, "cannot listen on %s (address in use, or TLS files bad?)",
                     cfg->listen ? cfg->listen : "127.0.0.1:8080");
        goto fail;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    admin_config ac = { .db = cfg->db, .listen = cfg->console_listen, .dir = cfg->console_dir,
                        .cert_file = cfg->cert_file, .key_file = cfg->key_file,
                        .threads = s->ndb, .timeout_s = cfg->timeout_s,
                        .per_address = cfg->per_address, .quiet = cfg->quiet,
                        .sources = cfg->sources, .source_ops = cfg->source_ops,
                        .lim = s->lim, .card_renderer = cfg->card_renderer,
                        .card_timeout_s = cfg->card_timeout_s,
                        .live_streams = cfg->live_streams,
                        .live_per_address = cfg->live_per_address,
                        .live_lifetime_s = cfg->live_lifetime_s,
                        .exports = cfg->exports };
    if ((rc = admin_start(&ac, &s->admin, msg)))
        goto fail;
    *out = s;
    return KC_OK;
fail:
    srv_stop(s);
    return rc;
}

int srv_port(const srv *s)
{
    return s->port;
}

int srv_console_port(const srv *s)
{
    return admin_port(s->admin);
}

void srv_stop(srv *s)
{
    if (!s)
        return;
    /* Workers first: they finish what is queued and resume those connections, so
     * microhttpd is never stopped with a connection suspended. */
    srvwork_drain(s->work);
    admin_drain(s->admin);
    if (s->d)
        MHD_stop_daemon(s->d);
    srvwork_stop(s->work);
    /* The console's address closes its connections before the limits they count in. */
    admin_stop(s->admin);
    srvlimit_stop(s->lim);
    for (int i = 0; s->dbs && i < s->ndb; i++)
        srvdb_close(s->dbs[i]);
    for (int i = 0; s->wdbs && i < s->ndb; i++)
        srvdb_close(s->wdbs[i]);
    kc_free(s->dbs);
    kc_free(s->wdbs);
    kc_free(s->free_idx);
    if (s->locks_ok) {
        pthread_mutex_destroy(&s->mu);
        pthread_cond_destroy(&s->cv);
    }
    kc_free(s->cert);
    kc_free(s->key);
    kc_free(s);
}
