/*
 * store_sql.h - the store's SQLite connection, for the modules that own tables in the
 * same file: core's store modules (store*, outbox, feedback, survey_store, ballot_*,
 * workshop, results, search_build/terms, content_apply) and the server's SQLite
 * backend (sync/srvdb_*sqlite*.c), and tests that inspect the file as an attacker
 * would.  Screens and tools never include it: they ask a store function, so the SQL
 * stays where the tables are (docs/architecture.md; a test checks kiosk/ and tools/).
 */
#ifndef STORE_SQL_H
#define STORE_SQL_H

#include <sqlite3.h>

#include "store.h"

/* The connection under a store handle; it follows the handle's thread rule. */
sqlite3 *store_db(store *st);

/* Records a SQLite failure as the handle's message and returns KC_EDB (or KC_EBUSY,
 * KC_ENOMEM, KC_EIO as the code says).  For modules using store_db(). */
kc_err store_fail_db(store *st, const char *what);

#endif
