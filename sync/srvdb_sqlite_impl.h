/*
 * srvdb_sqlite_impl.h - what the SQLite backend's files share (srvdb_sqlite*.c,
 * srvdb_admin_sqlite.c, srvdb_target_sqlite.c, ...).  Not for other modules.
 */
#ifndef SRVDB_SQLITE_IMPL_H
#define SRVDB_SQLITE_IMPL_H

#include "store_sql.h"

/* Records a failed SQLite call on st (store_fail_db, what names the step) and copies
 * the store's message into msg (KC_MSGMAX bytes); returns the error code. */
kc_err srvdb_sqlite_fail_(store *st, char *msg, const char *what);
/* Prepares sql on st's connection into *s (NULL on failure, with msg filled). */
kc_err srvdb_sqlite_prep_(store *st, char *msg, sqlite3_stmt **s, const char *sql);

/* The core store under a backend handle (its `impl`). */
store *srvdb_sqlite_store_(void *impl);
/* Creates or upgrades the console's tables. */
kc_err srvdb_sqlite_admin_migrate_(store *st);
/* Creates or upgrades the results' aggregate tables (srvdb_results_sqlite.c). */
kc_err srvdb_sqlite_results_migrate_(store *st);

#endif
