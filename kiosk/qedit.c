/* One question's answer editor, shared by the survey and the workshop screens: option
 * lists (single, multi, pick top N with ranks), the 1-5 scale or smileys, a number on
 * a digits pad, free text on the on-screen keyboard. */
#include "station.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void qedit_wipe(qedit *e)
{
    sodium_memzero(e, sizeof *e);
    e->key = -1;
}

void qedit_load(qedit *e, long key, const survey_question *q, const survey_answer *a)
{
    if (e->key == key && e->q == q)
        return;
    qedit_wipe(e);
    e->key = key;
    e->q = q;
    if (!a || !a->set)
        return;
    e->ans.set = 1;
    e->ans.nsel = a->nsel;
    memcpy(e->ans.sel, a->sel, sizeof e->ans.sel);
    e->ans.num = a->num;
    for (int i = 0; i < a->ntext && i < SURVEY_MAX_ENTRIES; i++)
        snprintf(e->text[e->ntext++], QEDIT_TEXT_MAX, "%s", a->text[i] ? a->text[i] : "");
    e->cur = e->ntext ? e->ntext - 1 : 0;
    if (q->type == SURVEY_NUMBER) {
        snprintf(e->digits, sizeof e->digits, "%.*f", q->decimals, a->num);
        for (char *p = e->digits; *p; p++)
            if (*p == '.')
                *p = ',';
    }
}

static int blank(const char *s)
{
    return s[strspn(s, " \n")] == '\0';
}

void qedit_answer(const qedit *e, survey_answer *out, int *bad)
{
    memset(out, 0, sizeof *out);
    if (bad)
        *bad = 0;
    if (!e->q)
        return;
    out->nsel = e->ans.nsel;
    memcpy(out->sel, e->ans.sel, sizeof out->sel);
    out->num = e->ans.num;
    out->set = e->ans.set;
    if (e->q->type == SURVEY_TEXT) {
        for (int i = 0; i < e->ntext; i++)
            if (!blank(e->text[i]))
                out->text[out->ntext++] = (char *)e->text[i];
        out->set = out->ntext > 0;
    } else if (e->q->type == SURVEY_NUMBER) {
        char tmp[sizeof e->digits];
        snprintf(tmp, sizeof tmp, "%s", e->digits);
        for (char *p = tmp; *p; p++)
            if (*p == ',')
                *p = '.';
        out->set = 0;
        if (tmp[0]) {
            char *end;
            double v = strtod(tmp, &end);
            if (*end || end == tmp) {
                if (bad)
                    *bad = 1;
            } else {
                out->num = v;
                out->set = 1;
            }
        }
    }
}

/* --- options ------------------------------------------------------------------------------- */

static int chosen_at(const survey_answer *a, int i)
{
    for (int k = 0; k < a->nsel; k++)
        if (a->sel[k] == i)
            return k;
    return -1;
}

static void toggle(app *a, qedit *e, int i)
{
    const survey_question *q = e->q;
    survey_answer *an = &e->ans;
    int at = chosen_at(an, i);
    e->note[0] = '\0';
    if (q->type == SURVEY_SINGLE) {
        an->sel[0] = i;
        an->nsel = 1;
    } else if (at >= 0) {  /* removing closes the gap: ranks below move up */
        memmove(&an->sel[at], &an->sel[at + 1], (size_t)(an->nsel - at - 1) * sizeof an->sel[0]);
        an->nsel--;
    } else if (an->nsel >= q->max_pick || an->nsel >= SURVEY_MAX_OPTIONS) {
        survey_problem p = { SURVEY_P_TOO_MANY, q->max_pick, 0 };
        station_problem_text(a, q, p, e->note, sizeof e->note);
        return;
    } else if (q->type == SURVEY_TOP && q->ranked) {
        an->sel[an->nsel++] = i;
    } else {  /* option order */
        int k = an->nsel;
        while (k > 0 && an->sel[k - 1] > i) {
            an->sel[k] = an->sel[k - 1];
            k--;
        }
        an->sel[k] = i;
        an->nsel++;
    }
    an->set = an->nsel > 0;
}

