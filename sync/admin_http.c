/* admin_http.c - the console's requests within the server's limits: bodies held in the
 * shared body budget, deadlines from srvlimit on either address, API requests run on
 * the console's own workers while their connections wait suspended (admin.h). */
#include "admin_impl.h"
#include "server_impl.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Largest request body: a content file or survey/ballot upload (a 100 000-item
 * catalog is ~54 MB; never more than the body budget), and any other request. */
#define ADM_MAX_UPLOAD ((size_t)128 * 1024 * 1024)
#define ADM_MAX_BODY ((size_t)1024 * 1024)
/* Body budget taken at a time for a body without Content-Length. */
#define ADM_CHUNK_TAKE (64 * 1024)

enum adm_stage { ADM_READ, ADM_WORK, ADM_DONE };

typedef struct adm_state {
    srvwork_job job;            /* first: a job is its request */
    admin_srv *a;
    struct MHD_Connection *c;
    const char *url, *method;   /* microhttpd's, valid for the request */
    proto_buf body;
    size_t limit;
    size_t reserved;            /* body budget held */
    int too_big;
    int busy;                   /* the body budget was full: body dropped, answered 503 */
    enum adm_stage stage;
    /* The answer a worker made, queued by microhttpd's thread once it resumed. */
    unsigned status;
    struct MHD_Response *resp;
} adm_state;

/* Per connection on the console address (microhttpd's socket context). */
typedef struct adm_conn {
    srvlimit_conn *lim;
} adm_conn;

/* --- bodies, within the body budget ----------------------------------------------- */

static void body_end(adm_state *st)
{
    /* Bodies carry passwords and tally keys: wiped before the memory is reused. */
    if (st->body.p)
        sodium_memzero(st->body.p, st->body.len);
    proto_buf_free(&st->body);
    srvlimit_body_give(st->a->lim, st->reserved);
    st->reserved = 0;
}

/* Makes room for `need` bytes: 0, -1 when the budget is full (the body is dropped),
 * -2 out of memory. */
static int body_room(adm_state *st, size_t need)
{
    if (need <= st->reserved)
        return 0;
    size_t more = need - st->reserved;
    if (more < ADM_CHUNK_TAKE)
        more = ADM_CHUNK_TAKE;
    if (st->reserved + more > st->limit + 1)
        more = st->limit + 1 - st->reserved;
    if (srvlimit_body_take(st->a->lim, more)) {
        st->busy = 1;
        body_end(st);
        return -1;
    }
    st->reserved += more;
    char *p = kc_realloc(st->body.p, st->reserved);
    if (!p)
        return -2;
    st->body.p = p;
    st->body.cap = st->reserved;
    return 0;
}

static enum MHD_Result body_add(adm_state *st, const char *data, size_t *size)
{
    size_t n = *size;
    *size = 0;
    if (st->too_big || st->busy)
        return MHD_YES;  /* dropped: answered once it is all in */
    if (st->body.len + n > st->limit) {
        st->too_big = 1;
        body_end(st);
        return MHD_YES;
    }
    int rc = body_room(st, st->body.len + n + 1);
    if (rc == -1)
        return MHD_YES;
    if (rc)
        return MHD_NO;
    proto_buf_add(&st->body, data, n);
    return st->body.oom ? MHD_NO : MHD_YES;
}

/* --- the handler ------------------------------------------------------------------- */

int admin_owns(const admin_srv *a, const char *url)
{
    if (!a || a->d)
        return 0;
    return strcmp(url, "/") == 0 || strcmp(url, "/console") == 0 ||
           strncmp(url, "/console/", 9) == 0 || strncmp(url, "/v1/admin/", 10) == 0;
}

void admin_state_free(void *state)
{
    adm_state *st = state;
    if (!st)
        return;
    body_end(st);
    if (st->resp)
        MHD_destroy_response(st->resp);
    kc_free(st);
}

/* Runs on a console worker: everything that touches the database. */
static void work(void *ctx, srvwork_job *job, int worker)
{
    admin_srv *a = ctx;
    adm_state *st = (adm_state *)job;
    srvdb *db = a->dbs[worker];
    if (!db && srvdb_open(a->spec, &a->dbs[worker]) != KC_OK) {
        fprintf(stderr, "kiosk-server: console storage: %s\n", srvdb_errmsg(a->dbs[worker]));
        srvdb_close(a->dbs[worker]);
        a->dbs[worker] = NULL;
        st->status = MHD_HTTP_SERVICE_UNAVAILABLE;
        st->resp = adm_error_response(st->status, "server busy, retry later");
    } else {
        st->resp = adm_answer(a, a->dbs[worker], st->c, st->url, st->method,
                              st->body.p ? st->body.p : "", st->body.len, &st->status);
    }
    body_end(st);
    st->stage = ADM_DONE;
    MHD_resume_connection(st->c);
}

