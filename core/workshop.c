/* workshop.c - coordinator workshops: group answers, live totals, end, export. */
#include "workshop.h"
#include "store_sql.h"
#include "answer.h"
#include "csv.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const migrations[] = {
    "CREATE TABLE workshop(id TEXT PRIMARY KEY, survey TEXT NOT NULL, version INTEGER NOT NULL,"
    " label TEXT NOT NULL, started TEXT NOT NULL, ended TEXT) WITHOUT ROWID;"
    "CREATE TABLE workshop_answer(workshop TEXT NOT NULL, grp TEXT NOT NULL,"
    " question TEXT NOT NULL, answer TEXT NOT NULL, PRIMARY KEY(workshop, grp, question))"
    " WITHOUT ROWID;",
    /* The number of the workshop's last answer row sent (workshop-answer, below). */
    "ALTER TABLE workshop ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;",
};

/* Options of an options_from question, rebuilt whenever answers change. */
typedef struct dyn {
    char **ids, **texts;
    long *group;
    size_t n;
} dyn;

struct workshop {
    char id[OUTBOX_UUID_LEN + 1];
    char *label;
    char started[16];
    int ended;
    long long seq;          /* the last workshop-answer row's number */
    survey *def;
    size_t ng, nq;
    char **stored;          /* [g * nq + q]: answer JSON as in the database, or NULL */
    survey_answer *dec;     /* the same, decoded against the current options */
    dyn *opts;              /* [q] */
    char msg[KC_MSGMAX];
};

kc_err workshop_init(store *st)
{
    kc_err rc = survey_init(st);
    if (rc)
        return rc;
    return store_migrate_module(st, "workshop", migrations,
                                (int)(sizeof migrations / sizeof migrations[0]));
}

static void dyn_clear(dyn *d)
{
    for (size_t i = 0; i < d->n; i++) {
        kc_free(d->ids[i]);
        kc_free(d->texts[i]);
    }
    kc_free(d->ids);
    kc_free(d->texts);
    kc_free(d->group);
    memset(d, 0, sizeof *d);
}

void workshop_free(workshop *w)
{
    if (!w)
        return;
    for (size_t i = 0; w->stored && i < w->ng * w->nq; i++)
        kc_free(w->stored[i]);
    for (size_t i = 0; w->dec && i < w->ng * w->nq; i++)
        survey_answer_clear(&w->dec[i]);
    for (size_t i = 0; w->opts && i < w->nq; i++)
        dyn_clear(&w->opts[i]);
    kc_free(w->stored);
    kc_free(w->dec);
    kc_free(w->opts);
    kc_free(w->label);
    survey_free(w->def);
    kc_free(w);
}

const char *workshop_errmsg(const workshop *w) { return w->msg; }
const char *workshop_id(const workshop *w) { return w->id; }
const char *workshop_label(const workshop *w) { return w->label; }
const survey *workshop_survey(const workshop *w) { return w->def; }
int workshop_ended(const workshop *w) { return w->ended; }

static const survey_question *wq(const workshop *w, size_t q)
{
    return survey_question_at(w->def, q);
}

size_t workshop_noptions(const workshop *w, size_t q)
{
    if (q >= w->nq)
        return 0;
    return wq(w, q)->options_from >= 0 ? w->opts[q].n : wq(w, q)->noptions;
}

const char *workshop_option_id(const workshop *w, size_t q, size_t i)
{
    if (i >= workshop_noptions(w, q))
        return NULL;
    return wq(w, q)->options_from >= 0 ? w->opts[q].ids[i] : wq(w, q)->options[i].id;
}

const char *workshop_option_text(const workshop *w, size_t q, size_t i, const cat_langs *pref)
{
    if (i >= workshop_noptions(w, q))
        return NULL;
    if (wq(w, q)->options_from >= 0)
        return w->opts[q].texts[i];
    return cat_text_pick(wq(w, q)->options[i].text, pref, NULL);
}

long workshop_option_group(const workshop *w, size_t q, size_t i)
{
    if (i >= workshop_noptions(w, q) || wq(w, q)->options_from < 0)
        return -1;
    return w->opts[q].group[i];
}

