/* survey.c - the survey definition format: parsing, validation, canonical JSON. */
#include "survey.h"
#include "safetext.h"
#include "survey_impl.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static void free_text(char *t[CAT_NLANG])
{
    for (int l = 0; l < CAT_NLANG; l++) {
        kc_free(t[l]);
        t[l] = NULL;
    }
}

void survey_free(survey *s)
{
    if (!s)
        return;
    kc_free(s->id);
    free_text(s->title);
    free_text(s->intro);
    free_text(s->thanks);
    kc_free(s->start);
    kc_free(s->end);
    for (size_t i = 0; i < s->nkiosks; i++)
        kc_free(s->kiosks[i]);
    kc_free(s->kiosks);
    for (size_t i = 0; i < s->ngroups; i++) {
        kc_free(s->groups[i].id);
        free_text(s->groups[i].name);
    }
    kc_free(s->groups);
    for (size_t i = 0; i < s->nq; i++) {
        survey_question *q = &s->q[i];
        kc_free(q->id);
        free_text(q->text);
        free_text(q->help);
        free_text(q->low);
        free_text(q->high);
        free_text(q->unit);
        for (size_t o = 0; o < q->noptions; o++) {
            kc_free(q->options[o].id);
            free_text(q->options[o].text);
        }
        kc_free(q->options);
    }
    kc_free(s->q);
    kc_free(s->body);
    kc_free(s);
}

/* --- accessors ----------------------------------------------------------------------- */

const char *survey_id(const survey *s) { return s->id; }
int survey_version(const survey *s) { return s->version; }
survey_mode survey_get_mode(const survey *s) { return s->mode; }
const char *survey_body(const survey *s) { return s->body; }
const char *survey_start(const survey *s) { return s->start; }
const char *survey_end(const survey *s) { return s->end; }
size_t survey_nquestions(const survey *s) { return s->nq; }

int survey_fixed_length(const survey *s)
{
    for (size_t i = 0; i < s->nq; i++)
        if (survey_question_at(s, i)->cond.kind != SURVEY_COND_NONE)
            return 0;
    return 1;
}
size_t survey_ngroups(const survey *s) { return s->ngroups; }

const survey_question *survey_question_at(const survey *s, size_t i)
{
    return i < s->nq ? &s->q[i] : NULL;
}

const survey_group *survey_group_at(const survey *s, size_t i)
{
    return i < s->ngroups ? &s->groups[i] : NULL;
}

const char *survey_title(const survey *s, const cat_langs *pref, cat_lang *used)
{
    return cat_text_pick(s->title, pref, used);
}

const char *survey_intro(const survey *s, const cat_langs *pref, cat_lang *used)
{
    return cat_text_pick(s->intro, pref, used);
}

const char *survey_thanks(const survey *s, const cat_langs *pref, cat_lang *used)
{
    return cat_text_pick(s->thanks, pref, used);
}

long survey_question_index(const survey *s, const char *qid)
{
    for (size_t i = 0; i < s->nq; i++)
        if (s->q[i].id && strcmp(s->q[i].id, qid) == 0)
            return (long)i;
    return -1;
}

long survey_option_index(const survey_question *q, const char *oid)
{
    for (size_t i = 0; i < q->noptions; i++)
        if (strcmp(q->options[i].id, oid) == 0)
            return (long)i;
    return -1;
}

long survey_group_index(const survey *s, const char *gid)
{
    for (size_t i = 0; i < s->ngroups; i++)
        if (strcmp(s->groups[i].id, gid) == 0)
            return (long)i;
    return -1;
}

int survey_for_kiosk(const survey *s, const char *kiosk_id)
{
    if (s->nkiosks == 0)
        return 1;
    for (size_t i = 0; kiosk_id && i < s->nkiosks; i++)
        if (strcmp(s->kiosks[i], kiosk_id) == 0)
            return 1;
    return 0;
}

