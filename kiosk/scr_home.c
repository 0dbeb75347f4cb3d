/* Home: what the kiosk offers, as a few big tiles, and the search field. */
#include "app.h"

#include <string.h>


typedef struct tile {
    const char *id, *label, *hint;
    scr_id scr;
    int kind;
} tile;

static const tile tiles[] = {
    { "home-associations", N_("Associations"), N_("Clubs and associations near you"), SCR_BROWSE,
      CAT_ASSOCIATION },
    { "home-volunteering", N_("Volunteering"), N_("Help others, find a task that suits you"),
      SCR_BROWSE, CAT_OPPORTUNITY },
    { "home-venues", N_("Venues"), N_("Free and low-cost spaces"), SCR_BROWSE, CAT_VENUE },
    { "home-events", N_("Events"), N_("Calendar of events and deadlines"), SCR_CALENDAR, CAT_EVENT },
    { "home-grants", N_("Grants"), N_("Support for associations"), SCR_BROWSE, CAT_GRANT },
    { "home-contacts", N_("City contacts"), N_("Who to ask at the city"), SCR_BROWSE, CAT_CONTACT },
    { "home-feedback", N_("Feedback"), N_("Tell us what you think"), SCR_FEEDBACK, 0 },
};

#define NTILES ((int)(sizeof tiles / sizeof tiles[0]))

static int longest_word(ui *u, ui_font f, const char *s)
{
    int best = 0;
    while (*s) {
        size_t n = strcspn(s, " ");
        int w = ui_text_width(u, f, s, (int)n);
        if (w > best)
            best = w;
        s += n;
        s += strspn(s, " ");
    }
    return best;
}

void scr_home(app *a, ui *u, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    int gap = app_pad(u);
    /* The greeting wraps (portrait, A+) rather than lose its last words. */
    const char *hello = tr(a, "Welcome! What are you looking for?");
    int hh = ui_text_wrap(u, r, UI_FONT_HUGE, t->text, hello, 2, 0);
    ui_text_wrap(u, ui_cut_top(&r, hh > ui_dp(u, 80) ? hh : ui_dp(u, 80)), UI_FONT_HUGE, t->text,
                 hello, 2, 1);
    ui_cut_top(&r, gap);
    /* Everything below the greeting scrolls when it does not fit (small panels, A+,
     * banners for a ballot and a survey): nothing shrinks below a finger's size. */
    ui_rect view = r;
    int dy = ui_scroll_begin(u, "home", view, -1);
    r.y += dy;

    /* The search field is a button: tapping it opens the keyboard screen. */
    int fh = ui_line_height(u, UI_FONT_BODY) + ui_dp(u, 40);
    ui_rect field = ui_cut_top(&r, fh > app_touch(u) + ui_dp(u, 24) ? fh
                                                                     : app_touch(u) + ui_dp(u, 24));
    if (ui_card(u, "home-search", field, tr(a, "Search")))
        app_go(a, SCR_SEARCH, 0, NULL);
    ui_rect in = ui_inset(field, ui_dp(u, 20));
    ui_label(u, in, UI_FONT_BODY, t->muted, UI_LEFT, tr(a, "Search by name or word, e.g. choir"));
    ui_cut_top(&r, gap);
    vote_home_banner(a, u, &r);     /* a ballot open today, if any */
    station_home_banner(a, u, &r);  /* an active survey, if any */

    /* Tiles: 4 columns in landscape, 2 in portrait; rows share the height left, but
     * never less than each tile's whole text needs (small panels, A+): then the tiles
     * scroll instead of shrinking or cutting their words. */
    int cols = ui_w(u) >= ui_h(u) ? 4 : 2;
    int rows = (NTILES + cols - 1) / cols;
    int tw = (r.w - (cols - 1) * gap) / cols;
    int inset = ui_dp(u, 22);
    int need = 0;
    ui_font tf[NTILES];
    for (int i = 0; i < NTILES; i++) {
        const char *label = tr(a, tiles[i].label);
        ui_rect m = { 0, 0, tw - 2 * inset, 0 };
        /* A word too wide for the tile (Vapaaehtoistyö on a small screen) takes a
         * smaller font rather than breaking mid-word. */
        tf[i] = longest_word(u, UI_FONT_TITLE, label) <= m.w ? UI_FONT_TITLE : UI_FONT_BOLD;
        int h = ui_text_wrap(u, m, tf[i], t->text, label, 0, 0) + ui_dp(u, 8) +
                ui_text_wrap(u, m, UI_FONT_BODY, t->text, tr(a, tiles[i].hint), 0, 0);
        if (h + 2 * inset > need)
            need = h + 2 * inset;
    }
    int th = (r.h - (rows - 1) * gap) / rows;
    if (th > ui_dp(u, 300))
        th = ui_dp(u, 300);
    if (th < need)
        th = need;
    int content = (r.y - dy - view.y) + rows * th + (rows - 1) * gap;
    for (int i = 0; i < NTILES; i++) {
        ui_rect b = { r.x + (i % cols) * (tw + gap), r.y + (i / cols) * (th + gap), tw, th };
        const char *label = tr(a, tiles[i].label);
        if (ui_card(u, tiles[i].id, b, label))
            app_go(a, tiles[i].scr, tiles[i].kind, NULL);
        ui_rect bi = ui_inset(b, inset);
        int th2 = ui_text_wrap(u, bi, tf[i], t->button_text, label, 0, 1);
        ui_cut_top(&bi, th2 + ui_dp(u, 8));
        ui_text_wrap(u, bi, UI_FONT_BODY, t->muted, tr(a, tiles[i].hint), 0, 1);
    }
    ui_scroll_end(u, content);
}
