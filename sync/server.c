/* server.c - request handling of kiosk-server: routing, authentication, limits. */
#include "server.h"
#include "admin.h"
#include "server_impl.h"
#include "proto.h"
#include "srvdb.h"
#include "srvdb_target.h"
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

static conn *conn_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

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

/* On a worker the answer is kept for microhttpd's thread: only it may queue a
 * response without racing the connection's own state machine. */
static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *body,
                             size_t len)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    if (len)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "2");
    conn *k = conn_of(c);
    if (k && k->r && k->r->stage == S_WORK) {
        if (k->r->resp)
            MHD_destroy_response(k->r->resp);
        k->r->resp = r;
        k->r->status = status;
        return MHD_YES;
    }
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result reply_error(struct MHD_Connection *c, unsigned status,
                                   const char *text)
{
    proto_buf b = { 0 };
    if (proto_error_write(text, &b))
        return reply(c, status, "", 0);
    enum MHD_Result ret = reply(c, status, b.p, b.len);
    proto_buf_free(&b);
    return ret;
}

/* Maps a storage failure to 503 (locked: retry) or 500, logging the detail here
 * rather than handing database text to the client. */
static enum MHD_Result reply_db(srv *s, struct MHD_Connection *c, kc_err rc, srvdb *db)
{
    if (rc == KC_EBUSY)
        return reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "server busy, retry later");
    fprintf(stderr, "kiosk-server: storage: %s\n", srvdb_errmsg(db));
    (void)s;
    return reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "storage error");
}

/* A 4xx for input the protocol module refused. */
static enum MHD_Result reply_bad(struct MHD_Connection *c, kc_err rc, const char *msg)
{
    return reply_error(c, rc == KC_ETOOBIG ? MHD_HTTP_CONTENT_TOO_LARGE : MHD_HTTP_BAD_REQUEST,
                       msg);
}

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

/* A decimal in 0..max, digits only. */
static int parse_num(const char *s, long long max, long long *out)
{
    long long v = 0;
    if (!s || !*s || strlen(s) > 18)
        return -1;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (*p - '0');
    }
    if (v > max)
        return -1;
    *out = v;
    return 0;
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

/* --- catalog ------------------------------------------------------------------------ */

typedef struct page_ctx {
    proto_buf b;
    long n;
} page_ctx;

static kc_err page_item(void *ctx, const char *id, int kind, long long rev, int deleted,
                        const char *body)
{
    page_ctx *pc = ctx;
    const char *k = kind >= 0 && kind < CAT_NKIND ? cat_kind_name((cat_kind)kind) : "";
    proto_page_item(&pc->b, id, k, rev, deleted ? NULL : body);
    pc->n++;
    return pc->b.oom ? KC_ENOMEM : KC_OK;
}

static kc_err page_area(void *ctx, const char *id, const char *body)
{
    proto_buf *b = ctx;
    (void)id;
    proto_page_area(b, body);
    return b->oom ? KC_ENOMEM : KC_OK;
}

static enum MHD_Result do_catalog(srv *s, struct MHD_Connection *c, srvdb *db)
{
    long long since = 0, limit = PROTO_PAGE_DEFAULT;
    const char *a_since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
    const char *a_limit = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
    const char *a_areas = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "areas");
    if (a_since && parse_num(a_since, 1LL << 62, &since))
        return reply_error(c, MHD_HTTP_BAD_REQUEST, "\"since\" must be a revision number");
    if (a_limit && (parse_num(a_limit, PROTO_PAGE_MAX, &limit) || limit < 1))
        return reply_error(c, MHD_HTTP_BAD_REQUEST, "\"limit\" must be 1-5000");
    if (a_areas && strlen(a_areas) > PROTO_DIGEST_HEX)
        return reply_error(c, MHD_HTTP_BAD_REQUEST, "\"areas\" is not a digest");
    char digest[PROTO_DIGEST_HEX + 1];
    long long head, last;
    page_ctx pc = { { 0 }, 0 };
    proto_buf *b = &pc.b;
    kc_err rc = srvdb_read_begin(db);
    if (rc)
        return reply_db(s, c, rc, db);
    enum MHD_Result ret;
    if ((rc = srvdb_catalog_head(db, &head)) || (rc = srvdb_areas_digest(db, digest)))
        goto dbfail;
    if (since > head) {
        srvdb_read_end(db);
        return reply_error(c, MHD_HTTP_CONFLICT,
                           "the kiosk has a newer catalog revision than the server");
    }
    int areas_same = a_areas && strcmp(a_areas, digest) == 0;
    if (since == head && areas_same) {
        srvdb_read_end(db);
        return reply(c, MHD_HTTP_NO_CONTENT, "", 0);
    }
    proto_page_start(b, head);
    if ((rc = srvdb_catalog_changes(db, since, (long)limit, page_item, &pc, &last)))
        goto dbfail;
    /* Fewer rows than asked for means the feed is exhausted up to head. */
    int more = pc.n == limit && last < head;
    if (!areas_same) {
        proto_page_areas_start(b, digest);
        if ((rc = srvdb_areas_each(db, page_area, b)))
            goto dbfail;
    }
    srvdb_read_end(db);
    if (proto_page_end(b, more ? last : head, more))
        return reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    ret = reply(c, MHD_HTTP_OK, b->p, b->len);
    proto_buf_free(b);
    return ret;
