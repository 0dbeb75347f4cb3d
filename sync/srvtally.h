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

typedef enum srvtally_format {
    SRVTALLY_TEXT,    /* a table with each project's result explained, and the rule */
    SRVTALLY_CSV,     /* tally_write_csv() */
    SRVTALLY_PB,      /* a pabulib .pb file (pbfile_write), ballots in random order */
    SRVTALLY_JSON,    /* {"title","summary","rule","projects":[{...,"why"}]} in o->lang,
                       * for the console */
} srvtally_format;

typedef struct srvtally_opts {
    srvtally_format format;
    /* NULL, or a method name ("greedy", "equal-shares", ...) to count the stored votes
     * by instead of the ballot's own: replaying an election under another rule.  Keys
     * the other method does not use are dropped; greedy-threshold needs the ballot to
     * have a threshold. */
    const char *method;
    cat_lang lang;    /* SRVTALLY_JSON: the language of titles, reasons and the rule */
} srvtally_opts;

/* Writes the result to out in the chosen format and the double-use report, with each
 * flagged code hash and the kiosks of its later uses (the first is not kept), to report.  sk: the ballot's secret tally key, or
 * NULL.  KC_ENOTFOUND: no such ballot; KC_EDENIED: sk does not belong to the ballot's
 * tally_key; KC_EINVAL: the method cannot count this ballot. */
kc_err srvtally_run(srvdb *db, const char *ballot_id, const unsigned char *sk,
                    const srvtally_opts *o, FILE *out, FILE *report, srvtally_result *res,
                    char *msg);

#endif
