/*
 * ballot_impl.h - helpers shared by the ballot module's files (ballot_db.c defines them;
 * ballot_def.c, ballot_store.c, ballot_session.c use them); not part of its interface.
 * Errors are left in the store handle.
 */
#ifndef BALLOT_IMPL_H
#define BALLOT_IMPL_H

#include <sqlite3.h>
#include "store.h"

kc_err ballot_prepare(store *st, const char *sql, sqlite3_stmt **s);
/* One integer from a query; the text parameters follow `out`, ended by NULL. */
kc_err ballot_query_long(store *st, const char *sql, long *out, ...);

#endif
