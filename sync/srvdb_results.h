/*
 * srvdb_results.h - quick feedback results for the console (docs/admin-api.md,
 * "Results"): counts per face by kiosk hour, per card, and the comments.
 *
 * The counts come from aggregate tables the storage keeps as responses arrive (one
 * row per kiosk and stored hour, five face counts), so a year of a city's feedback
 * is a few hundred thousand rows to add up rather than a million payloads to parse.
 * Nothing is finer than the hour the kiosk stored (docs/privacy.md).
 *
 * Same contract as srvdb.h: a kc_err, a message in the handle, a failed call changed
 * nothing.  Comments are for the console's signed-in accounts only; hiding one keeps
 * it (and its response) stored and only withholds its text from the console.
 */
#ifndef SRVDB_RESULTS_H
#define SRVDB_RESULTS_H

#include "srvdb.h"

#define SRVDB_FACES 5

/* Which feedback: stored hours in [from, to) (unix time; 0 = no bound) from the
 * devices listed (device ids; devices NULL = every device, ndevices 0 with devices
 * set = none). */
typedef struct srvdb_fb_filter {
    long long from, to;
    const long long *devices;
    size_t ndevices;
} srvdb_fb_filter;

/* The face counts (n[0] very unhappy .. n[4] very happy) of each stored UTC hour
 * (unix time), summed over the devices, in hour order. */
typedef kc_err (*srvdb_fb_hour_fn)(void *ctx, long long hour, const long n[SRVDB_FACES]);
kc_err srvdb_fb_hours(srvdb *db, const srvdb_fb_filter *f, srvdb_fb_hour_fn fn, void *ctx);
/* The face counts of each device (id) with feedback, summed over the hours. */
typedef kc_err (*srvdb_fb_device_fn)(void *ctx, long long device, const long n[SRVDB_FACES]);
kc_err srvdb_fb_devices(srvdb *db, const srvdb_fb_filter *f, srvdb_fb_device_fn fn, void *ctx);

/* Taps the kiosks' misuse rule merged into the feedback the filter selects (each
 * feedback's "merged"; docs/protocol.md). */
kc_err srvdb_fb_merged(srvdb *db, const srvdb_fb_filter *f, long long *out);

/* Feedback given from an item's card: the item id, its names (NULL when the item is
 * not in the catalog any more) and the face counts; most feedback first, at most
 * limit cards. */
typedef kc_err (*srvdb_fb_card_fn)(void *ctx, const char *item, const char *const names[3],
                                   const long n[SRVDB_FACES]);
kc_err srvdb_fb_cards(srvdb *db, const srvdb_fb_filter *f, long limit, srvdb_fb_card_fn fn,
                      void *ctx);

typedef struct srvdb_fb_comment {
    const char *uuid;
    long long hour;       /* unix time of the stored UTC hour */
    long long device;
    int score;            /* 1-5 */
    const char *context;  /* "home" or an item id */
    const char *comment;
    const char *hidden_by;  /* NULL unless hidden */
    long long hidden_at;
} srvdb_fb_comment;
typedef kc_err (*srvdb_fb_comment_fn)(void *ctx, const srvdb_fb_comment *c);
/* Comments newest first (by hour, then uuid descending), those before the cursor
 * (before_hour, before_uuid; before_hour 0 = from the newest), at most limit. */
kc_err srvdb_fb_comments(srvdb *db, const srvdb_fb_filter *f, long long before_hour,
                         const char *before_uuid, long limit, srvdb_fb_comment_fn fn,
                         void *ctx);
/* One comment by its response uuid; KC_ENOTFOUND when there is none. */
kc_err srvdb_fb_comment_get(srvdb *db, const char *uuid, srvdb_fb_comment_fn fn, void *ctx);
/* Hides a comment (by account `by`, at `now`); hiding a hidden one changes nothing
 * (*changed 0).  KC_ENOTFOUND when there is no such comment. */
kc_err srvdb_fb_comment_hide(srvdb *db, const char *uuid, const char *by, long long now,
                             int *changed);