dbfail:
    srvdb_read_end(db);
    proto_buf_free(b);
    if (rc == KC_ENOMEM)
        return reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    return reply_db(s, c, rc, db);
}

/* --- uploads ------------------------------------------------------------------------- */

/* Rows the server refuses are answered for one by one (docs/protocol.md); only a
 * body that is not a batch at all is refused whole. */
static enum MHD_Result do_responses(srv *s, struct MHD_Connection *c, req *r, srvdb *db)
{
    char msg[KC_MSGMAX];
    proto_batch batch;
    kc_err rc = proto_batch_read(r->body.p, r->body.len, &batch, msg);
    if (rc == KC_ENOMEM)
        return reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    if (rc)
        return reply_bad(c, rc, msg);
    proto_ack ack;
    rc = srvdb_store_batch(db, r->device, &batch, &ack);
    enum MHD_Result ret;
    if (rc == KC_ENOMEM) {
        ret = reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    } else if (rc) {
        ret = reply_db(s, c, rc, db);
    } else {
        proto_buf b = { 0 };
        if (proto_ack_write(&ack, &b))
            ret = reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        else
            ret = reply(c, MHD_HTTP_OK, b.p, b.len);
        proto_buf_free(&b);
        /* No device next to counts: with ballots in the batch that would say which
         * kiosk sent how many ballots when (docs/voting.md). */
        if (!s->quiet)
            fprintf(stderr, "kiosk-server: a push stored %lld new rows, %zu refused\n",
                    ack.stored, ack.nrefused);
    }
    proto_ack_free(&ack);
    proto_batch_free(&batch);
    return ret;
}

static enum MHD_Result do_heartbeat(srv *s, struct MHD_Connection *c, req *r, srvdb *db)
{
    char msg[KC_MSGMAX];
    proto_heartbeat hb;
    kc_err rc = proto_heartbeat_read(r->body.p, r->body.len, &hb, msg);
    if (rc == KC_ENOMEM)
        return reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    if (rc)
        return reply_bad(c, rc, msg);
    if ((rc = srvdb_heartbeat(db, r->device, &hb, (long long)time(NULL))))
        return reply_db(s, c, rc, db);
    return reply(c, MHD_HTTP_NO_CONTENT, "", 0);
}

static kc_err docs_item(void *ctx, const char *id, long long version, long long rev,
                        const char *body)
{
    page_ctx *pc = ctx;
    proto_docs_item(&pc->b, id, version, rev, body);
    pc->n++;
    return pc->b.oom ? KC_ENOMEM : KC_OK;
}