static int draw_options(app *a, ui *u, ui_rect r, qedit *e, size_t n, qedit_text_fn text,
                        void *ud)
{
    const ui_theme *t = ui_theme_get(u);
    const survey_question *q = e->q;
    int changed = 0;
    char line[300];
    line[0] = '\0';
    /* "Choose 3" of two options (a workshop's earlier answers) asks for the two. */
    int pick = (size_t)q->max_pick < n ? q->max_pick : (int)n;
    if (q->type == SURVEY_TOP && q->ranked)
        snprintf(line, sizeof line,
                 tr(a, "Tap in order of importance: the first tap is number 1. Chosen %d of %d."),
                 e->ans.nsel, pick);
    else if (q->type == SURVEY_TOP)
        snprintf(line, sizeof line, tr(a, "Choose %d. Chosen %d of %d."), pick, e->ans.nsel,
                 pick);
    else if (q->type == SURVEY_MULTI && q->max_pick < (int)n)
        snprintf(line, sizeof line, tr(a, "Choose at most %d. Chosen %d."), q->max_pick,
                 e->ans.nsel);
    else if (q->type == SURVEY_MULTI)
        snprintf(line, sizeof line, "%s", tr(a, "Choose all that apply."));
    if (line[0]) {
        ui_rect l = ui_cut_top(&r, ui_line_height(u, UI_FONT_BODY) + ui_dp(u, 8));
        ui_label(u, l, UI_FONT_BODY, t->muted, UI_LEFT, line);
    }
    if (e->note[0]) {
        ui_rect nb = ui_cut_bottom(&r, ui_dp(u, 70));
        station_message(u, nb, e->note, 1);
        ui_cut_bottom(&r, ui_dp(u, 8));
    }
    if (n == 0) {
        ui_text_wrap(u, r, UI_FONT_BODY, t->muted, tr(a, "Nothing to choose from yet."), 2, 1);
        return 0;
    }
    int gap = ui_dp(u, 12);
    int rh = ui_dp(u, 92);
    int cols = r.w >= ui_dp(u, 1100) ? 2 : 1;
    int rows = ((int)n + cols - 1) / cols;
    /* Short lists spread out a little; long ones scroll. */
    if (rows * (rh + gap) < r.h && rows > 0) {
        int more = (r.h / rows) - gap;
        rh = more > ui_dp(u, 120) ? ui_dp(u, 120) : more;
    }
    int total = rows * (rh + gap);
    int off = ui_scroll_begin(u, "qedit-opts", r, total);
    int cw = (r.w - ui_dp(u, 14) - (cols - 1) * gap) / cols;
    int mark = q->type == SURVEY_SINGLE ? 1 : q->type == SURVEY_TOP && q->ranked ? 3 : 2;
    for (size_t i = 0; i < n; i++) {
        int row = (int)i / cols, col = (int)i % cols;
        ui_rect c = { r.x + col * (cw + gap), r.y + off + row * (rh + gap), cw, rh };
        if (c.y > r.y + r.h || c.y + c.h < r.y)
            continue;
        const char *s = text(ud, i);
        int at = chosen_at(&e->ans, (int)i);
        char id[32];
        snprintf(id, sizeof id, "opt-%zu", i);
        if (station_choice(u, id, c, s ? s : "?", at >= 0, mark, at + 1)) {
            toggle(a, e, (int)i);
            changed = 1;
        }
    }
    ui_scroll_end(u, total);
    return changed;
}

/* --- scale ---------------------------------------------------------------------------------- */

static int draw_scale(app *a, ui *u, ui_rect r, qedit *e)
{
    const ui_theme *t = ui_theme_get(u);
    const survey_question *q = e->q;
    int changed = 0, gap = ui_dp(u, 14);
    int cur = e->ans.set ? (int)e->ans.num : 0;
    const char *low = cat_text_pick(q->low, &a->pref, NULL);
    const char *high = cat_text_pick(q->high, &a->pref, NULL);
    int lh = ui_line_height(u, UI_FONT_BODY);
    int bh = q->smiley ? ui_dp(u, 250) : ui_dp(u, 140);
    int bw = (r.w - 4 * gap) / 5;
    if (bw > ui_dp(u, 240))
        bw = ui_dp(u, 240);
    if (q->smiley && bh > bw + 2 * ui_line_height(u, UI_FONT_BOLD) + ui_dp(u, 30))
        bh = bw + 2 * ui_line_height(u, UI_FONT_BOLD) + ui_dp(u, 30);
    int x0 = r.x + (r.w - 5 * bw - 4 * gap) / 2;
    ui_rect row = { x0, r.y + ui_dp(u, 10), 5 * bw + 4 * gap, bh };
    for (int s = 1; s <= 5; s++) {
        ui_rect b = { x0 + (s - 1) * (bw + gap), row.y, bw, bh };
        char id[16];
        snprintf(id, sizeof id, "scale-%d", s);
        int hit;
        if (q->smiley) {
            hit = station_face_button(a, u, id, b, s, cur == s, station_smiley_word(a, s));
        } else {
            char num[4];
            snprintf(num, sizeof num, "%d", s);
            hit = ui_button(u, id, b, num, cur == s ? UI_STYLE_TOGGLE_ON : UI_STYLE_NORMAL);
        }
        if (hit) {
            e->ans.set = cur != s;  /* tapping the chosen one again takes it back */
            e->ans.num = s;
            changed = 1;
        }
    }
    /* The question's own end labels under the ends of the row. */
    ui_rect ends = { row.x, row.y + row.h + ui_dp(u, 10), row.w, lh * 2 };
    if (low)
        ui_text_wrap(u, (ui_rect){ ends.x, ends.y, bw * 2, ends.h }, UI_FONT_BODY, t->muted, low, 2,
                     1);
    if (high) {
        int w = ui_text_width(u, UI_FONT_BODY, high, -1);
        if (w > bw * 2)
            w = bw * 2;
        ui_text_wrap(u, (ui_rect){ ends.x + ends.w - w, ends.y, w, ends.h }, UI_FONT_BODY,
                     t->muted, high, 2, 1);
    }
    return changed;
}

