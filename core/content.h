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

/* Writes the parsed file into st in one transaction (flags above).  On failure
 * nothing is written and the message is in the content handle. */
kc_err content_apply(content *c, store *st, int flags, content_result *res);

/* Writes the live catalog of st as a content file.  msg gets the error. */
kc_err content_export(store *st, FILE *f, char *msg);

/* One item: canonical JSON text <-> cat_item.  item_from_json validates exactly like
 * import (except that references are not resolved); on failure *it is empty. */
kc_err content_item_from_json(const char *json, size_t len, cat_item *it, char *msg);
kc_err content_item_to_json(const cat_item *it, char **json);

#endif