int survey_in_schedule(const survey *s, const char *local)
{
    /* The end minute is included: "end": "2026-12-31T23:59" runs through 23:59. */
    if (s->start && strcmp(local, s->start) < 0)
        return 0;
    if (s->end && strcmp(local, s->end) > 0)
        return 0;
    return 1;
}

/* --- parsing ---------------------------------------------------------------------------- */

typedef struct pctx {
    char *msg;
    const char *file;
    const char *sid;   /* survey id once known */
    const char *qid;   /* question id once known */
    size_t qi;         /* question position, when qid is not known */
    int inq;           /* inside a question */
} pctx;

static kc_err perr(pctx *c, kc_err code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static kc_err perr(pctx *c, kc_err code, const char *field, const char *fmt, ...)
{
    char detail[KC_MSGMAX], who[200] = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    size_t n = 0;
    if (c->sid)
        n += (size_t)snprintf(who + n, sizeof who - n, " survey \"%.64s\"", c->sid);
    if (c->inq && c->qid)
        snprintf(who + n, sizeof who - n, " question \"%.32s\"", c->qid);
    else if (c->inq)
        snprintf(who + n, sizeof who - n, " question #%zu", c->qi + 1);
    return kc_fail(c->msg, code, "%s:%s%s%s%s: %s", c->file, who, field ? " field \"" : "",
                   field ? field : "", field ? "\"" : "", detail);
}

static kc_err nomem(pctx *c)
{
    return kc_fail(c->msg, KC_ENOMEM, "%s: out of memory", c->file);
}

static int valid_id(const char *s, size_t max, int dots)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' ||
              ch == '-' || (dots && ch == '.')))
            return 0;
    }
    return 1;
}


static kc_err check_keys(pctx *c, json_t *o, const char *const *known, const char *where)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        int ok = 0;
        for (size_t i = 0; known[i]; i++)
            ok |= strcmp(known[i], k) == 0;
        if (!ok)
            return perr(c, KC_EINVAL, k, "unknown field%s%s", where ? " in " : "",
                        where ? where : "");
    }
    return KC_OK;
}

/* A TEXT value: {"fi","sv","en"}, at least one, each 1..max bytes. */
static kc_err parse_text(pctx *c, json_t *j, const char *field, size_t max, int required,
                         char *out[CAT_NLANG])
{
    if (!j) {
        if (required)
            return perr(c, KC_EINVAL, field, "missing");
        return KC_OK;
    }
    if (!json_is_object(j))
        return perr(c, KC_EINVAL, field, "must be an object with \"fi\", \"sv\" or \"en\"");
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v) {
        char path[128];
        snprintf(path, sizeof path, "%s.%.8s", field, k);
        int l = cat_lang_from_code(k);
        if (l < 0)
            return perr(c, KC_EINVAL, path, "unknown language; use fi, sv or en");
        if (!json_is_string(v))
            return perr(c, KC_EINVAL, path, "must be a string");
        size_t n = json_string_length(v);
        if (n == 0)
            return perr(c, KC_EINVAL, path, "empty; leave the language out instead");
        if (n > max)
            return perr(c, KC_ETOOBIG, path, "%zu bytes, limit is %zu", n, max);
        if (strlen(json_string_value(v)) != n || !cat_clean_text(json_string_value(v)))
            return perr(c, KC_EINVAL, path, "contains a control character");
        if (!(out[l] = kc_strndup(json_string_value(v), n)))
            return nomem(c);
    }
    if (!out[CAT_FI] && !out[CAT_SV] && !out[CAT_EN])
        return perr(c, KC_EINVAL, field, "needs at least one language");
    return KC_OK;
}

static kc_err parse_bool(pctx *c, json_t *j, const char *field, int dflt, int *out)
{
    *out = dflt;
    if (!j)
        return KC_OK;
    if (!json_is_boolean(j))
        return perr(c, KC_EINVAL, field, "must be true or false");
    *out = json_is_true(j);
    return KC_OK;
}

