#include "ksettings.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "fold.h"
#include "safetext.h"

static const char *const day_names[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

void ksettings_init(ksettings *s)
{
    memset(s, 0, sizeof *s);
    s->lang = -1;
}

static void free_ids(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        kc_free(v[i]);
    kc_free(v);
}

void ksettings_free(ksettings *s)
{
    free_ids(s->surveys, s->nsurveys);
    free_ids(s->ballots, s->nballots);
    ksettings_init(s);
}

static int two_digits(const char *p, int max, int *out)
{
    if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
        return -1;
    *out = (p[0] - '0') * 10 + (p[1] - '0');
    return *out > max ? -1 : 0;
}

/* "HH:MM" as minutes; 24:00 only when allow_end. */
static int hhmm(const char *p, int allow_end)
{
    int h, m;
    if (two_digits(p, 24, &h) || p[2] != ':' || two_digits(p + 3, 59, &m))
        return -1;
    if (h == 24 && (m || !allow_end))
        return -1;
    return h * 60 + m;
}

int khours_parse_day(const char *s, int *open, int *close)
{
    if (strcmp(s, "closed") == 0) {
        *open = *close = -1;
        return 0;
    }
    if (strlen(s) != 11 || s[5] != '-')
        return -1;
    int o = hhmm(s, 0), c = hhmm(s + 6, 1);
    if (o < 0 || c < 0 || c <= o)
        return -1;
    *open = o;
    *close = c;
    return 0;
}

void khours_day_text(const khours *h, int d, char out[12])
{
    if (h->open[d] < 0)
        snprintf(out, 12, "closed");
    else
        snprintf(out, 12, "%02u:%02u-%02u:%02u", (unsigned)h->open[d] / 60u % 25u,
                 (unsigned)h->open[d] % 60u, (unsigned)h->close[d] / 60u % 25u,
                 (unsigned)h->close[d] % 60u);
}

static int day_of(const char *s, size_t n)
{
    for (int d = 0; d < 7; d++)
        if (n == 3 && strncmp(s, day_names[d], 3) == 0)
            return d;
    return -1;
}

kc_err khours_parse(const char *spec, khours *h, char *msg)
{
    khours out;
    int seen[7] = { 0 };
    for (int d = 0; d < 7; d++)
        out.open[d] = out.close[d] = -1;
    if (strlen(spec) > KHOURS_SPEC_MAX)
        return kc_fail(msg, KC_EINVAL, "longer than %d bytes", KHOURS_SPEC_MAX);
    const char *p = spec;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char part[64];
        while (n && p[n - 1] == ' ')
            n--;
        if (n == 0 || n >= sizeof part)
            return kc_fail(msg, KC_EINVAL, "write e.g. \"mon-fri 08:00-20:00, sat "
                           "10:00-16:00\"");
        memcpy(part, p, n);
        part[n] = '\0';
        char *sp = strchr(part, ' ');
        if (!sp)
            return kc_fail(msg, KC_EINVAL, "\"%s\": give days, then HH:MM-HH:MM", part);
        *sp = '\0';
        const char *time = sp + 1;
        while (*time == ' ')
            time++;
        int first, last;
        char *dash = strchr(part, '-');
        if (dash) {
            first = day_of(part, (size_t)(dash - part));
            last = day_of(dash + 1, strlen(dash + 1));
        } else {
            first = last = day_of(part, strlen(part));
        }
        if (first < 0 || last < 0 || last < first)
            return kc_fail(msg, KC_EINVAL, "\"%s\": days are mon tue wed thu fri sat sun, "
                           "or a range like mon-fri", part);
        int o, c;
        if (khours_parse_day(time, &o, &c))
            return kc_fail(msg, KC_EINVAL, "\"%s\": hours are HH:MM-HH:MM (close after "
                           "open, 00:00-24:00) or closed", time);
        for (int d = first; d <= last; d++) {
            if (seen[d]++)
                return kc_fail(msg, KC_EINVAL, "%s is given twice", day_names[d]);
            out.open[d] = o;
            out.close[d] = c;
        }
        p = end ? end + 1 : p + strlen(p);
    }
    *h = out;
    return KC_OK;
}

static int mon0(const struct tm *t)
{
    return (t->tm_wday + 6) % 7;
}

