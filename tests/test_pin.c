/* Coordinator PIN: hashed storage, lockout that grows and survives reopening. */
#include "testutil.h"
#include "store_sql.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Another connection holds the write lock: no PIN is compared, right or wrong, and the
 * answer does not tell them apart; the limit still counts once the lock is gone. */
static void test_pin_fails_closed_when_locked(void **state)
{
    (void)state;
    store *st;
    long wait;
    assert_int_equal(store_open(tu_tmp("pinlock.db"), &st), KC_OK);
    assert_int_equal(pin_set(st, "2580"), KC_OK);
    sqlite3_busy_timeout(store_db(st), 100);  /* the test need not wait 5 s a try */
    sqlite3 *other;
    assert_int_equal(sqlite3_open(tu_tmp("pinlock.db"), &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE; "
                                         "UPDATE meta SET value = value WHERE key = 'pin.fails'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    char wrong_msg[KC_MSGMAX];
    long long t = 5000;
    for (int i = 0; i < 5; i++) {
        kc_err rc = pin_check(st, "0000", t, &wait);
        assert_int_equal(rc, KC_EBUSY);
        snprintf(wrong_msg, sizeof wrong_msg, "%s", store_errmsg(st));
    }
    assert_int_equal(pin_check(st, "2580", t, &wait), KC_EBUSY);
    assert_string_equal(store_errmsg(st), wrong_msg);
    assert_false(store_in_tx(st));
    assert_int_equal(sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(other);
    /* nothing was compared, so nothing was counted either: 3 free tries, then locked */
    for (int i = 0; i < PIN_FREE_TRIES; i++)
        assert_int_equal(pin_check(st, "0000", t, &wait), KC_EDENIED);
    assert_int_equal(pin_check(st, "0000", t, &wait), KC_EDENIED);
    assert_int_equal(wait, PIN_BASE_DELAY);
    assert_int_equal(pin_check(st, "2580", t + 1, &wait), KC_ELOCKED);
    assert_int_equal(pin_check(st, "2580", t + PIN_BASE_DELAY, &wait), KC_OK);
    char *v;
    assert_int_equal(store_meta_get(st, "pin.fails", &v), KC_OK);
    assert_string_equal(v, "0");
    kc_free(v);
    store_close(st);
}


int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_pin),
                                        cmocka_unit_test(test_pin_fails_closed_when_locked) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
