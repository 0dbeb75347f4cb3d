/* admin_catalog.c - the catalog in the console: paged list and search, one item read,
 * saved or deleted, a content file checked then applied, the catalog downloaded.
 *
 * Every change goes through the content module exactly as `admin import` does (a
 * one-item content file for an edit), so the console validates like import, and each
 * saved change raises the catalog revision that kiosks pull on their next sync. */
#include "admin_impl.h"
#include "catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAT_PAGE_DEFAULT 50
#define CAT_PAGE_MAX 500

/* The stable code of a content module refusal, from the reason after its field
 * ("...field \"name.fi\": empty; leave ...").  The content module's wording is
 * its own; tests/console/api.test.mjs checks the codes of the common refusals. */
static const char *content_code(kc_err rc, const char *why)
{
    static const struct {
        const char *start, *code;
    } codes[] = {
        { "missing", "missing" },
        { "empty", "empty" },
        { "needs at least one language", "need_language" },
        { "unknown field", "unknown_field" },
        { "unknown language", "unknown_value" },
        { "must be", "wrong_type" },
        { "contains a control character", "control_chars" },
    };
    if (rc == KC_ETOOBIG)
        return why ? "too_long" : "too_large";
    if (!why)
        return "content_invalid";
    why += 3;
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (strncmp(why, codes[i].start, strlen(codes[i].start)) == 0)
            return codes[i].code;
    return "content_invalid";
}

/* A content module refusal as a 400 (or 413) naming the field its message names:
 * `item "x" field "name.fi": ...` -> "name.fi". */
static void content_fail(adm_ctx *x, kc_err rc)
{
    if (rc != KC_EINVAL && rc != KC_EJSON && rc != KC_ETOOBIG) {
        adm_db_fail(x, rc);
        return;
    }
    adm_content_fail(x, rc, srvdb_errmsg(x->db));
}

void adm_content_fail(adm_ctx *x, kc_err rc, const char *m)
{
    if (rc == KC_ENOMEM) {
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
        return;
    }
    const char *f = strstr(m, " field \"");
    char field[80] = "";
    if (f) {
        f += 8;
        const char *e = strchr(f, '"');
        if (e && (size_t)(e - f) < sizeof field)
            snprintf(field, sizeof field, "%.*s", (int)(e - f), f);
    }
    adm_failc(x, rc == KC_ETOOBIG ? MHD_HTTP_CONTENT_TOO_LARGE : MHD_HTTP_BAD_REQUEST,
              content_code(rc, f ? strstr(m, "\": ") : NULL), field[0] ? field : NULL, "%s", m);
}

static json_t *result_json(const content_result *r)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:I}", "added", (json_int_t)r->added, "changed",
                     (json_int_t)r->updated, "unchanged", (json_int_t)r->unchanged, "deleted",
                     (json_int_t)r->deleted, "areas_changed", (json_int_t)r->areas_changed);
}

typedef struct list_ctx {
    json_t *arr;
    char last[CAT_ID_MAX + 1];
} list_ctx;

static kc_err list_row(void *ctx, const srvdb_cat_row *r)
{
    list_ctx *lc = ctx;
    const char *k = r->kind >= 0 && r->kind < CAT_NKIND ? cat_kind_name((cat_kind)r->kind) : "";
    json_t *j = json_pack("{s:s, s:s, s:I, s:{s:s, s:s, s:s}, s:s}", "id", r->id, "kind", k,
                          "rev", (json_int_t)r->rev, "name", "fi", r->name_fi, "sv", r->name_sv,
                          "en", r->name_en, "area", r->area);
    snprintf(lc->last, sizeof lc->last, "%s", r->id);
    return j && json_array_append_new(lc->arr, j) == 0 ? KC_OK : KC_ENOMEM;
}

