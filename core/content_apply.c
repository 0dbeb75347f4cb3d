/* Writing a parsed content file to the store in one transaction, and exporting the
 * store back to the content format. */
#include <stdio.h>
#include <string.h>

#include "content_impl.h"
#include "store_sql.h"

/* --- applying ------------------------------------------------------------------- */

/* The sink's message into the handle's. */
static kc_err sink_fail(content *c, const content_sink *k, void *ctx, kc_err rc)
{
    return kc_fail(c->msg, rc, "%s", k->errmsg(ctx));
}

static kc_err check_store_refs(content *c, const content_sink *k, void *ctx)
{
    for (size_t i = 0; i < c->nrefs; i++) {
        const item_ref *r = &c->refs[i];
        const cat_field *fd = &cat_fields[r->field];
        where w = { c->name, r->from, 0, "item" };
        if (fd->type == CAT_T_AREA && !content_has_area(c, r->target)) {
            int exists;
            if (k->area_exists(ctx, r->target, &exists))
                return sink_fail(c, k, ctx, KC_EDB);
            if (!exists)
                return content_bad(c->msg, KC_EINVAL, &w, fd->key, "unknown area \"%s\"",
                                   r->target);
        }
        if (fd->type == CAT_T_REF && !content_find_item(c, r->target)) {
            int kind;
            if (k->item_kind(ctx, r->target, &kind))
                return sink_fail(c, k, ctx, KC_EDB);
            if (kind < 0)
                return content_bad(c->msg, KC_EINVAL, &w, fd->key,
                                   "refers to \"%s\", which does not exist", r->target);
            if (kind != fd->ref_kind)
                return content_bad(c->msg, KC_EINVAL, &w, fd->key,
                                   "\"%s\" is of kind %s, expected %s", r->target,
                                   cat_kind_name(kind), cat_kind_name(fd->ref_kind));
        }
    }
    return KC_OK;
}

/* The second pass: each item of the text is validated again and written (or, before
 * the write lock, compared with what the store holds), then freed. */
typedef struct writer {
    content *c;
    const content_sink *k;
    void *ctx;
    content_result *r;
    unsigned char *same;  /* per item index: the store holds it exactly so */
    int compare;          /* fill same[] instead of writing */
} writer;

static kc_err write_piece(void *vx, const char *key, size_t index, json_t *v)
{
    writer *x = vx;
    content *c = x->c;
    if (strcmp(key, "items") != 0 || index == JSTREAM_ARRAY || index == JSTREAM_VALUE)
        return KC_OK;
    if (!x->compare && x->same && index < c->nitems && x->same[index]) {
        x->r->unchanged++;
        return KC_OK;
    }
    cat_item it;
    char *body = NULL, *held = NULL;
    int changed;
    where w = { c->name, NULL, index, "item" };
    kc_err rc = content_parse_item(v, &it, &w, c->msg);
    if (rc)
        return rc;
    if ((rc = content_item_to_json(&it, &body)))
        rc = kc_fail(c->msg, rc, "content: out of memory");
    else if (x->compare) {
        if ((rc = x->k->item_body(x->ctx, it.id, &held)))
            sink_fail(c, x->k, x->ctx, rc);
        else if (index < c->nitems)
            x->same[index] = held && strcmp(held, body) == 0;
        kc_free(held);
    } else if ((rc = x->k->item_put(x->ctx, &it, body, &changed)))
        sink_fail(c, x->k, x->ctx, rc);
    else if (!changed)
        x->r->unchanged++;
    else if (changed == 1)
        x->r->added++;
    else
        x->r->updated++;
    kc_free(body);
    cat_item_clear(&it);
    return rc;
}

/* Before the write lock: which items the store already holds exactly as the file has
 * them.  Comparing every body is most of the work of a re-import, and other writers (a
 * server's pushes) need not wait for it.  *rev gets the catalog revision the comparison
 * saw; a NULL x->same (memory ran out) just means "compare later". */
static kc_err find_unchanged(writer *x, long long *rev)
{
    content *c = x->c;
    x->same = NULL;
    if ((*rev = x->k->catalog_rev(x->ctx)) < 0)
        return sink_fail(c, x->k, x->ctx, KC_EDB);
    if (!c->nitems || !(x->same = kc_calloc(c->nitems, 1)))
        return KC_OK;
    x->compare = 1;
    kc_err rc = content_reread(c, write_piece, x);
    x->compare = 0;
    if (rc) {
        kc_free(x->same);
        x->same = NULL;
    }
    return rc;
}

