/* syncc_areas.c - the area list of a catalog page on the kiosk: checked as a content
 * file, and the areas it leaves out dropped (docs/protocol.md, "Deleted areas"). */
#include "syncc_impl.h"
#include "content.h"
#include "store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The area list of a page, validated by the content module as a content file. */
kc_err syncc_check_areas_(const proto_page *pg, char *msg)
{
    proto_buf b = { 0 };
    proto_buf_str(&b, "{\"format\":\"kiosk-content\",\"version\":1,\"areas\":[");
    for (size_t i = 0; i < pg->nareas; i++) {
        if (i)
            proto_buf_add(&b, ",", 1);
        proto_buf_str(&b, pg->areas[i]);
    }
    proto_buf_str(&b, "]}");
    if (b.oom) {
        proto_buf_free(&b);
        return kc_fail(msg, KC_ENOMEM, "sync: out of memory");
    }
    content *ct = content_new();
    kc_err rc = ct ? content_parse(ct, b.p, b.len, "server areas") : KC_ENOMEM;
    if (rc)
        kc_fail(msg, rc, "sync: bad catalog page: %s", ct ? content_errmsg(ct) : "no memory");
    content_free(ct);
    proto_buf_free(&b);
    return rc;
}

kc_err syncc_area_id_(const char *body, char id[65])
{
    json_t *j = json_loads(body, 0, NULL);
    json_t *v = j ? json_object_get(j, "id") : NULL;
    kc_err rc = v && json_is_string(v) && proto_valid_id(json_string_value(v)) ? KC_OK
                                                                               : KC_EINVAL;
    if (!rc)
        snprintf(id, 65, "%s", json_string_value(v));
    json_decref(j);
    return rc;
}

/* The stored areas that a complete list (a page with areas) leaves out. */
typedef struct gone_ctx {
    const proto_page *pg;
    char (*ids)[65];        /* the page's area ids */
    char **gone;
    size_t ngone;
} gone_ctx;

static int cmp_id(const void *a, const void *b)
{
    return strcmp(a, b);
}

static kc_err gone_one(void *ctx, const char *id, const char *body)
{
    (void)body;
    gone_ctx *g = ctx;
    if (g->pg->nareas && bsearch(id, g->ids, g->pg->nareas, sizeof g->ids[0], cmp_id))
        return KC_OK;
    char **n = kc_realloc(g->gone, (g->ngone + 1) * sizeof *n);
    if (!n)
        return KC_ENOMEM;
    g->gone = n;
    if (!(g->gone[g->ngone] = kc_strdup(id)))
        return KC_ENOMEM;
    g->ngone++;
    return KC_OK;
}

/* A page with areas carries the server's complete list: an area the kiosk holds that
 * the list leaves out was deleted on the server (docs/protocol.md).  Inside the
 * page's transaction. */
kc_err syncc_drop_gone_areas_(store *st, const proto_page *pg, char (*ids)[65], int *changed)
{
    gone_ctx g = { pg, ids, NULL, 0 };
    if (pg->nareas)
        qsort(ids, pg->nareas, sizeof ids[0], cmp_id);  /* the id is the row's start */
    kc_err rc = store_areas_each(st, gone_one, &g);
    for (size_t i = 0; !rc && i < g.ngone; i++) {
        int ch = 0;
        rc = store_area_delete(st, g.gone[i], &ch);
        *changed |= ch;
    }
    for (size_t i = 0; i < g.ngone; i++)
        kc_free(g.gone[i]);
    kc_free(g.gone);
    return rc;
}