int khours_open_at(const khours *h, const struct tm *t)
{
    int d = mon0(t), m = t->tm_hour * 60 + t->tm_min;
    return h->open[d] >= 0 && m >= h->open[d] && m < h->close[d];
}

long khours_next_change(const khours *h, const struct tm *t)
{
    int now_open = khours_open_at(h, t);
    int d0 = mon0(t);
    long now_s = t->tm_hour * 3600L + t->tm_min * 60L + t->tm_sec;
    /* Walk the week's edges from now: the first opening or closing ahead whose state
     * differs.  Minutes only, so the answer is exact to the second. */
    for (int k = 0; k <= 7; k++) {
        int d = (d0 + k) % 7;
        if (h->open[d] < 0)
            continue;
        long base = k * 86400L - now_s;
        long edges[2] = { base + h->open[d] * 60L, base + h->close[d] * 60L };
        for (int e = 0; e < 2; e++) {
            if (edges[e] <= 0)
                continue;
            /* an opening matters when closed now, a closing when open; a close at
             * 24:00 followed by a 00:00 opening is no change */
            if (e == 0 && !now_open)
                return edges[e];
            if (e == 1 && now_open) {
                int nd = (d + 1) % 7;
                if (h->close[d] == 1440 && h->open[nd] == 0)
                    continue;
                return edges[e];
            }
        }
    }
    return 7 * 86400L;
}

/* --- the settings document -------------------------------------------------------- */

static kc_err bad(char *field, const char *name, char *msg, const char *why)
{
    if (field)
        snprintf(field, KSET_FIELD_MAX + 1, "%s", name);
    return kc_fail(msg, KC_EINVAL, "\"%s\": %s", name, why);
}

static kc_err read_ids(json_t *v, const char *name, char ***out, size_t *n, char *field,
                       char *msg)
{
    if (!json_is_array(v))
        return bad(field, name, msg, "must be a list of ids");
    size_t k = json_array_size(v);
    if (k > KSET_IDS_MAX)
        return bad(field, name, msg, "at most 200 ids");
    char **ids = kc_calloc(k ? k : 1, sizeof *ids);
    if (!ids)
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    for (size_t i = 0; i < k; i++) {
        const char *s = json_string_value(json_array_get(v, i));
        if (!s || !cat_valid_id(s, KSET_ID_MAX)) {
            free_ids(ids, i);
            return bad(field, name, msg, "an entry is not an id (1-64 of a-z 0-9 . _ -)");
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(ids[j], s) == 0) {
                free_ids(ids, i);
                return bad(field, name, msg, "an id is listed twice");
            }
        if (!(ids[i] = kc_strdup(s))) {
            free_ids(ids, i);
            return kc_fail(msg, KC_ENOMEM, "out of memory");
        }
    }
    *out = ids;
    *n = k;
    return KC_OK;
}

static kc_err read_hours(json_t *v, khours *h, char *field, char *msg)
{
    if (!json_is_object(v))
        return bad(field, "hours", msg, "must give mon..sun each \"HH:MM-HH:MM\" or "
                   "\"closed\"");
    const char *k;
    json_t *x;
    json_object_foreach(v, k, x) {
        if (day_of(k, strlen(k)) < 0)
            return bad(field, "hours", msg, "days are mon tue wed thu fri sat sun");
    }
    for (int d = 0; d < 7; d++) {
        char name[16];
        snprintf(name, sizeof name, "hours.%s", day_names[d]);
        const char *s = json_string_value(json_object_get(v, day_names[d]));
        if (!s)
            return bad(field, name, msg, "missing: \"HH:MM-HH:MM\" or \"closed\"");
        if (khours_parse_day(s, &h->open[d], &h->close[d]))
            return bad(field, name, msg, "must be \"HH:MM-HH:MM\" (close after open, "
                       "00:00-24:00) or \"closed\"");
    }
    return KC_OK;
}

