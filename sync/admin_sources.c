/* admin_sources.c - the console's Sources page: each open-data source with its
 * settings from the server's sources file, its rules' keyword map, what a running
 * import has done so far, and the last runs of the run log; and "Run now", which
 * starts an import in the background (sync/srcrun.h) and answers at once. */
#include "admin_impl.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Runs of a source listed with it, newest first. */
#define ADM_SOURCE_RUNS 5

static kc_err run_row(void *ctx, const srvdb_source_run *r)
{
    json_t *o = json_pack("{s:I, s:s, s:I, s:I, s:b, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:s,"
                          " s:s}",
                          "id", (json_int_t)r->id, "origin", r->origin, "started",
                          (json_int_t)r->started, "finished", (json_int_t)r->finished, "ok",
                          r->ok, "not_modified", r->not_modified, "pages",
                          (json_int_t)r->pages, "records", (json_int_t)r->records, "added",
                          (json_int_t)r->added, "changed", (json_int_t)r->changed, "removed",
                          (json_int_t)r->removed, "unchanged", (json_int_t)r->unchanged,
                          "error", r->error, "notes", r->notes);
    return o && json_array_append_new(ctx, o) == 0 ? KC_OK : KC_ENOMEM;
}

/* The rules file's keyword map (YSO id -> theme), or why it could not be read. */
static json_t *keywords(const char *path, json_t **error)
{
    json_error_t err;
    json_t *rules = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    *error = NULL;
    if (!rules) {
        *error = json_sprintf("%s: line %d: %s", path, err.line, err.text);
        return json_object();
    }
    json_t *k = json_object_get(rules, "keywords");
    json_t *out = json_is_object(k) ? json_deep_copy(k) : json_object();
    json_decref(rules);
    return out;
}

static json_t *source_json(adm_ctx *x, srcrun *r, int k, kc_err *rc)
{
    srcrun_conf c;
    srcrun_state st;
    srcrun_conf_get(r, k, &c);
    srcrun_state_get(r, k, &st);
    const char *name = srcrun_name(r, k);
    json_t *runs = json_array();
    *rc = runs ? srvdb_source_runs_each(x->db, name, ADM_SOURCE_RUNS, run_row, runs)
               : KC_ENOMEM;
    if (*rc) {
        json_decref(runs);
        return NULL;
    }
    json_t *conf = json_null(), *kerr = NULL;
    if (c.configured) {
        json_t *kw = keywords(c.rules, &kerr);
        conf = json_pack("{s:s, s:s, s:i, s:s, s:I, s:i, s:I, s:o, s:o}", "url", c.url,
                         "publisher", c.publisher, "days", c.days, "rules", c.rules,
                         "timeout", (json_int_t)c.timeout_s, "retries", c.retries,
                         "deadline", (json_int_t)c.deadline_s, "keywords", kw ? kw : json_null(),
                         "rules_error", kerr ? kerr : json_null());
    }
    json_t *o = json_pack("{s:s, s:b, s:o, s:b, s:{s:I, s:I, s:I, s:s}, s:o}", "name", name,
                          "configured", c.configured, "config", conf ? conf : json_null(),
                          "running", st.running, "progress", "started",
                          (json_int_t)st.started, "pages", (json_int_t)st.pages, "records",
                          (json_int_t)st.records, "by", st.by, "runs", runs);
    if (!o)
        *rc = KC_ENOMEM;
    return o;
}

void adm_sources_list(adm_ctx *x)
{
    srcrun *r = adm_runs(x);
    json_t *arr = json_array();
    kc_err rc = arr ? KC_OK : KC_ENOMEM;
    for (int k = 0; r && !rc && k < srcrun_nkinds(); k++) {
        json_t *o = source_json(x, r, k, &rc);
        if (o && json_array_append_new(arr, o) != 0)
            rc = KC_ENOMEM;
    }
    if (rc) {
        json_decref(arr);
        adm_db_fail(x, rc);
        return;
    }
    adm_ok(x, MHD_HTTP_OK, json_pack("{s:o, s:I}", "sources", arr, "now",
                                     (json_int_t)time(NULL)));
}

void adm_source_run(adm_ctx *x)
{
    srcrun *r = adm_runs(x);
    int k = r ? srcrun_kind(r, x->arg) : -1;
    if (k < 0) {
        adm_fail(x, MHD_HTTP_NOT_FOUND, NULL, "no source \"%.64s\"", x->arg);
        return;
    }
    char msg[KC_MSGMAX];
    kc_err rc = srcrun_start(r, k, x->user.name, msg);
    if (rc == KC_EBUSY || rc == KC_ENOTFOUND) {
        /* Running already, or not in the sources file: nothing was started. */
        adm_fail(x, MHD_HTTP_CONFLICT, NULL, "%s", msg);
        return;
    }
    if (rc) {
        adm_fail(x, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "%s", msg);
        return;
    }
    if (adm_audit(x, "source.run", x->arg, "import started"))
        return;
    srcrun_state st;
    srcrun_state_get(r, k, &st);
    adm_ok(x, MHD_HTTP_ACCEPTED, json_pack("{s:s, s:b, s:I}", "name", x->arg, "running", 1,
                                           "started", (json_int_t)st.started));
}
