/* srvdb.c - picks a backend and checks arguments; the backends do the storing. */
#include "srvdb_impl.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const srvdb_backend *const backends[] = { &srvdb_sqlite_backend, &srvdb_pg_backend };

kc_err srvdb_open(const char *spec, srvdb **out)
{
    srvdb *db = kc_calloc(1, sizeof *db);
    *out = db;
    if (!db)
        return KC_ENOMEM;
    const char *where = spec;
    const srvdb_backend *be = &srvdb_sqlite_backend;
    /* "scheme:rest" when the part before the colon is a lower-case word; anything
     * else (a path such as ./a:b.db or /srv/kiosk.db) is an SQLite file. */
    size_t w = 0;
    while (spec[w] >= 'a' && spec[w] <= 'z')
        w++;
    /* PostgreSQL: a URI goes to libpq whole; "pg:" prefixes a key=value string. */
    if ((w == 10 && strncmp(spec, "postgresql://", 13) == 0) ||
        (w == 8 && strncmp(spec, "postgres://", 11) == 0) || (w == 2 && strncmp(spec, "pg:", 3) == 0)) {
        db->be = &srvdb_pg_backend;
        if (sodium_init() < 0)
            return kc_fail(db->msg, KC_ECRYPTO, "srvdb: libsodium failed to start");
        return db->be->open(w == 2 ? spec + 3 : spec, &db->impl, db->msg);
    }
    if (w > 0 && spec[w] == ':') {
        be = NULL;
        for (size_t i = 0; i < sizeof backends / sizeof backends[0]; i++)
            if (strlen(backends[i]->scheme) == w && strncmp(spec, backends[i]->scheme, w) == 0)
                be = backends[i];
        if (!be)
            return kc_fail(db->msg, KC_EUSAGE, "srvdb: unknown storage \"%.*s\"", (int)w,
                           spec);
        where = spec + w + 1;
    }
    db->be = be;
    if (sodium_init() < 0)
        return kc_fail(db->msg, KC_ECRYPTO, "srvdb: libsodium failed to start");
    return be->open(where, &db->impl, db->msg);
}

void srvdb_close(srvdb *db)
{
    if (!db)
        return;
    if (db->be && db->impl)
        db->be->close(db->impl);
    kc_free(db);
}

const char *srvdb_errmsg(const srvdb *db)
{
    if (!db)
        return "srvdb: out of memory";
    return db->msg[0] ? db->msg : "no error";
}

int srvdb_valid_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > SRVDB_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

