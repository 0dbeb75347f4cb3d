/*
 * station.h - the kiosk's survey station (issue 5): quick feedback, surveys, the
 * coordinator's workshops and results.  Internal to kiosk/: the screens
 * scr_feedback.c, scr_survey.c, scr_workshop.c and scr_results.c share this state and
 * the widgets of station.c (jobs, smileys, fields, keys), qedit.c (one question's
 * answer editor) and chart.c (bar charts).
 *
 * State: one `station` per app (a->station), created on first use by station_get(),
 * wiped by station_reset() on idle reset and freed by station_free().  Wiping zeroes
 * everything a resident typed or chose and frees the survey session (which wipes its
 * texts); workshops and results are coordinator data read back from the database.
 *
 * Disk: every write (feedback, a survey response, a workshop answer, start, end,
 * export) and the heavier reads (results) run as jobs (job.h) with their own store
 * handle.  The UI shows "Saving…" and requests frames until the job is done, and says
 * "thank you" only after KC_OK; on failure it says so and keeps the answers.  While a
 * job runs the UI does not touch the handle it works on (session, workshop).
 * station_reset() and station_free() wait for running jobs (one fsync'd commit), so a
 * confirmed response is never abandoned nor its memory freed under it.
 *
 * Privacy: feedback is anonymous unless the consent box is ticked; contact fields can
 * only be typed after that and are wiped when it is unticked.  Returning to Home drops
 * an unsent feedback or survey (Home has no idle reset: the next person starts there).  Free text and contact
 * details are shown only on the coordinator's results screen, never logged.
 */
#ifndef STATION_H
#define STATION_H

#include <time.h>

#include "app.h"
#include "feedback.h"
#include "job.h"
#include "results.h"
#include "survey.h"
#include "workshop.h"

/* --- jobs -------------------------------------------------------------------------------- */

typedef enum st_phase { ST_IDLE, ST_SAVING, ST_DONE, ST_FAILED } st_phase;

typedef struct st_job {
    job *j;
    st_phase phase;
    kc_err rc;
    char msg[KC_MSGMAX];
} st_job;

/* Starts fn(ctx) off the UI thread; phase SAVING, or FAILED with a message. */
void station_job_start(app *a, st_job *sj, job_fn fn, void *ctx);
/* Each frame: requests another frame while running; returns 1 on the frame the job
 * finished (phase DONE or FAILED, rc and msg set). */
int station_job_poll(st_job *sj, ui *u);
/* Waits for a running job and forgets it (phase IDLE). */
void station_job_wait(st_job *sj);

/* --- the answer editor (qedit.c) ----------------------------------------------------------- */

#define QEDIT_TEXT_MAX (4 * SURVEY_CHARS_MAX + 1)

typedef const char *(*qedit_text_fn)(void *ud, size_t i);

/* Working copy of one question's answer: what is chosen, typed or tapped.  The texts
 * are kept here, not in ans.text (always NULL). */
typedef struct qedit {
    long key;                 /* which question the buffers hold; -1 none */
    const survey_question *q;
    survey_answer ans;
    int ntext, cur;           /* text entries; the one being edited */
    char text[SURVEY_MAX_ENTRIES][QEDIT_TEXT_MAX];
    char digits[32];
    char note[240];           /* a live hint ("at most 3") */
} qedit;

/* Loads q's answer a (may be NULL) into the buffers unless they already hold key. */
void qedit_load(qedit *e, long key, const survey_question *q, const survey_answer *a);
void qedit_wipe(qedit *e);
/* The working answer; out's text pointers point into e (valid until e changes).  A
 * number that does not parse gives *bad = 1 (may be NULL). */
void qedit_answer(const qedit *e, survey_answer *out, int *bad);
/* Draws the answer area of e->q in r: options, scale, number pad or text keyboard.
 * noptions/text give the options (fixed or a workshop's).  Returns 1 when the answer
 * changed this frame. */
