/* Voting: the projects before any code (a read-only list), one project's page (from
 * the list, or from the picks with choose/remove on it), the step indicator, and the
 * "Stop voting?" question asked before a half-filled ballot is dropped by Back, Home
 * or the idle warning.  Contract in scr_vote.h. */
#include "scr_vote.h"

#include <stdio.h>
#include <string.h>

/* --- the step indicator ---------------------------------------------------------------- */

/* Widths of "1 Code", "2 Choose", "3 Confirm" in font f with their pills' padding;
 * returns the row's width with the gaps between. */
static int steps_width(app *a, ui *u, ui_font f, char text[3][96], int w[3], int pad, int gap)
{
    static const char *const names[3] = { N_("Code"), N_("Choose"), N_("Confirm") };
    int total = 2 * gap;
    for (int i = 0; i < 3; i++) {
        snprintf(text[i], sizeof text[i], "%d %s", i + 1, tr(a, names[i]));
        w[i] = ui_text_width(u, f, text[i], -1) + 2 * pad;
        total += w[i];
    }
    return total;
}

void vote_steps(app *a, ui *u, ui_rect *r, int step)
{
    const ui_theme *t = ui_theme_get(u);
    char text[3][96];
    int w[3], pad = ui_dp(u, 16), gap = ui_dp(u, 34);
    /* the whole row in bold, else smaller, else only where the voter is: never cut */
    ui_font f = UI_FONT_BOLD;
    int total = steps_width(a, u, f, text, w, pad, gap);
    if (total > r->w) {
        f = UI_FONT_SMALL;
        total = steps_width(a, u, f, text, w, pad, gap);
    }
    int lh = ui_line_height(u, f);
    ui_rect row = ui_cut_top(r, lh + ui_dp(u, 12));
    ui_cut_top(r, ui_dp(u, 12));
    if (total > row.w) {
        char one[200];
        snprintf(one, sizeof one, tr(a, "Step %d of 3: %s"), step, text[step - 1] + 2);
        ui_text_wrap(u, row, UI_FONT_SMALL, t->text, one, 1, 1);
        return;
    }
    int x = row.x;
    for (int i = 0; i < 3; i++) {
        ui_rect pill = { x, row.y, w[i], row.h };
        int cur = i + 1 == step, done = i + 1 < step;
        if (cur)
            ui_draw_rect(u, pill, t->accent, row.h / 2);
        else
            ui_draw_box(u, pill, t->panel, done ? t->ok : t->border, ui_dp(u, 2), row.h / 2);
        ui_label(u, (ui_rect){ x + pad, row.y + (row.h - lh) / 2, w[i] - 2 * pad, lh }, f,
                 cur ? t->accent_text : done ? t->text : t->muted, UI_LEFT, text[i]);
        x += w[i];
        if (i < 2) {  /* a short line between the steps */
            int d = ui_dp(u, 4) > 1 ? ui_dp(u, 4) : 1;
            ui_draw_rect(u, (ui_rect){ x + gap / 4, row.y + row.h / 2 - d / 2, gap / 2, d },
                         done ? t->ok : t->border, 0);
            x += gap;
        }
    }
}

/* --- the list of projects ---------------------------------------------------------------- */

/* One project's card in the list: title and cost, place, the start of its text.
 * Returns the height it needs at width w (draw 0) or draws it at c (draw 1). */
static int browse_card(app *a, ui *u, ui_rect c, vote_state *v, size_t i, int draw)
{
    const ui_theme *t = ui_theme_get(u);
    ballot_project pr;
    ballot_project_at(v->b, i, &a->pref, &pr);
    int pad = ui_dp(u, 18);
    ui_rect in = { c.x + pad, c.y + pad, c.w - 2 * pad, 1 << 20 };
    char money[64], line[400];
    vote_euros(pr.cost, money, sizeof money);
    int cw = ui_text_width(u, UI_FONT_BOLD, money, -1);
    if (draw)
        ui_label(u, (ui_rect){ in.x + in.w - cw, in.y, cw, ui_line_height(u, UI_FONT_BOLD) },
                 UI_FONT_BOLD, t->text, UI_RIGHT, money);
    ui_rect head = { in.x, in.y, in.w - cw - ui_dp(u, 20), in.h };
    int y = in.y + ui_text_wrap(u, head, UI_FONT_BOLD, t->text, pr.title, 3, draw);
    int picked = ballot_session_picked(v->s, i);
    int fb = pr.title_lang != a->lang;
    if (pr.area || fb || picked) {
        snprintf(line, sizeof line, "%s%s%s%s%s", pr.area ? pr.area : "",
                 pr.area && fb ? "  " : "", fb ? app_in_lang(a, pr.title_lang) : "",
                 picked && (pr.area || fb) ? "  \xc2\xb7  " : "", picked ? tr(a, "Chosen") : "");
        y += ui_dp(u, 4);
        y += ui_text_wrap(u, (ui_rect){ in.x, y, in.w, in.h }, UI_FONT_SMALL,
                          picked ? t->ok : t->muted, line, 2, draw);
    }
    if (pr.description) {
        y += ui_dp(u, 4);
        y += ui_text_wrap(u, (ui_rect){ in.x, y, in.w, in.h }, UI_FONT_SMALL, t->text,
                          pr.description, 2, draw);
    }
    return y - c.y + pad;
}

