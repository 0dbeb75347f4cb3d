/*
 * pin.h - the coordinator PIN: stored only as an Argon2id hash (libsodium
 * crypto_pwhash_str) in the store's meta table, and guessing is rate-limited.
 *
 * Lockout: the first PIN_FREE_TRIES wrong PINs in a row cost nothing; each further
 * wrong PIN locks checking for PIN_BASE_DELAY seconds, doubling every time, up to
 * PIN_MAX_DELAY.  The count and the lock survive restarts (they are in the database),
 * so pulling the plug does not reset them.  A right PIN clears the count.  A check
 * whose attempt cannot be stored is not made (fails closed).
 *
 * Time is passed in (seconds since the epoch) so tests need not sleep.  Hashing
 * takes tens of milliseconds and about 64 MB briefly, on purpose.
 */
#ifndef PIN_H
#define PIN_H

#include "kc.h"
#include "store.h"

#define PIN_MIN_LEN 4
#define PIN_MAX_LEN 12
#define PIN_FREE_TRIES 3
#define PIN_BASE_DELAY 30
#define PIN_MAX_DELAY 3600

/* Sets the PIN (digits only, PIN_MIN_LEN..PIN_MAX_LEN) and clears any lockout. */
kc_err pin_set(store *st, const char *pin);

/* 1 when a PIN has been set. */
kc_err pin_is_set(store *st, int *set);

/* KC_OK when right; KC_EDENIED when wrong; KC_ELOCKED without checking when locked
 * (then *wait_s says for how long); KC_ENOTFOUND when no PIN is set.  The attempt is
 * counted and committed before the PIN is compared: any other code (KC_EBUSY while
 * another connection holds the write lock, KC_EIO, ...) means the PIN was not
 * compared at all, whether it was right or wrong.  Not inside a transaction. */
kc_err pin_check(store *st, const char *pin, long long now_s, long *wait_s);

#endif
