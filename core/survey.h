/*
 * survey.h - surveys: the definition format (docs/survey-format.md), its storage by
 * (id, version), which surveys a kiosk shows now, and a session that walks one
 * respondent through one version and submits the response.
 *
 * Definitions.  survey_parse() validates a whole file before anything else happens: a
 * survey handle only ever holds a fully valid definition, and errors name the question
 * and field ("survey \"lib\" question \"q3\" field \"options\": ...").  A survey is
 * immutable after parsing; its questions are read through const views
 * (survey_question) that live as long as the handle.
 *
 * Storage.  Each (id, version) keeps the canonical JSON of its definition and is never
 * rewritten, so a response can always be read against the version it answered.
 * survey_store_put() adds a version in one transaction or changes nothing.
 *
 * Sessions.  A session owns its copy of one version and touches no database until
 * survey_session_submit(); everything else is plain memory work, cheap enough for the
 * UI thread.  Submit writes the response row and its outbox row in one transaction
 * (one fsync'd commit) and returns success only after the commit: show "thank you"
 * after that.  A session may be handed to another thread between calls, never used by
 * two at once.  Free text is wiped from memory when the session is freed or an answer
 * is cleared (idle reset).
 *
 * Privacy.  A response carries the survey id and version, the hour (UTC) and the
 * answers; no kiosk-local sequence, no exact time, no language, no device data.
 */
#ifndef SURVEY_H
#define SURVEY_H

#include <stddef.h>
#include <time.h>

#include "catalog.h"
#include "kc.h"
#include "outbox.h"
#include "store.h"

/* Limits of the format; docs/survey-format.md lists them too. */
#define SURVEY_MAX_FILE (1024 * 1024)
#define SURVEY_ID_MAX 64          /* survey id, kiosk id: [a-z0-9._-] */
#define SURVEY_QID_MAX 32         /* question, option, group id: [a-z0-9_-] */
#define SURVEY_MAX_QUESTIONS 100
#define SURVEY_MAX_OPTIONS 30
#define SURVEY_MAX_PICK 10        /* "pick the N most important": N at most this */
#define SURVEY_MAX_GROUPS 20
#define SURVEY_MAX_KIOSKS 500
#define SURVEY_MAX_ENTRIES 10     /* text answers per question (workshop lists) */
#define SURVEY_TITLE_MAX 200      /* bytes per language */
#define SURVEY_INTRO_MAX 1000
#define SURVEY_QTEXT_MAX 500      /* question text and help */
#define SURVEY_OPTION_MAX 200
#define SURVEY_LABEL_MAX 60       /* scale end labels, number unit, group names */
#define SURVEY_CHARS_MAX 2000     /* largest max_chars of a text question */
#define SURVEY_NUMBER_ABS 1e9     /* number answers lie within +-this */
#define SURVEY_TEXT_BUDGET 49152  /* worst-case bytes of all text answers of a response */
#define SURVEY_END ((size_t)-1)

typedef enum survey_qtype {
    SURVEY_SINGLE,  /* one option */
    SURVEY_MULTI,   /* min..max options */
    SURVEY_TOP,     /* pick the N most important, ranked (order counts) or not */
    SURVEY_SCALE,   /* 1..5, shown as numbers or smileys */
    SURVEY_TEXT,    /* free text, up to max_entries entries of max_chars each */
    SURVEY_NUMBER,  /* number in min..max with up to `decimals` decimals */
    SURVEY_NQTYPE
} survey_qtype;

/* One row per question type (survey.c), indexed by survey_qtype: its name in the
 * format and the fields its questions may have beside the common ones (id, type, text,
 * help, required, show_if).  A new type is a new row: survey.c asserts the table's
 * size and tests/test_survey.c that every row is complete. */
