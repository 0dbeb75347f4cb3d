/* The survey station's state, jobs and shared widgets (see station.h). */
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

uint32_t station_idle_ms(const app *a, uint32_t ms)
{
    /* A workshop's live results stay up while the room discusses them. */
    const nav_entry *n = app_cur(a);
    if (n->id == SCR_WORKSHOP && n->kind == 3 && ms < 60000u * 20)
        return ms * 20 > 60000u * 20 ? ms * 20 : 60000u * 20;
    return ms;
}

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

/* --- texts ------------------------------------------------------------------------------------ */

const char *station_smiley_word(const app *a, int step)
{
    static const char *const words[5] = { N_("Very unhappy"), N_("Unhappy"), N_("Neutral"),
                                          N_("Happy"), N_("Very happy") };
    return step >= 1 && step <= 5 ? tr(a, words[step - 1]) : "";
}

static void fmt_num(double v, char *out, size_t cap)
{
    snprintf(out, cap, "%g", v);
    for (char *p = out; *p; p++)
        if (*p == '.')
            *p = ',';  /* Finnish and Swedish decimal comma */
}

void station_problem_text(const app *a, const survey_question *q, survey_problem p, char *out,
                          size_t cap)
{
    char x[40], y[40];
    int n = (int)p.limit;
    out[0] = '\0';
    switch (p.kind) {
    case SURVEY_P_NONE:
        break;
    case SURVEY_P_REQUIRED:
        snprintf(out, cap, "%s", tr(a, "Please answer this question to go on."));
        break;
    case SURVEY_P_TOO_FEW:
        if (q && q->type == SURVEY_TOP && q->min_pick == q->max_pick)
            snprintf(out, cap, tr(a, "Choose %d, or clear your choices to skip."), n);
        else
            snprintf(out, cap, tr(a, "Choose at least %d."), n);
        break;
    case SURVEY_P_TOO_MANY:
        if (q && q->type == SURVEY_TEXT)
            snprintf(out, cap, tr(a, "At most %d answers."), n);
        else
            snprintf(out, cap, tr(a, "You can choose at most %d. Tap a chosen one to remove it."),
                     n);
        break;
    case SURVEY_P_RANGE:
        fmt_num(p.limit, x, sizeof x);
        fmt_num(p.limit2, y, sizeof y);
        snprintf(out, cap, tr(a, "Give a number from %s to %s."), x, y);
        break;
    case SURVEY_P_DECIMALS:
        if (n == 0)
            snprintf(out, cap, "%s", tr(a, "Give a whole number."));
        else
            snprintf(out, cap, tr(a, "Use at most %d decimals."), n);
        break;
    case SURVEY_P_TOO_LONG:
        snprintf(out, cap, tr(a, "The text is too long: at most %d characters."), n);
        break;
    case SURVEY_P_BAD_TEXT:
        snprintf(out, cap, "%s", tr(a, "The text has characters that cannot be saved."));
        break;
    case SURVEY_P_NOT_OPTION:
    case SURVEY_P_WRONG_TYPE:
        snprintf(out, cap, "%s", tr(a, "That answer does not fit this question."));
        break;
    }
}

size_t station_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

void station_clip_chars(char *s, size_t max)
{
    size_t n = 0;
    for (char *p = s; *p; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80 && n++ == max) {
            *p = '\0';
            return;
        }
    }
}

/* --- widgets ----------------------------------------------------------------------------------- */

int station_message(ui *u, ui_rect r, const char *text, int warn)
{
    const ui_theme *t = ui_theme_get(u);
    ui_color c = warn ? t->warn : t->ok;
    int pad = ui_dp(u, 14);
    ui_rect in = ui_inset(r, pad);
    int h = ui_text_wrap(u, in, UI_FONT_BOLD, c, text, 3, 0) + 2 * pad;
    ui_rect box = { r.x, r.y, r.w, h };
    ui_draw_box(u, box, t->panel, c, ui_dp(u, 3), ui_dp(u, 10));
    ui_text_wrap(u, ui_inset(box, pad), UI_FONT_BOLD, c, text, 3, 1);
    return h;
}

/* Fill colours of the faces, unhappy (red) to happy (green); the features are dark. */
static const ui_color face_fill[5] = {
    { 0xF2, 0x8B, 0x78, 255 }, { 0xF6, 0xB2, 0x6B, 255 }, { 0xF5, 0xD7, 0x6E, 255 },
    { 0xB9, 0xDC, 0x7E, 255 }, { 0x84, 0xCC, 0x8D, 255 },
};

