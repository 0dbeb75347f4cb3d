/* Writing a synthetic catalog (gen.h): places, people and association names drawn
 * from the tables of gen_data.h with one random stream per item, each item and area
 * built as a JSON object and written as soon as it is built.  How a text or field is
 * put into the object (templates, limits, the first failure) is gen_text.c's. */
#include "gen_text.h"
#include "gen_names.h"

#define DUMP_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER)

#define DESC_MAX 4  /* sentences in one description */

/* `first` (may be NULL), then sentences of the kind's pool; an association's also
 * from the longer stock of gen_names.c, one to four sentences, none twice. */
static void put_desc(gctx *g, json_t *o, int kind, int mask, const char *first, rng *r,
                     const char *const *v)
{
    const char *const *pool = desc_pool[kind];
    const char *pick[DESC_MAX];
    unsigned n = 0, k = 0, want;
    while (n < N(desc_pool[0]) && pool[n])
        n++;
    if (first)
        pick[k++] = first;
    want = kind == K_ASSOC ? 1 + rpick(r, DESC_MAX) : 1 + rpick(r, 3);
    for (unsigned tries = 0, at = rpick(r, n); k < want && tries < 3 * DESC_MAX; tries++) {
        const char *c = kind == K_ASSOC && chance(r, 60) ? genn_assoc_sentence(rnext(r))
                                                         : pool[at++ % n];
        unsigned j = 0;
        while (j < k && pick[j] != c)
            j++;
        if (j == k)
            pick[k++] = c;
    }
    gen_clear_text_(g);
    for (int l = 0; l < 3; l++) {
        if (!(mask & 1 << l))
            continue;
        for (unsigned i = 0; i < k; i++) {
            if (g->t[l].n)
                sb_put(&g->t[l], " ");
            gen_sb_tpl_(&g->t[l], pick[i], (unsigned)l, v);
        }
    }
    gen_put_text_(g, o, "description", 4000, mask);
}

/* The register refuses a name that is taken (with or without "ry"), so a clash is drawn
 * again.  Records the name and returns 0 when it is new. */
static int name_taken(gctx *g, const sb *t)
{
    size_t n = t->n;
    if (n > 3 && (memcmp(t->b + n - 3, " ry", 3) == 0 || memcmp(t->b + n - 3, " rf", 3) == 0))
        n -= 3;
    uint64_t h = 0xCBF29CE484222325u;  /* FNV-1a; 64 bits make a false clash negligible */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)t->b[i]) * 0x100000001B3u;
    h |= 1;
    size_t i = h & g->names_mask;
    for (; g->names[i]; i = (i + 1) & g->names_mask)
        if (g->names[i] == h)
            return 1;
    g->names[i] = h;
    return 0;
}

/* The head whose Finnish names start with prefix (the last one when none does). */
static const head *head_by(const char *prefix)
{
    const head *h = heads;
    while (h < heads + NHEADS - 1 && strncmp(h->fi, prefix, strlen(prefix)) != 0)
        h++;
    return h;
}

static int is_city(int i) { return places[i].type == 'c' || places[i].type == 'b'; }
static int city_of(int i)
{
    while (i > 0 && !is_city(i))
        i--;
    return i;
}

/* A city by weight (only Swedish-speaking ones when asked), then often one of its
 * districts or villages: rural areas must be findable too. */
static int pick_place(const gctx *g, rng *r, int swedish)
{
    int c = 0;
    for (int tries = 0; tries < 200; tries++) {
        unsigned x = rpick(r, g->place_w);
        for (c = 0; c < NPLACES; c++) {
            unsigned w = is_city(c) ? (unsigned)places[c].w : 0;
            if (x < w)
                break;
            x -= w;
        }
        if (!swedish || places[c].type == 'b')
            break;
    }
    int nsub = 0;
    while (c + 1 + nsub < NPLACES && !is_city(c + 1 + nsub))
        nsub++;
    if (nsub && chance(r, places[c].w >= BIG_CITY ? 65 : 45))
        return c + 1 + (int)rpick(r, (unsigned)nsub);
    return c;
}

