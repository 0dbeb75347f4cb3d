/* The catalog in the store: items, tombstones, references, search text, areas. */
#include <stdio.h>
#include <string.h>

#include "fold.h"
#include "store_sql.h"
#include "store_impl.h"

static kc_err next_rev(store *st, long long given, long long *rev)
{
    long long cur = store_catalog_rev(st);
    if (cur < 0)
        return store_fail_db(st, "reading catalog revision");
    *rev = given > 0 ? given : cur + 1;
    if (*rev <= cur)
        return KC_OK;
    sqlite3_stmt *s = NULL;
    kc_err rc = store_prep(st, &s, "UPDATE meta SET value = ? WHERE key = 'catalog_rev'");
    if (!rc) {
        sqlite3_bind_int64(s, 1, *rev);
        rc = store_step_done(st, s, "raising catalog revision");
    }
    store_done(st, s);
    return rc;
}

long long store_catalog_rev(store *st)
{
    sqlite3_stmt *s = NULL;
    long long v = -1;
    if (store_prep(st, &s, "SELECT value FROM meta WHERE key = 'catalog_rev'") == KC_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    store_done(st, s);
    return v;
}

/* Folded text of every TEXT field but the name, all languages, for the description
 * tier of search.  Names are indexed in memory by the search module. */
static kc_err item_search_text(const cat_item *it, char **out)
{
    size_t cap = 1, len = 0;
    for (int f = 0; f < CAT_NFIELD; f++)
        if (f != CAT_F_NAME && cat_fields[f].type == CAT_T_TEXT && it->v[f].present)
            for (int l = 0; l < CAT_NLANG; l++)
                if (it->v[f].text[l])
                    cap += strlen(it->v[f].text[l]) + 1;
    char *buf = kc_malloc(cap);
    if (!buf)
        return KC_ENOMEM;
    buf[0] = '\0';
    for (int f = 0; f < CAT_NFIELD; f++) {
        if (f == CAT_F_NAME || cat_fields[f].type != CAT_T_TEXT || !it->v[f].present)
            continue;
        for (int l = 0; l < CAT_NLANG; l++) {
            const char *t = it->v[f].text[l];
            if (!t)
                continue;
            size_t n = strlen(t);
            memcpy(buf + len, t, n);
            len += n;
            buf[len++] = '\n';
        }
    }
    buf[len] = '\0';
    char *folded = NULL;
    kc_err rc = fold_utf8(buf, len, &folded);
    kc_free(buf);
    *out = folded;
    return rc;
}

static unsigned langs_bits(const cat_item *it)
{
    return it->v[CAT_F_LANGUAGES].present ? it->v[CAT_F_LANGUAGES].bits : 0;
}

/* --- catalog ---------------------------------------------------------------- */

kc_err store_item_put(store *st, const cat_item *it, const char *body, long long rev,
                      int *changed)
{
    if (changed)
        *changed = 0;
    if (!store_in_tx(st))
        return store_fail(st, KC_EUSAGE, "store: item_put outside a transaction");
    sqlite3_stmt *s = NULL;
    char *text = NULL;
    long long rowid = 0;
    kc_err rc = store_prep(st, &s, "SELECT id, body FROM item WHERE ext_id = ?");
    if (rc)
        return rc;
    store_bind_text(s, 1, it->id);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        rowid = sqlite3_column_int64(s, 0);
        const char *old = (const char *)sqlite3_column_text(s, 1);
        if (old && strcmp(old, body) == 0) {
            store_done(st, s);
            return KC_OK;
        }
    } else if (r != SQLITE_DONE) {
        rc = store_fail_db(st, "looking up item");
        goto fail;
    }
    store_done(st, s);
    s = NULL;

    long long newrev;
    if ((rc = next_rev(st, rev, &newrev)))
        goto fail;
    const char *start = NULL, *end = NULL;
    if (it->kind == CAT_EVENT) {
        start = it->v[CAT_F_START].str;
        end = it->v[CAT_F_END].str;
    } else if (it->kind == CAT_GRANT) {
        start = it->v[CAT_F_DEADLINE].str;
    }
    const cat_value *name = &it->v[CAT_F_NAME];
    if ((rc = store_prep(st, &s,
                   "INSERT INTO item(id, ext_id, kind, rev, deleted, name_fi, name_sv, "
                   "name_en, area, themes, langs, start_at, end_at, body) "
                   "VALUES(?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
                   "ON CONFLICT(ext_id) DO UPDATE SET kind = ?3, rev = ?4, deleted = 0, "
                   "name_fi = ?5, name_sv = ?6, name_en = ?7, area = ?8, themes = ?9, "
                   "langs = ?10, start_at = ?11, end_at = ?12, body = ?13")))
        goto fail;
    if (rowid)
        sqlite3_bind_int64(s, 1, rowid);
    else
        sqlite3_bind_null(s, 1);
    store_bind_text(s, 2, it->id);
    sqlite3_bind_int(s, 3, it->kind);
    sqlite3_bind_int64(s, 4, newrev);
    store_bind_text(s, 5, name->text[CAT_FI]);
    store_bind_text(s, 6, name->text[CAT_SV]);
    store_bind_text(s, 7, name->text[CAT_EN]);
    store_bind_text(s, 8, it->v[CAT_F_AREA].str);
    sqlite3_bind_int64(s, 9, it->v[CAT_F_THEMES].bits);
    sqlite3_bind_int64(s, 10, langs_bits(it));
    store_bind_text(s, 11, start);
    store_bind_text(s, 12, end);
    store_bind_text(s, 13, body);
    if ((rc = store_step_done(st, s, "writing item")))
        goto fail;
    store_done(st, s);
    s = NULL;
    int is_new = !rowid;
    if (is_new)
        rowid = sqlite3_last_insert_rowid(store_db(st));

    /* References and search text are rewritten whole; cheaper to reason about than
     * a diff, and an item has only a handful of rows. */
    if (!is_new) {
        if ((rc = store_prep(st, &s, "DELETE FROM item_ref WHERE item = ?")))
            goto fail;
        sqlite3_bind_int64(s, 1, rowid);
        if ((rc = store_step_done(st, s, "clearing references")))
            goto fail;
        store_done(st, s);
        s = NULL;
    }
    if ((rc = store_prep(st, &s, "INSERT INTO item_ref(item, field, target) VALUES(?, ?, ?)")))
        goto fail;
    for (int f = 0; f < CAT_NFIELD; f++) {
        if (cat_fields[f].type != CAT_T_REF || !it->v[f].present)
            continue;
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, rowid);
        store_bind_text(s, 2, cat_fields[f].key);
        store_bind_text(s, 3, it->v[f].str);
        if ((rc = store_step_done(st, s, "writing reference")))
            goto fail;
    }
    store_done(st, s);
    s = NULL;

    if (store_search_text(st) && (rc = item_search_text(it, &text))) {
        store_fail(st, rc, "store: item \"%s\": folding text: %s", it->id, kc_strerror(rc));
        goto fail;
    }
    if (!is_new) {
        if ((rc = store_prep(st, &s, "DELETE FROM item_text WHERE rowid = ?")))
            goto fail;
        sqlite3_bind_int64(s, 1, rowid);
        if ((rc = store_step_done(st, s, "clearing search text")))
            goto fail;
        store_done(st, s);
        s = NULL;
    }
    if (text && text[0]) {
        if ((rc = store_prep(st, &s, "INSERT INTO item_text(rowid, text) VALUES(?, ?)")))
            goto fail;
        sqlite3_bind_int64(s, 1, rowid);
        store_bind_text(s, 2, text);
        if ((rc = store_step_done(st, s, "writing search text")))
            goto fail;
    }
    if (changed)
        *changed = is_new ? 1 : 2;
