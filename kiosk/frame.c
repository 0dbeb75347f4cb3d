/*
 * frame.c - the top of the kiosk application: the session's life (poll the worker
 * threads, reset, free) and one frame with its chrome (top bar, sync line, idle
 * overlay) dispatching to the screens.  The screens and app.c's helpers sit below
 * this file; nothing below calls up into it.
 */
#include "app.h"
#include "job.h"
#include "when.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The screen table's rows (none before app_init took it). */
static size_t nscreens(const app *a)
{
    return a->screens ? SCR_NSCREENS : 0;
}

/* A sync brought documents, or the server's settings changed what this kiosk shows:
 * the families re-read their lists. */
static void relist(app *a)
{
    for (size_t i = 0; i < nscreens(a); i++)
        if (a->screens[i].relist)
            a->screens[i].relist(a);
}

/* The sync thread changed the catalog: areas are re-read here (a few hundred rows)
 * and the search index is rebuilt on the job runner. */
static void catalog_changed(app *a)
{
    if (app_load_areas(a))
        fprintf(stderr, "kiosk: reading areas: %s\n", store_errmsg(a->st));
    a->cal_done = 0;
    if (strcmp(a->detail_for, "") != 0)
        a->detail_for[0] = '\0';  /* reload the open card from the new catalog */
    if (app_rebuild_index(a))
        fprintf(stderr, "kiosk: cannot start the index builder\n");
}

void app_wait_index(app *a)
{
    jobs_wait_idle(a->jobs);  /* runs the build's completion: the index is in */
    app_poll(a);
}

void app_poll(app *a)
{
    if (a->sync) {
        syncc_status_get(a->sync, &a->sst);
        if (a->sst.catalog_changes != a->sync_changes_seen) {
            a->sync_changes_seen = a->sst.catalog_changes;
            catalog_changed(a);
        }
        if (a->sst.docs_changes != a->docs_changes_seen) {
            /* New surveys or ballots: Home shows them without waiting for its timer. */
            a->docs_changes_seen = a->sst.docs_changes;
            relist(a);
        }
        if (a->sst.settings_changes != a->settings_changes_seen) {
            char msg[KC_MSGMAX];
            a->settings_changes_seen = a->sst.settings_changes;
            if (app_settings_apply(a, msg))
                fprintf(stderr, "kiosk: the server's settings: %s\n", msg);
            else
                relist(a);
        }
    }
    jobs_poll(a->jobs);  /* a finished index build hands its index over here */
}

void app_free(app *a)
{
    /* Waits for a response or a cast being saved first: a feedback's release asks the
     * sync thread for a sync when it commits, so that thread must still be there. */
    for (size_t i = 0; i < nscreens(a); i++)
        if (a->screens[i].free)
            a->screens[i].free(a);
    syncc_free(a->sync);  /* stops the thread first */
    app_pin_job_wait(a);
    a->closing = 1;
    jobs_free(a->jobs);  /* lets a build under way finish and hands its index over */
    app_settings_free(a);
    app_detail_clear(a);
    app_free_areas(a);
    free(a->browse_items);
    app_rowfacts_free(a);
    search_free(a->idx);
    i18n_free(a->tr);
    store_close(a->st);
    memset(a, 0, sizeof *a);
}

void app_reset(app *a, ui *u)
{
    app_home(a);
    a->query[0] = '\0';
    a->nhits = 0;
    a->query_done = 0;
    a->search_kb_hidden = 0;
    a->browse_themes = 0;
    a->browse_area[0] = '\0';
    a->browse_done = 0;
    a->browse_show_themes = 0;
    app_pin_job_wait(a);
    memset(a->pin, 0, sizeof a->pin);
    a->pin_msg[0] = '\0';
    a->admin_open = 0;
    a->exit_confirm = 0;
    a->finish_since = 0;
    a->lang = a->cfg.default_lang;
    a->pref = cat_langs_with(a->lang, &a->cfg.fallback);
    a->large_text = 0;
    a->high_contrast = 0;
    a->warning = 0;
    a->attract = 1;  /* the next person starts at the attract screen */
    app_detail_clear(a);
    /* Each family: an unconfirmed ballot cancelled, feedback and survey answers wiped. */
    for (size_t i = 0; i < nscreens(a); i++)
        if (a->screens[i].reset)
            a->screens[i].reset(a);
    w_keyboard_reset();
    for (size_t i = 0; i < nscreens(a); i++)
        if (a->screens[i].scroll)
            ui_scroll_reset(u, a->screens[i].scroll);
}

