/* syncc_push.c - the kiosk's outbox up to the server, in acknowledged batches.
 * Ballots and code uses wait until ballot_release_allows() lets their ballot go, so the
 * server cannot pair a ballot with its code by the time they arrived (docs/voting.md). */
#include "ballot.h"
#include "outbox.h"
#include "syncc_impl.h"

#include <stdio.h>
#include <string.h>

/* Up to `batch` rows that may go now.  Held rows come back from outbox_pending every
 * time (it has no kind filter), so ask for more until a full batch of others is
 * found or the outbox has no more: a handful of held rows costs little.  *last is
 * set when no further rows wait beyond these. */
static kc_err next_rows(store *st, size_t batch, const ballot_release *rel, outbox_row **rows,
                        size_t *n,
                        size_t *keep, int *last)
{
    size_t want = batch;
    for (;;) {
        kc_err rc = outbox_pending(st, want, rows, n);
        if (rc)
            return rc;
        size_t k = 0;
        for (size_t i = 0; i < *n; i++)
            if (ballot_release_allows(rel, (*rows)[i].kind, (*rows)[i].payload))
                k++;
        *last = *n < want;
        if (k >= batch || *last) {
            *keep = k < batch ? k : batch;
            return KC_OK;
        }
        want += *n - k;
        outbox_rows_free(*rows, *n);
        *rows = NULL;
        *n = 0;
    }
}

static kc_err push_rows(syncc *c, store *st, http *h, long *pushed, char *msg,
                        const ballot_release *rel)
{
    kc_err rc;
    for (;;) {
        outbox_row *rows = NULL;
        size_t n = 0, keep = 0;
        int last = 1;
        rc = next_rows(st, (size_t)c->cfg.batch, rel, &rows, &n, &keep, &last);
        if (rc)
            return kc_fail(msg, rc, "sync: %s", store_errmsg(st));
        if (keep == 0) {
            outbox_rows_free(rows, n);
            return KC_OK;
        }
        proto_response *v = kc_calloc(keep, sizeof *v);
        const char **acked = kc_calloc(keep, sizeof *acked);
        char(*ack)[PROTO_UUID_LEN + 1] = NULL;
        size_t nack = 0, nmark = 0, m = 0;
        proto_buf b = { 0 };
        if (!v || !acked) {
            rc = kc_fail(msg, KC_ENOMEM, "sync: out of memory");
            goto done;
        }
        for (size_t i = 0; i < n && m < keep; i++) {
            if (!ballot_release_allows(rel, rows[i].kind, rows[i].payload))
                continue;
            memcpy(v[m].uuid, rows[i].uuid, sizeof v[m].uuid);
            memcpy(v[m].kind, rows[i].kind, sizeof v[m].kind);
            v[m++].payload = rows[i].payload;
        }
        if ((rc = proto_batch_write(v, keep, &b, msg)))
            goto done;
        if ((rc = syncc_http_do_(h, "pushing responses", PROTO_PATH_RESPONSES, b.p, b.len,
                                 msg)))
            goto done;
        if (h->status != 200) {
            rc = syncc_http_fail_(h, "pushing responses", msg);
            goto done;
        }
        if ((rc = proto_ack_read(h->body.p, h->body.len, &ack, &nack, msg))) {
            kc_fail(msg, rc, "sync: pushing responses: bad reply: %.300s", msg);
            goto done;
        }
        /* Only UUIDs we sent count as acknowledged. */
        for (size_t i = 0; i < nack; i++)
            for (size_t k = 0; k < keep; k++)
                if (strcmp(ack[i], v[k].uuid) == 0) {
                    acked[nmark++] = v[k].uuid;
                    break;
                }
        if (nmark == 0) {
            rc = kc_fail(msg, KC_EINVAL, "sync: pushing responses: the server "
                                         "acknowledged none of %zu", keep);
            goto done;
        }
        if ((rc = outbox_mark_sent(st, acked, nmark))) {
            kc_fail(msg, rc, "sync: %s", store_errmsg(st));
            goto done;
        }
        *pushed += (long)nmark;
    done:
        kc_free(ack);
        proto_buf_free(&b);
        kc_free(acked);
        kc_free(v);
        outbox_rows_free(rows, n);
        if (rc)
            return rc;
        if ((last && m < (size_t)c->cfg.batch) || atomic_load(&c->stop))
            return KC_OK;
    }
}

kc_err syncc_push_(syncc *c, store *st, http *h, long *pushed, char *msg)
{
    *pushed = 0;
    /* Decided once per sync: a release lets every waiting row of a ballot go together. */
    ballot_release *rel = NULL;
    kc_err rc = ballot_release_new(st, NULL, &rel);
    if (rc)
        return kc_fail(msg, rc, "sync: %s", store_errmsg(st));
    rc = push_rows(c, st, h, pushed, msg, rel);
    ballot_release_free(rel);
    return rc;
}
