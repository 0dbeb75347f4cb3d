/*
 * srvdb_results_survey.h - survey results for the console (docs/admin-api.md,
 * "Results: surveys"): answer counts per question, responses per day, the free-text
 * answers, and the responses themselves for exports.
 *
 * The counts come from tables the storage keeps as responses arrive (per survey,
 * version, local day, kiosk, question and answer value), so a year of a city's
 * answers is a few thousand rows to add up rather than a million payloads to parse.
 * A value key is an option id (single, multi, top), a scale step or a number as
 * text; free text never enters the counts.  Days are local days of the server's time
 * zone (TZ) at the time the response was stored, "YYYY-MM-DD".
 *
 * Same contract as srvdb.h: a kc_err, a message in the handle, a failed call changed
 * nothing.
 */
#ifndef SRVDB_RESULTS_SURVEY_H
#define SRVDB_RESULTS_SURVEY_H

#include "srvdb.h"

/* Which responses of one survey: versions (NULL = every one), local days from..to
 * (inclusive, NULL = no bound), devices (NULL = every device; ndevices 0 with
 * devices set = none). */
typedef struct srvdb_sv_filter {
    const char *survey;
    const long long *versions;
    size_t nversions;
    const char *from_day, *to_day;
    const long long *devices;
    size_t ndevices;
} srvdb_sv_filter;

/* Every stored survey version (workshops left out) with its title (JSON text of a
 * TEXT object), the definition when `bodies` (else NULL) and its responses over all
 * kiosks; survey NULL = every survey.  In id, then version order. */
typedef kc_err (*srvdb_sv_version_fn)(void *ctx, const char *id, long long version,
                                      const char *title, const char *body, long long responses);
kc_err srvdb_sv_versions(srvdb *db, const char *survey, int bodies, srvdb_sv_version_fn fn,
                         void *ctx);

/* Responses per version and local day (summed over the devices), in day order. */
typedef kc_err (*srvdb_sv_day_fn)(void *ctx, long long version, const char *day, long long n);
kc_err srvdb_sv_days(srvdb *db, const srvdb_sv_filter *f, srvdb_sv_day_fn fn, void *ctx);

/* Answer counts per version, question and value: n answers with that value; for
 * list answers (multi, top) `first` how often it came first and `rank_sum` the sum of
 * its places (1 = first). */
typedef kc_err (*srvdb_sv_count_fn)(void *ctx, long long version, const char *qid,
                                    const char *key, long long n, long long first,
                                    long long rank_sum);
kc_err srvdb_sv_counts(srvdb *db, const srvdb_sv_filter *f, srvdb_sv_count_fn fn, void *ctx);

/* Free-text answers to question qid (each entry of a list answer apart), newest first
 * (by hour, then uuid and entry descending), those before the cursor (before_hour 0 =
 * from the newest), at most limit. */
typedef struct srvdb_sv_text {
    const char *uuid;
    long long hour;       /* unix time of the stored UTC hour */
    long long version, device;
    int entry;            /* 0 for a single text, else the list's place from 0 */
    const char *text;     /* NULL when hidden */
    const char *hidden_by;
    long long hidden_at;
} srvdb_sv_text;
typedef kc_err (*srvdb_sv_text_fn)(void *ctx, const srvdb_sv_text *t);
kc_err srvdb_sv_texts(srvdb *db, const srvdb_sv_filter *f, const char *qid,
                      long long before_hour, const char *before_uuid, int before_entry,
                      long limit, srvdb_sv_text_fn fn, void *ctx);
/* The device of a response to the survey that has free text for qid; KC_ENOTFOUND
 * when there is none. */
kc_err srvdb_sv_text_device(srvdb *db, const char *survey, const char *uuid,
                            const char *qid, long long *device);
/* Hides a response's free-text answer to qid (every entry): kept, never shown again;
 * *changed 0 when it was hidden already. */
kc_err srvdb_sv_text_hide(srvdb *db, const char *survey, const char *uuid, const char *qid,
                          const char *by, long long now, int *changed);

/* Every response the filter selects, one at a time (for exports that stream), in no
 * particular order.  answers is the payload's "answers" object as JSON text; hidden is
 * a JSON array of the question ids whose free text was hidden ("[]" for none).  The
 * row's strings are valid until the next call.  A cursor holds a read snapshot until
 * closed; close it on the thread that opened it. */
typedef struct srvdb_sv_row {
    const char *uuid;
    long long version, hour, device;
    const char *answers;
    const char *hidden;
} srvdb_sv_row;
typedef struct srvdb_sv_cursor srvdb_sv_cursor;
kc_err srvdb_sv_rows_open(srvdb *db, const srvdb_sv_filter *f, srvdb_sv_cursor **out);
kc_err srvdb_sv_rows_next(srvdb_sv_cursor *c, srvdb_sv_row *row, int *more);
void srvdb_sv_rows_close(srvdb_sv_cursor *c);

/* --- for backends ------------------------------------------------------------------ */
typedef struct srvdb_survey_backend {
    kc_err (*versions)(void *impl, char *msg, const char *survey, int bodies,
                       srvdb_sv_version_fn fn, void *ctx);
    kc_err (*days)(void *impl, char *msg, const srvdb_sv_filter *f, srvdb_sv_day_fn fn,
                   void *ctx);
    kc_err (*counts)(void *impl, char *msg, const srvdb_sv_filter *f, srvdb_sv_count_fn fn,
                     void *ctx);
    kc_err (*texts)(void *impl, char *msg, const srvdb_sv_filter *f, const char *qid,
                    long long before_hour, const char *before_uuid, int before_entry,
                    long limit, srvdb_sv_text_fn fn, void *ctx);
    kc_err (*text_device)(void *impl, char *msg, const char *survey, const char *uuid,
                          const char *qid, long long *device);
    kc_err (*text_hide)(void *impl, char *msg, const char *survey, const char *uuid,
                        const char *qid, const char *by, long long now, int *changed);
    kc_err (*rows_open)(void *impl, char *msg, const srvdb_sv_filter *f, void **cur);
    kc_err (*rows_next)(void *cur, char *msg, srvdb_sv_row *row, int *more);
    void (*rows_close)(void *cur);
} srvdb_survey_backend;

extern const srvdb_survey_backend srvdb_sqlite_survey_results;
/* The SQLite tables and triggers (module "server-survey-results"); at open. */
kc_err srvdb_sqlite_survey_migrate_(store *st);

#endif
