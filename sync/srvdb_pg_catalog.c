/* srvdb_pg_catalog.c - the PostgreSQL backend's catalog: items, their references and
 * the areas, written by the core's own content_apply through a content_sink, so a
 * file is validated exactly as on SQLite and revisions and tombstones mean the same:
 * every item change takes the next catalog revision, a deleted item keeps its id
 * under a new revision with no body. */
#include "srvdb_pg_impl.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char *const catalog_sql[] = {
    "CREATE TABLE item(ext_id text PRIMARY KEY, kind int NOT NULL, rev bigint NOT NULL"
    " UNIQUE, deleted int NOT NULL DEFAULT 0, body text);"
    /* only live items have references, as on SQLite */
    "CREATE TABLE item_ref(item text NOT NULL REFERENCES item(ext_id) ON DELETE CASCADE,"
    " field text NOT NULL, target text NOT NULL);"
    "CREATE INDEX item_ref_target ON item_ref(target);"
    "CREATE INDEX item_ref_item ON item_ref(item);"
    "CREATE TABLE area(id text PRIMARY KEY, body text NOT NULL);",
};
const pg_module pg_catalog_module = { "server-catalog", catalog_sql,
                                      (int)(sizeof catalog_sql / sizeof catalog_sql[0]) };

/* A revision of the areas, raised by every row that changes in `area` whoever writes
 * it, so a server process recomputes the areas digest only when they changed instead
 * of on every kiosk's sync. */
static const char *const areas_sql[] = {
    "INSERT INTO feed_rev(feed, rev) VALUES('areas', 0) ON CONFLICT DO NOTHING;"
    "CREATE FUNCTION kc_areas_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " UPDATE feed_rev SET rev = rev + 1 WHERE feed = 'areas'; RETURN NULL; END $$;"
    "CREATE TRIGGER area_rev AFTER INSERT OR UPDATE OR DELETE ON area FOR EACH ROW"
    " EXECUTE FUNCTION kc_areas_changed();",
};
const pg_module pg_areas_module = { "server-area-rev", areas_sql,
                                    (int)(sizeof areas_sql / sizeof areas_sql[0]) };

kc_err pg_catalog_head(void *impl, char *msg, long long *rev)
{
    PGresult *r;
    kc_err rc = pg_q(impl, msg, &r, "SELECT rev FROM feed_rev WHERE feed = 'catalog'", 0, NULL,
                     NULL);
    if (!rc)
        *rev = PQntuples(r) ? pg_ll(r, 0, 0) : 0;
    PQclear(r);
    return rc;
}

kc_err pg_catalog_changes(void *impl, char *msg, long long since, long limit,
                          store_change_fn fn, void *ctx, long long *last)
{
    char s[24], l[24];
    *last = since;
    snprintf(s, sizeof s, "%lld", since);
    snprintf(l, sizeof l, "%ld", limit);
    const char *v[2] = { s, l };
    PGresult *r;
    kc_err rc = pg_q(impl, msg, &r, "SELECT ext_id, kind, rev, deleted, body FROM item "
                                    "WHERE rev > $1 ORDER BY rev LIMIT $2", 2, v, NULL);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        long long rev = pg_ll(r, i, 2);
        int deleted = (int)pg_ll(r, i, 3);
        if ((rc = fn(ctx, PQgetvalue(r, i, 0), (int)pg_ll(r, i, 1), rev, deleted,
                     deleted ? NULL : PQgetvalue(r, i, 4))))
            break;
        *last = rev;
    }
    PQclear(r);
    return rc;
}

/* As on SQLite: counted and deleted in one transaction that holds the catalog feed's
 * row, so no import can put an item in the area between the count and the deletion. */
