/* Translations: gettext plural entries (msgid_plural, msgstr[0], msgstr[1]) and the
 * count's form by the rule of fi, sv and en (n != 1); malformed plural entries are
 * refused with the file and line; the kiosk's own files load. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "i18n.h"

static void write_po(const char *dir, const char *lang, const char *body)
{
    char path[1100];
    snprintf(path, sizeof path, "%.1000s/%s.po", dir, lang);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n", f);
    fputs(body, f);
    assert_int_equal(fclose(f), 0);
}

static const char *dir_with(const char *name, const char *fi, const char *sv, const char *en)
{
    static char dir[1024];
    snprintf(dir, sizeof dir, "%s", tu_tmp(name));
    mkdir(dir, 0700);
    write_po(dir, "fi", fi);
    write_po(dir, "sv", sv);
    write_po(dir, "en", en);
    return dir;
}

static void test_plural_forms(void **state)
{
    (void)state;
    const char *dir = dir_with(
        "i18n_pl",
        "msgid \"%ld answer\"\nmsgid_plural \"%ld answers\"\n"
        "msgstr[0] \"%ld vastaus\"\nmsgstr[1] \"%ld vastausta\"\n\n"
        "msgid \"Home\"\nmsgstr \"Etusivu\"\n",
        "msgid \"%ld vote\"\nmsgid_plural \"%ld votes\"\n"
        "msgstr[0] \"%ld r\xc3\xb6st\"\nmsgstr[1] \"%ld r\xc3\xb6ster\"\n",
        "msgid \"%ld answer\"\nmsgid_plural \"%ld answers\"\nmsgstr[0] \"\"\nmsgstr[1] \"\"\n");
    i18n *t = NULL;
    char msg[KC_MSGMAX];
    assert_int_equal(i18n_load(dir, &t, msg), KC_OK);
    assert_string_equal(i18n_ntr(t, CAT_FI, "%ld answer", "%ld answers", 1), "%ld vastaus");
    assert_string_equal(i18n_ntr(t, CAT_FI, "%ld answer", "%ld answers", 2), "%ld vastausta");
    assert_string_equal(i18n_ntr(t, CAT_FI, "%ld answer", "%ld answers", 0), "%ld vastausta");
    assert_string_equal(i18n_ntr(t, CAT_SV, "%ld vote", "%ld votes", 1), "%ld r\xc3\xb6st");
    assert_string_equal(i18n_ntr(t, CAT_SV, "%ld vote", "%ld votes", 7), "%ld r\xc3\xb6ster");
    /* English: empty msgstr gives the key of the count's form */
    assert_string_equal(i18n_ntr(t, CAT_EN, "%ld answer", "%ld answers", 1), "%ld answer");
    assert_string_equal(i18n_ntr(t, CAT_EN, "%ld answer", "%ld answers", 3), "%ld answers");
    /* missing entry, or one for another plural key: the keys */
    assert_string_equal(i18n_ntr(t, CAT_SV, "%ld answer", "%ld answers", 3), "%ld answers");
    assert_string_equal(i18n_ntr(t, CAT_FI, "%ld answer", "%ld replies", 3), "%ld replies");
    /* ordinary entries are untouched */
    assert_string_equal(i18n_tr(t, CAT_FI, "Home"), "Etusivu");
    i18n_free(t);
}

static void test_bad_plural_entries(void **state)
{
    (void)state;
    static const char *const bad[] = {
        /* only one form */
        "msgid \"%ld answer\"\nmsgid_plural \"%ld answers\"\nmsgstr[0] \"x\"\n",
        /* a third form: fi, sv and en have two */
        "msgid \"%ld answer\"\nmsgid_plural \"%ld answers\"\nmsgstr[0] \"x\"\n"
        "msgstr[1] \"y\"\nmsgstr[2] \"z\"\n",
        /* msgstr on a plural entry */
        "msgid \"%ld answer\"\nmsgid_plural \"%ld answers\"\nmsgstr \"x\"\n",
        /* forms without msgid_plural */
        "msgid \"%ld answer\"\nmsgstr[0] \"x\"\nmsgstr[1] \"y\"\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *dir = dir_with("i18n_bad", bad[i], "", "");
        i18n *t = NULL;
        char msg[KC_MSGMAX] = "";
        assert_int_equal(i18n_load(dir, &t, msg), KC_EINVAL);
        assert_null(t);
        assert_non_null(strstr(msg, "fi.po:"));
    }
}

static void test_kiosk_files(void **state)
{
    (void)state;
    i18n *t = NULL;
    char msg[KC_MSGMAX];
    assert_int_equal(i18n_load(ASSETS_DIR "/i18n", &t, msg), KC_OK);
    const char *one = "%s \xc2\xb7 %ld response \xc2\xb7 %s";
    const char *many = "%s \xc2\xb7 %ld responses \xc2\xb7 %s";
    assert_string_equal(i18n_ntr(t, CAT_FI, one, many, 1), "%s \xc2\xb7 %ld vastaus \xc2\xb7 %s");
    assert_string_equal(i18n_ntr(t, CAT_FI, one, many, 2),
                        "%s \xc2\xb7 %ld vastausta \xc2\xb7 %s");
    i18n_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plural_forms),
        cmocka_unit_test(test_bad_plural_entries),
        cmocka_unit_test(test_kiosk_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
