/* Ballot sessions: one voter's picks in memory, eligibility, and the cast. */
#include "ballot.h"
#include "store_sql.h"
#include "ballot_impl.h"
#include "outbox.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ballot_session {
    const ballot *b;
    char day[11];
    unsigned char picked[BALLOT_MAX_PROJECTS];
    int npicks;
    long long total;
    ballot_eligibility_kind elig;
    char hash[VOTECODE_HASH_HEX + 1];      /* of the entered code, "" when none */
    char sealed[VOTECODE_SEALED_B64 + 1];  /* the code's tag for the server, "" when none */
    unsigned char pad[BALLOT_RECEIPT_LEN];  /* masks the receipt stored with the code */
    char recorded[BALLOT_RECEIPT_TEXT + 1];  /* CODE_VOTED: the stored vote's receipt */
    int cast;
    char msg[KC_MSGMAX];
};

static void wipe(ballot_session *s)
{
    sodium_memzero(s->picked, sizeof s->picked);
    sodium_memzero(s->hash, sizeof s->hash);
    sodium_memzero(s->sealed, sizeof s->sealed);
    sodium_memzero(s->pad, sizeof s->pad);
    sodium_memzero(s->recorded, sizeof s->recorded);
    s->npicks = 0;
    s->total = 0;
    s->elig = BALLOT_ELIG_NONE;
    s->cast = 0;
    s->msg[0] = '\0';
}

kc_err ballot_session_new(const ballot *b, const char *day, ballot_session **out)
{
    *out = NULL;
    if (day && !cat_valid_date(day))
        return KC_EUSAGE;
    ballot_session *s = kc_calloc(1, sizeof *s);
    if (!s)
        return KC_ENOMEM;
    s->b = b;
    if (day)
        snprintf(s->day, sizeof s->day, "%s", day);
    else
        ballot_today(s->day);
    *out = s;
    return KC_OK;
}

void ballot_session_free(ballot_session *s)
{
    if (!s)
        return;
    wipe(s);
    kc_free(s);
}

void ballot_session_reset(ballot_session *s)
{
    wipe(s);
}

const char *ballot_session_errmsg(const ballot_session *s) { return s->msg; }
const ballot *ballot_session_ballot(const ballot_session *s) { return s->b; }

int ballot_session_picked(const ballot_session *s, size_t i)
{
    return i < ballot_nprojects(s->b) && s->picked[i];
}

static kc_err refuse(ballot_session *s, ballot_why *why, ballot_why w)
{
    if (why)
        *why = w;
    return kc_fail(s->msg, KC_EDENIED, "ballot \"%s\": %s", ballot_id(s->b), ballot_why_name(w));
}

ballot_why ballot_session_can_pick(const ballot_session *s, size_t i)
{
    if (s->cast)
        return BALLOT_WHY_CAST;
    if (i >= ballot_nprojects(s->b))
        return BALLOT_WHY_NO_PROJECT;
    if (s->picked[i])
        return BALLOT_WHY_NONE;
    if (s->npicks >= ballot_max_picks(s->b))
        return BALLOT_WHY_MAX_PICKS;
    if (ballot_get_rule(s->b) == BALLOT_KNAPSACK &&
        s->total + ballot_project_cost(s->b, i) > ballot_budget(s->b))
        return BALLOT_WHY_BUDGET;
    return BALLOT_WHY_NONE;
}

kc_err ballot_session_toggle(ballot_session *s, size_t i, ballot_why *why)
{
    if (why)
        *why = BALLOT_WHY_NONE;
    ballot_why w = ballot_session_can_pick(s, i);
    if (w != BALLOT_WHY_NONE)
        return refuse(s, why, w);
    long long cost = ballot_project_cost(s->b, i);
    if (s->picked[i]) {
        s->picked[i] = 0;
        s->npicks--;
        s->total -= cost;
    } else {
        s->picked[i] = 1;
        s->npicks++;
        s->total += cost;
    }
    return KC_OK;
}

static ballot_why check(const ballot_session *s)
{
    if (s->cast)
        return BALLOT_WHY_CAST;
    if (ballot_period_cmp(s->b, s->day) != 0)
        return BALLOT_WHY_CLOSED;
    if (s->npicks < ballot_min_picks(s->b))
        return BALLOT_WHY_MIN_PICKS;
    if (s->elig == BALLOT_ELIG_NONE)
        return BALLOT_WHY_NOT_ELIGIBLE;
    return BALLOT_WHY_NONE;
}

