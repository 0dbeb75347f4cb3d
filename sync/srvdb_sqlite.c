/* srvdb_sqlite.c - the SQLite backend of srvdb: one WAL file holding the core
 * store's catalog tables plus the server's devices and responses.  Here: opening and
 * migrations, devices, uploaded batches (and the ballot pool) and responses; the
 * feeds are in srvdb_sqlite_feed.c. */
#include "srvdb_admin.h"
#include "store_sql.h"
#include "srvdb_target.h"
#include "srvdb_impl.h"
#include "srvdb_results.h"
#include "srvdb_sqlite_impl.h"
#include "srvdb_sqlite_find.h"

#include <sodium.h>

#include <stdio.h>
#include <string.h>

static const char *const migrations[] = {
    "CREATE TABLE device(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " token_hash BLOB NOT NULL UNIQUE, created INTEGER NOT NULL, revoked INTEGER,"
    " last_seen INTEGER, version TEXT, catalog_rev INTEGER, outbox_depth INTEGER,"
    " last_error TEXT);"
    /* No rowid and no time of arrival: responses keep no order that could line up
     * residents or voters with a clock. */
    "CREATE TABLE response(uuid TEXT PRIMARY KEY, device INTEGER NOT NULL"
    " REFERENCES device(id), kind TEXT NOT NULL, payload TEXT NOT NULL) WITHOUT ROWID;",
    /* Surveys and ballots down: one row per (type, id, version), each change under a
     * new revision from one counter shared by the types.  Ballots and code uses up:
     * apart from other responses, keyed by their random UUIDs, with no time; a ballot
     * keeps no device (docs/voting.md), a code use keeps it for the double-use report. */
    "CREATE TABLE doc(type TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,"
    " rev INTEGER NOT NULL UNIQUE, deleted INTEGER NOT NULL DEFAULT 0, body TEXT,"
    " PRIMARY KEY(type, id, version)) WITHOUT ROWID;"
    "CREATE INDEX doc_feed ON doc(type, rev);"
    "CREATE TABLE ballot_in(uuid TEXT PRIMARY KEY, ballot TEXT NOT NULL,"
    " payload TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE code_use(uuid TEXT PRIMARY KEY, ballot TEXT NOT NULL, hash TEXT NOT NULL,"
    " device INTEGER NOT NULL REFERENCES device(id)) WITHOUT ROWID;",
    /* Secrecy against a copy of the files (docs/voting.md): a code use keeps no device
     * (only a second use of a code names its kiosk, for the double-use report), and a
     * ballot waits in a pool without device until ballots of two kiosks are there; then
     * the pool goes into ballot_in in random order, is deleted with secure_delete and
     * the log is checkpointed away.  pool_src is the set of kiosks with pooled ballots,
     * not linked to any of them. */
    "CREATE TABLE code_use2(uuid TEXT PRIMARY KEY, ballot TEXT NOT NULL, hash TEXT NOT NULL)"
    " WITHOUT ROWID;"
    "CREATE TABLE code_dup(uuid TEXT PRIMARY KEY, ballot TEXT NOT NULL, hash TEXT NOT NULL,"
    " device INTEGER NOT NULL REFERENCES device(id)) WITHOUT ROWID;"
    "INSERT INTO code_dup SELECT c.uuid, c.ballot, c.hash, c.device FROM code_use c WHERE"
    " (SELECT count(*) FROM code_use d WHERE d.ballot = c.ballot AND d.hash = c.hash) > 1;"
    "INSERT INTO code_use2 SELECT uuid, ballot, hash FROM code_use;"
    "DROP TABLE code_use;"
    "ALTER TABLE code_use2 RENAME TO code_use;"
    "CREATE TABLE ballot_pool(k TEXT PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " ballot TEXT NOT NULL, payload TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE pool_src(device INTEGER PRIMARY KEY) WITHOUT ROWID;",
    /* Serials of paper ballots entered, only to refuse one twice: no link to the ballot. */
    "CREATE TABLE paper_serial(ballot TEXT NOT NULL, serial TEXT NOT NULL,"
    " PRIMARY KEY(ballot, serial)) WITHOUT ROWID;",
    /* Ballot definitions are versioned like surveys (docs/voting.md, "Versions"): each
     * version is its own document, and what stood before is version 1. */
    "UPDATE doc SET version = 1 WHERE type = '" PROTO_DOC_BALLOT "' AND version = 0;",
};

