/* The survey station's texts and widgets (station.h): faces, choices, fields, keys.
 * Below the station's state (station.c) and the answer editor (qedit.c), which use
 * them; nothing here reaches up into either. */
#include "station.h"

#include <stdio.h>
#include <string.h>

/* --- texts ------------------------------------------------------------------------------------ */

const char *station_smiley_word(const app *a, int step)
{
    static const char *const words[5] = { N_("Very unhappy"), N_("Unhappy"), N_("Neutral"),
                                          N_("Happy"), N_("Very happy") };
    return step >= 1 && step <= 5 ? tr(a, words[step - 1]) : "";
}

static void fmt_num(double v, char *out, size_t cap)
{
    snprintf(out, cap, "%g", v);
    for (char *p = out; *p; p++)
        if (*p == '.')
            *p = ',';  /* Finnish and Swedish decimal comma */
}

void station_problem_text(const app *a, const survey_question *q, survey_problem p, char *out,
                          size_t cap)
{
    char x[40], y[40];
    int n = (int)p.limit;
    out[0] = '\0';
    switch (p.kind) {
    case SURVEY_P_NONE:
        break;
    case SURVEY_P_REQUIRED:
        snprintf(out, cap, "%s", tr(a, "Please answer this question to go on."));
        break;
    case SURVEY_P_TOO_FEW:
        if (q && q->type == SURVEY_TOP && q->min_pick == q->max_pick)
            snprintf(out, cap, tr(a, "Choose %d, or clear your choices to skip."), n);
        else
            snprintf(out, cap, tr(a, "Choose at least %d."), n);
        break;
    case SURVEY_P_TOO_MANY:
        if (q && q->type == SURVEY_TEXT)
            snprintf(out, cap, tr(a, "At most %d answers."), n);
        else
            snprintf(out, cap, tr(a, "You can choose at most %d. Tap a chosen one to remove it."),
                     n);
        break;
    case SURVEY_P_RANGE:
        fmt_num(p.limit, x, sizeof x);
        fmt_num(p.limit2, y, sizeof y);
        snprintf(out, cap, tr(a, "Give a number from %s to %s."), x, y);
        break;
    case SURVEY_P_DECIMALS:
        if (n == 0)
            snprintf(out, cap, "%s", tr(a, "Give a whole number."));
        else
            snprintf(out, cap, tr(a, "Use at most %d decimals."), n);
        break;
    case SURVEY_P_TOO_LONG:
        snprintf(out, cap, tr(a, "The text is too long: at most %d characters."), n);
        break;
    case SURVEY_P_BAD_TEXT:
        snprintf(out, cap, "%s", tr(a, "The text has characters that cannot be saved."));
        break;
    case SURVEY_P_NOT_OPTION:
    case SURVEY_P_WRONG_TYPE:
        snprintf(out, cap, "%s", tr(a, "That answer does not fit this question."));
        break;
    }
}

size_t station_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

void station_clip_chars(char *s, size_t max)
{
    size_t n = 0;
    for (char *p = s; *p; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80 && n++ == max) {
            *p = '\0';
            return;
        }
    }
}

/* --- widgets ----------------------------------------------------------------------------------- */

int station_message(ui *u, ui_rect r, const char *text, int warn)
{
    const ui_theme *t = ui_theme_get(u);
    ui_color c = warn ? t->warn : t->ok;
    int pad = ui_dp(u, 14);
    ui_rect in = ui_inset(r, pad);
    int h = ui_text_wrap(u, in, UI_FONT_BOLD, c, text, 3, 0) + 2 * pad;
    ui_rect box = { r.x, r.y, r.w, h };
    ui_draw_box(u, box, t->panel, c, ui_dp(u, 3), ui_dp(u, 10));
    ui_text_wrap(u, ui_inset(box, pad), UI_FONT_BOLD, c, text, 3, 1);
    return h;
}

/* Fill colours of the faces, unhappy (red) to happy (green); the features are dark. */
static const ui_color face_fill[5] = {
    { 0xF2, 0x8B, 0x78, 255 }, { 0xF6, 0xB2, 0x6B, 255 }, { 0xF5, 0xD7, 0x6E, 255 },
    { 0xB9, 0xDC, 0x7E, 255 }, { 0x84, 0xCC, 0x8D, 255 },
};

