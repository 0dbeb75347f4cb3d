/*
 * vocab.h - the trilingual vocabulary of the domain: concepts with their words in
 * Finnish, Swedish and English ("kuoro" / "kör" / "choir").  Format:
 * docs/vocabulary.md; the data is assets/vocab/vocab.tsv, compiled into the program
 * (vocab_load) so a kiosk never runs without it.
 *
 * Concepts whose id is "theme:<id>", "group:<id>" or "kind:<name>" name the catalog's
 * themes, target groups and kinds (catalog.h), so their words make those facets
 * searchable.  Every entry has at least one term in each of the three languages;
 * parsing refuses an entry without.  A vocab is immutable after loading.
 */
#ifndef VOCAB_H
#define VOCAB_H

#include <stddef.h>
#include "catalog.h"
#include "kc.h"

typedef struct vocab vocab;

/* Longest line of the data file, in bytes. */
#define VOCAB_LINE_MAX 1024

/* Parses data (len bytes, UTF-8 TSV).  On failure *out is NULL and msg names the
 * line.  */
kc_err vocab_parse(const char *data, size_t len, vocab **out, char *msg);
/* The vocabulary built into the program. */
kc_err vocab_load(vocab **out, char *msg);
void vocab_free(vocab *v);

size_t vocab_count(const vocab *v);
const char *vocab_id(const vocab *v, size_t i);
const char *vocab_yso(const vocab *v, size_t i);   /* "p1234" or NULL */
size_t vocab_nterms(const vocab *v, size_t i, cat_lang l);
const char *vocab_term(const vocab *v, size_t i, cat_lang l, size_t k);
/* Index of the entry with this id, or -1. */
int vocab_find(const vocab *v, const char *id);

#endif
