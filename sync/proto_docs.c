/* proto_docs.c - the documents feed (GET /v1/docs): surveys, ballots, code hashes
 * and code uses, paged like the catalog; and the change check (GET /v1/changes) that
 * tells a kiosk in one request which of its feeds to fetch. */
#include "proto.h"
#include "proto_impl.h"

#include <stdio.h>
#include <string.h>

int proto_valid_doctype(const char *t)
{
    return strcmp(t, PROTO_DOC_SURVEY) == 0 || strcmp(t, PROTO_DOC_BALLOT) == 0 ||
           strcmp(t, PROTO_DOC_CODES) == 0 || strcmp(t, PROTO_DOC_USED) == 0;
}

void proto_docs_item(proto_buf *b, const char *id, long long version, long long rev,
                     const char *body)
{
    if (b->len && b->p[b->len - 1] != '[')
        proto_buf_add(b, ",", 1);
    proto_buf_str(b, "{\"id\":");
    proto_buf_json_str(b, id);
    proto_buf_printf(b, ",\"version\":%lld,\"rev\":%lld", version, rev);
    if (body) {
        proto_buf_str(b, ",\"item\":");
        proto_buf_str(b, body);
    } else {
        proto_buf_str(b, ",\"deleted\":true");
    }
    proto_buf_add(b, "}", 1);
}

void proto_docs_free(proto_docs_page *pg)
{
    for (size_t i = 0; pg->v && i < pg->n; i++)
        kc_free(pg->v[i].body);
    kc_free(pg->v);
    memset(pg, 0, sizeof *pg);
}

static kc_err read_doc(json_t *e, proto_doc *w, long long *prev, long long rev, size_t i,
                       char *msg)
{
    static const char *const keys[] = { "id", "version", "rev", "item", "deleted", NULL };
    char where[48];
    snprintf(where, sizeof where, "items[%zu]", i);
    if (!json_is_object(e))
        return kc_fail(msg, KC_EINVAL, "%s: not an object", where);
    kc_err rc;
    if ((rc = proto_only_keys_(e, keys, where, msg)) ||
        (rc = proto_get_str_(e, "id", 1, w->id, sizeof w->id, where, msg)) ||
        (rc = proto_get_int_(e, "version", 0, 2147483647LL, &w->version, where, msg)) ||
        (rc = proto_get_int_(e, "rev", *prev + 1, rev, &w->rev, where, msg)))
        return rc;
    if (!proto_valid_id(w->id))
        return kc_fail(msg, KC_EINVAL, "%s: \"id\" is not an id", where);
    *prev = w->rev;
    json_t *d = json_object_get(e, "deleted"), *item = json_object_get(e, "item");
    if (d && !json_is_boolean(d))
        return kc_fail(msg, KC_EINVAL, "%s: \"deleted\" is not true or false", where);
    w->deleted = d && json_is_true(d);
    if (w->deleted) {
        if (item)
            return kc_fail(msg, KC_EINVAL, "%s: a tombstone has no \"item\"", where);
        return KC_OK;
    }
    if (!item || !json_is_object(item))
        return kc_fail(msg, KC_EINVAL, "%s: \"item\" missing or not an object", where);
    if (!(w->body = proto_dump_compact_(item)))
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    if (strlen(w->body) > (size_t)PROTO_DOC_MAX)
        return kc_fail(msg, KC_ETOOBIG, "%s: document over %ld bytes", where, PROTO_DOC_MAX);
    return KC_OK;
}

