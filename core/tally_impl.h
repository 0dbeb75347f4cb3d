/* tally_impl.h - the tally's insides, shared by tally.c (counting, greedy methods, CSV),
 * tally_rank.c (the ranking), tally_mes.c (equal shares) and tally_text.c (words).
 * Not for other modules. */
#ifndef TALLY_IMPL_H
#define TALLY_IMPL_H

#include "tally.h"

struct tally {
    const ballot *b;
    tally_row *rows;       /* by project index */
    size_t *order;         /* rank order of project indexes */
    size_t n;
    tally_summary sum;
    /* the counted ballots: picks[start[i] .. start[i+1]) are ballot i's project indexes
     * (BALLOT_MAX_PROJECTS < 256), src[i] its source */
    unsigned char *picks;
    size_t npicks, cappicks;
    size_t *start;         /* nballots + 1 entries */
    unsigned char *src;
    size_t nballots, capballots;
};

/* Project a before b in the ranking: more votes, then the ballot's tie rule, then the
 * listed order. */
int tally_before(const tally *t, size_t a, size_t b);
/* Sets t->order to the ranking and every row's rank and tied (tally_rank.c). */
void tally_rank_(tally *t);

/* Equal shares over the counted ballots: sets winner, round, why, price, payers,
 * backing of every row and the summary's spent, winners, share, share_base. */
kc_err tally_mes(tally *t);

#endif
