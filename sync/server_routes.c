/* server_routes.c - the sync protocol's paths (docs/protocol.md), one function each:
 * the catalog feed, uploads of responses and heartbeats, the document feeds, the
 * change check and the kiosk's settings.  Each runs on a worker (server.c). */
#include "server_req.h"
#include "srvdb_target.h"

#include <stdio.h>
#include <string.h>

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

enum MHD_Result srv_do_catalog(srv *s, struct MHD_Connection *c, srvdb *db)
{
    long long since = 0, limit = PROTO_PAGE_DEFAULT;
    const char *a_since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
    const char *a_limit = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
    const char *a_areas = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "areas");
    if (a_since && srv_parse_num(a_since, 1LL << 62, &since))
        return srv_reply_error(c, MHD_HTTP_BAD_REQUEST, "\"since\" must be a revision number");
    if (a_limit && (srv_parse_num(a_limit, PROTO_PAGE_MAX, &limit) || limit < 1))
        return srv_reply_error(c, MHD_HTTP_BAD_REQUEST, "\"limit\" must be 1-5000");
    if (a_areas && strlen(a_areas) > PROTO_DIGEST_HEX)
        return srv_reply_error(c, MHD_HTTP_BAD_REQUEST, "\"areas\" is not a digest");
    char digest[PROTO_DIGEST_HEX + 1];
    long long head, last;
    page_ctx pc = { { 0 }, 0 };
    proto_buf *b = &pc.b;
    kc_err rc = srvdb_read_begin(db);
    if (rc)
        return srv_reply_db(s, c, rc, db);
    enum MHD_Result ret;
    if ((rc = srvdb_catalog_head(db, &head)) || (rc = srvdb_areas_digest(db, digest)))
        goto dbfail;
    if (since > head) {
        srvdb_read_end(db);
        return srv_reply_error(c, MHD_HTTP_CONFLICT,
                           "the kiosk has a newer catalog revision than the server");
    }
    int areas_same = a_areas && strcmp(a_areas, digest) == 0;
    if (since == head && areas_same) {
        srvdb_read_end(db);
        return srv_reply(c, MHD_HTTP_NO_CONTENT, "", 0);
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
        return srv_reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    ret = srv_reply(c, MHD_HTTP_OK, b->p, b->len);
    proto_buf_free(b);
    return ret;
dbfail:
    srvdb_read_end(db);
    proto_buf_free(b);
    if (rc == KC_ENOMEM)
        return srv_reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    return srv_reply_db(s, c, rc, db);
}

/* --- uploads ------------------------------------------------------------------------- */

/* Rows the server refuses are answered for one by one (docs/protocol.md); only a
 * body that is not a batch at all is refused whole. */
