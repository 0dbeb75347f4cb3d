/* The relevance set on the sample catalog: every category printed, and the whole set
 * must put an expected item in the top 3 for at least RELEVANCE_MIN percent of
 * queries (the target of docs/search.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "relset.h"
#include "search.h"
#include "store.h"

#define RELEVANCE_MIN 90.0

typedef struct rctx {
    search *s;
    search_hit hits[RELSET_DEPTH];
} rctx;

static size_t rank(void *ctx, const char *query, const char **ids, size_t max)
{
    rctx *c = ctx;
    size_t n = 0;
    search_info info;
    char msg[KC_MSGMAX];
    if (max > RELSET_DEPTH)
        max = RELSET_DEPTH;
    if (search_run(c->s, query, NULL, NULL, c->hits, max, &n, &info, msg)) {
        fprintf(stderr, "relevance: \"%s\": %s\n", query, msg);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        ids[i] = search_item_id(c->s, c->hits[i].item);
    return n;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: relevance SET.tsv CATALOG.json TMPDB\n");
        return 2;
    }
    const char *cats[] = { argv[2], NULL };
    relset *r = relset_load(argv[1], cats);
    if (!r)
        return 1;
    remove(argv[3]);
    store *st;
    if (store_open(argv[3], &st)) {
        fprintf(stderr, "relevance: %s\n", store_errmsg(st));
        return 1;
    }
    content *c = content_new();
    char msg[KC_MSGMAX];
    if (!c || content_load_file(c, argv[2]) || content_apply(c, st, 0, NULL)) {
        fprintf(stderr, "relevance: %s\n", c ? content_errmsg(c) : "out of memory");
        return 1;
    }
    content_free(c);
    rctx ctx;
    if (search_build(st, &ctx.s, msg)) {
        fprintf(stderr, "relevance: %s\n", msg);
        return 1;
    }
    relset_score cat[16], all;
    size_t nc = relset_run(r, rank, &ctx, cat, 16, &all, 1);
    printf("%-12s %5s %8s %6s\n", "category", "n", "top-3", "MRR");
    for (size_t i = 0; i < nc; i++)
        printf("%-12s %5zu %7.1f%% %6.3f\n", cat[i].cat, cat[i].n,
               100.0 * (double)cat[i].pass / (double)cat[i].n, cat[i].mrr);
    double pct = 100.0 * (double)all.pass / (double)all.n;
    printf("%-12s %5zu %7.1f%% %6.3f\n", "all", all.n, pct, all.mrr);
    int ok = all.n >= 200 && pct >= RELEVANCE_MIN;
    if (!ok)
        fprintf(stderr, "relevance: %.1f%% of %zu queries in the top 3; need %.0f%% of at "
                "least 200\n", pct, all.n, RELEVANCE_MIN);
    search_free(ctx.s);
    store_close(st);
    relset_free(r);
    remove(argv[3]);
    return ok ? 0 : 1;
}
