/*
 * admin_results_survey_impl.h - what the survey results files share
 * (admin_results_survey.c, admin_results_survey_export.c): a survey's stored
 * versions, parsed, and its questions grouped across versions.  Not for other modules.
 *
 * Versions ask "the same question" when the question has the same id and the same
 * canonical definition (survey_question_canonical): their answers are counted
 * together; a question changed between versions is shown once per definition, each
 * naming its versions.
 */
#ifndef ADMIN_RESULTS_SURVEY_IMPL_H
#define ADMIN_RESULTS_SURVEY_IMPL_H

#include "admin_results_impl.h"
#include "srvdb_results_survey.h"
#include "survey.h"

typedef struct svr_ver {
    long long version;
    survey *def;
    long long responses;   /* over every kiosk, all time */
} svr_ver;

typedef struct svr_group {
    const char *qid;       /* points into def */
    char *canon;
    const survey *def;     /* the newest version asking it this way */
    const survey_question *q;
    long long *versions;   /* newest first */
    size_t nversions;
    int changed;           /* the id is asked another way in other versions */
} svr_group;

typedef struct svr_model {
    svr_ver *v;            /* newest first */
    size_t nv;
    svr_group *g;          /* newest version's order, then older questions */
    size_t ng;
} svr_model;

/* Loads survey id (only `version` when > 0); KC_ENOTFOUND when it has no such
 * stored version.  Frees what it built on failure. */
kc_err svr_model_load(srvdb *db, const char *id, long long version, svr_model *m);
void svr_model_free(svr_model *m);
/* The group asking qid in version v, NULL when none. */
svr_group *svr_model_find(svr_model *m, long long v, const char *qid);

/* The request's filter: period, kiosks (as adm_res_filter), `version`; -1 after a
 * failure reply.  kc_free *ids and ds->v afterwards. */
int svr_filter(adm_ctx *x, devs *ds, srvdb_sv_filter *f, long long **ids, long long *version);

#endif
