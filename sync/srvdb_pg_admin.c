/* srvdb_pg_admin.c - the PostgreSQL backend's side of srvdb_admin.h: accounts,
 * sessions, login throttling, the audit log and the console's views of the catalog
 * and the documents.  The same tables and answers as srvdb_admin_sqlite.c: password
 * hashes are the same Argon2id strings, sessions only the BLAKE2b hashes of their
 * tokens; ids and names sort by bytes (COLLATE "C"), as SQLite sorts them. */
#include "srvdb_pg_impl.h"
#include "srvdb_admin.h"
#include "fold.h"

#include <stdio.h>
#include <string.h>

static const char *const admin_sql[] = {
    "CREATE TABLE admin_user(id bigserial PRIMARY KEY, name text NOT NULL UNIQUE,"
    " role int NOT NULL, kiosks text NOT NULL DEFAULT '', pwhash text NOT NULL,"
    " created bigint NOT NULL, disabled int NOT NULL DEFAULT 0);"
    "CREATE TABLE admin_session(hash bytea PRIMARY KEY, \"user\" bigint NOT NULL"
    " REFERENCES admin_user(id), created bigint NOT NULL, expires bigint NOT NULL);"
    "CREATE INDEX admin_session_user ON admin_session(\"user\");"
    "CREATE TABLE admin_throttle(key text PRIMARY KEY, failures bigint NOT NULL,"
    " until bigint NOT NULL, last bigint NOT NULL);"
    "CREATE TABLE admin_audit(id bigserial PRIMARY KEY, at bigint NOT NULL,"
    " \"user\" text NOT NULL, action text NOT NULL, target text NOT NULL,"
    " detail text NOT NULL);"
    "CREATE INDEX admin_audit_user ON admin_audit(\"user\", id);"
    /* What the results' queries read payloads with, as SQLite's json functions do:
     * kc_json is NULL for text that is not JSON (instead of failing the query), kc_hour
     * the unix time of a kiosk's stored hour ("2026-11-25T12Z") exactly as SQLite's
     * strftime('%s', 'YYYY-MM-DD HH:00') reads it (a day past the month's end runs
     * into the next month, hour 24 into the next day), NULL when SQLite's is. */
    "CREATE FUNCTION kc_json(t text) RETURNS json LANGUAGE plpgsql IMMUTABLE STRICT AS $$"
    " BEGIN RETURN t::json; EXCEPTION WHEN others THEN RETURN NULL; END $$;"
    "CREATE FUNCTION kc_hour(h text) RETURNS bigint LANGUAGE plpgsql IMMUTABLE STRICT AS $$"
    " DECLARE m int; d int; hh int; BEGIN"
    " IF length(h) NOT BETWEEN 13 AND 14 OR substr(h, 11, 1) <> 'T' OR substr(h, 1, 10) !~"
    " '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' OR substr(h, 12, 2) !~ '^[0-9]{2}$' THEN RETURN NULL;"
    " END IF;"
    " m := substr(h, 6, 2)::int; d := substr(h, 9, 2)::int; hh := substr(h, 12, 2)::int;"
    " IF m < 1 OR m > 12 OR d < 1 OR d > 31 OR hh > 24 THEN RETURN NULL; END IF;"
    " RETURN extract(epoch FROM make_date(substr(h, 1, 4)::int, m, 1))::bigint"
    " + (d - 1) * 86400 + hh * 3600;"
    " EXCEPTION WHEN others THEN RETURN NULL; END $$;",
};
const pg_module pg_admin_module = { "server-console", admin_sql,
                                    (int)(sizeof admin_sql / sizeof admin_sql[0]) };

#define NUM(buf, v) snprintf(buf, sizeof buf, "%lld", (long long)(v))

static kc_err oom(char *msg)
{
    return kc_fail(msg, KC_ENOMEM, "out of memory");
}

#define USER_COLS "u.id, u.name, u.role, u.kiosks, u.created, u.disabled, u.pwhash"

