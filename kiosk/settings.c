/*
 * settings.c - the server's settings for this kiosk (place name, opening hours, idle
 * time, default language, which surveys and ballots it shows; core/ksettings.h),
 * applied over kiosk.conf without a restart, and the closed screen outside opening
 * hours (drawn by frame.c).
 *
 * Which wins: a value the server sets wins; a value it leaves unset falls back to
 * kiosk.conf (or the built-in default).  Outside opening hours the kiosk draws black
 * once and stops drawing: an unchanged picture is never presented again, the loop
 * sleeps until the next opening (or a check for new settings), and main.c lets the
 * display's own power saving take the panel off.  A touch does not wake it.
 */
#include "app.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

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
