/* srvdb_results_survey.c - the console's survey results calls: argument checks, then
 * the backend. */
#include "srvdb_results.h"
#include "srvdb_results_survey.h"
#include "srvdb_impl.h"

#include <string.h>

#define BE(db) ((db)->be->results->survey)

/* A backend without survey results (PostgreSQL, for now) refuses every call. */
static kc_err no_backend(srvdb *db)
{
    return kc_fail(db->msg, KC_EUSAGE, "survey results are not available on this database yet");
}

static int filter_ok(srvdb *db, const srvdb_sv_filter *f)
{
    if (!f->survey || !*f->survey) {
        kc_fail(db->msg, KC_EUSAGE, "srvdb: no survey");
        return 0;
    }
    return 1;
}

kc_err srvdb_sv_versions(srvdb *db, const char *survey, int bodies, srvdb_sv_version_fn fn,
                         void *ctx)
{
    return !BE(db) ? no_backend(db) : BE(db)->versions(db->impl, db->msg, survey, bodies, fn, ctx);
}

kc_err srvdb_sv_days(srvdb *db, const srvdb_sv_filter *f, srvdb_sv_day_fn fn, void *ctx)
{
    if (!filter_ok(db, f))
        return KC_EUSAGE;
    return !BE(db) ? no_backend(db) : BE(db)->days(db->impl, db->msg, f, fn, ctx);
}

kc_err srvdb_sv_counts(srvdb *db, const srvdb_sv_filter *f, srvdb_sv_count_fn fn, void *ctx)
{
    if (!filter_ok(db, f))
        return KC_EUSAGE;
    return !BE(db) ? no_backend(db) : BE(db)->counts(db->impl, db->msg, f, fn, ctx);
}

kc_err srvdb_sv_texts(srvdb *db, const srvdb_sv_filter *f, const char *qid,
                      long long before_hour, const char *before_uuid, int before_entry,
                      long limit, srvdb_sv_text_fn fn, void *ctx)
{
    if (!filter_ok(db, f))
        return KC_EUSAGE;
    if (limit < 1 || limit > 1000)
        return kc_fail(db->msg, KC_EUSAGE, "srvdb: text limit 1-1000");
    return !BE(db) ? no_backend(db) : BE(db)->texts(db->impl, db->msg, f, qid, before_hour, before_uuid, before_entry,
                         limit, fn, ctx);
}

kc_err srvdb_sv_text_device(srvdb *db, const char *survey, const char *uuid,
                            const char *qid, long long *device)
{
    *device = 0;
    return !BE(db) ? no_backend(db) : BE(db)->text_device(db->impl, db->msg, survey, uuid, qid, device);
}

kc_err srvdb_sv_text_hide(srvdb *db, const char *survey, const char *uuid, const char *qid,
                          const char *by, long long now, int *changed)
{
    *changed = 0;
    return !BE(db) ? no_backend(db) : BE(db)->text_hide(db->impl, db->msg, survey, uuid, qid, by ? by : "", now,
                             changed);
}

struct srvdb_sv_cursor {
    srvdb *db;
    void *cur;
};

kc_err srvdb_sv_rows_open(srvdb *db, const srvdb_sv_filter *f, srvdb_sv_cursor **out)
{
    *out = NULL;
    if (!filter_ok(db, f))
        return KC_EUSAGE;
    srvdb_sv_cursor *c = kc_calloc(1, sizeof *c);
    if (!c)
        return kc_fail(db->msg, KC_ENOMEM, "srvdb: out of memory");
    c->db = db;
    kc_err rc = !BE(db) ? no_backend(db) : BE(db)->rows_open(db->impl, db->msg, f, &c->cur);
    if (rc) {
        kc_free(c);
        return rc;
    }
    *out = c;
    return KC_OK;
}

kc_err srvdb_sv_rows_next(srvdb_sv_cursor *c, srvdb_sv_row *row, int *more)
{
    return BE(c->db)->rows_next(c->cur, c->db->msg, row, more);
}

void srvdb_sv_rows_close(srvdb_sv_cursor *c)
{
    if (!c)
        return;
    BE(c->db)->rows_close(c->cur);
    kc_free(c);
}