static void read_user(const PGresult *r, int i, srvdb_user *u, char *pwhash)
{
    memset(u, 0, sizeof *u);
    u->id = pg_ll(r, i, 0);
    snprintf(u->name, sizeof u->name, "%s", PQgetvalue(r, i, 1));
    u->role = (int)pg_ll(r, i, 2);
    snprintf(u->kiosks, sizeof u->kiosks, "%s", PQgetvalue(r, i, 3));
    u->created = pg_ll(r, i, 4);
    u->disabled = pg_ll(r, i, 5) != 0;
    if (pwhash)
        snprintf(pwhash, SRVDB_PWHASH_MAX + 1, "%s", PQgetvalue(r, i, 6));
}

static kc_err pa_user_add(void *impl, char *msg, const srvdb_user *u, const char *pwhash)
{
    char role[16], created[24], dis[16];
    NUM(role, u->role);
    NUM(created, u->created);
    NUM(dis, u->disabled);
    const char *v[6] = { u->name, role, u->kiosks, pwhash, created, dis };
    PGresult *r;
    kc_err rc = pg_q(impl, msg, &r, "INSERT INTO admin_user(name, role, kiosks, pwhash, "
                                    "created, disabled) VALUES($1, $2, $3, $4, $5, $6) "
                                    "ON CONFLICT DO NOTHING RETURNING id", 6, v, NULL);
    if (rc)
        return rc;
    if (PQntuples(r) == 0)
        rc = kc_fail(msg, KC_EINVAL, "\"name\": account \"%s\" exists already", u->name);
    PQclear(r);
    return rc;
}

static kc_err pa_user_get(void *impl, char *msg, const char *name, srvdb_user *u,
                          char *pwhash)
{
    const char *v[1] = { name };
    PGresult *r;
    kc_err rc = pg_q(impl, msg, &r, "SELECT " USER_COLS " FROM admin_user u WHERE name = $1",
                     1, v, NULL);
    if (rc)
        return rc;
    if (PQntuples(r))
        read_user(r, 0, u, pwhash);
    else
        rc = kc_fail(msg, KC_ENOTFOUND, "no account \"%s\"", name);
    PQclear(r);
    return rc;
}

static kc_err pa_user_update(void *impl, char *msg, const srvdb_user *u, const char *pwhash)
{
    pg *p = impl;
    char role[16], dis[16];
    NUM(role, u->role);
    NUM(dis, u->disabled);
    const char *v[5] = { role, u->kiosks, dis, pwhash, u->name };
    PGresult *r = NULL;
    kc_err rc = pg_begin(p, msg);
    if (rc)
        return rc;
    if ((rc = pg_q(p, msg, &r, "UPDATE admin_user SET role = $1, kiosks = $2, disabled = $3,"
                               " pwhash = coalesce($4, pwhash) WHERE name = $5 RETURNING id",
                   5, v, NULL)))
        goto fail;
    int found = PQntuples(r) > 0;
    PQclear(r);
    if (!found) {
        rc = kc_fail(msg, KC_ENOTFOUND, "no account \"%s\"", u->name);
        goto fail;
    }
    /* a disabled account or a new password ends the account's sessions */
    if ((u->disabled || pwhash) &&
        (rc = pg_q(p, msg, NULL, "DELETE FROM admin_session WHERE \"user\" = (SELECT id FROM "
                                 "admin_user WHERE name = $1)", 1, &v[4], NULL)))
        goto fail;
    return pg_commit(p, msg);
fail:
    pg_rollback(p);
    return rc;
}

static kc_err pa_users_each(void *impl, char *msg, srvdb_user_fn fn, void *ctx)
{
    PGresult *r;
    kc_err rc = pg_q(impl, msg, &r, "SELECT " USER_COLS " FROM admin_user u ORDER BY name "
                                    "COLLATE \"C\"", 0, NULL, NULL);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        srvdb_user u;
        read_user(r, i, &u, NULL);
        rc = fn(ctx, &u);
    }
    PQclear(r);
    return rc;
}

static kc_err pa_admin_count(void *impl, char *msg, long *n)
{
    PGresult *r;
    kc_err rc = pg_q(impl, msg, &r, "SELECT count(*) FROM admin_user WHERE role = 0 AND "
                                    "disabled = 0", 0, NULL, NULL);
    if (!rc)
        *n = (long)pg_ll(r, 0, 0);
    PQclear(r);
    return rc;
}