const survey_answer *workshop_answer(const workshop *w, size_t g, size_t q)
{
    if (g >= w->ng || q >= w->nq || !w->dec[g * w->nq + q].set)
        return NULL;
    return &w->dec[g * w->nq + q];
}

/* --- answers <-> JSON ------------------------------------------------------------------ */

static long find_opt(const workshop *w, size_t q, const char *id)
{
    for (size_t i = 0; i < workshop_noptions(w, q); i++)
        if (strcmp(workshop_option_id(w, q, i), id) == 0)
            return (long)i;
    return -1;
}

/* The options of question q as answer.h and csv.h read them: the question's own or
 * the list built from earlier answers. */
typedef struct wq_ref { const workshop *w; size_t q; } wq_ref;

static const char *ref_id(const void *ctx, size_t i)
{
    const wq_ref *r = ctx;
    return workshop_option_id(r->w, r->q, i);
}

static const char *ref_text(const void *ctx, size_t i, const cat_langs *pref)
{
    const wq_ref *r = ctx;
    return workshop_option_text(r->w, r->q, i, pref);
}

static answer_options options_of(const wq_ref *r)
{
    answer_options o = { workshop_noptions(r->w, r->q), ref_id, ref_text, r };
    return o;
}

/* Decodes stored JSON against the current options; unknown picks are dropped. */
static kc_err decode(const workshop *w, size_t q, const char *text, survey_answer *a)
{
    const survey_question *sq = wq(w, q);
    json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
    kc_err rc = KC_OK;
    memset(a, 0, sizeof *a);
    if (!v)
        return KC_ENOMEM;
    if (json_is_string(v) && sq->type == SURVEY_TEXT) {
        if (!(a->text[0] = kc_strdup(json_string_value(v))))
            rc = KC_ENOMEM;
        a->ntext = 1;
    } else if (json_is_string(v)) {
        long o = find_opt(w, q, json_string_value(v));
        if (o >= 0)
            a->sel[a->nsel++] = (int)o;
    } else if (json_is_number(v)) {
        a->num = json_number_value(v);
        a->set = 1;
    } else if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) {
            if (!json_is_string(e))
                continue;
            if (sq->type == SURVEY_TEXT) {
                if (a->ntext >= SURVEY_MAX_ENTRIES)
                    break;
                if (!(a->text[a->ntext++] = kc_strdup(json_string_value(e))))
                    rc = KC_ENOMEM;
            } else {
                long o = find_opt(w, q, json_string_value(e));
                if (o >= 0 && a->nsel < SURVEY_MAX_OPTIONS)
                    a->sel[a->nsel++] = (int)o;
            }
        }
    }
    a->set |= a->nsel > 0 || a->ntext > 0;
    json_decref(v);
    return rc;
}

/* Decodes every stored answer: plain questions first, then the options taken from
 * them, then the questions picking among those. */
static kc_err rebuild(workshop *w)
{
    for (int pass = 0; pass < 2; pass++) {
        for (size_t q = 0; q < w->nq; q++) {
            int dynamic = wq(w, q)->options_from >= 0;
            if (dynamic != pass)
                continue;
            if (dynamic) {
                dyn *d = &w->opts[q];
                size_t f = (size_t)wq(w, q)->options_from, cap = w->ng * SURVEY_MAX_ENTRIES;
                dyn_clear(d);
                d->ids = kc_calloc(cap, sizeof *d->ids);
                d->texts = kc_calloc(cap, sizeof *d->texts);
                d->group = kc_calloc(cap, sizeof *d->group);
                if (!d->ids || !d->texts || !d->group)
                    return KC_ENOMEM;
                for (size_t g = 0; g < w->ng; g++) {
                    const survey_answer *a = &w->dec[g * w->nq + f];
                    for (int k = 0; k < a->ntext && d->n < cap; k++) {
                        char id[SURVEY_QID_MAX + 16];
                        snprintf(id, sizeof id, "%s/%d", survey_group_at(w->def, g)->id, k + 1);
                        d->group[d->n] = (long)g;
                        d->ids[d->n] = kc_strdup(id);
                        d->texts[d->n] = kc_strdup(a->text[k]);
                        if (!d->ids[d->n] || !d->texts[d->n++])
                            return KC_ENOMEM;
                    }
                }
            }
            for (size_t g = 0; g < w->ng; g++) {
                survey_answer *a = &w->dec[g * w->nq + q];
                survey_answer_clear(a);
                if (w->stored[g * w->nq + q] && decode(w, q, w->stored[g * w->nq + q], a))
                    return KC_ENOMEM;
            }
        }
    }
    return KC_OK;
}

