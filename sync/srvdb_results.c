/* srvdb_results.c - the console's results calls: argument checks, then the backend. */
#include "srvdb_results.h"
#include "srvdb_impl.h"

#include <string.h>

#define BE(db) ((db)->be->results)

/* A response uuid as kiosks make them: 36 of hex digits and dashes. */
static int uuid_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n != 36)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
              (s[i] >= 'A' && s[i] <= 'F') || s[i] == '-'))
            return 0;
    return 1;
}

kc_err srvdb_fb_hours(srvdb *db, const srvdb_fb_filter *f, srvdb_fb_hour_fn fn, void *ctx)
{
    return BE(db)->fb_hours(db->impl, db->msg, f, fn, ctx);
}

kc_err srvdb_fb_devices(srvdb *db, const srvdb_fb_filter *f, srvdb_fb_device_fn fn, void *ctx)
{
    return BE(db)->fb_devices(db->impl, db->msg, f, fn, ctx);
}

kc_err srvdb_fb_merged(srvdb *db, const srvdb_fb_filter *f, long long *out)
{
    return BE(db)->fb_merged(db->impl, db->msg, f, out);
}

kc_err srvdb_ws_rows(srvdb *db, const srvdb_fb_filter *f, const char *workshop, srvdb_ws_fn fn,
                     void *ctx)
{
    if (workshop && !uuid_ok(workshop))
        return kc_fail(db->msg, KC_ENOTFOUND, "no such workshop");
    return BE(db)->ws_rows(db->impl, db->msg, f, workshop, fn, ctx);
}

kc_err srvdb_ws_stamp(srvdb *db, const srvdb_fb_filter *f, const char *workshop,
                      long long *out)
{
    *out = 0;
    if (!uuid_ok(workshop))
        return kc_fail(db->msg, KC_ENOTFOUND, "no such workshop");
    return BE(db)->ws_stamp(db->impl, db->msg, f, workshop, out);
}

kc_err srvdb_fb_cards(srvdb *db, const srvdb_fb_filter *f, long limit, srvdb_fb_card_fn fn,
                      void *ctx)
{
    if (limit < 1 || limit > 10000)
        return kc_fail(db->msg, KC_EUSAGE, "srvdb: card limit 1-10000");
    return BE(db)->fb_cards(db->impl, db->msg, f, limit, fn, ctx);
}

kc_err srvdb_fb_comments(srvdb *db, const srvdb_fb_filter *f, long long before_hour,
                         const char *before_uuid, long limit, srvdb_fb_comment_fn fn,
                         void *ctx)
{
    if (limit < 1 || limit > 1000)
        return kc_fail(db->msg, KC_EUSAGE, "srvdb: comment limit 1-1000");
    if (before_hour && !uuid_ok(before_uuid))
        return kc_fail(db->msg, KC_EINVAL, "\"before\": not a comment's cursor");
    return BE(db)->fb_comments(db->impl, db->msg, f, before_hour, before_hour ? before_uuid : "",
                               NULL, limit, fn, ctx);
}

kc_err srvdb_fb_comment_get(srvdb *db, const char *uuid, srvdb_fb_comment_fn fn, void *ctx)
{
    static const srvdb_fb_filter all = { 0, 0, NULL, 0 };
    if (!uuid_ok(uuid))
        return kc_fail(db->msg, KC_ENOTFOUND, "no such comment");
    return BE(db)->fb_comments(db->impl, db->msg, &all, 0, "", uuid, 1, fn, ctx);
}

kc_err srvdb_fb_comment_hide(srvdb *db, const char *uuid, const char *by, long long now,
                             int *changed)
{
    *changed = 0;
    if (!uuid_ok(uuid))
        return kc_fail(db->msg, KC_ENOTFOUND, "no such comment");
    return BE(db)->fb_hide(db->impl, db->msg, uuid, by ? by : "", now, changed);
}

struct srvdb_fb_cursor {
    srvdb *db;
    void *cur;
};

kc_err srvdb_fb_rows_open(srvdb *db, const srvdb_fb_filter *f, srvdb_fb_cursor **out)
{
    *out = NULL;
    srvdb_fb_cursor *c = kc_calloc(1, sizeof *c);
    if (!c)
        return kc_fail(db->msg, KC_ENOMEM, "srvdb: out of memory");
    c->db = db;
    kc_err rc = BE(db)->rows_open(db->impl, db->msg, f, &c->cur);
    if (rc) {
        kc_free(c);
        return rc;
    }
    *out = c;
    return KC_OK;
}

kc_err srvdb_fb_rows_next(srvdb_fb_cursor *c, srvdb_fb_row *row, int *more)
{
    return BE(c->db)->rows_next(c->cur, c->db->msg, row, more);
}

void srvdb_fb_rows_close(srvdb_fb_cursor *c)
{
    if (!c)
        return;
    BE(c->db)->rows_close(c->cur);
    kc_free(c);
}
