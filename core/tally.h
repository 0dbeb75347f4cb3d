/*
 * tally.h - counting a participatory-budgeting ballot, choosing the winners by its rule,
 * and the server's rule for codes used on two offline kiosks.
 *
 * Winners (the rule text, tally_rule_text(), says the same to voters):
 *   Projects are ranked by votes, most first; equal votes: the cheaper project first;
 *   equal cost too: the project listed earlier in the ballot file (the order is public
 *   before voting opens).  Going down the ranking, a project wins when it has at least
 *   one vote, its cost fits what is left of the budget (when the ballot has one) and
 *   fewer than `winners` projects have won (approval only).  A project that does not
 *   fit is skipped and the next one is considered (the usual greedy PB rule).
 * Staff-unlocked ballots count like the others and are also reported separately.
 * Invalid ballots (unknown project, a repeated pick, against the rule) count nowhere
 * but in `invalid`; a correct kiosk never stores one.
 *
 * A tally owns its counts and keeps a pointer to the ballot, which must outlive it.
 * Single-threaded; no database access except tally_add_store().
 */
#ifndef TALLY_H
#define TALLY_H

#include <stdio.h>

#include "ballot.h"
#include "kc.h"
#include "store.h"

typedef struct tally tally;

typedef struct tally_row {
    size_t project;          /* index in the ballot */
    const char *id;
    long long cost;
    long votes, votes_code, votes_staff;
    int rank;                /* 1.. in the order above */
    int tied;                /* another project has exactly as many votes */
    int winner;
} tally_row;

typedef struct tally_summary {
    long ballots, ballots_code, ballots_staff, invalid;
    long long budget;        /* 0 when the ballot has none */
    long long spent;         /* total cost of the winners */
    int winners;
} tally_summary;

kc_err tally_new(const ballot *b, tally **out);
void tally_free(tally *t);

/* One ballot: KC_EINVAL (counted as invalid, nothing else changes) when it breaks the
 * ballot's rule. */
kc_err tally_add(tally *t, const char *const *picks, size_t n, int staff);
/* Every vote stored for the ballot in st (message in the store on failure). */
kc_err tally_add_store(tally *t, store *st);

/* Ranks and chooses winners; call after the adds (again after more adds). */
void tally_compute(tally *t);
size_t tally_nrows(const tally *t);
/* Row i in rank order (0 = first place). */
const tally_row *tally_row_at(const tally *t, size_t i);
void tally_get_summary(const tally *t, tally_summary *s);

/* CSV (RFC 4180, UTF-8, header line): rank, id, title (fi, then sv, en), cost, votes,
 * votes_code, votes_staff, tied, winner.  KC_EIO when writing fails. */
kc_err tally_write_csv(const tally *t, FILE *f);

/* The winner rule in words for the results screen, in lang; NUL-terminated, cut to
 * cap.  Returns the length it needed. */
size_t tally_rule_text(const ballot *b, cat_lang lang, char *buf, size_t cap);

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
