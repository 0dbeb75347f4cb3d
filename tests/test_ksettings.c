/* A kiosk's settings from the server and opening hours (core/ksettings.h): every
 * bound refused with the member named, the canonical JSON, which ids are shown, and
 * the open/closed state and the next change across a week. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "ksettings.h"

static kc_err parse(const char *json, ksettings *s, char *field, char *msg)
{
    return ksettings_parse(json, strlen(json), 1, s, field, msg);
}

#define WEEK "\"hours\":{\"mon\":\"08:00-20:00\",\"tue\":\"08:00-20:00\",\"wed\":\"08:00-20:00\"," \
             "\"thu\":\"08:00-20:00\",\"fri\":\"08:00-20:00\",\"sat\":\"10:00-16:00\",\"sun\":\"closed\"}"

static void test_parse_and_json(void **state)
{
    (void)state;
    ksettings s;
    char field[KSET_FIELD_MAX + 1], msg[KC_MSGMAX];
    assert_int_equal(parse("{\"language\":\"sv\",\"idle_s\":120," WEEK ",\"place\":\"Pääkirjasto\","
                           "\"surveys\":[\"a\"],\"ballots\":[]}", &s, field, msg), KC_OK);
    assert_string_equal(s.place, "Pääkirjasto");
    assert_int_equal(s.idle_s, 120);
    assert_int_equal(s.lang, CAT_SV);
    assert_true(s.has_hours && s.has_lists);
    assert_true(ksettings_shows(&s, 0, "a"));
    assert_false(ksettings_shows(&s, 0, "b"));
    assert_false(ksettings_shows(&s, 1, "a"));
    char *j = ksettings_json(&s);
    assert_string_equal(j, "{\"place\":\"Pääkirjasto\"," WEEK ",\"idle_s\":120,\"language\":\"sv\"}");
    kc_free(j);
    ksettings_free(&s);
    /* nulls and nothing: not set; no lists: everything shown */
    assert_int_equal(parse("{\"place\":null,\"idle_s\":null}", &s, field, msg), KC_OK);
    assert_true(!s.place[0] && !s.idle_s && s.lang < 0 && !s.has_hours);
    assert_true(ksettings_shows(&s, 1, "anything"));
    j = ksettings_json(&s);
    assert_string_equal(j, "{}");
    kc_free(j);
    ksettings_free(&s);
    /* the console's store keeps no lists */
    const char *lists = "{\"surveys\":[],\"ballots\":[]}";
    assert_int_equal(ksettings_parse(lists, strlen(lists), 0, &s, field, msg),
                     KC_EINVAL);
    assert_string_equal(field, "surveys");
}

