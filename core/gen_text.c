/* The generator's text and JSON toolkit: "fi|sv|en" templates expanded into bounded
 * strings, TEXT, enum-array and string fields written into a JSON object with the
 * first failure recorded (never cut silently), and slugs for ids and addresses.  Apart
 * from gen.c because it knows nothing of the catalog's tables: gen.c decides what an
 * item says, this file only writes it, and never calls back. */
#include "gen_text.h"

/* The p-th (modulo their count) of the sep-separated parts of s; *len gets its length. */
const char *gen_part_(const char *s, char sep, unsigned p, size_t *len)
{
    unsigned n = 1;
    for (const char *c = s; *c; c++)
        n += *c == sep;
    for (p %= n; p > 0; p--)
        s = strchr(s, sep) + 1;
    const char *e = strchr(s, sep);
    *len = e ? (size_t)(e - s) : strlen(s);
    return s;
}

/* Appends part p of template t with {x} replaced by v['x' - 'a']. */
void gen_sb_tpl_(sb *s, const char *t, unsigned p, const char *const *v)
{
    size_t len;
    const char *c = gen_part_(t, '|', p, &len), *end = c + len;
    while (c < end) {
        if (c[0] == '{' && c + 2 < end && c[2] == '}' && c[1] >= 'a' && c[1] <= 'z') {
            if (v[c[1] - 'a'])
                sb_put(s, v[c[1] - 'a']);
            else
                s->over = 1;  /* the template needs a variable its caller did not set */
            c += 3;
        } else {
            sb_cat(s, c++, 1);
        }
    }
}

void gen_fail_(gctx *g, kc_err e, const char *key)
{
    if (!g->err) {
        g->err = e;
        g->key = key;
    }
}

/* json_object_set_new also takes a NULL value and refuses it, so one check covers
 * both a failed json_string() and a failed insertion. */
void gen_jset_(gctx *g, json_t *o, const char *key, json_t *v)
{
    if (json_object_set_new(o, key, v) != 0)
        gen_fail_(g, KC_ENOMEM, key);
}
void gen_jstr_(gctx *g, json_t *o, const char *key, const char *s)
{
    gen_jset_(g, o, key, json_string(s));
}

void gen_clear_text_(gctx *g)
{
    for (int l = 0; l < 3; l++) {
        g->t[l].n = 0;
        g->t[l].over = 0;
        g->t[l].b[0] = '\0';
    }
}

/* Writes g->t as a TEXT with the languages in mask (bit 0 fi, 1 sv, 2 en). */
void gen_put_text_(gctx *g, json_t *o, const char *key, size_t lim, int mask)
{
    static const char *const code[3] = { "fi", "sv", "en" };
    json_t *x = json_object();
    for (int l = 0; l < 3; l++) {
        const sb *t = &g->t[l];
        if (!(mask & 1 << l) || t->n == 0)
            continue;
        if (t->over || t->n > lim)
            gen_fail_(g, KC_ETOOBIG, key);
        else if (json_object_set_new(x, code[l], json_stringn(t->b, t->n)) != 0)
            gen_fail_(g, KC_ENOMEM, key);
    }
    gen_jset_(g, o, key, x);
}

/* Fills g->t from a "fi|sv|en" template, then appends `tail` ("fi|sv|en", may be NULL). */
void gen_fill_tpl_(gctx *g, int mask, const char *tpl, const char *tail, const char *const *v)
{
    gen_clear_text_(g);
    for (int l = 0; l < 3; l++) {
        if (mask & 1 << l) {
            gen_sb_tpl_(&g->t[l], tpl, (unsigned)l, v);
            if (tail)
                gen_sb_tpl_(&g->t[l], tail, (unsigned)l, v);
        }
    }
}
void gen_put_tpl_(gctx *g, json_t *o, const char *key, size_t lim, int mask, const char *tpl,
                    const char *const *v)
{
    gen_fill_tpl_(g, mask, tpl, NULL, v);
    gen_put_text_(g, o, key, lim, mask);
}

/* An enum array of the space-separated words, plus with probability pct one random
 * word of `from`; each value once, as the format requires. */
void gen_put_enums_(gctx *g, json_t *o, const char *key, const char *words, const char *from,
                      rng *r, unsigned pct)
{
    sb s = { 0, 0, "" };
    size_t len;
    sb_put(&s, words);
    if (from && chance(r, pct)) {
        const char *w = gen_part_(from, ' ', (unsigned)rnext(r), &len);
        sb_put(&s, " ");
        sb_cat(&s, w, len);
    }
    json_t *a = json_array();
    for (const char *w = s.b; *w; w += len + (w[len] == ' ')) {
        int dup = 0;
        len = strcspn(w, " ");
        for (size_t i = 0; i < json_array_size(a) && !dup; i++) {
            const char *e = json_string_value(json_array_get(a, i));
            dup = strlen(e) == len && memcmp(e, w, len) == 0;
        }
        if (len && !dup && json_array_append_new(a, json_stringn(w, len)) != 0)
            gen_fail_(g, KC_ENOMEM, key);
    }
    gen_jset_(g, o, key, a);
}

/* Lowercase ASCII for ids, domains and e-mail: Finnish and Swedish letters lose their
 * dots and rings, runs of anything else become sep (or vanish when sep is 0). */
void gen_slug_(char *out, size_t cap, const char *s, size_t len, char sep)
{
    size_t n = 0;
    int gap = 0;
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    for (; p < end && n + 2 < cap; p++) {
        int c = *p;
        if (c == 0xC3 && p + 1 < end) {
            int d = *++p | 0x20;  /* Ä Å Ö É Ü onto ä å ö é ü */
            c = d == 0xA4 || d == 0xA5 ? 'a' : d == 0xB6 ? 'o' : d == 0xA9 ? 'e'
                : d == 0xBC ? 'u' : 0;
        } else if (c >= 'A' && c <= 'Z') {
            c += 'a' - 'A';
        }
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (gap && sep && n)
                out[n++] = sep;
            out[n++] = (char)c;
            gap = 0;
        } else {
            gap = 1;
        }
    }
    out[n] = '\0';
}