/* Surveys and ballots: one feed per type, paged by revision like the catalog. */
static enum MHD_Result do_docs(srv *s, struct MHD_Connection *c, req *r, srvdb *db)
{
    long long since = 0, limit = PROTO_PAGE_DEFAULT, head = 0, last = 0;
    const char *type = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "type");
    const char *a_since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
    const char *a_limit = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
    if (!type || !proto_valid_doctype(type))
        return reply_error(c, MHD_HTTP_BAD_REQUEST, "\"type\" must be survey, ballot, "
                                                    "ballot-codes or ballot-used");
    if (a_since && parse_num(a_since, 1LL << 62, &since))
        return reply_error(c, MHD_HTTP_BAD_REQUEST, "\"since\" must be a revision number");
    if (a_limit && (parse_num(a_limit, PROTO_PAGE_MAX, &limit) || limit < 1))
        return reply_error(c, MHD_HTTP_BAD_REQUEST, "\"limit\" must be 1-5000");
    page_ctx pc = { { 0 }, 0 };
    kc_err rc = srvdb_read_begin(db);
    if (rc)
        return reply_db(s, c, rc, db);
    if ((rc = srvdb_docs_head(db, type, &head)))
        goto dbfail;
    if (since > head) {
        srvdb_read_end(db);
        return reply_error(c, MHD_HTTP_CONFLICT,
                           "the kiosk has a newer document revision than the server");
    }
    if (since == head) {
        srvdb_read_end(db);
        return reply(c, MHD_HTTP_NO_CONTENT, "", 0);
    }
    proto_page_start(&pc.b, head);
    /* Only what this kiosk shows (srvdb_target.h); last moves past the rest. */
    if ((rc = srvdb_docs_changes_for(db, type, r->device, since, (long)limit,
                                     PROTO_DOCS_PAGE_BYTES, docs_item, &pc, &last)))
        goto dbfail;
    srvdb_read_end(db);
    int more = last < head;
    if (proto_page_end(&pc.b, more ? last : head, more))
        return reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    enum MHD_Result ret = reply(c, MHD_HTTP_OK, pc.b.p, pc.b.len);
    proto_buf_free(&pc.b);
    return ret;
dbfail:
    srvdb_read_end(db);
    proto_buf_free(&pc.b);
    if (rc == KC_ENOMEM)
        return reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    return reply_db(s, c, rc, db);
}

/* The change check: one snapshot, every feed the kiosk names compared with its
 * revision, so an unchanged kiosk costs this one request.  Parameters it does not
 * know are ignored (a newer kiosk may follow a feed this server lacks). */
static enum MHD_Result do_changes(srv *s, struct MHD_Connection *c, req *r, srvdb *db)
{
    long long since[PROTO_NFEEDS], head;
    int asked[PROTO_NFEEDS], nasked = 0;
    char err[128], digest[PROTO_DIGEST_HEX + 1];
    for (int i = 0; i < PROTO_NFEEDS; i++) {
        const char *name = proto_feed_name(i);
        const char *a = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
        asked[i] = a != NULL;
        since[i] = 0;
        if (a && parse_num(a, 1LL << 62, &since[i])) {
            snprintf(err, sizeof err, "\"%s\" must be a revision number", name);
            return reply_error(c, MHD_HTTP_BAD_REQUEST, err);
        }
        nasked += asked[i];
    }
    const char *a_areas = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "areas");
    if (a_areas && *a_areas && !proto_valid_digest(a_areas))
        return reply_error(c, MHD_HTTP_BAD_REQUEST, "\"areas\" is not a digest");
    if (a_areas && !asked[PROTO_FEED_CAT])
        return reply_error(c, MHD_HTTP_BAD_REQUEST, "\"areas\" goes with \"catalog\"");
    if (!nasked)
        return reply_error(c, MHD_HTTP_BAD_REQUEST, "name at least one feed: catalog, "
                                                    "survey, ballot, ballot-codes, "
                                                    "ballot-used or settings");
    proto_changes ch;
    memset(&ch, 0, sizeof ch);
    kc_err rc = srvdb_read_begin(db);
    if (rc)
        return reply_db(s, c, rc, db);
    int nchanged = 0;
    for (int i = 0; i < PROTO_NFEEDS; i++) {
        if (!asked[i])
            continue;
        if (i == PROTO_FEED_SETTINGS) {
            /* a tag, not a revision: only equality counts, never 409 */
            char *text = NULL;
            if ((rc = srvdb_kiosk_feed(db, r->device, &text, &head))) {
                srvdb_read_end(db);
                return reply_db(s, c, rc, db);
            }
            kc_free(text);
            ch.changed[i] = since[i] != head;
            ch.head[i] = head;
            nchanged += ch.changed[i];
            continue;
        }
        if (i == PROTO_FEED_CAT)
            rc = srvdb_catalog_head(db, &head);
        else
            rc = srvdb_docs_head(db, proto_feed_name(i), &head);
        if (!rc && i == PROTO_FEED_CAT)
            rc = srvdb_areas_digest(db, digest);
        if (rc) {
            srvdb_read_end(db);
            return reply_db(s, c, rc, db);
        }
        if (since[i] > head) {
            srvdb_read_end(db);
            snprintf(err, sizeof err, "the kiosk has a newer %s revision than the server",
                     proto_feed_name(i));
            return reply_error(c, MHD_HTTP_CONFLICT, err);
        }
        ch.changed[i] = since[i] < head ||
                        (i == PROTO_FEED_CAT && (!a_areas || strcmp(a_areas, digest) != 0));
        ch.head[i] = head;
        nchanged += ch.changed[i];
    }
    srvdb_read_end(db);
    if (!nchanged)
        return reply(c, MHD_HTTP_NO_CONTENT, "", 0);
    proto_buf b = { 0 };
    if (proto_changes_write(&ch, &b))
        return reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    enum MHD_Result ret = reply(c, MHD_HTTP_OK, b.p, b.len);
    proto_buf_free(&b);
    return ret;
}

