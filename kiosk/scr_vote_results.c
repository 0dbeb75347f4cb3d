/* Voting results for the event (coordinator menu): votes per project as a bar chart
 * big enough to read across a room, the winners by the ballot's rule and that rule in
 * words.  The count runs as a job: a big ballot is thousands of rows. */
#include "scr_vote.h"
#include "screens.h"

#include <stdio.h>
#include <string.h>

static void load_ballots(app *a, vote_state *v)
{
    char **ids = NULL, day[11];
    size_t n = 0;
    v->rbs_ok = 1;
    if (ballot_store_ids(a->st, &ids, &n))
        return;  /* no ballot tables: the screen says there are no ballots */
    app_today(a, day);
    long best = -1;
    for (size_t i = 0; i < n && v->nrb < VOTE_RESULTS_MAX; i++) {
        ballot *b;
        ballot_counts c;
        if (ballot_store_get(a->st, ids[i], &b))
            continue;
        /* start on the open ballot with the most votes: the one the room is voting on */
        long votes = ballot_get_counts(a->st, ids[i], &c) ? 0 : c.votes_code + c.votes_staff;
        if (ballot_period_cmp(b, day) == 0 && votes > best) {
            best = votes;
            v->rsel = v->nrb;
        }
        v->rbs[v->nrb++] = b;
    }
    store_free_ids(ids, n);
}

/* The rule one sentence to a paragraph: easier to follow from the back of a room. */
static int rule_sentences(ui *u, ui_rect in, const char *text, int draw)
{
    const ui_theme *t = ui_theme_get(u);
    char sentence[1024];
    int y = in.y;
    const char *p = text;
    while (*p) {
        const char *end = strstr(p, ". ");
        size_t n = end ? (size_t)(end - p) + 1 : strlen(p);
        snprintf(sentence, sizeof sentence, "%.*s", (int)n, p);
        y += ui_text_wrap(u, (ui_rect){ in.x, y, in.w, in.h }, UI_FONT_BODY, t->text, sentence,
                          0, draw) + ui_dp(u, 8);
        p += n;
        p += strspn(p, " ");
    }
    return y - in.y;
}

static void rule_panel(app *a, ui *u, ui_rect r, const ballot *b, int draw, int *h_out)
{
    const ui_theme *t = ui_theme_get(u);
    char text[2048];
    tally_rule_text(b, a->lang, text, sizeof text);
    int pad = ui_dp(u, 20), lh = ui_line_height(u, UI_FONT_BOLD);
    ui_rect in = { r.x + pad, r.y + pad + lh + ui_dp(u, 8), r.w - 2 * pad, r.h };
    int h = 2 * pad + lh + ui_dp(u, 8) + rule_sentences(u, in, text, 0);
    if (h_out)
        *h_out = h;
    if (!draw)
        return;
    ui_draw_rect(u, (ui_rect){ r.x, r.y, r.w, h < r.h ? h : r.h }, t->panel, ui_dp(u, 12));
    ui_label(u, (ui_rect){ r.x + pad, r.y + pad, r.w - 2 * pad, lh }, UI_FONT_BOLD, t->text,
             UI_LEFT, tr(a, "How the winners are chosen"));
    ui_push_clip(u, r);
    rule_sentences(u, in, text, 1);
    ui_pop_clip(u);
}

/* One project's row: rank and title, cost and whether it won, why it won or lost, and
 * its bar with the count at the end.  Side by side when wide; stacked (title over bar)
 * when narrow, so titles are not cut short in portrait. */
