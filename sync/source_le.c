/* source_le.c - Linked Events (/linkedevents/v1/event/) to catalog items: an event
 * per event, a venue per place embedded with include=location, one item per
 * recurring series with its next dates.  Field names follow the API's JSON-LD
 * (docs/sources.md lists them). */
#include "source_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"

#define LE_SERIES_DATES 5  /* dates listed in a series' "when" */

/* Keyword ids of an array of references, mapped through rules[section] into a JSON
 * array of distinct enum values. */
static kc_err map_refs(src_map *m, json_t *item, const char *key, json_t *refs,
                       const char *section)
{
    json_t *out = json_array();
    size_t i;
    json_t *r;
    char buf[128];
    if (!out)
        return src_bad(m, KC_ENOMEM, "out of memory");
    json_array_foreach(refs, i, r) {
        const char *id = src_ref_id(r, buf, sizeof buf);
        const char *v = id ? src_rule(m, section, id) : NULL;
        if (!v)
            continue;
        int seen = 0;
        size_t k;
        json_t *e;
        json_array_foreach(out, k, e)
            seen |= strcmp(json_string_value(e), v) == 0;
        if (!seen && json_array_append_new(out, json_string(v)) != 0) {
            json_decref(out);
            return src_bad(m, KC_ENOMEM, "out of memory");
        }
    }
    if (json_array_size(out) == 0) {
        json_decref(out);
        return KC_OK;
    }
    if (json_object_set_new(item, key, out) != 0)
        return src_bad(m, KC_ENOMEM, "out of memory");
    return KC_OK;
}

/* The area of a place: the first of its divisions the rules name. */
static const char *place_area(src_map *m, json_t *place)
{
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(place, "divisions"), i, d) {
        const char *ocd = json_string_value(json_object_get(d, "ocd_id"));
        const char *a = ocd ? src_rule(m, "divisions", ocd) : NULL;
        if (a)
            return a;
    }
    return NULL;
}

/* "Mannerheimintie 22-24, Helsinki" per language. */
static kc_err place_address(src_map *m, json_t *item, json_t *place)
{
    static const char *const langs[] = { "fi", "sv", "en" };
    json_t *street = json_object_get(place, "street_address");
    json_t *city = json_object_get(place, "address_locality");
    json_t *ml = json_object();
    if (!ml)
        return src_bad(m, KC_ENOMEM, "out of memory");
    for (int l = 0; l < 3; l++) {
        const char *s = json_string_value(json_object_get(street, langs[l]));
        const char *c = json_string_value(json_object_get(city, langs[l]));
        if (!c)
            c = json_string_value(json_object_get(city, "fi"));
        if (!s || !*s)
            continue;
        char buf[600];
        snprintf(buf, sizeof buf, "%.290s%s%.290s", s, c && *c ? ", " : "", c && *c ? c : "");
        json_object_set_new(ml, langs[l], json_string(buf));
    }
    kc_err rc = src_set_text(m, item, "address", ml, 0, 300);
    json_decref(ml);
    return rc;
}

/* A venue item from an embedded place; *vid gets its item id ("" when the place is
 * only a reference or has no name). */
static kc_err map_place(src_map *m, json_t *place, json_t *event, char *vid)
{
    char buf[128];
    kc_err rc;
    vid[0] = '\0';
    const char *pid = src_ref_id(place, buf, sizeof buf);
    if (!pid || !json_is_object(json_object_get(place, "name")))
        return KC_OK;
    if ((rc = src_item_id(m, pid, vid)))
        return rc;
    json_t *v = json_pack("{s:s, s:s}", "id", vid, "kind", "venue");
    if (!v)
        return src_bad(m, KC_ENOMEM, "out of memory");
    const char *price = json_string_value(json_object_get(m->rules, "venue_price"));
    const char *area = place_area(m, place);
    if ((rc = src_set_text(m, v, "name", json_object_get(place, "name"), 0, 200)) ||
        (rc = src_set_text(m, v, "description", json_object_get(place, "description"), 1,
                       4000)) ||
        (rc = place_address(m, v, place)) || (rc = place_address(m, event, place)) ||
        (rc = src_set_checked(m, v, "phone", src_first_lang(json_object_get(place, "telephone")),
                              'p')) ||
        (rc = src_set_checked(m, v, "email", json_string_value(json_object_get(place, "email")),
                              'e')) ||
        (rc = src_set_checked(m, v, "web", src_first_lang(json_object_get(place, "info_url")),
                              'u')))
        goto fail;
    if (!json_object_get(v, "name")) {
        vid[0] = '\0';
        json_decref(v);
        return KC_OK;
    }
    if (json_object_set_new(v, "price", json_string(price ? price : "free")) != 0 ||
        (area && (json_object_set_new(v, "area", json_string(area)) != 0 ||
                  json_object_set_new(event, "area", json_string(area)) != 0))) {
        rc = src_bad(m, KC_ENOMEM, "out of memory");
        goto fail;
    }
    return src_put(m, m->items, vid, v);
fail:
    json_decref(v);
    return rc;
}

