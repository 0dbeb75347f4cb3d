/* Calendar: upcoming events and grant deadlines by month (the seeds' vuosikello). */
#include "app.h"

#include <stdio.h>
#include <string.h>

static void load(app *a)
{
    char today[11];
    app_today(a, today);
    a->ncal = 0;
    a->cal_done = 1;
    sqlite3_stmt *s = NULL;
    /* An event still running today counts as upcoming. */
    const char *sql = "SELECT ext_id, kind, start_at, coalesce(end_at, '') FROM item "
                      "WHERE deleted = 0 AND start_at IS NOT NULL AND kind IN (?1, ?2) "
                      "AND coalesce(end_at, start_at) >= ?3 ORDER BY start_at LIMIT ?4";
    if (sqlite3_prepare_v2(store_db(a->st), sql, -1, &s, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_int(s, 1, CAT_EVENT);
    sqlite3_bind_int(s, 2, CAT_GRANT);
    sqlite3_bind_text(s, 3, today, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 4, APP_CAL_MAX);
    while (a->ncal < APP_CAL_MAX && sqlite3_step(s) == SQLITE_ROW) {
        cal_entry *e = &a->cal[a->ncal++];
        snprintf(e->id, sizeof e->id, "%s", (const char *)sqlite3_column_text(s, 0));
        e->kind = sqlite3_column_int(s, 1);
        snprintf(e->start, sizeof e->start, "%s", (const char *)sqlite3_column_text(s, 2));
        snprintf(e->end, sizeof e->end, "%s", (const char *)sqlite3_column_text(s, 3));
    }
    sqlite3_finalize(s);
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
    int off = ui_scroll_begin(u, "calendar", r, -1);
    int y = r.y + off, y0 = y;
    int ch = w_item_card_h(u), g = ui_dp(u, 12), dw = ui_dp(u, 210);
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
        if (y + ch >= r.y && y <= r.y + r.h) {
            ui_rect row = { r.x, y, r.w - ui_dp(u, 14), ch };
            ui_rect date = ui_cut_left(&row, dw);
            ui_cut_left(&row, g);
            char d[40], day[11];
            snprintf(day, sizeof day, "%.10s", e->start);  /* the time is on the card */
            app_format_date(a, day, d, sizeof d);
            ui_draw_rect(u, date, e->kind == CAT_GRANT ? t->warn : t->accent, ui_dp(u, 12));
            ui_rect di = ui_inset(date, ui_dp(u, 10));
            const char *tag = e->kind == CAT_GRANT ? tr(a, "Deadline") : tr(a, "Event");
            ui_label(u, ui_cut_top(&di, di.h / 2), UI_FONT_SMALL, t->accent_text, UI_CENTER,
                     tag);
            ui_label(u, di, UI_FONT_BOLD, t->accent_text, UI_CENTER, d);
            if (w_item_card(a, u, "cal", item, row))
                app_go(a, SCR_DETAIL, 0, e->id);
        }
        y += ch + g;
    }
    ui_scroll_end(u, y - y0 + g);
}
