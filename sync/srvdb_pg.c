/* srvdb_pg.c - the PostgreSQL backend of srvdb (libpq): connecting and migrating,
 * devices, responses, read snapshots, document feeds, ballots and source imports.
 * Pushes are in srvdb_pg_push.c, the catalog in srvdb_pg_catalog.c, the console's
 * tables in srvdb_pg_console.c. */
#include "srvdb_pg_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outbox.h"

/* Taken (per transaction) around migrations, so servers starting at once on one
 * database migrate one after the other.  Any constant; "kiosk" in ASCII. */
#define MIGRATE_LOCK "1802072939"
/* The first key of the one-run-per-source locks (the second: the source's name). */
#define SOURCE_LOCK "1802072940"

/* Revisions: one counter row per feed (pg_next_rev).  Surveys, ballots and code uses
 * share the "doc" feed as they share one counter on SQLite. */
static const char *const server_sql[] = {
    "CREATE TABLE device(id bigserial PRIMARY KEY, name text NOT NULL UNIQUE,"
    " token_hash bytea NOT NULL UNIQUE, created bigint NOT NULL, revoked bigint,"
    " last_seen bigint, version text, catalog_rev bigint, outbox_depth bigint,"
    " last_error text, set_aside bigint NOT NULL DEFAULT 0, set_aside_reason text);"
    /* no time of arrival and no serial: responses keep no order of their own */
    "CREATE TABLE response(uuid text PRIMARY KEY, device bigint NOT NULL"
    " REFERENCES device(id), kind text NOT NULL, payload text NOT NULL);"
    "CREATE TABLE feed_rev(feed text PRIMARY KEY, rev bigint NOT NULL);"
    "INSERT INTO feed_rev VALUES('doc', 0), ('catalog', 0);"
    "CREATE TABLE doc(type text NOT NULL, id text NOT NULL, version bigint NOT NULL,"
    " rev bigint NOT NULL UNIQUE, deleted int NOT NULL DEFAULT 0, body text,"
    " PRIMARY KEY(type, id, version));"
    "CREATE INDEX doc_feed ON doc(type, rev);"
    /* Ballots and code uses as on SQLite (docs/voting.md): no device and no time on a
     * ballot, which waits in the pool under a random key until it is mixed into
     * ballot_in; a code use names its kiosk only when it is a second use. */
    "CREATE TABLE ballot_in(uuid text PRIMARY KEY, ballot text NOT NULL,"
    " payload text NOT NULL);"
    "CREATE TABLE ballot_pool(k text PRIMARY KEY, uuid text NOT NULL UNIQUE,"
    " ballot text NOT NULL, payload text NOT NULL);"
    "CREATE TABLE pool_src(device bigint PRIMARY KEY);"
    "CREATE TABLE code_use(uuid text PRIMARY KEY, ballot text NOT NULL, hash text NOT NULL);"
    "CREATE INDEX code_use_hash ON code_use(ballot, hash);"
    "CREATE TABLE code_dup(uuid text PRIMARY KEY, ballot text NOT NULL, hash text NOT NULL,"
    " device bigint NOT NULL REFERENCES device(id));"
    "CREATE TABLE paper_serial(ballot text NOT NULL, serial text NOT NULL,"
    " PRIMARY KEY(ballot, serial));"
    "CREATE TABLE source_state(source text PRIMARY KEY, state text NOT NULL);"
    "CREATE TABLE source_run(id bigserial PRIMARY KEY, source text NOT NULL,"
    " origin text NOT NULL, started bigint NOT NULL, finished bigint NOT NULL,"
    " ok int NOT NULL, not_modified int NOT NULL, pages bigint NOT NULL,"
    " records bigint NOT NULL, added bigint NOT NULL, changed bigint NOT NULL,"
    " removed bigint NOT NULL, unchanged bigint NOT NULL, error text NOT NULL,"
    " notes text NOT NULL);"
    "CREATE INDEX source_run_by_source ON source_run(source, id);",
};
static const pg_module server_module = { "server", server_sql,
                                         (int)(sizeof server_sql / sizeof server_sql[0]) };

/* --- queries ------------------------------------------------------------------------ */

