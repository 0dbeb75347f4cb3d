/* admin_ballots.c - one ballot in the console: its newest version (for the paper
 * ballot form), and paper ballots entered by staff, exactly as `kiosk-server admin
 * ballot-paper` enters them (the same rule as a kiosk's ballot; a serial entered twice
 * is refused; stored as "paper", without the serial).  docs/admin-api.md. */
#include "admin_impl.h"
#include "ballot.h"

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