/* The pool is written out when it holds at least this many ballots from two kiosks. */
#define POOL_MIN 20
/* What kiosks report about rows the server refused (docs/protocol.md, heartbeat);
 * a module of its own so it migrates apart from the tables above. */
static const char *const push_migrations[] = {
    "ALTER TABLE device ADD COLUMN set_aside INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE device ADD COLUMN set_aside_reason TEXT;",
};

static kc_err sq_open(const char *where, void **impl, char *msg)
{
    sq *q = kc_calloc(1, sizeof *q);
    *impl = q;
    if (!q)
        return kc_fail(msg, KC_ENOMEM, "srvdb: out of memory");
    kc_err rc = store_open(where, &q->st);
    /* Before any migration: the console's search triggers call it. */
    if (!rc && srvdb_sqlite_find_register_(store_db(q->st)))
        rc = store_fail_db(q->st, "srvdb: registering kc_find_text");
    if (q->st)
        /* Kiosks search their own copies; writing search text here only made
         * imports hold the write lock several times longer. */
        store_set_search_text(q->st, 0);
    if (!rc)
        rc = store_migrate_module(q->st, "server", migrations,
                                  (int)(sizeof migrations / sizeof migrations[0]));
    /* deleted ballots (the pool) are overwritten with zeros, not left in free pages */
    if (!rc && sqlite3_exec(store_db(q->st), "PRAGMA secure_delete = ON", NULL, NULL,
                            NULL) != SQLITE_OK)
        rc = store_fail_db(q->st, "srvdb: secure_delete");
    if (!rc)
        rc = store_migrate_module(q->st, "server-push", push_migrations,
                                  (int)(sizeof push_migrations / sizeof push_migrations[0]));
    if (!rc)
        rc = srvdb_sqlite_admin_migrate_(q->st);
    if (!rc)
        rc = srvdb_sqlite_results_migrate_(q->st);
    if (!rc && (rc = srvdb_sqlite_source_migrate_(q->st, msg)))
        return rc;
    if (!rc && (rc = srvdb_sqlite_target_migrate_(q->st, msg)))
        return rc;
    if (rc)
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(q->st));
    return rc;
}

static void sq_close(void *impl)
{
    sq *q = impl;
    store_close(q->st);
    kc_free(q);
}

static kc_err sq_device_add(void *impl, char *msg, const char *name,
                            const unsigned char *hash, long long now)
{
    sq *q = impl;
    sqlite3_stmt *s = NULL;
    kc_err rc = srvdb_sqlite_prep_(q->st, msg, &s,
                                   "INSERT OR IGNORE INTO device(name, token_hash, created) "
                                   "VALUES(?, ?, ?)");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_blob(s, 2, hash, SRVDB_HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, now);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = srvdb_sqlite_fail_(q->st, msg, "adding device");
    else if (sqlite3_changes(store_db(q->st)) == 0)
        rc = kc_fail(msg, KC_EINVAL, "device \"%s\" exists already", name);
    sqlite3_finalize(s);
    return rc;
}

static kc_err sq_device_revoke(void *impl, char *msg, const char *name, long long now)
{
    sq *q = impl;
    sqlite3_stmt *s = NULL;
    kc_err rc = srvdb_sqlite_prep_(q->st, msg, &s,
                                   "UPDATE device SET revoked = coalesce(revoked, ?) "
                                   "WHERE name = ?");
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, now);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = srvdb_sqlite_fail_(q->st, msg, "revoking device");
    else if (sqlite3_changes(store_db(q->st)) == 0)
        rc = kc_fail(msg, KC_ENOTFOUND, "no device \"%.64s\"", name);
    sqlite3_finalize(s);
    return rc;
}

#define DEVICE_COLS \
    "id, name, revoked, created, last_seen, version, catalog_rev, outbox_depth, last_error," \
    " set_aside, set_aside_reason"

static void copy_col(sqlite3_stmt *s, int i, char *dst, size_t cap)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    snprintf(dst, cap, "%s", t ? t : "");
}

