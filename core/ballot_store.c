/* Ballot storage: code hashes, votes, receipts, scrubbing (definitions: ballot_def.c;
 * the schema and query helpers: ballot_db.c). */
#include "ballot.h"
#include "store_sql.h"
#include "safetext.h"
#include "ballot_impl.h"
#include "outbox.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest codes file: BALLOT_CODES_MAX hashes with room for JSON punctuation. */
#define CODES_FILE_MAX BALLOT_CODES_FILE_MAX

/* --- codes -------------------------------------------------------------------------------- */

kc_err ballot_code_params(store *st, const char *ballot_id, votecode_params *p)
{
    sqlite3_stmt *s = NULL;
    kc_err rc = ballot_prepare(st, "SELECT salt, opslimit, memlimit FROM ballot_codekey "
                                   "WHERE ballot_id = ?", &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, ballot_id, -1, SQLITE_TRANSIENT);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        p->opslimit = (unsigned long long)sqlite3_column_int64(s, 1);
        p->memlimit = (size_t)sqlite3_column_int64(s, 2);
        if (votecode_from_hex((const char *)sqlite3_column_text(s, 0), p->salt,
                              sizeof p->salt) ||
            !votecode_params_ok(p))
            rc = store_fail(st, KC_EINVAL, "ballot \"%.64s\": stored code salt is damaged",
                            ballot_id);
    } else if (r == SQLITE_DONE)
        rc = store_fail(st, KC_ENOTFOUND, "ballot \"%.64s\": no codes made", ballot_id);
    else
        rc = store_fail_db(st, "ballot: reading the code salt");
    sqlite3_finalize(s);
    return rc;
}

/* Inside a transaction: the stored params, or p stored as the ballot's params. */
static kc_err params_get_or_set(store *st, const char *ballot_id, votecode_params *p,
                                int must_match)
{
    votecode_params have;
    kc_err rc = ballot_code_params(st, ballot_id, &have);
    if (rc == KC_OK) {
        if (must_match && (memcmp(have.salt, p->salt, sizeof p->salt) ||
                           have.opslimit != p->opslimit || have.memlimit != p->memlimit))
            return store_fail(st, KC_EINVAL,
                              "ballot \"%.64s\": the codes were hashed with another salt or "
                              "cost than the codes stored here", ballot_id);
        *p = have;
        return KC_OK;
    }
    if (rc != KC_ENOTFOUND)
        return rc;
    char salt[2 * VOTECODE_SALT_BYTES + 1];
    votecode_to_hex(p->salt, sizeof p->salt, salt);
    sqlite3_stmt *s = NULL;
    if ((rc = ballot_prepare(st, "INSERT INTO ballot_codekey(ballot_id, salt, opslimit, "
                                 "memlimit) VALUES(?, ?, ?, ?)", &s)))
        return rc;
    sqlite3_bind_text(s, 1, ballot_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, salt, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)p->opslimit);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)p->memlimit);
    int r = sqlite3_step(s);
    sqlite3_finalize(s);
    return r == SQLITE_DONE ? KC_OK : store_fail_db(st, "ballot: storing the code salt");
}

/* Inserts a hash; *added is 1 when new.  A used flag only ever goes from 0 to 1. */
static kc_err put_hash(store *st, sqlite3_stmt *s, const char *ballot_id, const char *hash,
                       int used, int *added)
{
    sqlite3_reset(s);
    sqlite3_bind_text(s, 1, ballot_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 3, used);
    if (sqlite3_step(s) != SQLITE_DONE)
        return store_fail_db(st, "ballot: storing a code hash");
    *added = sqlite3_changes(store_db(st)) > 0;
    return KC_OK;
}

#define PUT_HASH_SQL                                                                         \
    "INSERT INTO ballot_code(ballot_id, hash, used) VALUES(?1, ?2, ?3) "                     \
    "ON CONFLICT(ballot_id, hash) DO UPDATE SET used = 1 WHERE ?3 = 1 AND used = 0"