static void set_lang(app *a, cat_lang l)
{
    a->lang = l;
    a->pref = cat_langs_with(l, &a->cfg.fallback);
}

static const char *const lang_names[CAT_NLANG] = { "suomi", "svenska", "English" };

/* Width of the right-hand group: languages, A+, Contrast.  Each button as wide as its
 * label needs (never narrower than a finger), so nothing is cut with an ellipsis. */
static int bar_right_width(app *a, ui *u, int *lw, int *aw, int *cw, int gap)
{
    int total = 0;
    for (int l = 0; l < CAT_NLANG; l++) {
        lw[l] = ui_text_width(u, UI_FONT_BOLD, lang_names[l], -1) + ui_dp(u, 36);
        if (lw[l] < ui_dp(u, 110))
            lw[l] = ui_dp(u, 110);
        total += lw[l] + gap;
    }
    *aw = ui_dp(u, 90);
    *cw = ui_text_width(u, UI_FONT_BOLD, tr(a, "Contrast"), -1) + ui_dp(u, 36);
    return total + *aw + gap + *cw;
}

static int bar_left_width(app *a, ui *u, int *w1, int *w2, int gap)
{
    int bw = ui_dp(u, 150), pad = ui_dp(u, 40);
    *w1 = ui_text_width(u, UI_FONT_BOLD, tr(a, "Back"), -1) + pad;
    *w2 = ui_text_width(u, UI_FONT_BOLD, tr(a, "Home"), -1) + pad;
    if (*w1 < bw)
        *w1 = bw;
    if (*w2 < bw)
        *w2 = bw;
    return app_cur(a)->id == SCR_HOME ? 0 : *w1 + gap + *w2 + gap;
}

/* One row when everything fits; on narrow screens (portrait) the language and display
 * buttons move to a second row rather than shrink. */
static int bar_rows(app *a, ui *u)
{
    int lw[CAT_NLANG], aw, cw, w1, w2, gap = ui_dp(u, 10);
    int need = bar_left_width(a, u, &w1, &w2, gap) + bar_right_width(a, u, lw, &aw, &cw, gap);
    return need > ui_w(u) - ui_dp(u, 20) ? 2 : 1;
}

/* The coordinator gesture's progress: twelve dots around a ring light up while the
 * corner is held, so staff know to keep holding and residents see that something
 * happens.  Nothing shows for an ordinary tap (the first 10 %). */
static void corner_ring(ui *u, ui_rect corner, float p)
{
    if (p < 0.1f)
        return;
    const ui_theme *t = ui_theme_get(u);
    int rad = ui_dp(u, 34), dot = ui_dp(u, 12);
    int cx = corner.x + corner.w / 2, cy = corner.y + corner.h / 2;
    ui_draw_box(u, (ui_rect){ cx - rad - dot, cy - rad - dot, 2 * (rad + dot), 2 * (rad + dot) },
                t->panel, t->border, ui_dp(u, 2), rad + dot);
    int lit = (int)(p * 12.0f + 0.5f);
    for (int i = 0; i < 12; i++) {
        float ang = (float)i * 6.2831853f / 12.0f - 1.5707963f;
        int x = cx + (int)lroundf((float)rad * cosf(ang)) - dot / 2;
        int y = cy + (int)lroundf((float)rad * sinf(ang)) - dot / 2;
        ui_draw_rect(u, (ui_rect){ x, y, dot, dot }, i < lit ? t->accent : t->border, dot / 2);
    }
}

/* The current screen may ask before the top bar's Back (home 0) or Home (1) leaves. */
static int ask_leave(app *a, int home)
{
    const app_screen *sc = &a->screens[app_cur(a)->id];
    return sc->ask_leave && sc->ask_leave(a, home);
}

