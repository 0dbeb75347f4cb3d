#include "search.h"
#include "fold.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Trigram keys: each folded byte maps to 6 bits, three of them make an 18-bit key.
 * Bytes outside a-z0-9 and space share the remaining codes, so a bucket may hold
 * false candidates; every candidate is verified with memmem. */
#define TRI_BITS 18
#define TRI_N (1u << TRI_BITS)

typedef struct area_rec {
    char *id;
    char *city;   /* city name of the area */
    int is_city;
} area_rec;

struct search {
    size_t n;
    char **ids;            /* ext ids, catalog order */
    int64_t *rowid;        /* item.id in the store */
    uint8_t *kind;
    uint32_t *themes;
    uint32_t *langs;
    int32_t *area;         /* index in areas, -1 none */
    char *names;           /* original names, NUL-terminated, arena */
    uint32_t (*name_off)[CAT_NLANG];  /* offset+1 into names; 0 = no name */
    char *fold;            /* folded names per item, each NUL-terminated, arena */
    uint32_t *fold_off;    /* n+1 offsets: item i spans fold_off[i]..fold_off[i+1] */
    uint32_t *pre;         /* offsets of name starts in fold, sorted by text */
    size_t npre;
    uint32_t *words;       /* offsets of inner word starts in fold, sorted by text */
    size_t nwords;
    uint32_t *tri_off;     /* TRI_N+1 offsets into tri_post */
    uint32_t *tri_post;    /* item numbers, ascending per trigram */
    area_rec *areas;       /* sorted by id */
    size_t nareas;
    int64_t *by_rowid;     /* rowid << 32 | item, sorted: rowid -> item */
    uint32_t *by_id;       /* items sorted by ext id: id -> item */
    uint32_t *order[CAT_NLANG];  /* items in alphabetical order of the name in lang */
    uint32_t *seen;        /* per item: query generation that took it */
    uint32_t gen;
};

/* --- small helpers ------------------------------------------------------------- */

