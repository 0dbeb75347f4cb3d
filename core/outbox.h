/*
 * outbox.h - what the kiosk still owes the server: responses, ballots and the like,
 * each under a random UUID.
 *
 * Contract:
 * - outbox_add() must run inside the caller's store transaction, the same one that
 *   stores the thing itself, so a row exists if and only if its payload does.  The
 *   UUID is made here (libsodium random, version 4 format) and returned.
 * - Rows are keyed by the UUID only: the table has no rowid and no timestamp, so it
 *   keeps no order of arrival that could line up residents or voters with a clock.
 *   Payloads carry whatever coarse time they need (e.g. the hour) themselves.
 * - Delivery is at-least-once: outbox_pending() hands out waiting rows (in UUID order
 *   from a starting UUID the caller picks at random, wrapping around, so a failing
 *   batch is not the same batch every time); only outbox_mark_sent() with UUIDs the
 *   server acknowledged marks them.  The server stores by UUID, so a resend has no
 *   effect there.
 * - A row the server refused on its own merits is set aside with the server's
 *   reason (outbox_set_aside): it no longer waits, is not counted as waiting, and
 *   stays until outbox_requeue() puts it back (after the server was fixed).
 * - Sent and set-aside rows stay (flagged) so local results remain countable.
 */
#ifndef OUTBOX_H
#define OUTBOX_H

#include <stddef.h>
#include "kc.h"
#include "store.h"

#define OUTBOX_UUID_LEN 36
#define OUTBOX_KIND_MAX 31
/* Largest payload accepted, bytes. */
#define OUTBOX_PAYLOAD_MAX (64 * 1024)

/* Creates or migrates the outbox tables; call once after store_open. */
kc_err outbox_init(store *st);

/* Adds a row; inside a transaction.  kind: [a-z-], 1..31 bytes.  payload: JSON text. */
kc_err outbox_add(store *st, const char *kind, const char *payload,
                  char uuid[OUTBOX_UUID_LEN + 1]);

/* After outbox_add() of an anonymous answer, in the same transaction: rewrites the
 * row and its neighbours in random order (store_anon_shuffle), in the table and in
 * the index of unsent rows, so no byte offset follows the order of arrival. */
kc_err outbox_anon_shuffle(store *st, const char *uuid);

typedef struct outbox_row {
    char uuid[OUTBOX_UUID_LEN + 1];
    char kind[OUTBOX_KIND_MAX + 1];
    char *payload;
} outbox_row;

/* Up to max waiting rows.  *rows is NULL when there are none. */
kc_err outbox_pending(store *st, size_t max, outbox_row **rows, size_t *n);
/* The same from the first UUID >= start (NULL: the smallest), wrapping around. */
kc_err outbox_pending_from(store *st, const char *start, size_t max, outbox_row **rows,
                           size_t *n);
void outbox_rows_free(outbox_row *rows, size_t n);

/* Marks the given waiting rows sent, in one transaction.  Unknown UUIDs and rows not
 * waiting (sent, set aside) are left as they are. */
kc_err outbox_mark_sent(store *st, const char *const *uuids, size_t n);

/* Longest reason kept for a set-aside row, bytes. */
#define OUTBOX_REASON_MAX 200

/* Sets the given waiting rows aside, each with its reason (cut to OUTBOX_REASON_MAX
 * at a character boundary), in one transaction; the last reason becomes the one
 * outbox_set_aside_info reports.  Rows not waiting are left as they are. */
kc_err outbox_set_aside(store *st, const char *const *uuids, const char *const *reasons,
                        size_t n);
/* How many rows are set aside, and the reason of the most recent (*reason is
 * kc_malloc'ed, "" when none). */
kc_err outbox_set_aside_info(store *st, long *count, char **reason);
/* Puts every set-aside row back to waiting; *n counts them. */
kc_err outbox_requeue(store *st, long *n);

/* Held rows: stored, but the person may still add to them (quick feedback: a comment
 * after the face, a second tap merged into the first), so they are not handed out to
 * be sent.  outbox_hold() runs in the transaction of outbox_add(); outbox_set_payload()
 * rewrites a held row only (KC_ENOTFOUND when the row is not held: it was released and
 * may be on its way).  outbox_release() makes a held row wait like any other;
 * outbox_release_all() does so for every held row: the kiosk calls it at start, so a
 * row held when the power went is sent after all.  Held rows are not counted by
 * outbox_depth(). */
kc_err outbox_hold(store *st, const char *uuid);
kc_err outbox_set_payload(store *st, const char *uuid, const char *payload);
kc_err outbox_release(store *st, const char *uuid);
kc_err outbox_release_all(store *st, long *n);

/* Rows waiting to be sent (not the sent or set-aside ones). */
kc_err outbox_depth(store *st, long *pending);

/* A fresh random UUID (version 4 text form). */
kc_err outbox_new_uuid(char out[OUTBOX_UUID_LEN + 1]);

/* 1 when s is a UUID in canonical lower-case text form. */
int outbox_valid_uuid(const char *s);

#endif
