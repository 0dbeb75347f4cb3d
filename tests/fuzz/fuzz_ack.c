/* The push reply (POST /v1/responses) as the kiosk's sync client reads it: acks and
 * refused rows, or an error body. */
#include "fuzzutil.h"

#include <string.h>

#include "kc.h"
#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[KC_MSGMAX] = "";
    proto_ack a;
    if (proto_ack_read((const char *)data, size, &a, msg) == KC_OK) {
        if (a.n > PROTO_BATCH_MAX || a.nrefused > PROTO_BATCH_MAX)
            fz_fail("proto_ack_read", "more entries than a batch holds");
        for (size_t i = 0; i < a.n; i++)
            if (!proto_valid_uuid(a.uuids[i]))
                fz_fail("proto_ack_read", "accepted an ack that is not a UUID");
        for (size_t i = 0; i < a.nrefused; i++) {
            const proto_refusal *r = &a.refused[i];
            if (!proto_valid_uuid(r->uuid) || (r->status != 400 && r->status != 409) ||
                strlen(r->reason) > PROTO_REASON_MAX)
                fz_fail("proto_ack_read", "accepted a refusal out of range");
        }
    } else if (!msg[0] || a.n || a.nrefused) {
        fz_fail("proto_ack_read", "failed without a message or with entries");
    }
    proto_ack_free(&a);
    char text[PROTO_LASTERR_MAX + 1];
    proto_error_read((const char *)data, size, text, sizeof text);
    if (strlen(text) >= sizeof text)
        fz_fail("proto_error_read", "text past its buffer");
    return 0;
}
