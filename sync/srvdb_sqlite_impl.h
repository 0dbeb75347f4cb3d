/*
 * srvdb_sqlite_impl.h - what the SQLite backend's files share (srvdb_sqlite*.c,
 * srvdb_admin_sqlite.c, srvdb_target_sqlite.c, ...).  Not for other modules.
 */
#ifndef SRVDB_SQLITE_IMPL_H
#define SRVDB_SQLITE_IMPL_H

#include "srvdb.h"
#include "store_sql.h"

/* The backend handle (srvdb's `impl`): the core store plus the areas digest cache. */
typedef struct sq {
    store *st;
    /* The areas digest is cached until another connection commits anything:
     * PRAGMA data_version changes exactly then, and reading it costs no I/O. */
    long long digest_version;
    int digest_valid;
    char digest[PROTO_DIGEST_HEX + 1];
} sq;

/* The next revision of the document feeds, inside an INSERT or UPDATE on doc. */
#define SRVDB_SQLITE_NEXT_REV "(SELECT coalesce(max(rev), 0) + 1 FROM doc)"

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

/* srvdb_sqlite_feed.c: the srvdb_backend entries of the same names (srvdb.h) for
 * reads, the catalog, areas, documents, ballots and source imports. */
kc_err srvdb_sq_read_begin_(void *impl, char *msg);
void srvdb_sq_read_end_(void *impl);
kc_err srvdb_sq_catalog_head_(void *impl, char *msg, long long *rev);
kc_err srvdb_sq_catalog_changes_(void *impl, char *msg, long long since, long limit,
                                 store_change_fn fn, void *ctx, long long *last);
kc_err srvdb_sq_areas_digest_(void *impl, char *msg, char *digest);
kc_err srvdb_sq_areas_each_(void *impl, char *msg, store_item_fn fn, void *ctx);
kc_err srvdb_sq_area_delete_(void *impl, char *msg, const char *id, long *users);
kc_err srvdb_sq_import_(void *impl, char *msg, const char *path, int flags,
                        content_result *res);
kc_err srvdb_sq_docs_head_(void *impl, char *msg, const char *type, long long *rev);
kc_err srvdb_sq_docs_changes_(void *impl, char *msg, const char *type, long long since,
                              long limit, size_t max_bytes, srvdb_doc_fn fn, void *ctx,
                              long long *last);
kc_err srvdb_sq_doc_get_(void *impl, char *msg, const char *type, const char *id,
                         long long version, char **body, long long *version_out);
kc_err srvdb_sq_doc_put_(void *impl, char *msg, const char *type, const char *id,
                         long long version, const char *body, int replace, int *changed);
kc_err srvdb_sq_ballot_import_(void *impl, char *msg, const char *id, const char *body,
                               const char *const *payloads, size_t n);
kc_err srvdb_sq_paper_add_(void *impl, char *msg, const char *ballot, const char *serial,
                           const char *payload);
kc_err srvdb_sq_ballot_rows_(void *impl, char *msg, const char *ballot, srvdb_vote_fn vote,
                             srvdb_use_fn use, void *ctx);
kc_err srvdb_sq_import_buf_(void *impl, char *msg, const char *name, const char *buf,
                            size_t len, const char *scope, content_result *res);
kc_err srvdb_sq_state_get_(void *impl, char *msg, const char *source, char **state);
kc_err srvdb_sq_state_set_(void *impl, char *msg, const char *source, const char *state);
kc_err srvdb_sq_run_add_(void *impl, char *msg, srvdb_source_run *r);
kc_err srvdb_sq_runs_each_(void *impl, char *msg, const char *source, long limit,
                           srvdb_run_fn fn, void *ctx);

#endif
