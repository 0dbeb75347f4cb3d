/* Voting's screen: choosing a ballot, the eligibility statement and the dispatch to
 * the stages (browse and project in scr_vote_browse.c, code and PIN pads in
 * scr_vote_code.c, picking, review and receipt in scr_vote_pick.c).  The state and
 * its jobs are in scr_vote.c.  Contract in scr_vote.h. */
#include "scr_vote.h"
#include "screens.h"

#include <stdio.h>
#include <string.h>

/* --- stages ---------------------------------------------------------------------------- */

static void stage_choose(app *a, ui *u, ui_rect r, vote_state *v)
{
    const ui_theme *t = ui_theme_get(u);
    w_heading(u, ui_cut_top(&r, w_heading_h(u)), tr(a, "Which vote?"));
    ui_cut_top(&r, app_pad(u));
    /* Each card as tall as its title and date need (A+, narrow screens); the list
     * scrolls when they do not all fit. */
    int gap = app_pad(u), pad = ui_dp(u, 20);
    ui_rect view = r;
    int dy = ui_scroll_begin(u, "vote-choose", view, -1);
    r.y += dy;
    int y0 = r.y;
    for (size_t i = 0; i < v->nopen; i++) {
        const ballot *b = v->open[i];
        char id[96];
        snprintf(id, sizeof id, "vote-choose:%s", ballot_id(b));
        const char *title = ballot_title(b, &a->pref, NULL);
        int h = ui_text_wrap(u, (ui_rect){ 0, 0, r.w - 2 * pad, 0 }, UI_FONT_TITLE,
                             t->button_text, title, 2, 0) +
                ui_dp(u, 6) + ui_line_height(u, UI_FONT_BODY) + 2 * pad;
        if (h < ui_dp(u, 150))
            h = ui_dp(u, 150);
        ui_rect c = ui_cut_top(&r, h);
        ui_cut_top(&r, gap);
        if (ui_card(u, id, c, title) && vote_begin(a, u, v, ballot_id(b)) == 0) {
            app_go(a, SCR_VOTE, VOTE_INTRO, ballot_id(b));
            ui_scroll_end(u, r.y - y0);
            return;
        }
        ui_rect in = ui_inset(c, ui_dp(u, 20));
        int th = ui_text_wrap(u, in, UI_FONT_TITLE, t->button_text, title, 2, 1);
        ui_cut_top(&in, th + ui_dp(u, 6));
        char until[64], line[200];
        app_format_date(a, ballot_closes(b), until, sizeof until);
        snprintf(line, sizeof line, tr(a, "Open until %s"), until);
        ui_label(u, ui_cut_top(&in, ui_line_height(u, UI_FONT_BODY)), UI_FONT_BODY, t->muted,
                 UI_LEFT, line);
    }
    ui_scroll_end(u, r.y - y0);
}

/* Wrapped text inside a panel; returns the height used. */
static int panel_text(ui *u, ui_rect c, ui_font f, ui_color fg, const char *s)
{
    const ui_theme *t = ui_theme_get(u);
    int pad = ui_dp(u, 20);
    ui_rect in = { c.x + pad, c.y + pad, c.w - 2 * pad, 1 << 20 };
    int h = ui_text_wrap(u, in, f, fg, s, 0, 0) + 2 * pad;
    ui_draw_rect(u, (ui_rect){ c.x, c.y, c.w, h }, t->panel, ui_dp(u, 12));
    ui_text_wrap(u, in, f, fg, s, 0, 1);
    return h;
}

static void rule_line(app *a, const ballot *b, char *out, size_t cap)
{
    char money[64];
    if (ballot_get_rule(b) == BALLOT_KNAPSACK) {
        vote_euros(ballot_budget(b), money, sizeof money);
        snprintf(out, cap, tr(a, "Choose projects whose total cost fits in the budget of %s."),
                 money);
    } else if (ballot_min_picks(b) == ballot_max_picks(b)) {
        snprintf(out, cap, tr(a, "Choose %d projects."), ballot_max_picks(b));
    } else {
        snprintf(out, cap, tr(a, "Choose %d to %d projects."), ballot_min_picks(b),
                 ballot_max_picks(b));
    }
}

