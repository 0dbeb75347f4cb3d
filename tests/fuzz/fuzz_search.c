/* Search queries as typed on the kiosk or given to `kioskctl search`, over the test
 * catalog (tests/data/search.json) with the description tier on.  The first byte
 * picks a filter so the filtered paths are reached too; the rest is the query. */
#include "fuzzutil.h"

#include "content.h"
#include "kc.h"
#include "search.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static store *st;
    static search *idx;
    char msg[KC_MSGMAX];
    if (!st) {
        st = fz_store();
        content *c = content_new();
        if (!c || content_load_file(c, fz_source("tests/data/search.json")) ||
            content_apply(c, st, 0, NULL))
            fz_fail("loading the test catalog", content_errmsg(c));
        content_free(c);
        if (search_build(st, &idx, msg))
            fz_fail("search_build", msg);
    }
    if (size == 0)
        return 0;
    search_filter f = SEARCH_ANY;
    unsigned pick = data[0];
    if (pick & 1)
        f.kind = (int)((pick >> 1) % CAT_NKIND);
    if (pick & 0x10)
        f.themes = 1u << ((pick >> 5) % 4);
    if (pick & 0x80)
        f.area = "helsinki";
    char *q = fz_cstr(data + 1, size - 1);
    if (!q)
        return 0;
    search_hit hits[64];
    size_t n = 0;
    if (search_query(idx, st, q, &f, hits, 64, &n, msg) == KC_OK) {
        for (size_t i = 0; i < n; i++)
            if (hits[i].item < 0 || (size_t)hits[i].item >= search_count(idx) ||
                hits[i].tier < 1 || hits[i].tier > 4)
                fz_fail("search_query", "a hit out of range");
    } else if (n != 0) {
        fz_fail("search_query", "failed with hits");
    }
    kc_free(q);
    return 0;
}