kc_err proto_docs_read(const char *buf, size_t len, long long since, proto_docs_page *pg,
                       char *msg)
{
    static const char *const keys[] = { "head", "rev", "more", "items", NULL };
    json_t *j = NULL;
    memset(pg, 0, sizeof *pg);
    kc_err rc = proto_parse(buf, len, PROTO_MAX_REPLY, &j, msg);
    if (rc)
        return rc;
    json_t *items;
    if ((rc = proto_page_head_(j, keys, since, &pg->head, &pg->rev, &pg->more, &items,
                               msg)))
        goto fail;
    size_t n = json_array_size(items);
    if (n && !(pg->v = kc_calloc(n, sizeof *pg->v))) {
        rc = kc_fail(msg, KC_ENOMEM, "out of memory");
        goto fail;
    }
    long long prev = since;
    for (size_t i = 0; i < n; i++) {
        pg->n = i + 1;
        if ((rc = read_doc(json_array_get(items, i), &pg->v[i], &prev, pg->rev, i, msg)))
            goto fail;
    }
    if (pg->more && n == 0) {
        rc = kc_fail(msg, KC_EINVAL, "page: \"more\" with no items");
        goto fail;
    }
    json_decref(j);
    return KC_OK;
fail:
    json_decref(j);
    proto_docs_free(pg);
    return rc;
}

/* --- the change check ------------------------------------------------------------ */

static const char *const feed_names[PROTO_NFEEDS] = {
    [PROTO_FEED_CAT] = PROTO_FEED_CATALOG, [PROTO_FEED_SURVEY] = PROTO_DOC_SURVEY,
    [PROTO_FEED_BALLOT] = PROTO_DOC_BALLOT, [PROTO_FEED_CODES] = PROTO_DOC_CODES,
    [PROTO_FEED_USED] = PROTO_DOC_USED, [PROTO_FEED_SETTINGS] = PROTO_FEED_SETTINGS_NAME,
};

const char *proto_feed_name(int i)
{
    return i >= 0 && i < PROTO_NFEEDS ? feed_names[i] : NULL;
}

int proto_feed_index(const char *name)
{
    for (int i = 0; i < PROTO_NFEEDS; i++)
        if (strcmp(name, feed_names[i]) == 0)
            return i;
    return -1;
}

int proto_valid_digest(const char *s)
{
    size_t n = strlen(s);
    if (n != PROTO_DIGEST_HEX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

kc_err proto_changes_write(const proto_changes *ch, proto_buf *out)
{
    int any = 0;
    memset(out, 0, sizeof *out);
    proto_buf_str(out, "{\"changed\":{");
    for (int i = 0; i < PROTO_NFEEDS; i++) {
        if (!ch->changed[i])
            continue;
        proto_buf_printf(out, "%s\"%s\":%lld", any ? "," : "", feed_names[i], ch->head[i]);
        any = 1;
    }
    proto_buf_str(out, "}}");
    if (out->oom) {
        proto_buf_free(out);
        return KC_ENOMEM;
    }
    if (!any) {
        proto_buf_free(out);
        return KC_EINVAL;
    }
    return KC_OK;
}

kc_err proto_changes_read(const char *buf, size_t len, proto_changes *ch, char *msg)
{
    static const char *const keys[] = { "changed", NULL };
    json_t *j = NULL;
    memset(ch, 0, sizeof *ch);
    /* Six names and numbers: a reply of more than a few KiB is not one. */
    kc_err rc = proto_parse(buf, len, 4096, &j, msg);
    if (rc)
        return rc;
    if ((rc = proto_only_keys_(j, keys, "changes", msg)))
        goto fail;
    json_t *o = json_object_get(j, "changed");
    if (!o || !json_is_object(o) || json_object_size(o) == 0) {
        rc = kc_fail(msg, KC_EINVAL, "changes: \"changed\" missing, empty or not an object");
        goto fail;
    }
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        int i = proto_feed_index(k);
        if (i < 0) {
            rc = kc_fail(msg, KC_EINVAL, "changes: unknown feed \"%.40s\"", k);
            goto fail;
        }
        if ((rc = proto_get_int_(o, k, 0, (1LL << 62), &ch->head[i], "changes", msg)))
            goto fail;
        ch->changed[i] = 1;
    }
    json_decref(j);
    return KC_OK;
fail:
    json_decref(j);
    memset(ch, 0, sizeof *ch);
    return rc;
}
