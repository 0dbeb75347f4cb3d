/* server_reply.c - how the server answers a sync request: a response queued at once
 * on microhttpd's thread or kept for it by a worker, error bodies, and the number
 * parser of query arguments and headers. */
#include "server_req.h"

#include <stdio.h>
#include <string.h>

conn *srv_conn_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

/* On a worker the answer is kept for microhttpd's thread: only it may queue a
 * response without racing the connection's own state machine. */
enum MHD_Result srv_reply(struct MHD_Connection *c, unsigned status, const char *body,
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
    conn *k = srv_conn_of(c);
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

enum MHD_Result srv_reply_error(struct MHD_Connection *c, unsigned status,
                                   const char *text)
{
    proto_buf b = { 0 };
    if (proto_error_write(text, &b))
        return srv_reply(c, status, "", 0);
    enum MHD_Result ret = srv_reply(c, status, b.p, b.len);
    proto_buf_free(&b);
    return ret;
}

/* Maps a storage failure to 503 (locked: retry) or 500, logging the detail here
 * rather than handing database text to the client. */
enum MHD_Result srv_reply_db(srv *s, struct MHD_Connection *c, kc_err rc, srvdb *db)
{
    if (rc == KC_EBUSY)
        return srv_reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "server busy, retry later");
    fprintf(stderr, "kiosk-server: storage: %s\n", srvdb_errmsg(db));
    (void)s;
    return srv_reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "storage error");
}

/* A 4xx for input the protocol module refused. */
enum MHD_Result srv_reply_bad(struct MHD_Connection *c, kc_err rc, const char *msg)
{
    return srv_reply_error(c, rc == KC_ETOOBIG ? MHD_HTTP_CONTENT_TOO_LARGE : MHD_HTTP_BAD_REQUEST,
                       msg);
}

/* A decimal in 0..max, digits only. */
int srv_parse_num(const char *s, long long max, long long *out)
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