#define SURVEY_QTYPE_FIELDS_MAX 6
typedef struct survey_qtype_info {
    const char *name;
    const char *fields[SURVEY_QTYPE_FIELDS_MAX];  /* NULL-terminated */
} survey_qtype_info;
extern const survey_qtype_info survey_qtypes[];
/* The type's name ("single"), "?" for a value out of range. */
const char *survey_qtype_name(survey_qtype t);

typedef enum survey_mode { SURVEY_MODE_SURVEY, SURVEY_MODE_WORKSHOP } survey_mode;

typedef enum survey_cond_kind {
    SURVEY_COND_NONE,      /* always shown */
    SURVEY_COND_ANY_OF,    /* an earlier choice answer includes one of `options` */
    SURVEY_COND_RANGE,     /* an earlier scale/number answer lies in min..max */
    SURVEY_COND_ANSWERED,  /* an earlier question was answered */
} survey_cond_kind;

typedef struct survey_cond {
    survey_cond_kind kind;
    size_t question;       /* index of an earlier question */
    unsigned long options; /* ANY_OF: bit i = option i */
    double min, max;       /* RANGE, inclusive */
} survey_cond;

typedef struct survey_option {
    char *id;
    char *text[CAT_NLANG];
} survey_option;

/* A read-only view of one question; owned by its survey. */
typedef struct survey_question {
    char *id;
    survey_qtype type;
    char *text[CAT_NLANG];
    char *help[CAT_NLANG];         /* all NULL when none */
    int required;
    survey_option *options;        /* SINGLE, MULTI, TOP with fixed options */
    size_t noptions;
    long options_from;             /* TOP in a workshop: earlier TEXT question, or -1 */
    int min_pick, max_pick;        /* MULTI, TOP: when answered, this many options */
    int ranked;                    /* TOP */
    int smiley;                    /* SCALE: draw smileys, not numbers */
    char *low[CAT_NLANG], *high[CAT_NLANG];  /* SCALE end labels, may be NULL */
    double min, max;               /* NUMBER range; SCALE 1..5 */
    int decimals;                  /* NUMBER */
    char *unit[CAT_NLANG];         /* NUMBER, may be NULL */
    int max_chars, max_entries;    /* TEXT */
    int multiline;                 /* TEXT: line feeds allowed */
    survey_cond cond;              /* show_if */
} survey_question;

typedef struct survey_group {
    char *id;
    char *name[CAT_NLANG];
} survey_group;

typedef struct survey survey;

/* Parses and validates a definition.  `name` prefixes messages (a file name).  On
 * failure *out is NULL and msg (KC_MSGMAX) names the question and field. */
kc_err survey_parse(const char *buf, size_t len, const char *name, survey **out, char *msg);
kc_err survey_load_file(const char *path, survey **out, char *msg);
void survey_free(survey *s);

const char *survey_id(const survey *s);
/* The version given in the file or assigned when stored; 0 for an unstored survey
 * whose file gave none. */
int survey_version(const survey *s);
survey_mode survey_get_mode(const survey *s);
/* Canonical JSON without the version: equal definitions give equal bytes. */
const char *survey_body(const survey *s);

/* Canonical JSON of question i alone (its part of survey_body): two versions ask the
 * same question when these are equal.  kc_free it; NULL when out of memory or i is
 * out of range. */
char *survey_question_canonical(const survey *s, size_t i);

/* Texts in the first language of pref that has one (NULL when the survey has none);
 * *used (may be NULL) gets that language. */
const char *survey_title(const survey *s, const cat_langs *pref, cat_lang *used);
const char *survey_intro(const survey *s, const cat_langs *pref, cat_lang *used);
const char *survey_thanks(const survey *s, const cat_langs *pref, cat_lang *used);

/* Schedule: "YYYY-MM-DDTHH:MM" Finnish local time, NULL when open-ended. */
const char *survey_start(const survey *s);
const char *survey_end(const survey *s);
/* 1 when the survey is for this kiosk: it names no kiosks, or names kiosk_id. */
int survey_for_kiosk(const survey *s, const char *kiosk_id);
/* 1 when `local` ("YYYY-MM-DDTHH:MM") lies within the schedule. */
int survey_in_schedule(const survey *s, const char *local);

