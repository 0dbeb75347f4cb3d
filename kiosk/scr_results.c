/* Results for the coordinator (behind the PIN): per survey the totals of every
 * question as bar charts and the free-text answers; the quick feedback with its
 * comments and the contact details residents consented to give.  Nothing here is
 * shown to residents.  Nav kinds: RS_LIST, RS_SURVEY (item: survey id), RS_FEEDBACK. */
#include "station.h"
#include "screens.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { RS_LIST, RS_SURVEY, RS_FEEDBACK };
#define RS_FEEDBACK_KEY "\001"
#define RS_TEXTS_MAX 2000     /* free-text answers read for the screen */
#define RS_FEEDBACK_MAX 2000  /* newest feedback rows read for the screen */

/* --- loading (a job: it reads every response) ----------------------------------------------------- */

static kc_err add_text(st_results *rs, size_t q, const char *s)
{
    if (!s || rs->ntexts >= RS_TEXTS_MAX)
        return KC_OK;
    st_text *n = kc_realloc(rs->texts, (rs->ntexts + 1) * sizeof *n);
    if (!n)
        return KC_ENOMEM;
    rs->texts = n;
    if (!(n[rs->ntexts].s = kc_strdup(s)))
        return KC_ENOMEM;
    n[rs->ntexts++].q = q;
    return KC_OK;
}

/* The free-text answers, from the coordinator's JSON export of the survey. */
static kc_err load_texts(store *st, st_results *rs, char *msg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return kc_fail(msg, KC_ENOMEM, "results: out of memory");
    kc_err rc = results_export_json(st, rs->want, f, msg);
    if (fclose(f) != 0 && !rc)
        rc = kc_fail(msg, KC_ENOMEM, "results: out of memory");
    json_t *root = rc ? NULL : json_loadb(buf, len, 0, NULL);
    if (buf)
        sodium_memzero(buf, len);
    free(buf);  /* open_memstream's buffer comes from malloc */
    if (rc)
        return rc;
    if (!root)
        return kc_fail(msg, KC_EJSON, "results: unreadable export");
    const survey *def = results_survey(rs->res);
    json_t *resp = json_object_get(root, "responses"), *r;
    size_t i;
    json_array_foreach(resp, i, r) {
        json_t *ans = json_object_get(r, "answers");
        for (size_t q = 0; q < survey_nquestions(def) && !rc; q++) {
            const survey_question *sq = survey_question_at(def, q);
            if (sq->type != SURVEY_TEXT)
                continue;
            json_t *v = json_object_get(ans, sq->id), *e;
            size_t k;
            if (json_is_string(v))
                rc = add_text(rs, q, json_string_value(v));
            else
                json_array_foreach(v, k, e) if (!rc) rc = add_text(rs, q, json_string_value(e));
        }
    }
    json_decref(root);
    return rc ? kc_fail(msg, rc, "results: out of memory") : KC_OK;
}

static kc_err fb_row(void *ctx, const feedback_row *r)
{
    st_results *rs = ctx;
    if (rs->nfb >= RS_FEEDBACK_MAX)
        return KC_OK;
    st_fbrow *n = kc_realloc(rs->fb, (rs->nfb + 1) * sizeof *n);
    if (!n)
        return KC_ENOMEM;
    rs->fb = n;
    st_fbrow *o = &n[rs->nfb++];
    memset(o, 0, sizeof *o);
    snprintf(o->hour, sizeof o->hour, "%s", r->hour);
    snprintf(o->context, sizeof o->context, "%s", r->context ? r->context : "");
    o->score = r->score;
    const char *in[4] = { r->comment, r->name, r->email, r->phone };
    char **out[4] = { &o->comment, &o->name, &o->email, &o->phone };
    for (int k = 0; k < 4; k++)
        if (in[k] && in[k][0] && !(*out[k] = kc_strdup(in[k])))
            return KC_ENOMEM;
    return KC_OK;
}

