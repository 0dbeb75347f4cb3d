/* The ballot tables' schema and the query helpers every ballot file shares
 * (ballot_impl.h): below the definitions (ballot_def.c), the codes, votes and
 * receipts (ballot_store.c) and the sessions (ballot_session.c). */
#include "ballot.h"
#include "store_sql.h"
#include "ballot_impl.h"
#include "outbox.h"

#include <stdarg.h>

/* WITHOUT ROWID everywhere and no time columns: see docs/voting.md. */
static const char *const migrations[] = {
    "CREATE TABLE ballot_def(id TEXT PRIMARY KEY, opens TEXT NOT NULL, closes TEXT NOT NULL,"
    " body TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE ballot_codekey(ballot_id TEXT PRIMARY KEY REFERENCES ballot_def(id),"
    " salt TEXT NOT NULL, opslimit INTEGER NOT NULL, memlimit INTEGER NOT NULL)"
    " WITHOUT ROWID;"
    "CREATE TABLE ballot_code(ballot_id TEXT NOT NULL REFERENCES ballot_def(id),"
    " hash TEXT NOT NULL, used INTEGER NOT NULL DEFAULT 0 CHECK(used IN (0, 1)),"
    " PRIMARY KEY(ballot_id, hash)) WITHOUT ROWID;"
    "CREATE TABLE ballot_vote(ballot_id TEXT NOT NULL REFERENCES ballot_def(id),"
    " uuid TEXT NOT NULL, picks TEXT NOT NULL, staff INTEGER NOT NULL CHECK(staff IN (0, 1)),"
    " PRIMARY KEY(ballot_id, uuid)) WITHOUT ROWID;"
    "CREATE TABLE ballot_receipt(ballot_id TEXT NOT NULL REFERENCES ballot_def(id),"
    " receipt TEXT NOT NULL, PRIMARY KEY(ballot_id, receipt)) WITHOUT ROWID;",
    /* The receipt of a used code, masked with a pad only the code itself gives (its
     * tag), so that typing the code again after a crash shows the receipt
     * (ballot_session_enter_code) while the column alone says nothing. */
    "ALTER TABLE ballot_code ADD COLUMN receipt_box TEXT;",
    /* Versions (docs/voting.md): every definition a ballot had stays, and each vote
     * names the version it was cast under, so it is judged by that one.  What stood
     * before is version 1. */
    "ALTER TABLE ballot_def ADD COLUMN version INTEGER NOT NULL DEFAULT 1;"
    "CREATE TABLE ballot_def_v(id TEXT NOT NULL REFERENCES ballot_def(id),"
    " version INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY(id, version)) WITHOUT ROWID;"
    "INSERT INTO ballot_def_v(id, version, body) SELECT id, version, body FROM ballot_def;"
    "ALTER TABLE ballot_vote ADD COLUMN version INTEGER NOT NULL DEFAULT 1;",
};

kc_err ballot_init(store *st)
{
    kc_err rc = outbox_init(st);
    if (rc)
        return rc;
    return store_migrate_module(st, "ballot", migrations,
                                (int)(sizeof migrations / sizeof migrations[0]));
}

kc_err ballot_prepare(store *st, const char *sql, sqlite3_stmt **s)
{
    if (sqlite3_prepare_v2(store_db(st), sql, -1, s, NULL) != SQLITE_OK)
        return store_fail_db(st, "ballot: preparing a statement");
    return KC_OK;
}

/* One integer from a query with text parameters (NULL-terminated). */
kc_err ballot_query_long(store *st, const char *sql, long *out, ...)
{
    sqlite3_stmt *s = NULL;
    kc_err rc = ballot_prepare(st, sql, &s);
    if (rc)
        return rc;
    va_list ap;
    va_start(ap, out);
    const char *arg;
    for (int i = 1; (arg = va_arg(ap, const char *)); i++)
        sqlite3_bind_text(s, i, arg, -1, SQLITE_TRANSIENT);
    va_end(ap);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW)
        *out = (long)sqlite3_column_int64(s, 0);
    else
        rc = store_fail_db(st, "ballot: reading");
    sqlite3_finalize(s);
    return rc;
}