static int is_wordch(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static unsigned tri_code(unsigned char c)
{
    if (c >= 'a' && c <= 'z')
        return 1 + (c - 'a');
    if (c >= '0' && c <= '9')
        return 27 + (c - '0');
    if (c == ' ')
        return 37;
    return 38 + c % 26;
}

static unsigned tri_key(const char *p)
{
    return tri_code((unsigned char)p[0]) << 12 | tri_code((unsigned char)p[1]) << 6 |
           tri_code((unsigned char)p[2]);
}

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

static int cmp_area_id(const void *a, const void *b)
{
    return strcmp(((const area_rec *)a)->id, ((const area_rec *)b)->id);
}

static int area_index(const search *s, const char *id)
{
    area_rec key = { (char *)id, NULL, 0 };
    const area_rec *a = bsearch(&key, s->areas, s->nareas, sizeof key, cmp_area_id);
    return a ? (int)(a - s->areas) : -1;
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

/* --- building ------------------------------------------------------------------ */

/* A growable byte arena; offsets stay valid when it moves. */
typedef struct arena {
    char *p;
    size_t len, cap;
} arena;

static int arena_put(arena *a, const char *s, size_t n, uint32_t *off)
{
    if (a->len + n + 1 > a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 1 << 16;
        while (nc < a->len + n + 1)
            nc *= 2;
        char *np = kc_realloc(a->p, nc);
        if (!np)
            return -1;
        a->p = np;
        a->cap = nc;
    }
    if (a->len + n + 1 > UINT32_MAX)
        return -1;
    memcpy(a->p + a->len, s, n);
    a->p[a->len + n] = '\0';
    *off = (uint32_t)a->len;
    a->len += n + 1;
    return 0;
}

/* One row as read from the store, before items are put in catalog order. */
typedef struct row {
    int64_t rowid;
    char *id;
    int kind;
    uint32_t themes, langs;
    int32_t area;
    uint32_t name_off[CAT_NLANG];   /* offset+1 in the names arena */
    uint32_t fold_off[CAT_NLANG];   /* offset+1 in a scratch folded arena */
    const char *sort_key;           /* folded primary name, for ordering */
} row;

static int cmp_row(const void *a, const void *b)
{
    const row *x = a, *y = b;
    int c = strcmp(x->sort_key, y->sort_key);
    return c ? c : strcmp(x->id, y->id);
}

typedef struct sortent {
    const char *s;
    uint32_t off;
} sortent;

static int cmp_sortent(const void *a, const void *b)
{
    const sortent *x = a, *y = b;
    int c = strcmp(x->s, y->s);
    return c ? c : (x->off > y->off) - (x->off < y->off);
}

static kc_err load_areas(search *s, store *st, char *msg)
{
    sqlite3_stmt *q = NULL;
    sqlite3 *db = store_db(st);
    const char *sql = "SELECT id, json_extract(body, '$.city'), "
                      "json_extract(body, '$.type') = 'city' FROM area ORDER BY id";
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        return kc_fail(msg, KC_EDB, "search: reading areas: %s", sqlite3_errmsg(db));
    size_t cap = 0;
    kc_err rc = KC_OK;
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        if (s->nareas == cap) {
            size_t nc = cap ? cap * 2 : 64;
            area_rec *na = kc_realloc(s->areas, nc * sizeof *na);
            if (!na)
                goto nomem;
            s->areas = na;
            cap = nc;
        }
        area_rec *a = &s->areas[s->nareas];
        const char *city = (const char *)sqlite3_column_text(q, 1);
        a->id = kc_strdup((const char *)sqlite3_column_text(q, 0));
        a->city = kc_strdup(city ? city : "");
        a->is_city = sqlite3_column_int(q, 2);
        s->nareas++;
        if (!a->id || !a->city)
            goto nomem;
    }
    if (r != SQLITE_DONE)
        rc = kc_fail(msg, KC_EDB, "search: reading areas: %s", sqlite3_errmsg(db));
    sqlite3_finalize(q);
    return rc;
nomem:
    sqlite3_finalize(q);
    return kc_fail(msg, KC_ENOMEM, "search: out of memory");
}

static kc_err load_rows(search *s, store *st, row **rows_out, size_t *nrows,
                        arena *names, arena *folds, char *msg)
{
    sqlite3 *db = store_db(st);
    sqlite3_stmt *q = NULL;
    row *rows = NULL;
    size_t n = 0, cap = 0;
    kc_err rc = KC_OK;
    const char *sql = "SELECT id, ext_id, kind, themes, langs, area, name_fi, name_sv, "
                      "name_en FROM item WHERE deleted = 0";
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        return kc_fail(msg, KC_EDB, "search: reading items: %s", sqlite3_errmsg(db));
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 1024;
            row *nr = kc_realloc(rows, nc * sizeof *nr);
            if (!nr)
                goto nomem;
            rows = nr;
            cap = nc;
        }
        row *w = &rows[n];
        memset(w, 0, sizeof *w);
        w->rowid = sqlite3_column_int64(q, 0);
        w->kind = sqlite3_column_int(q, 2);
        w->themes = (uint32_t)sqlite3_column_int64(q, 3);
        w->langs = (uint32_t)sqlite3_column_int64(q, 4);
        const char *area = (const char *)sqlite3_column_text(q, 5);
        w->area = area ? area_index(s, area) : -1;
        if (!(w->id = kc_strdup((const char *)sqlite3_column_text(q, 1))))
            goto nomem;
        n++;
        for (int l = 0; l < CAT_NLANG; l++) {
            const char *name = (const char *)sqlite3_column_text(q, 6 + l);
            if (!name)
                continue;
            size_t len = (size_t)sqlite3_column_bytes(q, 6 + l);
            uint32_t off;
            char *f = NULL;
            kc_err frc = fold_utf8(name, len, &f);
            if (frc == KC_ENOMEM)
                goto nomem;
            if (frc) {  /* stored names were validated on import; skip if not */
                continue;
            }
            if (arena_put(names, name, len, &off)) {
                kc_free(f);
                goto nomem;
            }
            w->name_off[l] = off + 1;
            int bad = arena_put(folds, f, strlen(f), &off);
            kc_free(f);
            if (bad)
                goto nomem;
            w->fold_off[l] = off + 1;
        }
    }
    if (r != SQLITE_DONE)
        rc = kc_fail(msg, KC_EDB, "search: reading items: %s", sqlite3_errmsg(db));
    sqlite3_finalize(q);
    *rows_out = rows;
    *nrows = n;
    return rc;