kc_err ballot_codes_generate(store *st, const char *ballot_id, size_t n,
                             char (*codes)[VOTECODE_TEXT_LEN + 1])
{
    if (n == 0 || n > BALLOT_CODES_MAX)
        return store_fail(st, KC_EUSAGE, "ballot: make 1..%d codes at a time", BALLOT_CODES_MAX);
    ballot *b = NULL;
    char (*hashes)[VOTECODE_HASH_HEX + 1] = NULL;
    votecode_params p;
    kc_err rc = ballot_store_get(st, ballot_id, &b);
    if (rc)
        return rc;
    ballot_free(b);
    rc = ballot_code_params(st, ballot_id, &p);
    if (rc == KC_ENOTFOUND && (rc = votecode_params_new(&p)))
        return store_fail(st, rc, "ballot: no random numbers");
    if (rc)
        return rc;
    if (!(hashes = kc_malloc(n * sizeof *hashes)))
        return store_fail(st, KC_ENOMEM, "ballot: out of memory");
    /* Argon2id costs ~18 ms a code: hash before taking the write lock. */
    for (size_t i = 0; i < n; i++) {
        char bare[VOTECODE_LEN + 1], msg[KC_MSGMAX];
        if ((rc = votecode_generate(codes[i])) ||
            (rc = votecode_normalize(codes[i], bare, msg)) ||
            (rc = votecode_derive(&p, bare, hashes[i], NULL))) {
            sodium_memzero(bare, sizeof bare);
            rc = store_fail(st, rc, "ballot: making code %zu failed", i + 1);
            goto out;
        }
        sodium_memzero(bare, sizeof bare);
    }
    sqlite3_stmt *s = NULL;
    if ((rc = store_begin(st)))
        goto out;
    if ((rc = params_get_or_set(st, ballot_id, &p, 1)) ||
        (rc = ballot_prepare(st, PUT_HASH_SQL, &s)))
        goto fail;
    for (size_t i = 0; i < n; i++) {
        int added = 0;
        if ((rc = put_hash(st, s, ballot_id, hashes[i], 0, &added)))
            goto fail;
        if (!added) {
            /* 26^12 codes: a repeat means the random source is broken, not bad luck. */
            rc = store_fail(st, KC_ECRYPTO, "ballot: a new code was already stored");
            goto fail;
        }
    }
    sqlite3_finalize(s);
    s = NULL;
    if ((rc = store_commit(st)))
        goto fail;
    goto out;
fail:
    sqlite3_finalize(s);
    store_rollback(st);
out:
    kc_free(hashes);
    if (rc)
        sodium_memzero(codes, n * sizeof *codes);
    return rc;
}

kc_err ballot_code_mark_used(store *st, const char *ballot_id, const char *hash_hex)
{
    if (!votecode_valid_hash(hash_hex))
        return store_fail(st, KC_EINVAL, "ballot: a code hash is %d hex digits",
                          VOTECODE_HASH_HEX);
    sqlite3_stmt *s = NULL;
    kc_err rc = store_begin(st);
    if (rc)
        return rc;
    int added;
    if ((rc = ballot_prepare(st, PUT_HASH_SQL, &s)) ||
        (rc = put_hash(st, s, ballot_id, hash_hex, 1, &added))) {
        sqlite3_finalize(s);
        store_rollback(st);
        return rc;
    }
    sqlite3_finalize(s);
    if ((rc = store_commit(st)))
        store_rollback(st);
    return rc;
}

static kc_err add_hash_array(json_t *doc, const char *key, store *st, sqlite3_stmt *s)
{
    json_t *arr = json_array();
    if (!arr || json_object_set_new(doc, key, arr))
        return store_fail(st, KC_ENOMEM, "ballot: out of memory");
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW)
        if (json_array_append_new(arr, json_string((const char *)sqlite3_column_text(s, 0))))
            return store_fail(st, KC_ENOMEM, "ballot: out of memory");
    return r == SQLITE_DONE ? KC_OK : store_fail_db(st, "ballot: reading code hashes");
}

kc_err ballot_codes_export(store *st, const char *ballot_id, char **json)
{
    *json = NULL;
    votecode_params p;
    kc_err rc = ballot_code_params(st, ballot_id, &p);
    if (rc)
        return rc;
    char salt[2 * VOTECODE_SALT_BYTES + 1];
    votecode_to_hex(p.salt, sizeof p.salt, salt);
    json_t *doc = json_pack("{s:s, s:i, s:s, s:s, s:s, s:I, s:I}", "format",
                            "kiosk-ballot-codes", "version", 1, "ballot", ballot_id, "kdf",
                            "argon2id13", "salt", salt, "opslimit", (json_int_t)p.opslimit,
                            "memlimit", (json_int_t)p.memlimit);
    if (!doc)
        return store_fail(st, KC_ENOMEM, "ballot: out of memory");
    static const char *const q[2] = {
        "SELECT hash FROM ballot_code WHERE ballot_id = ? ORDER BY hash",
        "SELECT hash FROM ballot_code WHERE ballot_id = ? AND used = 1 ORDER BY hash",
    };
    static const char *const keys[2] = { "hashes", "used" };
    for (int i = 0; i < 2 && !rc; i++) {
        sqlite3_stmt *s = NULL;
        if ((rc = ballot_prepare(st, q[i], &s)))
            break;
        sqlite3_bind_text(s, 1, ballot_id, -1, SQLITE_TRANSIENT);
        rc = add_hash_array(doc, keys[i], st, s);
        sqlite3_finalize(s);
    }
    if (!rc) {
        char *text = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        if (!text || !(*json = kc_strdup(text)))
            rc = store_fail(st, KC_ENOMEM, "ballot: out of memory");
        free(text);
    }
    json_decref(doc);
    return rc;
}

