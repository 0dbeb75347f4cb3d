/* Search: a field, results that follow every keystroke, the on-screen keyboard.  Shows
 * why a result is there: how many match, the matched part of each name marked, the
 * name in another language a match was found by, "did you mean" after a typo; an
 * empty field offers the themes with the most items. */
#include "app.h"
#include "screens.h"

#include <stdio.h>
#include <string.h>

/* The screen's own cache beside the app's hits: what the last query found besides its
 * hits, and the theme counts of the index they were counted on.  One kiosk window
 * per process, so one instance. */
static struct {
    search_info info;
    const search *counted;     /* index the theme order belongs to */
    size_t counted_n;
    int theme_order[32];
    int nthemes;
} view;

static void run_query(app *a)
{
    char msg[KC_MSGMAX];
    size_t n = 0;
    /* The field only ever holds whole UTF-8 characters, so the query is valid; a
     * failure would be running out of memory: show what we have. */
    if (search_run(a->idx, a->query, NULL, a->cfg.area, a->hits, APP_HITS, &n, &view.info, msg))
        fprintf(stderr, "kiosk: %s\n", msg);
    a->nhits = n;
    a->query_done = 1;
}

/* Themes by how many items have them, counted once per index (a browse is a pass
 * over every item: too much for every frame at 100 000 items). */
static void count_themes(app *a)
{
    if (view.counted == a->idx && view.counted_n == search_count(a->idx))
        return;
    size_t count[32] = { 0 };
    int n = 0;
    for (; cat_themes[n] && n < 32; n++) {
        search_filter f = SEARCH_ANY;
        f.themes = 1u << n;
        count[n] = search_browse(a->idx, &f, a->lang, NULL, 0);
        view.theme_order[n] = n;
    }
    for (int i = 1; i < n; i++)  /* insertion sort, most items first */
        for (int j = i; j > 0 && count[view.theme_order[j]] > count[view.theme_order[j - 1]];
             j--) {
            int t = view.theme_order[j];
            view.theme_order[j] = view.theme_order[j - 1];
            view.theme_order[j - 1] = t;
        }
    view.nthemes = n;
    view.counted = a->idx;
    view.counted_n = search_count(a->idx);
}

