/* syncc_docs.c - the change check (GET /v1/changes), then surveys and ballots down:
 * one feed per document type (GET /v1/docs), every document of a page validated by
 * the core module that owns it before any is stored.
 *
 * The core's store functions (survey_store_put, ballot_store_put,
 * ballot_codes_import, ballot_code_mark_used) each run their own transaction and
 * cannot join a caller's, so a page is applied document by document, each whole or
 * not at all, and the feed's revision moves only after the last one.  A crash in
 * between re-applies the page, which those functions treat as "unchanged". */
#include "ballot.h"
#include "survey.h"
#include "syncc_impl.h"
#include "votecode.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ballots before their codes and code uses (both need the ballot stored). */
static const char *const feeds[] = { PROTO_DOC_BALLOT, PROTO_DOC_CODES, PROTO_DOC_USED,
                                     PROTO_DOC_SURVEY };

static void rev_key(const char *type, char key[64])
{
    snprintf(key, 64, "sync.docs.%s_rev", type);
}

static kc_err bad(char *msg, kc_err rc, const proto_doc *d, const char *type, const char *m)
{
    return kc_fail(msg, rc, "sync: bad %s document \"%s\": %.300s", type, d->id, m);
}

static kc_err apply_surveys(store *st, const proto_docs_page *pg, int *changed, char *msg)
{
    survey **v = pg->n ? kc_calloc(pg->n, sizeof *v) : NULL;
    char m[KC_MSGMAX];
    kc_err rc = KC_OK;
    if (pg->n && !v)
        return kc_fail(msg, KC_ENOMEM, "sync: out of memory");
    for (size_t i = 0; i < pg->n && !rc; i++) {
        const proto_doc *d = &pg->v[i];
        if (d->deleted)
            continue;  /* the survey module keeps every version; nothing to remove */
        if ((rc = survey_parse(d->body, strlen(d->body), "server survey", &v[i], m)))
            rc = bad(msg, rc, d, "survey", m);
        else if (strcmp(survey_id(v[i]), d->id) || survey_version(v[i]) != d->version ||
                 d->version < 1)
            rc = bad(msg, KC_EINVAL, d, "survey", "id or version differs from the feed's");
    }
    for (size_t i = 0; i < pg->n && !rc; i++) {
        survey_put_result res;
        if (!v[i])
            continue;
        if ((rc = survey_store_put(st, v[i], &res, m)))
            kc_fail(msg, rc, "sync: storing survey \"%s\": %.300s", pg->v[i].id, m);
        else if (res != SURVEY_PUT_UNCHANGED)
            *changed = 1;
    }
    for (size_t i = 0; i < pg->n; i++)
        survey_free(v ? v[i] : NULL);
    kc_free(v);
    return rc;
}

/* *fresh: a ballot new to this kiosk arrived (its code uses must be fetched anew). */
static kc_err apply_ballots(store *st, const proto_docs_page *pg, int *changed, int *fresh,
                            char *msg)
{
    ballot **v = pg->n ? kc_calloc(pg->n, sizeof *v) : NULL;
    char m[KC_MSGMAX];
    kc_err rc = KC_OK;
    if (pg->n && !v)
        return kc_fail(msg, KC_ENOMEM, "sync: out of memory");
    for (size_t i = 0; i < pg->n && !rc; i++) {
        const proto_doc *d = &pg->v[i];
        if (d->deleted)
            continue;  /* no ballot is removed from a kiosk: its votes refer to it */
        if ((rc = ballot_parse(d->body, strlen(d->body), "server ballot", &v[i], m)))
            rc = bad(msg, rc, d, "ballot", m);
        else if (strcmp(ballot_id(v[i]), d->id))
            rc = bad(msg, KC_EINVAL, d, "ballot", "id differs from the feed's");
    }
    /* Each version is its own document; the server's clock decided whether it could
     * change (docs/voting.md), so the kiosk keeps it as sent, beside the versions its
     * stored votes were cast under.  A server from before versions sends 0: version 1. */
    for (size_t i = 0; i < pg->n && !rc; i++) {
        ballot *old = NULL;
        int ch = 0;
        if (!v[i])
            continue;
        rc = ballot_store_get(st, ballot_id(v[i]), &old);
        ballot_free(old);
        if (rc == KC_ENOTFOUND)
            *fresh = 1;
        if ((rc && rc != KC_ENOTFOUND) ||
            (rc = ballot_store_put_version(st, v[i],
                                           pg->v[i].version > 0 ? (int)pg->v[i].version : 1,
                                           &ch)))
            kc_fail(msg, rc, "sync: storing ballot \"%s\": %.300s", pg->v[i].id,
                    store_errmsg(st));
        *changed |= ch;
    }
    for (size_t i = 0; i < pg->n; i++)
        ballot_free(v ? v[i] : NULL);
    kc_free(v);
    return rc;
}

