/* Workshop mode (coordinator, behind the PIN): choose a definition and start it, let
 * the named groups answer in turn, show live results large enough for the room, end
 * it (its answers are queued for the server) and export it next to the database.
 * Pages are nav kinds: WS_LIST, WS_RUN, WS_GROUP, WS_RESULTS; the item is the
 * workshop's id. */
#include "station.h"
#include "screens.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

enum { WS_LIST, WS_RUN, WS_GROUP, WS_RESULTS };

uint32_t workshop_idle_ms(const app *a, uint32_t ms)
{
    /* A workshop's live results stay up while the room discusses them. */
    const nav_entry *n = app_cur(a);
    if (n->id == SCR_WORKSHOP && n->kind == WS_RESULTS && ms < 60000u * 20)
        return ms * 20 > 60000u * 20 ? ms * 20 : 60000u * 20;
    return ms;
}

#define WS_REFRESH_MS 5000   /* the results screen reads the answers back this often */

/* --- jobs ------------------------------------------------------------------------------------ */

/* ctx is the station: a saved answer or an end asks the sync thread to send its rows
 * now (the room's live screen shows them), not at the next timer. */
static kc_err ws_job(store *st, void *ctx, char *msg)
{
    struct station *sta = ctx;
    st_workshop *ws = &sta->ws;
    kc_err rc = KC_OK;
    switch (ws->op) {
    case WS_OP_START:
        rc = workshop_start(st, ws->start_survey, NULL, time(NULL), ws->new_id, msg);
        break;
    case WS_OP_SET:
        rc = workshop_set_answer(ws->w, st, ws->jg, ws->jq, ws->ja.set ? &ws->ja : NULL,
                                 &ws->jp);
        if (rc)
            kc_fail(msg, rc, "%s", workshop_errmsg(ws->w));
        else
            app_sync_kick(sta->app);
        break;
    case WS_OP_END:
        rc = workshop_end(ws->w, st, time(NULL), NULL);
        if (rc)
            kc_fail(msg, rc, "%s", workshop_errmsg(ws->w));
        else
            app_sync_kick(sta->app);
        break;
    case WS_OP_EXPORT: {
        const char *paths[2] = { ws->export_csv, ws->export_json };
        for (int k = 0; k < 2 && !rc; k++) {
            FILE *f = fopen(paths[k], "wb");
            if (!f)
                return kc_fail(msg, KC_EIO, "cannot write %s: %s", paths[k], strerror(errno));
            rc = k == 0 ? workshop_export_csv(ws->w, CAT_FI, f, msg)
                        : workshop_export_json(ws->w, f, msg);
            if (fclose(f) != 0 && !rc)
                rc = kc_fail(msg, KC_EIO, "closing %s failed", paths[k]);
        }
        break;
    }
    case WS_OP_NONE:
        break;
    }
    return rc;
}

static void start_op(app *a, st_workshop *ws, ws_op op)
{
    ws->op = op;
    station_job_start(a, &ws->job, ws_job, a->station);
}

/* --- helpers ----------------------------------------------------------------------------------- */

static int ensure_open(app *a, st_workshop *ws, const char *id)
{
    if (ws->w && strcmp(ws->open_id, id) == 0)
        return 1;
    workshop_free(ws->w);
    results_free(ws->res);
    ws->w = NULL;
    ws->res = NULL;
    ws->group = -1;
    ws->ed.key = -1;
    ws->export_csv[0] = '\0';
    ws->confirm_end = 0;
    snprintf(ws->open_id, sizeof ws->open_id, "%s", id);
    if (workshop_open(a->st, id, &ws->w, ws->err) != KC_OK) {
        ws->w = NULL;
        return 0;
    }
    return 1;
}

/* Reads the answers back from the database (another kiosk or kioskctl may add some). */
static void reload(app *a, st_workshop *ws)
{
    workshop *w;
    char msg[KC_MSGMAX];
    if (workshop_open(a->st, ws->open_id, &w, msg) != KC_OK)
        return;
    workshop_free(ws->w);
    results_free(ws->res);
    ws->w = w;
    ws->res = NULL;
    ws->ed.key = -1;
}

