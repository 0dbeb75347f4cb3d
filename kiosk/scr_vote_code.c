/* Voting: typing the voter code on a keyboard of only the code's symbols, and the staff
 * member's PIN pad.  Both are checked in a job (Argon2id: tens of milliseconds, and the
 * PIN's lockout count is written).  Contract in scr_vote.h. */
#include "scr_vote.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "votecode.h"

/* The code as typed so far, with a dash after every four symbols. */
static void code_display(const char *code, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; code[i] && o + 2 < cap; i++) {
        if (i && i % 4 == 0)
            out[o++] = '-';
        out[o++] = code[i];
    }
    out[o] = '\0';
}

static void code_add(char *buf, char ch)
{
    /* the symbols codes never use are read as the ones they look like (votecode.h) */
    static const char from[] = "BGSZ", to[] = "8652";
    if (ch >= 'a' && ch <= 'z')
        ch = (char)(ch - 'a' + 'A');
    const char *m = strchr(from, ch);
    if (ch && m)
        ch = to[m - from];
    size_t n = strlen(buf);
    if (!ch || !strchr(VOTECODE_ALPHABET, ch) || n >= VOTECODE_LEN)
        return;
    buf[n] = ch;
    buf[n + 1] = '\0';
}

/* A keyboard of only the symbols a code can have; returns 1 when the text changed. */
static int code_keyboard(app *a, ui *u, ui_rect r, char *buf)
{
    static const char *const rows[] = { "23456789", "ACDEFHJKM", "NPRTUVWXY" };
    const ui_theme *t = ui_theme_get(u);
    int gap = ui_dp(u, 8), changed = 0;
    ui_draw_rect(u, r, t->panel, ui_dp(u, 12));
    r = ui_inset(r, gap);
    int kh = (r.h - 3 * gap) / 4, kw = (r.w - 8 * gap) / 9;
    for (int i = 0; i < 3; i++) {
        ui_rect row = ui_cut_top(&r, kh);
        ui_cut_top(&r, gap);
        int n = (int)strlen(rows[i]);
        ui_cut_left(&row, (row.w - n * kw - (n - 1) * gap) / 2);
        for (int k = 0; k < n; k++) {
            char key[2] = { rows[i][k], '\0' }, id[16];
            snprintf(id, sizeof id, "vk-%s", key);
            if (ui_button(u, id, ui_cut_left(&row, kw), key, UI_STYLE_NORMAL)) {
                size_t before = strlen(buf);
                code_add(buf, key[0]);
                changed |= strlen(buf) != before;
            }
            ui_cut_left(&row, gap);
        }
    }
    ui_rect row = ui_cut_top(&r, kh);
    ui_rect clear = ui_cut_left(&row, (row.w - gap) / 2);
    ui_cut_left(&row, gap);
    if (ui_button(u, "vk-clear", clear, tr(a, "Clear"), UI_STYLE_QUIET) && buf[0]) {
        sodium_memzero(buf, VOTECODE_LEN + 1);
        changed = 1;
    }
    if ((ui_button(u, "vk-backspace", row, tr(a, "Delete"), UI_STYLE_QUIET) ||
         ui_key_pressed(u, UI_KEY_BACKSPACE)) && buf[0]) {
        buf[strlen(buf) - 1] = '\0';
        changed = 1;
    }
    for (const char *p = ui_typed(u); *p; p++) {  /* a physical keyboard works too */
        size_t before = strlen(buf);
        code_add(buf, *p);
        changed |= strlen(buf) != before;
    }
    return changed;
}

