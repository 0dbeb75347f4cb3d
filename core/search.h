/*
 * search.h - search-as-you-type and browsing over the live catalog, in memory.
 *
 * search_build() reads every live item's names, kind, themes, languages and area from
 * the store once and keeps them in compact arrays (about 30 MB for 100 000 items).
 * Queries then touch no disk for names: the kiosk calls search_query() on every
 * keystroke and expects well under a millisecond.
 *
 * Matching: query and names are folded alike (fold.h), so case and accents do not
 * matter.  Results come in tiers, best first:
 *   1. a name starts with the query          ("liik"  -> "Liikuntaseura Kuopio")
 *   2. a word inside a name starts with it    ("seura" -> "Kuopion Seura")
 *   3. the query is inside a name             ("kunta" -> "Liikuntaseura")
 *   4. the query is in a description or other text (needs a store; SQLite FTS5)
 * Within a tier, items come in catalog order (alphabetical by folded name).  Queries
 * of one or two characters use tiers 1 and 2 only; descriptions (tier 4) are searched
 * from SEARCH_TEXT_MIN bytes on, because a shorter piece matches most descriptions
 * and costs a full posting-list walk.  Several words must all be found.
 *
 * Items are numbered 0..n-1 in catalog order; the numbers are valid for the life of
 * the handle.  The handle is immutable after build except for a scratch array used
 * by queries, so one thread queries a handle at a time; build a new handle (on any
 * thread) when the catalog changes and swap it in.
 */
#ifndef SEARCH_H
#define SEARCH_H

#include <stddef.h>
#include "catalog.h"
#include "kc.h"
#include "store.h"

typedef struct search search;

/* Longest query looked at, in bytes; longer input is cut at a character boundary. */
#define SEARCH_QUERY_MAX 200
#define SEARCH_TEXT_MIN 4

typedef struct search_filter {
    int kind;            /* a cat_kind, or -1 for any */
    unsigned themes;     /* bit set over cat_themes: item has any of them; 0 = any */
    unsigned languages;  /* bit set over cat_languages: served in any; 0 = any */
    const char *area;    /* area id; a city-type area also matches its districts */
} search_filter;

#define SEARCH_ANY { -1, 0, 0, NULL }

typedef struct search_hit {
    int item;   /* catalog order number */
    int tier;   /* 1..4 as above */
} search_hit;

/* Builds from the live catalog of st.  On failure *out is NULL and msg (KC_MSGMAX)
 * says why. */
kc_err search_build(store *st, search **out, char *msg);
void search_free(search *s);

size_t search_count(const search *s);

/* Up to max hits for q under filter f (NULL = any).  st may be NULL: then tier 4 is
 * skipped.  An empty query gives no hits (browse instead).  On failure *n is 0 and
 * msg says why. */
kc_err search_query(search *s, store *st, const char *q, const search_filter *f,
                    search_hit *hits, size_t max, size_t *n, char *msg);

/* Every item matching f in alphabetical order of its name in `lang` (falling back
 * fi, sv, en), with å, ä, ö after z as Finnish and Swedish readers expect; returns
 * how many match, writes the first max of them to out (out may be NULL to count). */
size_t search_browse(const search *s, const search_filter *f, cat_lang lang, int *out,
                     size_t max);

/* 1 when the area id is known to the catalog. */
int search_area_known(const search *s, const char *area);

const char *search_item_id(const search *s, int item);
cat_kind search_item_kind(const search *s, int item);
/* Display name in the preferred language, with the language used (for "in Finnish"). */
const char *search_item_name(const search *s, int item, const cat_langs *pref,
                             cat_lang *used);
/* Catalog order number of an item id, or -1.  O(log n). */
int search_find(const search *s, const char *id);
/* Area id of an item, or NULL. */
const char *search_item_area(const search *s, int item);

#endif
