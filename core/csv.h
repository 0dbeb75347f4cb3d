/*
 * csv.h - the one CSV writer: every CSV the kiosk, kioskctl and the server write
 * (survey responses, feedback, workshops, ballot tallies) goes through it, so every
 * export opens the same way in a Finnish spreadsheet.
 *
 * The dialect (docs/survey-format.md, "Exports"): UTF-8 with a byte order mark (so
 * Excel reads ä ö å), ';' between cells (Finnish Excel's list separator), CRLF line
 * ends, decimal comma, every text cell quoted.  A text cell that a spreadsheet would
 * run as a formula (= + - @ tab CR first) gets an apostrophe in front (OWASP "CSV
 * injection"); bidi overrides and invisible characters are dropped (safetext.h).
 *
 * Survey answers: csv_answer_heads / csv_answer_cells write a question's columns
 * (one column, or one per option for multi-choice and pick-top-N) the same way for
 * responses and workshops; a single-choice answer is its option's label in the
 * export language, a multi-choice column 1 when chosen, a ranked pick its place.
 *
 * Every function returns 0, or -1 when writing failed.
 */
#ifndef CSV_H
#define CSV_H

#include <stdio.h>

#include <jansson.h>

#include "answer.h"

int csv_bom(FILE *f);
int csv_sep(FILE *f);
int csv_eol(FILE *f);
/* One text cell (NULL: an empty quoted cell). */
int csv_text(FILE *f, const char *s);
/* One number cell with a decimal comma. */
int csv_number(FILE *f, double v, int decimals);
int csv_int(FILE *f, long long v);

/* How many columns the question takes (o: its options, answer.h). */
size_t csv_answer_columns(const survey_question *q, const answer_options *o);
/* Its column heads, each preceded by ';'. */
int csv_answer_heads(FILE *f, const survey_question *q, const answer_options *o,
                     const cat_langs *pref);
/* Its cells for the answer v (the JSON form of docs/survey-format.md, "Answers";
 * NULL: not answered), each preceded by ';'. */
int csv_answer_cells(FILE *f, const survey_question *q, const answer_options *o,
                     const cat_langs *pref, const json_t *v);

#endif
