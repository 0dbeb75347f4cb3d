/* Widgets shared by several screens: item cards, the on-screen keyboard, headings. */
#include "app.h"

#include <stdio.h>
#include <string.h>

/* Tall enough for its two lines in the current text size (A+ makes them taller). */
int w_item_card_h(ui *u)
{
    int h = 2 * ui_dp(u, 16) + ui_line_height(u, UI_FONT_BOLD) + ui_dp(u, 6) +
            ui_line_height(u, UI_FONT_SMALL);
    return h > ui_dp(u, 120) ? h : ui_dp(u, 120);
}

int w_item_card(app *a, ui *u, const char *id_prefix, int item, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    cat_lang used;
    const char *name = search_item_name(a->idx, item, &a->pref, &used);
    /* The row leads with its key fact (rowfacts.c): when and where for an event, the
     * deadline of a grant, a venue's price and size; search rows also say the kind. */
    /* sem is cut to UI_SEM_TEXT_MAX by the UI layer; room here for the whole of it */
    char fact[400], sem[620];
    app_item_fact(a, item, strcmp(id_prefix, "browse") != 0, fact, sizeof fact);
    if (used != a->lang) {
        size_t n = strlen(fact);
        snprintf(fact + n, sizeof fact - n, "  %s", app_in_lang(a, used));
    }
    snprintf(sem, sizeof sem, "%s, %s", name, fact);
    char id[96];
    snprintf(id, sizeof id, "%s:%s", id_prefix, search_item_id(a->idx, item));
    int tapped = ui_card(u, id, r, sem);
    ui_rect in = ui_inset(r, ui_dp(u, 16));
    int sh = ui_line_height(u, UI_FONT_SMALL), lh = ui_line_height(u, UI_FONT_BOLD);
    ui_label(u, (ui_rect){ in.x, in.y, in.w, sh }, UI_FONT_SMALL, t->text, UI_LEFT, fact);
    ui_label(u, (ui_rect){ in.x, in.y + in.h - lh, in.w, lh }, UI_FONT_BOLD, t->text, UI_LEFT,
             name);
    return tapped;
}

int w_heading_h(ui *u)
{
    int h = ui_line_height(u, UI_FONT_TITLE);
    return h > ui_dp(u, 64) ? h : ui_dp(u, 64);
}

void w_heading(ui *u, ui_rect r, const char *text)
{
    ui_label(u, r, UI_FONT_TITLE, ui_theme_get(u)->text, UI_LEFT, text);
}

/* Shift and the automatic capitals.  One keyboard shows at a time, so one state; it
 * belongs to the buffer it was set for and starts afresh on another field or after a
 * reset.  once: the next letter is a capital; caps: every letter (Shift tapped twice
 * quickly); off_at: the resident tapped Shift to refuse the automatic capital at this
 * cursor position. */
static struct {
    const char *buf;
    int once, caps, off;
    size_t off_at;
    uint32_t tap_ms;
    int tapped;
} kb;

#define SHIFT_DOUBLE_MS 450

void w_keyboard_reset(void)
{
    memset(&kb, 0, sizeof kb);
}

/* Whether the letter typed at cur starts a name's word or a sentence: at the start,
 * after ". ", "! " or "? " (and a new line) in free text; at the start of a name and
 * after a space or hyphen in it.  Never in e-mail addresses or searches. */
static int auto_capital(const char *buf, size_t cur, w_kb_mode mode)
{
    if (mode == W_KB_NAME)
        return cur == 0 || buf[cur - 1] == ' ' || buf[cur - 1] == '-';
    if (mode != W_KB_SENTENCE)
        return 0;
    size_t i = cur;
    if (i > 0 && buf[i - 1] != ' ' && buf[i - 1] != '\n')
        return 0;
    while (i > 0 && (buf[i - 1] == ' ' || buf[i - 1] == '\n'))
        i--;
    return i == 0 || strchr(".!?", buf[i - 1]) != NULL;
}

/* a-z and å ä ö to capitals in place (the letters the keyboard has). */
static void to_upper(char *k)
{
    unsigned char *p = (unsigned char *)k;
    if (p[0] >= 'a' && p[0] <= 'z')
        p[0] = (unsigned char)(p[0] - 32);
    else if (p[0] == 0xC3 && (p[1] == 0xA5 || p[1] == 0xA4 || p[1] == 0xB6))
        p[1] = (unsigned char)(p[1] - 0x20);
}

