/*
 * srvtext.h - text from outside made safe for an operator's terminal.
 *
 * Kiosks send free text (version, last error) and files carry ids and messages; a
 * terminal obeys escape sequences in them, so raw output could move the cursor,
 * rewrite earlier rows or fake new ones.  Every operator output of kiosk-server
 * passes such text through srvtext_clean first.
 *
 * Threads: no state.
 */
#ifndef SRVTEXT_H
#define SRVTEXT_H

#include <jansson.h>
#include <stddef.h>

#include "kc.h"

/* Copies s into out (cap bytes, cap >= 1, always NUL-terminated) with every control
 * character (C0, DEL, C1), bidirectional and invisible formatting character shown
 * as \xHH or \uHHHH, bytes that are not UTF-8 as \xHH and a backslash as \\, so the
 * output is printable and means exactly one input.  Output that does not fit is cut
 * between escapes and characters, never inside one.  Returns out. */
char *srvtext_clean(const char *s, char *out, size_t cap);

/* A JSON array on stdout, one element a line, for `--json` listings.  srvtext_json_row
 * prints o after "[\n" when *first (then cleared), after ",\n" otherwise; it takes o
 * (NULL: out of memory, nothing printed) and passes flags to json_dumps (add
 * JSON_ENSURE_ASCII for text from outside).  srvtext_json_end closes the array, "[]"
 * when no element was printed. */
kc_err srvtext_json_row(json_t *o, size_t flags, int *first);
void srvtext_json_end(int first);

#endif