static void read_device(sqlite3_stmt *s, srvdb_device *d)
{
    memset(d, 0, sizeof *d);
    d->id = sqlite3_column_int64(s, 0);
    copy_col(s, 1, d->name, sizeof d->name);
    d->revoked = sqlite3_column_type(s, 2) != SQLITE_NULL;
    d->created = sqlite3_column_int64(s, 3);
    d->last_seen = sqlite3_column_int64(s, 4);
    copy_col(s, 5, d->version, sizeof d->version);
    d->catalog_rev = sqlite3_column_int64(s, 6);
    d->outbox_depth = sqlite3_column_int64(s, 7);
    copy_col(s, 8, d->last_error, sizeof d->last_error);
    d->set_aside = sqlite3_column_int64(s, 9);
    copy_col(s, 10, d->set_aside_reason, sizeof d->set_aside_reason);
}

static kc_err sq_device_auth(void *impl, char *msg, const unsigned char *hash,
                             srvdb_device *dev)
{
    sq *q = impl;
    sqlite3_stmt *s = NULL;
    kc_err rc = srvdb_sqlite_prep_(q->st, msg, &s,
                                   "SELECT " DEVICE_COLS " FROM device WHERE token_hash = ?");
    if (rc)
        return rc;
    sqlite3_bind_blob(s, 1, hash, SRVDB_HASH_LEN, SQLITE_STATIC);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW)
        read_device(s, dev);
    else if (r == SQLITE_DONE)
        rc = kc_fail(msg, KC_ENOTFOUND, "unknown device token");
    else
        rc = srvdb_sqlite_fail_(q->st, msg, "looking up device");
    sqlite3_finalize(s);
    return rc;
}

static kc_err sq_devices_each(void *impl, char *msg, srvdb_device_fn fn, void *ctx)
{
    sq *q = impl;
    sqlite3_stmt *s = NULL;
    kc_err rc =
        srvdb_sqlite_prep_(q->st, msg, &s, "SELECT " DEVICE_COLS " FROM device ORDER BY name");
    if (rc)
        return rc;
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        srvdb_device d;
        read_device(s, &d);
        if ((rc = fn(ctx, &d)))
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = srvdb_sqlite_fail_(q->st, msg, "listing devices");
    sqlite3_finalize(s);
    return rc;
}

static kc_err sq_heartbeat(void *impl, char *msg, long long device, const proto_heartbeat *hb,
                           long long now)
{
    sq *q = impl;
    sqlite3_stmt *s = NULL;
    kc_err rc =
        srvdb_sqlite_prep_(q->st, msg, &s,
                           "UPDATE device SET last_seen = ?, version = ?, catalog_rev = ?, "
                           "outbox_depth = ?, last_error = ?, set_aside = ?, set_aside_reason = ? "
                           "WHERE id = ?");
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, now);
    sqlite3_bind_text(s, 2, hb->version, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, hb->catalog_rev);
    sqlite3_bind_int64(s, 4, hb->outbox_depth);
    if (hb->last_error[0])
        sqlite3_bind_text(s, 5, hb->last_error, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, 5);
    sqlite3_bind_int64(s, 6, hb->set_aside);
    if (hb->set_aside_reason[0])
        sqlite3_bind_text(s, 7, hb->set_aside_reason, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, 7);
    sqlite3_bind_int64(s, 8, device);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = srvdb_sqlite_fail_(q->st, msg, "recording heartbeat");
    sqlite3_finalize(s);
    return rc;
}


/* After a push that stored ballots or code uses: when the pool holds POOL_MIN ballots
 * from two kiosks or more, write it into ballot_in in the order of its random keys and
 * delete it (zeroed by secure_delete), then empty the write-ahead log, whose frames
 * still show which rows one push wrote together.  Best effort: the ballots are stored
 * either way, and a failure here is retried after the next push. */
static void pool_mix(sq *q)
{
    sqlite3 *db = store_db(q->st);
    sqlite3_stmt *s = NULL;
    int n = 0, src = 0;
    if (sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM ballot_pool), (SELECT count(*) "
                               "FROM pool_src)", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
        n = sqlite3_column_int(s, 0);
        src = sqlite3_column_int(s, 1);
    }
    sqlite3_finalize(s);
    if (n >= POOL_MIN && src >= 2 && store_begin(q->st) == KC_OK) {
        if (sqlite3_exec(db, "INSERT OR IGNORE INTO ballot_in(uuid, ballot, payload) SELECT "
                             "uuid, ballot, payload FROM ballot_pool ORDER BY k; DELETE FROM "
                             "ballot_pool; DELETE FROM pool_src;", NULL, NULL, NULL) == SQLITE_OK)
            store_commit(q->st);
        else
            store_rollback(q->st);
    }
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
}

