/* A kiosk's settings as the server sends them and the console saves them
 * (core/ksettings.h): every bound holds for what is accepted, a refusal names its
 * member, and the canonical JSON of an accepted set reads back as the same set. */
#include "fuzzutil.h"

#include <string.h>

#include "kc.h"
#include "ksettings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[KC_MSGMAX] = "", field[KSET_FIELD_MAX + 1];
    ksettings s, t;
    kc_err rc = ksettings_parse((const char *)data, size, 1, &s, field, msg);
    if (rc) {
        if (!msg[0])
            fz_fail("ksettings_parse", "failed without a message");
        if (rc == KC_EINVAL && !field[0])
            fz_fail("ksettings_parse", "refused without naming the member");
        return 0;
    }
    if (strlen(s.place) > KSET_PLACE_MAX || (s.idle_s && (s.idle_s < KSET_IDLE_MIN ||
                                                          s.idle_s > KSET_IDLE_MAX)) ||
        s.nsurveys > KSET_IDS_MAX || s.nballots > KSET_IDS_MAX)
        fz_fail("ksettings_parse", "accepted a value out of bounds");
    for (int d = 0; s.has_hours && d < 7; d++)
        if (s.hours.open[d] >= 0 && (s.hours.close[d] <= s.hours.open[d] || s.hours.close[d] > 1440))
            fz_fail("ksettings_parse", "accepted hours out of bounds");
    char *j = ksettings_json(&s);
    if (j) {
        if (ksettings_parse(j, strlen(j), 0, &t, field, msg))
            fz_fail("ksettings_json", "wrote what the parser refuses");
        char *k = ksettings_json(&t);
        if (k && strcmp(j, k))
            fz_fail("ksettings_json", "not the same set read back");
        kc_free(k);
        ksettings_free(&t);
        kc_free(j);
    }
    ksettings_free(&s);
    return 0;
}
