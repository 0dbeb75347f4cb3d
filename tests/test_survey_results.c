/* Survey totals for charts and the CSV/JSON exports (Finnish spreadsheet CSV). */
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "feedback.h"
#include "results.h"

#define NOW ((time_t)1795610000) /* 2026-11-25 12:33 UTC */

static const char *def =
    "{\"format\":\"kiosk-survey\",\"id\":\"res\",\"title\":{\"fi\":\"Tulokset\"},\"questions\":["
    "{\"id\":\"c\",\"type\":\"single\",\"text\":{\"fi\":\"Valitse\"},\"options\":["
    "{\"id\":\"a\",\"text\":{\"fi\":\"Aa\",\"sv\":\"Åå\"}},{\"id\":\"b\",\"text\":{\"fi\":\"Bee\"}}]},"
    "{\"id\":\"t\",\"type\":\"top\",\"pick\":2,\"ranked\":true,\"text\":{\"fi\":\"Kaksi\"},"
    "\"options\":[{\"id\":\"x\",\"text\":{\"fi\":\"X\"}},{\"id\":\"y\",\"text\":{\"fi\":\"Y\"}},"
    "{\"id\":\"z\",\"text\":{\"fi\":\"Z\"}}]},"
    "{\"id\":\"s\",\"type\":\"scale\",\"text\":{\"fi\":\"Asteikko\"}},"
    "{\"id\":\"n\",\"type\":\"number\",\"min\":0,\"max\":100,\"decimals\":1,\"text\":{\"fi\":\"Luku\"}},"
    "{\"id\":\"w\",\"type\":\"text\",\"text\":{\"fi\":\"Sana\"}}]}";

static void respond(store *st, int c, const int *top, int ntop, int s, double n, const char *w)
{
    survey_session *ss;
    char msg[KC_MSGMAX], uuid[OUTBOX_UUID_LEN + 1];
    assert_int_equal(survey_session_start(st, "res", &ss, msg), KC_OK);
    assert_int_equal(survey_session_choose(ss, (size_t)c), KC_OK);
    assert_int_equal(survey_session_next(ss), KC_OK);
    for (int i = 0; i < ntop; i++)
        assert_int_equal(survey_session_choose(ss, (size_t)top[i]), KC_OK);
    assert_int_equal(survey_session_next(ss), KC_OK);
    if (s)
        assert_int_equal(survey_session_set_number(ss, s), KC_OK);
    assert_int_equal(survey_session_next(ss), KC_OK);
    assert_int_equal(survey_session_set_number(ss, n), KC_OK);
    assert_int_equal(survey_session_next(ss), KC_OK);
    if (w)
        assert_int_equal(survey_session_set_text(ss, 0, w), KC_OK);
    assert_int_equal(survey_session_next(ss), KC_OK);
    if (survey_session_submit(ss, st, NOW, uuid))
        fail_msg("%s", survey_session_errmsg(ss));
    survey_session_free(ss);
}

static store *setup(void)
{
    store *st;
    remove(tu_tmp("res.db"));
    assert_int_equal(store_open(tu_tmp("res.db"), &st), KC_OK);
    assert_int_equal(survey_init(st), KC_OK);
    assert_int_equal(feedback_init(st), KC_OK);
    survey *s;
    char msg[KC_MSGMAX];
    survey_put_result r;
    if (survey_parse(def, strlen(def), "res", &s, msg) || survey_store_put(st, s, &r, msg))
        fail_msg("%s", msg);
    survey_free(s);
    int t1[] = { 0, 1 }, t2[] = { 1, 2 };
    respond(st, 0, t1, 2, 5, 2.5, "=HYPERLINK(\"http://x\")");
    respond(st, 0, t2, 2, 4, 10, "Hyvä \"paikka\"; kiitos");
    respond(st, 1, NULL, 0, 0, 0, NULL);  /* top and scale skipped */
    return st;
}

static void test_totals(void **state)
{
    (void)state;
    store *st = setup();
    results *r;
    char msg[KC_MSGMAX];
    assert_int_equal(results_for_survey(st, "res", &r, msg), KC_OK);
    assert_int_equal(results_responses(r), 3);
    const results_question *c = results_question_at(r, 0);
    assert_int_equal(c->answered, 3);
    assert_int_equal(c->options[0].count, 2);
    assert_true(c->options[0].percent > 66.6 && c->options[0].percent < 66.7);
    assert_int_equal(c->options[0].rank, 1);
    const results_question *t = results_question_at(r, 1);
    assert_int_equal(t->answered, 2);
    assert_int_equal(t->options[1].count, 2);    /* y picked twice */
    assert_int_equal(t->options[1].points, 1 + 2);  /* second once (1), first once (2) */
    assert_int_equal(t->options[0].points, 2);      /* x first once */
    assert_int_equal(t->options[2].points, 1);      /* z second once */
    assert_int_equal(t->order[0], 1);
    assert_int_equal(t->order[1], 0);
    assert_int_equal(t->options[0].rank, 2);
    assert_int_equal(t->options[2].rank, 3);
    const results_question *s = results_question_at(r, 2);
    assert_int_equal(s->answered, 2);
    assert_true(s->mean == 4.5);
    assert_int_equal(s->options[4].count, 1);
    assert_true(s->options[4].percent == 50.0);
    const results_question *n = results_question_at(r, 3);
    assert_int_equal(n->answered, 3);
    assert_true(n->min == 0 && n->max == 10 && n->mean == 12.5 / 3);
    assert_int_equal(results_question_at(r, 4)->texts, 2);
    results_free(r);
    assert_int_equal(results_for_survey(st, "nope", &r, msg), KC_ENOTFOUND);
    store_close(st);
}