static kc_err parse_int(pctx *c, json_t *j, const char *field, long lo, long hi, long dflt,
                        long *out)
{
    *out = dflt;
    if (!j)
        return KC_OK;
    if (!json_is_integer(j))
        return perr(c, KC_EINVAL, field, "must be an integer");
    json_int_t v = json_integer_value(j);
    if (v < lo || v > hi)
        return perr(c, KC_EINVAL, field, "%lld is outside %ld..%ld", (long long)v, lo, hi);
    *out = (long)v;
    return KC_OK;
}

static kc_err parse_number(pctx *c, json_t *j, const char *field, double *out)
{
    if (!j)
        return perr(c, KC_EINVAL, field, "missing");
    if (!json_is_number(j))
        return perr(c, KC_EINVAL, field, "must be a number");
    double v = json_number_value(j);
    if (!isfinite(v) || fabs(v) > SURVEY_NUMBER_ABS)
        return perr(c, KC_EINVAL, field, "must lie within -1e9..1e9");
    *out = v;
    return KC_OK;
}

static kc_err parse_options(pctx *c, json_t *j, survey_question *q)
{
    if (!json_is_array(j))
        return perr(c, KC_EINVAL, "options", "must be an array of options");
    size_t n = json_array_size(j);
    if (n < 2 || n > SURVEY_MAX_OPTIONS)
        return perr(c, KC_EINVAL, "options", "%zu options; give 2..%d", n, SURVEY_MAX_OPTIONS);
    if (!(q->options = kc_calloc(n, sizeof *q->options)))
        return nomem(c);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(j, i);
        char field[64];
        snprintf(field, sizeof field, "options[%zu]", i + 1);
        if (!json_is_object(o))
            return perr(c, KC_EINVAL, field, "must be an object with \"id\" and \"text\"");
        static const char *const keys[] = { "id", "text", NULL };
        kc_err rc = check_keys(c, o, keys, field);
        if (rc)
            return rc;
        json_t *id = json_object_get(o, "id");
        snprintf(field, sizeof field, "options[%zu].id", i + 1);
        if (!json_is_string(id) || !valid_id(json_string_value(id), SURVEY_QID_MAX, 0))
            return perr(c, KC_EINVAL, field, "missing or not an id ([a-z0-9_-], 1-%d bytes)",
                        SURVEY_QID_MAX);
        if (survey_option_index(q, json_string_value(id)) >= 0)
            return perr(c, KC_EINVAL, field, "\"%s\" appears twice", json_string_value(id));
        if (!(q->options[i].id = kc_strdup(json_string_value(id))))
            return nomem(c);
        q->noptions++;
        snprintf(field, sizeof field, "options[%zu].text", i + 1);
        if ((rc = parse_text(c, json_object_get(o, "text"), field, SURVEY_OPTION_MAX, 1,
                             q->options[i].text)))
            return rc;
    }
    return KC_OK;
}

