/* The screen table (kiosk/screens.c): a row for every scr_id, each named and drawn,
 * names and coordinator entries unique; and app_screens_check, which app_init runs,
 * refuses a table with a row missing or left empty. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "screens.h"

static void test_every_screen_has_its_row(void **state)
{
    (void)state;
    size_t n;
    const app_screen *t = screens_table(&n);
    char msg[KC_MSGMAX] = "";
    assert_int_equal(n, SCR_NSCREENS);
    assert_int_equal(app_screens_check(t, n, msg), KC_OK);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(t[i].name);
        assert_non_null(t[i].draw);
        /* A coordinator entry has both its button id and its label. */
        assert_int_equal(t[i].admin_id != NULL, t[i].admin_label != NULL);
        for (size_t j = i + 1; j < n; j++) {
            assert_string_not_equal(t[i].name, t[j].name);
            if (t[i].admin_id && t[j].admin_id)
                assert_string_not_equal(t[i].admin_id, t[j].admin_id);
        }
    }
}

static void test_check_refuses_a_missing_row(void **state)
{
    (void)state;
    size_t n;
    const app_screen *t = screens_table(&n);
    app_screen *copy = malloc(n * sizeof *copy);
    assert_non_null(copy);
    char msg[KC_MSGMAX] = "";
    memcpy(copy, t, n * sizeof *copy);
    assert_int_equal(app_screens_check(copy, n - 1, msg), KC_EINVAL);  /* a row short */
    assert_non_null(strstr(msg, "rows"));
    memset(&copy[SCR_CALENDAR], 0, sizeof copy[SCR_CALENDAR]);  /* a row left out */
    assert_int_equal(app_screens_check(copy, n, msg), KC_EINVAL);
    assert_non_null(strstr(msg, "screen 4"));
    memcpy(copy, t, n * sizeof *copy);
    copy[SCR_VOTE].draw = NULL;  /* named but not drawn */
    assert_int_equal(app_screens_check(copy, n, msg), KC_EINVAL);
    assert_non_null(strstr(msg, "vote"));
    assert_int_equal(app_screens_check(NULL, 0, msg), KC_EINVAL);
    free(copy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_screen_has_its_row),
        cmocka_unit_test(test_check_refuses_a_missing_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
