/* Voting: Home's banner, the state and its jobs, the helpers the stages share; the
 * screen itself (choosing a ballot, the eligibility statement) is in scr_vote_intro.c.
 * Contract in scr_vote.h. */
#include "scr_vote.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* --- state ------------------------------------------------------------------------ */

vote_state *vote_get(app *a)
{
    if (!a->vote) {
        a->vote = kc_calloc(1, sizeof *a->vote);
        if (a->vote)
            a->vote->refused = -1;
    }
    return a->vote;
}

/* What the voter typed (code, PIN digits). */
void vote_wipe_inputs(vote_state *v)
{
    sodium_memzero(v->code, sizeof v->code);
    sodium_memzero(v->pin, sizeof v->pin);
    v->msg[0] = '\0';
    v->refused = -1;
    v->ask_leave = VOTE_LEAVE_NONE;
    v->idle_hold = 0;
}

/* Waits for a running job and drops what it left behind. */
static void job_drop(vote_state *v)
{
    if (!v->j)
        return;
    job_free(v->j);
    v->j = NULL;
    if (v->jk == VJ_TALLY)
        tally_free(v->jc.t);
    sodium_memzero(&v->jc, sizeof v->jc);
    v->jk = VJ_NONE;
}

void vote_end_session(vote_state *v)
{
    if (v->j && v->jk != VJ_TALLY)
        job_drop(v);
    ballot_session_free(v->s);
    v->s = NULL;
    ballot_free(v->b);
    v->b = NULL;
    sodium_memzero(v->receipt, sizeof v->receipt);
    vote_wipe_inputs(v);
}

void vote_results_clear(vote_state *v)
{
    if (v->j && v->jk == VJ_TALLY)
        job_drop(v);
    tally_free(v->rt);
    v->rt = NULL;
    for (size_t i = 0; i < v->nrb; i++)
        ballot_free(v->rbs[i]);
    v->nrb = 0;
    v->rbs_ok = 0;
    v->rsel = 0;
    v->rfail = 0;
}

void vote_reset(app *a)
{
    vote_state *v = a->vote;
    if (!v)
        return;
    job_drop(v);
    vote_end_session(v);
    vote_results_clear(v);
    v->cache_ok = 0;  /* a reset is a good moment to look for newly opened ballots */
}

static void cache_clear(vote_state *v)
{
    for (size_t i = 0; i < v->nopen; i++)
        ballot_free(v->open[i]);
    v->nopen = 0;
}

void vote_free(app *a)
{
    vote_state *v = a->vote;
    if (!v)
        return;
    vote_reset(a);
    cache_clear(v);
    kc_free(v);
    a->vote = NULL;
}

/* --- jobs ---------------------------------------------------------------------------- */

static kc_err job_code(store *st, void *ctx, char *msg)
{
    vote_job_ctx *c = ctx;
    kc_err rc = ballot_session_enter_code(c->s, st, c->code, &c->why);
    sodium_memzero(c->code, sizeof c->code);
    if (rc)
        snprintf(msg, KC_MSGMAX, "%s", ballot_session_errmsg(c->s));
    return rc;
}

static kc_err job_pin(store *st, void *ctx, char *msg)
{
    vote_job_ctx *c = ctx;
    kc_err rc = pin_check(st, c->pin, c->now_s, &c->wait_s);
    sodium_memzero(c->pin, sizeof c->pin);
    if (rc && rc != KC_EDENIED && rc != KC_ELOCKED && rc != KC_ENOTFOUND)
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(st));
    return rc;
}

static kc_err job_cast(store *st, void *ctx, char *msg)
{
    vote_job_ctx *c = ctx;
    kc_err rc = ballot_session_cast(c->s, st, c->receipt, &c->why);
    if (rc)
        snprintf(msg, KC_MSGMAX, "%s", ballot_session_errmsg(c->s));
    return rc;
}

