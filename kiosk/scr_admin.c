/* Coordinator: the PIN pad and the menu behind it. */
#include "app.h"
#include "screens.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "job.h"
#include "pin.h"

/* The PIN's Argon2id hash and the attempt counter's fsync'd write take a good part of
 * a second: they run as a job (job.h) with their own store handle, never on the UI
 * thread.  a->pin_try is the job's copy of the digits; the UI does not touch it or
 * a->pin_wait while the job runs, and wipes it afterwards. */
static kc_err pin_job(store *st, void *ctx, char *msg)
{
    app *a = ctx;
    kc_err rc = pin_check(st, a->pin_try, (long long)time(NULL), &a->pin_wait);
    if (rc && rc != KC_EDENIED && rc != KC_ELOCKED && rc != KC_ENOTFOUND)
        kc_fail(msg, rc, "%s", store_errmsg(st));
    return rc;
}

static void pin_result(app *a, kc_err rc, const char *msg)
{
    long wait = a->pin_wait;
    if (rc == KC_OK) {
        a->pin_msg[0] = '\0';
        a->depth--;  /* the pad leaves the history: Back from the menu goes home */
        a->admin_open = 0;
        app_go(a, SCR_ADMIN, 0, NULL);
    } else if (rc == KC_ELOCKED || (rc == KC_EDENIED && wait > 0)) {
        snprintf(a->pin_msg, sizeof a->pin_msg,
                 tr(a, "Too many wrong PINs. Try again in %ld seconds."), wait);
    } else if (rc == KC_EDENIED) {
        snprintf(a->pin_msg, sizeof a->pin_msg, "%s", tr(a, "Wrong PIN."));
    } else if (rc == KC_ENOTFOUND) {
        snprintf(a->pin_msg, sizeof a->pin_msg, "%s",
                 tr(a, "No coordinator PIN is set on this kiosk (kioskctl pin set)."));
    } else {  /* a store failure: the details go to the log, never on screen */
        fprintf(stderr, "kiosk: PIN check: %s\n", msg);
        snprintf(a->pin_msg, sizeof a->pin_msg, "%s",
                 tr(a, "The PIN could not be checked. Please try again."));
    }
}

void app_pin_job_wait(app *a)
{
    job_free(a->pin_job);  /* joins a running check */
    a->pin_job = NULL;
    memset(a->pin_try, 0, sizeof a->pin_try);
}

void scr_pin(app *a, ui *u, ui_rect r)
{
    if (a->pin_job) {
        kc_err rc;
        char msg[KC_MSGMAX] = "";
        if (job_done(a->pin_job, &rc, msg)) {
            app_pin_job_wait(a);
            pin_result(a, rc, msg);
            ui_request_frame(u);
            if (app_cur(a)->id != SCR_PIN)
                return;
        } else {
            ui_request_frame(u);  /* until the check is back */
        }
    }
    int checking = a->pin_job != NULL;
    if (w_pin_pad(a, u, r, "pin-ok", tr(a, "Coordinator PIN"), NULL, a->pin, PIN_MAX_LEN + 1,
                  checking ? tr(a, "Checking\xe2\x80\xa6") : a->pin_msg) &&
        !checking) {
        memcpy(a->pin_try, a->pin, sizeof a->pin_try);
        memset(a->pin, 0, sizeof a->pin);
        a->pin_wait = 0;
        kc_err rc = job_start(&a->pin_job, a->jobs, pin_job, a);
        if (rc) {
            a->pin_job = NULL;
            memset(a->pin_try, 0, sizeof a->pin_try);
            pin_result(a, rc, "cannot queue the PIN check");
        }
        ui_request_frame(u);
    }
}

