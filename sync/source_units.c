/* source_units.c - places from the service map (TPR units: /v2/unit/) and bookable
 * spaces from Varaamo/Respa (/v1/resource/), both as venue items.  Field names follow
 * the APIs (docs/sources.md lists them). */
#include "source_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"

static const char *const langs[] = { "fi", "sv", "en" };

static kc_err oom(src_map *m)
{
    return src_bad(m, KC_ENOMEM, "out of memory");
}

/* Starts a venue item for a record: checks the id and the name. */
static kc_err venue_start(src_map *m, json_t *rec, json_t **out, char *id)
{
    char buf[64];
    kc_err rc;
    *out = NULL;
    if (!json_is_object(rec))
        return src_bad(m, KC_EINVAL, "a record is not a JSON object");
    const char *oid = src_ref_id(rec, buf, sizeof buf);
    if (!oid)
        return src_bad(m, KC_EINVAL, "missing field \"id\"");
    snprintf(m->where + strlen(m->where), sizeof m->where - strlen(m->where), " id \"%.60s\"",
             oid);
    if ((rc = src_item_id(m, oid, id)))
        return rc;
    json_t *v = json_pack("{s:s, s:s}", "id", id, "kind", "venue");
    if (!v)
        return oom(m);
    if ((rc = src_set_text(m, v, "name", json_object_get(rec, "name"), 0, 200))) {
        json_decref(v);
        return rc;
    }
    if (!json_object_get(v, "name")) {
        json_decref(v);
        return src_bad(m, KC_EINVAL, "missing field \"name\" (no fi, sv or en text)");
    }
    *out = v;
    return KC_OK;
}

/* The area: the first division (ocd_id) or the municipality the rules name. */
static kc_err set_area(src_map *m, json_t *v, json_t *rec)
{
    const char *a = NULL;
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(rec, "divisions"), i, d) {
        const char *ocd = json_string_value(json_object_get(d, "ocd_id"));
        if (!a && ocd)
            a = src_rule(m, "divisions", ocd);
    }
    const char *mun = src_first_lang(json_object_get(rec, "municipality"));
    if (!a && mun)
        a = src_rule(m, "municipalities", mun);
    if (a && json_object_set_new(v, "area", json_string(a)) != 0)
        return oom(m);
    return KC_OK;
}

/* "Street 1, 00100 Helsinki" per language. */
static kc_err set_address(src_map *m, json_t *v, json_t *rec)
{
    json_t *street = json_object_get(rec, "street_address");
    const char *zip = json_string_value(json_object_get(rec, "address_zip"));
    const char *city = src_first_lang(json_object_get(rec, "address_city"));
    json_t *ml = json_object();
    if (!ml)
        return oom(m);
    for (int l = 0; l < 3; l++) {
        const char *s = json_string_value(json_object_get(street, langs[l]));
        if (!s || !*s)
            continue;
        char buf[700];
        snprintf(buf, sizeof buf, "%.290s%s%.20s%s%.100s", s, zip || city ? ", " : "",
                 zip ? zip : "", zip && city ? " " : "", city ? city : "");
        json_object_set_new(ml, langs[l], json_string(buf));
    }
    kc_err rc = src_set_text(m, v, "address", ml, 0, 300);
    json_decref(ml);
    return rc;
}

/* Builds TEXT from per-language pieces: each piece is appended with sep. */
typedef struct mltext {
    char *s[3];
    size_t len[3];
} mltext;

static int ml_add(mltext *t, int l, const char *sep, const char *piece)
{
    size_t a = strlen(sep), b = strlen(piece);
    char *n = kc_realloc(t->s[l], t->len[l] + a + b + 1);
    if (!n)
        return -1;
    t->s[l] = n;
    if (t->len[l])
        memcpy(n + t->len[l], sep, a), t->len[l] += a;
    memcpy(n + t->len[l], piece, b);
    t->len[l] += b;
    n[t->len[l]] = '\0';
    return 0;
}

