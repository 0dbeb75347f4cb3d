/*
 * content_impl.h - shared by the content module's files: content.c (parsing and
 * validating) and content_apply.c (writing to the store, exporting).  Not for other
 * modules: they use content.h.
 */
#ifndef CONTENT_IMPL_H
#define CONTENT_IMPL_H

#include <jansson.h>

#include "content.h"

#define CANON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER)

typedef struct area_rec {
    char *id;
    char *body;  /* canonical JSON */
} area_rec;

struct content {
    cat_item *items;   /* sorted by id after parsing */
    char **bodies;     /* canonical JSON, parallel to items */
    size_t nitems;
    area_rec *areas;   /* sorted by id */
    size_t nareas;
    char **deleted;
    size_t ndeleted;
    char name[128];
    char msg[KC_MSGMAX];
    char *scope;       /* content_set_scope, NULL = all */
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
const cat_item *content_find_item(const content *c, const char *id);
int content_has_area(const content *c, const char *id);

#endif
