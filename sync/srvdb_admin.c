/* srvdb_admin.c - the console's storage calls: argument checks, then the backend. */
#include "srvdb_admin.h"
#include "srvdb_impl.h"

#include <stdio.h>
#include <string.h>

static const char *const role_names[SRVDB_NROLE] = { "administrator", "editor",
                                                      "coordinator", "viewer" };

const char *srvdb_role_name(int role)
{
    return role >= 0 && role < SRVDB_NROLE ? role_names[role] : NULL;
}

int srvdb_role_parse(const char *name)
{
    if (!name)
        return -1;
    if (strcmp(name, "admin") == 0)
        return SRVDB_ROLE_ADMIN;
    for (int i = 0; i < SRVDB_NROLE; i++)
        if (strcmp(name, role_names[i]) == 0)
            return i;
    return -1;
}

#define BE(db) ((db)->be->admin)

kc_err srvdb_user_add(srvdb *db, const srvdb_user *u, const char *pwhash)
{
    if (!srvdb_valid_name(u->name))
        return kc_fail(db->msg, KC_EINVAL, "\"name\": 1-64 letters, digits, '.', '_' or '-'");
    if (!srvdb_role_name(u->role))
        return kc_fail(db->msg, KC_EINVAL, "\"role\": unknown role");
    if (!pwhash || strlen(pwhash) > SRVDB_PWHASH_MAX)
        return kc_fail(db->msg, KC_EUSAGE, "srvdb: bad password hash");
    return BE(db)->user_add(db->impl, db->msg, u, pwhash);
}

kc_err srvdb_user_get(srvdb *db, const char *name, srvdb_user *u, char *pwhash)
{
    if (!srvdb_valid_name(name))
        return kc_fail(db->msg, KC_ENOTFOUND, "no such account");
    return BE(db)->user_get(db->impl, db->msg, name, u, pwhash);
}

kc_err srvdb_user_update(srvdb *db, const srvdb_user *u, const char *pwhash)
{
    if (!srvdb_role_name(u->role))
        return kc_fail(db->msg, KC_EINVAL, "\"role\": unknown role");
    if (pwhash && strlen(pwhash) > SRVDB_PWHASH_MAX)
        return kc_fail(db->msg, KC_EUSAGE, "srvdb: bad password hash");
    return BE(db)->user_update(db->impl, db->msg, u, pwhash);
}

kc_err srvdb_users_each(srvdb *db, srvdb_user_fn fn, void *ctx)
{
    return BE(db)->users_each(db->impl, db->msg, fn, ctx);
}

kc_err srvdb_admin_count(srvdb *db, long *n)
{
    return BE(db)->admin_count(db->impl, db->msg, n);
}

kc_err srvdb_session_add(srvdb *db, const unsigned char hash[SRVDB_HASH_LEN], long long user,
                         long long now, long long expires)
{
    return BE(db)->session_add(db->impl, db->msg, hash, user, now, expires);
}

kc_err srvdb_session_get(srvdb *db, const unsigned char hash[SRVDB_HASH_LEN], long long now,
                         srvdb_user *u, long long *created, long long *expires)
{
    return BE(db)->session_get(db->impl, db->msg, hash, now, u, created, expires);
}

kc_err srvdb_session_extend(srvdb *db, const unsigned char hash[SRVDB_HASH_LEN],
                            long long expires)
{
    return BE(db)->session_extend(db->impl, db->msg, hash, expires);
}

kc_err srvdb_session_del(srvdb *db, const unsigned char hash[SRVDB_HASH_LEN])
{
    return BE(db)->session_del(db->impl, db->msg, hash);
}

kc_err srvdb_throttle_get(srvdb *db, const char *key, long *failures, long long *until,
                          long long *last)
{
    return BE(db)->throttle_get(db->impl, db->msg, key, failures, until, last);
}

kc_err srvdb_throttle_set(srvdb *db, const char *key, long failures, long long until,
                          long long last)
{
    return BE(db)->throttle_set(db->impl, db->msg, key, failures, until, last);
}

kc_err srvdb_throttle_clear(srvdb *db, const char *key)
{
    return BE(db)->throttle_clear(db->impl, db->msg, key);
}

kc_err srvdb_audit_add(srvdb *db, const srvdb_audit *a)
{
    return BE(db)->audit_add(db->impl, db->msg, a);
}

kc_err srvdb_audit_each(srvdb *db, const char *user, const char *action, long long before,
                        long limit, srvdb_audit_fn fn, void *ctx)
{
    if (limit < 1)
        return kc_fail(db->msg, KC_EUSAGE, "srvdb: audit limit must be positive");
    return BE(db)->audit_each(db->impl, db->msg, user && *user ? user : NULL,
                              action && *action ? action : NULL, before, limit, fn, ctx);
}

kc_err srvdb_catalog_list(srvdb *db, const srvdb_cat_filter *f, srvdb_cat_fn fn, void *ctx,
                          long long *total)
{
    if (f->limit < 1 || f->limit > 1000 || (f->q && strlen(f->q) > SRVDB_QUERY_MAX))
        return kc_fail(db->msg, KC_EUSAGE, "srvdb: catalog list limits");
    long long t;
    return BE(db)->catalog_list(db->impl, db->msg, f, fn, ctx, total ? total : &t);
}

kc_err srvdb_item_get(srvdb *db, const char *id, int *kind, long long *rev, char **body)
{
    *body = NULL;
    return BE(db)->item_get(db->impl, db->msg, id, kind, rev, body);
}

kc_err srvdb_content_apply(srvdb *db, const char *buf, size_t len, int flags,
                           content_result *res)
{
    memset(res, 0, sizeof *res);
    return BE(db)->content_apply(db->impl, db->msg, buf, len, flags, res);
}

kc_err srvdb_catalog_export(srvdb *db, FILE *f)
{
    return BE(db)->catalog_export(db->impl, db->msg, f);
}

kc_err srvdb_docs_list(srvdb *db, const char *type, srvdb_doc_row_fn fn, void *ctx)
{
    return BE(db)->docs_list(db->impl, db->msg, type, fn, ctx);
}
