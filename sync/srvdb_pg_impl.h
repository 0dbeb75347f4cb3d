/*
 * srvdb_pg_impl.h - what the PostgreSQL backend's files share (srvdb_pg.c,
 * srvdb_pg_push.c, srvdb_pg_catalog.c, srvdb_pg_console.c).  Not for other modules.
 *
 * Every query goes through pg_q: parameters as text (or binary where a length is
 * given), never spliced into the SQL.  A result is cleared by whoever got it, on
 * every path.
 */
#ifndef SRVDB_PG_IMPL_H
#define SRVDB_PG_IMPL_H

#include <libpq-fe.h>

#include "srvdb_impl.h"

typedef struct pg {
    PGconn *c;
    int in_tx;  /* inside BEGIN ... COMMIT of this connection */
    char msg[KC_MSGMAX];  /* the last failure, for content_sink's errmsg */
    /* The areas digest as of the areas' revision areas_rev (pg_areas_digest), when
     * areas_ok. */
    int areas_ok;
    long long areas_rev;
    char areas_digest[PROTO_DIGEST_HEX + 1];
} pg;

/* Runs sql with n parameters (vals[i] NULL is SQL NULL; lens NULL: all text, else a
 * positive lens[i] sends vals[i] as binary of that length).  *out (may be NULL) gets
 * the result of a query that returns rows; on failure nothing is left to clear and
 * msg says why: KC_EBUSY for a serialization failure or deadlock, else KC_EDB. */
kc_err pg_q(pg *p, char *msg, PGresult **out, const char *sql, int n,
            const char *const *vals, const int *lens);
/* pg_q without parameters or result. */
kc_err pg_x(pg *p, char *msg, const char *sql);
kc_err pg_begin(pg *p, char *msg);
kc_err pg_commit(pg *p, char *msg);
void pg_rollback(pg *p);
/* A result's value as a number (0 when NULL). */
long long pg_ll(const PGresult *r, int row, int col);

/* The next revision of a feed ("catalog" or "doc"), inside a transaction.  The row
 * stays locked until the transaction ends, so writers of one feed take turns and
 * their revisions commit in order: a reader that saw revision N saw every one below. */
kc_err pg_next_rev(pg *p, char *msg, const char *feed, long long *rev);

/* The per-file migrations (run by srvdb_pg.c in one transaction each). */
typedef struct pg_module {
    const char *name;
    const char *const *sql;
    int n;
} pg_module;
extern const pg_module pg_push_module, pg_catalog_module, pg_console_module, pg_admin_module,
    pg_results_module, pg_areas_module;
/* Tests only: migrations of the module named stop at that version until called again
 * (NULL for none), so a test can store rows under an older schema and then migrate. */
void pg_test_stop_at(const char *module, int version);

kc_err pg_store_batch(void *impl, char *msg, long long device, const proto_batch *b,
                      srvdb_row *rows, long *stored);
kc_err pg_catalog_head(void *impl, char *msg, long long *rev);
kc_err pg_catalog_changes(void *impl, char *msg, long long since, long limit,
                          store_change_fn fn, void *ctx, long long *last);
kc_err pg_areas_digest(void *impl, char *msg, char *digest);
kc_err pg_areas_each(void *impl, char *msg, store_item_fn fn, void *ctx);
kc_err pg_area_delete(void *impl, char *msg, const char *id, long *users);
kc_err pg_import(void *impl, char *msg, const char *path, int flags, content_result *res);
/* Validates a content file held in memory and applies it (content.h flags). */
kc_err pg_content_apply(void *impl, char *msg, const char *buf, size_t len, int flags,
                        content_result *res);
kc_err pg_import_buf(void *impl, char *msg, const char *name, const char *buf, size_t len,
                     const char *scope, content_result *res);

/* A Postgres array literal of ids ("{1,2}") for a bigint[] parameter (kc_free it);
 * NULL when v is NULL, and *oom set when memory ran out. */
char *pg_id_array(const long long *v, size_t n, int *oom);

/* A query read through a server-side cursor a page at a time, in one read snapshot
 * (a transaction of the handle's own: the handle must not be in one already, and
 * serves nothing else until the cursor is closed). */
typedef struct pg_cursor pg_cursor;
kc_err pg_cursor_open(pg *p, char *msg, const char *sql, int n, const char *const *vals,
                      pg_cursor **out);
/* *row the next row's index in *r (valid until the next call), -1 at the end. */
kc_err pg_cursor_next(pg_cursor *c, char *msg, PGresult **r, int *row);
void pg_cursor_close(pg_cursor *c);

struct srvdb_admin_backend;
struct srvdb_results_backend;
struct srvdb_survey_backend;
struct srvdb_target_backend;
extern const struct srvdb_survey_backend srvdb_pg_survey_results;
extern const struct srvdb_admin_backend srvdb_pg_admin;
extern const struct srvdb_results_backend srvdb_pg_results;
extern const struct srvdb_target_backend srvdb_pg_target;

#endif
