#include "relset.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_ 2048

typedef struct rq {
    char cat[32], lang[4];
    char *query;
    char *expect;   /* space-separated alternatives */
} rq;

typedef struct fitem {
    char *id, *kind, *area;
    json_t *themes, *groups, *name;   /* borrowed from the loaded catalogs */
} fitem;

struct relset {
    rq *q;
    size_t n;
    json_t *docs[4];
    fitem *items;
    size_t nitems;
    json_t *areas;             /* id -> {city, type} */
};

static int cmp_fitem(const void *a, const void *b)
{
    return strcmp(((const fitem *)a)->id, ((const fitem *)b)->id);
}

void relset_free(relset *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->q[i].query);
        free(r->q[i].expect);
    }
    free(r->q);
    free(r->items);
    for (int i = 0; i < 4; i++)
        json_decref(r->docs[i]);
    json_decref(r->areas);
    free(r);
}

size_t relset_count(const relset *r) { return r->n; }

static int load_catalogs(relset *r, const char *const *catalogs)
{
    size_t cap = 0;
    r->areas = json_object();
    for (int c = 0; catalogs[c] && c < 4; c++) {
        json_error_t err;
        json_t *doc = json_load_file(catalogs[c], 0, &err);
        if (!doc) {
            fprintf(stderr, "relset: %s: %s\n", catalogs[c], err.text);
            return -1;
        }
        r->docs[c] = doc;
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(doc, "areas"), i, v)
            json_object_set(r->areas, json_string_value(json_object_get(v, "id")), v);
        json_array_foreach(json_object_get(doc, "items"), i, v) {
            if (r->nitems == cap) {
                cap = cap ? cap * 2 : 1024;
                fitem *ni = realloc(r->items, cap * sizeof *ni);
                if (!ni)
                    return -1;
                r->items = ni;
            }
            fitem *f = &r->items[r->nitems++];
            f->id = (char *)json_string_value(json_object_get(v, "id"));
            f->kind = (char *)json_string_value(json_object_get(v, "kind"));
            f->area = (char *)json_string_value(json_object_get(v, "area"));
            f->themes = json_object_get(v, "themes");
            f->groups = json_object_get(v, "target_groups");
            f->name = json_object_get(v, "name");
        }
    }
    qsort(r->items, r->nitems, sizeof *r->items, cmp_fitem);
    return 0;
}

relset *relset_load(const char *tsv, const char *const *catalogs)
{
    relset *r = calloc(1, sizeof *r);
    FILE *f = fopen(tsv, "r");
    size_t cap = 0;
    char line[LINE_MAX_];
    if (!r || !f) {
        fprintf(stderr, "relset: cannot open %s\n", tsv);
        goto fail;
    }
    for (int lineno = 1; fgets(line, sizeof line, f); lineno++) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *col[4];
        int nc = 0;
        for (char *p = line; nc < 4; nc++) {
            col[nc] = p;
            char *t = strchr(p, '\t');
            if (!t) {
                nc++;
                break;
            }
            *t = '\0';
            p = t + 1;
        }
        if (nc != 4) {
            fprintf(stderr, "relset: %s:%d: expected 4 columns\n", tsv, lineno);
            goto fail;
        }
        if (r->n == cap) {
            cap = cap ? cap * 2 : 256;
            rq *nq = realloc(r->q, cap * sizeof *nq);
            if (!nq)
                goto fail;
            r->q = nq;
        }
        rq *q = &r->q[r->n++];
        snprintf(q->cat, sizeof q->cat, "%s", col[0]);
        snprintf(q->lang, sizeof q->lang, "%s", col[1]);
        q->query = strdup(col[2]);
        q->expect = strdup(col[3]);
        if (!q->query || !q->expect)
            goto fail;
    }
    fclose(f);
    f = NULL;
    if (load_catalogs(r, catalogs))
        goto fail;
    return r;
fail:
    if (f)
        fclose(f);
    relset_free(r);
    return NULL;
}

static int in_array(json_t *a, const char *v)
{
    size_t i;
    json_t *x;
    json_array_foreach(a, i, x)
        if (json_is_string(x) && !strcmp(json_string_value(x), v))
            return 1;
    return 0;
}

/* Lower case for the letters of the catalog: ASCII and Latin-1 (Ä Ö Å É ...). */
static void lower(char *s)
{
    for (unsigned char *p = (unsigned char *)s; *p; p++) {
        if (*p >= 'A' && *p <= 'Z')
            *p = (unsigned char)(*p + 32);
        else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97)
            p[1] = (unsigned char)(p[1] + 0x20);
    }
}