/* --- number and text ----------------------------------------------------------------------------- */

static int keyboard_h(ui *u, ui_rect r)
{
    int h = r.h / 2;
    return h > ui_dp(u, 420) ? ui_dp(u, 420) : h;
}

static int draw_number(app *a, ui *u, ui_rect r, qedit *e)
{
    const ui_theme *t = ui_theme_get(u);
    const survey_question *q = e->q;
    int changed = 0;
    char lo[40], hi[40], hint[200];
    snprintf(lo, sizeof lo, "%.*f", q->decimals, q->min);
    snprintf(hi, sizeof hi, "%.*f", q->decimals, q->max);
    for (char *p = lo; *p; p++)
        *p = *p == '.' ? ',' : *p;
    for (char *p = hi; *p; p++)
        *p = *p == '.' ? ',' : *p;
    const char *unit = cat_text_pick(q->unit, &a->pref, NULL);
    snprintf(hint, sizeof hint, tr(a, "A number from %s to %s"), lo, hi);
    int w = r.w > ui_dp(u, 640) ? ui_dp(u, 640) : r.w;
    ui_rect col = { r.x, r.y, w, r.h };
    ui_label(u, ui_cut_top(&col, ui_line_height(u, UI_FONT_BODY) + ui_dp(u, 6)), UI_FONT_BODY,
             t->muted, UI_LEFT, hint);
    ui_rect f = ui_cut_top(&col, app_touch(u) + ui_dp(u, 16));
    ui_draw_box(u, f, t->panel, t->accent, ui_dp(u, 4), ui_dp(u, 10));
    char shown[80];
    snprintf(shown, sizeof shown, "%s|%s%s", e->digits, unit ? "  " : "", unit ? unit : "");
    ui_label(u, ui_inset(f, ui_dp(u, 16)), UI_FONT_TITLE, t->text, UI_LEFT, shown);
    ui_sem_add(u, UI_SEM_FIELD, f, e->digits, 1);
    ui_cut_top(&col, ui_dp(u, 12));
    const char *keys[2];
    size_t nk = 0;
    if (q->min < 0)
        keys[nk++] = "-";
    if (q->decimals > 0)
        keys[nk++] = ",";
    if (nk) {
        changed |= station_keys(u, ui_cut_top(&col, app_touch(u)), keys, nk, e->digits,
                                sizeof e->digits);
        ui_cut_top(&col, ui_dp(u, 8));
    }
    int kh = col.h > ui_dp(u, 440) ? ui_dp(u, 440) : col.h;
    changed |= w_keyboard(a, u, ui_cut_top(&col, kh), e->digits, 16, W_KB_DIGITS);
    return changed;
}