static void top_bar(app *a, ui *u, ui_rect bar, int rows)
{
    const ui_theme *t = ui_theme_get(u);
    ui_draw_rect(u, bar, t->accent, 0);
    ui_rect r = ui_inset(bar, ui_dp(u, 10));
    int gap = ui_dp(u, 10);
    int home = app_cur(a)->id == SCR_HOME;
    int lw[CAT_NLANG], aw, cw, w1, w2;
    bar_left_width(a, u, &w1, &w2, gap);
    bar_right_width(a, u, lw, &aw, &cw, gap);
    ui_rect row2 = r;
    if (rows == 2) {
        row2 = ui_cut_bottom(&r, (r.h - gap) / 2);
        ui_cut_bottom(&r, gap);
    }

    /* Long press on the corner opens the coordinator PIN pad. */
    ui_rect corner = { bar.x, bar.y, ui_dp(u, 120), bar.h };
    if (ui_long_press(u, "corner", corner, 3000)) {
        memset(a->pin, 0, sizeof a->pin);
        a->pin_msg[0] = '\0';
        app_go(a, SCR_PIN, 0, NULL);
    }
    if (!home) {
        if (ui_button(u, "nav-back", ui_cut_left(&r, w1), tr(a, "Back"), UI_STYLE_BAR) &&
            !ask_leave(a, 0))
            app_back(a);
        ui_cut_left(&r, gap);
        if (ui_button(u, "nav-home", ui_cut_left(&r, w2), tr(a, "Home"), UI_STYLE_BAR) &&
            !ask_leave(a, 1))
            app_home(a);
        ui_cut_left(&r, gap);
    }
    static const char *const ids[CAT_NLANG] = { "lang-fi", "lang-sv", "lang-en" };
    ui_rect *right = rows == 2 ? &row2 : &r;
    ui_rect hc = ui_cut_right(right, cw);
    ui_cut_right(right, gap);
    ui_rect ap = ui_cut_right(right, aw);
    ui_cut_right(right, gap);
    if (ui_button(u, "contrast", hc, tr(a, "Contrast"),
                  a->high_contrast ? UI_STYLE_BAR_ON : UI_STYLE_BAR))
        a->high_contrast = !a->high_contrast;
    if (ui_button(u, "larger-text", ap, "A+", a->large_text ? UI_STYLE_BAR_ON : UI_STYLE_BAR))
        a->large_text = !a->large_text;
    for (int l = CAT_NLANG - 1; l >= 0; l--) {
        ui_rect b = ui_cut_right(right, lw[l]);
        ui_cut_right(right, gap / 2);
        if (ui_button(u, ids[l], b, lang_names[l],
                      a->lang == (cat_lang)l ? UI_STYLE_BAR_ON : UI_STYLE_BAR))
            set_lang(a, (cat_lang)l);
    }
    /* The kiosk's name only when it fits whole: a cut name looks broken. */
    const char *name = app_place(a) ? app_place(a) : tr(a, "Community kiosk");
    if (home && r.w >= ui_text_width(u, UI_FONT_TITLE, name, -1))
        ui_label(u, r, UI_FONT_TITLE, t->accent_text, UI_LEFT, name);
    corner_ring(u, corner, ui_long_press_progress(u, corner, 3000));
}

/* The idle timer, decided before anything is drawn: a reset or the end of the
 * warning changes the whole picture, and a frame half drawn for the old state would
 * stay on screen until the next input (the loop sleeps on an unchanged screen).
 * Returns 1 when the warning overlay covers this frame; *left_ms is its countdown. */
