/* results.c - totals per question for charts; CSV and JSON exports. */
#include "results.h"
#include "store_sql.h"
#include "answer.h"
#include "csv.h"
#include "safetext.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "feedback.h"

struct results {
    const survey *def;
    survey *owned;          /* set when results_for_survey loaded it */
    results_question *q;
    size_t nq;
    long responses, skipped;
    double *sum;            /* per question, for means */
};

static void free_options(results_question *rq)
{
    for (size_t i = 0; i < rq->noptions; i++) {
        kc_free(rq->options[i].id);
        for (int l = 0; l < CAT_NLANG; l++)
            kc_free(rq->options[i].text[l]);
    }
    kc_free(rq->options);
    kc_free(rq->order);
    rq->options = NULL;
    rq->order = NULL;
    rq->noptions = 0;
}

void results_free(results *r)
{
    if (!r)
        return;
    for (size_t i = 0; r->q && i < r->nq; i++)
        free_options(&r->q[i]);
    kc_free(r->q);
    kc_free(r->sum);
    survey_free(r->owned);
    kc_free(r);
}

static kc_err alloc_options(results_question *rq, size_t n)
{
    rq->options = kc_calloc(n, sizeof *rq->options);
    rq->order = kc_calloc(n, sizeof *rq->order);
    if (!rq->options || !rq->order)
        return KC_ENOMEM;
    return KC_OK;
}

static kc_err set_option(results_option *o, const char *id, char *const text[CAT_NLANG])
{
    if (!(o->id = kc_strdup(id)))
        return KC_ENOMEM;
    for (int l = 0; text && l < CAT_NLANG; l++)
        if (text[l] && !(o->text[l] = kc_strdup(text[l])))
            return KC_ENOMEM;
    return KC_OK;
}

kc_err results_new(const survey *def, results **out)
{
    *out = NULL;
    results *r = kc_calloc(1, sizeof *r);
    if (!r)
        return KC_ENOMEM;
    r->def = def;
    r->nq = survey_nquestions(def);
    r->q = kc_calloc(r->nq, sizeof *r->q);
    r->sum = kc_calloc(r->nq, sizeof *r->sum);
    if (!r->q || !r->sum)
        goto nomem;
    for (size_t i = 0; i < r->nq; i++) {
        results_question *rq = &r->q[i];
        rq->q = survey_question_at(def, i);
        if (rq->q->type == SURVEY_SCALE) {
            if (alloc_options(rq, 5))
                goto nomem;
            for (int k = 0; k < 5; k++) {
                char id[2] = { (char)('1' + k), 0 };
                rq->noptions++;
                if (set_option(&rq->options[k], id, NULL))
                    goto nomem;
            }
        } else if (rq->q->noptions) {
            if (alloc_options(rq, rq->q->noptions))
                goto nomem;
            for (size_t k = 0; k < rq->q->noptions; k++) {
                rq->noptions++;
                if (set_option(&rq->options[k], rq->q->options[k].id, rq->q->options[k].text))
                    goto nomem;
            }
        }
    }
    *out = r;
    return KC_OK;
nomem:
    results_free(r);
    return KC_ENOMEM;
}

kc_err results_set_options(results *r, size_t qi, const char *const *ids,
                           const char *const *labels, size_t n)
{
    if (qi >= r->nq)
        return KC_EUSAGE;
    results_question *rq = &r->q[qi];
    free_options(rq);
    if (n == 0)
        return KC_OK;
    if (alloc_options(rq, n))
        goto nomem;
    for (size_t k = 0; k < n; k++) {
        char *text[CAT_NLANG] = { (char *)labels[k], NULL, NULL };
        rq->noptions++;
        if (set_option(&rq->options[k], ids[k], text))
            goto nomem;
    }
    return KC_OK;
nomem:
    free_options(rq);
    return KC_ENOMEM;
}