static kc_err pg_fail(pg *p, char *msg, const PGresult *r, const char *what)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    /* 40001 serialization failure, 40P01 deadlock, 55P03 lock not available */
    kc_err rc = state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
                          strcmp(state, "55P03") == 0)
                    ? KC_EBUSY
                    : KC_EDB;
    const char *m = r ? PQresultErrorMessage(r) : NULL;
    if (!m || !m[0])
        m = PQerrorMessage(p->c);
    kc_fail(msg, rc, "srvdb: %s: %.*s", what, (int)strcspn(m, "\n"), m);
    snprintf(p->msg, sizeof p->msg, "%s", msg);
    return rc;
}

kc_err pg_q(pg *p, char *msg, PGresult **out, const char *sql, int n,
            const char *const *vals, const int *lens)
{
    int fmts[16];
    if (out)
        *out = NULL;
    if (n > (int)(sizeof fmts / sizeof fmts[0]))
        return kc_fail(msg, KC_EUSAGE, "srvdb: too many parameters");
    for (int i = 0; i < n; i++)
        fmts[i] = lens && lens[i] > 0;
    /* A connection lost between transactions (the database restarted, a failover) is
     * made again; inside one, the transaction is gone and the call fails. */
    if (PQstatus(p->c) == CONNECTION_BAD && !p->in_tx)
        PQreset(p->c);
    PGresult *r = PQexecParams(p->c, sql, n, NULL, vals, lens, n ? fmts : NULL, 0);
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        kc_err rc = r ? pg_fail(p, msg, r, "query failed")
                      : kc_fail(msg, KC_ENOMEM, "srvdb: out of memory");
        PQclear(r);
        return rc;
    }
    if (out)
        *out = r;
    else
        PQclear(r);
    return KC_OK;
}

kc_err pg_x(pg *p, char *msg, const char *sql)
{
    return pg_q(p, msg, NULL, sql, 0, NULL, NULL);
}

kc_err pg_begin(pg *p, char *msg)
{
    kc_err rc = pg_x(p, msg, "BEGIN");
    p->in_tx = !rc;
    return rc;
}

kc_err pg_commit(pg *p, char *msg)
{
    kc_err rc = pg_x(p, msg, "COMMIT");
    if (rc)
        pg_rollback(p);
    p->in_tx = 0;
    return rc;
}

void pg_rollback(pg *p)
{
    PQclear(PQexec(p->c, "ROLLBACK"));
    p->in_tx = 0;
}

