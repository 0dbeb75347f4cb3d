/* srvdb_sqlite_feed.c - the SQLite backend's feeds and what fills them: read
 * snapshots, the catalog and areas (with the cached areas digest), documents and
 * their revisions, ballot imports, paper ballots and ballot rows, and source imports
 * (srvdb_sqlite_source.c).  Devices and uploads are in srvdb_sqlite.c. */
#include "srvdb_impl.h"
#include "store_sql.h"
#include "srvdb_sqlite_impl.h"

#include <sodium.h>

#include "outbox.h"
#include <stdio.h>
#include <string.h>

kc_err srvdb_sq_read_begin_(void *impl, char *msg)
{
    sq *q = impl;
    /* A deferred transaction: a snapshot for readers, no write lock.  The store's
     * own transaction calls are not used inside it. */
    if (sqlite3_exec(store_db(q->st), "BEGIN DEFERRED", NULL, NULL, NULL) != SQLITE_OK)
        return srvdb_sqlite_fail_(q->st, msg, "starting a read");
    return KC_OK;
}

void srvdb_sq_read_end_(void *impl)
{
    sq *q = impl;
    sqlite3_exec(store_db(q->st), "COMMIT", NULL, NULL, NULL);
}

kc_err srvdb_sq_catalog_head_(void *impl, char *msg, long long *rev)
{
    sq *q = impl;
    *rev = store_catalog_rev(q->st);
    if (*rev < 0)
        return srvdb_sqlite_fail_(q->st, msg, "reading catalog revision");
    return KC_OK;
}

kc_err srvdb_sq_catalog_changes_(void *impl, char *msg, long long since, long limit,
                                 store_change_fn fn, void *ctx, long long *last)
{
    sq *q = impl;
    kc_err rc = store_changes(q->st, since, limit, fn, ctx, last);
    if (rc && rc != KC_ENOMEM)
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(q->st));
    return rc;
}

typedef struct digest_ctx {
    crypto_generichash_state h;
} digest_ctx;

static kc_err digest_one(void *ctx, const char *id, const char *body)
{
    digest_ctx *d = ctx;
    /* id and body are separated by NULs so no two lists hash alike. */
    crypto_generichash_update(&d->h, (const unsigned char *)id, strlen(id) + 1);
    crypto_generichash_update(&d->h, (const unsigned char *)body, strlen(body) + 1);
    return KC_OK;
}

kc_err srvdb_sq_areas_digest_(void *impl, char *msg, char *digest)
{
    sq *q = impl;
    sqlite3_stmt *s = NULL;
    kc_err rc = srvdb_sqlite_prep_(q->st, msg, &s, "PRAGMA data_version");
    if (rc)
        return rc;
    long long v = -1;
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (v < 0)
        return srvdb_sqlite_fail_(q->st, msg, "reading data version");
    if (!q->digest_valid || q->digest_version != v) {
        digest_ctx d;
        unsigned char out[32];
        crypto_generichash_init(&d.h, NULL, 0, sizeof out);
        if ((rc = store_areas_each(q->st, digest_one, &d))) {
            snprintf(msg, KC_MSGMAX, "%s", store_errmsg(q->st));
            return rc;
        }
        crypto_generichash_final(&d.h, out, sizeof out);
        sodium_bin2hex(q->digest, sizeof q->digest, out, sizeof out);
        q->digest_version = v;
        q->digest_valid = 1;
    }
    memcpy(digest, q->digest, PROTO_DIGEST_HEX + 1);
    return KC_OK;
}

kc_err srvdb_sq_areas_each_(void *impl, char *msg, store_item_fn fn, void *ctx)
{
    sq *q = impl;
    kc_err rc = store_areas_each(q->st, fn, ctx);
    if (rc && rc != KC_ENOMEM)
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(q->st));
    return rc;
}

kc_err srvdb_sq_area_delete_(void *impl, char *msg, const char *id, long *users)
{
    sq *q = impl;
    int exists = 0, changed = 0;
    *users = 0;
    kc_err rc = store_begin(q->st);
    if (rc) {
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(q->st));
        return rc;
    }
    /* Counted inside the write transaction: no import can add an item to the area
     * between the count and the deletion. */
    if ((rc = store_area_exists(q->st, id, &exists)) ||
        (exists && (rc = store_area_users(q->st, id, users))))
        goto dbfail;
    if (!exists) {
        store_rollback(q->st);
        return kc_fail(msg, KC_ENOTFOUND, "no area \"%.64s\"", id);
    }
    if (*users > 0) {
        store_rollback(q->st);
        return kc_fail(msg, KC_EEXIST, "%ld live item%s in area \"%.64s\"", *users,
                       *users == 1 ? " is" : "s are", id);
    }
    if ((rc = store_area_delete(q->st, id, &changed)) || (rc = store_commit(q->st)))
        goto dbfail;
    q->digest_valid = 0;  /* PRAGMA data_version does not see this connection's commits */
    return KC_OK;