static const char *event_status(const char *s)
{
    if (!s)
        return NULL;
    if (strcmp(s, "EventCancelled") == 0)
        return "cancelled";
    if (strcmp(s, "EventPostponed") == 0)
        return "postponed";
    if (strcmp(s, "EventRescheduled") == 0)
        return "rescheduled";
    return NULL;
}

/* Holds the series a record belongs to, creating it. */
static json_t *series_of(src_map *m, const char *id)
{
    json_t *s = json_object_get(m->series, id);
    if (s)
        return s;
    s = json_pack("{s:n, s:[]}", "tpl", "subs");
    if (!s || json_object_set_new(m->series, id, s) != 0)
        return NULL;
    return s;
}

kc_err src_le_record(src_map *m, json_t *rec)
{
    char buf[128], id[CAT_ID_MAX + 1], vid[CAT_ID_MAX + 1];
    kc_err rc;
    if (!json_is_object(rec))
        return src_bad(m, KC_EINVAL, "an event is not a JSON object");
    const char *oid = json_string_value(json_object_get(rec, "id"));
    if (!oid)
        return src_bad(m, KC_EINVAL, "missing field \"id\"");
    snprintf(m->where + strlen(m->where), sizeof m->where - strlen(m->where),
             " event \"%.60s\"", oid);
    if (json_is_true(json_object_get(rec, "deleted")))
        return KC_OK;  /* absent from the run, so it becomes a tombstone */
    const char *pub = json_string_value(json_object_get(rec, "publisher"));
    if (m->o->publisher && (!pub || strcmp(pub, m->o->publisher) != 0))
        return KC_OK;
    if ((rc = src_item_id(m, oid, id)))
        return rc;
    const char *st = json_string_value(json_object_get(rec, "start_time"));
    const char *en = json_string_value(json_object_get(rec, "end_time"));
    if (!st)
        return src_bad(m, KC_EINVAL, "missing field \"start_time\"");
    long long t0 = src_parse_time(st), t1 = en ? src_parse_time(en) : t0;
    if (t0 < 0 || t1 < 0)
        return src_bad(m, KC_EINVAL, "start_time or end_time is not an ISO 8601 time");
    if (t1 < t0)
        t1 = t0;
    const char *stype = json_string_value(json_object_get(rec, "super_event_type"));
    int recurring = stype && strcmp(stype, "recurring") == 0;
    /* The window: an event that ended is left out (and so becomes a tombstone), and
     * one starting after --days is not shown yet.  A series is judged by its dates. */
    int days = m->o->days > 0 ? m->o->days : 90;
    if (!recurring && (t1 < m->now || t0 > m->now + days * 86400LL))
        return KC_OK;

    json_t *it = json_pack("{s:s, s:s}", "id", id, "kind", "event");
    if (!it)
        return src_bad(m, KC_ENOMEM, "out of memory");
    char s0[17], s1[17];
    src_local_time(t0, s0);
    src_local_time(t1, s1);
    json_t *desc = json_object_get(rec, "description");
    if (!json_is_object(desc) || json_object_size(desc) == 0)
        desc = json_object_get(rec, "short_description");
    const char *status = event_status(json_string_value(json_object_get(rec, "event_status")));
    const char *etype = NULL;
    size_t i;
    json_t *k;
    json_array_foreach(json_object_get(rec, "keywords"), i, k) {
        const char *kid = src_ref_id(k, buf, sizeof buf);
        if (!etype && kid)
            etype = src_rule(m, "event_types", kid);
    }
    if ((rc = src_set_text(m, it, "name", json_object_get(rec, "name"), 0, 200)))
        goto fail;
    if (!json_object_get(it, "name")) {
        rc = src_bad(m, KC_EINVAL, "missing field \"name\" (no fi, sv or en text)");
        goto fail;
    }
    if ((rc = src_set_text(m, it, "description", desc, 1, 4000)) ||
        (rc = map_refs(m, it, "themes", json_object_get(rec, "keywords"), "keywords")) ||
        (rc = map_refs(m, it, "target_groups", json_object_get(rec, "audience"), "audiences")) ||
        (rc = map_refs(m, it, "languages", json_object_get(rec, "in_language"), "languages")))
        goto fail;
    if (json_object_set_new(it, "start", json_string(s0)) != 0 ||
        (t1 != t0 && json_object_set_new(it, "end", json_string(s1)) != 0) ||
        (status && json_object_set_new(it, "status", json_string(status)) != 0) ||
        (etype && json_object_set_new(it, "event_type", json_string(etype)) != 0)) {
        rc = src_bad(m, KC_ENOMEM, "out of memory");
        goto fail;
    }
    if ((rc = map_place(m, json_object_get(rec, "location"), it, vid)))
        goto fail;
    if (vid[0] && json_object_set_new(it, "venue", json_string(vid)) != 0) {
        rc = src_bad(m, KC_ENOMEM, "out of memory");
        goto fail;
    }
    json_t *offer = json_array_get(json_object_get(rec, "offers"), 0);
    if ((rc = src_set_checked(m, it, "web", src_first_lang(json_object_get(rec, "info_url")),
                              'u')) ||
        (rc = src_set_checked(m, it, "signup_url",
                              src_first_lang(json_object_get(offer, "info_url")), 'u')))
        goto fail;

    const char *super = src_ref_id(json_object_get(rec, "super_event"), buf, sizeof buf);
    if (recurring) {
        json_t *s = series_of(m, oid);
        if (!s || json_object_set_new(s, "tpl", it) != 0)
            return src_bad(m, KC_ENOMEM, "out of memory");
        return KC_OK;
    }
    if (super) {
        json_t *s = series_of(m, super);
        if (!s || json_array_append_new(json_object_get(s, "subs"), it) != 0)
            return src_bad(m, KC_ENOMEM, "out of memory");
        return KC_OK;
    }
    return src_put(m, m->items, id, it);
fail:
    json_decref(it);
    return rc;
}

