/* The coordinator menu's "Export to USB stick" (core/stick.h): finds the stick, writes
 * the kiosk's results to it as a job (job.h) and shows what was written or why not.
 *
 * Threads: all of the work - reading the mount table, the store and writing the
 * stick, which can block for seconds on a slow or dying stick - runs in the one job
 * function below, on the job's own store handle.  While it runs the UI reads nothing
 * of the state but `j`; the result is read after job_done(). */
#include "usb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "job.h"
#include "stick.h"

#define USB_MOUNTINFO "/proc/self/mountinfo"

struct usb_state {
    job *j;
    int done;                   /* a result is shown */
    int forget;                 /* reset during a write: its result is not shown */
    /* the job's input */
    const char *roots, *export_dir;  /* kiosk.conf values, live as long as the app */
    cat_lang lang;
    /* the job's output */
    char mount[STICK_PATH_MAX];
    stick_report rep;
    kc_err rc;
    char msg[KC_MSGMAX];
};

/* What the coordinator reads, per stick_problem (keys of assets/i18n). */
static const char *const problem_keys[STICK_NPROBLEMS] = {
    [STICK_OK] = N_("You can remove the stick now."),
    [STICK_NONE] = N_("No USB stick found. Plug one in and try again."),
    [STICK_READONLY] = N_("The USB stick is read-only. Nothing was written."),
    [STICK_FULL] = N_("The USB stick is full. Free some space and try again."),
    [STICK_REMOVED] = N_("The USB stick was removed or failed while writing. Plug it in "
                         "and try again."),
    [STICK_IO] = N_("Writing to the USB stick failed."),
    [STICK_DB] = N_("The results could not be read."),
};