static kc_err pa_session_add(void *impl, char *msg, const unsigned char *hash, long long user,
                             long long now, long long expires)
{
    char u[24], n[24], e[24];
    NUM(u, user);
    NUM(n, now);
    NUM(e, expires);
    const char *v[4] = { (const char *)hash, u, n, e };
    const int lens[4] = { SRVDB_HASH_LEN, 0, 0, 0 };
    /* Expired sessions go when a new one starts, so the table stays small without a
     * timer. */
    kc_err rc = pg_q(impl, msg, NULL, "DELETE FROM admin_session WHERE expires <= $1", 1,
                     &v[2], NULL);
    return rc ? rc : pg_q(impl, msg, NULL, "INSERT INTO admin_session(hash, \"user\", created,"
                                           " expires) VALUES($1, $2, $3, $4)", 4, v, lens);
}

static kc_err pa_session_get(void *impl, char *msg, const unsigned char *hash, long long now,
                             srvdb_user *u, long long *created, long long *expires)
{
    char n[24];
    NUM(n, now);
    const char *v[2] = { (const char *)hash, n };
    const int lens[2] = { SRVDB_HASH_LEN, 0 };
    PGresult *r;
    kc_err rc = pg_q(impl, msg, &r, "SELECT " USER_COLS ", x.created, x.expires FROM "
                                    "admin_session x JOIN admin_user u ON u.id = x.\"user\" "
                                    "WHERE x.hash = $1 AND x.expires > $2 AND u.disabled = 0",
                     2, v, lens);
    if (rc)
        return rc;
    if (PQntuples(r)) {
        read_user(r, 0, u, NULL);
        *created = pg_ll(r, 0, 7);
        *expires = pg_ll(r, 0, 8);
    } else {
        rc = kc_fail(msg, KC_ENOTFOUND, "no such session");
    }
    PQclear(r);
    return rc;
}

static kc_err pa_session_extend(void *impl, char *msg, const unsigned char *hash,
                                long long expires)
{
    char e[24];
    NUM(e, expires);
    const char *v[2] = { e, (const char *)hash };
    const int lens[2] = { 0, SRVDB_HASH_LEN };
    return pg_q(impl, msg, NULL, "UPDATE admin_session SET expires = $1 WHERE hash = $2", 2, v,
                lens);
}

static kc_err pa_session_del(void *impl, char *msg, const unsigned char *hash)
{
    const char *v[1] = { (const char *)hash };
    const int lens[1] = { SRVDB_HASH_LEN };
    return pg_q(impl, msg, NULL, "DELETE FROM admin_session WHERE hash = $1", 1, v, lens);
}

static kc_err pa_throttle_get(void *impl, char *msg, const char *key, long *failures,
                              long long *until, long long *last)
{
    const char *v[1] = { key };
    PGresult *r;
    *failures = 0;
    *until = *last = 0;
    kc_err rc = pg_q(impl, msg, &r, "SELECT failures, until, last FROM admin_throttle WHERE "
                                    "key = $1", 1, v, NULL);
    if (!rc && PQntuples(r)) {
        *failures = (long)pg_ll(r, 0, 0);
        *until = pg_ll(r, 0, 1);
        *last = pg_ll(r, 0, 2);
    }
    PQclear(r);
    return rc;
}

static kc_err pa_throttle_set(void *impl, char *msg, const char *key, long failures,
                              long long until, long long last)
{
    char f[24], u[24], l[24];
    NUM(f, failures);
    NUM(u, until);
    NUM(l, last);
    const char *v[4] = { key, f, u, l };
    return pg_q(impl, msg, NULL, "INSERT INTO admin_throttle(key, failures, until, last) "
                                 "VALUES($1, $2, $3, $4) ON CONFLICT(key) DO UPDATE SET "
                                 "failures = $2, until = $3, last = $4", 4, v, NULL);
}