static kc_err job_tally(store *st, void *ctx, char *msg)
{
    vote_job_ctx *c = ctx;
    kc_err rc = tally_new(c->tb, &c->t);
    if (rc)
        return kc_fail(msg, rc, "out of memory");
    if ((rc = tally_add_store(c->t, st)))
        return kc_fail(msg, rc, "%s", store_errmsg(st));
    if ((rc = tally_compute(c->t)))
        return kc_fail(msg, rc, "out of memory");
    return KC_OK;
}

int vote_job_start(app *a, vote_state *v, vote_job_kind k)
{
    static const job_fn fns[] = { NULL, job_code, job_pin, job_cast, job_tally };
    if (v->j || k == VJ_NONE)
        return -1;
    if (job_start(&v->j, a->jobs, fns[k], &v->jc)) {
        sodium_memzero(&v->jc, sizeof v->jc);
        v->j = NULL;
        return -1;
    }
    v->jk = k;
    return 0;
}

static int on_stage(const app *a, vote_stage s)
{
    return app_cur(a)->id == SCR_VOTE && app_cur(a)->kind == (int)s;
}

/* Replaces the current stage (code entry, PIN pad) by the ballot, so Back from the
 * ballot goes to the eligibility statement. */
static void go_replacing(app *a, vote_stage s)
{
    if (a->depth > 1)
        a->depth--;
    app_go(a, SCR_VOTE, s, app_cur(a)->item);
}

static void code_done(app *a, vote_state *v, kc_err rc, ballot_why why)
{
    if (rc == KC_OK) {
        sodium_memzero(v->code, sizeof v->code);
        v->msg[0] = '\0';
        if (on_stage(a, VOTE_CODE))
            go_replacing(a, VOTE_PICK);
        return;
    }
    /* a mistyped symbol can be fixed; a used code is gone for good */
    if (!(rc == KC_EDENIED && (why == BALLOT_WHY_CODE_UNKNOWN || why == BALLOT_WHY_CODE_FORMAT)))
        sodium_memzero(v->code, sizeof v->code);
    snprintf(v->msg, sizeof v->msg, "%s",
             rc == KC_EDENIED ? vote_why_text(a, why)
                              : tr(a, "The code could not be checked. Please ask the staff "
                                      "for help."));
    /* after a crash between the vote and its receipt screen: the receipt, not a bare
     * "already used" (docs/voting.md) */
    if (rc == KC_EDENIED && why == BALLOT_WHY_CODE_VOTED && v->s) {
        size_t o = strlen(v->msg);
        snprintf(v->msg + o, sizeof v->msg - o, " %s", tr(a, "Receipt:"));
        o = strlen(v->msg);
        snprintf(v->msg + o, sizeof v->msg - o, " %s", ballot_session_recorded(v->s));
    }
}

static void pin_done(app *a, vote_state *v, kc_err rc, long wait)
{
    v->msg[0] = '\0';
    if (rc == KC_OK) {
        ballot_why why;
        if (!on_stage(a, VOTE_STAFF) || !v->s)
            return;  /* the staff member went elsewhere: nothing is unlocked */
        if (ballot_session_unlock_staff(v->s, &why))
            snprintf(v->msg, sizeof v->msg, "%s", vote_why_text(a, why));
        else
            go_replacing(a, VOTE_PICK);
    } else if (rc == KC_ELOCKED || (rc == KC_EDENIED && wait > 0)) {
        snprintf(v->msg, sizeof v->msg, tr(a, "Too many wrong PINs. Try again in %ld seconds."),
                 wait);
    } else if (rc == KC_EDENIED) {
        snprintf(v->msg, sizeof v->msg, "%s", tr(a, "Wrong PIN."));
    } else if (rc == KC_ENOTFOUND) {
        snprintf(v->msg, sizeof v->msg, "%s",
                 tr(a, "No coordinator PIN is set on this kiosk (kioskctl pin set)."));
    } else {
        snprintf(v->msg, sizeof v->msg, "%s",
                 tr(a, "The PIN could not be checked. Please try again."));
    }
}