static kc_err hash_list(store *st, json_t *doc, const char *key, const char *name, int required,
                        json_t **out)
{
    *out = json_object_get(doc, key);
    if (!*out)
        return required ? store_fail(st, KC_EINVAL, "%s: \"%s\" is required", name, key)
                        : KC_OK;
    if (!json_is_array(*out))
        return store_fail(st, KC_EINVAL, "%s: \"%s\" must be an array", name, key);
    if (json_array_size(*out) > BALLOT_CODES_MAX)
        return store_fail(st, KC_ETOOBIG, "%s: \"%s\" has %zu hashes, limit is %d", name, key,
                          json_array_size(*out), BALLOT_CODES_MAX);
    size_t i;
    json_t *h;
    json_array_foreach(*out, i, h) {
        if (!json_is_string(h) || !votecode_valid_hash(json_string_value(h)))
            return store_fail(st, KC_EINVAL, "%s: \"%s\" #%zu is not %d lower-case hex digits",
                              name, key, i + 1, VOTECODE_HASH_HEX);
    }
    return KC_OK;
}

#define CODES_COUNT_SQL "SELECT count(*) FROM ballot_code WHERE ballot_id = ?"

kc_err ballot_codes_import(store *st, const char *buf, size_t len, const char *name,
                           long *added)
{
    static const char *const keys[] = { "format", "version", "ballot", "kdf", "salt",
                                        "opslimit", "memlimit", "hashes", "used", NULL };
    if (added)
        *added = 0;
    if (len > CODES_FILE_MAX)
        return store_fail(st, KC_ETOOBIG, "%s: %zu bytes, limit is %d", name, len,
                          CODES_FILE_MAX);
    char lmsg[KC_MSGMAX];
    json_t *doc, *hashes, *used;
    kc_err rc = safetext_json_load(buf, len, name, &doc, lmsg);
    if (rc)
        return store_fail(st, rc, "%s", lmsg);
    sqlite3_stmt *s = NULL;
    const char *k, *fmt = json_string_value(json_object_get(doc, "format"));
    const char *bid = json_string_value(json_object_get(doc, "ballot"));
    const char *kdf = json_string_value(json_object_get(doc, "kdf"));
    const char *salt = json_string_value(json_object_get(doc, "salt"));
    json_t *v, *ops = json_object_get(doc, "opslimit"), *mem = json_object_get(doc, "memlimit");
    votecode_params p;
    if (!json_is_object(doc) || !fmt || strcmp(fmt, "kiosk-ballot-codes") != 0) {
        rc = store_fail(st, KC_EINVAL, "%s: \"format\" must be \"kiosk-ballot-codes\"", name);
        goto out;
    }
    json_object_foreach(doc, k, v) {
        int known = 0;
        for (size_t i = 0; keys[i] && !known; i++)
            known = strcmp(k, keys[i]) == 0;
        if (!known) {
            rc = store_fail(st, KC_EINVAL, "%s: unknown key \"%.40s\"", name, k);
            goto out;
        }
    }
    if (json_integer_value(json_object_get(doc, "version")) != 1 || !bid || !kdf ||
        strcmp(kdf, "argon2id13") != 0 || !salt || !json_is_integer(ops) ||
        !json_is_integer(mem) || votecode_from_hex(salt, p.salt, sizeof p.salt)) {
        rc = store_fail(st, KC_EINVAL, "%s: needs version 1, ballot, kdf \"argon2id13\", a "
                                       "%d-digit hex salt, opslimit and memlimit",
                        name, 2 * VOTECODE_SALT_BYTES);
        goto out;
    }
    p.opslimit = (unsigned long long)json_integer_value(ops);
    p.memlimit = (size_t)json_integer_value(mem);
    if (json_integer_value(ops) < 0 || json_integer_value(mem) < 0 || !votecode_params_ok(&p)) {
        rc = store_fail(st, KC_EINVAL, "%s: opslimit %d..%d and memlimit %u..%u only", name,
                        VOTECODE_OPS_MIN, VOTECODE_OPS_MAX, VOTECODE_MEM_MIN, VOTECODE_MEM_MAX);
        goto out;
    }
    if ((rc = hash_list(st, doc, "hashes", name, 1, &hashes)) ||
        (rc = hash_list(st, doc, "used", name, 0, &used)))
        goto out;
    ballot *b = NULL;
    if ((rc = ballot_store_get(st, bid, &b)))
        goto out;
    ballot_free(b);
    if ((rc = store_begin(st)))
        goto out;
    /* New hashes are counted as rows, not as inserts of the first list: a used hash
     * that the file does not list under "hashes" (a code used elsewhere) is new here
     * too, and the report must not hide it. */
    long before = 0, after = 0;
    if ((rc = params_get_or_set(st, bid, &p, 1)) || (rc = ballot_prepare(st, PUT_HASH_SQL, &s)) ||
        (rc = ballot_query_long(st, CODES_COUNT_SQL, &before, bid, (const char *)NULL)))
        goto fail;
    for (int pass = 0; pass < 2; pass++) {
        json_t *list = pass ? used : hashes, *h;
        size_t i;
        json_array_foreach(list, i, h) {
            int add = 0;
            if ((rc = put_hash(st, s, bid, json_string_value(h), pass, &add)))
                goto fail;
        }
    }
    sqlite3_finalize(s);
    s = NULL;
    if ((rc = ballot_query_long(st, CODES_COUNT_SQL, &after, bid, (const char *)NULL)))
        goto fail;
    if (added)
        *added = after - before;
    if ((rc = store_commit(st)))
        goto fail;
    goto out;
fail:
    sqlite3_finalize(s);
    store_rollback(st);
    if (added)
        *added = 0;
out:
    json_decref(doc);
    return rc;
}

