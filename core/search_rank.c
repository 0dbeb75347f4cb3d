/* Scored search over the word index (search_terms.c): each query word becomes a set
 * of sources (term ranges, facet weights, letters inside names), candidates are the
 * items every word reaches, and the best max of them are picked by tier, score and an
 * id hash.  Cost: one walk over the postings of each word's sources, cheapest word
 * first, then work proportional to the surviving candidates. */
#include "search_index.h"
#include "fold.h"

#include <math.h>
#include <stdio.h>

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

/* --- term lookups ---------------------------------------------------------------- */

static const char *term_at(const search *s, uint32_t t) { return s->terms + s->term_off[t]; }

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

static float facet_score(const search *s, const qword *w, size_t it)
{
    float best = 0;
    if (!(s->themes[it] & w->theme_mask) && !(s->groups[it] & w->group_mask) &&
        !((1u << s->kind[it]) & w->kind_mask) && !w->any_area)
        return 0;
    for (uint32_t b = s->themes[it]; b; b &= b - 1) {
        int i = __builtin_ctz(b);
        if (i < 32 && w->theme_w[i] > best)
            best = w->theme_w[i];
    }
    for (uint32_t b = s->groups[it]; b; b &= b - 1) {
        int i = __builtin_ctz(b);
        if (i < 16 && w->group_w[i] > best)
            best = w->group_w[i];
    }
    if (s->kind[it] < CAT_NKIND && w->kind_w[s->kind[it]] > best)
        best = w->kind_w[s->kind[it]];
    int a = s->area[it];
    if (a >= 0) {
        if (w->area_w[a] > best)
            best = w->area_w[a];
        int c = s->areas[a].city_ix;  /* "Porvoo" reaches Gammelbacka's items */
        if (c >= 0 && w->area_w[c] * 0.95f > best)
            best = w->area_w[c] * 0.95f;
    }
    return best;
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

static int build_word(search *s, qword *w, int last)
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

/* --- scoring ------------------------------------------------------------------------------ */


/* Per term of a source: the quality of a name match and of a description match
 * (before the index-side form), computed once per term, not per posting. */
static void term_weights(const search *s, const qword *w, const qsrc *r, uint32_t t,
                         float *wname, float *wdesc)
{
    float q = r->q;
    if (r->kind == SRC_PREFIX) {  /* "kuor" is nearer "kuoro" than "kuorolaulu" */
        size_t tl = strlen(term_at(s, t));
        q *= 0.85f + 0.15f * (float)w->flen / (float)(tl ? tl : 1);
    }
    *wname = W_NAME * q;
    /* Descriptions: rarer words say more (an idf from the posting count). */
    double df = (double)(s->post_off[t + 1] - s->post_off[t]);
    double idf = log(((double)s->n + 1) / (df + 1)) / log((double)s->n + 2);
    *wdesc = (float)(W_DESC * q * (0.5 + idf));
}

/* A word of the item's names starts with word. */
static int name_has_start(const search *s, size_t it, const char *word, size_t wl)
{
    const char *p = s->fold + s->fold_off[it];
    const char *end = s->fold + s->fold_off[it + 1];
    for (const char *c = p; c < end; c++)
        if ((c == p || !c[-1] || !is_wordch((unsigned char)c[-1])) && is_wordch((unsigned char)*c) &&
            !strncmp(c, word, wl))
            return 1;
    return 0;
}

static int name_has(const search *s, size_t it, const char *word)
{
    const char *p = s->fold + s->fold_off[it];
    const char *end = s->fold + s->fold_off[it + 1];
    for (; p < end; p += strlen(p) + 1)
        if (strstr(p, word))
            return 1;
    return 0;
}

/* Offers word k's score sc (tier, name language) to item it. */
static void offer(search *s, size_t it, int k, float sc, int tier, int lang, size_t *nc)
{
    qitem *e = &s->qi[it];
    if (k == 0) {
        if (e->mark != s->qgen) {
            e->mark = s->qgen;
            e->matched = 1;
            e->wbest = sc;
            e->wtier = (uint8_t)tier;
            e->wlang = (int8_t)lang;
            s->cand[(*nc)++] = (uint32_t)it;
            return;
        }
    } else {
        if (e->mark != s->qgen || e->matched < k)
            return;
        if (e->matched == k) {
            e->matched = (uint8_t)(k + 1);
            e->wbest = sc;
            e->wtier = (uint8_t)tier;
            e->wlang = (int8_t)lang;
            return;
        }
    }
    if (sc > e->wbest || (sc == e->wbest && tier < e->wtier)) {
        e->wbest = sc;
        e->wtier = (uint8_t)tier;
        e->wlang = (int8_t)lang;
    }
}

typedef struct qrun {
    search *s;
    const search_filter *f;
    int area_ix;
    const char *area_city;
    size_t nc;
} qrun;

/* Levels of a query: names only, then facets too, then descriptions too.  A level
 * that finds max items settles the hits (later levels only add lower tiers). */
enum { LEVEL_NAMES, LEVEL_FACETS, LEVEL_ALL };

static void run_word(qrun *r, const qword *w, int k, int level)
{
    search *s = r->s;
    for (int i = 0; i < w->nsrc; i++) {
        const qsrc *src = &w->src[i];
        int typo = src->kind == SRC_TYPO;
        for (uint32_t t = src->lo; t < src->hi; t++) {
            float wn, wd;
            term_weights(s, w, src, t, &wn, &wd);
            /* a prefix of three letters says little about descriptions */
            uint32_t end = (src->kind == SRC_PREFIX && w->flen < 4) || level < LEVEL_ALL
                               ? s->post_mid[t]
                               : s->post_off[t + 1];
            for (uint32_t j = s->post_off[t]; j < end; j++) {
                uint32_t p = s->post[j];
                size_t it = POST_ITEM(p);
                if (k == 0 && s->qi[it].mark != s->qgen &&
                    !search_passes_(s, r->f, r->area_ix, r->area_city, it))
                    continue;
                int name = POST_CLS(p) == CLS_NAME;
                float sc = (name ? wn : wd) * how_q[POST_HOW(p)];
                if (name && !POST_INNER(p))  /* the first word of a name says most */
                    sc += 8.0f;
                offer(s, it, k, sc, typo ? 4 : name ? 1 : 3, name ? (int)POST_LANG(p) : -1,
                      &r->nc);
            }
        }
    }
    int facet = w->facet && level >= LEVEL_FACETS;
    if (k == 0) {
        if (facet)
            for (size_t it = 0; it < s->n; it++) {
                float sc = facet_score(s, w, it);
                if (sc > 0 && (s->qi[it].mark == s->qgen ||
                               search_passes_(s, r->f, r->area_ix, r->area_city, it)))
                    offer(s, it, 0, sc, w->typo ? 4 : 2, -1, &r->nc);
            }
        if (w->infix && w->flen >= 3) {
            /* Candidates from the shortest list among the word's trigrams. */
            unsigned bestk = 0;
            uint32_t bestn = UINT32_MAX;
            for (size_t i = 0; i + 2 < w->flen; i++) {
                unsigned key = tri_key(w->fold + i);
                uint32_t cnt = s->tri_off[key + 1] - s->tri_off[key];
                if (cnt < bestn) {
                    bestn = cnt;
                    bestk = key;
                }
            }
            const uint8_t *p = s->tri_post + s->tri_off[bestk];
            const uint8_t *end = s->tri_post + s->tri_off[bestk + 1];
            size_t it = 0;
            for (int first = 1; p < end; first = 0) {
                it += varint_get(&p) + (first ? 0 : 1);
                if (it >= s->n)
                    break;
                if ((s->qi[it].mark == s->qgen ||
                     search_passes_(s, r->f, r->area_ix, r->area_city, it)) &&
                    name_has(s, it, w->fold))
                    offer(s, it, 0, W_NAME * W_INFIX, 1, -1, &r->nc);
            }
        }
        return;
    }
    if (facet || w->infix || w->start)
        for (size_t c = 0; c < r->nc; c++) {
            size_t it = s->cand[c];
            if (s->qi[it].matched < k)
                continue;
            if (w->start && name_has_start(s, it, w->fold, w->flen))
                offer(s, it, k, W_NAME * src_q[SRC_PREFIX], 1, -1, &r->nc);
            if (facet) {
                float sc = facet_score(s, w, it);
                if (sc > 0)
                    offer(s, it, k, sc, w->typo ? 4 : 2, -1, &r->nc);
            }
            if (w->infix && name_has(s, it, w->fold))
                offer(s, it, k, W_NAME * W_INFIX, 1, -1, &r->nc);
        }
}

/* Candidates that matched word k stay; the word's best score is added. */
static void settle(qrun *r, int k)
{
    search *s = r->s;
    size_t m = 0;
    for (size_t c = 0; c < r->nc; c++) {
        qitem *e = &s->qi[s->cand[c]];
        if (e->matched != k + 1)
            continue;
        if (k == 0) {
            e->score = 0;
            e->tier = 0;
            e->lang = e->wlang;
        }
        e->score += e->wbest;
        if (e->wtier > e->tier)
            e->tier = e->wtier;
        if (e->lang < 0)
            e->lang = e->wlang;
        s->cand[m++] = s->cand[c];
    }
    r->nc = m;
}

/* 1 when item a ranks before item b. */
static int better(const search *s, uint32_t a, uint32_t b)
{
    const qitem *x = &s->qi[a], *y = &s->qi[b];
    if (x->tier != y->tier)
        return x->tier < y->tier;
    if (x->score != y->score)
        return x->score > y->score;
    if (s->tiebreak[a] != s->tiebreak[b])
        return s->tiebreak[a] < s->tiebreak[b];
    return a < b;
}

/* Keeps the best max candidates in a heap whose root is the worst of them. */
static void sift(const search *s, uint32_t *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, w = i;
        if (l < n && better(s, h[w], h[l]))
            w = l;
        if (l + 1 < n && better(s, h[w], h[l + 1]))
            w = l + 1;
        if (w == i)
            return;
        uint32_t t = h[i];
        h[i] = h[w];
        h[w] = t;
        i = w;
    }
}

