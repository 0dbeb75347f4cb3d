/*
 * gen.h - writes a synthetic catalog in the content format (docs/content-format.md),
 * for benchmarks, load tests and a kiosk to demonstrate without real data.
 *
 * Contract:
 * - The output is one complete content file that `kioskctl import` accepts: every id
 *   is unique, every relation (organiser, venue, contact_person) and every area names
 *   something written earlier in the same file, every text is within its limit.  The
 *   file is marked "sample": true.
 * - Same n_items and seed give the same bytes on every machine and run; the generator
 *   keeps no state between calls and touches no globals, so calls may run on several
 *   threads at once (each with its own FILE).
 * - Items come in the proportions of a real register: ~80 % associations, 8 % volunteer
 *   opportunities, 4 % venues, 4 % events, 2 % grants, 2 % city contact persons, with
 *   Finnish and Swedish names drawn from 91 municipalities and 206 areas.  Names vary
 *   as a register's do (tests/test_gen.c): place + activity + form, generated villages,
 *   memorial foundations named after people, acronyms, English-named clubs, names
 *   registered only in Swedish in bilingual towns; descriptions are one to six
 *   sentences (one to four) from a varied stock (gen_names.c).
 * - Memory stays small whatever n_items is: items are built and written one at a time.
 * - gen_write flushes f but never closes it.  On failure part of a file may already be
 *   written and is not valid JSON: the caller removes it.
 */
#ifndef GEN_H
#define GEN_H

#include <stdio.h>

#include "kc.h"

/* Largest n_items gen_write accepts.  The format allows 500 000 items but also caps a
 * file at 256 MiB; items average ~540 bytes, so 400 000 (~210 MiB) keeps a margin. */
#define GEN_MAX_ITEMS 400000L

/* Writes a complete content file with n_items items to f. Same seed => same bytes.
 * On failure returns a code and writes a message into msg (KC_MSGMAX bytes):
 * KC_EUSAGE for a NULL f or n_items outside 0..GEN_MAX_ITEMS, KC_EIO when writing
 * fails, KC_ENOMEM when building an item fails, KC_ETOOBIG when a built-in template
 * overflows its field (a bug in gen.c, reported rather than cut). */
kc_err gen_write(FILE *f, long n_items, unsigned long seed, char *msg);

#endif