void vote_stage_code(app *a, ui *u, ui_rect r, vote_state *v)
{
    const ui_theme *t = ui_theme_get(u);
    int w = ui_dp(u, 1100);
    if (w > r.w)
        w = r.w;
    ui_rect col = { r.x + (r.w - w) / 2, r.y, w, r.h };
    const char *hint = tr(a, "12 letters and digits, as on your code slip. The dashes come by "
                             "themselves.");
    int lh = ui_line_height(u, UI_FONT_HUGE);
    int bh = app_touch(u) + ui_dp(u, 16), gap = ui_dp(u, 16);
    int mh = 2 * ui_line_height(u, UI_FONT_BOLD) + ui_dp(u, 8);
    /* Keys at least a finger wide (9 mm): four rows of them and Check under the field
     * when they fit; on a short landscape screen (1024x600, A+) the keyboard and Check
     * stand beside the field instead, so nothing shrinks under a finger. */
    int key = app_min_target_px(a), kgap = ui_dp(u, 8);
    int kneed = 4 * key + 5 * kgap;
    int above = w_heading_h(u) + ui_text_wrap(u, col, UI_FONT_BODY, t->muted, hint, 2, 0) +
                ui_dp(u, 8) + lh + ui_dp(u, 28) + ui_dp(u, 8) + mh;
    ui_rect pad = col;
    int side = above + kneed + gap + bh > r.h && r.w > r.h;
    if (side) {
        int kw = 9 * key + 10 * kgap;
        col = r;
        pad = ui_cut_right(&col, kw > r.w / 2 ? kw : r.w / 2);
        ui_cut_right(&col, app_pad(u));
    }
    if (side)
        ui_cut_top(&col, ui_text_wrap(u, col, UI_FONT_TITLE, t->text,
                                      tr(a, "Type your voting code"), 2, 1) + ui_dp(u, 8));
    else
        w_heading(u, ui_cut_top(&col, w_heading_h(u)), tr(a, "Type your voting code"));
    if (!side)
        ui_cut_top(&col, ui_text_wrap(u, col, UI_FONT_BODY, t->muted, hint, 2, 1) +
                             ui_dp(u, 8));
    ui_rect field = ui_cut_top(&col, lh + ui_dp(u, 28));
    ui_draw_box(u, field, t->panel, t->accent, ui_dp(u, 3), ui_dp(u, 12));
    char shown[VOTECODE_TEXT_LEN + 2];
    code_display(v->code, shown, sizeof shown);
    ui_rect line = { field.x, field.y + (field.h - lh) / 2, field.w, lh };
    if (shown[0]) {
        ui_label(u, line, UI_FONT_HUGE, t->text, UI_CENTER, shown);
    } else {
        ui_label(u, line, UI_FONT_HUGE, t->border, UI_CENTER, "XXXX-XXXX-XXXX");
    }
    ui_sem_add(u, UI_SEM_FIELD, field, shown, 0);
    /* The message's room is kept whether or not there is one, right under the field it
     * is about: keys that moved when an error came or went took the wrong letters.
     * Beside the keys the room is all that is left under the field, and the hint
     * waits there while there is no message. */
    ui_cut_top(&col, ui_dp(u, 8));
    if (side) {
        const char *s = v->msg[0] ? v->msg : hint;
        ui_font f = v->msg[0] ? UI_FONT_BOLD : UI_FONT_BODY;
        int n = col.h / ui_line_height(u, f);
        ui_text_wrap(u, col, f, v->msg[0] ? t->warn : t->muted, s, n > 1 ? n : 1, 1);
    } else {
        ui_rect m = ui_cut_top(&col, mh);
        if (v->msg[0])
            ui_text_wrap(u, m, UI_FONT_BOLD, t->warn, v->msg, 2, 1);
    }
    if (side)  /* the keyboard has the right-hand column */
        col = pad;
    /* the keyboard, and Check right under it */
    int kh = col.h - bh - gap, kmax = ui_dp(u, ui_w(u) < ui_h(u) ? 600 : 440);
    if (kh > kmax)
        kh = kmax;
    if (code_keyboard(a, u, ui_cut_top(&col, kh), v->code))
        v->msg[0] = '\0';
    ui_cut_top(&col, gap);
    ui_rect ok = ui_cut_top(&col, bh);
    if (ui_button(u, "vote-check-code", ok, tr(a, "Check the code"), UI_STYLE_PRIMARY) ||
        ui_key_pressed(u, UI_KEY_ENTER)) {
        char bare[VOTECODE_LEN + 1], m2[KC_MSGMAX];
        size_t n = strlen(v->code);
        if (n != VOTECODE_LEN || votecode_normalize(v->code, bare, m2)) {
            snprintf(v->msg, sizeof v->msg,
                     tr(a, "That is not a voting code: a code has 12 letters and digits, and "
                           "you have typed %d."),
                     (int)n);
        } else {
            v->jc.s = v->s;
            snprintf(v->jc.code, sizeof v->jc.code, "%s", v->code);
            if (vote_job_start(a, v, VJ_CODE))
                snprintf(v->msg, sizeof v->msg, "%s",
                         tr(a, "The code could not be checked. Please ask the staff for "
                               "help."));
        }
        sodium_memzero(bare, sizeof bare);
    }
}

void vote_stage_staff(app *a, ui *u, ui_rect r, vote_state *v)
{
    char before[sizeof v->pin];
    snprintf(before, sizeof before, "%s", v->pin);
    int ok = w_pin_pad(a, u, r, "vote-pin-ok", tr(a, "Staff: open one ballot"),
                       tr(a, "A staff member types the coordinator PIN. The ballot opens "
                             "for one vote only."),
                       v->pin, sizeof v->pin, v->msg);
    if (strcmp(before, v->pin) != 0)
        v->msg[0] = '\0';  /* typing again clears the old message */
    sodium_memzero(before, sizeof before);
    if (ok) {
        snprintf(v->jc.pin, sizeof v->jc.pin, "%s", v->pin);
        v->jc.now_s = (long long)time(NULL);
        sodium_memzero(v->pin, sizeof v->pin);
        if (vote_job_start(a, v, VJ_PIN))
            snprintf(v->msg, sizeof v->msg, "%s",
                     tr(a, "The PIN could not be checked. Please try again."));
    }
}