static kc_err pa_throttle_clear(void *impl, char *msg, const char *key)
{
    const char *v[1] = { key };
    return pg_q(impl, msg, NULL, "DELETE FROM admin_throttle WHERE key = $1", 1, v, NULL);
}

static kc_err pa_audit_add(void *impl, char *msg, const srvdb_audit *a)
{
    char at[24];
    NUM(at, a->at);
    const char *v[5] = { at, a->user, a->action, a->target, a->detail };
    return pg_q(impl, msg, NULL, "INSERT INTO admin_audit(at, \"user\", action, target, detail)"
                                 " VALUES($1, $2, $3, $4, $5)", 5, v, NULL);
}

static kc_err pa_audit_each(void *impl, char *msg, const char *user, const char *action,
                            long long before, long limit, srvdb_audit_fn fn, void *ctx)
{
    char b[24], l[24];
    NUM(b, before);
    NUM(l, limit);
    const char *v[4] = { user, action, b, l };
    PGresult *r;
    /* The action filter is a prefix ("user." for every account change), compared with
     * left() so no character in it is a wildcard; lengths in characters as on SQLite. */
    kc_err rc = pg_q(impl, msg, &r,
                     "SELECT id, at, \"user\", action, target, detail FROM admin_audit"
                     " WHERE ($1::text IS NULL OR \"user\" = $1)"
                     " AND ($2::text IS NULL OR left(action, length($2)) = $2)"
                     " AND ($3::bigint = 0 OR id < $3) ORDER BY id DESC LIMIT $4",
                     4, v, NULL);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        srvdb_audit a;
        memset(&a, 0, sizeof a);
        a.id = pg_ll(r, i, 0);
        a.at = pg_ll(r, i, 1);
        snprintf(a.user, sizeof a.user, "%s", PQgetvalue(r, i, 2));
        snprintf(a.action, sizeof a.action, "%s", PQgetvalue(r, i, 3));
        snprintf(a.target, sizeof a.target, "%s", PQgetvalue(r, i, 4));
        snprintf(a.detail, sizeof a.detail, "%s", PQgetvalue(r, i, 5));
        rc = fn(ctx, &a);
    }
    PQclear(r);
    return rc;
}

/* --- the catalog --------------------------------------------------------------------- */

/* An item's list columns from its canonical JSON body. */
#define LIST_COLS                                                                         \
    "ext_id, kind, rev, coalesce((body::jsonb)->'name'->>'fi', ''),"                      \
    " coalesce((body::jsonb)->'name'->>'sv', ''), coalesce((body::jsonb)->'name'->>'en', '')," \
    " coalesce((body::jsonb)->>'area', '')"
#define LIST_WHERE                                                                        \
    " FROM item WHERE deleted = 0 AND ($1::int IS NULL OR kind = $1) AND ($2::text IS NULL" \
    " OR (body::jsonb)->>'area' = $2)"
/* Rows a search reads at a time while it walks the items in id order. */
#define WALK "500"

/* The folded pieces of a row (id, names), one a line, as SQLite's kc_find_text. */
static kc_err find_text(const PGresult *r, int i, char **out)
{
    static const int cols[4] = { 0, 3, 4, 5 };
    size_t n = 0, cap = 0;
    char *buf = NULL;
    *out = NULL;
    for (int k = 0; k < 4; k++) {
        const char *t = PQgetvalue(r, i, cols[k]);
        if (!*t)
            continue;
        char *f = NULL;
        kc_err rc = fold_utf8(t, strlen(t), &f);
        if (rc) {
            kc_free(buf);
            return rc;
        }
        size_t fl = strlen(f);
        if (n + fl + 2 > cap) {
            size_t want = 2 * (n + fl + 2);
            char *nb = kc_realloc(buf, want);
            if (!nb) {
                kc_free(f);
                kc_free(buf);
                return KC_ENOMEM;
            }
            buf = nb;
            cap = want;
        }
        if (n)
            buf[n++] = '\n';
        memcpy(buf + n, f, fl);
        n += fl;
        buf[n] = '\0';
        kc_free(f);
    }
    *out = buf ? buf : kc_strdup("");
    return *out ? KC_OK : KC_ENOMEM;
}

