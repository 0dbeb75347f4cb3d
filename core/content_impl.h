/*
 * content_impl.h - shared by the content module's files: content.c (items and areas
 * as JSON), content_file.c (reading whole files) and content_apply.c (writing to the
 * store, exporting).  Not for other modules: they use content.h.
 *
 * A file is read twice, a piece at a time (jstream.h), so memory does not grow with
 * the items' text: the first pass validates every item and keeps only what checks
 * across items need (ids, kinds, references); content_apply's pass reads the same
 * text again, validates each item once more, writes it and lets it go.  The text's
 * digest from both passes must match, so a file changed in between writes nothing.
 */
#ifndef CONTENT_IMPL_H
#define CONTENT_IMPL_H

#include <jansson.h>

#include "content.h"
#include "jstream.h"

#define CANON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER)

typedef struct area_rec {
    char *id;
    char *body;  /* canonical JSON */
} area_rec;

/* What the checks across items need of one item. */
typedef struct item_key {
    char *id;
    cat_kind kind;
} item_key;

/* One REF or AREA value of an item. */
typedef struct item_ref {
    const char *from;  /* the item's id, owned by its item_key */
    int field;         /* index into cat_fields */
    char *target;
} item_ref;

/* Deepest nesting in a content file: file, list, item, text object, and room. */
#define CONTENT_MAX_DEPTH 32

struct content {
    item_key *items;   /* sorted by id after parsing */
    size_t nitems, items_cap;
    item_ref *refs;    /* in file order */
    size_t nrefs, refs_cap;
    area_rec *areas;   /* sorted by id after parsing */
    size_t nareas, areas_cap;
    char **deleted;    /* sorted after parsing */
    size_t ndeleted, deleted_cap;
    unsigned seen;     /* top-level keys read: bit per key */
    /* The text for the second pass: a file to read again, or a copy of a buffer. */
    char *path;
    char *text;
    size_t textlen;
    unsigned char digest[JSTREAM_DIGEST];
    char name[128];
    char msg[KC_MSGMAX];
};

typedef struct where {
    const char *file;   /* may be NULL */
    const char *id;     /* item or area id, may be NULL before known */
    size_t index;       /* position in its array */
    const char *what;   /* "item" or "area" */
} where;

/* Formats "FILE: item "ID" field "F": detail" into msg and returns code. */
kc_err content_bad(char *msg, kc_err code, const where *w, const char *field,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Canonical JSON object of an item (keys in table order); NULL when out of memory. */
json_t *content_item_json(const cat_item *it);
/* json_dumps into our allocator; NULL when out of memory. */
char *content_dump(json_t *j, size_t flags);
const item_key *content_find_item(const content *c, const char *id);
int content_has_area(const content *c, const char *id);
/* Frees what the handle holds; keeps its name and message. */
void content_reset(content *c);
/* Validate one item or area (file, id and index of w name it in messages). */
kc_err content_parse_item(json_t *j, cat_item *it, const where *w, char *msg);
kc_err content_parse_area(json_t *j, area_rec *a, const where *w, char *msg);
/* Reads the handle's text again (the second pass), handing every piece to fn;
 * KC_EIO when the text is no longer what the first pass read. */
kc_err content_reread(content *c, jstream_fn fn, void *ctx);

#endif
