/* Voting: the project cards with the running budget bar (or "N of max chosen"), the
 * review before confirming, and the receipt.  Contract in scr_vote.h. */
#include "scr_vote.h"

#include <stdio.h>
#include <string.h>

/* Knapsack: how much of the budget the picks use, as words and a bar that is full
 * exactly at the budget (the session never lets the total pass it). */
static void budget_bar(app *a, ui *u, ui_rect r, const ballot_progress *p)
{
    const ui_theme *t = ui_theme_get(u);
    char used[64], budget[64], left[64], line[300];
    vote_euros(p->total, used, sizeof used);
    vote_euros(p->budget, budget, sizeof budget);
    vote_euros(p->remaining, left, sizeof left);
    int lh = ui_line_height(u, UI_FONT_BOLD);
    ui_rect top = ui_cut_top(&r, lh);
    ui_cut_top(&r, ui_dp(u, 8));
    snprintf(line, sizeof line, tr(a, "Left: %s"), left);
    int lw = ui_text_width(u, UI_FONT_BOLD, line, -1);
    ui_label(u, ui_cut_right(&top, lw), UI_FONT_BOLD, p->remaining ? t->text : t->ok, UI_RIGHT,
             line);
    snprintf(line, sizeof line, tr(a, "Chosen %s of %s"), used, budget);
    ui_label(u, top, UI_FONT_BOLD, t->text, UI_LEFT, line);
    ui_rect bar = ui_cut_top(&r, ui_dp(u, 36));
    ui_draw_box(u, bar, t->panel, t->border, ui_dp(u, 2), ui_dp(u, 8));
    if (p->budget > 0 && p->total > 0) {
        ui_rect in = ui_inset(bar, ui_dp(u, 4));
        long long fill = (long long)in.w * p->total / p->budget;
        in.w = fill < in.w ? (int)fill : in.w;
        if (in.w < ui_dp(u, 8))
            in.w = ui_dp(u, 8);
        ui_draw_rect(u, in, t->accent, ui_dp(u, 6));
    }
}

/* Approval: "N of max chosen" and one circle per possible pick. */
static void pick_count(app *a, ui *u, ui_rect r, const ballot_progress *p)
{
    const ui_theme *t = ui_theme_get(u);
    char line[200];
    snprintf(line, sizeof line, tr(a, "%d of %d chosen"), p->picks, p->max_picks);
    int lw = ui_text_width(u, UI_FONT_TITLE, line, -1);
    int lh = ui_line_height(u, UI_FONT_TITLE);
    ui_label(u, (ui_rect){ r.x, r.y, lw, lh }, UI_FONT_TITLE, t->text, UI_LEFT, line);
    int d = ui_dp(u, 36), g = ui_dp(u, 12), x = r.x + lw + ui_dp(u, 30);
    for (int i = 0; i < p->max_picks && x + d <= r.x + r.w; i++, x += d + g) {
        ui_rect c = { x, r.y + (lh - d) / 2, d, d };
        if (i < p->picks)
            ui_draw_rect(u, c, t->accent, d / 2);
        else
            ui_draw_box(u, c, t->panel, t->border, ui_dp(u, 3), d / 2);
    }
}

/* Cards share the height when all rows fit, within reason; otherwise they scroll.  The
 * least is two lines of title, the cost and three lines of "does not fit" at the current
 * text size. */
static int card_h(ui *u, int avail, int rows, int gap)
{
    int lb = ui_line_height(u, UI_FONT_BOLD);
    int more = app_touch(u) + ui_dp(u, 8);  /* "Read more" under the card */
    int least = 2 * ui_dp(u, 18) + 6 * lb + ui_dp(u, 16) + more;
    int h = rows ? (avail - (rows - 1) * gap) / rows : avail;
    if (h > ui_dp(u, 400) + more)
        h = ui_dp(u, 400) + more;
    return h < least ? least : h;
}

/* One project card in the cell rc, with "Read more" under it as a target of its own;
 * returns 1 when the card was tapped (choose or remove), 2 for "Read more". */
