/* The kiosk's settings file: every key has a name, values are trimmed and owned, a
 * refused file changes nothing, flags and command-line values. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "kconf.h"

static kc_err parse(kconf *c, const char *text, char *msg)
{
    return kconf_parse(c, text, strlen(text), "k.conf", msg);
}

static void test_every_key_named(void **state)
{
    (void)state;
    for (int k = 0; k < KCONF_NKEYS; k++) {
        assert_non_null(kconf_name((kconf_key)k));
        assert_int_equal(kconf_key_of(kconf_name((kconf_key)k)), k);
    }
    assert_int_equal(kconf_key_of("nope"), -1);
}

static void test_values_trimmed_and_owned(void **state)
{
    (void)state;
    char msg[KC_MSGMAX];
    kconf *c = kconf_new();
    assert_non_null(c);
    char text[256];
    snprintf(text, sizeof text, "# x\r\n  db\t=  /var/lib/k/kiosk.db \t\r\nidle=90\nheadless\n"
                                "fullscreen = yes\nwindowed\n");
    assert_int_equal(parse(c, text, msg), KC_OK);
    memset(text, 'x', sizeof text - 1);  /* values do not point into the text */
    assert_string_equal(kconf_str(c, KCONF_DB), "/var/lib/k/kiosk.db");
    assert_int_equal(kconf_long(c, KCONF_IDLE, 60), 90);
    assert_int_equal(kconf_long(c, KCONF_SYNC_INTERVAL, 60), 60);
    assert_true(kconf_flag(c, KCONF_HEADLESS));
    assert_true(kconf_flag(c, KCONF_WINDOWED));  /* the later of the two wins */
    assert_false(kconf_flag(c, KCONF_FULLSCREEN));
    /* a refused file changes nothing, even settings before its bad line */
    assert_int_equal(parse(c, "db = /other.db\nidle = 91\nsize = 10x10\n", msg), KC_EINVAL);
    assert_string_equal(msg, "k.conf:3: size: must be WxH, from 320x240 to 8192x8192");
    assert_string_equal(kconf_str(c, KCONF_DB), "/var/lib/k/kiosk.db");
    assert_int_equal(kconf_long(c, KCONF_IDLE, 60), 90);
    /* a second file overrides the first; so do flags */
    assert_int_equal(parse(c, "idle = 120\ncreate-db = yes\n", msg), KC_OK);
    assert_int_equal(kconf_long(c, KCONF_IDLE, 60), 120);
    assert_true(kconf_flag(c, KCONF_CREATE_DB));
    assert_int_equal(kconf_set(c, "create-db", "no", msg), KC_OK);
    assert_false(kconf_flag(c, KCONF_CREATE_DB));
    assert_int_equal(kconf_set(c, "idle", "4", msg), KC_EINVAL);
    assert_string_equal(msg, "idle: must be 5..86400 seconds");
    assert_int_equal(kconf_set(c, "idle", NULL, msg), KC_EINVAL);
    assert_int_equal(kconf_set(c, "colour", "x", msg), KC_EINVAL);
    int w, h;
    assert_int_equal(kconf_size(c, &w, &h), -1);
    assert_int_equal(kconf_set(c, "size", "1920x1080", msg), KC_OK);
    assert_int_equal(kconf_size(c, &w, &h), 0);
    assert_int_equal(w, 1920);
    assert_int_equal(h, 1080);
    for (int i = 0; i < 1000; i++)  /* no pool to run out of */
        assert_int_equal(kconf_set(c, "assets", i % 2 ? "a" : "b", msg), KC_OK);
    assert_string_equal(kconf_str(c, KCONF_ASSETS), "a");
    kconf_free(c);
}

