/* One catalog item as the kiosk reads it from a catalog page: JSON -> cat_item.  An
 * item that reads must write back to canonical JSON that reads again to the same
 * text (the store compares items by that text). */
#include "fuzzutil.h"

#include <string.h>

#include "content.h"
#include "kc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[KC_MSGMAX] = "";
    cat_item it, again;
    if (content_item_from_json((const char *)data, size, &it, msg)) {
        if (!msg[0])
            fz_fail("content_item_from_json", "failed without a message");
        return 0;
    }
    char *a = NULL, *b = NULL;
    if (content_item_to_json(&it, &a) == KC_OK) {
        if (content_item_from_json(a, strlen(a), &again, msg))
            fz_fail("canonical item does not read back", msg);
        if (content_item_to_json(&again, &b) == KC_OK && strcmp(a, b) != 0)
            fz_fail("canonical item is not stable", a);
        cat_item_clear(&again);
    }
    kc_free(a);
    kc_free(b);
    cat_item_clear(&it);
    return 0;
}