static kc_err parse_cond(pctx *c, survey *s, json_t *j, survey_question *q)
{
    if (!json_is_object(j))
        return perr(c, KC_EINVAL, "show_if", "must be an object");
    static const char *const keys[] = { "question", "any_of", "min", "max", "answered", NULL };
    kc_err rc = check_keys(c, j, keys, "show_if");
    if (rc)
        return rc;
    json_t *qj = json_object_get(j, "question");
    if (!json_is_string(qj))
        return perr(c, KC_EINVAL, "show_if.question", "missing or not a question id");
    long t = survey_question_index(s, json_string_value(qj));
    if (t < 0 || t >= (long)c->qi)
        return perr(c, KC_EINVAL, "show_if.question",
                    "\"%.32s\" is not an earlier question", json_string_value(qj));
    const survey_question *tq = &s->q[t];
    q->cond.question = (size_t)t;
    json_t *any = json_object_get(j, "any_of"), *mn = json_object_get(j, "min"),
           *mx = json_object_get(j, "max"), *ans = json_object_get(j, "answered");
    int forms = (any != NULL) + (mn || mx) + (ans != NULL);
    if (forms != 1)
        return perr(c, KC_EINVAL, "show_if", "give exactly one of any_of, min/max, answered");
    if (ans) {
        if (!json_is_true(ans))
            return perr(c, KC_EINVAL, "show_if.answered", "must be true");
        q->cond.kind = SURVEY_COND_ANSWERED;
        return KC_OK;
    }
    if (any) {
        if (tq->noptions == 0)
            return perr(c, KC_EINVAL, "show_if.any_of",
                        "question \"%s\" has no fixed options", tq->id);
        if (!json_is_array(any) || json_array_size(any) == 0)
            return perr(c, KC_EINVAL, "show_if.any_of", "must be a non-empty array of option ids");
        size_t i;
        json_t *e;
        json_array_foreach(any, i, e) {
            long o = json_is_string(e) ? survey_option_index(tq, json_string_value(e)) : -1;
            if (o < 0)
                return perr(c, KC_EINVAL, "show_if.any_of",
                            "element %zu is not an option of question \"%s\"", i + 1, tq->id);
            q->cond.options |= 1ul << o;
        }
        q->cond.kind = SURVEY_COND_ANY_OF;
        return KC_OK;
    }
    if (tq->type != SURVEY_SCALE && tq->type != SURVEY_NUMBER)
        return perr(c, KC_EINVAL, "show_if", "min/max need a scale or number question; \"%s\" "
                    "is neither", tq->id);
    q->cond.min = tq->min;
    q->cond.max = tq->max;
    if (mn && (rc = parse_number(c, mn, "show_if.min", &q->cond.min)))
        return rc;
    if (mx && (rc = parse_number(c, mx, "show_if.max", &q->cond.max)))
        return rc;
    if (q->cond.min > q->cond.max)
        return perr(c, KC_EINVAL, "show_if", "min is above max");
    q->cond.kind = SURVEY_COND_RANGE;
    return KC_OK;
}