/* Finnish/Swedish layout: å ä ö where a Nordic keyboard has them; Shift takes two key
 * widths at the left of the last row, so every row stays 11 keys wide. */
static const char *const rows_alpha[] = {
    "1 2 3 4 5 6 7 8 9 0",
    "q w e r t y u i o p \xc3\xa5",
    "a s d f g h j k l \xc3\xb6 \xc3\xa4",
    "z x c v b n m - .",
};
static const char *const rows_digits[] = { "1 2 3", "4 5 6", "7 8 9" };

int w_keyboard(app *a, ui *u, ui_rect r, char *buf, size_t cap, w_kb_mode mode)
{
    const ui_theme *t = ui_theme_get(u);
    int digits = mode == W_KB_DIGITS;
    int changed = 0;
    const char *const *rows = digits ? rows_digits : rows_alpha;
    int nrows = digits ? 3 : 4;
    int gap = ui_dp(u, 8);
    if (kb.buf != buf) {
        w_keyboard_reset();
        kb.buf = buf;
    }
    size_t cur = ui_edit_cursor(u, buf);
    if (kb.off && kb.off_at != cur)
        kb.off = 0;
    int upper = !digits && (kb.caps || kb.once ||
                            (auto_capital(buf, cur, mode) && !kb.off));
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
        /* A narrow keyboard (1024x600) narrows the gaps before a key drops under
         * 9 mm; the rows stay 11 keys wide whatever the text. */
        if (!digits && kw < app_min_target_px(a) && gap > ui_dp(u, 3)) {
            int g2 = (row.w - 11 * app_min_target_px(a)) / 10;
            gap = g2 > ui_dp(u, 3) ? g2 : ui_dp(u, 3);
            kw = (row.w - (11 - 1) * gap) / 11;
        }
        int shift = !digits && i == nrows - 1;
        int used = (nkeys + 2 * shift) * kw + (nkeys + shift - 1) * gap;
        ui_cut_left(&row, (row.w - used) / 2);
        if (shift) {
            /* An arrow drawn with rects (the fonts lack ⇧, and a word would not fit a
             * narrow panel's key); its name is the widget's text.  Filled while the
             * next letter is a capital; a bar under the arrow while capitals are
             * locked. */
            ui_rect sk = ui_cut_left(&row, 2 * kw + gap);
            int hit = ui_card(u, "key-shift", sk, NULL);
            ui_color fg = upper ? t->accent_text : t->button_text;
            if (ui_pressed(u, "key-shift"))
                ui_draw_box(u, sk, t->pressed, t->border, ui_dp(u, 2), ui_dp(u, 10));
            else
                ui_draw_box(u, sk, upper ? t->accent : t->button, upper ? t->accent : t->border,
                            ui_dp(u, 2), ui_dp(u, 10));
            int as = sk.h * 45 / 100 < sk.w / 2 ? sk.h * 45 / 100 : sk.w / 2;
            int steps = 6, head = as / 2, cx = sk.x + sk.w / 2;
            int y = sk.y + (sk.h - as) / 2 - (kb.caps ? ui_dp(u, 4) : 0);
            for (int k = 0; k < steps; k++) {  /* the head, a stepped triangle */
                int w = as * (k + 1) / steps, h = head / steps + 1;
                ui_draw_rect(u, (ui_rect){ cx - w / 2, y + k * head / steps, w, h }, fg, 0);
            }
            ui_draw_rect(u, (ui_rect){ cx - as / 6, y + head, as / 3, as - head }, fg, 0);
            if (kb.caps)
                ui_draw_rect(u, (ui_rect){ cx - as / 2, y + as + ui_dp(u, 4), as, ui_dp(u, 4) },
                             fg, ui_dp(u, 2));
            ui_sem_add(u, UI_SEM_BUTTON, sk, tr(a, "Shift"), upper);
            if (hit) {
                uint32_t now = ui_now(u);
                if (kb.caps) {
                    kb.caps = kb.once = 0;
                    kb.tapped = 0;
                } else if (kb.tapped && now - kb.tap_ms < SHIFT_DOUBLE_MS) {
                    kb.caps = 1;
                    kb.once = kb.off = 0;
                    kb.tapped = 0;
                } else {
                    if (upper && kb.once) {
                        kb.once = 0;
                    } else if (upper) {
                        kb.off = 1;
                        kb.off_at = cur;
                    } else {
                        kb.once = 1;
                    }
                    kb.tapped = 1;
                }
                kb.tap_ms = now;
                ui_request_frame(u);
            }
            ui_cut_left(&row, gap);
        }
        const char *p = rows[i];
        while (*p) {
            char key[8], label[8];
            size_t n = strcspn(p, " ");
            snprintf(key, sizeof key, "%.*s", (int)n, p);
            p += n + (p[n] == ' ');
            snprintf(label, sizeof label, "%s", key);
            if (upper)
                to_upper(label);
            char id[16];
            snprintf(id, sizeof id, "key-%s", key);  /* the same key in either case */
            if (ui_button(u, id, ui_cut_left(&row, kw), label, UI_STYLE_NORMAL) &&
                ui_edit_insert(u, buf, cap, label)) {
                changed = 1;
                kb.once = kb.off = kb.tapped = 0;
            }
            ui_cut_left(&row, gap);
        }
    }
    /* Bottom row: clear, space (letters only), backspace. */
    ui_rect row = ui_cut_top(&r, kh);
    /* Clear and Delete as wide as their words ("Tyhjennä"), never cut. */
    int side = row.w / 4, pad = ui_dp(u, 28);
    int need = ui_text_width(u, UI_FONT_BOLD, tr(a, "Clear"), -1) + pad;
    int need2 = ui_text_width(u, UI_FONT_BOLD, tr(a, "Delete"), -1) + pad;
    if (need2 > need)
        need = need2;
    if (need > side)
        side = need < (row.w - 2 * gap) / 3 ? need : (row.w - 2 * gap) / 3;
    if (ui_button(u, "key-clear", ui_cut_left(&row, side), tr(a, "Clear"), UI_STYLE_QUIET))
        changed |= ui_edit_clear(u, buf);
    ui_cut_left(&row, gap);
    ui_rect bs = ui_cut_right(&row, side);
    ui_cut_right(&row, gap);
    if (!digits && ui_button(u, "key-space", row, tr(a, "space"), UI_STYLE_NORMAL))
        changed |= ui_edit_insert(u, buf, cap, " ");
    if (digits && ui_button(u, "key-0", row, "0", UI_STYLE_NORMAL))
        changed |= ui_edit_insert(u, buf, cap, "0");
    if (ui_button(u, "key-backspace", bs, tr(a, "Delete"), UI_STYLE_QUIET))
        changed |= ui_edit_backspace(u, buf);
    /* A physical keyboard works too: its own Shift, no automatic capitals. */
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
        changed |= ui_edit_insert(u, buf, cap, ch);
    }
    if (ui_key_pressed(u, UI_KEY_BACKSPACE))
        changed |= ui_edit_backspace(u, buf);
    return changed;
}