static const results *totals(st_workshop *ws)
{
    if (!ws->res && workshop_results(ws->w, &ws->res) != KC_OK)
        ws->res = NULL;
    return ws->res;
}

static const char *group_name(app *a, const survey *def, size_t g)
{
    const survey_group *sg = survey_group_at(def, g);
    const char *n = cat_text_pick(sg->name, &a->pref, NULL);
    return n ? n : sg->id;
}

static int visible(const st_workshop *ws, size_t g, size_t q)
{
    const survey *def = workshop_survey(ws->w);
    size_t nq = survey_nquestions(def);
    survey_answer *all = kc_calloc(nq, sizeof *all);
    if (!all)
        return 1;
    for (size_t i = 0; i < nq; i++) {
        const survey_answer *an = workshop_answer(ws->w, g, i);
        if (an)
            all[i] = *an;  /* shallow: only read by survey_visible */
    }
    int v = survey_visible(def, all, q);
    kc_free(all);
    return v;
}

/* The next (dir 1) or previous (-1) shown question from q, or -1. */
static long step(const st_workshop *ws, size_t g, long q, int dir)
{
    long nq = (long)survey_nquestions(workshop_survey(ws->w));
    for (long i = q + dir; i >= 0 && i < nq; i += dir)
        if (visible(ws, g, (size_t)i))
            return i;
    return -1;
}

typedef struct wopt {
    const app *a;
    const workshop *w;
    size_t q;
    char buf[SURVEY_OPTION_MAX + 200];
} wopt;

static const char *wopt_text(void *ud, size_t i)
{
    wopt *o = ud;
    const char *s = workshop_option_text(o->w, o->q, i, &o->a->pref);
    long g = workshop_option_group(o->w, o->q, i);
    if (g < 0)
        return s;
    const survey_group *sg = survey_group_at(workshop_survey(o->w), (size_t)g);
    const char *gn = cat_text_pick(sg->name, &o->a->pref, NULL);
    snprintf(o->buf, sizeof o->buf, "%s (%s)", s ? s : "", gn ? gn : sg->id);
    return o->buf;
}

static void saving(app *a, ui *u, ui_rect r)
{
    station_message(u, ui_cut_top(&r, ui_dp(u, 100)), tr(a, "Saving\xe2\x80\xa6"), 0);
}

/* --- pages ----------------------------------------------------------------------------------------- */