fail:
    store_done(st, s);
    kc_free(text);
    return rc;
}

kc_err store_item_delete(store *st, const char *id, long long rev, int *changed)
{
    if (changed)
        *changed = 0;
    if (!store_in_tx(st))
        return store_fail(st, KC_EUSAGE, "store: item_delete outside a transaction");
    sqlite3_stmt *s = NULL;
    long long rowid = 0;
    kc_err rc = store_prep(st, &s, "SELECT id FROM item WHERE ext_id = ? AND deleted = 0");
    if (rc)
        return rc;
    store_bind_text(s, 1, id);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW)
        rowid = sqlite3_column_int64(s, 0);
    else if (r != SQLITE_DONE)
        rc = store_fail_db(st, "looking up item");
    store_done(st, s);
    s = NULL;
    if (rc || !rowid)
        return rc;
    long long newrev;
    if ((rc = next_rev(st, rev, &newrev)))
        return rc;
    static const char *const sql[] = {
        "UPDATE item SET deleted = 1, rev = ?2, body = NULL, name_fi = NULL, "
        "name_sv = NULL, name_en = NULL, area = NULL, themes = 0, langs = 0, "
        "start_at = NULL, end_at = NULL WHERE id = ?1",
        "DELETE FROM item_ref WHERE item = ?1",
        "DELETE FROM item_text WHERE rowid = ?1",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        if ((rc = store_prep(st, &s, sql[i])))
            return rc;
        sqlite3_bind_int64(s, 1, rowid);
        if (i == 0)
            sqlite3_bind_int64(s, 2, newrev);
        rc = store_step_done(st, s, "deleting item");
        store_done(st, s);
        if (rc)
            return rc;
    }
    if (changed)
        *changed = 1;
    return KC_OK;
}

