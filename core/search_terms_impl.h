/*
 * search_terms_impl.h - the build context of the word index, shared by the files that
 * build it: search_analyse.c (the analysis cache every word goes through),
 * search_vocab.c (vocabulary keys and facet words) and search_terms.c (terms,
 * postings, the build's entry).  Not for other modules, and gone once the build ends:
 * search_terms.c frees it whatever happened.
 */
#ifndef SEARCH_TERMS_IMPL_H
#define SEARCH_TERMS_IMPL_H

#include "search_index.h"
#include "strmap.h"

typedef struct bctx {
    search *s;
    vocab *v;
    int oom;
    /* analysis cache: "<lang digit><lower-case word>" -> record in `forms`:
     * the folded word, the lower-case word, then records of a type byte ('B' base,
     * 'P' part, 'H' head of a compound, 'C' concept
     * number) and a NUL-terminated text, then a 0 type byte. */
    strmap *wa;
    uint32_t *wa_rec;
    size_t wa_cap;
    arena forms;
    /* collected forms of the word being analysed */
    char tmp[QFORMS_MAX][MORPH_WORD_MAX + 1];
    char tmpk[QFORMS_MAX];
    int ntmp;
    /* terms and postings */
    strmap *terms;
    uint32_t *last_item, *last_pos, *tdisp;
    size_t tcap;
    arena disp;
    uint32_t *pt, *pp;
    size_t np, pcap;
    /* facets */
    arena ftext;
    uint32_t *foff, *fref;
    size_t nf, fcap;
    /* vocabulary keys */
    arena vtext;
    uint32_t *voff;
    uint16_t *vcon;
    size_t nv, vcap;
} bctx;

/* A text and a number (a term and its first number, a facet word and its reference),
 * sorted by text, then number. */
typedef struct fsort {
    const char *t;
    uint32_t ref;
} fsort;

static inline int cmp_fs(const void *x, const void *y)
{
    const fsort *a = x, *b = y;
    int c = strcmp(a->t, b->t);
    return c ? c : (a->ref > b->ref) - (a->ref < b->ref);
}

/* search_analyse.c: a morph_forms() callback collecting a word's distinct folded forms
 * into b->tmp (b->oom set when out of memory). */
int search_collect_form_(void *ctx, const char *form, morph_kind kind);
/* The cached analysis record of word raw (n bytes) read as lang into *rec: 1, 0 when
 * it is no word (skip it), -1 when out of memory. */
long search_analyse_(bctx *b, cat_lang lang, const char *raw, size_t n, uint32_t *rec);
/* A record's canonical form for vocabulary phrases; whether it may start one. */
const char *search_canon_of_(const bctx *b, uint32_t rec);
int search_starts_phrase_(const bctx *b, uint32_t rec);
/* The first vocabulary key not before key. */
long search_vk_lower_bound_(const search *s, const char *key);

/* search_vocab.c: s's vocabulary keys, then its facet words (which need the keys in
 * place: an analysed word carries its concepts).  -1 when out of memory. */
int search_build_vocab_keys_(bctx *b);
int search_build_facets_(bctx *b);

#endif
