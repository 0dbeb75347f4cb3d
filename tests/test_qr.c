/* QR: encodes, has finder patterns, refuses empty and oversized text. */
#include "testutil.h"

#include <string.h>

#include "qr.h"

static void test_encode(void **state)
{
    (void)state;
    qr_code *q;
    assert_int_equal(qr_encode("https://vapaaehtoistyo.fi/", &q), KC_OK);
    int n = qr_size(q);
    assert_true(n >= 21 && (n - 21) % 4 == 0);
    /* finder pattern corners: dark outer ring, light ring, dark 3x3 centre */
    assert_true(qr_dark(q, 0, 0) && qr_dark(q, 6, 0) && qr_dark(q, 0, 6));
    assert_false(qr_dark(q, 1, 1));
    assert_true(qr_dark(q, 3, 3));
    assert_true(qr_dark(q, n - 1, 0) && qr_dark(q, 0, n - 1));
    assert_false(qr_dark(q, -1, 0));
    assert_false(qr_dark(q, n, n));
    qr_free(q);
}

static void test_limits(void **state)
{
    (void)state;
    qr_code *q;
    assert_int_equal(qr_encode("", &q), KC_ETOOBIG);
    assert_null(q);
    char big[QR_TEXT_MAX + 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(qr_encode(big, &q), KC_ETOOBIG);
    assert_int_equal(qr_encode("Yhteystiedot: Pääkirjasto, p. 040 000 0001", &q), KC_OK);
    qr_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