kc_err srvdb_token_new(char token[SRVDB_TOKEN_LEN + 1], unsigned char hash[SRVDB_HASH_LEN])
{
    unsigned char raw[SRVDB_TOKEN_LEN / 2];
    if (sodium_init() < 0)
        return KC_ECRYPTO;
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(token, SRVDB_TOKEN_LEN + 1, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    return srvdb_token_hash(token, SRVDB_TOKEN_LEN, hash);
}

kc_err srvdb_token_hash(const char *token, size_t len, unsigned char hash[SRVDB_HASH_LEN])
{
    if (len != SRVDB_TOKEN_LEN)
        return KC_EDENIED;
    for (size_t i = 0; i < len; i++)
        if (!((token[i] >= '0' && token[i] <= '9') || (token[i] >= 'a' && token[i] <= 'f')))
            return KC_EDENIED;
    if (crypto_generichash(hash, SRVDB_HASH_LEN, (const unsigned char *)token, len, NULL,
                           0) != 0)
        return KC_ECRYPTO;
    return KC_OK;
}

kc_err srvdb_device_add(srvdb *db, const char *name, const unsigned char hash[SRVDB_HASH_LEN])
{
    if (!srvdb_valid_name(name))
        return kc_fail(db->msg, KC_EINVAL,
                       "device name must be 1-%d of A-Z a-z 0-9 . _ -", SRVDB_NAME_MAX);
    return db->be->device_add(db->impl, db->msg, name, hash, (long long)time(NULL));
}

kc_err srvdb_device_revoke(srvdb *db, const char *name)
{
    return db->be->device_revoke(db->impl, db->msg, name, (long long)time(NULL));
}

kc_err srvdb_device_auth(srvdb *db, const unsigned char hash[SRVDB_HASH_LEN],
                         srvdb_device *dev)
{
    memset(dev, 0, sizeof *dev);
    return db->be->device_auth(db->impl, db->msg, hash, dev);
}

kc_err srvdb_devices_each(srvdb *db, srvdb_device_fn fn, void *ctx)
{
    return db->be->devices_each(db->impl, db->msg, fn, ctx);
}

kc_err srvdb_heartbeat(srvdb *db, long long device, const proto_heartbeat *hb,
                       long long now)
{
    return db->be->heartbeat(db->impl, db->msg, device, hb, now);
}

kc_err srvdb_responses_each(srvdb *db, srvdb_response_fn fn, void *ctx)
{
    return db->be->responses_each(db->impl, db->msg, fn, ctx);
}

kc_err srvdb_response_count(srvdb *db, long long *n)
{
    return db->be->response_count(db->impl, db->msg, n);
}

kc_err srvdb_read_begin(srvdb *db)
{
    return db->be->read_begin(db->impl, db->msg);
}

void srvdb_read_end(srvdb *db)
{
    db->be->read_end(db->impl);
}

kc_err srvdb_catalog_head(srvdb *db, long long *rev)
{
    return db->be->catalog_head(db->impl, db->msg, rev);
}

kc_err srvdb_catalog_changes(srvdb *db, long long since, long limit, store_change_fn fn,
                             void *ctx, long long *last)
{
    return db->be->catalog_changes(db->impl, db->msg, since, limit, fn, ctx, last);
}

kc_err srvdb_areas_digest(srvdb *db, char digest[PROTO_DIGEST_HEX + 1])
{
    return db->be->areas_digest(db->impl, db->msg, digest);
}

kc_err srvdb_areas_each(srvdb *db, store_item_fn fn, void *ctx)
{
    return db->be->areas_each(db->impl, db->msg, fn, ctx);
}

kc_err srvdb_area_delete(srvdb *db, const char *id, long *users)
{
    return db->be->area_delete(db->impl, db->msg, id, users);
}

kc_err srvdb_import(srvdb *db, const char *path, int flags, content_result *res)
{
    return db->be->import(db->impl, db->msg, path, flags, res);
}

kc_err srvdb_docs_head(srvdb *db, const char *type, long long *rev)
{
    *rev = 0;
    return db->be->docs_head(db->impl, db->msg, type, rev);
}

kc_err srvdb_docs_changes(srvdb *db, const char *type, long long since, long limit,
                          size_t max_bytes, srvdb_doc_fn fn, void *ctx, long long *last)
{
    *last = since;
    return db->be->docs_changes(db->impl, db->msg, type, since, limit, max_bytes, fn, ctx,
                                last);
}

kc_err srvdb_doc_get(srvdb *db, const char *type, const char *id, long long version,
                     char **body, long long *version_out)
{
    *body = NULL;
    return db->be->doc_get(db->impl, db->msg, type, id, version, body, version_out);
}

kc_err srvdb_ballot_rows(srvdb *db, const char *ballot, srvdb_vote_fn vote, srvdb_use_fn use,
                         void *ctx)
{
    return db->be->ballot_rows(db->impl, db->msg, ballot, vote, use, ctx);
}

kc_err srvdb_import_buf(srvdb *db, const char *name, const char *buf, size_t len,
                        const char *scope, content_result *res)
{
    return db->be->import_buf(db->impl, db->msg, name, buf, len, scope, res);
}

kc_err srvdb_source_state_get(srvdb *db, const char *source, char **state)
{
    *state = NULL;
    return db->be->source_state_get(db->impl, db->msg, source, state);
}

kc_err srvdb_source_state_set(srvdb *db, const char *source, const char *state)
{
    return db->be->source_state_set(db->impl, db->msg, source, state);
}

kc_err srvdb_source_run_add(srvdb *db, srvdb_source_run *r)
{
    return db->be->source_run_add(db->impl, db->msg, r);
}

kc_err srvdb_source_runs_each(srvdb *db, const char *source, long limit, srvdb_run_fn fn,
                              void *ctx)
{
    return db->be->source_runs_each(db->impl, db->msg, source, limit, fn, ctx);
}

kc_err srvdb_source_lock(srvdb *db, const char *source, int *got)
{
    *got = 1;
    return db->be->source_lock ? db->be->source_lock(db->impl, db->msg, source, got) : KC_OK;
}