static void page_list(app *a, ui *u, ui_rect r, st_workshop *ws)
{
    const ui_theme *t = ui_theme_get(u);
    if (station_job_poll(&ws->job, u) && ws->job.phase == ST_DONE && ws->op == WS_OP_START) {
        ws->listed = 0;
        app_go(a, SCR_WORKSHOP, WS_RUN, ws->new_id);
        return;
    }
    if (ws->job.phase == ST_SAVING) {
        saving(a, u, r);
        return;
    }
    if (!ws->listed) {
        char msg[KC_MSGMAX];
        workshop_info_free(ws->list, ws->nlist);
        survey_info_free(ws->defs, ws->ndefs);
        ws->list = NULL, ws->defs = NULL, ws->nlist = ws->ndefs = 0;
        if (workshop_list(a->st, &ws->list, &ws->nlist, msg) ||
            survey_list(a->st, 0, NULL, station_now(a), &ws->defs, &ws->ndefs, msg))
            snprintf(ws->err, sizeof ws->err, "%s", msg);
        ws->listed = 1;
    }
    w_heading(u, ui_cut_top(&r, w_heading_h(u)), tr(a, "Workshops"));
    if (ws->job.phase == ST_FAILED) {
        char m[KC_MSGMAX + 100];
        snprintf(m, sizeof m, "%s %s", tr(a, "Could not start the workshop:"), ws->job.msg);
        ui_cut_top(&r, station_message(u, r, m, 1) + ui_dp(u, 10));
    }
    int rh = app_touch(u) + ui_dp(u, 40), gap = ui_dp(u, 12);
    int off = ui_scroll_begin(u, "ws-list", r, -1);
    ui_rect c = { r.x, r.y + off, r.w - ui_dp(u, 16), 1 << 20 };
    int y0 = c.y;
    ui_label(u, ui_cut_top(&c, ui_dp(u, 50)), UI_FONT_BOLD, t->text, UI_LEFT,
             tr(a, "Start a new workshop"));
    int any = 0;
    for (size_t i = 0; i < ws->ndefs; i++) {
        if (ws->defs[i].mode != SURVEY_MODE_WORKSHOP)
            continue;
        any = 1;
        const char *title = cat_text_pick(ws->defs[i].title, &a->pref, NULL);
        char id[80];
        snprintf(id, sizeof id, "ws-def-%s", ws->defs[i].id);
        ui_rect row = ui_cut_top(&c, rh);
        ui_cut_top(&c, gap);
        ui_rect b = ui_cut_right(&row, ui_dp(u, 260));
        ui_label(u, ui_inset(row, ui_dp(u, 10)), UI_FONT_BODY, t->text, UI_LEFT,
                 title ? title : ws->defs[i].id);
        if (ui_button(u, id, ui_inset(b, ui_dp(u, 6)), tr(a, "Start"), UI_STYLE_PRIMARY)) {
            snprintf(ws->start_survey, sizeof ws->start_survey, "%s", ws->defs[i].id);
            start_op(a, ws, WS_OP_START);
        }
    }
    if (!any)
        ui_text_wrap(u, ui_cut_top(&c, ui_dp(u, 80)), UI_FONT_BODY, t->muted,
                     tr(a, "No workshop definitions. Import one with kioskctl survey import."),
                     2, 1);
    ui_cut_top(&c, ui_dp(u, 20));
    ui_label(u, ui_cut_top(&c, ui_dp(u, 50)), UI_FONT_BOLD, t->text, UI_LEFT,
             tr(a, "Workshops on this kiosk"));
    for (size_t i = 0; i < ws->nlist; i++) {
        const workshop_info *wi = &ws->list[i];
        char line[400], id[64], when[64];
        app_format_hour(a, wi->started, when, sizeof when);
        snprintf(line, sizeof line,
                 trn(a, "%s · started %s · %ld answer · %s", "%s · started %s · %ld answers · %s",
                     (unsigned long)wi->answers),
                 wi->label, when, wi->answers, tr(a, wi->ended[0] ? N_("ended") : N_("open")));
        snprintf(id, sizeof id, "ws-%s", wi->id);
        ui_rect row = ui_cut_top(&c, rh);
        ui_cut_top(&c, gap);
        if (station_choice(u, id, row, line, 0, 0, 0))
            app_go(a, SCR_WORKSHOP, WS_RUN, wi->id);
    }
    if (!ws->nlist)
        ui_label(u, ui_cut_top(&c, ui_dp(u, 60)), UI_FONT_BODY, t->muted, UI_LEFT,
                 tr(a, "None yet."));
    ui_scroll_end(u, c.y - y0);
}

