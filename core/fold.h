/*
 * fold.h - folds text for matching: case, accents and compatibility forms removed.
 *
 * "Eläkeläiset" and "elakelaiset" fold to the same bytes, so do "Åland" and "aland",
 * "ﬁ" and "fi", NFC and NFD input.  Folding is done by libutf8proc (NFKD, strip marks,
 * case fold); nothing here knows individual letters.  Search folds both the catalog
 * and every query with this one function, so they always agree.
 */
#ifndef FOLD_H
#define FOLD_H

#include <stddef.h>
#include "kc.h"

/* Folds the UTF-8 string s (len bytes) into a new NUL-terminated string (*out, free
 * with kc_free).  Invalid UTF-8 gives KC_EINVAL and *out = NULL. */
kc_err fold_utf8(const char *s, size_t len, char **out);

/* 1 when s[0..len) is valid UTF-8 without NUL bytes. */
int fold_valid_utf8(const char *s, size_t len);

/* Number of characters (code points) in valid UTF-8. */
size_t fold_charlen(const char *s, size_t len);

#endif
