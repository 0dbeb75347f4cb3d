/* tally_rank.c - the ranking order of projects, which the greedy methods (tally.c) and
 * equal shares (tally_mes.c) both follow: more votes first, then the ballot's tie rule,
 * then the listed order. */
#include "tally_impl.h"

int tally_before(const tally *t, size_t a, size_t b)
{
    const tally_row *x = &t->rows[a], *y = &t->rows[b];
    if (x->votes != y->votes)
        return x->votes > y->votes;
    switch (ballot_get_ties(t->b)) {
    case BALLOT_TIES_CHEAPER:
        if (x->cost != y->cost)
            return x->cost < y->cost;
        break;
    case BALLOT_TIES_DEARER:
        if (x->cost != y->cost)
            return x->cost > y->cost;
        break;
    case BALLOT_TIES_LISTED:
        break;
    }
    return a < b;
}

/* Insertion sort: at most BALLOT_MAX_PROJECTS rows, and qsort has no context. */
void tally_rank_(tally *t)
{
    for (size_t i = 0; i < t->n; i++)
        t->order[i] = i;
    for (size_t i = 1; i < t->n; i++) {
        size_t v = t->order[i], k = i;
        for (; k > 0 && tally_before(t, v, t->order[k - 1]); k--)
            t->order[k] = t->order[k - 1];
        t->order[k] = v;
    }
    for (size_t r = 0; r < t->n; r++) {
        tally_row *row = &t->rows[t->order[r]];
        row->rank = (int)r + 1;
        row->tied = (r > 0 && t->rows[t->order[r - 1]].votes == row->votes) ||
                    (r + 1 < t->n && t->rows[t->order[r + 1]].votes == row->votes);
    }
}
