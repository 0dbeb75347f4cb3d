/* Detail card: every field the item has, QR codes to take it home, related items. */
#include "app.h"

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

static void load(app *a, const char *id)
{
    cat_item_clear(&a->detail);
    qr_free(a->qr_link);
    qr_free(a->qr_contact);
    a->qr_link = a->qr_contact = NULL;
    a->nrel = 0;
    a->detail_ok = 0;
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
    const cat_value *ph = &a->detail.v[CAT_F_PHONE], *em = &a->detail.v[CAT_F_EMAIL];
    if (ph->present || em->present) {
        char card[QR_TEXT_MAX + 1];
        /* The contact person, with the association or office as the organisation; an
         * office without a person is the name itself. */
        const char *item = cat_text_pick(a->detail.v[CAT_F_NAME].text, &a->pref, NULL);
        const char *who = a->detail.v[CAT_F_CONTACT_NAME].present
                              ? a->detail.v[CAT_F_CONTACT_NAME].str
                              : item;
        const char *org = who != item ? item : NULL;
        if (qr_mecard(who, org, ph->present ? ph->str : NULL, em->present ? em->str : NULL,
                      card, sizeof card) == KC_OK)
            qr_encode(card, &a->qr_contact);
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

static void qr_box(app *a, ui *u, ui_rect r, const qr_code *q, const char *caption)
{
    const ui_theme *t = ui_theme_get(u);
    int cap_h = ui_line_height(u, UI_FONT_BOLD) * 2;
    int side = r.w < r.h - cap_h ? r.w : r.h - cap_h;
    ui_rect box = { r.x + (r.w - side) / 2, r.y, side, side };
    /* QR codes need a light quiet zone, also in the high-contrast theme. */
    ui_draw_rect(u, box, (ui_color){ 255, 255, 255, 255 }, 0);
    ui_draw_qr(u, ui_inset(box, side / 12), q);
    ui_sem_add(u, UI_SEM_QR, box, caption, 0);
    ui_label(u, (ui_rect){ r.x, r.y + side + ui_dp(u, 6), r.w, cap_h / 2 }, UI_FONT_BOLD,
             t->text, UI_CENTER, caption);
    (void)a;
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
    /* Landscape: the QR codes stand in a column on the right; portrait: at the bottom. */
    int nqr = (a->qr_link != NULL) + (a->qr_contact != NULL);
    ui_rect side = { 0, 0, 0, 0 };
    if (nqr) {
        if (ui_w(u) >= ui_h(u)) {
            side = ui_cut_right(&r, r.w * 3 / 10);
            ui_cut_right(&r, app_pad(u));
        } else {
            side = ui_cut_bottom(&r, ui_dp(u, 400));
            ui_cut_bottom(&r, app_pad(u));
        }
        ui_draw_rect(u, side, t->panel, ui_dp(u, 12));
        ui_rect s = ui_inset(side, ui_dp(u, 20));
        ui_label(u, ui_cut_top(&s, ui_dp(u, 50)), UI_FONT_BOLD, t->text, UI_CENTER,
                 tr(a, "Scan with your phone"));
        int portrait = ui_w(u) < ui_h(u);
        ui_rect q1 = s, q2 = s;
        if (nqr == 2) {
            if (portrait) {
                q1 = ui_cut_left(&q2, s.w / 2);
                ui_cut_left(&q2, ui_dp(u, 20));
            } else {
                q1 = ui_cut_top(&q2, s.h / 2);
                ui_cut_top(&q2, ui_dp(u, 20));
            }
        }
        if (a->qr_link)
            qr_box(a, u, q1, a->qr_link,
                   tr(a, a->detail.v[CAT_F_SIGNUP_URL].present ? N_("Sign up") : N_("Web page")));
        if (a->qr_contact)
            qr_box(a, u, nqr == 2 ? q2 : q1, a->qr_contact, tr(a, "Contact details"));
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
    ui_label(u, (ui_rect){ c.x, c.y, c.w, ui_line_height(u, UI_FONT_BODY) }, UI_FONT_BODY,
             t->muted, UI_LEFT, sub);
    c.y += station_detail_button(a, u, c, id);  /* beside the subtitle */
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