static void set_query(app *a, ui *u, const char *q)
{
    /* The field's limit, cut at a character boundary like typing would stop. */
    size_t n = strlen(q);
    if (n >= sizeof a->query) {
        n = sizeof a->query - 1;
        while (n > 0 && ((unsigned char)q[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(a->query, q, n);
    a->query[n] = '\0';
    a->query_done = 0;
    ui_scroll_reset(u, "search");
}

static void popular_themes(app *a, ui *u, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    count_themes(a);
    int lh = ui_line_height(u, UI_FONT_BOLD);
    ui_label(u, ui_cut_top(&r, lh), UI_FONT_BOLD, t->text, UI_LEFT, tr(a, "Popular themes"));
    ui_cut_top(&r, ui_dp(u, 12));
    int bh = app_touch(u), gap = ui_dp(u, 12), x = r.x, y = r.y;
    for (int k = 0; k < view.nthemes && k < 8; k++) {
        const char *label = app_theme_label(a, view.theme_order[k]);
        int w = ui_text_width(u, UI_FONT_BODY, label, (int)strlen(label)) + ui_dp(u, 48);
        if (w > r.w)
            w = r.w;
        if (x + w > r.x + r.w) {
            x = r.x;
            y += bh + gap;
        }
        if (y + bh > r.y + r.h)
            break;
        char id[48];
        snprintf(id, sizeof id, "theme:%s", cat_themes[view.theme_order[k]]);
        if (ui_button(u, id, (ui_rect){ x, y, w, bh }, label, UI_STYLE_NORMAL))
            set_query(a, u, label);
        x += w + gap;
    }
}

static const char *found_by(const app *a, cat_lang l)
{
    switch (l) {
    case CAT_FI: return tr(a, "Found by its Finnish name: %s");
    case CAT_SV: return tr(a, "Found by its Swedish name: %s");
    case CAT_EN: return tr(a, "Found by its English name: %s");
    case CAT_NLANG: break;
    }
    return "%s";
}

/* A result card: the name with the matched word marked, kind and area, and the name
 * in another language when that one matched. */
static int hit_card(app *a, ui *u, const search_hit *h, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    cat_lang used;
    const char *name = search_item_name(a->idx, h->item, &a->pref, &used);
    char id[96];
    snprintf(id, sizeof id, "hit:%s", search_item_id(a->idx, h->item));
    int tapped = ui_card(u, id, r, name);
    ui_rect in = ui_inset(r, ui_dp(u, 16));
    int lh = ui_line_height(u, UI_FONT_BOLD);
    size_t ms, me;
    if (search_highlight(a->query, name, &ms, &me)) {
        int x0 = ui_text_width(u, UI_FONT_BOLD, name, (int)ms);
        int w = ui_text_width(u, UI_FONT_BOLD, name + ms, (int)(me - ms));
        if (x0 < in.w) {
            if (x0 + w > in.w)
                w = in.w - x0;
            ui_color mark = t->accent;
            mark.a = 60;  /* a tint behind the letters, readable in both contrasts */
            ui_draw_rect(u, (ui_rect){ in.x + x0 - ui_dp(u, 2), in.y, w + ui_dp(u, 4), lh },
                         mark, ui_dp(u, 4));
        }
    }
    ui_label(u, (ui_rect){ in.x, in.y, in.w, lh }, UI_FONT_BOLD, t->text, UI_LEFT, name);
    char sub[400];
    char fact[300];  /* the key fact, then the kind (rowfacts.c) */
    app_item_fact(a, h->item, 1, fact, sizeof fact);
    int n = snprintf(sub, sizeof sub, "%s%s%s", fact, used != a->lang ? "  " : "",
                     used != a->lang ? app_in_lang(a, used) : "");
    if (h->lang >= 0 && h->lang != (int)used && n > 0 && (size_t)n < sizeof sub) {
        cat_langs other = cat_langs_for((cat_lang)h->lang);
        cat_lang got;
        const char *oname = search_item_name(a->idx, h->item, &other, &got);
        if (got == (cat_lang)h->lang) {
            char why[300];
            snprintf(why, sizeof why, found_by(a, got), oname);
            snprintf(sub + n, sizeof sub - (size_t)n, "  \xc2\xb7  %s", why);
        }
    }
    int sh = ui_line_height(u, UI_FONT_SMALL);
    ui_label(u, (ui_rect){ in.x, in.y + in.h - sh, in.w, sh }, UI_FONT_SMALL, t->muted,
             UI_LEFT, sub);
    return tapped;
}

/* Height the letter keyboard needs so that none of its five rows of keys is under a
 * finger's width (9 mm at the panel's density): w_keyboard shares its height out. */
static int keyboard_need(app *a, ui *u)
{
    int key = app_min_target_px(a), gap = ui_dp(u, 8);
    if (key < ui_dp(u, 48))
        key = ui_dp(u, 48);
    return 5 * key + 6 * gap;
}

void scr_search(app *a, ui *u, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    int gap = app_pad(u);
    /* The keyboard takes two fifths of the screen, but never less than its keys need;
     * on a small panel the results then get little room, and "Show results" hides the
     * keyboard to give them the whole screen. */
    if (!a->search_kb_hidden) {
        int kbh = r.h * 2 / 5 > ui_dp(u, 460) ? ui_dp(u, 460) : r.h * 2 / 5;
        int need = keyboard_need(a, u);
        if (kbh < need)
            kbh = need;
        ui_rect kb = ui_cut_bottom(&r, kbh);
        ui_cut_bottom(&r, gap);
        if (w_keyboard(a, u, kb, a->query, sizeof a->query, W_KB_PLAIN)) {
            a->query_done = 0;
            ui_scroll_reset(u, "search");
        }
    }
    if (!a->query_done)
        run_query(a);

    int fh = ui_line_height(u, UI_FONT_TITLE) + 2 * ui_dp(u, 12);
    if (fh < app_touch(u) + ui_dp(u, 16))
        fh = app_touch(u) + ui_dp(u, 16);
    ui_rect field = ui_cut_top(&r, fh);
    /* Beside the field: hide the keyboard to see the results, or bring it back. */
    const char *tog = a->search_kb_hidden ? tr(a, "Keyboard") : tr(a, "Show results");
    int tw = ui_text_width(u, UI_FONT_BOLD, tog, -1) + ui_dp(u, 40);
    if (tw < ui_dp(u, 150))
        tw = ui_dp(u, 150);
    if (tw > field.w / 2)
        tw = field.w / 2;
    ui_rect tb = ui_cut_right(&field, tw);
    ui_cut_right(&field, ui_dp(u, 12));
    if (ui_button(u, "search-keyboard", tb, tog, UI_STYLE_NORMAL)) {
        a->search_kb_hidden = !a->search_kb_hidden;
        ui_request_frame(u);
    }
    /* A tap on the text puts the cursor there (ui_edit_text). */
    int tapped = ui_card(u, "search-field", field, NULL);
    ui_draw_box(u, field, t->panel, t->accent, ui_dp(u, 3), ui_dp(u, 12));
    ui_rect in = ui_inset(field, ui_dp(u, 12));
    if (a->query[0])  /* the cursor stays in sight: a long query scrolls, never cut */
        ui_edit_text(u, in, UI_FONT_TITLE, UI_FONT_TITLE, t->text, a->query,
                     !a->search_kb_hidden, 1, tapped);
    else
        ui_label(u, in, UI_FONT_BODY, t->muted, UI_LEFT,
                 tr(a, "Type a word: a name, a place or a topic"));
    if (tapped && a->search_kb_hidden) {  /* a tap on the field brings the keys back */
        a->search_kb_hidden = 0;
        ui_request_frame(u);
    }
    ui_sem_add(u, UI_SEM_FIELD, field, a->query, 0);
    ui_cut_top(&r, ui_dp(u, 12));

    if (!a->query[0]) {
        popular_themes(a, u, r);
        return;
    }
    int lh = ui_line_height(u, UI_FONT_BODY);
    if (view.info.suggest[0]) {
        char q[sizeof view.info.suggest + 64];
        snprintf(q, sizeof q, tr(a, "Did you mean “%s”?"), view.info.suggest);
        int w = ui_text_width(u, UI_FONT_BODY, q, (int)strlen(q)) + ui_dp(u, 48);
        ui_rect row = ui_cut_top(&r, app_touch(u));
        if (ui_button(u, "did-you-mean", (ui_rect){ row.x, row.y, w < row.w ? w : row.w, row.h },
                      q, UI_STYLE_QUIET)) {
            char s[sizeof view.info.suggest];
            snprintf(s, sizeof s, "%s", view.info.suggest);
            set_query(a, u, s);
            return;
        }
        ui_cut_top(&r, ui_dp(u, 8));
    }
    if (a->nhits == 0) {
        char line[300];
        snprintf(line, sizeof line,
                 tr(a, "No matches for “%s”. Try a shorter word or "
                       "check the spelling."),
                 a->query);
        ui_text_wrap(u, ui_cut_top(&r, ui_dp(u, 120)), UI_FONT_BODY, t->text, line, 3, 1);
        return;
    }
    char count[32], line[96];
    snprintf(count, sizeof count, "%zu%s", view.info.total, view.info.more ? "+" : "");
    snprintf(line, sizeof line, tr(a, "Results: %s"), count);
    ui_label(u, ui_cut_top(&r, lh), UI_FONT_BODY, t->muted, UI_LEFT, line);
    ui_cut_top(&r, ui_dp(u, 8));
    int ch = w_item_card_h(u), g = ui_dp(u, 12);
    int total = (int)a->nhits * (ch + g);
    int off = ui_scroll_begin(u, "search", r, total);
    for (size_t i = 0; i < a->nhits; i++) {
        ui_rect c = { r.x, r.y + off + (int)i * (ch + g), r.w - ui_dp(u, 14), ch };
        if (c.y > r.y + r.h)
            break;
        if (hit_card(a, u, &a->hits[i], c))
            app_go(a, SCR_DETAIL, 0, search_item_id(a->idx, a->hits[i].item));
    }
    ui_scroll_end(u, total);
}