static int project_card(app *a, ui *u, ui_rect rc, vote_state *v, size_t i,
                        const ballot_progress *p)
{
    const ui_theme *t = ui_theme_get(u);
    ballot_project pr;
    ballot_project_at(v->b, i, &a->pref, &pr);
    ui_rect more = ui_cut_bottom(&rc, app_touch(u));
    ui_cut_bottom(&rc, ui_dp(u, 8));
    {
        char mid[96], sem[UI_SEM_TEXT_MAX];
        const char *label = tr(a, "Read more");
        snprintf(mid, sizeof mid, "vote-more:%s", pr.id);
        snprintf(sem, sizeof sem, "%s: %s", label, pr.title);
        if (ui_card(u, mid, more, sem))
            return 2;
        int lh = ui_line_height(u, UI_FONT_BOLD);
        ui_label(u, (ui_rect){ more.x, more.y + (more.h - lh) / 2, more.w, lh }, UI_FONT_BOLD,
                 t->button_text, UI_CENTER, label);
    }
    int picked = ballot_session_picked(v->s, i);
    ballot_why can = ballot_session_can_pick(v->s, i);
    int refused = v->refused == (long)i;
    char id[96];
    snprintf(id, sizeof id, "vote-card:%s", pr.id);
    int tapped = ui_card(u, id, rc, "");
    ui_sem_add(u, UI_SEM_BUTTON, rc, pr.title, picked);
    if (picked)
        ui_draw_box(u, rc, t->pressed, t->accent, ui_dp(u, 6), ui_dp(u, 12));
    else if (refused)
        ui_draw_box(u, rc, t->panel, t->warn, ui_dp(u, 5), ui_dp(u, 12));
    ui_rect in = ui_inset(rc, ui_dp(u, 18));

    /* the selected state: a ring, filled when chosen */
    int d = ui_dp(u, 48);
    ui_rect ring = { in.x + in.w - d, in.y, d, d };
    ui_draw_box(u, ring, t->panel, picked ? t->accent : t->border, ui_dp(u, 4), d / 2);
    if (picked) {
        int dd = d * 11 / 20;
        ui_draw_rect(u, (ui_rect){ ring.x + (d - dd) / 2, ring.y + (d - dd) / 2, dd, dd },
                     t->accent, dd / 2);
    }
    /* the state line at the bottom; the title as many lines as leave room for it and the
     * cost (a big text size makes everything taller); then as much description as fits */
    char line[400], money[64];
    ui_color sc = t->muted;
    ui_font sf = UI_FONT_SMALL;
    if (picked) {
        snprintf(line, sizeof line, "%s", tr(a, "Chosen. Tap again to remove."));
        sc = t->text;
    } else if (refused && v->refused_why == BALLOT_WHY_BUDGET) {
        vote_euros(v->refused_left, money, sizeof money);
        snprintf(line, sizeof line,
                 tr(a, "Does not fit: only %s left. Remove a choice to make room."), money);
        sc = t->warn;
        sf = UI_FONT_BOLD;
    } else if (refused) {
        snprintf(line, sizeof line, "%s", vote_why_text(a, v->refused_why));
        sc = t->warn;
        sf = UI_FONT_BOLD;
    } else if (can == BALLOT_WHY_BUDGET) {
        vote_euros(p->remaining, money, sizeof money);
        snprintf(line, sizeof line, tr(a, "Does not fit in what is left (%s)"), money);
        sc = t->warn;
    } else if (can == BALLOT_WHY_MAX_PICKS) {
        snprintf(line, sizeof line, "%s", tr(a, "Remove a choice first"));
        sc = t->warn;
    } else {
        snprintf(line, sizeof line, "%s", tr(a, "Tap to choose"));
    }
    int sh = ui_text_wrap(u, in, sf, sc, line, 3, 0);
    ui_rect state = ui_cut_bottom(&in, sh);
    ui_text_wrap(u, state, sf, sc, line, 3, 1);
    ui_cut_bottom(&in, ui_dp(u, 6));
    int lb = ui_line_height(u, UI_FONT_BOLD);
    int tl = (in.h - lb - ui_dp(u, 10)) / lb;
    tl = tl > 3 ? 3 : tl < 1 ? 1 : tl;
    ui_rect head = in;
    head.w -= d + ui_dp(u, 12);
    int th = ui_text_wrap(u, head, UI_FONT_BOLD, t->text, pr.title, tl, 1);
    ui_cut_top(&in, (th > d ? th : d) + ui_dp(u, 6));


    vote_euros(pr.cost, money, sizeof money);
    int lh = ui_line_height(u, UI_FONT_BOLD);
    ui_rect meta = ui_cut_top(&in, lh);
    int cw = ui_text_width(u, UI_FONT_BOLD, money, -1);
    ui_label(u, ui_cut_left(&meta, cw), UI_FONT_BOLD, t->button_text, UI_LEFT, money);
    /* where, and quietly when the texts are in another language */
    int fb = pr.title_lang != a->lang;
    if (pr.area || fb) {
        snprintf(line, sizeof line, "%s%s%s%s", pr.area ? "  \xc2\xb7  " : "",
                 pr.area ? pr.area : "", fb ? "  " : "", fb ? app_in_lang(a, pr.title_lang) : "");
        ui_label(u, meta, UI_FONT_BODY, t->muted, UI_LEFT, line);
    }
    ui_cut_top(&in, ui_dp(u, 4));
    int dl = in.h / ui_line_height(u, UI_FONT_SMALL);
    if (pr.description && dl > 0)
        ui_text_wrap(u, in, UI_FONT_SMALL, t->text, pr.description, dl, 1);
    return tapped;
}

