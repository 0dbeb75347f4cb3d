/* Scored search over the word index (search_terms.c): each query word becomes a set
 * of sources (term ranges, facet weights, letters inside names; search_query.c),
 * candidates are the items every word reaches, and the best max of them are picked by
 * tier, score and an id hash.  Cost: one walk over the postings of each word's
 * sources, cheapest word first, then work proportional to the surviving candidates.
 * What a word's sources are is search_query.c's; this file only walks and scores
 * them, and the query side never calls back in here. */
#include "search_query.h"
#include "fold.h"

#include <math.h>

/* --- scoring ------------------------------------------------------------------------------ */

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
        if (search_build_word_(s, q, 0)) {
            rc = kc_fail(msg, KC_ENOMEM, "search: out of memory");
            goto done;
        }
    }
    if (!nw || !max)
        goto done;
    search_query_phrases_(s, w, nw);
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
