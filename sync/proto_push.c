/* proto_push.c - responses up (docs/protocol.md, "Responses up"): the batch a kiosk
 * pushes, read and written, each pushed payload's text cleaned, and the server's
 * acknowledgement. */
#include "proto.h"
#include "proto_impl.h"
#include "safetext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

kc_err proto_batch_write(const proto_response *v, size_t n, proto_buf *out, char *msg)
{
    proto_buf_str(out, "{\"responses\":[");
    for (size_t i = 0; i < n; i++) {
        /* The payload is checked to be one JSON object so that one bad row cannot
         * make the whole batch malformed. */
        json_error_t err;
        json_t *p = json_loads(v[i].payload, JSON_REJECT_DUPLICATES, &err);
        int ok = p && json_is_object(p);
        json_decref(p);
        if (!ok) {
            proto_buf_free(out);
            return kc_fail(msg, KC_EINVAL, "response %s: payload is not a JSON object",
                           v[i].uuid);
        }
        proto_buf_str(out, i ? ",{\"uuid\":" : "{\"uuid\":");
        proto_buf_json_str(out, v[i].uuid);
        proto_buf_str(out, ",\"kind\":");
        proto_buf_json_str(out, v[i].kind);
        proto_buf_str(out, ",\"payload\":");
        proto_buf_str(out, v[i].payload);
        proto_buf_str(out, "}");
    }
    proto_buf_str(out, "]}");
    if (proto_buf_done_(out))
        return kc_fail(msg, KC_ENOMEM, "out of memory writing a batch");
    return KC_OK;
}

size_t proto_batch_row_size(const proto_response *r)
{
    /* {"uuid":"…36…","kind":"…","payload":…}, plus the comma before it. */
    return 69 + strlen(r->kind) + strlen(r->payload);
}

void proto_batch_free(proto_batch *b)
{
    for (size_t i = 0; b->v && i < b->n; i++)
        kc_free(b->v[i].payload);
    kc_free(b->v);
    b->v = NULL;
    b->n = 0;
}

/* Text with its unwanted characters (core/safetext.h) left out, as a new string;
 * NULL when it is clean already (*oom on failure).  (The reader refuses NUL.) */
static char *cleaned(const char *s, int *oom)
{
    if (safetext_is_clean(s))
        return NULL;
    char *c = kc_strdup(s);
    if (!c)
        *oom = 1;
    else
        safetext_neutralise(c);
    return c;
}

/* Every string and key of a pushed payload cleaned as the kiosk cleans what residents
 * type: a kiosk that was altered cannot store a right-to-left override or a control
 * character for an export or the console to show.  -1 only when out of memory. */
static int clean_payload(json_t *j)
{
    int oom = 0;
    if (json_is_string(j)) {
        char *c = cleaned(json_string_value(j), &oom);
        int rc = oom || (c && json_string_set(j, c)) ? -1 : 0;
        kc_free(c);
        return rc;
    }
    if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) {
            if (clean_payload(v))
                return -1;
        }
        return 0;
    }
    if (!json_is_object(j))
        return 0;
    const char *k;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(j, tmp, k, v) {
        if (clean_payload(v))
            return -1;
        char *c = cleaned(k, &oom);
        if (oom)
            return -1;
        if (c) {  /* a key put anew under its clean name (the last of equals wins) */
            int bad = json_object_set(j, c, v) || json_object_del(j, k);
            kc_free(c);
            if (bad)
                return -1;
        }
    }
    return 0;
}

/* The kind and payload of one row; a break of the format is the row's, not the
 * batch's: w->invalid says why.  Only KC_ENOMEM fails. */