void station_draw_face(ui *u, ui_rect r, int step)
{
    if (step < 1 || step > 5)
        return;
    int d = r.w < r.h ? r.w : r.h;
    ui_rect f = { r.x + (r.w - d) / 2, r.y + (r.h - d) / 2, d, d };
    ui_color ink = { 0x1A, 0x1A, 0x1A, 255 };
    int bw = d / 28 > 1 ? d / 28 : 1;
    ui_draw_rect(u, f, ink, d / 2);
    ui_draw_rect(u, ui_inset(f, bw), face_fill[step - 1], (d - 2 * bw) / 2);
    int e = d / 9;
    ui_draw_rect(u, (ui_rect){ f.x + d * 34 / 100 - e / 2, f.y + d * 36 / 100, e, e }, ink, e / 2);
    ui_draw_rect(u, (ui_rect){ f.x + d * 66 / 100 - e / 2, f.y + d * 36 / 100, e, e }, ink, e / 2);
    /* The mouth: dots along a parabola, curved up (happy) or down (unhappy). */
    double bend = (step - 3) * 0.075 * d;
    int dot = d / 13 > 2 ? d / 13 : 2, n = 17;
    double half = d * 0.22, y0 = f.y + d * 0.68;
    for (int i = 0; i < n; i++) {
        double tt = -1.0 + 2.0 * i / (n - 1);
        double y = y0 + bend * (1 - tt * tt) - bend / 2;
        int x = (int)(f.x + d / 2 + tt * half);
        ui_draw_rect(u, (ui_rect){ x - dot / 2, (int)y - dot / 2, dot, dot }, ink, dot / 2);
    }
}

/* A selected look shared by faces and choices: tinted fill and a thick accent border. */
static void selected_box(ui *u, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    ui_draw_box(u, r, t->pressed, t->accent, ui_dp(u, 6), ui_dp(u, 12));
}

/* Lines a face's word needs in font f within w: 1, 2 when split at its first space,
 * 0 when it does not fit either way. */
static int face_word_lines(ui *u, ui_font f, const char *word, int w)
{
    if (ui_text_width(u, f, word, -1) <= w)
        return 1;
    const char *sp = strchr(word, ' ');
    if (sp && ui_text_width(u, f, word, (int)(sp - word)) <= w &&
        ui_text_width(u, f, sp + 1, -1) <= w)
        return 2;
    return 0;
}

int station_face_button(app *a, ui *u, const char *id, ui_rect r, int step, int on,
                        const char *word)
{
    const ui_theme *t = ui_theme_get(u);
    int tapped = ui_card(u, id, r, NULL);
    unsigned cuts = ui_cut_count(u);
    if (on)
        selected_box(u, r);
    ui_rect in = ui_inset(r, ui_dp(u, 12));
    int lh = ui_line_height(u, UI_FONT_BOLD);
    ui_rect words = ui_cut_bottom(&in, 2 * lh);
    station_draw_face(u, in, step);
    /* The word whole, never cut ("Tyytymätön" on a narrow portrait face): one centred
     * line, or two split at a space ("Tosi / tyytyväinen"), in the largest of bold,
     * body and small in which all five faces' words fit, so the five look alike; the
     * words may use the face's full inner width. */
    words.x = r.x + ui_dp(u, 4);
    words.w = r.w - 2 * ui_dp(u, 4);
    static const ui_font fonts[] = { UI_FONT_BOLD, UI_FONT_BODY, UI_FONT_SMALL };
    ui_font f = UI_FONT_SMALL;
    for (size_t i = 0; i < sizeof fonts / sizeof fonts[0]; i++) {
        int fit = 1;
        for (int st = 1; st <= 5 && fit; st++)
            fit = face_word_lines(u, fonts[i], station_smiley_word(a, st), words.w) > 0;
        if (fit) {
            f = fonts[i];
            break;
        }
    }
    const char *sp = strchr(word, ' ');
    char first[80];
    snprintf(first, sizeof first, "%.*s", sp ? (int)(sp - word) : 0, word);
    int two = face_word_lines(u, f, word, words.w) == 2;
    int fl = ui_line_height(u, f);
    if (!two) {
        ui_label(u, (ui_rect){ words.x, words.y + (words.h - fl) / 2, words.w, fl }, f, t->text,
                 UI_CENTER, word);
    } else {
        int y = words.y + (words.h - 2 * fl) / 2;
        ui_label(u, (ui_rect){ words.x, y, words.w, fl }, f, t->text, UI_CENTER, first);
        ui_label(u, (ui_rect){ words.x, y + fl, words.w, fl }, f, t->text, UI_CENTER, sp + 1);
    }
    ui_sem_add(u, UI_SEM_BUTTON, r, word, on);
    if (ui_cut_count(u) != cuts)
        ui_sem_cut(u);
    return tapped;
}

static void draw_tick(ui *u, ui_rect b, ui_color c)
{
    /* Two strokes of dots: down to the corner, then up to the right. */
    int dot = b.w / 7 > 2 ? b.w / 7 : 2;
    const double pts[3][2] = { { 0.24, 0.52 }, { 0.42, 0.72 }, { 0.78, 0.30 } };
    for (int s = 0; s < 2; s++)
        for (int i = 0; i <= 8; i++) {
            double f = i / 8.0;
            double x = pts[s][0] + (pts[s + 1][0] - pts[s][0]) * f;
            double y = pts[s][1] + (pts[s + 1][1] - pts[s][1]) * f;
            ui_draw_rect(u, (ui_rect){ b.x + (int)(x * b.w) - dot / 2, b.y + (int)(y * b.h) - dot / 2,
                                       dot, dot }, c, dot / 2);
        }
}