enum MHD_Result admin_handle(admin_srv *a, struct MHD_Connection *c, const char *url,
                             const char *method, const char *upload_data,
                             size_t *upload_size, void **state, srvlimit_conn *lc)
{
    adm_state *st = *state;
    if (!st) {
        if (!(st = kc_calloc(1, sizeof *st)))
            return MHD_NO;
        *state = st;
        st->a = a;
        st->c = c;
        st->url = url;
        st->method = method;
        st->limit = adm_is_upload(url) ? ADM_MAX_UPLOAD : ADM_MAX_BODY;
        if (st->limit >= srvlimit_body_budget(a->lim))
            st->limit = srvlimit_body_budget(a->lim) - 1;
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
        long long n = cl && strlen(cl) <= 12 ? atoll(cl) : -1;
        if (cl && (n < 0 || n > (long long)st->limit))
            return adm_send_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large");
        /* With a Content-Length the whole body is reserved before a byte is read. */
        if (n > 0) {
            int rc = body_room(st, (size_t)n + 1);
            if (rc == -1)
                return adm_send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
                                      "server busy, retry later");
            if (rc)
                return MHD_NO;
        }
        return MHD_YES;
    }
    if (st->stage == ADM_DONE) {
        /* Back from a worker: queue what it made (nothing: out of memory). */
        if (!st->resp)
            return MHD_NO;
        /* A live stream has a lifetime of its own (admin_live.h) instead of the
         * deadline for taking an answer. */
        const char *type = MHD_get_response_header(st->resp, MHD_HTTP_HEADER_CONTENT_TYPE);
        int stream = type && strcmp(type, LIVE_CONTENT_TYPE) == 0;
        enum MHD_Result ret = MHD_queue_response(c, st->status, st->resp);
        MHD_destroy_response(st->resp);
        st->resp = NULL;
        if (!stream)
            srvlimit_conn_replying(a->lim, lc);
        return ret;
    }
    if (*upload_size)
        return body_add(st, upload_data, upload_size);
    if (st->too_big) {
        body_end(st);
        return adm_send_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large");
    }
    if (st->busy) {
        body_end(st);
        return adm_send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "server busy, retry later");
    }
    if (strncmp(url, "/v1/admin/", 10) != 0) {
        body_end(st);
        srvlimit_conn_replying(a->lim, lc);
        return adm_files(a, c, url, method);
    }
    /* The request is in.  Suspend before queueing, so the worker's resume always
     * finds the connection suspended. */
    srvlimit_conn_answering(a->lim, lc);
    st->stage = ADM_WORK;
    MHD_suspend_connection(c);
    if (srvwork_push(a->work, &st->job)) {
        body_end(st);
        st->status = MHD_HTTP_SERVICE_UNAVAILABLE;
        st->resp = adm_error_response(st->status, "server stopping, retry later");
        st->stage = ADM_DONE;
        MHD_resume_connection(c);
    }
    return MHD_YES;
}

/* --- the console address ----------------------------------------------------------- */

static adm_conn *conn_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

static enum MHD_Result own_handle(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size,
                                  void **con_cls)
{
    admin_srv *a = cls;
    (void)version;
    adm_conn *k = conn_of(c);
    if (!k)
        return MHD_NO;  /* not kept (own_connection): already being closed */
    if (!*con_cls)
        srvlimit_conn_headers(a->lim, k->lim);
    return admin_handle(a, c, url, method, upload_data, upload_size, con_cls, k->lim);
}

static void own_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                          enum MHD_RequestTerminationCode toe)
{
    admin_srv *a = cls;
    (void)toe;
    adm_conn *k = conn_of(c);
    if (k)
        srvlimit_conn_idle(a->lim, k->lim);
    admin_state_free(*con_cls);
    *con_cls = NULL;
}

/* Every connection has a deadline from srvlimit and counts towards its limit, as on
 * the sync address. */
static void own_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                           enum MHD_ConnectionNotificationCode code)
{
    admin_srv *a = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        adm_conn *k = kc_calloc(1, sizeof *k);
        *socket_context = NULL;
        if (k && ci && (k->lim = srvlimit_conn_open(a->lim, ci->connect_fd))) {
            *socket_context = k;
            return;
        }
        kc_free(k);
        if (ci)
            shutdown(ci->connect_fd, SHUT_RDWR);
        return;
    }
    adm_conn *k = *socket_context;
    if (k) {
        srvlimit_conn_close(a->lim, k->lim);
        kc_free(k);
        *socket_context = NULL;
    }
}

/* --- start and stop ----------------------------------------------------------------- */

