/* admin_workshops.c - workshops in the console (docs/admin-api.md, "Workshops"): the
 * workshops kiosks sent when they ended, and one workshop's groups, answers and
 * totals per question, counted by core/results.c as the kiosk's own results screen
 * counts them.  A coordinator limited to named kiosks sees only those kiosks'
 * workshops (the kiosk set goes into the query, as for feedback). */
#include "admin_impl.h"
#include "admin_results_impl.h"
#include "results.h"
#include "survey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Workshops listed at most; more are left out and the reply says so. */
#define WS_LIST_MAX 1000
/* Groups a workshop holds at most (the format allows 20; rows beyond are not read). */
#define WS_GROUPS_MAX 20

/* A string member of o, or NULL. */
static const char *str_of(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* --- the list ---------------------------------------------------------------------- */

typedef struct list_ctx {
    const devs *ds;
    json_t *arr;
    int more;
} list_ctx;

static kc_err list_one(void *ctx, long long device, const char *kind, const char *payload)
{
    list_ctx *l = ctx;
    if (json_array_size(l->arr) >= WS_LIST_MAX) {
        l->more = 1;
        return KC_OK;
    }
    json_t *p = json_loads(payload, 0, NULL);
    const char *id = str_of(p, "workshop"), *sid = str_of(p, "survey");
    json_t *groups = json_object_get(p, "groups");
    int running = strcmp(kind, "workshop-answer") == 0;  /* its first answer */
    kc_err rc = KC_OK;
    if (id && sid && json_is_integer(json_object_get(p, "version"))) {
        json_t *w = json_pack(
            "{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:I}", "id", id, "kiosk",
            adm_res_kiosk(l->ds, device), "survey", sid, "version",
            json_integer_value(json_object_get(p, "version")), "label",
            str_of(p, "label") ? str_of(p, "label") : "", "started",
            str_of(p, "started") ? str_of(p, "started") : "", "ended",
            str_of(p, "ended") ? str_of(p, "ended") : "", "groups",
            (json_int_t)(json_is_array(groups) ? json_array_size(groups) : 0));
        if (w && json_object_set_new(w, "running", json_boolean(running)))
            rc = KC_ENOMEM;
        if (!w || json_array_append_new(l->arr, w))
            rc = KC_ENOMEM;
    }
    json_decref(p);  /* a row that is not a workshop's is left out */
    return rc;
}

void adm_workshops_list(adm_ctx *x)
{
    devs ds;
    srvdb_fb_filter f;
    long long *ids;
    list_ctx l = { &ds, json_array(), 0 };
    if (adm_res_filter(x, &ds, &f, &ids))
        goto done;
    kc_err rc = l.arr ? srvdb_ws_rows(x->db, &f, NULL, list_one, &l) : KC_ENOMEM;
    if (rc == KC_ENOMEM)
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
    else if (rc)
        adm_db_fail(x, rc);
    else {
        adm_ok(x, MHD_HTTP_OK, json_pack("{s:O, s:b}", "workshops", l.arr, "more", l.more));
    }
done:
    json_decref(l.arr);
    kc_free(ids);
    kc_free(ds.v);
}

/* --- one workshop ------------------------------------------------------------------ */

typedef struct one_ctx {
    const devs *ds;
    json_t *head;            /* the "workshop" row */
    long long device;
    json_t *groups;          /* group id -> answers object */
    /* a running workshop's answer rows: group -> question -> the newest row */
    json_t *live;
    json_t *live_head;       /* the newest answer row (survey, version, label, started) */
    long long live_seq, live_device;
} one_ctx;

/* One "workshop-answer" row (docs/survey-format.md): kept when it is the newest for
 * its group and question.  Rows are bounded by the format's groups and questions;
 * rows beyond, or not of the format, are left out. */
static kc_err live_row(one_ctx *o, long long device, json_t *p)
{
    const char *g = str_of(p, "group"), *q = str_of(p, "question");
    json_t *seqj = json_object_get(p, "seq");
    json_int_t seq = json_integer_value(seqj);
    if (!g || !q || !json_is_integer(seqj) || seq < 1 || !json_object_get(p, "answer") ||
        strlen(g) > SURVEY_ID_MAX || strlen(q) > SURVEY_ID_MAX)
        return KC_OK;
    json_t *gq = json_object_get(o->live, g);
    if (!gq) {
        if (json_object_size(o->live) >= WS_GROUPS_MAX)
            return KC_OK;
        if (!(gq = json_object()) || json_object_set_new(o->live, g, gq))
            return KC_ENOMEM;
    }
    json_t *old = json_object_get(gq, q);
    if (!old && json_object_size(gq) >= SURVEY_MAX_QUESTIONS)
        return KC_OK;
    if (!old || json_integer_value(json_object_get(old, "seq")) < seq)
        if (json_object_set(gq, q, p))
            return KC_ENOMEM;
    if (seq > o->live_seq) {
        json_decref(o->live_head);
        o->live_head = json_incref(p);
        o->live_seq = seq;
        o->live_device = device;
    }
    return KC_OK;
}

/* A running workshop (no end rows): the head and each group's answers from its newest
 * answer rows; a removed answer (null) is left out, as is a group left without any. */
static kc_err live_build(one_ctx *o)
{
    const char *g;
    json_t *gq;
    o->head = o->live_head;
    o->live_head = NULL;
    o->device = o->live_device;
    json_object_foreach(o->live, g, gq) {
        json_t *ans = json_object();
        const char *q;
        json_t *row;
        if (!ans)
            return KC_ENOMEM;
        json_object_foreach(gq, q, row) {
            json_t *a = json_object_get(row, "answer");
            if (!json_is_null(a) && json_object_set(ans, q, a)) {
                json_decref(ans);
                return KC_ENOMEM;
            }
        }
        if (json_object_size(ans) == 0)
            json_decref(ans);
        else if (json_object_set_new(o->groups, g, ans))
            return KC_ENOMEM;
    }
    return KC_OK;
}

static kc_err one_row(void *ctx, long long device, const char *kind, const char *payload)
{
    one_ctx *o = ctx;
    json_t *p = json_loads(payload, 0, NULL);
    if (!p)
        return KC_OK;
    if (strcmp(kind, "workshop") == 0 && !o->head) {
        o->head = p;
        o->device = device;
        return KC_OK;
    }
    const char *g = str_of(p, "group");
    json_t *ans = json_object_get(p, "answers");
    kc_err rc = KC_OK;
    /* Once the end's rows are in (they come first), they alone count: the answer rows
     * sent while it ran are the same answers again. */
    if (strcmp(kind, "workshop-answer") == 0 && !o->head)
        rc = live_row(o, device, p);
    if (strcmp(kind, "workshop-group") == 0 && g && json_is_object(ans) &&
        json_object_size(o->groups) < WS_GROUPS_MAX && !json_object_get(o->groups, g) &&
        json_object_set(o->groups, g, ans))
        rc = KC_ENOMEM;
    json_decref(p);
    return rc;
}

static json_t *langs_json(char *const text[CAT_NLANG])
{
    json_t *o = json_object();
    static const char *const L[CAT_NLANG] = { "fi", "sv", "en" };
    for (int i = 0; o && i < CAT_NLANG; i++)
        if (text[i] && json_object_set_new(o, L[i], json_string(text[i]))) {
            json_decref(o);
            return NULL;
        }
    return o;
}

/* The options of a TOP question with options_from: the n-th entry of each group's
 * answer to the source question, as "<group>/<n>" (docs/survey-format.md), labelled
 * with the entry's text. */
static kc_err dyn_options(results *r, size_t q, const survey *def, const survey_question *sq,
                          json_t *groups)
{
    const survey_question *src = survey_question_at(def, (size_t)sq->options_from);
    size_t cap = WS_GROUPS_MAX * SURVEY_MAX_ENTRIES, n = 0;
    char **ids = kc_calloc(cap, sizeof *ids);
    const char **labels = kc_calloc(cap, sizeof *labels);
    kc_err rc = ids && labels ? KC_OK : KC_ENOMEM;
    for (size_t g = 0; !rc && g < survey_ngroups(def); g++) {
        const char *gid = survey_group_at(def, g)->id;
        json_t *list = json_object_get(json_object_get(groups, gid), src->id);
        for (size_t i = 0; !rc && i < json_array_size(list) && n < cap; i++) {
            const char *t = json_string_value(json_array_get(list, i));
            if (!t)
                continue;
            char id[160];
            snprintf(id, sizeof id, "%s/%zu", gid, i + 1);
            if (!(ids[n] = kc_strdup(id)))
                rc = KC_ENOMEM;
            else
                labels[n++] = t;
        }
    }
    if (!rc)
        rc = results_set_options(r, q, (const char *const *)ids, labels, n);
    for (size_t i = 0; ids && i < n; i++)
        kc_free(ids[i]);
    kc_free(ids);
    kc_free(labels);
    return rc;
}

static json_t *question_json(const results_question *rq)
{
    const survey_question *q = rq->q;
    json_t *opts = json_array();
    json_t *j = json_pack("{s:s, s:s, s:o, s:I}", "id", q->id, "type",
                          survey_qtype_name(q->type), "text",
                          langs_json(q->text), "answered", (json_int_t)rq->answered);
    if (!j || !opts) {
        json_decref(j);
        json_decref(opts);
        return NULL;
    }
    for (size_t i = 0; i < rq->noptions; i++) {
        const results_option *o = &rq->options[i];
        json_t *oj = json_pack("{s:s, s:I, s:f, s:I, s:i}", "id", o->id, "count",
                               (json_int_t)o->count, "percent", o->percent, "points",
                               (json_int_t)o->points, "rank", o->rank);
        if (oj && (o->text[0] || o->text[1] || o->text[2]))
            json_object_set_new(oj, "text", langs_json(o->text));
        if (!oj || json_array_append_new(opts, oj)) {
            json_decref(opts);
            json_decref(j);
            return NULL;
        }
    }
    json_object_set_new(j, "options", opts);
    if (rq->answered && (q->type == SURVEY_SCALE || q->type == SURVEY_NUMBER)) {
        json_object_set_new(j, "mean", json_real(rq->mean));
        json_object_set_new(j, "min", json_real(rq->min));
        json_object_set_new(j, "max", json_real(rq->max));
    }
    if (q->type == SURVEY_TEXT)
        json_object_set_new(j, "entries", json_integer(rq->texts));
    return j;
}

/* The totals per question and the groups' names from the definition; *out stays NULL
 * when the server does not hold that version (the answers are shown all the same). */
static kc_err totals(adm_ctx *x, const char *sid, long long version, json_t *groups,
                     json_t **qs, json_t **names, json_t **title)
{
    char *body = NULL, msg[KC_MSGMAX];
    survey *def = NULL;
    results *r = NULL;
    *qs = *names = *title = NULL;
    kc_err rc = srvdb_doc_get(x->db, "survey", sid, version, &body, NULL);
    if (rc == KC_ENOTFOUND)
        return KC_OK;
    if (rc)
        return rc;
    if (survey_parse(body, strlen(body), "survey", &def, msg) ||
        survey_get_mode(def) != SURVEY_MODE_WORKSHOP) {
        kc_free(body);
        survey_free(def);
        return KC_OK;  /* not a workshop definition (any more): no totals */
    }
    kc_free(body);
    if ((rc = results_new(def, &r)))
        goto out;
    for (size_t q = 0; !rc && q < survey_nquestions(def); q++) {
        const survey_question *sq = survey_question_at(def, q);
        if (sq->type == SURVEY_TOP && sq->options_from >= 0)
            rc = dyn_options(r, q, def, sq, groups);
    }
    const char *gid;
    json_t *ans;
    json_object_foreach(groups, gid, ans) {
        char *s = rc ? NULL : json_dumps(ans, JSON_COMPACT);
        if (!rc && !s)
            rc = KC_ENOMEM;
        if (!rc)
            rc = results_add(r, s, msg) == KC_ENOMEM ? KC_ENOMEM : KC_OK;
        kc_free(s);
    }
    if (rc)
        goto out;
    results_finish(r);
    *qs = json_array();
    *names = json_object();
    if (!*qs || !*names) {
        rc = KC_ENOMEM;
        goto out;
    }
    for (size_t q = 0; !rc && q < results_nquestions(r); q++) {
        json_t *j = question_json(results_question_at(r, q));
        if (!j || json_array_append_new(*qs, j))
            rc = KC_ENOMEM;
    }
    for (size_t g = 0; !rc && g < survey_ngroups(def); g++) {
        const survey_group *sg = survey_group_at(def, g);
        json_t *n = langs_json(sg->name);
        if (!n || json_object_set_new(*names, sg->id, n))
            rc = KC_ENOMEM;
    }
    if (!rc) {
        cat_lang used;
        static const char *const L[3] = { "fi", "sv", "en" };
        *title = json_object();
        for (int i = 0; *title && i < 3; i++) {
            cat_langs pref = cat_langs_for((cat_lang)i);
            const char *t = survey_title(def, &pref, &used);
            if (t && (int)used == i)
                json_object_set_new(*title, L[i], json_string(t));
        }
        if (!*title)
            rc = KC_ENOMEM;
    }
out:
    if (rc) {
        json_decref(*qs);
        json_decref(*names);
        json_decref(*title);
        *qs = *names = *title = NULL;
    }
    results_free(r);
    survey_free(def);
    return rc;
}

void adm_workshop_get(adm_ctx *x)
{
    devs ds;
    srvdb_fb_filter f;
    long long *ids;
    one_ctx o = { &ds, NULL, 0, json_object(), json_object(), NULL, 0, 0 };
    json_t *qs = NULL, *names = NULL, *title = NULL, *gl = NULL, *live_order = NULL;
    if (adm_res_filter(x, &ds, &f, &ids))
        goto done;
    kc_err rc = o.groups && o.live ? srvdb_ws_rows(x->db, &f, x->arg, one_row, &o) : KC_ENOMEM;
    int running = !rc && !o.head && o.live_head;
    if (running)
        rc = live_build(&o);
    if (!rc && !o.head) {
        adm_fail(x, MHD_HTTP_NOT_FOUND, NULL, "no such workshop");
        goto done;
    }
    const char *sid = rc ? NULL : str_of(o.head, "survey");
    json_int_t version = json_integer_value(json_object_get(o.head, "version"));
    if (!rc && (!sid || version < 1)) {
        adm_fail(x, MHD_HTTP_NOT_FOUND, NULL, "no such workshop");
        goto done;
    }
    if (!rc)
        rc = totals(x, sid, version, o.groups, &qs, &names, &title);
    if (!rc && !(gl = json_array()))
        rc = KC_ENOMEM;
    /* groups in the order the workshop named them; while it runs, the definition's
     * order (the answers' when the server lacks the definition) */
    json_t *order = json_object_get(o.head, "groups");
    if (!rc && running) {
        const char *gid;
        json_t *v;
        if (!(order = live_order = json_array()))
            rc = KC_ENOMEM;
        json_object_foreach(names ? names : o.groups, gid, v) {
            if (!rc && json_array_append_new(live_order, json_string(gid)))
                rc = KC_ENOMEM;
        }
    }
    for (size_t i = 0; !rc && i < json_array_size(order); i++) {
        const char *gid = json_string_value(json_array_get(order, i));
        json_t *ans = gid ? json_object_get(o.groups, gid) : NULL;
        if (!ans)
            continue;
        json_t *g = json_pack("{s:s, s:O}", "id", gid, "answers", ans);
        json_t *n = names ? json_object_get(names, gid) : NULL;
        if (g && n)
            json_object_set(g, "name", n);
        if (!g || json_array_append_new(gl, g))
            rc = KC_ENOMEM;
    }
    if (rc == KC_ENOMEM) {
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
        goto done;
    }
    if (rc) {
        adm_db_fail(x, rc);
        goto done;
    }
    json_t *j = json_pack(
        "{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:b, s:O, s:o, s:o}", "id", x->arg, "kiosk",
        adm_res_kiosk(&ds, o.device), "survey", sid, "version", version, "label",
        str_of(o.head, "label") ? str_of(o.head, "label") : "", "started",
        str_of(o.head, "started") ? str_of(o.head, "started") : "", "ended",
        str_of(o.head, "ended") ? str_of(o.head, "ended") : "", "running", running, "groups", gl,
        "title",
        title ? title : json_object(), "questions", qs ? qs : json_array());
    title = qs = NULL;
    adm_ok(x, MHD_HTTP_OK, j);
done:
    json_decref(o.head);
    json_decref(o.groups);
    json_decref(o.live);
    json_decref(o.live_head);
    json_decref(live_order);
    json_decref(qs);
    json_decref(names);
    json_decref(title);
    json_decref(gl);
    kc_free(ids);
    kc_free(ds.v);
}

/* --- the live screen's change events (admin_live.h) --------------------------------- */

void adm_workshop_events(adm_ctx *x)
{
    devs ds;
    srvdb_fb_filter f;
    long long *ids, stamp = 0;
    if (adm_res_filter(x, &ds, &f, &ids)) {
        kc_free(ids);
        kc_free(ds.v);
        return;
    }
    /* Only a workshop this account may see: its rows from the allowed kiosks. */
    kc_err rc = srvdb_ws_stamp(x->db, &f, x->arg, &stamp);
    kc_free(ids);
    kc_free(ds.v);
    if (rc) {
        adm_db_fail(x, rc);
        return;
    }
    if (stamp == 0) {
        adm_fail(x, MHD_HTTP_NOT_FOUND, NULL, "no such workshop");
        return;
    }
    struct MHD_Response *r = NULL;
    switch (admin_live_open(x->a->live, x->c, x->arg, x->addr, stamp, &r)) {
    case LIVE_OK:
        x->resp = r;
        x->status = MHD_HTTP_OK;
        return;
    case LIVE_FULL:
        x->retry_after = 30;
        adm_failc(x, MHD_HTTP_SERVICE_UNAVAILABLE, "live_full", NULL,
                  "too many live screens open; poll instead");
        return;
    case LIVE_ADDRESS_FULL:
        x->retry_after = 30;
        adm_failc(x, MHD_HTTP_SERVICE_UNAVAILABLE, "live_full", NULL,
                  "too many live screens open from this address; poll instead");
        return;
    case LIVE_STOPPING:
        x->retry_after = 5;
        adm_fail(x, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "server stopping, retry later");
        return;
    case LIVE_NOMEM:
        break;
    }
    adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
}
