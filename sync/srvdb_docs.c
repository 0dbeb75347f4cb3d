/* srvdb_docs.c - surveys, ballots and code hashes on the server: admin imports
 * validated by the core's own parsers, and the check of ballot rows that kiosks push.
 * Backend-independent: storage goes through the backend table. */
#include "srvdb_impl.h"
#include "ballot.h"
#include "survey.h"
#include "votecode.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A codes file of BALLOT_CODES_MAX hashes with its punctuation, as the core allows. */
#define CODES_FILE_MAX (16L * 1024 * 1024)

static kc_err doc_get(srvdb *db, const char *type, const char *id, char **body,
                      long long *version)
{
    *body = NULL;
    return db->be->doc_get(db->impl, db->msg, type, id, 0, body, version);
}

/* The survey's canonical body with "version" after "id", as kiosks receive it. */
static char *with_version(const char *body, long long version)
{
    json_t *in = json_loads(body, 0, NULL), *out = json_object();
    char *text = NULL, *r = NULL;
    const char *k;
    json_t *v;
    if (!in || !out)
        goto done;
    json_object_foreach(in, k, v) {
        if (json_object_set(out, k, v))
            goto done;
        if (strcmp(k, "id") == 0 &&
            json_object_set_new(out, "version", json_integer((json_int_t)version)))
            goto done;
    }
    if ((text = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER)))
        r = kc_strdup(text);
done:
    free(text);
    json_decref(in);
    json_decref(out);
    return r;
}

kc_err srvdb_import_survey(srvdb *db, const char *path, srvdb_import_info *info)
{
    memset(info, 0, sizeof *info);
    survey *sv = NULL, *old = NULL;
    char *newest = NULL, *body = NULL;
    long long have = 0;
    kc_err rc = survey_load_file(path, &sv, db->msg);
    if (rc)
        return rc;
    const char *id = survey_id(sv);
    snprintf(info->id, sizeof info->id, "%s", id);
    rc = doc_get(db, PROTO_DOC_SURVEY, id, &newest, &have);
    if (rc == KC_ENOTFOUND)
        rc = KC_OK;
    else if (rc)
        goto out;
    else if ((rc = survey_parse(newest, strlen(newest), "stored survey", &old, db->msg)))
        goto out;
    if (old && survey_get_mode(old) != survey_get_mode(sv)) {
        rc = kc_fail(db->msg, KC_EINVAL, "survey \"%s\": already stored as a %s; a new "
                     "version cannot change that", id,
                     survey_get_mode(old) == SURVEY_MODE_WORKSHOP ? "workshop" : "survey");
        goto out;
    }
    long long v = survey_version(sv);
    if (!v) {
        if (old && strcmp(survey_body(old), survey_body(sv)) == 0)
            v = have;
        else if (have >= 2147483647LL) {
            rc = kc_fail(db->msg, KC_ETOOBIG, "survey \"%s\": no versions left", id);
            goto out;
        } else
            v = have + 1;
    }
    if (!(body = with_version(survey_body(sv), v))) {
        rc = kc_fail(db->msg, KC_ENOMEM, "out of memory");
        goto out;
    }
    int changed = 0;
    if ((rc = db->be->doc_put(db->impl, db->msg, PROTO_DOC_SURVEY, id, v, body, 0, &changed)))
        goto out;
    info->version = v;
    info->result = !changed ? SRVDB_DOC_UNCHANGED : have ? SRVDB_DOC_CHANGED : SRVDB_DOC_ADDED;
out:
    kc_free(body);
    kc_free(newest);
    survey_free(old);
    survey_free(sv);
    return rc;
}

static kc_err count_vote(void *ctx, const char *uuid, const char *payload)
{
    (void)uuid, (void)payload;
    ((long *)ctx)[0]++;
    return KC_OK;
}

static kc_err count_use(void *ctx, const char *uuid, const char *hash, const char *device)
{
    (void)uuid, (void)hash, (void)device;
    ((long *)ctx)[1]++;
    return KC_OK;
}

