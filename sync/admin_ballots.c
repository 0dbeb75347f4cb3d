/* admin_ballots.c - one ballot in the console: its newest version (for the paper
 * ballot form), its count with each project's reason, and paper ballots entered by
 * staff, exactly as `kiosk-server admin ballot-paper` enters them (the same rule as a
 * kiosk's ballot; a serial entered twice is refused; stored as "paper", without the
 * serial).  docs/admin-api.md. */
#include "admin_impl.h"
#include "ballot.h"
#include "srvtally.h"

#include <sodium.h>

#include <stdio.h>
#include <string.h>

void adm_ballot_get(adm_ctx *x)
{
    char *body = NULL;
    long long version = 0;
    if (!proto_valid_id(x->arg)) {
        adm_fail(x, MHD_HTTP_NOT_FOUND, NULL, "no such ballot");
        return;
    }
    kc_err rc = srvdb_doc_get(x->db, PROTO_DOC_BALLOT, x->arg, 0, &body, &version);
    if (rc) {
        adm_db_fail(x, rc);
        return;
    }
    json_t *j = json_loads(body, 0, NULL);
    kc_free(body);
    if (!j) {
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
        return;
    }
    adm_ok(x, MHD_HTTP_OK, json_pack("{s:s, s:I, s:o}", "id", x->arg, "version",
                                     (json_int_t)version, "ballot", j));
}

void adm_ballot_paper(adm_ctx *x)
{
    const char *serial = NULL, *picks[BALLOT_MAX_PROJECTS];
    if (!proto_valid_id(x->arg)) {
        adm_fail(x, MHD_HTTP_NOT_FOUND, NULL, "no such ballot");
        return;
    }
    if (adm_body_str(x, "serial", 64, 1, &serial))
        return;
    json_t *arr = json_object_get(x->body, "picks"), *v;
    size_t n = 0, i;
    if (!json_is_array(arr) || json_array_size(arr) > BALLOT_MAX_PROJECTS) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "picks",
                 "\"picks\" must be a list of at most %d project ids", BALLOT_MAX_PROJECTS);
        return;
    }
    json_array_foreach(arr, i, v) {
        if (!json_is_string(v) || !proto_valid_id(json_string_value(v))) {
            adm_fail(x, MHD_HTTP_BAD_REQUEST, "picks", "\"picks\" #%zu is not a project id",
                     i + 1);
            return;
        }
        picks[n++] = json_string_value(v);
    }
    kc_err rc = srvdb_paper_add(x->db, x->arg, serial, picks, n);
    if (rc == KC_EEXIST) {
        adm_fail(x, MHD_HTTP_CONFLICT, "serial",
                 "paper ballot \"%s\" was entered already for this ballot; nothing stored. "
                 "Check the serial on the paper: each paper is entered once", serial);
        return;
    }
    if (rc == KC_EINVAL) {
        const char *m = srvdb_errmsg(x->db);
        adm_fail(x, MHD_HTTP_BAD_REQUEST,
                 strncmp(m, "paper ballot serial", 19) == 0 ? "serial" : "picks", "%s", m);
        return;
    }
    if (rc) {
        adm_db_fail(x, rc);
        return;
    }
    /* who entered which paper, never its picks */
    if (adm_audit(x, "ballot.paper", x->arg, "paper ballot %s entered", serial))
        return;
    adm_ok(x, MHD_HTTP_CREATED, json_pack("{s:s, s:s}", "ballot", x->arg, "serial", serial));
}

/* POST /v1/admin/ballots/ID/tally {"lang"?, "key"?, "method"?}: the count with each
 * project's reason in words, as `admin ballot-tally` counts (double-use rule included).
 * The secret tally key, when given, opens the tags for this run only: it is never
 * stored, logged or sent back, and is wiped from memory after the run. */
void adm_ballot_tally(adm_ctx *x)
{
    const char *lang = NULL, *key = NULL, *method = NULL;
    unsigned char sk[VOTECODE_KEY_BYTES];
    char *out = NULL, *rep = NULL;
    size_t outlen = 0, replen = 0;
    FILE *fo = NULL, *fr = NULL;
    srvtally_opts o = { SRVTALLY_JSON, NULL, CAT_FI };
    srvtally_result res;
    char msg[KC_MSGMAX];
    if (!proto_valid_id(x->arg)) {
        adm_fail(x, MHD_HTTP_NOT_FOUND, NULL, "no such ballot");
        return;
    }
    if (adm_body_str(x, "lang", 2, 0, &lang) || adm_body_str(x, "key", 64, 0, &key) ||
        adm_body_str(x, "method", 40, 0, &method))
        goto done;
    o.method = method;
    if (lang) {
        int l = cat_lang_from_code(lang);
        if (l < 0) {
            adm_fail(x, MHD_HTTP_BAD_REQUEST, "lang", "\"lang\" must be fi, sv or en");
            goto done;
        }
        o.lang = (cat_lang)l;
    }
    if (key && votecode_from_hex(key, sk, sizeof sk) != KC_OK) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "key",
                 "\"key\" must be the ballot's secret tally key: 64 hex digits");
        goto done;
    }
    if (!(fo = open_memstream(&out, &outlen)) || !(fr = open_memstream(&rep, &replen))) {
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
        goto done;
    }
    kc_err rc = srvtally_run(x->db, x->arg, key ? sk : NULL, &o, fo, fr, &res, msg);
    int wrote = fclose(fo) == 0 && fclose(fr) == 0;
    fo = fr = NULL;
    if (rc == KC_ENOTFOUND) {
        adm_fail(x, MHD_HTTP_NOT_FOUND, NULL, "no such ballot");
    } else if (rc == KC_EDENIED) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "key", "this key is not the ballot's tally key");
    } else if (rc == KC_EINVAL) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, method ? "method" : NULL, "%s", msg);
    } else if (rc || !wrote) {
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "%s", rc ? msg : "out of memory");
    } else {
        json_t *j = json_loadb(out, outlen, 0, NULL);
        if (!j || json_object_set_new(j, "ballot", json_string(x->arg)) ||
            json_object_set_new(j, "double_use", json_stringn(rep, replen)) ||
            json_object_set_new(j, "key_used", json_boolean(key != NULL))) {
            json_decref(j);
            adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
        } else if (!adm_audit(x, "ballot.tally", x->arg, "counted%s",
                              key ? " with the tally key" : "")) {
            adm_ok(x, MHD_HTTP_OK, j);
        } else {
            json_decref(j);
        }
    }
done:
    if (fo)
        fclose(fo);
    if (fr)
        fclose(fr);
    free(out);
    free(rep);
    sodium_memzero(sk, sizeof sk);
    if (key)  /* the parsed body's copy; the raw body is wiped when it is freed */
        sodium_memzero((char *)key, strlen(key));
}