long long pg_ll(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

kc_err pg_next_rev(pg *p, char *msg, const char *feed, long long *rev)
{
    PGresult *r;
    const char *v[1] = { feed };
    kc_err rc = pg_q(p, msg, &r, "UPDATE feed_rev SET rev = rev + 1 WHERE feed = $1 "
                                 "RETURNING rev", 1, v, NULL);
    if (rc)
        return rc;
    if (PQntuples(r) != 1)
        rc = kc_fail(msg, KC_EDB, "srvdb: no revision counter \"%s\"", feed);
    else
        *rev = pg_ll(r, 0, 0);
    PQclear(r);
    return rc;
}

/* --- opening ------------------------------------------------------------------------ */

/* For the tests of a migration step over stored data: the module named stops at
 * that version (srvdb_pg_impl.h). */
static const char *stop_module;
static int stop_version;

void pg_test_stop_at(const char *module, int version)
{
    stop_module = module;
    stop_version = version;
}

/* One migration step per transaction, each checking the version again under the
 * lock, so a second server starting at the same moment finds the work done. */
static kc_err migrate(pg *p, char *msg, const pg_module *m)
{
    int want = m->n;
    if (stop_module && strcmp(stop_module, m->name) == 0 && stop_version < want)
        want = stop_version;
    for (;;) {
        kc_err rc = pg_begin(p, msg);
        PGresult *r = NULL;
        const char *v[2] = { m->name, NULL };
        if (rc)
            return rc;
        if ((rc = pg_x(p, msg, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK ")")) ||
            (rc = pg_q(p, msg, &r, "SELECT version FROM schema_version WHERE module = $1", 1,
                       v, NULL)))
            goto fail;
        long long have = PQntuples(r) ? pg_ll(r, 0, 0) : 0;
        PQclear(r);
        if (have > m->n) {
            rc = kc_fail(msg, KC_ENEWER, "srvdb: the database's \"%s\" tables are at version "
                         "%lld, this program knows %d: written by a newer version, left "
                         "untouched", m->name, have, m->n);
            goto fail;
        }
        if (have >= want) {
            pg_rollback(p);
            return KC_OK;
        }
        char num[24];
        snprintf(num, sizeof num, "%lld", have + 1);
        v[1] = num;
        /* constant DDL of this file, several statements: the simple protocol */
        PGresult *d = PQexec(p->c, m->sql[have]);
        if (!d || PQresultStatus(d) != PGRES_COMMAND_OK) {
            rc = pg_fail(p, msg, d, "migrating");
            PQclear(d);
            goto fail;
        }
        PQclear(d);
        if ((rc = pg_q(p, msg, NULL, "INSERT INTO schema_version(module, version) "
                                     "VALUES($1, $2) ON CONFLICT(module) DO UPDATE SET "
                                     "version = EXCLUDED.version", 2, v, NULL)) ||
            (rc = pg_commit(p, msg)))
            goto fail;
        continue;
    fail:
        pg_rollback(p);
        return rc;
    }
}

static void quiet(void *arg, const char *message)
{
    (void)arg, (void)message;
}

static kc_err pgo_open(const char *where, void **impl, char *msg)
{
    pg *p = kc_calloc(1, sizeof *p);
    *impl = p;
    if (!p)
        return kc_fail(msg, KC_ENOMEM, "srvdb: out of memory");
    /* The password comes from PGPASSWORD or the password file (PGPASSFILE,
     * ~/.pgpass), which libpq reads itself: it never needs to be in the spec. */
    p->c = PQconnectdb(where);
    if (!p->c)
        return kc_fail(msg, KC_ENOMEM, "srvdb: out of memory");
    if (PQstatus(p->c) != CONNECTION_OK) {
        const char *m = PQerrorMessage(p->c);
        return kc_fail(msg, KC_EDB, "srvdb: connecting to PostgreSQL: %.*s",
                       (int)strcspn(m, "\n"), m);
    }
    /* notices ("already exists, skipping") are not the server log's business */
    PQsetNoticeProcessor(p->c, quiet, NULL);
    if (PQsetClientEncoding(p->c, "UTF8") != 0)
        return kc_fail(msg, KC_EDB, "srvdb: PostgreSQL: cannot use UTF8");
    /* PostgreSQL compiles a query it estimates costly (jit_above_cost): a results page
     * scanning a few hundred thousand rows in 70 ms spent 770 ms being compiled first.
     * The server's queries are short; none is worth compiling. */
    kc_err rj = pg_x(p, msg, "SET jit = off");
    if (rj)
        return rj;
    kc_err rc = pg_begin(p, msg);
    if (!rc && !(rc = pg_x(p, msg, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK ")")) &&
        !(rc = pg_x(p, msg, "CREATE TABLE IF NOT EXISTS schema_version(module text PRIMARY "
                            "KEY, version bigint NOT NULL)")))
        rc = pg_commit(p, msg);
    else if (p->in_tx)
        pg_rollback(p);
    const pg_module *mods[] = { &server_module, &pg_catalog_module, &pg_console_module,
                               &pg_admin_module, &pg_results_module,
                               &pg_areas_module };
    for (size_t i = 0; !rc && i < sizeof mods / sizeof mods[0]; i++)
        rc = migrate(p, msg, mods[i]);
    return rc;
}

static void pgo_close(void *impl)
{
    pg *p = impl;
    if (p->c)
        PQfinish(p->c);
    kc_free(p);
}

/* --- devices ------------------------------------------------------------------------ */

static kc_err pgo_device_add(void *impl, char *msg, const char *name,
                             const unsigned char *hash, long long now)
{
    pg *p = impl;
    char t[24];
    snprintf(t, sizeof t, "%lld", now);
    const char *v[3] = { name, (const char *)hash, t };
    const int lens[3] = { 0, SRVDB_HASH_LEN, 0 };
    PGresult *r;
    kc_err rc = pg_q(p, msg, &r, "INSERT INTO device(name, token_hash, created) "
                                 "VALUES($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id",
                     3, v, lens);
    if (rc)
        return rc;
    if (PQntuples(r) == 0)
        rc = kc_fail(msg, KC_EINVAL, "device \"%s\" exists already", name);
    PQclear(r);
    return rc;
}

static kc_err pgo_device_revoke(void *impl, char *msg, const char *name, long long now)
{
    pg *p = impl;
    char t[24];
    snprintf(t, sizeof t, "%lld", now);
    const char *v[2] = { t, name };
    PGresult *r;
    kc_err rc = pg_q(p, msg, &r, "UPDATE device SET revoked = coalesce(revoked, $1) "
                                 "WHERE name = $2 RETURNING id", 2, v, NULL);
    if (rc)
        return rc;
    if (PQntuples(r) == 0)
        rc = kc_fail(msg, KC_ENOTFOUND, "no device \"%.64s\"", name);
    PQclear(r);
    return rc;
}

#define DEVICE_COLS \
    "id, name, revoked, created, last_seen, version, catalog_rev, outbox_depth, last_error," \
    " set_aside, set_aside_reason"

static void read_device(const PGresult *r, int i, srvdb_device *d)
{
    memset(d, 0, sizeof *d);
    d->id = pg_ll(r, i, 0);
    snprintf(d->name, sizeof d->name, "%s", PQgetvalue(r, i, 1));
    d->revoked = !PQgetisnull(r, i, 2);
    d->created = pg_ll(r, i, 3);
    d->last_seen = pg_ll(r, i, 4);
    snprintf(d->version, sizeof d->version, "%s", PQgetvalue(r, i, 5));
    d->catalog_rev = pg_ll(r, i, 6);
    d->outbox_depth = pg_ll(r, i, 7);
    snprintf(d->last_error, sizeof d->last_error, "%s", PQgetvalue(r, i, 8));
    d->set_aside = pg_ll(r, i, 9);
    snprintf(d->set_aside_reason, sizeof d->set_aside_reason, "%s", PQgetvalue(r, i, 10));
}

static kc_err pgo_device_auth(void *impl, char *msg, const unsigned char *hash,
                              srvdb_device *dev)
{
    pg *p = impl;
    const char *v[1] = { (const char *)hash };
    const int lens[1] = { SRVDB_HASH_LEN };
    PGresult *r;
    kc_err rc = pg_q(p, msg, &r, "SELECT " DEVICE_COLS " FROM device WHERE token_hash = $1",
                     1, v, lens);
    if (rc)
        return rc;
    if (PQntuples(r) == 1)
        read_device(r, 0, dev);
    else
        rc = kc_fail(msg, KC_ENOTFOUND, "unknown device token");
    PQclear(r);
    return rc;
}

static kc_err pgo_devices_each(void *impl, char *msg, srvdb_device_fn fn, void *ctx)
{
    pg *p = impl;
    PGresult *r;
    kc_err rc = pg_q(p, msg, &r, "SELECT " DEVICE_COLS " FROM device ORDER BY name "
                                 "COLLATE \"C\"", 0, NULL, NULL);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        srvdb_device d;
        read_device(r, i, &d);
        rc = fn(ctx, &d);
    }
    PQclear(r);
    return rc;
}

