/* Detail card: every field the item has, QR codes to take it home, related items. */
#include "app.h"
#include "screens.h"

#include <stdio.h>
#include <string.h>

#include "content.h"

/* An item that refers to the open card (store_item_referrers): one more related row. */
static kc_err referrer(void *ctx, const char *id, int kind)
{
    app *a = ctx;
    if (a->nrel == APP_RELATED_MAX)
        return KC_OK;
    related *r = &a->rel[a->nrel++];
    snprintf(r->id, sizeof r->id, "%s", id ? id : "");
    r->kind = kind;
    r->field = NULL;
    return KC_OK;
}

/* The street address of a place: the item's own, else (an event, a task) its venue's.
 * Copied to out in the resident's language; "" when neither has one. */
static void place_address(app *a, char *out, size_t cap)
{
    out[0] = '\0';
    const cat_value *ad = &a->detail.v[CAT_F_ADDRESS];
    const char *s = ad->present ? cat_text_pick(ad->text, &a->pref, NULL) : NULL;
    if (s) {
        snprintf(out, cap, "%s", s);
        return;
    }
    const cat_value *ve = &a->detail.v[CAT_F_VENUE];
    if (!ve->present)
        return;
    char *body = NULL, msg[KC_MSGMAX];
    cat_item venue = { 0 };
    if (store_item_body(a->st, ve->str, &body) || !body) {
        kc_free(body);
        return;
    }
    if (content_item_from_json(body, strlen(body), &venue, msg) == KC_OK &&
        venue.v[CAT_F_ADDRESS].present) {
        s = cat_text_pick(venue.v[CAT_F_ADDRESS].text, &a->pref, NULL);
        snprintf(out, cap, "%s", s ? s : "");
    }
    kc_free(body);
    cat_item_clear(&venue);
}

static void load(app *a, const char *id)
{
    app_detail_clear(a);
    snprintf(a->detail_for, sizeof a->detail_for, "%s", id);
    char *body = NULL;
    char msg[KC_MSGMAX];
    if (store_item_body(a->st, id, &body) || !body) {
        kc_free(body);
        return;  /* deleted by a sync since the list was drawn: the screen says so */
    }
    kc_err rc = content_item_from_json(body, strlen(body), &a->detail, msg);
    kc_free(body);
    if (rc) {
        fprintf(stderr, "kiosk: stored item %s unreadable: %s\n", id, msg);
        return;
    }
    a->detail_ok = 1;
    const cat_value *link = &a->detail.v[CAT_F_SIGNUP_URL];
    if (!link->present)
        link = &a->detail.v[CAT_F_WEB];
    if (link->present)
        qr_encode(link->str, &a->qr_link);
    /* MECARD: phones add it to contacts in one step. */
    char card[QR_TEXT_MAX + 1];
    if (qr_item_mecard(&a->detail, &a->pref, card, sizeof card) == KC_OK)
        qr_encode(card, &a->qr_contact);
    /* Directions to a venue, or to where an event or task takes place. */
    if (a->detail.kind == CAT_VENUE || a->detail.kind == CAT_EVENT ||
        a->detail.kind == CAT_OPPORTUNITY) {
        char addr[1024], url[QR_TEXT_MAX + 1];
        place_address(a, addr, sizeof addr);
        if (addr[0] && qr_directions_url(addr, url, sizeof url) == KC_OK)
            qr_encode(url, &a->qr_dir);
    }
    /* This item's own references, then the items that refer to it. */
    for (int f = 0; f < CAT_NFIELD; f++) {
        if (cat_fields[f].type != CAT_T_REF || !a->detail.v[f].present ||
            a->nrel == APP_RELATED_MAX)
            continue;
        related *r = &a->rel[a->nrel++];
        snprintf(r->id, sizeof r->id, "%s", a->detail.v[f].str);
        r->kind = cat_fields[f].ref_kind;
        r->field = cat_fields[f].key;
    }
    if (store_item_referrers(a->st, id, APP_RELATED_MAX, referrer, a))
        fprintf(stderr, "kiosk: related items: %s\n", store_errmsg(a->st));
}