static kc_err parse_question(pctx *c, survey *s, json_t *j, survey_question *q)
{
    kc_err rc;
    long v;
    if (!json_is_object(j))
        return perr(c, KC_EINVAL, NULL, "must be an object");
    json_t *id = json_object_get(j, "id");
    if (!json_is_string(id) || !valid_id(json_string_value(id), SURVEY_QID_MAX, 0))
        return perr(c, KC_EINVAL, "id", "missing or not an id ([a-z0-9_-], 1-%d bytes)",
                    SURVEY_QID_MAX);
    c->qid = json_string_value(id);
    if (survey_question_index(s, c->qid) >= 0)
        return perr(c, KC_EINVAL, "id", "appears twice");
    json_t *type = json_object_get(j, "type");
    int t = -1;
    char names[120] = "";
    for (int i = 0; i < SURVEY_NQTYPE; i++) {
        if (json_is_string(type) && strcmp(survey_qtypes[i].name, json_string_value(type)) == 0)
            t = i;
        size_t n = strlen(names);
        const char *sep = i == 0 ? "" : i + 1 < SURVEY_NQTYPE ? ", " : " or ";
        snprintf(names + n, sizeof names - n, "%s%s", sep, survey_qtypes[i].name);
    }
    if (t < 0)
        return perr(c, KC_EINVAL, "type", "missing or unknown; use %s", names);
    q->type = (survey_qtype)t;
    static const char *const common[] = { "id", "type", "text", "help", "required",
                                          "show_if", NULL };
    const char *const *extra = survey_qtypes[t].fields;
    const char *k;
    json_t *val;
    json_object_foreach(j, k, val) {
        int ok = 0;
        for (int i = 0; common[i]; i++)
            ok |= strcmp(common[i], k) == 0;
        for (int i = 0; extra[i]; i++)
            ok |= strcmp(extra[i], k) == 0;
        if (!ok)
            return perr(c, KC_EINVAL, k, "unknown field for a %s question", survey_qtypes[t].name);
    }
    if (!(q->id = kc_strdup(c->qid)))
        return nomem(c);
    q->options_from = -1;
    if ((rc = parse_text(c, json_object_get(j, "text"), "text", SURVEY_QTEXT_MAX, 1, q->text)) ||
        (rc = parse_text(c, json_object_get(j, "help"), "help", SURVEY_QTEXT_MAX, 0, q->help)) ||
        (rc = parse_bool(c, json_object_get(j, "required"), "required", 0, &q->required)))
        return rc;

    switch (q->type) {
    case SURVEY_SINGLE:
        if ((rc = parse_options(c, json_object_get(j, "options"), q)))
            return rc;
        q->min_pick = q->max_pick = 1;
        break;
    case SURVEY_MULTI:
        if ((rc = parse_options(c, json_object_get(j, "options"), q)) ||
            (rc = parse_int(c, json_object_get(j, "min"), "min", 0, (long)q->noptions, 0, &v)))
            return rc;
        q->min_pick = (int)v;
        if ((rc = parse_int(c, json_object_get(j, "max"), "max", 1, (long)q->noptions,
                            (long)q->noptions, &v)))
            return rc;
        q->max_pick = (int)v;
        if (q->max_pick < q->min_pick)
            return perr(c, KC_EINVAL, "max", "below min");
        break;
    case SURVEY_TOP: {
        json_t *opts = json_object_get(j, "options"), *from = json_object_get(j, "options_from");
        if ((opts != NULL) == (from != NULL))
            return perr(c, KC_EINVAL, "options", "give either options or options_from");
        if (opts && (rc = parse_options(c, opts, q)))
            return rc;
        if (from) {
            if (s->mode != SURVEY_MODE_WORKSHOP)
                return perr(c, KC_EINVAL, "options_from", "only in a workshop");
            long f = json_is_string(from) ? survey_question_index(s, json_string_value(from))
                                          : -1;
            if (f < 0 || f >= (long)c->qi || s->q[f].type != SURVEY_TEXT)
                return perr(c, KC_EINVAL, "options_from", "must name an earlier text question");
            q->options_from = f;
        }
        long maxpick = opts ? (long)q->noptions : SURVEY_MAX_PICK;
        if (maxpick > SURVEY_MAX_PICK)
            maxpick = SURVEY_MAX_PICK;
        json_t *pick = json_object_get(j, "pick");
        if (!pick)
            return perr(c, KC_EINVAL, "pick", "missing (how many to pick)");
        if ((rc = parse_int(c, pick, "pick", 1, maxpick, 0, &v)))
            return rc;
        q->max_pick = (int)v;
        if ((rc = parse_int(c, json_object_get(j, "min"), "min", 1, q->max_pick, q->max_pick,
                            &v)) ||
            (rc = parse_bool(c, json_object_get(j, "ranked"), "ranked", 0, &q->ranked)))
            return rc;
        q->min_pick = (int)v;
        break;
    }
    case SURVEY_SCALE: {
        json_t *style = json_object_get(j, "style");
        if (style && (!json_is_string(style) || (strcmp(json_string_value(style), "smiley") &&
                                                 strcmp(json_string_value(style), "numbers"))))
            return perr(c, KC_EINVAL, "style", "must be \"numbers\" or \"smiley\"");
        q->smiley = style && strcmp(json_string_value(style), "smiley") == 0;
        q->min = 1;
        q->max = 5;
        if ((rc = parse_text(c, json_object_get(j, "low"), "low", SURVEY_LABEL_MAX, 0, q->low)) ||
            (rc = parse_text(c, json_object_get(j, "high"), "high", SURVEY_LABEL_MAX, 0,
                             q->high)))
            return rc;
        break;
    }
    case SURVEY_TEXT:
        if ((rc = parse_int(c, json_object_get(j, "max_chars"), "max_chars", 1,
                            SURVEY_CHARS_MAX, 500, &v)))
            return rc;
        q->max_chars = (int)v;
        if ((rc = parse_int(c, json_object_get(j, "max_entries"), "max_entries", 1,
                            SURVEY_MAX_ENTRIES, 1, &v)) ||
            (rc = parse_bool(c, json_object_get(j, "multiline"), "multiline", 0,
                             &q->multiline)))
            return rc;
        q->max_entries = (int)v;
        break;
    case SURVEY_NUMBER:
        if ((rc = parse_number(c, json_object_get(j, "min"), "min", &q->min)) ||
            (rc = parse_number(c, json_object_get(j, "max"), "max", &q->max)) ||
            (rc = parse_int(c, json_object_get(j, "decimals"), "decimals", 0, 3, 0, &v)))
            return rc;
        q->decimals = (int)v;
        if (q->max <= q->min)
            return perr(c, KC_EINVAL, "max", "must be above min");
        if ((rc = parse_text(c, json_object_get(j, "unit"), "unit", SURVEY_LABEL_MAX, 0,
                             q->unit)))
            return rc;
        break;
    case SURVEY_NQTYPE:
        break;
    }
    json_t *cond = json_object_get(j, "show_if");
    if (cond && (rc = parse_cond(c, s, cond, q)))
        return rc;
    return KC_OK;
}

