/*
 * tally.h - counting a participatory-budgeting ballot, choosing the winners by the
 * method its rule names, explaining each project's result, and the server's rule for
 * codes used on two offline kiosks.
 *
 * Methods (docs/ballot-format.md "Winners"; tally_rule_text() says the same to voters):
 *   Projects are ranked by votes, most first; equal votes are ordered by the rule's
 *   "ties" (cheaper first, dearer first, or as listed), then as listed.
 *   greedy:           down the ranking, a project with votes wins when its cost fits
 *                     what is left of the budget and fewer than `winners` have won; what
 *                     does not fit is skipped.
 *   greedy-no-skip:   the same, but counting stops at the first project that does not fit.
 *   greedy-threshold: greedy among the projects with at least the minimum share of the
 *                     counted ballots (or count of votes); the others lose.
 *   equal-shares:     the Method of Equal Shares: the budget is split equally between the
 *                     voters; a project is bought by its supporters' shares, the one with
 *                     the lowest price per voter (per euro of cost with cost utilities)
 *                     first, until no project can be paid.  The add-one completion then
 *                     raises every share by 1 euro at a time and keeps the last outcome
 *                     that still fits the real budget.
 * Every row says why it won or lost (tally_why, tally_explain()).
 * Staff-unlocked and paper ballots count like the others and are also reported
 * separately.  Invalid ballots (unknown project, a repeated pick, against the rule)
 * count nowhere but in `invalid`; a correct kiosk never stores one.
 *
 * A tally owns its counts and the counted ballots' picks (for equal shares and the
 * pabulib export) and keeps a pointer to the ballot, which must outlive it.
 * Single-threaded; no database access except tally_add_store().
 */
#ifndef TALLY_H
#define TALLY_H

#include <stdio.h>

#include "ballot.h"
#include "kc.h"
#include "store.h"

typedef struct tally tally;

/* Why a project won or lost; tally_explain() puts it in words. */
typedef enum tally_why {
    TALLY_WHY_FITS,          /* won: its cost fitted what was left (`left`) */
    TALLY_WHY_TOP,           /* won: among the `winners` with the most votes, no budget */
    TALLY_WHY_SHARES,        /* won: bought by `payers` supporters, at most `price` each */
    TALLY_WHY_NO_VOTES,      /* lost: nobody voted for it */
    TALLY_WHY_NO_FIT,        /* lost: `left` was less than its cost */
    TALLY_WHY_STOPPED,       /* lost: counting stopped at `blocker`, which did not fit */
    TALLY_WHY_THRESHOLD,     /* lost: fewer than `need` votes */
    TALLY_WHY_FULL,          /* lost: `winners` projects had won already */
    TALLY_WHY_SHORT,         /* lost: its supporters had `backing` left, less than the cost */
} tally_why;

typedef struct tally_row {
    size_t project;          /* index in the ballot */
    const char *id;
    long long cost;
    long votes, votes_code, votes_staff, votes_paper;
    int rank;                /* 1.. in the order above */
    int tied;                /* another project has exactly as many votes */
    int winner;
    int round;               /* 1.. the order in which winners were chosen; 0 for losers */
    tally_why why;
    long long left;          /* FITS, NO_FIT: budget left when it was considered */
    size_t blocker;          /* STOPPED: project index of the one that did not fit */
    long need;               /* THRESHOLD: votes needed */
    double price;            /* SHARES: the most one supporter paid (euros) */
    long payers;             /* SHARES: supporters who paid something */
    double backing;          /* SHORT: what its supporters had left at the end (euros) */
} tally_row;

typedef struct tally_summary {
    long ballots, ballots_code, ballots_staff, ballots_paper, invalid;
    /* counted ballots that were judged by an earlier version with another rule,
     * projects or costs (changed before voting opened: docs/voting.md) */
    long judged_earlier;
    long long budget;        /* 0 when the ballot has none */
    long long spent;         /* total cost of the winners */
    int winners;
    double share;            /* equal shares: each voter's share in the outcome used */
    double share_base;       /* equal shares: budget / ballots before any completion */
} tally_summary;

kc_err tally_new(const ballot *b, tally **out);
void tally_free(tally *t);

/* How a ballot was cast; the tally and the export keep paper apart. */
typedef enum tally_source {
    TALLY_CODE,
    TALLY_STAFF,
    TALLY_PAPER,
} tally_source;

