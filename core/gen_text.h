/*
 * gen_text.h - the synthetic catalog generator's insides: the bounded text and JSON
 * field writers of gen_text.c, and the state they write into, which gen.c (what the
 * items, areas and file contain) builds with.  Not for other modules.
 *
 * One gctx per gen_write() call, owned by it: nothing here is global, so calls may run
 * on several threads at once.  The first failure while building an object is kept in
 * err and key; later ones are ignored, and gen_write() stops with it.
 */
#ifndef GEN_TEXT_H
#define GEN_TEXT_H

#include "gen.h"

#include <jansson.h>
#include <stdint.h>
#include <string.h>

/* Longest text built for one field and language; every field limit we fill is below
 * it, so a template that overflows is a bug and fails loudly (KC_ETOOBIG). */
#define TEXT_MAX 1024
#define ID_MAX 24

#include "gen_data.h"

typedef struct rng { uint64_t s; } rng;

static inline uint64_t rnext(rng *r) /* splitmix64: tiny, fast and the same on every machine */
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}
static inline unsigned rpick(rng *r, unsigned n) { return (unsigned)(rnext(r) % n); }
static inline int chance(rng *r, unsigned pct) { return rpick(r, 100) < pct; }

/* A bounded string; `over` records that something did not fit, so nothing is cut
 * silently. */
typedef struct sb { size_t n; int over; char b[TEXT_MAX]; } sb;

typedef struct gctx {
    unsigned long seed;
    long cnt[K_N];
    unsigned place_w, head_w;
    char area[NPLACES][48];
    char id[ID_MAX];    /* the object being built, for messages */
    uint64_t *names;    /* fingerprints of association and venue names, 0 = free */
    size_t names_mask;
    kc_err err;         /* first failure while building it */
    const char *key;    /* ...and the field it happened in */
    sb t[3];            /* the TEXT being built: fi, sv, en */
} gctx;

static inline void sb_cat(sb *s, const char *t, size_t len)
{
    if (s->n + len >= sizeof s->b) {
        s->over = 1;
        return;
    }
    memcpy(s->b + s->n, t, len);
    s->n += len;
    s->b[s->n] = '\0';
}
static inline void sb_put(sb *s, const char *t) { sb_cat(s, t, strlen(t)); }

/* gen_text.c: the bounded text and JSON field writers. */
const char *gen_part_(const char *s, char sep, unsigned p, size_t *len);
void gen_sb_tpl_(sb *s, const char *t, unsigned p, const char *const *v);
/* Records the first failure (e) and the field it happened in. */
void gen_fail_(gctx *g, kc_err e, const char *key);
void gen_jset_(gctx *g, json_t *o, const char *key, json_t *v);
void gen_jstr_(gctx *g, json_t *o, const char *key, const char *s);
void gen_clear_text_(gctx *g);
void gen_put_text_(gctx *g, json_t *o, const char *key, size_t lim, int mask);
void gen_fill_tpl_(gctx *g, int mask, const char *tpl, const char *tail, const char *const *v);
void gen_put_tpl_(gctx *g, json_t *o, const char *key, size_t lim, int mask, const char *tpl,
                  const char *const *v);
void gen_put_enums_(gctx *g, json_t *o, const char *key, const char *words, const char *from,
                    rng *r, unsigned pct);
void gen_slug_(char *out, size_t cap, const char *s, size_t len, char sep);

#endif
