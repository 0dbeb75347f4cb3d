/* A survey file (docs/survey-format.md): `kioskctl survey import`, the server's admin
 * import and survey documents a kiosk pulls. */
#include "fuzzutil.h"

#include "kc.h"
#include "survey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[KC_MSGMAX] = "";
    survey *s = NULL;
    if (survey_parse((const char *)data, size, "fuzz", &s, msg)) {
        if (!msg[0] || s)
            fz_fail("survey_parse", "failed without a message or left a survey");
        return 0;
    }
    /* A good survey must start a session (the session takes the survey over, also
     * when it fails) and give a payload. */
    survey_session *ss = NULL;
    if (survey_session_new(s, &ss) == KC_OK) {
        char *json = NULL;
        if (survey_session_payload(ss, 0, &json) == KC_OK)
            kc_free(json);
        survey_session_free(ss);
    }
    return 0;
}