kc_err srvdb_import_ballot(srvdb *db, const char *path, srvdb_import_info *info)
{
    memset(info, 0, sizeof *info);
    ballot *b = NULL, *old = NULL;
    char *stored = NULL;
    long long have = 0;
    kc_err rc = ballot_load_file(path, &b, db->msg);
    if (rc)
        return rc;
    snprintf(info->id, sizeof info->id, "%s", ballot_id(b));
    rc = doc_get(db, PROTO_DOC_BALLOT, ballot_id(b), &stored, &have);
    if (rc == KC_ENOTFOUND)
        rc = KC_OK;
    else if (rc || (rc = ballot_parse(stored, strlen(stored), "stored ballot", &old, db->msg)))
        goto out;
    if (old && strcmp(ballot_body(old), ballot_body(b)) == 0) {
        info->version = have;
        info->result = SRVDB_DOC_UNCHANGED;
        goto out;
    }
    /* The server's clock decides when voting has opened (docs/voting.md): kiosks may
     * hold ballots cast under the stored version, so rule, projects and costs stay. */
    char today[11];
    ballot_today(today);
    if (old && (rc = ballot_check_change(old, b, today, db->msg)))
        goto out;
    if (old && !ballot_same_structure(old, b)) {
        long n[2] = { 0, 0 };
        if ((rc = db->be->ballot_rows(db->impl, db->msg, ballot_id(b), count_vote, count_use,
                                      n)))
            goto out;
        if (n[0] || n[1]) {
            rc = kc_fail(db->msg, KC_EINVAL, "ballot \"%s\": kiosks have sent %ld ballots and "
                         "%ld code uses; once voting has started only texts may change "
                         "(titles, descriptions, eligibility, areas, images), not the rule, "
                         "projects or costs", ballot_id(b), n[0], n[1]);
            goto out;
        }
    }
    if (have >= BALLOT_VERSION_MAX) {
        rc = kc_fail(db->msg, KC_ETOOBIG, "ballot \"%s\": no versions left", ballot_id(b));
        goto out;
    }
    /* every version stays: ballots cast under it are judged by it */
    int changed = 0;
    if ((rc = db->be->doc_put(db->impl, db->msg, PROTO_DOC_BALLOT, ballot_id(b), have + 1,
                              ballot_body(b), 0, &changed)))
        goto out;
    info->version = have + 1;
    info->result = old ? SRVDB_DOC_CHANGED : SRVDB_DOC_ADDED;
out:
    kc_free(stored);
    ballot_free(old);
    ballot_free(b);
    return rc;
}

static kc_err read_file(const char *path, long max, char **buf, size_t *len, char *msg)
{
    *buf = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return kc_fail(msg, KC_EIO, "%s: cannot open", path);
    char *b = kc_malloc((size_t)max + 1);
    size_t n = b ? fread(b, 1, (size_t)max + 1, f) : 0;
    int err = ferror(f);
    fclose(f);
    if (!b)
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    if (err || n > (size_t)max) {
        kc_free(b);
        return kc_fail(msg, err ? KC_EIO : KC_ETOOBIG, "%s: %s", path,
                       err ? "cannot read" : "over 16 MiB");
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return KC_OK;
}

/* The codes file is checked and merged by the ballot module itself, in a scratch
 * store holding only this ballot and the codes the server has for it. */
static kc_err merge_codes(srvdb *db, const char *path, const char *text, size_t len,
                          const char *bid, store *tmp, char **out, srvdb_import_info *info)
{
    char *stored = NULL, *have = NULL, *exported = NULL, *dump = NULL;
    ballot *b = NULL;
    json_t *j = NULL;
    int changed = 0;
    kc_err rc = doc_get(db, PROTO_DOC_BALLOT, bid, &stored, NULL);
    if (rc == KC_ENOTFOUND) {
        rc = kc_fail(db->msg, KC_EINVAL, "%s: ballot \"%s\" is not on the server; "
                     "import-ballot it first", path, bid);
        goto out;
    }
    if (rc || (rc = ballot_parse(stored, strlen(stored), "stored ballot", &b, db->msg)))
        goto out;
    if ((rc = ballot_init(tmp)) || (rc = ballot_store_put(tmp, b, &changed)))
        goto tmpfail;
    rc = doc_get(db, PROTO_DOC_CODES, bid, &have, NULL);
    if (rc == KC_ENOTFOUND)
        rc = KC_OK;
    else if (rc)
        goto out;
    else if ((rc = ballot_codes_import(tmp, have, strlen(have), "stored codes", NULL)))
        goto tmpfail;
    ballot_counts before, after;
    if ((rc = ballot_get_counts(tmp, bid, &before)) ||
        (rc = ballot_codes_import(tmp, text, len, path, &info->codes_added)) ||
        (rc = ballot_get_counts(tmp, bid, &after)) ||
        (rc = ballot_codes_export(tmp, bid, &exported)))
        goto tmpfail;
    info->codes_total = after.codes;
    info->result = !have ? SRVDB_DOC_ADDED
                         : after.codes != before.codes || after.codes_used != before.codes_used
                               ? SRVDB_DOC_CHANGED
                               : SRVDB_DOC_UNCHANGED;
    j = json_loads(exported, 0, NULL);
    if (!j || !(dump = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER)) ||
        !(*out = kc_strdup(dump)))
        rc = kc_fail(db->msg, KC_ENOMEM, "out of memory");
    goto out;
tmpfail:
    snprintf(db->msg, KC_MSGMAX, "%s", store_errmsg(tmp));
out:
    free(dump);
    json_decref(j);
    kc_free(exported);
    kc_free(have);
    kc_free(stored);
    ballot_free(b);
    return rc;
}