static long find_option(const results_question *rq, const char *id)
{
    for (size_t i = 0; i < rq->noptions; i++)
        if (strcmp(rq->options[i].id, id) == 0)
            return (long)i;
    return -1;
}

/* Counts one question's answer; 0 when it does not fit the question (skipped). */
static int add_one(results *r, size_t qi, json_t *v)
{
    results_question *rq = &r->q[qi];
    const survey_question *q = rq->q;
    switch (q->type) {
    case SURVEY_SINGLE: {
        long o = json_is_string(v) ? find_option(rq, json_string_value(v)) : -1;
        if (o < 0)
            return 0;
        rq->options[o].count++;
        break;
    }
    case SURVEY_MULTI:
    case SURVEY_TOP: {
        if (!json_is_array(v) || json_array_size(v) == 0)
            return 0;
        size_t i, n = json_array_size(v);
        json_t *e;
        json_array_foreach(v, i, e) {
            if (!json_is_string(e) || find_option(rq, json_string_value(e)) < 0)
                return 0;
        }
        json_array_foreach(v, i, e) {
            results_option *o = &rq->options[find_option(rq, json_string_value(e))];
            o->count++;
            if (q->type == SURVEY_TOP)
                o->points += q->ranked ? (long)(n > (size_t)q->max_pick ? 1 : q->max_pick - (int)i)
                                       : 1;
        }
        break;
    }
    case SURVEY_SCALE:
    case SURVEY_NUMBER: {
        if (!json_is_number(v))
            return 0;
        double x = json_number_value(v);
        if (q->type == SURVEY_SCALE) {
            if (x < 1 || x > 5 || x != floor(x))
                return 0;
            rq->options[(int)x - 1].count++;
        }
        if (rq->answered == 0 || x < rq->min)
            rq->min = x;
        if (rq->answered == 0 || x > rq->max)
            rq->max = x;
        r->sum[qi] += x;
        break;
    }
    case SURVEY_TEXT:
        if (json_is_string(v))
            rq->texts++;
        else if (json_is_array(v))
            rq->texts += (long)json_array_size(v);
        else
            return 0;
        break;
    case SURVEY_NQTYPE:
        return 0;
    }
    rq->answered++;
    return 1;
}

kc_err results_add(results *r, const char *answers_json, char *msg)
{
    json_error_t err;
    json_set_alloc_funcs(kc_malloc, kc_free);
    json_t *a = json_loads(answers_json, JSON_REJECT_DUPLICATES, &err);
    if (!json_is_object(a)) {
        json_decref(a);
        return kc_fail(msg, KC_EJSON, "results: an answers object is unreadable");
    }
    const char *k;
    json_t *v;
    json_object_foreach(a, k, v) {
        long qi = survey_question_index(r->def, k);
        if (qi < 0 || !add_one(r, (size_t)qi, v))
            r->skipped++;
    }
    r->responses++;
    json_decref(a);
    return KC_OK;
}

static long key(const results_question *rq, size_t k)
{
    return rq->q->type == SURVEY_TOP ? rq->options[k].points : rq->options[k].count;
}

void results_finish(results *r)
{
    for (size_t i = 0; i < r->nq; i++) {
        results_question *rq = &r->q[i];
        rq->mean = rq->answered ? r->sum[i] / (double)rq->answered : 0;
        /* Insertion sort: at most a few hundred options, and stable, so ties keep the
         * definition's order. */
        for (size_t k = 0; k < rq->noptions; k++) {
            rq->options[k].percent =
                rq->answered ? 100.0 * (double)rq->options[k].count / (double)rq->answered : 0;
            size_t j = k;
            while (j > 0 && key(rq, rq->order[j - 1]) < key(rq, k)) {
                rq->order[j] = rq->order[j - 1];
                j--;
            }
            rq->order[j] = k;
        }
        for (size_t k = 0; k < rq->noptions; k++) {
            size_t o = rq->order[k];
            rq->options[o].rank = k && key(rq, rq->order[k - 1]) == key(rq, o)
                                      ? rq->options[rq->order[k - 1]].rank
                                      : (int)k + 1;
        }
    }
}