/* After everything is written: no live item may refer to a deleted one. */
static kc_err check_dangling(content *c, const content_sink *k, void *ctx)
{
    char from[CONTENT_SINK_STR], field[CONTENT_SINK_STR], target[CONTENT_SINK_STR];
    int found = 0;
    kc_err rc = k->dangling(ctx, &found, from, field, target);
    if (rc)
        return kc_fail(c->msg, rc, "%s: %s", c->name, k->errmsg(ctx));
    if (found)
        return kc_fail(c->msg, KC_EINVAL,
                       "%s: item \"%s\" field \"%s\": refers to \"%s\", which this import "
                       "deletes",
                       c->name, from, field, target);
    return KC_OK;
}

kc_err content_apply_to(content *c, const content_sink *k, void *ctx, int flags,
                        content_result *res)
{
    content_result r;
    memset(&r, 0, sizeof r);
    char **ids = NULL;
    size_t nids = 0;
    long long seen_rev;
    writer x = { c, k, ctx, &r, NULL, 0 };
    kc_err rc;
    if ((rc = find_unchanged(&x, &seen_rev)))
        return rc;
    if ((rc = k->begin(ctx))) {
        kc_free(x.same);
        return sink_fail(c, k, ctx, rc);
    }
    /* Every item change raises the revision: if it still reads the same, no item
     * changed since the comparison and its answers hold. */
    if (x.same && k->catalog_rev(ctx) != seen_rev) {
        kc_free(x.same);
        x.same = NULL;
    }
    if ((rc = check_store_refs(c, k, ctx)))
        goto fail;
    for (size_t i = 0; i < c->nareas; i++) {
        int changed;
        if ((rc = k->area_put(ctx, c->areas[i].id, c->areas[i].body, &changed)))
            goto dbfail;
        r.areas_changed += changed;
    }
    if ((rc = content_reread(c, write_piece, &x)))
        goto fail;
    for (size_t i = 0; i < c->ndeleted; i++) {
        int changed;
        if ((rc = k->item_delete(ctx, c->deleted[i], &changed)))
            goto dbfail;
        r.deleted += changed;
    }
    if (flags & CONTENT_REPLACE) {
        if ((rc = k->item_ids(ctx, &ids, &nids)))
            goto dbfail;
        for (size_t i = 0; i < nids; i++) {
            int changed;
            if (content_find_item(c, ids[i]))
                continue;
            if (c->scope) {
                long refs = 0;
                if (strncmp(ids[i], c->scope, strlen(c->scope)) != 0)
                    continue;
                if ((rc = k->item_refcount(ctx, ids[i], &refs)))
                    goto dbfail;
                if (refs > 0)
                    continue;
            }
            if ((rc = k->item_delete(ctx, ids[i], &changed)))
                goto dbfail;
            r.deleted += changed;
        }
    }
    if ((rc = check_dangling(c, k, ctx)))
        goto fail;
    if (flags & CONTENT_DRY_RUN)
        k->rollback(ctx);
    else if ((rc = k->commit(ctx)))
        goto dbfail;
    store_free_ids(ids, nids);
    kc_free(x.same);
    if (res)
        *res = r;
    return KC_OK;
dbfail:
    sink_fail(c, k, ctx, rc);
fail:
    k->rollback(ctx);
    store_free_ids(ids, nids);
    kc_free(x.same);
    return rc;
}

/* --- the core store as a sink ------------------------------------------------------ */

static long long st_rev(void *ctx) { return store_catalog_rev(ctx); }
static kc_err st_begin(void *ctx) { return store_begin(ctx); }
static kc_err st_commit(void *ctx) { return store_commit(ctx); }
static void st_rollback(void *ctx) { store_rollback(ctx); }
static kc_err st_area_exists(void *ctx, const char *id, int *exists)
{
    return store_area_exists(ctx, id, exists);
}
static kc_err st_item_kind(void *ctx, const char *id, int *kind)
{
    return store_item_kind(ctx, id, kind);
}
static kc_err st_item_body(void *ctx, const char *id, char **body)
{
    return store_item_body(ctx, id, body);
}
static kc_err st_area_put(void *ctx, const char *id, const char *body, int *changed)
{
    return store_area_put(ctx, id, body, changed);
}
static kc_err st_item_put(void *ctx, const cat_item *it, const char *body, int *changed)
{
    return store_item_put(ctx, it, body, 0, changed);
}
static kc_err st_item_delete(void *ctx, const char *id, int *changed)
{
    return store_item_delete(ctx, id, 0, changed);
}
static kc_err st_item_ids(void *ctx, char ***ids, size_t *n)
{
    return store_item_ids(ctx, ids, n);
}
static kc_err st_item_refcount(void *ctx, const char *id, long *count)
{
    return store_item_refcount(ctx, id, count);
}
static const char *st_errmsg(void *ctx) { return store_errmsg(ctx); }

