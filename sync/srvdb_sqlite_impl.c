/* srvdb_sqlite_impl.c - the helpers every file of the SQLite backend shares
 * (srvdb_sqlite_impl.h): below them all, so none of them depends on the file that
 * assembles the backend (srvdb_sqlite.c). */
#include "srvdb_sqlite_impl.h"

#include <stdio.h>

kc_err srvdb_sqlite_fail_(store *st, char *msg, const char *what)
{
    kc_err rc = store_fail_db(st, what);
    snprintf(msg, KC_MSGMAX, "%s", store_errmsg(st));
    return rc;
}

kc_err srvdb_sqlite_prep_(store *st, char *msg, sqlite3_stmt **s, const char *sql)
{
    *s = NULL;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, s, NULL) != SQLITE_OK)
        return srvdb_sqlite_fail_(st, msg, "preparing statement");
    return KC_OK;
}

store *srvdb_sqlite_store_(void *impl)
{
    return ((sq *)impl)->st;
}
