/* Widgets shared by several screens: item cards, the on-screen keyboard, headings. */
#include "app.h"

#include <stdio.h>
#include <string.h>

int w_item_card_h(const ui *u)
{
    return ui_dp(u, 120);
}

int w_item_card(app *a, ui *u, const char *id_prefix, int item, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    cat_lang used;
    const char *name = search_item_name(a->idx, item, &a->pref, &used);
    char id[96];
    snprintf(id, sizeof id, "%s:%s", id_prefix, search_item_id(a->idx, item));
    int tapped = ui_card(u, id, r, name);
    ui_rect in = ui_inset(r, ui_dp(u, 16));
    int lh = ui_line_height(u, UI_FONT_BOLD);
    ui_label(u, (ui_rect){ in.x, in.y, in.w, lh }, UI_FONT_BOLD, t->text, UI_LEFT, name);
    char sub[300];
    const char *area = app_area_name(a, search_item_area(a->idx, item));
    snprintf(sub, sizeof sub, "%s%s%s%s%s", app_kind_label(a, search_item_kind(a->idx, item), 0),
             area ? "  \xc2\xb7  " : "", area ? area : "", used != a->lang ? "  " : "",
             used != a->lang ? app_in_lang(a, used) : "");
    int sh = ui_line_height(u, UI_FONT_SMALL);
    ui_label(u, (ui_rect){ in.x, in.y + in.h - sh, in.w, sh }, UI_FONT_SMALL, t->muted,
             UI_LEFT, sub);
    return tapped;
}

void w_heading(ui *u, ui_rect r, const char *text)
{
    ui_label(u, r, UI_FONT_TITLE, ui_theme_get(u)->text, UI_LEFT, text);
}

/* Removes the last UTF-8 character of buf. */
static void backspace(char *buf)
{
    size_t n = strlen(buf);
    while (n > 0) {
        n--;
        if (((unsigned char)buf[n] & 0xC0) != 0x80)
            break;
    }
    buf[n] = '\0';
}

static int append(char *buf, size_t cap, const char *s)
{
    size_t n = strlen(buf), m = strlen(s);
    if (n + m >= cap)
        return 0;  /* full: the field simply stops taking letters */
    memcpy(buf + n, s, m + 1);
    return 1;
}

/* Finnish/Swedish layout: å ä ö where a Nordic keyboard has them. */
static const char *const rows_alpha[] = {
    "1 2 3 4 5 6 7 8 9 0",
    "q w e r t y u i o p \xc3\xa5",
    "a s d f g h j k l \xc3\xb6 \xc3\xa4",
    "z x c v b n m - .",
};
static const char *const rows_digits[] = { "1 2 3", "4 5 6", "7 8 9" };

int w_keyboard(app *a, ui *u, ui_rect r, char *buf, size_t cap, int digits)
{
    const ui_theme *t = ui_theme_get(u);
    int changed = 0;
    const char *const *rows = digits ? rows_digits : rows_alpha;
    int nrows = digits ? 3 : 4;
    int gap = ui_dp(u, 8);
    ui_draw_rect(u, r, t->panel, ui_dp(u, 12));
    r = ui_inset(r, gap);
    int kh = (r.h - nrows * gap) / (nrows + 1);
    for (int i = 0; i < nrows; i++) {
        ui_rect row = ui_cut_top(&r, kh);
        ui_cut_top(&r, gap);
        int nkeys = 1;
        for (const char *p = rows[i]; *p; p++)
            nkeys += *p == ' ';
        int kw = (row.w - (11 - 1) * gap) / 11;  /* the same key width on every row */
        if (digits)
            kw = (row.w - (nkeys - 1) * gap) / nkeys;
        int used = nkeys * kw + (nkeys - 1) * gap;
        ui_cut_left(&row, (row.w - used) / 2);
        const char *p = rows[i];
        while (*p) {
            char key[8];
            size_t n = strcspn(p, " ");
            snprintf(key, sizeof key, "%.*s", (int)n, p);
            p += n + (p[n] == ' ');
            char id[16];
            snprintf(id, sizeof id, "key-%s", key);
            if (ui_button(u, id, ui_cut_left(&row, kw), key, UI_STYLE_NORMAL))
                changed |= append(buf, cap, key);
            ui_cut_left(&row, gap);
        }
    }
    /* Bottom row: clear, space (letters only), backspace. */
    ui_rect row = ui_cut_top(&r, kh);
    int side = row.w / 4;
    if (ui_button(u, "key-clear", ui_cut_left(&row, side), tr(a, "Clear"), UI_STYLE_QUIET)) {
        changed |= buf[0] != '\0';
        buf[0] = '\0';
    }
    ui_cut_left(&row, gap);
    ui_rect bs = ui_cut_right(&row, side);
    ui_cut_right(&row, gap);
    if (!digits && ui_button(u, "key-space", row, tr(a, "space"), UI_STYLE_NORMAL))
        changed |= append(buf, cap, " ");
    if (digits && ui_button(u, "key-0", row, "0", UI_STYLE_NORMAL))
        changed |= append(buf, cap, "0");
    if (ui_button(u, "key-backspace", bs, tr(a, "Delete"), UI_STYLE_QUIET) && buf[0]) {
        backspace(buf);
        changed = 1;
    }
    /* A physical keyboard works too. */
    const char *typed = ui_typed(u);
    for (const char *p = typed; *p;) {
        size_t n = 1;
        while (p[n] && ((unsigned char)p[n] & 0xC0) == 0x80)
            n++;
        char ch[8];
        snprintf(ch, sizeof ch, "%.*s", (int)n, p);
        p += n;
        if (digits && (ch[0] < '0' || ch[0] > '9'))
            continue;
        if ((unsigned char)ch[0] < 0x20)
            continue;
        changed |= append(buf, cap, ch);
    }
    if (ui_key_pressed(u, UI_KEY_BACKSPACE) && buf[0]) {
        backspace(buf);
        changed = 1;
    }
    return changed;
}