void station_draw_face(ui *u, ui_rect r, int step)
{
    if (step < 1 || step > 5)
        return;
    int d = r.w < r.h ? r.w : r.h;
    ui_rect f = { r.x + (r.w - d) / 2, r.y + (r.h - d) / 2, d, d };
    ui_color ink = { 0x1A, 0x1A, 0x1A, 255 };
    int bw = d / 28 > 1 ? d / 28 : 1;
    ui_draw_rect(u, f, ink, d / 2);
    ui_draw_rect(u, ui_inset(f, bw), face_fill[step - 1], (d - 2 * bw) / 2);
    int e = d / 9;
    ui_draw_rect(u, (ui_rect){ f.x + d * 34 / 100 - e / 2, f.y + d * 36 / 100, e, e }, ink, e / 2);
    ui_draw_rect(u, (ui_rect){ f.x + d * 66 / 100 - e / 2, f.y + d * 36 / 100, e, e }, ink, e / 2);
    /* The mouth: dots along a parabola, curved up (happy) or down (unhappy). */
    double bend = (step - 3) * 0.075 * d;
    int dot = d / 13 > 2 ? d / 13 : 2, n = 17;
    double half = d * 0.22, y0 = f.y + d * 0.68;
    for (int i = 0; i < n; i++) {
        double tt = -1.0 + 2.0 * i / (n - 1);
        double y = y0 + bend * (1 - tt * tt) - bend / 2;
        int x = (int)(f.x + d / 2 + tt * half);
        ui_draw_rect(u, (ui_rect){ x - dot / 2, (int)y - dot / 2, dot, dot }, ink, dot / 2);
    }
}

/* A selected look shared by faces and choices: tinted fill and a thick accent border. */
static void selected_box(ui *u, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    ui_draw_box(u, r, t->pressed, t->accent, ui_dp(u, 6), ui_dp(u, 12));
}

/* Lines a face's word needs in font f within w: 1, 2 when split at its first space,
 * 0 when it does not fit either way. */
static int face_word_lines(ui *u, ui_font f, const char *word, int w)
{
    if (ui_text_width(u, f, word, -1) <= w)
        return 1;
    const char *sp = strchr(word, ' ');
    if (sp && ui_text_width(u, f, word, (int)(sp - word)) <= w &&
        ui_text_width(u, f, sp + 1, -1) <= w)
        return 2;
    return 0;
}

int station_face_button(app *a, ui *u, const char *id, ui_rect r, int step, int on,
                        const char *word)
{
    const ui_theme *t = ui_theme_get(u);
    int tapped = ui_card(u, id, r, NULL);
    unsigned cuts = ui_cut_count(u);
    if (on)
        selected_box(u, r);
    ui_rect in = ui_inset(r, ui_dp(u, 12));
    int lh = ui_line_height(u, UI_FONT_BOLD);
    ui_rect words = ui_cut_bottom(&in, 2 * lh);
    station_draw_face(u, in, step);
    /* The word whole, never cut ("Tyytymätön" on a narrow portrait face): one centred
     * line, or two split at a space ("Tosi / tyytyväinen"), in the largest of bold,
     * body and small in which all five faces' words fit, so the five look alike; the
     * words may use the face's full inner width. */
    words.x = r.x + ui_dp(u, 4);
    words.w = r.w - 2 * ui_dp(u, 4);
    static const ui_font fonts[] = { UI_FONT_BOLD, UI_FONT_BODY, UI_FONT_SMALL };
    ui_font f = UI_FONT_SMALL;
    for (size_t i = 0; i < sizeof fonts / sizeof fonts[0]; i++) {
        int fit = 1;
        for (int st = 1; st <= 5 && fit; st++)
            fit = face_word_lines(u, fonts[i], station_smiley_word(a, st), words.w) > 0;
        if (fit) {
            f = fonts[i];
            break;
        }
    }
    const char *sp = strchr(word, ' ');
    char first[80];
    snprintf(first, sizeof first, "%.*s", sp ? (int)(sp - word) : 0, word);
    int two = face_word_lines(u, f, word, words.w) == 2;
    int fl = ui_line_height(u, f);
    if (!two) {
        ui_label(u, (ui_rect){ words.x, words.y + (words.h - fl) / 2, words.w, fl }, f, t->text,
                 UI_CENTER, word);
    } else {
        int y = words.y + (words.h - 2 * fl) / 2;
        ui_label(u, (ui_rect){ words.x, y, words.w, fl }, f, t->text, UI_CENTER, first);
        ui_label(u, (ui_rect){ words.x, y + fl, words.w, fl }, f, t->text, UI_CENTER, sp + 1);
    }
    ui_sem_add(u, UI_SEM_BUTTON, r, word, on);
    if (ui_cut_count(u) != cuts)
        ui_sem_cut(u);
    return tapped;
}

static void draw_tick(ui *u, ui_rect b, ui_color c)
{
    /* Two strokes of dots: down to the corner, then up to the right. */
    int dot = b.w / 7 > 2 ? b.w / 7 : 2;
    const double pts[3][2] = { { 0.24, 0.52 }, { 0.42, 0.72 }, { 0.78, 0.30 } };
    for (int s = 0; s < 2; s++)
        for (int i = 0; i <= 8; i++) {
            double f = i / 8.0;
            double x = pts[s][0] + (pts[s + 1][0] - pts[s][0]) * f;
            double y = pts[s][1] + (pts[s + 1][1] - pts[s][1]) * f;
            ui_draw_rect(u, (ui_rect){ b.x + (int)(x * b.w) - dot / 2, b.y + (int)(y * b.h) - dot / 2,
                                       dot, dot }, c, dot / 2);
        }
}

