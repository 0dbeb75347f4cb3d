/* The question type table (survey.h): one row per survey_qtype, below the parser
 * (survey.c), the canonical form (survey_canon.c) and every writer that names a type. */
#include "survey.h"

#include <assert.h>

const survey_qtype_info survey_qtypes[] = {
    [SURVEY_SINGLE] = { "single", { "options", NULL } },
    [SURVEY_MULTI] = { "multi", { "options", "min", "max", NULL } },
    [SURVEY_TOP] = { "top", { "options", "options_from", "pick", "min", "ranked", NULL } },
    [SURVEY_SCALE] = { "scale", { "style", "low", "high", NULL } },
    [SURVEY_TEXT] = { "text", { "max_chars", "max_entries", "multiline", NULL } },
    [SURVEY_NUMBER] = { "number", { "min", "max", "decimals", "unit", NULL } },
};
static_assert(sizeof survey_qtypes / sizeof survey_qtypes[0] == SURVEY_NQTYPE,
              "every question type has its row in survey_qtypes");

const char *survey_qtype_name(survey_qtype t)
{
    return (unsigned)t < SURVEY_NQTYPE ? survey_qtypes[t].name : "?";
}
