/*
 * scr_vote.h - the voting screens' shared state (kiosk/scr_vote*.c only).
 *
 * One vote_state per app, created on first use, pointed to by app.vote.  It holds:
 *   - a cache of the ballots open today, for Home's banner (reloaded every minute and
 *     after each reset: a ballot synced or imported meanwhile appears by itself);
 *   - the voter's ballot_session (core/ballot.h): picks and eligibility live only
 *     here, in memory, until the cast commits.  vote_reset() (idle reset, Home) frees
 *     it, which cancels an unconfirmed ballot without a trace; the typed code and
 *     PIN are wiped with sodium_memzero as soon as they have been checked;
 *   - at most one job (job.h) at a time: checking a code, checking the staff PIN,
 *     casting, or counting the results.  While a job runs its session belongs to
 *     the worker thread: the screens draw a "one moment" state and touch nothing
 *     else.  vote_reset() waits for a running job first, so a confirmed cast is
 *     never abandoned half-way.
 *
 * The stages of the voting flow are nav entries SCR_VOTE with kind = vote_stage, so
 * the top bar's Back steps back through them.  UI thread only.
 */
#ifndef SCR_VOTE_H
#define SCR_VOTE_H

#include "app.h"
#include "ballot.h"
#include "job.h"
#include "pin.h"
#include "tally.h"

#define VOTE_OPEN_MAX 8           /* open ballots Home offers at once */
#define VOTE_CACHE_MS 60000       /* how long Home trusts its list of open ballots */
#define VOTE_RESULTS_MAX 32       /* stored ballots the results screen can switch between */

typedef enum vote_stage {
    VOTE_CHOOSE,   /* several ballots open: pick one */
    VOTE_INTRO,    /* title, eligibility statement, code or staff */
    VOTE_CODE,     /* typing the voter code */
    VOTE_STAFF,    /* a staff member's PIN */
    VOTE_PICK,     /* project cards */
    VOTE_REVIEW,   /* the choices, Back or Confirm */
    VOTE_RECEIPT,  /* "your vote has been counted" */
    VOTE_BROWSE,   /* every project, read-only, before any code; "Vote" leads on */
    VOTE_PROJECT,  /* one project's page (vote_state.page), from BROWSE or PICK */
} vote_stage;

/* What the top bar's Back or Home was about to do when the voter was asked first. */
typedef enum vote_leave { VOTE_LEAVE_NONE, VOTE_LEAVE_BACK, VOTE_LEAVE_HOME } vote_leave;

typedef enum vote_job_kind { VJ_NONE, VJ_CODE, VJ_PIN, VJ_CAST, VJ_TALLY } vote_job_kind;

/* What a job reads and writes; the worker owns it while the job runs. */
typedef struct vote_job_ctx {
    ballot_session *s;
    char code[VOTECODE_TYPED_MAX + 1];
    char pin[PIN_MAX_LEN + 1];
    long long now_s;
    long wait_s;
    ballot_why why;
    char receipt[BALLOT_RECEIPT_TEXT + 1];
    const ballot *tb;             /* VJ_TALLY: the ballot to count */
    tally *t;                     /* VJ_TALLY: out */
} vote_job_ctx;

typedef struct vote_state {
    /* Home's cache */
    ballot *open[VOTE_OPEN_MAX];
    size_t nopen;
    int cache_ok;
    uint32_t cache_ms;
    char cache_day[11];
    int logged;                   /* a read error was reported once */

    /* the voter */
    ballot *b;
    ballot_session *s;
    char code[VOTECODE_LEN + 1];  /* typed symbols, no dashes */
    char pin[PIN_MAX_LEN + 1];
    char msg[400];                /* the current stage's error, in the voter's words */
    long refused;                 /* card whose pick was just refused, -1 none */
    ballot_why refused_why;
    long long refused_left;       /* budget left when it was refused */
    char receipt[BALLOT_RECEIPT_TEXT + 1];
    size_t page;                  /* VOTE_PROJECT: the project shown */
    vote_leave ask_leave;         /* "Stop voting?" is asked, for Back or Home */
    int idle_hold;                /* a finger came down on the idle question's answers */

    /* the one job */
    job *j;
    vote_job_kind jk;
    vote_job_ctx jc;

    /* results (coordinator) */
    ballot *rbs[VOTE_RESULTS_MAX];  /* every stored ballot, in id order */
    size_t nrb;
    int rbs_ok;
    size_t rsel;
    tally *rt;                    /* of rbs[rsel], NULL until counted */
    int rfail;
} vote_state;