kc_err pg_area_delete(void *impl, char *msg, const char *id, long *users)
{
    pg *p = impl;
    PGresult *r = NULL;
    const char *v[1] = { id };
    *users = 0;
    kc_err rc = pg_begin(p, msg);
    if (rc)
        return rc;
    if ((rc = pg_x(p, msg, "INSERT INTO feed_rev(feed, rev) VALUES ('catalog', 0) "
                           "ON CONFLICT DO NOTHING")) ||
        (rc = pg_x(p, msg, "SELECT rev FROM feed_rev WHERE feed = 'catalog' FOR UPDATE")) ||
        (rc = pg_q(p, msg, &r, "SELECT (SELECT count(*) FROM area WHERE id = $1), "
                               "(SELECT count(*) FROM item WHERE deleted = 0 AND body IS NOT NULL "
                               "AND (body::jsonb)->>'area' = $1)", 1, v, NULL)))
        goto fail;
    long long exists = pg_ll(r, 0, 0);
    *users = (long)pg_ll(r, 0, 1);
    PQclear(r);
    r = NULL;
    if (!exists) {
        pg_rollback(p);
        return kc_fail(msg, KC_ENOTFOUND, "no area \"%.64s\"", id);
    }
    if (*users > 0) {
        pg_rollback(p);
        return kc_fail(msg, KC_EEXIST, "%ld live item%s in area \"%.64s\"", *users,
                       *users == 1 ? " is" : "s are", id);
    }
    if ((rc = pg_q(p, msg, NULL, "DELETE FROM area WHERE id = $1", 1, v, NULL)) ||
        (rc = pg_commit(p, msg)))
        goto fail;
    return KC_OK;
fail:
    pg_rollback(p);
    return rc;
}

