/* srvdb_target.c - per-kiosk settings and publication: argument checks, the settings
 * feed's document and tag, then the backend. */
#include "srvdb_target.h"
#include "srvdb_impl.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define BE(db) ((db)->be->target)

static const char *const pub_names[] = { "all", "chosen", "closed" };

const char *srvdb_pub_name(srvdb_pub p)
{
    return (unsigned)p < 3 ? pub_names[p] : NULL;
}

int srvdb_pub_parse(const char *s)
{
    for (int i = 0; i < 3; i++)
        if (s && strcmp(s, pub_names[i]) == 0)
            return i;
    return -1;
}

static int pub_type_ok(const char *type)
{
    return strcmp(type, PROTO_DOC_SURVEY) == 0 || strcmp(type, PROTO_DOC_BALLOT) == 0;
}

kc_err srvdb_kiosk_settings_get(srvdb *db, const char *kiosk, char **body)
{
    *body = NULL;
    return BE(db)->settings_get(db->impl, db->msg, kiosk, body);
}

kc_err srvdb_kiosk_settings_set(srvdb *db, const char *kiosk, const char *body)
{
    return BE(db)->settings_set(db->impl, db->msg, kiosk, body);
}

typedef struct names {
    char **v;
    size_t n, cap;
} names;

static kc_err add_name(void *ctx, const char *name)
{
    names *ns = ctx;
    if (ns->n == ns->cap) {
        size_t cap = ns->cap ? ns->cap * 2 : 8;
        char **v = kc_realloc(ns->v, cap * sizeof *v);
        if (!v)
            return KC_ENOMEM;
        ns->v = v;
        ns->cap = cap;
    }
    if (!(ns->v[ns->n] = kc_strdup(name)))
        return KC_ENOMEM;
    ns->n++;
    return KC_OK;
}

void srvdb_names_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        kc_free(v[i]);
    kc_free(v);
}

static kc_err names_done(srvdb *db, kc_err rc, names *ns, char ***out, size_t *n)
{
    if (rc == KC_ENOMEM && !db->msg[0])
        kc_fail(db->msg, rc, "out of memory");
    if (rc) {
        srvdb_names_free(ns->v, ns->n);
        return rc;
    }
    *out = ns->v;
    *n = ns->n;
    return KC_OK;
}

kc_err srvdb_pub_get(srvdb *db, const char *type, const char *id, srvdb_pub *p,
                     char ***kiosks, size_t *n)
{
    names ns = { 0 };
    int v = 0;
    *kiosks = NULL;
    *n = 0;
    db->msg[0] = '\0';
    if (!pub_type_ok(type))
        return kc_fail(db->msg, KC_EUSAGE, "publication: type must be survey or ballot");
    kc_err rc = BE(db)->pub_get(db->impl, db->msg, type, id, &v, add_name, &ns);
    *p = (srvdb_pub)v;
    return names_done(db, rc, &ns, kiosks, n);
}

kc_err srvdb_pub_set(srvdb *db, const char *type, const char *id, srvdb_pub p,
                     const char *const *kiosks, size_t n)
{
    if (!pub_type_ok(type) || (unsigned)p > SRVDB_PUB_CLOSED)
        return kc_fail(db->msg, KC_EUSAGE, "publication: bad type or state");
    return BE(db)->pub_set(db->impl, db->msg, type, id, (int)p, kiosks,
                           p == SRVDB_PUB_CHOSEN ? n : 0);
}

kc_err srvdb_kiosk_shows_set(srvdb *db, const char *kiosk, const char *type,
                             const char *const *ids, size_t n)
{
    if (!pub_type_ok(type))
        return kc_fail(db->msg, KC_EUSAGE, "publication: type must be survey or ballot");
    return BE(db)->shows_set(db->impl, db->msg, kiosk, type, ids, n);
}

kc_err srvdb_kiosk_shows(srvdb *db, long long device, const char *type, char ***ids,
                         size_t *n)
{
    names ns = { 0 };
    *ids = NULL;
    *n = 0;
    db->msg[0] = '\0';
    kc_err rc = BE(db)->shows(db->impl, db->msg, device, type, add_name, &ns);
    return names_done(db, rc, &ns, ids, n);
}

static json_t *id_array(char **v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, json_string(v[i]))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

kc_err srvdb_kiosk_feed(srvdb *db, long long device, char **json, long long *tag)
{
    *json = NULL;
    char *body = NULL, **sv = NULL, **bl = NULL, *text = NULL;
    size_t nsv = 0, nbl = 0;
    json_t *j = NULL;
    kc_err rc = BE(db)->settings_of(db->impl, db->msg, device, &body);
    if (!rc)
        rc = srvdb_kiosk_shows(db, device, PROTO_DOC_SURVEY, &sv, &nsv);
    if (!rc)
        rc = srvdb_kiosk_shows(db, device, PROTO_DOC_BALLOT, &bl, &nbl);
    if (rc)
        goto out;
    j = body ? json_loads(body, 0, NULL) : json_object();
    json_t *a = id_array(sv, nsv), *b = id_array(bl, nbl);
    if (!j || !a || !b) {
        json_decref(a);
        json_decref(b);
        rc = kc_fail(db->msg, KC_ENOMEM, "out of memory");
        goto out;
    }
    if (json_object_set_new(j, "surveys", a) ||
        json_object_set_new(j, "ballots", b) ||
        !(text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER)) ||
        !(*json = kc_strdup(text))) {
        rc = kc_fail(db->msg, KC_ENOMEM, "out of memory");
        goto out;
    }
    /* The tag: 53 bits of BLAKE2b over the text (exact in any JSON reader), never 0 (a
     * kiosk with none sends 0). */
    unsigned char h[8];
    crypto_generichash(h, sizeof h, (const unsigned char *)text, strlen(text), NULL, 0);
    unsigned long long t = 0;
    for (int i = 0; i < 8; i++)
        t = t << 8 | h[i];
    t &= (1ULL << 53) - 1;
    *tag = t ? (long long)t : 1;
out:
    free(text);
    json_decref(j);
    kc_free(body);
    srvdb_names_free(sv, nsv);
    srvdb_names_free(bl, nbl);
    return rc;
}

kc_err srvdb_docs_changes_for(srvdb *db, const char *type, long long device,
                              long long since, long limit, size_t max_bytes,
                              srvdb_doc_fn fn, void *ctx, long long *last)
{
    *last = since;
    return BE(db)->docs_changes_for(db->impl, db->msg, type, device, since, limit, max_bytes,
                                    fn, ctx, last);
}