/* Each item draws from its own stream, and the first draws fix its style and home.
 * So the home of any item can be recomputed from its kind and index: an event is
 * placed where its venue is without keeping a table of 100 000 homes. */
static int home(const gctx *g, int kind, long idx, rng *r, unsigned *style)
{
    r->s = (uint64_t)g->seed * 0xD1342543DE82EF95u ^ (uint64_t)kind << 56 ^ (uint64_t)idx;
    rnext(r);
    *style = rpick(r, 100);
    return pick_place(g, r, kind == K_ASSOC && *style >= 75 && *style < 90);
}

static void item_id(char *out, int kind, long idx)
{
    snprintf(out, ID_MAX, "g-%c-%06ld", kinds[kind].tag, idx);
}

/* With probability pct, the id of a random item of `kind` into out and its home into
 * *at; returns 0 (out empty) when not picked or the file has no such items. */
static int pick_ref(const gctx *g, rng *r, int kind, unsigned pct, char *out, int *at)
{
    out[0] = '\0';
    if (!chance(r, pct) || g->cnt[kind] == 0)
        return 0;
    long j = (long)(rnext(r) % (uint64_t)g->cnt[kind]);
    rng tmp;
    unsigned style;
    *at = home(g, kind, j, &tmp, &style);
    item_id(out, kind, j);
    return 1;
}

static void put_phone(gctx *g, json_t *o, rng *r)
{
    char b[64];
    if (chance(r, 60))
        snprintf(b, sizeof b, "+358 4%u %03u %04u", rpick(r, 10), rpick(r, 1000),
                 rpick(r, 10000));
    else
        snprintf(b, sizeof b, "0%u %03u %04u", 13 + rpick(r, 7), rpick(r, 1000),
                 rpick(r, 10000));
    gen_jstr_(g, o, "phone", b);
}

static void put_address(gctx *g, json_t *o, rng *r, int mask, int pl)
{
    const place *c = &places[city_of(pl)];
    const char *town[3] = { c->fi, c->sv ? c->sv : c->fi, c->fi };
    char pair[64], tail[64];
    size_t len;
    const char *st = gen_part_(streets, ' ', (unsigned)rnext(r), &len);
    snprintf(pair, sizeof pair, "%.*s", (int)len, st);
    snprintf(tail, sizeof tail, " %u, %05u ", 1 + rpick(r, 60), 10 * (1 + rpick(r, 9989)));
    gen_clear_text_(g);
    for (int l = 0; l < 3; l++) {
        if (!(mask & 1 << l))
            continue;
        st = gen_part_(pair, '|', l == 1, &len);  /* Swedish street name in sv only */
        sb_cat(&g->t[l], st, len);
        sb_put(&g->t[l], tail);
        sb_put(&g->t[l], town[l]);
    }
    gen_put_text_(g, o, "address", 300, mask);
}

static void person(rng *r, char *out, size_t cap)
{
    size_t fl, ll;
    const char *f = gen_part_(first_names, ' ', (unsigned)rnext(r), &fl);
    const char *l = gen_part_(last_names, ' ', (unsigned)rnext(r), &ll);
    snprintf(out, cap, "%.*s %.*s", (int)fl, f, (int)ll, l);
}

static void rdate(rng *r, unsigned *y, unsigned *m, unsigned *d)
{
    static const unsigned mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    *y = 2026 + rpick(r, 2);
    *m = 1 + rpick(r, 12);
    *d = 1 + rpick(r, mdays[*m - 1]);
}

static const head *pick_head(const gctx *g, rng *r)
{
    const head *h = heads;
    unsigned x = rpick(r, g->head_w);
    while (x >= (unsigned)h->w)
        x -= (unsigned)(h++)->w;
    return h;
}