void adm_catalog_list(adm_ctx *x)
{
    srvdb_cat_filter f = { adm_query(x, "q"), -1, adm_query(x, "area"), adm_query(x, "after"),
                           CAT_PAGE_DEFAULT };
    const char *kind = adm_query(x, "kind");
    long long limit;
    if (adm_query_num(x, "limit", CAT_PAGE_MAX, CAT_PAGE_DEFAULT, &limit))
        return;
    if (limit < 1) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "limit", "\"limit\" must be 1-%d", CAT_PAGE_MAX);
        return;
    }
    f.limit = (long)limit;
    if (f.q && strlen(f.q) > SRVDB_QUERY_MAX) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "q", "\"q\" is longer than %d bytes", SRVDB_QUERY_MAX);
        return;
    }
    if (kind && *kind && (f.kind = cat_kind_from_name(kind)) < 0) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "kind", "\"kind\" is not an item kind");
        return;
    }
    if (f.area && !*f.area)
        f.area = NULL;
    if ((f.area && !cat_valid_id(f.area, CAT_ID_MAX)) ||
        (f.after && *f.after && !cat_valid_id(f.after, CAT_ID_MAX))) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, f.area && !cat_valid_id(f.area, CAT_ID_MAX) ? "area" : "after",
                 "not an id");
        return;
    }
    /* One more than asked for tells whether a next page exists. */
    f.limit++;
    list_ctx lc = { json_array(), "" };
    long long total = -1, head = 0;
    kc_err rc = lc.arr ? srvdb_read_begin(x->db) : KC_ENOMEM;
    if (!rc) {
        rc = srvdb_catalog_list(x->db, &f, list_row, &lc, &total);
        if (!rc)
            rc = srvdb_catalog_head(x->db, &head);
        srvdb_read_end(x->db);
    }
    if (rc) {
        json_decref(lc.arr);
        adm_db_fail(x, rc);
        return;
    }
    int more = (long)json_array_size(lc.arr) > limit;
    if (more) {
        json_array_remove(lc.arr, json_array_size(lc.arr) - 1);
        json_t *last = json_array_get(lc.arr, json_array_size(lc.arr) - 1);
        snprintf(lc.last, sizeof lc.last, "%s", json_string_value(json_object_get(last, "id")));
    }
    json_t *j = json_pack("{s:o, s:I, s:s?}", "items", lc.arr, "revision", (json_int_t)head,
                          "next", more ? lc.last : NULL);
    if (j && total >= 0)
        json_object_set_new(j, "total", json_integer(total));
    adm_ok(x, MHD_HTTP_OK, j);
}

void adm_item_get(adm_ctx *x)
{
    int kind = -1;
    long long rev = 0;
    char *body = NULL;
    kc_err rc = srvdb_item_get(x->db, x->arg, &kind, &rev, &body);
    if (rc) {
        adm_db_fail(x, rc);
        return;
    }
    json_t *item = json_loads(body, 0, NULL);
    kc_free(body);
    adm_ok(x, MHD_HTTP_OK, item ? json_pack("{s:o, s:I}", "item", item, "rev", (json_int_t)rev)
                               : NULL);
}

/* Applies a content file built around one change; replies with the counts and the
 * revision kiosks will pull. */
static void apply_doc(adm_ctx *x, json_t *doc, const char *action, const char *target)
{
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    if (!text) {
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
        return;
    }
    content_result res;
    long long head = 0;
    kc_err rc = srvdb_content_apply(x->db, text, strlen(text), 0, &res);
    free(text);
    if (rc) {
        content_fail(x, rc);
        return;
    }
    if ((rc = srvdb_catalog_head(x->db, &head))) {
        adm_db_fail(x, rc);
        return;
    }
    if ((res.added || res.updated || res.deleted || res.areas_changed) &&
        adm_audit(x, action, target, "%s, catalog revision %lld",
                  res.added ? "added" : res.deleted ? "deleted" : "changed", head))
        return;
    json_t *j = result_json(&res);
    if (j)
        json_object_set_new(j, "revision", json_integer(head));
    adm_ok(x, MHD_HTTP_OK, j);
}

void adm_item_save(adm_ctx *x)
{
    json_t *item = json_object_get(x->body, "item");
    if (!json_is_object(item)) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "item", "\"item\" must be an object");
        return;
    }
    json_t *id = json_object_get(item, "id");
    if (!json_is_string(id) || strcmp(json_string_value(id), x->arg) != 0) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "id", "\"id\" must be the item's id in the path");
        return;
    }
    json_t *doc = json_pack("{s:s, s:i, s:[O]}", "format", "kiosk-content", "version", 1,
                            "items", item);
    apply_doc(x, doc, "catalog.save", x->arg);
}

void adm_item_delete(adm_ctx *x)
{
    int kind;
    long long rev;
    char *body = NULL;
    kc_err rc = srvdb_item_get(x->db, x->arg, &kind, &rev, &body);
    kc_free(body);
    if (rc) {
        adm_db_fail(x, rc);
        return;
    }
    json_t *doc = json_pack("{s:s, s:i, s:[s]}", "format", "kiosk-content", "version", 1,
                            "deleted", x->arg);
    apply_doc(x, doc, "catalog.delete", x->arg);
}

