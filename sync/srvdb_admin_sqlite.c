/* srvdb_admin_sqlite.c - the SQLite tables of the console: accounts, sessions, login
 * throttling and the audit log, in the same file as the rest of the server. */
#include "srvdb_admin.h"
#include "store_sql.h"
#include "srvdb_sqlite_impl.h"
#include "content.h"
#include "srvdb_sqlite_find.h"

#include <stdio.h>
#include <string.h>

static const char *const migrations[] = {
    "CREATE TABLE admin_user(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " role INTEGER NOT NULL, kiosks TEXT NOT NULL DEFAULT '', pwhash TEXT NOT NULL,"
    " created INTEGER NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE admin_session(hash BLOB PRIMARY KEY, user INTEGER NOT NULL"
    " REFERENCES admin_user(id), created INTEGER NOT NULL, expires INTEGER NOT NULL)"
    " WITHOUT ROWID;"
    "CREATE INDEX admin_session_user ON admin_session(user);"
    "CREATE TABLE admin_throttle(key TEXT PRIMARY KEY, failures INTEGER NOT NULL,"
    " until INTEGER NOT NULL, last INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE admin_audit(id INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
    " user TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,"
    " detail TEXT NOT NULL);"
    "CREATE INDEX admin_audit_user ON admin_audit(user, id);"
    /* The console's catalog list reads only this index, never the items' bodies: a
     * page walks it in id order, a search scans its names (a tenth of the table). */
    "CREATE INDEX item_list ON item(ext_id, kind, area, rev, name_fi, name_sv, name_en)"
    " WHERE deleted = 0;"
    /* A kind or an area: counted and paged from its own range. */
    "CREATE INDEX item_list_kind ON item(kind, ext_id) WHERE deleted = 0;"
    "CREATE INDEX item_list_area ON item(area, ext_id) WHERE deleted = 0;",
    /* 2: the list's search and counts by index (srvdb_sqlite_find.c). */
    SRVDB_FIND_MIGRATION,
};

kc_err srvdb_sqlite_admin_migrate_(store *st)
{
    return store_migrate_module(st, "console", migrations,
                                (int)(sizeof migrations / sizeof migrations[0]));
}

/* Prepares sql on the handle's connection; *st gets the store for srvdb_sqlite_fail_. */
static kc_err prep(void *impl, char *msg, store **st, sqlite3_stmt **s, const char *sql)
{
    *st = srvdb_sqlite_store_(impl);
    return srvdb_sqlite_prep_(*st, msg, s, sql);
}

/* Steps a statement that returns no row; finalizes it. */
static kc_err run(store *st, char *msg, sqlite3_stmt *s, const char *what)
{
    kc_err rc = sqlite3_step(s) == SQLITE_DONE ? KC_OK : srvdb_sqlite_fail_(st, msg, what);
    sqlite3_finalize(s);
    return rc;
}

static void copy_col(sqlite3_stmt *s, int i, char *dst, size_t cap)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    snprintf(dst, cap, "%s", t ? t : "");
}

#define USER_COLS "u.id, u.name, u.role, u.kiosks, u.created, u.disabled, u.pwhash"

static void read_user(sqlite3_stmt *s, srvdb_user *u, char *pwhash)
{
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(s, 0);
    copy_col(s, 1, u->name, sizeof u->name);
    u->role = sqlite3_column_int(s, 2);
    copy_col(s, 3, u->kiosks, sizeof u->kiosks);
    u->created = sqlite3_column_int64(s, 4);
    u->disabled = sqlite3_column_int(s, 5) != 0;
    if (pwhash)
        copy_col(s, 6, pwhash, SRVDB_PWHASH_MAX + 1);
}

static kc_err sa_user_add(void *impl, char *msg, const srvdb_user *u, const char *pwhash)
{
    store *st;
    sqlite3_stmt *s;
    kc_err rc = prep(impl, msg, &st, &s,
                     "INSERT OR IGNORE INTO admin_user(name, role, kiosks, pwhash, created,"
                     " disabled) VALUES(?, ?, ?, ?, ?, ?)");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, u->name, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, u->role);
    sqlite3_bind_text(s, 3, u->kiosks, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, pwhash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, u->created);
    sqlite3_bind_int(s, 6, u->disabled);
    if ((rc = run(st, msg, s, "adding account")))
        return rc;
    if (sqlite3_changes(store_db(st)) == 0)
        return kc_fail(msg, KC_EINVAL, "\"name\": account \"%s\" exists already", u->name);
    return KC_OK;
}