static kc_err load_job(store *st, void *ctx, char *msg)
{
    st_results *rs = ctx;
    kc_err rc = workshop_init(st);
    if (!rc)
        rc = feedback_init(st);
    if (rc)
        return kc_fail(msg, rc, "results: %s", store_errmsg(st));
    if (strcmp(rs->want, RS_FEEDBACK_KEY) == 0) {
        if ((rc = feedback_get_stats(st, &rs->fstats, msg)))
            return rc;
        return feedback_each(st, fb_row, rs, msg);
    }
    if ((rc = results_for_survey(st, rs->want, &rs->res, msg)))
        return rc;
    return load_texts(st, rs, msg);
}

/* Starts loading `want` unless it is loaded or loading; 1 when it is ready to show. */
static int loaded(app *a, ui *u, struct station *s, const char *want)
{
    st_results *rs = &s->rs;
    if (station_job_poll(&rs->job, u)) {
        if (rs->job.phase == ST_DONE)
            snprintf(rs->loaded, sizeof rs->loaded, "%s", rs->want);
        else
            snprintf(rs->err, sizeof rs->err, "%s", rs->job.msg);
    }
    if (rs->job.phase == ST_SAVING)
        return 0;
    if (strcmp(rs->loaded, want) == 0)
        return 1;
    if (rs->err[0] && strcmp(rs->want, want) == 0)
        return 0;  /* failed: the screen says so */
    survey_info *keep = rs->list;
    size_t nkeep = rs->nlist;
    rs->list = NULL;
    rs->nlist = 0;
    station_clear_results(s);
    rs->list = keep;
    rs->nlist = nkeep;
    rs->listed = keep != NULL;
    snprintf(rs->want, sizeof rs->want, "%s", want);
    station_job_start(a, &rs->job, load_job, rs);
    ui_request_frame(u);
    return 0;
}

/* --- pages ------------------------------------------------------------------------------------------ */

static void page_list(app *a, ui *u, ui_rect r, st_results *rs)
{
    const ui_theme *t = ui_theme_get(u);
    if (!rs->listed) {
        char msg[KC_MSGMAX];
        survey_info_free(rs->list, rs->nlist);
        rs->list = NULL;
        rs->nlist = 0;
        if (survey_list(a->st, 0, NULL, station_now(a), &rs->list, &rs->nlist, msg))
            fprintf(stderr, "kiosk: results: %s\n", msg);
        rs->listed = 1;
    }
    w_heading(u, ui_cut_top(&r, w_heading_h(u)), tr(a, "Survey results"));
    ui_text_wrap(u, ui_cut_top(&r, ui_dp(u, 60)), UI_FONT_SMALL, t->muted,
                 tr(a, "For coordinators only: free text and contact details are shown here."),
                 2, 1);
    int rh = app_touch(u) + ui_dp(u, 30), gap = ui_dp(u, 12);
    int off = ui_scroll_begin(u, "rs-list", r, -1);
    ui_rect c = { r.x, r.y + off, r.w - ui_dp(u, 16), 1 << 20 };
    int y0 = c.y;
    if (station_choice(u, "rs-feedback", ui_cut_top(&c, rh), tr(a, "Quick feedback"), 0, 0, 0))
    {
        rs->loaded[0] = '\0';  /* read afresh each time it is opened */
        app_go(a, SCR_RESULTS, RS_FEEDBACK, NULL);
    }
    ui_cut_top(&c, gap);
    for (size_t i = 0; i < rs->nlist; i++) {
        const survey_info *si = &rs->list[i];
        if (si->mode != SURVEY_MODE_SURVEY)
            continue;
        const char *title = cat_text_pick(si->title, &a->pref, NULL);
        char line[400], id[80];
        snprintf(line, sizeof line,
                 trn(a, "%s · %ld response · %s", "%s · %ld responses · %s",
                     (unsigned long)si->responses),
                 title ? title : si->id,
                 si->responses, tr(a, si->active ? N_("active now") : N_("not active")));
        snprintf(id, sizeof id, "rs-%s", si->id);
        if (station_choice(u, id, ui_cut_top(&c, rh), line, 0, 0, 0))
        {
            rs->loaded[0] = '\0';
            app_go(a, SCR_RESULTS, RS_SURVEY, si->id);
        }
        ui_cut_top(&c, gap);
    }
    ui_scroll_end(u, c.y - y0);
}