static char *export(store *st, int csv, cat_lang lang)
{
    char *buf = NULL, msg[KC_MSGMAX];
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    kc_err rc = csv ? results_export_csv(st, "res", lang, f, msg)
                    : results_export_json(st, "res", f, msg);
    fclose(f);
    if (rc)
        fail_msg("%s", msg);
    return buf;
}

/* One cell as csv_text writes it. */
static char *cell_of(const char *text)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(csv_text(f, text), 0);
    assert_int_equal(fclose(f), 0);
    return buf;
}

/* Quotes doubled, invisible and control characters left out wherever they are (also
 * around quotes and before a formula's first character), text between them whole. */
static void test_csv_text(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        { "plain text, äöå", "\"plain text, äöå\"" },
        { "a\"b", "\"a\"\"b\"" },
        { "\"", "\"\"\"\"" },
        { "\"\"x\"", "\"\"\"\"\"x\"\"\"" },
        { "", "\"\"" },
        { "\xE2\x80\xAE=cmd\"\xE2\x80\x8B\"x", "\"'=cmd\"\"\"\"x\"" },
        { "ab\x7f", "\"ab\"" },
        { "\x01\x02", "\"\"" },
        { "a\xE2\x80\x8B" "b\xE2\x80\x8B", "\"ab\"" },
        { "-1", "\"'-1\"" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = cell_of(cases[i][0]);
        assert_string_equal(got, cases[i][1]);
        free(got);
    }
    char *none = cell_of(NULL);
    assert_string_equal(none, "\"\"");
    free(none);
}

static void test_csv(void **state)
{
    (void)state;
    store *st = setup();
    char *csv = export(st, 1, CAT_SV);
    /* BOM, quoted header, ';', CRLF */
    assert_memory_equal(csv, "\xEF\xBB\xBF\"svar\";\"version\";\"timme (UTC)\";\"c Valitse\";"
                             "\"t Kaksi: X\";\"t Kaksi: Y\";\"t Kaksi: Z\";\"s Asteikko\";"
                             "\"n Luku\";\"w Sana\"\r\n", 117);
    /* rank columns, decimal comma, defused formula, doubled quotes */
    assert_non_null(strstr(csv, ";1;\"2026-11-25T12Z\";\"Åå\";1;2;;5;2,5;\"'=HYPERLINK(\"\"http://x\"\")\"\r\n"));
    assert_non_null(strstr(csv, ";\"Åå\";;1;2;4;10,0;\"Hyvä \"\"paikka\"\"; kiitos\"\r\n"));
    assert_non_null(strstr(csv, ";\"Bee\";;;;;0,0;\r\n"));
    int lines = 0;
    for (char *p = csv; (p = strstr(p, "\r\n")); p += 2)
        lines++;
    assert_int_equal(lines, 4);
    free(csv);

    char *js = export(st, 0, CAT_FI);
    json_error_t err;
    json_t *j = json_loads(js, 0, &err);
    if (!j)
        fail_msg("export is not JSON: %s", err.text);
    assert_string_equal(json_string_value(json_object_get(j, "format")), "kiosk-responses");
    assert_int_equal(json_array_size(json_object_get(j, "responses")), 3);
    json_t *d = json_array_get(json_object_get(j, "definitions"), 0);
    assert_int_equal(json_integer_value(json_object_get(d, "version")), 1);
    json_decref(j);
    free(js);

    /* feedback: contact details only where consented */
    char uuid[OUTBOX_UUID_LEN + 1], msg[KC_MSGMAX];
    feedback_problem p;
    feedback_entry e1 = { 3, NULL, "-1 huono", 0, NULL, NULL, NULL };
    feedback_entry e2 = { 5, "a-kuoro", NULL, 1, "Maija", NULL, "040 123 4567" };
    assert_int_equal(feedback_submit(st, &e1, NOW, uuid, &p, msg), KC_OK);
    assert_int_equal(feedback_submit(st, &e2, NOW, uuid, &p, msg), KC_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(results_feedback_csv(st, f, msg), KC_OK);
    fclose(f);
    assert_non_null(strstr(buf, "\"home\";3;\"'-1 huono\";;;\r\n"));
    assert_non_null(strstr(buf, "\"a-kuoro\";5;;\"Maija\";;\"040 123 4567\"\r\n"));
    free(buf);
    f = open_memstream(&buf, &len);
    assert_int_equal(results_feedback_json(st, f, msg), KC_OK);
    fclose(f);
    j = json_loads(buf, 0, &err);
    assert_non_null(j);
    assert_int_equal(json_array_size(json_object_get(j, "feedback")), 2);
    json_decref(j);
    free(buf);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_totals),
        cmocka_unit_test(test_csv_text),
        cmocka_unit_test(test_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