static void open_page(app *a, ui *u, vote_state *v, size_t i)
{
    v->page = i;
    v->msg[0] = '\0';
    ui_scroll_reset(u, "vote-project");
    app_go(a, SCR_VOTE, VOTE_PROJECT, app_cur(a)->item);
}

void vote_stage_browse(app *a, ui *u, ui_rect r, vote_state *v)
{
    const ui_theme *t = ui_theme_get(u);
    const ballot *b = v->b;
    int gap = app_pad(u);
    ui_cut_top(&r, ui_text_wrap(u, r, UI_FONT_TITLE, t->text, ballot_title(b, &a->pref, NULL),
                                2, 1) + ui_dp(u, 6));
    ui_cut_top(&r, ui_text_wrap(u, r, UI_FONT_BODY, t->muted,
                                tr(a, "Tap a project to read more. Voting needs your voting "
                                      "code."),
                                2, 1) + gap / 2);
    /* Vote, always in the same place under the list */
    int bh = app_touch(u) + ui_dp(u, 16);
    ui_rect bottom = ui_cut_bottom(&r, bh);
    ui_cut_bottom(&r, gap / 2);
    int bw = ui_dp(u, 460) < bottom.w ? ui_dp(u, 460) : bottom.w;
    if (ui_button(u, "vote-vote", ui_cut_right(&bottom, bw), tr(a, "Vote"), UI_STYLE_PRIMARY)) {
        vote_go_vote(a, v);
        return;
    }
    /* the cards in the ballot's order, in columns of a readable width */
    size_t n = ballot_nprojects(b);
    int cols = (int)((float)r.w / ((float)ui_dp(u, 560) * app_text_scale(a)));
    cols = cols < 1 ? 1 : cols > 3 ? 3 : cols;
    int cg = ui_dp(u, 16), cw = (r.w - ui_dp(u, 16) - (cols - 1) * cg) / cols;
    int ch = app_touch(u);
    for (size_t i = 0; i < n; i++) {  /* one height for all: the rows line up */
        int h = browse_card(a, u, (ui_rect){ 0, 0, cw, 0 }, v, i, 0);
        ch = h > ch ? h : ch;
    }
    int rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
    int off = ui_scroll_begin(u, "vote-browse", r, -1);
    long tapped = -1;
    for (size_t i = 0; i < n; i++) {
        ui_rect c = { r.x + (int)(i % (size_t)cols) * (cw + cg),
                      r.y + off + (int)(i / (size_t)cols) * (ch + cg), cw, ch };
        ballot_project pr;
        ballot_project_at(b, i, &a->pref, &pr);
        if (c.y + c.h < r.y || c.y > r.y + r.h) {
            ui_sem_add(u, UI_SEM_BUTTON, c, pr.title, 0);  /* off screen: described only */
            continue;
        }
        char id[96];
        snprintf(id, sizeof id, "vote-page:%s", ballot_project_id(b, i));
        if (ui_card(u, id, c, pr.title))
            tapped = (long)i;
        browse_card(a, u, c, v, i, 1);
    }
    ui_scroll_end(u, rows * (ch + cg) - cg);
    if (tapped >= 0)
        open_page(a, u, v, (size_t)tapped);
}

/* --- one project's page -------------------------------------------------------------------- */

static int from_picks(const app *a)
{
    return a->depth > 1 && a->nav[a->depth - 2].id == SCR_VOTE &&
           a->nav[a->depth - 2].kind == VOTE_PICK;
}