static void test_refusals(void **state)
{
    (void)state;
    static const struct { const char *json, *field; } cases[] = {
        { "{\"place\":\"\"}", "place" },
        { "{\"place\":\"a\\u202eb\"}", "place" },
        { "{\"place\":3}", "place" },
        { "{\"idle_s\":29}", "idle_s" },
        { "{\"idle_s\":601}", "idle_s" },
        { "{\"idle_s\":60.5}", "idle_s" },
        { "{\"language\":\"de\"}", "language" },
        { "{\"hours\":\"mon-fri\"}", "hours" },
        { "{\"hours\":{\"mon\":\"08:00-20:00\"}}", "hours.tue" },
        { "{\"hours\":{\"mon\":\"20:00-08:00\"}}", "hours.mon" },
        { "{\"hours\":{\"mon\":\"24:00-24:00\"}}", "hours.mon" },
        { "{\"hours\":{\"mon\":\"8:00-20:00\"}}", "hours.mon" },
        { "{\"hours\":{\"mon\":\"08:60-20:00\"}}", "hours.mon" },
        { "{\"hours\":{\"xyz\":\"closed\"}}", "hours" },
        { "{\"colour\":1}", "colour" },
        { "{\"\":1}", "\"\"" },  /* an empty name is named as such, not left out */
        { "{\"surveys\":[]}", "ballots" },
        { "{\"surveys\":[\"A B\"],\"ballots\":[]}", "surveys" },
        { "{\"surveys\":[\"a\",\"a\"],\"ballots\":[]}", "surveys" },
        { "{\"surveys\":[],\"ballots\":{}}", "ballots" },
    };
    char field[KSET_FIELD_MAX + 1], msg[KC_MSGMAX];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ksettings s;
        if (parse(cases[i].json, &s, field, msg) != KC_EINVAL)
            fail_msg("case %zu: %s accepted", i, cases[i].json);
        assert_string_equal(field, cases[i].field);
        assert_non_null(strstr(msg, cases[i].field));
        assert_false(s.has_lists || s.place[0] || s.idle_s);
    }
    ksettings s;
    assert_int_equal(parse("[1]", &s, field, msg), KC_EJSON);
    assert_int_equal(parse("{\"idle_s\":60,\"idle_s\":61}", &s, field, msg), KC_EJSON);
    /* 100 bytes of place: the bound; 101: over it */
    char place[200];
    snprintf(place, sizeof place, "{\"place\":\"%0100d\"}", 0);
    assert_int_equal(parse(place, &s, field, msg), KC_OK);
    ksettings_free(&s);
    snprintf(place, sizeof place, "{\"place\":\"%0101d\"}", 0);
    assert_int_equal(parse(place, &s, field, msg), KC_EINVAL);
    assert_string_equal(field, "place");
    /* 201 ids: over the bound */
    char big[4096] = "{\"ballots\":[],\"surveys\":[";
    for (int i = 0; i < 201; i++)
        snprintf(big + strlen(big), sizeof big - strlen(big), "%s\"s%d\"", i ? "," : "", i);
    strcat(big, "]}");
    assert_int_equal(parse(big, &s, field, msg), KC_EINVAL);
    assert_string_equal(field, "surveys");
}

static struct tm at(int wday, int h, int m)
{
    struct tm t;
    memset(&t, 0, sizeof t);
    t.tm_wday = wday;  /* 0 = Sunday */
    t.tm_hour = h;
    t.tm_min = m;
    return t;
}

static void test_hours(void **state)
{
    (void)state;
    khours h;
    char msg[KC_MSGMAX];
    assert_int_equal(khours_parse("mon-fri 08:00-20:00, sat 10:00-16:00", &h, msg), KC_OK);
    struct tm t = at(1, 7, 59);  /* Monday 07:59 */
    assert_false(khours_open_at(&h, &t));
    assert_int_equal(khours_next_change(&h, &t), 60);
    t = at(1, 8, 0);
    assert_true(khours_open_at(&h, &t));
    assert_int_equal(khours_next_change(&h, &t), 12 * 3600);
    t = at(6, 16, 0);  /* Saturday 16:00: closed until Monday 08:00 */
    assert_false(khours_open_at(&h, &t));
    assert_int_equal(khours_next_change(&h, &t), (24 + 16) * 3600);
    t = at(0, 12, 0);  /* Sunday: closed */
    assert_false(khours_open_at(&h, &t));
    /* open around the clock: no change within the week */
    assert_int_equal(khours_parse("mon-sun 00:00-24:00", &h, msg), KC_OK);
    t = at(3, 23, 59);
    assert_true(khours_open_at(&h, &t));
    assert_int_equal(khours_next_change(&h, &t), 7 * 86400L);
    char day[12];
    khours_day_text(&h, 6, day);
    assert_string_equal(day, "00:00-24:00");
    /* refusals */
    static const char *const bad[] = { "mon 08:00-20:00, mon 09:00-10:00", "fri-mon 08:00-20:00",
                                       "mon", "mon 20:00-08:00", "sunday 08:00-20:00", ",", "" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        khours x;
        kc_err rc = khours_parse(bad[i], &x, msg);
        if (bad[i][0])
            assert_int_equal(rc, KC_EINVAL);
        else  /* an empty spec: closed every day, which kconf refuses as "needs a value" */
            assert_int_equal(rc, KC_OK);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_json),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_hours),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
