#include "answer.h"
#include "kc.h"

#include <math.h>
#include <string.h>

static const char *own_id(const void *ctx, size_t i)
{
    return ((const survey_question *)ctx)->options[i].id;
}

static const char *own_text(const void *ctx, size_t i, const cat_langs *pref)
{
    return cat_text_pick(((const survey_question *)ctx)->options[i].text, pref, NULL);
}

answer_options answer_options_of(const survey_question *q)
{
    answer_options o = { q->noptions, own_id, own_text, q };
    return o;
}

static json_t *option(const answer_options *o, int i)
{
    const char *id = i >= 0 && (size_t)i < o->n ? o->id(o->ctx, (size_t)i) : NULL;
    return id ? json_string(id) : NULL;
}

/* The chosen option ids, or the text entries, as an array; NULL when one fails. */
static json_t *strings(const survey_question *q, const answer_options *o, const survey_answer *a)
{
    int n = q->type == SURVEY_TEXT ? a->ntext : a->nsel;
    json_t *arr = json_array();
    for (int i = 0; arr && i < n; i++) {
        json_t *s = q->type == SURVEY_TEXT ? json_string(a->text[i]) : option(o, a->sel[i]);
        if (json_array_append_new(arr, s)) {  /* takes s, NULL too, and fails on it */
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

json_t *answer_json(const survey_question *q, const answer_options *o, const survey_answer *a)
{
    switch (q->type) {
    case SURVEY_SINGLE:
        return a->nsel > 0 ? option(o, a->sel[0]) : NULL;
    case SURVEY_MULTI:
    case SURVEY_TOP:
        return strings(q, o, a);
    case SURVEY_TEXT:
        if (q->max_entries == 1)
            return a->ntext > 0 ? json_string(a->text[0]) : NULL;
        return strings(q, o, a);
    case SURVEY_SCALE:
        return json_integer((json_int_t)a->num);
    case SURVEY_NUMBER: {
        if (q->decimals == 0)
            return json_integer((json_int_t)llround(a->num));
        double p = pow(10, q->decimals);
        return json_real(round(a->num * p) / p);
    }
    case SURVEY_NQTYPE:
        break;
    }
    return NULL;
}

char *answer_lines(const json_t *v)
{
    size_t len = 1, i;
    json_t *e;
    json_array_foreach(v, i, e)
        len += json_string_length(e) + 1;
    char *buf = kc_malloc(len), *p = buf;
    if (!buf)
        return NULL;
    json_array_foreach(v, i, e) {
        if (!json_is_string(e))
            continue;
        if (p != buf)
            *p++ = '\n';
        memcpy(p, json_string_value(e), json_string_length(e));
        p += json_string_length(e);
    }
    *p = '\0';
    return buf;
}
