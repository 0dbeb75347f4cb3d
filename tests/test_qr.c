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

/* A contact card names the organisation and escapes its fields: a role with a comma
 * must not become last name and first name on a phone. */
static void test_mecard(void **state)
{
    (void)state;
    char out[300];
    assert_int_equal(qr_mecard("Koordinaattori, kulttuuri", "Porvoon kaupunki; kulttuuri",
                               "+358 40 000 0001", "a.b@porvoo.fi", out, sizeof out),
                     KC_OK);
    assert_string_equal(out, "MECARD:N:Koordinaattori\\, kulttuuri;"
                             "ORG:Porvoon kaupunki\\; kulttuuri;TEL:+358 40 000 0001;"
                             "EMAIL:a.b@porvoo.fi;;");
    assert_int_equal(qr_mecard("Back\\slash: yes", NULL, NULL, "x@y.fi", out, sizeof out),
                     KC_OK);
    assert_string_equal(out, "MECARD:N:Back\\\\slash\\: yes;EMAIL:x@y.fi;;");
    assert_int_equal(qr_mecard("Nimi", NULL, NULL, NULL, out, sizeof out), KC_EINVAL);
    assert_int_equal(qr_mecard("", NULL, "1", NULL, out, sizeof out), KC_EINVAL);
    assert_int_equal(qr_mecard("Nimi", "Org", "040", NULL, out, 20), KC_ETOOBIG);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_mecard),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