/* A name of the item, in any language, contains want (lower case). */
static int name_has(const fitem *f, const char *want)
{
    const char *k;
    json_t *v;
    json_object_foreach(f->name, k, v) {
        char buf[1024];
        snprintf(buf, sizeof buf, "%s", json_string_value(v) ? json_string_value(v) : "");
        lower(buf);
        if (strstr(buf, want))
            return 1;
    }
    return 0;
}

/* One facet condition ("theme:youth") holds for item f. */
static int facet_holds(const relset *r, const fitem *f, const char *cond)
{
    const char *v = strchr(cond, ':');
    if (!v)
        return 0;
    v++;
    if (!strncmp(cond, "theme:", 6))
        return in_array(f->themes, v);
    if (!strncmp(cond, "group:", 6))
        return in_array(f->groups, v);
    if (!strncmp(cond, "name:", 5))
        return name_has(f, v);
    if (!strncmp(cond, "kind:", 5))
        return f->kind && !strcmp(f->kind, v);
    if (!strncmp(cond, "area:", 5)) {
        if (!f->area)
            return 0;
        if (!strcmp(f->area, v))
            return 1;
        json_t *want = json_object_get(r->areas, v), *have = json_object_get(r->areas, f->area);
        const char *wt = json_string_value(json_object_get(want, "type"));
        const char *wc = json_string_value(json_object_get(want, "city"));
        const char *hc = json_string_value(json_object_get(have, "city"));
        return wt && !strcmp(wt, "city") && wc && hc && !strcmp(wc, hc);
    }
    return 0;
}

/* Item id satisfies one alternative (an id, or facets joined with "+"). */
static int satisfies(const relset *r, const char *id, const char *alt, size_t altlen)
{
    char buf[256];
    if (altlen >= sizeof buf)
        return 0;
    memcpy(buf, alt, altlen);
    buf[altlen] = '\0';
    if (!strchr(buf, ':'))
        return !strcmp(buf, id);
    fitem key = { (char *)id, NULL, NULL, NULL, NULL, NULL };
    const fitem *f = bsearch(&key, r->items, r->nitems, sizeof key, cmp_fitem);
    if (!f)
        return 0;
    for (char *c = strtok(buf, "+"); c; c = strtok(NULL, "+"))
        if (!facet_holds(r, f, c))
            return 0;
    return 1;
}

static int expected(const relset *r, const rq *q, const char *id)
{
    for (const char *p = q->expect; *p;) {
        while (*p == ' ')
            p++;
        size_t l = strcspn(p, " ");
        if (l && satisfies(r, id, p, l))
            return 1;
        p += l;
    }
    return 0;
}

size_t relset_run(relset *r, relset_rank_fn fn, void *ctx, relset_score *out,
                  size_t maxcat, relset_score *all, int verbose)
{
    size_t ncat = 0;
    memset(all, 0, sizeof *all);
    snprintf(all->cat, sizeof all->cat, "all");
    for (size_t i = 0; i < r->n; i++) {
        const rq *q = &r->q[i];
        const char *ids[RELSET_DEPTH];
        size_t n = fn(ctx, q->query, ids, RELSET_DEPTH);
        size_t rank = 0;
        for (size_t k = 0; k < n && !rank; k++)
            if (expected(r, q, ids[k]))
                rank = k + 1;
        size_t c = 0;
        while (c < ncat && strcmp(out[c].cat, q->cat))
            c++;
        if (c == ncat && ncat < maxcat) {
            memset(&out[ncat], 0, sizeof out[ncat]);
            snprintf(out[ncat].cat, sizeof out[ncat].cat, "%s", q->cat);
            ncat++;
        }
        int pass = rank && rank <= RELSET_TOP;
        double rr = rank ? 1.0 / (double)rank : 0.0;
        if (c < ncat) {
            out[c].n++;
            out[c].pass += (size_t)pass;
            out[c].mrr += rr;
        }
        all->n++;
        all->pass += (size_t)pass;
        all->mrr += rr;
        if (verbose && !pass) {
            printf("  miss %-10s %s %-36s rank %zu; top:", q->cat, q->lang, q->query, rank);
            for (size_t k = 0; k < n && k < 3; k++)
                printf(" %s", ids[k]);
            printf("\n");
        }
    }
    for (size_t c = 0; c < ncat; c++)
        out[c].mrr = out[c].n ? out[c].mrr / (double)out[c].n : 0;
    all->mrr = all->n ? all->mrr / (double)all->n : 0;
    return ncat;
}
