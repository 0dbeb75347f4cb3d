/* srvdb_pg_console.c - the PostgreSQL backend's side of srvdb_target.h: what kiosks
 * read (their settings, what they show, document feeds as one kiosk sees them) and
 * what the console writes (settings, publications), with the tables and answers of
 * srvdb_target_sqlite.c.  Writes are one transaction each; moving documents to new
 * revisions takes the "doc" feed's counter row (pg_next_rev), so feed writers take
 * turns and their revisions commit in order. */
#include "srvdb_pg_impl.h"
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

/* --- the console's writes ---------------------------------------------------------------- */

/* The device id of a kiosk name; KC_ENOTFOUND when none. */
static kc_err device_of(pg *p, char *msg, const char *kiosk, long long *id)
{
    const char *v[1] = { kiosk };
    PGresult *r;
    kc_err rc = pg_q(p, msg, &r, "SELECT id FROM device WHERE name = $1", 1, v, NULL);
    if (rc)
        return rc;
    if (PQntuples(r))
        *id = pg_ll(r, 0, 0);
    else
        rc = kc_fail(msg, KC_ENOTFOUND, "no kiosk \"%.64s\"", kiosk);
    PQclear(r);
    return rc;
}

static kc_err t_settings_get(void *impl, char *msg, const char *kiosk, char **body)
{
    long long dev;
    *body = NULL;
    kc_err rc = device_of(impl, msg, kiosk, &dev);
    return rc ? rc : settings_of(impl, msg, dev, body);
}

static kc_err t_settings_set(void *impl, char *msg, const char *kiosk, const char *body)
{
    long long dev;
    char d[24];
    kc_err rc = device_of(impl, msg, kiosk, &dev);
    if (rc)
        return rc;
    snprintf(d, sizeof d, "%lld", dev);
    const char *v[2] = { d, body };
    return body ? pg_q(impl, msg, NULL, "INSERT INTO kiosk_settings(device, body) VALUES($1, $2)"
                                        " ON CONFLICT(device) DO UPDATE SET body = $2", 2, v,
                       NULL)
                : pg_q(impl, msg, NULL, "DELETE FROM kiosk_settings WHERE device = $1", 1, v,
                       NULL);
}

static kc_err pub_state(pg *p, char *msg, const char *type, const char *id, int *state)
{
    const char *v[2] = { type, id };
    PGresult *r;
    *state = SRVDB_PUB_ALL;
    kc_err rc = pg_q(p, msg, &r, "SELECT state FROM doc_pub WHERE type = $1 AND id = $2", 2, v,
                     NULL);
    if (!rc && PQntuples(r))
        *state = strcmp(PQgetvalue(r, 0, 0), "closed") == 0 ? SRVDB_PUB_CLOSED
                                                             : SRVDB_PUB_CHOSEN;
    PQclear(r);
    return rc;
}

static kc_err doc_exists(pg *p, char *msg, const char *type, const char *id)
{
    const char *v[2] = { type, id };
    PGresult *r;
    kc_err rc = pg_q(p, msg, &r, "SELECT 1 FROM doc WHERE type = $1 AND id = $2 AND deleted = 0"
                                 " LIMIT 1", 2, v, NULL);
    if (!rc && PQntuples(r) == 0)
        rc = kc_fail(msg, KC_ENOTFOUND, "no %s \"%.64s\" on the server", type, id);
    PQclear(r);
    return rc;
}

static kc_err t_pub_get(void *impl, char *msg, const char *type, const char *id, int *state,
                        srvdb_name_fn fn, void *ctx)
{
    kc_err rc = pub_state(impl, msg, type, id, state);
    if (rc || *state != SRVDB_PUB_CHOSEN)
        return rc;
    const char *v[2] = { type, id };
    PGresult *r;
    if ((rc = pg_q(impl, msg, &r, "SELECT d.name FROM doc_pub_kiosk k JOIN device d ON d.id ="
                                  " k.device WHERE k.type = $1 AND k.id = $2 ORDER BY d.name "
                                  "COLLATE \"C\"", 2, v, NULL)))
        return rc;
    for (int i = 0; !rc && i < PQntuples(r); i++)
        rc = fn(ctx, PQgetvalue(r, i, 0));
    if (rc == KC_ENOMEM)
        kc_fail(msg, rc, "out of memory");
    PQclear(r);
    return rc;
}

