#include "proto.h"
#include "proto_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- buffer ------------------------------------------------------------------- */

void proto_buf_add(proto_buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 1024;
        while (nc < b->len + n + 1)
            nc *= 2;
        char *np = kc_realloc(b->p, nc);
        if (!np) {
            b->oom = 1;
            return;
        }
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void proto_buf_str(proto_buf *b, const char *s)
{
    proto_buf_add(b, s, strlen(s));
}

void proto_buf_printf(proto_buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        b->oom = 1;  /* only short fixed texts are formatted here */
        return;
    }
    proto_buf_add(b, tmp, (size_t)n);
}

void proto_buf_json_str(proto_buf *b, const char *s)
{
    proto_buf_add(b, "\"", 1);
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\') {
            char e[2] = { '\\', (char)c };
            proto_buf_add(b, e, 2);
        } else if (c < 0x20) {
            char e[8];
            snprintf(e, sizeof e, "\\u%04x", c);
            proto_buf_add(b, e, 6);
        } else {
            proto_buf_add(b, p, 1);
        }
    }
    proto_buf_add(b, "\"", 1);
}

void proto_buf_free(proto_buf *b)
{
    kc_free(b->p);
    memset(b, 0, sizeof *b);
}

kc_err proto_buf_done_(proto_buf *b)
{
    if (b->oom) {
        proto_buf_free(b);
        return KC_ENOMEM;
    }
    return KC_OK;
}

/* --- parsing -------------------------------------------------------------------- */

/* Walks the raw text once so that deep nesting or giant strings are refused before
 * jansson allocates for them.  Only counts; jansson does the real parse. */
static kc_err prescan(const char *buf, size_t len, char *msg)
{
    int depth = 0, in_str = 0, esc = 0;
    size_t slen = 0;
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (in_str) {
            if (++slen > PROTO_MAX_STRING)
                return kc_fail(msg, KC_ETOOBIG, "a string is longer than %d bytes",
                               PROTO_MAX_STRING);
            if (esc)
                esc = 0;
            else if (c == '\\')
                esc = 1;
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
            slen = 0;
        } else if (c == '{' || c == '[') {
            if (++depth > PROTO_MAX_DEPTH)
                return kc_fail(msg, KC_EINVAL, "JSON nested deeper than %d levels",
                               PROTO_MAX_DEPTH);
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return KC_OK;
}

kc_err proto_parse(const char *buf, size_t len, size_t max, json_t **out, char *msg)
{
    *out = NULL;
    if (len > max)
        return kc_fail(msg, KC_ETOOBIG, "body of %zu bytes is over the limit of %zu", len,
                       max);
    if (len == 0)
        return kc_fail(msg, KC_EJSON, "empty body");
    kc_err rc = prescan(buf, len, msg);
    if (rc)
        return rc;
    json_error_t err;
    json_t *j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
    if (!j)
        return kc_fail(msg, KC_EJSON, "not valid JSON: %s (line %d, column %d)", err.text,
                       err.line, err.column);
    if (!json_is_object(j)) {
        json_decref(j);
        return kc_fail(msg, KC_EINVAL, "the body must be a JSON object");
    }
    *out = j;
    return KC_OK;
}

int proto_valid_uuid(const char *s)
{
    if (strlen(s) != PROTO_UUID_LEN)
        return 0;
    for (int i = 0; i < PROTO_UUID_LEN; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        char c = s[i];
        if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return 0;
    }
    return 1;
}

int proto_valid_kind(const char *k)
{
    size_t n = strlen(k);
    if (n == 0 || n > PROTO_KIND_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((k[i] >= 'a' && k[i] <= 'z') || k[i] == '-'))
            return 0;
    return 1;
}

int proto_valid_id(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-'))
            return 0;
    }
    return 1;
}

/* Only the keys named may appear; the message names the first other one. */
kc_err proto_only_keys_(json_t *o, const char *const *keys, const char *where, char *msg)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        size_t i = 0;
        while (keys[i] && strcmp(keys[i], k))
            i++;
        if (!keys[i])
            return kc_fail(msg, KC_EINVAL, "%s: unknown field \"%.60s\"", where, k);
    }
    return KC_OK;
}

