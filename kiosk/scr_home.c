/* Home: what the kiosk offers, as a few big tiles, and the search field. */
#include "app.h"
#include "screens.h"

#include <string.h>


/* Each tile's pictogram: shapes on a 24 x 24 grid, drawn with the UI layer's rounded
 * rectangles (no image files to ship or scale).  A shape in the background colour
 * cuts a gap (a door, the dots of a speech bubble).  Decorative: the tile's label is
 * its accessible name, so the icons add nothing to the widget list. */
typedef struct shape { signed char x, y, w, h, r, cut; } shape;
#define ICON_MAX 16
typedef struct icon { shape s[ICON_MAX]; } icon;

static const icon icon_people = { {
    { 1, 12, 10, 10, 4, 0 }, { 13, 12, 10, 10, 4, 0 },  /* two behind */
    { 3, 4, 6, 6, 3, 0 }, { 15, 4, 6, 6, 3, 0 },
    { 5, 9, 14, 15, 5, 1 }, { 6, 10, 12, 14, 5, 0 },     /* one in front, with a gap */
    { 8, 1, 8, 8, 4, 1 }, { 9, 2, 6, 6, 3, 0 },
} };
static const icon icon_heart = { {
    { 2, 3, 10, 10, 5, 0 }, { 12, 3, 10, 10, 5, 0 },
    { 2, 9, 20, 3, 0, 0 }, { 4, 12, 16, 2, 0, 0 }, { 6, 14, 12, 2, 0, 0 },
    { 8, 16, 8, 2, 0, 0 }, { 10, 18, 4, 2, 0, 0 }, { 11, 20, 2, 1, 0, 0 },
} };
static const icon icon_house = { {
    { 10, 1, 4, 2, 0, 0 }, { 8, 3, 8, 2, 0, 0 }, { 6, 5, 12, 2, 0, 0 },
    { 4, 7, 16, 2, 0, 0 }, { 2, 9, 20, 2, 0, 0 }, { 0, 11, 24, 2, 0, 0 },
    { 3, 13, 18, 10, 0, 0 }, { 10, 16, 4, 7, 1, 1 },
} };
static const icon icon_calendar = { {
    { 2, 4, 20, 18, 3, 0 }, { 4, 10, 16, 10, 1, 1 },
    { 6, 2, 3, 6, 1, 0 }, { 15, 2, 3, 6, 1, 0 },
    { 6, 12, 3, 3, 0, 0 }, { 11, 12, 3, 3, 0, 0 }, { 16, 12, 3, 3, 0, 0 },
    { 6, 16, 3, 3, 0, 0 }, { 11, 16, 3, 3, 0, 0 },
} };
static const icon icon_coins = { {
    { 2, 18, 14, 5, 2, 0 }, { 3, 12, 14, 5, 2, 0 }, { 2, 6, 14, 5, 2, 0 },
    { 13, 1, 10, 10, 5, 1 }, { 14, 2, 9, 9, 5, 0 }, { 16, 4, 5, 5, 3, 1 },
} };
static const icon icon_person = { {
    { 7, 1, 10, 10, 5, 0 }, { 3, 13, 18, 11, 6, 0 }, { 10, 15, 4, 6, 1, 1 },
} };
static const icon icon_bubble = { {
    { 1, 2, 22, 15, 5, 0 }, { 5, 16, 6, 2, 0, 0 }, { 5, 18, 4, 2, 0, 0 },
    { 5, 20, 2, 2, 0, 0 },
    { 6, 8, 3, 3, 1, 1 }, { 11, 8, 3, 3, 1, 1 }, { 16, 8, 3, 3, 1, 1 },
} };

static void draw_icon(ui *u, const icon *ic, ui_rect r, ui_color fg, ui_color bg)
{
    int s = r.w < r.h ? r.w : r.h;
    for (int i = 0; i < ICON_MAX && ic->s[i].w; i++) {
        const shape *p = &ic->s[i];
        /* Edges, not sizes, are scaled: shapes that meet on the grid meet on screen. */
        int x0 = p->x * s / 24, y0 = p->y * s / 24;
        ui_rect b = { r.x + x0, r.y + y0, (p->x + p->w) * s / 24 - x0,
                      (p->y + p->h) * s / 24 - y0 };
        ui_draw_rect(u, b, p->cut ? bg : fg, p->r * s / 24);
    }
}