/* --- database ------------------------------------------------------------------------------- */

static kc_err exec_bind(store *st, const char *sql, const char *const *args, int n)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
        return store_fail_db(st, "workshop: preparing");
    for (int i = 0; i < n; i++)
        sqlite3_bind_text(s, i + 1, args[i], -1, SQLITE_STATIC);
    kc_err rc = sqlite3_step(s) == SQLITE_DONE ? KC_OK : store_fail_db(st, "workshop: writing");
    sqlite3_finalize(s);
    return rc;
}

kc_err workshop_start(store *st, const char *survey_id, const char *label, time_t now,
                      char id[OUTBOX_UUID_LEN + 1], char *msg)
{
    survey *def;
    id[0] = '\0';
    kc_err rc = survey_store_get(st, survey_id, 0, &def, msg);
    if (rc)
        return rc;
    if (survey_get_mode(def) != SURVEY_MODE_WORKSHOP) {
        survey_free(def);
        return kc_fail(msg, KC_EUSAGE, "survey \"%s\" is not a workshop", survey_id);
    }
    cat_langs fi = cat_langs_for(CAT_FI);
    if (!label || !*label)
        label = survey_title(def, &fi, NULL);
    else if (survey_text_check(label, WORKSHOP_LABEL_MAX, 0) != SURVEY_P_NONE) {
        survey_free(def);
        return kc_fail(msg, KC_EINVAL, "workshop: the label must be 1-%d characters of "
                       "text on one line", WORKSHOP_LABEL_MAX);
    }
    char hour[16], ver[16];
    survey_hour(now, hour);
    snprintf(ver, sizeof ver, "%d", survey_version(def));
    if ((rc = outbox_new_uuid(id))) {
        survey_free(def);
        return kc_fail(msg, rc, "workshop: no random numbers");
    }
    const char *args[] = { id, survey_id, ver, label, hour };
    rc = exec_bind(st, "INSERT INTO workshop(id, survey, version, label, started) "
                       "VALUES(?, ?, ?, ?, ?)", args, 5);
    survey_free(def);
    if (rc) {
        id[0] = '\0';
        return kc_fail(msg, rc, "%s", store_errmsg(st));
    }
    return KC_OK;
}

kc_err workshop_open(store *st, const char *id, workshop **out, char *msg)
{
    sqlite3_stmt *s = NULL;
    workshop *w = NULL;
    kc_err rc = KC_OK;
    char survey_id[SURVEY_ID_MAX + 1];
    int version;
    *out = NULL;
    json_set_alloc_funcs(kc_malloc, kc_free);
    if (!(w = kc_calloc(1, sizeof *w)))
        return kc_fail(msg, KC_ENOMEM, "workshop: out of memory");
    if (sqlite3_prepare_v2(store_db(st), "SELECT survey, version, label, started, ended, seq "
                           "FROM workshop WHERE id = ?", -1, &s, NULL) != SQLITE_OK) {
        rc = store_fail_db(st, "workshop: preparing");
        goto dbfail;
    }
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    if (r != SQLITE_ROW) {
        rc = r == SQLITE_DONE ? kc_fail(msg, KC_ENOTFOUND, "workshop \"%.40s\" does not exist", id)
                              : kc_fail(msg, store_fail_db(st, "workshop: reading"), "%s",
                                        store_errmsg(st));
        goto fail;
    }
    snprintf(w->id, sizeof w->id, "%s", id);
    snprintf(survey_id, sizeof survey_id, "%s", (const char *)sqlite3_column_text(s, 0));
    version = sqlite3_column_int(s, 1);
    snprintf(w->started, sizeof w->started, "%s", (const char *)sqlite3_column_text(s, 3));
    w->ended = sqlite3_column_type(s, 4) != SQLITE_NULL;
    w->seq = sqlite3_column_int64(s, 5);
    if (!(w->label = kc_strdup((const char *)sqlite3_column_text(s, 2))))
        goto nomem;
    sqlite3_finalize(s);
    s = NULL;
    if ((rc = survey_store_get(st, survey_id, version, &w->def, msg)))
        goto fail;
    w->ng = survey_ngroups(w->def);
    w->nq = survey_nquestions(w->def);
    w->stored = kc_calloc(w->ng * w->nq, sizeof *w->stored);
    w->dec = kc_calloc(w->ng * w->nq, sizeof *w->dec);
    w->opts = kc_calloc(w->nq, sizeof *w->opts);
    if (!w->stored || !w->dec || !w->opts)
        goto nomem;
    if (sqlite3_prepare_v2(store_db(st), "SELECT grp, question, answer FROM workshop_answer "
                           "WHERE workshop = ?", -1, &s, NULL) != SQLITE_OK) {
        rc = store_fail_db(st, "workshop: preparing");
        goto dbfail;
    }
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        long g = survey_group_index(w->def, (const char *)sqlite3_column_text(s, 0));
        long q = survey_question_index(w->def, (const char *)sqlite3_column_text(s, 1));
        if (g < 0 || q < 0)
            continue;
        if (!(w->stored[(size_t)g * w->nq + (size_t)q] =
                  kc_strdup((const char *)sqlite3_column_text(s, 2))))
            goto nomem;
    }
    if (r != SQLITE_DONE) {
        rc = store_fail_db(st, "workshop: reading answers");
        goto dbfail;
    }
    sqlite3_finalize(s);
    s = NULL;
    if (rebuild(w))
        goto nomem;
    *out = w;
    return KC_OK;