nomem:
    sqlite3_finalize(q);
    for (size_t i = 0; i < n; i++)
        kc_free(rows[i].id);
    kc_free(rows);
    return kc_fail(msg, KC_ENOMEM, "search: out of memory");
}

static kc_err build_indexes(search *s, char *msg)
{
    sortent *ents = NULL;
    uint32_t *last = NULL;
    size_t nfold = s->fold_off[s->n];

    /* Name starts and inner word starts. */
    size_t npre = 0, nwords = 0;
    for (size_t i = 0; i < nfold; i++) {
        int seg_start = i == 0 || s->fold[i - 1] == '\0';
        if (s->fold[i] == '\0')
            continue;
        if (seg_start)
            npre++;
        else if (is_wordch((unsigned char)s->fold[i]) &&
                 !is_wordch((unsigned char)s->fold[i - 1]))
            nwords++;
    }
    ents = kc_malloc((npre > nwords ? npre : nwords) * sizeof *ents);
    s->pre = kc_malloc(npre * sizeof *s->pre);
    s->words = kc_malloc(nwords * sizeof *s->words);
    if (!ents || !s->pre || !s->words)
        goto nomem;
    for (int pass = 0; pass < 2; pass++) {
        size_t k = 0;
        for (size_t i = 0; i < nfold; i++) {
            if (s->fold[i] == '\0')
                continue;
            int seg_start = i == 0 || s->fold[i - 1] == '\0';
            int word = !seg_start && is_wordch((unsigned char)s->fold[i]) &&
                       !is_wordch((unsigned char)s->fold[i - 1]);
            if ((pass == 0 && seg_start) || (pass == 1 && word)) {
                ents[k].s = s->fold + i;
                ents[k].off = (uint32_t)i;
                k++;
            }
        }
        qsort(ents, k, sizeof *ents, cmp_sortent);
        uint32_t *dst = pass == 0 ? s->pre : s->words;
        for (size_t j = 0; j < k; j++)
            dst[j] = ents[j].off;
    }
    s->npre = npre;
    s->nwords = nwords;
    kc_free(ents);
    ents = NULL;

    /* Trigram postings: count, then fill; items are visited in order so each list
     * comes out ascending, and `last` drops repeats within one item. */
    s->tri_off = kc_calloc(TRI_N + 1, sizeof *s->tri_off);
    last = kc_malloc(TRI_N * sizeof *last);
    if (!s->tri_off || !last)
        goto nomem;
    for (int pass = 0; pass < 2; pass++) {
        memset(last, 0xFF, TRI_N * sizeof *last);
        for (size_t it = 0; it < s->n; it++) {
            for (uint32_t i = s->fold_off[it]; i + 2 < s->fold_off[it + 1]; i++) {
                const char *p = s->fold + i;
                if (!p[0] || !p[1] || !p[2])
                    continue;
                unsigned k = tri_key(p);
                if (last[k] == it)
                    continue;
                last[k] = (uint32_t)it;
                if (pass == 0)
                    s->tri_off[k + 1]++;
                else
                    s->tri_post[s->tri_off[k]++] = (uint32_t)it;
            }
        }
        if (pass == 0) {
            for (unsigned k = 0; k < TRI_N; k++)
                s->tri_off[k + 1] += s->tri_off[k];
            if (!(s->tri_post = kc_malloc((s->tri_off[TRI_N] + 1) * sizeof *s->tri_post)))
                goto nomem;
        }
    }
    /* The fill pass advanced every start offset to its end; shift back. */
    memmove(s->tri_off + 1, s->tri_off, TRI_N * sizeof *s->tri_off);
    s->tri_off[0] = 0;
    kc_free(last);
    return KC_OK;
nomem:
    kc_free(ents);
    kc_free(last);
    return kc_fail(msg, KC_ENOMEM, "search: out of memory");
}