static kc_err parse_groups(pctx *c, survey *s, json_t *j)
{
    if (!json_is_array(j))
        return perr(c, KC_EINVAL, "groups", "must be an array");
    size_t n = json_array_size(j);
    if (n < 1 || n > SURVEY_MAX_GROUPS)
        return perr(c, KC_EINVAL, "groups", "%zu groups; give 1..%d", n, SURVEY_MAX_GROUPS);
    if (!(s->groups = kc_calloc(n, sizeof *s->groups)))
        return nomem(c);
    for (size_t i = 0; i < n; i++) {
        json_t *g = json_array_get(j, i);
        char field[64];
        snprintf(field, sizeof field, "groups[%zu]", i + 1);
        static const char *const keys[] = { "id", "name", NULL };
        if (!json_is_object(g))
            return perr(c, KC_EINVAL, field, "must be an object with \"id\" and \"name\"");
        kc_err rc = check_keys(c, g, keys, field);
        if (rc)
            return rc;
        json_t *id = json_object_get(g, "id");
        snprintf(field, sizeof field, "groups[%zu].id", i + 1);
        if (!json_is_string(id) || !valid_id(json_string_value(id), SURVEY_QID_MAX, 0))
            return perr(c, KC_EINVAL, field, "missing or not an id ([a-z0-9_-], 1-%d bytes)",
                        SURVEY_QID_MAX);
        if (survey_group_index(s, json_string_value(id)) >= 0)
            return perr(c, KC_EINVAL, field, "\"%s\" appears twice", json_string_value(id));
        if (!(s->groups[i].id = kc_strdup(json_string_value(id))))
            return nomem(c);
        s->ngroups++;
        snprintf(field, sizeof field, "groups[%zu].name", i + 1);
        if ((rc = parse_text(c, json_object_get(g, "name"), field, SURVEY_LABEL_MAX, 1,
                             s->groups[i].name)))
            return rc;
    }
    return KC_OK;
}

static kc_err parse_schedule(pctx *c, survey *s, json_t *j)
{
    static const char *const keys[] = { "start", "end", NULL };
    if (!json_is_object(j))
        return perr(c, KC_EINVAL, "schedule", "must be an object with start and/or end");
    kc_err rc = check_keys(c, j, keys, "schedule");
    if (rc)
        return rc;
    json_t *a = json_object_get(j, "start"), *b = json_object_get(j, "end");
    if (!a && !b)
        return perr(c, KC_EINVAL, "schedule", "give start, end or both, or leave it out");
    if (a && (!json_is_string(a) || !cat_valid_datetime(json_string_value(a))))
        return perr(c, KC_EINVAL, "schedule.start", "not a date and time YYYY-MM-DDTHH:MM");
    if (b && (!json_is_string(b) || !cat_valid_datetime(json_string_value(b))))
        return perr(c, KC_EINVAL, "schedule.end", "not a date and time YYYY-MM-DDTHH:MM");
    if (a && b && strcmp(json_string_value(b), json_string_value(a)) <= 0)
        return perr(c, KC_EINVAL, "schedule.end", "not after start");
    if ((a && !(s->start = kc_strdup(json_string_value(a)))) ||
        (b && !(s->end = kc_strdup(json_string_value(b)))))
        return nomem(c);
    return KC_OK;
}