nomem:
    rc = kc_fail(msg, KC_ENOMEM, "workshop: out of memory");
    goto fail;
dbfail:
    kc_fail(msg, rc, "%s", store_errmsg(st));
fail:
    sqlite3_finalize(s);
    workshop_free(w);
    return rc;
}

/* Queues one "workshop-answer" row (docs/survey-format.md) for the answer just written
 * (text NULL: removed), numbered one past the last, inside the caller's transaction, so
 * the server can show a running workshop; the end rows still carry the final answers. */
static kc_err queue_answer(workshop *w, store *st, const char *gid, const char *qid,
                           const char *text)
{
    char seq[24], uuid[OUTBOX_UUID_LEN + 1];
    snprintf(seq, sizeof seq, "%lld", w->seq + 1);
    const char *args[] = { seq, w->id };
    kc_err rc = exec_bind(st, "UPDATE workshop SET seq = ? WHERE id = ?", args, 2);
    if (rc)
        return rc;
    json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : json_null();
    json_t *o = v ? json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:I, s:o}", "type",
                              "workshop-answer", "workshop", w->id, "survey",
                              survey_id(w->def), "version", survey_version(w->def), "label",
                              w->label, "started", w->started, "group", gid, "question", qid,
                              "seq", (json_int_t)(w->seq + 1), "answer", v)
                  : NULL;
    char *payload =
        o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12)) : NULL;
    json_decref(o);
    if (!payload)
        return KC_ENOMEM;
    rc = outbox_add(st, "workshop-answer", payload, uuid);
    kc_free(payload);
    return rc;
}