long results_responses(const results *r) { return r->responses; }
long results_skipped(const results *r) { return r->skipped; }
size_t results_nquestions(const results *r) { return r->nq; }
const survey *results_survey(const results *r) { return r->def; }

const results_question *results_question_at(const results *r, size_t i)
{
    return i < r->nq ? &r->q[i] : NULL;
}

/* --- reading stored responses ------------------------------------------------------------ */

typedef kc_err (*row_fn)(void *ctx, const char *uuid, int version, const char *hour,
                         const char *answers);

static kc_err each_response(store *st, const char *id, row_fn fn, void *ctx, char *msg)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st), "SELECT uuid, version, hour, answers FROM "
                           "survey_response WHERE survey = ? ORDER BY hour, uuid", -1, &s,
                           NULL) != SQLITE_OK)
        return kc_fail(msg, store_fail_db(st, "results: preparing"), "%s", store_errmsg(st));
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    kc_err rc = KC_OK;
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        if ((rc = fn(ctx, (const char *)sqlite3_column_text(s, 0), sqlite3_column_int(s, 1),
                     (const char *)sqlite3_column_text(s, 2),
                     (const char *)sqlite3_column_text(s, 3))))
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = kc_fail(msg, store_fail_db(st, "results: reading"), "%s", store_errmsg(st));
    sqlite3_finalize(s);
    return rc;
}

typedef struct add_ctx {
    results *r;
    char *msg;
} add_ctx;

static kc_err add_row(void *vctx, const char *uuid, int version, const char *hour,
                      const char *answers)
{
    (void)uuid;
    (void)version;
    (void)hour;
    add_ctx *c = vctx;
    return results_add(c->r, answers, c->msg);
}

kc_err results_for_survey(store *st, const char *id, results **out, char *msg)
{
    survey *def;
    *out = NULL;
    kc_err rc = survey_store_get(st, id, 0, &def, msg);
    if (rc)
        return rc;
    results *r;
    if ((rc = results_new(def, &r))) {
        survey_free(def);
        return kc_fail(msg, rc, "results: out of memory");
    }
    r->owned = def;
    add_ctx c = { r, msg };
    if ((rc = each_response(st, id, add_row, &c, msg))) {
        results_free(r);
        return rc;
    }
    results_finish(r);
    *out = r;
    return KC_OK;
}

/* --- CSV ------------------------------------------------------------------------------------ */

typedef struct csv_ctx {
    FILE *f;
    const survey *def;
    const cat_langs *pref;
    char *msg;
} csv_ctx;

static int csv_header(csv_ctx *c, cat_lang lang)
{
    static const char *const fixed[CAT_NLANG][3] = {
        { "vastaus", "versio", "tunti (UTC)" },
        { "svar", "version", "timme (UTC)" },
        { "response", "version", "hour (UTC)" },
    };
    FILE *f = c->f;
    int e = csv_bom(f);
    for (int i = 0; !e && i < 3; i++)
        e = (i && csv_sep(f)) || csv_text(f, fixed[lang][i]);
    for (size_t i = 0; !e && i < survey_nquestions(c->def); i++) {
        const survey_question *q = survey_question_at(c->def, i);
        answer_options ao = answer_options_of(q);
        e = csv_answer_heads(f, q, &ao, c->pref);
    }
    return e || csv_eol(f) ? -1 : 0;
}