static void page_survey(app *a, ui *u, ui_rect r, st_results *rs)
{
    const ui_theme *t = ui_theme_get(u);
    const survey *def = results_survey(rs->res);
    const char *title = survey_title(def, &a->pref, NULL);
    w_heading(u, ui_cut_top(&r, w_heading_h(u)), title ? title : survey_id(def));
    char line[200];
    snprintf(line, sizeof line, tr(a, "%ld responses in all"), results_responses(rs->res));
    ui_label(u, ui_cut_top(&r, ui_line_height(u, UI_FONT_BODY) + ui_dp(u, 10)), UI_FONT_BODY,
             t->muted, UI_LEFT, line);
    int off = ui_scroll_begin(u, "rs-survey", r, -1);
    ui_rect c = { r.x, r.y + off, r.w - ui_dp(u, 16), 1 << 20 };
    int y0 = c.y;
    for (size_t q = 0; q < results_nquestions(rs->res); q++) {
        const results_question *rq = results_question_at(rs->res, q);
        int vis = c.y < r.y + r.h && c.y > r.y - ui_dp(u, 3000);
        int h = chart_question(a, u, (ui_rect){ c.x, c.y, c.w, r.h }, rq, 0, vis);
        ui_cut_top(&c, h);
        if (rq->q->type == SURVEY_TEXT) {
            for (size_t i = 0; i < rs->ntexts; i++) {
                if (rs->texts[i].q != q)
                    continue;
                int tv = c.y < r.y + r.h && c.y > r.y - ui_dp(u, 600);
                int th = ui_text_wrap(u, (ui_rect){ c.x + ui_dp(u, 20), c.y, c.w - ui_dp(u, 20),
                                                    1 << 20 },
                                      UI_FONT_BODY, t->text, rs->texts[i].s, 0, tv);
                ui_cut_top(&c, th + ui_dp(u, 10));
            }
        }
        ui_cut_top(&c, ui_dp(u, 30));
    }
    ui_scroll_end(u, c.y - y0);
}