static void chart_row(app *a, ui *u, ui_rect rr, const ballot *b, const tally *tl,
                      const tally_row *row, long maxv, int stacked)
{
    const ui_theme *t = ui_theme_get(u);
    ballot_project pr;
    ballot_project_at(b, row->project, &a->pref, &pr);
    if (row->winner)
        ui_draw_rect(u, rr, t->panel, ui_dp(u, 10));
    ui_rect in = ui_inset(rr, ui_dp(u, 8));
    char line[400], money[64], count[32];
    ui_font tf = in.h >= ui_dp(u, 96) && !stacked ? UI_FONT_TITLE : UI_FONT_BOLD;
    int lh = ui_line_height(u, tf), sh = ui_line_height(u, UI_FONT_SMALL);
    int ch = ui_line_height(u, UI_FONT_TITLE);
    int cw = ui_text_width(u, UI_FONT_TITLE, "00000", -1);
    snprintf(count, sizeof count, "%ld", row->votes);
    vote_euros(row->cost, money, sizeof money);
    snprintf(line, sizeof line, "%s%s%s%s%s", money, row->winner ? "  \xc2\xb7  " : "",
             row->winner ? tr(a, "Winner") : "", row->tied && row->votes ? "  \xc2\xb7  " : "",
             row->tied && row->votes ? tr(a, "tie") : "");
    char why[512];
    tally_explain(tl, row, a->lang, why, sizeof why);
    ui_rect label, bars;
    if (stacked) {  /* title and count on top, cost and why below, the bar at the bottom */
        ui_rect top = ui_cut_top(&in, ch > lh ? ch : lh);
        ui_label(u, ui_cut_right(&top, cw), UI_FONT_TITLE, t->text, UI_RIGHT, count);
        label = (ui_rect){ top.x, top.y + (top.h - lh) / 2, top.w - ui_dp(u, 12), lh };
        ui_rect sub = ui_cut_top(&in, sh);
        sub.w -= cw;
        ui_label(u, sub, UI_FONT_SMALL, row->winner ? t->ok : t->muted, UI_LEFT, line);
        ui_rect wr = ui_cut_top(&in, sh);
        ui_label(u, wr, UI_FONT_SMALL, t->muted, UI_LEFT, why);
        bars = in;
    } else {  /* title and cost on the left; the bar with why it won or lost under it */
        label = ui_cut_left(&in, in.w * 45 / 100);
        ui_cut_left(&in, ui_dp(u, 16));
        ui_label(u, ui_cut_bottom(&in, sh), UI_FONT_SMALL, t->muted, UI_LEFT, why);
        bars = in;
        label.y += (label.h - lh - sh) / 2;
        ui_label(u, (ui_rect){ label.x, label.y + lh, label.w, sh }, UI_FONT_SMALL,
                 row->winner ? t->ok : t->muted, UI_LEFT, line);
    }
    snprintf(line, sizeof line, "%d. %s", row->rank, pr.title);
    ui_label(u, (ui_rect){ label.x, label.y, label.w, lh }, tf, t->text, UI_LEFT, line);
    /* the bar; beside it the count when there is room */
    int bw = stacked ? bars.w : bars.w - cw - ui_dp(u, 16);
    int len = maxv ? (int)((long long)bw * row->votes / maxv) : 0;
    if (row->votes && len < ui_dp(u, 6))
        len = ui_dp(u, 6);
    int bh = stacked ? (bars.h < ui_dp(u, 28) ? bars.h : ui_dp(u, 28)) : bars.h * 3 / 5;
    if (len)
        ui_draw_rect(u, (ui_rect){ bars.x, bars.y + (bars.h - bh) / 2, len, bh },
                     row->winner ? t->accent : t->border, ui_dp(u, 6));
    if (!stacked)
        ui_label(u, (ui_rect){ bars.x + len + ui_dp(u, 12), bars.y + (bars.h - ch) / 2, cw, ch },
                 UI_FONT_TITLE, t->text, UI_LEFT, count);
    snprintf(line, sizeof line, "%s: %ld%s", pr.title, row->votes, row->winner ? " *" : "");
    ui_sem_add(u, UI_SEM_TEXT, rr, line, row->winner);
}

/* The rows, and below them the rule when it has no column of its own. */
static void chart(app *a, ui *u, ui_rect r, const ballot *b, const tally *tl, int rule_below)
{
    size_t n = tally_nrows(tl);
    long maxv = 0;
    for (size_t i = 0; i < n; i++)
        if (tally_row_at(tl, i)->votes > maxv)
            maxv = tally_row_at(tl, i)->votes;
    int stacked = r.w < ui_dp(u, 1200);
    int lo = stacked ? ui_dp(u, 120) : ui_dp(u, 76), hi = stacked ? ui_dp(u, 150) : ui_dp(u, 120);
    /* room for every line of a row: title, cost, why (stacked), the bar */
    int sh = ui_line_height(u, UI_FONT_SMALL), pad = ui_dp(u, 24);
    int need = stacked ? ui_line_height(u, UI_FONT_TITLE) + 2 * sh + ui_dp(u, 20) + pad
                       : ui_line_height(u, UI_FONT_BOLD) + sh + pad;
    if (!stacked && ui_dp(u, 20) + sh + pad > need)
        need = ui_dp(u, 20) + sh + pad;
    lo = lo > need ? lo : need;
    hi = hi > lo ? hi : lo;
    int rh = 0;  /* the rule's panel, when below: the rows leave room for it if they can */
    if (rule_below)
        rule_panel(a, u, (ui_rect){ r.x, r.y, r.w - ui_dp(u, 16), 1 << 20 }, b, 0, &rh);
    int avail = r.h - (rule_below ? rh + ui_dp(u, 12) : 0);
    int rowh = n ? avail / (int)n : avail;
    rowh = rowh > hi ? hi : rowh < lo ? lo : rowh;
    int off = ui_scroll_begin(u, "vote-results", r, -1);
    for (size_t i = 0; i < n; i++) {
        ui_rect rr = { r.x, r.y + off + (int)i * rowh, r.w - ui_dp(u, 16), rowh - ui_dp(u, 8) };
        if (rr.y + rr.h >= r.y && rr.y <= r.y + r.h)
            chart_row(a, u, rr, b, tl, tally_row_at(tl, i), maxv, stacked);
    }
    int h = (int)n * rowh;
    if (rule_below) {
        rule_panel(a, u, (ui_rect){ r.x, r.y + off + h + ui_dp(u, 12), r.w - ui_dp(u, 16), rh },
                   b, 1, NULL);
        h += rh + ui_dp(u, 12);
    }
    ui_scroll_end(u, h);
}

