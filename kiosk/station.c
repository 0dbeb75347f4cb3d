/* The survey station's state, jobs and hooks (see station.h); its texts and widgets are in
 * station_widgets.c. */
#include "station.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- jobs --------------------------------------------------------------------------------- */

void station_job_start(app *a, st_job *sj, job_fn fn, void *ctx)
{
    sj->msg[0] = '\0';
    sj->rc = KC_OK;
    kc_err rc = job_start(&sj->j, a->jobs, fn, ctx);
    if (rc) {
        sj->j = NULL;
        sj->phase = ST_FAILED;
        sj->rc = rc;
        snprintf(sj->msg, sizeof sj->msg, "cannot queue the job (%s)", kc_strerror(rc));
        return;
    }
    sj->phase = ST_SAVING;
}

int station_job_poll(st_job *sj, ui *u)
{
    if (!sj->j)
        return 0;
    kc_err rc;
    if (!job_done(sj->j, &rc, sj->msg)) {
        ui_request_frame(u);
        return 0;
    }
    job_free(sj->j);
    sj->j = NULL;
    ui_request_frame(u);  /* the screen changes with the outcome */
    sj->rc = rc;
    sj->phase = rc ? ST_FAILED : ST_DONE;
    if (rc)  /* names the operation and the database error, never what was typed */
        fprintf(stderr, "kiosk: station job: %s\n", sj->msg);
    return 1;
}

void station_job_wait(st_job *sj)
{
    job_free(sj->j);  /* joins a running job */
    sj->j = NULL;
    sj->phase = ST_IDLE;
}

/* --- state ----------------------------------------------------------------------------------- */

struct station *station_get(app *a)
{
    if (!a->station) {
        a->station = kc_calloc(1, sizeof *a->station);
        if (!a->station)
            return NULL;
        a->station->sv.ed.key = -1;
        a->station->ws.ed.key = -1;
        a->station->ws.group = -1;
        a->station->app = a;
    }
    return a->station;
}

/* Runs on the job's thread; the sync thread is asked to send the row once it is
 * committed (syncc_kick is safe from any thread and never waits on a sync). */
static kc_err release_job(store *st, void *ctx, char *msg)
{
    struct station *s = ctx;
    kc_err rc = feedback_init(st);
    if (rc)
        return kc_fail(msg, rc, "feedback: %s", store_errmsg(st));
    if (!(rc = feedback_release(st, s->release_uuid, msg)))
        app_sync_kick(s->app);
    return rc;
}

void station_wipe_feedback(struct station *s)
{
    station_job_wait(&s->fb.job);
    if (s->fb.held[0]) {
        /* The person is done with it: the stored feedback may be sent now.  The release
         * (one small commit) runs off the UI thread; nobody waits for it but the next
         * release and station_free. */
        if (s->release.j) {
            station_job_wait(&s->release);
        }
        memcpy(s->release_uuid, s->fb.held, sizeof s->release_uuid);
        station_job_start(s->app, &s->release, release_job, s);
        if (s->release.phase == ST_FAILED)
            fprintf(stderr, "kiosk: feedback: %s\n", s->release.msg);
    }
    sodium_memzero(&s->fb, sizeof s->fb);
}

void station_wipe_survey(struct station *s)
{
    station_job_wait(&s->sv.job);
    survey_session_free(s->sv.ss);  /* wipes the texts it holds */
    qedit_wipe(&s->sv.ed);
    memset(&s->sv, 0, sizeof s->sv);
    s->sv.ed.key = -1;
}

void station_close_workshop(struct station *s)
{
    station_job_wait(&s->ws.job);
    workshop_free(s->ws.w);
    results_free(s->ws.res);
    qedit_wipe(&s->ws.ed);
    workshop_info_free(s->ws.list, s->ws.nlist);
    survey_info_free(s->ws.defs, s->ws.ndefs);
    memset(&s->ws, 0, sizeof s->ws);
    s->ws.ed.key = -1;
    s->ws.group = -1;
}

void station_clear_results(struct station *s)
{
    station_job_wait(&s->rs.job);
    survey_info_free(s->rs.list, s->rs.nlist);
    results_free(s->rs.res);
    for (size_t i = 0; i < s->rs.ntexts; i++) {
        sodium_memzero(s->rs.texts[i].s, strlen(s->rs.texts[i].s));
        kc_free(s->rs.texts[i].s);
    }
    kc_free(s->rs.texts);
    for (size_t i = 0; i < s->rs.nfb; i++) {
        char *f[] = { s->rs.fb[i].comment, s->rs.fb[i].name, s->rs.fb[i].email,
                      s->rs.fb[i].phone };
        for (size_t k = 0; k < 4; k++) {
            if (f[k])
                sodium_memzero(f[k], strlen(f[k]));
            kc_free(f[k]);
        }
    }
    kc_free(s->rs.fb);
    memset(&s->rs, 0, sizeof s->rs);
}

void station_relist(app *a)
{
    if (a->station)
        a->station->listed = 0;
}

void station_reset(app *a)
{
    struct station *s = a->station;
    if (!s)
        return;
    station_wipe_feedback(s);
    station_wipe_survey(s);
    station_close_workshop(s);
    station_clear_results(s);
    s->listed = 0;
}

void station_free(app *a)
{
    struct station *s = a->station;
    if (!s)
        return;
    station_reset(a);
    station_job_wait(&s->release);
    station_job_wait(&s->prep);
    survey_info_free(s->active, s->nactive);
    kc_free(s);
    a->station = NULL;
}

/* --- time and tables -------------------------------------------------------------------------- */

