/* A content file (docs/content-format.md), as `kioskctl import` and the server's admin
 * import read it: parse and validate, then apply to a store as a dry run (every check
 * and write, then rolled back). */
#include "fuzzutil.h"

#include "content.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static store *st;
    if (!st)
        st = fz_store();
    content *c = content_new();
    if (!c)
        return 0;
    kc_err rc = content_parse(c, (const char *)data, size, "fuzz");
    if (rc == KC_OK) {
        content_result res;
        rc = content_apply(c, st, CONTENT_DRY_RUN, &res);
        if (rc == KC_OK && res.added + res.updated + res.unchanged !=
                               (long)content_item_count(c))
            fz_fail("content_apply counts", "added + updated + unchanged != items");
    }
    if (rc && !content_errmsg(c)[0])
        fz_fail("content", "failed without a message");
    content_free(c);
    return 0;
}
