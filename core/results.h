/*
 * results.h - totals of survey and workshop answers for charts, and the exports of
 * responses as CSV and JSON (docs/survey-format.md, "Exports").
 *
 * A results handle counts answer objects (the "answers" of a response payload)
 * against one definition: per question how many answered, per option how many chose
 * it and what percentage of those who answered the question that is, and for
 * pick-top-N questions points (ranked: the first pick gets N points, the last 1;
 * unranked: 1 point a pick) with a ranking.  Answers to questions or options the
 * definition does not have (older versions) are skipped and counted in `skipped`.
 *
 * Ownership: the handle keeps pointers into the definition it was made from, which
 * must outlive it (results_for_survey owns the definition it loads).  Everything is
 * memory work except results_for_survey and the exports, which read the store: call
 * them off the UI thread or between frames (they take milliseconds per thousand
 * responses).  Free text and contact details appear only in exports, which are for
 * the coordinator.
 */
#ifndef RESULTS_H
#define RESULTS_H

#include <stdio.h>

#include "kc.h"
#include "store.h"
#include "survey.h"

typedef struct results results;

typedef struct results_option {
    char *id;                  /* option id; "1".."5" for a scale; "group/n" in workshops */
    char *text[CAT_NLANG];     /* label; NULL for scale steps */
    long count;                /* answers that chose it */
    double percent;            /* count / answered * 100 */
    long points;               /* TOP only */
    int rank;                  /* 1 = best; ties share a rank; by points for TOP, else count */
} results_option;

typedef struct results_question {
    const survey_question *q;
    long answered;
    results_option *options;   /* SINGLE MULTI TOP SCALE */
    size_t noptions;
    size_t *order;             /* option indexes, best rank first */
    double mean, min, max;     /* SCALE and NUMBER, when answered */
    long texts;                /* TEXT: entries */
} results_question;

kc_err results_new(const survey *def, results **out);
void results_free(results *r);

/* Replaces the options of question q (a TOP question with options_from) with ones
 * offered now; ids and labels are copied. */
kc_err results_set_options(results *r, size_t q, const char *const *ids,
                           const char *const *labels, size_t n);

/* Counts one answers object (JSON text).  KC_EJSON when it is not an object. */
kc_err results_add(results *r, const char *answers_json, char *msg);

/* Percentages, means and ranks; call after the last results_add (again after more). */
void results_finish(results *r);

long results_responses(const results *r);
long results_skipped(const results *r);
size_t results_nquestions(const results *r);
const results_question *results_question_at(const results *r, size_t i);
const survey *results_survey(const results *r);

/* Totals of every stored response to survey id (all versions, counted against the
 * newest definition), finished. */
kc_err results_for_survey(store *st, const char *id, results **out, char *msg);

/* Exports every stored response of survey id.  CSV: UTF-8 with BOM, ';' separator,
 * CRLF, decimal comma, labels in lang; JSON: definitions and responses as stored. */
kc_err results_export_csv(store *st, const char *id, cat_lang lang, FILE *f, char *msg);
kc_err results_export_json(store *st, const char *id, FILE *f, char *msg);

/* Feedback, the same two ways (contact details included: coordinator only). */
kc_err results_feedback_csv(store *st, FILE *f, char *msg);
kc_err results_feedback_json(store *st, FILE *f, char *msg);

#endif