void scr_admin(app *a, ui *u, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    w_heading(u, ui_cut_top(&r, w_heading_h(u)), tr(a, "Coordinator"));
    char line[256];
    /* Counting 100 000 items is a table scan: once per visit, not every frame. */
    if (!a->admin_open) {
        if (store_get_stats(a->st, &a->admin_stats) != KC_OK)
            memset(&a->admin_stats, 0, sizeof a->admin_stats);
        a->admin_open = 1;
    }
    const store_stats ss = a->admin_stats;
    if (a->exit_confirm) {
        /* One stray tap must not leave a kiosk without its program: ask first. */
        ui_rect box = ui_cut_top(&r, r.h);
        int w = ui_dp(u, 900) < box.w ? ui_dp(u, 900) : box.w;
        box.x += (box.w - w) / 2;
        box.w = w;
        w_heading(u, ui_cut_top(&box, w_heading_h(u)), tr(a, "Leave kiosk mode?"));
        int th = ui_text_wrap(u, box, UI_FONT_BODY, t->text,
                              tr(a, "The kiosk program closes. Residents cannot use this "
                                    "screen until it is started again."),
                              0, 1);
        ui_cut_top(&box, th + app_pad(u));
        ui_rect row = ui_cut_top(&box, app_touch(u));
        int bw = (row.w - app_pad(u)) / 2;
        if (ui_button(u, "admin-exit-cancel", ui_cut_left(&row, bw), tr(a, "Cancel"),
                      UI_STYLE_NORMAL))
            a->exit_confirm = 0;
        ui_cut_left(&row, app_pad(u));
        if (ui_button(u, "admin-exit-confirm", ui_cut_left(&row, bw), tr(a, "Exit kiosk"),
                      UI_STYLE_PRIMARY))
            a->quit = 1;
        return;
    }
    /* The menu scrolls on short screens; every line gets its font's full height. */
    ui_rect view = r;
    int dy = ui_scroll_begin(u, "admin", view, -1);
    r.y += dy;
    r.h = 1 << 20;
    int y0 = r.y;
    int lh = ui_line_height(u, UI_FONT_BODY) + ui_dp(u, 6);
    int sh = ui_line_height(u, UI_FONT_SMALL) + ui_dp(u, 4);
    int pad = ui_dp(u, 20);
    ui_rect info = ui_cut_top(&r, 2 * pad + 2 * lh + CAT_NKIND * sh);
    ui_draw_rect(u, info, t->panel, ui_dp(u, 12));
    info = ui_inset(info, pad);
    snprintf(line, sizeof line, "%s %s", tr(a, "Version"), a->version);
    ui_label(u, ui_cut_top(&info, lh), UI_FONT_BODY, t->text, UI_LEFT, line);
    snprintf(line, sizeof line, "%s %lld", tr(a, "Content revision"), ss.catalog_rev);
    ui_label(u, ui_cut_top(&info, lh), UI_FONT_BODY, t->text, UI_LEFT, line);
    for (int k = 0; k < CAT_NKIND; k++) {
        snprintf(line, sizeof line, "%s: %ld", app_kind_label(a, (cat_kind)k, 1), ss.live[k]);
        ui_label(u, ui_cut_top(&info, sh), UI_FONT_SMALL, t->muted, UI_LEFT, line);
    }
    if (a->sync) {
        ui_cut_top(&r, app_pad(u));
        const syncc_status *ss2 = &a->sst;
        int extra = (ss2->set_aside > 0) + (ss2->insecure_http != 0);
        ui_rect sy = ui_cut_top(&r, 2 * pad + 2 * lh + extra * sh +
                                        (ss2->last_error[0] ? sh : 0));
        ui_draw_rect(u, sy, t->panel, ui_dp(u, 12));
        sy = ui_inset(sy, pad);
        snprintf(line, sizeof line, "%s: %s", tr(a, "Sync"), syncc_state_name(ss2->state));
        ui_label(u, ui_cut_top(&sy, lh), UI_FONT_BODY, t->text, UI_LEFT, line);
        snprintf(line, sizeof line, tr(a, "Waiting to be sent: %lld, server revision %lld"),
                 ss2->waiting, ss2->catalog_rev);
        ui_label(u, ui_cut_top(&sy, lh), UI_FONT_BODY, t->text, UI_LEFT, line);
        if (ss2->insecure_http)
            ui_label(u, ui_cut_top(&sy, sh), UI_FONT_SMALL, t->warn, UI_LEFT,
                     tr(a, "Insecure http: the token and answers travel unencrypted"));
        if (ss2->set_aside > 0) {
            /* Rows the server refused: kioskctl sync status lists the reason too. */
            snprintf(line, sizeof line, tr(a, "Set aside (refused by the server): %lld"),
                     ss2->set_aside);
            size_t n = strlen(line);
            snprintf(line + n, sizeof line - n, " \xe2\x80\x93 %s", ss2->set_aside_reason);
            ui_label(u, ui_cut_top(&sy, sh), UI_FONT_SMALL, t->warn, UI_LEFT, line);
        }
        if (ss2->last_error[0])
            ui_label(u, ui_cut_top(&sy, sh), UI_FONT_SMALL, t->warn, UI_LEFT, ss2->last_error);
    }
    ui_cut_top(&r, app_pad(u));
    /* The screens with a coordinator entry (the screen table), two to a row. */
    int bw = ui_dp(u, 420);
    ui_rect row = { 0, 0, 0, 0 };
    int in_row = 0;
    for (int i = 0; i < SCR_NSCREENS; i++) {
        const app_screen *sc = &a->screens[i];
        if (!sc->admin_label)
            continue;
        if (in_row == 0) {
            row = ui_cut_top(&r, app_touch(u));
            ui_cut_top(&r, app_pad(u));
        } else {
            ui_cut_left(&row, app_pad(u));
        }
        in_row = (in_row + 1) % 2;
        if (ui_button(u, sc->admin_id, ui_cut_left(&row, bw < row.w ? bw : row.w),
                      tr(a, sc->admin_label), UI_STYLE_NORMAL)) {
            if (sc->admin_open)
                sc->admin_open(a, u);
            app_go(a, (scr_id)i, 0, NULL);
        }
    }
    for (int i = 0; i < SCR_NSCREENS; i++)
        if (a->screens[i].admin_panel)
            a->screens[i].admin_panel(a, u, &r);
    row = ui_cut_top(&r, app_touch(u));
    if (ui_button(u, "admin-close", ui_cut_left(&row, bw), tr(a, "Close"), UI_STYLE_NORMAL))
        app_home(a);
    ui_cut_left(&row, app_pad(u));
    if (ui_button(u, "admin-exit", ui_cut_left(&row, bw), tr(a, "Exit kiosk"),
                  UI_STYLE_PRIMARY))
        a->exit_confirm = 1;
    ui_scroll_end(u, r.y - y0);
}