/* A name off the place + activity pattern, as about a sixth of a register's Finnish
 * names and two fifths of the Swedish ones are: memorial foundations, acronyms,
 * English-named clubs, names registered only in Swedish.  Returns the language mask,
 * or 0 when the item keeps the usual pattern. */
static int name_special(gctx *g, rng *r, unsigned style, const place *p, const char **v,
                        const head **hp, const char **langs)
{
    static const char *const funds[] = { "Työväenyhdistys", "Nuorisoseura", "Ystäväpiiri",
                                         "Kulttuuriyhdistys", "Omaishoitajat",
                                         "Kotiseutuyhdistys", "Urheiluseura" };
    unsigned u = rpick(r, 100);
    const char *hd, *t;
    char fi[160], sv[160], en[160];
    int mask = 1;
    if (style >= 75) {  /* Swedish: the association exists only under its Swedish name */
        if (u >= 40)
            return 0;
        t = genn_swedish(rnext(r), &hd);
        *hp = head_by(hd);
        gen_sb_tpl_(&g->t[1], t, 0, v);
        *langs = "sv";
        return 2;
    }
    if (u < 6) {
        genn_foundation(rnext(r), fi, sv, en, sizeof fi);
        *hp = head_by(funds[rpick(r, N(funds))]);
        if (!fi[0])
            g->t[0].over = 1;  /* did not fit: put_text reports it */
        sb_put(&g->t[0], fi);
        if (sv[0]) {
            sb_put(&g->t[1], sv);
            mask |= 2;
        }
        if (en[0]) {
            sb_put(&g->t[2], en);
            mask |= 4;
        }
        *langs = "fi";
        return mask;
    }
    if (u < 12) {  /* "KuPS ry", "Kuopion Palloseura KuPS ry" */
        const head *h = pick_head(g, r);
        size_t len;
        char acr[32];
        const char *w = gen_part_(h->fi, '|', (unsigned)rnext(r), &len);
        if (!genn_acronym(rnext(r), p->gen, w, len, acr, sizeof acr))
            g->t[0].over = 1;
        if (chance(r, 60)) {
            sb_put(&g->t[0], p->gen);
            sb_put(&g->t[0], " ");
            sb_cat(&g->t[0], w, len);
            sb_put(&g->t[0], " ");
        }
        sb_put(&g->t[0], acr);
        sb_put(&g->t[0], " ry");
        *hp = h;
        *langs = "fi";
        return 1;
    }
    if (u < 17) {  /* registered under its English name */
        t = genn_english(rnext(r), &hd);
        *hp = head_by(hd);
        gen_sb_tpl_(&g->t[0], t, 0, v);
        sb_put(&g->t[0], chance(r, 70) ? " ry" : "");
        gen_sb_tpl_(&g->t[2], t, 0, v);
        *langs = "en fi";
        return 5;
    }
    return 0;
}

/* Builds an association's name in g->t and returns its language mask: style < 75
 * Finnish, < 90 Swedish with a Finnish translation, else a name off the pattern. */