static kc_err pass_row(const PGresult *r, int i, srvdb_cat_fn fn, void *ctx)
{
    srvdb_cat_row row = {
        PQgetvalue(r, i, 0), (int)pg_ll(r, i, 1), pg_ll(r, i, 2), PQgetvalue(r, i, 3),
        PQgetvalue(r, i, 4), PQgetvalue(r, i, 5), PQgetvalue(r, i, 6),
    };
    return fn(ctx, &row);
}

/* A search walks the live items in id order from the page's start, folding each one's
 * id and names as SQLite's index holds them, until the page is full: the same matches
 * in the same order, with no index to keep in step with every writer. */
static kc_err pa_catalog_list(void *impl, char *msg, const srvdb_cat_filter *f,
                              srvdb_cat_fn fn, void *ctx, long long *total)
{
    char kind[16], lim[24];
    NUM(kind, f->kind);
    NUM(lim, f->limit);
    const char *after = f->after ? f->after : "";
    const char *v[4] = { f->kind >= 0 ? kind : NULL, f->area, after, lim };
    char *q = NULL;
    PGresult *r = NULL;
    kc_err rc = KC_OK;
    *total = -1;
    if (f->q && *f->q && (rc = fold_utf8(f->q, strlen(f->q), &q)))
        return rc == KC_ENOMEM ? oom(msg) : kc_fail(msg, rc, "\"q\" is not UTF-8");
    if (!q) {
        if (!*after) {
            if ((rc = pg_q(impl, msg, &r, "SELECT count(*)" LIST_WHERE, 2, v, NULL)))
                return rc;
            *total = pg_ll(r, 0, 0);
            PQclear(r);
        }
        if ((rc = pg_q(impl, msg, &r, "SELECT " LIST_COLS LIST_WHERE " AND ext_id COLLATE \"C\""
                                      " > $3 ORDER BY ext_id COLLATE \"C\" LIMIT $4", 4, v,
                       NULL)))
            return rc;
        for (int i = 0; !rc && i < PQntuples(r); i++)
            rc = pass_row(r, i, fn, ctx);
        PQclear(r);
        return rc;
    }
    long found = 0;
    char *from = kc_strdup(after);
    if (!from) {
        kc_free(q);
        return oom(msg);
    }
    while (!rc && found < f->limit) {
        v[2] = from;
        if ((rc = pg_q(impl, msg, &r, "SELECT " LIST_COLS LIST_WHERE " AND ext_id COLLATE \"C\""
                                      " > $3 ORDER BY ext_id COLLATE \"C\" LIMIT " WALK, 3, v,
                       NULL)))
            break;
        int rows = PQntuples(r);
        for (int i = 0; !rc && i < rows && found < f->limit; i++) {
            char *text;
            if ((rc = find_text(r, i, &text))) {
                rc = rc == KC_ENOMEM ? oom(msg) : kc_fail(msg, rc, "stored item is not UTF-8");
                break;
            }
            if (strstr(text, q)) {
                found++;
                rc = pass_row(r, i, fn, ctx);
            }
            kc_free(text);
        }
        if (!rc && rows > 0) {
            kc_free(from);
            if (!(from = kc_strdup(PQgetvalue(r, rows - 1, 0))))
                rc = oom(msg);
        }
        PQclear(r);
        r = NULL;
        if (rows == 0)
            break;
    }
    kc_free(from);
    kc_free(q);
    return rc;
}

static kc_err pa_item_get(void *impl, char *msg, const char *id, int *kind, long long *rev,
                          char **body)
{
    const char *v[1] = { id };
    PGresult *r;
    *body = NULL;
    kc_err rc = pg_q(impl, msg, &r, "SELECT kind, rev, body FROM item WHERE ext_id = $1 AND "
                                    "deleted = 0", 1, v, NULL);
    if (rc)
        return rc;
    if (PQntuples(r) == 0) {
        rc = kc_fail(msg, KC_ENOTFOUND, "no item \"%.64s\"", id);
    } else {
        *kind = (int)pg_ll(r, 0, 0);
        *rev = pg_ll(r, 0, 1);
        if (!(*body = kc_strdup(PQgetvalue(r, 0, 2))))
            rc = oom(msg);
    }
    PQclear(r);
    return rc;
}