void scr_vote_results(app *a, ui *u, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    vote_state *v = vote_get(a);
    if (!v) {
        ui_label(u, r, UI_FONT_BODY, t->warn, UI_LEFT, tr(a, "Out of memory."));
        return;
    }
    int busy = vote_job_busy(a, u, v);
    if (!v->rbs_ok)
        load_ballots(a, v);
    int gap = app_pad(u);
    ui_rect head = ui_cut_top(&r, app_touch(u));
    ui_rect refresh = ui_cut_right(&head, ui_dp(u, 300));
    if (ui_button(u, "vote-results-refresh", refresh, tr(a, "Count again"), UI_STYLE_NORMAL) &&
        !busy) {
        vote_results_clear(v);  /* also picks up ballots imported meanwhile */
        load_ballots(a, v);
    }
    w_heading(u, head, tr(a, "Voting results"));
    ui_cut_top(&r, gap / 2);
    if (!v->nrb) {
        ui_text_wrap(u, r, UI_FONT_BODY, t->text, tr(a, "There are no ballots on this kiosk."),
                     0, 1);
        return;
    }
    if (v->nrb > 1) {  /* one tab per ballot, three to a row */
        int per = 3, tg = ui_dp(u, 10);
        for (size_t i = 0; i < v->nrb; i += (size_t)per) {
            ui_rect row = ui_cut_top(&r, app_touch(u) + ui_dp(u, 36));  /* two lines fit */
            ui_cut_top(&r, tg);
            int tw = (row.w - (per - 1) * tg) / per;
            for (size_t k = i; k < i + (size_t)per && k < v->nrb; k++) {
                char id[96];
                snprintf(id, sizeof id, "vote-tab:%s", ballot_id(v->rbs[k]));
                if (ui_button(u, id, ui_cut_left(&row, tw),
                              ballot_title(v->rbs[k], &a->pref, NULL),
                              k == v->rsel ? UI_STYLE_TOGGLE_ON : UI_STYLE_NORMAL) &&
                    !busy && k != v->rsel) {
                    tally_free(v->rt);
                    v->rt = NULL;
                    v->rfail = 0;
                    v->rsel = k;
                }
                ui_cut_left(&row, tg);
            }
        }
        ui_cut_top(&r, gap / 2);
    }
    const ballot *b = v->rbs[v->rsel];
    if (!v->rt && !busy && !v->rfail && !v->j) {
        v->jc.tb = b;
        if (vote_job_start(a, v, VJ_TALLY))
            v->rfail = 1;
        else
            busy = 1, ui_request_frame(u);
    }
    ui_label(u, ui_cut_top(&r, ui_line_height(u, UI_FONT_TITLE)), UI_FONT_TITLE, t->text,
             UI_LEFT, ballot_title(b, &a->pref, NULL));
    if (busy || v->j) {
        vote_draw_busy(a, u, r, tr(a, "Counting the votes\xe2\x80\xa6"));
        return;
    }
    if (v->rfail || !v->rt) {
        ui_text_wrap(u, r, UI_FONT_BODY, t->warn,
                     tr(a, "The votes could not be counted. Try again, or use kioskctl ballot "
                           "tally."),
                     0, 1);
        return;
    }
    tally_summary s;
    tally_get_summary(v->rt, &s);
    char line[400], m1[64], m2[64];
    snprintf(line, sizeof line, tr(a, "%ld ballots: %ld with a code, %ld opened by staff"),
             s.ballots, s.ballots_code, s.ballots_staff);
    if (s.budget) {
        size_t o = strlen(line);
        vote_euros(s.budget, m1, sizeof m1);
        vote_euros(s.spent, m2, sizeof m2);
        snprintf(line + o, sizeof line - o, "  \xc2\xb7  ");
        o = strlen(line);
        snprintf(line + o, sizeof line - o, tr(a, "budget %s, winners cost %s"), m1, m2);
    }
    ui_cut_top(&r, ui_text_wrap(u, r, UI_FONT_BODY, t->muted, line, 2, 1) + gap);
    /* wide: the rule in a column beside the chart; otherwise under it, scrolling along */
    int wide = ui_w(u) >= ui_h(u) && r.w >= ui_dp(u, 1500);
    if (wide) {
        ui_rect side = ui_cut_right(&r, r.w * 30 / 100);
        ui_cut_right(&r, gap);
        rule_panel(a, u, side, b, 1, NULL);
    }
    chart(a, u, r, b, v->rt, !wide);
}