/* Moves every stored document of a published survey (each version) or ballot (and its
 * codes file) to new revisions, one each, so kiosks that now show it pull it. */
static kc_err bump(pg *p, char *msg, const char *type, const char *id)
{
    const char *v[3] = { type, strcmp(type, PROTO_DOC_BALLOT) == 0 ? "t" : "f", id };
    PGresult *r;
    kc_err rc = pg_q(p, msg, &r, "SELECT type, version FROM doc WHERE (type = $1 OR ($2::bool "
                                 "AND type = '" PROTO_DOC_CODES "')) AND id = $3 ORDER BY type "
                                 "COLLATE \"C\", version", 3, v, NULL);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        long long rev;
        char rv[24];
        if ((rc = pg_next_rev(p, msg, "doc", &rev)))
            break;
        snprintf(rv, sizeof rv, "%lld", rev);
        const char *w[4] = { rv, PQgetvalue(r, i, 0), id, PQgetvalue(r, i, 1) };
        rc = pg_q(p, msg, NULL, "UPDATE doc SET rev = $1 WHERE type = $2 AND id = $3 AND "
                                "version = $4", 4, w, NULL);
    }
    PQclear(r);
    return rc;
}

/* Writes a publication inside the caller's transaction: state with kiosks (device
 * ids), then bumps the documents. */
static kc_err pub_write(pg *p, char *msg, const char *type, const char *id, int state,
                        const long long *devs, size_t n)
{
    const char *v[3] = { type, id, state == SRVDB_PUB_CLOSED ? "closed" : "chosen" };
    kc_err rc = pg_q(p, msg, NULL, "DELETE FROM doc_pub_kiosk WHERE type = $1 AND id = $2", 2,
                     v, NULL);
    if (!rc)
        rc = state == SRVDB_PUB_ALL
                 ? pg_q(p, msg, NULL, "DELETE FROM doc_pub WHERE type = $1 AND id = $2", 2, v,
                        NULL)
                 : pg_q(p, msg, NULL, "INSERT INTO doc_pub(type, id, state) VALUES($1, $2, $3)"
                                      " ON CONFLICT(type, id) DO UPDATE SET state = $3", 3, v,
                        NULL);
    for (size_t i = 0; !rc && i < n; i++) {
        char d[24];
        snprintf(d, sizeof d, "%lld", devs[i]);
        const char *w[3] = { type, id, d };
        rc = pg_q(p, msg, NULL, "INSERT INTO doc_pub_kiosk(type, id, device) VALUES($1, $2, $3)"
                                " ON CONFLICT DO NOTHING", 3, w, NULL);
    }
    return rc ? rc : bump(p, msg, type, id);
}

/* The "doc" feed's counter row first: every transaction that bumps documents takes
 * it in the same order, so two never deadlock halfway. */
static kc_err begin_doc_write(pg *p, char *msg)
{
    kc_err rc = pg_begin(p, msg);
    if (!rc && (rc = pg_x(p, msg, "SELECT rev FROM feed_rev WHERE feed = 'doc' FOR UPDATE")))
        pg_rollback(p);
    return rc;
}

static kc_err t_pub_set(void *impl, char *msg, const char *type, const char *id, int state,
                        const char *const *kiosks, size_t n)
{
    pg *p = impl;
    long long *devs = kc_calloc(n ? n : 1, sizeof *devs);
    if (!devs)
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    kc_err rc = begin_doc_write(p, msg);
    if (rc) {
        kc_free(devs);
        return rc;
    }
    rc = doc_exists(p, msg, type, id);
    for (size_t i = 0; i < n && !rc; i++)
        if ((rc = device_of(p, msg, kiosks[i], &devs[i])) == KC_ENOTFOUND)
            rc = kc_fail(msg, KC_EINVAL, "\"kiosks\": no kiosk \"%.64s\"", kiosks[i]);
    if (!rc)
        rc = pub_write(p, msg, type, id, state, devs, n);
    if (!rc)
        rc = pg_commit(p, msg);
    else
        pg_rollback(p);
    kc_free(devs);
    return rc;
}

