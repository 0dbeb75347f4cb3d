/* srvdb_target_sqlite.c - the SQLite backend's per-kiosk settings and publication
 * (srvdb_target.h). */
#include "srvdb_impl.h"
#include "store_sql.h"
#include "srvdb_target.h"
#include "srvdb_sqlite_impl.h"

#include <stdio.h>
#include <string.h>

/* A module of its own, so it migrates apart from the server's other tables.
 * doc_pub: no row = published to every kiosk; "chosen" lists its kiosks in
 * doc_pub_kiosk; "closed" shows it nowhere. */
static const char *const migrations[] = {
    "CREATE TABLE kiosk_settings(device INTEGER PRIMARY KEY REFERENCES device(id),"
    " body TEXT NOT NULL);"
    "CREATE TABLE doc_pub(type TEXT NOT NULL, id TEXT NOT NULL, state TEXT NOT NULL"
    " CHECK(state IN ('chosen', 'closed')), PRIMARY KEY(type, id)) WITHOUT ROWID;"
    "CREATE TABLE doc_pub_kiosk(type TEXT NOT NULL, id TEXT NOT NULL,"
    " device INTEGER NOT NULL REFERENCES device(id), PRIMARY KEY(type, id, device))"
    " WITHOUT ROWID;",
};

/* Whether document d (of publication type ?pt) is shown on device ?dev. */
#define VISIBLE(pt, dev)                                                                   \
    "NOT EXISTS (SELECT 1 FROM doc_pub p WHERE p.type = " pt " AND p.id = d.id AND"        \
    " (p.state = 'closed' OR NOT EXISTS (SELECT 1 FROM doc_pub_kiosk k WHERE"             \
    " k.type = p.type AND k.id = p.id AND k.device = " dev ")))"

kc_err srvdb_sqlite_target_migrate_(store *st, char *msg)
{
    kc_err rc = store_migrate_module(st, "server-target", migrations,
                                     (int)(sizeof migrations / sizeof migrations[0]));
    if (rc)
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(st));
    return rc;
}

static kc_err step_done(store *st, char *msg, sqlite3_stmt *s, const char *what)
{
    kc_err rc = sqlite3_step(s) == SQLITE_DONE ? KC_OK : srvdb_sqlite_fail_(st, msg, what);
    sqlite3_finalize(s);
    return rc;
}

/* The device id of a kiosk name; KC_ENOTFOUND when none. */
static kc_err device_of(store *st, char *msg, const char *kiosk, long long *id)
{
    sqlite3_stmt *s;
    kc_err rc = srvdb_sqlite_prep_(st, msg, &s, "SELECT id FROM device WHERE name = ?");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, kiosk, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW)
        *id = sqlite3_column_int64(s, 0);
    else if (r == SQLITE_DONE)
        rc = kc_fail(msg, KC_ENOTFOUND, "no kiosk \"%.64s\"", kiosk);
    else
        rc = srvdb_sqlite_fail_(st, msg, "reading a kiosk");
    sqlite3_finalize(s);
    return rc;
}

static kc_err settings_of(void *impl, char *msg, long long device, char **body)
{
    store *st = srvdb_sqlite_store_(impl);
    sqlite3_stmt *s;
    *body = NULL;
    kc_err rc = srvdb_sqlite_prep_(st, msg, &s, "SELECT body FROM kiosk_settings WHERE device = ?");
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, device);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        if (!(*body = kc_strdup((const char *)sqlite3_column_text(s, 0))))
            rc = kc_fail(msg, KC_ENOMEM, "out of memory");
    } else if (r != SQLITE_DONE) {
        rc = srvdb_sqlite_fail_(st, msg, "reading kiosk settings");
    }
    sqlite3_finalize(s);
    return rc;
}

static kc_err settings_get(void *impl, char *msg, const char *kiosk, char **body)
{
    long long dev;
    kc_err rc = device_of(srvdb_sqlite_store_(impl), msg, kiosk, &dev);
    return rc ? rc : settings_of(impl, msg, dev, body);
}

static kc_err settings_set(void *impl, char *msg, const char *kiosk, const char *body)
{
    store *st = srvdb_sqlite_store_(impl);
    long long dev;
    sqlite3_stmt *s;
    kc_err rc = device_of(st, msg, kiosk, &dev);
    if (!rc)
        rc = srvdb_sqlite_prep_(st, msg, &s,
                                body ? "INSERT OR REPLACE INTO kiosk_settings(device, body) "
                                       "VALUES(?1, ?2)"
                                     : "DELETE FROM kiosk_settings WHERE device = ?1");
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, dev);
    if (body)
        sqlite3_bind_text(s, 2, body, -1, SQLITE_STATIC);
    return step_done(st, msg, s, "storing kiosk settings");
}

