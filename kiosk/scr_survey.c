/* Survey: an intro, one question at a time with progress, Back and Next, a last check
 * before sending, and "thank you" only after the response is committed.  The session
 * (core/survey.h) decides which questions show and what is acceptable. */
#include "station.h"
#include "screens.h"

#include <stdio.h>
#include <string.h>

typedef struct opt_ctx {
    const app *a;
    const survey_question *q;
} opt_ctx;

static const char *opt_text(void *ud, size_t i)
{
    const opt_ctx *c = ud;
    return cat_text_pick(c->q->options[i].text, &c->a->pref, NULL);
}

static kc_err submit_job(store *st, void *ctx, char *msg)
{
    st_survey *sv = ctx;
    kc_err rc = survey_session_submit(sv->ss, st, time(NULL), sv->uuid);
    if (rc)
        kc_fail(msg, rc, "survey %s: %s", sv->id, survey_session_errmsg(sv->ss));
    return rc;
}

/* Hands the editor's answer to the session; KC_EINVAL with *p when it is refused. */
static kc_err push(survey_session *ss, const qedit *e, survey_problem *p)
{
    survey_answer an;
    int bad;
    const survey_question *q = e->q;
    qedit_answer(e, &an, &bad);
    if (bad) {
        *p = (survey_problem){ SURVEY_P_RANGE, q->min, q->max };
        return KC_EINVAL;
    }
    survey_session_clear(ss);
    kc_err rc = KC_OK;
    if (an.set) {
        switch (q->type) {
        case SURVEY_SINGLE:
        case SURVEY_MULTI:
        case SURVEY_TOP:  /* in rank order, so the session ranks them the same */
            for (int k = 0; k < an.nsel && !rc; k++)
                rc = survey_session_choose(ss, (size_t)an.sel[k]);
            break;
        case SURVEY_SCALE:
        case SURVEY_NUMBER:
            rc = survey_session_set_number(ss, an.num);
            break;
        case SURVEY_TEXT:
            for (int i = 0; i < an.ntext && !rc; i++)
                rc = survey_session_set_text(ss, (size_t)i, an.text[i]);
            break;
        case SURVEY_NQTYPE:
            break;
        }
    }
    if (rc)
        *p = survey_session_problem(ss);
    return rc;
}

static void page_title(app *a, ui *u, ui_rect *r, const survey *def)
{
    const ui_theme *t = ui_theme_get(u);
    const char *title = survey_title(def, &a->pref, NULL);
    ui_label(u, ui_cut_top(r, ui_line_height(u, UI_FONT_BOLD) + ui_dp(u, 6)), UI_FONT_BOLD,
             t->muted, UI_LEFT, title ? title : survey_id(def));
}

static void progress(app *a, ui *u, ui_rect *r, survey_session *ss, const survey *def)
{
    const ui_theme *t = ui_theme_get(u);
    int pos, total;
    survey_session_progress(ss, &pos, &total);
    char line[120];
    /* A total is shown only when it cannot change: with questions that appear by
     * earlier answers (show_if) the count of questions still to come is not known, and
     * a total that went 7, 8, 9 (or a "9 of 8") misled people; then "Question 3" alone,
     * and no segment bar. */
    int known = survey_fixed_length(def);
    /* Past the last question (the review) the count would read "9 of 8". */
    if (pos > total)
        snprintf(line, sizeof line, tr(a, "All %d questions answered"), total);
    else if (known)
        snprintf(line, sizeof line, tr(a, "Question %d of %d"), pos, total);
    else
        snprintf(line, sizeof line, tr(a, "Question %d"), pos);
    ui_rect row = ui_cut_top(r, ui_line_height(u, UI_FONT_BODY) + ui_dp(u, 4));
    ui_label(u, row, UI_FONT_BODY, t->text, UI_LEFT, line);
    if (!known && pos <= total) {
        ui_cut_top(r, ui_dp(u, 16));
        return;
    }
    ui_rect bar = ui_cut_top(r, ui_dp(u, 14));
    ui_cut_top(r, ui_dp(u, 16));
    /* One segment a question; done ones filled.  The total may change as answers
     * show or hide questions, which the segments follow. */
    int gap = total > 30 ? 0 : ui_dp(u, 6);
    int n = total > 0 ? total : 1;
    int sw = (bar.w - (n - 1) * gap) / n;
    for (int i = 0; i < n; i++) {
        ui_rect s = { bar.x + i * (sw + gap), bar.y, sw, bar.h };
        ui_draw_rect(u, s, i < pos - 1 ? t->accent : i == pos - 1 ? t->ok : t->border,
                     bar.h / 2);
    }
}

