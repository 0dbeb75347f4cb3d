/* Bar charts of survey and workshop totals: one bar per option, with the count and
 * percentage (or points and rank for pick-top-N), big enough for a room when asked. */
#include "station.h"

#include <stdio.h>
#include <string.h>

static void fmt_dec(double v, int decimals, char *out, size_t cap)
{
    snprintf(out, cap, "%.*f", decimals, v);
    for (char *p = out; *p; p++)
        if (*p == '.')
            *p = ',';
}

int chart_question(app *a, ui *u, ui_rect r, const results_question *rq, int big, int draw)
{
    const ui_theme *t = ui_theme_get(u);
    const survey_question *q = rq->q;
    ui_font head = big ? UI_FONT_TITLE : UI_FONT_BOLD;
    ui_font lab = big ? UI_FONT_BOLD : UI_FONT_BODY;
    int y = r.y;
    const char *qt = cat_text_pick(q->text, &a->pref, NULL);
    y += ui_text_wrap(u, (ui_rect){ r.x, y, r.w, 1 << 20 }, head, t->text, qt ? qt : q->id,
                      big ? 3 : 2, draw) + ui_dp(u, 6);
    char line[200], m1[40], m2[40], m3[40];
    int n = snprintf(line, sizeof line, tr(a, "Answered: %ld"), rq->answered);
    if ((q->type == SURVEY_SCALE || q->type == SURVEY_NUMBER) && rq->answered) {
        fmt_dec(rq->mean, 1, m1, sizeof m1);
        fmt_dec(rq->min, q->type == SURVEY_NUMBER ? q->decimals : 0, m2, sizeof m2);
        fmt_dec(rq->max, q->type == SURVEY_NUMBER ? q->decimals : 0, m3, sizeof m3);
        if (n > 0 && (size_t)n < sizeof line)
            snprintf(line + n, sizeof line - (size_t)n, tr(a, " · mean %s, lowest %s, highest %s"),
                     m1, m2, m3);
    }
    int lh = ui_line_height(u, big ? UI_FONT_BODY : UI_FONT_SMALL);
    if (draw)
        ui_label(u, (ui_rect){ r.x, y, r.w, lh }, big ? UI_FONT_BODY : UI_FONT_SMALL, t->muted,
                 UI_LEFT, line);
    y += lh + ui_dp(u, 10);
    if (!rq->noptions)
        return y - r.y;

    long top = 0;
    for (size_t i = 0; i < rq->noptions; i++) {
        long v = q->type == SURVEY_TOP ? rq->options[i].points : rq->options[i].count;
        if (v > top)
            top = v;
    }
    int rh = big ? ui_dp(u, 84) : ui_dp(u, 56);
    int gap = ui_dp(u, 8);
    int labw = r.w * 38 / 100;
    int valw = big ? ui_dp(u, 300) : ui_dp(u, 240);
    int barw = r.w - labw - valw - 2 * gap;
    if (barw < ui_dp(u, 60))
        barw = ui_dp(u, 60);
    for (size_t k = 0; k < rq->noptions; k++) {
        /* A scale keeps its 1..5 order; choices are listed best first. */
        size_t i = q->type == SURVEY_SCALE ? k : rq->order[k];
        const results_option *op = &rq->options[i];
        if (draw) {
            const char *label = cat_text_pick(op->text, &a->pref, NULL);
            char scale_label[120];
            if (q->type == SURVEY_SCALE) {
                int step = op->id[0] - '0';
                snprintf(scale_label, sizeof scale_label, "%s  %s", op->id,
                         q->smiley ? station_smiley_word(a, step) : "");
                label = scale_label;
            }
            ui_rect lr = { r.x, y, labw, rh };
            char ranked[300];
            if (q->type == SURVEY_SCALE)  /* its own order; a rank would read as a step */
                snprintf(ranked, sizeof ranked, "%s", label);
            else
                snprintf(ranked, sizeof ranked, "%d. %s", op->rank, label ? label : op->id);
            int h = ui_text_wrap(u, lr, lab, t->text, ranked, 2, 0);
            ui_text_wrap(u, (ui_rect){ lr.x, y + (rh - h) / 2, lr.w, h }, lab, t->text, ranked, 2,
                         1);
            ui_rect track = { r.x + labw + gap, y + rh / 6, barw, rh - rh / 3 };
            ui_draw_box(u, track, t->panel, t->border, ui_dp(u, 1), ui_dp(u, 6));
            long v = q->type == SURVEY_TOP ? op->points : op->count;
            int bw = top > 0 ? (int)((double)barw * (double)v / (double)top) : 0;
            if (bw > 0)
                ui_draw_rect(u, (ui_rect){ track.x, track.y, bw, track.h }, t->accent,
                             ui_dp(u, 6));
            char val[120];
            char pct[40];
            fmt_dec(op->percent, 0, pct, sizeof pct);
            if (q->type == SURVEY_TOP)
                snprintf(val, sizeof val, tr(a, "%ld p · %ld (%s %%)"), op->points, op->count, pct);
            else
                snprintf(val, sizeof val, "%ld (%s %%)", op->count, pct);
            ui_label(u, (ui_rect){ r.x + labw + barw + 2 * gap, y, valw, rh }, lab, t->text,
                     UI_LEFT, val);
            char sem[300];
            snprintf(sem, sizeof sem, "%s: %s", label ? label : op->id, val);
            ui_sem_add(u, UI_SEM_TEXT, (ui_rect){ r.x, y, r.w, rh }, sem, 0);
        }
        y += rh + gap;
    }
    return y - r.y;
}
