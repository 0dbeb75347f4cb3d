/*
 * pbfile.h - pabulib .pb files (pabulib.org/format), the open format of real
 * participatory-budgeting elections: META, PROJECTS and VOTES sections of ';'-separated
 * rows.
 *
 * Writing turns a computed tally into a .pb file: META (budget, vote type, rule, lengths,
 * dates), PROJECTS in the ballot's order with votes and selected, and one VOTES row per counted
 * ballot in a fresh random order, numbered 1.. after shuffling, with no code, device,
 * receipt or time; a `voting_method` column (paper / electronic) only when there are
 * paper ballots.  Ballots the double-use rule dropped are left out and counted in META's
 * comment.
 *
 * Reading turns a .pb file into a kiosk ballot definition (docs/ballot-format.md) and
 * its votes, so past elections can be replayed under each rule: approval and choose-1
 * ballots, approval with max_sum_cost (knapsack-style: the budget limits the picks), and
 * cumulative ballots whose every vote gives one point.  The rule maps to the method
 * (greedy, greedy-no-skip, greedy-threshold with min_project_score_threshold,
 * equalshares and equalshares/add1 with cost utilities).  Anything else is refused with
 * the file name and line, never guessed.  The handle owns everything it returns.
 */
#ifndef PBFILE_H
#define PBFILE_H

#include <stdio.h>

#include "ballot.h"
#include "kc.h"
#include "tally.h"

/* Limits on files from outside. */
#define PBFILE_MAX_FILE (256L * 1024 * 1024)
#define PBFILE_MAX_VOTES 5000000L
#define PBFILE_MAX_LINE 65536

typedef struct pbfile pbfile;

/* buf need not be NUL-terminated.  name appears in messages ("file.pb: line 12: ...");
 * id is the ballot id to give the election (1-64 of a-z 0-9 . _ -). */
kc_err pbfile_read(const char *buf, size_t len, const char *name, const char *id,
                   pbfile **out, char *msg);
kc_err pbfile_load(const char *path, const char *id, pbfile **out, char *msg);
void pbfile_free(pbfile *p);

/* The election as a ballot (valid as long as the handle). */
const ballot *pbfile_ballot(const pbfile *p);
size_t pbfile_nvotes(const pbfile *p);
/* Vote i: its project indexes (in ballot order) and whether it was on paper. */
size_t pbfile_vote(const pbfile *p, size_t i, const unsigned char **idx, int *paper);
/* Votes left out because they broke the ballot's length limits (counted as invalid). */
long pbfile_skipped(const pbfile *p);
/* The file's own result for project index i: 1 selected, 0 not, -1 not given. */
int pbfile_selected(const pbfile *p, size_t i);

typedef struct pbfile_meta {
    const char *country;     /* NULL: "Finland" */
    const char *unit;        /* NULL: the ballot id */
    long dropped;            /* ballots the double-use rule left out */
    long invalid;            /* stored ballots that broke the rule */
} pbfile_meta;

/* Writes t (computed) as a .pb file.  KC_EIO when writing fails, KC_ENOMEM. */
kc_err pbfile_write(const tally *t, const pbfile_meta *m, FILE *f);

#endif
