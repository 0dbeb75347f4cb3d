/* A ballot file (docs/ballot-format.md): `kioskctl ballot import`, the server's admin
 * import and ballot documents a kiosk pulls.  A good ballot is stored, read back and
 * must keep its structure. */
#include "fuzzutil.h"

#include "ballot.h"
#include "kc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static store *st;
    if (!st) {
        st = fz_store();
        if (ballot_init(st))
            fz_fail("ballot_init", store_errmsg(st));
    }
    char msg[KC_MSGMAX] = "";
    ballot *b = NULL;
    if (ballot_parse((const char *)data, size, "fuzz", &b, msg)) {
        if (!msg[0] || b)
            fz_fail("ballot_parse", "failed without a message or left a ballot");
        return 0;
    }
    for (size_t i = 0; i < ballot_nprojects(b); i++) {
        ballot_project p;
        cat_langs pref = cat_langs_for(CAT_SV);
        ballot_project_at(b, i, &pref, &p);
    }
    int changed;
    ballot *back = NULL;
    /* A ballot with the same id but another structure is refused by design. */
    if (ballot_store_put(st, b, &changed) == KC_OK) {
        if (ballot_store_get(st, ballot_id(b), &back))
            fz_fail("stored ballot does not read back", store_errmsg(st));
        if (!ballot_same_structure(b, back))
            fz_fail("stored ballot changed structure", ballot_id(b));
        ballot_free(back);
    }
    ballot_free(b);
    return 0;
}