static int name_assoc(gctx *g, rng *r, unsigned style, int pl, const char **v, const head **hp,
                      const char **langs, int attempt)
{
    const place *p = &places[pl];
    const head *h = heads;
    const other *ot = NULL;
    const char *w;
    size_t len;
    unsigned k = (unsigned)rnext(r);
    int mask = 1, legal = chance(r, 70), sv = style >= 75 && style < 90, fi_only = 0;
    gen_clear_text_(g);
    if (attempt < 6 && style < 90 && (mask = name_special(g, r, style, p, v, hp, langs)))
        return mask;
    mask = 1;
    if (style >= 90) {
        ot = &others[k % N(others)];
        h = head_by(ot->head);
        gen_sb_tpl_(&g->t[0], ot->fi, 0, v);
    } else {
        unsigned u = rpick(r, 100);
        h = pick_head(g, r);
        /* Vary names the way real ones vary: a village, a nickname, Itä-Helsingin,
         * Kuopion Seudun / Työväen ... */
        if (!sv && (u < 18 || (strncmp(h->fi, "Kylä", 5) == 0 && p->type != 'v'))) {
            char vil[64];
            w = gen_part_(villages, ' ', (unsigned)rnext(r), &len);
            if (chance(r, 70) && (len = genn_village(rnext(r), 1, vil, sizeof vil)) > 0)
                w = vil;
            sb_cat(&g->t[0], w, len);
            sb_put(&g->t[0], " ");
            fi_only = 1;
        } else if (!sv && u < 36) {
            fi_only = 2;
        } else {
            if (!sv && p->w >= BIG_CITY && chance(r, 30)) {
                w = gen_part_(directions4, ' ', (unsigned)rnext(r), &len);
                sb_cat(&g->t[0], w, len);
            }
            sb_put(&g->t[0], p->gen);
            sb_put(&g->t[0], " ");
            if (!sv && chance(r, 12)) {
                w = gen_part_(qualifiers, ' ', (unsigned)rnext(r), &len);
                sb_cat(&g->t[0], w, len);
                sb_put(&g->t[0], " ");
            }
        }
        w = gen_part_(h->fi, '|', k, &len);
        sb_cat(&g->t[0], w, len);
        if (fi_only == 2) {
            sb_put(&g->t[0], " ");
            sb_put(&g->t[0], strstr(h->themes, "sports") ? v['n' - 'a'] : v['k' - 'a']);
        }
    }
    if (attempt >= 6) {  /* taken again and again: tell it apart as clubs do */
        char tag[48];
        w = gen_part_(attempt & 1 ? sport_nicks : culture_nicks, ' ', (unsigned)rnext(r), &len);
        snprintf(tag, sizeof tag, attempt >= 12 ? " %.*s %d" : " %.*s", (int)len, w,
                 attempt - 10);
        sb_put(&g->t[0], tag);
    }
    sb_put(&g->t[0], legal ? " ry" : "");
    *hp = h;
    *langs = ot ? ot->langs : "fi";
    if (ot || fi_only) {
        if (ot && ot->sv && chance(r, 50)) {
            gen_sb_tpl_(&g->t[1], ot->sv, 0, v);
            mask |= 2;
        }
        if (ot && ot->en && chance(r, 60)) {
            gen_sb_tpl_(&g->t[2], ot->en, 0, v);
            mask |= 4;
        }
        return mask;  /* villages and nicknames we know only in Finnish */
    }
    if (sv || chance(r, 15)) {
        mask |= 2;
        w = gen_part_(h->sv, '|', k, &len);
        sb_put(&g->t[1], p->sv ? p->sv : p->fi);
        sb_put(&g->t[1], " ");
        sb_cat(&g->t[1], w, len);
        sb_put(&g->t[1], legal ? " rf" : "");
        if (sv)
            *langs = chance(r, 60) ? "sv fi" : "sv";
    }
    if (chance(r, sv ? 30 : 25)) {
        mask |= 4;
        w = gen_part_(h->en, '|', k, &len);
        sb_put(&g->t[2], p->fi);
        sb_put(&g->t[2], " ");
        sb_cat(&g->t[2], w, len);
    }
    return mask;
}