static kc_err pgo_heartbeat(void *impl, char *msg, long long device, const proto_heartbeat *hb,
                            long long now)
{
    pg *p = impl;
    char t[24], rev[24], depth[24], aside[24], dev[24];
    snprintf(t, sizeof t, "%lld", now);
    snprintf(rev, sizeof rev, "%lld", (long long)hb->catalog_rev);
    snprintf(depth, sizeof depth, "%lld", (long long)hb->outbox_depth);
    snprintf(aside, sizeof aside, "%lld", (long long)hb->set_aside);
    snprintf(dev, sizeof dev, "%lld", device);
    const char *v[8] = { t, hb->version, rev, depth, hb->last_error[0] ? hb->last_error : NULL,
                         aside, hb->set_aside_reason[0] ? hb->set_aside_reason : NULL, dev };
    return pg_q(p, msg, NULL, "UPDATE device SET last_seen = $1, version = $2, "
                              "catalog_rev = $3, outbox_depth = $4, last_error = $5, "
                              "set_aside = $6, set_aside_reason = $7 WHERE id = $8",
                8, v, NULL);
}

/* --- responses and snapshots ---------------------------------------------------------- */

static kc_err pgo_responses_each(void *impl, char *msg, srvdb_response_fn fn, void *ctx)
{
    pg *p = impl;
    PGresult *r;
    kc_err rc = pg_q(p, msg, &r, "SELECT r.uuid, d.name, r.kind, r.payload FROM response r "
                                 "JOIN device d ON d.id = r.device ORDER BY r.uuid COLLATE "
                                 "\"C\"", 0, NULL, NULL);
    for (int i = 0; !rc && i < PQntuples(r); i++)
        rc = fn(ctx, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2),
                PQgetvalue(r, i, 3));
    PQclear(r);
    return rc;
}