/* The first column of the first row of a one-parameter query; *found says whether
 * there was a row. */
static kc_err lookup_int(store *st, const char *sql, const char *key, long long *out,
                         int *found, const char *what)
{
    sqlite3_stmt *s = NULL;
    *out = 0;
    *found = 0;
    kc_err rc = store_prep(st, &s, sql);
    if (rc)
        return rc;
    store_bind_text(s, 1, key);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        *out = sqlite3_column_int64(s, 0);
        *found = 1;
    } else if (r != SQLITE_DONE) {
        rc = store_fail_db(st, what);
    }
    store_done(st, s);
    return rc;
}

kc_err store_item_kind(store *st, const char *id, int *kind)
{
    long long v;
    int found;
    kc_err rc = lookup_int(st, "SELECT kind FROM item WHERE ext_id = ? AND deleted = 0", id,
                           &v, &found, "looking up item");
    *kind = found ? (int)v : -1;
    return rc;
}

kc_err store_item_body(store *st, const char *id, char **body)
{
    sqlite3_stmt *s = NULL;
    *body = NULL;
    kc_err rc = store_prep(st, &s, "SELECT body FROM item WHERE ext_id = ? AND deleted = 0");
    if (rc)
        return rc;
    store_bind_text(s, 1, id);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        *body = kc_strdup((const char *)sqlite3_column_text(s, 0));
        if (!*body)
            rc = store_fail(st, KC_ENOMEM, "store: out of memory reading item");
    } else if (r != SQLITE_DONE) {
        rc = store_fail_db(st, "reading item");
    }
    store_done(st, s);
    return rc;
}

kc_err store_item_refcount(store *st, const char *id, long *count)
{
    long long v;
    int found;
    kc_err rc = lookup_int(st, "SELECT count(*) FROM item_ref WHERE target = ?", id, &v,
                           &found, "counting references");
    *count = (long)v;
    return rc;
}

kc_err store_item_referrers(store *st, const char *id, long max, store_ref_fn fn, void *ctx)
{
    sqlite3_stmt *s = NULL;
    kc_err rc = store_prep_once(st, &s, "SELECT i.ext_id, i.kind FROM item_ref r JOIN item i "
                                        "ON i.id = r.item WHERE r.target = ? AND i.deleted = 0 "
                                        "ORDER BY i.kind, i.start_at, i.name_fi LIMIT ?");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, max);
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        rc = fn(ctx, (const char *)sqlite3_column_text(s, 0), sqlite3_column_int(s, 1));
        if (rc)
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = store_fail_db(st, "reading references");
    sqlite3_finalize(s);
    return rc;
}

kc_err store_upcoming(store *st, int k1, int k2, const char *today, long max,
                      store_dated_fn fn, void *ctx)
{
    sqlite3_stmt *s = NULL;
    kc_err rc = store_prep_once(st, &s,
                                "SELECT ext_id, kind, start_at, coalesce(end_at, ''), "
                                "coalesce(json_extract(body, '$.venue'), ''), "
                                "coalesce(json_extract(body, '$.status'), '') FROM item "
                                "WHERE deleted = 0 AND start_at IS NOT NULL AND kind IN (?1, ?2) "
                                "AND coalesce(end_at, start_at) >= ?3 ORDER BY start_at LIMIT ?4");
    if (rc)
        return rc;
    sqlite3_bind_int(s, 1, k1);
    sqlite3_bind_int(s, 2, k2);
    sqlite3_bind_text(s, 3, today, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, max);
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        store_dated d = {
            (const char *)sqlite3_column_text(s, 0), sqlite3_column_int(s, 1),
            (const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 3),
            (const char *)sqlite3_column_text(s, 4), (const char *)sqlite3_column_text(s, 5),
        };
        if (!d.id || !d.start || !d.end || !d.venue || !d.status) {
            rc = store_fail(st, KC_ENOMEM, "store: out of memory reading dates");
            break;
        }
        if ((rc = fn(ctx, &d)))
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = store_fail_db(st, "reading dated items");
    sqlite3_finalize(s);
    return rc;
}

static kc_err each_row(store *st, const char *sql, store_item_fn fn, void *ctx)
{
    sqlite3_stmt *s = NULL;
    kc_err rc = store_prep_once(st, &s, sql);
    if (rc)
        return rc;
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        rc = fn(ctx, (const char *)sqlite3_column_text(s, 0),
                (const char *)sqlite3_column_text(s, 1));
        if (rc)
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = store_fail_db(st, "reading rows");
    sqlite3_finalize(s);
    return rc;
}