dbfail:
    snprintf(msg, KC_MSGMAX, "%s", store_errmsg(q->st));
    store_rollback(q->st);
    return rc;
}

kc_err srvdb_sq_import_(void *impl, char *msg, const char *path, int flags,
                        content_result *res)
{
    sq *q = impl;
    content *c = content_new();
    if (!c)
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    kc_err rc = content_load_file(c, path);
    if (!rc)
        rc = content_apply(c, q->st, flags, res);
    if (rc)
        snprintf(msg, KC_MSGMAX, "%s", content_errmsg(c));
    content_free(c);
    return rc;
}

/* --- documents ----------------------------------------------------------------------- */

kc_err srvdb_sq_docs_head_(void *impl, char *msg, const char *type, long long *rev)
{
    sq *q = impl;
    sqlite3_stmt *s = NULL;
    kc_err rc =
        srvdb_sqlite_prep_(q->st, msg, &s, "SELECT coalesce(max(rev), 0) FROM doc WHERE type = ?");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        *rev = sqlite3_column_int64(s, 0);
    else
        rc = srvdb_sqlite_fail_(q->st, msg, "reading document revision");
    sqlite3_finalize(s);
    return rc;
}

kc_err srvdb_sq_docs_changes_(void *impl, char *msg, const char *type, long long since,
                              long limit, size_t max_bytes, srvdb_doc_fn fn, void *ctx,
                              long long *last)
{
    sq *q = impl;
    sqlite3_stmt *s = NULL;
    kc_err rc = srvdb_sqlite_prep_(q->st, msg, &s,
                                   "SELECT id, version, rev, deleted, body FROM doc "
                                   "WHERE type = ? AND rev > ? ORDER BY rev LIMIT ?");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, since);
    sqlite3_bind_int64(s, 3, limit);
    size_t bytes = 0;
    int r = SQLITE_DONE;
    while (bytes < max_bytes && (r = sqlite3_step(s)) == SQLITE_ROW) {
        const char *body = sqlite3_column_int(s, 3) ? NULL
                                                    : (const char *)sqlite3_column_text(s, 4);
        long long rev = sqlite3_column_int64(s, 2);
        if ((rc = fn(ctx, (const char *)sqlite3_column_text(s, 0),
                     sqlite3_column_int64(s, 1), rev, body)))
            break;
        *last = rev;
        bytes += body ? strlen(body) : 0;
    }
    if (!rc && bytes < max_bytes && r != SQLITE_DONE)
        rc = srvdb_sqlite_fail_(q->st, msg, "reading documents");
    sqlite3_finalize(s);
    return rc;
}

kc_err srvdb_sq_doc_get_(void *impl, char *msg, const char *type, const char *id,
                         long long version, char **body, long long *version_out)
{
    sq *q = impl;
    sqlite3_stmt *s = NULL;
    kc_err rc = srvdb_sqlite_prep_(
        q->st, msg, &s,
        version ? "SELECT body, version FROM doc WHERE type = ?1 AND id = ?2 AND "
                  "version = ?3 AND deleted = 0"
                : "SELECT body, version FROM doc WHERE type = ?1 AND id = ?2 AND "
                  "deleted = 0 ORDER BY version DESC LIMIT 1");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
    if (version)
        sqlite3_bind_int64(s, 3, version);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        if (!(*body = kc_strdup((const char *)sqlite3_column_text(s, 0))))
            rc = kc_fail(msg, KC_ENOMEM, "srvdb: out of memory");
        else if (version_out)
            *version_out = sqlite3_column_int64(s, 1);
    } else if (r == SQLITE_DONE) {
        rc = kc_fail(msg, KC_ENOTFOUND, "no %s \"%.64s\" on the server", type, id);
    } else {
        rc = srvdb_sqlite_fail_(q->st, msg, "reading a document");
    }
    sqlite3_finalize(s);
    return rc;
}