static kc_err apply_codes(store *st, const proto_docs_page *pg, int *changed, char *msg)
{
    for (size_t i = 0; i < pg->n; i++) {
        const proto_doc *d = &pg->v[i];
        if (d->deleted)
            continue;
        /* The ballot module checks the file; the feed's id must name its ballot. */
        json_t *j = json_loads(d->body, 0, NULL);
        const char *b = json_string_value(json_object_get(j, "ballot"));
        int same = b && strcmp(b, d->id) == 0;
        json_decref(j);
        if (!same)
            return bad(msg, KC_EINVAL, d, "ballot-codes", "\"ballot\" differs from the id");
        long added = 0;
        kc_err rc = ballot_codes_import(st, d->body, strlen(d->body), "server codes", &added);
        if (rc)
            return bad(msg, rc, d, "ballot-codes", store_errmsg(st));
        *changed |= added > 0;
    }
    return KC_OK;
}

/* The code uses of one ballot in one transaction: a codes file with no new hashes
 * and these as used, when the kiosk has the ballot's salt; else one by one. */
static kc_err mark_used(store *st, const char *bid, json_t *hashes, char *msg)
{
    votecode_params p;
    ballot *b = NULL;
    kc_err rc = ballot_store_get(st, bid, &b);
    ballot_free(b);
    if (rc == KC_ENOTFOUND)
        return KC_OK;  /* fetched again if the ballot arrives (see apply_ballots) */
    if (!rc)
        rc = ballot_code_params(st, bid, &p);
    if (rc == KC_ENOTFOUND) {
        /* No codes here (no salt): each use is recorded on its own.  The "not found"
         * of the look-up is the answer, not a failure. */
        size_t i;
        json_t *h;
        rc = KC_OK;
        json_array_foreach(hashes, i, h) if (!rc) rc =
            ballot_code_mark_used(st, bid, json_string_value(h));
    } else if (!rc) {
        char salt[2 * VOTECODE_SALT_BYTES + 1];
        votecode_to_hex(p.salt, sizeof p.salt, salt);
        json_t *f = json_pack("{s:s, s:i, s:s, s:s, s:s, s:I, s:I, s:[], s:O}", "format",
                              "kiosk-ballot-codes", "version", 1, "ballot", bid, "kdf",
                              "argon2id13", "salt", salt, "opslimit", (json_int_t)p.opslimit,
                              "memlimit", (json_int_t)p.memlimit, "hashes", "used", hashes);
        char *text = f ? json_dumps(f, JSON_COMPACT) : NULL;
        json_decref(f);
        if (!text)
            return kc_fail(msg, KC_ENOMEM, "sync: out of memory");
        rc = ballot_codes_import(st, text, strlen(text), "server code uses", NULL);
        free(text);
    }
    if (rc)
        kc_fail(msg, rc, "sync: storing code uses of ballot \"%s\": %.300s", bid,
                store_errmsg(st));
    return rc;
}

static kc_err apply_used(store *st, const proto_docs_page *pg, int *changed, char *msg)
{
    json_t *by_ballot = json_object();  /* ballot id -> array of hashes */
    kc_err rc = by_ballot ? KC_OK : kc_fail(msg, KC_ENOMEM, "sync: out of memory");
    for (size_t i = 0; i < pg->n && !rc; i++) {
        const proto_doc *d = &pg->v[i];
        if (d->deleted)
            continue;
        json_t *j = json_loads(d->body, JSON_REJECT_DUPLICATES, NULL);
        const char *b = json_string_value(json_object_get(j, "ballot"));
        const char *h = json_string_value(json_object_get(j, "code"));
        if (!j || json_object_size(j) != 2 || !b || !proto_valid_id(b) || !h ||
            !votecode_valid_hash(h)) {
            rc = bad(msg, KC_EINVAL, d, "ballot-used", "needs exactly \"ballot\" and \"code\"");
        } else {
            json_t *arr = json_object_get(by_ballot, b);
            if (!arr && json_object_set_new(by_ballot, b, arr = json_array()))
                arr = NULL;
            if (!arr || json_array_append_new(arr, json_string(h)))
                rc = kc_fail(msg, KC_ENOMEM, "sync: out of memory");
        }
        json_decref(j);
    }
    const char *bid;
    json_t *hashes;
    json_object_foreach(by_ballot, bid, hashes) {
        if (rc || (rc = mark_used(st, bid, hashes, msg)))
            break;
        *changed = 1;
    }
    json_decref(by_ballot);
    return rc;
}

