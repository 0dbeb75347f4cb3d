/* admin_fleet.c - the console's kiosks: the list with each kiosk's health, adding a
 * kiosk (its token shown once, also as a QR code) and revoking one.
 *
 * Health (docs/admin-api.md, and the Kiosks page says the same):
 *   red    never seen, or not seen for 2 hours;
 *   amber  not seen for 15 minutes, or its last sync reported an error, or it set
 *          rows aside that the server refused, or more than 500 responses wait in
 *          its outbox;
 *   green  otherwise.  A revoked kiosk is "revoked" whatever it did before. */
#include "admin_impl.h"
#include "qr.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define FLEET_RED_AFTER (2 * 60 * 60)
#define FLEET_AMBER_AFTER (15 * 60)
#define FLEET_OUTBOX_AMBER 500

static const char *health(const srvdb_device *d, long long now, const char **why)
{
    *why = "";
    if (d->revoked)
        return *why = "revoked", "revoked";
    if (!d->last_seen)
        return *why = "never seen", "red";
    if (now - d->last_seen > FLEET_RED_AFTER)
        return *why = "not seen for 2 hours", "red";
    if (now - d->last_seen > FLEET_AMBER_AFTER)
        return *why = "not seen for 15 minutes", "amber";
    if (d->last_error[0])
        return *why = "last sync reported an error", "amber";
    if (d->set_aside > 0)
        return *why = "rows set aside", "amber";
    if (d->outbox_depth > FLEET_OUTBOX_AMBER)
        return *why = "more than 500 responses waiting", "amber";
    return "green";
}

typedef struct list_ctx {
    adm_ctx *x;
    json_t *arr;
    long long now;
} list_ctx;

static kc_err list_one(void *ctx, const srvdb_device *d)
{
    list_ctx *lc = ctx;
    if (!adm_kiosk_allowed(lc->x, d->name))
        return KC_OK;
    const char *why, *h = health(d, lc->now, &why);
    json_t *j = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:I, s:I, s:s, s:I, s:s}", "name",
                          d->name, "health", h, "why", why, "created", (json_int_t)d->created,
                          "last_seen", (json_int_t)d->last_seen, "version", d->version,
                          "catalog_rev", (json_int_t)d->catalog_rev, "outbox_depth",
                          (json_int_t)d->outbox_depth, "last_error", d->last_error,
                          "set_aside", (json_int_t)d->set_aside, "set_aside_reason",
                          d->set_aside_reason);
    return j && json_array_append_new(lc->arr, j) == 0 ? KC_OK : KC_ENOMEM;
}

void adm_kiosks_list(adm_ctx *x)
{
    list_ctx lc = { x, json_array(), (long long)time(NULL) };
    kc_err rc = lc.arr ? srvdb_devices_each(x->db, list_one, &lc) : KC_ENOMEM;
    if (rc) {
        json_decref(lc.arr);
        adm_db_fail(x, rc);
        return;
    }
    adm_ok(x, MHD_HTTP_OK, json_pack("{s:o, s:I}", "kiosks", lc.arr, "now", (json_int_t)lc.now));
}

/* The token as an SVG QR code: one path of unit squares, 4 modules of quiet zone. */
static char *qr_svg(const char *text)
{
    qr_code *q = NULL;
    if (qr_encode(text, &q))
        return NULL;
    int n = qr_size(q), side = n + 8;
    proto_buf b = { 0 };
    proto_buf_printf(&b,
                     "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                     "shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" "
                     "fill=\"#fff\"/><path fill=\"#000\" d=\"",
                     side, side, side, side);
    for (int y = 0; y < n; y++)
        for (int x = 0; x < n; x++)
            if (qr_dark(q, x, y))
                proto_buf_printf(&b, "M%d %dh1v1h-1z", x + 4, y + 4);
    proto_buf_str(&b, "\"/></svg>");
    qr_free(q);
    if (b.oom) {
        proto_buf_free(&b);
        return NULL;
    }
    return b.p;
}

void adm_kiosk_add(adm_ctx *x)
{
    const char *name;
    if (adm_body_str(x, "name", SRVDB_NAME_MAX, 1, &name))
        return;
    if (!srvdb_valid_name(name)) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "name",
                 "\"name\": 1-64 letters, digits, '.', '_' or '-'");
        return;
    }
    char token[SRVDB_TOKEN_LEN + 1];
    unsigned char hash[SRVDB_HASH_LEN];
    kc_err rc = srvdb_token_new(token, hash);
    if (!rc && (rc = srvdb_device_add(x->db, name, hash)) == KC_EINVAL) {
        adm_fail(x, MHD_HTTP_CONFLICT, "name", "\"name\": a kiosk \"%s\" exists already", name);
        goto done;
    }
    if (rc) {
        adm_db_fail(x, rc);
        goto done;
    }
    if (adm_audit(x, "kiosk.add", name, "%s", ""))
        goto done;
    char *svg = qr_svg(token);
    json_t *j = svg ? json_pack("{s:s, s:s, s:s}", "name", name, "token", token, "qr_svg", svg)
                    : NULL;
    kc_free(svg);
    adm_ok(x, MHD_HTTP_CREATED, j);
done:
    sodium_memzero(token, sizeof token);
}

void adm_kiosk_revoke(adm_ctx *x)
{
    kc_err rc = srvdb_device_revoke(x->db, x->arg);
    if (rc) {
        adm_db_fail(x, rc);
        return;
    }
    if (adm_audit(x, "kiosk.revoke", x->arg, "%s", ""))
        return;
    adm_ok(x, MHD_HTTP_OK, json_pack("{s:s, s:s}", "name", x->arg, "health", "revoked"));
}