kc_err pg_areas_each(void *impl, char *msg, store_item_fn fn, void *ctx)
{
    PGresult *r;
    /* byte order, as SQLite sorts: the areas digest depends on it */
    kc_err rc = pg_q(impl, msg, &r, "SELECT id, body FROM area ORDER BY id COLLATE \"C\"", 0,
                     NULL, NULL);
    for (int i = 0; !rc && i < PQntuples(r); i++)
        rc = fn(ctx, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
    PQclear(r);
    return rc;
}

static kc_err digest_one(void *ctx, const char *id, const char *body)
{
    crypto_generichash_state *h = ctx;
    /* id and body are separated by NULs so no two lists hash alike (as on SQLite) */
    crypto_generichash_update(h, (const unsigned char *)id, strlen(id) + 1);
    crypto_generichash_update(h, (const unsigned char *)body, strlen(body) + 1);
    return KC_OK;
}

/* The revision is read before the areas: a digest cached under it is of those areas
 * or newer ones, so a change always shows as a newer revision on the next call. */
kc_err pg_areas_digest(void *impl, char *msg, char *digest)
{
    pg *p = impl;
    PGresult *r;
    kc_err rc = pg_q(p, msg, &r, "SELECT rev FROM feed_rev WHERE feed = 'areas'", 0, NULL, NULL);
    if (rc)
        return rc;
    long long rev = PQntuples(r) ? pg_ll(r, 0, 0) : -1;
    PQclear(r);
    if (p->areas_ok && rev >= 0 && rev == p->areas_rev) {
        memcpy(digest, p->areas_digest, PROTO_DIGEST_HEX + 1);
        return KC_OK;
    }
    crypto_generichash_state h;
    unsigned char out[32];
    crypto_generichash_init(&h, NULL, 0, sizeof out);
    if ((rc = pg_areas_each(impl, msg, digest_one, &h)))
        return rc;
    crypto_generichash_final(&h, out, sizeof out);
    sodium_bin2hex(digest, PROTO_DIGEST_HEX + 1, out, sizeof out);
    memcpy(p->areas_digest, digest, PROTO_DIGEST_HEX + 1);
    p->areas_rev = rev;
    p->areas_ok = rev >= 0;
    return KC_OK;
}

/* --- the sink ------------------------------------------------------------------------- */

static long long k_rev(void *ctx)
{
    pg *p = ctx;
    long long rev = -1;
    if (pg_catalog_head(p, p->msg, &rev))
        return -1;
    return rev;
}

static kc_err k_begin(void *ctx)
{
    pg *p = ctx;
    kc_err rc = pg_begin(p, p->msg);
    /* Imports take turns from here (the catalog feed's row), so the checks against
     * stored items hold until commit and revisions commit in order. */
    if (!rc && (rc = pg_x(p, p->msg, "SELECT rev FROM feed_rev WHERE feed = 'catalog' FOR "
                                     "UPDATE")))
        pg_rollback(p);
    return rc;
}

static kc_err k_commit(void *ctx)
{
    pg *p = ctx;
    return pg_commit(p, p->msg);
}

static void k_rollback(void *ctx)
{
    pg_rollback(ctx);
}

static const char *k_errmsg(void *ctx)
{
    return ((pg *)ctx)->msg;
}

/* The first value of a one-parameter query; *found whether there was a row. */
static kc_err one(pg *p, const char *sql, const char *key, PGresult **out)
{
    const char *v[1] = { key };
    return pg_q(p, p->msg, out, sql, 1, v, NULL);
}

static kc_err k_area_exists(void *ctx, const char *id, int *exists)
{
    PGresult *r;
    kc_err rc = one(ctx, "SELECT 1 FROM area WHERE id = $1", id, &r);
    if (!rc)
        *exists = PQntuples(r) > 0;
    PQclear(r);
    return rc;
}

static kc_err k_item_kind(void *ctx, const char *id, int *kind)
{
    PGresult *r;
    kc_err rc = one(ctx, "SELECT kind FROM item WHERE ext_id = $1 AND deleted = 0", id, &r);
    if (!rc)
        *kind = PQntuples(r) ? (int)pg_ll(r, 0, 0) : -1;
    PQclear(r);
    return rc;
}

static kc_err k_item_body(void *ctx, const char *id, char **body)
{
    pg *p = ctx;
    PGresult *r;
    *body = NULL;
    kc_err rc = one(p, "SELECT body FROM item WHERE ext_id = $1 AND deleted = 0", id, &r);
    if (!rc && PQntuples(r) && !(*body = kc_strdup(PQgetvalue(r, 0, 0))))
        rc = kc_fail(p->msg, KC_ENOMEM, "srvdb: out of memory reading item");
    PQclear(r);
    return rc;
}

static kc_err k_area_put(void *ctx, const char *id, const char *body, int *changed)
{
    pg *p = ctx;
    const char *v[2] = { id, body };
    PGresult *r;
    kc_err rc = pg_q(p, p->msg, &r, "INSERT INTO area(id, body) VALUES($1, $2) ON CONFLICT(id) "
                                    "DO UPDATE SET body = EXCLUDED.body WHERE area.body IS "
                                    "DISTINCT FROM EXCLUDED.body RETURNING 1", 2, v, NULL);
    if (!rc)
        *changed = PQntuples(r) > 0;
    PQclear(r);
    return rc;
}

static kc_err k_item_put(void *ctx, const cat_item *it, const char *body, int *changed)
{
    pg *p = ctx;
    PGresult *r;
    *changed = 0;
    kc_err rc = one(p, "SELECT body FROM item WHERE ext_id = $1", it->id, &r);
    if (rc)
        return rc;
    int exists = PQntuples(r) > 0;
    int same = exists && !PQgetisnull(r, 0, 0) && strcmp(PQgetvalue(r, 0, 0), body) == 0;
    PQclear(r);
    if (same)
        return KC_OK;
    long long rev;
    char rv[24], kind[16];
    if ((rc = pg_next_rev(p, p->msg, "catalog", &rev)))
        return rc;
    snprintf(rv, sizeof rv, "%lld", rev);
    snprintf(kind, sizeof kind, "%d", (int)it->kind);
    const char *v[4] = { it->id, kind, rv, body };
    if ((rc = pg_q(p, p->msg, NULL, "INSERT INTO item(ext_id, kind, rev, deleted, body) "
                                    "VALUES($1, $2, $3, 0, $4) ON CONFLICT(ext_id) DO UPDATE "
                                    "SET kind = $2, rev = $3, deleted = 0, body = $4",
                   4, v, NULL)) ||
        (rc = one(p, "DELETE FROM item_ref WHERE item = $1", it->id, NULL)))
        return rc;
    /* references are rewritten whole, as on SQLite */
    for (int f = 0; f < CAT_NFIELD; f++) {
        if (cat_fields[f].type != CAT_T_REF || !it->v[f].present)
            continue;
        const char *w[3] = { it->id, cat_fields[f].key, it->v[f].str };
        if ((rc = pg_q(p, p->msg, NULL, "INSERT INTO item_ref(item, field, target) "
                                        "VALUES($1, $2, $3)", 3, w, NULL)))
            return rc;
    }
    *changed = exists ? 2 : 1;
    return KC_OK;
}

static kc_err k_item_delete(void *ctx, const char *id, int *changed)
{
    pg *p = ctx;
    PGresult *r;
    *changed = 0;
    kc_err rc = one(p, "SELECT 1 FROM item WHERE ext_id = $1 AND deleted = 0", id, &r);
    if (rc)
        return rc;
    int live = PQntuples(r) > 0;
    PQclear(r);
    if (!live)
        return KC_OK;
    long long rev;
    char rv[24];
    if ((rc = pg_next_rev(p, p->msg, "catalog", &rev)))
        return rc;
    snprintf(rv, sizeof rv, "%lld", rev);
    const char *v[2] = { id, rv };
    if ((rc = pg_q(p, p->msg, NULL, "UPDATE item SET deleted = 1, rev = $2, body = NULL "
                                    "WHERE ext_id = $1", 2, v, NULL)) ||
        (rc = one(p, "DELETE FROM item_ref WHERE item = $1", id, NULL)))
        return rc;
    *changed = 1;
    return KC_OK;
}

static kc_err k_item_ids(void *ctx, char ***ids, size_t *n)
{
    pg *p = ctx;
    PGresult *r;
    *ids = NULL;
    *n = 0;
    kc_err rc = pg_q(p, p->msg, &r, "SELECT ext_id FROM item WHERE deleted = 0 ORDER BY ext_id "
                                    "COLLATE \"C\"", 0, NULL, NULL);
    if (rc)
        return rc;
    size_t cnt = (size_t)PQntuples(r);
    char **v = cnt ? kc_calloc(cnt, sizeof *v) : NULL;
    if (cnt && !v)
        rc = kc_fail(p->msg, KC_ENOMEM, "srvdb: out of memory listing items");
    for (size_t i = 0; !rc && i < cnt; i++)
        if (!(v[i] = kc_strdup(PQgetvalue(r, (int)i, 0))))
            rc = kc_fail(p->msg, KC_ENOMEM, "srvdb: out of memory listing items");
    PQclear(r);
    if (rc) {
        store_free_ids(v, cnt);
        return rc;
    }
    *ids = v;
    *n = cnt;
    return KC_OK;
}

static kc_err k_item_refcount(void *ctx, const char *id, long *count)
{
    PGresult *r;
    kc_err rc = one(ctx, "SELECT count(*) FROM item_ref WHERE target = $1", id, &r);
    if (!rc)
        *count = (long)pg_ll(r, 0, 0);
    PQclear(r);
    return rc;
}

static kc_err k_dangling(void *ctx, int *found, char *from, char *field, char *target)
{
    pg *p = ctx;
    PGresult *r;
    kc_err rc = pg_q(p, p->msg, &r, "SELECT i.ext_id, r.field, r.target FROM item_ref r JOIN "
                                    "item i ON i.ext_id = r.item WHERE i.deleted = 0 AND NOT "
                                    "EXISTS (SELECT 1 FROM item t WHERE t.ext_id = r.target "
                                    "AND t.deleted = 0) LIMIT 1", 0, NULL, NULL);
    if (rc)
        return rc;
    *found = PQntuples(r) > 0;
    if (*found) {
        snprintf(from, CONTENT_SINK_STR, "%s", PQgetvalue(r, 0, 0));
        snprintf(field, CONTENT_SINK_STR, "%s", PQgetvalue(r, 0, 1));
        snprintf(target, CONTENT_SINK_STR, "%s", PQgetvalue(r, 0, 2));
    }
    PQclear(r);
    return KC_OK;
}

static const content_sink pg_sink = {
    k_rev, k_begin, k_commit, k_rollback, k_area_exists, k_item_kind, k_item_body,
    k_area_put, k_item_put, k_item_delete, k_item_ids, k_item_refcount, k_dangling,
    k_errmsg,
};

kc_err pg_import(void *impl, char *msg, const char *path, int flags, content_result *res)
{
    content *c = content_new();
    if (!c)
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    kc_err rc = content_load_file(c, path);
    if (!rc)
        rc = content_apply_to(c, &pg_sink, impl, flags, res);
    if (rc)
        snprintf(msg, KC_MSGMAX, "%s", content_errmsg(c));
    content_free(c);
    return rc;
}

kc_err pg_import_buf(void *impl, char *msg, const char *name, const char *buf, size_t len,
                     const char *scope, content_result *res)
{
    content *c = content_new();
    if (!c)
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    kc_err rc = content_set_scope(c, scope);
    if (!rc)
        rc = content_parse(c, buf, len, name);
    if (!rc)
        rc = content_apply_to(c, &pg_sink, impl, scope ? CONTENT_REPLACE : 0, res);
    if (rc)
        snprintf(msg, KC_MSGMAX, "%s", content_errmsg(c));
    content_free(c);
    return rc;
}

kc_err pg_content_apply(void *impl, char *msg, const char *buf, size_t len, int flags,
                        content_result *res)
{
    content *c = content_new();
    if (!c)
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    kc_err rc = content_parse(c, buf, len, NULL);
    if (!rc)
        rc = content_apply_to(c, &pg_sink, impl, flags, res);
    if (rc)
        snprintf(msg, KC_MSGMAX, "%s", content_errmsg(c));
    content_free(c);
    return rc;
}