static void intro(app *a, ui *u, ui_rect r, st_survey *sv)
{
    const ui_theme *t = ui_theme_get(u);
    const survey *def = survey_session_survey(sv->ss);
    const char *title = survey_title(def, &a->pref, NULL);
    const char *text = survey_intro(def, &a->pref, NULL);
    int w = r.w > ui_dp(u, 1200) ? ui_dp(u, 1200) : r.w;
    ui_rect col = { r.x + (r.w - w) / 2, r.y + ui_dp(u, 20), w, r.h - ui_dp(u, 20) };
    int h = ui_text_wrap(u, col, UI_FONT_HUGE, t->text, title ? title : survey_id(def), 3, 1);
    ui_cut_top(&col, h + ui_dp(u, 24));
    if (text) {
        h = ui_text_wrap(u, col, UI_FONT_BODY, t->text, text, 8, 1);
        ui_cut_top(&col, h + ui_dp(u, 24));
    }
    int pos, total;
    survey_session_progress(sv->ss, &pos, &total);
    char line[120];
    snprintf(line, sizeof line, tr(a, "%d questions. Questions marked optional can be skipped."),
             total);
    h = ui_text_wrap(u, col, UI_FONT_BODY, t->muted, line, 2, 1);
    ui_cut_top(&col, h + ui_dp(u, 32));
    ui_rect b = ui_cut_top(&col, app_touch(u) + ui_dp(u, 16));
    b.w = b.w > ui_dp(u, 500) ? ui_dp(u, 500) : b.w;
    if (ui_button(u, "sv-start", b, tr(a, "Start the survey"), UI_STYLE_PRIMARY))
        sv->started = 1;
}

static void thanks(app *a, ui *u, ui_rect r, struct station *s)
{
    const ui_theme *t = ui_theme_get(u);
    const survey *def = survey_session_survey(s->sv.ss);
    const char *text = survey_thanks(def, &a->pref, NULL);
    int w = r.w > ui_dp(u, 1000) ? ui_dp(u, 1000) : r.w;
    ui_rect col = { r.x + (r.w - w) / 2, r.y + ui_dp(u, 40), w, r.h - ui_dp(u, 40) };
    station_draw_face(u, ui_cut_top(&col, ui_dp(u, 200)), 5);
    ui_cut_top(&col, ui_dp(u, 30));
    int h = ui_text_wrap(u, col, UI_FONT_HUGE, t->text,
                         text ? text : tr(a, "Thank you for your answers!"), 3, 1);
    ui_cut_top(&col, h + ui_dp(u, 16));
    h = ui_text_wrap(u, col, UI_FONT_BODY, t->muted, tr(a, "Your answers have been saved."), 2,
                     1);
    ui_cut_top(&col, h + ui_dp(u, 32));
    if (w_finish(a, u, col, "sv-done")) {
        station_wipe_survey(s);
        app_reset(a, u);
    }
}

static void review(app *a, ui *u, ui_rect r, st_survey *sv)
{
    const ui_theme *t = ui_theme_get(u);
    int h = ui_text_wrap(u, r, UI_FONT_TITLE, t->text,
                         tr(a, "That was the last question. Send your answers?"), 3, 1);
    ui_cut_top(&r, h + ui_dp(u, 16));
    h = ui_text_wrap(u, r, UI_FONT_BODY, t->muted,
                     tr(a, "You can still go back and change them. After sending they cannot "
                           "be changed."),
                     3, 1);
    ui_cut_top(&r, h + ui_dp(u, 24));
    if (sv->job.phase == ST_FAILED) {
        char m[KC_MSGMAX + 200];
        snprintf(m, sizeof m, "%s",
                 tr(a, "Saving failed: your answers are still here. Please try again."));
        h = station_message(u, ui_cut_top(&r, ui_dp(u, 120)), m, 1);
        ui_cut_top(&r, ui_dp(u, 16));
    }
    ui_rect row = ui_cut_bottom(&r, app_touch(u) + ui_dp(u, 8));
    int bw = row.w / 3;
    if (ui_button(u, "sv-back", ui_cut_left(&row, bw), tr(a, "Previous"), UI_STYLE_NORMAL)) {
        survey_session_back(sv->ss);
        sv->job.phase = ST_IDLE;
    }
    if (ui_button(u, "sv-send", ui_cut_right(&row, bw), tr(a, "Send answers"),
                  UI_STYLE_PRIMARY)) {
        station_job_start(a, &sv->job, submit_job, sv);
        ui_request_frame(u);
    }
}