kc_err store_items_each(store *st, store_item_fn fn, void *ctx)
{
    return each_row(st, "SELECT ext_id, body FROM item WHERE deleted = 0 ORDER BY ext_id",
                    fn, ctx);
}

kc_err store_areas_each(store *st, store_item_fn fn, void *ctx)
{
    return each_row(st, "SELECT id, body FROM area ORDER BY id", fn, ctx);
}

void store_free_ids(char **ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        kc_free(ids[i]);
    kc_free(ids);
}

kc_err store_item_ids(store *st, char ***ids, size_t *n)
{
    sqlite3_stmt *s = NULL;
    char **v = NULL;
    size_t len = 0, cap = 0;
    *ids = NULL;
    *n = 0;
    kc_err rc = store_prep_once(st, &s, "SELECT ext_id FROM item WHERE deleted = 0 ORDER BY ext_id");
    if (rc)
        return rc;
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        if (len == cap) {
            size_t nc = cap ? cap * 2 : 256;
            char **nv = kc_realloc(v, nc * sizeof *v);
            if (!nv)
                goto nomem;
            v = nv;
            cap = nc;
        }
        if (!(v[len] = kc_strdup((const char *)sqlite3_column_text(s, 0))))
            goto nomem;
        len++;
    }
    sqlite3_finalize(s);
    if (r != SQLITE_DONE) {
        store_free_ids(v, len);
        return store_fail_db(st, "listing items");
    }
    *ids = v;
    *n = len;
    return KC_OK;
nomem:
    sqlite3_finalize(s);
    store_free_ids(v, len);
    return store_fail(st, KC_ENOMEM, "store: out of memory listing items");
}

kc_err store_area_put(store *st, const char *id, const char *body, int *changed)
{
    sqlite3_stmt *s = NULL;
    if (changed)
        *changed = 0;
    kc_err rc = store_prep(st, &s,
                     "INSERT INTO area(id, body) VALUES(?1, ?2) ON CONFLICT(id) DO UPDATE "
                     "SET body = ?2 WHERE body IS NOT ?2");
    if (rc)
        return rc;
    store_bind_text(s, 1, id);
    store_bind_text(s, 2, body);
    rc = store_step_done(st, s, "writing area");
    if (!rc && changed)
        *changed = sqlite3_changes(store_db(st)) > 0;
    store_done(st, s);
    return rc;
}

kc_err store_area_exists(store *st, const char *id, int *exists)
{
    long long v;
    return lookup_int(st, "SELECT 1 FROM area WHERE id = ?", id, &v, exists,
                      "looking up area");
}

kc_err store_get_stats(store *st, store_stats *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = NULL;
    kc_err rc = store_prep(st, &s,
                     "SELECT kind, deleted, count(*) FROM item GROUP BY kind, deleted");
    if (rc)
        return rc;
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        int kind = sqlite3_column_int(s, 0);
        long n = (long)sqlite3_column_int64(s, 2);
        if (sqlite3_column_int(s, 1))
            out->tombstones += n;
        else if (kind >= 0 && kind < CAT_NKIND)
            out->live[kind] = n;
    }
    store_done(st, s);
    if (r != SQLITE_DONE)
        return store_fail_db(st, "counting items");
    if ((rc = store_prep(st, &s, "SELECT count(*) FROM area")))
        return rc;
    if (sqlite3_step(s) == SQLITE_ROW)
        out->areas = (long)sqlite3_column_int64(s, 0);
    store_done(st, s);
    out->catalog_rev = store_catalog_rev(st);
    out->schema = store_schema_version();
    return KC_OK;
}

kc_err store_changes(store *st, long long since, long limit, store_change_fn fn, void *ctx,
                     long long *last)
{
    sqlite3_stmt *s = NULL;
    *last = since;
    kc_err rc = store_prep_once(st, &s, "SELECT ext_id, kind, rev, deleted, body FROM item "
                             "WHERE rev > ? ORDER BY rev LIMIT ?");
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, since);
    sqlite3_bind_int64(s, 2, limit);
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        long long rev = sqlite3_column_int64(s, 2);
        rc = fn(ctx, (const char *)sqlite3_column_text(s, 0), sqlite3_column_int(s, 1), rev,
                sqlite3_column_int(s, 3), (const char *)sqlite3_column_text(s, 4));
        if (rc)
            break;
        *last = rev;
    }
    if (!rc && r != SQLITE_DONE)
        rc = store_fail_db(st, "reading changes");
    sqlite3_finalize(s);
    return rc;
}

