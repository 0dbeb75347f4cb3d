/*
 * search_index.h - the search index's layout, shared by the files of the search module:
 * search_build.c and search_terms.c (with search_vocab.c and search_analyse.c) make it
 * from the store, search.c, search_query.c and search_rank.c query it.  Not for other
 * modules.
 *
 * Invariants: items are numbered in catalog order (folded primary name); fold holds
 * each item's folded names as NUL-terminated segments, item i spanning
 * fold_off[i]..fold_off[i+1]; pre and words hold offsets into fold sorted by the text
 * there; tri_post lists, per trigram key, the items containing it, ascending.
 */
#ifndef SEARCH_INDEX_H
#define SEARCH_INDEX_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "morph.h"
#include "search.h"
#include "vocab.h"

#define TRI_BITS 18
#define TRI_N (1u << TRI_BITS)

typedef struct area_rec {
    char *id;
    char *city;   /* city name of the area */
    int is_city;
    char *name[CAT_NLANG];  /* display names, NULL when missing */
    int city_ix;  /* index of the city-type area of the same city, -1 none */
} area_rec;

/* A posting: one item has one term in one kind of field.  Within a term, postings are
 * ascending by item, one per item (the best field and form).  Index-side forms: the
 * word as written, its base form or stem, a compound part, a vocabulary concept. */
enum { CLS_NAME, CLS_DESC };
enum { HOW_EXACT, HOW_BASE, HOW_PART, HOW_CONCEPT };
#define POST(item, inner, cls, how, lang)                                                \
    ((uint32_t)(item) << 7 | (uint32_t)(inner) << 6 | (uint32_t)(cls) << 4 |             \
     (uint32_t)(how) << 2 | (uint32_t)(lang))
#define POST_ITEM(p) ((p) >> 7)
#define POST_INNER(p) (((p) >> 6) & 1)   /* 0: the first word of a name */
#define POST_CLS(p) (((p) >> 4) & 3)
#define POST_HOW(p) (((p) >> 2) & 3)
#define POST_LANG(p) ((p) & 3)
#define POST_RANK(p) ((p) & 127)         /* lower is a better posting of one item */
#define SEARCH_ITEMS_MAX (1u << 25)

/* Facet words ("lapsiperheet", "Helsingin", "choir"): a term and the facet it names. */
enum { FAC_THEME, FAC_GROUP, FAC_KIND, FAC_AREA };
#define FAC_REF(type, how, ix) ((uint32_t)(type) << 28 | (uint32_t)(how) << 24 | (uint32_t)(ix))
#define FAC_TYPE(r) ((r) >> 28)
#define FAC_HOW(r) (((r) >> 24) & 15)
#define FAC_IX(r) ((r) & 0xFFFFFF)

/* Per query word: distinct forms kept from the analysers, and match sources. */
#define QFORMS_MAX 12
#define QSRC_MAX 48
#define QCACHE_N 32
/* Longest folded term kept for typo search; typos are looked for in words of
 * TYPO_MIN characters and more. */
#define TERM_LEN_MAX 48
#define TYPO_MIN 5

/* A query word's analysis, cached: typing "kerhoon" re-analyses only the last word. */
typedef struct qcache {
    char word[MORPH_WORD_MAX + 1];   /* lower case, as typed */
    uint32_t used;                   /* query generation of last use; 0 = empty */
    int nforms;
    int fi_known;                    /* the Finnish analyser knew the word */
    char forms[QFORMS_MAX][MORPH_WORD_MAX + 1];  /* folded */
    uint8_t kind[QFORMS_MAX];        /* morph_kind */
} qcache;

