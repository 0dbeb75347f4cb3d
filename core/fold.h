/*
 * fold.h - folds text for matching: case, accents and compatibility forms removed.
 *
 * "Eläkeläiset" and "elakelaiset" fold to the same bytes, so do "Åland" and "aland",
 * "ﬁ" and "fi", NFC and NFD input.  Folding is done by libutf8proc (NFKD, strip marks,
 * case fold), with a short cut for ASCII and Å Ä Ö (tests/test_fold.c checks that it
 * gives the same bytes).  Search folds both the catalog and every query with this one
 * function, so they always agree.
 */
#ifndef FOLD_H
#define FOLD_H

#include <stddef.h>
#include "kc.h"

/* Folds the UTF-8 string s (len bytes) into a new NUL-terminated string (*out, free
 * with kc_free).  Invalid UTF-8 gives KC_EINVAL and *out = NULL. */
kc_err fold_utf8(const char *s, size_t len, char **out);

/* Lower case only, accents kept, composed (NFC): what the morphological analysers
 * (morph.h) read, since "sää" and "saa" are different Finnish words.  Same contract
 * as fold_utf8(). */
kc_err fold_lower(const char *s, size_t len, char **out);

/* 1 when s[0..len) is valid UTF-8 without NUL bytes. */
int fold_valid_utf8(const char *s, size_t len);

/* Finds the next word (letters, marks and digits; anything else separates words) in
 * s[*pos..len): returns 1 and sets [*start, *end), or 0 at the end.  Advances *pos
 * past the word; invalid bytes separate words. */
int fold_next_word(const char *s, size_t len, size_t *pos, size_t *start, size_t *end);

/* Number of characters (code points) in valid UTF-8. */
size_t fold_charlen(const char *s, size_t len);

#endif
