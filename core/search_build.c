/* Building a search index from the store: names folded and laid out, prefix, word
 * and trigram indexes, and the alphabetical orders per language. */
#include "search_index.h"
#include "store_sql.h"
#include "fold.h"

#include <stdio.h>

/* --- building ------------------------------------------------------------------ */

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
                      "json_extract(body, '$.type') = 'city', json_extract(body, '$.name.fi'), "
                      "json_extract(body, '$.name.sv'), json_extract(body, '$.name.en') "
                      "FROM area ORDER BY id";
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
        a->city_ix = -1;
        int names_ok = 1;
        for (int l = 0; l < CAT_NLANG; l++) {
            const char *nm = (const char *)sqlite3_column_text(q, 3 + l);
            a->name[l] = nm ? kc_strdup(nm) : NULL;
            names_ok &= !nm || a->name[l] != NULL;
        }
        s->nareas++;
        if (!a->id || !a->city || !names_ok)
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
     * comes out ascending, and `last` drops repeats within one item.  A list is
     * stored as varint gaps (one byte for most), about a third of plain numbers. */
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
                uint32_t gap = (uint32_t)it - (last[k] == UINT32_MAX ? 0 : last[k] + 1);
                last[k] = (uint32_t)it;
                if (pass == 0)
                    s->tri_off[k + 1] += varint_len(gap);
                else
                    s->tri_off[k] += varint_put(s->tri_post + s->tri_off[k], gap);
            }
        }
        if (pass == 0) {
            for (unsigned k = 0; k < TRI_N; k++)
                s->tri_off[k + 1] += s->tri_off[k];
            if (!(s->tri_post = kc_malloc(s->tri_off[TRI_N] + 1)))
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
    if (s->nareas)  /* qsort and bsearch want a real array even for zero elements */
        qsort(s->areas, s->nareas, sizeof *s->areas, cmp_area_id);
    for (size_t a = 0; a < s->nareas; a++)  /* each area's city, for "Porvoo" */
        for (size_t c = 0; c < s->nareas && s->areas[a].city_ix < 0; c++)
            if (s->areas[c].is_city && !strcmp(s->areas[c].city, s->areas[a].city))
                s->areas[a].city_ix = (int)c;

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
    if (nrows)
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
    if ((rc = search_build_terms(s, st, s->rowid, msg)))
        goto fail;
    /* Store row ids only joined texts to items while building. */
    kc_free(s->rowid);
    kc_free(s->by_rowid);
    s->rowid = NULL;
    s->by_rowid = NULL;
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