static int idle_tick(app *a, ui *u, uint32_t now, uint32_t *left_ms)
{
    uint32_t idle = now - ui_last_input_ms(u);
    uint32_t warn_at = (uint32_t)a->cfg.idle_s * 1000;
    const app_screen *cur = &a->screens[app_cur(a)->id];
    if (cur->idle_ms)
        warn_at = cur->idle_ms(a, warn_at);
    uint32_t reset_at = warn_at + (uint32_t)a->cfg.idle_warn_s * 1000;
    int worth = a->depth > 1 || a->query[0] || a->lang != a->cfg.default_lang ||
                a->large_text || a->high_contrast;
    *left_ms = (uint32_t)a->cfg.idle_warn_s * 1000;
    if (a->attract) {
        a->warning = 0;
        return 0;
    }
    if (!worth) {
        /* Nothing to wipe: Home simply gives way to the attract screen, no warning. */
        a->warning = 0;
        if (idle >= warn_at) {
            a->attract = 1;
            ui_request_frame(u);
        } else {
            ui_wake_in(u, warn_at - idle);
        }
        return 0;
    }
    if (idle >= reset_at) {
        app_reset(a, u);
        /* This frame's theme and font scale were chosen before the reset. */
        ui_request_frame(u);
        return 0;
    }
    if (idle < warn_at) {
        ui_wake_in(u, warn_at - idle);
        for (size_t i = 0; i < nscreens(a); i++)
            if (a->screens[i].idle_held && a->screens[i].idle_held(a, u))
                return 1;  /* a finger on a family's question (keep or stop voting) */
        if (!a->warning)
            return 0;
        /* Someone touched the screen while the warning showed: the overlay takes this
         * one touch (so it cannot press what lies beneath), then the screen returns. */
        a->warning = 0;
        ui_request_frame(u);
        return 1;
    }
    a->warning = 1;
    *left_ms = reset_at - idle;
    ui_wake_in(u, *left_ms % 1000 ? *left_ms % 1000 : 1000);
    return 1;
}

static void idle_overlay(app *a, ui *u, uint32_t left_ms)
{
    const ui_theme *t = ui_theme_get(u);
    ui_rect all = { 0, 0, ui_w(u), ui_h(u) };
    ui_color dim = { 0, 0, 0, 170 };
    ui_draw_rect(u, all, dim, 0);
    for (size_t i = 0; i < nscreens(a); i++)
        if (a->screens[i].idle_overlay && a->screens[i].idle_overlay(a, u, left_ms))
            return;  /* the family asked its own question (a half-filled ballot) */
    int bw = ui_w(u) * 2 / 3, bh = ui_dp(u, 420);
    if (bw > ui_dp(u, 900))
        bw = ui_dp(u, 900);
    ui_rect box = { (ui_w(u) - bw) / 2, (ui_h(u) - bh) / 2, bw, bh };
    ui_draw_rect(u, box, t->panel, ui_dp(u, 16));
    ui_draw_frame(u, box, t->border, ui_dp(u, 3));
    ui_rect in = ui_inset(box, ui_dp(u, 32));
    ui_label(u, ui_cut_top(&in, ui_dp(u, 70)), UI_FONT_TITLE, t->text, UI_CENTER,
             tr(a, "Are you still there?"));
    char line[200];
    snprintf(line, sizeof line, tr(a, "Starting over in %u seconds."),
             (unsigned)((left_ms + 999) / 1000));
    ui_label(u, ui_cut_top(&in, ui_dp(u, 60)), UI_FONT_BODY, t->text, UI_CENTER, line);
    ui_cut_top(&in, ui_dp(u, 20));
    ui_rect b = ui_cut_top(&in, ui_dp(u, 110));
    if (ui_button(u, "idle-continue", ui_inset(b, ui_dp(u, 6)), tr(a, "Continue"),
                  UI_STYLE_PRIMARY))
        a->warning = 0;  /* the tap itself counted as input; the tap asks for a frame */
}

/* A quiet line at the bottom: is this kiosk in touch with the server?  The snapshot
 * is refreshed every few seconds; an unchanged picture costs nothing to "redraw". */
static void sync_strip(app *a, ui *u, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    char line[200], when[16] = "";
    long long since = a->sst.offline_since ? a->sst.offline_since : a->sst.last_ok;
    if (since) {
        time_t tt = (time_t)since;
        struct tm tm;
        localtime_r(&tt, &tm);
        strftime(when, sizeof when, a->lang == CAT_EN ? "%H:%M" : "%H.%M", &tm);
    }
    switch (a->sst.state) {
    case SYNCC_UP_TO_DATE:
        snprintf(line, sizeof line, tr(a, "Up to date (%s)"), when);
        break;
    case SYNCC_OFFLINE:
    case SYNCC_ERROR:
        snprintf(line, sizeof line, tr(a, "Offline since %s"), when[0] ? when : "\xe2\x80\x93");
        break;
    case SYNCC_NEVER:
    case SYNCC_SYNCING:
        snprintf(line, sizeof line, "%s", tr(a, "Connecting to the server\xe2\x80\xa6"));
        break;
    }
    if (a->sst.waiting > 0) {
        size_t n = strlen(line);
        snprintf(line + n, sizeof line - n, tr(a, " \xc2\xb7 %lld waiting to be sent"),
                 a->sst.waiting);
    }
    if (a->sst.insecure_http) {  /* allow-insecure-http is on: say so where it shows */
        size_t n = strlen(line);
        snprintf(line + n, sizeof line - n, "%s", tr(a, " \xc2\xb7 insecure http"));
    }
    /* Inset at the sides only: the strip is as tall as its line (A+ makes it taller). */
    ui_label(u, (ui_rect){ r.x + ui_dp(u, 8), r.y, r.w - 2 * ui_dp(u, 8), r.h }, UI_FONT_SMALL,
             t->muted, UI_RIGHT, line);
    ui_wake_in(u, 5000);
}

