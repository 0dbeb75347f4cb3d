/* srvdb_pg_push.c - the PostgreSQL backend's pushes: a batch in one transaction, each
 * row stored once by UUID (INSERT ... ON CONFLICT DO NOTHING), answered exactly as on
 * SQLite, and the ballot pool mixed as on SQLite (docs/voting.md). */
#include "srvdb_pg_impl.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* The pool is written out when it holds at least this many ballots from two sources. */
#define POOL_MIN 20

/* Whether the UUID of row i is held already (in any table a push writes); sets
 * w->status to SRVDB_ROW_HELD (same content) or 409 when it is. */
static kc_err held(pg *p, char *msg, const proto_response *in, srvdb_row *w, int *found)
{
    static const char sql[] =
        "SELECT kind, payload, NULL, NULL FROM response WHERE uuid = $1 "
        "UNION ALL SELECT 'ballot', payload, NULL, NULL FROM ballot_in WHERE uuid = $1 "
        "UNION ALL SELECT 'ballot', payload, NULL, NULL FROM ballot_pool WHERE uuid = $1 "
        "UNION ALL SELECT 'ballot-code', NULL, ballot, hash FROM code_use WHERE uuid = $1";
    const char *v[1] = { in->uuid };
    PGresult *r;
    kc_err rc = pg_q(p, msg, &r, sql, 1, v, NULL);
    if (rc)
        return rc;
    *found = PQntuples(r) > 0;
    if (*found) {
        const char *kind = PQgetvalue(r, 0, 0);
        int same = strcmp(kind, in->kind) == 0;
        if (same && !PQgetisnull(r, 0, 2))  /* a code use keeps its ballot and hash */
            same = strcmp(PQgetvalue(r, 0, 2), w->ballot) == 0 &&
                   strcmp(PQgetvalue(r, 0, 3), w->hash) == 0;
        else if (same)
            same = strcmp(PQgetvalue(r, 0, 1), in->payload) == 0;
        w->status = same ? SRVDB_ROW_HELD : 409;
        if (!same)
            snprintf(w->reason, sizeof w->reason,
                     "this UUID is held already with other content");
    }
    PQclear(r);
    return KC_OK;
}

/* A code use: its row, its "ballot-used" document on a first use anywhere (under the
 * document feed's lock, taken before looking, so two pushes of one code cannot both
 * add it), and a second use's kiosk for the double-use report.  *stored 0 when the
 * UUID was stored meanwhile by another writer. */
static kc_err store_code(pg *p, char *msg, const char *const v[6], int *stored)
{
    PGresult *r;
    kc_err rc = pg_q(p, msg, &r, "INSERT INTO code_use(uuid, ballot, hash) VALUES($1, $2, $3) "
                                 "ON CONFLICT DO NOTHING RETURNING 1", 3, v, NULL);
    if (rc)
        return rc;
    *stored = PQntuples(r) == 1;
    PQclear(r);
    if (!*stored)
        return KC_OK;
    if ((rc = pg_x(p, msg, "SELECT rev FROM feed_rev WHERE feed = 'doc' FOR UPDATE")) ||
        (rc = pg_q(p, msg, &r, "SELECT 1 FROM doc WHERE type = '" PROTO_DOC_USED "' AND "
                               "id = $1 AND version = 0", 1, v + 3, NULL)))
        return rc;
    int have = PQntuples(r) > 0;
    PQclear(r);
    if (!have) {
        long long rev;
        char rv[24];
        if ((rc = pg_next_rev(p, msg, "doc", &rev)))
            return rc;
        snprintf(rv, sizeof rv, "%lld", rev);
        const char *d[3] = { v[3], v[4], rv };
        if ((rc = pg_q(p, msg, NULL, "INSERT INTO doc(type, id, version, rev, body) VALUES('"
                                     PROTO_DOC_USED "', $1, 0, $3, $2)", 3, d, NULL)))
            return rc;
    }
    /* every parameter sent must appear in the statement, so only these four */
    const char *u[4] = { v[0], v[1], v[2], v[5] };
    return pg_q(p, msg, NULL, "INSERT INTO code_dup(uuid, ballot, hash, device) SELECT $1::text, "
                              "$2::text, $3::text, $4::bigint WHERE (SELECT count(*) FROM "
                              "code_use WHERE ballot = $2 AND hash = $3) > 1 ON CONFLICT DO "
                              "NOTHING", 4, u, NULL);
}

/* After a push that stored ballots: when the pool holds POOL_MIN ballots from two
 * sources or more, move it into ballot_in in the order of its random keys (one
 * transaction, so every mixed row carries the same transaction id and the heap order
 * is the keys' order), then VACUUM the pool so its dead rows' space is reclaimed.
 * Best effort: the ballots are stored either way; a failure is retried next time. */
