/* admin_kset.c - the console's per-kiosk settings (place, opening hours, idle time,
 * default language, which surveys and ballots it shows) and publishing surveys and
 * ballots to every kiosk, chosen kiosks or none (closing them).  Both edit the same
 * publication rows (srvdb_target.h); kiosks get the result in their settings feed
 * (docs/protocol.md).  Values are checked by core/ksettings.h, the same parser the
 * kiosk uses, and a refusal names the field. */
#include "admin_impl.h"
#include "ksettings.h"
#include "srvdb_admin.h"
#include "srvdb_target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Chosen kiosks in one publication request. */
#define KSET_KIOSKS_MAX 1000

static int allowed_or_403(adm_ctx *x, const char *kiosk)
{
    if (adm_kiosk_allowed(x, kiosk))
        return 1;
    adm_fail(x, MHD_HTTP_FORBIDDEN, NULL, "kiosk \"%s\" is not one of your kiosks", kiosk);
    return 0;
}

/* --- a kiosk's settings ----------------------------------------------------------- */

/* Collects [{"id","title"}], the newest version's title per id. */
static kc_err acc_row(void *ctx, const srvdb_doc_row *r)
{
    json_t *arr = ctx;
    size_t n = json_array_size(arr);
    json_t *prev = n ? json_array_get(arr, n - 1) : NULL;
    if (prev && strcmp(json_string_value(json_object_get(prev, "id")), r->id) == 0)
        return KC_OK;  /* rows come newest version first */
    json_t *title = r->title[0] ? json_loads(r->title, JSON_DECODE_ANY, NULL) : json_null();
    json_t *j = title ? json_pack("{s:s, s:o}", "id", r->id, "title", title) : NULL;
    return j && json_array_append_new(arr, j) == 0 ? KC_OK : KC_ENOMEM;
}

typedef struct dev_find {
    const char *name;
    long long id;
} dev_find;

static kc_err find_dev(void *ctx, const srvdb_device *d)
{
    dev_find *f = ctx;
    if (strcmp(d->name, f->name) == 0)
        f->id = d->id;
    return KC_OK;
}

/* Every document of type with "shown" (on this kiosk) and "publish" (all, chosen,
 * closed). */
static json_t *doc_list(adm_ctx *x, const char *type, long long dev, kc_err *rc)
{
    json_t *arr = json_array();
    char **ids = NULL;
    size_t n = 0;
    if (!arr) {
        *rc = KC_ENOMEM;
        return NULL;
    }
    if ((*rc = srvdb_docs_list(x->db, type, acc_row, arr)) ||
        (*rc = srvdb_kiosk_shows(x->db, dev, type, &ids, &n)))
        goto fail;
    size_t i;
    json_t *j;
    json_array_foreach(arr, i, j) {
        const char *id = json_string_value(json_object_get(j, "id"));
        int shown = 0;
        for (size_t k = 0; k < n; k++)
            shown |= strcmp(ids[k], id) == 0;
        srvdb_pub p;
        char **ks;
        size_t nk;
        if ((*rc = srvdb_pub_get(x->db, type, id, &p, &ks, &nk)))
            goto fail;
        srvdb_names_free(ks, nk);
        if (json_object_set_new(j, "shown", json_boolean(shown)) ||
            json_object_set_new(j, "publish", json_string(srvdb_pub_name(p)))) {
            *rc = KC_ENOMEM;
            goto fail;
        }
    }
    srvdb_names_free(ids, n);
    return arr;
fail:
    srvdb_names_free(ids, n);
    json_decref(arr);
    return NULL;
}

