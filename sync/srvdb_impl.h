/*
 * srvdb_impl.h - the srvdb handle, shared by srvdb.c (backend dispatch) and
 * srvdb_docs.c (document imports and ballot rows).  Not for other modules.
 */
#ifndef SRVDB_IMPL_H
#define SRVDB_IMPL_H

#include "srvdb.h"

struct srvdb {
    const srvdb_backend *be;
    void *impl;
    char msg[KC_MSGMAX];
};

/* The extracted form of every row of b (kc_free *rows).  A ballot or ballot-code
 * payload that breaks docs/ballot-format.md, or a row proto_batch_read found
 * invalid, gets status 400 and its reason.  Fails only on KC_ENOMEM. */
kc_err srvdb_rows_from_batch_(const proto_batch *b, srvdb_row **rows, char *msg);

/* SQLite backend: whether the uuid of r is held already (in any of the response,
 * ballot and code use tables); when it is, w->status becomes SRVDB_ROW_HELD when
 * the content is the same and 409 (with a reason) when not. */
kc_err srvdb_sqlite_held_(store *st, char *msg, const proto_response *r, srvdb_row *w);

/* SQLite backend, source imports (srvdb_sqlite_source.c): migrations at open, then
 * the srvdb_backend entries of the same names. */
kc_err srvdb_sqlite_source_migrate_(store *st, char *msg);
kc_err srvdb_sqlite_import_buf_(store *st, char *msg, const char *name, const char *buf,
                                size_t len, const char *scope, content_result *res);
kc_err srvdb_sqlite_state_get_(store *st, char *msg, const char *source, char **state);
kc_err srvdb_sqlite_state_set_(store *st, char *msg, const char *source, const char *state);
kc_err srvdb_sqlite_run_add_(store *st, char *msg, srvdb_source_run *r);
kc_err srvdb_sqlite_runs_each_(store *st, char *msg, const char *source, long limit,
                               srvdb_run_fn fn, void *ctx);

#endif
