/* syncc_push.c - the kiosk's outbox up to the server, in acknowledged batches.
 *
 * Ballots and code uses wait until ballot_release_allows() lets their ballot go, so the
 * server cannot pair a ballot with its code by the time they arrived (docs/voting.md).
 *
 * No row may stall the others (docs/protocol.md, "Responses up"):
 * - A batch is cut by bytes as well as rows, under the server's body limit.
 * - Rows come from a random starting UUID each sync, so a batch that fails is not
 *   the same batch next time.
 * - A batch the server refuses whole (413 too large, 400) is halved and tried again,
 *   down to one row; a single row refused so is set aside with the server's reason,
 *   as is a row the server refuses in its reply (400, 409) and a row that cannot be
 *   sent at all (not a JSON object, nested too deep).  Set-aside rows stay in the
 *   outbox (outbox_requeue puts them back) and are reported, never lost.
 * - The reply must answer for each UUID of the batch at most once, only UUIDs that
 *   were sent: anything else is a protocol error and marks nothing. */
#include "ballot.h"
#include "outbox.h"
#include "syncc_impl.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bytes of a batch at most: the server's documented body limit less room for the
 * request around it.  A server with a smaller limit answers 413 and the batch halves. */
#define PUSH_MAX_BYTES (PROTO_MAX_BODY - 64 * 1024)
/* Deepest payload nesting that still fits a batch within PROTO_MAX_DEPTH: the batch
 * object, its array and the row object are three levels. */
#define PUSH_MAX_PAYLOAD_DEPTH (PROTO_MAX_DEPTH - 3)

typedef struct push {
    syncc *c;
    store *st;
    http *h;
    const ballot_release *rel;         /* which ballots' rows may go */
    char start[PROTO_UUID_LEN + 1];    /* this sync's random first UUID */
    size_t max_rows, max_bytes;        /* halved while the server refuses batches */
    int aside_in_row;                  /* set-asides since a batch was accepted */
    long pushed, set_aside;
} push;

/* Up to `batch` rows that may go now.  Held rows come back from outbox_pending every
 * time (it has no kind filter), so ask for more until a full batch of others is
 * found or the outbox has no more: a handful of held rows costs little. */
static kc_err next_rows(push *p, outbox_row **rows, size_t *n, size_t *keep)
{
    size_t want = p->max_rows;
    for (;;) {
        kc_err rc = outbox_pending_from(p->st, p->start, want, rows, n);
        if (rc)
            return rc;
        size_t k = 0;
        for (size_t i = 0; i < *n; i++)
            if (ballot_release_allows(p->rel, (*rows)[i].kind, (*rows)[i].payload))
                k++;
        if (k >= p->max_rows || *n < want) {
            *keep = k < p->max_rows ? k : p->max_rows;
            return KC_OK;
        }
        want += *n - k;
        outbox_rows_free(*rows, *n);
        *rows = NULL;
        *n = 0;
    }
}

static int depth_over(json_t *j, int depth)
{
    if (depth > PUSH_MAX_PAYLOAD_DEPTH)
        return 1;
    size_t i;
    const char *k;
    json_t *v;
    if (json_is_object(j)) {
        json_object_foreach(j, k, v) if (depth_over(v, depth + 1)) return 1;
    } else if (json_is_array(j)) {
        json_array_foreach(j, i, v) if (depth_over(v, depth + 1)) return 1;
    }
    return 0;
}

/* Why a row cannot go in any batch (static text), or NULL. */
static const char *row_problem(const outbox_row *r)
{
    if (strlen(r->payload) > PROTO_PAYLOAD_MAX)
        return "payload over 65536 bytes: not sent";
    json_t *j = json_loads(r->payload, JSON_REJECT_DUPLICATES, NULL);
    const char *why = NULL;
    if (!j || !json_is_object(j))
        why = "payload is not a JSON object: not sent";
    else if (depth_over(j, 1))
        why = "payload nested deeper than the protocol allows: not sent";
    json_decref(j);
    return why;
}

static kc_err set_aside(push *p, const char *uuid, const char *reason, char *msg)
{
    kc_err rc = outbox_set_aside(p->st, &uuid, &reason, 1);
    if (rc)
        return kc_fail(msg, rc, "sync: %s", store_errmsg(p->st));
    p->set_aside++;
    return KC_OK;
}

/* The reply's UUIDs against the batch: each in v, each once.  seen[] gets 1 per
 * answered row.  KC_EINVAL (a protocol error) otherwise. */
static kc_err check_reply(const proto_response *v, size_t n, const proto_ack *a, char *seen,
                          char *msg)
{
    /* More answers than rows means a repeat or a stranger, named below. */
    for (size_t i = 0; i < a->n + a->nrefused; i++) {
        const char *u = i < a->n ? a->uuids[i] : a->refused[i - a->n].uuid;
        size_t k = 0;
        while (k < n && strcmp(v[k].uuid, u) != 0)
            k++;
        if (k == n)
            return kc_fail(msg, KC_EINVAL, "sync: pushing responses: bad reply: it answers "
                                           "for %s, which was not sent", u);
        if (seen[k])
            return kc_fail(msg, KC_EINVAL, "sync: pushing responses: bad reply: it answers "
                                           "for %s twice", u);
        seen[k] = 1;
    }
    if (a->n + a->nrefused == 0)
        return kc_fail(msg, KC_EINVAL, "sync: pushing responses: bad reply: it answers for "
                                       "none of %zu rows", n);
    return KC_OK;
}

