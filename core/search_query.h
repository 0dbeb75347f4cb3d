/*
 * search_query.h - a query word as the scored search sees it: search_query.c turns
 * each word into its sources, and search_rank.c, the only other user, walks them,
 * scores and picks the top.  Not for other modules.
 *
 * A qword's fold is owned by whoever filled it (search_rank() frees it); its sources
 * are term ranges of the word index, its facet weights are per theme, group, kind and
 * area (area_w points at nareas floats of s->area_w).
 */
#ifndef SEARCH_QUERY_H
#define SEARCH_QUERY_H

#include "search_index.h"

enum { SRC_EXACT, SRC_FORM, SRC_PART, SRC_CONCEPT, SRC_PREFIX, SRC_SUFFIX, SRC_TYPO };

/* How good a match of each source is, before the field's weight. */
static const float src_q[] = { 1.0f, 0.9f, 0.8f, 0.8f, 0.7f, 0.85f, 0.5f };
/* Index side: the item had the word as written, its base form, a part, a concept. */
static const float how_q[] = { 1.0f, 0.95f, 0.7f, 1.0f };

#define W_NAME 100.0f
#define W_FACET 60.0f
#define W_DESC 20.0f
#define W_INFIX 0.5f

typedef struct qsrc {
    uint32_t lo, hi;   /* term range */
    uint8_t kind;
    float q;
} qsrc;

typedef struct qword {
    const char *low;        /* as typed, lower case */
    size_t llen;
    char *fold;             /* folded (owned) */
    size_t flen;
    qsrc src[QSRC_MAX];
    int nsrc;
    size_t cost;
    float theme_w[32], group_w[16], kind_w[CAT_NKIND];
    float *area_w;          /* nareas */
    int facet;              /* any facet weight set */
    uint32_t theme_mask, group_mask, kind_mask;  /* facets with a weight: fast reject */
    int any_area;
    int infix;              /* look inside names too */
    int start;              /* one or two letters: a name word starting so, per candidate */
    size_t name_cost;       /* postings in names */
    int typo;               /* sources are typo corrections */
    const char *fix;        /* best correction, for "did you mean" */
} qword;


static inline const char *term_at(const search *s, uint32_t t) { return s->terms + s->term_off[t]; }

/* search_query.c: the sources and facet weights of word w (fold, low set); -1 when out
 * of memory.  A word of one or two letters gets none: it is checked per candidate. */
int search_build_word_(search *s, qword *w, int last);
/* Neighbouring words of the query that make a vocabulary phrase accept its concept. */
void search_query_phrases_(search *s, qword *w, int nw);

#endif