/* Label above, value below; returns the height used. */
static int field(app *a, ui *u, ui_rect r, const char *label, const char *value, int fb,
                 int draw)
{
    const ui_theme *t = ui_theme_get(u);
    int h = ui_line_height(u, UI_FONT_SMALL);
    if (draw)
        ui_label(u, (ui_rect){ r.x, r.y, r.w, h }, UI_FONT_SMALL, t->muted, UI_LEFT, label);
    ui_rect v = { r.x, r.y + h, r.w, r.h };
    h += ui_text_wrap(u, v, UI_FONT_BODY, t->text, value, 0, draw);
    if (fb) {
        int sh = ui_line_height(u, UI_FONT_SMALL);
        if (draw)
            ui_label(u, (ui_rect){ r.x, r.y + h, r.w, sh }, UI_FONT_SMALL, t->muted, UI_LEFT,
                     app_in_lang(a, (cat_lang)(fb - 1)));
        h += sh;
    }
    return h + ui_dp(u, 18);
}

static void value_text(app *a, cat_fid f, const cat_value *v, char *out, size_t cap, int *fb)
{
    const cat_field *fd = &cat_fields[f];
    *fb = 0;
    out[0] = '\0';
    switch (fd->type) {
    case CAT_T_TEXT: {
        const char *s = app_text(a, v, fb);
        snprintf(out, cap, "%s", s ? s : "");
        break;
    }
    case CAT_T_ENUMS: {
        size_t n = 0;
        for (int i = 0; fd->enum_vals[i]; i++)
            if (v->bits & (1u << i))
                n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%s", n ? ", " : "",
                                      app_enum_label(a, f, i));
        break;
    }
    case CAT_T_ENUM:
        snprintf(out, cap, "%s", app_enum_label(a, f, cat_enum_index(fd->enum_vals, v->str)));
        break;
    case CAT_T_INT:
        if (f == CAT_F_CAPACITY)
            snprintf(out, cap, trn(a, "%lld person", "%lld people", (unsigned long)v->num),
                     v->num);
        else
            snprintf(out, cap, "%lld", v->num);
        break;
    case CAT_T_DATE:
    case CAT_T_DATETIME:
        app_format_date(a, v->str, out, cap);
        if (f == CAT_F_DEADLINE) {  /* "31.1.2027 · Haku päättynyt" once it has passed */
            facts_words w;
            facts_ctx c;
            char today[11], state[120];
            app_facts_ctx(a, &w, &c, today);
            facts_deadline(&c, v->str, state, sizeof state);
            size_t n = strlen(out);
            if (strcmp(v->str, today) <= 0 && state[0] && n < cap)
                snprintf(out + n, cap - n, " \xc2\xb7 %s", state);
        }
        break;
    case CAT_T_AREA:
        snprintf(out, cap, "%s", app_area_name(a, v->str));
        break;
    case CAT_T_STR:
    case CAT_T_URL:
    case CAT_T_EMAIL:
    case CAT_T_PHONE:
    case CAT_T_REF:
        snprintf(out, cap, "%s", v->str);
        break;
    }
}

/* How the codes share their panel: columns, the caption under each code or beside it
 * (a short, wide panel), the caption's font, and the code's side in pixels. */
typedef struct qr_plan { int cols, beside, side; ui_font font; } qr_plan;

static int widest(ui *u, ui_font f, const char *const *cap, int n)
{
    int w = 0;
    for (int i = 0; i < n; i++) {
        int x = ui_text_width(u, f, cap[i], -1);
        if (x > w)
            w = x;
    }
    return w;
}

/* The plan with the largest codes whose captions fit on one line, bold if they can;
 * side 0 when nothing fits. */
static qr_plan plan_codes(ui *u, ui_rect r, const char *const *cap, int n)
{
    qr_plan best = { 1, 0, 0, UI_FONT_SMALL };
    int g = ui_dp(u, 20);
    for (int c = 1; c <= n; c++) {
        int rows = (n + c - 1) / c;
        int cw = (r.w - (c - 1) * g) / c, chh = (r.h - (rows - 1) * g) / rows;
        for (int beside = 0; beside < 2; beside++) {
            for (int fi = 0; fi < 2; fi++) {
                ui_font f = fi ? UI_FONT_SMALL : UI_FONT_BOLD;
                int capw = widest(u, f, cap, n), side;
                if (beside) {
                    side = cw - capw - g < chh ? cw - capw - g : chh;
                } else {
                    if (capw > cw)
                        continue;
                    int h = chh - ui_line_height(u, f) - ui_dp(u, 6);
                    side = cw < h ? cw : h;
                }
                /* bold unless the smaller font gives a clearly larger code */
                if (side > best.side * (fi ? 5 : 4) / 4 || (side > best.side && !fi))
                    best = (qr_plan){ c, beside, side, f };
            }
        }
    }
    return best;
}

