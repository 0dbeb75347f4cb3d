/* Ballot definitions in the store: every version kept (votes name theirs), and the
 * freeze of rule, projects and costs from the start of voting (docs/voting.md). */
#include "ballot.h"
#include "store_sql.h"
#include "ballot_impl.h"

#include <stdio.h>
#include <string.h>

/* One stored body, parsed, with its version set. */
static kc_err get_body(store *st, sqlite3_stmt *s, const char *id, ballot **out)
{
    int r = sqlite3_step(s);
    kc_err rc = KC_OK;
    if (r == SQLITE_ROW) {
        char msg[KC_MSGMAX];
        const char *body = (const char *)sqlite3_column_text(s, 0);
        rc = ballot_parse(body, strlen(body), "stored ballot", out, msg);
        if (rc)
            rc = store_fail(st, rc, "%s", msg);
        else
            ballot_set_version(*out, sqlite3_column_int(s, 1));
    } else if (r == SQLITE_DONE)
        rc = store_fail(st, KC_ENOTFOUND, "ballot \"%.64s\": not stored here", id);
    else
        rc = store_fail_db(st, "ballot: reading a definition");
    sqlite3_finalize(s);
    return rc;
}

kc_err ballot_store_get(store *st, const char *id, ballot **out)
{
    *out = NULL;
    sqlite3_stmt *s = NULL;
    kc_err rc = ballot_prepare(st, "SELECT body, version FROM ballot_def WHERE id = ?", &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
    return get_body(st, s, id, out);
}

kc_err ballot_store_get_version(store *st, const char *id, int version, ballot **out)
{
    *out = NULL;
    sqlite3_stmt *s = NULL;
    kc_err rc = ballot_prepare(st, "SELECT body, version FROM ballot_def_v WHERE id = ? AND "
                                   "version = ?", &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 2, version);
    rc = get_body(st, s, id, out);
    if (rc == KC_ENOTFOUND)
        rc = store_fail(st, rc, "ballot \"%.64s\": version %d is not stored here", id, version);
    return rc;
}

kc_err ballot_check_change(const ballot *old, const ballot *next, const char *day, char *msg)
{
    if (ballot_same_structure(old, next) || ballot_period_cmp(old, day) < 0)
        return KC_OK;
    return kc_fail(msg, KC_EINVAL, BALLOT_FROZEN_MSG, ballot_id(next), ballot_opens(old));
}

/* Inside a transaction: the newest row and the version row for b. */
static kc_err write_version(store *st, const ballot *b, int version, int newest)
{
    sqlite3_stmt *s = NULL;
    kc_err rc;
    if (newest) {
        if ((rc = ballot_prepare(st, "INSERT INTO ballot_def(id, opens, closes, body, version) "
                                     "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(id) DO UPDATE SET "
                                     "opens = ?2, closes = ?3, body = ?4, version = ?5", &s)))
            return rc;
        sqlite3_bind_text(s, 1, ballot_id(b), -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, ballot_opens(b), -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, ballot_closes(b), -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, ballot_body(b), -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 5, version);
        int r = sqlite3_step(s);
        sqlite3_finalize(s);
        if (r != SQLITE_DONE)
            return store_fail_db(st, "ballot: storing a definition");
    }
    if ((rc = ballot_prepare(st, "INSERT INTO ballot_def_v(id, version, body) VALUES(?1, ?2, ?3)"
                                 " ON CONFLICT(id, version) DO UPDATE SET body = ?3", &s)))
        return rc;
    sqlite3_bind_text(s, 1, ballot_id(b), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, version);
    sqlite3_bind_text(s, 3, ballot_body(b), -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    sqlite3_finalize(s);
    return r == SQLITE_DONE ? KC_OK : store_fail_db(st, "ballot: storing a definition");
}

kc_err ballot_store_put(store *st, const ballot *b, int *changed)
{
    *changed = 0;
    ballot *old = NULL;
    kc_err rc = store_begin(st);
    if (rc)
        return rc;
    rc = ballot_store_get(st, ballot_id(b), &old);
    if (rc == KC_ENOTFOUND)
        rc = KC_OK;
    else if (rc)
        goto fail;
    if (old && strcmp(ballot_body(old), ballot_body(b)) == 0) {
        ballot_free(old);
        store_rollback(st);
        return KC_OK;
    }
    if (old && !ballot_same_structure(old, b)) {
        long used = 0, votes = 0;
        char today[11], msg[KC_MSGMAX];
        ballot_today(today);
        /* Frozen from the start of voting, not from the first vote that arrives: a
         * session may be open, and other kiosks may hold ballots not synced yet. */
        if ((rc = ballot_check_change(old, b, today, msg))) {
            rc = store_fail(st, rc, "%s", msg);
            goto fail;
        }
        if ((rc = ballot_query_long(st, "SELECT count(*) FROM ballot_code WHERE ballot_id = ?"
                                        " AND used = 1", &used, ballot_id(b), NULL)) ||
            (rc = ballot_query_long(st, "SELECT count(*) FROM ballot_vote WHERE ballot_id = ?",
                                    &votes, ballot_id(b), NULL)))
            goto fail;
        if (used || votes) {
            rc = store_fail(st, KC_EINVAL,
                            "ballot \"%s\": has %ld votes and %ld used codes; once voting has "
                            "started only texts may change (titles, descriptions, "
                            "eligibility, areas, images), not the rule, projects or costs",
                            ballot_id(b), votes, used);
            goto fail;
        }
    }
    int version = old ? ballot_version(old) : 0;
    if (version >= BALLOT_VERSION_MAX) {
        rc = store_fail(st, KC_ETOOBIG, "ballot \"%s\": no versions left", ballot_id(b));
        goto fail;
    }
    if ((rc = write_version(st, b, version + 1, 1)) || (rc = store_commit(st)))
        goto fail;
    ballot_free(old);
    *changed = 1;
    return KC_OK;
fail:
    ballot_free(old);
    store_rollback(st);
    return rc;
}

kc_err ballot_store_put_version(store *st, const ballot *b, int version, int *changed)
{
    *changed = 0;
    if (version < 1)
        return store_fail(st, KC_EUSAGE, "ballot \"%s\": versions start at 1", ballot_id(b));
    ballot *have = NULL, *newest = NULL;
    kc_err rc = store_begin(st);
    if (rc)
        return rc;
    rc = ballot_store_get_version(st, ballot_id(b), version, &have);
    if (rc == KC_OK && strcmp(ballot_body(have), ballot_body(b)) == 0) {
        ballot_free(have);
        store_rollback(st);
        return KC_OK;
    }
    if (rc && rc != KC_ENOTFOUND)
        goto fail;
    rc = ballot_store_get(st, ballot_id(b), &newest);
    if (rc && rc != KC_ENOTFOUND)
        goto fail;
    if ((rc = write_version(st, b, version, !newest || version >= ballot_version(newest))) ||
        (rc = store_commit(st)))
        goto fail;
    ballot_free(have);
    ballot_free(newest);
    *changed = 1;
    return KC_OK;
fail:
    ballot_free(have);
    ballot_free(newest);
    store_rollback(st);
    return rc;
}

kc_err ballot_store_ids(store *st, char ***ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    sqlite3_stmt *s = NULL;
    kc_err rc = ballot_prepare(st, "SELECT id FROM ballot_def ORDER BY id", &s);
    if (rc)
        return rc;
    char **v = NULL;
    size_t len = 0;
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        char **nv = kc_realloc(v, (len + 1) * sizeof *v);
        if (!nv || !(nv[len] = kc_strdup((const char *)sqlite3_column_text(s, 0)))) {
            if (nv)
                v = nv;
            rc = store_fail(st, KC_ENOMEM, "ballot: out of memory");
            goto out;
        }
        v = nv;
        len++;
    }
    if (r != SQLITE_DONE)
        rc = store_fail_db(st, "ballot: listing");
out:
    sqlite3_finalize(s);
    if (rc) {
        store_free_ids(v, len);
        return rc;
    }
    *ids = v;
    *n = len;
    return KC_OK;
}