static kc_err parse_kiosks(pctx *c, survey *s, json_t *j)
{
    if (!json_is_array(j) || json_array_size(j) == 0)
        return perr(c, KC_EINVAL, "kiosks", "must be a non-empty array of kiosk ids (leave it "
                    "out for every kiosk)");
    size_t n = json_array_size(j);
    if (n > SURVEY_MAX_KIOSKS)
        return perr(c, KC_ETOOBIG, "kiosks", "%zu kiosks, limit is %d", n, SURVEY_MAX_KIOSKS);
    if (!(s->kiosks = kc_calloc(n, sizeof *s->kiosks)))
        return nomem(c);
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(j, i);
        if (!json_is_string(e) || !valid_id(json_string_value(e), SURVEY_ID_MAX, 1))
            return perr(c, KC_EINVAL, "kiosks", "element %zu is not a kiosk id "
                        "([a-z0-9._-], 1-64 bytes)", i + 1);
        if (survey_for_kiosk(s, json_string_value(e)) && s->nkiosks)
            return perr(c, KC_EINVAL, "kiosks", "\"%s\" appears twice", json_string_value(e));
        if (!(s->kiosks[i] = kc_strdup(json_string_value(e))))
            return nomem(c);
        s->nkiosks++;
    }
    return KC_OK;
}

static kc_err parse_doc(pctx *c, survey *s, json_t *doc)
{
    kc_err rc;
    if (!json_is_object(doc))
        return perr(c, KC_EINVAL, NULL, "the top level must be an object");
    static const char *const keys[] = { "format", "id", "version", "mode", "title", "intro",
                                        "thanks", "schedule", "kiosks", "groups",
                                        "questions", NULL };
    if ((rc = check_keys(c, doc, keys, NULL)))
        return rc;
    json_t *fmt = json_object_get(doc, "format");
    if (!json_is_string(fmt) || strcmp(json_string_value(fmt), "kiosk-survey") != 0)
        return perr(c, KC_EINVAL, "format", "must be \"kiosk-survey\"");
    json_t *id = json_object_get(doc, "id");
    if (!json_is_string(id) || !valid_id(json_string_value(id), SURVEY_ID_MAX, 1))
        return perr(c, KC_EINVAL, "id", "missing or not an id ([a-z0-9._-], 1-64 bytes)");
    c->sid = json_string_value(id);
    if (!(s->id = kc_strdup(c->sid)))
        return nomem(c);
    long v;
    if ((rc = parse_int(c, json_object_get(doc, "version"), "version", 1, 2147483647L, 0, &v)))
        return rc;
    s->version = (int)v;
    json_t *mode = json_object_get(doc, "mode");
    if (mode && (!json_is_string(mode) || (strcmp(json_string_value(mode), "survey") &&
                                           strcmp(json_string_value(mode), "workshop"))))
        return perr(c, KC_EINVAL, "mode", "must be \"survey\" or \"workshop\"");
    s->mode = mode && strcmp(json_string_value(mode), "workshop") == 0 ? SURVEY_MODE_WORKSHOP
                                                                       : SURVEY_MODE_SURVEY;
    if ((rc = parse_text(c, json_object_get(doc, "title"), "title", SURVEY_TITLE_MAX, 1,
                         s->title)) ||
        (rc = parse_text(c, json_object_get(doc, "intro"), "intro", SURVEY_INTRO_MAX, 0,
                         s->intro)) ||
        (rc = parse_text(c, json_object_get(doc, "thanks"), "thanks", SURVEY_INTRO_MAX, 0,
                         s->thanks)))
        return rc;
    json_t *sched = json_object_get(doc, "schedule"), *kiosks = json_object_get(doc, "kiosks"),
           *groups = json_object_get(doc, "groups");
    if (s->mode == SURVEY_MODE_WORKSHOP) {
        if (sched || kiosks)
            return perr(c, KC_EINVAL, sched ? "schedule" : "kiosks",
                        "a workshop is started by a coordinator; leave it out");
        if (!groups)
            return perr(c, KC_EINVAL, "groups", "missing (a workshop needs its groups)");
        if ((rc = parse_groups(c, s, groups)))
            return rc;
    } else {
        if (groups)
            return perr(c, KC_EINVAL, "groups", "only in a workshop (\"mode\": \"workshop\")");
        if (sched && (rc = parse_schedule(c, s, sched)))
            return rc;
        if (kiosks && (rc = parse_kiosks(c, s, kiosks)))
            return rc;
    }
    json_t *qs = json_object_get(doc, "questions");
    if (!json_is_array(qs))
        return perr(c, KC_EINVAL, "questions", "missing or not an array");
    size_t n = json_array_size(qs);
    if (n < 1 || n > SURVEY_MAX_QUESTIONS)
        return perr(c, KC_EINVAL, "questions", "%zu questions; give 1..%d", n,
                    SURVEY_MAX_QUESTIONS);
    if (!(s->q = kc_calloc(n, sizeof *s->q)))
        return nomem(c);
    for (size_t i = 0; i < n; i++) {
        c->inq = 1;
        c->qi = i;
        c->qid = NULL;
        /* Counted before parsing so survey_free releases a half-parsed question. */
        s->nq++;
        if ((rc = parse_question(c, s, json_array_get(qs, i), &s->q[i])))
            return rc;
    }
    c->inq = 0;
    /* A response must fit one outbox payload; refuse a survey that could not. */
    size_t worst = 0;
    for (size_t i = 0; i < s->nq; i++)
        if (s->q[i].type == SURVEY_TEXT)
            worst += (size_t)s->q[i].max_entries * ((size_t)s->q[i].max_chars * 4 + 8);
    if (worst > SURVEY_TEXT_BUDGET)
        return perr(c, KC_ETOOBIG, "questions", "free-text answers could reach %zu bytes, "
                    "a response holds at most %d; lower max_chars or max_entries", worst,
                    SURVEY_TEXT_BUDGET);
    return KC_OK;
}

