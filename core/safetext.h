/*
 * safetext.h - text from outside, made safe to keep, show and export.
 *
 * Two jobs, each in one place so every reader and writer does it the same way:
 *
 *   - safetext_check_file(): the first look at any imported file (content, surveys,
 *     ballots, codes files, the kiosk's settings).  A byte order mark, UTF-16 and NUL
 *     bytes get a message that says what the file is and what to do, instead of the
 *     JSON parser's "invalid token" at line 1.
 *
 *   - safetext_neutralise(): removes the characters that change how text around them
 *     looks without being seen themselves: bidirectional embeddings, overrides and
 *     isolates (U+202A..U+202E, U+2066..U+2069), the invisible marks and joiners
 *     (U+200B..U+200F, U+2060..U+2064, U+FEFF, U+061C, U+180E), and control characters
 *     other than tab and newline (C0, DEL, C1).  A comment with a right-to-left
 *     override in it, or a name with a hidden character, would otherwise read
 *     differently in the kiosk, in a spreadsheet and in a terminal.  Free text a resident types
 *     (feedback, survey answers) goes through it before it is stored, every string of
 *     a pushed row through it again on the server (a kiosk that was altered), and CSV
 *     exports drop the same characters as they write (older rows).
 *
 * Pure functions, no state, any thread.
 */
#ifndef SAFETEXT_H
#define SAFETEXT_H

#include <jansson.h>
#include <stddef.h>

#include "kc.h"

/* KC_OK, or KC_EINVAL with "NAME: ..." in msg (KC_MSGMAX bytes) when buf starts with a
 * byte order mark, looks like UTF-16 or holds a NUL byte. */
kc_err safetext_check_file(const char *buf, size_t len, const char *name, char *msg);

/* An imported JSON file: safetext_check_file(), then jansson with duplicate keys
 * refused.  Errors: KC_EINVAL (above), KC_EJSON "NAME: line L column C: why" (an
 * escaped NUL, "\u0000", in plain words), KC_ENOMEM.  *out is NULL on error; the
 * caller json_decref()s it. */
kc_err safetext_json_load(const char *buf, size_t len, const char *name, json_t **out,
                          char *msg);

/* Removes the characters listed above from s in place (s shrinks or stays; it stays
 * NUL-terminated and valid UTF-8 if it was).  Returns how many were removed.  Invalid
 * UTF-8 bytes are left alone: validating is the caller's job. */
size_t safetext_neutralise(char *s);

/* Bytes of the character at s to leave out (0: keep it), for writers that copy text
 * out a character at a time (CSV).  s must be NUL-terminated. */
size_t safetext_unwanted_len(const char *s);

/* 1 when s holds none of those characters (nothing to remove). */
int safetext_is_clean(const char *s);

#endif
