/*
 * answer.h - one survey answer's JSON form (docs/survey-format.md, "Answers"), the
 * single encoder the survey station and workshops store with, and the option list a
 * question offers, which the CSV writer (csv.h) reads too.
 *
 * A question's options are its own, or in a workshop a list built from earlier
 * answers (options_from); answer_options carries either, so no caller needs to know.
 */
#ifndef ANSWER_H
#define ANSWER_H

#include <stddef.h>

#include <jansson.h>

#include "catalog.h"
#include "survey.h"

typedef struct answer_options {
    size_t n;
    const char *(*id)(const void *ctx, size_t i);
    const char *(*text)(const void *ctx, size_t i, const cat_langs *pref);
    const void *ctx;
} answer_options;

/* The question's own options (ctx is the question, which must outlive the value). */
answer_options answer_options_of(const survey_question *q);

/* The JSON of a set answer a to q; NULL on failure or for an option index outside
 * o.  Numbers are rounded to the question's decimals. */
json_t *answer_json(const survey_question *q, const answer_options *o, const survey_answer *a);

/* A text answer's entries (an array of strings; anything else in it skipped) as one
 * text, an entry a line, for a spreadsheet's cell: kc_malloc'ed, "" for none, NULL
 * out of memory. */
char *answer_lines(const json_t *v);

#endif