static void cast_done(app *a, vote_state *v, kc_err rc, ballot_why why, const char *receipt)
{
    if (rc == KC_OK) {
        char keep[BALLOT_RECEIPT_TEXT + 1];
        snprintf(keep, sizeof keep, "%s", receipt);
        vote_end_session(v);  /* the vote is stored: nothing of it stays in memory */
        snprintf(v->receipt, sizeof v->receipt, "%s", keep);
        sodium_memzero(keep, sizeof keep);
        app_home(a);
        app_go(a, SCR_VOTE, VOTE_RECEIPT, NULL);
        return;
    }
    snprintf(v->msg, sizeof v->msg, "%s",
             rc == KC_EDENIED ? vote_why_text(a, why)
                              : tr(a, "Your vote could not be saved, and nothing was stored. "
                                      "Please try again, or ask the staff for help."));
}

int vote_job_busy(app *a, ui *u, vote_state *v)
{
    if (!v->j)
        return 0;
    kc_err rc;
    char msg[KC_MSGMAX];
    if (!job_done(v->j, &rc, msg)) {
        ui_request_frame(u);
        return 1;
    }
    job_free(v->j);
    v->j = NULL;
    vote_job_kind k = v->jk;
    v->jk = VJ_NONE;
    if (rc && rc != KC_EDENIED && k != VJ_PIN)
        fprintf(stderr, "kiosk: vote: %s\n", msg);  /* never names a code or a choice */
    switch (k) {
    case VJ_CODE: code_done(a, v, rc, v->jc.why); break;
    case VJ_PIN: pin_done(a, v, rc, v->jc.wait_s); break;
    case VJ_CAST: cast_done(a, v, rc, v->jc.why, v->jc.receipt); break;
    case VJ_TALLY:
        v->rt = rc ? NULL : v->jc.t;
        if (rc)
            tally_free(v->jc.t);
        v->rfail = rc != KC_OK;
        break;
    case VJ_NONE: break;
    }
    sodium_memzero(&v->jc, sizeof v->jc);
    ui_request_frame(u);
    return 0;
}

void vote_draw_busy(app *a, ui *u, ui_rect r, const char *text)
{
    const ui_theme *t = ui_theme_get(u);
    int lh = ui_line_height(u, UI_FONT_TITLE);
    ui_label(u, (ui_rect){ r.x, r.y + r.h / 3, r.w, lh }, UI_FONT_TITLE, t->text, UI_CENTER,
             text);
    ui_label(u, (ui_rect){ r.x, r.y + r.h / 3 + lh + ui_dp(u, 16), r.w, lh }, UI_FONT_BODY,
             t->muted, UI_CENTER, tr(a, "One moment, please."));
}

/* --- words ------------------------------------------------------------------------- */

void vote_euros(long long val, char *out, size_t cap)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%lld", val < 0 ? -val : val);
    size_t o = 0;
    if (val < 0 && o + 1 < cap)
        out[o++] = '-';
    for (int i = 0; i < n && o + 6 < cap; i++) {
        if (i && (n - i) % 3 == 0) {  /* no-break space between thousands */
            out[o++] = (char)0xC2;
            out[o++] = (char)0xA0;
        }
        out[o++] = digits[i];
    }
    snprintf(out + o, cap - o, "\xC2\xA0\xE2\x82\xAC");
}

const char *vote_why_text(app *a, ballot_why w)
{
    switch (w) {
    case BALLOT_WHY_NONE: return "";
    case BALLOT_WHY_MAX_PICKS:
        return tr(a, "You have chosen the most projects allowed. Remove one to choose another.");
    case BALLOT_WHY_BUDGET:
        return tr(a, "This project does not fit in what is left of the budget.");
    case BALLOT_WHY_MIN_PICKS: return tr(a, "Choose more projects first.");
    case BALLOT_WHY_NOT_ELIGIBLE:
        return tr(a, "Type your voting code first, or ask the staff to open the ballot.");
    case BALLOT_WHY_CODE_FORMAT:
        return tr(a, "That is not a voting code. A code has 12 letters and digits.");
    case BALLOT_WHY_CODE_UNKNOWN:
        return tr(a, "This code is not valid for this vote. Check the letters and digits "
                     "and try again.");
    case BALLOT_WHY_CODE_USED:
        return tr(a, "This code has already been used to vote. Each code can vote once.");
    case BALLOT_WHY_CLOSED: return tr(a, "Voting is not open today.");
    case BALLOT_WHY_CAST: return tr(a, "This ballot has already been cast.");
    case BALLOT_WHY_NO_PROJECT: return tr(a, "That project is no longer on the ballot.");
    case BALLOT_WHY_CODE_VOTED:
        return tr(a, "Your vote with this code was recorded. It counts; you do not need to "
                     "vote again.");
    }
    return "";
}