int qedit_draw(app *a, ui *u, ui_rect r, qedit *e, size_t noptions, qedit_text_fn text,
               void *ud);

/* --- widgets and texts (station.c) ------------------------------------------------------------ */

/* Word labels of the five smiley steps (1..5), translated. */
const char *station_smiley_word(const app *a, int step);
/* A face for step 1..5 drawn in r (a square fits best). */
void station_draw_face(ui *u, ui_rect r, int step);
/* A tappable face with its word under it; returns 1 when tapped. */
int station_face_button(app *a, ui *u, const char *id, ui_rect r, int step, int on,
                        const char *word);
/* A tappable row: a box (radio, check or a number badge) and wrapped text.
 * mark: 0 none, 1 radio, 2 check, 3 rank badge with `badge`. */
/* The height a choice of width w needs for its text (up to 3 lines), never under a
 * touch target. */
int station_choice_h(ui *u, int w, const char *text, int mark);
int station_choice(ui *u, const char *id, ui_rect r, const char *text, int on, int mark,
                   int badge);
/* A text field showing buf with a cursor when focused; a tap places the cursor
 * (ui_edit_text); returns 1 when tapped. */
int station_field(app *a, ui *u, const char *id, ui_rect r, const char *label, char *buf,
                  const char *placeholder, int focused, int lines);
/* A row of extra keys ("@", ",") inserted at the cursor; returns 1 when buf changed. */
int station_keys(ui *u, ui_rect r, const char *const *keys, size_t n, char *buf, size_t cap);
/* Code points in s; cuts s to at most max code points. */
size_t station_chars(const char *s);
void station_clip_chars(char *s, size_t max);
/* The resident's-language message for a refused answer. */
void station_problem_text(const app *a, const survey_question *q, survey_problem p, char *out,
                          size_t cap);
/* A wrapped message box (warn or ok colour); returns the height used. */
int station_message(ui *u, ui_rect r, const char *text, int warn);
/* "now" for schedules: --today at noon in tests, else the clock. */
time_t station_now(const app *a);
/* Makes sure the survey, workshop and feedback tables exist (a job at first use);
 * returns 1 once they do. */
int station_ready(app *a, ui *u);

/* --- charts (chart.c) -------------------------------------------------------------------------- */

/* Draws one question's totals as horizontal bars in r (counts, percentages, points
 * and ranks for top-N).  big: room-size text.  Returns the height used (draw 0 only
 * measures).  Option labels come from the results (fixed options) in a->pref. */
int chart_question(app *a, ui *u, ui_rect r, const results_question *rq, int big, int draw);

/* --- the station's state ------------------------------------------------------------------------ */

typedef struct st_feedback {
    char context[FEEDBACK_CONTEXT_MAX + 1];  /* item id, "" from Home */
    int score;                               /* 0 none yet */
    char comment[4 * FEEDBACK_COMMENT_CHARS + 1];
    int consent;
    char name[4 * FEEDBACK_NAME_CHARS + 1];
    char email[FEEDBACK_EMAIL_MAX + 1];
    char phone[FEEDBACK_PHONE_MAX + 1];
    feedback_field field;                    /* being typed; NONE: keyboard closed */
    feedback_field shown_field;              /* the field last scrolled into sight */
    size_t shown_len;                        /* and its length then */
    feedback_problem prob;
    int show_prob;
    st_job job;
    feedback_entry e;                        /* the job's copy of the pointers */
    char uuid[OUTBOX_UUID_LEN + 1];
    feedback_problem jprob;
    char jmsg[KC_MSGMAX];
    /* One tap, one record: a face is stored at once (held, feedback.h); a face within
     * the merge interval of the last one amends it as a merged tap, the comment amends
     * it too; wiping releases it to be sent. */
    char held[OUTBOX_UUID_LEN + 1];          /* the stored feedback; "" none */
    uint32_t last_tap_ms;                    /* ui_now of the last face tap */
    int op;                                  /* the job's FB_OP_* */
    int finished;                            /* the comment was sent: thank you */
} st_feedback;

