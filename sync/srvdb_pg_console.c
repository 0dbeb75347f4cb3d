/* srvdb_pg_console.c - the PostgreSQL backend's side of srvdb_target.h that kiosks
 * read (their settings, what they show, document feeds as one kiosk sees them), and
 * the console's operations, which this backend does not have yet: each refuses with
 * one clear message (KC_EUSAGE) instead of doing anything. */
#include "srvdb_pg_impl.h"
#include "srvdb_admin.h"
#include "srvdb_results.h"
#include "srvdb_target.h"

#include <stdio.h>
#include <string.h>

/* The same tables as on SQLite: no doc_pub row = published to every kiosk. */
static const char *const console_sql[] = {
    "CREATE TABLE kiosk_settings(device bigint PRIMARY KEY REFERENCES device(id),"
    " body text NOT NULL);"
    "CREATE TABLE doc_pub(type text NOT NULL, id text NOT NULL, state text NOT NULL"
    " CHECK(state IN ('chosen', 'closed')), PRIMARY KEY(type, id));"
    "CREATE TABLE doc_pub_kiosk(type text NOT NULL, id text NOT NULL,"
    " device bigint NOT NULL REFERENCES device(id), PRIMARY KEY(type, id, device));",
    /* A workshop's rows by its id (srvdb_ws_stamp), as on SQLite. */
    "CREATE INDEX ws_rows ON response(((payload::json) ->> 'workshop'), kind) WHERE kind IN"
    " ('workshop', 'workshop-answer', 'workshop-group');",
};
const pg_module pg_console_module = { "server-target", console_sql,
                                      (int)(sizeof console_sql / sizeof console_sql[0]) };

/* Whether document d (of publication type pt) is shown on device dev. */
#define VISIBLE(pt, dev)                                                                   \
    "NOT EXISTS (SELECT 1 FROM doc_pub p WHERE p.type = " pt " AND p.id = d.id AND"        \
    " (p.state = 'closed' OR NOT EXISTS (SELECT 1 FROM doc_pub_kiosk k WHERE"             \
    " k.type = p.type AND k.id = p.id AND k.device = " dev ")))"

static kc_err settings_of(void *impl, char *msg, long long device, char **body)
{
    char d[24];
    snprintf(d, sizeof d, "%lld", device);
    const char *v[1] = { d };
    PGresult *r;
    *body = NULL;
    kc_err rc = pg_q(impl, msg, &r, "SELECT body FROM kiosk_settings WHERE device = $1", 1, v,
                     NULL);
    if (!rc && PQntuples(r) && !(*body = kc_strdup(PQgetvalue(r, 0, 0))))
        rc = kc_fail(msg, KC_ENOMEM, "out of memory");
    PQclear(r);
    return rc;
}

static kc_err shows(void *impl, char *msg, long long device, const char *type,
                    srvdb_name_fn fn, void *ctx)
{
    char d[24];
    snprintf(d, sizeof d, "%lld", device);
    const char *v[2] = { type, d };
    PGresult *r;
    kc_err rc = pg_q(impl, msg, &r, "SELECT DISTINCT d.id COLLATE \"C\" FROM doc d WHERE "
                                    "d.type = $1 AND d.deleted = 0 AND " VISIBLE("$1", "$2::bigint")
                                    " ORDER BY 1", 2, v, NULL);
    for (int i = 0; !rc && i < PQntuples(r); i++)
        rc = fn(ctx, PQgetvalue(r, i, 0));
    if (rc == KC_ENOMEM)
        kc_fail(msg, rc, "out of memory");
    PQclear(r);
    return rc;
}

/* Read in pages, so a long feed is not held in memory at once. */
#define PAGE "500"

static kc_err docs_changes_for(void *impl, char *msg, const char *type, long long device,
                               long long since, long limit, size_t max_bytes,
                               srvdb_doc_fn fn, void *ctx, long long *last)
{
    /* Codes follow their ballot; code uses are for every kiosk. */
    const char *pt = strcmp(type, PROTO_DOC_CODES) == 0 ? PROTO_DOC_BALLOT
                     : strcmp(type, PROTO_DOC_USED) == 0 ? NULL
                                                          : type;
    char d[24], s[24];
    snprintf(d, sizeof d, "%lld", device);
    size_t bytes = 0;
    long n = 0;
    long long from = since;
    kc_err rc = KC_OK;
    for (;;) {
        snprintf(s, sizeof s, "%lld", from);
        const char *v[4] = { type, s, pt, d };
        PGresult *r;
        if ((rc = pg_q(impl, msg, &r, "SELECT d.id, d.version, d.rev, d.deleted, d.body, "
                                      "$3::text IS NULL OR " VISIBLE("$3", "$4::bigint")
                                      " FROM doc d WHERE d.type = $1 AND d.rev > $2 ORDER BY "
                                      "d.rev LIMIT " PAGE, 4, v, NULL)))
            return rc;
        int rows = PQntuples(r), i;
        for (i = 0; i < rows && n < limit && bytes < max_bytes; i++) {
            long long rev = pg_ll(r, i, 2);
            if (strcmp(PQgetvalue(r, i, 5), "t") == 0) {
                const char *body = pg_ll(r, i, 3) ? NULL : PQgetvalue(r, i, 4);
                if ((rc = fn(ctx, PQgetvalue(r, i, 0), pg_ll(r, i, 1), rev, body)))
                    break;
                bytes += body ? strlen(body) : 0;
                n++;
            }
            *last = from = rev;
        }
        PQclear(r);
        if (rc || i < rows || rows == 0 || n >= limit || bytes >= max_bytes)
            return rc;
    }
}