static kc_err pub_state(store *st, char *msg, const char *type, const char *id, int *p)
{
    sqlite3_stmt *s;
    kc_err rc =
        srvdb_sqlite_prep_(st, msg, &s, "SELECT state FROM doc_pub WHERE type = ? AND id = ?");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    *p = SRVDB_PUB_ALL;
    if (r == SQLITE_ROW)
        *p = strcmp((const char *)sqlite3_column_text(s, 0), "closed") == 0 ? SRVDB_PUB_CLOSED
                                                                           : SRVDB_PUB_CHOSEN;
    else if (r != SQLITE_DONE)
        rc = srvdb_sqlite_fail_(st, msg, "reading a publication");
    sqlite3_finalize(s);
    return rc;
}

static kc_err doc_exists(store *st, char *msg, const char *type, const char *id)
{
    sqlite3_stmt *s;
    kc_err rc = srvdb_sqlite_prep_(st, msg, &s,
                                   "SELECT 1 FROM doc WHERE type = ? AND id = ? AND "
                                   "deleted = 0 LIMIT 1");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    if (r == SQLITE_DONE)
        rc = kc_fail(msg, KC_ENOTFOUND, "no %s \"%.64s\" on the server", type, id);
    else if (r != SQLITE_ROW)
        rc = srvdb_sqlite_fail_(st, msg, "reading a document");
    sqlite3_finalize(s);
    return rc;
}

static kc_err pub_get(void *impl, char *msg, const char *type, const char *id, int *p,
                      srvdb_name_fn fn, void *ctx)
{
    store *st = srvdb_sqlite_store_(impl);
    sqlite3_stmt *s;
    kc_err rc = pub_state(st, msg, type, id, p);
    if (rc || *p != SRVDB_PUB_CHOSEN)
        return rc;
    if ((rc = srvdb_sqlite_prep_(st, msg, &s,
                                 "SELECT d.name FROM doc_pub_kiosk k JOIN device d ON "
                                 "d.id = k.device WHERE k.type = ? AND k.id = ? ORDER BY d.name")))
        return rc;
    sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
    int r;
    while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW)
        rc = fn(ctx, (const char *)sqlite3_column_text(s, 0));
    if (!rc && r != SQLITE_DONE)
        rc = srvdb_sqlite_fail_(st, msg, "reading a publication");
    sqlite3_finalize(s);
    return rc;
}

/* Moves every stored document of a published survey (each version) or ballot (and
 * its codes file) to new revisions, one each, so kiosks that now show it pull it. */
static kc_err bump(store *st, char *msg, const char *type, const char *id)
{
    sqlite3_stmt *s, *u = NULL;
    int ballot = strcmp(type, PROTO_DOC_BALLOT) == 0;
    kc_err rc = srvdb_sqlite_prep_(st, msg, &s,
                                   "SELECT type, version FROM doc WHERE (type = ?1 OR "
                                   "(?2 AND type = '" PROTO_DOC_CODES "')) AND id = ?3 "
                                   "ORDER BY type, version");
    if (!rc)
        rc = srvdb_sqlite_prep_(st, msg, &u,
                                "UPDATE doc SET rev = (SELECT max(rev) + 1 FROM doc) "
                                "WHERE type = ? AND id = ? AND version = ?");
    if (rc) {
        sqlite3_finalize(s);
        return rc;
    }
    sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, ballot);
    sqlite3_bind_text(s, 3, id, -1, SQLITE_STATIC);
    int r;
    while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
        sqlite3_reset(u);
        sqlite3_bind_text(u, 1, (const char *)sqlite3_column_text(s, 0), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(u, 2, id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(u, 3, sqlite3_column_int64(s, 1));
        if (sqlite3_step(u) != SQLITE_DONE)
            rc = srvdb_sqlite_fail_(st, msg, "moving a document to a new revision");
    }
    if (!rc && r != SQLITE_DONE)
        rc = srvdb_sqlite_fail_(st, msg, "reading documents");
    sqlite3_finalize(u);
    sqlite3_finalize(s);
    return rc;
}

/* Writes a publication inside the caller's transaction: state p with kiosks (device
 * ids), then bumps the documents. */
