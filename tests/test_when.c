/* Human dates (core/when.c): Finnish "ti 1.12. klo 18", Swedish and English, today
 * and tomorrow in words, the year only when it is not this year's, weekdays across
 * month, year and leap-day boundaries, malformed input copied rather than guessed. */
#include "testutil.h"

#include <string.h>

#include "when.h"

static void eq(const char *iso, const char *today, cat_lang l, const char *want)
{
    char out[64];
    when_format(iso, today, l, out, sizeof out);
    if (strcmp(out, want) != 0)
        fail_msg("%s (today %s, lang %d): \"%s\", want \"%s\"", iso, today, (int)l, out, want);
}

static void test_finnish(void **state)
{
    (void)state;
    eq("2026-12-01T18:00", "2026-11-20", CAT_FI, "ti 1.12. klo 18");
    eq("2026-12-03T16:30", "2026-11-20", CAT_FI, "to 3.12. klo 16.30");
    eq("2026-12-01T18:05", "2026-12-01", CAT_FI, "Tänään klo 18.05");
    eq("2026-12-02T09:00", "2026-12-01", CAT_FI, "Huomenna klo 9");
    eq("2027-01-05", "2026-12-01", CAT_FI, "ti 5.1.2027");
    eq("2026-12-24", "2026-12-01", CAT_FI, "to 24.12.");
}

static void test_swedish_english(void **state)
{
    (void)state;
    eq("2026-12-01T18:00", "2026-11-20", CAT_SV, "tis 1.12. kl. 18");
    eq("2026-12-01T18:30", "2026-12-01", CAT_SV, "Idag kl. 18.30");
    eq("2026-12-02", "2026-12-01", CAT_SV, "I morgon");
    eq("2026-12-01T18:00", "2026-11-20", CAT_EN, "Tue 1 Dec 18:00");
    eq("2026-12-01T08:30", "2026-12-01", CAT_EN, "Today 08:30");
    eq("2027-03-01", "2026-12-01", CAT_EN, "Mon 1 Mar 2027");
}

static void test_weekdays(void **state)
{
    (void)state;
    assert_int_equal(when_weekday("1970-01-01"), 3);   /* Thursday */
    assert_int_equal(when_weekday("2000-02-29"), 1);   /* Tuesday */
    assert_int_equal(when_weekday("2024-12-31"), 1);   /* Tuesday */
    assert_int_equal(when_weekday("2025-01-01"), 2);   /* Wednesday */
    assert_int_equal(when_weekday("2026-12-06"), 6);   /* Sunday, Independence Day */
    assert_int_equal(when_weekday("1969-12-31"), 2);
    assert_string_equal(when_weekday_name(4, CAT_SV), "fre");
}

static void test_malformed(void **state)
{
    (void)state;
    char out[8];
    eq("joulukuu", "2026-12-01", CAT_FI, "joulukuu");
    eq("2026-13-01", "2026-12-01", CAT_FI, "2026-13-01");
    eq("2026-12-01T25:00", "2026-11-01", CAT_FI, "ti 1.12.");
    eq("2026-12-01T18:00", "bad", CAT_FI, "ti 1.12.2026 klo 18");
    assert_int_equal(when_weekday("2026-1-01"), -1);
    when_format("2026-12-01T18:00", "2026-11-01", CAT_FI, out, sizeof out);
    assert_int_equal(strlen(out), 7);  /* cut, still terminated */
    when_time("2026-12-01", CAT_EN, out, sizeof out);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_finnish),
        cmocka_unit_test(test_swedish_english),
        cmocka_unit_test(test_weekdays),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