static int listed(const char *const *ids, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0)
            return 1;
    return 0;
}

/* One document's change for one kiosk, inside the caller's transaction. */
static kc_err show_one(pg *p, char *msg, const char *type, const char *id, long long dev,
                       int want)
{
    int state;
    char d[24];
    kc_err rc = pub_state(p, msg, type, id, &state);
    if (rc)
        return rc;
    if (state == SRVDB_PUB_CLOSED)
        return want ? kc_fail(msg, KC_EINVAL, "\"%ss\": %s \"%.64s\" is closed; publish it "
                              "again first", type, type, id)
                    : KC_OK;
    snprintf(d, sizeof d, "%lld", dev);
    if (state == SRVDB_PUB_ALL) {
        if (want)
            return KC_OK;
        /* every other live kiosk keeps showing it */
        const char *v[1] = { d };
        PGresult *r;
        if ((rc = pg_q(p, msg, &r, "SELECT id FROM device WHERE id <> $1 AND revoked IS NULL "
                                   "ORDER BY id", 1, v, NULL)))
            return rc;
        size_t n = (size_t)PQntuples(r);
        long long *o = kc_calloc(n ? n : 1, sizeof *o);
        if (!o) {
            PQclear(r);
            return kc_fail(msg, KC_ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < n; i++)
            o[i] = pg_ll(r, (int)i, 0);
        PQclear(r);
        rc = pub_write(p, msg, type, id, SRVDB_PUB_CHOSEN, o, n);
        kc_free(o);
        return rc;
    }
    const char *v[3] = { type, id, d };
    PGresult *r;
    if ((rc = pg_q(p, msg, &r, want ? "INSERT INTO doc_pub_kiosk(type, id, device) VALUES($1, "
                                      "$2, $3) ON CONFLICT DO NOTHING RETURNING 1"
                                    : "DELETE FROM doc_pub_kiosk WHERE type = $1 AND id = $2 "
                                      "AND device = $3 RETURNING 1", 3, v, NULL)))
        return rc;
    int did = PQntuples(r) > 0;
    PQclear(r);
    /* newly shown: its documents move up so this kiosk pulls them */
    return want && did ? bump(p, msg, type, id) : KC_OK;
}

static kc_err t_shows_set(void *impl, char *msg, const char *kiosk, const char *type,
                          const char *const *ids, size_t n)
{
    pg *p = impl;
    PGresult *r = NULL;
    long long dev;
    size_t found = 0;
    const char *v[1] = { type };
    kc_err rc = begin_doc_write(p, msg);
    if (rc)
        return rc;
    if ((rc = device_of(p, msg, kiosk, &dev)) ||
        (rc = pg_q(p, msg, &r, "SELECT DISTINCT id COLLATE \"C\" FROM doc WHERE type = $1 AND "
                               "deleted = 0 ORDER BY 1", 1, v, NULL)))
        goto out;
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        const char *id = PQgetvalue(r, i, 0);
        int want = listed(ids, n, id);
        found += (size_t)want;
        rc = show_one(p, msg, type, id, dev, want);
    }
    if (!rc && found != n) {
        for (size_t i = 0; i < n && !rc; i++)
            if ((rc = doc_exists(p, msg, type, ids[i])) == KC_ENOTFOUND)
                rc = kc_fail(msg, KC_EINVAL, "\"%ss\": no %s \"%.64s\" on the server", type,
                             type, ids[i]);
    }
out:
    PQclear(r);
    if (!rc)
        return pg_commit(p, msg);
    pg_rollback(p);
    return rc;
}

const srvdb_target_backend srvdb_pg_target = {
    t_settings_get, t_settings_set, t_pub_get, t_pub_set, t_shows_set, shows, settings_of,
    docs_changes_for,
};
