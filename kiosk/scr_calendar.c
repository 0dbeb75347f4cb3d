/* Calendar: upcoming events and grant deadlines by month (the seeds' vuosikello).
 * Each row says the key facts without opening the card: the day ("Tänään", "ti
 * 1.12."), the time ("klo 18"), the place (venue, else area) and, when an event is
 * cancelled or postponed, that too, in words and in the warning colour. */
#include "app.h"
#include "screens.h"
#include "when.h"

#include <stdio.h>
#include <string.h>

static kc_err add_entry(void *ctx, const store_dated *d)
{
    app *a = ctx;
    if (a->ncal >= APP_CAL_MAX)
        return KC_OK;
    cal_entry *e = &a->cal[a->ncal++];
    snprintf(e->id, sizeof e->id, "%s", d->id);
    e->kind = d->kind;
    snprintf(e->start, sizeof e->start, "%s", d->start);
    snprintf(e->end, sizeof e->end, "%s", d->end);
    snprintf(e->venue, sizeof e->venue, "%s", d->venue);
    e->status = d->status[0] ? cat_enum_index(cat_fields[CAT_F_STATUS].enum_vals, d->status) : -1;
    return KC_OK;
}

static void load(app *a)
{
    char today[11];
    app_today(a, today);
    a->ncal = 0;
    a->cal_done = 1;
    /* A failed read leaves the rows read so far: the calendar shows what it has. */
    if (store_upcoming(a->st, CAT_EVENT, CAT_GRANT, today, APP_CAL_MAX, add_entry, a))
        fprintf(stderr, "kiosk: calendar: %s\n", store_errmsg(a->st));
}

/* Where: the venue's name in the visitor's language, else the area's. */
static const char *place(app *a, const cal_entry *e, int item)
{
    if (e->venue[0]) {
        int v = search_find(a->idx, e->venue);
        cat_lang used;
        const char *n = v >= 0 ? search_item_name(a->idx, v, &a->pref, &used) : NULL;
        if (n && *n)
            return n;
    }
    return app_area_name(a, search_item_area(a->idx, item));
}

static int row_h(ui *u)
{
    int h = 2 * ui_dp(u, 14) + ui_line_height(u, UI_FONT_BOLD) + ui_dp(u, 6) +
            ui_line_height(u, UI_FONT_BODY);
    return h > ui_dp(u, 120) ? h : ui_dp(u, 120);
}

/* One row: the day block on the left, then a card with the name and "time · place"
 * (or the status first when the event is not as planned).  Returns 1 when tapped. */
static int row(app *a, ui *u, const cal_entry *e, int item, ui_rect r, const char *today)
{
    const ui_theme *t = ui_theme_get(u);
    int g = ui_dp(u, 12);
    int dw = ui_dp(u, 210);
    ui_rect date = ui_cut_left(&r, dw);
    ui_cut_left(&r, g);
    char day[48], tm[24], sub[400], sem[600];
    when_day(e->start, today, a->lang, day, sizeof day);
    when_time(e->start, a->lang, tm, sizeof tm);
    int cancelled = e->status == 0;  /* "cancelled" is the field's first value */
    ui_draw_rect(u, date, e->kind == CAT_GRANT ? t->warn : t->accent,
                 ui_dp(u, 12));
    ui_rect di = ui_inset(date, ui_dp(u, 10));
    const char *tag = e->kind == CAT_GRANT ? tr(a, "Deadline") : tr(a, "Event");
    ui_label(u, ui_cut_top(&di, di.h / 2), UI_FONT_SMALL, t->accent_text, UI_CENTER, tag);
    ui_label(u, di, UI_FONT_BOLD, t->accent_text, UI_CENTER, day);

    cat_lang used;
    const char *name = search_item_name(a->idx, item, &a->pref, &used);
    const char *where = place(a, e, item);
    const char *status = e->status >= 0 ? app_enum_label(a, CAT_F_STATUS, e->status) : "";
    snprintf(sub, sizeof sub, "%s%s%s%s%s", tm, tm[0] && where ? "  \xc2\xb7  " : "",
             where ? where : "", used != a->lang ? "  " : "",
             used != a->lang ? app_in_lang(a, used) : "");
    /* What a screen reader (and the UI tests) read: the whole row in one sentence. */
    snprintf(sem, sizeof sem, "%s, %s%s%s%s%s", name, day, tm[0] ? " " : "", tm,
             status[0] ? ", " : "", status);
    char id[96];
    snprintf(id, sizeof id, "cal:%s", e->id);
    int tapped = ui_card(u, id, r, sem);
    ui_rect in = ui_inset(r, ui_dp(u, 14));
    int lh = ui_line_height(u, UI_FONT_BOLD), sh = ui_line_height(u, UI_FONT_BODY);
    ui_rect top = { in.x, in.y, in.w, lh };
    if (status[0]) {
        /* The status leads the name, as a badge, so a cancelled event is never read
         * as on. */
        int bw = ui_text_width(u, UI_FONT_BOLD, status, -1) + ui_dp(u, 20);
        if (bw > top.w / 2)
            bw = top.w / 2;
        ui_rect b = ui_cut_left(&top, bw);
        ui_draw_rect(u, b, t->warn, ui_dp(u, 8));
        ui_label(u, b, UI_FONT_BOLD, t->accent_text, UI_CENTER, status);
        ui_cut_left(&top, ui_dp(u, 10));
    }
    ui_label(u, top, UI_FONT_BOLD, cancelled ? t->muted : t->text, UI_LEFT, name);
    ui_label(u, (ui_rect){ in.x, in.y + in.h - sh, in.w, sh }, UI_FONT_BODY,
             cancelled ? t->muted : t->text, UI_LEFT, sub);
    return tapped;
}

void scr_calendar(app *a, ui *u, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    if (!a->cal_done) {
        load(a);
        ui_scroll_reset(u, "calendar");
    }
    w_heading(u, ui_cut_top(&r, w_heading_h(u)), tr(a, "Events and deadlines"));
    if (a->ncal == 0) {
        ui_text_wrap(u, r, UI_FONT_BODY, t->text,
                     tr(a, "No upcoming events or deadlines right now. Ask the staff, or "
                           "look again later."),
                     0, 1);
        return;
    }
    char today[11];
    app_today(a, today);
    int off = ui_scroll_begin(u, "calendar", r, -1);
    int y = r.y + off, y0 = y;
    int ch = row_h(u), g = ui_dp(u, 12);
    char month[8] = "";
    for (size_t i = 0; i < a->ncal; i++) {
        const cal_entry *e = &a->cal[i];
        if (strncmp(month, e->start, 7) != 0) {
            snprintf(month, sizeof month, "%.7s", e->start);
            int yr = 0, mo = 0;
            sscanf(month, "%4d-%2d", &yr, &mo);
            char head[80];
            snprintf(head, sizeof head, "%s %d", app_month_name(a, mo), yr);
            y += ui_dp(u, 8);
            int hh = w_heading_h(u);
            w_heading(u, (ui_rect){ r.x, y, r.w, hh }, head);
            y += hh + ui_dp(u, 8);
        }
        int item = search_find(a->idx, e->id);
        if (item < 0)
            continue;
        if (y + ch >= r.y && y <= r.y + r.h &&
            row(a, u, e, item, (ui_rect){ r.x, y, r.w - ui_dp(u, 14), ch }, today))
            app_go(a, SCR_DETAIL, 0, e->id);
        y += ch + g;
    }
    ui_scroll_end(u, y - y0 + g);
}