/* Pages of rows (id, body) in id order, so a large catalog is never held at once. */
static kc_err each_paged(void *impl, char *msg, const char *sql, store_item_fn fn, void *ctx)
{
    char *from = kc_strdup("");
    kc_err rc = from ? KC_OK : oom(msg);
    while (!rc) {
        const char *v[1] = { from };
        PGresult *r;
        if ((rc = pg_q(impl, msg, &r, sql, 1, v, NULL)))
            break;
        int rows = PQntuples(r);
        for (int i = 0; !rc && i < rows; i++)
            rc = fn(ctx, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
        if (!rc && rows > 0) {
            kc_free(from);
            if (!(from = kc_strdup(PQgetvalue(r, rows - 1, 0))))
                rc = oom(msg);
        }
        PQclear(r);
        if (rows == 0)
            break;
    }
    kc_free(from);
    return rc;
}

static kc_err export_areas(void *src, char *msg, store_item_fn fn, void *ctx)
{
    return each_paged(src, msg, "SELECT id, body FROM area WHERE id COLLATE \"C\" > $1 "
                                "ORDER BY id COLLATE \"C\" LIMIT " WALK, fn, ctx);
}

static kc_err export_items(void *src, char *msg, store_item_fn fn, void *ctx)
{
    return each_paged(src, msg, "SELECT ext_id, body FROM item WHERE deleted = 0 AND ext_id "
                                "COLLATE \"C\" > $1 ORDER BY ext_id COLLATE \"C\" LIMIT " WALK,
                      fn, ctx);
}

/* In one read snapshot, so the areas and items written agree with each other. */
static kc_err pa_catalog_export(void *impl, char *msg, FILE *f)
{
    pg *p = impl;
    int own = !p->in_tx;
    kc_err rc = own ? pg_x(p, msg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") : KC_OK;
    if (rc)
        return rc;
    p->in_tx = 1;
    rc = content_export_from(export_areas, export_items, impl, f, msg);
    if (own)
        pg_rollback(p);
    return rc;
}

static kc_err pa_docs_list(void *impl, char *msg, const char *type, srvdb_doc_row_fn fn,
                           void *ctx)
{
    const char *v[1] = { type };
    PGresult *r;
    /* the title as JSON text, as SQLite's json_extract gives an object */
    kc_err rc = pg_q(impl, msg, &r, "SELECT id, version, rev, coalesce(CASE json_typeof(j->"
                                    "'title') WHEN 'string' THEN j->>'title' ELSE (j->'title')"
                                    "::text END, '') FROM (SELECT id, version, rev, kc_json(body)"
                                    " j FROM doc WHERE type = $1 AND deleted = 0) d ORDER BY id "
                                    "COLLATE \"C\", version DESC", 1, v, NULL);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        srvdb_doc_row row = { type, PQgetvalue(r, i, 0), pg_ll(r, i, 1), pg_ll(r, i, 2),
                              PQgetvalue(r, i, 3) };
        rc = fn(ctx, &row);
    }
    PQclear(r);
    return rc;
}

const srvdb_admin_backend srvdb_pg_admin = {
    .user_add = pa_user_add,
    .user_get = pa_user_get,
    .user_update = pa_user_update,
    .users_each = pa_users_each,
    .admin_count = pa_admin_count,
    .session_add = pa_session_add,
    .session_get = pa_session_get,
    .session_extend = pa_session_extend,
    .session_del = pa_session_del,
    .throttle_get = pa_throttle_get,
    .throttle_set = pa_throttle_set,
    .throttle_clear = pa_throttle_clear,
    .audit_add = pa_audit_add,
    .audit_each = pa_audit_each,
    .catalog_list = pa_catalog_list,
    .item_get = pa_item_get,
    .content_apply = pg_content_apply,
    .catalog_export = pa_catalog_export,
    .docs_list = pa_docs_list,
};
