/* A catalog page (GET /v1/catalog) as the kiosk's sync client reads it: the page, then
 * every item body through the item reader, as syncc.c does before storing. */
#include "fuzzutil.h"

#include <string.h>

#include "content.h"
#include "kc.h"
#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[KC_MSGMAX] = "";
    proto_page pg;
    if (proto_page_read((const char *)data, size, 0, &pg, msg)) {
        if (!msg[0] || pg.nitems || pg.nareas)
            fz_fail("proto_page_read", "failed without a message or left entries");
        proto_page_free(&pg);
        return 0;
    }
    for (size_t i = 0; i < pg.nitems; i++) {
        const proto_entry *e = &pg.items[i];
        if (e->rev <= 0 || e->rev > pg.rev)
            fz_fail("proto_page_read", "an item revision out of range");
        if (!e->body)
            continue;
        cat_item it;
        if (content_item_from_json(e->body, strlen(e->body), &it, msg) == KC_OK)
            cat_item_clear(&it);
    }
    proto_page_free(&pg);
    return 0;
}