void adm_catalog_import(adm_ctx *x)
{
    long long apply, replace;
    if (adm_query_num(x, "apply", 1, 0, &apply) || adm_query_num(x, "replace", 1, 0, &replace))
        return;
    int flags = (apply ? 0 : CONTENT_DRY_RUN) | (replace ? CONTENT_REPLACE : 0);
    content_result res;
    kc_err rc = srvdb_content_apply(x->db, x->raw, x->raw_len, flags, &res);
    if (rc) {
        content_fail(x, rc);
        return;
    }
    long long head = 0;
    if ((rc = srvdb_catalog_head(x->db, &head))) {
        adm_db_fail(x, rc);
        return;
    }
    if (apply && adm_audit(x, "catalog.import", "", "%ld added, %ld changed, %ld deleted%s",
                           res.added, res.updated, res.deleted, replace ? " (replace)" : ""))
        return;
    json_t *j = result_json(&res);
    if (j) {
        json_object_set_new(j, "applied", json_boolean(apply));
        json_object_set_new(j, "revision", json_integer(head));
    }
    adm_ok(x, MHD_HTTP_OK, j);
}

void adm_catalog_export(adm_ctx *x)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
        return;
    }
    kc_err rc = srvdb_read_begin(x->db);
    if (!rc) {
        rc = srvdb_catalog_export(x->db, f);
        srvdb_read_end(x->db);
    }
    if (fclose(f) != 0 && !rc)
        rc = KC_ENOMEM;
    if (rc) {
        free(buf);
        adm_db_fail(x, rc);
        return;
    }
    x->raw_out = buf;
    x->raw_out_len = len;
    x->raw_type = "application/json";
    x->raw_name = "catalog.json";
    x->status = MHD_HTTP_OK;
}

static kc_err area_row(void *ctx, const char *id, const char *body)
{
    (void)id;
    json_t *a = json_loads(body, 0, NULL);
    return a && json_array_append_new(ctx, a) == 0 ? KC_OK : KC_ENOMEM;
}

void adm_areas_list(adm_ctx *x)
{
    json_t *arr = json_array();
    kc_err rc = arr ? srvdb_areas_each(x->db, area_row, arr) : KC_ENOMEM;
    if (rc) {
        json_decref(arr);
        adm_db_fail(x, rc);
        return;
    }
    adm_ok(x, MHD_HTTP_OK, json_pack("{s:o}", "areas", arr));
}

/* An area saved (added or changed) exactly as an import with one area would; kiosks
 * get it on their next sync (the area list's digest changes). */
void adm_area_save(adm_ctx *x)
{
    json_t *area = json_object_get(x->body, "area");
    if (!json_is_object(area)) {
        adm_failc(x, MHD_HTTP_BAD_REQUEST, "wrong_type", "area", "\"area\" must be an object");
        return;
    }
    json_t *id = json_object_get(area, "id");
    if (!json_is_string(id) || strcmp(json_string_value(id), x->arg) != 0) {
        adm_failc(x, MHD_HTTP_BAD_REQUEST, "invalid", "id",
                  "\"id\" must be the area's id in the path");
        return;
    }
    json_t *doc = json_pack("{s:s, s:i, s:[O]}", "format", "kiosk-content", "version", 1,
                            "areas", area);
    apply_doc(x, doc, "area.save", x->arg);
}

/* An area deleted; refused (409, code area_in_use, with the number of items) while
 * live items are in it, so no kiosk is left with items naming an area it dropped. */
void adm_area_delete(adm_ctx *x)
{
    long users = 0;
    kc_err rc = srvdb_area_delete(x->db, x->arg, &users);
    if (rc == KC_EEXIST) {
        adm_failc(x, MHD_HTTP_CONFLICT, "area_in_use", "area", "%s", srvdb_errmsg(x->db));
        if (x->out)
            json_object_set_new(x->out, "items", json_integer(users));
        return;
    }
    if (rc) {
        adm_db_fail(x, rc);
        return;
    }
    if (adm_audit(x, "area.delete", x->arg, "deleted"))
        return;
    adm_ok(x, MHD_HTTP_OK, json_pack("{s:s}", "deleted", x->arg));
}