/* One ballot: KC_EINVAL (counted as invalid, nothing else changes) when it breaks the
 * ballot's rule; KC_ENOMEM (nothing counted) when its picks cannot be kept.  staff is a
 * tally_source (0 code, 1 staff, 2 paper), kept an int for the store's callback. */
kc_err tally_add(tally *t, const char *const *picks, size_t n, int staff);
/* The same with project indexes (the pabulib import), already known to be distinct. */
kc_err tally_add_index(tally *t, const size_t *idx, size_t n, tally_source src);
/* One ballot judged by the definition it was cast under: `judge` is that version of
 * the counted ballot (NULL, or one with the same rule, projects and costs: exactly
 * tally_add).  Valid under judge: counted, leaving out picks of projects the counted
 * version no longer has; invalid under judge: KC_EINVAL, counted invalid. */
kc_err tally_add_judged(tally *t, const ballot *judge, const char *const *picks, size_t n,
                        int src);
/* Every vote stored for the ballot in st, each judged by the version it was cast under
 * (message in the store on failure). */
kc_err tally_add_store(tally *t, store *st);

/* Ranks and chooses winners; call after the adds (again after more adds).  KC_ENOMEM
 * only for equal shares, which needs working memory; the rows are then unchanged. */
kc_err tally_compute(tally *t);
size_t tally_nrows(const tally *t);
/* Row i in rank order (0 = first place). */
const tally_row *tally_row_at(const tally *t, size_t i);
/* The row of project index p. */
const tally_row *tally_row_of(const tally *t, size_t p);
void tally_get_summary(const tally *t, tally_summary *s);
const ballot *tally_ballot(const tally *t);

/* The counted ballots: n of them; ballot i's project indexes in ballot order and its
 * source.  Valid until the next add. */
size_t tally_nballots(const tally *t);
size_t tally_ballot_picks(const tally *t, size_t i, const unsigned char **idx,
                          tally_source *src);

/* CSV in the dialect of csv.h (BOM, ';', quoted and defused text, so a project
 * titled "=HYPERLINK(...)" stays text in a spreadsheet), a header line: rank, id,
 * title (fi, then sv, en), cost, votes, votes_code, votes_staff, votes_paper, tied,
 * winner, round, explanation (English).  KC_EIO when writing fails. */
kc_err tally_write_csv(const tally *t, FILE *f);

/* The winner rule in words for the results screen, in lang; NUL-terminated, cut to
 * cap.  Returns the length it needed. */
size_t tally_rule_text(const ballot *b, cat_lang lang, char *buf, size_t cap);
/* Why row r won or lost, one sentence in lang ("Did not fit: 12 000 € left, costs
 * 20 000 €."); NUL-terminated, cut to cap.  Returns the length it needed. */
size_t tally_explain(const tally *t, const tally_row *r, cat_lang lang, char *buf,
                     size_t cap);

/* --- double use across offline kiosks (server side) ---------------------------------- */

/* A code-use record as the server received it ("ballot-code" outbox row). */
typedef struct tally_use {
    const char *uuid;        /* the outbox row's UUID: a resend repeats it */
    const char *code_hash;
    const char *kiosk;       /* the device that sent it, for the report */
    int duplicate;           /* out: 1 for every record of a code beyond the first */
} tally_use;

/* A ballot as the server received it ("ballot" outbox row), its tag opened with the
 * tally key's secret half (votecode_open_tag); tag NULL for staff ballots and ballots
 * without a tally key. */
typedef struct tally_vote {
    const char *uuid;
    const char *tag;
    int counts;              /* out: 1 when the ballot is counted */
    int duplicate;           /* out: 1 when another ballot of the same code counts */
} tally_vote;

typedef struct tally_reconcile_report {
    long codes_used;         /* distinct code hashes */
    long duplicate_uses;     /* records beyond the first per code */
    long counted, duplicate_votes;
    long unremovable;        /* duplicate uses with no tagged ballot to drop */
} tally_reconcile_report;

/* The rule, documented in docs/voting.md: records repeating a UUID are one record (a
 * resend).  Per code hash the record with the smallest UUID stands and the others are
 * flagged duplicate.  Per tag the ballot with the smallest UUID counts and the others
 * are flagged and not counted; untagged ballots always count.  UUIDs are random, so
 * "smallest" is an arbitrary but reproducible choice: the order of arrival is not kept
 * anywhere, on purpose.  Pure; KC_ENOMEM is the only failure. */
kc_err tally_reconcile(tally_use *uses, size_t nuses, tally_vote *votes, size_t nvotes,
                       tally_reconcile_report *rep);

#endif