static kc_err pgo_response_count(void *impl, char *msg, long long *n)
{
    pg *p = impl;
    PGresult *r;
    kc_err rc = pg_q(p, msg, &r, "SELECT count(*) FROM response", 0, NULL, NULL);
    if (!rc)
        *n = pg_ll(r, 0, 0);
    PQclear(r);
    return rc;
}

static kc_err pgo_read_begin(void *impl, char *msg)
{
    pg *p = impl;
    /* one snapshot for every statement until read_end, and no writes */
    kc_err rc = pg_x(p, msg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    p->in_tx = !rc;
    return rc;
}

static void pgo_read_end(void *impl)
{
    pg *p = impl;
    PQclear(PQexec(p->c, "COMMIT"));
    p->in_tx = 0;
}

/* --- documents ------------------------------------------------------------------------ */

static kc_err pgo_docs_head(void *impl, char *msg, const char *type, long long *rev)
{
    pg *p = impl;
    const char *v[1] = { type };
    PGresult *r;
    kc_err rc = pg_q(p, msg, &r, "SELECT coalesce(max(rev), 0) FROM doc WHERE type = $1", 1, v,
                     NULL);
    if (!rc)
        *rev = pg_ll(r, 0, 0);
    PQclear(r);
    return rc;
}

static kc_err pgo_docs_changes(void *impl, char *msg, const char *type, long long since,
                               long limit, size_t max_bytes, srvdb_doc_fn fn, void *ctx,
                               long long *last)
{
    pg *p = impl;
    char s[24], l[24];
    snprintf(s, sizeof s, "%lld", since);
    snprintf(l, sizeof l, "%ld", limit);
    const char *v[3] = { type, s, l };
    PGresult *r;
    kc_err rc = pg_q(p, msg, &r, "SELECT id, version, rev, deleted, body FROM doc WHERE "
                                 "type = $1 AND rev > $2 ORDER BY rev LIMIT $3", 3, v, NULL);
    size_t bytes = 0;
    for (int i = 0; !rc && i < PQntuples(r) && bytes < max_bytes; i++) {
        const char *body = pg_ll(r, i, 3) ? NULL : PQgetvalue(r, i, 4);
        long long rev = pg_ll(r, i, 2);
        if ((rc = fn(ctx, PQgetvalue(r, i, 0), pg_ll(r, i, 1), rev, body)))
            break;
        *last = rev;
        bytes += body ? strlen(body) : 0;
    }
    PQclear(r);
    return rc;
}

static kc_err pgo_doc_get(void *impl, char *msg, const char *type, const char *id,
                          long long version, char **body, long long *version_out)
{
    pg *p = impl;
    char ver[24];
    snprintf(ver, sizeof ver, "%lld", version);
    const char *v[3] = { type, id, ver };
    PGresult *r;
    kc_err rc = pg_q(p, msg, &r, version
                         ? "SELECT body, version FROM doc WHERE type = $1 AND id = $2 AND "
                           "version = $3 AND deleted = 0"
                         : "SELECT body, version FROM doc WHERE type = $1 AND id = $2 AND "
                           "deleted = 0 ORDER BY version DESC LIMIT 1",
                     version ? 3 : 2, v, NULL);
    if (rc)
        return rc;
    if (PQntuples(r) == 0)
        rc = kc_fail(msg, KC_ENOTFOUND, "no %s \"%.64s\" on the server", type, id);
    else if (!(*body = kc_strdup(PQgetvalue(r, 0, 0))))
        rc = kc_fail(msg, KC_ENOMEM, "srvdb: out of memory");
    else if (version_out)
        *version_out = pg_ll(r, 0, 1);
    PQclear(r);
    return rc;
}

static kc_err pgo_doc_put(void *impl, char *msg, const char *type, const char *id,
                          long long version, const char *body, int replace, int *changed)
{
    pg *p = impl;
    char ver[24], rv[24];
    long long rev = 0;
    PGresult *r = NULL;
    *changed = 0;
    snprintf(ver, sizeof ver, "%lld", version);
    const char *v[5] = { type, id, ver, body, rv };
    kc_err rc = pg_begin(p, msg);
    if (rc)
        return rc;
    /* The revision first: it makes document writers take turns, so what is read next
     * cannot change before this commits. */
    if ((rc = pg_next_rev(p, msg, "doc", &rev)) ||
        (rc = pg_q(p, msg, &r, "SELECT body, deleted FROM doc WHERE type = $1 AND id = $2 "
                               "AND version = $3", 3, v, NULL)))
        goto fail;
    int exists = PQntuples(r) == 1;
    if (exists && !pg_ll(r, 0, 1) && strcmp(PQgetvalue(r, 0, 0), body) == 0) {
        PQclear(r);
        pg_rollback(p);  /* unchanged: the revision is given back */
        return KC_OK;
    }
    PQclear(r);
    if (exists && !replace) {
        rc = kc_fail(msg, KC_EINVAL, "%s \"%.64s\" version %lld is already stored with "
                     "other content; give a new version", type, id, version);
        goto fail;
    }
    snprintf(rv, sizeof rv, "%lld", rev);
    if ((rc = pg_q(p, msg, NULL, exists
                                   ? "UPDATE doc SET rev = $5, deleted = 0, body = $4 "
                                     "WHERE type = $1 AND id = $2 AND version = $3"
                                   : "INSERT INTO doc(type, id, version, rev, body) "
                                     "VALUES($1, $2, $3, $5, $4)",
                   5, v, NULL)) ||
        (rc = pg_commit(p, msg)))
        goto fail;
    *changed = 1;
    return KC_OK;
fail:
    pg_rollback(p);
    return rc;
}

/* --- ballots -------------------------------------------------------------------------- */

static kc_err pgo_ballot_rows(void *impl, char *msg, const char *ballot, srvdb_vote_fn vote,
                              srvdb_use_fn use, void *ctx)
{
    pg *p = impl;
    const char *v[1] = { ballot };
    kc_err rc = KC_OK;
    for (int pass = 0; pass < 2 && !rc; pass++) {
        PGresult *r;
        if (pass == 0 ? !vote : !use)
            continue;
        if ((rc = pg_q(p, msg, &r, pass == 0
                                       ? "SELECT uuid, payload FROM (SELECT uuid, payload FROM "
                                         "ballot_in WHERE ballot = $1 UNION ALL SELECT uuid, "
                                         "payload FROM ballot_pool WHERE ballot = $1) b ORDER "
                                         "BY uuid COLLATE \"C\""
                                       : "SELECT c.uuid, c.hash, coalesce(d.name, '') FROM "
                                         "code_use c LEFT JOIN code_dup x ON x.uuid = c.uuid "
                                         "LEFT JOIN device d ON d.id = x.device WHERE "
                                         "c.ballot = $1 ORDER BY c.uuid COLLATE \"C\"",
                       1, v, NULL)))
            return rc;
        for (int i = 0; !rc && i < PQntuples(r); i++)
            rc = pass == 0 ? vote(ctx, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1))
                           : use(ctx, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
                                 PQgetvalue(r, i, 2));
        PQclear(r);
    }
    return rc;
}