/* The kiosk's own settings with the lists of what it shows (srvdb_target.h), and
 * their tag; `?tag=N` equal to the current one answers 204. */
static enum MHD_Result do_settings(srv *s, struct MHD_Connection *c, req *r, srvdb *db)
{
    long long have = 0, tag = 0;
    const char *a_tag = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "tag");
    if (a_tag && parse_num(a_tag, 1LL << 62, &have))
        return reply_error(c, MHD_HTTP_BAD_REQUEST, "\"tag\" must be a settings tag");
    char *text = NULL;
    kc_err rc = srvdb_kiosk_feed(db, r->device, &text, &tag);
    if (rc)
        return reply_db(s, c, rc, db);
    if (a_tag && have == tag) {
        kc_free(text);
        return reply(c, MHD_HTTP_NO_CONTENT, "", 0);
    }
    proto_buf b = { 0 };
    proto_buf_printf(&b, "{\"tag\":%lld,\"settings\":", tag);
    proto_buf_str(&b, text);
    proto_buf_str(&b, "}");
    kc_free(text);
    if (b.oom)
        return reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    enum MHD_Result ret = reply(c, MHD_HTTP_OK, b.p, b.len);
    proto_buf_free(&b);
    return ret;
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
        return reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "server busy, retry later");
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
        return reply_error(c, MHD_HTTP_NOT_FOUND, "no such path");
    int get = r->route == R_CATALOG || r->route == R_DOCS || r->route == R_CHANGES ||
              r->route == R_HEALTH || r->route == R_SETTINGS;
    if (strcmp(method, get ? "GET" : "POST") != 0)
        return reply_error(c, MHD_HTTP_METHOD_NOT_ALLOWED,
                           get ? "use GET for this path" : "use POST for this path");
    /* Answered here, on microhttpd's thread, without the database: a monitor sees the
     * process answer whatever storage is doing. */
    if (r->route == R_HEALTH)
        return reply(c, MHD_HTTP_OK, "{\"ok\":true}", 11);
    const char *why = "";
    unsigned st = authenticate(s, c, r, &why);
    if (st)
        return reply_error(c, st, why);
    if (!get) {
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
        long long n;
        if (cl && (parse_num(cl, 1LL << 62, &n) || n > s->max_body))
            return reply_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large");
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
            reply_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "request body has too many JSON "
                                                       "values");
            goto done;
        }
        if (srvlimit_parse_take(s->lim, cost, SRV_PARSE_WAIT_MS)) {
            reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "server busy, retry later");
            goto done;
        }
    }
    switch (r->route) {
    case R_CATALOG:
        do_catalog(s, c, db);
        break;
    case R_RESPONSES:
        do_responses(s, c, r, db);
        break;
    case R_HEARTBEAT:
        do_heartbeat(s, c, r, db);
        break;
    case R_DOCS:
        do_docs(s, c, r, db);
        break;
    case R_CHANGES:
        do_changes(s, c, r, db);
        break;
    case R_SETTINGS:
        do_settings(s, c, r, db);
        break;
    default:
        reply_error(c, MHD_HTTP_NOT_FOUND, "no such path");
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
    conn *k = conn_of(c);
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
        return reply_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large");
    }
    if (r->busy) {
        body_end(s, r);
        return reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "server busy, retry later");
    }
    /* The request is in.  Suspend before queueing, so the worker's resume always
     * finds the connection suspended. */
    srvlimit_conn_answering(s->lim, k->lim);
    r->stage = S_WORK;
    MHD_suspend_connection(c);
    if (srvwork_push(s->work, &r->job)) {
        /* Stopping: answer from here once resumed. */
        body_end(s, r);
        reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "server stopping, retry later");
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
    conn *k = conn_of(c);
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
                        .live_lifetime_s = cfg->live_lifetime_s };
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