kc_err workshop_set_answer(workshop *w, store *st, size_t g, size_t q, const survey_answer *a,
                           survey_problem *p)
{
    survey_problem none = { SURVEY_P_NONE, 0, 0 };
    if (p)
        *p = none;
    if (w->ended)
        return kc_fail(w->msg, KC_EUSAGE, "workshop: already ended");
    if (g >= w->ng || q >= w->nq)
        return kc_fail(w->msg, KC_EUSAGE, "workshop: no such group or question");
    const survey_question *sq = wq(w, q);
    const char *gid = survey_group_at(w->def, g)->id;
    char *text = NULL;
    kc_err rc;
    if (a && a->set) {
        survey_problem pr = survey_answer_check(sq, a, workshop_noptions(w, q));
        if (pr.kind != SURVEY_P_NONE) {
            if (p)
                *p = pr;
            return kc_fail(w->msg, KC_EINVAL, "workshop: group \"%s\" question \"%s\": %s", gid,
                           sq->id, survey_problem_name(pr.kind));
        }
        wq_ref ref = { w, q };
        answer_options ao = options_of(&ref);
        json_t *v = answer_json(sq, &ao, a);
        text = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(12)) : NULL;
        json_decref(v);
        if (!text)
            return kc_fail(w->msg, KC_ENOMEM, "workshop: out of memory");
    }
    if ((rc = store_begin(st))) {
        kc_free(text);
        return kc_fail(w->msg, rc, "%s", store_errmsg(st));
    }
    if (text) {
        const char *args[] = { w->id, gid, sq->id, text };
        rc = exec_bind(st, "INSERT INTO workshop_answer(workshop, grp, question, answer) "
                           "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(workshop, grp, question) "
                           "DO UPDATE SET answer = ?4", args, 4);
    } else {
        const char *args[] = { w->id, gid, sq->id };
        rc = exec_bind(st, "DELETE FROM workshop_answer WHERE workshop = ? AND grp = ? AND "
                           "question = ?", args, 3);
    }
    if (!rc)
        rc = queue_answer(w, st, gid, sq->id, text);
    if (!rc)
        rc = store_commit(st);
    if (rc) {
        kc_fail(w->msg, rc, "%s", rc == KC_ENOMEM ? "workshop: out of memory" : store_errmsg(st));
        store_rollback(st);
        kc_free(text);
        return rc;
    }
    w->seq++;
    kc_free(w->stored[g * w->nq + q]);
    w->stored[g * w->nq + q] = text;
    if (rebuild(w))
        return kc_fail(w->msg, KC_ENOMEM, "workshop: out of memory after saving; reopen it");
    return KC_OK;
}

/* The answers object of group g (NULL when it has none), or *err on failure. */
static json_t *group_answers(const workshop *w, size_t g, int *err)
{
    json_t *o = NULL;
    for (size_t q = 0; q < w->nq; q++) {
        const char *t = w->stored[g * w->nq + q];
        if (!t)
            continue;
        if (!o && !(o = json_object()))
            goto fail;
        if (json_object_set_new(o, wq(w, q)->id, json_loads(t, JSON_DECODE_ANY, NULL)))
            goto fail;
    }
    return o;
fail:
    json_decref(o);
    *err = 1;
    return NULL;
}

kc_err workshop_results(const workshop *w, results **out)
{
    results *r;
    *out = NULL;
    json_set_alloc_funcs(kc_malloc, kc_free);
    if (results_new(w->def, &r))
        return KC_ENOMEM;
    for (size_t q = 0; q < w->nq; q++) {
        const dyn *d = &w->opts[q];
        if (wq(w, q)->options_from >= 0 &&
            results_set_options(r, q, (const char *const *)d->ids,
                                (const char *const *)d->texts, d->n))
            goto nomem;
    }
    for (size_t g = 0; g < w->ng; g++) {
        int err = 0;
        json_t *o = group_answers(w, g, &err);
        char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        if (err || (o && !s))
            goto nomem;
        char msg[KC_MSGMAX];
        kc_err rc = s ? results_add(r, s, msg) : KC_OK;
        kc_free(s);
        if (rc)
            goto nomem;
    }
    results_finish(r);
    *out = r;
    return KC_OK;
nomem:
    results_free(r);
    return KC_ENOMEM;
}