kc_err proto_get_int_(json_t *o, const char *key, long long min, long long max,
                      long long *out, const char *where, char *msg)
{
    json_t *v = json_object_get(o, key);
    if (!v || !json_is_integer(v))
        return kc_fail(msg, KC_EINVAL, "%s: \"%s\" missing or not an integer", where, key);
    long long x = json_integer_value(v);
    if (x < min || x > max)
        return kc_fail(msg, KC_EINVAL, "%s: \"%s\" out of range", where, key);
    *out = x;
    return KC_OK;
}

/* Copies a string field that must be 0..cap-1 bytes (cap includes the NUL). */
kc_err proto_get_str_(json_t *o, const char *key, int required, char *dst, size_t cap,
                      const char *where, char *msg)
{
    json_t *v = json_object_get(o, key);
    dst[0] = '\0';
    if (!v) {
        if (required)
            return kc_fail(msg, KC_EINVAL, "%s: \"%s\" missing", where, key);
        return KC_OK;
    }
    if (!json_is_string(v))
        return kc_fail(msg, KC_EINVAL, "%s: \"%s\" is not a string", where, key);
    if (json_string_length(v) >= cap)
        return kc_fail(msg, KC_EINVAL, "%s: \"%s\" longer than %zu bytes", where, key,
                       cap - 1);
    memcpy(dst, json_string_value(v), json_string_length(v) + 1);
    return KC_OK;
}

char *proto_dump_compact_(json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!s)
        return NULL;
    char *r = kc_strdup(s);
    free(s);
    return r;
}

/* --- errors ----------------------------------------------------------------- */

kc_err proto_error_write(const char *text, proto_buf *out)
{
    proto_buf_str(out, "{\"error\":");
    proto_buf_json_str(out, text);
    proto_buf_str(out, "}");
    return proto_buf_done_(out);
}

void proto_error_read(const char *buf, size_t len, char *text, size_t cap)
{
    char msg[KC_MSGMAX];
    json_t *j = NULL;
    text[0] = '\0';
    if (cap == 0 || proto_parse(buf, len, 64 * 1024, &j, msg))
        return;
    json_t *e = json_object_get(j, "error");
    if (e && json_is_string(e)) {
        /* Cut at a character boundary so the text stays valid UTF-8. */
        const char *s = json_string_value(e);
        size_t n = strlen(s);
        if (n >= cap) {
            n = cap - 1;
            while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
                n--;
        }
        memcpy(text, s, n);
        text[n] = '\0';
    }
    json_decref(j);
}

