/* The query side of scored search: each query word becomes its sources (term ranges
 * of the word index for the word as written, its prefix, base forms, compound parts,
 * concepts, Finnish endings, typo corrections) and facet weights.  Apart from
 * search_rank.c because it only reads the dictionaries and the morphology; the
 * walk over postings, the scores and the top are search_rank.c's, which calls in here
 * and is never called from here. */
#include "search_query.h"
#include "fold.h"

#include <stdio.h>

/* --- term lookups ---------------------------------------------------------------- */

static uint32_t term_lb(const search *s, const char *key, size_t klen, int prefix)
{
    size_t lo = 0, hi = s->nterms;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = prefix ? strncmp(term_at(s, (uint32_t)mid), key, klen)
                       : strcmp(term_at(s, (uint32_t)mid), key);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (uint32_t)lo;
}

/* End of the range of terms starting with key. */
static uint32_t term_prefix_end(const search *s, uint32_t from, const char *key, size_t klen)
{
    size_t lo = from, hi = s->nterms;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strncmp(term_at(s, (uint32_t)mid), key, klen) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (uint32_t)lo;
}

static size_t src_cost(const search *s, const qsrc *r)
{
    return s->post_off[r->hi] - s->post_off[r->lo];
}

static void add_src(const search *s, qword *w, uint32_t lo, uint32_t hi, int kind, float q)
{
    if (lo >= hi || w->nsrc == QSRC_MAX)  /* further sources add little: dropped */
        return;
    for (int i = 0; i < w->nsrc; i++)   /* the same term twice: keep the better */
        if (w->src[i].lo == lo && w->src[i].hi == hi) {
            if (q > w->src[i].q) {
                w->src[i].q = q;
                w->src[i].kind = (uint8_t)kind;
            }
            return;
        }
    qsrc *r = &w->src[w->nsrc++];
    r->lo = lo;
    r->hi = hi;
    r->kind = (uint8_t)kind;
    r->q = q;
    w->cost += src_cost(s, r);
    for (uint32_t t = lo; t < hi; t++)
        w->name_cost += s->post_mid[t] - s->post_off[t];
}

static int add_exact(const search *s, qword *w, const char *term, int kind, float q)
{
    uint32_t t = term_lb(s, term, 0, 0);
    if (t < s->nterms && !strcmp(term_at(s, t), term)) {
        add_src(s, w, t, t + 1, kind, q);
        return 1;
    }
    return 0;
}

/* --- facets -------------------------------------------------------------------------- */

static void facet_set(const search *s, qword *w, uint32_t ref, float q)
{
    uint32_t ix = FAC_IX(ref);
    float v = W_FACET * q * (FAC_HOW(ref) == HOW_EXACT ? 1.0f : how_q[FAC_HOW(ref) & 3]);
    float *slot = NULL;
    switch (FAC_TYPE(ref)) {
    case FAC_THEME: slot = ix < 32 ? &w->theme_w[ix] : NULL; break;
    case FAC_GROUP: slot = ix < 16 ? &w->group_w[ix] : NULL; break;
    case FAC_KIND: slot = ix < CAT_NKIND ? &w->kind_w[ix] : NULL; break;
    case FAC_AREA: slot = ix < s->nareas ? &w->area_w[ix] : NULL; break;
    default: break;
    }
    if (slot && v > *slot) {
        *slot = v;
        w->facet = 1;
        switch (FAC_TYPE(ref)) {
        case FAC_THEME: w->theme_mask |= 1u << ix; break;
        case FAC_GROUP: w->group_mask |= 1u << ix; break;
        case FAC_KIND: w->kind_mask |= 1u << ix; break;
        default: w->any_area = 1; break;
        }
    }
}