static kc_err sa_user_get(void *impl, char *msg, const char *name, srvdb_user *u,
                          char *pwhash)
{
    store *st;
    sqlite3_stmt *s;
    kc_err rc = prep(impl, msg, &st, &s, "SELECT " USER_COLS " FROM admin_user u WHERE name = ?");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW)
        read_user(s, u, pwhash);
    else if (r == SQLITE_DONE)
        rc = kc_fail(msg, KC_ENOTFOUND, "no account \"%s\"", name);
    else
        rc = srvdb_sqlite_fail_(st, msg, "reading account");
    sqlite3_finalize(s);
    return rc;
}

static kc_err sa_user_update(void *impl, char *msg, const srvdb_user *u, const char *pwhash)
{
    store *st = srvdb_sqlite_store_(impl);
    sqlite3_stmt *s = NULL;
    kc_err rc = store_begin(st);
    if (rc) {
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(st));
        return rc;
    }
    if ((rc = prep(impl, msg, &st, &s,
                   "UPDATE admin_user SET role = ?, kiosks = ?, disabled = ?,"
                   " pwhash = coalesce(?, pwhash) WHERE name = ?")))
        goto done;
    sqlite3_bind_int(s, 1, u->role);
    sqlite3_bind_text(s, 2, u->kiosks, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, u->disabled);
    if (pwhash)
        sqlite3_bind_text(s, 4, pwhash, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, 4);
    sqlite3_bind_text(s, 5, u->name, -1, SQLITE_STATIC);
    if ((rc = run(st, msg, s, "changing account")))
        goto done;
    if (sqlite3_changes(store_db(st)) == 0) {
        rc = kc_fail(msg, KC_ENOTFOUND, "no account \"%s\"", u->name);
        goto done;
    }
    if (u->disabled || pwhash) {
        if ((rc = prep(impl, msg, &st, &s, "DELETE FROM admin_session WHERE user ="
                                           " (SELECT id FROM admin_user WHERE name = ?)")))
            goto done;
        sqlite3_bind_text(s, 1, u->name, -1, SQLITE_STATIC);
        rc = run(st, msg, s, "ending sessions");
    }
done:
    if (rc) {
        store_rollback(st);
        return rc;
    }
    if ((rc = store_commit(st)))
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(st));
    return rc;
}

static kc_err sa_users_each(void *impl, char *msg, srvdb_user_fn fn, void *ctx)
{
    store *st;
    sqlite3_stmt *s;
    kc_err rc = prep(impl, msg, &st, &s, "SELECT " USER_COLS " FROM admin_user u ORDER BY name");
    if (rc)
        return rc;
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        srvdb_user u;
        read_user(s, &u, NULL);
        if ((rc = fn(ctx, &u)))
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = srvdb_sqlite_fail_(st, msg, "listing accounts");
    sqlite3_finalize(s);
    return rc;
}

static kc_err sa_admin_count(void *impl, char *msg, long *n)
{
    store *st;
    sqlite3_stmt *s;
    kc_err rc = prep(impl, msg, &st, &s,
                     "SELECT count(*) FROM admin_user WHERE role = 0 AND disabled = 0");
    if (rc)
        return rc;
    if (sqlite3_step(s) == SQLITE_ROW)
        *n = (long)sqlite3_column_int64(s, 0);
    else
        rc = srvdb_sqlite_fail_(st, msg, "counting administrators");
    sqlite3_finalize(s);
    return rc;
}

static kc_err sa_session_add(void *impl, char *msg, const unsigned char *hash, long long user,
                             long long now, long long expires)
{
    store *st;
    sqlite3_stmt *s;
    /* Expired sessions go when a new one starts, so the table stays small without a
     * timer. */
    kc_err rc = prep(impl, msg, &st, &s, "DELETE FROM admin_session WHERE expires <= ?");
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, now);
    if ((rc = run(st, msg, s, "removing expired sessions")))
        return rc;
    if ((rc = prep(impl, msg, &st, &s, "INSERT INTO admin_session(hash, user, created, expires)"
                                       " VALUES(?, ?, ?, ?)")))
        return rc;
    sqlite3_bind_blob(s, 1, hash, SRVDB_HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, user);
    sqlite3_bind_int64(s, 3, now);
    sqlite3_bind_int64(s, 4, expires);
    return run(st, msg, s, "starting session");
}

