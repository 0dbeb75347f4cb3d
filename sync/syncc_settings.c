/* syncc_settings.c - the kiosk's own settings from the server (GET /v1/settings,
 * docs/protocol.md "Kiosk settings"): fetched only when the change check names the
 * feed (its tag differs), checked with core/ksettings.h and kept in the store's meta
 * table, where the UI reads them (syncc_settings_load). */
#include "syncc_impl.h"
#include "ksettings.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SETTINGS_KEY "sync.settings"

kc_err syncc_settings_pull_(syncc *c, store *st, http *h, const proto_changes *ch,
                            int *changed, char *msg)
{
    (void)c;
    *changed = 0;
    if (ch && !ch->changed[PROTO_FEED_SETTINGS])
        return KC_OK;
    char key[64], path[80];
    long long have = 0;
    snprintf(key, sizeof key, "sync.docs.%s_rev", PROTO_FEED_SETTINGS_NAME);
    kc_err rc = syncc_meta_ll_(st, key, &have);
    if (rc)
        return kc_fail(msg, rc, "sync: %s", store_errmsg(st));
    snprintf(path, sizeof path, "%s?tag=%lld", PROTO_PATH_SETTINGS, have);
    if ((rc = syncc_http_do_(h, "pulling the kiosk's settings", path, NULL, 0, msg)))
        return rc;
    if (h->status == 204 || h->status == 404)  /* 404: a server without settings */
        return KC_OK;
    if (h->status != 200)
        return syncc_http_fail_(h, "pulling the kiosk's settings", msg);
    json_t *j = NULL;
    char m[KC_MSGMAX], field[KSET_FIELD_MAX + 1];
    char *text = NULL;
    ksettings ks;
    ksettings_init(&ks);
    if ((rc = proto_parse(h->body.p, h->body.len, PROTO_SETTINGS_MAX, &j, m)))
        goto bad;
    json_t *tag = json_object_get(j, "tag"), *s = json_object_get(j, "settings");
    if (json_object_size(j) != 2 || !json_is_integer(tag) || json_integer_value(tag) < 1 ||
        json_integer_value(tag) > (1LL << 62) || !json_is_object(s)) {
        rc = kc_fail(m, KC_EINVAL, "settings: needs \"tag\" (1..2^62) and \"settings\" "
                     "only");
        goto bad;
    }
    if (!(text = json_dumps(s, JSON_COMPACT | JSON_PRESERVE_ORDER))) {
        rc = kc_fail(m, KC_ENOMEM, "out of memory");
        goto bad;
    }
    /* The same checks the console's save went through: a bad set changes nothing. */
    if ((rc = ksettings_parse(text, strlen(text), 1, &ks, field, m)))
        goto bad;
    char t[32];
    snprintf(t, sizeof t, "%lld", (long long)json_integer_value(tag));
    /* The settings first, then the tag: a crash between fetches them again. */
    if ((rc = store_meta_set(st, SETTINGS_KEY, text)) || (rc = store_meta_set(st, key, t)))
        kc_fail(msg, rc, "sync: %s", store_errmsg(st));
    else
        *changed = 1;
    goto out;
bad:
    kc_fail(msg, rc, "sync: pulling the kiosk's settings: bad reply: %.300s", m);
out:
    ksettings_free(&ks);
    free(text);
    json_decref(j);
    return rc;
}

kc_err syncc_settings_load(store *st, ksettings *ks, char *msg)
{
    char *text = NULL;
    ksettings_init(ks);
    kc_err rc = store_meta_get(st, SETTINGS_KEY, &text);
    if (rc)
        return kc_fail(msg, rc, "%s", store_errmsg(st));
    if (text)
        rc = ksettings_parse(text, strlen(text), 1, ks, NULL, msg);
    kc_free(text);
    return rc;
}