void vote_stage_project(app *a, ui *u, ui_rect r, vote_state *v)
{
    const ui_theme *t = ui_theme_get(u);
    if (v->page >= ballot_nprojects(v->b)) {
        app_back(a);
        return;
    }
    size_t i = v->page;
    ballot_project pr;
    ballot_project_at(v->b, i, &a->pref, &pr);
    int picking = from_picks(a);
    int picked = ballot_session_picked(v->s, i);
    int gap = app_pad(u), portrait = ui_w(u) < ui_h(u);
    int bh = app_touch(u) + ui_dp(u, 16);

    /* bottom: a message's room (kept, so the buttons never move), the buttons */
    ui_rect btns = ui_cut_bottom(&r, portrait ? 2 * bh + gap : bh);
    ui_cut_bottom(&r, gap / 2);
    ui_rect msg = ui_cut_bottom(&r, 2 * ui_line_height(u, UI_FONT_BOLD));
    ui_cut_bottom(&r, gap / 2);
    ui_rect back, act = btns;
    if (portrait) {
        back = ui_cut_bottom(&act, bh);
        ui_cut_bottom(&act, gap);
    } else {
        back = ui_cut_left(&act, (btns.w - gap) / 2);
        ui_cut_left(&act, gap);
    }
    if (ui_button(u, "vote-page-back", back, tr(a, "Back to the projects"), UI_STYLE_NORMAL)) {
        v->msg[0] = '\0';
        app_back(a);
        return;
    }
    if (picking) {
        const char *label = picked ? tr(a, "Remove my choice") : tr(a, "Choose this project");
        if (ui_button(u, "vote-page-pick", act, label,
                      picked ? UI_STYLE_NORMAL : UI_STYLE_PRIMARY)) {
            ballot_progress p;
            ballot_session_progress(v->s, &p);
            ballot_why why;
            v->msg[0] = '\0';
            if (ballot_session_toggle(v->s, i, &why) == KC_OK) {
                v->refused = -1;
            } else {
                char money[64];
                v->refused = (long)i;
                v->refused_why = why;
                v->refused_left = p.remaining;
                vote_euros(p.remaining, money, sizeof money);
                if (why == BALLOT_WHY_BUDGET)
                    snprintf(v->msg, sizeof v->msg,
                             tr(a, "Does not fit: only %s left. Remove a choice to make room."),
                             money);
                else
                    snprintf(v->msg, sizeof v->msg, "%s", vote_why_text(a, why));
            }
            picked = ballot_session_picked(v->s, i);
        }
    } else if (ui_button(u, "vote-vote", act, tr(a, "Vote"), UI_STYLE_PRIMARY)) {
        vote_go_vote(a, v);
        return;
    }
    if (v->msg[0])
        ui_text_wrap(u, msg, UI_FONT_BOLD, t->warn, v->msg, 2, 1);

    /* the page: title, cost, place, state, the whole text at a readable width */
    int off = ui_scroll_begin(u, "vote-project", r, -1);
    int w = ui_dp(u, 1100) < r.w - ui_dp(u, 16) ? ui_dp(u, 1100) : r.w - ui_dp(u, 16);
    ui_rect c = { r.x, r.y + off, w, 1 << 20 };
    int y0 = c.y;
    char line[400], money[64];
    c.y += ui_text_wrap(u, c, UI_FONT_HUGE, t->text, pr.title, 0, 1) + ui_dp(u, 12);
    vote_euros(pr.cost, money, sizeof money);
    snprintf(line, sizeof line, tr(a, "Cost: %s"), money);
    c.y += ui_text_wrap(u, c, UI_FONT_TITLE, t->text, line, 0, 1) + ui_dp(u, 6);
    if (pr.area) {
        snprintf(line, sizeof line, tr(a, "Place: %s"), pr.area);
        c.y += ui_text_wrap(u, c, UI_FONT_BOLD, t->text, line, 0, 1) + ui_dp(u, 6);
    }
    if (picking)
        c.y += ui_text_wrap(u, c, UI_FONT_BOLD, picked ? t->ok : t->muted,
                            picked ? tr(a, "Chosen") : tr(a, "Not chosen"), 0, 1) +
               ui_dp(u, 6);
    if (pr.title_lang != a->lang)
        c.y += ui_text_wrap(u, c, UI_FONT_BODY, t->muted, app_in_lang(a, pr.title_lang), 0,
                            1) + ui_dp(u, 6);
    c.y += ui_dp(u, 14);
    if (pr.description)
        c.y += ui_text_wrap(u, c, UI_FONT_BODY, t->text, pr.description, 0, 1);
    ui_scroll_end(u, c.y - y0 + ui_dp(u, 20));
}

/* --- "Stop voting?" ------------------------------------------------------------------------ */

/* The question and its two answers in a panel centred in r; keep and abandon are the
 * ids of the two buttons.  Returns 1 for keep, 2 for abandon, 0 for neither. */