void adm_kiosk_settings_get(adm_ctx *x)
{
    if (!allowed_or_403(x, x->arg))
        return;
    char *body = NULL;
    dev_find f = { x->arg, 0 };
    kc_err rc = srvdb_kiosk_settings_get(x->db, x->arg, &body);
    if (!rc)
        rc = srvdb_devices_each(x->db, find_dev, &f);
    json_t *settings = NULL, *sv = NULL, *bl = NULL;
    if (!rc) {
        settings = body ? json_loads(body, 0, NULL) : json_object();
        sv = doc_list(x, PROTO_DOC_SURVEY, f.id, &rc);
        if (!rc)
            bl = doc_list(x, PROTO_DOC_BALLOT, f.id, &rc);
    }
    kc_free(body);
    if (rc) {
        json_decref(settings);
        json_decref(sv);
        json_decref(bl);
        if (rc == KC_ENOMEM)
            adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
        else
            adm_db_fail(x, rc);
        return;
    }
    adm_ok(x, MHD_HTTP_OK, settings && sv && bl
                               ? json_pack("{s:s, s:o, s:o, s:o}", "name", x->arg, "settings",
                                           settings, "surveys", sv, "ballots", bl)
                               : NULL);
}

/* 0, or -1 after a 400 naming the id that is not stored or is closed. */
static int check_shown(adm_ctx *x, const char *type, char **ids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *body = NULL, field[16];
        snprintf(field, sizeof field, "%ss", type);
        kc_err rc = srvdb_doc_get(x->db, type, ids[i], 0, &body, NULL);
        kc_free(body);
        if (rc == KC_ENOTFOUND) {
            adm_fail(x, MHD_HTTP_BAD_REQUEST, field, "\"%s\": no %s \"%s\" on the server",
                     field, type, ids[i]);
            return -1;
        }
        srvdb_pub p;
        char **ks = NULL;
        size_t nk = 0;
        if (rc || (rc = srvdb_pub_get(x->db, type, ids[i], &p, &ks, &nk))) {
            adm_db_fail(x, rc);
            return -1;
        }
        srvdb_names_free(ks, nk);
        if (p == SRVDB_PUB_CLOSED) {
            adm_fail(x, MHD_HTTP_BAD_REQUEST, field, "\"%s\": %s \"%s\" is closed; publish "
                     "it again first", field, type, ids[i]);
            return -1;
        }
    }
    return 0;
}

void adm_kiosk_settings_set(adm_ctx *x)
{
    if (!allowed_or_403(x, x->arg))
        return;
    ksettings ks;
    char field[KSET_FIELD_MAX + 1], msg[KC_MSGMAX];
    kc_err rc = x->raw_len ? ksettings_parse(x->raw, x->raw_len, 1, &ks, field, msg)
                           : ksettings_parse("{}", 2, 1, &ks, field, msg);
    if (rc) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, field[0] ? field : NULL, "%s", msg);
        return;
    }
    char *body = ksettings_json(&ks), *old = NULL;  /* old: only to see the kiosk exists */
    if (!body) {
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
        goto out;
    }
    /* Everything is checked before the first write, so a refusal changes nothing. */
    if ((rc = srvdb_kiosk_settings_get(x->db, x->arg, &old))) {
        adm_db_fail(x, rc);
        goto out;
    }
    if (ks.has_lists && (check_shown(x, PROTO_DOC_SURVEY, ks.surveys, ks.nsurveys) ||
                         check_shown(x, PROTO_DOC_BALLOT, ks.ballots, ks.nballots)))
        goto out;
    if ((rc = srvdb_kiosk_settings_set(x->db, x->arg, strcmp(body, "{}") ? body : NULL)) ||
        (ks.has_lists &&
         ((rc = srvdb_kiosk_shows_set(x->db, x->arg, PROTO_DOC_SURVEY,
                                      (const char *const *)ks.surveys, ks.nsurveys)) ||
          (rc = srvdb_kiosk_shows_set(x->db, x->arg, PROTO_DOC_BALLOT,
                                      (const char *const *)ks.ballots, ks.nballots))))) {
        adm_db_fail(x, rc);
        goto out;
    }
    if (adm_audit(x, "kiosk.settings", x->arg, "%.150s%s", body,
                  ks.has_lists ? ", shows changed" : ""))
        goto out;
    adm_kiosk_settings_get(x);
out:
    kc_free(old);
    kc_free(body);
    ksettings_free(&ks);
}