/* Outside opening hours (settings.c): black, and when touched, when it opens. */
/* While closed, the loop wakes this often at most to see whether a sync brought
 * other hours. */
#define CLOSED_RECHECK_MS 10000
/* A touch on the black screen shows when the kiosk opens, this long. */
#define CLOSED_NOTE_MS 5000

/* Outside opening hours: draws the black screen, wipes a session on closing, and
 * returns 1 (nothing else is drawn); 0 while open. */
static int closed_frame(app *a, ui *u)
{
    if (!a->has_hours) {
        a->closed = 0;
        return 0;
    }
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    int closed = !khours_open_at(&a->hours, &tm);
    if (closed && !a->closed) {
        /* Closing ends whatever session was open: nobody is there to finish it. */
        app_reset(a, u);
        a->closed_input = ui_last_input_ms(u);
    }
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

/* The attract screen covers the whole window; the coordinator's corner gesture works
 * on it too.  A choice leaves it for Home. */
static void attract_frame(app *a, ui *u, ui_rect all)
{
    int chosen = scr_attract(a, u, all);
    ui_rect corner = { 0, 0, ui_dp(u, 120), ui_dp(u, 96) };
    if (ui_long_press(u, "corner", corner, 3000)) {
        a->attract = 0;
        memset(a->pin, 0, sizeof a->pin);
        a->pin_msg[0] = '\0';
        app_go(a, SCR_PIN, 0, NULL);
        ui_request_frame(u);
        return;
    }
    corner_ring(u, corner, ui_long_press_progress(u, corner, 3000));
    if (chosen < 0)
        return;
    a->attract = 0;
    app_home(a);
    set_lang(a, chosen < CAT_NLANG ? (cat_lang)chosen : a->cfg.default_lang);
    ui_request_frame(u);
}

void app_frame(app *a, ui *u, uint32_t now)
{
    app_poll(a);
    if (closed_frame(a, u))
        return;
    uint32_t left_ms;
    int overlay = idle_tick(a, u, now, &left_ms);
    ui_rect all = { 0, 0, ui_w(u), ui_h(u) };
    const ui_theme *t = ui_theme_get(u);
    ui_draw_rect(u, all, t->bg, 0);
    if (a->attract) {
        attract_frame(a, u, all);
        return;
    }
    ui_rect body = all;
    int rows = bar_rows(a, u);
    ui_rect bar = ui_cut_top(&body, rows == 2 ? ui_dp(u, 172) : ui_dp(u, 96));
    /* While the overlay shows, the screen below is drawn but takes no taps: the
     * overlay's button is checked first and a tap elsewhere only counts as presence. */
    if (!overlay)
        top_bar(a, u, bar, rows);
    else
        ui_draw_rect(u, bar, t->accent, 0);
    if (a->sync)
        sync_strip(a, u, ui_cut_bottom(&body, ui_line_height(u, UI_FONT_SMALL) + ui_dp(u, 16)));
    body = ui_inset(body, app_pad(u));
    const app_screen *sc = &a->screens[app_cur(a)->id];
    if (!overlay && !a->idx && sc->needs_index)
        ui_label(u, ui_cut_top(&body, ui_dp(u, 80)), UI_FONT_TITLE, t->text, UI_LEFT,
                 tr(a, "Loading, one moment\xe2\x80\xa6"));
    else if (!overlay)
        sc->draw(a, u, body);
    if (overlay)
        idle_overlay(a, u, left_ms);
}

