/* The two small dictionaries a query word is looked up in besides the terms: the
 * vocabulary keys (a word or phrase of canonical forms -> concept) and the facet words
 * (theme, target group, kind and area names -> the facet).  Apart from search_terms.c
 * because they come from the vocabulary and the areas, not from the items; both are
 * built before the items are indexed. */
#include "search_terms_impl.h"
#include "fold.h"

#include <stdio.h>

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
 * canonical form search_terms.c's index_text() uses). */
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
        morph_forms(b->s->morph, lang, low + ws, wl, search_collect_form_, b);
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

int search_build_vocab_keys_(bctx *b)
{
    search *s = b->s;
    for (size_t i = 0; i < vocab_count(b->v); i++)
        for (int l = 0; l < CAT_NLANG && !strchr(vocab_id(b->v, i), ':'); l++)  /* facets: below */
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
        long r = search_analyse_(b, lang, text + ws, we - ws, &rec);
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

int search_build_facets_(bctx *b)
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