kc_err srvdb_import_codes(srvdb *db, const char *path, srvdb_import_info *info)
{
    memset(info, 0, sizeof *info);
    char *text = NULL, *body = NULL, tmpl[4096];
    size_t len = 0;
    store *tmp = NULL;
    json_t *j = NULL;
    kc_err rc = read_file(path, CODES_FILE_MAX, &text, &len, db->msg);
    if (rc)
        return rc;
    json_error_t err;
    j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (!j) {
        rc = kc_fail(db->msg, KC_EJSON, "%s: line %d column %d: %s", path, err.line,
                     err.column, err.text);
        goto out;
    }
    json_t *bj = json_object_get(j, "ballot");
    if (!json_is_string(bj) || !proto_valid_id(json_string_value(bj))) {
        rc = kc_fail(db->msg, KC_EINVAL, "%s: \"ballot\" missing or not a ballot id", path);
        goto out;
    }
    snprintf(info->id, sizeof info->id, "%s", json_string_value(bj));
    const char *dir = getenv("TMPDIR");
    snprintf(tmpl, sizeof tmpl, "%s/kiosk-server-codes-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(tmpl);
    if (fd < 0) {
        rc = kc_fail(db->msg, KC_EIO, "cannot make a scratch file in %s", tmpl);
        goto out;
    }
    close(fd);
    rc = store_open(tmpl, &tmp);
    if (rc)
        snprintf(db->msg, KC_MSGMAX, "%s", store_errmsg(tmp));
    else
        rc = merge_codes(db, path, text, len, info->id, tmp, &body, info);
    store_close(tmp);
    char side[4200];
    for (int i = 0; i < 3; i++) {
        snprintf(side, sizeof side, "%s%s", tmpl, i == 0 ? "" : i == 1 ? "-wal" : "-shm");
        unlink(side);
    }
    int changed = 0;
    if (!rc && (rc = db->be->doc_put(db->impl, db->msg, PROTO_DOC_CODES, info->id, 0, body, 1,
                                     &changed)))
        goto out;
    if (!rc && !changed)
        info->result = SRVDB_DOC_UNCHANGED;
out:
    json_decref(j);
    kc_free(body);
    kc_free(text);
    return rc;
}

/* --- ballot rows pushed by kiosks ------------------------------------------------------- */

static int only(json_t *o, const char *const *keys)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        size_t i = 0;
        while (keys[i] && strcmp(keys[i], k))
            i++;
        if (!keys[i])
            return 0;
    }
    return 1;
}

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static kc_err check_row(const proto_response *r, srvdb_row *w, size_t i, char *msg)
{
    static const char *const bkeys[] = { "ballot", "version", "picks", "eligibility", "tag",
                                         NULL };
    static const char *const ckeys[] = { "ballot", "code", NULL };
    int is_ballot = strcmp(r->kind, "ballot") == 0;
    json_t *p = json_loads(r->payload, 0, NULL);
    const char *why = NULL;
    if (!p)
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    const char *bid = str(p, "ballot");
    if (!bid || !proto_valid_id(bid))
        why = "\"ballot\" missing or not an id";
    else if (!only(p, is_ballot ? bkeys : ckeys))
        why = "unknown field";
    else if (is_ballot) {
        json_t *picks = json_object_get(p, "picks"), *v;
        const char *el = str(p, "eligibility"), *tag = str(p, "tag");
        size_t k;
        if (!json_is_array(picks) || json_array_size(picks) > BALLOT_MAX_PROJECTS)
            why = "\"picks\" missing, not an array or too long";
        json_array_foreach(picks, k, v) if (!why && (!json_is_string(v) ||
                                                     !proto_valid_id(json_string_value(v))))
            why = "a pick is not a project id";
        if (!why && (!el || (strcmp(el, "code") && strcmp(el, "staff"))))
            why = "\"eligibility\" must be \"code\" or \"staff\"";
        if (!why && json_object_get(p, "tag") && (!tag || strlen(tag) != VOTECODE_SEALED_B64))
            why = "\"tag\" is not a sealed tag";
        json_t *ver = json_object_get(p, "version");
        if (!why && ver && (!json_is_integer(ver) || json_integer_value(ver) < 1 ||
                            json_integer_value(ver) > BALLOT_VERSION_MAX))
            why = "\"version\" is not a ballot version";
    } else {
        const char *code = str(p, "code");
        if (!code || !votecode_valid_hash(code))
            why = "\"code\" is not a code hash";
        else {
            unsigned char h[32];
            crypto_generichash_state st;
            crypto_generichash_init(&st, NULL, 0, sizeof h);
            crypto_generichash_update(&st, (const unsigned char *)bid, strlen(bid) + 1);
            crypto_generichash_update(&st, (const unsigned char *)code, strlen(code));
            crypto_generichash_final(&st, h, sizeof h);
            sodium_bin2hex(w->used_id, sizeof w->used_id, h, sizeof h);
            snprintf(w->hash, sizeof w->hash, "%s", code);
        }
    }
    if (!why) {
        snprintf(w->ballot, sizeof w->ballot, "%s", bid);
        w->kind = is_ballot ? SRVDB_ROW_BALLOT : SRVDB_ROW_CODE;
    }
    json_decref(p);
    if (why)
        return kc_fail(msg, KC_EINVAL, "responses[%zu]: %s payload: %s", i, r->kind, why);
    return KC_OK;
}

kc_err srvdb_rows_from_batch_(const proto_batch *b, srvdb_row **rows, char *msg)
{
    *rows = NULL;
    if (b->n == 0)
        return KC_OK;
    srvdb_row *v = kc_calloc(b->n, sizeof *v);
    if (!v)
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    for (size_t i = 0; i < b->n; i++) {
        const char *k = b->v[i].kind;
        if (b->v[i].invalid) {
            v[i].status = 400;
            snprintf(v[i].reason, sizeof v[i].reason, "%s", b->v[i].invalid);
            continue;
        }
        if (strcmp(k, "ballot") && strcmp(k, "ballot-code"))
            continue;  /* calloc: SRVDB_ROW_RESPONSE */
        char m[KC_MSGMAX];
        kc_err rc = check_row(&b->v[i], &v[i], i, m);
        if (rc == KC_EINVAL) {
            /* This row alone is refused; the rest of the batch is stored. */
            v[i].status = 400;
            snprintf(v[i].reason, sizeof v[i].reason, "%.*s", (int)PROTO_REASON_MAX, m);
        } else if (rc) {
            kc_free(v);
            return kc_fail(msg, rc, "%s", m);
        }
    }
    *rows = v;
    return KC_OK;
}