/* --- votes, receipts, counts ------------------------------------------------------------------ */

kc_err ballot_get_counts(store *st, const char *id, ballot_counts *c)
{
    memset(c, 0, sizeof *c);
    kc_err rc;
    if ((rc = ballot_query_long(st, "SELECT count(*) FROM ballot_code WHERE ballot_id = ?",
                                &c->codes, id, NULL)) ||
        (rc = ballot_query_long(st, "SELECT count(*) FROM ballot_code WHERE ballot_id = ? "
                                    "AND used = 1", &c->codes_used, id, NULL)) ||
        (rc = ballot_query_long(st, "SELECT count(*) FROM ballot_vote WHERE ballot_id = ? "
                                    "AND staff = 0", &c->votes_code, id, NULL)) ||
        (rc = ballot_query_long(st, "SELECT count(*) FROM ballot_vote WHERE ballot_id = ? "
                                    "AND staff = 1", &c->votes_staff, id, NULL)) ||
        (rc = ballot_query_long(st, "SELECT count(*) FROM ballot_receipt WHERE ballot_id = ?",
                                &c->receipts, id, NULL)))
        return rc;
    return KC_OK;
}

kc_err ballot_receipt_known(store *st, const char *id, const char *receipt, int *found)
{
    char norm[BALLOT_RECEIPT_TEXT + 1];
    size_t n = 0;
    *found = 0;
    for (const char *p = receipt; *p && n < BALLOT_RECEIPT_LEN + 1; p++) {
        char c = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
        if (c == ' ' || c == '-')
            continue;
        norm[n++] = c;
    }
    if (n != BALLOT_RECEIPT_LEN)
        return KC_OK;
    memmove(norm + 4, norm + 3, 3);
    norm[3] = '-';
    norm[BALLOT_RECEIPT_TEXT] = '\0';
    long count = 0;
    kc_err rc = ballot_query_long(st, "SELECT count(*) FROM ballot_receipt WHERE ballot_id = ?"
                                      " AND receipt = ?", &count, id, norm, NULL);
    *found = count > 0;
    return rc;
}

