/* Folding (core/fold.c) takes a short cut for ASCII and Å Ä Ö å ä ö; the short cut
 * must give exactly the bytes utf8proc gives, or the catalog and queries folded on
 * different paths stop matching. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "fold.h"

static void expect_same(const char *s, size_t len)
{
    static const int opt[2] = {
        UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD |
            UTF8PROC_STABLE,
        UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STABLE,
    };
    for (int k = 0; k < 2; k++) {
        utf8proc_uint8_t *m = NULL;
        utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
                                          &m, (utf8proc_option_t)opt[k]);
        char *f = NULL;
        kc_err rc = k == 0 ? fold_utf8(s, len, &f) : fold_lower(s, len, &f);
        assert_true(n >= 0);
        assert_int_equal(rc, KC_OK);
        if (strlen(f) != (size_t)n || memcmp(f, m, (size_t)n) != 0)
            fail_msg("fold %d of \"%.*s\": \"%s\", utf8proc \"%.*s\"", k, (int)len, s, f, (int)n,
                     (const char *)m);
        kc_free(f);
        free(m);
    }
}

static void test_short_cut_matches_utf8proc(void **state)
{
    (void)state;
    char one[2];
    for (int c = 1; c < 128; c++) {
        one[0] = (char)c;
        expect_same(one, 1);
    }
    static const char *const texts[] = {
        "Å", "Ä", "Ö", "å", "ä", "ö", "ÄÄNEKOSKEN Åbo", "Eläkeläiset ry", "Borgå",
        "Kör ÖVERMARK 2026!", "a\xcc\x88", "Ø é ß", "", "Helsinki–Vantaa",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        expect_same(texts[i], strlen(texts[i]));
    char *f = (char *)"x";
    assert_int_equal(fold_utf8("a\0b", 3, &f), KC_EINVAL);  /* NUL inside: refused */
    assert_null(f);
}

static void test_ascii_words_as_utf8proc_sees_them(void **state)
{
    (void)state;
    for (int c = 1; c < 128; c++) {
        char s[3] = { 'x', (char)c, 'y' };
        size_t pos = 0, a, b;
        utf8proc_category_t cat = utf8proc_category(c);
        int word = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO;
        assert_true(fold_next_word(s, 3, &pos, &a, &b));
        assert_int_equal(a, 0);
        assert_int_equal(b, word ? 3 : 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_cut_matches_utf8proc),
        cmocka_unit_test(test_ascii_words_as_utf8proc_sees_them),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