/* Every counted feedback the filter selects, one at a time (for exports that stream):
 * in no particular order (responses keep none).  The row's strings are valid until the
 * next call.  A cursor holds a read snapshot until closed; close it on the thread that
 * opened it or after that thread is done with the handle. */
typedef struct srvdb_fb_row {
    const char *uuid;
    long long hour;       /* unix time of the stored UTC hour */
    long long device;
    int score;            /* 1-5 */
    const char *context;  /* "home" or an item id */
    const char *comment;  /* NULL when none or hidden */
    int hidden;           /* its comment was hidden */
} srvdb_fb_row;
typedef struct srvdb_fb_cursor srvdb_fb_cursor;
kc_err srvdb_fb_rows_open(srvdb *db, const srvdb_fb_filter *f, srvdb_fb_cursor **out);
/* *more 1 with *row set, 0 at the end. */
kc_err srvdb_fb_rows_next(srvdb_fb_cursor *c, srvdb_fb_row *row, int *more);
void srvdb_fb_rows_close(srvdb_fb_cursor *c);

/* Workshops (docs/survey-format.md): the rows kiosks sent for workshops, from the
 * devices the filter lists (its period is not used).  workshop NULL: every "workshop"
 * row (ended workshops) and the first "workshop-answer" row (seq 1) of each workshop
 * that has no "workshop" row (running ones); else that workshop's "workshop",
 * "workshop-answer" and "workshop-group" rows, in that order of kinds.  Payloads are
 * handed over as stored (compact JSON); reading them is the caller's. */
typedef kc_err (*srvdb_ws_fn)(void *ctx, long long device, const char *kind,
                              const char *payload);
kc_err srvdb_ws_rows(srvdb *db, const srvdb_fb_filter *f, const char *workshop, srvdb_ws_fn fn,
                     void *ctx);
/* A workshop's change counter: the number of its rows stored (from the filter's
 * devices).  Rows are never changed or removed, so a new row, whichever server process
 * stored it, makes it larger; 0 when there are none.  Cheap: reads an index. */
kc_err srvdb_ws_stamp(srvdb *db, const srvdb_fb_filter *f, const char *workshop,
                      long long *out);

/* --- for backends ------------------------------------------------------------------ */
typedef struct srvdb_results_backend {
    kc_err (*fb_hours)(void *impl, char *msg, const srvdb_fb_filter *f, srvdb_fb_hour_fn fn,
                       void *ctx);
    kc_err (*fb_devices)(void *impl, char *msg, const srvdb_fb_filter *f,
                         srvdb_fb_device_fn fn, void *ctx);
    kc_err (*fb_cards)(void *impl, char *msg, const srvdb_fb_filter *f, long limit,
                       srvdb_fb_card_fn fn, void *ctx);
    kc_err (*fb_comments)(void *impl, char *msg, const srvdb_fb_filter *f,
                          long long before_hour, const char *before_uuid, const char *one,
                          long limit, srvdb_fb_comment_fn fn, void *ctx);
    kc_err (*rows_open)(void *impl, char *msg, const srvdb_fb_filter *f, void **cur);
    kc_err (*rows_next)(void *cur, char *msg, srvdb_fb_row *row, int *more);
    void (*rows_close)(void *cur);
    kc_err (*fb_hide)(void *impl, char *msg, const char *uuid, const char *by, long long now,
                     int *changed);
    const struct srvdb_survey_backend *survey;  /* srvdb_results_survey.h */
    kc_err (*fb_merged)(void *impl, char *msg, const srvdb_fb_filter *f, long long *out);
    kc_err (*ws_rows)(void *impl, char *msg, const srvdb_fb_filter *f, const char *workshop,
                      srvdb_ws_fn fn, void *ctx);
    kc_err (*ws_stamp)(void *impl, char *msg, const srvdb_fb_filter *f, const char *workshop,
                       long long *out);
} srvdb_results_backend;

extern const srvdb_results_backend srvdb_sqlite_results;

#endif