void vote_stage_pick(app *a, ui *u, ui_rect r, vote_state *v)
{
    const ui_theme *t = ui_theme_get(u);
    const ballot *b = v->b;
    ballot_progress p;
    ballot_session_progress(v->s, &p);
    int gap = app_pad(u);

    /* On a short screen (1024x600 with A+) the cards need the room more than the
     * ballot's title, which the intro and the step indicator have already said. */
    int lb = ui_line_height(u, UI_FONT_BOLD);
    if (r.h >= 14 * lb) {
        ui_label(u, ui_cut_top(&r, ui_line_height(u, UI_FONT_TITLE)), UI_FONT_TITLE, t->text,
                 UI_LEFT, ballot_title(b, &a->pref, NULL));
        ui_cut_top(&r, ui_dp(u, 12));
    }
    int ph = ballot_get_rule(b) == BALLOT_KNAPSACK ? lb + ui_dp(u, 8) + ui_dp(u, 36)
                                                   : ui_line_height(u, UI_FONT_TITLE);
    ui_rect prog = ui_cut_top(&r, ph > ui_dp(u, 84) ? ph : ui_dp(u, 84));
    if (ballot_get_rule(b) == BALLOT_KNAPSACK)
        budget_bar(a, u, prog, &p);
    else
        pick_count(a, u, prog, &p);
    ui_cut_top(&r, gap / 2);

    /* bottom: why the vote cannot go ahead yet, and Review */
    ui_rect bottom = ui_cut_bottom(&r, app_touch(u) + ui_dp(u, 16));
    ui_cut_bottom(&r, gap);
    int bw = ui_dp(u, 460) < bottom.w / 2 ? ui_dp(u, 460) : bottom.w / 2;
    ui_rect go = ui_cut_right(&bottom, bw);
    ui_cut_right(&bottom, gap);
    int ready = p.why == BALLOT_WHY_NONE;
    char hint[400];
    hint[0] = '\0';
    int warn = 1;
    if (v->msg[0])
        snprintf(hint, sizeof hint, "%s", v->msg);
    else if (v->refused >= 0)  /* also here: on a small screen the card's own line may be
                                  below the fold */
        snprintf(hint, sizeof hint, "%s", vote_why_text(a, v->refused_why));
    else if (p.why == BALLOT_WHY_MIN_PICKS) {
        warn = 0;
        snprintf(hint, sizeof hint, p.min_picks == 1 ? tr(a, "Choose at least one project.")
                                                     : tr(a, "Choose at least %d projects."),
                 p.min_picks);
    }
    if (hint[0])
        ui_text_wrap(u, bottom, UI_FONT_BOLD, warn ? t->warn : t->muted, hint, 2, 1);
    if (ui_button(u, "vote-review", go, tr(a, "Review my vote"),
                  ready ? UI_STYLE_PRIMARY : UI_STYLE_NORMAL)) {
        if (ready) {
            v->msg[0] = '\0';
            v->refused = -1;
            app_go(a, SCR_VOTE, VOTE_REVIEW, app_cur(a)->item);
            return;
        }
        snprintf(v->msg, sizeof v->msg, "%s", vote_why_text(a, p.why));
    }

    /* the cards, in the ballot's order (it is part of the published ballot) */
    size_t n = ballot_nprojects(b);
    int cols = (int)((float)r.w / ((float)ui_dp(u, 440) * app_text_scale(a)));
    if (cols < 1)
        cols = 1;
    int rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
    int cg = ui_dp(u, 16), ch = card_h(u, r.h, rows, cg);
    int cw = (r.w - ui_dp(u, 16) - (cols - 1) * cg) / cols;
    int off = ui_scroll_begin(u, "vote-cards", r, -1);
    long tapped = -1, page = -1;
    for (size_t i = 0; i < n; i++) {
        ui_rect rc = { r.x + (int)(i % (size_t)cols) * (cw + cg),
                       r.y + off + (int)(i / (size_t)cols) * (ch + cg), cw, ch };
        if (rc.y + rc.h < r.y || rc.y > r.y + r.h) {
            /* off screen: not drawn, but described, so the list says what it holds */
            ballot_project pr;
            char sem[UI_SEM_TEXT_MAX];
            ballot_project_at(b, i, &a->pref, &pr);
            ui_rect more = ui_cut_bottom(&rc, app_touch(u));
            ui_cut_bottom(&rc, ui_dp(u, 8));
            snprintf(sem, sizeof sem, "%s: %s", tr(a, "Read more"), pr.title);
            ui_sem_add(u, UI_SEM_BUTTON, rc, pr.title, ballot_session_picked(v->s, i));
            ui_sem_add(u, UI_SEM_BUTTON, more, sem, 0);
            continue;
        }
        int hit = project_card(a, u, rc, v, i, &p);
        if (hit == 1)
            tapped = (long)i;
        else if (hit == 2)
            page = (long)i;
    }
    ui_scroll_end(u, rows * (ch + cg) - cg);
    if (page >= 0) {
        v->page = (size_t)page;
        v->msg[0] = '\0';
        v->refused = -1;
        ui_scroll_reset(u, "vote-project");
        app_go(a, SCR_VOTE, VOTE_PROJECT, app_cur(a)->item);
        return;
    }
    if (tapped >= 0) {
        ballot_why why;
        long long left = p.remaining;
        v->msg[0] = '\0';
        if (ballot_session_toggle(v->s, (size_t)tapped, &why) == KC_OK) {
            v->refused = -1;
        } else {
            v->refused = tapped;
            v->refused_why = why;
            v->refused_left = left;
        }
    }
}

