/* The search vocabulary (assets/vocab/vocab.tsv, docs/vocabulary.md): every entry in
 * Finnish, Swedish and English; every theme, target group and kind named. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "vocab.h"

static void test_every_entry_trilingual(void **state)
{
    (void)state;
    vocab *v;
    char msg[KC_MSGMAX];
    if (vocab_load(&v, msg))
        fail_msg("%s", msg);
    assert_true(vocab_count(v) >= 150);
    for (size_t i = 0; i < vocab_count(v); i++)
        for (int l = 0; l < CAT_NLANG; l++) {
            if (!vocab_nterms(v, i, (cat_lang)l))
                fail_msg("vocab: \"%s\" has no %s term", vocab_id(v, i),
                         cat_lang_code((cat_lang)l));
            for (size_t k = 0; k < vocab_nterms(v, i, (cat_lang)l); k++)
                assert_true(strlen(vocab_term(v, i, (cat_lang)l, k)) > 0);
        }
    char id[80];
    for (int t = 0; cat_themes[t]; t++) {
        snprintf(id, sizeof id, "theme:%s", cat_themes[t]);
        if (vocab_find(v, id) < 0)
            fail_msg("vocab: no entry %s", id);
    }
    const char *const *groups = cat_fields[CAT_F_TARGET_GROUPS].enum_vals;
    for (int g = 0; groups[g]; g++) {
        snprintf(id, sizeof id, "group:%s", groups[g]);
        if (vocab_find(v, id) < 0)
            fail_msg("vocab: no entry %s", id);
    }
    for (int k = 0; k < CAT_NKIND; k++) {
        snprintf(id, sizeof id, "kind:%s", cat_kind_name((cat_kind)k));
        if (vocab_find(v, id) < 0)
            fail_msg("vocab: no entry %s", id);
    }
    vocab_free(v);
}

static void test_bad_entries_refused(void **state)
{
    (void)state;
    vocab *v = NULL;
    char msg[KC_MSGMAX];
    const char *no_sv = "# x\nchoir\t-\tkuoro\t\tchoir\n";
    assert_int_equal(vocab_parse(no_sv, strlen(no_sv), &v, msg), KC_EINVAL);
    assert_null(v);
    assert_non_null(strstr(msg, "line 2"));
    assert_non_null(strstr(msg, "no sv term"));
    const char *four = "choir\t-\tkuoro\tkör\n";
    assert_int_equal(vocab_parse(four, strlen(four), &v, msg), KC_EINVAL);
    const char *twice = "choir\t-\tkuoro\tkör\tchoir\nchoir\t-\tkuoro\tkör\tchoir\n";
    assert_int_equal(vocab_parse(twice, strlen(twice), &v, msg), KC_EINVAL);
    assert_non_null(strstr(msg, "twice"));
    const char *ok = "choir\tp1234\tkuoro|laulukuoro\tkör\tchoir\n";
    assert_int_equal(vocab_parse(ok, strlen(ok), &v, msg), KC_OK);
    assert_int_equal(vocab_nterms(v, 0, CAT_FI), 2);
    assert_string_equal(vocab_term(v, 0, CAT_FI, 1), "laulukuoro");
    assert_string_equal(vocab_yso(v, 0), "p1234");
    vocab_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_entry_trilingual),
        cmocka_unit_test(test_bad_entries_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