kc_err ballot_votes_each(store *st, const char *id, ballot_vote_fn fn, void *ctx)
{
    sqlite3_stmt *s = NULL;
    kc_err rc = ballot_prepare(st, "SELECT picks, staff, version FROM ballot_vote WHERE "
                                   "ballot_id = ? ORDER BY uuid", &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
    const char *ids[BALLOT_MAX_PROJECTS];
    int r;
    while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *arr = json_loads((const char *)sqlite3_column_text(s, 0), 0, NULL);
        size_t n = json_array_size(arr), i;
        json_t *v;
        if (!arr || !json_is_array(arr) || n > BALLOT_MAX_PROJECTS) {
            json_decref(arr);
            rc = store_fail(st, KC_EINVAL, "ballot \"%.64s\": a stored vote is damaged", id);
            break;
        }
        json_array_foreach(arr, i, v) ids[i] = json_string_value(v) ? json_string_value(v) : "";
        rc = fn(ctx, ids, n, sqlite3_column_int(s, 1), sqlite3_column_int(s, 2));
        json_decref(arr);
    }
    if (!rc && r != SQLITE_DONE)
        rc = store_fail_db(st, "ballot: reading votes");
    sqlite3_finalize(s);
    return rc;
}

kc_err ballot_scrub(store *st)
{
    static const char *const steps[] = {
        "PRAGMA secure_delete = ON",
        "VACUUM",
        "PRAGMA wal_checkpoint(TRUNCATE)",
    };
    if (store_in_tx(st))
        return store_fail(st, KC_EUSAGE, "ballot: scrub inside a transaction");
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        sqlite3_stmt *s = NULL;
        kc_err rc = ballot_prepare(st, steps[i], &s);
        if (rc)
            return rc;
        int r;
        while ((r = sqlite3_step(s)) == SQLITE_ROW) {
            /* wal_checkpoint reports busy = 1 when a reader kept it from finishing */
            if (i == 2 && sqlite3_column_int(s, 0) != 0) {
                sqlite3_finalize(s);
                return store_fail(st, KC_EBUSY, "ballot: scrub: another connection is "
                                                "reading; try again when it is closed");
            }
        }
        sqlite3_finalize(s);
        if (r != SQLITE_DONE)
            return store_fail_db(st, "ballot: scrub");
    }
    return KC_OK;
}

struct ballot_release {
    char **ids;   /* released ballots */
    size_t n;
};

void ballot_release_free(ballot_release *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        kc_free(r->ids[i]);
    kc_free(r->ids);
    kc_free(r);
}

kc_err ballot_release_new(store *st, const char *day, ballot_release **out)
{
    char today[11];
    *out = NULL;
    if (!day) {
        ballot_today(today);
        day = today;
    }
    ballot_release *r = kc_calloc(1, sizeof *r);
    if (!r)
        return store_fail(st, KC_ENOMEM, "ballot: out of memory");
    /* Per ballot: ten waiting on another ballot must not carry a lone one along, or
     * the server could pair that ballot with its code (docs/voting.md). */
    sqlite3_stmt *s = NULL;
    kc_err rc = ballot_prepare(
        st,
        "SELECT p.b, p.n, (SELECT count(*) FROM ballot_def d WHERE d.id = p.b AND "
        "d.opens <= ?1 AND d.closes >= ?1) FROM (SELECT json_extract(payload, '$.ballot') AS "
        "b, sum(kind = 'ballot') AS n FROM outbox WHERE sent = 0 AND kind IN ('ballot', "
        "'ballot-code') AND json_valid(payload) GROUP BY b) p WHERE p.b IS NOT NULL",
        &s);
    if (rc) {
        kc_free(r);
        return rc;
    }
    sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        long pending = (long)sqlite3_column_int64(s, 1);
        int open = sqlite3_column_int(s, 2) > 0;
        if (open && pending < BALLOT_SYNC_BATCH_MIN)
            continue;
        char **ids = kc_realloc(r->ids, (r->n + 1) * sizeof *ids);
        if (!ids || !(ids[r->n] = kc_strdup((const char *)sqlite3_column_text(s, 0)))) {
            if (ids)
                r->ids = ids;
            rc = store_fail(st, KC_ENOMEM, "ballot: out of memory");
            break;
        }
        r->ids = ids;
        r->n++;
    }
    if (!rc && step != SQLITE_DONE)
        rc = store_fail_db(st, "ballot: pending ballots");
    sqlite3_finalize(s);
    if (rc) {
        ballot_release_free(r);
        return rc;
    }
    *out = r;
    return KC_OK;
}

int ballot_release_allows(const ballot_release *r, const char *kind, const char *payload)
{
    if (strcmp(kind, "ballot") != 0 && strcmp(kind, "ballot-code") != 0)
        return 1;
    json_t *j = json_loads(payload, 0, NULL);
    const char *id = json_string_value(json_object_get(j, "ballot"));
    int ok = 0;
    for (size_t i = 0; id && i < r->n && !ok; i++)
        ok = strcmp(r->ids[i], id) == 0;
    json_decref(j);
    return ok;
}

size_t ballot_release_count(const ballot_release *r) { return r->n; }
