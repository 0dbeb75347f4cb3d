/* Building the word index of search: every word of names and descriptions with its
 * base forms, compound parts and vocabulary concepts; facet words (themes, target
 * groups, kinds, areas); the vocabulary keys that queries look up.
 *
 * Analysis is the expensive step (tens of microseconds a word), so each distinct
 * (language, word) is analysed once and its forms kept in a build-time cache; an item
 * then costs a hash lookup per word. */
#include "search_index.h"
#include "store_sql.h"
#include "fold.h"
#include "strmap.h"

#include <jansson.h>
#include <stdio.h>
#ifdef SEARCH_TIMING
#include <time.h>
#define TIMING_T(k) do { struct timespec ts_; clock_gettime(CLOCK_MONOTONIC, &ts_); \
    fprintf(stderr, "T%d %.1f\n", k, ts_.tv_sec * 1e3 + ts_.tv_nsec / 1e6); } while (0)
#else
#define TIMING_T(k) do { } while (0)
#endif

/* --- build context --------------------------------------------------------------- */

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

static int collect_form(void *ctx, const char *form, morph_kind kind)
{
    bctx *b = ctx;
    char *f = NULL;
    kc_err rc = fold_utf8(form, strlen(form), &f);
    if (rc == KC_ENOMEM) {
        b->oom = 1;
        return 1;
    }
    if (rc || strlen(f) > MORPH_WORD_MAX || strlen(f) < 2) {
        kc_free(f);
        return 0;
    }
    for (int i = 0; i < b->ntmp; i++)
        if (!strcmp(b->tmp[i], f)) {
            kc_free(f);
            return 0;
        }
    if (b->ntmp < QFORMS_MAX) {
        strcpy(b->tmp[b->ntmp], f);
        b->tmpk[b->ntmp++] = kind == MORPH_BASE ? 'B' : kind == MORPH_HEAD ? 'H' : 'P';
    }
    kc_free(f);
    return 0;
}

/* Canonical form of a word for vocabulary phrases: its first base form, else the
 * folded word. */
static const char *canon_of(const bctx *b, uint32_t rec)
{
    const char *p = b->forms.p + rec;
    const char *surface = p;
    p += strlen(p) + 1;
    p += strlen(p) + 1;
    while (*p) {
        if (*p == 'B')
            return p + 1;
        p += strlen(p) + 1;
    }
    return surface;
}