static kc_err batch_row(json_t *r, proto_response *w)
{
    static const char *const fields[] = { "uuid", "kind", "payload", NULL };
    char m[KC_MSGMAX];
    json_t *k = json_object_get(r, "kind");
    json_t *p = json_object_get(r, "payload");
    if (proto_only_keys_(r, fields, "row", m))
        w->invalid = "unknown field in the row";
    else if (!json_is_string(k) || json_string_length(k) > PROTO_KIND_MAX ||
             !proto_valid_kind(json_string_value(k)))
        w->invalid = "\"kind\" must be 1-31 of [a-z-]";
    else if (!p || !json_is_object(p))
        w->invalid = "\"payload\" missing or not an object";
    if (w->invalid)
        return KC_OK;
    memcpy(w->kind, json_string_value(k), json_string_length(k) + 1);
    if (clean_payload(p) || !(w->payload = proto_dump_compact_(p)))
        return KC_ENOMEM;
    if (strlen(w->payload) > PROTO_PAYLOAD_MAX) {
        kc_free(w->payload);
        w->payload = NULL;
        w->kind[0] = '\0';
        w->invalid = "payload over 65536 bytes";
    }
    return KC_OK;
}

kc_err proto_batch_read(const char *buf, size_t len, proto_batch *b, char *msg)
{
    static const char *const top[] = { "responses", NULL };
    json_t *j = NULL;
    memset(b, 0, sizeof *b);
    kc_err rc = proto_parse(buf, len, PROTO_MAX_BODY, &j, msg);
    if (rc)
        return rc;
    if ((rc = proto_only_keys_(j, top, "batch", msg)))
        goto fail;
    json_t *arr = json_object_get(j, "responses");
    if (!arr || !json_is_array(arr)) {
        rc = kc_fail(msg, KC_EINVAL, "batch: \"responses\" missing or not an array");
        goto fail;
    }
    size_t n = json_array_size(arr);
    if (n > PROTO_BATCH_MAX) {
        rc = kc_fail(msg, KC_ETOOBIG, "batch: %zu responses, the limit is %d", n,
                     PROTO_BATCH_MAX);
        goto fail;
    }
    if (n && !(b->v = kc_calloc(n, sizeof *b->v))) {
        rc = kc_fail(msg, KC_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *r = json_array_get(arr, i);
        char where[64];
        snprintf(where, sizeof where, "responses[%zu]", i);
        if (!json_is_object(r)) {
            rc = kc_fail(msg, KC_EINVAL, "%s: not an object", where);
            goto fail;
        }
        proto_response *w = &b->v[i];
        b->n = i + 1;
        /* Without its uuid a row cannot be answered for alone. */
        if ((rc = proto_get_str_(r, "uuid", 1, w->uuid, sizeof w->uuid, where, msg)))
            goto fail;
        if (!proto_valid_uuid(w->uuid)) {
            rc = kc_fail(msg, KC_EINVAL, "%s: \"uuid\" is not a lower-case UUID", where);
            goto fail;
        }
        if ((rc = batch_row(r, w))) {
            rc = kc_fail(msg, KC_ENOMEM, "out of memory");
            goto fail;
        }
    }
    b->n = n;
    json_decref(j);
    return KC_OK;
fail:
    json_decref(j);
    proto_batch_free(b);
    return rc;
}

kc_err proto_ack_write(const proto_ack *a, proto_buf *out)
{
    proto_buf_str(out, "{\"ack\":[");
    for (size_t i = 0; i < a->n; i++) {
        if (i)
            proto_buf_add(out, ",", 1);
        proto_buf_json_str(out, a->uuids[i]);
    }
    proto_buf_printf(out, "],\"stored\":%lld", a->stored);
    if (a->nrefused) {
        proto_buf_str(out, ",\"refused\":[");
        for (size_t i = 0; i < a->nrefused; i++) {
            char why[PROTO_REASON_MAX + 1];
            proto_cut_utf8_(why, sizeof why, a->refused[i].reason);
            proto_buf_str(out, i ? ",{\"uuid\":" : "{\"uuid\":");
            proto_buf_json_str(out, a->refused[i].uuid);
            proto_buf_printf(out, ",\"status\":%d,\"reason\":", a->refused[i].status);
            proto_buf_json_str(out, why);
            proto_buf_add(out, "}", 1);
        }
        proto_buf_add(out, "]", 1);
    }
    proto_buf_add(out, "}", 1);
    return proto_buf_done_(out);
}

void proto_ack_free(proto_ack *a)
{
    kc_free(a->uuids);
    kc_free(a->refused);
    memset(a, 0, sizeof *a);
}

static kc_err ack_refused(json_t *arr, proto_ack *a, char *msg)
{
    static const char *const keys[] = { "uuid", "status", "reason", NULL };
    size_t m = json_array_size(arr);
    if (m > PROTO_BATCH_MAX)
        return kc_fail(msg, KC_EINVAL, "ack: \"refused\" longer than %d", PROTO_BATCH_MAX);
    if (m && !(a->refused = kc_calloc(m, sizeof *a->refused)))
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    for (size_t i = 0; i < m; i++) {
        json_t *r = json_array_get(arr, i);
        proto_refusal *w = &a->refused[i];
        char where[64];
        long long st = 0;
        kc_err rc;
        snprintf(where, sizeof where, "refused[%zu]", i);
        if (!json_is_object(r))
            return kc_fail(msg, KC_EINVAL, "%s: not an object", where);
        if ((rc = proto_only_keys_(r, keys, where, msg)) ||
            (rc = proto_get_str_(r, "uuid", 1, w->uuid, sizeof w->uuid, where, msg)) ||
            (rc = proto_get_int_(r, "status", 400, 409, &st, where, msg)) ||
            (rc = proto_get_str_(r, "reason", 1, w->reason, sizeof w->reason, where, msg)))
            return rc;
        if (!proto_valid_uuid(w->uuid))
            return kc_fail(msg, KC_EINVAL, "%s: \"uuid\" is not a UUID", where);
        if (st != 400 && st != 409)
            return kc_fail(msg, KC_EINVAL, "%s: \"status\" must be 400 or 409", where);
        w->status = (int)st;
        a->nrefused = i + 1;
    }
    return KC_OK;
}

kc_err proto_ack_read(const char *buf, size_t len, proto_ack *a, char *msg)
{
    static const char *const top[] = { "ack", "stored", "refused", NULL };
    json_t *j = NULL;
    memset(a, 0, sizeof *a);
    kc_err rc = proto_parse(buf, len, PROTO_MAX_BODY, &j, msg);
    if (rc)
        return rc;
    json_t *arr = json_object_get(j, "ack");
    json_t *ref = json_object_get(j, "refused");
    if ((rc = proto_only_keys_(j, top, "ack", msg)))
        goto fail;
    if (!arr || !json_is_array(arr) || json_array_size(arr) > PROTO_BATCH_MAX) {
        rc = kc_fail(msg, KC_EINVAL, "ack: \"ack\" missing, not an array or too long");
        goto fail;
    }
    if (json_object_get(j, "stored") &&
        (rc = proto_get_int_(j, "stored", 0, PROTO_BATCH_MAX, &a->stored, "ack", msg)))
        goto fail;
    if (ref && !json_is_array(ref)) {
        rc = kc_fail(msg, KC_EINVAL, "ack: \"refused\" is not an array");
        goto fail;
    }
    size_t m = json_array_size(arr);
    if (m && !(a->uuids = kc_calloc(m, sizeof *a->uuids))) {
        rc = kc_fail(msg, KC_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < m; i++) {
        json_t *u = json_array_get(arr, i);
        if (!json_is_string(u) || !proto_valid_uuid(json_string_value(u))) {
            rc = kc_fail(msg, KC_EINVAL, "ack[%zu]: not a UUID", i);
            goto fail;
        }
        memcpy(a->uuids[i], json_string_value(u), PROTO_UUID_LEN + 1);
    }
    a->n = m;
    if (ref && (rc = ack_refused(ref, a, msg)))
        goto fail;
    json_decref(j);
    return KC_OK;
fail:
    json_decref(j);
    proto_ack_free(a);
    return rc;
}
