#include "search_index.h"
#include "fold.h"

#include <stdio.h>
#include <string.h>

size_t search_count(const search *s) { return s->n; }

size_t search_memory(const search *s)
{
    size_t n = s->n, m = sizeof *s;
    for (size_t i = 0; i < n; i++)
        m += strlen(s->ids[i]) + 1;
    m += n * (sizeof *s->ids + 1 + sizeof *s->themes + sizeof *s->langs +
              sizeof *s->area + sizeof *s->name_off + sizeof *s->fold_off +
              sizeof *s->by_id + CAT_NLANG * sizeof *s->order[0] +
              sizeof *s->seen + sizeof *s->groups + 1 + sizeof *s->tiebreak +
              sizeof *s->qi + sizeof *s->cand);
    m += s->fold_off[n];                                  /* folded names */
    for (size_t i = 0; i < n; i++)                        /* names as written */
        for (int l = 0; l < CAT_NLANG; l++)
            if (s->name_off[i][l])
                m += strlen(s->names + s->name_off[i][l] - 1) + 1;
    m += (s->npre + s->nwords) * sizeof *s->pre;
    m += (TRI_N + 1) * sizeof *s->tri_off + s->tri_off[TRI_N];
    m += s->nareas * sizeof *s->areas;
    m += s->nterms * (sizeof *s->term_off + sizeof *s->post_off + sizeof *s->post_mid +
                      sizeof *s->term_disp + sizeof *s->by_len);
    for (size_t t = 0; t < s->nterms; t++)
        m += strlen(s->terms + s->term_off[t]) + 1;
    m += (s->nterms ? s->post_off[s->nterms] : 0) * sizeof *s->post;
    m += s->nfac * (sizeof *s->fac_off + sizeof *s->fac_ref + 8);
    m += s->nvk * (sizeof *s->vk_off + sizeof *s->vk_concept + 12);
    m += SEARCH_WORDS_MAX * s->nareas * sizeof *s->area_w;
    return m;
}
const char *search_item_id(const search *s, int i) { return s->ids[i]; }
cat_kind search_item_kind(const search *s, int i) { return (cat_kind)s->kind[i]; }

const char *search_item_name(const search *s, int item, const cat_langs *pref,
                             cat_lang *used)
{
    char *t[CAT_NLANG];
    for (int l = 0; l < CAT_NLANG; l++)
        t[l] = s->name_off[item][l] ? s->names + s->name_off[item][l] - 1 : NULL;
    const char *r = cat_text_pick(t, pref, used);
    return r ? r : s->ids[item];
}

int search_area_known(const search *s, const char *area)
{
    return area_index(s, area) >= 0;
}

