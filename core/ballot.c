/* Ballot definitions: parsing, validation, canonical form and read-only views. */
#include "ballot.h"
#include "safetext.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct bproj {
    const char *id;
    char *title[CAT_NLANG], *desc[CAT_NLANG], *area[CAT_NLANG];
    const char *image;
    long long cost;
} bproj;

/* Strings point into doc, which the handle keeps; the text arrays are cast from
 * jansson's const strings only to fit cat_text_pick's signature and never written. */
struct ballot {
    json_t *doc;
    char *body;
    const char *id;
    char *title[CAT_NLANG], *desc[CAT_NLANG], *elig[CAT_NLANG];
    const char *opens, *closes;
    ballot_rule rule;
    int min, max, winners;
    long long budget;
    ballot_method method;
    ballot_ties ties;
    long threshold_bp, threshold_votes;
    int mes_cost, mes_add_one;
    int has_key;
    unsigned char key[VOTECODE_KEY_BYTES];
    bproj *p;
    size_t np;
    int version;   /* of the stored definition (1 until a store says otherwise) */
};

/* --- checks ------------------------------------------------------------------------- */



/* A relative path of [a-z0-9._-/] segments, no "..", no leading '/'. */
static int valid_image(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > BALLOT_IMAGE_MAX || s[0] == '/' || strstr(s, "..") || strstr(s, "//"))
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-' || c == '/'))
            return 0;
    }
    return 1;
}

typedef struct where {
    const char *file;
    const char *prefix;   /* put before field names ("rule."), or NULL */
    const char *project;  /* id, or NULL */
    size_t index;         /* project index when project is NULL and in_project */
    int in_project;
} where;

static kc_err bad(char *msg, kc_err code, const where *w, const char *field, const char *fmt,
                  ...) __attribute__((format(printf, 5, 6)));

static kc_err bad(char *msg, kc_err code, const where *w, const char *field, const char *fmt,
                  ...)
{
    char detail[KC_MSGMAX], who[120] = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    if (w->in_project && w->project)
        snprintf(who, sizeof who, " project \"%.64s\"", w->project);
    else if (w->in_project)
        snprintf(who, sizeof who, " project #%zu", w->index + 1);
    return kc_fail(msg, code, "%s:%s field \"%s%s\": %s", w->file, who,
                   w->prefix ? w->prefix : "", field, detail);
}

static kc_err get_text(json_t *obj, const char *key, size_t max, int required,
                       char *out[CAT_NLANG], const where *w, char *msg)
{
    for (int l = 0; l < CAT_NLANG; l++)
        out[l] = NULL;
    json_t *j = json_object_get(obj, key);
    if (!j)
        return required ? bad(msg, KC_EINVAL, w, key, "required") : KC_OK;
    if (!json_is_object(j))
        return bad(msg, KC_EINVAL, w, key, "must be an object with \"fi\", \"sv\" or \"en\"");
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v) {
        int l = cat_lang_from_code(k);
        char path[96];
        snprintf(path, sizeof path, "%s.%.8s", key, k);
        if (l < 0)
            return bad(msg, KC_EINVAL, w, path, "unknown language; use fi, sv or en");
        if (!json_is_string(v))
            return bad(msg, KC_EINVAL, w, path, "must be a string");
        size_t n = json_string_length(v);
        if (n == 0)
            return bad(msg, KC_EINVAL, w, path, "empty; leave the language out instead");
        if (n > max)
            return bad(msg, KC_ETOOBIG, w, path, "%zu bytes, limit is %zu", n, max);
        if (!cat_clean_text(json_string_value(v)))
            return bad(msg, KC_EINVAL, w, path, "contains a control character");
        out[l] = (char *)json_string_value(v);
    }
    if (!out[CAT_FI] && !out[CAT_SV] && !out[CAT_EN])
        return bad(msg, KC_EINVAL, w, key, "needs at least one language");
    return KC_OK;
}

/* An integer in lo..hi; *out untouched when the key is absent and not required. */
static kc_err get_int(json_t *obj, const char *key, long long lo, long long hi, int required,
                      long long *out, const where *w, char *msg)
{
    json_t *j = json_object_get(obj, key);
    if (!j)
        return required ? bad(msg, KC_EINVAL, w, key, "required") : KC_OK;
    if (!json_is_integer(j))
        return bad(msg, KC_EINVAL, w, key, "must be a whole number");
    long long v = json_integer_value(j);
    if (v < lo || v > hi)
        return bad(msg, KC_EINVAL, w, key, "%lld is outside %lld..%lld", v, lo, hi);
    *out = v;
    return KC_OK;
}