static size_t select_top(const search *s, uint32_t *cand, size_t nc, size_t max)
{
    size_t k = nc < max ? nc : max;
    /* The first k candidates become a heap; every other one replaces the root when it
     * ranks better.  The candidates array is reused: the heap is its prefix. */
    for (size_t i = k / 2; i-- > 0;)
        sift(s, cand, k, i);
    for (size_t i = k; i < nc; i++)
        if (better(s, cand[i], cand[0])) {
            cand[0] = cand[i];
            sift(s, cand, k, 0);
        }
    /* Heap order to rank order: pop the worst to the end. */
    for (size_t n = k; n > 1; n--) {
        uint32_t t = cand[0];
        cand[0] = cand[n - 1];
        cand[n - 1] = t;
        sift(s, cand, n - 1, 0);
    }
    return k;
}

static void next_gen(search *s)
{
    if (++s->qgen == 0) {  /* wrapped: old marks could collide with the new value */
        for (size_t i = 0; i < s->n; i++)
            s->qi[i].mark = 0;
        for (int i = 0; i < QCACHE_N; i++)
            s->qc[i].used = 0;
        s->qgen = 1;
    }
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
static void query_phrases(search *s, qword *w, int nw)
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

/* What walking a word first costs at a level: its postings (names only below
 * LEVEL_ALL), plus a pass over every item when its facets count; a word of one or
 * two letters is checked per candidate only, so it never goes first. */
static size_t word_cost(const search *s, const qword *w, int level)
{
    if (w->start)
        return SIZE_MAX;
    size_t c = level == LEVEL_ALL ? w->cost : w->name_cost;
    if (w->facet && level >= LEVEL_FACETS)
        c += s->n;
    return c;
}

static void order_words(const search *s, qword **order, int nw, int level)
{
    for (int i = 1; i < nw; i++)  /* insertion sort: at most SEARCH_WORDS_MAX words */
        for (int j = i; j > 0 && word_cost(s, order[j], level) <
                                     word_cost(s, order[j - 1], level); j--) {
            qword *t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
}

kc_err search_rank(search *s, const char *low, const search_filter *f, const char *nearby,
                   search_hit *hits,
                   size_t max, size_t *n, search_info *info, char *msg)
{
    qword *w = kc_calloc(SEARCH_WORDS_MAX, sizeof *w);
    qword *order[SEARCH_WORDS_MAX];
    kc_err rc = KC_OK;
    int nw = 0;
    if (!w)
        return kc_fail(msg, KC_ENOMEM, "search: out of memory");
    next_gen(s);
    size_t llen = strlen(low), pos = 0, ws, we;
    while (nw < SEARCH_WORDS_MAX && fold_next_word(low, llen, &pos, &ws, &we)) {
        qword *q = &w[nw];
        q->low = low + ws;
        q->llen = we - ws;
        q->area_w = s->area_w + (size_t)nw * s->nareas;
        memset(q->area_w, 0, s->nareas * sizeof *q->area_w);
        kc_err frc = fold_utf8(q->low, q->llen, &q->fold);
        if (frc == KC_ENOMEM) {
            rc = kc_fail(msg, KC_ENOMEM, "search: out of memory");
            goto done;
        }
        if (frc || !q->fold[0]) {
            kc_free(q->fold);
            q->fold = NULL;
            continue;
        }
        q->flen = strlen(q->fold);
        nw++;
        if (build_word(s, q, 0)) {
            rc = kc_fail(msg, KC_ENOMEM, "search: out of memory");
            goto done;
        }
    }
    if (!nw || !max)
        goto done;
    query_phrases(s, w, nw);
    for (int i = 0; i < nw; i++)
        order[i] = &w[i];
    qrun r = { s, f, -1, NULL, 0 };
    if (f && f->area) {
        r.area_ix = area_index(s, f->area);
        if (r.area_ix < 0)
            goto done;
        if (s->areas[r.area_ix].is_city)
            r.area_city = s->areas[r.area_ix].city;
    }
    int level = LEVEL_NAMES;
    for (;; level++) {
        r.nc = 0;
        /* A level where some word cannot match is skipped without a walk. */
        int can = 1;
        for (int i = 0; i < nw && can; i++) {
            const qword *q = &w[i];
            can = q->start || q->infix || q->name_cost || (level >= LEVEL_FACETS && q->facet) ||
                  (level == LEVEL_ALL && q->cost);
        }
        if (!can) {
            if (level == LEVEL_ALL)
                break;
            continue;
        }
        order_words(s, order, nw, level);
        for (int k = 0; k < nw; k++) {
            run_word(&r, order[k], k, level);
            settle(&r, k);
            if (!r.nc)
                break;
        }
        if (r.nc >= max || level == LEVEL_ALL)
            break;
        next_gen(s);
    }
    info->more = level < LEVEL_ALL;
    /* Item-level evidence: shorter names are more specific; the kiosk's own area. */
    int near = nearby ? area_index(s, nearby) : -1;
    for (size_t c = 0; c < r.nc; c++) {
        size_t it = s->cand[c];
        qitem *e = &s->qi[it];
        e->score += 6.0f / (float)(s->name_words[it] ? s->name_words[it] : 1);
        int a = s->area[it];
        if (near >= 0 && a >= 0) {
            if (a == near)
                e->score += 4.0f;
            else if (s->areas[a].city_ix >= 0 && s->areas[a].city_ix == s->areas[near].city_ix)
                e->score += 2.0f;
        }
    }
    info->total = r.nc;
    size_t k = select_top(s, s->cand, r.nc, max);
    for (size_t i = 0; i < k; i++) {
        const qitem *e = &s->qi[s->cand[i]];
        hits[i].item = (int)s->cand[i];
        hits[i].tier = e->tier ? e->tier : 1;
        hits[i].lang = e->lang;
    }
    *n = k;
    /* "Did you mean": the query with each corrected word replaced. */
    int typo = 0;
    for (int i = 0; i < nw; i++)
        typo |= w[i].typo && w[i].fix;
    if (typo) {
        size_t o = 0;
        for (int i = 0; i < nw; i++) {
            const char *t = w[i].typo && w[i].fix ? w[i].fix : w[i].low;
            size_t tl = w[i].typo && w[i].fix ? strlen(t) : w[i].llen;
            if (o + tl + 2 > sizeof info->suggest)
                break;
            if (o)
                info->suggest[o++] = ' ';
            memcpy(info->suggest + o, t, tl);
            o += tl;
        }
        info->suggest[o] = '\0';
    }
done:
    for (int i = 0; i < SEARCH_WORDS_MAX; i++)
        kc_free(w[i].fold);
    kc_free(w);
    return rc;
}