kc_err workshop_end(workshop *w, store *st, time_t now, long *nrows)
{
    char hour[16], uuid[OUTBOX_UUID_LEN + 1];
    json_t *groups = NULL, *o = NULL;
    char *payload = NULL;
    long rows = 0;
    kc_err rc;
    if (nrows)
        *nrows = 0;
    json_set_alloc_funcs(kc_malloc, kc_free);
    if (w->ended)
        return kc_fail(w->msg, KC_EUSAGE, "workshop: already ended");
    survey_hour(now, hour);
    if ((rc = store_begin(st)))
        return kc_fail(w->msg, rc, "%s", store_errmsg(st));
    const char *args[] = { hour, w->id };
    if ((rc = exec_bind(st, "UPDATE workshop SET ended = ? WHERE id = ?", args, 2)))
        goto dbfail;
    if (!(groups = json_array()))
        goto nomem;
    for (size_t g = 0; g < w->ng; g++) {
        int err = 0;
        json_t *ans = group_answers(w, g, &err);
        if (err)
            goto nomem;
        if (!ans)
            continue;
        const char *gid = survey_group_at(w->def, g)->id;
        o = json_pack("{s:s, s:s, s:s, s:i, s:s, s:o}", "type", "workshop-group", "workshop",
                      w->id, "survey", survey_id(w->def), "version", survey_version(w->def),
                      "group", gid, "answers", ans);
        if (!o || json_array_append_new(groups, json_string(gid)))
            goto nomem;
        if (!(payload = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12))))
            goto nomem;
        json_decref(o);
        o = NULL;
        if ((rc = outbox_add(st, "workshop-group", payload, uuid)))
            goto dbfail;
        kc_free(payload);
        payload = NULL;
        rows++;
    }
    o = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:O}", "type", "workshop", "workshop",
                  w->id, "survey", survey_id(w->def), "version", survey_version(w->def), "label",
                  w->label, "started", w->started, "ended", hour, "groups", groups);
    if (!o || !(payload = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER)))
        goto nomem;
    if ((rc = outbox_add(st, "workshop", payload, uuid)) || (rc = store_commit(st)))
        goto dbfail;
    rows++;
    w->ended = 1;
    json_decref(o);
    json_decref(groups);
    kc_free(payload);
    if (nrows)
        *nrows = rows;
    return KC_OK;
nomem:
    rc = kc_fail(w->msg, KC_ENOMEM, "workshop: out of memory");
    goto fail;
dbfail:
    kc_fail(w->msg, rc, "%s", store_errmsg(st));
fail:
    store_rollback(st);
    json_decref(o);
    json_decref(groups);
    kc_free(payload);
    return rc;
}

/* --- exports and listing ----------------------------------------------------------------------- */

kc_err workshop_export_csv(const workshop *w, cat_lang lang, FILE *f, char *msg)
{
    cat_langs pref = cat_langs_for(lang);
    static const char *const group_word[CAT_NLANG] = { "ryhmä", "grupp", "group" };
    int e = csv_bom(f) || csv_text(f, group_word[lang]);
    for (size_t q = 0; !e && q < w->nq; q++) {
        wq_ref ref = { w, q };
        answer_options ao = options_of(&ref);
        e = csv_answer_heads(f, wq(w, q), &ao, &pref);
    }
    e = e || csv_eol(f);
    for (size_t g = 0; !e && g < w->ng; g++) {
        e = csv_text(f, cat_text_pick(survey_group_at(w->def, g)->name, &pref, NULL));
        for (size_t q = 0; !e && q < w->nq; q++) {
            const char *t = w->stored[g * w->nq + q];
            json_t *v = t ? json_loads(t, JSON_DECODE_ANY, NULL) : NULL;
            if (t && !v)
                return kc_fail(msg, KC_EJSON, "workshop export: a stored answer is unreadable");
            wq_ref ref = { w, q };
            answer_options ao = options_of(&ref);
            e = csv_answer_cells(f, wq(w, q), &ao, &pref, v);
            json_decref(v);
        }
        e = e || csv_eol(f);
    }
    if (e || fflush(f) != 0)
        return kc_fail(msg, KC_EIO, "workshop export: write failed");
    return KC_OK;
}

static json_t *results_json(const results *r)
{
    json_t *all = json_object();
    for (size_t q = 0; all && q < results_nquestions(r); q++) {
        const results_question *rq = results_question_at(r, q);
        json_t *o = json_pack("{s:I}", "answered", (json_int_t)rq->answered);
        json_t *opts = json_array();
        if (!o || !opts || json_object_set_new(all, rq->q->id, o) ||
            json_object_set_new(o, "options", opts)) {
            json_decref(opts);
            goto fail;
        }
        for (size_t k = 0; k < rq->noptions; k++) {
            const results_option *op = &rq->options[rq->order[k]];
            json_t *x = json_pack("{s:s, s:I, s:f, s:i}", "id", op->id, "count",
                                  (json_int_t)op->count, "percent",
                                  round(op->percent * 10) / 10, "rank", op->rank);
            if (!x || (rq->q->type == SURVEY_TOP &&
                       json_object_set_new(x, "points", json_integer(op->points))) ||
                json_array_append_new(opts, x))
                goto fail;
        }
        if ((rq->q->type == SURVEY_SCALE || rq->q->type == SURVEY_NUMBER) && rq->answered &&
            json_object_set_new(o, "mean", json_real(round(rq->mean * 100) / 100)))
            goto fail;
    }
    return all;
fail:
    json_decref(all);
    return NULL;
}

