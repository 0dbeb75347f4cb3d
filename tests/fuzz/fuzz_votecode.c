/* What a voter types as a code on the kiosk's keyboard. */
#include "fuzzutil.h"

#include <string.h>

#include "kc.h"
#include "votecode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *typed = fz_cstr(data, size);
    if (!typed)
        return 0;
    char code[VOTECODE_LEN + 1], msg[KC_MSGMAX] = "";
    if (votecode_normalize(typed, code, msg) == KC_OK) {
        if (strlen(code) != VOTECODE_LEN)
            fz_fail("votecode_normalize", "a code of the wrong length");
    } else if (!msg[0]) {
        fz_fail("votecode_normalize", "failed without a message");
    }
    kc_free(typed);
    return 0;
}