/* --- not on this backend yet ------------------------------------------------------------ */

#define NO(msg) \
    kc_fail(msg, KC_EUSAGE, "the console is not available on PostgreSQL yet; use SQLite")

static kc_err t_settings_get(void *i, char *m, const char *k, char **b)
{
    (void)i, (void)k;
    *b = NULL;
    return NO(m);
}
static kc_err t_settings_set(void *i, char *m, const char *k, const char *b)
{
    (void)i, (void)k, (void)b;
    return NO(m);
}
static kc_err t_pub_get(void *i, char *m, const char *t, const char *id, int *p,
                        srvdb_name_fn fn, void *ctx)
{
    (void)i, (void)t, (void)id, (void)p, (void)fn, (void)ctx;
    return NO(m);
}
static kc_err t_pub_set(void *i, char *m, const char *t, const char *id, int p,
                        const char *const *k, size_t n)
{
    (void)i, (void)t, (void)id, (void)p, (void)k, (void)n;
    return NO(m);
}
static kc_err t_shows_set(void *i, char *m, const char *k, const char *t,
                          const char *const *ids, size_t n)
{
    (void)i, (void)k, (void)t, (void)ids, (void)n;
    return NO(m);
}

const srvdb_target_backend srvdb_pg_target = {
    t_settings_get, t_settings_set, t_pub_get, t_pub_set, t_shows_set, shows, settings_of,
    docs_changes_for,
};

static kc_err a_user_add(void *i, char *m, const srvdb_user *u, const char *h)
{
    (void)i, (void)u, (void)h;
    return NO(m);
}
static kc_err a_user_get(void *i, char *m, const char *n, srvdb_user *u, char *h)
{
    (void)i, (void)n, (void)u, (void)h;
    return NO(m);
}
static kc_err a_user_update(void *i, char *m, const srvdb_user *u, const char *h)
{
    (void)i, (void)u, (void)h;
    return NO(m);
}
static kc_err a_users_each(void *i, char *m, srvdb_user_fn fn, void *ctx)
{
    (void)i, (void)fn, (void)ctx;
    return NO(m);
}
static kc_err a_admin_count(void *i, char *m, long *n)
{
    (void)i;
    *n = 0;
    return NO(m);
}
static kc_err a_session_add(void *i, char *m, const unsigned char *h, long long u,
                            long long now, long long e)
{
    (void)i, (void)h, (void)u, (void)now, (void)e;
    return NO(m);
}
static kc_err a_session_get(void *i, char *m, const unsigned char *h, long long now,
                            srvdb_user *u, long long *c, long long *e)
{
    (void)i, (void)h, (void)now, (void)u, (void)c, (void)e;
    return NO(m);
}
static kc_err a_session_extend(void *i, char *m, const unsigned char *h, long long e)
{
    (void)i, (void)h, (void)e;
    return NO(m);
}
static kc_err a_session_del(void *i, char *m, const unsigned char *h)
{
    (void)i, (void)h;
    return NO(m);
}
static kc_err a_throttle_get(void *i, char *m, const char *k, long *f, long long *u,
                             long long *l)
{
    (void)i, (void)k, (void)f, (void)u, (void)l;
    return NO(m);
}
static kc_err a_throttle_set(void *i, char *m, const char *k, long f, long long u, long long l)
{
    (void)i, (void)k, (void)f, (void)u, (void)l;
    return NO(m);
}
static kc_err a_throttle_clear(void *i, char *m, const char *k)
{
    (void)i, (void)k;
    return NO(m);
}
static kc_err a_audit_add(void *i, char *m, const srvdb_audit *a)
{
    (void)i, (void)a;
    return NO(m);
}
static kc_err a_audit_each(void *i, char *m, const char *u, const char *a, long long b,
                           long l, srvdb_audit_fn fn, void *ctx)
{
    (void)i, (void)u, (void)a, (void)b, (void)l, (void)fn, (void)ctx;
    return NO(m);
}
static kc_err a_catalog_list(void *i, char *m, const srvdb_cat_filter *f, srvdb_cat_fn fn,
                             void *ctx, long long *t)
{
    (void)i, (void)f, (void)fn, (void)ctx, (void)t;
    return NO(m);
}
static kc_err a_item_get(void *i, char *m, const char *id, int *k, long long *r, char **b)
{
    (void)i, (void)id, (void)k, (void)r;
    *b = NULL;
    return NO(m);
}
static kc_err a_content_apply(void *i, char *m, const char *b, size_t l, int f,
                              content_result *r)
{
    (void)i, (void)b, (void)l, (void)f, (void)r;
    return NO(m);
}
static kc_err a_catalog_export(void *i, char *m, FILE *f)
{
    (void)i, (void)f;
    return NO(m);
}
static kc_err a_docs_list(void *i, char *m, const char *t, srvdb_doc_row_fn fn, void *ctx)
{
    (void)i, (void)t, (void)fn, (void)ctx;
    return NO(m);
}