static kc_err only_keys(json_t *obj, const char *const *keys, const where *w, char *msg)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v) {
        int known = 0;
        for (size_t i = 0; keys[i] && !known; i++)
            known = strcmp(k, keys[i]) == 0;
        if (!known)
            return bad(msg, KC_EINVAL, w, k, "unknown key");
    }
    return KC_OK;
}

static int cmp_cost(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* One of names[] (NULL-terminated) as the value of key, or dflt when absent. */
static kc_err get_name(json_t *obj, const char *key, const char *const *names, int dflt,
                       int *out, const where *w, char *msg)
{
    json_t *j = json_object_get(obj, key);
    *out = dflt;
    if (!j)
        return KC_OK;
    const char *v = json_string_value(j);
    for (int i = 0; v && names[i]; i++)
        if (strcmp(v, names[i]) == 0) {
            *out = i;
            return KC_OK;
        }
    char list[200] = "";
    for (int i = 0; names[i]; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s\"%s\"",
                 i ? (names[i + 1] ? ", " : " or ") : "", names[i]);
    return bad(msg, KC_EINVAL, w, key, "use %s", list);
}

static const char *const method_names[] = { "greedy", "greedy-no-skip", "greedy-threshold",
                                            "equal-shares", NULL };
static const char *const ties_names[] = { "cheaper-first", "dearer-first", "listed", NULL };

const char *ballot_method_name(ballot_method m) { return method_names[m]; }

/* The counting part of the rule: method, ties, threshold, equal-shares options. */
static kc_err parse_method(ballot *b, json_t *r, const where *w, char *msg)
{
    static const char *const utilities[] = { "approval", "cost", NULL };
    static const char *const completions[] = { "none", "add-one", NULL };
    int m, ties, util, comp;
    kc_err rc;
    if ((rc = get_name(r, "method", method_names, BALLOT_GREEDY, &m, w, msg)) ||
        (rc = get_name(r, "ties", ties_names, BALLOT_TIES_CHEAPER, &ties, w, msg)) ||
        (rc = get_name(r, "utility", utilities, 0, &util, w, msg)) ||
        (rc = get_name(r, "completion", completions, 1, &comp, w, msg)))
        return rc;
    b->method = (ballot_method)m;
    b->ties = (ballot_ties)ties;
    b->mes_cost = util;
    b->mes_add_one = comp;
    json_t *pct = json_object_get(r, "threshold_percent");
    long long votes = 0;
    if ((rc = get_int(r, "threshold_votes", 1, 100000000, 0, &votes, w, msg)))
        return rc;
    if (pct) {
        double v = json_number_value(pct);
        /* hundredths of a per cent: 12.5 is 1250; finer shares are not used by cities */
        double bp = v * 100.0;
        if (!json_is_number(pct) || v <= 0 || v > 100 || bp != (double)(long)bp)
            return bad(msg, KC_EINVAL, w, "threshold_percent",
                       "a share of the ballots above 0 and at most 100, at most two decimals");
        b->threshold_bp = (long)bp;
    }
    b->threshold_votes = (long)votes;
    if (m == BALLOT_GREEDY_THRESHOLD && !pct == !votes)
        return bad(msg, KC_EINVAL, w, pct ? "threshold_votes" : "threshold_percent",
                   "\"greedy-threshold\" needs exactly one of \"threshold_percent\" and "
                   "\"threshold_votes\"");
    if (pct && votes)
        return bad(msg, KC_EINVAL, w, "threshold_votes",
                   "give \"threshold_percent\" or \"threshold_votes\", not both");
    /* cities that stop at the first project that does not fit often have a minimum too */
    if (m != BALLOT_GREEDY_THRESHOLD && m != BALLOT_GREEDY_NO_SKIP && (pct || votes))
        return bad(msg, KC_EINVAL, w, pct ? "threshold_percent" : "threshold_votes",
                   "only used by the methods \"greedy-threshold\" and \"greedy-no-skip\"");
    if (m != BALLOT_EQUAL_SHARES) {
        const char *extra = json_object_get(r, "utility")      ? "utility"
                            : json_object_get(r, "completion") ? "completion"
                                                               : NULL;
        if (extra)
            return bad(msg, KC_EINVAL, w, extra, "only used by the method \"equal-shares\"");
    } else {
        if (!b->budget)
            return bad(msg, KC_EINVAL, w, "budget",
                       "required by \"equal-shares\": the budget is what voters share");
        if (json_object_get(r, "winners"))
            return bad(msg, KC_EINVAL, w, "winners",
                       "not used by \"equal-shares\": the budget decides how many win");
    }
    return KC_OK;
}

static kc_err parse_rule(ballot *b, json_t *r, const where *w, char *msg)
{
    static const char *const keys[] = { "type", "min", "max", "winners", "budget", "method",
                                        "ties", "threshold_percent", "threshold_votes",
                                        "utility", "completion", NULL };
    if (!json_is_object(r))
        return bad(msg, KC_EINVAL, w, "rule", "must be an object");
    where wr = *w;
    wr.prefix = "rule.";
    w = &wr;
    kc_err rc = only_keys(r, keys, w, msg);
    if (rc)
        return rc;
    const char *type = json_string_value(json_object_get(r, "type"));
    long long np = (long long)b->np, min = 1, max = np, winners = 0, budget = 0;
    if (!type)
        return bad(msg, KC_EINVAL, w, "type", "required: \"approval\" or \"knapsack\"");
    if (strcmp(type, "approval") == 0) {
        b->rule = BALLOT_APPROVAL;
        if ((rc = get_int(r, "min", 1, np, 1, &min, w, msg)) ||
            (rc = get_int(r, "max", min, np, 1, &max, w, msg)) ||
            (rc = get_int(r, "winners", 1, np, 0, &winners, w, msg)) ||
            (rc = get_int(r, "budget", 1, BALLOT_BUDGET_MAX, 0, &budget, w, msg)))
            return rc;
        /* No hidden cap: a default of "max" winners silently dropped funded projects. */
        if (!winners && !budget)
            return bad(msg, KC_EINVAL, w, "winners",
                       "required when there is no \"budget\": say how many projects may "
                       "win, or give the budget that decides it");
    } else if (strcmp(type, "knapsack") == 0) {
        b->rule = BALLOT_KNAPSACK;
        if (json_object_get(r, "max") || json_object_get(r, "winners"))
            return bad(msg, KC_EINVAL, w, json_object_get(r, "max") ? "max" : "winners",
                       "not used by the knapsack rule (the budget limits the picks)");
        if ((rc = get_int(r, "budget", 1, BALLOT_BUDGET_MAX, 1, &budget, w, msg)) ||
            (rc = get_int(r, "min", 1, np, 0, &min, w, msg)))
            return rc;
        long long *costs = kc_malloc((size_t)np * sizeof *costs), sum = 0;
        if (!costs)
            return kc_fail(msg, KC_ENOMEM, "%s: out of memory", w->file);
        for (size_t i = 0; i < b->np; i++)
            costs[i] = b->p[i].cost;
        qsort(costs, b->np, sizeof *costs, cmp_cost);
        for (long long i = 0; i < min; i++)
            sum += costs[i];
        kc_free(costs);
        if (sum > budget)
            return bad(msg, KC_EINVAL, w, "min",
                       "the %lld cheapest projects cost %lld, over the budget %lld: no "
                       "ballot could be valid", min, sum, budget);
        for (size_t i = 0; i < b->np; i++)
            if (b->p[i].cost > budget) {
                where wp = { w->file, NULL, b->p[i].id, i, 1 };
                return bad(msg, KC_EINVAL, &wp, "cost",
                           "%lld is over the whole budget %lld; nobody could pick it",
                           b->p[i].cost, budget);
            }
    } else
        return bad(msg, KC_EINVAL, w, "type", "\"%.20s\": use \"approval\" or \"knapsack\"",
                   type);
    b->min = (int)min;
    b->max = (int)max;
    b->winners = (int)winners;
    b->budget = budget;
    return parse_method(b, r, w, msg);
}

static kc_err parse_project(ballot *b, size_t i, json_t *j, const char *file, char *msg)
{
    static const char *const keys[] = { "id", "title", "description", "area", "cost",
                                        "image", NULL };
    where w = { file, NULL, NULL, i, 1 };
    bproj *p = &b->p[i];
    if (!json_is_object(j))
        return bad(msg, KC_EINVAL, &w, "projects", "each project must be an object");
    p->id = json_string_value(json_object_get(j, "id"));
    if (!p->id || !cat_valid_id(p->id, BALLOT_ID_MAX))
        return bad(msg, KC_EINVAL, &w, "id", "required: 1-%d bytes of a-z 0-9 . _ -",
                   BALLOT_ID_MAX);
    w.project = p->id;
    for (size_t k = 0; k < i; k++)
        if (strcmp(b->p[k].id, p->id) == 0)
            return bad(msg, KC_EINVAL, &w, "id", "used by an earlier project too");
    kc_err rc;
    if ((rc = only_keys(j, keys, &w, msg)) ||
        (rc = get_text(j, "title", BALLOT_TITLE_MAX, 1, p->title, &w, msg)) ||
        (rc = get_text(j, "description", BALLOT_DESC_MAX, 0, p->desc, &w, msg)) ||
        (rc = get_text(j, "area", BALLOT_AREA_MAX, 0, p->area, &w, msg)) ||
        (rc = get_int(j, "cost", 0, BALLOT_COST_MAX, 1, &p->cost, &w, msg)))
        return rc;
    json_t *img = json_object_get(j, "image");
    if (img) {
        p->image = json_string_value(img);
        if (!p->image || !valid_image(p->image))
            return bad(msg, KC_EINVAL, &w, "image",
                       "a relative path of a-z 0-9 . _ - / (no \"..\"), at most %d bytes",
                       BALLOT_IMAGE_MAX);
    }
    return KC_OK;
}

static kc_err parse_doc(ballot *b, const char *file, char *msg)
{
    static const char *const keys[] = { "format", "version", "sample", "id", "title",
                                        "description", "eligibility", "opens", "closes",
                                        "rule", "tally_key", "projects", NULL };
    where w = { file, NULL, NULL, 0, 0 };
    json_t *d = b->doc;
    kc_err rc;
    if (!json_is_object(d))
        return kc_fail(msg, KC_EINVAL, "%s: a ballot file is a JSON object", file);
    const char *fmt = json_string_value(json_object_get(d, "format"));
    if (!fmt || strcmp(fmt, "kiosk-ballot") != 0)
        return bad(msg, KC_EINVAL, &w, "format", "must be \"kiosk-ballot\"");
    long long version = 0;
    if ((rc = get_int(d, "version", 1, 1, 1, &version, &w, msg)) ||
        (rc = only_keys(d, keys, &w, msg)))
        return rc;
    json_t *sample = json_object_get(d, "sample");
    if (sample && !json_is_boolean(sample))
        return bad(msg, KC_EINVAL, &w, "sample", "must be true or false");
    b->id = json_string_value(json_object_get(d, "id"));
    if (!b->id || !cat_valid_id(b->id, BALLOT_ID_MAX))
        return bad(msg, KC_EINVAL, &w, "id", "required: 1-%d bytes of a-z 0-9 . _ -",
                   BALLOT_ID_MAX);
    if ((rc = get_text(d, "title", BALLOT_TITLE_MAX, 1, b->title, &w, msg)) ||
        (rc = get_text(d, "description", BALLOT_DESC_MAX, 0, b->desc, &w, msg)) ||
        (rc = get_text(d, "eligibility", BALLOT_ELIGIBILITY_MAX, 1, b->elig, &w, msg)))
        return rc;
    b->opens = json_string_value(json_object_get(d, "opens"));
    b->closes = json_string_value(json_object_get(d, "closes"));
    if (!b->opens || !cat_valid_date(b->opens))
        return bad(msg, KC_EINVAL, &w, "opens", "required: a date YYYY-MM-DD");
    if (!b->closes || !cat_valid_date(b->closes))
        return bad(msg, KC_EINVAL, &w, "closes", "required: a date YYYY-MM-DD");
    if (strcmp(b->closes, b->opens) < 0)
        return bad(msg, KC_EINVAL, &w, "closes", "before \"opens\"");
    json_t *key = json_object_get(d, "tally_key");
    if (key) {
        if (!json_is_string(key) ||
            votecode_from_hex(json_string_value(key), b->key, sizeof b->key) != KC_OK)
            return bad(msg, KC_EINVAL, &w, "tally_key", "must be %d lower-case hex digits",
                       2 * VOTECODE_KEY_BYTES);
        b->has_key = 1;
    }
    json_t *projects = json_object_get(d, "projects");
    if (!json_is_array(projects) || json_array_size(projects) == 0)
        return bad(msg, KC_EINVAL, &w, "projects", "required: a non-empty array");
    if (json_array_size(projects) > BALLOT_MAX_PROJECTS)
        return bad(msg, KC_ETOOBIG, &w, "projects", "%zu projects, limit is %d",
                   json_array_size(projects), BALLOT_MAX_PROJECTS);
    b->np = json_array_size(projects);
    if (!(b->p = kc_calloc(b->np, sizeof *b->p)))
        return kc_fail(msg, KC_ENOMEM, "%s: out of memory", file);
    for (size_t i = 0; i < b->np; i++)
        if ((rc = parse_project(b, i, json_array_get(projects, i), file, msg)))
            return rc;
    json_t *rule = json_object_get(d, "rule");
    if (!rule)
        return bad(msg, KC_EINVAL, &w, "rule", "required");
    return parse_rule(b, rule, &w, msg);
}

kc_err ballot_file_kind_of(const char *buf, size_t len, const char *name,
                           ballot_file_kind *kind, char *msg)
{
    json_t *doc;
    if (len > BALLOT_CODES_FILE_MAX)  /* the larger of the two formats' limits */
        return kc_fail(msg, KC_ETOOBIG, "%s: %zu bytes, limit is %d", name, len,
                       BALLOT_CODES_FILE_MAX);
    kc_err rc = safetext_json_load(buf, len, name, &doc, msg);
    if (rc)
        return rc;
    const char *fmt = json_string_value(json_object_get(doc, "format"));
    if (fmt && !strcmp(fmt, "kiosk-ballot"))
        *kind = BALLOT_FILE_DEFINITION;
    else if (fmt && !strcmp(fmt, "kiosk-ballot-codes"))
        *kind = BALLOT_FILE_CODES;
    else
        rc = kc_fail(msg, KC_EINVAL,
                     "%s: \"format\" must be \"kiosk-ballot\" (a ballot) or "
                     "\"kiosk-ballot-codes\" (a codes file)",
                     name);
    json_decref(doc);
    return rc;
}

kc_err ballot_parse(const char *buf, size_t len, const char *name, ballot **out, char *msg)
{
    *out = NULL;
    const char *file = name ? name : "ballot";
    if (len > BALLOT_MAX_FILE)
        return kc_fail(msg, KC_ETOOBIG, "%s: %zu bytes, limit is %d", file, len,
                       BALLOT_MAX_FILE);
    ballot *b = kc_calloc(1, sizeof *b);
    if (!b)
        return kc_fail(msg, KC_ENOMEM, "%s: out of memory", file);
    kc_err rc;
    if ((rc = safetext_json_load(buf, len, file, &b->doc, msg)))
        goto fail;
    if ((rc = parse_doc(b, file, msg)))
        goto fail;
    char *text = json_dumps(b->doc, JSON_COMPACT | JSON_SORT_KEYS);
    b->body = text ? kc_strdup(text) : NULL;
    free(text);
    if (!b->body) {
        rc = kc_fail(msg, KC_ENOMEM, "%s: out of memory", file);
        goto fail;
    }
    b->version = 1;
    *out = b;
    return KC_OK;
fail:
    ballot_free(b);
    return rc;
}

kc_err ballot_load_file(const char *path, ballot **out, char *msg)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return kc_fail(msg, KC_EIO, "%s: cannot open: %s", path, strerror(errno));
    char *buf = kc_malloc(BALLOT_MAX_FILE + 1);
    if (!buf) {
        fclose(f);
        return kc_fail(msg, KC_ENOMEM, "%s: out of memory", path);
    }
    size_t len = fread(buf, 1, BALLOT_MAX_FILE + 1, f);
    int rerr = ferror(f);
    fclose(f);
    kc_err rc;
    if (rerr)
        rc = kc_fail(msg, KC_EIO, "%s: read error", path);
    else if (len > BALLOT_MAX_FILE)
        rc = kc_fail(msg, KC_ETOOBIG, "%s: larger than %d bytes", path, BALLOT_MAX_FILE);
    else
        rc = ballot_parse(buf, len, path, out, msg);
    kc_free(buf);
    return rc;
}

