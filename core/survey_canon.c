/* survey_canon.c - canonical JSON of a survey definition: keys in documented order,
 * defaults written out, so equal definitions give equal bytes. */
#include "survey_impl.h"

#include <jansson.h>
#include <math.h>

/* --- canonical JSON ------------------------------------------------------------------------ */

static int put(json_t *o, const char *k, json_t *v)
{
    return v ? json_object_set_new(o, k, v) : -1;
}

static json_t *text_json(char *const t[CAT_NLANG])
{
    json_t *o = json_object();
    for (int l = 0; o && l < CAT_NLANG; l++)
        if (t[l] && put(o, cat_lang_code((cat_lang)l), json_string(t[l]))) {
            json_decref(o);
            return NULL;
        }
    return o;
}

static int has_text(char *const t[CAT_NLANG])
{
    return t[CAT_FI] || t[CAT_SV] || t[CAT_EN];
}

static json_t *num_json(double v)
{
    if (v == floor(v) && fabs(v) <= SURVEY_NUMBER_ABS)
        return json_integer((json_int_t)v);
    return json_real(v);
}

static json_t *options_json(const survey_question *q)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < q->noptions; i++) {
        json_t *o = json_object();
        if (!o || put(o, "id", json_string(q->options[i].id)) ||
            put(o, "text", text_json(q->options[i].text)) || json_array_append_new(a, o)) {
            json_decref(o);
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *cond_json(const survey *s, const survey_question *q)
{
    const survey_question *t = &s->q[q->cond.question];
    json_t *o = json_object();
    if (!o || put(o, "question", json_string(t->id)))
        goto fail;
    if (q->cond.kind == SURVEY_COND_ANSWERED && put(o, "answered", json_true()))
        goto fail;
    if (q->cond.kind == SURVEY_COND_RANGE &&
        (put(o, "min", num_json(q->cond.min)) || put(o, "max", num_json(q->cond.max))))
        goto fail;
    if (q->cond.kind == SURVEY_COND_ANY_OF) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < t->noptions; i++)
            if ((q->cond.options & (1ul << i)) && json_array_append_new(a, json_string(t->options[i].id))) {
                json_decref(a);
                a = NULL;
            }
        if (put(o, "any_of", a))
            goto fail;
    }
    return o;
fail:
    json_decref(o);
    return NULL;
}

static json_t *question_json(const survey *s, const survey_question *q)
{
    json_t *o = json_object();
    if (!o || put(o, "id", json_string(q->id)) || put(o, "type", json_string(survey_qtype_name(q->type))) ||
        put(o, "text", text_json(q->text)) ||
        (has_text(q->help) && put(o, "help", text_json(q->help))) ||
        put(o, "required", json_boolean(q->required)))
        goto fail;
    switch (q->type) {
    case SURVEY_SINGLE:
        if (put(o, "options", options_json(q)))
            goto fail;
        break;
    case SURVEY_MULTI:
        if (put(o, "options", options_json(q)) || put(o, "min", json_integer(q->min_pick)) ||
            put(o, "max", json_integer(q->max_pick)))
            goto fail;
        break;
    case SURVEY_TOP:
        if (q->options_from >= 0 ? put(o, "options_from", json_string(s->q[q->options_from].id))
                                 : put(o, "options", options_json(q)))
            goto fail;
        if (put(o, "pick", json_integer(q->max_pick)) || put(o, "min", json_integer(q->min_pick)) ||
            put(o, "ranked", json_boolean(q->ranked)))
            goto fail;
        break;
    case SURVEY_SCALE:
        if (put(o, "style", json_string(q->smiley ? "smiley" : "numbers")) ||
            (has_text(q->low) && put(o, "low", text_json(q->low))) ||
            (has_text(q->high) && put(o, "high", text_json(q->high))))
            goto fail;
        break;
    case SURVEY_TEXT:
        if (put(o, "max_chars", json_integer(q->max_chars)) ||
            put(o, "max_entries", json_integer(q->max_entries)) ||
            put(o, "multiline", json_boolean(q->multiline)))
            goto fail;
        break;
    case SURVEY_NUMBER:
        if (put(o, "min", num_json(q->min)) || put(o, "max", num_json(q->max)) ||
            put(o, "decimals", json_integer(q->decimals)) ||
            (has_text(q->unit) && put(o, "unit", text_json(q->unit))))
            goto fail;
        break;
    case SURVEY_NQTYPE:
        break;
    }
    if (q->cond.kind != SURVEY_COND_NONE && put(o, "show_if", cond_json(s, q)))
        goto fail;
    return o;
fail:
    json_decref(o);
    return NULL;
}

char *survey_canonical_(const survey *s)
{
    json_t *o = json_object();
    char *out = NULL;
    if (!o || put(o, "format", json_string("kiosk-survey")) || put(o, "id", json_string(s->id)) ||
        put(o, "mode", json_string(s->mode == SURVEY_MODE_WORKSHOP ? "workshop" : "survey")) ||
        put(o, "title", text_json(s->title)) ||
        (has_text(s->intro) && put(o, "intro", text_json(s->intro))) ||
        (has_text(s->thanks) && put(o, "thanks", text_json(s->thanks))))
        goto out;
    if (s->start || s->end) {
        json_t *sc = json_object();
        if (put(o, "schedule", sc) || (s->start && put(sc, "start", json_string(s->start))) ||
            (s->end && put(sc, "end", json_string(s->end))))
            goto out;
    }
    if (s->nkiosks) {
        json_t *a = json_array();
        if (put(o, "kiosks", a))
            goto out;
        for (size_t i = 0; i < s->nkiosks; i++)
            if (json_array_append_new(a, json_string(s->kiosks[i])))
                goto out;
    }
    if (s->ngroups) {
        json_t *a = json_array();
        if (put(o, "groups", a))
            goto out;
        for (size_t i = 0; i < s->ngroups; i++) {
            json_t *g = json_object();
            if (!g || json_array_append_new(a, g) || put(g, "id", json_string(s->groups[i].id)) ||
                put(g, "name", text_json(s->groups[i].name)))
                goto out;
        }
    }
    json_t *qs = json_array();
    if (put(o, "questions", qs))
        goto out;
    for (size_t i = 0; i < s->nq; i++)
        if (json_array_append_new(qs, question_json(s, &s->q[i])))
            goto out;
    out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
out:
    json_decref(o);
    return out;
}

char *survey_question_canonical(const survey *s, size_t i)
{
    if (i >= s->nq)
        return NULL;
    json_set_alloc_funcs(kc_malloc, kc_free);
    json_t *o = question_json(s, &s->q[i]);
    char *out = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    return out;
}

void survey_set_version_(survey *s, int version)
{
    s->version = version;
}
