/* srvdb_push.c - a pushed batch: which rows are stored, acknowledged or refused.
 *
 * Every UUID of a batch is answered for exactly once.  The backend stores the rows
 * left to store in one transaction; this file decides what is left: rows that
 * break the format are refused (400), and a UUID that comes twice is one row when
 * the copies agree and refused (409) when they do not, so the first copy cannot
 * silently win over a later one. */
#include "srvdb_impl.h"

#include <stdlib.h>
#include <string.h>

typedef struct by_uuid {
    const proto_batch *b;
    size_t i;
} by_uuid;

static int cmp_uuid(const void *x, const void *y)
{
    const by_uuid *a = x, *c = y;
    int r = strcmp(a->b->v[a->i].uuid, c->b->v[c->i].uuid);
    /* Equal UUIDs stay in batch order, so the first copy answers for the rest. */
    return r ? r : (a->i > c->i) - (a->i < c->i);
}

static int same_row(const proto_response *a, const proto_response *b)
{
    if (a->invalid || b->invalid)
        return 0;
    return strcmp(a->kind, b->kind) == 0 && strcmp(a->payload, b->payload) == 0;
}

/* Marks later copies of a UUID; copies that disagree refuse the UUID. */
static kc_err mark_copies(const proto_batch *b, srvdb_row *rows, char *msg)
{
    if (b->n < 2)
        return KC_OK;
    by_uuid *ix = kc_calloc(b->n, sizeof *ix);
    if (!ix)
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    for (size_t i = 0; i < b->n; i++)
        ix[i] = (by_uuid){ b, i };
    qsort(ix, b->n, sizeof *ix, cmp_uuid);
    for (size_t s = 0, e; s < b->n; s = e) {
        const proto_response *first = &b->v[ix[s].i];
        int agree = 1;
        for (e = s + 1; e < b->n && strcmp(b->v[ix[e].i].uuid, first->uuid) == 0; e++)
            agree &= same_row(first, &b->v[ix[e].i]);
        if (e - s == 1)
            continue;
        srvdb_row *w = &rows[ix[s].i];
        if (!agree) {
            w->status = 409;
            snprintf(w->reason, sizeof w->reason,
                     "this UUID comes %zu times in the batch with different content", e - s);
        }
        for (size_t k = s + 1; k < e; k++)
            rows[ix[k].i].status = SRVDB_ROW_COPY;
    }
    kc_free(ix);
    return KC_OK;
}

static kc_err answer(const proto_batch *b, const srvdb_row *rows, long stored, proto_ack *out,
                     char *msg)
{
    size_t na = 0, nr = 0;
    for (size_t i = 0; i < b->n; i++) {
        na += rows[i].status == 0 || rows[i].status == SRVDB_ROW_HELD;
        nr += rows[i].status > 0;
    }
    if ((na && !(out->uuids = kc_calloc(na, sizeof *out->uuids))) ||
        (nr && !(out->refused = kc_calloc(nr, sizeof *out->refused)))) {
        proto_ack_free(out);
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < b->n; i++) {
        const srvdb_row *r = &rows[i];
        if (r->status == 0 || r->status == SRVDB_ROW_HELD) {
            memcpy(out->uuids[out->n++], b->v[i].uuid, PROTO_UUID_LEN + 1);
        } else if (r->status > 0) {
            proto_refusal *f = &out->refused[out->nrefused++];
            memcpy(f->uuid, b->v[i].uuid, PROTO_UUID_LEN + 1);
            f->status = r->status;
            memcpy(f->reason, r->reason, sizeof f->reason);
        }
    }
    out->stored = stored;
    return KC_OK;
}

kc_err srvdb_store_batch(srvdb *db, long long device, const proto_batch *b, proto_ack *out)
{
    memset(out, 0, sizeof *out);
    srvdb_row *rows = NULL;
    long stored = 0;
    kc_err rc = srvdb_rows_from_batch_(b, &rows, db->msg);
    if (!rc)
        rc = mark_copies(b, rows, db->msg);
    if (!rc && b->n)
        rc = db->be->store_batch(db->impl, db->msg, device, b, rows, &stored);
    if (!rc)
        rc = answer(b, rows, stored, out, db->msg);
    kc_free(rows);
    return rc;
}