enum { FB_OP_TAP, FB_OP_MERGE, FB_OP_COMMENT };

typedef struct st_survey {
    char id[SURVEY_ID_MAX + 1];
    survey_session *ss;
    int started;                             /* past the intro page */
    qedit ed;
    survey_problem prob;
    int show_prob;
    st_job job;
    char uuid[OUTBOX_UUID_LEN + 1];
    char err[KC_MSGMAX];
} st_survey;

typedef enum ws_op { WS_OP_NONE, WS_OP_START, WS_OP_SET, WS_OP_END, WS_OP_EXPORT } ws_op;

typedef struct st_workshop {
    workshop_info *list;
    size_t nlist;
    survey_info *defs;                       /* workshop definitions */
    size_t ndefs;
    int listed;
    char open_id[CAT_ID_MAX + 1];
    workshop *w;
    results *res;                            /* totals of w, NULL when stale */
    uint32_t res_at;                         /* when w was last read back */
    long group;                              /* answering group, -1 choosing */
    size_t q;                                /* the group's current question */
    size_t page;                             /* results: which question */
    qedit ed;
    survey_problem prob;
    int show_prob;
    int confirm_end;
    st_job job;
    ws_op op;
    char start_survey[SURVEY_ID_MAX + 1];
    char new_id[OUTBOX_UUID_LEN + 1];
    survey_answer ja;
    size_t jg, jq;
    survey_problem jp;
    char export_dir[1024];
    char export_csv[1100], export_json[1100];
    int after;                               /* where to go when the job is done */
    char err[KC_MSGMAX];
} st_workshop;

typedef struct st_text {
    size_t q;
    char *s;
} st_text;

typedef struct st_fbrow {
    char hour[16];
    char context[FEEDBACK_CONTEXT_MAX + 1];
    int score;
    char *comment, *name, *email, *phone;
} st_fbrow;

typedef struct st_results {
    survey_info *list;
    size_t nlist;
    int listed;
    char loaded[SURVEY_ID_MAX + 2];          /* survey id, or "\1" feedback; "" none */
    char want[SURVEY_ID_MAX + 2];
    results *res;
    st_text *texts;
    size_t ntexts;
    feedback_stats fstats;
    st_fbrow *fb;
    size_t nfb;
    st_job job;
    char err[KC_MSGMAX];
} st_results;

struct station {
    app *app;
    st_job prep;
    st_job release;                          /* a wiped feedback's held row let go */
    char release_uuid[OUTBOX_UUID_LEN + 1];
    int ready;
    survey_info *active;                     /* surveys Home offers */
    size_t nactive;
    int listed;
    time_t listed_at;
    st_feedback fb;
    st_survey sv;
    st_workshop ws;
    st_results rs;
};

/* The state, created on first use; NULL only when out of memory. */
struct station *station_get(app *a);
void station_wipe_feedback(struct station *s);
void station_wipe_survey(struct station *s);
void station_close_workshop(struct station *s);
void station_clear_results(struct station *s);
/* Lists the surveys active now again at the next Home frame. */
void station_relist(app *a);

/* The family's rows in the screen table (screens.c): idle reset wipes what a resident
 * typed or chose; Home offers an active survey; a detail card's feedback button; the
 * coordinator menu opens workshops and results afresh. */
void station_reset(app *a);
void station_free(app *a);
void station_home_banner(app *a, ui *u, ui_rect *r);
int station_detail_button(app *a, ui *u, ui_rect r, const char *item);  /* extra height */
void station_open_workshops(app *a, ui *u);
void station_open_results(app *a, ui *u);
/* scr_workshop.c: a workshop's live results keep the screen up longer. */
uint32_t workshop_idle_ms(const app *a, uint32_t ms);

#endif
