/*
 * feedback.h - quick feedback from a resident: a 5-step smiley, an optional comment and,
 * only with explicit consent, contact details.
 *
 * Contract:
 * - feedback_submit() checks everything first, then writes the feedback row and its
 *   outbox row (kind "feedback") in one transaction and returns KC_OK only after the
 *   commit: show "thank you" after that.  On failure nothing is stored.
 * - Anonymous unless consented: rows are keyed by a random UUID in a WITHOUT ROWID
 *   table, the time is kept only as the UTC hour, nothing about the device or session
 *   is stored.  Contact fields given without consent are refused (KC_EUSAGE), never
 *   stored or silently dropped: that is a bug in the caller.
 * - Comments and contact details are for the coordinator only: feedback_each() is for
 *   coordinator screens and kioskctl; nothing here logs them.
 * - The entry's strings stay the caller's; nothing keeps a pointer to them.  Pure
 *   checks (feedback_check) touch no database and can run on the UI thread; submit
 *   is one small fsync'd transaction.
 */
#ifndef FEEDBACK_H
#define FEEDBACK_H

#include <time.h>

#include "kc.h"
#include "outbox.h"
#include "store.h"
#include "survey.h"

#define FEEDBACK_COMMENT_CHARS 500
#define FEEDBACK_NAME_CHARS 100
#define FEEDBACK_EMAIL_MAX 254
#define FEEDBACK_PHONE_MAX 32
#define FEEDBACK_CONTEXT_MAX 64

typedef struct feedback_entry {
    int score;             /* 1 very unhappy .. 5 very happy */
    const char *context;   /* where it was given: "home" or a catalog item id; NULL = home */
    const char *comment;   /* NULL or blank: none; multiline allowed */
    int consent;           /* the resident ticked "you may contact me" */
    const char *name;      /* contact, only with consent; NULL or "" = none */
    const char *email;     /* with consent: an e-mail address or a phone is required */
    const char *phone;
} feedback_entry;

typedef enum feedback_field {
    FEEDBACK_F_NONE, FEEDBACK_F_SCORE, FEEDBACK_F_CONTEXT, FEEDBACK_F_COMMENT,
    FEEDBACK_F_NAME, FEEDBACK_F_EMAIL, FEEDBACK_F_PHONE,
} feedback_field;

/* What is wrong and where, for the UI to say.  kind SURVEY_P_BAD_TEXT on EMAIL or
 * PHONE means "not an e-mail address / phone number"; SURVEY_P_REQUIRED on EMAIL
 * means consent was given but neither e-mail nor phone. */
typedef struct feedback_problem {
    feedback_field field;
    survey_problem_kind kind;
} feedback_problem;

/* Creates or migrates the feedback table (and the outbox). */
kc_err feedback_init(store *st);

/* Checks an entry without storing it.  KC_EINVAL with *p set, or KC_EUSAGE when
 * contact details come without consent.  msg (KC_MSGMAX, may be NULL) names the
 * field, never its content. */
kc_err feedback_check(const feedback_entry *e, feedback_problem *p, char *msg);

/* The outbox payload for e at time now (kc_free it).  e must pass feedback_check. */
kc_err feedback_payload(const feedback_entry *e, time_t now, char **json);

/* Checks and stores e with its outbox row in one transaction; uuid gets its id. */
kc_err feedback_submit(store *st, const feedback_entry *e, time_t now,
                       char uuid[OUTBOX_UUID_LEN + 1], feedback_problem *p, char *msg);

/* One tap, one record (docs/survey-format.md, "Quick feedback"): feedback_tap() stores
 * e like feedback_submit() but holds its outbox row (outbox_hold), so the same person
 * may still add to it.  feedback_amend() rewrites a held feedback with e (the comment
 * or contact details that followed the face, or a later face) and, with add_tap,
 * counts one more tap merged into it; *merged (may be NULL) gets the count.  It
 * returns KC_ENOTFOUND and changes nothing when uuid is not stored or was released.
 * feedback_release() lets the held row be sent (the person is done); the kiosk
 * releases every held row at start (outbox_release_all).  e is checked as in submit. */
kc_err feedback_tap(store *st, const feedback_entry *e, time_t now,
                    char uuid[OUTBOX_UUID_LEN + 1], feedback_problem *p, char *msg);
kc_err feedback_amend(store *st, const char *uuid, const feedback_entry *e, int add_tap,
                      long *merged, feedback_problem *p, char *msg);
kc_err feedback_release(store *st, const char *uuid, char *msg);

/* One stored feedback, for the coordinator. */
typedef struct feedback_row {
    const char *uuid, *hour, *context;
    int score;
    const char *comment;                 /* NULL when none */
    const char *name, *email, *phone;    /* NULL unless consented */
    long merged;                         /* further taps counted into this one */
} feedback_row;

/* Calls fn for every stored feedback, by hour then UUID.  A code other than KC_OK from
 * fn stops the walk and is returned. */
typedef kc_err (*feedback_fn)(void *ctx, const feedback_row *r);
kc_err feedback_each(store *st, feedback_fn fn, void *ctx, char *msg);

typedef struct feedback_stats {
    long total;
    long score[6];       /* score[1..5] */
    long comments, contacts;
    long merged;         /* taps merged into others (not counted in total) */
} feedback_stats;

kc_err feedback_get_stats(store *st, feedback_stats *out, char *msg);

#endif