size_t survey_nquestions(const survey *s);
const survey_question *survey_question_at(const survey *s, size_t i);
/* 1 when no question has a show_if: every respondent gets every question, so "question
 * 3 of 8" holds from the start.  0 when how many follow depends on answers not given
 * yet: a total shown then would change mid-survey (7, then 8, then 9). */
int survey_fixed_length(const survey *s);
long survey_question_index(const survey *s, const char *qid);  /* -1 when none */
long survey_option_index(const survey_question *q, const char *oid);

size_t survey_ngroups(const survey *s);
const survey_group *survey_group_at(const survey *s, size_t i);
long survey_group_index(const survey *s, const char *gid);

/* --- resident text ------------------------------------------------------------------- */

typedef enum survey_problem_kind {
    SURVEY_P_NONE,
    SURVEY_P_REQUIRED,    /* a required question has no answer */
    SURVEY_P_TOO_FEW,     /* fewer options than `limit` chosen */
    SURVEY_P_TOO_MANY,    /* more than `limit` chosen, or text entries */
    SURVEY_P_RANGE,       /* number outside limit..limit2 */
    SURVEY_P_DECIMALS,    /* more decimals than `limit` */
    SURVEY_P_TOO_LONG,    /* text over `limit` characters (or its byte bound) */
    SURVEY_P_BAD_TEXT,    /* invalid UTF-8 or a control character */
    SURVEY_P_NOT_OPTION,  /* no such option */
    SURVEY_P_WRONG_TYPE,  /* that kind of answer does not fit the question */
} survey_problem_kind;

/* Why an answer was refused, for the UI to say in the resident's language. */
typedef struct survey_problem {
    survey_problem_kind kind;
    double limit, limit2;
} survey_problem;

const char *survey_problem_name(survey_problem_kind k);  /* English, for logs/tests */

/* Checks text from a resident: valid UTF-8, no control characters (line feed only
 * when multiline), at most max_chars code points and 4 * max_chars bytes. */
survey_problem_kind survey_text_check(const char *s, size_t max_chars, int multiline);

/* --- answers --------------------------------------------------------------------------- */

/* One answer in memory.  sel holds option indexes: in rank order for a ranked TOP
 * question, in option order otherwise. */
typedef struct survey_answer {
    int set;
    int nsel;
    int sel[SURVEY_MAX_OPTIONS];
    double num;                        /* SCALE, NUMBER */
    int ntext;
    char *text[SURVEY_MAX_ENTRIES];    /* TEXT, kc_malloc'ed */
} survey_answer;

/* Wipes and frees the texts; leaves an unset answer. */
void survey_answer_clear(survey_answer *a);

/* Is a (possibly unset) answer acceptable for q?  Completeness and every limit.  For
 * TOP with options_from, noptions is the number of options offered now. */
survey_problem survey_answer_check(const survey_question *q, const survey_answer *a,
                                   size_t noptions);

/* 1 when question i is shown given the answers so far (answers[] parallel to the
 * questions; a hidden question's answer never counts). */
int survey_visible(const survey *s, const survey_answer *answers, size_t i);

/* --- storage ---------------------------------------------------------------------------- */

/* Creates or migrates the survey tables (and the outbox); call after store_open. */
kc_err survey_init(store *st);

typedef enum survey_put_result {
    SURVEY_PUT_ADDED,      /* first version of this id */
    SURVEY_PUT_VERSION,    /* a new version of a known id */
    SURVEY_PUT_UNCHANGED,  /* the newest stored version is identical */
} survey_put_result;

/* Stores s.  A version given in the file is used as is (an existing (id, version)
 * with other content is refused); without one, the next version is assigned unless
 * the newest stored version is identical.  survey_version(s) then tells the version.
 * One transaction; on failure nothing changed and msg says why.  Not inside a
 * transaction. */