/* Marks the acknowledged rows sent and sets the refused ones aside. */
static kc_err apply_reply(push *p, const proto_ack *a, char *msg)
{
    const char **u = a->n ? kc_calloc(a->n, sizeof *u) : NULL;
    if (a->n && !u)
        return kc_fail(msg, KC_ENOMEM, "sync: out of memory");
    for (size_t i = 0; i < a->n; i++)
        u[i] = a->uuids[i];
    kc_err rc = outbox_mark_sent(p->st, u, a->n);
    kc_free(u);
    if (rc)
        return kc_fail(msg, rc, "sync: %s", store_errmsg(p->st));
    p->pushed += (long)a->n;
    for (size_t i = 0; i < a->nrefused; i++) {
        const proto_refusal *f = &a->refused[i];
        char why[PROTO_REASON_MAX + 32];
        snprintf(why, sizeof why, "server refused (%d): %s", f->status, f->reason);
        if ((rc = set_aside(p, f->uuid, why, msg)))
            return rc;
    }
    return KC_OK;
}

/* One batch of n rows: sent, answered, applied.  *more: go on with the next. */
static kc_err send_batch(push *p, const proto_response *v, size_t n, size_t bytes, int *more,
                         char *msg)
{
    proto_buf b = { 0 };
    proto_ack a = { 0 };
    char *seen = NULL;
    char m[KC_MSGMAX];
    *more = 0;
    kc_err rc = proto_batch_write(v, n, &b, msg);
    if (!rc)
        rc = syncc_http_do_(p->h, "pushing responses", PROTO_PATH_RESPONSES, b.p, b.len, msg);
    proto_buf_free(&b);
    if (rc)
        return rc;
    long status = p->h->status;
    if (status == 413 || status == 400) {
        /* Refused whole: a smaller batch, down to the one row that is refused. */
        syncc_http_fail_(p->h, "pushing responses", m);
        if (n > 1) {
            p->max_rows = n / 2;
            p->max_bytes = bytes / 2 > 1 ? bytes / 2 : 1;
            *more = 1;
            return KC_OK;
        }
        if (p->aside_in_row)
            /* Two rows refused alone with nothing accepted between: more likely the
             * server refuses everything than every row being bad. */
            return kc_fail(msg, KC_EINVAL, "%.400s", m);
        if ((rc = set_aside(p, v[0].uuid, m + (strncmp(m, "sync: ", 6) ? 0 : 6), msg)))
            return rc;
        p->aside_in_row = 1;
        p->max_rows = (size_t)p->c->cfg.batch;
        p->max_bytes = PUSH_MAX_BYTES;
        *more = 1;
        return KC_OK;
    }
    if (status != 200)
        return syncc_http_fail_(p->h, "pushing responses", msg);
    if ((rc = proto_ack_read(p->h->body.p, p->h->body.len, &a, m)))
        return kc_fail(msg, rc, "sync: pushing responses: bad reply: %.300s", m);
    if (!(seen = kc_calloc(n, 1))) {
        rc = kc_fail(msg, KC_ENOMEM, "sync: out of memory");
    } else if (!(rc = check_reply(v, n, &a, seen, msg)) && !(rc = apply_reply(p, &a, msg))) {
        p->aside_in_row = a.n == 0;
        if (a.n + a.nrefused < n)
            rc = kc_fail(msg, KC_EINVAL, "sync: pushing responses: bad reply: it answers "
                                         "for %zu of %zu rows", a.n + a.nrefused, n);
        else
            *more = 1;
    }
    kc_free(seen);
    proto_ack_free(&a);
    return rc;
}

kc_err syncc_push_(syncc *c, store *st, http *h, long *pushed, long *aside, char *msg)
{
    push p = { .c = c, .st = st, .h = h, .max_rows = (size_t)c->cfg.batch,
               .max_bytes = PUSH_MAX_BYTES };
    *pushed = 0;
    *aside = 0;
    /* Decided once per sync: a release lets every waiting row of a ballot go together. */
    ballot_release *rel = NULL;
    kc_err rc = ballot_release_new(st, NULL, &rel);
    if (rc)
        return kc_fail(msg, rc, "sync: %s", store_errmsg(st));
    p.rel = rel;
    if ((rc = outbox_new_uuid(p.start))) {
        ballot_release_free(rel);
        return kc_fail(msg, rc, "sync: no random numbers");
    }
    int more = 1;
    while (more && !rc && !atomic_load(&c->stop)) {
        outbox_row *rows = NULL;
        size_t n = 0, keep = 0, m = 0, bytes = PROTO_BATCH_OVERHEAD;
        if ((rc = next_rows(&p, &rows, &n, &keep))) {
            kc_fail(msg, rc, "sync: %s", store_errmsg(st));
            break;
        }
        more = keep > 0;
        proto_response *v = keep ? kc_calloc(keep, sizeof *v) : NULL;
        if (keep && !v)
            rc = kc_fail(msg, KC_ENOMEM, "sync: out of memory");
        for (size_t i = 0; !rc && i < n && m < keep; i++) {
            if (!ballot_release_allows(rel, rows[i].kind, rows[i].payload))
                continue;
            const char *why = row_problem(&rows[i]);
            if (why) {
                rc = set_aside(&p, rows[i].uuid, why, msg);
                continue;
            }
            proto_response *w = &v[m];
            memcpy(w->uuid, rows[i].uuid, sizeof w->uuid);
            memcpy(w->kind, rows[i].kind, sizeof w->kind);
            w->payload = rows[i].payload;
            size_t sz = proto_batch_row_size(w);
            if (m > 0 && bytes + sz > p.max_bytes)
                break;  /* the rest goes in the next batch */
            bytes += sz;
            m++;
        }
        if (!rc && m > 0)
            rc = send_batch(&p, v, m, bytes, &more, msg);
        kc_free(v);
        outbox_rows_free(rows, n);
    }
    ballot_release_free(rel);
    *pushed = p.pushed;
    *aside = p.set_aside;
    return rc;
}
