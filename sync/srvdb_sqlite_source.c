/* srvdb_sqlite_source.c - the SQLite backend's part of source imports: applying a
 * content document held in memory, each source's fetch state, and the run log. */
#include "srvdb_impl.h"
#include "srvdb_sqlite_impl.h"
#include "store_sql.h"

#include <stdio.h>
#include <string.h>

/* A module of its own, so it migrates apart from the server's other tables. */
static const char *const migrations[] = {
    "CREATE TABLE source_state(source TEXT PRIMARY KEY, state TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE source_run(id INTEGER PRIMARY KEY, source TEXT NOT NULL,"
    " origin TEXT NOT NULL, started INTEGER NOT NULL, finished INTEGER NOT NULL,"
    " ok INTEGER NOT NULL, not_modified INTEGER NOT NULL, pages INTEGER NOT NULL,"
    " records INTEGER NOT NULL, added INTEGER NOT NULL, changed INTEGER NOT NULL,"
    " removed INTEGER NOT NULL, unchanged INTEGER NOT NULL, error TEXT NOT NULL,"
    " notes TEXT NOT NULL);"
    "CREATE INDEX source_run_by_source ON source_run(source, id);",
};

kc_err srvdb_sqlite_source_migrate_(store *st, char *msg)
{
    kc_err rc = store_migrate_module(st, "server-source", migrations,
                                     (int)(sizeof migrations / sizeof migrations[0]));
    if (rc)
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(st));
    return rc;
}

kc_err srvdb_sqlite_import_buf_(store *st, char *msg, const char *name, const char *buf,
                                size_t len, const char *scope, content_result *res)
{
    content *c = content_new();
    if (!c)
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    kc_err rc = content_set_scope(c, scope);
    if (!rc)
        rc = content_parse(c, buf, len, name);
    if (!rc)
        rc = content_apply(c, st, scope ? CONTENT_REPLACE : 0, res);
    if (rc)
        snprintf(msg, KC_MSGMAX, "%s", content_errmsg(c));
    content_free(c);
    return rc;
}

kc_err srvdb_sqlite_state_get_(store *st, char *msg, const char *source, char **state)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st), "SELECT state FROM source_state WHERE source = ?",
                           -1, &s, NULL) != SQLITE_OK)
        return srvdb_sqlite_fail_(st, msg, "preparing statement");
    sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
    kc_err rc = KC_OK;
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        if (!(*state = kc_strdup((const char *)sqlite3_column_text(s, 0))))
            rc = kc_fail(msg, KC_ENOMEM, "out of memory");
    } else if (r != SQLITE_DONE) {
        rc = srvdb_sqlite_fail_(st, msg, "reading source state");
    }
    sqlite3_finalize(s);
    return rc;
}

kc_err srvdb_sqlite_state_set_(store *st, char *msg, const char *source, const char *state)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st),
                           "INSERT OR REPLACE INTO source_state(source, state) VALUES(?, ?)",
                           -1, &s, NULL) != SQLITE_OK)
        return srvdb_sqlite_fail_(st, msg, "preparing statement");
    sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, state, -1, SQLITE_STATIC);
    kc_err rc =
        sqlite3_step(s) == SQLITE_DONE ? KC_OK : srvdb_sqlite_fail_(st, msg, "saving source state");
    sqlite3_finalize(s);
    return rc;
}

kc_err srvdb_sqlite_run_add_(store *st, char *msg, srvdb_source_run *r)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st),
                           "INSERT INTO source_run(source, origin, started, finished, ok,"
                           " not_modified, pages, records, added, changed, removed, unchanged,"
                           " error, notes) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &s, NULL) != SQLITE_OK)
        return srvdb_sqlite_fail_(st, msg, "preparing statement");
    sqlite3_bind_text(s, 1, r->source, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, r->origin, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, r->started);
    sqlite3_bind_int64(s, 4, r->finished);
    sqlite3_bind_int(s, 5, r->ok);
    sqlite3_bind_int(s, 6, r->not_modified);
    const long n[] = { r->pages, r->records, r->added, r->changed, r->removed, r->unchanged };
    for (int i = 0; i < 6; i++)
        sqlite3_bind_int64(s, 7 + i, n[i]);
    sqlite3_bind_text(s, 13, r->error, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 14, r->notes, -1, SQLITE_STATIC);
    kc_err rc = KC_OK;
    if (sqlite3_step(s) == SQLITE_DONE)
        r->id = sqlite3_last_insert_rowid(store_db(st));
    else
        rc = srvdb_sqlite_fail_(st, msg, "saving the run log");
    sqlite3_finalize(s);
    return rc;
}

static void col_text(sqlite3_stmt *s, int i, char *out, size_t cap)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    snprintf(out, cap, "%s", t ? t : "");
}

kc_err srvdb_sqlite_runs_each_(store *st, char *msg, const char *source, long limit,
                               srvdb_run_fn fn, void *ctx)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st),
                           "SELECT id, source, origin, started, finished, ok, not_modified,"
                           " pages, records, added, changed, removed, unchanged, error, notes"
                           " FROM source_run WHERE ?1 IS NULL OR source = ?1"
                           " ORDER BY id DESC LIMIT ?2",
                           -1, &s, NULL) != SQLITE_OK)
        return srvdb_sqlite_fail_(st, msg, "preparing statement");
    sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, limit);
    kc_err rc = KC_OK;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        srvdb_source_run r;
        memset(&r, 0, sizeof r);
        r.id = sqlite3_column_int64(s, 0);
        col_text(s, 1, r.source, sizeof r.source);
        col_text(s, 2, r.origin, sizeof r.origin);
        r.started = sqlite3_column_int64(s, 3);
        r.finished = sqlite3_column_int64(s, 4);
        r.ok = sqlite3_column_int(s, 5);
        r.not_modified = sqlite3_column_int(s, 6);
        long *n[] = { &r.pages, &r.records, &r.added, &r.changed, &r.removed, &r.unchanged };
        for (int i = 0; i < 6; i++)
            *n[i] = (long)sqlite3_column_int64(s, 7 + i);
        col_text(s, 13, r.error, sizeof r.error);
        col_text(s, 14, r.notes, sizeof r.notes);
        if ((rc = fn(ctx, &r)))
            break;
    }
    if (!rc && step != SQLITE_DONE)
        rc = srvdb_sqlite_fail_(st, msg, "reading the run log");
    sqlite3_finalize(s);
    return rc;
}