kc_err survey_parse(const char *buf, size_t len, const char *name, survey **out, char *msg)
{
    *out = NULL;
    /* jansson allocates through kc_malloc, so fault injection reaches it too. */
    json_set_alloc_funcs(kc_malloc, kc_free);
    pctx c = { msg, name ? name : "survey", NULL, NULL, 0, 0 };
    if (len > SURVEY_MAX_FILE)
        return kc_fail(msg, KC_ETOOBIG, "%s: %zu bytes, limit is %d", c.file, len,
                       SURVEY_MAX_FILE);
    json_t *doc;
    kc_err rc = safetext_json_load(buf, len, c.file, &doc, msg);
    if (rc)
        return rc;
    survey *s = kc_calloc(1, sizeof *s);
    rc = s ? parse_doc(&c, s, doc) : nomem(&c);
    json_decref(doc);
    if (!rc && !(s->body = survey_canonical_(s)))
        rc = nomem(&c);
    if (rc) {
        survey_free(s);
        return rc;
    }
    *out = s;
    return KC_OK;
}

kc_err survey_load_file(const char *path, survey **out, char *msg)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return kc_fail(msg, KC_EIO, "%s: cannot open: %s", path, strerror(errno));
    char *buf = kc_malloc(SURVEY_MAX_FILE + 1);
    kc_err rc;
    if (!buf) {
        fclose(f);
        return kc_fail(msg, KC_ENOMEM, "%s: out of memory", path);
    }
    size_t n = fread(buf, 1, SURVEY_MAX_FILE + 1, f);
    if (ferror(f))
        rc = kc_fail(msg, KC_EIO, "%s: read error", path);
    else if (n > SURVEY_MAX_FILE)
        rc = kc_fail(msg, KC_ETOOBIG, "%s: larger than %d bytes", path, SURVEY_MAX_FILE);
    else
        rc = survey_parse(buf, n, path, out, msg);
    kc_free(buf);
    fclose(f);
    return rc;
}