static kc_err pub_write(store *st, char *msg, const char *type, const char *id, int p,
                        const long long *devs, size_t n)
{
    sqlite3_stmt *s;
    kc_err rc =
        srvdb_sqlite_prep_(st, msg, &s, "DELETE FROM doc_pub_kiosk WHERE type = ? AND id = ?");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
    if ((rc = step_done(st, msg, s, "storing a publication")))
        return rc;
    if ((rc = srvdb_sqlite_prep_(st, msg, &s,
                                 p == SRVDB_PUB_ALL ? "DELETE FROM doc_pub WHERE type = ?1 "
                                                      "AND id = ?2"
                                                    : "INSERT OR REPLACE INTO doc_pub(type, "
                                                      "id, state) VALUES(?1, ?2, ?3)")))
        return rc;
    sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
    if (p != SRVDB_PUB_ALL)
        sqlite3_bind_text(s, 3, p == SRVDB_PUB_CLOSED ? "closed" : "chosen", -1, SQLITE_STATIC);
    if ((rc = step_done(st, msg, s, "storing a publication")))
        return rc;
    if ((rc = srvdb_sqlite_prep_(st, msg, &s,
                                 "INSERT OR IGNORE INTO doc_pub_kiosk(type, id, device) "
                                 "VALUES(?, ?, ?)")))
        return rc;
    for (size_t i = 0; i < n && !rc; i++) {
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 3, devs[i]);
        if (sqlite3_step(s) != SQLITE_DONE)
            rc = srvdb_sqlite_fail_(st, msg, "storing a publication");
    }
    sqlite3_finalize(s);
    return rc ? rc : bump(st, msg, type, id);
}

static kc_err pub_set(void *impl, char *msg, const char *type, const char *id, int p,
                      const char *const *kiosks, size_t n)
{
    store *st = srvdb_sqlite_store_(impl);
    long long *devs = kc_calloc(n ? n : 1, sizeof *devs);
    if (!devs)
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    kc_err rc = store_begin(st);
    if (rc) {
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(st));
        kc_free(devs);
        return rc;
    }
    rc = doc_exists(st, msg, type, id);
    for (size_t i = 0; i < n && !rc; i++)
        if ((rc = device_of(st, msg, kiosks[i], &devs[i])) == KC_ENOTFOUND)
            rc = kc_fail(msg, KC_EINVAL, "\"kiosks\": no kiosk \"%.64s\"", kiosks[i]);
    if (!rc)
        rc = pub_write(st, msg, type, id, p, devs, n);
    if (!rc && (rc = store_commit(st)))
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(st));
    if (rc)
        store_rollback(st);
    kc_free(devs);
    return rc;
}

static int listed(const char *const *ids, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0)
            return 1;
    return 0;
}

/* Every other live kiosk (the ones a document for all kiosks keeps showing on). */
static kc_err others(store *st, char *msg, long long dev, long long **out, size_t *n)
{
    sqlite3_stmt *s;
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    kc_err rc = srvdb_sqlite_prep_(st, msg, &s,
                                   "SELECT id FROM device WHERE id <> ? AND revoked IS NULL "
                                   "ORDER BY id");
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, dev);
    int r;
    while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            long long *v = kc_realloc(*out, cap * sizeof *v);
            if (!v) {
                rc = kc_fail(msg, KC_ENOMEM, "out of memory");
                break;
            }
            *out = v;
        }
        (*out)[(*n)++] = sqlite3_column_int64(s, 0);
    }
    if (!rc && r != SQLITE_DONE)
        rc = srvdb_sqlite_fail_(st, msg, "reading kiosks");
    sqlite3_finalize(s);
    return rc;
}

/* One document's change for one kiosk, inside the caller's transaction. */
static kc_err show_one(store *st, char *msg, const char *type, const char *id, long long dev,
                       int want)
{
    int p;
    sqlite3_stmt *s;
    kc_err rc = pub_state(st, msg, type, id, &p);
    if (rc)
        return rc;
    if (p == SRVDB_PUB_CLOSED)
        return want ? kc_fail(msg, KC_EINVAL, "\"%ss\": %s \"%.64s\" is closed; publish it "
                              "again first", type, type, id)
                    : KC_OK;
    if (p == SRVDB_PUB_ALL) {
        if (want)
            return KC_OK;
        long long *v;
        size_t n;
        if ((rc = others(st, msg, dev, &v, &n)))
            return rc;
        rc = pub_write(st, msg, type, id, SRVDB_PUB_CHOSEN, v, n);
        kc_free(v);
        return rc;
    }
    if ((rc = srvdb_sqlite_prep_(st, msg, &s,
                                 want ? "INSERT OR IGNORE INTO doc_pub_kiosk(type, id, device) "
                                        "VALUES(?1, ?2, ?3)"
                                      : "DELETE FROM doc_pub_kiosk WHERE type = ?1 AND id = ?2 "
                                        "AND device = ?3")))
        return rc;
    sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, dev);
    int r = sqlite3_step(s);
    int did = sqlite3_changes(store_db(st)) > 0;
    sqlite3_finalize(s);
    if (r != SQLITE_DONE)
        return srvdb_sqlite_fail_(st, msg, "storing a publication");
    /* newly shown: its documents move up so this kiosk pulls them */
    return want && did ? bump(st, msg, type, id) : KC_OK;
}