time_t station_now(const app *a)
{
    int y, m, d;
    if (a->cfg.today && sscanf(a->cfg.today, "%d-%d-%d", &y, &m, &d) == 3) {
        struct tm tm = { 0 };
        tm.tm_year = y - 1900;
        tm.tm_mon = m - 1;
        tm.tm_mday = d;
        tm.tm_hour = 12;
        tm.tm_isdst = -1;
        time_t t = mktime(&tm);
        if (t != (time_t)-1)
            return t;
    }
    return time(NULL);
}

static kc_err prep_job(store *st, void *ctx, char *msg)
{
    (void)ctx;
    kc_err rc = workshop_init(st);
    if (!rc)
        rc = feedback_init(st);
    if (rc)
        kc_fail(msg, rc, "preparing survey tables: %s", store_errmsg(st));
    return rc;
}

int station_ready(app *a, ui *u)
{
    struct station *s = station_get(a);
    if (!s)
        return 0;
    if (s->ready)
        return 1;
    if (s->prep.phase == ST_IDLE)
        station_job_start(a, &s->prep, prep_job, NULL);
    station_job_poll(&s->prep, u);
    if (s->prep.phase == ST_DONE)
        s->ready = 1;
    return s->ready;
}

/* --- hooks into the other screens ------------------------------------------------------------ */

void station_home_banner(app *a, ui *u, ui_rect *r)
{
    /* Home is where the next person starts: what was chosen or typed for a feedback or
     * survey not sent is dropped here, as the idle reset does not run on Home. */
    struct station *s = a->station;
    if (s && s->fb.job.phase != ST_SAVING &&
        (s->fb.score || s->fb.comment[0] || s->fb.consent || s->fb.job.phase != ST_IDLE))
        station_wipe_feedback(s);
    if (s && s->sv.ss && s->sv.job.phase != ST_SAVING)
        station_wipe_survey(s);
    if (!station_ready(a, u))
        return;
    s = a->station;
    time_t now = time(NULL);
    if (!s->listed || now - s->listed_at > 300 || now < s->listed_at) {
        char msg[KC_MSGMAX];
        survey_info_free(s->active, s->nactive);
        s->active = NULL;
        s->nactive = 0;
        if (survey_list(a->st, SURVEY_LIST_ACTIVE, NULL, station_now(a), &s->active,
                        &s->nactive, msg))
            fprintf(stderr, "kiosk: listing surveys: %s\n", msg);
        s->listed = 1;
        s->listed_at = now;
    }
    /* The first active survey this kiosk shows (the server's settings may list some). */
    size_t first = 0;
    while (first < s->nactive && !app_shows(a, 0, s->active[first].id))
        first++;
    if (first == s->nactive)
        return;
    const ui_theme *t = ui_theme_get(u);
    const survey_info *si = &s->active[first];
    const char *title = cat_text_pick(si->title, &a->pref, NULL);
    const char *call = tr(a, "Answer a short survey");
    int bh = ui_line_height(u, UI_FONT_TITLE) + ui_line_height(u, UI_FONT_BODY) + ui_dp(u, 44);
    ui_rect b = ui_cut_top(r, bh > app_touch(u) ? bh : app_touch(u));
    ui_cut_top(r, app_pad(u));
    char sem[300];
    snprintf(sem, sizeof sem, "%s: %s", call, title ? title : si->id);
    if (ui_card(u, "home-survey", b, sem)) {
        station_wipe_survey(s);
        app_go(a, SCR_SURVEY, 0, si->id);
    }
    ui_draw_rect(u, ui_inset(b, ui_dp(u, 2)), t->accent, ui_dp(u, 10));
    ui_rect in = ui_inset(b, ui_dp(u, 20));
    ui_rect go = ui_cut_right(&in, ui_dp(u, 200));
    ui_label(u, go, UI_FONT_TITLE, t->accent_text, UI_RIGHT, tr(a, "Start"));
    int lh = ui_line_height(u, UI_FONT_TITLE);
    ui_label(u, (ui_rect){ in.x, in.y, in.w, lh }, UI_FONT_TITLE, t->accent_text, UI_LEFT, call);
    ui_label(u, (ui_rect){ in.x, in.y + lh, in.w, in.h - lh }, UI_FONT_BODY, t->accent_text,
             UI_LEFT, title ? title : si->id);
}

int station_detail_button(app *a, ui *u, ui_rect r, const char *item)
{
    const char *label = tr(a, "Give feedback");
    int w = ui_text_width(u, UI_FONT_BOLD, label, -1) + ui_dp(u, 60);
    if (w < ui_dp(u, 300))
        w = ui_dp(u, 300);
    if (w > r.w)
        w = r.w;
    /* Right of the kind line, so the card's fields move down as little as possible. */
    if (ui_button(u, "detail-feedback", (ui_rect){ r.x + r.w - w, r.y, w, app_touch(u) }, label,
                  UI_STYLE_NORMAL)) {
        char id[CAT_ID_MAX + 1];
        snprintf(id, sizeof id, "%s", item);  /* the nav entry is rewritten by app_go */
        app_go(a, SCR_FEEDBACK, 0, id);
    }
    int extra = app_touch(u) - ui_line_height(u, UI_FONT_BODY);
    return extra > 0 ? extra : 0;
}

void station_open_workshops(app *a, ui *u)
{
    (void)u;
    if (station_get(a))
        a->station->ws.listed = 0;
}

void station_open_results(app *a, ui *u)
{
    (void)u;
    if (station_get(a))
        a->station->rs.listed = 0;
}
