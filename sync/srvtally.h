/*
 * srvtally.h - the server's count of a participatory-budgeting ballot: every ballot
 * and code use the kiosks pushed, reconciled by the core's double-use rule
 * (tally_reconcile, docs/voting.md), counted by the ballot's rule (tally.h).
 *
 * Tags in ballots are opened with the ballot's secret tally key when one is given;
 * without it (or for a ballot without a tally_key) no extra ballot can be dropped
 * and the report says how many double uses remain in the count ("unremovable").
 *
 * Reads only; one call per handle at a time.  On failure msg (KC_MSGMAX) says why and
 * nothing was written to out (the report may be partly written).
 */
#ifndef SRVTALLY_H
#define SRVTALLY_H

#include <stdio.h>

#include "srvdb.h"
#include "tally.h"
#include "votecode.h"

typedef struct srvtally_result {
    tally_reconcile_report rec;
    tally_summary sum;
    long tags_unopened;    /* tagged ballots counted without their tag */
} srvtally_result;

/* Writes the result to out (a table in text, or tally.h's CSV when csv) and the
 * double-use report, with each flagged code hash and the kiosks, to report.
 * sk: the ballot's secret tally key, or NULL.  KC_ENOTFOUND: no such ballot;
 * KC_EDENIED: sk does not belong to the ballot's tally_key. */
kc_err srvtally_run(srvdb *db, const char *ballot_id, const unsigned char *sk, int csv,
                    FILE *out, FILE *report, srvtally_result *res, char *msg);

#endif