static size_t fac_lb(const search *s, const char *key, size_t klen, int prefix)
{
    size_t lo = 0, hi = s->nfac;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *t = s->fac_text + s->fac_off[mid];
        int c = prefix ? strncmp(t, key, klen) : strcmp(t, key);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int facet_words(const search *s, qword *w, const char *key, int prefix, float q)
{
    size_t klen = strlen(key);
    int found = 0;
    for (size_t i = fac_lb(s, key, klen, prefix); i < s->nfac; i++) {
        const char *t = s->fac_text + s->fac_off[i];
        if (prefix ? strncmp(t, key, klen) != 0 : strcmp(t, key) != 0)
            break;
        facet_set(s, w, s->fac_ref[i], prefix && t[klen] ? q * src_q[SRC_PREFIX] : q);
        found = 1;
    }
    return found;
}

/* --- analysis, cached per word --------------------------------------------------------- */

typedef struct formctx {
    qcache *c;
    cat_lang lang;
    int oom;
} formctx;

static int query_form(void *ctx, const char *form, morph_kind kind)
{
    formctx *fc = ctx;
    qcache *c = fc->c;
    if (fc->lang == CAT_FI && kind == MORPH_BASE)
        c->fi_known = 1;
    char *f = NULL;
    kc_err rc = fold_utf8(form, strlen(form), &f);
    if (rc) {
        fc->oom = rc == KC_ENOMEM;
        return fc->oom;
    }
    int dup = strlen(f) > MORPH_WORD_MAX || strlen(f) < 2;
    for (int i = 0; !dup && i < c->nforms; i++)
        dup = !strcmp(c->forms[i], f);
    if (!dup && c->nforms < QFORMS_MAX) {  /* more readings than that add nothing */
        strcpy(c->forms[c->nforms], f);
        c->kind[c->nforms++] = (uint8_t)kind;
    }
    kc_free(f);
    return 0;
}

/* The analysis of a lower-case word in all three languages (the query's language is
 * not known), from the cache when this word was seen lately. */
static const qcache *analyse_query(search *s, const char *low, size_t n, int *oom)
{
    if (n > MORPH_WORD_MAX)
        return NULL;
    qcache *victim = &s->qc[0];
    for (int i = 0; i < QCACHE_N; i++) {
        qcache *c = &s->qc[i];
        if (c->used && strlen(c->word) == n && !memcmp(c->word, low, n)) {
            c->used = s->qgen;
            return c;
        }
        if (c->used < victim->used)
            victim = c;
    }
    memcpy(victim->word, low, n);
    victim->word[n] = '\0';
    victim->nforms = 0;
    victim->fi_known = 0;
    victim->used = s->qgen;
    formctx fc = { victim, CAT_FI, 0 };
    for (int l = 0; l < CAT_NLANG && !fc.oom; l++) {
        fc.lang = (cat_lang)l;
        morph_forms(s->morph, (cat_lang)l, low, n, query_form, &fc);
    }
    if (fc.oom) {
        victim->used = 0;
        *oom = 1;
        return NULL;
    }
    return victim;
}

static void concepts_of(const search *s, qword *w, const char *key)
{
    size_t lo = 0, hi = s->nvk;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(s->vk_text + s->vk_off[mid], key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < s->nvk && !strcmp(s->vk_text + s->vk_off[lo], key); lo++) {
        char ct[16];
        snprintf(ct, sizeof ct, "\001%u", (unsigned)s->vk_concept[lo]);
        add_exact(s, w, ct, SRC_CONCEPT, src_q[SRC_CONCEPT]);
    }
}

/* Finnish case endings, folded, longest first: the fallback for words the analyser
 * does not know ("Gammelbackassa", a district's name). */
static const char *const nen_endings[] = {  /* Petonen: Petosen, Petosella */
    "sella", "sessa", "selle", "sesta", "sen", "set", "sia", "siin", NULL,
};
static const char *const endings[] = {
    "seen", "ssa", "sta", "lla", "lta", "lle", "ksi", "iin", "hin", "na", "an", "en",
    "in", "n", "a", "t", NULL,
};

/* Optimal string alignment distance of at most one (one letter wrong, missing,
 * extra, or two neighbours swapped). */
static int within_one(const char *a, size_t la, const char *b, size_t lb)
{
    if (la > lb + 1 || lb > la + 1)
        return 0;
    size_t i = 0;
    while (i < la && i < lb && a[i] == b[i])
        i++;
    if (i == la && i == lb)
        return 1;
    if (la == lb) {
        if (!strcmp(a + i + 1, b + i + 1))
            return 1;
        return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
               !strcmp(a + i + 2, b + i + 2);
    }
    return la > lb ? !strcmp(a + i + 1, b + i) : !strcmp(a + i, b + i + 1);
}

static void typo_sources(const search *s, qword *w)
{
    /* The few corrections used most in the catalog: a rare word one letter away is
     * more likely noise than the word meant. */
    uint32_t best[8];
    size_t nb = 0;
    size_t L = w->flen;
    for (size_t l = L - 1; l <= L + 1 && l <= TERM_LEN_MAX; l++)
        for (uint32_t k = s->len_off[l]; k < s->len_off[l + 1]; k++) {
            uint32_t t = s->by_len[k];
            if (!within_one(w->fold, L, term_at(s, t), l))
                continue;
            size_t df = s->post_off[t + 1] - s->post_off[t];
            size_t j;
            if (nb < 8)
                j = nb++;
            else if (df > s->post_off[best[7] + 1] - s->post_off[best[7]])
                j = 7;
            else
                continue;
            while (j > 0 && s->post_off[best[j - 1] + 1] - s->post_off[best[j - 1]] < df) {
                best[j] = best[j - 1];
                j--;
            }
            best[j] = t;
        }
    for (size_t i = 0; i < nb; i++)
        add_src(s, w, best[i], best[i] + 1, SRC_TYPO, src_q[SRC_TYPO]);
    if (nb) {
        w->fix = s->term_disp[best[0]] ? s->disp + s->term_disp[best[0]] - 1
                                       : term_at(s, best[0]);
    }
    for (size_t i = 0; i < s->nfac; i++) {
        const char *t = s->fac_text + s->fac_off[i];
        size_t tl = strlen(t);
        if (within_one(w->fold, L, t, tl)) {
            facet_set(s, w, s->fac_ref[i], src_q[SRC_TYPO]);
            if (!w->fix)
                w->fix = t;
        }
    }
    w->typo = nb > 0 || w->facet;
}

int search_build_word_(search *s, qword *w, int last)
{
    (void)last;
    int oom = 0;
    if (w->flen <= 2) {
        /* "sports c": a letter or two after a word narrows what the other words found;
         * walking every term starting with "c" would cost more than the query. */
        w->start = 1;
        return 0;
    }
    /* the word as written, and as the start of a longer word */
    add_exact(s, w, w->fold, SRC_EXACT, src_q[SRC_EXACT]);
    facet_words(s, w, w->fold, 0, 1.0f);
    if (w->flen >= 2) {
        uint32_t lo = term_lb(s, w->fold, w->flen, 1);
        uint32_t hi = term_prefix_end(s, lo, w->fold, w->flen);
        if (lo < hi && !strcmp(term_at(s, lo), w->fold))
            lo++;
        /* One source per term would overflow on short prefixes; the range shares one
         * quality, and the score below prefers shorter completions. */
        add_src(s, w, lo, hi, SRC_PREFIX, src_q[SRC_PREFIX]);
        facet_words(s, w, w->fold, 1, 1.0f);
    }
    const qcache *c = analyse_query(s, w->low, w->llen, &oom);
    if (oom)
        return -1;
    concepts_of(s, w, w->fold);
    int known = c && c->fi_known;
    for (int i = 0; c && i < c->nforms; i++) {
        int part = c->kind[i] != MORPH_BASE;
        add_exact(s, w, c->forms[i], part ? SRC_PART : SRC_FORM, src_q[part ? SRC_PART : SRC_FORM]);
        facet_words(s, w, c->forms[i], 0, src_q[part ? SRC_PART : SRC_FORM]);
        if (c->kind[i] != MORPH_PART)
            concepts_of(s, w, c->forms[i]);
    }
    if (!known && w->flen >= 5) {
        char stem[MORPH_WORD_MAX + 1];
        for (int e = 0; endings[e]; e++) {
            size_t el = strlen(endings[e]);
            if (w->flen > MORPH_WORD_MAX || w->flen < el + 3 ||
                strcmp(w->fold + w->flen - el, endings[e]))
                continue;
            memcpy(stem, w->fold, w->flen - el);
            stem[w->flen - el] = '\0';
            int hit = add_exact(s, w, stem, SRC_SUFFIX, src_q[SRC_SUFFIX]);
            hit |= facet_words(s, w, stem, 0, src_q[SRC_SUFFIX]);
            if (hit)
                break;
        }
        for (int e = 0; nen_endings[e] && w->flen <= MORPH_WORD_MAX - 3; e++) {
            size_t el = strlen(nen_endings[e]);
            if (w->flen < el + 3 || strcmp(w->fold + w->flen - el, nen_endings[e]))
                continue;
            memcpy(stem, w->fold, w->flen - el);
            memcpy(stem + w->flen - el, "nen", 4);
            add_exact(s, w, stem, SRC_SUFFIX, src_q[SRC_SUFFIX]);
            facet_words(s, w, stem, 0, src_q[SRC_SUFFIX]);
        }
    }
    w->infix = w->flen >= 4 && w->cost < 50;
    if (!w->nsrc && !w->facet && fold_charlen(w->fold, w->flen) >= TYPO_MIN)
        typo_sources(s, w);
    return 0;
}

/* Canonical candidates of a query word for vocabulary phrases: the folded word and
 * its base forms in any language (the query's language is unknown). */
static int canon_list(search *s, const qword *w, const char **out, int max)
{
    int n = 0, oom = 0;
    out[n++] = w->fold;
    const qcache *c = analyse_query(s, w->low, w->llen, &oom);
    for (int i = 0; c && i < c->nforms && n < max; i++)
        if (c->kind[i] == MORPH_BASE)
            out[n++] = c->forms[i];
    return n;
}

/* Joins NULL-terminated words with spaces into key; 0 when they do not fit. */
static int join_words(char *key, size_t cap, const char *const *words)
{
    size_t o = 0;
    for (int i = 0; words[i]; i++) {
        size_t l = strlen(words[i]);
        if (o + l + 2 > cap)
            return 0;
        if (i)
            key[o++] = ' ';
        memcpy(key + o, words[i], l);
        o += l;
    }
    key[o] = '\0';
    return 1;
}

/* "summer theatre", "older people": two or three neighbouring query words that make
 * a vocabulary phrase all accept the phrase's concept. */
void search_query_phrases_(search *s, qword *w, int nw)
{
    enum { CMAX = 4 };
    char key[3 * (MORPH_WORD_MAX + 1) + 1];
    for (int i = 0; i + 1 < nw; i++) {
        const char *a[CMAX], *b[CMAX], *c[CMAX];
        /* The lists point into the query cache; a query has fewer words than the
         * cache has entries, so none of these is evicted while in use. */
        int na = canon_list(s, &w[i], a, CMAX);
        int nb = canon_list(s, &w[i + 1], b, CMAX);
        int nc = i + 2 < nw ? canon_list(s, &w[i + 2], c, CMAX) : 0;
        for (int x = 0; x < na; x++)
            for (int y = 0; y < nb; y++) {
                const char *two[3] = { a[x], b[y], NULL };
                if (join_words(key, sizeof key, two))
                    for (int k = 0; k < 2; k++)
                        concepts_of(s, &w[i + k], key);
                for (int z = 0; z < nc; z++) {
                    const char *three[4] = { a[x], b[y], c[z], NULL };
                    if (join_words(key, sizeof key, three))
                        for (int k = 0; k < 3; k++)
                            concepts_of(s, &w[i + k], key);
                }
            }
    }
}
