/* Touch widgets over the UI layer: buttons, cards, long press.  A tap is a press and
 * release on the same widget without a drag (see ui.h). */
#include "ui_impl.h"

#include <stdio.h>
#include <string.h>

/* Press/tap logic shared by buttons and cards. */
static int tap(ui *u, const char *id, ui_rect r)
{
    int hit = ui__visible(u, r) && ui_contains(ui__clip_and(r, ui__clip(u)), u->sx, u->sy);
    if (u->began && hit && !u->stop_press)
        snprintf(u->active, sizeof u->active, "%s", id);
    if (u->released && !u->dragging && !u->long_fired && strcmp(u->active, id) == 0 &&
        ui_contains(r, u->x, u->y)) {
        u->animating = 1;  /* the tap changes state: draw the result at once */
        return 1;
    }
    return 0;
}

int ui_pressed(const ui *u, const char *id)
{
    return u->down && !u->dragging && strcmp(u->active, id) == 0;
}

int ui_button(ui *u, const char *id, ui_rect r, const char *label, ui_style st)
{
    const ui_theme *t = u->theme;
    int clicked = tap(u, id, r);
    int pressed = ui_pressed(u, id);
    ui_color bg = t->button, fg = t->button_text, border = t->border;
    int bw = ui_dp(u, 2);
    switch (st) {
    case UI_STYLE_PRIMARY:
    case UI_STYLE_TOGGLE_ON:
        bg = t->accent;
        fg = t->accent_text;
        border = t->accent;
        break;
    case UI_STYLE_QUIET:
        bg = t->panel;
        fg = t->text;
        break;
    case UI_STYLE_BAR:
        bg = t->accent;
        fg = t->accent_text;
        border = t->accent_text;
        break;
    case UI_STYLE_BAR_ON:
        bg = t->accent_text;
        fg = t->accent;
        border = t->accent_text;
        bw = ui_dp(u, 4);
        break;
    case UI_STYLE_NORMAL:
        break;
    }
    if (pressed)
        bg = t->pressed, fg = t->button_text;
    ui_draw_box(u, r, bg, border, bw, ui_dp(u, 10));
    unsigned cuts = u->ncut;
    int lh = ui_line_height(u, UI_FONT_BOLD);
    ui_rect inner = ui_inset(r, ui_dp(u, 8));
    if (inner.h >= 2 * lh && ui_text_width(u, UI_FONT_BOLD, label, -1) > inner.w) {
        int h = ui_text_wrap(u, inner, UI_FONT_BOLD, fg, label, 2, 0);
        inner.y += (inner.h - h) / 2;
        ui_text_wrap(u, inner, UI_FONT_BOLD, fg, label, 2, 1);
        u->nsem--;  /* the button's own entry below describes it */
    } else {
        ui_text_line(u, (ui_rect){ inner.x, r.y + (r.h - lh) / 2, inner.w, lh }, UI_FONT_BOLD,
                  fg, UI_CENTER, label, (int)strlen(label),
                  ui_text_width(u, UI_FONT_BOLD, label, -1) > inner.w);
    }
    ui_sem_add(u, UI_SEM_BUTTON, r, label, st == UI_STYLE_TOGGLE_ON || st == UI_STYLE_BAR_ON);
    if (u->ncut != cuts && u->nsem)
        u->sems[u->nsem - 1].cut = 1;
    return clicked;
}

int ui_card(ui *u, const char *id, ui_rect r, const char *sem_text)
{
    const ui_theme *t = u->theme;
    int clicked = tap(u, id, r);
    ui_draw_box(u, r, ui_pressed(u, id) ? t->pressed : t->panel, t->border, ui_dp(u, 2),
                ui_dp(u, 12));
    ui_sem_add(u, UI_SEM_BUTTON, r, sem_text, 0);
    return clicked;
}

int ui_long_press(ui *u, const char *id, ui_rect r, uint32_t ms)
{
    (void)id;
    /* Decided by where the press started, not by which widget took it: a hot zone
     * over a button (the corner over Back) still opens with a long press, and the
     * button's tap is then cancelled (long_fired). */
    if (!u->down || u->dragging || u->long_fired || !ui_contains(r, u->sx, u->sy))
        return 0;
    if (u->now - u->down_ms >= ms) {
        u->long_fired = 1;
        u->animating = 1;
        return 1;
    }
    ui_wake_in(u, ms - (u->now - u->down_ms));
    return 0;
}

float ui_long_press_progress(const ui *u, ui_rect r, uint32_t ms)
{
    if (!u->down || u->dragging || u->long_fired || !ui_contains(r, u->sx, u->sy) || !ms)
        return 0.0f;
    float p = (float)(u->now - u->down_ms) / (float)ms;
    return p > 1.0f ? 1.0f : p;
}