static kc_err csv_row(void *vctx, const char *uuid, int version, const char *hour,
                      const char *answers)
{
    csv_ctx *c = vctx;
    FILE *f = c->f;
    json_t *a = json_loads(answers, 0, NULL);
    if (!json_is_object(a)) {
        json_decref(a);
        return kc_fail(c->msg, KC_EJSON, "export: response %s is unreadable", uuid);
    }
    int e = csv_text(f, uuid) || csv_sep(f) || csv_int(f, version) || csv_sep(f) ||
            csv_text(f, hour);
    for (size_t i = 0; !e && i < survey_nquestions(c->def); i++) {
        const survey_question *q = survey_question_at(c->def, i);
        answer_options ao = answer_options_of(q);
        e = csv_answer_cells(f, q, &ao, c->pref, json_object_get(a, q->id));
    }
    json_decref(a);
    if (e || csv_eol(f))
        return kc_fail(c->msg, KC_EIO, "export: write failed");
    return KC_OK;
}

kc_err results_export_csv(store *st, const char *id, cat_lang lang, FILE *f, char *msg)
{
    survey *def;
    json_set_alloc_funcs(kc_malloc, kc_free);
    kc_err rc = survey_store_get(st, id, 0, &def, msg);
    if (rc)
        return rc;
    cat_langs pref = cat_langs_for(lang);
    csv_ctx c = { f, def, &pref, msg };
    if (csv_header(&c, lang))
        rc = kc_fail(msg, KC_EIO, "export: write failed");
    else
        rc = each_response(st, id, csv_row, &c, msg);
    survey_free(def);
    if (!rc && fflush(f) != 0)
        rc = kc_fail(msg, KC_EIO, "export: write failed");
    return rc;
}

/* --- JSON ------------------------------------------------------------------------------------ */

typedef struct json_ctx {
    FILE *f;
    int first;
    char *msg;
} json_ctx;

static kc_err json_row(void *vctx, const char *uuid, int version, const char *hour,
                       const char *answers)
{
    json_ctx *c = vctx;
    json_t *a = json_loads(answers, 0, NULL);
    json_t *o = a ? json_pack("{s:s, s:i, s:s, s:o}", "uuid", uuid, "version", version, "hour",
                              hour, "answers", a)
                  : NULL;
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12))
                : NULL;
    json_decref(o);
    kc_err rc = KC_OK;
    if (!s)
        return kc_fail(c->msg, KC_EJSON, "export: response %s is unreadable", uuid);
    if (fprintf(c->f, "%s\n    %s", c->first ? "" : ",", s) < 0)
        rc = kc_fail(c->msg, KC_EIO, "export: write failed");
    c->first = 0;
    kc_free(s);
    return rc;
}

kc_err results_export_json(store *st, const char *id, FILE *f, char *msg)
{
    json_set_alloc_funcs(kc_malloc, kc_free);
    sqlite3_stmt *s = NULL;
    kc_err rc = KC_OK;
    survey *def;
    /* Checked first so nothing is written for an unknown id (and the id, being valid,
     * needs no JSON escaping). */
    if ((rc = survey_store_get(st, id, 0, &def, msg)))
        return rc;
    survey_free(def);
    if (sqlite3_prepare_v2(store_db(st), "SELECT version, body FROM survey_def WHERE id = ? "
                           "ORDER BY version", -1, &s, NULL) != SQLITE_OK) {
        return kc_fail(msg, store_fail_db(st, "export: preparing"), "%s", store_errmsg(st));
    }
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int e = fprintf(f, "{\n  \"format\": \"kiosk-responses\",\n  \"survey\": \"%s\",\n"
                       "  \"definitions\": [", id) < 0;
    int n = 0, r;
    while (!e && (r = sqlite3_step(s)) == SQLITE_ROW)
        e = fprintf(f, "%s\n    {\"version\": %d, \"definition\": %s}", n++ ? "," : "",
                    sqlite3_column_int(s, 0), (const char *)sqlite3_column_text(s, 1)) < 0;
    sqlite3_finalize(s);
    json_ctx c = { f, 1, msg };
    if (e || fputs("\n  ],\n  \"responses\": [", f) < 0)
        return kc_fail(msg, KC_EIO, "export: write failed");
    if ((rc = each_response(st, id, json_row, &c, msg)))
        return rc;
    if (fputs(c.first ? "]\n}\n" : "\n  ]\n}\n", f) < 0 || fflush(f) != 0)
        return kc_fail(msg, KC_EIO, "export: write failed");
    return KC_OK;
}