int station_choice(ui *u, const char *id, ui_rect r, const char *text, int on, int mark,
                   int badge)
{
    const ui_theme *t = ui_theme_get(u);
    int tapped = ui_card(u, id, r, NULL);
    if (on)
        selected_box(u, r);
    ui_rect in = ui_inset(r, ui_dp(u, 16));
    if (mark) {
        int s = ui_dp(u, 44);
        ui_rect col = ui_cut_left(&in, s);
        ui_cut_left(&in, ui_dp(u, 18));
        ui_rect b = { col.x, col.y + (col.h - s) / 2, s, s };
        int round = mark == 2 ? ui_dp(u, 8) : s / 2;
        ui_draw_box(u, b, t->panel, on ? t->accent : t->border, ui_dp(u, 3), round);
        if (on && mark == 1)
            ui_draw_rect(u, ui_inset(b, s / 4), t->accent, s / 4);
        if (on && mark == 2) {
            ui_draw_rect(u, b, t->accent, round);
            draw_tick(u, b, t->accent_text);
        }
        if (on && mark == 3) {
            char num[8];
            snprintf(num, sizeof num, "%d", badge);
            ui_draw_rect(u, b, t->accent, s / 2);
            ui_label(u, b, UI_FONT_BOLD, t->accent_text, UI_CENTER, num);
        }
    }
    int h = ui_text_wrap(u, in, UI_FONT_BODY, t->text, text, 3, 0);
    if (h > in.h)
        h = in.h;
    ui_text_wrap(u, (ui_rect){ in.x, in.y + (in.h - h) / 2, in.w, h }, UI_FONT_BODY, t->text,
                 text, 3, 1);
    ui_sem_add(u, UI_SEM_BUTTON, r, text, on);
    return tapped;
}

int station_choice_h(ui *u, int w, const char *text, int mark)
{
    int in_w = w - 2 * ui_dp(u, 16) - (mark ? ui_dp(u, 44) + ui_dp(u, 18) : 0);
    int h = ui_text_wrap(u, (ui_rect){ 0, 0, in_w, 0 }, UI_FONT_BODY, ui_theme_get(u)->text,
                         text, 3, 0) + 2 * ui_dp(u, 16);
    int min = app_touch(u) + ui_dp(u, 16);
    return h > min ? h : min;
}

int station_field(app *a, ui *u, const char *id, ui_rect r, const char *label, char *buf,
                  const char *placeholder, int focused, int lines)
{
    const ui_theme *t = ui_theme_get(u);
    (void)a;
    int lh = ui_line_height(u, UI_FONT_SMALL);
    if (label) {
        ui_label(u, ui_cut_top(&r, lh), UI_FONT_SMALL, t->muted, UI_LEFT, label);
        ui_cut_top(&r, ui_dp(u, 4));
    }
    int tapped = ui_card(u, id, r, NULL);
    ui_draw_box(u, r, t->panel, focused ? t->accent : t->border, ui_dp(u, focused ? 4 : 2),
                ui_dp(u, 10));
    ui_rect in = ui_inset(r, ui_dp(u, 14));
    if (!buf[0] && !focused) {
        if (placeholder && placeholder[0])
            ui_text_wrap(u, in, UI_FONT_BODY, t->muted, placeholder, lines, 1);
    } else  /* the cursor where a tap puts it; one-line fields (e-mail) show it all */
        ui_edit_text(u, in, UI_FONT_BODY, UI_FONT_SMALL, t->text, buf, focused, lines, tapped);
    ui_sem_add(u, UI_SEM_FIELD, r, buf, focused);
    ui_sem_add(u, UI_SEM_BUTTON, r, label ? label : placeholder, focused);
    return tapped;
}

int station_keys(ui *u, ui_rect r, const char *const *keys, size_t n, char *buf, size_t cap)
{
    int gap = ui_dp(u, 8), changed = 0;
    if (!n)
        return 0;
    int kw = (r.w - (int)(n - 1) * gap) / (int)n;
    if (kw > ui_dp(u, 150))
        kw = ui_dp(u, 150);
    for (size_t i = 0; i < n; i++) {
        char id[24];
        snprintf(id, sizeof id, "xkey-%s", keys[i]);
        if (ui_button(u, id, ui_cut_left(&r, kw), keys[i], UI_STYLE_NORMAL)) {
            changed |= ui_edit_insert(u, buf, cap, keys[i]);
        }
        ui_cut_left(&r, gap);
    }
    return changed;
}