static kc_err ml_set(src_map *m, json_t *v, const char *key, mltext *t, size_t limit)
{
    json_t *ml = json_object();
    kc_err rc = ml ? KC_OK : oom(m);
    for (int l = 0; l < 3; l++) {
        if (!rc && t->s[l])
            json_object_set_new(ml, langs[l], json_string(t->s[l]));
        kc_free(t->s[l]);
        t->s[l] = NULL;
    }
    if (!rc)
        rc = src_set_text(m, v, key, ml, 0, limit);
    json_decref(ml);
    return rc;
}

/* TPR accessibility sentences, grouped: "Sisäänkäynti: Sentence. Sentence." */
static kc_err set_accessibility(src_map *m, json_t *v, json_t *rec)
{
    mltext t = { { 0 }, { 0 } };
    char last[3][200] = { "", "", "" };
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(rec, "accessibility_sentences"), i, s) {
        for (int l = 0; l < 3; l++) {
            char k1[32], k2[32];
            snprintf(k1, sizeof k1, "sentence_group_%s", langs[l]);
            snprintf(k2, sizeof k2, "sentence_%s", langs[l]);
            const char *g = json_string_value(json_object_get(s, k1));
            const char *x = json_string_value(json_object_get(s, k2));
            if (!x || !*x)
                continue;
            int fail = 0;
            if (g && strcmp(g, last[l]) != 0) {
                snprintf(last[l], sizeof last[l], "%s", g);
                char head[220];
                snprintf(head, sizeof head, "%.200s: ", g);
                fail = ml_add(&t, l, "\n", head) || ml_add(&t, l, "", x);
            } else {
                fail = ml_add(&t, l, " ", x);
            }
            if (fail) {
                for (int k = 0; k < 3; k++)
                    kc_free(t.s[k]);
                return oom(m);
            }
        }
    }
    return ml_set(m, v, "accessibility", &t, 1000);
}

/* Opening hours from the unit's connections of type OPENING_HOURS. */
static kc_err set_hours(src_map *m, json_t *v, json_t *rec)
{
    mltext t = { { 0 }, { 0 } };
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(rec, "connections"), i, c) {
        const char *type = json_string_value(json_object_get(c, "section_type"));
        if (!type || strcmp(type, "OPENING_HOURS") != 0)
            continue;
        for (int l = 0; l < 3; l++) {
            const char *x = json_string_value(json_object_get(json_object_get(c, "name"),
                                                              langs[l]));
            if (x && *x && ml_add(&t, l, "\n", x)) {
                for (int k = 0; k < 3; k++)
                    kc_free(t.s[k]);
                return oom(m);
            }
        }
    }
    return ml_set(m, v, "opening_hours", &t, 500);
}

kc_err src_sm_record(src_map *m, json_t *rec)
{
    char id[CAT_ID_MAX + 1];
    json_t *v;
    kc_err rc = venue_start(m, rec, &v, id);
    if (rc)
        return rc;
    const char *price = json_string_value(json_object_get(m->rules, "venue_price"));
    json_t *desc = json_object_get(rec, "description");
    if (!json_is_object(desc))
        desc = json_object_get(rec, "short_description");
    if ((rc = src_set_text(m, v, "description", desc, 0, 4000)) ||
        (rc = set_area(m, v, rec)) || (rc = set_address(m, v, rec)) ||
        (rc = set_hours(m, v, rec)) || (rc = set_accessibility(m, v, rec)) ||
        (rc = src_set_checked(m, v, "phone", src_first_lang(json_object_get(rec, "phone")),
                              'p')) ||
        (rc = src_set_checked(m, v, "email", src_first_lang(json_object_get(rec, "email")),
                              'e')) ||
        (rc = src_set_checked(m, v, "web", src_first_lang(json_object_get(rec, "www")), 'u')))
        goto fail;
    if (json_object_set_new(v, "price", json_string(price ? price : "free")) != 0) {
        rc = oom(m);
        goto fail;
    }
    return src_put(m, m->items, id, v);
fail:
    json_decref(v);
    return rc;
}