/* One code with its caption under it (or to its right), in cell r. */
static void qr_box(ui *u, ui_rect r, const qr_plan *p, const qr_code *q, const char *caption)
{
    const ui_theme *t = ui_theme_get(u);
    int side = p->side;
    ui_rect box = p->beside ? (ui_rect){ r.x, r.y + (r.h - side) / 2, side, side }
                            : (ui_rect){ r.x + (r.w - side) / 2, r.y, side, side };
    /* QR codes need a light quiet zone, also in the high-contrast theme. */
    ui_draw_rect(u, box, (ui_color){ 255, 255, 255, 255 }, 0);
    ui_draw_qr(u, ui_inset(box, side / 12), q);
    ui_sem_add(u, UI_SEM_QR, box, caption, 0);
    int lh = ui_line_height(u, p->font), g = ui_dp(u, 20);
    if (p->beside)
        ui_label(u, (ui_rect){ box.x + side + g, r.y + (r.h - lh) / 2, r.w - side - g, lh },
                 p->font, t->text, UI_LEFT, caption);
    else
        ui_label(u, (ui_rect){ r.x, r.y + side + ui_dp(u, 6), r.w, lh }, p->font, t->text,
                 UI_CENTER, caption);
}

/* The codes over r, laid out by plan_codes. */
static void qr_grid(app *a, ui *u, ui_rect r)
{
    const qr_code *q[3];
    const char *cap[3];
    int n = 0;
    if (a->qr_link) {
        q[n] = a->qr_link;
        cap[n++] = tr(a, a->detail.v[CAT_F_SIGNUP_URL].present ? N_("Sign up") : N_("Web page"));
    }
    if (a->qr_contact) {
        q[n] = a->qr_contact;
        cap[n++] = tr(a, "Contact details");
    }
    if (a->qr_dir) {
        q[n] = a->qr_dir;
        cap[n++] = tr(a, "Directions");
    }
    qr_plan p = plan_codes(u, r, cap, n);
    if (p.side <= 0)
        return;  /* no room for a code a camera could read: the text still says it all */
    int g = ui_dp(u, 20);
    int rows = (n + p.cols - 1) / p.cols;
    int cw = (r.w - (p.cols - 1) * g) / p.cols;
    int ch = p.beside ? p.side : p.side + ui_dp(u, 6) + ui_line_height(u, p.font);
    int y0 = r.y + (r.h - (rows * ch + (rows - 1) * g)) / 2;
    for (int i = 0; i < n; i++)
        qr_box(u, (ui_rect){ r.x + (i % p.cols) * (cw + g), y0 + (i / p.cols) * (ch + g), cw, ch },
               &p, q[i], cap[i]);
}

/* Widest readable text column: about 70 characters of body text (60-80 is what
 * reading research and typographers recommend), measured with the font in use. */