enum MHD_Result srv_do_responses(srv *s, struct MHD_Connection *c, req *r, srvdb *db)
{
    char msg[KC_MSGMAX];
    proto_batch batch;
    kc_err rc = proto_batch_read(r->body.p, r->body.len, &batch, msg);
    if (rc == KC_ENOMEM)
        return srv_reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    if (rc)
        return srv_reply_bad(c, rc, msg);
    proto_ack ack;
    rc = srvdb_store_batch(db, r->device, &batch, &ack);
    enum MHD_Result ret;
    if (rc == KC_ENOMEM) {
        ret = srv_reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    } else if (rc) {
        ret = srv_reply_db(s, c, rc, db);
    } else {
        proto_buf b = { 0 };
        if (proto_ack_write(&ack, &b))
            ret = srv_reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        else
            ret = srv_reply(c, MHD_HTTP_OK, b.p, b.len);
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

enum MHD_Result srv_do_heartbeat(srv *s, struct MHD_Connection *c, req *r, srvdb *db)
{
    char msg[KC_MSGMAX];
    proto_heartbeat hb;
    kc_err rc = proto_heartbeat_read(r->body.p, r->body.len, &hb, msg);
    if (rc == KC_ENOMEM)
        return srv_reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    if (rc)
        return srv_reply_bad(c, rc, msg);
    if ((rc = srvdb_heartbeat(db, r->device, &hb, (long long)time(NULL))))
        return srv_reply_db(s, c, rc, db);
    return srv_reply(c, MHD_HTTP_NO_CONTENT, "", 0);
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
enum MHD_Result srv_do_docs(srv *s, struct MHD_Connection *c, req *r, srvdb *db)
{
    long long since = 0, limit = PROTO_PAGE_DEFAULT, head = 0, last = 0;
    const char *type = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "type");
    const char *a_since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
    const char *a_limit = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
    if (!type || !proto_valid_doctype(type))
        return srv_reply_error(c, MHD_HTTP_BAD_REQUEST, "\"type\" must be survey, ballot, "
                                                    "ballot-codes or ballot-used");
    if (a_since && srv_parse_num(a_since, 1LL << 62, &since))
        return srv_reply_error(c, MHD_HTTP_BAD_REQUEST, "\"since\" must be a revision number");
    if (a_limit && (srv_parse_num(a_limit, PROTO_PAGE_MAX, &limit) || limit < 1))
        return srv_reply_error(c, MHD_HTTP_BAD_REQUEST, "\"limit\" must be 1-5000");
    page_ctx pc = { { 0 }, 0 };
    kc_err rc = srvdb_read_begin(db);
    if (rc)
        return srv_reply_db(s, c, rc, db);
    if ((rc = srvdb_docs_head(db, type, &head)))
        goto dbfail;
    if (since > head) {
        srvdb_read_end(db);
        return srv_reply_error(c, MHD_HTTP_CONFLICT,
                           "the kiosk has a newer document revision than the server");
    }
    if (since == head) {
        srvdb_read_end(db);
        return srv_reply(c, MHD_HTTP_NO_CONTENT, "", 0);
    }
    proto_page_start(&pc.b, head);
    /* Only what this kiosk shows (srvdb_target.h); last moves past the rest. */
    if ((rc = srvdb_docs_changes_for(db, type, r->device, since, (long)limit,
                                     PROTO_DOCS_PAGE_BYTES, docs_item, &pc, &last)))
        goto dbfail;
    srvdb_read_end(db);
    int more = last < head;
    if (proto_page_end(&pc.b, more ? last : head, more))
        return srv_reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    enum MHD_Result ret = srv_reply(c, MHD_HTTP_OK, pc.b.p, pc.b.len);
    proto_buf_free(&pc.b);
    return ret;
dbfail:
    srvdb_read_end(db);
    proto_buf_free(&pc.b);
    if (rc == KC_ENOMEM)
        return srv_reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    return srv_reply_db(s, c, rc, db);
}

/* The change check: one snapshot, every feed the kiosk names compared with its
 * revision, so an unchanged kiosk costs this one request.  Parameters it does not
 * know are ignored (a newer kiosk may follow a feed this server lacks). */
enum MHD_Result srv_do_changes(srv *s, struct MHD_Connection *c, req *r, srvdb *db)
{
    long long since[PROTO_NFEEDS], head;
    int asked[PROTO_NFEEDS], nasked = 0;
    char err[128], digest[PROTO_DIGEST_HEX + 1];
    for (int i = 0; i < PROTO_NFEEDS; i++) {
        const char *name = proto_feed_name(i);
        const char *a = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
        asked[i] = a != NULL;
        since[i] = 0;
        if (a && srv_parse_num(a, 1LL << 62, &since[i])) {
            snprintf(err, sizeof err, "\"%s\" must be a revision number", name);
            return srv_reply_error(c, MHD_HTTP_BAD_REQUEST, err);
        }
        nasked += asked[i];
    }
    const char *a_areas = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "areas");
    if (a_areas && *a_areas && !proto_valid_digest(a_areas))
        return srv_reply_error(c, MHD_HTTP_BAD_REQUEST, "\"areas\" is not a digest");
    if (a_areas && !asked[PROTO_FEED_CAT])
        return srv_reply_error(c, MHD_HTTP_BAD_REQUEST, "\"areas\" goes with \"catalog\"");
    if (!nasked)
        return srv_reply_error(c, MHD_HTTP_BAD_REQUEST, "name at least one feed: catalog, "
                                                    "survey, ballot, ballot-codes, "
                                                    "ballot-used or settings");
    proto_changes ch;
    memset(&ch, 0, sizeof ch);
    kc_err rc = srvdb_read_begin(db);
    if (rc)
        return srv_reply_db(s, c, rc, db);
    int nchanged = 0;
    for (int i = 0; i < PROTO_NFEEDS; i++) {
        if (!asked[i])
            continue;
        if (i == PROTO_FEED_SETTINGS) {
            /* a tag, not a revision: only equality counts, never 409 */
            char *text = NULL;
            if ((rc = srvdb_kiosk_feed(db, r->device, &text, &head))) {
                srvdb_read_end(db);
                return srv_reply_db(s, c, rc, db);
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
            return srv_reply_db(s, c, rc, db);
        }
        if (since[i] > head) {
            srvdb_read_end(db);
            snprintf(err, sizeof err, "the kiosk has a newer %s revision than the server",
                     proto_feed_name(i));
            return srv_reply_error(c, MHD_HTTP_CONFLICT, err);
        }
        ch.changed[i] = since[i] < head ||
                        (i == PROTO_FEED_CAT && (!a_areas || strcmp(a_areas, digest) != 0));
        ch.head[i] = head;
        nchanged += ch.changed[i];
    }
    srvdb_read_end(db);
    if (!nchanged)
        return srv_reply(c, MHD_HTTP_NO_CONTENT, "", 0);
    proto_buf b = { 0 };
    if (proto_changes_write(&ch, &b))
        return srv_reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    enum MHD_Result ret = srv_reply(c, MHD_HTTP_OK, b.p, b.len);
    proto_buf_free(&b);
    return ret;
}

/* The kiosk's own settings with the lists of what it shows (srvdb_target.h), and
 * their tag; `?tag=N` equal to the current one answers 204. */
enum MHD_Result srv_do_settings(srv *s, struct MHD_Connection *c, req *r, srvdb *db)
{
    long long have = 0, tag = 0;
    const char *a_tag = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "tag");
    if (a_tag && srv_parse_num(a_tag, 1LL << 62, &have))
        return srv_reply_error(c, MHD_HTTP_BAD_REQUEST, "\"tag\" must be a settings tag");
    char *text = NULL;
    kc_err rc = srvdb_kiosk_feed(db, r->device, &text, &tag);
    if (rc)
        return srv_reply_db(s, c, rc, db);
    if (a_tag && have == tag) {
        kc_free(text);
        return srv_reply(c, MHD_HTTP_NO_CONTENT, "", 0);
    }
    proto_buf b = { 0 };
    proto_buf_printf(&b, "{\"tag\":%lld,\"settings\":", tag);
    proto_buf_str(&b, text);
    proto_buf_str(&b, "}");
    kc_free(text);
    if (b.oom)
        return srv_reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    enum MHD_Result ret = srv_reply(c, MHD_HTTP_OK, b.p, b.len);
    proto_buf_free(&b);
    return ret;
}