static kc_err pgo_ballot_import(void *impl, char *msg, const char *id, const char *body,
                                const char *const *payloads, size_t n)
{
    pg *p = impl;
    char rv[24];
    long long rev;
    PGresult *r = NULL;
    kc_err rc = pg_begin(p, msg);
    if (rc)
        return rc;
    if ((rc = pg_next_rev(p, msg, "doc", &rev)))
        goto fail;
    snprintf(rv, sizeof rv, "%lld", rev);
    const char *v[3] = { id, body, rv };
    if ((rc = pg_q(p, msg, &r, "SELECT 1 FROM doc WHERE type = '" PROTO_DOC_BALLOT "' AND "
                               "id = $1", 1, v, NULL)))
        goto fail;
    int exists = PQntuples(r) > 0;
    PQclear(r);
    if (exists) {
        rc = kc_fail(msg, KC_EINVAL, "ballot \"%.64s\" exists on the server already; give "
                     "the import another id", id);
        goto fail;
    }
    if ((rc = pg_q(p, msg, NULL, "INSERT INTO doc(type, id, version, rev, body) VALUES('"
                                 PROTO_DOC_BALLOT "', $1, 1, $3, $2)", 3, v, NULL)))
        goto fail;
    for (size_t i = 0; i < n; i++) {
        char uuid[OUTBOX_UUID_LEN + 1];
        if (outbox_new_uuid(uuid)) {
            rc = kc_fail(msg, KC_ECRYPTO, "srvdb: no random numbers");
            goto fail;
        }
        const char *w[3] = { uuid, id, payloads[i] };
        if ((rc = pg_q(p, msg, NULL, "INSERT INTO ballot_in(uuid, ballot, payload) "
                                     "VALUES($1, $2, $3)", 3, w, NULL)))
            goto fail;
    }
    return pg_commit(p, msg);
fail:
    pg_rollback(p);
    return rc;
}