void ballot_free(ballot *b)
{
    if (!b)
        return;
    json_decref(b->doc);
    kc_free(b->body);
    kc_free(b->p);
    kc_free(b);
}

/* --- views ----------------------------------------------------------------------------- */

const char *ballot_id(const ballot *b) { return b->id; }
const char *ballot_body(const ballot *b) { return b->body; }
int ballot_version(const ballot *b) { return b->version; }
void ballot_set_version(ballot *b, int version) { b->version = version > 0 ? version : 1; }
ballot_rule ballot_get_rule(const ballot *b) { return b->rule; }
int ballot_min_picks(const ballot *b) { return b->min; }
int ballot_max_picks(const ballot *b) { return b->max; }
long long ballot_budget(const ballot *b) { return b->budget; }
int ballot_winners(const ballot *b) { return b->winners; }
ballot_method ballot_get_method(const ballot *b) { return b->method; }
ballot_ties ballot_get_ties(const ballot *b) { return b->ties; }
long ballot_threshold_bp(const ballot *b) { return b->threshold_bp; }
long ballot_threshold_votes(const ballot *b) { return b->threshold_votes; }
int ballot_mes_cost_utility(const ballot *b) { return b->mes_cost; }
int ballot_mes_add_one(const ballot *b) { return b->mes_add_one; }
const char *ballot_opens(const ballot *b) { return b->opens; }
const char *ballot_closes(const ballot *b) { return b->closes; }
const unsigned char *ballot_tally_key(const ballot *b) { return b->has_key ? b->key : NULL; }
size_t ballot_nprojects(const ballot *b) { return b->np; }
long long ballot_project_cost(const ballot *b, size_t i) { return b->p[i].cost; }
const char *ballot_project_id(const ballot *b, size_t i) { return b->p[i].id; }