/* A price as Respa gives it: "12.50", a number, or null. */
static double price_of(json_t *p)
{
    if (json_is_number(p))
        return json_number_value(p);
    const char *s = json_string_value(p);
    return s ? strtod(s, NULL) : 0;
}

kc_err src_va_record(src_map *m, json_t *rec)
{
    char id[CAT_ID_MAX + 1];
    json_t *v;
    kc_err rc = venue_start(m, rec, &v, id);
    if (rc)
        return rc;
    char buf[64];
    const char *oid = src_ref_id(rec, buf, sizeof buf);  /* checked by venue_start */
    json_t *cap = json_object_get(rec, "people_capacity");
    double price = price_of(json_object_get(rec, "max_price"));
    if (price <= 0)
        price = price_of(json_object_get(rec, "max_price_per_hour"));
    json_t *low = json_object_get(m->rules, "low_cost_max");
    const char *pclass = price <= 0 ? "free"
                         : json_is_number(low) && price <= json_number_value(low) ? "low-cost"
                                                                                   : "rented";
    /* Equipment names, comma-separated per language. */
    mltext eq = { { 0 }, { 0 } };
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(rec, "equipment"), i, e) {
        for (int l = 0; l < 3; l++) {
            const char *x = json_string_value(json_object_get(json_object_get(e, "name"),
                                                              langs[l]));
            if (x && *x && ml_add(&eq, l, ", ", x)) {
                for (int k = 0; k < 3; k++)
                    kc_free(eq.s[k]);
                rc = oom(m);
                goto fail;
            }
        }
    }
    if ((rc = ml_set(m, v, "equipment", &eq, 1000)) ||
        (rc = src_set_text(m, v, "description", json_object_get(rec, "description"), 1, 4000)) ||
        (rc = set_area(m, v, rec)))
        goto fail;
    json_t *unit = json_object_get(rec, "unit");
    if (json_is_object(unit) && ((rc = set_address(m, v, unit)) ||
                                 (!json_object_get(v, "area") && (rc = set_area(m, v, unit)))))
        goto fail;
    if (json_is_integer(cap) && json_integer_value(cap) >= 0 &&
        json_integer_value(cap) <= 100000 &&
        json_object_set_new(v, "capacity", json_integer(json_integer_value(cap))) != 0) {
        rc = oom(m);
        goto fail;
    }
    /* The booking link: the rules' template with the resource id. */
    const char *tpl = json_string_value(json_object_get(m->rules, "booking_url"));
    if (tpl && json_is_true(json_object_get(rec, "reservable"))) {
        char url[600];
        const char *at = strstr(tpl, "{id}");
        if (at)
            snprintf(url, sizeof url, "%.*s%s%s", (int)(at - tpl), tpl, oid, at + 4);
        else
            snprintf(url, sizeof url, "%s", tpl);
        json_t *how = json_pack("{s:s, s:s, s:s}", "fi", "Varaa verkossa: ", "sv",
                                "Boka på nätet: ", "en", "Book online: ");
        const char *k;
        json_t *x;
        int bad = !how;
        json_object_foreach(how, k, x) {
            char line[700];
            snprintf(line, sizeof line, "%s%s", json_string_value(x), url);
            bad |= json_object_set_new(how, k, json_string(line)) != 0;
        }
        if (!bad)
            rc = src_set_text(m, v, "booking", how, 0, 1000);
        json_decref(how);
        if (bad && !rc)
            rc = oom(m);
        if (rc || (rc = src_set_checked(m, v, "web", url, 'u')))
            goto fail;
    }
    if (json_object_set_new(v, "price", json_string(pclass)) != 0) {
        rc = oom(m);
        goto fail;
    }
    return src_put(m, m->items, id, v);
fail:
    json_decref(v);
    return rc;
}