static void page_run(app *a, ui *u, ui_rect r, st_workshop *ws)
{
    const ui_theme *t = ui_theme_get(u);
    if (station_job_poll(&ws->job, u)) {
        if (ws->job.phase == ST_DONE && ws->op == WS_OP_END)
            app_sync_kick(a);  /* the answers are queued: send them now */
        results_free(ws->res);
        ws->res = NULL;
        ws->listed = 0;
        if (ws->job.phase == ST_FAILED && ws->op == WS_OP_END)
            reload(a, ws);  /* nothing changed in the database: read it again */
    }
    if (ws->job.phase == ST_SAVING) {
        saving(a, u, r);
        return;
    }
    const survey *def = workshop_survey(ws->w);
    const char *title = survey_title(def, &a->pref, NULL);  /* the label is in one language */
    w_heading(u, ui_cut_top(&r, w_heading_h(u)), title ? title : workshop_label(ws->w));
    int ended = workshop_ended(ws->w);
    int modal = ws->confirm_end && !ended;  /* the dialog takes the taps */
    size_t ng = survey_ngroups(def), nq = survey_nquestions(def);
    ui_label(u, ui_cut_top(&r, ui_line_height(u, UI_FONT_BODY) + ui_dp(u, 8)), UI_FONT_BODY,
             ended ? t->warn : t->ok, UI_LEFT,
             tr(a, ended ? N_("Ended: answers can no longer be changed.")
                         : N_("Open: choose the group whose turn it is.")));
    if (ws->job.phase == ST_FAILED) {
        char m[KC_MSGMAX + 100];
        snprintf(m, sizeof m, "%s %s", tr(a, "That did not work:"), ws->job.msg);
        ui_cut_top(&r, station_message(u, r, m, 1) + ui_dp(u, 10));
    } else if (ws->op == WS_OP_EXPORT && ws->job.phase == ST_DONE) {
        char m[2600];
        snprintf(m, sizeof m, tr(a, "Exported: %s and %s"), ws->export_csv, ws->export_json);
        ui_cut_top(&r, station_message(u, r, m, 0) + ui_dp(u, 10));
    }
    ui_cut_top(&r, ui_dp(u, 8));
    ui_rect bottom = ui_cut_bottom(&r, app_touch(u) + ui_dp(u, 8));
    ui_cut_bottom(&r, ui_dp(u, 16));

    /* The groups, as big buttons with how far each has come. */
    int cols = ui_w(u) >= ui_h(u) ? 3 : 2, gap = ui_dp(u, 16);
    int rows = ((int)ng + cols - 1) / cols;
    int gh = rows ? (r.h - (rows - 1) * gap) / rows : 0;
    if (gh > ui_dp(u, 180))
        gh = ui_dp(u, 180);
    int gw = (r.w - (cols - 1) * gap) / cols;
    for (size_t g = 0; g < ng; g++) {
        ui_rect b = { r.x + (int)(g % (size_t)cols) * (gw + gap),
                      r.y + (int)(g / (size_t)cols) * (gh + gap), gw, gh };
        size_t done = 0;
        for (size_t q = 0; q < nq; q++)
            done += workshop_answer(ws->w, g, q) != NULL;
        char id[48], line[120];
        snprintf(id, sizeof id, "ws-group-%zu", g);
        snprintf(line, sizeof line, tr(a, "%zu of %zu answered"), done, nq);
        const char *name = group_name(a, def, g);
        if (ui_card(u, id, b, name) && !ended && !modal) {
            ws->group = (long)g;
            ws->q = 0;
            long first = visible(ws, g, 0) ? 0 : step(ws, g, 0, 1);
            ws->q = first < 0 ? 0 : (size_t)first;
            ws->ed.key = -1;
            ws->show_prob = 0;
            app_go(a, SCR_WORKSHOP, WS_GROUP, ws->open_id);
        }
        ui_rect in = ui_inset(b, ui_dp(u, 18));
        int h = ui_text_wrap(u, in, UI_FONT_TITLE, t->button_text, name, 2, 1);
        ui_cut_top(&in, h + ui_dp(u, 6));
        ui_label(u, ui_cut_top(&in, ui_line_height(u, UI_FONT_BODY)), UI_FONT_BODY,
                 done == nq ? t->ok : t->muted, UI_LEFT, line);
    }

    int bw = (bottom.w - 2 * gap) / 3;
    if (ui_button(u, "ws-results", ui_cut_left(&bottom, bw), tr(a, "Live results"),
                  UI_STYLE_PRIMARY) && !modal) {
        ws->page = 0;
        app_go(a, SCR_WORKSHOP, WS_RESULTS, ws->open_id);
    }
    ui_cut_left(&bottom, gap);
    if (ui_button(u, "ws-export", ui_cut_left(&bottom, bw), tr(a, "Export results"),
                  UI_STYLE_NORMAL) && !modal) {
        const char *db = a->cfg.db_path;
        const char *slash = strrchr(db, '/');
        int dl = slash ? (int)(slash - db) : 1;
        snprintf(ws->export_csv, sizeof ws->export_csv, "%.*s/workshop-%.8s.csv", dl,
                 slash ? db : ".", ws->open_id);
        snprintf(ws->export_json, sizeof ws->export_json, "%.*s/workshop-%.8s.json", dl,
                 slash ? db : ".", ws->open_id);
        start_op(a, ws, WS_OP_EXPORT);
        ui_request_frame(u);
    }
    ui_cut_left(&bottom, gap);
    if (!ended && !ws->confirm_end &&
        ui_button(u, "ws-end", bottom, tr(a, "End workshop"), UI_STYLE_NORMAL))
        ws->confirm_end = 1;
    if (modal) {
        /* A second, explicit step: ending cannot be undone. */
        ui_rect all = { 0, 0, ui_w(u), ui_h(u) };
        ui_draw_rect(u, all, (ui_color){ 0, 0, 0, 160 }, 0);
        int w = ui_w(u) * 2 / 3 > ui_dp(u, 900) ? ui_dp(u, 900) : ui_w(u) * 2 / 3;
        ui_rect box = { (ui_w(u) - w) / 2, ui_h(u) / 2 - ui_dp(u, 180), w, ui_dp(u, 360) };
        ui_draw_box(u, box, t->panel, t->border, ui_dp(u, 3), ui_dp(u, 16));
        ui_rect in = ui_inset(box, ui_dp(u, 30));
        ui_text_wrap(u, ui_cut_top(&in, ui_dp(u, 170)), UI_FONT_TITLE, t->text,
                     tr(a, "End the workshop now? Groups can no longer change their answers, "
                           "and the answers are sent to the city."),
                     4, 1);
        ui_rect row = ui_cut_bottom(&in, app_touch(u));
        if (ui_button(u, "ws-end-cancel", ui_cut_left(&row, row.w / 2 - gap), tr(a, "Cancel"),
                      UI_STYLE_NORMAL))
            ws->confirm_end = 0;
        ui_cut_left(&row, gap);
        if (ui_button(u, "ws-end-yes", row, tr(a, "End now"), UI_STYLE_PRIMARY)) {
            ws->confirm_end = 0;
            start_op(a, ws, WS_OP_END);
            ui_request_frame(u);
        }
    }
}