kc_err workshop_export_json(const workshop *w, FILE *f, char *msg)
{
    results *r = NULL;
    json_set_alloc_funcs(kc_malloc, kc_free);
    json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:b}", "format", "kiosk-workshop",
                          "workshop", w->id, "survey", survey_id(w->def), "version",
                          survey_version(w->def), "label", w->label, "started", w->started,
                          "ended", w->ended);
    json_t *groups = json_array();
    char *s = NULL;
    if (!o || !groups || json_object_set_new(o, "groups", groups)) {
        json_decref(groups);
        goto nomem;
    }
    for (size_t g = 0; g < w->ng; g++) {
        int err = 0;
        json_t *ans = group_answers(w, g, &err);
        if (err)
            goto nomem;
        json_t *x = json_pack("{s:s, s:o}", "id", survey_group_at(w->def, g)->id, "answers",
                              ans ? ans : json_object());
        if (!x || json_array_append_new(groups, x))
            goto nomem;
    }
    if (workshop_results(w, &r) || json_object_set_new(o, "results", results_json(r)))
        goto nomem;
    if (!(s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12))))
        goto nomem;
    results_free(r);
    json_decref(o);
    int e = fputs(s, f) < 0 || fputc('\n', f) == EOF || fflush(f) != 0;
    kc_free(s);
    return e ? kc_fail(msg, KC_EIO, "workshop export: write failed") : KC_OK;
nomem:
    results_free(r);
    json_decref(o);
    return kc_fail(msg, KC_ENOMEM, "workshop export: out of memory");
}

void workshop_info_free(workshop_info *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        kc_free(v[i].label);
    kc_free(v);
}

kc_err workshop_list(store *st, workshop_info **out, size_t *n, char *msg)
{
    sqlite3_stmt *s = NULL;
    workshop_info *v = NULL;
    size_t len = 0, cap = 0;
    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(store_db(st), "SELECT id, survey, version, started, ended, label, "
                           "(SELECT count(*) FROM workshop_answer a WHERE a.workshop = w.id) "
                           "FROM workshop w ORDER BY ended IS NOT NULL, started, id", -1, &s,
                           NULL) != SQLITE_OK)
        return kc_fail(msg, store_fail_db(st, "workshop: preparing list"), "%s",
                       store_errmsg(st));
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        if (len == cap) {
            size_t nc = cap ? cap * 2 : 8;
            workshop_info *nv = kc_realloc(v, nc * sizeof *nv);
            if (!nv)
                goto nomem;
            v = nv;
            cap = nc;
        }
        workshop_info *e = &v[len];
        memset(e, 0, sizeof *e);
        len++;
        snprintf(e->id, sizeof e->id, "%s", (const char *)sqlite3_column_text(s, 0));
        snprintf(e->survey, sizeof e->survey, "%s", (const char *)sqlite3_column_text(s, 1));
        e->version = sqlite3_column_int(s, 2);
        snprintf(e->started, sizeof e->started, "%s", (const char *)sqlite3_column_text(s, 3));
        if (sqlite3_column_type(s, 4) != SQLITE_NULL)
            snprintf(e->ended, sizeof e->ended, "%s", (const char *)sqlite3_column_text(s, 4));
        e->answers = (long)sqlite3_column_int64(s, 6);
        if (!(e->label = kc_strdup((const char *)sqlite3_column_text(s, 5))))
            goto nomem;
    }
    sqlite3_finalize(s);
    if (r != SQLITE_DONE) {
        workshop_info_free(v, len);
        return kc_fail(msg, store_fail_db(st, "workshop: listing"), "%s", store_errmsg(st));
    }
    *out = v;
    *n = len;
    return KC_OK;
nomem:
    sqlite3_finalize(s);
    workshop_info_free(v, len);
    return kc_fail(msg, KC_ENOMEM, "workshop: out of memory");
}