/* Per-query scratch, one entry per item; valid where mark == the query generation. */
typedef struct qitem {
    uint32_t mark;
    uint8_t matched;    /* query words matched so far */
    uint8_t tier;       /* worst tier over words so far */
    uint8_t wtier;      /* tier of the current word's best match */
    int8_t lang;        /* language of the name that matched, -1 */
    int8_t wlang;
    float wbest;        /* best score of the current word */
    float score;
} qitem;

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
    uint32_t *tri_off;     /* TRI_N+1 byte offsets into tri_post */
    uint8_t *tri_post;     /* per trigram: items ascending, as varint gaps */
    area_rec *areas;       /* sorted by id */
    size_t nareas;
    int64_t *by_rowid;     /* rowid << 32 | item, sorted: rowid -> item */
    uint32_t *by_id;       /* items sorted by ext id: id -> item */
    uint32_t *order[CAT_NLANG];  /* items in alphabetical order of the name in lang */
    uint32_t *seen;        /* per item: query generation that took it */
    uint32_t gen;

    /* Words: the term dictionary over names and descriptions (surface words, base
     * forms, compound parts, concepts), sorted by text, with postings. */
    char *terms;            /* folded terms, NUL-terminated */
    uint32_t *term_off;     /* nterms, sorted by the text there */
    uint32_t *post_off;     /* nterms + 1 */
    uint32_t *post_mid;     /* nterms: where a term's description postings start */
    uint32_t *post;
    size_t nterms;
    char *disp;             /* lower-case words as written, for "did you mean" */
    uint32_t *term_disp;    /* nterms: offset + 1 into disp; 0 none */
    uint32_t *by_len;       /* term numbers by folded length, for typo search */
    uint32_t len_off[TERM_LEN_MAX + 2];
    uint16_t *groups;       /* target groups, bit set over the enum */
    uint8_t *name_words;    /* words in the shortest name */
    uint32_t *tiebreak;     /* hash of the id: a tie-break that favours no letter */
    /* Facet words, sorted by text. */
    char *fac_text;
    uint32_t *fac_off;
    uint32_t *fac_ref;
    size_t nfac;
    /* Vocabulary keys: folded word or phrase of canonical forms -> concept. */
    char *vk_text;
    uint32_t *vk_off;
    uint16_t *vk_concept;
    size_t nvk;
    morph *morph;           /* query analysis; owned */
    qcache qc[QCACHE_N];
    qitem *qi;              /* n entries */
    uint32_t *cand;         /* n entries */
    float *area_w;          /* SEARCH_WORDS_MAX * nareas */
    uint32_t qgen;
};

/* search_terms.c: builds the word, facet and vocabulary indexes. */
kc_err search_build_terms(search *s, store *st, const int64_t *rowids, char *msg);
void search_free_terms(search *s);
/* search_rank.c: scored queries of three or more letters. */
kc_err search_rank(search *s, const char *lowered, const search_filter *f,
                   const char *near, search_hit *hits, size_t max, size_t *n, search_info *info, char *msg);

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

/* Unsigned LEB128: 7 bits a byte, high bit = more follows. */
static inline unsigned varint_len(uint32_t v)
{
    unsigned n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

static inline unsigned varint_put(uint8_t *p, uint32_t v)
{
    unsigned n = 0;
    while (v >= 0x80) {
        p[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}

static inline uint32_t varint_get(const uint8_t **p)
{
    uint32_t v = 0;
    for (unsigned shift = 0; shift < 35; shift += 7) {
        uint8_t b = *(*p)++;
        v |= (uint32_t)(b & 0x7F) << shift;
        if (!(b & 0x80))
            break;
    }
    return v;
}

static inline int cmp_area_id(const void *a, const void *b)
{
    return strcmp(((const area_rec *)a)->id, ((const area_rec *)b)->id);
}

static inline int area_index(const search *s, const char *id)
{
    if (!s->nareas)
        return -1;
    area_rec key;
    memset(&key, 0, sizeof key);
    key.id = (char *)id;
    const area_rec *a = bsearch(&key, s->areas, s->nareas, sizeof key, cmp_area_id);
    return a ? (int)(a - s->areas) : -1;
}

/* Whether item i passes filter f (NULL: every item); an area filter also takes the
 * area's city (area_ix its index, area_city its city or NULL).  One check for every
 * tier of search.c and search_rank.c. */
static inline int search_passes_(const search *s, const search_filter *f, int area_ix, const char *area_city,
                   size_t i)
{
    if (!f)
        return 1;
    if (f->kind >= 0 && s->kind[i] != f->kind)
        return 0;
    if (f->themes && !(s->themes[i] & f->themes))
        return 0;
    if (f->languages && !(s->langs[i] & f->languages))
        return 0;
    if (f->area) {
        int a = s->area[i];
        if (a < 0)
            return 0;
        if (a != area_ix && !(area_city && strcmp(s->areas[a].city, area_city) == 0))
            return 0;
    }
    return 1;
}

#endif