void vote_stage_review(app *a, ui *u, ui_rect r, vote_state *v)
{
    const ui_theme *t = ui_theme_get(u);
    const ballot *b = v->b;
    ballot_progress p;
    ballot_session_progress(v->s, &p);
    int gap = app_pad(u), portrait = ui_w(u) < ui_h(u);
    w_heading(u, ui_cut_top(&r, w_heading_h(u)), tr(a, "Check your vote"));
    ui_label(u, ui_cut_top(&r, ui_line_height(u, UI_FONT_BODY)), UI_FONT_BODY, t->muted,
             UI_LEFT, ballot_title(b, &a->pref, NULL));
    ui_cut_top(&r, gap);

    int bh = app_touch(u) + ui_dp(u, 24);
    ui_rect btns = ui_cut_bottom(&r, portrait ? 2 * bh + gap : bh);
    ui_cut_bottom(&r, gap);
    ui_rect back, ok = btns;
    if (portrait) {
        back = ui_cut_bottom(&ok, bh);
        ui_cut_bottom(&ok, gap);
    } else {
        back = ui_cut_left(&ok, (btns.w - gap) / 2);
        ui_cut_left(&ok, gap);
    }
    if (ui_button(u, "vote-change", back, tr(a, "Back: change my choices"), UI_STYLE_NORMAL)) {
        v->msg[0] = '\0';
        app_back(a);
        return;
    }
    if (ui_button(u, "vote-confirm", ok, tr(a, "Confirm my vote"), UI_STYLE_PRIMARY)) {
        v->msg[0] = '\0';
        v->jc.s = v->s;
        if (vote_job_start(a, v, VJ_CAST))
            snprintf(v->msg, sizeof v->msg, "%s",
                     tr(a, "Your vote could not be saved, and nothing was stored. Please try "
                           "again, or ask the staff for help."));
        else
            return;
    }
    /* below the list: what confirming means, and any failure */
    char line[400], money[64], budget[64];
    int lh = ui_line_height(u, UI_FONT_BODY);
    ui_rect note = ui_cut_bottom(&r, v->msg[0] ? 3 * lh + ui_dp(u, 60) : 2 * lh);
    ui_cut_bottom(&r, gap / 2);
    if (v->msg[0]) {
        int h = ui_text_wrap(u, note, UI_FONT_BOLD, t->warn, v->msg, 3, 1);
        ui_cut_top(&note, h + ui_dp(u, 6));
    }
    ui_text_wrap(u, note, UI_FONT_BODY, t->muted,
                 tr(a, "After you confirm, the vote cannot be changed. Nobody can see how you "
                       "voted."),
                 2, 1);

    /* the chosen projects */
    int rowh = ui_dp(u, 76), rg = ui_dp(u, 10);
    if (rowh < ui_line_height(u, UI_FONT_BOLD) + ui_dp(u, 32))  /* A+ */
        rowh = ui_line_height(u, UI_FONT_BOLD) + ui_dp(u, 32);
    int off = ui_scroll_begin(u, "vote-review", r, -1);
    int y = r.y + off, y0 = y;
    for (size_t i = 0; i < ballot_nprojects(b); i++) {
        if (!ballot_session_picked(v->s, i))
            continue;
        ballot_project pr;
        ballot_project_at(b, i, &a->pref, &pr);
        ui_rect row = { r.x, y, r.w - ui_dp(u, 16), rowh };
        ui_draw_box(u, row, t->panel, t->accent, ui_dp(u, 3), ui_dp(u, 10));
        ui_rect in = ui_inset(row, ui_dp(u, 16));
        vote_euros(pr.cost, money, sizeof money);
        int cw = ui_text_width(u, UI_FONT_BOLD, money, -1);
        ui_label(u, ui_cut_right(&in, cw), UI_FONT_BOLD, t->text, UI_RIGHT, money);
        ui_cut_right(&in, ui_dp(u, 20));
        ui_label(u, in, UI_FONT_BOLD, t->text, UI_LEFT, pr.title);
        y += rowh + rg;
    }
    /* the total under the costs */
    vote_euros(p.total, money, sizeof money);
    if (p.budget) {
        vote_euros(p.budget, budget, sizeof budget);
        snprintf(line, sizeof line, tr(a, "Total %s of %s"), money, budget);
    } else {
        snprintf(line, sizeof line, tr(a, "%d of %d chosen"), p.picks, p.max_picks);
    }
    int tlh = ui_line_height(u, UI_FONT_TITLE);
    ui_label(u, (ui_rect){ r.x + ui_dp(u, 16), y + ui_dp(u, 6), r.w - ui_dp(u, 48), tlh },
             UI_FONT_TITLE, t->text, UI_RIGHT, line);
    y += tlh + ui_dp(u, 12);
    ui_scroll_end(u, y - y0);
}

