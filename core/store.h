/*
 * store.h - the kiosk's one SQLite database file, and the catalog kept in it.
 *
 * Ownership: a store handle owns one connection.  One thread uses a handle at a time;
 * a second thread (sync) opens its own handle on the same file.  The file is in WAL
 * mode with synchronous=FULL and foreign keys on, so a committed transaction survives
 * a power cut and readers never block the writer.
 *
 * Schema: numbered migrations run in one transaction each and set PRAGMA
 * user_version.  A file whose user_version is newer than this program knows is
 * refused with KC_ENEWER and never written to.
 *
 * Errors: every function returns a kc_err and leaves a message in the handle
 * (store_errmsg).  A failed write inside store_begin/store_commit leaves the caller
 * to store_rollback(); a failed function outside a transaction changed nothing.
 *
 * Catalog: each item row keeps the canonical JSON of the item (written by the content
 * module) plus the columns search and browsing need.  A revision counter rises with
 * every change; deletions stay as tombstones so sync can pass them on.
 */
#ifndef STORE_H
#define STORE_H

#include "catalog.h"
#include "kc.h"

typedef struct store store;

/* Opens (creating if needed) and migrates the database at path.  *out is set even on
 * failure (so store_errmsg works) unless memory ran out; always store_close() it. */
kc_err store_open(const char *path, store **out);
/* The same for a database that must already exist (the kiosk: a wrong path must not
 * quietly start an empty database): KC_ENOTFOUND when there is no file at path. */
kc_err store_open_existing(const char *path, store **out);
void store_close(store *st);
const char *store_errmsg(const store *st);

/* The schema version this program writes. */
int store_schema_version(void);

/* A module that keeps its own tables (outbox, responses, ballots...) brings its own
 * numbered migrations and calls this when it starts using a store.  Versions are kept
 * per module in the meta table, so modules evolve independently; a module version
 * newer than `n` is refused with KC_ENEWER and nothing is changed.  Each migration
 * runs in its own transaction.  Must not be called inside a transaction. */
kc_err store_migrate_module(store *st, const char *module, const char *const *sql,
                            int n);

/* Transactions do not nest: store_begin inside a transaction is KC_EUSAGE. */
kc_err store_begin(store *st);
kc_err store_commit(store *st);
void store_rollback(store *st);
int store_in_tx(const store *st);

/* --- anonymous rows (docs/privacy.md) ------------------------------------------ */

/* Rows nearer than this in key order are rewritten with a new anonymous row. */
#define STORE_SHUFFLE_NEAR 128

/* Inside the transaction that inserted the anonymous row `key` into `table` (a
 * WITHOUT ROWID table whose primary key ends in column `keycol`; `group`, when not
 * NULL, names a text column all rows compared share the value `group_val` of, e.g.
 * the ballot id): deletes the row and up to STORE_SHUFFLE_NEAR rows on either side in
 * key order and writes them back in random order.  SQLite places a new cell at the
 * free end of its page, so without this a row's byte offset in the file follows the
 * order of writing; secure_delete (FAST from store_open, ON while this runs) zeroes
 * the old bytes.  Costs about 2 * STORE_SHUFFLE_NEAR row writes.  Names are constants of the
 * calling module ([a-z_]). */
kc_err store_anon_shuffle(store *st, const char *table, const char *group,
                          const char *group_val, const char *keycol, const char *key);

/* Commits a transaction that wrote anonymous rows, then folds the write-ahead log into
 * the database file and cuts it to zero bytes (PRAGMA wal_checkpoint(TRUNCATE)), so
 * the log does not keep the commits in order.  The checkpoint waits for readers up to
 * the busy timeout; if one still holds it back, the log is cut after a later commit
 * (*cut = 0; may be NULL).  Fsyncs: call from a worker thread, never the UI thread.
 * Errors are those of store_commit (the checkpoint's are not errors). */
kc_err store_anon_commit(store *st, int *cut);