/* --- Home ---------------------------------------------------------------------------- */

void vote_relist(app *a)
{
    if (a->vote)
        a->vote->cache_ok = 0;
}

static void cache_refresh(app *a, ui *u, vote_state *v)
{
    char day[11];
    app_today(a, day);
    uint32_t now = ui_now(u);
    if (v->cache_ok && now - v->cache_ms < VOTE_CACHE_MS && strcmp(day, v->cache_day) == 0)
        return;
    cache_clear(v);
    v->cache_ok = 1;
    v->cache_ms = now;
    snprintf(v->cache_day, sizeof v->cache_day, "%s", day);
    char **ids = NULL;
    size_t n = 0;
    /* A database that never had a ballot has no ballot tables: that is "none". */
    if (ballot_store_ids(a->st, &ids, &n)) {
        if (!v->logged && !strstr(store_errmsg(a->st), "no such table"))
            fprintf(stderr, "kiosk: ballots unreadable: %s\n", store_errmsg(a->st));
        v->logged = 1;
        return;
    }
    for (size_t i = 0; i < n && v->nopen < VOTE_OPEN_MAX; i++) {
        ballot *b;
        if (ballot_store_get(a->st, ids[i], &b))
            continue;
        if (ballot_period_cmp(b, day) == 0 && app_shows(a, 1, ballot_id(b)))
            v->open[v->nopen++] = b;
        else
            ballot_free(b);
    }
    store_free_ids(ids, n);
}

int vote_begin(app *a, ui *u, vote_state *v, const char *id)
{
    static const char *const regions[] = { "vote-intro", "vote-cards", "vote-review",
                                           "vote-browse", "vote-project", "vote-receipt" };
    char day[11];
    vote_end_session(v);
    for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++)
        ui_scroll_reset(u, regions[i]);
    app_today(a, day);
    if (ballot_store_get(a->st, id, &v->b)) {
        fprintf(stderr, "kiosk: vote: %s\n", store_errmsg(a->st));
        return -1;
    }
    if (ballot_session_new(v->b, day, &v->s)) {
        vote_end_session(v);
        return -1;
    }
    return 0;
}

void vote_go_vote(app *a, vote_state *v)
{
    ballot_progress p;
    ballot_session_progress(v->s, &p);
    if (p.eligibility != BALLOT_ELIG_NONE) {
        app_go(a, SCR_VOTE, VOTE_PICK, app_cur(a)->item);
        return;
    }
    vote_wipe_inputs(v);
    app_go(a, SCR_VOTE, VOTE_CODE, app_cur(a)->item);
}

int vote_has_picks(const vote_state *v)
{
    if (!v || !v->s || v->j)
        return 0;
    ballot_progress p;
    ballot_session_progress(v->s, &p);
    return p.picks > 0 && !p.cast;
}

void vote_abandon(app *a, ui *u, vote_state *v, vote_leave how)
{
    char id[BALLOT_ID_MAX + 1];
    snprintf(id, sizeof id, "%s", v->b ? ballot_id(v->b) : "");
    vote_end_session(v);  /* nothing of the picks stays, nothing was written */
    if (how == VOTE_LEAVE_HOME || !id[0]) {
        app_home(a);
        return;
    }
    /* Back: the stage before the ballot, now for a fresh, locked ballot */
    while (a->depth > 1 && app_cur(a)->id == SCR_VOTE && app_cur(a)->kind != VOTE_INTRO)
        app_back(a);
    if (app_cur(a)->id != SCR_VOTE || vote_begin(a, u, v, id))
        app_home(a);
}