/* The state, created on first use; NULL only when out of memory. */
vote_state *vote_get(app *a);

/* Starts a job of kind k on the state's ctx; 0 when started. */
int vote_job_start(app *a, vote_state *v, vote_job_kind k);
/* Polls the job; 1 while one is still running (then asks for another frame). */
int vote_job_busy(app *a, ui *u, vote_state *v);
/* A calm "one moment" view for while a job runs. */
void vote_draw_busy(app *a, ui *u, ui_rect r, const char *text);
/* Frees the voter's session and ballot (waits for a job first). */
void vote_end_session(vote_state *v);
/* Drops the results screen's ballots and counts (waits for a count first). */
void vote_results_clear(vote_state *v);
/* Amount as "12 500 €" (no-break spaces). */
void vote_euros(long long v, char *out, size_t cap);
/* The voter's words for a refusal. */
const char *vote_why_text(app *a, ballot_why w);

/* From the project list or a project page: on to the code, or straight to the picks
 * when the ballot is already open to this voter (code accepted, staff unlock). */
void vote_go_vote(app *a, vote_state *v);
/* The voter chose to stop: the unconfirmed ballot is dropped (nothing was stored, the
 * code stays unused); Back leads to a fresh, locked ballot's intro, Home to Home. */
void vote_abandon(app *a, ui *u, vote_state *v, vote_leave how);
/* 1 when the voter's ballot holds picks that leaving would lose. */
int vote_has_picks(const vote_state *v);
/* A new session on ballot id; 0 when it could start. */
int vote_begin(app *a, ui *u, vote_state *v, const char *id);
/* Wipes what the voter typed (code, PIN digits). */
void vote_wipe_inputs(vote_state *v);

/* Stages drawn in scr_vote_code.c, scr_vote_pick.c and scr_vote_browse.c. */
void vote_stage_browse(app *a, ui *u, ui_rect r, vote_state *v);
void vote_stage_project(app *a, ui *u, ui_rect r, vote_state *v);
/* The "Stop voting?" question in the body, with keep and abandon. */
void vote_ask_leave_draw(app *a, ui *u, ui_rect r, vote_state *v);
/* The step indicator ("1 Code · 2 Choose · 3 Confirm") cut off the top of *r; step
 * is 1..3. */
void vote_steps(app *a, ui *u, ui_rect *r, int step);
void vote_stage_code(app *a, ui *u, ui_rect r, vote_state *v);
void vote_stage_staff(app *a, ui *u, ui_rect r, vote_state *v);
void vote_stage_pick(app *a, ui *u, ui_rect r, vote_state *v);
void vote_stage_review(app *a, ui *u, ui_rect r, vote_state *v);
void vote_stage_receipt(app *a, ui *u, ui_rect r, vote_state *v);

/* The family's rows in the screen table (screens.c): SCR_VOTE's nav kind is the
 * stage; idle reset cancels an unconfirmed ballot; Home shows a banner while a ballot
 * is open; a sync brought ballots: re-read the open ones. */
void vote_reset(app *a);
void vote_relist(app *a);
void vote_free(app *a);
void vote_home_banner(app *a, ui *u, ui_rect *r);
void vote_open_results(app *a, ui *u);
/* The top bar's Back (home 0) or Home (1) on a half-filled ballot: returns 1 when the
 * voting screen asks "Stop voting?" first instead (the caller then does nothing). */
int vote_ask_leave(app *a, int home);
/* The idle warning over a half-filled ballot: draws the question with keep and
 * abandon and returns 1; 0 when no ballot has picks (the usual warning then). */
int vote_idle_overlay(app *a, ui *u, uint32_t left_ms);
/* 1 while the finger that touched that question's keep or stop is down, and on the
 * frame it lifts (the overlay stays for the tap to land). */
int vote_idle_held(app *a, ui *u);

#endif