const srvdb_admin_backend srvdb_pg_admin = {
    a_user_add, a_user_get, a_user_update, a_users_each, a_admin_count, a_session_add,
    a_session_get, a_session_extend, a_session_del, a_throttle_get, a_throttle_set,
    a_throttle_clear, a_audit_add, a_audit_each, a_catalog_list, a_item_get, a_content_apply,
    a_catalog_export, a_docs_list,
};

static kc_err r_hours(void *i, char *m, const srvdb_fb_filter *f, srvdb_fb_hour_fn fn,
                      void *ctx)
{
    (void)i, (void)f, (void)fn, (void)ctx;
    return NO(m);
}
static kc_err r_devices(void *i, char *m, const srvdb_fb_filter *f, srvdb_fb_device_fn fn,
                        void *ctx)
{
    (void)i, (void)f, (void)fn, (void)ctx;
    return NO(m);
}
static kc_err r_cards(void *i, char *m, const srvdb_fb_filter *f, long l, srvdb_fb_card_fn fn,
                      void *ctx)
{
    (void)i, (void)f, (void)l, (void)fn, (void)ctx;
    return NO(m);
}
static kc_err r_comments(void *i, char *m, const srvdb_fb_filter *f, long long bh,
                         const char *bu, const char *one, long l, srvdb_fb_comment_fn fn,
                         void *ctx)
{
    (void)i, (void)f, (void)bh, (void)bu, (void)one, (void)l, (void)fn, (void)ctx;
    return NO(m);
}
static kc_err r_rows_open(void *i, char *m, const srvdb_fb_filter *f, void **cur)
{
    (void)i, (void)f;
    *cur = NULL;
    return NO(m);
}
static kc_err r_rows_next(void *cur, char *m, srvdb_fb_row *row, int *more)
{
    (void)cur, (void)row;
    *more = 0;
    return NO(m);
}
static void r_rows_close(void *cur)
{
    (void)cur;
}
static kc_err r_hide(void *i, char *m, const char *u, const char *by, long long now,
                     int *changed)
{
    (void)i, (void)u, (void)by, (void)now;
    *changed = 0;
    return NO(m);
}

static kc_err r_merged(void *i, char *m, const srvdb_fb_filter *f, long long *out)
{
    (void)i, (void)f;
    *out = 0;
    return NO(m);
}
static kc_err r_ws_rows(void *i, char *m, const srvdb_fb_filter *f, const char *w,
                        srvdb_ws_fn fn, void *ctx)
{
    (void)i, (void)f, (void)w, (void)fn, (void)ctx;
    return NO(m);
}

/* As on SQLite: the number of the workshop's rows, from the filter's devices, read in
 * the index above. */
static kc_err r_ws_stamp(void *i, char *m, const srvdb_fb_filter *f, const char *w,
                         long long *out)
{
    char *devs = NULL;
    size_t cap = f->devices ? f->ndevices * 24 + 3 : 0, len = 0;
    *out = 0;
    if (f->devices) {
        if (!(devs = kc_malloc(cap)))
            return kc_fail(m, KC_ENOMEM, "out of memory");
        devs[len++] = '{';
        for (size_t k = 0; k < f->ndevices; k++)
            len += (size_t)snprintf(devs + len, cap - len, "%s%lld", k ? "," : "",
                                    f->devices[k]);
        snprintf(devs + len, cap - len, "}");
    }
    const char *v[2] = { w, devs };
    PGresult *r;
    kc_err rc = pg_q(i, m, &r, "SELECT count(*) FROM response WHERE kind IN ('workshop',"
                               " 'workshop-answer', 'workshop-group') AND ((payload::json)"
                               " ->> 'workshop') = $1 AND ($2::bigint[] IS NULL OR device ="
                               " ANY($2::bigint[]))", 2, v, NULL);
    if (!rc) {
        *out = pg_ll(r, 0, 0);
        PQclear(r);
    }
    kc_free(devs);
    return rc;
}

const srvdb_results_backend srvdb_pg_results = {
    r_hours, r_devices, r_cards, r_comments, r_rows_open, r_rows_next, r_rows_close, r_hide,
    NULL,  /* survey results: srvdb_results_survey.c refuses */
    r_merged, r_ws_rows, r_ws_stamp,
};