static kc_err sa_session_get(void *impl, char *msg, const unsigned char *hash, long long now,
                             srvdb_user *u, long long *created, long long *expires)
{
    store *st;
    sqlite3_stmt *s;
    kc_err rc = prep(impl, msg, &st, &s,
                     "SELECT " USER_COLS ", x.created, x.expires FROM admin_session x"
                     " JOIN admin_user u ON u.id = x.user"
                     " WHERE x.hash = ? AND x.expires > ? AND u.disabled = 0");
    if (rc)
        return rc;
    sqlite3_bind_blob(s, 1, hash, SRVDB_HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, now);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        read_user(s, u, NULL);
        *created = sqlite3_column_int64(s, 7);
        *expires = sqlite3_column_int64(s, 8);
    } else if (r == SQLITE_DONE) {
        rc = kc_fail(msg, KC_ENOTFOUND, "no such session");
    } else {
        rc = srvdb_sqlite_fail_(st, msg, "reading session");
    }
    sqlite3_finalize(s);
    return rc;
}

static kc_err sa_session_extend(void *impl, char *msg, const unsigned char *hash,
                                long long expires)
{
    store *st;
    sqlite3_stmt *s;
    kc_err rc = prep(impl, msg, &st, &s, "UPDATE admin_session SET expires = ? WHERE hash = ?");
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, expires);
    sqlite3_bind_blob(s, 2, hash, SRVDB_HASH_LEN, SQLITE_STATIC);
    return run(st, msg, s, "extending session");
}

static kc_err sa_session_del(void *impl, char *msg, const unsigned char *hash)
{
    store *st;
    sqlite3_stmt *s;
    kc_err rc = prep(impl, msg, &st, &s, "DELETE FROM admin_session WHERE hash = ?");
    if (rc)
        return rc;
    sqlite3_bind_blob(s, 1, hash, SRVDB_HASH_LEN, SQLITE_STATIC);
    return run(st, msg, s, "ending session");
}

static kc_err sa_throttle_get(void *impl, char *msg, const char *key, long *failures,
                              long long *until, long long *last)
{
    store *st;
    sqlite3_stmt *s;
    kc_err rc = prep(impl, msg, &st, &s,
                     "SELECT failures, until, last FROM admin_throttle WHERE key = ?");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    *failures = 0;
    *until = *last = 0;
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        *failures = (long)sqlite3_column_int64(s, 0);
        *until = sqlite3_column_int64(s, 1);
        *last = sqlite3_column_int64(s, 2);
    } else if (r != SQLITE_DONE) {
        rc = srvdb_sqlite_fail_(st, msg, "reading login throttle");
    }
    sqlite3_finalize(s);
    return rc;
}

static kc_err sa_throttle_set(void *impl, char *msg, const char *key, long failures,
                              long long until, long long last)
{
    store *st;
    sqlite3_stmt *s;
    kc_err rc = prep(impl, msg, &st, &s,
                     "INSERT OR REPLACE INTO admin_throttle(key, failures, until, last)"
                     " VALUES(?, ?, ?, ?)");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, failures);
    sqlite3_bind_int64(s, 3, until);
    sqlite3_bind_int64(s, 4, last);
    return run(st, msg, s, "storing login throttle");
}

static kc_err sa_throttle_clear(void *impl, char *msg, const char *key)
{
    store *st;
    sqlite3_stmt *s;
    kc_err rc = prep(impl, msg, &st, &s, "DELETE FROM admin_throttle WHERE key = ?");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    return run(st, msg, s, "clearing login throttle");
}

static kc_err sa_audit_add(void *impl, char *msg, const srvdb_audit *a)
{
    store *st;
    sqlite3_stmt *s;
    kc_err rc = prep(impl, msg, &st, &s, "INSERT INTO admin_audit(at, user, action, target,"
                                         " detail) VALUES(?, ?, ?, ?, ?)");
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, a->at);
    sqlite3_bind_text(s, 2, a->user, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, a->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, a->target, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, a->detail, -1, SQLITE_STATIC);
    return run(st, msg, s, "writing audit log");
}

