#include "morph.h"

#include <libstemmer.h>
#include <libvoikko/voikko.h>
#include <string.h>

struct morph {
    struct VoikkoHandle *fi;
    struct sb_stemmer *sv, *en;
};

kc_err morph_new(morph **out, char *msg)
{
    *out = NULL;
    morph *m = kc_calloc(1, sizeof *m);
    if (!m)
        return kc_fail(msg, KC_ENOMEM, "morph: out of memory");
    const char *err = NULL;
    m->fi = voikkoInit(&err, "fi", NULL);
    if (!m->fi) {
        kc_fail(msg, KC_EINVAL, "morph: no Finnish analyser (%s); install voikko-fi",
                err ? err : "unknown error");
        kc_free(m);
        return KC_EINVAL;
    }
    /* Whole words only: a query word has no sentence around it. */
    voikkoSetBooleanOption(m->fi, VOIKKO_OPT_IGNORE_DOT, 1);
    m->sv = sb_stemmer_new("swedish", "UTF_8");
    m->en = sb_stemmer_new("english", "UTF_8");
    if (!m->sv || !m->en) {
        morph_free(m);
        return kc_fail(msg, KC_ENOMEM, "morph: cannot open the Snowball stemmers");
    }
    *out = m;
    return KC_OK;
}

void morph_free(morph *m)
{
    if (!m)
        return;
    if (m->fi)
        voikkoTerminate(m->fi);
    if (m->sv)
        sb_stemmer_delete(m->sv);
    if (m->en)
        sb_stemmer_delete(m->en);
    kc_free(m);
}

/* WORDBASES looks like "+mies(mies)+kuoro(kuoro)" or "+vapaa+ehto(ehto)+is(+inen)+työ(työ)":
 * one segment per morpheme, the base form in parentheses, derivational suffixes with
 * a "+" inside them, "=" marking a boundary inside a base ("Ylö=järvi").  The parts
 * are the non-suffix segments; a word of one part is not a compound. */
static int compound_parts(const char *wb, morph_fn fn, void *ctx)
{
    char parts[8][MORPH_WORD_MAX + 1];
    int np = 0;
    const char *p = wb;
    while (*p && np < 8) {
        if (*p != '+') {
            p++;
            continue;
        }
        p++;
        const char *seg = p;
        while (*p && *p != '+' && *p != '(')
            p++;
        const char *from = seg, *to = p;
        if (*p == '(') {
            from = p + 1;
            const char *close = strchr(from, ')');
            if (!close)
                break;
            to = close;
            p = close + 1;
        }
        if (from < to && *from == '+')  /* a derivational suffix, not a word */
            continue;
        size_t k = 0;
        for (const char *c = from; c < to && k < MORPH_WORD_MAX; c++)
            if (*c != '=')
                parts[np][k++] = *c;
        parts[np][k] = '\0';
        if (k >= 2)
            np++;
    }
    if (np < 2)
        return 0;
    for (int i = 0; i < np; i++) {
        int r = fn(ctx, parts[i], i == np - 1 ? MORPH_HEAD : MORPH_PART);
        if (r)
            return r;
    }
    return 0;
}

static int forms_fi(morph *m, const char *w, morph_fn fn, void *ctx)
{
    struct voikko_mor_analysis **a = voikkoAnalyzeWordCstr(m->fi, w);
    int r = 0;
    /* Every reading counts: "senioreille" is seniori or senior, and the query cannot
     * tell which one the writer meant. */
    for (size_t i = 0; a && a[i] && !r && i < 8; i++) {
        char *base = voikko_mor_analysis_value_cstr(a[i], "BASEFORM");
        if (base) {
            r = fn(ctx, base, MORPH_BASE);
            voikko_free_mor_analysis_value_cstr(base);
        }
        char *wb = r ? NULL : voikko_mor_analysis_value_cstr(a[i], "WORDBASES");
        if (wb) {
            r = compound_parts(wb, fn, ctx);
            voikko_free_mor_analysis_value_cstr(wb);
        }
    }
    if (a)
        voikko_free_mor_analysis(a);
    return r;
}

static int forms_stem(struct sb_stemmer *sb, const char *w, size_t len, morph_fn fn,
                      void *ctx)
{
    const sb_symbol *st = sb_stemmer_stem(sb, (const sb_symbol *)w, (int)len);
    if (!st)  /* out of memory inside the stemmer: the word keeps no stem */
        return 0;
    return fn(ctx, (const char *)st, MORPH_BASE);
}

int morph_forms(morph *m, cat_lang lang, const char *word, size_t len, morph_fn fn,
                void *ctx)
{
    char w[MORPH_WORD_MAX + 1];
    if (len == 0 || len > MORPH_WORD_MAX)
        return 0;
    memcpy(w, word, len);
    w[len] = '\0';
    switch (lang) {
    case CAT_FI: return forms_fi(m, w, fn, ctx);
    case CAT_SV: return forms_stem(m->sv, w, len, fn, ctx);
    case CAT_EN: return forms_stem(m->en, w, len, fn, ctx);
    case CAT_NLANG: break;
    }
    return 0;
}
