/*
 * settings.c - the server's settings for this kiosk (place name, opening hours, idle
 * time, default language, which surveys and ballots it shows; core/ksettings.h),
 * applied over kiosk.conf without a restart, and the closed screen outside opening
 * hours.
 *
 * Which wins: a value the server sets wins; a value it leaves unset falls back to
 * kiosk.conf (or the built-in default).  Outside opening hours the kiosk draws black
 * once and stops drawing: an unchanged picture is never presented again, the loop
 * sleeps until the next opening (or a check for new settings), and main.c lets the
 * display's own power saving take the panel off.  A touch does not wake it.
 */
#include "app.h"
#include "when.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* While closed, the loop wakes this often at most to see whether a sync brought
 * other hours. */
#define CLOSED_RECHECK_MS 10000
/* A touch on the black screen shows when the kiosk opens, this long. */
#define CLOSED_NOTE_MS 5000

kc_err app_settings_apply(app *a, char *msg)
{
    ksettings ks;
    kc_err rc = syncc_settings_load(a->st, &ks, msg);
    if (rc)
        return rc;  /* the settings in force stay */
    ksettings_free(&a->kset);
    a->kset = ks;
    a->cfg.idle_s = ks.idle_s ? ks.idle_s : a->conf_idle_s;
    cat_lang was = a->cfg.default_lang;
    a->cfg.default_lang = ks.lang >= 0 ? (cat_lang)ks.lang : a->conf_lang;
    /* Someone at the screen keeps their language; an untouched Home follows. */
    if (a->depth <= 1 && a->lang == was) {
        a->lang = a->cfg.default_lang;
        a->pref = cat_langs_with(a->lang, &a->cfg.fallback);
    }
    a->has_hours = 0;
    if (ks.has_hours) {
        a->hours = ks.hours;
        a->has_hours = 1;
    } else if (a->cfg.hours && khours_parse(a->cfg.hours, &a->hours, msg) == KC_OK) {
        a->has_hours = 1;
    }
    return KC_OK;
}

void app_settings_free(app *a)
{
    ksettings_free(&a->kset);
}

const char *app_place(const app *a)
{
    if (a->kset.place[0])
        return a->kset.place;
    return a->cfg.place && a->cfg.place[0] ? a->cfg.place : NULL;  /* kiosk.conf `place` */
}

int app_shows(const app *a, int ballot, const char *id)
{
    return ksettings_shows(&a->kset, ballot, id);
}

int app_closed_frame(app *a, ui *u)
{
    if (!a->has_hours) {
        a->closed = 0;
        return 0;
    }
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    int closed = !khours_open_at(&a->hours, &tm);
    if (closed && !a->closed)
        a->closed_input = ui_last_input_ms(u);
    a->closed = closed;
    long next_s = khours_next_change(&a->hours, &tm);
    long next_ms = next_s * 1000L;
    if (closed) {
        ui_rect all = { 0, 0, ui_w(u), ui_h(u) };
        ui_color black = { 0, 0, 0, 255 };
        ui_draw_rect(u, all, black, 0);
        uint32_t wake = (uint32_t)(a->sync && next_ms > CLOSED_RECHECK_MS ? CLOSED_RECHECK_MS
                                                                         : next_ms);
        /* A resident who touches the black screen learns when it opens, for a few
         * seconds; then black again.  Nothing else runs. */
        uint32_t touched = ui_last_input_ms(u), el = ui_now(u) - touched;
        if (touched != a->closed_input && el < CLOSED_NOTE_MS) {
            time_t at = now + next_s;
            struct tm o, today;
            localtime_r(&at, &o);
            localtime_r(&now, &today);
            char iso[64], day[48], when[64], line[160];
            snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d", o.tm_year + 1900,
                     o.tm_mon + 1, o.tm_mday, o.tm_hour, o.tm_min);
            snprintf(day, sizeof day, "%04d-%02d-%02d", today.tm_year + 1900, today.tm_mon + 1,
                     today.tm_mday);
            if (o.tm_yday == today.tm_yday && o.tm_year == today.tm_year) {
                when_time(iso, a->lang, when, sizeof when);
                snprintf(line, sizeof line, tr(a, "Opens %s"), when);
            } else {
                when_format(iso, day, a->lang, when, sizeof when);
                snprintf(line, sizeof line, tr(a, "Opens: %s"), when);
            }
            ui_color grey = { 200, 200, 200, 255 };
            int lh = ui_line_height(u, UI_FONT_HUGE);
            ui_rect lr = { ui_dp(u, 24), (ui_h(u) - lh) / 2, ui_w(u) - 2 * ui_dp(u, 24), lh };
            if (ui_text_width(u, UI_FONT_HUGE, line, -1) <= lr.w)
                ui_label(u, lr, UI_FONT_HUGE, grey, UI_CENTER, line);
            else
                ui_text_wrap(u, (ui_rect){ lr.x, lr.y - lh, lr.w, 3 * lh }, UI_FONT_HUGE, grey,
                             line, 3, 1);
            if (CLOSED_NOTE_MS - el < wake)
                wake = CLOSED_NOTE_MS - el;
        }
        ui_wake_in(u, wake ? wake : 1);
        return 1;
    }
    if (next_ms < 24L * 3600 * 1000)
        ui_wake_in(u, (uint32_t)next_ms);
    return 0;
}