kc_err survey_store_put(store *st, survey *s, survey_put_result *res, char *msg);

/* Version `version` of id, or the newest when version is 0.  KC_ENOTFOUND when none. */
kc_err survey_store_get(store *st, const char *id, int version, survey **out, char *msg);

typedef struct survey_info {
    char id[SURVEY_ID_MAX + 1];
    int version;                   /* newest */
    int nversions;
    survey_mode mode;
    int active;                    /* in schedule now and for this kiosk */
    long responses;                /* over all versions */
    char *title[CAT_NLANG];
} survey_info;

enum {
    SURVEY_LIST_ACTIVE = 1,        /* only surveys (not workshops) active now here */
};

/* Every stored survey id (newest version), ordered by id.  kiosk_id NULL: the store's
 * meta "kiosk.id" (unset: only surveys naming no kiosks are active).  now: the time
 * to judge schedules by, in Finnish local time through the process TZ. */
kc_err survey_list(store *st, int flags, const char *kiosk_id, time_t now,
                   survey_info **out, size_t *n, char *msg);
void survey_info_free(survey_info *v, size_t n);

/* --- a respondent's session -------------------------------------------------------------- */

typedef struct survey_session survey_session;

/* A session on the newest stored version of id. */
kc_err survey_session_start(store *st, const char *id, survey_session **out, char *msg);
/* A session on def, which the session takes over (also when this fails). */
kc_err survey_session_new(survey *def, survey_session **out);
void survey_session_free(survey_session *ss);

const survey *survey_session_survey(const survey_session *ss);
const char *survey_session_errmsg(const survey_session *ss);
/* What the last refused call found (kind NONE after a success). */
survey_problem survey_session_problem(const survey_session *ss);

/* Index of the current question, or SURVEY_END when every shown question is done and
 * the response can be submitted. */
size_t survey_session_current(const survey_session *ss);
const survey_question *survey_session_question(const survey_session *ss);
/* *pos: 1-based position of the current question among the shown ones (total + 1 at
 * the end); *total: questions shown given the answers so far. */
void survey_session_progress(const survey_session *ss, int *pos, int *total);
int survey_session_visible(const survey_session *ss, size_t q);
const survey_answer *survey_session_answer(const survey_session *ss, size_t q);

/* Editing the current question.  Each refuses (KC_EINVAL, problem set, answer
 * unchanged) what the question does not allow.
 * choose: SINGLE selects the option; MULTI and TOP toggle it (for ranked TOP the
 * order of choosing is the rank; removing one closes the gap). */
kc_err survey_session_choose(survey_session *ss, size_t option);
kc_err survey_session_set_number(survey_session *ss, double v);  /* SCALE, NUMBER */
/* Text entry `entry` (0-based, at most one past the last); "" removes the entry. */
kc_err survey_session_set_text(survey_session *ss, size_t entry, const char *utf8);
void survey_session_clear(survey_session *ss);

/* Checks the current answer (required, how many chosen) and moves to the next shown
 * question.  Answers of questions that became hidden are kept but not submitted. */
kc_err survey_session_next(survey_session *ss);
/* Moves to the previous shown question; 0 when already at the first. */
int survey_session_back(survey_session *ss);

/* The outbox payload the response would be (kc_free it); for tests and previews. */
kc_err survey_session_payload(const survey_session *ss, time_t now, char **json);

/* Checks every shown answer, then commits the response and its outbox row in one
 * transaction.  uuid gets the response's id.  Only at SURVEY_END.  Submitting twice
 * is refused (KC_EUSAGE). */
kc_err survey_session_submit(survey_session *ss, store *st, time_t now,
                             char uuid[OUTBOX_UUID_LEN + 1]);

/* "YYYY-MM-DDTHHZ": now in UTC, rounded down to the hour. */
void survey_hour(time_t now, char out[16]);

#endif