static void page_group(app *a, ui *u, ui_rect r, st_workshop *ws)
{
    const ui_theme *t = ui_theme_get(u);
    if (station_job_poll(&ws->job, u) && ws->op == WS_OP_SET) {
        if (ws->job.phase == ST_DONE) {
            results_free(ws->res);
            ws->res = NULL;
            long nx = step(ws, ws->jg, (long)ws->jq, ws->after);
            ws->ed.key = -1;
            ws->show_prob = 0;
            if (nx < 0) {  /* past the last question: back to the groups */
                ws->group = -1;
                app_back(a);
                return;
            }
            ws->q = (size_t)nx;
            ui_scroll_reset(u, "qedit-opts");
        } else if (ws->job.rc == KC_EINVAL) {
            ws->prob = ws->jp;
            ws->show_prob = 1;
        }
    }
    if (ws->job.phase == ST_SAVING) {
        saving(a, u, r);
        return;
    }
    const survey *def = workshop_survey(ws->w);
    if (ws->group < 0 || (size_t)ws->group >= survey_ngroups(def) || workshop_ended(ws->w)) {
        app_back(a);
        return;
    }
    size_t g = (size_t)ws->group, q = ws->q;
    const survey_question *sq = survey_question_at(def, q);
    qedit_load(&ws->ed, (long)q, sq, workshop_answer(ws->w, g, q));

    char head[300];
    snprintf(head, sizeof head, tr(a, "Group: %s"), group_name(a, def, g));
    w_heading(u, ui_cut_top(&r, w_heading_h(u)), head);
    char pos[80];
    snprintf(pos, sizeof pos, tr(a, "Question %zu of %zu"), q + 1, survey_nquestions(def));
    ui_label(u, ui_cut_top(&r, ui_line_height(u, UI_FONT_BODY) + ui_dp(u, 6)), UI_FONT_BODY,
             t->muted, UI_LEFT, pos);
    ui_rect nav = ui_cut_bottom(&r, app_touch(u) + ui_dp(u, 8));
    ui_cut_bottom(&r, ui_dp(u, 12));
    const char *qt = cat_text_pick(sq->text, &a->pref, NULL);
    int h = ui_text_wrap(u, r, UI_FONT_TITLE, t->text, qt ? qt : sq->id, 3, 1);
    ui_cut_top(&r, h + ui_dp(u, 12));
    /* The message's room is kept when there is none: the keyboard never jumps. */
    ui_rect mr = ui_cut_bottom(&r, ui_dp(u, 80));
    ui_cut_bottom(&r, ui_dp(u, 10));
    if (ws->show_prob || ws->job.phase == ST_FAILED) {
        char m[KC_MSGMAX + 100];
        if (ws->show_prob)
            station_problem_text(a, sq, ws->prob, m, sizeof m);
        else
            snprintf(m, sizeof m, "%s %s", tr(a, "Saving failed:"), ws->job.msg);
        station_message(u, mr, m, 1);
    }
    wopt wo = { a, ws->w, q, "" };
    if (qedit_draw(a, u, r, &ws->ed, workshop_noptions(ws->w, q), wopt_text, &wo))
        ws->show_prob = 0;

    int bw = nav.w / 3;
    int prev = ui_button(u, "ws-prev", ui_cut_left(&nav, bw), tr(a, "Previous"), UI_STYLE_NORMAL);
    int last = step(ws, g, (long)q, 1) < 0;
    int next = ui_button(u, "ws-next", ui_cut_right(&nav, bw),
                         tr(a, last ? N_("Save and finish") : N_("Save and next")),
                         UI_STYLE_PRIMARY);
    if (!prev && !next)
        return;
    int bad;
    qedit_answer(&ws->ed, &ws->ja, &bad);
    const survey_answer *old = workshop_answer(ws->w, g, q);
    survey_problem p = survey_answer_check(sq, &ws->ja, workshop_noptions(ws->w, q));
    if (bad)
        p = (survey_problem){ SURVEY_P_RANGE, sq->min, sq->max };
    ws->after = prev ? -1 : 1;
    if (p.kind != SURVEY_P_NONE && next) {
        ws->prob = p;
        ws->show_prob = 1;
        return;
    }
    if (p.kind != SURVEY_P_NONE || (!ws->ja.set && !old)) {  /* nothing to save */
        long nx = step(ws, g, (long)q, ws->after);
        ws->show_prob = 0;
        ws->ed.key = -1;
        if (nx >= 0)
            ws->q = (size_t)nx;
        else if (next) {
            ws->group = -1;
            app_back(a);
        }
        return;
    }
    ws->jg = g;
    ws->jq = q;
    start_op(a, ws, WS_OP_SET);
    ui_request_frame(u);
}