void ballot_session_progress(const ballot_session *s, ballot_progress *p)
{
    memset(p, 0, sizeof *p);
    p->picks = s->npicks;
    p->min_picks = ballot_min_picks(s->b);
    p->max_picks = ballot_max_picks(s->b);
    p->total = s->total;
    if (ballot_get_rule(s->b) == BALLOT_KNAPSACK) {
        p->budget = ballot_budget(s->b);
        p->remaining = p->budget - s->total;
    }
    p->why = check(s);
    p->eligibility = s->elig;
    p->cast = s->cast;
}

kc_err ballot_session_validate(const ballot_session *s, ballot_why *why)
{
    ballot_why w = check(s);
    if (why)
        *why = w;
    return w == BALLOT_WHY_NONE ? KC_OK : KC_EDENIED;
}

static kc_err take_store_msg(ballot_session *s, store *st, kc_err rc)
{
    return kc_fail(s->msg, rc, "%s", store_errmsg(st));
}

/* The receipt stored with a used code, unmasked into s->recorded; KC_ENOTFOUND when
 * the code carries none (used on another kiosk). */
static kc_err recorded_receipt(ballot_session *s, store *st, const char *hash)
{
    sqlite3_stmt *q = NULL;
    kc_err rc = ballot_prepare(st, "SELECT receipt_box FROM ballot_code WHERE ballot_id = ? "
                                   "AND hash = ? AND receipt_box IS NOT NULL", &q);
    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, ballot_id(s->b), -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, hash, -1, SQLITE_STATIC);
    unsigned char box[BALLOT_RECEIPT_LEN];
    size_t n = 0;
    rc = KC_ENOTFOUND;
    if (sqlite3_step(q) == SQLITE_ROW &&
        sodium_hex2bin(box, sizeof box, (const char *)sqlite3_column_text(q, 0),
                       2 * sizeof box, NULL, &n, NULL) == 0 && n == sizeof box) {
        char sym[BALLOT_RECEIPT_LEN];
        for (size_t i = 0; i < sizeof box; i++)
            sym[i] = (char)(box[i] ^ s->pad[i]);
        snprintf(s->recorded, sizeof s->recorded, "%.3s-%.3s", sym, sym + 3);
        rc = KC_OK;
    }
    sqlite3_finalize(q);
    return rc;
}

const char *ballot_session_recorded(const ballot_session *s) { return s->recorded; }

kc_err ballot_session_enter_code(ballot_session *s, store *st, const char *typed,
                                 ballot_why *why)
{
    char bare[VOTECODE_LEN + 1], hash[VOTECODE_HASH_HEX + 1];
    unsigned char tag[VOTECODE_TAG_BYTES];
    votecode_params p;
    kc_err rc;
    if (why)
        *why = BALLOT_WHY_NONE;
    if (s->cast)
        return refuse(s, why, BALLOT_WHY_CAST);
    if (ballot_period_cmp(s->b, s->day) != 0)
        return refuse(s, why, BALLOT_WHY_CLOSED);
    if (votecode_normalize(typed, bare, s->msg))
        return refuse(s, why, BALLOT_WHY_CODE_FORMAT);
    rc = ballot_code_params(st, ballot_id(s->b), &p);
    if (rc == KC_ENOTFOUND) {
        sodium_memzero(bare, sizeof bare);
        return refuse(s, why, BALLOT_WHY_CODE_UNKNOWN);
    }
    if (!rc)
        rc = votecode_derive(&p, bare, hash, tag);
    sodium_memzero(bare, sizeof bare);
    if (rc) {
        sodium_memzero(tag, sizeof tag);
        return rc == KC_ENOMEM ? kc_fail(s->msg, rc, "ballot: out of memory hashing the code")
                               : take_store_msg(s, st, rc);
    }
    /* 0: no such code, 1: unused, 2: used */
    long state = 0;
    if ((rc = ballot_query_long(st, "SELECT coalesce(max(used) + 1, 0) FROM ballot_code "
                                    "WHERE ballot_id = ? AND hash = ?",
                                &state, ballot_id(s->b), hash, NULL))) {
        sodium_memzero(tag, sizeof tag);
        return take_store_msg(s, st, rc);
    }
    /* the pad that masks this code's receipt: only the code gives it */
    crypto_generichash(s->pad, sizeof s->pad, (const unsigned char *)"kiosk receipt", 13, tag,
                       sizeof tag);
    if (state == 2 && recorded_receipt(s, st, hash) == KC_OK) {
        sodium_memzero(tag, sizeof tag);
        return refuse(s, why, BALLOT_WHY_CODE_VOTED);
    }
    if (state != 1) {
        sodium_memzero(tag, sizeof tag);
        return refuse(s, why, state ? BALLOT_WHY_CODE_USED : BALLOT_WHY_CODE_UNKNOWN);
    }
    s->sealed[0] = '\0';
    const unsigned char *key = ballot_tally_key(s->b);
    if (key && (rc = votecode_seal_tag(tag, key, s->sealed))) {
        sodium_memzero(tag, sizeof tag);
        return kc_fail(s->msg, rc, "ballot: sealing the double-use tag failed");
    }
    sodium_memzero(tag, sizeof tag);
    memcpy(s->hash, hash, sizeof hash);
    s->elig = BALLOT_ELIG_CODE;
    return KC_OK;
}