static void stage_intro(app *a, ui *u, ui_rect r, vote_state *v)
{
    const ui_theme *t = ui_theme_get(u);
    ballot_progress p;
    ballot_session_progress(v->s, &p);
    int eligible = p.eligibility != BALLOT_ELIG_NONE;
    int portrait = ui_w(u) < ui_h(u), gap = app_pad(u);
    int bh = app_touch(u) + ui_dp(u, 24);
    /* labels whole: two lines in a taller button when one does not fit (A+, a narrow
     * screen), one button under the other when two lines would not do either */
    const char *l1 = eligible ? tr(a, "Continue to the ballot") : tr(a, "I have a voting code");
    const char *l2 = eligible ? tr(a, "Cancel my ballot")
                              : tr(a, "Staff: open the ballot without a code");
    int lw = ui_text_width(u, UI_FONT_BOLD, l1, -1), lw2 = ui_text_width(u, UI_FONT_BOLD, l2, -1);
    lw = (lw > lw2 ? lw : lw2) + ui_dp(u, 24);
    int bw = portrait ? r.w : (r.w - gap) / 2;
    if (!portrait && lw > 2 * bw * 4 / 5) {
        portrait = 1;
        bw = r.w;
    }
    if (lw > bw) {
        int two = 2 * ui_line_height(u, UI_FONT_BOLD) + ui_dp(u, 28);
        bh = two > bh ? two : bh;
    }
    ui_rect btns = ui_cut_bottom(&r, portrait ? 2 * bh + gap : bh);
    ui_cut_bottom(&r, gap);
    ui_rect b1, b2 = btns;
    if (portrait) {
        b1 = ui_cut_top(&b2, bh);
        ui_cut_top(&b2, gap);
    } else {
        b1 = ui_cut_left(&b2, (btns.w - gap) / 2);
        ui_cut_left(&b2, gap);
    }
    if (eligible) {
        if (ui_button(u, "vote-continue", b1, l1, UI_STYLE_PRIMARY))
            app_go(a, SCR_VOTE, VOTE_PICK, app_cur(a)->item);
        if (ui_button(u, "vote-cancel", b2, l2, UI_STYLE_NORMAL)) {
            vote_end_session(v);
            app_home(a);
            return;
        }
    } else {
        if (ui_button(u, "vote-have-code", b1, l1, UI_STYLE_PRIMARY)) {
            vote_wipe_inputs(v);
            app_go(a, SCR_VOTE, VOTE_CODE, app_cur(a)->item);
        }
        if (ui_button(u, "vote-staff", b2, l2, UI_STYLE_NORMAL)) {
            vote_wipe_inputs(v);
            app_go(a, SCR_VOTE, VOTE_STAFF, app_cur(a)->item);
        }
    }

    int off = ui_scroll_begin(u, "vote-intro", r, -1);
    ui_rect c = { r.x, r.y + off, r.w - ui_dp(u, 16), 1 << 20 };
    int y0 = c.y;
    const ballot *b = v->b;
    c.y += ui_text_wrap(u, c, UI_FONT_HUGE, t->text, ballot_title(b, &a->pref, NULL), 0, 1);
    c.y += ui_dp(u, 12);
    char line[400], until[64];
    /* the projects can be read before any code is typed: first thing under the title */
    snprintf(line, sizeof line,
             trn(a, "See the %lu project", "See the %lu projects",
                 (unsigned long)ballot_nprojects(b)),
             (unsigned long)ballot_nprojects(b));
    int sw = ui_text_width(u, UI_FONT_BOLD, line, -1) + ui_dp(u, 60);
    ui_rect see = { c.x, c.y, sw < c.w ? sw : c.w, bh };
    if (ui_button(u, "vote-browse", see, line, UI_STYLE_NORMAL)) {
        ui_scroll_reset(u, "vote-browse");
        app_go(a, SCR_VOTE, VOTE_BROWSE, app_cur(a)->item);
    }
    c.y += bh + ui_dp(u, 20);
    const char *desc = ballot_description(b, &a->pref, NULL);
    if (desc)
        c.y += ui_text_wrap(u, c, UI_FONT_BODY, t->text, desc, 0, 1) + ui_dp(u, 16);
    rule_line(a, b, line, sizeof line);
    c.y += ui_text_wrap(u, c, UI_FONT_BOLD, t->text, line, 0, 1) + ui_dp(u, 6);
    app_format_date(a, ballot_closes(b), until, sizeof until);
    snprintf(line, sizeof line, tr(a, "Open until %s"), until);
    c.y += ui_text_wrap(u, c, UI_FONT_BODY, t->muted, line, 0, 1) + ui_dp(u, 20);
    ui_label(u, (ui_rect){ c.x, c.y, c.w, ui_line_height(u, UI_FONT_TITLE) }, UI_FONT_TITLE,
             t->text, UI_LEFT, tr(a, "Who can vote"));
    c.y += ui_line_height(u, UI_FONT_TITLE) + ui_dp(u, 8);
    c.y += panel_text(u, c, UI_FONT_BODY, t->text, ballot_eligibility(b, &a->pref, NULL));
    c.y += ui_dp(u, 20);
    if (eligible)
        c.y += ui_text_wrap(u, c, UI_FONT_BOLD, t->ok,
                            p.eligibility == BALLOT_ELIG_STAFF
                                ? tr(a, "The staff opened the ballot for one vote.")
                                : tr(a, "Your code was accepted."),
                            0, 1);
    ui_scroll_end(u, c.y - y0 + ui_dp(u, 20));
}