static int ask_panel(app *a, ui *u, ui_rect r, const char *above, const char *below)
{
    const ui_theme *t = ui_theme_get(u);
    int gap = app_pad(u), pad = ui_dp(u, 32);
    int w = ui_dp(u, 1000) < r.w ? ui_dp(u, 1000) : r.w;
    const char *keep = tr(a, "Continue voting"), *stop = tr(a, "Stop voting");
    int bh = app_touch(u) + ui_dp(u, 16), iw = w - 2 * pad;
    int need = ui_text_width(u, UI_FONT_BOLD, keep, -1) + ui_text_width(u, UI_FONT_BOLD, stop, -1) +
               ui_dp(u, 80);
    int side = need + gap <= iw;
    ui_rect m = { 0, 0, iw, 1 << 20 };
    int h1 = above ? ui_text_wrap(u, m, UI_FONT_TITLE, t->text, above, 0, 0) + ui_dp(u, 12) : 0;
    const char *q = tr(a, "Stop voting?"), *q2 = tr(a, "Your choices will not be saved.");
    int h2 = ui_text_wrap(u, m, above ? UI_FONT_BOLD : UI_FONT_TITLE, t->text, q, 0, 0);
    int h3 = ui_text_wrap(u, m, UI_FONT_BODY, t->text, q2, 0, 0);
    int h4 = below ? ui_text_wrap(u, m, UI_FONT_BODY, t->muted, below, 0, 0) + ui_dp(u, 8) : 0;
    int h = 2 * pad + h1 + h2 + ui_dp(u, 8) + h3 + ui_dp(u, 8) + h4 + gap +
            (side ? bh : 2 * bh + gap);
    ui_rect box = { r.x + (r.w - w) / 2, r.y + (r.h > h ? (r.h - h) / 2 : 0), w, h };
    ui_draw_rect(u, box, t->panel, ui_dp(u, 16));
    ui_draw_frame(u, box, t->border, ui_dp(u, 3));
    ui_rect in = ui_inset(box, pad);
    if (above)
        ui_cut_top(&in, ui_text_wrap(u, in, UI_FONT_TITLE, t->text, above, 0, 1) + ui_dp(u, 12));
    ui_cut_top(&in, ui_text_wrap(u, in, above ? UI_FONT_BOLD : UI_FONT_TITLE, t->text, q, 0, 1) +
                        ui_dp(u, 8));
    ui_cut_top(&in, ui_text_wrap(u, in, UI_FONT_BODY, t->text, q2, 0, 1) + ui_dp(u, 8));
    if (below)
        ui_cut_top(&in, ui_text_wrap(u, in, UI_FONT_BODY, t->muted, below, 0, 1) + ui_dp(u, 8));
    ui_cut_top(&in, gap);
    ui_rect bk, bs;
    if (side) {
        ui_rect row = ui_cut_top(&in, bh);
        bs = ui_cut_left(&row, (row.w - gap) / 2);
        ui_cut_left(&row, gap);
        bk = row;
    } else {
        bk = ui_cut_top(&in, bh);
        ui_cut_top(&in, gap);
        bs = ui_cut_top(&in, bh);
    }
    if (ui_button(u, "vote-keep", bk, keep, UI_STYLE_PRIMARY))
        return 1;
    if (ui_button(u, "vote-abandon", bs, stop, UI_STYLE_NORMAL))
        return 2;
    return 0;
}

void vote_ask_leave_draw(app *a, ui *u, ui_rect r, vote_state *v)
{
    int rc = ask_panel(a, u, r, NULL, NULL);
    if (rc == 1)
        v->ask_leave = VOTE_LEAVE_NONE;
    else if (rc == 2)
        vote_abandon(a, u, v, v->ask_leave);
}

int vote_idle_overlay(app *a, ui *u, uint32_t left_ms)
{
    vote_state *v = a->vote;
    if (app_cur(a)->id != SCR_VOTE || !vote_has_picks(v))
        return 0;
    char line[200];
    snprintf(line, sizeof line, tr(a, "Starting over in %u seconds."),
             (unsigned)((left_ms + 999) / 1000));
    ui_rect all = { 0, 0, ui_w(u), ui_h(u) };
    int rc = ask_panel(a, u, ui_inset(all, app_pad(u)), tr(a, "Are you still there?"), line);
    if (ui_pressed(u, "vote-keep") || ui_pressed(u, "vote-abandon"))
        v->idle_hold = 1;
    if (rc == 1) {
        v->ask_leave = VOTE_LEAVE_NONE;
        a->warning = 0;  /* the tap itself counted as input */
    } else if (rc == 2) {
        vote_end_session(v);  /* nothing was stored: the code stays unused */
        app_reset(a, u);
        ui_request_frame(u);
    }
    return 1;
}

int vote_idle_held(app *a, ui *u)
{
    vote_state *v = a->vote;
    if (!v || !v->idle_hold)
        return 0;
    if (!ui_pressed(u, "vote-keep") && !ui_pressed(u, "vote-abandon"))
        v->idle_hold = 0;  /* lifted (or slid off): this frame still shows the question */
    return 1;
}
