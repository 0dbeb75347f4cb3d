/*
 * content.h - the catalog content format (docs/content-format.md): parse and
 * validate a content file, apply it to the store in one transaction, export the store
 * back, and convert single items between JSON and cat_item.
 *
 * Validation is complete before the store is touched: a content handle either holds a
 * fully valid file or an error message naming the item and field.  content_apply()
 * then writes everything in one transaction and re-checks what only the database can
 * know (references to stored items, deletions still referred to); any failure rolls
 * back, so the database is exactly as before.
 *
 * Memory does not grow with the items' text: the file is read a piece at a time, once
 * to validate (keeping ids, kinds and references) and once more by content_apply to
 * write (content_impl.h).  A file given by path must stay as it is until
 * content_apply; if it changes, content_apply writes nothing and says so.
 */
#ifndef CONTENT_H
#define CONTENT_H

#include <stdio.h>
#include "catalog.h"
#include "kc.h"
#include "store.h"

/* Largest content file accepted, in bytes. */
#define CONTENT_MAX_FILE (256L * 1024 * 1024)
#define CONTENT_MAX_ITEMS 500000
#define CONTENT_MAX_AREAS 10000

typedef struct content content;

content *content_new(void);  /* NULL when out of memory */
void content_free(content *c);
const char *content_errmsg(const content *c);

/* Parses and validates a whole file held in memory (copied: buf may go away).  `name`
 * prefixes messages.  On failure the handle holds nothing and can be used again. */
kc_err content_parse(content *c, const char *buf, size_t len, const char *name);
kc_err content_load_file(content *c, const char *path);

size_t content_item_count(const content *c);
size_t content_area_count(const content *c);

typedef struct content_result {
    long added, updated, unchanged, deleted, areas_changed;
} content_result;

enum {
    CONTENT_REPLACE = 1,  /* stored items missing from the file become tombstones */
    CONTENT_DRY_RUN = 2,  /* do every check and count, then roll back */
};

/* Limits CONTENT_REPLACE to stored items whose id starts with prefix (an import from
 * one outside source, sync/source.h), and keeps those that a live item still refers
 * to.  NULL (the default) replaces every item.  The prefix is copied; KC_ENOMEM. */
kc_err content_set_scope(content *c, const char *prefix);

/* Writes the parsed file into st in one transaction (flags above).  On failure
 * nothing is written and the message is in the content handle. */
kc_err content_apply(content *c, store *st, int flags, content_result *res);

/* Where content_apply_to writes: the catalog operations of store.h, so a store that is
 * not the core's SQLite one (the server's PostgreSQL backend) gets the same checks,
 * revisions and tombstones.  Each entry returns a kc_err and leaves its message for
 * errmsg; item_put/item_delete take the next catalog revision themselves (the
 * *changed of store_item_put/store_item_delete).  dangling: the first live item that
 * refers (by a REF field) to an item that is not live, *found 0 when none; from,
 * field and target get at most KC_MSGMAX/4 bytes each. */
typedef struct content_sink {
    long long (*catalog_rev)(void *ctx);  /* -1 on failure */
    kc_err (*begin)(void *ctx);
    kc_err (*commit)(void *ctx);
    void (*rollback)(void *ctx);
    kc_err (*area_exists)(void *ctx, const char *id, int *exists);
    kc_err (*item_kind)(void *ctx, const char *id, int *kind);
    kc_err (*item_body)(void *ctx, const char *id, char **body);
    kc_err (*area_put)(void *ctx, const char *id, const char *body, int *changed);
    kc_err (*item_put)(void *ctx, const cat_item *it, const char *body, int *changed);
    kc_err (*item_delete)(void *ctx, const char *id, int *changed);
    kc_err (*item_ids)(void *ctx, char ***ids, size_t *n);  /* store_free_ids them */
    kc_err (*item_refcount)(void *ctx, const char *id, long *count);
    kc_err (*dangling)(void *ctx, int *found, char *from, char *field, char *target);
    const char *(*errmsg)(void *ctx);
} content_sink;
#define CONTENT_SINK_STR (KC_MSGMAX / 4)

/* content_apply through a sink (same contract). */
kc_err content_apply_to(content *c, const content_sink *k, void *ctx, int flags,
                        content_result *res);

/* Writes the live catalog of st as a content file.  msg gets the error. */
kc_err content_export(store *st, FILE *f, char *msg);
/* The same from another storage: areas and items each hand every live row (id, body)
 * in id order to fn and leave their own message in msg on failure. */
typedef kc_err (*content_each_fn)(void *src, char *msg, store_item_fn fn, void *ctx);
kc_err content_export_from(content_each_fn areas, content_each_fn items, void *src, FILE *f,
                           char *msg);

/* One item: canonical JSON text <-> cat_item.  item_from_json validates exactly like
 * import (except that references are not resolved); on failure *it is empty. */
kc_err content_item_from_json(const char *json, size_t len, cat_item *it, char *msg);
kc_err content_item_to_json(const cat_item *it, char **json);

#endif
