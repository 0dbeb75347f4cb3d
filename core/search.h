/*
 * search.h - search-as-you-type and browsing over the live catalog, in memory.
 *
 * search_build() reads every live item's names, kind, themes, languages and area from
 * the store once and keeps them in compact arrays (about 30 MB for 100 000 items).
 * Queries then touch no disk for names: the kiosk calls search_query() on every
 * keystroke and expects well under a millisecond.
 *
 * Matching: query and catalog are folded alike (fold.h), so case and accents do not
 * matter, and analysed alike (morph.h): Finnish words by their base forms and compound
 * parts ("kerhoon" finds "Kerho", "kuoro" finds "Mieskuoro"), Swedish and English by
 * their stems; the vocabulary (vocab.h) joins the three languages ("choir" finds
 * "kuoro"); themes, target groups, kinds and areas are words too ("lapsiperheet",
 * "older people", "Helsingin").  Every query word must match, in any order; a word
 * being typed matches as a prefix; a word of TYPO_MIN (5) letters or more that matches
 * nothing is looked for with one letter wrong, missing, extra or swapped.
 *
 * Results come in tiers, best first:
 *   1. every word is in a name
 *   2. some word matched only a theme, target group, kind or area
 *   3. some word matched only a description
 *   4. some word matched only with a typo
 * Within a tier by a relevance score: exact word > base form > compound part or
 * concept > prefix > letters inside a word, shorter names first, rarer description
 * words count more, items in the kiosk's own area first; ties in an order that
 * favours no letter.  Queries under three letters match name and word starts only
 * (tiers 1 and 2, alphabetical): they are keystrokes on the way to a word.
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
/* Query words looked at; more are ignored (people type a few words; this bounds the
 * work for pasted text). */
#define SEARCH_WORDS_MAX 8

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
    int lang;   /* the name (a cat_lang) the first word matched in; -1 not a name */
} search_hit;

/* What a query found besides its hits, for the screen. */
typedef struct search_info {
    size_t total;                           /* items matching, not just the first max */
    int more;                               /* total is a lower bound: more match in
                                               lower tiers (say "N+") */
    char suggest[SEARCH_QUERY_MAX + 1];     /* "did you mean", "" when none */
} search_info;

/* Builds from the live catalog of st.  On failure *out is NULL and msg (KC_MSGMAX)
 * says why. */
kc_err search_build(store *st, search **out, char *msg);
void search_free(search *s);

size_t search_count(const search *s);
/* Bytes the index holds (arrays and strings; not the analyser's dictionary). */
size_t search_memory(const search *s);

/* Up to max hits for q under filter f (NULL = any).  st is unused (kept for
 * callers).  Any text returns in bounded time and memory: the query is cut at
 * SEARCH_QUERY_MAX bytes and SEARCH_WORDS_MAX words.  An empty query gives no hits (browse instead).  On failure *n is 0 and
 * msg says why. */
kc_err search_query(search *s, store *st, const char *q, const search_filter *f,
                    search_hit *hits, size_t max, size_t *n, char *msg);

/* search_query() with the total count and a "did you mean" suggestion in *info
 * (filled also on failure: total 0, no suggestion).  near (may be NULL) is the
 * kiosk's own area id: at equal relevance its items, then its city's, come first. */
kc_err search_run(search *s, const char *q, const search_filter *f, const char *near,
                  search_hit *hits, size_t max, size_t *n, search_info *info, char *msg);

/* Where in text (a name as shown) the query matched: the first word of text whose
 * folded form starts with a folded query word.  Returns 1 with [*start, *end) in
 * bytes, 0 when no word matches. */
int search_highlight(const char *q, const char *text, size_t *start, size_t *end);

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