static kc_err sq_store_batch(void *impl, char *msg, long long device, const proto_batch *b,
                             srvdb_row *rows, long *stored)
{
    enum { NSQL = 6 };
    /* Entries split over lines are parenthesised: clang's -Wstring-concatenation. */
    static const char *const sql[NSQL] = {
        "INSERT OR IGNORE INTO response(uuid, device, kind, payload) VALUES(?1, ?2, ?3, ?4)",
        /* ballots into the pool under a random key, once: not again after the pool
         * was written out */
        ("INSERT INTO ballot_pool(k, uuid, ballot, payload) SELECT ?9, ?1, ?5, ?4 WHERE NOT "
         "EXISTS (SELECT 1 FROM ballot_in WHERE uuid = ?1) AND NOT EXISTS (SELECT 1 FROM "
         "ballot_pool WHERE uuid = ?1)"),
        "INSERT OR IGNORE INTO code_use(uuid, ballot, hash) VALUES(?1, ?5, ?6)",
        /* A code's first use anywhere becomes a document for every kiosk. */
        ("INSERT OR IGNORE INTO doc(type, id, version, rev, body) VALUES('" PROTO_DOC_USED
         "', ?7, 0, " SRVDB_SQLITE_NEXT_REV ", ?8)"),
        /* a later use of a code keeps its kiosk for the report */
        ("INSERT OR IGNORE INTO code_dup(uuid, ballot, hash, device) SELECT ?1, ?5, ?6, ?2 "
         "WHERE (SELECT count(*) FROM code_use WHERE ballot = ?5 AND hash = ?6) > 1"),
        "INSERT OR IGNORE INTO pool_src(device) VALUES(?2)",
    };
    sq *q = impl;
    sqlite3_stmt *s[NSQL] = { NULL };
    int ballots = 0;
    kc_err rc = store_begin(q->st);
    if (rc) {
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(q->st));
        return rc;
    }
    for (int k = 0; k < NSQL; k++)
        if ((rc = srvdb_sqlite_prep_(q->st, msg, &s[k], sql[k])))
            goto fail;
    long n = 0;
    for (size_t i = 0; i < b->n; i++) {
        srvdb_row *r = &rows[i];
        if (!r->status && (rc = srvdb_sqlite_held_(q->st, msg, &b->v[i], r)))
            goto fail;
        if (r->status)
            continue;  /* refused, a later copy, or held already: nothing to insert */
        char body[200];
        snprintf(body, sizeof body, "{\"ballot\":\"%s\",\"code\":\"%s\"}", r->ballot,
                 r->hash);
        char key[33];
        unsigned char kb[16];
        randombytes_buf(kb, sizeof kb);
        sodium_bin2hex(key, sizeof key, kb, sizeof kb);
        /* statements per kind: response; ballot, its kiosk into the set; code use, its
         * document, a second use's kiosk */
        static const int plan[3][3] = { { 0, -1, -1 }, { 1, 5, -1 }, { 2, 3, 4 } };
        for (int p = 0; p < 3 && plan[r->kind][p] >= 0; p++) {
            sqlite3_stmt *t = s[plan[r->kind][p]];
            sqlite3_reset(t);
            sqlite3_clear_bindings(t);
            /* The statements share one numbering (?1 uuid ... ?8 body) and each uses
             * some of it; a number a statement does not use has no name. */
            int np = sqlite3_bind_parameter_count(t);
            for (int x = 1; x <= np; x++) {
                if (!sqlite3_bind_parameter_name(t, x))
                    continue;
                switch (x) {
                case 1: sqlite3_bind_text(t, x, b->v[i].uuid, -1, SQLITE_STATIC); break;
                case 2: sqlite3_bind_int64(t, x, device); break;
                case 3: sqlite3_bind_text(t, x, b->v[i].kind, -1, SQLITE_STATIC); break;
                case 4: sqlite3_bind_text(t, x, b->v[i].payload, -1, SQLITE_STATIC); break;
                case 5: sqlite3_bind_text(t, x, r->ballot, -1, SQLITE_STATIC); break;
                case 6: sqlite3_bind_text(t, x, r->hash, -1, SQLITE_STATIC); break;
                case 7: sqlite3_bind_text(t, x, r->used_id, -1, SQLITE_STATIC); break;
                case 8: sqlite3_bind_text(t, x, body, -1, SQLITE_TRANSIENT); break;
                case 9: sqlite3_bind_text(t, x, key, -1, SQLITE_TRANSIENT); break;
                default: break;
                }
            }
            if (sqlite3_step(t) != SQLITE_DONE) {
                rc = srvdb_sqlite_fail_(q->st, msg, "storing response");
                goto fail;
            }
            int changes = sqlite3_changes(store_db(q->st));
            if (p == 0)
                n += changes;
            if (p == 0 && !changes)
                break;  /* a resend: stored before */
            ballots |= r->kind != SRVDB_ROW_RESPONSE;
        }
    }
    for (int k = 0; k < NSQL; k++)
        sqlite3_finalize(s[k]);
    if ((rc = store_commit(q->st))) {
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(q->st));
        store_rollback(q->st);
        return rc;
    }
    *stored = n;
    if (ballots)
        pool_mix(q);
    return KC_OK;