static kc_err pgo_paper_add(void *impl, char *msg, const char *ballot, const char *serial,
                            const char *payload)
{
    pg *p = impl;
    char uuid[OUTBOX_UUID_LEN + 1], key[OUTBOX_UUID_LEN + 1];
    if (outbox_new_uuid(uuid) || outbox_new_uuid(key))
        return kc_fail(msg, KC_ECRYPTO, "srvdb: no random numbers");
    const char *v[2] = { ballot, serial };
    PGresult *r = NULL;
    kc_err rc = pg_begin(p, msg);
    if (rc)
        return rc;
    if ((rc = pg_q(p, msg, &r, "INSERT INTO paper_serial(ballot, serial) VALUES($1, $2) "
                               "ON CONFLICT DO NOTHING RETURNING 1", 2, v, NULL)))
        goto fail;
    int fresh = PQntuples(r) == 1;
    PQclear(r);
    if (!fresh) {
        rc = kc_fail(msg, KC_EEXIST, "ballot \"%.64s\": paper ballot \"%.64s\" was entered "
                     "already; nothing stored", ballot, serial);
        goto fail;
    }
    /* Into the pool, not ballot_in: the row written with its serial would carry the
     * serial's transaction id (docs/voting.md).  Paper counts as source 0. */
    /* every parameter sent must be used, or PostgreSQL cannot type it */
    const char *w[4] = { key, uuid, ballot, payload };
    if ((rc = pg_q(p, msg, NULL, "INSERT INTO ballot_pool(k, uuid, ballot, payload) "
                                 "VALUES($1, $2, $3, $4)", 4, w, NULL)) ||
        (rc = pg_x(p, msg, "INSERT INTO pool_src(device) VALUES(0) ON CONFLICT DO NOTHING")))
        goto fail;
    return pg_commit(p, msg);
fail:
    pg_rollback(p);
    return rc;
}

/* --- sources -------------------------------------------------------------------------- */

/* A session lock, so PostgreSQL lets it go when the connection ends, however the
 * process that held it ended. */
static kc_err pgo_source_lock(void *impl, char *msg, const char *source, int *got)
{
    const char *v[1] = { source };
    PGresult *r;
    kc_err rc = pg_q(impl, msg, &r, "SELECT pg_try_advisory_lock(" SOURCE_LOCK ", hashtext($1))",
                     1, v, NULL);
    if (!rc)
        *got = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    return rc;
}

static kc_err pgo_state_get(void *impl, char *msg, const char *source, char **state)
{
    pg *p = impl;
    const char *v[1] = { source };
    PGresult *r;
    kc_err rc = pg_q(p, msg, &r, "SELECT state FROM source_state WHERE source = $1", 1, v,
                     NULL);
    if (!rc && PQntuples(r) == 1 && !(*state = kc_strdup(PQgetvalue(r, 0, 0))))
        rc = kc_fail(msg, KC_ENOMEM, "out of memory");
    PQclear(r);
    return rc;
}

