/* Feedback: where to give feedback today.  The survey station replaces this card. */
#include "app.h"

void scr_feedback(app *a, ui *u, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    w_heading(u, ui_cut_top(&r, ui_dp(u, 64)), tr(a, "Feedback"));
    ui_cut_top(&r, app_pad(u));
    ui_rect card = ui_cut_top(&r, ui_dp(u, 360));
    ui_draw_rect(u, card, t->panel, ui_dp(u, 12));
    ui_text_wrap(u, ui_inset(card, ui_dp(u, 28)), UI_FONT_BODY, t->text,
                 tr(a, "Feedback on this kiosk will soon be possible right here. Until then, "
                       "please tell the staff at the desk, or use your city's feedback "
                       "service on its web site. Thank you!"),
                 0, 1);
}