typedef struct tile {
    const char *id, *label, *hint;
    scr_id scr;
    int kind;
    const icon *icon;
} tile;

static const tile tiles[] = {
    { "home-associations", N_("Associations"), N_("Clubs and associations near you"), SCR_BROWSE,
      CAT_ASSOCIATION, &icon_people },
    { "home-volunteering", N_("Volunteering"), N_("Help others, find a task that suits you"),
      SCR_BROWSE, CAT_OPPORTUNITY, &icon_heart },
    { "home-venues", N_("Venues"), N_("Free and low-cost spaces"), SCR_BROWSE, CAT_VENUE, &icon_house },
    { "home-events", N_("Events"), N_("Calendar of events and deadlines"), SCR_CALENDAR, CAT_EVENT,
      &icon_calendar },
    { "home-grants", N_("Grants"), N_("Support for associations"), SCR_BROWSE, CAT_GRANT, &icon_coins },
    { "home-contacts", N_("City contacts"), N_("Who to ask at the city"), SCR_BROWSE, CAT_CONTACT,
      &icon_person },
    { "home-feedback", N_("Feedback"), N_("Tell us what you think"), SCR_FEEDBACK, 0, &icon_bubble },
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
    /* The families' banners (a ballot open today, an active survey), if any. */
    for (int i = 0; i < SCR_NSCREENS; i++)
        if (a->screens[i].home_banner)
            a->screens[i].home_banner(a, u, &r);

    /* Tiles: 4 columns in landscape, 2 in portrait; rows share the height left, but
     * never less than each tile's whole text needs (small panels, A+): then the tiles
     * scroll instead of shrinking or cutting their words. */
    int cols = ui_w(u) >= ui_h(u) ? 4 : 2;
    int inset = ui_dp(u, 22);
    /* Fewer columns when a word does not fit a tile even in the smaller font
     * ("Frivilligarbete" with A+ on a 1024 px panel): never break inside a word. */
    for (; cols > 1; cols--) {
        int inner = (r.w - (cols - 1) * gap) / cols - 2 * inset, fits = 1;
        for (int i = 0; i < NTILES && fits; i++)
            fits = longest_word(u, UI_FONT_BOLD, tr(a, tiles[i].label)) <= inner;
        if (fits)
            break;
    }
    int rows = (NTILES + cols - 1) / cols;
    int tw = (r.w - (cols - 1) * gap) / cols;
    /* The icon stands above the label, 1.5 title lines tall (it grows with A+). */
    int ih = ui_line_height(u, UI_FONT_TITLE) * 3 / 2;
    int need = 0;
    ui_font tf[NTILES];
    for (int i = 0; i < NTILES; i++) {
        const char *label = tr(a, tiles[i].label);
        ui_rect m = { 0, 0, tw - 2 * inset, 0 };
        /* A word too wide for the tile (Vapaaehtoistyö on a small screen) takes a
         * smaller font rather than breaking mid-word. */
        tf[i] = longest_word(u, UI_FONT_TITLE, label) <= m.w ? UI_FONT_TITLE : UI_FONT_BOLD;
        int h = ih + ui_dp(u, 10) + ui_text_wrap(u, m, tf[i], t->text, label, 0, 0) + ui_dp(u, 8) +
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
        draw_icon(u, tiles[i].icon, ui_cut_top(&bi, ih), t->accent,
                  ui_pressed(u, tiles[i].id) ? t->pressed : t->panel);
        ui_cut_top(&bi, ui_dp(u, 10));
        int th2 = ui_text_wrap(u, bi, tf[i], t->button_text, label, 0, 1);
        ui_cut_top(&bi, th2 + ui_dp(u, 8));
        ui_text_wrap(u, bi, UI_FONT_BODY, t->muted, tr(a, tiles[i].hint), 0, 1);
    }
    ui_scroll_end(u, content);
}