static kc_err pgo_state_set(void *impl, char *msg, const char *source, const char *state)
{
    const char *v[2] = { source, state };
    return pg_q(impl, msg, NULL, "INSERT INTO source_state(source, state) VALUES($1, $2) "
                                 "ON CONFLICT(source) DO UPDATE SET state = EXCLUDED.state",
                2, v, NULL);
}

static kc_err pgo_run_add(void *impl, char *msg, srvdb_source_run *s)
{
    char num[10][24];
    long long n[10] = { s->started, s->finished, s->ok, s->not_modified, s->pages,
                        s->records, s->added, s->changed, s->removed, s->unchanged };
    for (int i = 0; i < 10; i++)
        snprintf(num[i], sizeof num[i], "%lld", n[i]);
    const char *v[14] = { s->source, s->origin, num[0], num[1], num[2], num[3], num[4],
                          num[5], num[6], num[7], num[8], num[9], s->error, s->notes };
    PGresult *r;
    kc_err rc = pg_q(impl, msg, &r, "INSERT INTO source_run(source, origin, started, finished, "
                                    "ok, not_modified, pages, records, added, changed, "
                                    "removed, unchanged, error, notes) VALUES($1, $2, $3, $4, "
                                    "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
                     14, v, NULL);
    if (!rc)
        s->id = pg_ll(r, 0, 0);
    PQclear(r);
    return rc;
}

static kc_err pgo_runs_each(void *impl, char *msg, const char *source, long limit,
                            srvdb_run_fn fn, void *ctx)
{
    char l[24];
    snprintf(l, sizeof l, "%ld", limit);
    const char *v[2] = { l, source };
    PGresult *r;
    kc_err rc = pg_q(impl, msg, &r, source
                         ? "SELECT id, source, origin, started, finished, ok, not_modified, "
                           "pages, records, added, changed, removed, unchanged, error, notes "
                           "FROM source_run WHERE source = $2 ORDER BY id DESC LIMIT $1"
                         : "SELECT id, source, origin, started, finished, ok, not_modified, "
                           "pages, records, added, changed, removed, unchanged, error, notes "
                           "FROM source_run ORDER BY id DESC LIMIT $1",
                     source ? 2 : 1, v, NULL);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        srvdb_source_run s;
        memset(&s, 0, sizeof s);
        s.id = pg_ll(r, i, 0);
        snprintf(s.source, sizeof s.source, "%s", PQgetvalue(r, i, 1));
        snprintf(s.origin, sizeof s.origin, "%s", PQgetvalue(r, i, 2));
        s.started = pg_ll(r, i, 3);
        s.finished = pg_ll(r, i, 4);
        s.ok = (int)pg_ll(r, i, 5);
        s.not_modified = (int)pg_ll(r, i, 6);
        s.pages = (long)pg_ll(r, i, 7);
        s.records = (long)pg_ll(r, i, 8);
        s.added = (long)pg_ll(r, i, 9);
        s.changed = (long)pg_ll(r, i, 10);
        s.removed = (long)pg_ll(r, i, 11);
        s.unchanged = (long)pg_ll(r, i, 12);
        snprintf(s.error, sizeof s.error, "%s", PQgetvalue(r, i, 13));
        snprintf(s.notes, sizeof s.notes, "%s", PQgetvalue(r, i, 14));
        rc = fn(ctx, &s);
    }
    PQclear(r);
    return rc;
}

const srvdb_backend srvdb_pg_backend = {
    "postgresql",
    pgo_open,
    pgo_close,
    pgo_device_add,
    pgo_device_revoke,
    pgo_device_auth,
    pgo_devices_each,
    pgo_heartbeat,
    pg_store_batch,
    pgo_responses_each,
    pgo_response_count,
    pgo_read_begin,
    pgo_read_end,
    pg_catalog_head,
    pg_catalog_changes,
    pg_areas_digest,
    pg_areas_each,
    pg_area_delete,
    pg_import,
    pgo_docs_head,
    pgo_docs_changes,
    pgo_doc_get,
    pgo_doc_put,
    pgo_ballot_rows,
    pgo_ballot_import,
    pgo_paper_add,
    pg_import_buf,
    pgo_state_get,
    pgo_state_set,
    pgo_run_add,
    pgo_runs_each,
    &srvdb_pg_admin,
    &srvdb_pg_results,
    &srvdb_pg_target,
    pgo_source_lock,
};
