/*
 * srvdb_sqlite_impl.h - what the SQLite backend's files share (srvdb_sqlite.c and
 * srvdb_admin_sqlite.c).  Not for other modules.
 */
#ifndef SRVDB_SQLITE_IMPL_H
#define SRVDB_SQLITE_IMPL_H

#include "store.h"

/* The core store under a backend handle (its `impl`). */
store *srvdb_sqlite_store_(void *impl);
/* Creates or upgrades the console's tables. */
kc_err srvdb_sqlite_admin_migrate_(store *st);
/* Creates or upgrades the results' aggregate tables (srvdb_results_sqlite.c). */
kc_err srvdb_sqlite_results_migrate_(store *st);

#endif