kc_err srvdb_sq_doc_put_(void *impl, char *msg, const char *type, const char *id,
                         long long version, const char *body, int replace, int *changed)
{
    sq *q = impl;
    sqlite3_stmt *s = NULL;
    *changed = 0;
    kc_err rc = store_begin(q->st);
    if (rc) {
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(q->st));
        return rc;
    }
    if ((rc = srvdb_sqlite_prep_(q->st, msg, &s,
                                 "SELECT body, deleted FROM doc WHERE type = ? AND id = ? "
                                 "AND version = ?")))
        goto fail;
    sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, version);
    int r = sqlite3_step(s), exists = r == SQLITE_ROW;
    if (r != SQLITE_ROW && r != SQLITE_DONE) {
        rc = srvdb_sqlite_fail_(q->st, msg, "reading a document");
        goto fail;
    }
    if (exists && !sqlite3_column_int(s, 1) &&
        strcmp((const char *)sqlite3_column_text(s, 0), body) == 0) {
        sqlite3_finalize(s);
        store_rollback(q->st);
        return KC_OK;
    }
    sqlite3_finalize(s);
    s = NULL;
    if (exists && !replace) {
        rc = kc_fail(msg, KC_EINVAL, "%s \"%.64s\" version %lld is already stored with "
                     "other content; give a new version", type, id, version);
        goto fail;
    }
    if ((rc = srvdb_sqlite_prep_(q->st, msg, &s,
                                 exists ? "UPDATE doc SET rev = " SRVDB_SQLITE_NEXT_REV
                                          ", deleted = 0, body = ?4 "
                                          "WHERE type = ?1 AND id = ?2 AND version = ?3"
                                        : "INSERT INTO doc(type, id, version, rev, body) "
                                          "VALUES(?1, ?2, ?3, " SRVDB_SQLITE_NEXT_REV ", ?4)")))
        goto fail;
    sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, version);
    sqlite3_bind_text(s, 4, body, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE) {
        rc = srvdb_sqlite_fail_(q->st, msg, "storing a document");
        goto fail;
    }
    sqlite3_finalize(s);
    s = NULL;
    if ((rc = store_commit(q->st))) {
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(q->st));
        goto fail;
    }
    *changed = 1;
    return KC_OK;
fail:
    sqlite3_finalize(s);
    store_rollback(q->st);
    return rc;
}

kc_err srvdb_sq_ballot_import_(void *impl, char *msg, const char *id, const char *body,
                               const char *const *payloads, size_t n)
{
    sq *q = impl;
    sqlite3_stmt *s = NULL;
    kc_err rc = store_begin(q->st);
    if (rc) {
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(q->st));
        return rc;
    }
    if ((rc = srvdb_sqlite_prep_(q->st, msg, &s,
                                 "SELECT count(*) FROM doc WHERE type = '" PROTO_DOC_BALLOT
                                 "' AND id = ?")))
        goto fail;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_ROW) {
        rc = srvdb_sqlite_fail_(q->st, msg, "reading a document");
        goto fail;
    }
    if (sqlite3_column_int(s, 0)) {
        rc = kc_fail(msg, KC_EINVAL, "ballot \"%.64s\" exists on the server already; give "
                     "the import another id", id);
        goto fail;
    }
    sqlite3_finalize(s);
    if ((rc = srvdb_sqlite_prep_(
             q->st, msg, &s,
             "INSERT INTO doc(type, id, version, rev, body) VALUES('" PROTO_DOC_BALLOT
             "', ?1, 1, " SRVDB_SQLITE_NEXT_REV ", ?2)")))
        goto fail;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, body, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE) {
        rc = srvdb_sqlite_fail_(q->st, msg, "storing a document");
        goto fail;
    }
    sqlite3_finalize(s);
    if ((rc = srvdb_sqlite_prep_(q->st, msg, &s,
                                 "INSERT INTO ballot_in(uuid, ballot, payload) VALUES(?, ?, ?)")))
        goto fail;
    for (size_t i = 0; i < n; i++) {
        char uuid[OUTBOX_UUID_LEN + 1];
        if (outbox_new_uuid(uuid)) {
            rc = kc_fail(msg, KC_ECRYPTO, "srvdb: no random numbers");
            goto fail;
        }
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, uuid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, payloads[i], -1, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_DONE) {
            rc = srvdb_sqlite_fail_(q->st, msg, "storing a ballot");
            goto fail;
        }
    }
    sqlite3_finalize(s);
    if ((rc = store_commit(q->st))) {
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(q->st));
        store_rollback(q->st);
    }
    return rc;
fail:
    sqlite3_finalize(s);
    store_rollback(q->st);
    return rc;
}