static json_t *build(gctx *g, int k, long i)
{
    const kspec *ks = &kinds[k];
    rng r;
    unsigned style, y, m, d;
    int pl = home(g, k, i, &r, &style), at, mask = 1, dmask;
    const char *v[26] = { 0 }, *themes = "", *groups = NULL, *langs = NULL, *first = NULL;
    char org[ID_MAX] = "", ven[ID_MAX] = "", cref[ID_MAX], nm[96], b[160];
    char num[3][16], nick[2][32];
    size_t len;
    unsigned extra_theme = 20;
    if (k == K_OPP || k == K_EVENT) {
        if (pick_ref(g, &r, K_ASSOC, k == K_OPP ? 90 : 60, org, &at))
            pl = at;
        if (pick_ref(g, &r, K_VENUE, k == K_OPP ? 30 : 70, ven, &at))
            pl = at;
    } else if (k == K_CONTACT || k == K_GRANT) {
        pl = city_of(pl);  /* the city's own people and money */
    }
    const place *p = &places[pl];
    v['g' - 'a'] = p->gen;
    v['p' - 'a'] = p->fi;
    v['s' - 'a'] = p->sv ? p->sv : p->fi;
    rdate(&r, &y, &m, &d);
    snprintf(num[0], sizeof num[0], "%u", y);
    v['y' - 'a'] = num[0];
    char vil3[3][48], svnick[32];
    uint64_t vx = rnext(&r);
    if (!genn_village(vx, 0, vil3[0], sizeof vil3[0])
        || !genn_village(vx, 1, vil3[1], sizeof vil3[1])
        || !genn_village_sv(rnext(&r), vil3[2], sizeof vil3[2])
        || !genn_nick_sv(rnext(&r), svnick, sizeof svnick))
        gen_fail_(g, KC_ETOOBIG, "name");  /* a word stock entry longer than its buffer: a bug */
    v['v' - 'a'] = vil3[0];
    v['w' - 'a'] = vil3[1];
    v['b' - 'a'] = vil3[2];
    v['m' - 'a'] = svnick;
    if (k != K_ASSOC)
        mask = 1 | (chance(&r, 30) ? 2 : 0) | (chance(&r, 20) ? 4 : 0);
    dmask = mask;
    json_t *o = json_object();
    item_id(g->id, k, i);
    gen_jstr_(g, o, "id", g->id);
    gen_jstr_(g, o, "kind", ks->name);
    switch (k) {
    case K_CONTACT: {
        person(&r, nm, sizeof nm);
        gen_clear_text_(g);
        sb_put(&g->t[0], nm);
        gen_put_text_(g, o, "name", 200, 1);
        themes = chance(&r, 60) ? "" : NULL;
        extra_theme = 100;
        char a[48], s[48], *last = strchr(nm, ' ');
        *last++ = '\0';
        gen_slug_(a, sizeof a, nm, strlen(nm), 0);
        gen_slug_(s, sizeof s, last, strlen(last), 0);
        snprintf(b, sizeof b, "%s.%s@%s.fi", a, s, g->area[pl]);
        gen_jstr_(g, o, "email", b);
        break;
    }
    case K_VENUE: {
        const venue *vt = &venues[rpick(&r, N(venues))];
        char vil[48];
        int nmask = mask;
        /* Halls differ by the village or school they serve: a taken name moves to a
         * village of the town (known only in Finnish), numbered if even that clashes. */
        for (int a = 0;; a++) {
            const char *w = gen_part_(villages, ' ', (unsigned)rnext(&r), &len);
            snprintf(vil, sizeof vil, "%.*s", (int)len, w);
            snprintf(num[1], sizeof num[1], "%d", a);
            v['g' - 'a'] = a ? vil : p->gen;
            nmask = a ? 1 : mask;
            gen_fill_tpl_(g, nmask, vt->t, a == 0 ? NULL : a < 20 ? ", {p}" : " {x}, {p}", v);
            if (!name_taken(g, &g->t[0]))
                break;
        }
        v['g' - 'a'] = p->gen;
        gen_put_text_(g, o, "name", 200, nmask);
        const char *pr = gen_part_(vt->prices, ' ', (unsigned)rnext(&r), &len);
        gen_jset_(g, o, "price", json_stringn(pr, len));
        if (chance(&r, 80))
            gen_jset_(g, o, "capacity",
                 json_integer(vt->cmin + rpick(&r, (unsigned)(vt->cmax - vt->cmin + 1))));
        themes = vt->themes;
        groups = chance(&r, 40) ? "associations" : NULL;
        langs = mask & 2 ? "fi sv" : "fi";
        snprintf(b, sizeof b, "tilavaraukset@%s.fi", g->area[city_of(pl)]);
        if (chance(&r, 50))
            gen_jstr_(g, o, "email", b);
        break;
    }
    case K_ASSOC: {
        const head *h;
        for (int n = 0; n < 2; n++) {
            const char *w = gen_part_(n ? culture_nicks : sport_nicks, ' ', (unsigned)rnext(&r),
                                 &len);
            snprintf(nick[n], sizeof nick[n], "%.*s", (int)len, w);
        }
        v['n' - 'a'] = nick[0];
        v['k' - 'a'] = nick[1];
        int attempt = 0;
        do  /* until the register would accept it */
            mask = name_assoc(g, &r, style, pl, v, &h, &langs, attempt++);
        while (name_taken(g, g->t[0].n ? &g->t[0] : &g->t[1]));
        const sb *reg = g->t[0].n ? &g->t[0] : &g->t[1];  /* the registered name */
        len = reg->n;
        if (len > 3 && (strcmp(reg->b + len - 3, " ry") == 0 || strcmp(reg->b + len - 3, " rf") == 0))
            len -= 3;  /* domains leave out "ry" */
        gen_slug_(nm, 41, reg->b, len, 0);  /* 40 bytes: well under DNS's 63 */
        gen_put_text_(g, o, "name", 200, mask);
        snprintf(num[1], sizeof num[1], "%u", 10 + 5 * rpick(&r, 7));
        snprintf(num[2], sizeof num[2], "%u", 1890 + rpick(&r, 133));
        v['a' - 'a'] = h->act;
        v['x' - 'a'] = num[1];
        v['y' - 'a'] = num[2];
        first = assoc_first[rpick(&r, N(assoc_first))];
        dmask = 1 | (mask & 2 && chance(&r, 70) ? 2 : 0) | (mask & 4 && chance(&r, 60) ? 4 : 0);
        themes = h->themes;
        groups = h->groups;
        snprintf(b, sizeof b, "%s %s%s", langs, *h->langs && chance(&r, 70) ? h->langs : "",
                 chance(&r, 5) ? " en" : "");
        langs = b;  /* used below, before b is written again */
        break;
    }
    case K_OPP: {
        const task *t = &opps[rpick(&r, N(opps))];
        gen_fill_tpl_(g, mask, t->t, chance(&r, 50) ? ", {p}|, {s}|, {p}" : NULL, v);
        gen_put_text_(g, o, "name", 200, mask);
        themes = t->themes;
        groups = t->extra;
        langs = mask & 2 ? "fi sv" : "fi";
        break;
    }
    case K_EVENT: {
        const task *t = &events[rpick(&r, N(events))];
        gen_fill_tpl_(g, mask, t->t, chance(&r, 80) ? ", {p}|, {s}|, {p}" : NULL, v);
        gen_put_text_(g, o, "name", 200, mask);
        themes = t->themes;
        groups = chance(&r, 60) ? "everyone" : NULL;
        langs = mask & 2 ? "fi sv" : "fi";
        gen_jstr_(g, o, "event_type", t->extra);
        unsigned h = 8 + rpick(&r, 12), mi = 15 * rpick(&r, 4), dur = 1 + rpick(&r, 3);
        snprintf(nm, sizeof nm, "%04u-%02u-%02uT%02u:%02u", y, m, d, h, mi);
        gen_jstr_(g, o, "start", nm);
        snprintf(nm, sizeof nm, "%04u-%02u-%02uT%02u:%02u", y, m, d, h + dur, mi);
        if (chance(&r, 80))
            gen_jstr_(g, o, "end", nm);
        break;
    }
    case K_GRANT: {
        static const char *const sums[] = { "500", "1 000", "2 500", "5 000", "10 000", "20 000" };
        const task *t = &grants[rpick(&r, N(grants))];
        v['x' - 'a'] = sums[rpick(&r, N(sums))];
        gen_put_tpl_(g, o, "name", 200, mask, t->t, v);
        themes = t->themes;
        groups = "associations";
        gen_jstr_(g, o, "grant_type", t->extra);
        snprintf(nm, sizeof nm, "%04u-%02u-%02u", y, m, d);
        gen_jstr_(g, o, "deadline", nm);
        snprintf(nm, sizeof nm, "avustukset@%s.fi", g->area[pl]);
        if (chance(&r, 40))
            gen_jstr_(g, o, "email", nm);
        snprintf(nm, sizeof nm, "https://www.%s.fi/avustukset", g->area[pl]);
        if (chance(&r, 70))
            gen_jstr_(g, o, "web", nm);
        break;
    }
    }
    if (chance(&r, ks->desc))
        put_desc(g, o, k, dmask, first, &r, v);
    if (themes)
        gen_put_enums_(g, o, "themes", themes, all_themes, &r, extra_theme);
    if (groups)
        gen_put_enums_(g, o, "target_groups", groups, all_groups, &r, 15);
    if (chance(&r, ks->area))
        gen_jstr_(g, o, "area", g->area[pl]);
    if (langs && chance(&r, ks->langs))
        gen_put_enums_(g, o, "languages", langs, NULL, &r, 0);
    if (org[0])
        gen_jstr_(g, o, "organiser", org);
    if (ven[0])
        gen_jstr_(g, o, "venue", ven);
    for (unsigned j = 0; j < N(opts); j++)
        if (chance(&r, opts[j].pct[k]))
            gen_put_tpl_(g, o, opts[j].key, opts[j].lim, mask,
                         opts[j].pool[rpick(&r, opts[j].n)], v);
    if (chance(&r, ks->addr) && !ven[0])
        put_address(g, o, &r, mask, pl);
    if (chance(&r, ks->phone))
        put_phone(g, o, &r);
    if (chance(&r, ks->cname)) {
        person(&r, b, sizeof b);
        gen_jstr_(g, o, "contact_name", b);
    }
    if (k == K_ASSOC) {
        static const char *const mails[] = { "info@%s.fi", "hallitus@%s.fi", "%s@gmail.com" };
        static const char *const webs[] = { "https://www.%s.fi", "https://%s.yhdistysavain.fi",
                                            "https://www.facebook.com/%s" };
        snprintf(b, sizeof b, mails[rpick(&r, N(mails))], nm);
        if (chance(&r, 50))
            gen_jstr_(g, o, "email", b);
        snprintf(b, sizeof b, webs[rpick(&r, N(webs))], nm);
        if (chance(&r, 40))
            gen_jstr_(g, o, "web", b);
    }
    if (k == K_OPP || k == K_EVENT) {
        snprintf(b, sizeof b, "https://www.%s.fi/%s/%s", g->area[city_of(pl)],
                 k == K_OPP ? "vapaaehtoiseksi" : "tapahtumat", g->id);
        if (chance(&r, k == K_OPP ? 40 : 30))
            gen_jstr_(g, o, "signup_url", b);
    }
    if (pick_ref(g, &r, K_CONTACT, ks->cperson, cref, &at))
        gen_jstr_(g, o, "contact_person", cref);
    return o;
}