int station_choice(ui *u, const char *id, ui_rect r, const char *text, int on, int mark,
                   int badge)
{
    const ui_theme *t = ui_theme_get(u);
    int tapped = ui_card(u, id, r, NULL);
    if (on)
        selected_box(u, r);
    ui_rect in = ui_inset(r, ui_dp(u, 16));
    if (mark) {
        int s = ui_dp(u, 44);
        ui_rect col = ui_cut_left(&in, s);
        ui_cut_left(&in, ui_dp(u, 18));
        ui_rect b = { col.x, col.y + (col.h - s) / 2, s, s };
        int round = mark == 2 ? ui_dp(u, 8) : s / 2;
        ui_draw_box(u, b, t->panel, on ? t->accent : t->border, ui_dp(u, 3), round);
        if (on && mark == 1)
            ui_draw_rect(u, ui_inset(b, s / 4), t->accent, s / 4);
        if (on && mark == 2) {
            ui_draw_rect(u, b, t->accent, round);
            draw_tick(u, b, t->accent_text);
        }
        if (on && mark == 3) {
            char num[8];
            snprintf(num, sizeof num, "%d", badge);
            ui_draw_rect(u, b, t->accent, s / 2);
            ui_label(u, b, UI_FONT_BOLD, t->accent_text, UI_CENTER, num);
        }
    }
    int h = ui_text_wrap(u, in, UI_FONT_BODY, t->text, text, 3, 0);
    if (h > in.h)
        h = in.h;
    ui_text_wrap(u, (ui_rect){ in.x, in.y + (in.h - h) / 2, in.w, h }, UI_FONT_BODY, t->text,
                 text, 3, 1);
    ui_sem_add(u, UI_SEM_BUTTON, r, text, on);
    return tapped;
}

int station_choice_h(ui *u, int w, const char *text, int mark)
{
    int in_w = w - 2 * ui_dp(u, 16) - (mark ? ui_dp(u, 44) + ui_dp(u, 18) : 0);
    int h = ui_text_wrap(u, (ui_rect){ 0, 0, in_w, 0 }, UI_FONT_BODY, ui_theme_get(u)->text,
                         text, 3, 0) + 2 * ui_dp(u, 16);
    int min = app_touch(u) + ui_dp(u, 16);
    return h > min ? h : min;
}

int station_field(app *a, ui *u, const char *id, ui_rect r, const char *label, char *buf,
                  const char *placeholder, int focused, int lines)
{
    const ui_theme *t = ui_theme_get(u);
    (void)a;
    int lh = ui_line_height(u, UI_FONT_SMALL);
    if (label) {
        ui_label(u, ui_cut_top(&r, lh), UI_FONT_SMALL, t->muted, UI_LEFT, label);
        ui_cut_top(&r, ui_dp(u, 4));
    }
    int tapped = ui_card(u, id, r, NULL);
    ui_draw_box(u, r, t->panel, focused ? t->accent : t->border, ui_dp(u, focused ? 4 : 2),
                ui_dp(u, 10));
    ui_rect in = ui_inset(r, ui_dp(u, 14));
    if (!buf[0] && !focused) {
        if (placeholder && placeholder[0])
            ui_text_wrap(u, in, UI_FONT_BODY, t->muted, placeholder, lines, 1);
    } else  /* the cursor where a tap puts it; one-line fields (e-mail) show it all */
        ui_edit_text(u, in, UI_FONT_BODY, UI_FONT_SMALL, t->text, buf, focused, lines, tapped);
    ui_sem_add(u, UI_SEM_FIELD, r, buf, focused);
    ui_sem_add(u, UI_SEM_BUTTON, r, label ? label : placeholder, focused);
    return tapped;
}

int station_keys(ui *u, ui_rect r, const char *const *keys, size_t n, char *buf, size_t cap)
{
    int gap = ui_dp(u, 8), changed = 0;
    if (!n)
        return 0;
    int kw = (r.w - (int)(n - 1) * gap) / (int)n;
    if (kw > ui_dp(u, 150))
        kw = ui_dp(u, 150);
    for (size_t i = 0; i < n; i++) {
        char id[24];
        snprintf(id, sizeof id, "xkey-%s", keys[i]);
        if (ui_button(u, id, ui_cut_left(&r, kw), keys[i], UI_STYLE_NORMAL)) {
            changed |= ui_edit_insert(u, buf, cap, keys[i]);
        }
        ui_cut_left(&r, gap);
    }
    return changed;
}
