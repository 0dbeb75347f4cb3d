/* A heartbeat body (POST /v1/heartbeat) as the server reads and stores it. */
#include "fuzzutil.h"

#include <string.h>

#include "kc.h"
#include "proto.h"
#include "srvdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static srvdb *db;
    static long long device;
    if (!db)
        device = fz_server_device(&db);
    char msg[KC_MSGMAX] = "";
    proto_heartbeat hb;
    if (proto_heartbeat_read((const char *)data, size, &hb, msg)) {
        if (!msg[0])
            fz_fail("proto_heartbeat_read", "failed without a message");
        return 0;
    }
    if (strlen(hb.version) > PROTO_VERSION_MAX || strlen(hb.last_error) > PROTO_LASTERR_MAX ||
        hb.catalog_rev < 0 || hb.outbox_depth < 0)
        fz_fail("proto_heartbeat_read", "a field out of range");
    if (srvdb_heartbeat(db, device, &hb, 1767225600))
        fz_fail("srvdb_heartbeat", srvdb_errmsg(db));
    return 0;
}
