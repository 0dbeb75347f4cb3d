/* Browse: the items of one kind as a scrolling list, with theme and area filters. */
#include "app.h"
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void refresh(app *a)
{
    search_filter f = SEARCH_ANY;
    f.kind = a->browse_kind;
    f.themes = a->browse_themes;
    f.area = a->browse_area[0] ? a->browse_area : NULL;
    size_t n = search_browse(a->idx, &f, a->lang, NULL, 0);
    if (n > a->browse_cap) {
        int *p = realloc(a->browse_items, n * sizeof *p);
        if (!p) {
            n = a->browse_cap;  /* show what fits rather than nothing */
        } else {
            a->browse_items = p;
            a->browse_cap = n;
        }
    }
    a->nbrowse = search_browse(a->idx, &f, a->lang, a->browse_items, a->browse_cap);
    if (a->nbrowse > a->browse_cap)
        a->nbrowse = a->browse_cap;
    a->browse_done = 1;
}

/* A row of chips that wraps; returns the height used. */
static int chip(ui *u, const char *id, ui_rect *row, int *x, int *y, const char *label,
                int on, int *clicked)
{
    int h = app_touch(u) - ui_dp(u, 8);
    int w = ui_text_width(u, UI_FONT_BOLD, label, -1) + ui_dp(u, 40);
    int gap = ui_dp(u, 10);
    if (w > row->w)
        w = row->w;
    if (*x + w > row->x + row->w) {
        *x = row->x;
        *y += h + gap;
    }
    *clicked = ui_button(u, id, (ui_rect){ *x, *y, w, h }, label,
                         on ? UI_STYLE_TOGGLE_ON : UI_STYLE_NORMAL);
    *x += w + gap;
    return h + gap;
}

void scr_browse(app *a, ui *u, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    if (a->browse_lang != a->lang)
        a->browse_done = 0;  /* the order is alphabetical in the language shown */
    if (!a->browse_done) {
        a->browse_lang = a->lang;
        refresh(a);
        ui_scroll_reset(u, "browse");
    }
    w_heading(u, ui_cut_top(&r, w_heading_h(u)), app_kind_label(a, a->browse_kind, 1));

    /* Filters: one row with the theme toggle and the cities (a city includes its
     * districts and villages); the theme chips open below it on demand, so the list
     * keeps most of the screen. */
    int x = r.x, y = r.y, h = 0, clicked;
    int nthemes = 0;
    for (int i = 0; cat_themes[i]; i++)
        nthemes += (a->browse_themes >> i) & 1;
    char tl[120];
    if (nthemes)
        snprintf(tl, sizeof tl, "%s (%d)", tr(a, "Themes"), nthemes);
    else
        snprintf(tl, sizeof tl, "%s", tr(a, "Themes"));
    h = chip(u, "themes", &r, &x, &y, tl, a->browse_show_themes || nthemes, &clicked);
    if (clicked)
        a->browse_show_themes = !a->browse_show_themes;
    chip(u, "area-all", &r, &x, &y, tr(a, "All areas"), !a->browse_area[0], &clicked);
    if (clicked) {
        a->browse_area[0] = '\0';
        a->browse_done = 0;
    }
    for (size_t i = 0; i < a->nareas; i++) {
        if (!a->areas[i].is_city)
            continue;
        char id[96];
        snprintf(id, sizeof id, "area-%s", a->areas[i].id);
        int on = strcmp(a->browse_area, a->areas[i].id) == 0;
        chip(u, id, &r, &x, &y, app_area_name(a, a->areas[i].id), on, &clicked);
        if (clicked) {
            snprintf(a->browse_area, sizeof a->browse_area, "%s", on ? "" : a->areas[i].id);
            a->browse_done = 0;
        }
    }
    if (a->browse_show_themes) {
        x = r.x;
        y += h + ui_dp(u, 8);
        for (int i = 0; cat_themes[i]; i++) {
            char id[64];
            snprintf(id, sizeof id, "theme-%s", cat_themes[i]);
            chip(u, id, &r, &x, &y, app_theme_label(a, i), (a->browse_themes >> i) & 1,
                 &clicked);
            if (clicked) {
                a->browse_themes ^= 1u << i;
                a->browse_done = 0;
            }
        }
    }
    y += h;
    ui_cut_top(&r, y - r.y);

    char count[120];
    snprintf(count, sizeof count, tr(a, "%zu results"), a->nbrowse);
    int cnt_h = ui_line_height(u, UI_FONT_BODY);
    ui_label(u, ui_cut_top(&r, cnt_h > ui_dp(u, 48) ? cnt_h : ui_dp(u, 48)), UI_FONT_BODY, t->muted,
             UI_LEFT, count);

    if (a->nbrowse == 0) {
        ui_rect m = ui_cut_top(&r, ui_dp(u, 140));
        ui_text_wrap(u, m, UI_FONT_BODY, t->text,
                     tr(a, "Nothing matches these filters. Tap a highlighted filter to "
                           "remove it, or show everything."),
                     3, 1);
        ui_rect b = ui_cut_top(&r, app_touch(u));
        b.w = ui_dp(u, 420);
        if (ui_button(u, "browse-show-all", b, tr(a, "Show everything"), UI_STYLE_PRIMARY)) {
            a->browse_themes = 0;
            a->browse_area[0] = '\0';
            a->browse_done = 0;
        }
        return;
    }
    /* Only the cards in view are drawn: 100 000 items cost as much as ten. */
    int ch = w_item_card_h(u), gap = ui_dp(u, 12);
    int total = (int)a->nbrowse * (ch + gap);
    int off = ui_scroll_begin(u, "browse", r, total);
    int first = -off / (ch + gap);
    for (int i = first < 0 ? 0 : first; i < (int)a->nbrowse; i++) {
        ui_rect c = { r.x, r.y + off + i * (ch + gap), r.w - ui_dp(u, 14), ch };
        if (c.y > r.y + r.h)
            break;
        if (w_item_card(a, u, "browse", a->browse_items[i], c))
            app_go(a, SCR_DETAIL, 0, search_item_id(a->idx, a->browse_items[i]));
    }
    ui_scroll_end(u, total);
}