static void question(app *a, ui *u, ui_rect r, st_survey *sv)
{
    const ui_theme *t = ui_theme_get(u);
    survey_session *ss = sv->ss;
    size_t cur = survey_session_current(ss);
    const survey_question *q = survey_session_question(ss);
    qedit_load(&sv->ed, (long)cur, q, survey_session_answer(ss, cur));

    ui_rect nav = ui_cut_bottom(&r, app_touch(u) + ui_dp(u, 8));
    ui_cut_bottom(&r, ui_dp(u, 12));
    const char *qt = cat_text_pick(q->text, &a->pref, NULL);
    int h = ui_text_wrap(u, r, UI_FONT_TITLE, t->text, qt ? qt : q->id, 4, 1);
    ui_cut_top(&r, h + ui_dp(u, 4));
    const char *help = cat_text_pick(q->help, &a->pref, NULL);
    char tag[600];
    snprintf(tag, sizeof tag, "%s%s%s", tr(a, q->required ? N_("Required") : N_("Optional")),
             help ? " \xc2\xb7 " : "", help ? help : "");
    h = ui_text_wrap(u, r, UI_FONT_BODY, q->required ? t->warn : t->muted, tag, 3, 1);
    ui_cut_top(&r, h + ui_dp(u, 12));
    /* The message's room is kept when there is none: answers and keys never move. */
    ui_rect mb = ui_cut_bottom(&r, ui_dp(u, 80));
    ui_cut_bottom(&r, ui_dp(u, 10));
    if (sv->show_prob) {
        char m[300];
        station_problem_text(a, q, sv->prob, m, sizeof m);
        station_message(u, mb, m, 1);
    }
    opt_ctx oc = { a, q };
    if (qedit_draw(a, u, r, &sv->ed, q->noptions, opt_text, &oc))
        sv->show_prob = 0;

    int bw = nav.w / 3;
    if (ui_button(u, "sv-prev", ui_cut_left(&nav, bw), tr(a, "Previous"), UI_STYLE_NORMAL)) {
        survey_problem p;
        push(ss, &sv->ed, &p);  /* keep what was given, even when incomplete */
        sv->show_prob = 0;
        if (!survey_session_back(ss))
            sv->started = 0;
        sv->ed.key = -1;
    }
    if (ui_button(u, "sv-next", ui_cut_right(&nav, bw), tr(a, "Next"), UI_STYLE_PRIMARY)) {
        if (push(ss, &sv->ed, &sv->prob) != KC_OK) {
            sv->show_prob = 1;
        } else if (survey_session_next(ss) != KC_OK) {
            sv->prob = survey_session_problem(ss);
            sv->show_prob = 1;
        } else {
            sv->show_prob = 0;
            sv->ed.key = -1;
            ui_scroll_reset(u, "qedit-opts");
        }
    }
}

void scr_survey(app *a, ui *u, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    struct station *s = station_get(a);
    if (!s || !station_ready(a, u))
        return;
    st_survey *sv = &s->sv;
    const char *id = app_cur(a)->item;
    if (!sv->ss || strcmp(sv->id, id) != 0) {
        if (sv->job.phase == ST_SAVING)
            return;  /* the other survey's response is being committed */
        station_wipe_survey(s);
        snprintf(sv->id, sizeof sv->id, "%s", id);
        if (survey_session_start(a->st, id, &sv->ss, sv->err) != KC_OK) {
            sv->ss = NULL;
            fprintf(stderr, "kiosk: survey %s: %s\n", id, sv->err);
        }
    }
    if (!sv->ss) {
        ui_text_wrap(u, r, UI_FONT_BODY, t->text,
                     tr(a, "This survey is no longer available. Thank you for your interest!"),
                     0, 1);
        return;
    }
    if (station_job_poll(&sv->job, u) && sv->job.phase == ST_DONE) {
        app_sync_kick(a);  /* the response is committed: send it now, not in a minute */
        station_relist(a);
    }
    if (sv->job.phase == ST_DONE) {
        thanks(a, u, r, s);
        return;
    }
    if (!sv->started) {
        intro(a, u, r, sv);
        return;
    }
    if (sv->job.phase == ST_SAVING) {  /* the session belongs to the job meanwhile */
        station_message(u, ui_cut_top(&r, ui_dp(u, 100)), tr(a, "Saving\xe2\x80\xa6"), 0);
        return;
    }
    page_title(a, u, &r, survey_session_survey(sv->ss));
    progress(a, u, &r, sv->ss, survey_session_survey(sv->ss));
    if (survey_session_current(sv->ss) == SURVEY_END)
        review(a, u, r, sv);
    else
        question(a, u, r, sv);
}