static kc_err parse_obj(json_t *j, int with_lists, ksettings *s, char *field, char *msg)
{
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v) {
        int lists = strcmp(k, "surveys") == 0 || strcmp(k, "ballots") == 0;
        if (strcmp(k, "place") && strcmp(k, "hours") && strcmp(k, "idle_s") &&
            strcmp(k, "language") && (!lists || !with_lists)) {
            char name[KSET_FIELD_MAX + 1];
            /* an empty name written as "" so that the refusal still names a member */
            snprintf(name, sizeof name, "%.*s", KSET_FIELD_MAX, *k ? k : "\"\"");
            return bad(field, name, msg, "unknown setting");
        }
    }
    json_t *place = json_object_get(j, "place");
    if (place && !json_is_null(place)) {
        const char *p = json_string_value(place);
        size_t n = p ? strlen(p) : 0;
        if (!p || n == 0 || n > KSET_PLACE_MAX)
            return bad(field, "place", msg, "must be text of 1-100 bytes");
        if (!fold_valid_utf8(p, n) || !safetext_is_clean(p))
            return bad(field, "place", msg, "holds control or invisible characters");
        memcpy(s->place, p, n + 1);
    }
    json_t *hours = json_object_get(j, "hours");
    if (hours && !json_is_null(hours)) {
        kc_err rc = read_hours(hours, &s->hours, field, msg);
        if (rc)
            return rc;
        s->has_hours = 1;
    }
    json_t *idle = json_object_get(j, "idle_s");
    if (idle && !json_is_null(idle)) {
        json_int_t n = json_is_integer(idle) ? json_integer_value(idle) : -1;
        if (n < KSET_IDLE_MIN || n > KSET_IDLE_MAX)
            return bad(field, "idle_s", msg, "must be 30..600 seconds");
        s->idle_s = (int)n;
    }
    json_t *lang = json_object_get(j, "language");
    if (lang && !json_is_null(lang)) {
        const char *l = json_string_value(lang);
        if (!l || (s->lang = cat_lang_from_code(l)) < 0)
            return bad(field, "language", msg, "must be fi, sv or en");
    }
    json_t *sv = json_object_get(j, "surveys"), *bl = json_object_get(j, "ballots");
    if (!sv != !bl)
        return bad(field, sv ? "ballots" : "surveys", msg, "give surveys and ballots together");
    if (sv) {
        kc_err rc = read_ids(sv, "surveys", &s->surveys, &s->nsurveys, field, msg);
        if (!rc)
            rc = read_ids(bl, "ballots", &s->ballots, &s->nballots, field, msg);
        if (rc)
            return rc;
        s->has_lists = 1;
    }
    return KC_OK;
}

kc_err ksettings_parse(const char *json, size_t len, int with_lists, ksettings *s,
                       char *field, char *msg)
{
    ksettings_init(s);
    if (field)
        field[0] = '\0';
    json_error_t err;
    json_t *j = json_loadb(json, len, JSON_REJECT_DUPLICATES, &err);
    if (!j || !json_is_object(j)) {
        json_decref(j);
        return kc_fail(msg, KC_EJSON, "settings: not a JSON object");
    }
    kc_err rc = parse_obj(j, with_lists, s, field, msg);
    json_decref(j);
    if (rc)
        ksettings_free(s);
    return rc;
}

char *ksettings_json(const ksettings *s)
{
    json_t *j = json_object(), *h = NULL;
    char *text = NULL, *r = NULL;
    if (!j)
        return NULL;
    if (s->place[0] && json_object_set_new(j, "place", json_string(s->place)))
        goto done;
    if (s->has_hours) {
        if (!(h = json_object()))
            goto done;
        for (int d = 0; d < 7; d++) {
            char t[12];
            khours_day_text(&s->hours, d, t);
            if (json_object_set_new(h, day_names[d], json_string(t)))
                goto done;
        }
        if (json_object_set(j, "hours", h))
            goto done;
    }
    if (s->idle_s && json_object_set_new(j, "idle_s", json_integer(s->idle_s)))
        goto done;
    if (s->lang >= 0 &&
        json_object_set_new(j, "language", json_string(cat_lang_code((cat_lang)s->lang))))
        goto done;
    if ((text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER)))
        r = kc_strdup(text);
done:
    free(text);
    json_decref(h);
    json_decref(j);
    return r;
}

int ksettings_shows(const ksettings *s, int ballot, const char *id)
{
    if (!s->has_lists)
        return 1;
    char **v = ballot ? s->ballots : s->surveys;
    size_t n = ballot ? s->nballots : s->nsurveys;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], id) == 0)
            return 1;
    return 0;
}