static kc_err st_dangling(void *ctx, int *found, char *from, char *field, char *target)
{
    store *st = ctx;
    sqlite3_stmt *s = NULL;
    const char *sql =
        "SELECT i.ext_id, r.field, r.target FROM item_ref r JOIN item i ON i.id = r.item "
        "WHERE i.deleted = 0 AND NOT EXISTS (SELECT 1 FROM item t WHERE t.ext_id = r.target "
        "AND t.deleted = 0) LIMIT 1";
    *found = 0;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
        return store_fail_db(st, "checking references");
    kc_err rc = KC_OK;
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        *found = 1;
        snprintf(from, CONTENT_SINK_STR, "%s", (const char *)sqlite3_column_text(s, 0));
        snprintf(field, CONTENT_SINK_STR, "%s", (const char *)sqlite3_column_text(s, 1));
        snprintf(target, CONTENT_SINK_STR, "%s", (const char *)sqlite3_column_text(s, 2));
    } else if (r != SQLITE_DONE) {
        rc = store_fail_db(st, "checking references");
    }
    sqlite3_finalize(s);
    return rc;
}

static const content_sink store_sink = {
    st_rev, st_begin, st_commit, st_rollback, st_area_exists, st_item_kind, st_item_body,
    st_area_put, st_item_put, st_item_delete, st_item_ids, st_item_refcount, st_dangling,
    st_errmsg,
};

kc_err content_apply(content *c, store *st, int flags, content_result *res)
{
    return content_apply_to(c, &store_sink, st, flags, res);
}

/* --- export ---------------------------------------------------------------------- */

typedef struct export_ctx {
    FILE *f;
    int first;
    char *msg;
    int areas;  /* bodies are areas (already canonical), not items */
} export_ctx;

static kc_err export_one(void *vctx, const char *id, const char *body)
{
    export_ctx *x = vctx;
    char *out = NULL;
    kc_err rc = KC_OK;
    if (x->areas) {
        json_t *j = json_loads(body, 0, NULL);
        out = j ? content_dump(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
        json_decref(j);
    } else {
        cat_item it;
        if ((rc = content_item_from_json(body, strlen(body), &it, x->msg)))
            return kc_fail(x->msg, rc, "export: stored item \"%s\" is unreadable: %s", id,
                           x->msg);
        json_t *j = content_item_json(&it);
        out = j ? content_dump(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
        json_decref(j);
        cat_item_clear(&it);
    }
    if (!out)
        return kc_fail(x->msg, KC_ENOMEM, "export: out of memory");
    /* Indent the object by two levels so the file reads as one document. */
    if (fputs(x->first ? "\n    " : ",\n    ", x->f) < 0)
        rc = KC_EIO;
    for (const char *p = out; !rc && *p; p++) {
        if (fputc(*p, x->f) == EOF || (*p == '\n' && fputs("    ", x->f) < 0))
            rc = KC_EIO;
    }
    kc_free(out);
    x->first = 0;
    if (rc)
        return kc_fail(x->msg, KC_EIO, "export: write failed");
    return KC_OK;
}

kc_err content_export_from(content_each_fn areas, content_each_fn items, void *src, FILE *f,
                           char *msg)
{
    export_ctx x = { f, 1, msg, 1 };
    kc_err rc;
    if (fputs("{\n  \"format\": \"kiosk-content\",\n  \"version\": 1,\n  \"areas\": [", f) < 0)
        return kc_fail(msg, KC_EIO, "export: write failed");
    if ((rc = areas(src, msg, export_one, &x)))
        return rc;
    if (fputs(x.first ? "],\n  \"items\": [" : "\n  ],\n  \"items\": [", f) < 0)
        return kc_fail(msg, KC_EIO, "export: write failed");
    x.first = 1;
    x.areas = 0;
    if ((rc = items(src, msg, export_one, &x)))
        return rc;
    if (fputs(x.first ? "]\n}\n" : "\n  ]\n}\n", f) < 0 || fflush(f) != 0)
        return kc_fail(msg, KC_EIO, "export: write failed");
    return KC_OK;
}

static kc_err store_areas(void *src, char *msg, store_item_fn fn, void *ctx)
{
    kc_err rc = store_areas_each(src, fn, ctx);
    return rc == KC_EDB ? kc_fail(msg, rc, "%s", store_errmsg(src)) : rc;
}

static kc_err store_items(void *src, char *msg, store_item_fn fn, void *ctx)
{
    kc_err rc = store_items_each(src, fn, ctx);
    return rc == KC_EDB ? kc_fail(msg, rc, "%s", store_errmsg(src)) : rc;
}

kc_err content_export(store *st, FILE *f, char *msg)
{
    return content_export_from(store_areas, store_items, st, f, msg);
}