static void text_answers(app *a, ui *u, ui_rect r, st_workshop *ws, size_t q)
{
    const ui_theme *t = ui_theme_get(u);
    const survey *def = workshop_survey(ws->w);
    int off = ui_scroll_begin(u, "ws-texts", r, -1);
    ui_rect c = { r.x, r.y + off, r.w - ui_dp(u, 16), 1 << 20 };
    int y0 = c.y;
    for (size_t g = 0; g < survey_ngroups(def); g++) {
        const survey_answer *an = workshop_answer(ws->w, g, q);
        if (!an || !an->ntext)
            continue;
        ui_label(u, ui_cut_top(&c, ui_line_height(u, UI_FONT_TITLE) + ui_dp(u, 4)), UI_FONT_TITLE,
                 t->accent, UI_LEFT, group_name(a, def, g));
        for (int i = 0; i < an->ntext; i++) {
            char line[QEDIT_TEXT_MAX + 24];
            snprintf(line, sizeof line, "%d. %s", i + 1, an->text[i]);
            int h = ui_text_wrap(u, c, UI_FONT_BOLD, t->text, line, 0, 1);
            ui_cut_top(&c, h + ui_dp(u, 6));
        }
        ui_cut_top(&c, ui_dp(u, 14));
    }
    ui_scroll_end(u, c.y - y0);
}