kc_err store_fail(store *st, kc_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* --- catalog --------------------------------------------------------------- */

long long store_catalog_rev(store *st);

/* A store whose catalog is never searched (the central server's) can skip writing
 * items' search text, which is most of the cost of writing an item.  On by default;
 * for the handle only, not stored. */
void store_set_search_text(store *st, int on);

/* Inserts or updates an item from its parsed form and canonical JSON body.  rev 0
 * means "next local revision"; a positive rev (from the server) is used as given.
 * *changed (may be NULL): 0 when the stored item was identical, 1 when the item was
 * new, 2 when a stored item or tombstone was replaced.  Inside a transaction. */
kc_err store_item_put(store *st, const cat_item *it, const char *body, long long rev,
                      int *changed);

/* Turns an item into a tombstone.  Unknown ids are not an error (*changed = 0). */
kc_err store_item_delete(store *st, const char *id, long long rev, int *changed);

/* Kind of a live item, or -1 when there is none (also for tombstones). */
kc_err store_item_kind(store *st, const char *id, int *kind);

/* Canonical JSON of a live item; *body is NULL when there is none.  kc_free it. */
kc_err store_item_body(store *st, const char *id, char **body);

/* Number of live items that refer to id (organiser, venue, contact_person). */
kc_err store_item_refcount(store *st, const char *id, long *count);

/* Calls fn for at most max live items that refer to id (an event's organiser, a
 * task's venue, ...), by kind, start and Finnish name: a card's "related" list.  A code
 * other than KC_OK from fn stops the walk and is returned unchanged. */
typedef kc_err (*store_ref_fn)(void *ctx, const char *id, int kind);
kc_err store_item_referrers(store *st, const char *id, long max, store_ref_fn fn, void *ctx);

/* One dated item for the calendar: times as stored ("2026-12-01T18:00"), end "" when
 * none, the venue's item id and the status value ("" for as planned). */
typedef struct store_dated {
    const char *id;
    int kind;
    const char *start, *end, *venue, *status;
} store_dated;
/* Calls fn for at most max live items of kind k1 or k2 that have a start and have not
 * ended before `today` (YYYY-MM-DD: an event still running today counts), by start.
 * A code other than KC_OK from fn stops the walk and is returned unchanged. */
typedef kc_err (*store_dated_fn)(void *ctx, const store_dated *d);
kc_err store_upcoming(store *st, int k1, int k2, const char *today, long max,
                      store_dated_fn fn, void *ctx);

/* Calls fn for every live item in id order with its canonical JSON.  A code other
 * than KC_OK from fn stops the walk and is returned unchanged. */
typedef kc_err (*store_item_fn)(void *ctx, const char *id, const char *body);
kc_err store_items_each(store *st, store_item_fn fn, void *ctx);

/* Ids of every live item, for `import --replace`.  *ids is a kc_malloc'ed array of
 * kc_malloc'ed strings. */
kc_err store_item_ids(store *st, char ***ids, size_t *n);
void store_free_ids(char **ids, size_t n);

/* Areas: the canonical JSON of each area, keyed by id. */
kc_err store_area_put(store *st, const char *id, const char *body, int *changed);
kc_err store_area_exists(store *st, const char *id, int *exists);
kc_err store_areas_each(store *st, store_item_fn fn, void *ctx);

/* Catalog changes after revision `since`, in revision order, at most `limit`:
 * fn gets id, kind, rev, deleted and body (NULL for a tombstone).  For the server's
 * paged "changes since" and for tests.  *last gets the highest revision passed. */
typedef kc_err (*store_change_fn)(void *ctx, const char *id, int kind, long long rev,
                                  int deleted, const char *body);
kc_err store_changes(store *st, long long since, long limit, store_change_fn fn, void *ctx,
                     long long *last);

/* Small named values (sync state, settings).  Keys are [a-z0-9._-]; values text of at
 * most 4096 bytes.  get: *value is NULL when unset (kc_free it). */
kc_err store_meta_get(store *st, const char *key, char **value);
kc_err store_meta_set(store *st, const char *key, const char *value);

typedef struct store_stats {
    long live[CAT_NKIND];
    long tombstones;
    long areas;
    long long catalog_rev;
    int schema;
} store_stats;

kc_err store_get_stats(store *st, store_stats *out);

#endif
