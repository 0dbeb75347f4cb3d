/*
 * doctest.h - helpers for the survey and ballot sync tests: ballot files, codes made
 * on an administrator's scratch database, votes cast on a kiosk database, admin
 * commands with their stderr, and single values read from any database.  Test-only;
 * failures fail the running cmocka test.
 */
#ifndef DOCTEST_H
#define DOCTEST_H

#include <stddef.h>
#include "syncc.h"
#include "synctest.h"
#include "votecode.h"

/* A knapsack ballot (budget 1000; projects p1 300, p2 400, p3 500) open from opens to
 * closes; tally_key is 64 hex digits or NULL. */
void dt_write_ballot(const char *path, const char *id, const char *opens, const char *closes,
                     const char *tally_key);
/* Makes n codes for the ballot file on a scratch database, writes the codes file
 * (hashes only) to codes_path and the printed codes into codes[]. */
void dt_make_codes(const char *ballot_path, const char *id, size_t n, const char *codes_path,
                   char (*codes)[VOTECODE_TEXT_LEN + 1]);
/* Casts one ballot on a kiosk database: with code (NULL: staff unlock), picking
 * project index pick, on local date day.  Returns the ballot_why of a refusal
 * (BALLOT_WHY_NONE when cast). */
int dt_cast(const char *kiosk_db, const char *ballot_id, const char *day, const char *code,
            size_t pick);
/* Why entering code on the kiosk would be refused now (BALLOT_WHY_NONE: accepted). */
int dt_code_why(const char *kiosk_db, const char *ballot_id, const char *day,
                const char *code);

/* A two-question survey (single "q1" a/b, required; scale "q2") titled title. */
void dt_write_survey(const char *path, const char *id, const char *title);
/* Publishes on the server db a survey "dt-survey", a ballot "dt-ballot" open from
 * opens to closes and n codes for it (written to codes[]); files go next to db. */
void dt_publish(const char *db, const char *opens, const char *closes, size_t n,
                char (*codes)[VOTECODE_TEXT_LEN + 1]);
/* The kiosk has applied every document feed up to the server's head, and holds the
 * server's surveys, ballots and code uses. */
void dt_assert_docs_synced(const char *kiosk_db, const char *server_db);

/* kiosk-server --db db admin ARGS (NULL-ended): exit status; stdout and stderr into
 * out and err (cap bytes each, NUL-terminated; either may be NULL). */
int dt_admin(const char *db, char *out, char *err, size_t cap, const char *const *args);
/* First column of the first row of sql on db (a number). */
long dt_long(const char *db, const char *sql);

syncc *dt_client(const char *kiosk_db, const st_server *s, const char *tok);
void dt_sync(syncc *c);

#endif
