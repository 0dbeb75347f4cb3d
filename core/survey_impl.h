/*
 * survey_impl.h - internals shared by the survey module's files (survey.c parses,
 * survey_canon.c writes canonical JSON, survey_store.c stores).  Not for other modules.
 */
#ifndef SURVEY_IMPL_H
#define SURVEY_IMPL_H

#include "survey.h"

struct survey {
    char *id;
    int version;
    survey_mode mode;
    char *title[CAT_NLANG], *intro[CAT_NLANG], *thanks[CAT_NLANG];
    char *start, *end;
    char **kiosks;
    size_t nkiosks;
    survey_group *groups;
    size_t ngroups;
    survey_question *q;
    size_t nq;
    char *body;
};


/* Canonical JSON of s without its version (jansson-allocated: kc_free it). */
char *survey_canonical_(const survey *s);

/* The stored version, set when loading from or writing to the database. */
void survey_set_version_(survey *s, int version);

#endif