static kc_err usb_job(store *st, void *ctx, char *msg)
{
    struct usb_state *s = ctx;
    stick_report_free(&s->rep);
    memset(&s->rep, 0, sizeof s->rep);
    if (s->export_dir) {
        /* A fixed folder: there is a stick when the folder is there. */
        struct stat sb;
        if (stat(s->export_dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            s->rep.problem = STICK_NONE;
            return kc_fail(msg, KC_ENOTFOUND, "usb: export-dir %s is not there", s->export_dir);
        }
        snprintf(s->mount, sizeof s->mount, "%s", s->export_dir);
    } else {
        kc_err rc = stick_find(USB_MOUNTINFO, s->roots ? s->roots : STICK_DEFAULT_ROOTS,
                               s->mount, sizeof s->mount, msg);
        if (rc) {
            s->rep.problem = rc == KC_ENOTFOUND ? STICK_NONE : STICK_IO;
            return rc;
        }
    }
    return stick_export(st, s->mount, s->lang, time(NULL), &s->rep, msg);
}

void usb_free(app *a)
{
    struct usb_state *s = a->usb;
    if (!s)
        return;
    job_free(s->j);  /* waits for a write in progress: the stick is left consistent */
    stick_report_free(&s->rep);
    free(s);
    a->usb = NULL;
}

/* Idle reset: the next coordinator starts without the last one's result (which folder
 * and files were written is theirs).  A write in progress finishes, unseen; the job's
 * output is its own until then. */
void usb_reset(app *a)
{
    struct usb_state *s = a->usb;
    if (!s)
        return;
    s->done = 0;
    s->msg[0] = '\0';
    if (s->j) {
        s->forget = 1;
        return;
    }
    stick_report_free(&s->rep);
    memset(&s->rep, 0, sizeof s->rep);
    s->mount[0] = '\0';
}

static void start(app *a, struct usb_state *s)
{
    s->roots = a->cfg.usb_roots;
    s->export_dir = a->cfg.export_dir;
    s->lang = a->lang;
    s->done = 0;
    s->forget = 0;
    s->msg[0] = '\0';
    if (job_start(&s->j, a->jobs, usb_job, s)) {
        s->j = NULL;
        s->rc = KC_ENOMEM;
        s->rep.problem = STICK_IO;
        snprintf(s->msg, sizeof s->msg, "usb: cannot queue the export");
        s->done = 1;
    }
}

/* The result: the folder and each file with its rows, or the problem in words. */
static void draw_result(app *a, ui *u, ui_rect *r, struct usb_state *s)
{
    const ui_theme *t = ui_theme_get(u);
    char line[STICK_PATH_MAX + 200];
    int gap = ui_dp(u, 6);
    if (s->rc == KC_OK) {
        snprintf(line, sizeof line, tr(a, "Exported to %s"), s->rep.dir);
        ui_cut_top(r, ui_text_wrap(u, *r, UI_FONT_BODY, t->ok, line, 0, 1) + gap);
        for (size_t i = 0; i < s->rep.nfiles; i++) {
            const stick_file *f = &s->rep.files[i];
            if (f->rows >= 0)
                snprintf(line, sizeof line, trn(a, "%s: %ld row", "%s: %ld rows",
                                                (unsigned long)f->rows),
                         f->name, f->rows);
            else
                snprintf(line, sizeof line, "%s", f->name);
            ui_cut_top(r, ui_text_wrap(u, *r, UI_FONT_SMALL, t->text, line, 0, 1) + gap);
        }
    }
    stick_problem p = s->rep.problem < STICK_NPROBLEMS ? s->rep.problem : STICK_IO;
    if (s->rc && p == STICK_OK)
        p = STICK_IO;
    ui_cut_top(r, ui_text_wrap(u, *r, UI_FONT_BODY, s->rc ? t->warn : t->text,
                               tr(a, problem_keys[p]), 0, 1) + gap);
    /* The system's reason and the file it concerns, for whoever looks at the stick. */
    if (s->rc && s->msg[0])
        ui_cut_top(r, ui_text_wrap(u, *r, UI_FONT_SMALL, t->muted, s->msg, 0, 1) + gap);
}

void usb_admin_panel(app *a, ui *u, ui_rect *r)
{
    const ui_theme *t = ui_theme_get(u);
    struct usb_state *s = a->usb;
    if (!s && !(s = a->usb = calloc(1, sizeof *s)))
        return;  /* out of memory: no export button rather than a broken one */
    if (s->j) {
        char msg[KC_MSGMAX] = "";
        kc_err rc;
        if (job_done(s->j, &rc, msg)) {
            job_free(s->j);
            s->j = NULL;
            s->rc = rc;
            snprintf(s->msg, sizeof s->msg, "%s", msg);
            s->done = !s->forget;
            s->forget = 0;
            if (rc)
                fprintf(stderr, "kiosk: %s\n", msg);
        }
        ui_request_frame(u);
    }
    ui_rect row = ui_cut_top(r, app_touch(u));
    ui_cut_top(r, app_pad(u));
    /* As wide as the two buttons of the row above: the label is long in every language
     * and must not be cut with A+. */
    int bw = 2 * ui_dp(u, 420) + app_pad(u);
    if (bw > row.w)
        bw = row.w;
    if (ui_button(u, "admin-usb", ui_cut_left(&row, bw), tr(a, "Export to USB stick"),
                  UI_STYLE_NORMAL) && !s->j) {
        start(a, s);
        ui_request_frame(u);
    }
    ui_rect box = *r;
    box.h = 1 << 20;
    int y0 = box.y;
    if (s->j)
        ui_cut_top(&box, ui_text_wrap(u, box, UI_FONT_BODY, t->text,
                                      tr(a, "Writing to the USB stick\xe2\x80\xa6"), 0, 1) +
                             ui_dp(u, 6));
    else if (s->done)
        draw_result(a, u, &box, s);
    ui_cut_top(&box, ui_text_wrap(u, box, UI_FONT_SMALL, t->muted,
                                  tr(a, "Feedback, survey responses and workshops are "
                                        "exported as CSV and JSON. Ballots are never "
                                        "exported: they are counted on the server, mixed "
                                        "with other kiosks' ballots."),
                                  0, 1));
    ui_cut_top(r, box.y - y0 + app_pad(u));
}