static void page_results(app *a, ui *u, ui_rect r, st_workshop *ws)
{
    const ui_theme *t = ui_theme_get(u);
    station_job_poll(&ws->job, u);
    if (ws->job.phase == ST_SAVING) {
        saving(a, u, r);
        return;
    }
    /* Live: read the answers back now and then, so answers given elsewhere show too. */
    uint32_t now = ui_now(u);
    if (now - ws->res_at >= WS_REFRESH_MS) {
        if (ws->res_at)
            reload(a, ws);
        ws->res_at = now ? now : 1;
    }
    ui_wake_in(u, WS_REFRESH_MS - (now - ws->res_at));
    const survey *def = workshop_survey(ws->w);
    size_t nq = survey_nquestions(def);
    if (ws->page >= nq)
        ws->page = 0;
    const results *res = totals(ws);
    size_t answered = 0;
    for (size_t g = 0; g < survey_ngroups(def); g++)
        answered += workshop_answer(ws->w, g, ws->page) != NULL;
    char head[300];
    snprintf(head, sizeof head, tr(a, "Results, question %zu of %zu · %zu of %zu groups answered"),
             ws->page + 1, nq, answered, survey_ngroups(def));
    ui_label(u, ui_cut_top(&r, ui_line_height(u, UI_FONT_BOLD) + ui_dp(u, 10)), UI_FONT_BOLD,
             t->muted, UI_LEFT, head);
    ui_rect nav = ui_cut_bottom(&r, app_touch(u) + ui_dp(u, 8));
    ui_cut_bottom(&r, ui_dp(u, 12));
    const survey_question *sq = survey_question_at(def, ws->page);
    if (sq->type == SURVEY_TEXT) {
        const char *qt = cat_text_pick(sq->text, &a->pref, NULL);
        int h = ui_text_wrap(u, r, UI_FONT_TITLE, t->text, qt ? qt : sq->id, 3, 1);
        ui_cut_top(&r, h + ui_dp(u, 16));
        text_answers(a, u, r, ws, ws->page);
    } else if (res) {
        int off = ui_scroll_begin(u, "ws-chart", r, -1);
        int h = chart_question(a, u, (ui_rect){ r.x, r.y + off, r.w - ui_dp(u, 16), r.h },
                               results_question_at(res, ws->page), 1, 1);
        ui_scroll_end(u, h);
    }
    int bw = nav.w / 3;
    if (ws->page > 0 &&
        ui_button(u, "ws-page-prev", ui_cut_left(&nav, bw), tr(a, "Previous question"),
                  UI_STYLE_NORMAL)) {
        ws->page--;
        ui_scroll_reset(u, "ws-chart");
        ui_scroll_reset(u, "ws-texts");
    }
    if (ws->page + 1 < nq &&
        ui_button(u, "ws-page-next", ui_cut_right(&nav, bw), tr(a, "Next question"),
                  UI_STYLE_PRIMARY)) {
        ws->page++;
        ui_scroll_reset(u, "ws-chart");
        ui_scroll_reset(u, "ws-texts");
    }
}

void scr_workshop(app *a, ui *u, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    struct station *s = station_get(a);
    if (!s || !station_ready(a, u))
        return;
    st_workshop *ws = &s->ws;
    const nav_entry *n = app_cur(a);
    if (n->kind == WS_LIST) {
        page_list(a, u, r, ws);
        return;
    }
    if (ws->job.phase != ST_SAVING && !ensure_open(a, ws, n->item)) {
        ui_text_wrap(u, r, UI_FONT_BODY, t->warn, ws->err, 0, 1);
        return;
    }
    if (n->kind != WS_RUN)
        ws->confirm_end = 0;
    switch (n->kind) {
    case WS_RUN: page_run(a, u, r, ws); break;
    case WS_GROUP: page_group(a, u, r, ws); break;
    case WS_RESULTS: page_results(a, u, r, ws); break;
    default: page_list(a, u, r, ws); break;
    }
}
