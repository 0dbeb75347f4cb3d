/* The fact each list row leads with (core/facts.h), for the cards of browse, search
 * and related items.  The search index holds names and areas only, so the rows in
 * view read their items from the store; a small cache keeps the last rows' items so
 * that scrolling and redrawing do not parse JSON every frame.  The cache is dropped
 * whenever a new search index arrives (the catalog changed). */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "facts.h"

/* Rows in view on the tallest screen with the smallest text, with room to scroll. */
#define SLOTS 64

typedef struct slot {
    char id[CAT_ID_MAX + 1];
    int ok;                 /* item holds the stored item */
    unsigned long used;     /* for least-recently-used eviction */
    cat_item item;
} slot;

struct rowfacts {
    unsigned long gen;      /* a->idx_gen the slots belong to */
    unsigned long tick;
    slot s[SLOTS];
};

static void clear(struct rowfacts *r)
{
    for (int i = 0; i < SLOTS; i++) {
        cat_item_clear(&r->s[i].item);
        r->s[i].id[0] = '\0';
        r->s[i].ok = 0;
        r->s[i].used = 0;
    }
}

void app_rowfacts_free(app *a)
{
    if (!a->facts)
        return;
    clear(a->facts);
    free(a->facts);
    a->facts = NULL;
}

/* The stored item id, or NULL when it cannot be read (then the row shows its area). */
static const cat_item *item_of(app *a, const char *id)
{
    if (!a->facts) {
        a->facts = calloc(1, sizeof *a->facts);
        if (!a->facts)
            return NULL;
        a->facts->gen = a->idx_gen;
    }
    struct rowfacts *r = a->facts;
    if (r->gen != a->idx_gen) {
        clear(r);
        r->gen = a->idx_gen;
    }
    slot *victim = &r->s[0];
    for (int i = 0; i < SLOTS; i++) {
        slot *s = &r->s[i];
        if (s->used && strcmp(s->id, id) == 0) {
            s->used = ++r->tick;
            return s->ok ? &s->item : NULL;
        }
        if (s->used < victim->used)
            victim = s;
    }
    cat_item_clear(&victim->item);
    snprintf(victim->id, sizeof victim->id, "%s", id);
    victim->used = ++r->tick;
    victim->ok = 0;
    char *body = NULL;
    char msg[KC_MSGMAX];
    if (store_item_body(a->st, id, &body) || !body) {
        kc_free(body);
        return NULL;  /* deleted by a sync since the index was built */
    }
    kc_err rc = content_item_from_json(body, strlen(body), &victim->item, msg);
    kc_free(body);
    if (rc) {
        fprintf(stderr, "kiosk: stored item %s unreadable: %s\n", id, msg);
        cat_item_clear(&victim->item);
        return NULL;
    }
    victim->ok = 1;
    return &victim->item;
}

static const char *w_tr(void *ud, cat_lang lang, const char *key)
{
    return i18n_tr(((app *)ud)->tr, lang, key);
}

static const char *w_ntr(void *ud, cat_lang lang, const char *one, const char *many,
                         unsigned long n)
{
    return i18n_ntr(((app *)ud)->tr, lang, one, many, n);
}

void app_facts_ctx(app *a, facts_words *w, facts_ctx *c, char today[11])
{
    app_today(a, today);
    *w = (facts_words){ .ud = a, .tr = w_tr, .ntr = w_ntr };
    *c = (facts_ctx){ .lang = a->lang, .pref = &a->pref, .today = today, .w = w };
}

void app_item_fact(app *a, int item, int with_kind, char *out, size_t cap)
{
    if (cap == 0)
        return;
    const char *area = app_area_name(a, search_item_area(a->idx, item));
    cat_kind kind = search_item_kind(a->idx, item);
    const cat_item *it = item_of(a, search_item_id(a->idx, item));
    char fact[400];
    fact[0] = '\0';
    if (it) {
        const char *place = NULL;
        const cat_value *v = &it->v[CAT_F_VENUE];
        if (v->present) {
            int vi = search_find(a->idx, v->str);
            cat_lang used;
            place = vi >= 0 ? search_item_name(a->idx, vi, &a->pref, &used) : NULL;
        }
        facts_words w;
        facts_ctx c;
        char today[11];
        app_facts_ctx(a, &w, &c, today);
        facts_row(&c, it, place, area, fact, sizeof fact);
    } else if (area) {
        snprintf(fact, sizeof fact, "%s", area);
    }
    /* Search mixes kinds: the row says which one it is after its fact. */
    snprintf(out, cap, "%s%s%s", fact, with_kind && fact[0] ? "  \xc2\xb7  " : "",
             with_kind ? app_kind_label(a, kind, 0) : "");
}
