/* The attract screen: what the next person walking up sees after an idle reset or a
 * finished session.  One big invitation in all three languages (nobody has chosen a
 * language yet), the place's name so the screen says where it stands, and the three
 * languages as the first choice.  A tap on the invitation starts in the kiosk's
 * default language.
 *
 * No motion: the software renderer redraws the whole window for any change, and even
 * three dots stepping every 1.5 s cost 2 % of a core at 1920x1080 (measured with
 * tests/ui/xvfb-idle.sh); a still screen costs nothing while the kiosk waits. */
#include "app.h"

#include <stdio.h>
#include <string.h>

static const char *const lang_names[CAT_NLANG] = { "suomi", "svenska", "English" };
static const char *const lang_ids[CAT_NLANG] = { "attract-fi", "attract-sv", "attract-en" };
#define INVITE "Kosketa \xc2\xb7 Tryck \xc2\xb7 Touch"

int scr_attract(app *a, ui *u, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    int gap = app_pad(u);
    int chosen = -1;
    r = ui_inset(r, gap);

    /* The place's name on top, when the kiosk has one (the server's settings, else
     * kiosk.conf `place`). */
    const char *place = app_place(a);
    if (place) {
        int ph = ui_text_wrap(u, r, UI_FONT_TITLE, t->text, place, 2, 0);
        ui_rect pr = ui_cut_top(&r, ph);
        int w = ui_text_width(u, UI_FONT_TITLE, place, -1);
        if (w < pr.w) {  /* one line: centred */
            ui_label(u, pr, UI_FONT_TITLE, t->text, UI_CENTER, place);
        } else {
            ui_text_wrap(u, pr, UI_FONT_TITLE, t->text, place, 2, 1);
        }
        ui_cut_top(&r, gap);
    }

    /* The languages: large buttons side by side, or stacked when they do not fit. */
    int bh = app_touch(u) + ui_dp(u, 32);
    int min = app_min_target_px(a);
    if (bh < min)
        bh = min;
    int need = 0;
    for (int l = 0; l < CAT_NLANG; l++) {
        int w = ui_text_width(u, UI_FONT_TITLE, lang_names[l], -1) + ui_dp(u, 64);
        if (w > need)
            need = w;
    }
    int bw = ui_dp(u, 320);
    if (bw < need)
        bw = need;
    int across = CAT_NLANG * bw + (CAT_NLANG - 1) * gap <= r.w;
    if (!across && bw > r.w)
        bw = r.w;
    int rows_h = across ? bh : CAT_NLANG * bh + (CAT_NLANG - 1) * gap;
    ui_rect langs = ui_cut_bottom(&r, rows_h);
    ui_cut_bottom(&r, gap);
    for (int l = 0; l < CAT_NLANG; l++) {
        ui_rect b;
        if (across) {
            int x0 = langs.x + (langs.w - (CAT_NLANG * bw + (CAT_NLANG - 1) * gap)) / 2;
            b = (ui_rect){ x0 + l * (bw + gap), langs.y, bw, bh };
        } else {
            b = (ui_rect){ langs.x + (langs.w - bw) / 2, langs.y + l * (bh + gap), bw, bh };
        }
        if (ui_button(u, lang_ids[l], b, lang_names[l], UI_STYLE_PRIMARY))
            chosen = l;
    }

    /* The invitation fills the rest; all of it is a target. */
    if (ui_card(u, "attract-touch", r, INVITE))
        chosen = CAT_NLANG;
    ui_rect in = ui_inset(r, ui_dp(u, 24));
    int hh = ui_text_wrap(u, in, UI_FONT_HUGE, t->button_text, INVITE, 3, 0);
    ui_rect tr_ = { in.x, in.y + (in.h - hh) / 2, in.w, hh };
    if (tr_.y < in.y)
        tr_.y = in.y;
    if (ui_text_width(u, UI_FONT_HUGE, INVITE, -1) <= in.w)
        ui_label(u, (ui_rect){ tr_.x, tr_.y, tr_.w, ui_line_height(u, UI_FONT_HUGE) },
                 UI_FONT_HUGE, t->button_text, UI_CENTER, INVITE);
    else
        ui_text_wrap(u, tr_, UI_FONT_HUGE, t->button_text, INVITE, 3, 1);
    return chosen;
}