/* --- publishing ------------------------------------------------------------------ */

static int in_list(json_t *arr, const char *name)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (strcmp(json_string_value(v), name) == 0) return 1;
    return 0;
}

void adm_docs_publish(adm_ctx *x)
{
    const char *type = adm_query(x, "type"), *id, *to;
    if (!type || (strcmp(type, PROTO_DOC_SURVEY) && strcmp(type, PROTO_DOC_BALLOT))) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "type", "\"type\" must be survey or ballot");
        return;
    }
    if (adm_body_str(x, "id", 64, 1, &id) || adm_body_str(x, "to", 16, 1, &to))
        return;
    int p = srvdb_pub_parse(to);
    if (p < 0) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "to", "\"to\" must be all, chosen or closed");
        return;
    }
    json_t *kj = json_object_get(x->body, "kiosks");
    if (kj && p != SRVDB_PUB_CHOSEN) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "kiosks", "\"kiosks\" goes only with \"to\": "
                 "\"chosen\"");
        return;
    }
    if (p == SRVDB_PUB_CHOSEN && (!json_is_array(kj) || json_array_size(kj) > KSET_KIOSKS_MAX)) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "kiosks", "\"kiosks\": a list of at most 1000 "
                 "kiosk names");
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(kj, i, v) {
        const char *k = json_string_value(v);
        if (!k || !srvdb_valid_name(k)) {
            adm_fail(x, MHD_HTTP_BAD_REQUEST, "kiosks", "\"kiosks\": entry %zu is not a "
                     "kiosk name", i);
            return;
        }
        if (!allowed_or_403(x, k))
            return;
    }
    int limited = x->user.role == SRVDB_ROLE_COORDINATOR && x->user.kiosks[0];
    if (limited && p == SRVDB_PUB_ALL) {
        adm_fail(x, MHD_HTTP_FORBIDDEN, "to", "your account may publish only to your kiosks");
        return;
    }
    /* A coordinator limited to some kiosks changes only those: the document stays on
     * the other kiosks that had it. */
    srvdb_pub cur;
    char **have = NULL;
    size_t nhave = 0, n = 0;
    kc_err rc = srvdb_pub_get(x->db, type, id, &cur, &have, &nhave);
    const char **names = rc ? NULL : kc_calloc(nhave + json_array_size(kj) + 1, sizeof *names);
    if (rc) {
        adm_db_fail(x, rc);
        return;
    }
    if (!names) {
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
        goto out;
    }
    json_array_foreach(kj, i, v) names[n++] = json_string_value(v);
    if (limited && cur == SRVDB_PUB_CHOSEN)
        for (size_t k = 0; k < nhave; k++)
            if (!adm_kiosk_allowed(x, have[k]) && !in_list(kj, have[k]))
                names[n++] = have[k];
    if ((rc = srvdb_pub_set(x->db, type, id, (srvdb_pub)p, names, n))) {
        if (rc == KC_EINVAL)
            adm_fail(x, MHD_HTTP_BAD_REQUEST, "kiosks", "%s", srvdb_errmsg(x->db));
        else if (rc == KC_ENOTFOUND)
            adm_fail(x, MHD_HTTP_NOT_FOUND, "id", "%s", srvdb_errmsg(x->db));
        else
            adm_db_fail(x, rc);
        goto out;
    }
    if (adm_audit(x, "doc.publish", id, "%s to %s%s", type, to,
                  p == SRVDB_PUB_CHOSEN ? " kiosks" : ""))
        goto out;
    json_t *arr = json_array();
    for (size_t k = 0; arr && k < n; k++)
        if (json_array_append_new(arr, json_string(names[k]))) {
            json_decref(arr);
            arr = NULL;
        }
    adm_ok(x, MHD_HTTP_OK, arr ? json_pack("{s:s, s:s, s:s, s:o}", "type", type, "id", id,
                                           "publish", srvdb_pub_name((srvdb_pub)p), "kiosks",
                                           arr)
                               : NULL);
out:
    kc_free(names);
    srvdb_names_free(have, nhave);
}
