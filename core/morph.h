/*
 * morph.h - word forms for search: Finnish base forms and compound parts from the
 * Voikko analyser, Swedish and English stems from the Snowball stemmers.
 *
 * "kerhoon" -> kerho, "Helsingin" -> Helsinki, "mieskuorolle" -> mieskuoro and the
 * parts mies, kuoro; "pensionärer" -> pensionär, "choirs" -> choir.  Search gives
 * every word of the catalog and every query word to morph_forms() and indexes or
 * looks up what comes back, so "kerhoon" finds "Kerho".
 *
 * A handle holds one Voikko instance (a few MB, about 5 ms to open) and two stemmers;
 * it is not thread-safe: one thread uses a handle at a time.  Analysing a word costs
 * tens of microseconds, so callers cache results (search analyses each distinct word
 * of the catalog once and each query word once per change).
 */
#ifndef MORPH_H
#define MORPH_H

#include <stddef.h>
#include "catalog.h"
#include "kc.h"

typedef struct morph morph;

/* Longest word analysed, in bytes; longer words have no forms (no language has
 * real words that long, and the analysers' cost grows with length). */
#define MORPH_WORD_MAX 64

typedef enum morph_kind {
    MORPH_BASE,   /* dictionary form or stem of the whole word */
    MORPH_PART,   /* base form of one part of a compound, not the last */
    MORPH_HEAD,   /* base form of the last part: what a Finnish compound is (a
                     "mieskuoro" is a kuoro) */
} morph_kind;

/* Called once per form found; form is NUL-terminated and valid during the call. */
typedef int (*morph_fn)(void *ctx, const char *form, morph_kind kind);

/* On failure *out is NULL and msg (KC_MSGMAX) says why (a missing Finnish dictionary:
 * install voikko-fi). */
kc_err morph_new(morph **out, char *msg);
void morph_free(morph *m);

/* Forms of one lower-case word (fold_lower()) of len bytes read as lang.  Forms may
 * repeat or equal the word.  Stops early and returns fn's value when fn returns
 * non-zero; otherwise 0. */
int morph_forms(morph *m, cat_lang lang, const char *word, size_t len, morph_fn fn,
                void *ctx);

#endif
