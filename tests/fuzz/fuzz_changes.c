/* The change check's reply (GET /v1/changes) as the kiosk's sync client reads it. */
#include "fuzzutil.h"

#include "kc.h"
#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[KC_MSGMAX] = "";
    proto_changes ch;
    if (proto_changes_read((const char *)data, size, &ch, msg)) {
        if (!msg[0])
            fz_fail("proto_changes_read", "failed without a message");
        return 0;
    }
    int any = 0;
    for (int i = 0; i < PROTO_NFEEDS; i++) {
        any |= ch.changed[i];
        if (ch.changed[i] && ch.head[i] < 0)
            fz_fail("proto_changes_read", "a negative revision");
    }
    if (!any)
        fz_fail("proto_changes_read", "accepted a reply that names no feed");
    return 0;
}