kc_err ballot_session_unlock_staff(ballot_session *s, ballot_why *why)
{
    if (why)
        *why = BALLOT_WHY_NONE;
    if (s->cast)
        return refuse(s, why, BALLOT_WHY_CAST);
    if (ballot_period_cmp(s->b, s->day) != 0)
        return refuse(s, why, BALLOT_WHY_CLOSED);
    sodium_memzero(s->hash, sizeof s->hash);
    sodium_memzero(s->sealed, sizeof s->sealed);
    s->elig = BALLOT_ELIG_STAFF;
    return KC_OK;
}

/* The picks in project order (never pick order) as a JSON array, and the two payloads. */
static kc_err build_payloads(const ballot_session *s, char **picks, char **vote, char **use)
{
    *picks = *vote = *use = NULL;
    json_t *arr = json_array(), *v = NULL, *u = NULL;
    kc_err rc = KC_ENOMEM;
    if (!arr)
        return rc;
    for (size_t i = 0; i < ballot_nprojects(s->b); i++)
        if (s->picked[i] &&
            json_array_append_new(arr, json_string(ballot_project_id(s->b, i))))
            goto out;
    int staff = s->elig == BALLOT_ELIG_STAFF;
    /* the version shown: counting judges the ballot by it (docs/voting.md) */
    v = json_pack("{s:s, s:i, s:O, s:s}", "ballot", ballot_id(s->b), "version",
                  ballot_version(s->b), "picks", arr, "eligibility", staff ? "staff" : "code");
    if (!v || (s->sealed[0] && json_object_set_new(v, "tag", json_string(s->sealed))))
        goto out;
    if (!staff && !(u = json_pack("{s:s, s:s}", "ballot", ballot_id(s->b), "code", s->hash)))
        goto out;
    char *a = json_dumps(arr, JSON_COMPACT), *b = json_dumps(v, JSON_COMPACT),
         *c = u ? json_dumps(u, JSON_COMPACT) : NULL;
    if (a && b && (c || !u)) {
        *picks = kc_strdup(a);
        *vote = kc_strdup(b);
        *use = c ? kc_strdup(c) : NULL;
        if (*picks && *vote && (*use || !c))
            rc = KC_OK;
    }
    free(a);
    free(b);
    free(c);
out:
    if (rc) {
        kc_free(*picks);
        kc_free(*vote);
        kc_free(*use);
        *picks = *vote = *use = NULL;
    }
    json_decref(arr);
    json_decref(v);
    json_decref(u);
    return rc;
}

/* Runs sql with ?1..?3 bound to a, b, c (when not NULL), ?4 to n and ?5 to m. */
static kc_err exec_bound(store *st, const char *sql, int *changes, const char *a, const char *b,
                         const char *c, int n, int m)
{
    sqlite3_stmt *s = NULL;
    kc_err rc = ballot_prepare(st, sql, &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, b, -1, SQLITE_STATIC);
    if (c)
        sqlite3_bind_text(s, 3, c, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 4, n);
    if (sqlite3_bind_parameter_count(s) >= 5)
        sqlite3_bind_int(s, 5, m);
    int r = sqlite3_step(s);
    sqlite3_finalize(s);
    if (r != SQLITE_DONE)
        return store_fail_db(st, "ballot: storing the vote");
    if (changes)
        *changes = sqlite3_changes(store_db(st));
    return KC_OK;
}