kc_err admin_start(const admin_config *cfg, admin_srv **out, char *msg)
{
    *out = NULL;
    if (!cfg->lim)
        return kc_fail(msg, KC_EUSAGE, "admin_start: no limits given");
    admin_srv *a = kc_calloc(1, sizeof *a);
    if (!a)
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    kc_err rc = KC_OK;
    a->lim = cfg->lim;
    a->ndb = cfg->threads > 0 ? cfg->threads : 4;
    a->quiet = cfg->quiet;
    if (sodium_init() < 0) {
        rc = kc_fail(msg, KC_ECRYPTO, "libsodium failed to start");
        goto fail;
    }
    a->dir = kc_strdup(cfg->dir ? cfg->dir : ".");
    atomic_init(&a->renders, 0);
    atomic_init(&a->exports, 0);
    atomic_init(&a->xlsx, 0);
    a->exports_max = cfg->exports > 0 ? cfg->exports : 8;
    a->card_timeout_s = cfg->card_timeout_s > 0 ? cfg->card_timeout_s : 10;
    if (cfg->card_renderer && !(a->card_renderer = kc_strdup(cfg->card_renderer))) {
        rc = kc_fail(msg, KC_ENOMEM, "out of memory");
        goto fail;
    }
    a->dbs = kc_calloc((size_t)a->ndb, sizeof *a->dbs);
    a->spec = kc_strdup(cfg->db);
    if (!a->dir || !a->dbs || !a->spec) {
        rc = kc_fail(msg, KC_ENOMEM, "out of memory");
        goto fail;
    }
    /* Handles are opened by each worker on first use: a kiosk-only server start (and
     * restart after a crash) costs nothing more; the sync side has checked the
     * database already. */
    if ((rc = srvwork_start(a->ndb, work, a, &a->work, msg)))
        goto fail;
    admin_live_config lc = { cfg->db, cfg->live_streams, cfg->live_per_address,
                             cfg->live_lifetime_s };
    if ((rc = admin_live_start(&lc, &a->live, msg)))
        goto fail;
    if (cfg->source_ops &&
        (rc = srcrun_open(cfg->sources, cfg->db, cfg->source_ops, &a->runs, msg)))
        goto fail;
    if (cfg->listen) {
        struct sockaddr_storage sa;
        int v6 = 0;
        if ((rc = srv_parse_listen(cfg->listen, &sa, &v6, msg))) {
            kc_fail(msg, rc, "--console-listen %s: expected HOST:PORT or [ADDRESS]:PORT",
                    cfg->listen);
            goto fail;
        }
        unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
                         MHD_ALLOW_SUSPEND_RESUME;
        if (v6)
            flags |= MHD_USE_IPv6;
        struct MHD_OptionItem tls[3] = { { MHD_OPTION_END, 0, NULL } };
        if (cfg->cert_file && cfg->key_file) {
            if (!(a->cert = srv_read_pem(cfg->cert_file, msg)) ||
                !(a->key = srv_read_pem(cfg->key_file, msg))) {
                rc = KC_EIO;
                goto fail;
            }
            flags |= MHD_USE_TLS;
            tls[0] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, a->cert };
            tls[1] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, a->key };
            tls[2] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
        }
        a->d = MHD_start_daemon(
            flags, 0, NULL, NULL, own_handle, a, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)a->ndb, MHD_OPTION_CONNECTION_TIMEOUT,
            (unsigned)(cfg->timeout_s > 0 ? cfg->timeout_s : 30), MHD_OPTION_CONNECTION_LIMIT,
            (unsigned)1000, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
            (unsigned)(cfg->per_address > 0 ? cfg->per_address : 32),
            MHD_OPTION_NOTIFY_CONNECTION, own_connection, a, MHD_OPTION_NOTIFY_COMPLETED,
            own_completed, a, MHD_OPTION_ARRAY, tls, MHD_OPTION_END);
        if (!a->d) {
            rc = kc_fail(msg, KC_EIO, "cannot listen on %s (address in use?)", cfg->listen);
            goto fail;
        }
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(a->d, MHD_DAEMON_INFO_BIND_PORT);
        a->port = info ? info->port : 0;
    }
    *out = a;
    return KC_OK;
fail:
    admin_drain(a);
    admin_stop(a);
    return rc;
}

int admin_port(const admin_srv *a)
{
    return a ? a->port : 0;
}

void admin_drain(admin_srv *a)
{
    if (!a)
        return;
    srvwork_drain(a->work);
    /* no stream may stay suspended when a daemon stops */
    admin_live_drain(a->live);
}

void admin_stop(admin_srv *a)
{
    if (!a)
        return;
    admin_drain(a);
    if (a->d)
        MHD_stop_daemon(a->d);
    srvwork_stop(a->work);
    admin_live_stop(a->live);
    srcrun_close(a->runs);
    for (int i = 0; a->dbs && i < a->ndb; i++)
        srvdb_close(a->dbs[i]);
    kc_free(a->dbs);
    kc_free(a->dir);
    kc_free(a->card_renderer);
    kc_free(a->spec);
    kc_free(a->cert);
    kc_free(a->key);
    kc_free(a);
}
