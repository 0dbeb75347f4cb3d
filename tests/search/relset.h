/*
 * relset.h - the search relevance set (relevance.tsv): loading, judging a ranking,
 * per-category top-3 pass rate and mean reciprocal rank.  Used by the relevance test
 * and by bench_search, which runs the same queries through an FTS5 baseline.
 *
 * Facet expectations (theme:, group:, kind:, area:) are judged against the items of
 * the catalog files given to relset_load(), so a merged catalog judges generated
 * items the same way as sample ones.
 */
#ifndef RELSET_H
#define RELSET_H

#include <stddef.h>

typedef struct relset relset;

#define RELSET_TOP 3      /* a query passes when an expected item is in the top 3 */
#define RELSET_DEPTH 20   /* ranks looked at for the reciprocal rank */

/* Ranks query: writes up to max item ids (valid until the next call) to ids and
 * returns how many. */
typedef size_t (*relset_rank_fn)(void *ctx, const char *query, const char **ids,
                                 size_t max);

/* Loads the set and the catalogs (NULL-terminated list of content files).  Returns
 * NULL with a message on stderr. */
relset *relset_load(const char *tsv, const char *const *catalogs);
void relset_free(relset *r);
size_t relset_count(const relset *r);

/* Per-category results of one ranking function. */
typedef struct relset_score {
    char cat[32];
    size_t n, pass;
    double mrr;
} relset_score;

/* Runs every query; fills out (up to maxcat categories, in file order) and returns
 * how many categories.  *all gets the totals (cat "all").  With verbose, failures
 * are printed. */
size_t relset_run(relset *r, relset_rank_fn fn, void *ctx, relset_score *out,
                  size_t maxcat, relset_score *all, int verbose);

#endif
