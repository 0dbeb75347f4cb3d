/* Coordinator PIN: hashed storage, lockout that grows and survives reopening. */
#include "testutil.h"

#include <string.h>

#include "pin.h"
#include "store.h"

static void test_pin(void **state)
{
    (void)state;
    store *st;
    long wait;
    int set;
    assert_int_equal(store_open(tu_tmp("pin.db"), &st), KC_OK);
    assert_int_equal(pin_is_set(st, &set), KC_OK);
    assert_false(set);
    assert_int_equal(pin_check(st, "1234", 1000, &wait), KC_ENOTFOUND);
    assert_int_equal(pin_set(st, "12a4"), KC_EINVAL);
    assert_int_equal(pin_set(st, "123"), KC_EINVAL);
    assert_int_equal(pin_set(st, "2580"), KC_OK);
    char *h;
    assert_int_equal(store_meta_get(st, "pin.hash", &h), KC_OK);
    assert_null(strstr(h, "2580"));  /* only the hash is stored */
    assert_non_null(strstr(h, "$argon2id$"));
    kc_free(h);
    assert_int_equal(pin_check(st, "2580", 1000, &wait), KC_OK);

    /* three free tries, then 30 s, 60 s, ... */
    long long t = 2000;
    for (int i = 0; i < PIN_FREE_TRIES; i++) {
        assert_int_equal(pin_check(st, "0000", t, &wait), KC_EDENIED);
        assert_int_equal(wait, 0);
    }
    assert_int_equal(pin_check(st, "0000", t, &wait), KC_EDENIED);
    assert_int_equal(wait, PIN_BASE_DELAY);
    /* while locked even the right PIN is not checked */
    assert_int_equal(pin_check(st, "2580", t + 10, &wait), KC_ELOCKED);
    assert_int_equal(wait, PIN_BASE_DELAY - 10);
    store_close(st);
    /* the lock survives a restart */
    assert_int_equal(store_open(tu_tmp("pin.db"), &st), KC_OK);
    assert_int_equal(pin_check(st, "2580", t + 20, &wait), KC_ELOCKED);
    t += PIN_BASE_DELAY;
    assert_int_equal(pin_check(st, "1111", t, &wait), KC_EDENIED);
    assert_int_equal(wait, 2 * PIN_BASE_DELAY);
    t += 2 * PIN_BASE_DELAY;
    assert_int_equal(pin_check(st, "2580", t, &wait), KC_OK);
    /* success cleared the count: free tries again */
    assert_int_equal(pin_check(st, "0000", t, &wait), KC_EDENIED);
    assert_int_equal(wait, 0);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_pin) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