int ballot_period_cmp(const ballot *b, const char *day)
{
    if (strcmp(day, b->opens) < 0)
        return -1;
    return strcmp(day, b->closes) > 0 ? 1 : 0;
}

const char *ballot_title(const ballot *b, const cat_langs *pref, cat_lang *used)
{
    return cat_text_pick(b->title, pref, used);
}

const char *ballot_description(const ballot *b, const cat_langs *pref, cat_lang *used)
{
    return cat_text_pick(b->desc, pref, used);
}

const char *ballot_eligibility(const ballot *b, const cat_langs *pref, cat_lang *used)
{
    return cat_text_pick(b->elig, pref, used);
}

void ballot_project_at(const ballot *b, size_t i, const cat_langs *pref, ballot_project *out)
{
    const bproj *p = &b->p[i];
    out->id = p->id;
    out->title_lang = pref->order[0];
    out->title = cat_text_pick(p->title, pref, &out->title_lang);
    out->description = cat_text_pick(p->desc, pref, NULL);
    out->area = cat_text_pick(p->area, pref, NULL);
    out->image = p->image;
    out->cost = p->cost;
}

long ballot_project_index(const ballot *b, const char *id)
{
    for (size_t i = 0; i < b->np; i++)
        if (strcmp(b->p[i].id, id) == 0)
            return (long)i;
    return -1;
}

