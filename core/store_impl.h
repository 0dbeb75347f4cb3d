/*
 * store_impl.h - pieces shared by the files of the store module (store.c: the
 * connection, migrations, transactions, meta; store_catalog.c: items and areas).
 * Not for other modules: they use store.h.
 */
#ifndef STORE_IMPL_H
#define STORE_IMPL_H

#include "store.h"
#include "store_sql.h"

/* A cached prepared statement for a string-literal SQL text, reset and unbound; end
 * each use with store_done().  Not for statements stepped across callbacks. */
kc_err store_prep(store *st, sqlite3_stmt **s, const char *sql);
void store_done(store *st, sqlite3_stmt *s);
/* A statement of its own; the caller finalizes it. */
kc_err store_prep_once(store *st, sqlite3_stmt **s, const char *sql);
void store_bind_text(sqlite3_stmt *s, int i, const char *t);
/* Steps once; a row or done is success. */
kc_err store_step_done(store *st, sqlite3_stmt *s, const char *what);

/* Whether items get search text (store_set_search_text). */
int store_search_text(const store *st);

#endif