/* A thick line with round ends, drawn as overlapping discs. */
static void stroke(ui *u, int x0, int y0, int x1, int y1, int w, ui_color c)
{
    int dx = x1 - x0, dy = y1 - y0;
    int len = (dx < 0 ? -dx : dx) > (dy < 0 ? -dy : dy) ? (dx < 0 ? -dx : dx) : (dy < 0 ? -dy : dy);
    int step = w / 4 > 1 ? w / 4 : 1;
    for (int i = 0; i <= len; i += step) {
        int x = x0 + (len ? dx * i / len : 0), y = y0 + (len ? dy * i / len : 0);
        ui_draw_rect(u, (ui_rect){ x - w / 2, y - w / 2, w, w }, c, w / 2);
    }
}

void vote_stage_receipt(app *a, ui *u, ui_rect r, vote_state *v)
{
    const ui_theme *t = ui_theme_get(u);
    if (!v->receipt[0]) {
        app_home(a);
        return;
    }
    int w = ui_dp(u, 1100) < r.w ? ui_dp(u, 1100) : r.w;
    /* Done at the bottom, always in reach; above it the receipt, which scrolls on a
     * short screen with large text rather than run under Done */
    int dh = app_touch(u) + ui_dp(u, 8) + ui_line_height(u, UI_FONT_BODY);
    int dw = ui_dp(u, 460) < w ? ui_dp(u, 460) : w;
    ui_rect done = ui_cut_bottom(&r, dh);
    ui_cut_bottom(&r, app_pad(u));
    int off = ui_scroll_begin(u, "vote-receipt", r, -1);
    int top = r.h > 16 * ui_line_height(u, UI_FONT_BODY) ? ui_dp(u, 30) : 0;
    ui_rect col = { r.x + (r.w - w) / 2, r.y + off + top, w, 1 << 20 };
    int y0 = col.y;
    /* a green disc with a tick as the "done" sign: the font has no check-mark glyph */
    int d = ui_dp(u, top ? 120 : 72), dx = col.x + (col.w - d) / 2;
    ui_draw_rect(u, (ui_rect){ dx, col.y, d, d }, t->ok, d / 2);
    stroke(u, dx + d * 27 / 100, col.y + d * 52 / 100, dx + d * 43 / 100, col.y + d * 68 / 100,
           d / 10, t->accent_text);
    stroke(u, dx + d * 43 / 100, col.y + d * 68 / 100, dx + d * 73 / 100, col.y + d * 35 / 100,
           d / 10, t->accent_text);
    ui_cut_top(&col, d + ui_dp(u, top ? 24 : 12));
    const char *head = tr(a, "Your vote has been saved");
    int h = ui_line_height(u, UI_FONT_HUGE);
    if (ui_text_width(u, UI_FONT_HUGE, head, -1) <= col.w)
        ui_label(u, (ui_rect){ col.x, col.y, col.w, h }, UI_FONT_HUGE, t->text, UI_CENTER, head);
    else
        h = ui_text_wrap(u, col, UI_FONT_HUGE, t->text, head, 2, 1);
    ui_cut_top(&col, h + ui_dp(u, 8));
    ui_label(u, ui_cut_top(&col, ui_line_height(u, UI_FONT_TITLE)), UI_FONT_TITLE, t->text,
             UI_CENTER, tr(a, "Thank you for voting!"));
    ui_cut_top(&col, ui_dp(u, top ? 30 : 16));
    ui_label(u, ui_cut_top(&col, ui_line_height(u, UI_FONT_BODY)), UI_FONT_BODY, t->muted,
             UI_CENTER, tr(a, "Your receipt code"));
    ui_cut_top(&col, ui_dp(u, 8));
    int lh = ui_line_height(u, UI_FONT_HUGE);
    int bw = ui_dp(u, 420) < col.w ? ui_dp(u, 420) : col.w, bh = lh + ui_dp(u, 40);
    ui_rect box = { col.x + (col.w - bw) / 2, col.y, bw, bh };
    ui_draw_box(u, box, t->panel, t->accent, ui_dp(u, 4), ui_dp(u, 12));
    ui_label(u, (ui_rect){ box.x, box.y + (bh - lh) / 2, bw, lh }, UI_FONT_HUGE, t->text,
             UI_CENTER, v->receipt);
    ui_cut_top(&col, bh + ui_dp(u, 20));
    if (col.w > ui_dp(u, 860))  /* a narrower block reads as centred */
        col = (ui_rect){ col.x + (col.w - ui_dp(u, 860)) / 2, col.y, ui_dp(u, 860), col.h };
    int th = ui_text_wrap(u, col, UI_FONT_BODY, t->muted,
                          tr(a, "The receipt shows that your vote was stored on this kiosk. It "
                                "does not show how you voted."),
                          0, 1);
    ui_scroll_end(u, col.y + th - y0 + ui_dp(u, 8));
    /* Done right under the text when it all fits, else at the bottom */
    int dy = col.y + th + ui_dp(u, 40);
    if (dy > done.y)
        dy = done.y;
    if (w_finish(a, u, (ui_rect){ done.x + (done.w - dw) / 2, dy, dw, dh }, "vote-done")) {
        vote_end_session(v);
        app_reset(a, u);
    }
}
