/* Surveys: the bad-file corpus, canonical form, versions, schedules and kiosks,
 * resident text checks, allocation faults while parsing. */
#include "testutil.h"
#include "store_sql.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "survey.h"

#define SURVEYS TEST_DATA_DIR "/../../assets/content/surveys/"

static store *fresh(const char *name)
{
    store *st;
    remove(tu_tmp(name));
    assert_int_equal(store_open(tu_tmp(name), &st), KC_OK);
    assert_int_equal(survey_init(st), KC_OK);
    return st;
}

static survey *load(const char *path)
{
    survey *s;
    char msg[KC_MSGMAX];
    if (survey_load_file(path, &s, msg))
        fail_msg("%s", msg);
    return s;
}

/* Every stored definition, as one string, to prove a failed import changed nothing. */
static char *dump_defs(store *st)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), "SELECT id, version, mode, body FROM "
                                        "survey_def ORDER BY id, version", -1, &s, NULL),
                     SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW)
        fprintf(f, "%s|%d|%s|%s\n", sqlite3_column_text(s, 0), sqlite3_column_int(s, 1),
                sqlite3_column_text(s, 2), sqlite3_column_text(s, 3));
    sqlite3_finalize(s);
    fclose(f);
    return buf;
}

static void test_samples_valid(void **state)
{
    (void)state;
    survey *s = load(SURVEYS "library-feedback.json");
    assert_string_equal(survey_id(s), "library-feedback");
    assert_int_equal(survey_get_mode(s), SURVEY_MODE_SURVEY);
    assert_int_equal(survey_nquestions(s), 9);
    const survey_question *q = survey_question_at(s, survey_question_index(s, "services"));
    assert_int_equal(q->type, SURVEY_TOP);
    assert_int_equal(q->max_pick, 3);
    assert_int_equal(q->min_pick, 3);
    assert_true(q->ranked);
    cat_langs sv = cat_langs_for(CAT_SV);
    cat_lang used;
    assert_string_equal(survey_title(s, &sv, &used), "Berätta om biblioteket");
    assert_int_equal(used, CAT_SV);
    survey_free(s);

    s = load(SURVEYS "ylojarvi-forum-workshop.json");
    assert_int_equal(survey_get_mode(s), SURVEY_MODE_WORKSHOP);
    assert_int_equal(survey_ngroups(s), 5);
    assert_string_equal(survey_group_at(s, 0)->id, "seniorit");
    q = survey_question_at(s, 0);
    assert_int_equal(q->noptions, 7);
    assert_string_equal(q->options[4].id, "vapaaehtoistyon-koordinointi");
    q = survey_question_at(s, survey_question_index(s, "aiheet-top"));
    assert_int_equal(q->options_from, survey_question_index(s, "aiheet"));
    /* no show_if: every group gets every question, the total is known */
    assert_true(survey_fixed_length(s));
    survey_free(s);
}

static void test_bad_corpus(void **state)
{
    (void)state;
    store *st = fresh("bad.db");
    survey *good = load(SURVEYS "library-feedback.json");
    char msg[KC_MSGMAX];
    survey_put_result r;
    assert_int_equal(survey_store_put(st, good, &r, msg), KC_OK);
    survey_free(good);
    char *before = dump_defs(st);

    DIR *d = opendir(tu_data("bad-survey"));
    assert_non_null(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json"))
            continue;
        char path[600], expath[600];
        snprintf(path, sizeof path, "%s/%s", tu_data("bad-survey"), e->d_name);
        snprintf(expath, sizeof expath, "%.*s.expect", (int)(strlen(path) - 5), path);
        char *expect = tu_read(expath, NULL);
        expect[strcspn(expect, "\n")] = '\0';
        survey *s = NULL;
        kc_err rc = survey_load_file(path, &s, msg);
        if (rc == KC_OK) {
            survey_free(s);
            fail_msg("%s: parsed without error", e->d_name);
        }
        assert_null(s);
        if (!strstr(msg, expect))
            fail_msg("%s: message \"%s\" does not contain \"%s\"", e->d_name, msg, expect);
        free(expect);
        char *after = dump_defs(st);
        if (strcmp(before, after))
            fail_msg("%s: database changed", e->d_name);
        free(after);
        n++;
    }
    closedir(d);
    assert_true(n >= 40);
    free(before);
    store_close(st);
}