static void test_refusals(void **state)
{
    (void)state;
    static const struct { const char *text; size_t len; const char *msg; } cases[] = {
        { "idle = 60\nfoo = 1\n", 0, "k.conf:2: unknown setting \"foo\"" },
        { "db\n", 0, "k.conf:1: expected db = value" },
        { "db =\n", 0, "k.conf:1: db: needs a value" },
        { "idle = 5 0\n", 0, "k.conf:1: idle: must be a whole number of seconds, 5..86400" },
        { "idle = 99999999999\n", 0, "k.conf:1: idle: must be a whole number of seconds, 5..86400" },
        { "lang = de\n", 0, "k.conf:1: lang: must be fi, sv or en" },
        { "today = 2026-1-1\n", 0, "k.conf:1: today: must be a date YYYY-MM-DD" },
        { "size = -1280x800\n", 0, "k.conf:1: size: must be WxH, from 320x240 to 8192x8192" },
        { "renderer = gpu\n", 0, "k.conf:1: renderer: must be software or accelerated" },
        { "headless = 1\n", 0, "k.conf:1: headless: a flag is yes or no" },
        { "hours = mon-fri 20:00-08:00\n", 0, "k.conf:1: hours: must be days and hours, e.g. "
          "mon-fri 08:00-20:00, sat 10:00-16:00 (days not named are closed)" },
        { "db = a\nidle = 60\ndb = b\n", 0, "k.conf:3: db is already set on line 1" },
        { "db = a\x1b[2Jb\n", 0, "k.conf:1: a control character" },
        { "db = a\xe2\x80\xae" "b\n", 0, "k.conf:1: db: holds control or invisible characters" },
        { "db = a\xe2\x81\xa6" "b\n", 0, "k.conf:1: db: holds control or invisible characters" },
        { "db = a\xff" "b\n", 0, "k.conf:1: db: is not valid UTF-8" },
        { "\xef\xbb\xbf" "db = a\n", 0, "k.conf: starts with a byte order mark (U+FEFF); save it as UTF-8 without BOM" },
        { "\xff\xfe" "d\0b\0", 6, "k.conf: is UTF-16 text; save it as UTF-8" },
        { "d\0b\0 \0=\0", 8, "k.conf: looks like UTF-16 text; save it as UTF-8" },
        { "db = a\nidle = 6\0" "0\n", 17, "k.conf: line 2: a NUL byte; this is not a text file" },
    };
    char msg[KC_MSGMAX];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kconf *c = kconf_new();
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);
        assert_int_equal(kconf_parse(c, cases[i].text, len, "k.conf", msg), KC_EINVAL);
        assert_string_equal(msg, cases[i].msg);
        assert_null(kconf_str(c, KCONF_DB));
        kconf_free(c);
    }
    /* a line over the limit, and a file over the limit */
    char *big = kc_malloc(KCONF_FILE_MAX + 2);
    assert_non_null(big);
    memset(big, '#', KCONF_FILE_MAX + 1);
    big[0] = '\n';
    big[KCONF_FILE_MAX + 1] = '\0';
    kconf *c = kconf_new();
    assert_int_equal(kconf_parse(c, big, KCONF_LINE_MAX + 1, "k.conf", msg), KC_OK);
    assert_int_equal(kconf_parse(c, big, KCONF_LINE_MAX + 2, "k.conf", msg), KC_EINVAL);
    assert_string_equal(msg, "k.conf:2: longer than 1024 bytes");
    assert_int_equal(kconf_parse(c, big, KCONF_FILE_MAX + 1, "k.conf", msg), KC_ETOOBIG);
    kconf_free(c);
    kc_free(big);
}

/* Allocation failures leave the settings as they were. */
static void test_out_of_memory(void **state)
{
    (void)state;
    char msg[KC_MSGMAX];
    for (long n = 0;; n++) {
        kconf *c = kconf_new();
        assert_non_null(c);
        assert_int_equal(parse(c, "db = first\n", msg), KC_OK);
        kc_fault_after(n);
        kc_err rc = parse(c, "db = second\nidle = 70\n", msg);
        long hits = kc_fault_after(-1);
        if (rc) {
            assert_int_equal(rc, KC_ENOMEM);
            assert_string_equal(kconf_str(c, KCONF_DB), "first");
        }
        kconf_free(c);
        if (!hits) {
            assert_int_equal(rc, KC_OK);
            break;
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_key_named),
        cmocka_unit_test(test_values_trimmed_and_owned),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