/* --- feedback ---------------------------------------------------------------------------------- */

static kc_err fb_csv_row(void *vctx, const feedback_row *r)
{
    json_ctx *c = vctx;
    FILE *f = c->f;
    int e = csv_text(f, r->uuid) || csv_sep(f) || csv_text(f, r->hour) || csv_sep(f) ||
            csv_text(f, r->context) || csv_sep(f) || csv_int(f, r->score) || csv_sep(f) ||
            (r->comment && csv_text(f, r->comment)) || csv_sep(f) ||
            (r->name && csv_text(f, r->name)) || csv_sep(f) ||
            (r->email && csv_text(f, r->email)) || csv_sep(f) ||
            (r->phone && csv_text(f, r->phone)) || csv_eol(f);
    return e ? kc_fail(c->msg, KC_EIO, "export: write failed") : KC_OK;
}

kc_err results_feedback_csv(store *st, FILE *f, char *msg)
{
    static const char *const head[] = { "response", "hour (UTC)", "context", "score",
                                        "comment", "name", "email", "phone" };
    int e = csv_bom(f);
    for (size_t i = 0; !e && i < sizeof head / sizeof head[0]; i++)
        e = (i && csv_sep(f)) || csv_text(f, head[i]);
    if (e || csv_eol(f))
        return kc_fail(msg, KC_EIO, "export: write failed");
    json_ctx c = { f, 1, msg };
    kc_err rc = feedback_each(st, fb_csv_row, &c, msg);
    if (!rc && fflush(f) != 0)
        rc = kc_fail(msg, KC_EIO, "export: write failed");
    return rc;
}

static kc_err fb_json_row(void *vctx, const feedback_row *r)
{
    json_ctx *c = vctx;
    json_t *o = json_pack("{s:s, s:s, s:s, s:i}", "uuid", r->uuid, "hour", r->hour, "context",
                          r->context, "score", r->score);
    if (o && r->comment)
        json_object_set_new(o, "comment", json_string(r->comment));
    if (o && r->merged > 0)
        json_object_set_new(o, "merged", json_integer(r->merged));
    if (o && (r->name || r->email || r->phone)) {
        json_t *ct = json_object();
        if (r->name)
            json_object_set_new(ct, "name", json_string(r->name));
        if (r->email)
            json_object_set_new(ct, "email", json_string(r->email));
        if (r->phone)
            json_object_set_new(ct, "phone", json_string(r->phone));
        json_object_set_new(o, "contact", ct);
    }
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    if (!s)
        return kc_fail(c->msg, KC_ENOMEM, "export: out of memory");
    int e = fprintf(c->f, "%s\n    %s", c->first ? "" : ",", s) < 0;
    c->first = 0;
    kc_free(s);
    return e ? kc_fail(c->msg, KC_EIO, "export: write failed") : KC_OK;
}

kc_err results_feedback_json(store *st, FILE *f, char *msg)
{
    json_set_alloc_funcs(kc_malloc, kc_free);
    if (fputs("{\n  \"format\": \"kiosk-feedback\",\n  \"feedback\": [", f) < 0)
        return kc_fail(msg, KC_EIO, "export: write failed");
    json_ctx c = { f, 1, msg };
    kc_err rc = feedback_each(st, fb_json_row, &c, msg);
    if (rc)
        return rc;
    if (fputs(c.first ? "]\n}\n" : "\n  ]\n}\n", f) < 0 || fflush(f) != 0)
        return kc_fail(msg, KC_EIO, "export: write failed");
    return KC_OK;
}