fail:
    for (int k = 0; k < NSQL; k++)
        sqlite3_finalize(s[k]);
    store_rollback(q->st);
    return rc;
}

static kc_err sq_responses_each(void *impl, char *msg, srvdb_response_fn fn, void *ctx)
{
    sq *q = impl;
    sqlite3_stmt *s = NULL;
    kc_err rc = srvdb_sqlite_prep_(q->st, msg, &s,
                                   "SELECT r.uuid, d.name, r.kind, r.payload FROM response r "
                                   "JOIN device d ON d.id = r.device ORDER BY r.uuid");
    if (rc)
        return rc;
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW)
        if ((rc = fn(ctx, (const char *)sqlite3_column_text(s, 0),
                     (const char *)sqlite3_column_text(s, 1),
                     (const char *)sqlite3_column_text(s, 2),
                     (const char *)sqlite3_column_text(s, 3))))
            break;
    if (!rc && r != SQLITE_DONE)
        rc = srvdb_sqlite_fail_(q->st, msg, "reading responses");
    sqlite3_finalize(s);
    return rc;
}

static kc_err sq_response_count(void *impl, char *msg, long long *n)
{
    sq *q = impl;
    sqlite3_stmt *s = NULL;
    kc_err rc = srvdb_sqlite_prep_(q->st, msg, &s, "SELECT count(*) FROM response");
    if (rc)
        return rc;
    if (sqlite3_step(s) == SQLITE_ROW)
        *n = sqlite3_column_int64(s, 0);
    else
        rc = srvdb_sqlite_fail_(q->st, msg, "counting responses");
    sqlite3_finalize(s);
    return rc;
}

const srvdb_backend srvdb_sqlite_backend = {
    "sqlite",
    sq_open,
    sq_close,
    sq_device_add,
    sq_device_revoke,
    sq_device_auth,
    sq_devices_each,
    sq_heartbeat,
    sq_store_batch,
    sq_responses_each,
    sq_response_count,
    srvdb_sq_read_begin_,
    srvdb_sq_read_end_,
    srvdb_sq_catalog_head_,
    srvdb_sq_catalog_changes_,
    srvdb_sq_areas_digest_,
    srvdb_sq_areas_each_,
    srvdb_sq_area_delete_,
    srvdb_sq_import_,
    srvdb_sq_docs_head_,
    srvdb_sq_docs_changes_,
    srvdb_sq_doc_get_,
    srvdb_sq_doc_put_,
    srvdb_sq_ballot_rows_,
    srvdb_sq_ballot_import_,
    srvdb_sq_paper_add_,
    srvdb_sq_import_buf_,
    srvdb_sq_state_get_,
    srvdb_sq_state_set_,
    srvdb_sq_run_add_,
    srvdb_sq_runs_each_,
    &srvdb_sqlite_admin,
    &srvdb_sqlite_results,
    &srvdb_sqlite_target,
    NULL,  /* source_lock: srcrun.c's own serves one process */
};
