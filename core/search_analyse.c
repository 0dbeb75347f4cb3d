/* The build-time analysis cache of the word index: each distinct (language, word) is
 * analysed once (tens of microseconds a word) into a record of its folded and
 * lower-case forms, base forms, compound parts and concepts, so an item then costs a
 * hash lookup per word.  Apart because both the terms (search_terms.c) and the facet
 * words (search_vocab.c) read words through it; it calls neither. */
#include "search_terms_impl.h"
#include "fold.h"

#include <stdio.h>

int search_collect_form_(void *ctx, const char *form, morph_kind kind)
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
const char *search_canon_of_(const bctx *b, uint32_t rec)
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

long search_vk_lower_bound_(const search *s, const char *key)
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
    for (size_t i = (size_t)search_vk_lower_bound_(s, key);
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
long search_analyse_(bctx *b, cat_lang lang, const char *raw, size_t n, uint32_t *rec)
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
    morph_forms(b->s->morph, lang, low, strlen(low), search_collect_form_, b);
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
     * (search_terms.c) looks phrases up only after such words. */
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
            size_t i = (size_t)search_vk_lower_bound_(b->s, pk);
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

int search_starts_phrase_(const bctx *b, uint32_t rec)
{
    const char *p = b->forms.p + rec;
    p += strlen(p) + 1;
    for (p += strlen(p) + 1; *p; p += strlen(p) + 1)
        if (*p == 'S')
            return 1;
    return 0;
}
