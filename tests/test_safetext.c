/* safetext: which characters are dropped from free text, which are kept, and the
 * first look at imported files. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "safetext.h"

static size_t utf8(unsigned cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

static int dropped(unsigned cp)
{
    char s[16] = "a";
    size_t n = 1 + utf8(cp, s + 1);
    s[n] = 'b';
    s[n + 1] = '\0';
    int clean = safetext_is_clean(s);
    size_t removed = safetext_neutralise(s);
    if (removed)
        assert_string_equal(s, "ab");
    assert_int_equal(clean, removed == 0);
    return removed == 1;
}

static void test_dropped_and_kept(void **state)
{
    (void)state;
    static const unsigned drop[] = { 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067,
                                     0x2068, 0x2069, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F,
                                     0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF, 0x061C,
                                     0x180E, 0x01, 0x1B, 0x0D, 0x7F, 0x85, 0x9B };
    static const unsigned keep[] = { 'x', 0x09, 0x0A, 0xE4, 0x20AC, 0x2013, 0x2026, 0x200A,
                                     0x2065, 0x2070, 0x202F, 0xFEFE, 0x0627, 0x05D0 };
    for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
        assert_true(dropped(drop[i]));
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
        assert_false(dropped(keep[i]));
    char s[] = "\xe2\x80\xae\xe2\x80\xae";
    assert_int_equal(safetext_neutralise(s), 2);
    assert_string_equal(s, "");
    char bad[] = "\xe2\x80";  /* cut short: left alone, nothing read past the end */
    assert_int_equal(safetext_neutralise(bad), 0);
}

static void test_file_checks(void **state)
{
    (void)state;
    char msg[KC_MSGMAX];
    assert_int_equal(safetext_check_file("{}", 2, "f.json", msg), KC_OK);
    assert_int_equal(safetext_check_file("", 0, "f.json", msg), KC_OK);
    assert_int_equal(safetext_check_file("\xef\xbb\xbf{}", 5, "f.json", msg), KC_EINVAL);
    assert_non_null(strstr(msg, "f.json: starts with a byte order mark"));
    assert_int_equal(safetext_check_file("\xfe\xff\0{", 4, "f.json", msg), KC_EINVAL);
    assert_string_equal(msg, "f.json: is UTF-16 text; save it as UTF-8");
    assert_int_equal(safetext_check_file("{\0\"\0", 4, "f.json", msg), KC_EINVAL);
    assert_string_equal(msg, "f.json: looks like UTF-16 text; save it as UTF-8");
    assert_int_equal(safetext_check_file("{\n\n\"a\0\"}", 8, "f.json", msg), KC_EINVAL);
    assert_string_equal(msg, "f.json: line 3: a NUL byte; this is not a text file");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dropped_and_kept),
        cmocka_unit_test(test_file_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
