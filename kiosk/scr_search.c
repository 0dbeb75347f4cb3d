/* Search: a field, results that follow every keystroke, the on-screen keyboard. */
#include "app.h"

#include <stdio.h>
#include <string.h>

static void run_query(app *a)
{
    char msg[KC_MSGMAX];
    size_t n = 0;
    /* The field only ever holds whole UTF-8 characters, so the query is valid; a
     * failure would be a database error in the description tier: show what we have. */
    if (search_query(a->idx, a->st, a->query, NULL, a->hits, APP_HITS, &n, msg))
        fprintf(stderr, "kiosk: %s\n", msg);
    a->nhits = n;
    a->query_done = 1;
}

void scr_search(app *a, ui *u, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    int gap = app_pad(u);
    ui_rect kb = ui_cut_bottom(&r, r.h * 2 / 5 > ui_dp(u, 460) ? ui_dp(u, 460) : r.h * 2 / 5);
    ui_cut_bottom(&r, gap);
    if (w_keyboard(a, u, kb, a->query, sizeof a->query, 0)) {
        a->query_done = 0;
        ui_scroll_reset(u, "search");
    }
    if (!a->query_done)
        run_query(a);

    ui_rect field = ui_cut_top(&r, app_touch(u) + ui_dp(u, 16));
    ui_draw_box(u, field, t->panel, t->accent, ui_dp(u, 3), ui_dp(u, 12));
    ui_rect in = ui_inset(field, ui_dp(u, 16));
    char shown[APP_QUERY_MAX + 8];
    snprintf(shown, sizeof shown, "%s|", a->query);  /* a visible cursor at the end */
    if (a->query[0])
        ui_label(u, in, UI_FONT_TITLE, t->text, UI_LEFT, shown);
    else
        ui_label(u, in, UI_FONT_BODY, t->muted, UI_LEFT,
                 tr(a, "Type a word: a name, a place or a topic"));
    ui_sem_add(u, UI_SEM_FIELD, field, a->query, 0);
    ui_cut_top(&r, ui_dp(u, 12));

    if (!a->query[0])
        return;
    if (a->nhits == 0) {
        char line[300];
        snprintf(line, sizeof line,
                 tr(a, "No matches for “%s”. Try a shorter word or "
                       "check the spelling."),
                 a->query);
        ui_text_wrap(u, ui_cut_top(&r, ui_dp(u, 120)), UI_FONT_BODY, t->text, line, 3, 1);
        return;
    }
    int ch = w_item_card_h(u), g = ui_dp(u, 12);
    int total = (int)a->nhits * (ch + g);
    int off = ui_scroll_begin(u, "search", r, total);
    for (size_t i = 0; i < a->nhits; i++) {
        ui_rect c = { r.x, r.y + off + (int)i * (ch + g), r.w - ui_dp(u, 14), ch };
        if (c.y > r.y + r.h)
            break;
        if (w_item_card(a, u, "hit", a->hits[i].item, c))
            app_go(a, SCR_DETAIL, 0, search_item_id(a->idx, a->hits[i].item));
    }
    ui_scroll_end(u, total);
}