int ballot_same_structure(const ballot *a, const ballot *b)
{
    if (strcmp(a->id, b->id) || a->rule != b->rule || a->min != b->min || a->max != b->max ||
        a->winners != b->winners || a->budget != b->budget || a->np != b->np ||
        a->method != b->method || a->ties != b->ties || a->threshold_bp != b->threshold_bp ||
        a->threshold_votes != b->threshold_votes || a->mes_cost != b->mes_cost ||
        a->mes_add_one != b->mes_add_one ||
        a->has_key != b->has_key || (a->has_key && memcmp(a->key, b->key, sizeof a->key)))
        return 0;
    for (size_t i = 0; i < a->np; i++)
        if (strcmp(a->p[i].id, b->p[i].id) || a->p[i].cost != b->p[i].cost)
            return 0;
    return 1;
}

void ballot_today(char day[11])
{
    time_t now = time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm) || strftime(day, 11, "%Y-%m-%d", &tm) != 10)
        snprintf(day, 11, "1970-01-01");
}

const char *ballot_why_name(ballot_why w)
{
    switch (w) {
    case BALLOT_WHY_NONE: return "none";
    case BALLOT_WHY_MAX_PICKS: return "already the most picks allowed";
    case BALLOT_WHY_BUDGET: return "over the budget";
    case BALLOT_WHY_MIN_PICKS: return "too few picks";
    case BALLOT_WHY_NOT_ELIGIBLE: return "no code or staff unlock yet";
    case BALLOT_WHY_CODE_FORMAT: return "not a voter code";
    case BALLOT_WHY_CODE_UNKNOWN: return "unknown code";
    case BALLOT_WHY_CODE_USED: return "code already used";
    case BALLOT_WHY_CLOSED: return "voting is not open";
    case BALLOT_WHY_CAST: return "this ballot has been cast";
    case BALLOT_WHY_NO_PROJECT: return "no such project";
    case BALLOT_WHY_CODE_VOTED: return "code already voted here";
    }
    return "unknown";
}