void proto_cut_utf8_(char *dst, size_t cap, const char *s)
{
    size_t n = strlen(s);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* --- heartbeat --------------------------------------------------------------------- */

kc_err proto_heartbeat_write(const proto_heartbeat *h, proto_buf *out)
{
    char v[PROTO_VERSION_MAX + 1], e[PROTO_LASTERR_MAX + 1];
    proto_cut_utf8_(v, sizeof v, h->version);
    proto_cut_utf8_(e, sizeof e, h->last_error);
    proto_buf_str(out, "{\"version\":");
    proto_buf_json_str(out, v);
    proto_buf_printf(out, ",\"catalog_rev\":%lld,\"outbox_depth\":%lld,\"last_error\":",
                     h->catalog_rev, h->outbox_depth);
    proto_buf_json_str(out, e);
    if (h->set_aside > 0) {
        char r[PROTO_REASON_MAX + 1];
        proto_cut_utf8_(r, sizeof r, h->set_aside_reason);
        proto_buf_printf(out, ",\"set_aside\":%lld,\"set_aside_reason\":", h->set_aside);
        proto_buf_json_str(out, r);
    }
    proto_buf_str(out, "}");
    return proto_buf_done_(out);
}

kc_err proto_heartbeat_read(const char *buf, size_t len, proto_heartbeat *h, char *msg)
{
    static const char *const keys[] = { "version",    "catalog_rev", "outbox_depth",
                                        "last_error", "set_aside",   "set_aside_reason",
                                        NULL };
    json_t *j = NULL;
    memset(h, 0, sizeof *h);
    kc_err rc = proto_parse(buf, len, 64 * 1024, &j, msg);
    if (rc)
        return rc;
    if ((rc = proto_only_keys_(j, keys, "heartbeat", msg)) ||
        (rc = proto_get_str_(j, "version", 1, h->version, sizeof h->version, "heartbeat", msg)) ||
        (rc = proto_get_int_(j, "catalog_rev", 0, (1LL << 62), &h->catalog_rev, "heartbeat",
                      msg)) ||
        (rc = proto_get_int_(j, "outbox_depth", 0, (1LL << 62), &h->outbox_depth, "heartbeat",
                      msg)) ||
        (rc = proto_get_str_(j, "last_error", 0, h->last_error, sizeof h->last_error,
                      "heartbeat", msg)) ||
        (json_object_get(j, "set_aside") &&
         (rc = proto_get_int_(j, "set_aside", 0, (1LL << 62), &h->set_aside, "heartbeat",
                              msg))) ||
        (rc = proto_get_str_(j, "set_aside_reason", 0, h->set_aside_reason,
                             sizeof h->set_aside_reason, "heartbeat", msg)))
        memset(h, 0, sizeof *h);
    json_decref(j);
    return rc;
}

/* --- catalog pages ------------------------------------------------------------------ */

void proto_page_start(proto_buf *b, long long head)
{
    proto_buf_printf(b, "{\"head\":%lld,\"items\":[", head);
}

void proto_page_item(proto_buf *b, const char *id, const char *kind, long long rev,
                     const char *body)
{
    if (b->len && b->p[b->len - 1] != '[')
        proto_buf_add(b, ",", 1);
    proto_buf_str(b, "{\"id\":");
    proto_buf_json_str(b, id);
    proto_buf_str(b, ",\"kind\":");
    proto_buf_json_str(b, kind);
    proto_buf_printf(b, ",\"rev\":%lld", rev);
    if (body) {
        proto_buf_str(b, ",\"item\":");
        proto_buf_str(b, body);
    } else {
        proto_buf_str(b, ",\"deleted\":true");
    }
    proto_buf_add(b, "}", 1);
}

void proto_page_areas_start(proto_buf *b, const char *digest)
{
    proto_buf_str(b, "],\"areas_digest\":");
    proto_buf_json_str(b, digest);
    proto_buf_str(b, ",\"areas\":[");
}

void proto_page_area(proto_buf *b, const char *body)
{
    if (b->len && b->p[b->len - 1] != '[')
        proto_buf_add(b, ",", 1);
    proto_buf_str(b, body);
}

kc_err proto_page_end(proto_buf *b, long long rev, int more)
{
    proto_buf_printf(b, "],\"rev\":%lld,\"more\":%s}", rev, more ? "true" : "false");
    return proto_buf_done_(b);
}

void proto_page_free(proto_page *pg)
{
    for (size_t i = 0; pg->items && i < pg->nitems; i++)
        kc_free(pg->items[i].body);
    kc_free(pg->items);
    for (size_t i = 0; pg->areas && i < pg->nareas; i++)
        kc_free(pg->areas[i]);
    kc_free(pg->areas);
    memset(pg, 0, sizeof *pg);
}

static kc_err read_entry(json_t *e, proto_entry *w, long long *prev, long long rev,
                         size_t i, char *msg)
{
    static const char *const keys[] = { "id", "kind", "rev", "item", "deleted", NULL };
    char where[48];
    snprintf(where, sizeof where, "items[%zu]", i);
    if (!json_is_object(e))
        return kc_fail(msg, KC_EINVAL, "%s: not an object", where);
    kc_err rc;
    if ((rc = proto_only_keys_(e, keys, where, msg)) ||
        (rc = proto_get_str_(e, "id", 1, w->id, sizeof w->id, where, msg)) ||
        (rc = proto_get_str_(e, "kind", 0, w->kind, sizeof w->kind, where, msg)) ||
        (rc = proto_get_int_(e, "rev", *prev + 1, rev, &w->rev, where, msg)))
        return rc;
    if (!proto_valid_id(w->id))
        return kc_fail(msg, KC_EINVAL, "%s: \"id\" is not an id", where);
    *prev = w->rev;
    json_t *d = json_object_get(e, "deleted");
    json_t *item = json_object_get(e, "item");
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
    return KC_OK;
}

kc_err proto_page_head_(json_t *j, const char *const *keys, long long since,
                        long long *head, long long *rev, int *more, json_t **items,
                        char *msg)
{
    kc_err rc;
    if ((rc = proto_only_keys_(j, keys, "page", msg)) ||
        (rc = proto_get_int_(j, "head", 0, (1LL << 62), head, "page", msg)) ||
        (rc = proto_get_int_(j, "rev", since, *head, rev, "page", msg)))
        return rc;
    json_t *m = json_object_get(j, "more");
    if (!m || !json_is_boolean(m))
        return kc_fail(msg, KC_EINVAL, "page: \"more\" missing or not true/false");
    *more = json_is_true(m);
    *items = json_object_get(j, "items");
    if (!*items || !json_is_array(*items) || json_array_size(*items) > PROTO_PAGE_MAX)
        return kc_fail(msg, KC_EINVAL, "page: \"items\" missing, not an array or over %d",
                       PROTO_PAGE_MAX);
    return KC_OK;
}

kc_err proto_page_read(const char *buf, size_t len, long long since, proto_page *pg,
                       char *msg)
{
    static const char *const keys[] = { "head", "rev", "more", "items", "areas_digest",
                                        "areas", NULL };
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
    if (n && !(pg->items = kc_calloc(n, sizeof *pg->items))) {
        rc = kc_fail(msg, KC_ENOMEM, "out of memory");
        goto fail;
    }
    long long prev = since;
    for (size_t i = 0; i < n; i++) {
        pg->nitems = i + 1;
        if ((rc = read_entry(json_array_get(items, i), &pg->items[i], &prev, pg->rev, i,
                             msg)))
            goto fail;
    }
    if (pg->more && n == 0) {
        rc = kc_fail(msg, KC_EINVAL, "page: \"more\" with no items");
        goto fail;
    }
    json_t *areas = json_object_get(j, "areas");
    if (areas) {
        if (!json_is_array(areas) || json_array_size(areas) > 10000) {
            rc = kc_fail(msg, KC_EINVAL, "page: \"areas\" not an array or too long");
            goto fail;
        }
        if ((rc = proto_get_str_(j, "areas_digest", 1, pg->digest, sizeof pg->digest, "page",
                          msg)))
            goto fail;
        if (strlen(pg->digest) != PROTO_DIGEST_HEX) {
            rc = kc_fail(msg, KC_EINVAL, "page: \"areas_digest\" is not a digest");
            goto fail;
        }
        size_t na = json_array_size(areas);
        if (na && !(pg->areas = kc_calloc(na, sizeof *pg->areas))) {
            rc = kc_fail(msg, KC_ENOMEM, "out of memory");
            goto fail;
        }
        for (size_t i = 0; i < na; i++) {
            json_t *a = json_array_get(areas, i);
            if (!json_is_object(a)) {
                rc = kc_fail(msg, KC_EINVAL, "areas[%zu]: not an object", i);
                goto fail;
            }
            /* Sorted keys: the content module's canonical form of an area. */
            char *s = json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS);
            pg->areas[i] = s ? kc_strdup(s) : NULL;
            free(s);
            pg->nareas = i + 1;
            if (!pg->areas[i]) {
                rc = kc_fail(msg, KC_ENOMEM, "out of memory");
                goto fail;
            }
        }
        pg->has_areas = 1;
    } else if (json_object_get(j, "areas_digest")) {
        rc = kc_fail(msg, KC_EINVAL, "page: \"areas_digest\" without \"areas\"");
        goto fail;
    }
    json_decref(j);
    return KC_OK;
fail:
    json_decref(j);
    proto_page_free(pg);
    return rc;
}