int search_find(const search *s, const char *id)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(s->ids[s->by_id[mid]], id);
        if (c == 0)
            return (int)s->by_id[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

const char *search_item_area(const search *s, int item)
{
    return s->area[item] >= 0 ? s->areas[s->area[item]].id : NULL;
}

void search_free(search *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        kc_free(s->ids[i]);
    for (size_t i = 0; i < s->nareas; i++) {
        kc_free(s->areas[i].id);
        kc_free(s->areas[i].city);
        for (int l = 0; l < CAT_NLANG; l++)
            kc_free(s->areas[i].name[l]);
    }
    search_free_terms(s);
    kc_free(s->ids);
    kc_free(s->rowid);
    kc_free(s->kind);
    kc_free(s->themes);
    kc_free(s->langs);
    kc_free(s->area);
    kc_free(s->names);
    kc_free(s->name_off);
    kc_free(s->fold);
    kc_free(s->fold_off);
    kc_free(s->pre);
    kc_free(s->words);
    kc_free(s->tri_off);
    kc_free(s->tri_post);
    kc_free(s->areas);
    kc_free(s->by_rowid);
    kc_free(s->by_id);
    for (int l = 0; l < CAT_NLANG; l++)
        kc_free(s->order[l]);
    kc_free(s->seen);
    kc_free(s);
}

/* --- querying ------------------------------------------------------------------ */

typedef struct qctx {
    search *s;
    const search_filter *f;
    int area_ix;          /* -1 any */
    const char *area_city;/* non-NULL when the filter area is a city */
    search_hit *hits;
    size_t max, n;
    const char *words[SEARCH_QUERY_MAX / 2 + 1];
    size_t wlen[SEARCH_QUERY_MAX / 2 + 1];
    size_t nw;
} qctx;

static int pass_filter(const qctx *q, size_t i)
{
    return search_passes_(q->s, q->f, q->area_ix, q->area_city, i);
}

/* All query words occur in the item's names. */
static int names_have_words(const qctx *q, size_t it)
{
    const search *s = q->s;
    const char *p = s->fold + s->fold_off[it];
    size_t len = s->fold_off[it + 1] - s->fold_off[it];
    for (size_t w = 0; w < q->nw; w++) {
        /* memmem is a GNU extension; strstr per segment keeps to C11. */
        int found = 0;
        for (const char *seg = p; seg < p + len && !found; seg += strlen(seg) + 1)
            found = strstr(seg, q->words[w]) != NULL;
        if (!found)
            return 0;
    }
    return 1;
}

static int take(qctx *q, size_t it, int tier)
{
    search *s = q->s;
    if (s->seen[it] == s->gen || !pass_filter(q, it))
        return 0;
    s->seen[it] = s->gen;
    q->hits[q->n].item = (int)it;
    q->hits[q->n].tier = tier;
    q->n++;
    return 1;
}

static size_t item_of_off(const search *s, uint32_t off)
{
    size_t lo = 0, hi = s->n;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (s->fold_off[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* First index in a sorted offset array whose text is >= key (prefix compare). */
static size_t lower_bound(const search *s, const uint32_t *arr, size_t n, const char *key,
                          size_t klen)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strncmp(s->fold + arr[mid], key, klen) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void tier_prefix(qctx *q, const char *key, size_t klen)
{
    search *s = q->s;
    size_t i = lower_bound(s, s->pre, s->npre, key, klen);
    for (; i < s->npre && q->n < q->max; i++) {
        if (strncmp(s->fold + s->pre[i], key, klen) != 0)
            break;
        size_t it = item_of_off(s, s->pre[i]);
        if (s->seen[it] != s->gen && names_have_words(q, it))
            take(q, it, 1);
    }
}

/* Inner word starts: the range can be large, so keep the best (lowest-numbered)
 * few in a small sorted buffer instead of taking them in text order. */
static void tier_word(qctx *q, const char *key, size_t klen)
{
    search *s = q->s;
    size_t want = q->max - q->n;
    if (!want)
        return;
    size_t best_n = 0;
    int best[64];
    if (want > 64)
        want = 64;
    size_t i = lower_bound(s, s->words, s->nwords, key, klen);
    for (; i < s->nwords; i++) {
        if (strncmp(s->fold + s->words[i], key, klen) != 0)
            break;
        size_t it = item_of_off(s, s->words[i]);
        if (s->seen[it] == s->gen || (best_n == want && (int)it >= best[want - 1]))
            continue;
        if (!pass_filter(q, it) || !names_have_words(q, it))
            continue;
        size_t j = best_n;
        int dup = 0;
        for (size_t k = 0; k < best_n; k++)
            dup |= best[k] == (int)it;
        if (dup)
            continue;
        if (best_n < want)
            best_n++;
        for (j = best_n - 1; j > 0 && best[j - 1] > (int)it; j--)
            best[j] = best[j - 1];
        best[j] = (int)it;
    }
    for (size_t k = 0; k < best_n; k++)
        take(q, (size_t)best[k], 2);
}

kc_err search_run(search *s, const char *query, const search_filter *f, const char *near,
                  search_hit *hits, size_t max, size_t *n, search_info *info, char *msg)
{
    *n = 0;
    info->total = 0;
    info->more = 0;
    info->suggest[0] = '\0';
    size_t qlen = strlen(query);
    if (qlen > SEARCH_QUERY_MAX) {
        qlen = SEARCH_QUERY_MAX;
        while (qlen > 0 && ((unsigned char)query[qlen] & 0xC0) == 0x80)
            qlen--;
    }
    char *folded = NULL;
    kc_err rc = fold_utf8(query, qlen, &folded);
    if (rc)
        return kc_fail(msg, rc, rc == KC_ENOMEM ? "search: out of memory"
                                                : "search: query is not valid UTF-8");
    /* A word of three letters or more: the scored search; else name starts only. */
    size_t letters = 0, longest = 0;
    for (const char *p = folded; *p && longest < 3; p++) {
        if (!is_wordch((unsigned char)*p))
            letters = 0;
        else if (((unsigned char)*p & 0xC0) != 0x80 && ++letters > longest)
            longest = letters;
    }
    if (longest >= 3) {
        kc_free(folded);
        char *low = NULL;
        if ((rc = fold_lower(query, qlen, &low)))
            return kc_fail(msg, rc, "search: out of memory");
        rc = search_rank(s, low, f, near, hits, max, n, info, msg);
        kc_free(low);
        return rc;
    }
    /* One or two letters: name and word starts, as keystrokes towards a word. */
    qctx q;
    memset(&q, 0, sizeof q);
    q.s = s;
    q.f = f;
    q.hits = hits;
    q.max = max;
    q.area_ix = -1;
    if (f && f->area) {
        q.area_ix = area_index(s, f->area);
        if (q.area_ix < 0) {  /* unknown area: nothing can match */
            kc_free(folded);
            return KC_OK;
        }
        if (s->areas[q.area_ix].is_city)
            q.area_city = s->areas[q.area_ix].city;
    }
    char *p = folded;
    while (*p && q.nw < sizeof q.words / sizeof q.words[0]) {
        while (*p && !is_wordch((unsigned char)*p))
            p++;
        if (!*p)
            break;
        char *start = p;
        while (*p && is_wordch((unsigned char)*p))
            p++;
        q.words[q.nw] = start;
        q.wlen[q.nw] = (size_t)(p - start);
        q.nw++;
        if (*p)
            *p++ = '\0';
    }
    if (q.nw && max) {
        if (++s->gen == 0) {  /* wrapped: old marks could collide with the new value */
            memset(s->seen, 0, s->n * sizeof *s->seen);
            s->gen = 1;
        }
        tier_prefix(&q, q.words[0], q.wlen[0]);
        if (q.n < max)
            tier_word(&q, q.words[0], q.wlen[0]);
    }
    kc_free(folded);
    for (size_t i = 0; i < q.n; i++)
        hits[i].lang = -1;
    *n = q.n;
    info->total = q.n;
    info->more = q.n == max;
    return KC_OK;
}

kc_err search_query(search *s, store *st, const char *query, const search_filter *f,
                    search_hit *hits, size_t max, size_t *n, char *msg)
{
    (void)st;
    search_info info;
    return search_run(s, query, f, NULL, hits, max, n, &info, msg);
}

int search_highlight(const char *q, const char *text, size_t *start, size_t *end)
{
    /* Bounded like a query: the first SEARCH_QUERY_MAX bytes and SEARCH_WORDS_MAX
     * words of q; any failure (invalid text, no memory) is "no highlight". */
    char *qf = NULL;
    size_t qlen = strnlen(q, SEARCH_QUERY_MAX);
    while (qlen > 0 && qlen < strlen(q) && ((unsigned char)q[qlen] & 0xC0) == 0x80)
        qlen--;
    if (fold_utf8(q, qlen, &qf))
        return 0;
    size_t tl = strlen(text), pos = 0, ws, we;
    int found = 0;
    while (!found && fold_next_word(text, tl, &pos, &ws, &we)) {
        char *tf = NULL;
        if (fold_utf8(text + ws, we - ws, &tf))
            continue;
        size_t qp = 0, qs, qe;
        int nw = 0;
        while (!found && nw++ < SEARCH_WORDS_MAX && fold_next_word(qf, strlen(qf), &qp, &qs, &qe))
            found = qe - qs <= strlen(tf) && !strncmp(tf, qf + qs, qe - qs);
        kc_free(tf);
        if (found) {
            *start = ws;
            *end = we;
        }
    }
    kc_free(qf);
    return found;
}

size_t search_browse(const search *s, const search_filter *f, cat_lang lang, int *out,
                     size_t max)
{
    qctx q;
    memset(&q, 0, sizeof q);
    q.s = (search *)s;
    q.f = f;
    q.area_ix = -1;
    if (f && f->area) {
        q.area_ix = area_index(s, f->area);
        if (q.area_ix < 0)
            return 0;
        if (s->areas[q.area_ix].is_city)
            q.area_city = s->areas[q.area_ix].city;
    }
    size_t count = 0;
    const uint32_t *order = s->order[(unsigned)lang < CAT_NLANG ? lang : CAT_FI];
    for (size_t k = 0; k < s->n; k++) {
        size_t i = order[k];
        if (!pass_filter(&q, i))
            continue;
        if (out && count < max)
            out[count] = (int)i;
        count++;
    }
    return count;
}

