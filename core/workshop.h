/*
 * workshop.h - coordinator workshops: named groups answer a workshop definition (a
 * survey file with "mode": "workshop") in turn; live totals for the room; end; export.
 *
 * Contract:
 * - A workshop is an instance of one definition version, under a random UUID.  Each
 *   group answer is committed on its own (one small transaction) before
 *   workshop_set_answer returns, so a crash mid-workshop loses nothing confirmed; a
 *   group may change its answer until the workshop ends.
 * - Pick-top-N questions with "options_from" offer the entries all groups gave to an
 *   earlier text question: option i of such a question is "<group>/<n>", the n-th
 *   entry of that group.  Picks follow the entry position; a pick whose entry was
 *   removed is dropped.
 * - workshop_end() marks the workshop ended and queues its answers for the server in
 *   one transaction: one outbox row "workshop-group" per group that answered and one
 *   "workshop" row naming the groups (docs/survey-format.md).  Ended workshops are
 *   read-only.
 * - The handle holds the definition and every answer in memory; reading options,
 *   answers and results is memory work for the UI thread.  Functions taking a store
 *   write to it.  One thread at a time per handle.  Groups are named, not residents:
 *   their answers are shown on the room's screen by design.
 */
#ifndef WORKSHOP_H
#define WORKSHOP_H

#include <stdio.h>
#include <time.h>

#include "kc.h"
#include "outbox.h"
#include "results.h"
#include "store.h"
#include "survey.h"

#define WORKSHOP_LABEL_MAX 100   /* characters */

typedef struct workshop workshop;

/* Creates or migrates the workshop tables (and the survey and outbox ones). */
kc_err workshop_init(store *st);

/* Starts a workshop on the newest version of workshop definition survey_id.  label
 * (may be NULL: the definition's title) names it in lists. */
kc_err workshop_start(store *st, const char *survey_id, const char *label, time_t now,
                      char id[OUTBOX_UUID_LEN + 1], char *msg);

kc_err workshop_open(store *st, const char *id, workshop **out, char *msg);
void workshop_free(workshop *w);
const char *workshop_errmsg(const workshop *w);

const char *workshop_id(const workshop *w);
const char *workshop_label(const workshop *w);
const survey *workshop_survey(const workshop *w);
int workshop_ended(const workshop *w);

/* Options question q offers now: its fixed options, or the entries given so far to
 * the text question it takes them from.  text in pref (fixed) or as written. */
size_t workshop_noptions(const workshop *w, size_t q);
const char *workshop_option_id(const workshop *w, size_t q, size_t i);
const char *workshop_option_text(const workshop *w, size_t q, size_t i, const cat_langs *pref);
/* The group an options_from option came from, or -1 for fixed options. */
long workshop_option_group(const workshop *w, size_t q, size_t i);

/* Group g's answer to q, or NULL when it has none.  Owned by w; valid until the next
 * call that changes w. */
const survey_answer *workshop_answer(const workshop *w, size_t g, size_t q);

/* Checks a against q (sel indexes are workshop options) and commits it as group g's
 * answer; a NULL or unset answer removes it.  KC_EINVAL with *p set when the answer
 * does not fit, KC_EUSAGE after the end; nothing changes on failure. */
kc_err workshop_set_answer(workshop *w, store *st, size_t g, size_t q, const survey_answer *a,
                           survey_problem *p);

/* Totals over the groups' answers, finished; the caller frees them. */
kc_err workshop_results(const workshop *w, results **out);

/* Ends the workshop and queues its answers (see above).  *nrows gets the outbox rows
 * written (may be NULL). */
kc_err workshop_end(workshop *w, store *st, time_t now, long *nrows);

/* Exports: CSV one row per group (labels in lang); JSON with answers and totals. */
kc_err workshop_export_csv(const workshop *w, cat_lang lang, FILE *f, char *msg);
kc_err workshop_export_json(const workshop *w, FILE *f, char *msg);

typedef struct workshop_info {
    char id[OUTBOX_UUID_LEN + 1];
    char survey[SURVEY_ID_MAX + 1];
    int version;
    char started[16], ended[16];   /* UTC hours; ended "" while open */
    long answers;
    char *label;
} workshop_info;

/* Every workshop, open ones first, then by start hour. */
kc_err workshop_list(store *st, workshop_info **out, size_t *n, char *msg);
void workshop_info_free(workshop_info *v, size_t n);

#endif