static void pool_mix(pg *p)
{
    char msg[KC_MSGMAX];
    PGresult *r = NULL;
    if (pg_begin(p, msg))
        return;
    /* one mixer at a time, and no pooling while it runs */
    if (pg_x(p, msg, "LOCK TABLE ballot_pool, pool_src IN SHARE ROW EXCLUSIVE MODE") ||
        pg_q(p, msg, &r, "SELECT (SELECT count(*) FROM ballot_pool), (SELECT count(*) FROM "
                         "pool_src)", 0, NULL, NULL)) {
        pg_rollback(p);
        return;
    }
    int go = pg_ll(r, 0, 0) >= POOL_MIN && pg_ll(r, 0, 1) >= 2;
    PQclear(r);
    if (!go || pg_x(p, msg, "INSERT INTO ballot_in(uuid, ballot, payload) SELECT uuid, "
                            "ballot, payload FROM ballot_pool ORDER BY k ON CONFLICT DO "
                            "NOTHING") ||
        pg_x(p, msg, "DELETE FROM ballot_pool") || pg_x(p, msg, "DELETE FROM pool_src")) {
        pg_rollback(p);
        return;
    }
    if (pg_commit(p, msg) == KC_OK)
        pg_x(p, msg, "VACUUM ballot_pool, pool_src");
}

kc_err pg_store_batch(void *impl, char *msg, long long device, const proto_batch *b,
                      srvdb_row *rows, long *stored)
{
    pg *p = impl;
    int ballots = 0;
    long n = 0;
    char dev[24];
    snprintf(dev, sizeof dev, "%lld", device);
    kc_err rc = pg_begin(p, msg);
    if (rc)
        return rc;
    for (size_t i = 0; i < b->n; i++) {
        srvdb_row *w = &rows[i];
        const proto_response *in = &b->v[i];
        int found = 0, ok = 0;
        if (!w->status && (rc = held(p, msg, in, w, &found)))
            goto fail;
        if (w->status)
            continue;  /* refused, a later copy, or held already */
        PGresult *r = NULL;
        if (w->kind == SRVDB_ROW_RESPONSE) {
            const char *v[4] = { in->uuid, dev, in->kind, in->payload };
            if ((rc = pg_q(p, msg, &r, "INSERT INTO response(uuid, device, kind, payload) "
                                       "VALUES($1, $2, $3, $4) ON CONFLICT DO NOTHING "
                                       "RETURNING 1", 4, v, NULL)))
                goto fail;
            ok = PQntuples(r) == 1;
            PQclear(r);
        } else if (w->kind == SRVDB_ROW_BALLOT) {
            char key[33];
            unsigned char kb[16];
            randombytes_buf(kb, sizeof kb);
            sodium_bin2hex(key, sizeof key, kb, sizeof kb);
            const char *v[5] = { key, in->uuid, w->ballot, in->payload, dev };
            if ((rc = pg_q(p, msg, &r, "INSERT INTO ballot_pool(k, uuid, ballot, payload) "
                                       "SELECT $1::text, $2::text, $3::text, $4::text WHERE NOT "
                                       "EXISTS (SELECT 1 FROM ballot_in WHERE uuid = $2) ON "
                                       "CONFLICT DO NOTHING "
                                       "RETURNING 1", 4, v, NULL)))
                goto fail;
            ok = PQntuples(r) == 1;
            PQclear(r);
            if (ok && (rc = pg_q(p, msg, NULL, "INSERT INTO pool_src(device) VALUES($1) ON "
                                               "CONFLICT DO NOTHING", 1, v + 4, NULL)))
                goto fail;
        } else {
            char body[200];
            snprintf(body, sizeof body, "{\"ballot\":\"%s\",\"code\":\"%s\"}", w->ballot,
                     w->hash);
            const char *v[6] = { in->uuid, w->ballot, w->hash, w->used_id, body, dev };
            if ((rc = store_code(p, msg, v, &ok)))
                goto fail;
        }
        if (ok) {
            n++;
            ballots |= w->kind != SRVDB_ROW_RESPONSE;
        } else {
            /* Another writer stored this UUID after the look-up (ON CONFLICT waited
             * for its commit): answer as for a row held already. */
            if ((rc = held(p, msg, in, w, &found)))
                goto fail;
            if (!found) {
                w->status = 409;
                snprintf(w->reason, sizeof w->reason,
                         "this UUID is held already with other content");
            }
        }
    }
    if ((rc = pg_commit(p, msg)))
        return rc;
    *stored = n;
    if (ballots)
        pool_mix(p);
    return KC_OK;
fail:
    pg_rollback(p);
    return rc;
}
