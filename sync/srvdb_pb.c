/* srvdb_pb.c - a pabulib election into the server's ballot tables. */
#include "pbfile.h"
#include "srvdb_impl.h"

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