static int readable_w(ui *u)
{
    static const char sample[] = "Yhdistys kokoontuu torstaisin kirjaston salissa, "
                                 "v\xc3\xa4lkommen, everyone welcome";
    int chars = 0;
    for (const char *p = sample; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    return ui_text_width(u, UI_FONT_BODY, sample, -1) * 70 / chars;
}

void scr_detail(app *a, ui *u, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    const char *id = app_cur(a)->item;
    if (strcmp(a->detail_for, id) != 0) {
        load(a, id);
        ui_scroll_reset(u, "detail");
    }
    if (!a->detail_ok) {
        ui_text_wrap(u, r, UI_FONT_BODY, t->text,
                     tr(a, "This information is no longer available. Go back to the list."), 0,
                     1);
        return;
    }
    /* Landscape: the QR codes stand in a column on the right; portrait: at the bottom.
     * The text column never gets wider than a readable line; what is left over on a
     * large screen becomes margins, the text and the codes staying together. */
    int nqr = (a->qr_link != NULL) + (a->qr_contact != NULL) + (a->qr_dir != NULL);
    int portrait = ui_w(u) < ui_h(u);
    int maxw = readable_w(u) + ui_dp(u, 16);  /* the scroll bar's strip */
    ui_rect side = { 0, 0, 0, 0 };
    if (nqr) {
        if (!portrait) {
            /* Two or three codes on a short panel: a wider column keeps each one
             * large enough for a phone's camera. */
            int sw = r.w * (nqr >= 2 && ui_h(u) < 800 ? 4 : 3) / 10;
            int extra = r.w - sw - app_pad(u) - maxw;
            if (extra > 0) {
                r.x += extra / 2;
                r.w -= extra;
            }
            side = ui_cut_right(&r, sw);
            ui_cut_right(&r, app_pad(u));
        } else {
            side = ui_cut_bottom(&r, ui_dp(u, 400));
            ui_cut_bottom(&r, app_pad(u));
        }
        ui_draw_rect(u, side, t->panel, ui_dp(u, 12));
        ui_rect s = ui_inset(side, ui_dp(u, 20));
        /* The heading takes the room its text needs (A+), wrapping in a narrow panel. */
        const char *scan = tr(a, "Scan with your phone");
        int lh = ui_line_height(u, UI_FONT_BOLD);
        if (ui_text_width(u, UI_FONT_BOLD, scan, -1) <= s.w)
            ui_label(u, ui_cut_top(&s, lh > ui_dp(u, 50) ? lh : ui_dp(u, 50)), UI_FONT_BOLD,
                     t->text, UI_CENTER, scan);
        else
            ui_text_wrap(u, ui_cut_top(&s, ui_text_wrap(u, s, UI_FONT_BOLD, t->text, scan, 2, 0)),
                         UI_FONT_BOLD, t->text, scan, 2, 1);
        ui_cut_top(&s, ui_dp(u, 10));
        qr_grid(a, u, s);
    }
    if (r.w > maxw) {  /* no codes, or portrait: the column alone, centred */
        r.x += (r.w - maxw) / 2;
        r.w = maxw;
    }

    int off = ui_scroll_begin(u, "detail", r, -1);
    ui_rect c = { r.x, r.y + off, r.w - ui_dp(u, 16), 1 << 20 };
    int y0 = c.y;
    int fb;
    const char *name = app_text(a, &a->detail.v[CAT_F_NAME], &fb);
    c.y += ui_text_wrap(u, c, UI_FONT_HUGE, t->text, name ? name : a->detail.id, 0, 1);
    char sub[200];
    snprintf(sub, sizeof sub, "%s%s%s", app_kind_label(a, a->detail.kind, 0), fb ? "  " : "",
             fb ? app_in_lang(a, (cat_lang)(fb - 1)) : "");
    /* As wide as its words, so the feedback button to its right is not under it. */
    int sw = ui_text_width(u, UI_FONT_BODY, sub, -1);
    ui_label(u, (ui_rect){ c.x, c.y, sw < c.w ? sw : c.w, ui_line_height(u, UI_FONT_BODY) },
             UI_FONT_BODY, t->muted, UI_LEFT, sub);
    for (int i = 0; i < SCR_NSCREENS; i++)  /* beside the subtitle: feedback */
        if (a->screens[i].detail_button)
            c.y += a->screens[i].detail_button(a, u, c, id);
    c.y += ui_line_height(u, UI_FONT_BODY) + ui_dp(u, 24);

    char val[4200];
    for (int f = 0; f < CAT_NFIELD; f++) {
        const cat_value *v = &a->detail.v[f];
        if (f == CAT_F_NAME || !v->present || cat_fields[f].type == CAT_T_REF)
            continue;
        value_text(a, (cat_fid)f, v, val, sizeof val, &fb);
        if (!val[0])
            continue;
        int draw = c.y < r.y + r.h && c.y > r.y - ui_dp(u, 2000);
        c.y += field(a, u, c, app_field_label(a, (cat_fid)f), val, fb, draw);
    }
    if (a->nrel) {
        c.y += ui_dp(u, 10);
        w_heading(u, (ui_rect){ c.x, c.y, c.w, ui_dp(u, 56) }, tr(a, "Related"));
        c.y += ui_dp(u, 64);
        int ch = w_item_card_h(u), g = ui_dp(u, 12);
        for (size_t i = 0; i < a->nrel; i++) {
            int item = search_find(a->idx, a->rel[i].id);
            if (item < 0)
                continue;
            if (w_item_card(a, u, "rel", item, (ui_rect){ c.x, c.y, c.w, ch })) {
                char target[CAT_ID_MAX + 1];
                snprintf(target, sizeof target, "%s", a->rel[i].id);
                app_go(a, SCR_DETAIL, 0, target);
            }
            c.y += ch + g;
        }
    }
    ui_scroll_end(u, c.y - y0 + ui_dp(u, 20));
}