static void test_canonical_round_trip(void **state)
{
    (void)state;
    const char *files[] = { SURVEYS "library-feedback.json",
                            SURVEYS "ylojarvi-forum-workshop.json" };
    for (int i = 0; i < 2; i++) {
        survey *a = load(files[i]), *b;
        char msg[KC_MSGMAX];
        const char *body = survey_body(a);
        assert_int_equal(survey_parse(body, strlen(body), "canon", &b, msg), KC_OK);
        assert_string_equal(survey_body(a), survey_body(b));
        survey_free(a);
        survey_free(b);
    }
    /* defaults written out: an explicit default gives the same bytes */
    const char *x = "{\"format\":\"kiosk-survey\",\"id\":\"x\",\"title\":{\"fi\":\"T\"},"
                    "\"questions\":[{\"id\":\"a\",\"type\":\"text\",\"text\":{\"fi\":\"?\"}}]}";
    const char *y = "{\"questions\":[{\"text\":{\"fi\":\"?\"},\"type\":\"text\",\"id\":\"a\","
                    "\"required\":false,\"max_chars\":500}],\"mode\":\"survey\","
                    "\"title\":{\"fi\":\"T\"},\"id\":\"x\",\"format\":\"kiosk-survey\"}";
    survey *a, *b;
    char msg[KC_MSGMAX];
    assert_int_equal(survey_parse(x, strlen(x), "x", &a, msg), KC_OK);
    assert_int_equal(survey_parse(y, strlen(y), "y", &b, msg), KC_OK);
    assert_string_equal(survey_body(a), survey_body(b));
    survey_free(a);
    survey_free(b);
}

static survey *parse_str(const char *json)
{
    survey *s;
    char msg[KC_MSGMAX];
    if (survey_parse(json, strlen(json), "test", &s, msg))
        fail_msg("%s", msg);
    return s;
}

#define MINI(extra, qtext)                                                                 \
    "{\"format\":\"kiosk-survey\",\"id\":\"mini\"" extra ",\"title\":{\"fi\":\"Mini\"},"   \
    "\"questions\":[{\"id\":\"a\",\"type\":\"scale\",\"text\":{\"fi\":\"" qtext "\"}}]}"

static void test_versions(void **state)
{
    (void)state;
    store *st = fresh("ver.db");
    char msg[KC_MSGMAX];
    survey_put_result r;
    survey *s = parse_str(MINI("", "Miten menee?"));
    assert_int_equal(survey_version(s), 0);
    assert_int_equal(survey_store_put(st, s, &r, msg), KC_OK);
    assert_int_equal(r, SURVEY_PUT_ADDED);
    assert_int_equal(survey_version(s), 1);
    survey_free(s);
    /* the same again: unchanged, still version 1 */
    s = parse_str(MINI("", "Miten menee?"));
    assert_int_equal(survey_store_put(st, s, &r, msg), KC_OK);
    assert_int_equal(r, SURVEY_PUT_UNCHANGED);
    assert_int_equal(survey_version(s), 1);
    survey_free(s);
    /* changed: version 2 */
    s = parse_str(MINI("", "Miten menee tänään?"));
    assert_int_equal(survey_store_put(st, s, &r, msg), KC_OK);
    assert_int_equal(r, SURVEY_PUT_VERSION);
    assert_int_equal(survey_version(s), 2);
    survey_free(s);
    char *before = dump_defs(st);
    /* an explicit version that exists with other content is refused, nothing changes */
    s = parse_str(MINI(",\"version\":1", "Jotain muuta"));
    assert_int_equal(survey_store_put(st, s, &r, msg), KC_EINVAL);
    assert_non_null(strstr(msg, "survey \"mini\" field \"version\": version 1 is already stored"));
    survey_free(s);
    /* a workshop may not take over a survey's id */
    s = parse_str("{\"format\":\"kiosk-survey\",\"id\":\"mini\",\"mode\":\"workshop\","
                  "\"title\":{\"fi\":\"W\"},\"groups\":[{\"id\":\"g\",\"name\":{\"fi\":\"G\"}}],"
                  "\"questions\":[{\"id\":\"a\",\"type\":\"text\",\"text\":{\"fi\":\"?\"}}]}");
    assert_int_equal(survey_store_put(st, s, &r, msg), KC_EINVAL);
    assert_non_null(strstr(msg, "already stored as a survey"));
    survey_free(s);
    char *after = dump_defs(st);
    assert_string_equal(before, after);
    free(before);
    free(after);
    /* an explicit new version is taken as given (as sync delivers it) */
    s = parse_str(MINI(",\"version\":7", "Seitsemäs"));
    assert_int_equal(survey_store_put(st, s, &r, msg), KC_OK);
    assert_int_equal(survey_version(s), 7);
    survey_free(s);
    /* old versions stay readable */
    assert_int_equal(survey_store_get(st, "mini", 1, &s, msg), KC_OK);
    cat_langs fi = cat_langs_for(CAT_FI);
    assert_string_equal(cat_text_pick(survey_question_at(s, 0)->text, &fi, NULL), "Miten menee?");
    assert_int_equal(survey_version(s), 1);
    survey_free(s);
    assert_int_equal(survey_store_get(st, "mini", 0, &s, msg), KC_OK);
    assert_int_equal(survey_version(s), 7);
    survey_free(s);
    assert_int_equal(survey_store_get(st, "mini", 3, &s, msg), KC_ENOTFOUND);
    assert_int_equal(survey_store_get(st, "nope", 0, &s, msg), KC_ENOTFOUND);
    store_close(st);
}

