/* A voter-codes file (docs/ballot-format.md, "kiosk-ballot-codes"): `kioskctl ballot
 * import-codes` and ballot-codes documents a kiosk pulls.  The store holds the sample
 * ballot so files naming it get as far as the database. */
#include "fuzzutil.h"

#include <stdio.h>

#include "ballot.h"
#include "kc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static store *st;
    if (!st) {
        char msg[KC_MSGMAX];
        ballot *b = NULL;
        int changed;
        st = fz_store();
        if (ballot_init(st) ||
            ballot_load_file(fz_source("assets/content/ballots/porvoo-lahio-ideat.json"), &b,
                             msg) ||
            ballot_store_put(st, b, &changed))
            fz_fail("setting up the sample ballot", b ? store_errmsg(st) : msg);
        ballot_free(b);
    }
    long added = -1;
    kc_err rc = ballot_codes_import(st, (const char *)data, size, "fuzz", &added);
    if (rc && (added != 0 || !store_errmsg(st)[0]))
        fz_fail("ballot_codes_import", "failed but counted codes, or left no message");
    return 0;
}
