/* A push body (POST /v1/responses) as the server reads it: the batch, then storing it
 * (which checks each row and refuses bad ones alone) into a server database. */
#include "fuzzutil.h"

#include <string.h>

#include "kc.h"
#include "proto.h"
#include "srvdb.h"

long long fz_server_device(srvdb **db);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static srvdb *db;
    static long long device;
    if (!db)
        device = fz_server_device(&db);
    char msg[KC_MSGMAX] = "";
    proto_batch b;
    if (proto_batch_read((const char *)data, size, &b, msg)) {
        if (!msg[0] || b.n)
            fz_fail("proto_batch_read", "failed without a message or left rows");
        proto_batch_free(&b);
        return 0;
    }
    if (b.n > PROTO_BATCH_MAX)
        fz_fail("proto_batch_read", "more rows than a batch may hold");
    proto_ack a;
    kc_err rc = srvdb_store_batch(db, device, &b, &a);
    if (rc != KC_OK && rc != KC_EINVAL)
        fz_fail("srvdb_store_batch", srvdb_errmsg(db));
    if (rc == KC_OK && (a.n + a.nrefused > b.n || a.stored < 0 || (size_t)a.stored > a.n))
        fz_fail("srvdb_store_batch", "answered for more rows than the batch had");
    proto_ack_free(&a);  /* empty after a failure */
    proto_batch_free(&b);
    return 0;
}