static void page_feedback(app *a, ui *u, ui_rect r, st_results *rs)
{
    const ui_theme *t = ui_theme_get(u);
    w_heading(u, ui_cut_top(&r, w_heading_h(u)), tr(a, "Quick feedback"));
    char line[300];
    snprintf(line, sizeof line, tr(a, "%ld in all · %ld with a comment · %ld with contact details"),
             rs->fstats.total, rs->fstats.comments, rs->fstats.contacts);
    if (rs->fstats.merged > 0) {  /* one person's repeated taps, counted once */
        size_t n = strlen(line);
        snprintf(line + n, sizeof line - n, tr(a, " · taps merged: %ld"), rs->fstats.merged);
    }
    ui_label(u, ui_cut_top(&r, ui_line_height(u, UI_FONT_BODY) + ui_dp(u, 10)), UI_FONT_BODY,
             t->muted, UI_LEFT, line);
    int off = ui_scroll_begin(u, "rs-feedback", r, -1);
    ui_rect c = { r.x, r.y + off, r.w - ui_dp(u, 16), 1 << 20 };
    int y0 = c.y;
    /* The five faces as bars. */
    long top = 1;
    for (int s = 1; s <= 5; s++)
        top = rs->fstats.score[s] > top ? rs->fstats.score[s] : top;
    int rh = ui_dp(u, 64), labw = c.w * 30 / 100, valw = ui_dp(u, 200);
    for (int s = 5; s >= 1; s--) {
        ui_rect row = ui_cut_top(&c, rh);
        ui_cut_top(&c, ui_dp(u, 8));
        station_draw_face(u, ui_cut_left(&row, rh), s);
        ui_cut_left(&row, ui_dp(u, 12));
        ui_label(u, ui_cut_left(&row, labw - rh), UI_FONT_BODY, t->text, UI_LEFT,
                 station_smiley_word(a, s));
        ui_rect val = ui_cut_right(&row, valw);
        ui_rect track = ui_inset(row, rh / 6);
        ui_draw_box(u, track, t->panel, t->border, ui_dp(u, 1), ui_dp(u, 6));
        int bw = (int)((double)track.w * (double)rs->fstats.score[s] / (double)top);
        if (bw > 0)
            ui_draw_rect(u, (ui_rect){ track.x, track.y, bw, track.h }, t->accent, ui_dp(u, 6));
        char v[64];
        snprintf(v, sizeof v, "%ld", rs->fstats.score[s]);
        ui_label(u, ui_inset(val, ui_dp(u, 10)), UI_FONT_BOLD, t->text, UI_LEFT, v);
        char sem[120];
        snprintf(sem, sizeof sem, "%s: %s", station_smiley_word(a, s), v);
        ui_sem_add(u, UI_SEM_TEXT, row, sem, 0);
    }
    ui_cut_top(&c, ui_dp(u, 20));
    /* Newest last, as stored: by hour. */
    for (size_t i = 0; i < rs->nfb; i++) {
        const st_fbrow *f = &rs->fb[i];
        if (!f->comment && !f->email && !f->phone && !f->name)
            continue;
        char headl[300], contact[800];
        /* Where it was given: the card's name when the catalog still has it. */
        int item = a->idx && strcmp(f->context, "home") ? search_find(a->idx, f->context) : -1;
        const char *where = item >= 0 ? search_item_name(a->idx, item, &a->pref, NULL)
                            : strcmp(f->context, "home") && f->context[0] ? f->context
                                                                          : tr(a, "general");
        char when[64];
        app_format_hour(a, f->hour, when, sizeof when);
        snprintf(headl, sizeof headl, "%s · %s · %s", when, station_smiley_word(a, f->score),
                 where);
        int vis = c.y < r.y + r.h && c.y > r.y - ui_dp(u, 1000);
        ui_rect box = { c.x, c.y, c.w, 1 << 20 };
        ui_rect in = ui_inset(box, ui_dp(u, 16));
        int h = ui_line_height(u, UI_FONT_BOLD) + ui_dp(u, 6);
        if (f->comment)
            h += ui_text_wrap(u, in, UI_FONT_BODY, t->text, f->comment, 0, 0) + ui_dp(u, 6);
        contact[0] = '\0';
        if (f->email || f->phone || f->name)
            snprintf(contact, sizeof contact, "%s: %s%s%s%s%s", tr(a, "Contact"),
                     f->name ? f->name : "", f->name ? "  " : "", f->email ? f->email : "",
                     f->email && f->phone ? "  " : "", f->phone ? f->phone : "");
        if (contact[0])
            h += ui_line_height(u, UI_FONT_BOLD) + ui_dp(u, 6);
        box.h = h + ui_dp(u, 32);
        if (vis) {
            ui_draw_rect(u, box, t->panel, ui_dp(u, 10));
            ui_label(u, ui_cut_top(&in, ui_line_height(u, UI_FONT_BOLD) + ui_dp(u, 6)),
                     UI_FONT_BOLD, t->muted, UI_LEFT, headl);
            if (f->comment) {
                int ch = ui_text_wrap(u, in, UI_FONT_BODY, t->text, f->comment, 0, 1);
                ui_cut_top(&in, ch + ui_dp(u, 6));
            }
            if (contact[0])
                ui_label(u, ui_cut_top(&in, ui_line_height(u, UI_FONT_BOLD)), UI_FONT_BOLD,
                         t->accent, UI_LEFT, contact);
        }
        ui_cut_top(&c, box.h + ui_dp(u, 12));
    }
    ui_scroll_end(u, c.y - y0);
}

void scr_results(app *a, ui *u, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    struct station *s = station_get(a);
    if (!s || !station_ready(a, u))
        return;
    st_results *rs = &s->rs;
    const nav_entry *n = app_cur(a);
    if (n->kind == RS_LIST) {
        page_list(a, u, r, rs);
        return;
    }
    const char *want = n->kind == RS_FEEDBACK ? RS_FEEDBACK_KEY : n->item;
    if (!loaded(a, u, s, want)) {
        if (rs->err[0] && rs->job.phase != ST_SAVING)
            station_message(u, ui_cut_top(&r, ui_dp(u, 120)), rs->err, 1);
        else
            ui_label(u, ui_cut_top(&r, ui_dp(u, 80)), UI_FONT_TITLE, t->text, UI_LEFT,
                     tr(a, "Loading, one moment\xe2\x80\xa6"));
        return;
    }
    if (n->kind == RS_FEEDBACK)
        page_feedback(a, u, r, rs);
    else if (rs->res)
        page_survey(a, u, r, rs);
}
