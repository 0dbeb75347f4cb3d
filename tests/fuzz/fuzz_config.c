/* libFuzzer target: the kiosk's settings file (core/kconf.c).  Any bytes are parsed
 * as a file; a refusal must leave the settings as they were, an acceptance must leave
 * every value clean of control and invisible characters. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kconf.h"
#include "safetext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[KC_MSGMAX];
    kconf *c = kconf_new();
    if (!c)
        return 0;
    if (kconf_set(c, "db", "before.db", msg) != KC_OK)
        abort();
    kc_err rc = kconf_parse(c, (const char *)data, size, "fuzz.conf", msg);
    if (rc != KC_OK && strcmp(kconf_str(c, KCONF_DB), "before.db") != 0)
        abort();  /* a refused file changed a setting */
    for (int k = 0; k < KCONF_NKEYS; k++) {
        const char *v = kconf_str(c, (kconf_key)k);
        if (v && (!safetext_is_clean(v) || strlen(v) > KCONF_LINE_MAX))
            abort();
    }
    int w, h;
    if (kconf_str(c, KCONF_SIZE) && kconf_size(c, &w, &h) != 0)
        abort();  /* an accepted size reads back */
    kconf_free(c);
    return 0;
}