static int draw_text(app *a, ui *u, ui_rect r, qedit *e)
{
    const ui_theme *t = ui_theme_get(u);
    const survey_question *q = e->q;
    int changed = 0, gap = ui_dp(u, 10);
    int many = q->max_entries > 1;
    if (e->cur > e->ntext)
        e->cur = e->ntext;
    int others = many ? e->ntext - (e->cur < e->ntext) : 0;
    int rowh = ui_dp(u, 60), lh = ui_line_height(u, UI_FONT_BODY);
    int sh = ui_line_height(u, UI_FONT_SMALL) + ui_dp(u, 4);
    /* From the top: the other entries, the field (two lines at least) and its counter;
     * below: a row of punctuation (and "add another"), the keyboard with what is left,
     * up to a comfortable height. */
    int top = others * (rowh + ui_dp(u, 6)) + (many ? lh + ui_dp(u, 8) : 0) + 2 * lh +
              ui_dp(u, 30) + sh;
    int kh = keyboard_h(u, r);
    int room = r.h - top - app_touch(u) - 2 * gap;
    if (room < kh)
        kh = room > ui_dp(u, 260) ? room : ui_dp(u, 260);
    ui_rect kb = ui_cut_bottom(&r, kh);
    ui_cut_bottom(&r, gap);
    ui_rect keys = ui_cut_bottom(&r, app_touch(u));
    ui_cut_bottom(&r, gap);

    char *buf = e->text[e->cur];
    size_t cap = (size_t)q->max_chars * 4 + 1;
    if (cap > QEDIT_TEXT_MAX)
        cap = QEDIT_TEXT_MAX;
    int can_add = many && e->ntext < q->max_entries && e->cur < e->ntext && !blank(buf);
    if (many) {
        ui_rect add = ui_cut_right(&keys, keys.w / 3 < ui_dp(u, 420) ? keys.w / 3 : ui_dp(u, 420));
        ui_cut_right(&keys, gap);
        if (can_add &&
            ui_button(u, "entry-add", add, tr(a, "Add another answer"), UI_STYLE_NORMAL)) {
            e->cur = e->ntext;
            buf = e->text[e->cur];
            buf[0] = '\0';
        }
    }
    static const char *const punct[] = { ",", "?", "!", ":", "(", ")", "'" };
    int typed = station_keys(u, keys, punct, sizeof punct / sizeof punct[0], buf, cap);
    typed |= w_keyboard(a, u, kb, buf, cap, W_KB_SENTENCE);
    if (typed) {
        station_clip_chars(buf, (size_t)q->max_chars);
        if (e->cur == e->ntext && buf[0])
            e->ntext++;
        changed = 1;
    }
    /* Several entries (workshops): the others as rows above the field; tap to edit. */
    if (many) {
        for (int i = 0; i < e->ntext; i++) {
            if (i == e->cur)
                continue;
            ui_rect row = ui_cut_top(&r, rowh);
            ui_cut_top(&r, ui_dp(u, 6));
            char id[24];
            snprintf(id, sizeof id, "entry-%d", i);
            char label[QEDIT_TEXT_MAX + 24];
            snprintf(label, sizeof label, "%d. %s", i + 1, e->text[i]);
            if (station_choice(u, id, row, label, 0, 0, 0))
                e->cur = i;
        }
        char line[160];
        snprintf(line, sizeof line, tr(a, "Answer %d (at most %d)"), e->cur + 1, q->max_entries);
        ui_label(u, ui_cut_top(&r, lh + ui_dp(u, 8)), UI_FONT_BODY, t->muted, UI_LEFT, line);
    }
    ui_rect counter = ui_cut_bottom(&r, sh);
    char cnt[64];
    snprintf(cnt, sizeof cnt, tr(a, "%zu / %d characters"), station_chars(buf), q->max_chars);
    ui_label(u, counter, UI_FONT_SMALL, t->muted, UI_RIGHT, cnt);
    int lines = (r.h - ui_dp(u, 30)) / lh;
    if (lines > 6)
        lines = 6;
    if (lines < 1)
        lines = 1;
    int fh = lines * lh + ui_dp(u, 30);
    station_field(a, u, "qedit-text", (ui_rect){ r.x, r.y, r.w, fh < r.h ? fh : r.h }, NULL, buf,
                  tr(a, "Type your answer"), 1, lines);
    return changed;
}

int qedit_draw(app *a, ui *u, ui_rect r, qedit *e, size_t noptions, qedit_text_fn text,
               void *ud)
{
    if (!e->q)
        return 0;
    switch (e->q->type) {
    case SURVEY_SINGLE:
    case SURVEY_MULTI:
    case SURVEY_TOP:
        return draw_options(a, u, r, e, noptions, text, ud);
    case SURVEY_SCALE:
        return draw_scale(a, u, r, e);
    case SURVEY_NUMBER:
        return draw_number(a, u, r, e);
    case SURVEY_TEXT:
        return draw_text(a, u, r, e);
    case SURVEY_NQTYPE:
        break;
    }
    return 0;
}
