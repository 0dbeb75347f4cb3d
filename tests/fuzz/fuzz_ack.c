/* The push reply (POST /v1/responses) as the kiosk's sync client reads it: the ack
 * list, or an error body. */
#include "fuzzutil.h"

#include <string.h>

#include "kc.h"
#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[KC_MSGMAX] = "";
    char (*uuids)[PROTO_UUID_LEN + 1] = NULL;
    size_t n = 0;
    if (proto_ack_read((const char *)data, size, &uuids, &n, msg) == KC_OK) {
        for (size_t i = 0; i < n; i++)
            if (!proto_valid_uuid(uuids[i]))
                fz_fail("proto_ack_read", "accepted an ack that is not a UUID");
        kc_free(uuids);
    } else if (!msg[0] || n) {
        fz_fail("proto_ack_read", "failed without a message or with acks");
    }
    char text[PROTO_LASTERR_MAX + 1];
    proto_error_read((const char *)data, size, text, sizeof text);
    if (strlen(text) >= sizeof text)
        fz_fail("proto_error_read", "text past its buffer");
    return 0;
}
