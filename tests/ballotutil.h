/*
 * ballotutil.h - ballot helpers shared by the ballot tests (test_ballot.c,
 * test_ballot_cast.c).  Each fails the running cmocka test instead of returning an
 * error.
 */
#ifndef BALLOTUTIL_H
#define BALLOTUTIL_H

#include "ballot.h"
#include "store.h"

/* A day inside the small ballot's period (2026-01-01 .. 2026-12-31). */
#define TU_BALLOT_DAY "2026-06-01"

/* A small ballot's JSON (free() it): id "t", rule is the JSON of "rule", extra (may be
 * NULL) more members before "title"; projects a..e cost 100, 200, 300, 400, 500. */
char *tu_ballot_json(const char *rule, const char *extra);
/* tu_ballot_json parsed (ballot_free it); fails the test when it does not parse. */
ballot *tu_ballot_parse(const char *rule, const char *extra);
/* A fresh store under the test's temporary directory with the ballot tables. */
store *tu_ballot_db(const char *name);

#endif