static kc_err sa_audit_each(void *impl, char *msg, const char *user, const char *action,
                            long long before, long limit, srvdb_audit_fn fn, void *ctx)
{
    store *st;
    sqlite3_stmt *s;
    /* The action filter is a prefix ("user." for every account change), compared
     * with substr so no character in it is a wildcard. */
    kc_err rc = prep(impl, msg, &st, &s,
                     "SELECT id, at, user, action, target, detail FROM admin_audit"
                     " WHERE (?1 IS NULL OR user = ?1)"
                     " AND (?2 IS NULL OR substr(action, 1, length(?2)) = ?2)"
                     " AND (?3 = 0 OR id < ?3) ORDER BY id DESC LIMIT ?4");
    if (rc)
        return rc;
    if (user)
        sqlite3_bind_text(s, 1, user, -1, SQLITE_STATIC);
    if (action)
        sqlite3_bind_text(s, 2, action, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, before);
    sqlite3_bind_int64(s, 4, limit);
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        srvdb_audit a;
        memset(&a, 0, sizeof a);
        a.id = sqlite3_column_int64(s, 0);
        a.at = sqlite3_column_int64(s, 1);
        copy_col(s, 2, a.user, sizeof a.user);
        copy_col(s, 3, a.action, sizeof a.action);
        copy_col(s, 4, a.target, sizeof a.target);
        copy_col(s, 5, a.detail, sizeof a.detail);
        if ((rc = fn(ctx, &a)))
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = srvdb_sqlite_fail_(st, msg, "reading audit log");
    sqlite3_finalize(s);
    return rc;
}

/* --- the catalog -------------------------------------------------------------------- */

static kc_err sa_item_get(void *impl, char *msg, const char *id, int *kind, long long *rev,
                          char **body)
{
    store *st;
    sqlite3_stmt *s;
    kc_err rc = prep(impl, msg, &st, &s,
                     "SELECT kind, rev, body FROM item WHERE ext_id = ? AND deleted = 0");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        *kind = sqlite3_column_int(s, 0);
        *rev = sqlite3_column_int64(s, 1);
        const char *b = (const char *)sqlite3_column_text(s, 2);
        if (!b || !(*body = kc_strdup(b)))
            rc = kc_fail(msg, KC_ENOMEM, "out of memory");
    } else if (r == SQLITE_DONE) {
        rc = kc_fail(msg, KC_ENOTFOUND, "no item \"%.64s\"", id);
    } else {
        rc = srvdb_sqlite_fail_(st, msg, "reading item");
    }
    sqlite3_finalize(s);
    return rc;
}

static kc_err sa_content_apply(void *impl, char *msg, const char *buf, size_t len, int flags,
                               content_result *res)
{
    store *st = srvdb_sqlite_store_(impl);
    content *c = content_new();
    if (!c)
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    kc_err rc = content_parse(c, buf, len, NULL);
    if (!rc)
        rc = content_apply(c, st, flags, res);
    if (rc)
        snprintf(msg, KC_MSGMAX, "%s", content_errmsg(c));
    content_free(c);
    return rc;
}

static kc_err sa_catalog_export(void *impl, char *msg, FILE *f)
{
    return content_export(srvdb_sqlite_store_(impl), f, msg);
}

/* --- documents ---------------------------------------------------------------------- */

static kc_err sa_docs_list(void *impl, char *msg, const char *type, srvdb_doc_row_fn fn,
                           void *ctx)
{
    store *st;
    sqlite3_stmt *s;
    kc_err rc = prep(impl, msg, &st, &s,
                     "SELECT id, version, rev, coalesce(json_extract(body, '$.title'), '')"
                     " FROM doc WHERE type = ? AND deleted = 0 ORDER BY id, version DESC");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        srvdb_doc_row row = { type, (const char *)sqlite3_column_text(s, 0),
                              sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2),
                              (const char *)sqlite3_column_text(s, 3) };
        if (!row.id || !row.title) {
            rc = kc_fail(msg, KC_ENOMEM, "out of memory");
            break;
        }
        if ((rc = fn(ctx, &row)))
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = srvdb_sqlite_fail_(st, msg, "listing documents");
    sqlite3_finalize(s);
    return rc;
}

const srvdb_admin_backend srvdb_sqlite_admin = {
    .user_add = sa_user_add,
    .user_get = sa_user_get,
    .user_update = sa_user_update,
    .users_each = sa_users_each,
    .admin_count = sa_admin_count,
    .session_add = sa_session_add,
    .session_get = sa_session_get,
    .session_extend = sa_session_extend,
    .session_del = sa_session_del,
    .throttle_get = sa_throttle_get,
    .throttle_set = sa_throttle_set,
    .throttle_clear = sa_throttle_clear,
    .audit_add = sa_audit_add,
    .audit_each = sa_audit_each,
    .catalog_list = srvdb_sqlite_catalog_list_,
    .item_get = sa_item_get,
    .content_apply = sa_content_apply,
    .catalog_export = sa_catalog_export,
    .docs_list = sa_docs_list,
};