static kc_err shows_set(void *impl, char *msg, const char *kiosk, const char *type,
                        const char *const *ids, size_t n)
{
    store *st = srvdb_sqlite_store_(impl);
    sqlite3_stmt *s = NULL;
    long long dev;
    size_t found = 0;
    kc_err rc = store_begin(st);
    if (rc) {
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(st));
        return rc;
    }
    if ((rc = device_of(st, msg, kiosk, &dev)) ||
        (rc = srvdb_sqlite_prep_(st, msg, &s,
                                 "SELECT DISTINCT id FROM doc WHERE type = ? AND deleted = 0 "
                                 "ORDER BY id")))
        goto out;
    sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
    int r;
    while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
        char id[KC_MSGMAX];
        snprintf(id, sizeof id, "%s", (const char *)sqlite3_column_text(s, 0));
        int want = listed(ids, n, id);
        found += want;
        rc = show_one(st, msg, type, id, dev, want);
    }
    if (!rc && r != SQLITE_DONE)
        rc = srvdb_sqlite_fail_(st, msg, "reading documents");
    if (!rc && found != n) {
        for (size_t i = 0; i < n && !rc; i++)
            if ((rc = doc_exists(st, msg, type, ids[i])) == KC_ENOTFOUND)
                rc = kc_fail(msg, KC_EINVAL, "\"%ss\": no %s \"%.64s\" on the server", type,
                             type, ids[i]);
    }
out:
    sqlite3_finalize(s);
    if (!rc && (rc = store_commit(st)))
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(st));
    if (rc)
        store_rollback(st);
    return rc;
}

static kc_err shows(void *impl, char *msg, long long device, const char *type,
                    srvdb_name_fn fn, void *ctx)
{
    store *st = srvdb_sqlite_store_(impl);
    sqlite3_stmt *s;
    kc_err rc = srvdb_sqlite_prep_(st, msg, &s,
                                   "SELECT DISTINCT d.id FROM doc d WHERE d.type = ?1 AND "
                                   "d.deleted = 0 AND " VISIBLE("?1", "?2") " ORDER BY d.id");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, device);
    int r;
    while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW)
        rc = fn(ctx, (const char *)sqlite3_column_text(s, 0));
    if (rc == KC_ENOMEM)
        kc_fail(msg, rc, "out of memory");
    else if (!rc && r != SQLITE_DONE)
        rc = srvdb_sqlite_fail_(st, msg, "reading documents");
    sqlite3_finalize(s);
    return rc;
}

static kc_err docs_changes_for(void *impl, char *msg, const char *type, long long device,
                               long long since, long limit, size_t max_bytes,
                               srvdb_doc_fn fn, void *ctx, long long *last)
{
    store *st = srvdb_sqlite_store_(impl);
    sqlite3_stmt *s;
    /* Codes follow their ballot; code uses are for every kiosk (a kiosk skips uses of
     * ballots it does not have). */
    const char *pt = strcmp(type, PROTO_DOC_CODES) == 0 ? PROTO_DOC_BALLOT
                     : strcmp(type, PROTO_DOC_USED) == 0 ? NULL
                                                          : type;
    kc_err rc = srvdb_sqlite_prep_(
        st, msg, &s,
        "SELECT d.id, d.version, d.rev, d.deleted, d.body, "
        "?4 IS NULL OR " VISIBLE("?4", "?5") " FROM doc d "
                                             "WHERE d.type = ?1 AND d.rev > ?2 ORDER BY d.rev");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, since);
    if (pt)
        sqlite3_bind_text(s, 4, pt, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, device);
    size_t bytes = 0;
    long n = 0;
    int r = SQLITE_DONE;
    while (n < limit && bytes < max_bytes && (r = sqlite3_step(s)) == SQLITE_ROW) {
        long long rev = sqlite3_column_int64(s, 2);
        if (sqlite3_column_int(s, 5)) {
            const char *body = sqlite3_column_int(s, 3) ? NULL
                                                        : (const char *)sqlite3_column_text(s, 4);
            if ((rc = fn(ctx, (const char *)sqlite3_column_text(s, 0),
                         sqlite3_column_int64(s, 1), rev, body)))
                break;
            bytes += body ? strlen(body) : 0;
            n++;
        }
        *last = rev;
    }
    if (!rc && r != SQLITE_DONE && r != SQLITE_ROW)
        rc = srvdb_sqlite_fail_(st, msg, "reading documents");
    sqlite3_finalize(s);
    return rc;
}

const srvdb_target_backend srvdb_sqlite_target = {
    settings_get, settings_set, pub_get, pub_set, shows_set, shows, settings_of,
    docs_changes_for,
};
