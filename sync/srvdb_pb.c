/* srvdb_pb.c - ballots that do not come from kiosks: a pabulib election, paper ballots. */
#include "pbfile.h"
#include "srvdb_impl.h"
#include "tally.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

kc_err srvdb_import_pb(srvdb *db, const char *path, const char *id, srvdb_import_info *info,
                       long *votes, long *skipped)
{
    memset(info, 0, sizeof *info);
    *votes = *skipped = 0;
    pbfile *p = NULL;
    char **payloads = NULL;
    size_t n = 0;
    kc_err rc = pbfile_load(path, id, &p, db->msg);
    if (rc)
        return rc;
    const ballot *b = pbfile_ballot(p);
    n = pbfile_nvotes(p);
    if (!(payloads = kc_calloc(n ? n : 1, sizeof *payloads))) {
        rc = kc_fail(db->msg, KC_ENOMEM, "%s: out of memory", path);
        goto out;
    }
    /* the payload a kiosk sends for a ballot (docs/ballot-format.md), paper marked */
    for (size_t i = 0; i < n; i++) {
        const unsigned char *idx;
        int paper;
        size_t k = pbfile_vote(p, i, &idx, &paper);
        json_t *picks = json_array(), *o = NULL;
        for (size_t j = 0; picks && j < k; j++)
            if (json_array_append_new(picks, json_string(ballot_project_id(b, idx[j]))))
                break;
        o = picks ? json_pack("{s:s, s:o, s:s}", "ballot", ballot_id(b), "picks", picks,
                              "eligibility", paper ? "paper" : "code")
                  : NULL;
        char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        if (text)
            payloads[i] = kc_strdup(text);
        free(text);
        if (!payloads[i]) {
            rc = kc_fail(db->msg, KC_ENOMEM, "%s: out of memory", path);
            goto out;
        }
    }
    if ((rc = db->be->ballot_import(db->impl, db->msg, ballot_id(b), ballot_body(b),
                                    (const char *const *)payloads, n)))
        goto out;
    snprintf(info->id, sizeof info->id, "%s", ballot_id(b));
    info->result = SRVDB_DOC_ADDED;
    *votes = (long)n;
    *skipped = pbfile_skipped(p);
out:
    for (size_t i = 0; payloads && i < n; i++)
        kc_free(payloads[i]);
    kc_free(payloads);
    pbfile_free(p);
    return rc;
}

kc_err srvdb_paper_add(srvdb *db, const char *ballot_id, const char *serial,
                       const char *const *picks, size_t n)
{
    char *body = NULL;
    ballot *b = NULL;
    tally *t = NULL;
    json_t *o = NULL, *arr = NULL;
    char *text = NULL;
    size_t len = strlen(serial);
    int ok = len > 0 && len <= 64;
    for (size_t i = 0; ok && i < len; i++) {
        char c = serial[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '.' || c == '_' || c == '-';
    }
    if (!ok)
        return kc_fail(db->msg, KC_EINVAL, "paper ballot serial \"%.64s\": 1-64 of A-Z a-z "
                       "0-9 . _ -", serial);
    long long version = 0;
    kc_err rc = srvdb_doc_get(db, PROTO_DOC_BALLOT, ballot_id, 0, &body, &version);
    if (rc)
        return rc;
    if ((rc = ballot_parse(body, strlen(body), "stored ballot", &b, db->msg)))
        goto out;
    /* the same rules as the kiosk's ballot: the tally refuses what a kiosk would */
    if ((rc = tally_new(b, &t))) {
        kc_fail(db->msg, rc, "out of memory");
        goto out;
    }
    if ((rc = tally_add(t, picks, n, TALLY_PAPER))) {
        if (rc == KC_EINVAL)
            kc_fail(db->msg, rc, "ballot \"%s\": paper ballot \"%s\" breaks the rule (%d..%d "
                    "picks%s, known project ids, none twice); nothing stored", ballot_id,
                    serial, ballot_min_picks(b), ballot_max_picks(b),
                    ballot_get_rule(b) == BALLOT_KNAPSACK ? ", within the budget" : "");
        else
            kc_fail(db->msg, rc, "out of memory");
        goto out;
    }
    const unsigned char *idx;
    size_t k = tally_ballot_picks(t, 0, &idx, NULL);
    rc = KC_ENOMEM;
    if (!(arr = json_array()))
        goto oom;
    for (size_t i = 0; i < k; i++)
        if (json_array_append_new(arr, json_string(ballot_project_id(b, idx[i]))))
            goto oom;
    /* the version the paper was checked against, like a kiosk's ballot */
    if (!(o = json_pack("{s:s, s:I, s:O, s:s}", "ballot", ballot_id, "version",
                        (json_int_t)version, "picks", arr, "eligibility", "paper")) ||
        !(text = json_dumps(o, JSON_COMPACT)))
        goto oom;
    rc = db->be->paper_add(db->impl, db->msg, ballot_id, serial, text);
    goto out;
oom:
    kc_fail(db->msg, rc, "out of memory");
out:
    free(text);
    json_decref(o);
    json_decref(arr);
    tally_free(t);
    ballot_free(b);
    kc_free(body);
    return rc;
}