static long vk_lower_bound(const search *s, const char *key)
{
    size_t lo = 0, hi = s->nvk;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(s->vk_text + s->vk_off[mid], key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (long)lo;
}

/* Appends "C<n>" records for the concepts whose key is `key`. */
static int put_concepts(bctx *b, const char *key)
{
    const search *s = b->s;
    for (size_t i = (size_t)vk_lower_bound(s, key);
         i < s->nvk && !strcmp(s->vk_text + s->vk_off[i], key); i++) {
        char num[16];
        uint32_t off;
        int len = snprintf(num, sizeof num, "C%u", (unsigned)s->vk_concept[i]);
        if (arena_put(&b->forms, num, (size_t)len, &off))
            return -1;
    }
    return 0;
}

/* The cached analysis of one word as written (raw, n bytes) read as lang.  The key is
 * the raw word, so a word seen before costs one hash lookup and no Unicode work. */
static long analyse(bctx *b, cat_lang lang, const char *raw, size_t n, uint32_t *rec)
{
    char key[MORPH_WORD_MAX * 4 + 2];
    if (n > sizeof key - 2)
        return 0;  /* no real word; the caller skips it */
    key[0] = (char)('0' + lang);
    memcpy(key + 1, raw, n);
    long had = (long)strmap_count(b->wa);
    long id = strmap_get(b->wa, key, n + 1, 1, &b->oom);
    if (id < 0)
        return -1;
    if (id < had) {
        *rec = b->wa_rec[id];
        return *rec != UINT32_MAX;
    }
    if ((size_t)id >= b->wa_cap) {
        size_t nc = b->wa_cap ? b->wa_cap * 2 : 4096;
        uint32_t *nr = kc_realloc(b->wa_rec, nc * sizeof *nr);
        if (!nr)
            return -1;
        b->wa_rec = nr;
        b->wa_cap = nc;
    }
    b->wa_rec[id] = UINT32_MAX;  /* not a word (cannot be folded): skipped */
    char *f = NULL, *low = NULL;
    kc_err rc = fold_utf8(raw, n, &f);
    if (!rc)
        rc = fold_lower(raw, n, &low);
    if (rc) {
        kc_free(f);
        return rc == KC_ENOMEM ? -1 : 0;
    }
    b->ntmp = 0;
    morph_forms(b->s->morph, lang, low, strlen(low), collect_form, b);
    uint32_t off = 0;
    /* record: folded word, lower-case word (shown in "did you mean"), forms */
    int bad = b->oom || arena_put(&b->forms, f, strlen(f), &off);
    uint32_t o1;
    bad = bad || arena_put(&b->forms, low, strlen(low), &o1);
    kc_free(low);
    b->wa_rec[id] = off;
    for (int i = 0; !bad && i < b->ntmp; i++) {
        char one[MORPH_WORD_MAX + 2];
        uint32_t o2;
        if (!strcmp(b->tmp[i], f))
            continue;
        one[0] = b->tmpk[i];
        strcpy(one + 1, b->tmp[i]);
        bad = arena_put(&b->forms, one, strlen(one), &o2);
    }
    /* Concepts of the word as written, its base forms and the head of a compound
     * (a "seurakuntayhtymä" is no kunta). */
    if (!bad && b->s->nvk) {
        bad = put_concepts(b, f);
        for (int i = 0; !bad && i < b->ntmp; i++)
            if (b->tmpk[i] != 'P')
                bad = put_concepts(b, b->tmp[i]);
    }
    /* 'S' when the word's canonical form begins a vocabulary phrase, so index_text()
     * looks phrases up only after such words. */
    if (!bad && b->s->nvk) {
        const char *canon = f;
        for (int i = 0; i < b->ntmp; i++)
            if (b->tmpk[i] == 'B') {
                canon = b->tmp[i];
                break;
            }
        char pk[MORPH_WORD_MAX * 4 + 2];
        size_t cl = strlen(canon);
        if (cl < sizeof pk - 1) {
            memcpy(pk, canon, cl);
            pk[cl] = ' ';
            pk[cl + 1] = '\0';
            size_t i = (size_t)vk_lower_bound(b->s, pk);
            uint32_t o4;
            if (i < b->s->nvk && !strncmp(b->s->vk_text + b->s->vk_off[i], pk, cl + 1))
                bad = arena_put(&b->forms, "S", 1, &o4);
        }
    }
    uint32_t o3;
    kc_free(f);
    if (bad || arena_put(&b->forms, "", 0, &o3))
        return -1;
    *rec = b->wa_rec[id];
    return 1;
}

static int starts_phrase(const bctx *b, uint32_t rec)
{
    const char *p = b->forms.p + rec;
    p += strlen(p) + 1;
    for (p += strlen(p) + 1; *p; p += strlen(p) + 1)
        if (*p == 'S')
            return 1;
    return 0;
}

/* --- terms and postings ------------------------------------------------------------ */

static int emit(bctx *b, const char *term, size_t tlen, uint32_t item, int inner, int cls,
                int how, int lang, const char *low, size_t lowlen)
{
    long had = (long)strmap_count(b->terms);
    long t = strmap_get(b->terms, term, tlen, 1, &b->oom);
    if (t < 0)
        return -1;
    if (t >= had) {
        if ((size_t)t >= b->tcap) {
            size_t nc = b->tcap ? b->tcap * 2 : 4096;
            uint32_t *a = kc_realloc(b->last_item, nc * sizeof *a);
            if (a)
                b->last_item = a;
            uint32_t *c = a ? kc_realloc(b->last_pos, nc * sizeof *c) : NULL;
            if (c)
                b->last_pos = c;
            uint32_t *d = c ? kc_realloc(b->tdisp, nc * sizeof *d) : NULL;
            if (!d)
                return -1;
            b->tdisp = d;
            b->tcap = nc;
        }
        b->last_item[t] = UINT32_MAX;
        b->tdisp[t] = 0;
    }
    if (!b->tdisp[t] && how == HOW_EXACT && low) {
        uint32_t off;
        if (arena_put(&b->disp, low, lowlen, &off))
            return -1;
        b->tdisp[t] = off + 1;
    }
    uint32_t p = POST(item, inner, cls, how, lang);
    if (b->last_item[t] == item) {  /* one posting per item: keep the best */
        if (POST_RANK(p) < POST_RANK(b->pp[b->last_pos[t]]))
            b->pp[b->last_pos[t]] = p;
        return 0;
    }
    if (b->np == b->pcap) {
        size_t nc = b->pcap ? b->pcap * 2 : 1 << 16;
        uint32_t *a = kc_realloc(b->pt, nc * sizeof *a);
        if (a)
            b->pt = a;
        uint32_t *c = a ? kc_realloc(b->pp, nc * sizeof *c) : NULL;
        if (!c)
            return -1;
        b->pp = c;
        b->pcap = nc;
    }
    b->last_item[t] = item;
    b->last_pos[t] = (uint32_t)b->np;
    b->pt[b->np] = (uint32_t)t;
    b->pp[b->np++] = p;
    return 0;
}

static int emit_rec(bctx *b, uint32_t rec, uint32_t item, int inner, int cls, int lang)
{
    const char *p = b->forms.p + rec;
    const char *low = p + strlen(p) + 1;
    if (emit(b, p, strlen(p), item, inner, cls, HOW_EXACT, lang, low, strlen(low)))
        return -1;
    p = low + strlen(low) + 1;
    for (; *p; p += strlen(p) + 1) {
        if (*p == 'S')
            continue;
        int how = *p == 'B' ? HOW_BASE : *p == 'C' ? HOW_CONCEPT : HOW_PART;
        char ct[16];
        const char *t = p + 1;
        if (how == HOW_CONCEPT) {  /* concept terms start with \1: no query word can */
            snprintf(ct, sizeof ct, "\001%s", p + 1);
            t = ct;
        }
        /* a concept or a part is never "the first word" */
        if (emit(b, t, strlen(t), item, 1, cls, how, lang, NULL, 0))
            return -1;
    }
    return 0;
}

/* Concepts named by a phrase of canonical forms ("older people"). */
static int emit_phrase(bctx *b, const char *key, uint32_t item, int cls, int lang)
{
    const search *s = b->s;
    for (size_t i = (size_t)vk_lower_bound(s, key);
         i < s->nvk && !strcmp(s->vk_text + s->vk_off[i], key); i++) {
        char ct[16];
        snprintf(ct, sizeof ct, "\001%u", (unsigned)s->vk_concept[i]);
        if (emit(b, ct, strlen(ct), item, 1, cls, HOW_CONCEPT, lang, NULL, 0))
            return -1;
    }
    return 0;
}

/* Copies "a b" or "a b c" into key (sized for three words) for a phrase lookup. */
static void phrase_key(char *key, const char *a, const char *b2, const char *c)
{
    size_t o = 0;
    const char *w[3] = { a, b2, c };
    for (int i = 0; i < 3 && w[i]; i++) {
        size_t l = strlen(w[i]);
        if (l > MORPH_WORD_MAX * 4)
            l = MORPH_WORD_MAX * 4;
        if (i)
            key[o++] = ' ';
        memcpy(key + o, w[i], l);
        o += l;
    }
    key[o] = '\0';
}

/* Indexes one text of an item: every word, and two- and three-word phrases that are
 * vocabulary terms. */
static int index_text(bctx *b, const char *text, size_t len, uint32_t item, int cls,
                      cat_lang lang, int *nwords)
{
    size_t pos = 0, ws, we;
    /* The previous two words as analysis records (offsets stay valid when the
     * forms arena moves; pointers would not). */
    uint32_t prev[2] = { UINT32_MAX, UINT32_MAX };
    int words = 0, bad = 0;
    while (!bad && fold_next_word(text, len, &pos, &ws, &we)) {
        uint32_t rec;
        long r = analyse(b, lang, text + ws, we - ws, &rec);
        if (r < 0) {
            bad = 1;
            break;
        }
        if (r == 0)
            continue;
        words++;
        /* One- and two-letter words of running text ("ja", "i", "of") find nothing
         * useful and would be the longest lists. */
        if (cls != CLS_DESC || strlen(b->forms.p + rec) > 2)
            bad = emit_rec(b, rec, item, words > 1 || cls != CLS_NAME, cls, lang);
        char key[3 * (MORPH_WORD_MAX * 4 + 1) + 1];
        if (!bad && prev[1] != UINT32_MAX && starts_phrase(b, prev[1])) {
            phrase_key(key, canon_of(b, prev[1]), canon_of(b, rec), NULL);
            bad = emit_phrase(b, key, item, cls, lang);
        }
        if (!bad && prev[0] != UINT32_MAX && starts_phrase(b, prev[0])) {
            phrase_key(key, canon_of(b, prev[0]), canon_of(b, prev[1]), canon_of(b, rec));
            bad = emit_phrase(b, key, item, cls, lang);
        }
        prev[0] = prev[1];
        prev[1] = rec;
    }
    if (nwords)
        *nwords = words;
    return bad ? -1 : 0;
}

/* --- vocabulary keys ------------------------------------------------------------------ */

static int vk_add(bctx *b, const char *key, size_t concept)
{
    if (b->nv == b->vcap) {
        size_t nc = b->vcap ? b->vcap * 2 : 1024;
        uint32_t *a = kc_realloc(b->voff, nc * sizeof *a);
        if (a)
            b->voff = a;
        uint16_t *c = a ? kc_realloc(b->vcon, nc * sizeof *c) : NULL;
        if (!c)
            return -1;
        b->vcon = c;
        b->vcap = nc;
    }
    if (arena_put(&b->vtext, key, strlen(key), &b->voff[b->nv]))
        return -1;
    b->vcon[b->nv++] = (uint16_t)concept;
    return 0;
}

/* Keys of one vocabulary term: a single word by its folded form and its base forms;
 * a phrase by the canonical forms of its words joined with spaces (the same
 * canonical form index_text() uses). */
static int vk_term(bctx *b, const char *term, cat_lang lang, size_t concept)
{
    char *low = NULL;
    if (fold_lower(term, strlen(term), &low))
        return -1;
    size_t llen = strlen(low), pos = 0, ws, we;
    char key[3 * (MORPH_WORD_MAX + 1) + 1] = "";
    char one[QFORMS_MAX + 1][MORPH_WORD_MAX + 1];  /* keys of a one-word term */
    int none = 0, words = 0, bad = 0;
    while (!bad && fold_next_word(low, llen, &pos, &ws, &we)) {
        char *f = NULL;
        size_t wl = we - ws;
        if (wl > MORPH_WORD_MAX || fold_utf8(low + ws, wl, &f)) {
            bad = !f && wl <= MORPH_WORD_MAX;
            kc_free(f);
            words = 99;  /* not a usable key */
            break;
        }
        b->ntmp = 0;
        morph_forms(b->s->morph, lang, low + ws, wl, collect_form, b);
        const char *canon = f;
        for (int i = 0; i < b->ntmp; i++)
            if (b->tmpk[i] == 'B') {
                canon = b->tmp[i];
                break;
            }
        if (words == 0 && strlen(f) <= MORPH_WORD_MAX) {
            /* a one-word term also answers to its written form and every base form */
            strcpy(one[none++], f);
            for (int i = 0; i < b->ntmp; i++)
                if (b->tmpk[i] == 'B')
                    strcpy(one[none++], b->tmp[i]);
        }
        if (words < 3) {
            size_t kl = strlen(key);
            snprintf(key + kl, sizeof key - kl, "%s%s", words ? " " : "", canon);
        }
        words++;
        kc_free(f);
    }
    kc_free(low);
    for (int i = 0; !bad && words == 1 && i < none; i++)
        bad = vk_add(b, one[i], concept);
    if (!bad && words >= 2 && words <= 3)
        bad = vk_add(b, key, concept);
    return bad || b->oom ? -1 : 0;
}

typedef struct vksort {
    const char *k;
    uint16_t c;
} vksort;

static int cmp_vk(const void *x, const void *y)
{
    const vksort *a = x, *b = y;
    int c = strcmp(a->k, b->k);
    return c ? c : (a->c > b->c) - (a->c < b->c);
}

static int build_vocab_keys(bctx *b)
{
    search *s = b->s;
    for (size_t i = 0; i < vocab_count(b->v); i++)
        for (int l = 0; l < CAT_NLANG && !strchr(vocab_id(b->v, i), ':'); l++)  /* facets: build_facets() */
            for (size_t k = 0; k < vocab_nterms(b->v, i, (cat_lang)l); k++)
                if (vk_term(b, vocab_term(b->v, i, (cat_lang)l, k), (cat_lang)l, i))
                    return -1;
    vksort *e = kc_malloc((b->nv ? b->nv : 1) * sizeof *e);
    s->vk_off = kc_malloc((b->nv ? b->nv : 1) * sizeof *s->vk_off);
    s->vk_concept = kc_malloc((b->nv ? b->nv : 1) * sizeof *s->vk_concept);
    if (!e || !s->vk_off || !s->vk_concept) {
        kc_free(e);
        return -1;
    }
    for (size_t i = 0; i < b->nv; i++) {
        e[i].k = b->vtext.p + b->voff[i];
        e[i].c = b->vcon[i];
    }
    qsort(e, b->nv, sizeof *e, cmp_vk);
    size_t n = 0;
    for (size_t i = 0; i < b->nv; i++) {
        if (n && !strcmp(e[i].k, b->vtext.p + s->vk_off[n - 1]) &&
            e[i].c == s->vk_concept[n - 1])
            continue;
        s->vk_off[n] = (uint32_t)(e[i].k - b->vtext.p);
        s->vk_concept[n++] = e[i].c;
    }
    kc_free(e);
    s->nvk = n;
    s->vk_text = b->vtext.p;
    b->vtext.p = NULL;
    return 0;
}

/* --- facets ------------------------------------------------------------------------------ */

static int fac_add(bctx *b, const char *text, uint32_t ref)
{
    if (b->nf == b->fcap) {
        size_t nc = b->fcap ? b->fcap * 2 : 1024;
        uint32_t *a = kc_realloc(b->foff, nc * sizeof *a);
        if (a)
            b->foff = a;
        uint32_t *c = a ? kc_realloc(b->fref, nc * sizeof *c) : NULL;
        if (!c)
            return -1;
        b->fref = c;
        b->fcap = nc;
    }
    if (arena_put(&b->ftext, text, strlen(text), &b->foff[b->nf]))
        return -1;
    b->fref[b->nf++] = ref;
    return 0;
}

static int fac_text(bctx *b, const char *text, cat_lang lang, int type, uint32_t ix)
{
    size_t len = strlen(text), pos = 0, ws, we;
    int bad = 0;
    while (!bad && fold_next_word(text, len, &pos, &ws, &we)) {
        uint32_t rec;
        long r = analyse(b, lang, text + ws, we - ws, &rec);
        if (r <= 0) {
            bad = r < 0;
            continue;
        }
        const char *p = b->forms.p + rec;
        bad = fac_add(b, p, FAC_REF(type, HOW_EXACT, ix));
        p += strlen(p) + 1;  /* the lower-case word */
        for (p += strlen(p) + 1; !bad && *p; p += strlen(p) + 1)
            if (*p == 'B' || *p == 'P' || *p == 'H')
                bad = fac_add(b, p + 1, FAC_REF(type, *p == 'B' ? HOW_BASE : HOW_PART, ix));
    }
    return bad ? -1 : 0;
}

typedef struct fsort {
    const char *t;
    uint32_t ref;
} fsort;

static int cmp_fs(const void *x, const void *y)
{
    const fsort *a = x, *b = y;
    int c = strcmp(a->t, b->t);
    return c ? c : (a->ref > b->ref) - (a->ref < b->ref);
}

static int build_facets(bctx *b)
{
    search *s = b->s;
    const char *const *groups = cat_fields[CAT_F_TARGET_GROUPS].enum_vals;
    for (size_t i = 0; i < vocab_count(b->v); i++) {
        const char *id = vocab_id(b->v, i);
        int type = -1, ix = -1;
        if (!strncmp(id, "theme:", 6)) {
            type = FAC_THEME;
            ix = cat_enum_index(cat_themes, id + 6);
        } else if (!strncmp(id, "group:", 6)) {
            type = FAC_GROUP;
            ix = cat_enum_index(groups, id + 6);
        } else if (!strncmp(id, "kind:", 5)) {
            type = FAC_KIND;
            ix = cat_kind_from_name(id + 5);
        }
        if (type < 0 || ix < 0)
            continue;
        for (int l = 0; l < CAT_NLANG; l++)
            for (size_t k = 0; k < vocab_nterms(b->v, i, (cat_lang)l); k++)
                if (fac_text(b, vocab_term(b->v, i, (cat_lang)l, k), (cat_lang)l, type,
                             (uint32_t)ix))
                    return -1;
    }
    for (size_t a = 0; a < s->nareas; a++)
        for (int l = 0; l < CAT_NLANG; l++)
            if (s->areas[a].name[l] &&
                fac_text(b, s->areas[a].name[l], (cat_lang)l, FAC_AREA, (uint32_t)a))
                return -1;
    fsort *e = kc_malloc((b->nf ? b->nf : 1) * sizeof *e);
    s->fac_off = kc_malloc((b->nf ? b->nf : 1) * sizeof *s->fac_off);
    s->fac_ref = kc_malloc((b->nf ? b->nf : 1) * sizeof *s->fac_ref);
    if (!e || !s->fac_off || !s->fac_ref) {
        kc_free(e);
        return -1;
    }
    for (size_t i = 0; i < b->nf; i++) {
        e[i].t = b->ftext.p + b->foff[i];
        e[i].ref = b->fref[i];
    }
    qsort(e, b->nf, sizeof *e, cmp_fs);
    size_t n = 0;
    for (size_t i = 0; i < b->nf; i++) {
        if (n && !strcmp(e[i].t, b->ftext.p + s->fac_off[n - 1]) &&
            e[i].ref == s->fac_ref[n - 1])
            continue;
        s->fac_off[n] = (uint32_t)(e[i].t - b->ftext.p);
        s->fac_ref[n++] = e[i].ref;
    }
    kc_free(e);
    s->nfac = n;
    s->fac_text = b->ftext.p;
    b->ftext.p = NULL;
    return 0;
}

/* --- items ------------------------------------------------------------------------------- */

static unsigned group_bits(const char *json)
{
    unsigned bits = 0;
    json_error_t err;
    json_t *a = json ? json_loads(json, 0, &err) : NULL;
    size_t i;
    json_t *v;
    const char *const *groups = cat_fields[CAT_F_TARGET_GROUPS].enum_vals;
    json_array_foreach(a, i, v) {
        int ix = json_is_string(v) ? cat_enum_index(groups, json_string_value(v)) : -1;
        if (ix >= 0 && ix < 16)
            bits |= 1u << ix;
    }
    json_decref(a);
    return bits;
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

static kc_err index_items(bctx *b, store *st, char *msg)
{
    search *s = b->s;
    sqlite3 *db = store_db(st);
    sqlite3_stmt *q = NULL;
    /* In storage order (a sequential read); postings need no order within a term,
     * only one per item, and an item's words are indexed together. */
    const char *sql = "SELECT id, name_fi, name_sv, name_en, "
                      "json_extract(body, '$.description.fi'), "
                      "json_extract(body, '$.description.sv'), "
                      "json_extract(body, '$.description.en'), "
                      "json_extract(body, '$.target_groups') FROM item WHERE deleted = 0";
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        return kc_fail(msg, KC_EDB, "search: reading texts: %s", sqlite3_errmsg(db));
    kc_err rc = KC_OK;
    int r;
    while (!rc && (r = sqlite3_step(q)) == SQLITE_ROW) {
        int i = item_of_rowid(s, sqlite3_column_int64(q, 0));
        if (i < 0)  /* added since the names were read: the next build takes it */
            continue;
        int minw = 255;
        for (int c = 0; c < 6 && !rc; c++) {
            const char *t = (const char *)sqlite3_column_text(q, 1 + c);
            if (!t)
                continue;
            int nw = 0;
            if (index_text(b, t, (size_t)sqlite3_column_bytes(q, 1 + c), (uint32_t)i,
                           c < 3 ? CLS_NAME : CLS_DESC, (cat_lang)(c % 3), &nw))
                rc = kc_fail(msg, KC_ENOMEM, "search: out of memory");
            if (c < 3 && nw > 0 && nw < minw)
                minw = nw;
        }
        s->name_words[i] = (uint8_t)(minw == 255 ? 1 : minw);
        s->groups[i] = (uint16_t)group_bits((const char *)sqlite3_column_text(q, 7));
    }
    if (!rc && r != SQLITE_DONE)
        rc = kc_fail(msg, KC_EDB, "search: reading texts: %s", sqlite3_errmsg(db));
    sqlite3_finalize(q);
    return rc;
}

/* Sorts the terms by text, renumbers them and lays the postings out per term. */
static kc_err finish_terms(bctx *b)
{
    search *s = b->s;
    size_t nt = strmap_count(b->terms);
    fsort *e = kc_malloc((nt ? nt : 1) * sizeof *e);
    uint32_t *newid = kc_malloc((nt ? nt : 1) * sizeof *newid);
    s->term_off = kc_malloc((nt ? nt : 1) * sizeof *s->term_off);
    s->term_disp = kc_malloc((nt ? nt : 1) * sizeof *s->term_disp);
    s->post_off = kc_calloc(nt + 2, sizeof *s->post_off);
    s->post_mid = kc_calloc(nt ? nt : 1, sizeof *s->post_mid);
    s->post = kc_malloc((b->np ? b->np : 1) * sizeof *s->post);
    s->by_len = kc_malloc((nt ? nt : 1) * sizeof *s->by_len);
    if (!e || !newid || !s->term_off || !s->term_disp || !s->post_off || !s->post ||
        !s->by_len || !s->post_mid) {
        kc_free(e);
        kc_free(newid);
        return KC_ENOMEM;
    }
    for (size_t i = 0; i < nt; i++) {
        e[i].t = strmap_key(b->terms, i);
        e[i].ref = (uint32_t)i;
    }
    qsort(e, nt, sizeof *e, cmp_fs);
    for (size_t i = 0; i < nt; i++) {
        newid[e[i].ref] = (uint32_t)i;
        s->term_off[i] = strmap_key_off(b->terms, e[i].ref);
        s->term_disp[i] = b->tdisp[e[i].ref];
    }
    kc_free(e);
    /* Counting sort by term, name postings before description postings, so a query
     * can walk the names of a term alone (post_mid splits them).  A word in the
     * descriptions of more than an eighth of a large catalog ("jag", "and",
     * "toiminta") is a stop word there: its description postings are dropped (at
     * 100 000 generated items, a sixth of all postings or 2.5 MB; such a word tells
     * little about which item is meant, and names and facets still find it). */
    uint32_t *dfill = kc_calloc(nt ? nt : 1, sizeof *dfill);
    uint32_t *nfill = kc_calloc(nt ? nt : 1, sizeof *nfill);
    if (!dfill || !nfill) {
        kc_free(dfill);
        kc_free(nfill);
        kc_free(newid);
        return KC_ENOMEM;
    }
    for (size_t i = 0; i < b->np; i++) {
        if (POST_CLS(b->pp[i]) == CLS_NAME)
            nfill[newid[b->pt[i]]]++;
        else
            dfill[newid[b->pt[i]]]++;
    }
    size_t stop = s->n >= 1000 ? s->n / 8 : SIZE_MAX;
    for (size_t t = 0; t < nt; t++) {
        if (dfill[t] > stop)
            dfill[t] = 0;
        s->post_mid[t] = s->post_off[t] + nfill[t];
        s->post_off[t + 1] = s->post_mid[t] + dfill[t];
        nfill[t] = s->post_off[t];                              /* cursors */
        dfill[t] = dfill[t] ? s->post_mid[t] : UINT32_MAX;      /* UINT32_MAX: dropped */
    }
    for (size_t i = 0; i < b->np; i++) {
        uint32_t t = newid[b->pt[i]];
        if (POST_CLS(b->pp[i]) == CLS_NAME)
            s->post[nfill[t]++] = b->pp[i];
        else if (dfill[t] != UINT32_MAX)
            s->post[dfill[t]++] = b->pp[i];
    }
    kc_free(nfill);
    kc_free(dfill);
    kc_free(newid);
    s->nterms = nt;
    s->terms = strmap_take_keys(b->terms);
    s->disp = b->disp.p;
    b->disp.p = NULL;
    /* Terms by length for typo search (concept terms left out). */
    memset(s->len_off, 0, sizeof s->len_off);
    for (size_t t = 0; t < nt; t++) {
        const char *x = s->terms + s->term_off[t];
        size_t l = strlen(x);
        if (x[0] != '\001' && l <= TERM_LEN_MAX)
            s->len_off[l + 1]++;
    }
    for (size_t l = 0; l <= TERM_LEN_MAX; l++)
        s->len_off[l + 1] += s->len_off[l];
    uint32_t fill[TERM_LEN_MAX + 1];
    memcpy(fill, s->len_off, sizeof fill);
    for (size_t t = 0; t < nt; t++) {
        const char *x = s->terms + s->term_off[t];
        size_t l = strlen(x);
        if (x[0] != '\001' && l <= TERM_LEN_MAX)
            s->by_len[fill[l]++] = (uint32_t)t;
    }
    return KC_OK;
}

static void bctx_free(bctx *b)
{
    strmap_free(b->wa);
    kc_free(b->wa_rec);
    kc_free(b->forms.p);
    strmap_free(b->terms);
    kc_free(b->last_item);
    kc_free(b->last_pos);
    kc_free(b->tdisp);
    kc_free(b->disp.p);
    kc_free(b->pt);
    kc_free(b->pp);
    kc_free(b->ftext.p);
    kc_free(b->foff);
    kc_free(b->fref);
    kc_free(b->vtext.p);
    kc_free(b->voff);
    kc_free(b->vcon);
    vocab_free(b->v);
}

static uint32_t id_hash(const char *id)
{
    uint32_t h = strmap_hash(id, strlen(id));
    h ^= h >> 15;  /* FNV's low bits are weak; mix before using the whole word */
    h *= 0x2c1b3c6dU;
    h ^= h >> 12;
    return h;
}

kc_err search_build_terms(search *s, store *st, const int64_t *rowids, char *msg)
{
    (void)rowids;
    bctx b;
    memset(&b, 0, sizeof b);
    b.s = s;
    kc_err rc;
    if ((rc = morph_new(&s->morph, msg)))
        return rc;
    if ((rc = vocab_load(&b.v, msg)))
        return rc;
    b.wa = strmap_new();
    b.terms = strmap_new();
    size_t n = s->n ? s->n : 1;
    s->groups = kc_calloc(n, sizeof *s->groups);
    s->name_words = kc_calloc(n, sizeof *s->name_words);
    s->tiebreak = kc_malloc(n * sizeof *s->tiebreak);
    s->qi = kc_calloc(n, sizeof *s->qi);
    s->cand = kc_malloc(n * sizeof *s->cand);
    s->area_w = kc_calloc(SEARCH_WORDS_MAX * (s->nareas ? s->nareas : 1), sizeof *s->area_w);
    if (!b.wa || !b.terms || !s->groups || !s->name_words || !s->tiebreak || !s->qi ||
        !s->cand || !s->area_w)
        goto nomem;
    if (s->n >= SEARCH_ITEMS_MAX) {
        bctx_free(&b);
        return kc_fail(msg, KC_ETOOBIG, "search: more than %u items", SEARCH_ITEMS_MAX);
    }
    for (size_t i = 0; i < s->n; i++)
        s->tiebreak[i] = id_hash(s->ids[i]);
    TIMING_T(0);
    if (build_vocab_keys(&b) || build_facets(&b))
        goto nomem;
    TIMING_T(1);
    if ((rc = index_items(&b, st, msg))) {
        bctx_free(&b);
        return rc;
    }
    TIMING_T(2);
    if (finish_terms(&b))
        goto nomem;
    TIMING_T(3);
    bctx_free(&b);
    return KC_OK;
nomem:
    bctx_free(&b);
    return kc_fail(msg, KC_ENOMEM, "search: out of memory");
}

void search_free_terms(search *s)
{
    kc_free(s->terms);
    kc_free(s->term_off);
    kc_free(s->post_off);
    kc_free(s->post_mid);
    kc_free(s->post);
    kc_free(s->disp);
    kc_free(s->term_disp);
    kc_free(s->by_len);
    kc_free(s->groups);
    kc_free(s->name_words);
    kc_free(s->tiebreak);
    kc_free(s->fac_text);
    kc_free(s->fac_off);
    kc_free(s->fac_ref);
    kc_free(s->vk_text);
    kc_free(s->vk_off);
    kc_free(s->vk_concept);
    morph_free(s->morph);
    kc_free(s->qi);
    kc_free(s->cand);
    kc_free(s->area_w);
}