static int by_start(const void *a, const void *b)
{
    const char *x = json_string_value(json_object_get(*(json_t *const *)a, "start"));
    const char *y = json_string_value(json_object_get(*(json_t *const *)b, "start"));
    return strcmp(x, y);
}

/* "Next: ti 3.12. 18.00, to 5.12. 18.00 and 4 more" in each language. */
static json_t *series_when(json_t **subs, size_t n)
{
    static const char *const lead[] = { "Seuraavat kerrat: ", "Nästa gånger: ", "Next dates: " };
    static const char *const more[] = { " ja %zu muuta", " och %zu till", " and %zu more" };
    static const char *const wd[3][7] = {
        { "su", "ma", "ti", "ke", "to", "pe", "la" },
        { "sön", "mån", "tis", "ons", "tor", "fre", "lör" },
        { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" },
    };
    static const char *const langs[] = { "fi", "sv", "en" };
    json_t *o = json_object();
    for (int l = 0; o && l < 3; l++) {
        char buf[300];
        size_t len = (size_t)snprintf(buf, sizeof buf, "%s", lead[l]);
        for (size_t i = 0; i < n && i < LE_SERIES_DATES; i++) {
            const char *s = json_string_value(json_object_get(subs[i], "start"));
            int mo = (s[5] - '0') * 10 + s[6] - '0', d = (s[8] - '0') * 10 + s[9] - '0';
            len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s %d.%d. %.2s%s%.2s",
                                    i ? ", " : "", wd[l][src_weekday(s)], d, mo, s + 11,
                                    l == 2 ? ":" : ".", s + 14);
        }
        if (n > LE_SERIES_DATES)
            snprintf(buf + len, sizeof buf - len, more[l], n - LE_SERIES_DATES);
        json_object_set_new(o, langs[l], json_string(buf));
    }
    return o;
}

kc_err src_le_finish(src_map *m)
{
    const char *sid;
    json_t *s;
    snprintf(m->where, sizeof m->where, "series");
    json_object_foreach(m->series, sid, s) {
        json_t *tpl = json_object_get(s, "tpl"), *subs = json_object_get(s, "subs");
        size_t n = json_array_size(subs);
        if (!json_is_object(tpl)) {
            /* An umbrella event, or a series we did not see: each event stands alone. */
            for (size_t i = 0; i < n; i++) {
                json_t *e = json_array_get(subs, i);
                if (json_object_set(m->items, json_string_value(json_object_get(e, "id")), e))
                    return src_bad(m, KC_ENOMEM, "out of memory");
            }
            continue;
        }
        if (n == 0)
            continue;  /* no dates left in the window: the series is over */
        json_t **v = kc_calloc(n, sizeof *v);
        if (!v)
            return src_bad(m, KC_ENOMEM, "out of memory");
        for (size_t i = 0; i < n; i++)
            v[i] = json_array_get(subs, i);
        qsort(v, n, sizeof *v, by_start);
        json_t *it = json_deep_copy(tpl);
        json_t *when = series_when(v, n);
        json_t *end = json_object_get(v[0], "end");
        int bad = !it || !when ||
                  json_object_set(it, "start", json_object_get(v[0], "start")) != 0 ||
                  json_object_set_new(it, "when", when) != 0;
        if (!bad) {
            json_object_del(it, "end");
            if (end)
                bad = json_object_set(it, "end", end) != 0;
        } else if (!it) {
            json_decref(when);
        }
        kc_free(v);
        if (bad) {
            json_decref(it);
            return src_bad(m, KC_ENOMEM, "out of memory");
        }
        if (json_object_set_new(m->items, json_string_value(json_object_get(it, "id")), it))
            return src_bad(m, KC_ENOMEM, "out of memory");
    }
    return KC_OK;
}
