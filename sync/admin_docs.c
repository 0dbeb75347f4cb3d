/* admin_docs.c - surveys, workshops, ballots and voter-code hashes in the console:
 * listed with their versions, and uploaded through the same imports as `kiosk-server
 * admin import-survey|import-ballot|import-codes` (validated by the core's parsers;
 * a ballot kiosks have voted on may change only in its texts, and the refusal says
 * so).  Every kiosk pulls what is stored on its next sync. */
#include "admin_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const result_names[] = { "added", "changed", "unchanged" };

/* "survey" | "ballot" | "codes" from ?type=; NULL after a 400. */
static const char *doc_type(adm_ctx *x, int codes_ok)
{
    const char *t = adm_query(x, "type");
    if (t && (strcmp(t, "survey") == 0 || strcmp(t, "ballot") == 0 ||
              (codes_ok && strcmp(t, "codes") == 0)))
        return t;
    adm_fail(x, MHD_HTTP_BAD_REQUEST, "type", codes_ok ? "\"type\" must be survey, ballot or codes"
                                                        : "\"type\" must be survey or ballot");
    return NULL;
}

static kc_err doc_row(void *ctx, const srvdb_doc_row *r)
{
    json_t *title = r->title[0] ? json_loads(r->title, JSON_DECODE_ANY, NULL) : json_null();
    json_t *j = title ? json_pack("{s:s, s:I, s:I, s:o}", "id", r->id, "version",
                                  (json_int_t)r->version, "rev", (json_int_t)r->rev, "title",
                                  title)
                      : NULL;
    return j && json_array_append_new(ctx, j) == 0 ? KC_OK : KC_ENOMEM;
}

void adm_docs_list(adm_ctx *x)
{
    const char *type = doc_type(x, 0);
    if (!type)
        return;
    json_t *arr = json_array();
    kc_err rc = arr ? srvdb_docs_list(x->db, type, doc_row, arr) : KC_ENOMEM;
    if (rc) {
        json_decref(arr);
        adm_db_fail(x, rc);
        return;
    }
    adm_ok(x, MHD_HTTP_OK, json_pack("{s:s, s:o}", "type", type, "docs", arr));
}

void adm_docs_import(adm_ctx *x)
{
    const char *type = doc_type(x, 1);
    if (!type)
        return;
    /* The imports read files (the core's loaders bound and check them); the upload
     * goes to a private temporary file for the call and is removed at once. */
    const char *tmp = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/kiosk-console-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    int ok = f && fwrite(x->raw, 1, x->raw_len, f) == x->raw_len;
    if (f)
        ok = fclose(f) == 0 && ok;
    else if (fd >= 0)
        close(fd);
    if (!ok) {
        if (fd >= 0)
            unlink(path);
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "cannot store the upload");
        return;
    }
    srvdb_import_info info;
    kc_err rc = type[0] == 's'   ? srvdb_import_survey(x->db, path, &info)
                : type[0] == 'b' ? srvdb_import_ballot(x->db, path, &info)
                                 : srvdb_import_codes(x->db, path, &info);
    unlink(path);
    if (rc) {
        /* The core's message names the file by its temporary path: say "upload". */
        char m[KC_MSGMAX];
        const char *e = srvdb_errmsg(x->db), *p = strstr(e, path);
        if (p)
            snprintf(m, sizeof m, "%.*supload%s", (int)(p - e), e, p + strlen(path));
        else
            snprintf(m, sizeof m, "%s", e);
        if (rc == KC_EINVAL || rc == KC_EJSON || rc == KC_ETOOBIG || rc == KC_ENOTFOUND)
            adm_fail(x, rc == KC_ETOOBIG ? MHD_HTTP_CONTENT_TOO_LARGE : MHD_HTTP_BAD_REQUEST,
                     NULL, "%s", m);
        else
            adm_db_fail(x, rc);
        return;
    }
    if (info.result != SRVDB_DOC_UNCHANGED &&
        adm_audit(x, "doc.import", info.id, "%s %s%s", type, result_names[info.result],
                  type[0] != 'c' ? ", new version" : ""))
        return;
    adm_ok(x, MHD_HTTP_OK,
           json_pack("{s:s, s:s, s:I, s:s, s:I, s:I}", "type", type, "id", info.id, "version",
                     (json_int_t)info.version, "result", result_names[info.result],
                     "codes_added", (json_int_t)info.codes_added, "codes_total",
                     (json_int_t)info.codes_total));
}