/* Sort key for Finnish and Swedish alphabetical order: case folded, å ä ö (and the
 * Danish/Norwegian æ ø) placed after z, other accents ignored (é sorts as e). */
static kc_err collation_key(const char *name, char **out)
{
    size_t n = strlen(name);
    char *tmp = kc_malloc(n + 1);
    if (!tmp)
        return KC_ENOMEM;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i], d = (unsigned char)name[i + 1];
        if (c == 0xC3 && (d == 0xA5 || d == 0x85)) {          /* å Å */
            tmp[j++] = '{';
            i++;
        } else if (c == 0xC3 && (d == 0xA4 || d == 0x84 || d == 0xA6 || d == 0x86)) {
            tmp[j++] = '|';                                     /* ä Ä æ Æ */
            i++;
        } else if (c == 0xC3 && (d == 0xB6 || d == 0x96 || d == 0xB8 || d == 0x98)) {
            tmp[j++] = '}';                                     /* ö Ö ø Ø */
            i++;
        } else {
            tmp[j++] = (char)c;
        }
    }
    kc_err rc = fold_utf8(tmp, j, out);
    kc_free(tmp);
    return rc;
}

typedef struct keyed {
    char *key;
    uint32_t item;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->item > y->item) - (x->item < y->item);
}

static kc_err build_orders(search *s)
{
    keyed *k = kc_calloc(s->n ? s->n : 1, sizeof *k);
    kc_err rc = KC_OK;
    if (!k)
        return KC_ENOMEM;
    for (int l = 0; l < CAT_NLANG && !rc; l++) {
        cat_langs pref = cat_langs_for((cat_lang)l);
        for (size_t i = 0; i < s->n; i++) {
            k[i].item = (uint32_t)i;
            if ((rc = collation_key(search_item_name(s, (int)i, &pref, NULL), &k[i].key)))
                break;
        }
        if (!rc) {
            qsort(k, s->n, sizeof *k, cmp_keyed);
            if (!(s->order[l] = kc_malloc((s->n ? s->n : 1) * sizeof *s->order[l])))
                rc = KC_ENOMEM;
            for (size_t i = 0; !rc && i < s->n; i++)
                s->order[l][i] = k[i].item;
        }
        for (size_t i = 0; i < s->n; i++) {
            kc_free(k[i].key);
            k[i].key = NULL;
        }
    }
    kc_free(k);
    return rc;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

kc_err search_build(store *st, search **out, char *msg)
{
    *out = NULL;
    search *s = kc_calloc(1, sizeof *s);
    row *rows = NULL;
    size_t nrows = 0;
    arena names = { 0 }, folds = { 0 }, fold = { 0 };
    kc_err rc;
    if (!s)
        return kc_fail(msg, KC_ENOMEM, "search: out of memory");
    if ((rc = load_areas(s, st, msg)) ||
        (rc = load_rows(s, st, &rows, &nrows, &names, &folds, msg)))
        goto fail;
    qsort(s->areas, s->nareas, sizeof *s->areas, cmp_area_id);

    /* Catalog order: by the folded name in fi, sv, en preference. */
    for (size_t i = 0; i < nrows; i++) {
        row *w = &rows[i];
        w->sort_key = "";
        for (int l = 0; l < CAT_NLANG; l++)
            if (w->fold_off[l]) {
                w->sort_key = folds.p + w->fold_off[l] - 1;
                break;
            }
    }
    qsort(rows, nrows, sizeof *rows, cmp_row);

    size_t n = nrows;
    s->ids = kc_calloc(n, sizeof *s->ids);
    s->rowid = kc_malloc(n * sizeof *s->rowid);
    s->kind = kc_malloc(n);
    s->themes = kc_malloc(n * sizeof *s->themes);
    s->langs = kc_malloc(n * sizeof *s->langs);
    s->area = kc_malloc(n * sizeof *s->area);
    s->name_off = kc_malloc(n * sizeof *s->name_off);
    s->fold_off = kc_malloc((n + 1) * sizeof *s->fold_off);
    s->by_rowid = kc_malloc(n * sizeof *s->by_rowid);
    s->seen = kc_calloc(n, sizeof *s->seen);
    if (!s->ids || !s->rowid || !s->kind || !s->themes || !s->langs || !s->area ||
        !s->name_off || !s->fold_off || !s->by_rowid || !s->seen)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        row *w = &rows[i];
        s->ids[i] = w->id;
        w->id = NULL;
        s->n = i + 1;
        s->rowid[i] = w->rowid;
        s->kind[i] = (uint8_t)w->kind;
        s->themes[i] = w->themes;
        s->langs[i] = w->langs;
        s->area[i] = w->area;
        memcpy(s->name_off[i], w->name_off, sizeof w->name_off);
        s->by_rowid[i] = w->rowid << 32 | (int64_t)i;
        /* Lay each item's folded names out contiguously, in catalog order, so an
         * item is one span for memmem and the trigram pass. */
        s->fold_off[i] = (uint32_t)fold.len;
        for (int l = 0; l < CAT_NLANG; l++) {
            uint32_t off;
            if (!w->fold_off[l])
                continue;
            const char *f = folds.p + w->fold_off[l] - 1;
            if (arena_put(&fold, f, strlen(f), &off))
                goto nomem;
        }
    }
    s->fold_off[n] = (uint32_t)fold.len;
    s->n = n;
    qsort(s->by_rowid, n, sizeof *s->by_rowid, cmp_i64);
    {
        sortent *ents = kc_malloc((n ? n : 1) * sizeof *ents);
        s->by_id = kc_malloc((n ? n : 1) * sizeof *s->by_id);
        if (!ents || !s->by_id) {
            kc_free(ents);
            goto nomem;
        }
        for (size_t i = 0; i < n; i++) {
            ents[i].s = s->ids[i];
            ents[i].off = (uint32_t)i;
        }
        qsort(ents, n, sizeof *ents, cmp_sortent);
        for (size_t i = 0; i < n; i++)
            s->by_id[i] = ents[i].off;
        kc_free(ents);
    }
    s->names = names.p;
    names.p = NULL;
    s->fold = fold.p ? fold.p : kc_calloc(1, 1);
    fold.p = NULL;
    if (!s->fold)
        goto nomem;
    kc_free(folds.p);
    folds.p = NULL;
    kc_free(rows);
    rows = NULL;
    if ((rc = build_indexes(s, msg)))
        goto fail;
    if ((rc = build_orders(s))) {
        kc_fail(msg, rc, "search: out of memory");
        goto fail;
    }
    *out = s;
    return KC_OK;
nomem:
    rc = kc_fail(msg, KC_ENOMEM, "search: out of memory");
fail:
    for (size_t i = 0; i < nrows && rows; i++)
        kc_free(rows[i].id);
    kc_free(rows);
    kc_free(names.p);
    kc_free(folds.p);
    kc_free(fold.p);
    search_free(s);
    return rc;
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
    /* FTS5 query: every word of 3+ bytes as a quoted phrase, ANDed. */
    char expr[SEARCH_QUERY_MAX * 2 + 64];
    size_t e = 0;
    for (size_t w = 0; w < q->nw; w++) {
        if (q->wlen[w] < 3)
            continue;
        if (e)
            e += (size_t)snprintf(expr + e, sizeof expr - e, " AND ");
        expr[e++] = '"';
        for (size_t i = 0; i < q->wlen[w] && e < sizeof expr - 4; i++) {
            if (q->words[w][i] == '"')
                expr[e++] = '"';
            expr[e++] = q->words[w][i];
        }
        expr[e++] = '"';
        expr[e] = '\0';
    }
    if (!e)
        return KC_OK;
    sqlite3 *db = store_db(st);
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db, "SELECT rowid FROM item_text WHERE item_text MATCH ?", -1,
                           &stmt, NULL) != SQLITE_OK)
        return kc_fail(msg, KC_EDB, "search: %s", sqlite3_errmsg(db));
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
    if (q.n < max && st && total >= 3)
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