static time_t at(int y, int mo, int d, int h, int mi)
{
    struct tm tm = { 0 };
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

static void test_schedule_and_kiosks(void **state)
{
    (void)state;
    setenv("TZ", "Europe/Helsinki", 1);
    tzset();
    store *st = fresh("list.db");
    char msg[KC_MSGMAX];
    survey_put_result r;
    const char *defs[] = {
        MINI(",\"schedule\":{\"start\":\"2026-03-01T09:00\",\"end\":\"2026-03-31T16:00\"}", "a"),
        "{\"format\":\"kiosk-survey\",\"id\":\"porvoo-only\",\"kiosks\":[\"porvoo-lib-1\"],"
        "\"title\":{\"sv\":\"Borgå\"},\"questions\":[{\"id\":\"a\",\"type\":\"scale\","
        "\"text\":{\"fi\":\"?\"}}]}",
        "{\"format\":\"kiosk-survey\",\"id\":\"always\",\"title\":{\"en\":\"Always\"},"
        "\"questions\":[{\"id\":\"a\",\"type\":\"scale\",\"text\":{\"fi\":\"?\"}}]}",
    };
    for (int i = 0; i < 3; i++) {
        survey *s = parse_str(defs[i]);
        assert_int_equal(survey_store_put(st, s, &r, msg), KC_OK);
        survey_free(s);
    }
    survey *w = load(SURVEYS "ylojarvi-forum-workshop.json");
    assert_int_equal(survey_store_put(st, w, &r, msg), KC_OK);
    survey_free(w);

    survey_info *v;
    size_t n;
    /* all four listed, workshop never active */
    assert_int_equal(survey_list(st, 0, "porvoo-lib-1", at(2026, 3, 10, 12, 0), &v, &n, msg), KC_OK);
    assert_int_equal(n, 4);
    assert_string_equal(v[0].id, "always");
    assert_string_equal(v[3].id, "ylojarvi-kumppanuusfoorumi");
    assert_false(v[3].active);
    assert_string_equal(v[2].title[CAT_SV], "Borgå");
    survey_info_free(v, n);

    struct { time_t t; const char *kiosk; const char *want; } cases[] = {
        { at(2026, 3, 10, 12, 0), "porvoo-lib-1", "always,mini,porvoo-only," },
        { at(2026, 3, 10, 12, 0), "pori-lib", "always,mini," },
        { at(2026, 3, 1, 8, 59), "pori-lib", "always," },
        { at(2026, 3, 1, 9, 0), "pori-lib", "always,mini," },
        { at(2026, 3, 31, 16, 0), "pori-lib", "always,mini," },
        { at(2026, 3, 31, 16, 1), "pori-lib", "always," },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        assert_int_equal(survey_list(st, SURVEY_LIST_ACTIVE, cases[c].kiosk, cases[c].t, &v, &n,
                                     msg), KC_OK);
        char got[256] = "";
        for (size_t i = 0; i < n; i++) {
            strcat(got, v[i].id);
            strcat(got, ",");
        }
        if (strcmp(got, cases[c].want))
            fail_msg("case %zu: got %s, want %s", c, got, cases[c].want);
        survey_info_free(v, n);
    }
    /* kiosk id from the store's meta when not given */
    assert_int_equal(store_meta_set(st, "kiosk.id", "porvoo-lib-1"), KC_OK);
    assert_int_equal(survey_list(st, SURVEY_LIST_ACTIVE, NULL, at(2026, 4, 1, 0, 0), &v, &n, msg),
                     KC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(v[1].id, "porvoo-only");
    survey_info_free(v, n);
    store_close(st);
}

static void test_text_check(void **state)
{
    (void)state;
    assert_int_equal(survey_text_check("Hyvä kirjasto!", 20, 0), SURVEY_P_NONE);
    assert_int_equal(survey_text_check("", 20, 0), SURVEY_P_NONE);
    /* characters, not bytes: 10 x "ä" is 20 bytes and fits 10 characters */
    assert_int_equal(survey_text_check("ääääääääää", 10, 0), SURVEY_P_NONE);
    assert_int_equal(survey_text_check("äääääääääää", 10, 0), SURVEY_P_TOO_LONG);
    assert_int_equal(survey_text_check("rivi\nrivi", 20, 0), SURVEY_P_BAD_TEXT);
    assert_int_equal(survey_text_check("rivi\nrivi", 20, 1), SURVEY_P_NONE);
    assert_int_equal(survey_text_check("tab\there", 20, 1), SURVEY_P_BAD_TEXT);
    assert_int_equal(survey_text_check("bell\a", 20, 1), SURVEY_P_BAD_TEXT);
    assert_int_equal(survey_text_check("del\x7f", 20, 1), SURVEY_P_BAD_TEXT);
    assert_int_equal(survey_text_check("c1\xc2\x85", 20, 1), SURVEY_P_BAD_TEXT);
    assert_int_equal(survey_text_check("bad\xff", 20, 1), SURVEY_P_BAD_TEXT);
    assert_int_equal(survey_text_check("overlong\xc0\xaf", 20, 1), SURVEY_P_BAD_TEXT);
    assert_int_equal(survey_text_check("surrogate\xed\xa0\x80", 20, 1), SURVEY_P_BAD_TEXT);
    assert_int_equal(survey_text_check("cut\xe2\x82", 20, 1), SURVEY_P_BAD_TEXT);
    assert_int_equal(survey_text_check("emoji \xf0\x9f\x98\x80", 20, 1), SURVEY_P_NONE);
    /* absurdly long input is refused without reading all of it */
    size_t big = 10 * 1000 * 1000;
    char *s = malloc(big + 1);
    memset(s, 'a', big);
    s[big] = '\0';
    assert_int_equal(survey_text_check(s, 2000, 0), SURVEY_P_TOO_LONG);
    free(s);
}

static void test_parse_faults(void **state)
{
    (void)state;
    size_t len;
    char *text = tu_read(SURVEYS "ylojarvi-forum-workshop.json", &len);
    survey *ref = parse_str(text);
    int done = 0;
    for (long n = 0; !done; n++) {
        survey *s = NULL;
        char msg[KC_MSGMAX];
        kc_fault_after(n);
        kc_err rc = survey_parse(text, len, "faults", &s, msg);
        long hits = kc_fault_after(-1);
        if (hits == 0) {
            assert_int_equal(rc, KC_OK);
            done = 1;
        }
        if (rc == KC_OK) {
            assert_string_equal(survey_body(s), survey_body(ref));
            survey_free(s);
        } else {
            assert_null(s);
        }
        assert_true(n < 100000);
    }
    survey_free(ref);
    free(text);
}

/* The question type table (survey_qtypes): every type has a unique name and a
 * NULL-terminated list of its own fields, none of them a common field; the name is what
 * canonical JSON writes, and an unknown type's message lists every name. */
static void test_qtype_table(void **state)
{
    (void)state;
    static const char *const common[] = { "id", "type", "text", "help", "required",
                                          "show_if" };
    for (int t = 0; t < SURVEY_NQTYPE; t++) {
        const survey_qtype_info *qi = &survey_qtypes[t];
        assert_non_null(qi->name);
        assert_string_equal(survey_qtype_name((survey_qtype)t), qi->name);
        int n = 0;
        while (n < SURVEY_QTYPE_FIELDS_MAX && qi->fields[n])
            n++;
        assert_true(n < SURVEY_QTYPE_FIELDS_MAX);  /* terminated */
        for (int f = 0; f < n; f++)
            for (size_t c = 0; c < sizeof common / sizeof common[0]; c++)
                assert_string_not_equal(qi->fields[f], common[c]);
        for (int u = t + 1; u < SURVEY_NQTYPE; u++)
            assert_string_not_equal(qi->name, survey_qtypes[u].name);
    }
    assert_string_equal(survey_qtype_name(SURVEY_NQTYPE), "?");
    /* A sample with its first question's type renamed. */
    size_t len;
    char *bad = tu_read(SURVEYS "library-feedback.json", &len);
    char *ty = strstr(bad, "\"type\": \"");
    assert_non_null(ty);
    memcpy(ty + 9, "~", 1);
    survey *s = NULL;
    char msg[KC_MSGMAX] = "";
    assert_int_not_equal(survey_parse(bad, len, "bad.json", &s, msg), KC_OK);
    assert_null(s);
    free(bad);
    for (int t = 0; t < SURVEY_NQTYPE; t++)
        assert_non_null(strstr(msg, survey_qtypes[t].name));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samples_valid),
        cmocka_unit_test(test_bad_corpus),
        cmocka_unit_test(test_canonical_round_trip),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_schedule_and_kiosks),
        cmocka_unit_test(test_text_check),
        cmocka_unit_test(test_parse_faults),
        cmocka_unit_test(test_qtype_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