kc_err srvdb_sq_paper_add_(void *impl, char *msg, const char *ballot, const char *serial,
                           const char *payload)
{
    sq *q = impl;
    sqlite3_stmt *s = NULL;
    char uuid[OUTBOX_UUID_LEN + 1];
    if (outbox_new_uuid(uuid))
        return kc_fail(msg, KC_ECRYPTO, "srvdb: no random numbers");
    kc_err rc = store_begin(q->st);
    if (rc) {
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(q->st));
        return rc;
    }
    if ((rc = srvdb_sqlite_prep_(q->st, msg, &s,
                                 "INSERT OR IGNORE INTO paper_serial(ballot, serial) "
                                 "VALUES(?, ?)")))
        goto fail;
    sqlite3_bind_text(s, 1, ballot, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, serial, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE) {
        rc = srvdb_sqlite_fail_(q->st, msg, "storing a paper serial");
        goto fail;
    }
    if (sqlite3_changes(store_db(q->st)) == 0) {
        rc = kc_fail(msg, KC_EEXIST, "ballot \"%.64s\": paper ballot \"%.64s\" was entered "
                     "already; nothing stored", ballot, serial);
        goto fail;
    }
    sqlite3_finalize(s);
    if ((rc = srvdb_sqlite_prep_(q->st, msg, &s,
                                 "INSERT INTO ballot_in(uuid, ballot, payload) VALUES(?, ?, ?)")))
        goto fail;
    sqlite3_bind_text(s, 1, uuid, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, ballot, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, payload, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE) {
        rc = srvdb_sqlite_fail_(q->st, msg, "storing a ballot");
        goto fail;
    }
    sqlite3_finalize(s);
    if ((rc = store_commit(q->st))) {
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(q->st));
        store_rollback(q->st);
        return rc;
    }
    /* the log would show this serial and this ballot written together */
    sqlite3_exec(store_db(q->st), "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    return KC_OK;
fail:
    sqlite3_finalize(s);
    store_rollback(q->st);
    return rc;
}

kc_err srvdb_sq_ballot_rows_(void *impl, char *msg, const char *ballot, srvdb_vote_fn vote,
                             srvdb_use_fn use, void *ctx)
{
    sq *q = impl;
    sqlite3_stmt *s = NULL;
    kc_err rc = KC_OK;
    for (int pass = 0; pass < 2 && !rc; pass++) {
        if (pass == 0 ? !vote : !use)
            continue;
        if ((rc = srvdb_sqlite_prep_(q->st, msg, &s,
                                     pass == 0
                                         ? "SELECT uuid, payload FROM ballot_in WHERE ballot = ?1 "
                                           "UNION ALL SELECT uuid, payload FROM ballot_pool "
                                           "WHERE ballot = ?1 ORDER BY 1"
                                         : "SELECT c.uuid, c.hash, coalesce(d.name, '') FROM "
                                           "code_use c LEFT JOIN "
                                           "code_dup x ON x.uuid = c.uuid LEFT JOIN device d ON "
                                           "d.id = x.device WHERE c.ballot = ?1 ORDER BY "
                                           "c.uuid")))
            return rc;
        sqlite3_bind_text(s, 1, ballot, -1, SQLITE_STATIC);
        int r;
        while ((r = sqlite3_step(s)) == SQLITE_ROW) {
            const char *a = (const char *)sqlite3_column_text(s, 0);
            const char *b = (const char *)sqlite3_column_text(s, 1);
            if ((rc = pass == 0 ? vote(ctx, a, b)
                                : use(ctx, a, b, (const char *)sqlite3_column_text(s, 2))))
                break;
        }
        if (!rc && r != SQLITE_DONE)
            rc = srvdb_sqlite_fail_(q->st, msg, "reading ballots");
        sqlite3_finalize(s);
        s = NULL;
    }
    return rc;
}

kc_err srvdb_sq_import_buf_(void *impl, char *msg, const char *name, const char *buf,
                            size_t len, const char *scope, content_result *res)
{
    return srvdb_sqlite_import_buf_(((sq *)impl)->st, msg, name, buf, len, scope, res);
}

kc_err srvdb_sq_state_get_(void *impl, char *msg, const char *source, char **state)
{
    return srvdb_sqlite_state_get_(((sq *)impl)->st, msg, source, state);
}

kc_err srvdb_sq_state_set_(void *impl, char *msg, const char *source, const char *state)
{
    return srvdb_sqlite_state_set_(((sq *)impl)->st, msg, source, state);
}

kc_err srvdb_sq_run_add_(void *impl, char *msg, srvdb_source_run *r)
{
    return srvdb_sqlite_run_add_(((sq *)impl)->st, msg, r);
}

kc_err srvdb_sq_runs_each_(void *impl, char *msg, const char *source, long limit,
                           srvdb_run_fn fn, void *ctx)
{
    return srvdb_sqlite_runs_each_(((sq *)impl)->st, msg, source, limit, fn, ctx);
}
