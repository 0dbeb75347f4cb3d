/*
 * search_impl.h - the search module's data, shared by search_build.c (making an
 * index from the store) and search.c (queries and accessors).  Not for other modules.
 *
 * Invariants: items are numbered in catalog order (folded primary name); fold holds
 * each item's folded names as NUL-terminated segments, item i spanning
 * fold_off[i]..fold_off[i+1]; pre and words hold offsets into fold sorted by the text
 * there; tri_post lists, per trigram key, the items containing it, ascending.
 */
#ifndef SEARCH_IMPL_H
#define SEARCH_IMPL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "search.h"

#define TRI_BITS 18
#define TRI_N (1u << TRI_BITS)

typedef struct area_rec {
    char *id;
    char *city;   /* city name of the area */
    int is_city;
} area_rec;

struct search {
    size_t n;
    char **ids;            /* ext ids, catalog order */
    int64_t *rowid;        /* item.id in the store */
    uint8_t *kind;
    uint32_t *themes;
    uint32_t *langs;
    int32_t *area;         /* index in areas, -1 none */
    char *names;           /* original names, NUL-terminated, arena */
    uint32_t (*name_off)[CAT_NLANG];  /* offset+1 into names; 0 = no name */
    char *fold;            /* folded names per item, each NUL-terminated, arena */
    uint32_t *fold_off;    /* n+1 offsets: item i spans fold_off[i]..fold_off[i+1] */
    uint32_t *pre;         /* offsets of name starts in fold, sorted by text */
    size_t npre;
    uint32_t *words;       /* offsets of inner word starts in fold, sorted by text */
    size_t nwords;
    uint32_t *tri_off;     /* TRI_N+1 offsets into tri_post */
    uint32_t *tri_post;    /* item numbers, ascending per trigram */
    area_rec *areas;       /* sorted by id */
    size_t nareas;
    int64_t *by_rowid;     /* rowid << 32 | item, sorted: rowid -> item */
    uint32_t *by_id;       /* items sorted by ext id: id -> item */
    uint32_t *order[CAT_NLANG];  /* items in alphabetical order of the name in lang */
    uint32_t *seen;        /* per item: query generation that took it */
    uint32_t gen;
};

/* --- small helpers ------------------------------------------------------------- */

static inline int is_wordch(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static inline unsigned tri_code(unsigned char c)
{
    if (c >= 'a' && c <= 'z')
        return 1 + (c - 'a');
    if (c >= '0' && c <= '9')
        return 27 + (c - '0');
    if (c == ' ')
        return 37;
    return 38 + c % 26;
}

static inline unsigned tri_key(const char *p)
{
    return tri_code((unsigned char)p[0]) << 12 | tri_code((unsigned char)p[1]) << 6 |
           tri_code((unsigned char)p[2]);
}

static inline int cmp_area_id(const void *a, const void *b)
{
    return strcmp(((const area_rec *)a)->id, ((const area_rec *)b)->id);
}

static inline int area_index(const search *s, const char *id)
{
    if (!s->nareas)
        return -1;
    area_rec key = { (char *)id, NULL, 0 };
    const area_rec *a = bsearch(&key, s->areas, s->nareas, sizeof key, cmp_area_id);
    return a ? (int)(a - s->areas) : -1;
}

#endif