/* The dots of a PIN being typed: one per digit, the digits themselves never show. */
static void pin_dots(ui *u, ui_rect field, const char *pin)
{
    const ui_theme *t = ui_theme_get(u);
    ui_draw_box(u, field, t->panel, t->accent, ui_dp(u, 3), ui_dp(u, 12));
    int n = (int)strlen(pin), d = ui_dp(u, 22), g = ui_dp(u, 14);
    int x = field.x + (field.w - n * d - (n - 1) * g) / 2;
    for (int i = 0; i < n; i++)
        ui_draw_rect(u, (ui_rect){ x + i * (d + g), field.y + (field.h - d) / 2, d, d }, t->text,
                     d / 2);
    ui_sem_add(u, UI_SEM_FIELD, field, "pin", 0);
}

int w_pin_pad(app *a, ui *u, ui_rect r, const char *ok_id, const char *heading,
              const char *explain, char *pin, size_t cap, const char *msg)
{
    const ui_theme *t = ui_theme_get(u);
    /* Wider with A+: "Tyhjennä" stays whole on its key. */
    int gap = ui_dp(u, 16), colw = (int)((float)ui_dp(u, 600) * app_text_scale(a));
    int touch = app_touch(u) > app_min_target_px(a) ? app_touch(u) : app_min_target_px(a);
    int pad_h = 4 * touch + 5 * ui_dp(u, 8) + 2 * ui_dp(u, 8);  /* 4 rows of keys */
    int pad_max = ui_dp(u, 420);
    if (pad_h < pad_max)
        pad_h = pad_max < r.h ? pad_max : pad_h;
    int msg_h = 2 * ui_line_height(u, UI_FONT_BOLD) + ui_dp(u, 16);
    int ex_h = explain ? ui_text_wrap(u, (ui_rect){ 0, 0, colw < r.w ? colw : r.w, 0 },
                                      UI_FONT_BODY, t->muted, explain, 3, 0) + ui_dp(u, 12)
                       : 0;
    int left_h = ui_dp(u, 64) + ex_h + app_touch(u) + ui_dp(u, 16) + msg_h + gap + touch;
    /* Short landscape screens (1024x600, A+): the keys go beside the field rather than
     * shrinking under a finger's width. */
    int side = r.h < left_h + pad_h && r.w >= 2 * ui_dp(u, 420) + gap;
    ui_rect col, keys;
    if (side) {
        int w = r.w < 2 * colw + gap ? (r.w - gap) / 2 : colw;
        col = (ui_rect){ r.x + (r.w - 2 * w - gap) / 2, r.y, w, r.h };
        keys = (ui_rect){ col.x + w + gap, r.y, w, pad_h < r.h ? pad_h : r.h };
    } else {
        int w = colw < r.w ? colw : r.w;
        col = (ui_rect){ r.x + (r.w - w) / 2, r.y, w, r.h };
    }
    w_heading(u, ui_cut_top(&col, w_heading_h(u)), heading);
    if (explain) {
        ui_text_wrap(u, col, UI_FONT_BODY, t->muted, explain, 3, 1);
        ui_cut_top(&col, ex_h);
    }
    pin_dots(u, ui_cut_top(&col, app_touch(u) + ui_dp(u, 16)), pin);
    /* The message line keeps its room whether shown or not: the keys never move. */
    ui_rect m = ui_cut_top(&col, msg_h);
    if (msg && msg[0])
        ui_text_wrap(u, ui_inset(m, ui_dp(u, 8)), UI_FONT_BOLD, t->warn, msg, 2, 1);
    ui_rect ok;
    if (side) {
        ui_cut_top(&col, gap);
        ok = ui_cut_top(&col, touch);
    } else {
        ok = ui_cut_bottom(&col, touch);
        ui_cut_bottom(&col, gap);
        keys = ui_cut_top(&col, col.h < pad_h ? col.h : pad_h);
    }
    w_keyboard(a, u, keys, pin, cap, W_KB_DIGITS);
    return ui_button(u, ok_id, ok, tr(a, "OK"), UI_STYLE_PRIMARY) ||
           ui_key_pressed(u, UI_KEY_ENTER);
}

int w_finish(app *a, ui *u, ui_rect r, const char *id)
{
    const ui_theme *t = ui_theme_get(u);
    uint32_t now = ui_now(u);
    if (!a->finish_since)
        a->finish_since = now ? now : 1;
    uint32_t el = now - a->finish_since, total = APP_FINISH_S * 1000u;
    int done = ui_button(u, id, ui_cut_top(&r, app_touch(u)), tr(a, "Done"), UI_STYLE_PRIMARY);
    if (!done && el >= total)
        done = 1;
    if (done) {
        a->finish_since = 0;
        ui_request_frame(u);
        return 1;
    }
    uint32_t left = total - el;
    char line[160];
    snprintf(line, sizeof line, tr(a, "Starting over in %u seconds."), (left + 999) / 1000);
    ui_cut_top(&r, ui_dp(u, 8));
    int lh = ui_line_height(u, UI_FONT_BODY);
    ui_label(u, ui_cut_top(&r, lh), UI_FONT_BODY, t->muted, UI_CENTER, line);
    ui_wake_in(u, left % 1000 ? left % 1000 : 1000);
    return 0;
}