kc_err ballot_session_cast(ballot_session *s, store *st, char receipt[BALLOT_RECEIPT_TEXT + 1],
                           ballot_why *why)
{
    receipt[0] = '\0';
    ballot_why w = check(s);
    if (why)
        *why = BALLOT_WHY_NONE;
    if (w != BALLOT_WHY_NONE)
        return refuse(s, why, w);
    char *picks = NULL, *vote = NULL, *use = NULL;
    char uuid[OUTBOX_UUID_LEN + 1], use_uuid[OUTBOX_UUID_LEN + 1], rec[BALLOT_RECEIPT_TEXT + 1];
    const char *id = ballot_id(s->b);
    int code = s->elig == BALLOT_ELIG_CODE, changes = 0;
    kc_err rc = build_payloads(s, &picks, &vote, &use);
    if (rc)
        return kc_fail(s->msg, rc, "ballot: out of memory");
    if ((rc = store_begin(st)))
        goto out;
    if (code) {
        if ((rc = exec_bound(st, "UPDATE ballot_code SET used = 1 WHERE ballot_id = ?1 AND "
                                 "hash = ?2 AND used = 0", &changes, id, s->hash, NULL, 0, 0)))
            goto fail;
        if (changes != 1) {
            store_rollback(st);
            rc = refuse(s, why, BALLOT_WHY_CODE_USED);
            goto out;
        }
    }
    if ((rc = outbox_add(st, "ballot", vote, uuid)) ||
        (rc = exec_bound(st, "INSERT INTO ballot_vote(ballot_id, uuid, picks, staff, version) "
                             "VALUES(?1, ?2, ?3, ?4, ?5)", NULL, id, uuid, picks, !code,
                         ballot_version(s->b))))
        goto fail;
    /* 26^6 receipts per ballot: a clash is rare but possible, so draw again. */
    for (int tries = 0, stored = 0; !stored; tries++) {
        char sym[BALLOT_RECEIPT_LEN + 1];
        if (tries == 8) {
            rc = store_fail(st, KC_ECRYPTO, "ballot: no free receipt code after 8 tries");
            goto fail;
        }
        if ((rc = votecode_random_symbols(sym, BALLOT_RECEIPT_LEN))) {
            rc = store_fail(st, rc, "ballot: no random numbers");
            goto fail;
        }
        snprintf(rec, sizeof rec, "%.3s-%.3s", sym, sym + 3);
        if ((rc = exec_bound(st, "INSERT INTO ballot_receipt(ballot_id, receipt) VALUES(?1, ?2)"
                                 " ON CONFLICT DO NOTHING", &stored, id, rec, NULL, 0, 0)))
            goto fail;
    }
    if (code) {
        /* the receipt with the used code, masked: a crash between this commit and the
         * screen leaves the voter able to see it by typing the code again */
        unsigned char box[BALLOT_RECEIPT_LEN];
        char hex[2 * BALLOT_RECEIPT_LEN + 1];
        for (size_t i = 0; i < sizeof box; i++)
            box[i] = (unsigned char)(rec[i < 3 ? i : i + 1] ^ s->pad[i]);
        sodium_bin2hex(hex, sizeof hex, box, sizeof box);
        if ((rc = exec_bound(st, "UPDATE ballot_code SET receipt_box = ?3 WHERE ballot_id = ?1 "
                                 "AND hash = ?2", NULL, id, s->hash, hex, 0, 0)) ||
            (rc = outbox_add(st, "ballot-code", use, use_uuid)))
            goto fail;
    }
    /* Neither byte offsets nor the WAL may line ballots, receipts or code uses up with
     * the queue of voters (docs/privacy.md): the new rows and their neighbours are
     * rewritten in random order, and the commit cuts the WAL to zero (best effort: a
     * reader, the sync thread, may hold that back until the next cast). */
    if ((rc = store_anon_shuffle(st, "ballot_vote", "ballot_id", id, "uuid", uuid)) ||
        (rc = store_anon_shuffle(st, "ballot_receipt", "ballot_id", id, "receipt", rec)) ||
        (rc = outbox_anon_shuffle(st, uuid)) ||
        (code && (rc = outbox_anon_shuffle(st, use_uuid))) ||
        (rc = store_anon_commit(st, NULL)))
        goto fail;
    memcpy(receipt, rec, sizeof rec);
    sodium_memzero(s->hash, sizeof s->hash);
    sodium_memzero(s->sealed, sizeof s->sealed);
    sodium_memzero(s->pad, sizeof s->pad);
    s->cast = 1;
    goto out;
fail:
    store_rollback(st);
    take_store_msg(s, st, rc);
out:
    kc_free(picks);
    kc_free(vote);
    kc_free(use);
    return rc;
}
