#include "pin.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int valid_pin(const char *pin)
{
    size_t n = strlen(pin);
    if (n < PIN_MIN_LEN || n > PIN_MAX_LEN)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (pin[i] < '0' || pin[i] > '9')
            return 0;
    return 1;
}

static kc_err meta_ll(store *st, const char *key, long long *v)
{
    char *s = NULL;
    kc_err rc = store_meta_get(st, key, &s);
    *v = s ? strtoll(s, NULL, 10) : 0;
    kc_free(s);
    return rc;
}

static kc_err set_ll(store *st, const char *key, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    return store_meta_set(st, key, buf);
}

kc_err pin_set(store *st, const char *pin)
{
    if (!valid_pin(pin))
        return store_fail(st, KC_EINVAL, "pin: %d to %d digits, nothing else", PIN_MIN_LEN,
                          PIN_MAX_LEN);
    if (sodium_init() < 0)
        return store_fail(st, KC_ECRYPTO, "pin: libsodium did not start");
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return store_fail(st, KC_ENOMEM, "pin: hashing ran out of memory");
    kc_err rc = store_begin(st);
    if (rc)
        return rc;
    if ((rc = store_meta_set(st, "pin.hash", hash)) || (rc = set_ll(st, "pin.fails", 0)) ||
        (rc = set_ll(st, "pin.locked_until", 0))) {
        store_rollback(st);
        return rc;
    }
    return store_commit(st);
}

kc_err pin_is_set(store *st, int *set)
{
    char *h = NULL;
    kc_err rc = store_meta_get(st, "pin.hash", &h);
    *set = h != NULL;
    kc_free(h);
    return rc;
}

/* Seconds of lockout after the `fails`-th wrong PIN in a row. */
static long long delay_after(long long fails)
{
    if (fails <= PIN_FREE_TRIES)
        return 0;
    long long delay = PIN_BASE_DELAY;
    for (long long i = PIN_FREE_TRIES + 1; i < fails && delay < PIN_MAX_DELAY; i++)
        delay *= 2;
    return delay > PIN_MAX_DELAY ? PIN_MAX_DELAY : delay;
}

/* The attempt is counted, as if wrong, and committed before the hash is looked at: a
 * check that cannot be counted (the database busy or locked by another connection, a
 * full disk) is never made, so the limit fails closed and a right PIN and a wrong one
 * look the same until the count is stored.  A right PIN then clears the count. */
kc_err pin_check(store *st, const char *pin, long long now_s, long *wait_s)
{
    char *hash = NULL;
    long long fails, until;
    *wait_s = 0;
    if (sodium_init() < 0)
        return store_fail(st, KC_ECRYPTO, "pin: libsodium did not start");
    kc_err rc = store_begin(st);
    if (rc)
        return rc;
    if ((rc = store_meta_get(st, "pin.hash", &hash)) ||
        (rc = meta_ll(st, "pin.fails", &fails)) ||
        (rc = meta_ll(st, "pin.locked_until", &until)))
        goto fail;
    if (!hash) {
        rc = store_fail(st, KC_ENOTFOUND, "pin: no coordinator PIN has been set");
        goto fail;
    }
    if (now_s < until) {
        *wait_s = (long)(until - now_s);
        rc = store_fail(st, KC_ELOCKED, "pin: locked for %ld s", *wait_s);
        goto fail;
    }
    fails++;
    long long delay = delay_after(fails);
    if ((rc = set_ll(st, "pin.fails", fails)) ||
        (rc = set_ll(st, "pin.locked_until", now_s + delay)) || (rc = store_commit(st)))
        goto fail;
    int ok = valid_pin(pin) && crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0;
    kc_free(hash);
    if (!ok) {
        *wait_s = (long)delay;
        return store_fail(st, KC_EDENIED, "pin: wrong PIN");
    }
    /* Not cleared (busy again): the PIN does not open anything, and the attempt stays
     * counted; trying again later works. */
    if ((rc = store_begin(st)))
        return rc;
    if ((rc = set_ll(st, "pin.fails", 0)) || (rc = set_ll(st, "pin.locked_until", 0)) ||
        (rc = store_commit(st))) {
        store_rollback(st);
        return rc;
    }
    return KC_OK;
fail:
    kc_free(hash);
    store_rollback(st);
    return rc;
}