static json_t *build_area(gctx *g, int i)
{
    static const char *const type[] = { "city", "district", "village" };
    const place *p = &places[i];
    json_t *o = json_object();
    snprintf(g->id, sizeof g->id, "%.*s", ID_MAX - 1, g->area[i]);
    gen_jstr_(g, o, "id", g->area[i]);
    gen_jstr_(g, o, "city", places[city_of(i)].fi);
    gen_jstr_(g, o, "type", type[is_city(i) ? 0 : p->type == 'd' ? 1 : 2]);
    gen_clear_text_(g);
    sb_put(&g->t[0], p->fi);
    if (p->sv)
        sb_put(&g->t[1], p->sv);
    gen_put_text_(g, o, "name", 100, p->sv ? 3 : 1);
    return o;
}

/* Writes *j after a separator unless it is the first of its array, then frees it.
 * Returns 0, or -1 when writing failed. */
static int emit(FILE *f, json_t **j, int first)
{
    int bad = (!first && fputs(",\n", f) == EOF) || json_dumpf(*j, f, DUMP_FLAGS) != 0;
    json_decref(*j);
    *j = NULL;
    return bad ? -1 : 0;
}

kc_err gen_write(FILE *f, long n_items, unsigned long seed, char *msg)
{
    if (!f)
        return kc_fail(msg, KC_EUSAGE, "gen: no file to write to");
    if (n_items < 0 || n_items > GEN_MAX_ITEMS)
        return kc_fail(msg, KC_EUSAGE, "gen: %ld items asked, allowed 0..%ld", n_items,
                       GEN_MAX_ITEMS);
    kc_err e = KC_OK;
    json_t *cur = NULL;
    gctx *g = kc_calloc(1, sizeof *g);  /* ~13 KiB: too big for a library's stack frame */
    if (!g)
        return kc_fail(msg, KC_ENOMEM, "gen: out of memory");
    g->seed = seed;
    g->cnt[K_ASSOC] = n_items;
    for (int k = 0; k < K_N; k++) {
        if (k != K_ASSOC) {
            g->cnt[k] = n_items * kinds[k].share / 100;
            g->cnt[K_ASSOC] -= g->cnt[k];
        }
    }
    for (int i = 0; i < NPLACES; i++) {
        char s[48];
        gen_slug_(s, sizeof s, places[i].fi, strlen(places[i].fi), '-');
        if (is_city(i)) {
            g->place_w += (unsigned)places[i].w;
            snprintf(g->area[i], sizeof g->area[i], "%s", s);
        } else {
            char city[sizeof g->area[0]];  /* a copy: the compiler cannot see i != city */
            snprintf(city, sizeof city, "%s", g->area[city_of(i)]);
            snprintf(g->area[i], sizeof g->area[i], "%.22s-%.22s", city, s);
        }
    }
    for (int h = 0; h < NHEADS; h++)
        g->head_w += (unsigned)heads[h].w;
    g->names_mask = 1023;  /* a power of two minus one, at least twice the names */
    while (g->names_mask < 2 * (size_t)(g->cnt[K_ASSOC] + g->cnt[K_VENUE]))
        g->names_mask = 2 * g->names_mask + 1;
    g->names = kc_calloc(g->names_mask + 1, sizeof *g->names);
    if (!g->names) {
        e = kc_fail(msg, KC_ENOMEM, "gen: out of memory");
        goto done;
    }

    if (fprintf(f, "{\"format\":\"kiosk-content\",\"version\":1,\"sample\":true,\n"
                   "\"title\":\"Synthetic catalog: %ld items, seed %lu\",\n\"areas\":[\n",
                n_items, seed) < 0)
        goto io;
    for (int i = 0; i < NPLACES; i++) {
        cur = build_area(g, i);
        if (g->err)
            goto built;
        if (emit(f, &cur, i == 0) != 0)
            goto io;
    }
    if (fputs("\n],\n\"items\":[\n", f) == EOF)
        goto io;
    for (int k = 0, first = 1; k < K_N; k++) {
        for (long i = 0; i < g->cnt[k]; i++, first = 0) {
            cur = build(g, k, i);
            if (g->err)
                goto built;
            if (emit(f, &cur, first) != 0)
                goto io;
        }
    }
    if (fputs("\n]}\n", f) == EOF || fflush(f) != 0 || ferror(f))
        goto io;
    goto done;
built:
    e = kc_fail(msg, g->err, "gen: \"%s\" field \"%s\": %s", g->id, g->key,
                g->err == KC_ETOOBIG ? "generated text over its limit" : "out of memory");
    goto done;
io:
    e = kc_fail(msg, KC_EIO, "gen: writing the catalog failed");
done:
    json_decref(cur);
    kc_free(g->names);
    kc_free(g);
    return e;
}