int vote_ask_leave(app *a, int home)
{
    vote_state *v = a->vote;
    if (app_cur(a)->id != SCR_VOTE || !vote_has_picks(v))
        return 0;
    if (v->ask_leave != VOTE_LEAVE_NONE)
        return 1;  /* already asking: the voter answers the question first */
    vote_stage s = (vote_stage)app_cur(a)->kind;
    /* Back from a project page or the review stays inside the ballot */
    if (home || s == VOTE_PICK || s == VOTE_INTRO) {
        v->ask_leave = home ? VOTE_LEAVE_HOME : VOTE_LEAVE_BACK;
        return 1;
    }
    return 0;
}

void vote_home_banner(app *a, ui *u, ui_rect *r)
{
    vote_state *v = vote_get(a);
    if (!v || vote_job_busy(a, u, v))
        return;
    if (app_cur(a)->id != SCR_HOME)
        return;  /* a finished cast moved on to the receipt */
    /* On Home nobody is voting: an unconfirmed ballot left behind is cancelled. */
    if (v->s || v->receipt[0])
        vote_end_session(v);
    cache_refresh(a, u, v);
    ui_wake_in(u, VOTE_CACHE_MS);  /* a ballot that opens or closes shows up by itself */
    if (!v->nopen)
        return;
    const ui_theme *t = ui_theme_get(u);
    ui_rect b = ui_cut_top(r, ui_dp(u, 150));
    ui_cut_top(r, app_pad(u));
    const char *head = tr(a, "Vote now");
    char sub[600], sem[700];  /* ui_card keeps what fits */
    size_t o = 0;
    sub[0] = '\0';
    for (size_t i = 0; i < v->nopen && o < sizeof sub; i++)
        o += (size_t)snprintf(sub + o, sizeof sub - o, "%s%s", i ? "  \xc2\xb7  " : "",
                              ballot_title(v->open[i], &a->pref, NULL));
    snprintf(sem, sizeof sem, "%.80s: %.599s", head, sub);
    if (ui_card(u, "home-vote", b, sem)) {
        if (v->nopen > 1)
            app_go(a, SCR_VOTE, VOTE_CHOOSE, NULL);
        else if (vote_begin(a, u, v, ballot_id(v->open[0])) == 0)
            app_go(a, SCR_VOTE, VOTE_INTRO, ballot_id(v->open[0]));
    }
    ui_draw_rect(u, b, ui_pressed(u, "home-vote") ? t->pressed : t->accent, ui_dp(u, 12));
    ui_color fg = ui_pressed(u, "home-vote") ? t->button_text : t->accent_text;
    ui_rect in = ui_inset(b, ui_dp(u, 24));
    /* "Vote" as a big word on the left, what the vote is about beside it */
    int hw = ui_text_width(u, UI_FONT_HUGE, head, -1);
    if (hw > in.w / 2)
        hw = in.w / 2;
    ui_label(u, (ui_rect){ in.x, in.y + (in.h - ui_line_height(u, UI_FONT_HUGE)) / 2, hw,
                           ui_line_height(u, UI_FONT_HUGE) },
             UI_FONT_HUGE, fg, UI_LEFT, head);
    ui_cut_left(&in, hw + ui_dp(u, 40));
    int h = ui_text_wrap(u, in, UI_FONT_BOLD, fg, sub, 2, 0);
    in.y += (in.h - h) / 2;
    ui_text_wrap(u, in, UI_FONT_BOLD, fg, sub, 2, 1);
}

void vote_open_results(app *a, ui *u)
{
    vote_state *v = vote_get(a);
    if (v && !v->j)
        vote_results_clear(v);  /* counted afresh each time the screen opens */
    ui_scroll_reset(u, "vote-results");
}