void scr_vote(app *a, ui *u, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    vote_state *v = vote_get(a);
    if (!v) {
        ui_label(u, r, UI_FONT_BODY, t->warn, UI_LEFT, tr(a, "Out of memory."));
        return;
    }
    if (vote_job_busy(a, u, v)) {
        vote_draw_busy(a, u, r,
                       v->jk == VJ_CAST ? tr(a, "Saving your vote\xe2\x80\xa6")
                       : v->jk == VJ_TALLY ? tr(a, "Counting the votes\xe2\x80\xa6")
                                           : tr(a, "Checking\xe2\x80\xa6"));
        return;
    }
    vote_stage s = (vote_stage)app_cur(a)->kind;
    if (v->ask_leave != VOTE_LEAVE_NONE && vote_has_picks(v)) {
        vote_ask_leave_draw(a, u, r, v);
        return;
    }
    v->ask_leave = VOTE_LEAVE_NONE;
    if (s == VOTE_CHOOSE) {
        stage_choose(a, u, r, v);
        return;
    }
    if (s == VOTE_RECEIPT) {
        vote_stage_receipt(a, u, r, v);
        return;
    }
    if (!v->s) {  /* the ballot was cancelled meanwhile (Home, idle) */
        ui_text_wrap(u, ui_cut_top(&r, ui_dp(u, 120)), UI_FONT_TITLE, t->text,
                     tr(a, "This ballot was cancelled. Start again from the home screen."), 2,
                     1);
        if (ui_button(u, "vote-restart", ui_cut_top(&r, app_touch(u)), tr(a, "Home"),
                      UI_STYLE_PRIMARY))
            app_home(a);
        return;
    }
    /* where the voter is: 1 code, 2 choose, 3 confirm (a project page opened from the
     * picks is part of choosing) */
    int step = s == VOTE_CODE || s == VOTE_STAFF ? 1
               : s == VOTE_PICK ? 2
               : s == VOTE_REVIEW ? 3
               : s == VOTE_PROJECT && a->depth > 1 && a->nav[a->depth - 2].id == SCR_VOTE &&
                         a->nav[a->depth - 2].kind == VOTE_PICK
                   ? 2
                   : 0;
    if (step)
        vote_steps(a, u, &r, step);
    switch (s) {
    case VOTE_INTRO: stage_intro(a, u, r, v); break;
    case VOTE_CODE: vote_stage_code(a, u, r, v); break;
    case VOTE_STAFF: vote_stage_staff(a, u, r, v); break;
    case VOTE_PICK: vote_stage_pick(a, u, r, v); break;
    case VOTE_REVIEW: vote_stage_review(a, u, r, v); break;
    case VOTE_BROWSE: vote_stage_browse(a, u, r, v); break;
    case VOTE_PROJECT: vote_stage_project(a, u, r, v); break;
    case VOTE_CHOOSE:
    case VOTE_RECEIPT: break;
    }
}