/* *fresh: a ballot new to this kiosk arrived, so the code uses feed was reset. */
static kc_err pull_feed(syncc *c, store *st, http *h, const char *type, long *pulled,
                        int *changed, int *fresh_out, char *msg)
{
    char key[64], what[64];
    rev_key(type, key);
    snprintf(what, sizeof what, "pulling %s documents", type);
    for (int pages = 0; pages < SYNCC_MAX_PAGES && !atomic_load(&c->stop); pages++) {
        long long since;
        kc_err rc = syncc_meta_ll_(st, key, &since);
        if (rc)
            return kc_fail(msg, rc, "sync: %s", store_errmsg(st));
        char path[200];
        snprintf(path, sizeof path, "%s?type=%s&since=%lld&limit=%d", PROTO_PATH_DOCS, type,
                 since, c->cfg.page);
        if ((rc = syncc_http_do_(h, what, path, NULL, 0, msg)))
            return rc;
        if (h->status == 204 || h->status == 404)  /* 404: a server without this feed */
            return KC_OK;
        if (h->status != 200)
            return syncc_http_fail_(h, what, msg);
        proto_docs_page pg;
        char m[KC_MSGMAX];
        if ((rc = proto_docs_read(h->body.p, h->body.len, since, &pg, m)))
            return kc_fail(msg, rc, "sync: %s: bad reply: %.300s", what, m);
        int ch = 0, fresh = 0;
        if (strcmp(type, PROTO_DOC_SURVEY) == 0)
            rc = apply_surveys(st, &pg, &ch, msg);
        else if (strcmp(type, PROTO_DOC_BALLOT) == 0)
            rc = apply_ballots(st, &pg, &ch, &fresh, msg);
        else if (strcmp(type, PROTO_DOC_CODES) == 0)
            rc = apply_codes(st, &pg, &ch, msg);
        else
            rc = apply_used(st, &pg, &ch, msg);
        char rev[32];
        snprintf(rev, sizeof rev, "%lld", pg.rev);
        if (!rc && (rc = store_meta_set(st, key, rev)))
            kc_fail(msg, rc, "sync: %s", store_errmsg(st));
        *fresh_out |= fresh;
        if (!rc && fresh) {
            /* Code uses skipped while the ballot was missing: fetch them again. */
            char used[64];
            rev_key(PROTO_DOC_USED, used);
            if ((rc = store_meta_set(st, used, "0")))
                kc_fail(msg, rc, "sync: %s", store_errmsg(st));
        }
        int more = pg.more;
        *pulled += (long)pg.n;
        *changed |= ch;
        proto_docs_free(&pg);
        if (rc)
            return rc;
        if (!more)
            return KC_OK;
    }
    return KC_OK;
}

kc_err syncc_docs_pull_(syncc *c, store *st, http *h, const proto_changes *ch, long *pulled,
                        int *changed, char *msg)
{
    *pulled = 0;
    *changed = 0;
    int fresh = 0;
    for (size_t i = 0; i < sizeof feeds / sizeof feeds[0] && !atomic_load(&c->stop); i++) {
        /* Code uses also when a new ballot reset their feed in this sync: the check
         * was made against the revision before the reset. */
        int used = strcmp(feeds[i], PROTO_DOC_USED) == 0;
        if (ch && !ch->changed[proto_feed_index(feeds[i])] && !(used && fresh))
            continue;
        kc_err rc = pull_feed(c, st, h, feeds[i], pulled, changed, &fresh, msg);
        if (rc)
            return rc;
    }
    return KC_OK;
}

kc_err syncc_changes_(syncc *c, store *st, http *h, proto_changes *ch, char *msg)
{
    proto_buf q = { 0 };
    char *digest = NULL;
    long long rev;
    kc_err rc = KC_OK;
    memset(ch, 0, sizeof *ch);
    (void)c;
    proto_buf_str(&q, PROTO_PATH_CHANGES);
    for (int i = 0; i < PROTO_NFEEDS && !rc; i++) {
        char key[64];
        if (i == PROTO_FEED_CAT)
            snprintf(key, sizeof key, "sync.catalog_rev");
        else
            rev_key(proto_feed_name(i), key);
        if (!(rc = syncc_meta_ll_(st, key, &rev)))
            proto_buf_printf(&q, "%c%s=%lld", i ? '&' : '?', proto_feed_name(i), rev);
    }
    if (!rc)
        rc = store_meta_get(st, "sync.areas_digest", &digest);
    if (rc) {
        proto_buf_free(&q);
        return kc_fail(msg, rc, "sync: %s", store_errmsg(st));
    }
    /* No digest yet (or a damaged one) asks for the areas with the catalog. */
    proto_buf_printf(&q, "&areas=%s", digest && proto_valid_digest(digest) ? digest : "");
    kc_free(digest);
    if (q.oom) {
        proto_buf_free(&q);
        return kc_fail(msg, KC_ENOMEM, "sync: out of memory");
    }
    rc = syncc_http_do_(h, "checking for changes", q.p, NULL, 0, msg);
    proto_buf_free(&q);
    if (rc)
        return rc;
    if (h->status == 204)
        return KC_OK;
    if (h->status == 404) {  /* a server without the check: ask every feed itself */
        for (int i = 0; i < PROTO_NFEEDS; i++)
            ch->changed[i] = 1;
        return KC_OK;
    }
    if (h->status != 200)
        return syncc_http_fail_(h, "checking for changes", msg);
    char m[KC_MSGMAX];
    if ((rc = proto_changes_read(h->body.p, h->body.len, ch, m)))
        return kc_fail(msg, rc, "sync: checking for changes: bad reply: %.300s", m);
    return KC_OK;
}
