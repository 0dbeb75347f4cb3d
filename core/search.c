#include "search_impl.h"
#include "fold.h"

#include <stdio.h>

size_t search_count(const search *s) { return s->n; }
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
    }
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
    const search *s = q->s;
    const search_filter *f = q->f;
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
        if (a != q->area_ix &&
            !(q->area_city && strcmp(s->areas[a].city, q->area_city) == 0))
            return 0;
    }
    return 1;
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

static void tier_inside(qctx *q)
{
    search *s = q->s;
    /* Candidates from the rarest trigram of the longest word. */
    size_t lw = 0;
    for (size_t w = 1; w < q->nw; w++)
        if (q->wlen[w] > q->wlen[lw])
            lw = w;
    if (q->wlen[lw] < 3)
        return;
    const char *word = q->words[lw];
    unsigned bestk = 0;
    uint32_t bestn = UINT32_MAX;
    for (size_t i = 0; i + 2 < q->wlen[lw]; i++) {
        unsigned k = tri_key(word + i);
        uint32_t cnt = s->tri_off[k + 1] - s->tri_off[k];
        if (cnt < bestn) {
            bestn = cnt;
            bestk = k;
        }
    }
    for (uint32_t p = s->tri_off[bestk]; p < s->tri_off[bestk + 1] && q->n < q->max; p++) {
        size_t it = s->tri_post[p];
        if (s->seen[it] != s->gen && pass_filter(q, it) && names_have_words(q, it))
            take(q, it, 3);
    }
}

static int item_of_rowid(const search *s, int64_t rowid)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((s->by_rowid[mid] >> 32) < rowid)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->n && (s->by_rowid[lo] >> 32) == rowid)
        return (int)(s->by_rowid[lo] & 0xFFFFFFFF);
    return -1;
}

static kc_err tier_text(qctx *q, store *st, char *msg)
{
    /* FTS5 query: every word of 3+ bytes as a quoted phrase, ANDed.  The buffer is
     * sized from the words themselves (each byte may be doubled by quoting, plus two
     * quotes and " AND "), so no query can outgrow it. */
    size_t cap = 1;
    for (size_t w = 0; w < q->nw; w++)
        cap += 2 * q->wlen[w] + 7;
    char *expr = kc_malloc(cap);
    if (!expr)
        return kc_fail(msg, KC_ENOMEM, "search: out of memory");
    size_t e = 0;
    for (size_t w = 0; w < q->nw; w++) {
        if (q->wlen[w] < 3)
            continue;
        if (e) {
            memcpy(expr + e, " AND ", 5);
            e += 5;
        }
        expr[e++] = '"';
        for (size_t i = 0; i < q->wlen[w]; i++) {
            if (q->words[w][i] == '"')
                expr[e++] = '"';
            expr[e++] = q->words[w][i];
        }
        expr[e++] = '"';
    }
    expr[e] = '\0';
    if (!e) {
        kc_free(expr);
        return KC_OK;
    }
    sqlite3 *db = store_db(st);
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db, "SELECT rowid FROM item_text WHERE item_text MATCH ?", -1,
                           &stmt, NULL) != SQLITE_OK) {
        kc_free(expr);
        return kc_fail(msg, KC_EDB, "search: %s", sqlite3_errmsg(db));
    }
    sqlite3_bind_text(stmt, 1, expr, (int)e, SQLITE_STATIC);
    int r;
    kc_err rc = KC_OK;
    while (q->n < q->max && (r = sqlite3_step(stmt)) == SQLITE_ROW) {
        int it = item_of_rowid(q->s, sqlite3_column_int64(stmt, 0));
        if (it >= 0)
            take(q, (size_t)it, 4);
    }
    if (q->n < q->max && r != SQLITE_DONE)
        rc = kc_fail(msg, KC_EDB, "search: %s", sqlite3_errmsg(db));
    sqlite3_finalize(stmt);
    kc_free(expr);
    return rc;
}

kc_err search_query(search *s, store *st, const char *query, const search_filter *f,
                    search_hit *hits, size_t max, size_t *n, char *msg)
{
    *n = 0;
    size_t qlen = strlen(query);
    if (qlen > SEARCH_QUERY_MAX) {
        qlen = SEARCH_QUERY_MAX;
        while (qlen > 0 && ((unsigned char)query[qlen] & 0xC0) == 0x80)
            qlen--;
    }
    char *folded = NULL;
    kc_err rc = fold_utf8(query, qlen, &folded);
    if (rc)
        return kc_fail(msg, rc, "search: query is not valid UTF-8");
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
    /* Split into words on anything that is not a word character. */
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
    if (q.nw == 0 || max == 0) {
        kc_free(folded);
        return KC_OK;
    }
    if (++s->gen == 0) {  /* wrapped: old marks could collide with the new value */
        memset(s->seen, 0, s->n * sizeof *s->seen);
        s->gen = 1;
    }
    /* Tiers 1 and 2 look for the first word at a start; the rest must occur too. */
    tier_prefix(&q, q.words[0], q.wlen[0]);
    if (q.n < max)
        tier_word(&q, q.words[0], q.wlen[0]);
    size_t total = 0;
    for (size_t w = 0; w < q.nw; w++)
        total += q.wlen[w];
    if (q.n < max && total >= 3)
        tier_inside(&q);
    if (q.n < max && st && total >= SEARCH_TEXT_MIN)
        rc = tier_text(&q, st, msg);
    kc_free(folded);
    *n = q.n;
    return rc;
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

