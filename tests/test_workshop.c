/* Workshops: the Ylöjärvi forum with five groups, pick-top-N over fixed options and
 * over earlier answers, live totals, persistence, end with outbox rows, exports. */
#include "testutil.h"
#include "store_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workshop.h"

#define SURVEYS TEST_DATA_DIR "/../../assets/content/surveys/"
#define WS "ylojarvi-kumppanuusfoorumi"
#define NOW ((time_t)1790330400) /* 2026-09-25 10:00 UTC */

static store *setup(const char *name)
{
    store *st;
    remove(tu_tmp(name));
    assert_int_equal(store_open(tu_tmp(name), &st), KC_OK);
    assert_int_equal(workshop_init(st), KC_OK);
    survey *s;
    char msg[KC_MSGMAX];
    survey_put_result r;
    if (survey_load_file(SURVEYS "ylojarvi-forum-workshop.json", &s, msg) ||
        survey_store_put(st, s, &r, msg))
        fail_msg("%s", msg);
    survey_free(s);
    return st;
}

static size_t q_of(workshop *w, const char *id)
{
    long i = survey_question_index(workshop_survey(w), id);
    assert_true(i >= 0);
    return (size_t)i;
}

static kc_err pick(workshop *w, store *st, size_t g, size_t q, const int *opts, int n,
                   survey_problem *p)
{
    survey_answer a = { 0 };
    for (int i = 0; i < n; i++)
        a.sel[i] = opts[i];
    a.nsel = n;
    a.set = n > 0;
    return workshop_set_answer(w, st, g, q, &a, p);
}

static kc_err texts(workshop *w, store *st, size_t g, size_t q, const char *const *t, int n)
{
    survey_answer a = { 0 };
    for (int i = 0; i < n; i++)
        a.text[i] = (char *)t[i];  /* not freed: the answer is only read */
    a.ntext = n;
    a.set = n > 0;
    return workshop_set_answer(w, st, g, q, &a, NULL);
}

static long count(store *st, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long n = (long)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

static const results_option *opt(const results_question *rq, const char *id)
{
    for (size_t i = 0; i < rq->noptions; i++)
        if (strcmp(rq->options[i].id, id) == 0)
            return &rq->options[i];
    fail_msg("no option %s", id);
    return NULL;
}

/* "Pick the three most important" of the groups' topics when only two topics exist:
 * both are the whole answer.  Before, the kiosk demanded three of two. */
static void test_top_fewer_options(void **state)
{
    (void)state;
    store *st = setup("ws-few.db");
    char id[OUTBOX_UUID_LEN + 1], msg[KC_MSGMAX];
    assert_int_equal(workshop_start(st, WS, "Pieni foorumi", NOW, id, msg), KC_OK);
    workshop *w;
    assert_int_equal(workshop_open(st, id, &w, msg), KC_OK);
    size_t aih = q_of(w, "aiheet"), top = q_of(w, "aiheet-top");
    const char *t0[] = { "Vapaaehtoisten rekrytointi", "Avustusten kriteerit" };
    assert_int_equal(texts(w, st, 0, aih, t0, 2), KC_OK);
    assert_int_equal(workshop_noptions(w, top), 2);
    int both[] = { 1, 0 }, one[] = { 0 };
    survey_problem p;
    assert_int_equal(pick(w, st, 1, top, both, 2, &p), KC_OK);
    assert_int_equal(pick(w, st, 2, top, one, 1, &p), KC_EINVAL);  /* one of two: too few */
    assert_int_equal(p.kind, SURVEY_P_TOO_FEW);
    assert_true(p.limit == 2);
    workshop_free(w);
    store_close(st);
}

static void test_forum(void **state)
{
    (void)state;
    store *st = setup("ws.db");
    char id[OUTBOX_UUID_LEN + 1], msg[KC_MSGMAX];
    assert_int_equal(workshop_start(st, WS, "Kumppanuusfoorumi 25.9.", NOW, id, msg), KC_OK);
    assert_true(outbox_valid_uuid(id));
    workshop *w;
    assert_int_equal(workshop_open(st, id, &w, msg), KC_OK);
    assert_string_equal(workshop_label(w), "Kumppanuusfoorumi 25.9.");
    size_t rak = q_of(w, "rakenne"), aih = q_of(w, "aiheet"), top = q_of(w, "aiheet-top");
    assert_int_equal(workshop_noptions(w, rak), 7);
    assert_int_equal(workshop_noptions(w, top), 0);

    /* "pick the three most important" of the existing structure, five groups:
     * 0 foorumit 1 jarjestokirje 2 jarjestoagentit 3 yhdistysavustukset
     * 4 vapaaehtoistyon-koordinointi 5 tilat 6 koordinaatio-kaupunki */
    int picks[5][3] = { { 0, 3, 5 }, { 3, 4, 6 }, { 3, 5, 0 }, { 5, 3, 4 }, { 1, 3, 6 } };
    survey_problem p;
    for (int g = 0; g < 5; g++)
        assert_int_equal(pick(w, st, (size_t)g, rak, picks[g], 3, &p), KC_OK);
    int four[] = { 0, 1, 2, 3 }, two[] = { 0, 1 }, dup[] = { 1, 1, 2 }, out[] = { 0, 1, 7 };
    assert_int_equal(pick(w, st, 0, rak, four, 4, &p), KC_EINVAL);
    assert_int_equal(p.kind, SURVEY_P_TOO_MANY);
    assert_int_equal(pick(w, st, 0, rak, two, 2, &p), KC_EINVAL);
    assert_int_equal(p.kind, SURVEY_P_TOO_FEW);
    assert_int_equal(pick(w, st, 0, rak, dup, 3, &p), KC_EINVAL);
    assert_int_equal(pick(w, st, 0, rak, out, 3, &p), KC_EINVAL);
    assert_int_equal(p.kind, SURVEY_P_NOT_OPTION);

    results *r;
    assert_int_equal(workshop_results(w, &r), KC_OK);
    const results_question *rq = results_question_at(r, rak);
    assert_int_equal(rq->answered, 5);
    assert_int_equal(opt(rq, "yhdistysavustukset")->count, 5);
    assert_true(opt(rq, "yhdistysavustukset")->percent == 100.0);
    assert_int_equal(opt(rq, "tilat")->count, 3);
    assert_true(opt(rq, "tilat")->percent == 60.0);
    assert_int_equal(opt(rq, "jarjestoagentit")->count, 0);
    assert_int_equal(opt(rq, "yhdistysavustukset")->rank, 1);
    assert_int_equal(opt(rq, "tilat")->rank, 2);
    /* three options with 2 picks share rank 3 */
    assert_int_equal(opt(rq, "foorumit")->rank, 3);
    assert_int_equal(opt(rq, "koordinaatio-kaupunki")->rank, 3);
    assert_int_equal(opt(rq, "vapaaehtoistyon-koordinointi")->rank, 3);
    assert_int_equal(opt(rq, "jarjestokirje")->rank, 6);
    assert_string_equal(rq->options[rq->order[0]].id, "yhdistysavustukset");
    results_free(r);

    /* topics as free text, then pick three of all groups' topics, ranked */
    const char *t0[] = { "Vapaaehtoisten rekrytointi", "Avustusten kriteerit" };
    const char *t2[] = { "Yhteiset tapahtumat", "Tilojen varaaminen", "Viestintä" };
    const char *t4[] = { "Nuorten mukaan saaminen" };
    assert_int_equal(texts(w, st, 0, aih, t0, 2), KC_OK);
    assert_int_equal(texts(w, st, 2, aih, t2, 3), KC_OK);
    assert_int_equal(texts(w, st, 4, aih, t4, 1), KC_OK);
    assert_int_equal(workshop_noptions(w, top), 6);
    assert_string_equal(workshop_option_id(w, top, 0), "seniorit/1");
    assert_string_equal(workshop_option_id(w, top, 3), "harrastukset/2");
    assert_string_equal(workshop_option_text(w, top, 3, NULL), "Tilojen varaaminen");
    assert_int_equal(workshop_option_group(w, top, 5), 4);
    int p1[] = { 3, 1, 5 }, p2[] = { 1, 3, 0 }, p3[] = { 1, 2, 3 };
    assert_int_equal(pick(w, st, 0, top, p1, 3, &p), KC_OK);
    assert_int_equal(pick(w, st, 1, top, p2, 3, &p), KC_OK);
    assert_int_equal(pick(w, st, 3, top, p3, 3, &p), KC_OK);
    int bad[] = { 1, 2, 6 };
    assert_int_equal(pick(w, st, 2, top, bad, 3, &p), KC_EINVAL);
    assert_int_equal(workshop_results(w, &r), KC_OK);
    rq = results_question_at(r, top);
    assert_int_equal(rq->answered, 3);
    /* ranked: first pick 3 points, second 2, third 1 */
    assert_int_equal(opt(rq, "seniorit/2")->points, 2 + 3 + 3);
    assert_int_equal(opt(rq, "harrastukset/2")->points, 3 + 2 + 1);
    assert_int_equal(opt(rq, "muut/1")->points, 1);
    assert_int_equal(opt(rq, "seniorit/2")->rank, 1);
    assert_int_equal(opt(rq, "harrastukset/2")->rank, 2);
    assert_int_equal(results_question_at(r, aih)->texts, 6);
    results_free(r);

    /* everything is in the database: a reopened handle sees the same */
    workshop_free(w);
    assert_int_equal(workshop_open(st, id, &w, msg), KC_OK);
    const survey_answer *a = workshop_answer(w, 0, top);
    assert_non_null(a);
    assert_int_equal(a->nsel, 3);
    assert_int_equal(a->sel[0], 3);
    assert_null(workshop_answer(w, 1, aih));
    /* removing an entry drops the picks that pointed at the entries after it */
    const char *t0b[] = { "Vapaaehtoisten rekrytointi" };
    assert_int_equal(texts(w, st, 0, aih, t0b, 1), KC_OK);
    assert_int_equal(workshop_noptions(w, top), 5);
    a = workshop_answer(w, 1, top);  /* picked seniorit/2, harrastukset/2, seniorit/1 */
    assert_int_equal(a->nsel, 2);

    long rows;
    assert_int_equal(workshop_end(w, st, NOW + 3 * 3600, &rows), KC_OK);
    assert_int_equal(rows, 5 + 1);
    assert_int_equal(count(st, "SELECT count(*) FROM outbox WHERE kind = 'workshop-group'"), 5);
    assert_int_equal(count(st, "SELECT count(*) FROM outbox WHERE kind = 'workshop' AND payload "
                               "LIKE '%\"started\":\"2026-09-25T10Z\",\"ended\":\"2026-09-25T13Z\"%'"),
                     1);
    assert_int_equal(count(st, "SELECT count(*) FROM outbox WHERE payload LIKE "
                               "'{\"type\":\"workshop-group\",%\"group\":\"seniorit\",\"answers\":"
                               "{\"rakenne\":[\"foorumit\",\"yhdistysavustukset\",\"tilat\"],%'"),
                     1);
    assert_int_equal(pick(w, st, 0, rak, picks[0], 3, &p), KC_EUSAGE);
    assert_int_equal(workshop_end(w, st, NOW, &rows), KC_EUSAGE);
    workshop_free(w);
    assert_int_equal(workshop_open(st, id, &w, msg), KC_OK);
    assert_true(workshop_ended(w));

    /* exports */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(workshop_export_csv(w, CAT_FI, f, msg), KC_OK);
    fclose(f);
    assert_memory_equal(buf, "\xEF\xBB\xBF\"ryhmä\";\"rakenne ", 20);
    assert_non_null(strstr(buf, "\r\n\"Seniorit\";1;;;1;;1;;"));
    assert_non_null(strstr(buf, "\"Vapaaehtoisten rekrytointi\""));
    free(buf);
    f = open_memstream(&buf, &len);
    assert_int_equal(workshop_export_json(w, f, msg), KC_OK);
    fclose(f);
    assert_non_null(strstr(buf, "\"format\": \"kiosk-workshop\""));
    assert_non_null(strstr(buf, "\"id\": \"yhdistysavustukset\",\n          \"count\": 5,\n"
                                "          \"percent\": 100.0,\n          \"rank\": 1,\n"
                                "          \"points\": 5"));
    free(buf);
    workshop_free(w);

    workshop_info *v;
    size_t n;
    char id2[OUTBOX_UUID_LEN + 1];
    assert_int_equal(workshop_start(st, WS, NULL, NOW + 86400, id2, msg), KC_OK);
    assert_int_equal(workshop_list(st, &v, &n, msg), KC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].id, id2);  /* open ones first */
    assert_string_equal(v[0].label, "Kumppanuusfoorumi: järjestöjen ja kaupungin yhteistyö");
    assert_string_equal(v[1].ended, "2026-09-25T13Z");
    assert_int_equal(v[1].answers, 5 + 3 + 3);
    workshop_info_free(v, n);
    assert_int_equal(workshop_start(st, "nope", NULL, NOW, id2, msg), KC_ENOTFOUND);
    assert_int_equal(workshop_start(st, WS, "bad\nlabel", NOW, id2, msg), KC_EINVAL);
    store_close(st);
}

/* The workshop CSV and the survey responses CSV come from one writer (csv.h): a
 * single-choice answer is its option's label in the export's language in both.
 * Before, the workshop CSV wrote the option id ("kylla") where the responses CSV
 * wrote the label. */
static void test_csv_single_choice_is_the_label(void **state)
{
    (void)state;
    static const char def[] =
        "{\"format\":\"kiosk-survey\",\"id\":\"ws-single\",\"mode\":\"workshop\","
        "\"title\":{\"fi\":\"Paja\"},"
        "\"groups\":[{\"id\":\"a\",\"name\":{\"fi\":\"Ryhmä A\"}}],"
        "\"questions\":[{\"id\":\"jatko\",\"type\":\"single\","
        "\"text\":{\"fi\":\"Jatketaanko?\",\"sv\":\"Fortsätter vi?\"},"
        "\"options\":[{\"id\":\"kylla\",\"text\":{\"fi\":\"Kyllä\",\"sv\":\"Ja\"}},"
        "{\"id\":\"ei\",\"text\":{\"fi\":\"Ei\",\"sv\":\"Nej\"}}]}]}";
    store *st = setup("ws-single.db");
    survey *s;
    survey_put_result r;
    char id[OUTBOX_UUID_LEN + 1], msg[KC_MSGMAX];
    if (survey_parse(def, sizeof def - 1, "ws-single", &s, msg) || survey_store_put(st, s, &r, msg))
        fail_msg("%s", msg);
    survey_free(s);
    assert_int_equal(workshop_start(st, "ws-single", NULL, NOW, id, msg), KC_OK);
    workshop *w;
    assert_int_equal(workshop_open(st, id, &w, msg), KC_OK);
    int yes[] = { 0 };
    survey_problem p;
    assert_int_equal(pick(w, st, 0, 0, yes, 1, &p), KC_OK);
    for (int lang = CAT_FI; lang <= CAT_SV; lang++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        assert_int_equal(workshop_export_csv(w, (cat_lang)lang, f, msg), KC_OK);
        fclose(f);
        const char *want = lang == CAT_FI ? "\r\n\"Ryhmä A\";\"Kyllä\"\r\n"
                                          : "\r\n\"Ryhmä A\";\"Ja\"\r\n";
        if (!strstr(buf, want))
            fail_msg("no %s in %s", want, buf);
        assert_null(strstr(buf, "kylla"));
        free(buf);
    }
    workshop_free(w);
    store_close(st);
}

static void test_end_faults(void **state)
{
    (void)state;
    store *st = setup("wsfault.db");
    char id[OUTBOX_UUID_LEN + 1], msg[KC_MSGMAX];
    assert_int_equal(workshop_start(st, WS, NULL, NOW, id, msg), KC_OK);
    workshop *w;
    assert_int_equal(workshop_open(st, id, &w, msg), KC_OK);
    int picks[3] = { 0, 1, 2 };
    for (size_t g = 0; g < 5; g++)
        assert_int_equal(pick(w, st, g, 0, picks, 3, NULL), KC_OK);
    workshop_free(w);
    int done = 0;
    for (long n = 0; !done; n++) {
        assert_int_equal(workshop_open(st, id, &w, msg), KC_OK);
        kc_fault_after(n);
        long rows;
        kc_err rc = workshop_end(w, st, NOW, &rows);
        done = kc_fault_after(-1) == 0;
        long queued = count(st, "SELECT count(*) FROM outbox WHERE kind <> 'workshop-answer'");
        if (rc == KC_OK) {
            assert_int_equal(queued, 6);
            assert_true(done);
        } else {
            assert_int_equal(queued, 0);
            assert_false(store_in_tx(st));
        }
        workshop_free(w);
        assert_true(n < 10000);
    }
    store_close(st);
}

/* Each saved answer queues one "workshop-answer" row at once, numbered in order, in
 * the answer's own transaction: a failure at any step leaves neither the answer nor
 * the row; a removal is a row with answer null.  Before, nothing was queued until the
 * workshop ended, so the room's live screen had nothing to show. */
static void test_answer_rows(void **state)
{
    (void)state;
    store *st = setup("wsanswer.db");
    char id[OUTBOX_UUID_LEN + 1], msg[KC_MSGMAX];
    assert_int_equal(workshop_start(st, WS, "Forum", NOW, id, msg), KC_OK);
    workshop *w;
    assert_int_equal(workshop_open(st, id, &w, msg), KC_OK);
    int picks[3] = { 0, 1, 2 }, other[3] = { 3, 4, 5 };
    assert_int_equal(pick(w, st, 0, 0, picks, 3, NULL), KC_OK);
    assert_int_equal(pick(w, st, 1, 0, picks, 3, NULL), KC_OK);
    assert_int_equal(count(st, "SELECT count(*) FROM outbox WHERE kind = 'workshop-answer'"), 2);
    assert_int_equal(count(st, "SELECT count(*) FROM outbox WHERE kind = 'workshop-answer' AND"
                               " json_extract(payload, '$.seq') = 2 AND json_extract(payload,"
                               " '$.group') = 'sosiaali-terveys' AND json_extract(payload,"
                               " '$.label') = 'Forum' AND json_extract(payload, '$.workshop') ="
                               " (SELECT id FROM workshop) AND json_array_length(payload,"
                               " '$.answer') = 3"), 1);
    /* the numbering goes on after a reopen */
    workshop_free(w);
    assert_int_equal(workshop_open(st, id, &w, msg), KC_OK);
    int done = 0;
    for (long n = 0; !done; n++) {
        long before = count(st, "SELECT count(*) FROM outbox");
        kc_fault_after(n);
        kc_err rc = pick(w, st, 0, 0, other, 3, NULL);
        done = kc_fault_after(-1) == 0;
        long after = count(st, "SELECT count(*) FROM outbox");
        assert_false(store_in_tx(st));
        if (rc == KC_OK) {
            assert_true(done);
            assert_int_equal(after, before + 1);
        } else {
            /* nothing, or (memory running out after the commit: "reopen it") the
             * answer with its row */
            long saved = count(st, "SELECT count(*) FROM workshop_answer WHERE grp ="
                                   " 'seniorit' AND answer LIKE '%yhdistysavustukset%'");
            assert_int_equal(after, before + saved);
            workshop_free(w);
            assert_int_equal(workshop_open(st, id, &w, msg), KC_OK);
        }
        assert_true(n < 10000);
    }
    /* numbered 1..n without a gap or a repeat */
    long n = count(st, "SELECT count(*) FROM outbox");
    assert_true(n >= 3);
    assert_int_equal(count(st, "SELECT count(DISTINCT json_extract(payload, '$.seq')) FROM"
                               " outbox"), n);
    assert_int_equal(count(st, "SELECT max(json_extract(payload, '$.seq')) FROM outbox"), n);
    assert_int_equal(pick(w, st, 0, 0, NULL, 0, NULL), KC_OK);
    assert_int_equal(count(st, "SELECT count(*) FROM outbox WHERE json_extract(payload, '$.seq')"
                               " = (SELECT max(json_extract(payload, '$.seq')) FROM outbox) AND"
                               " json_type(payload, '$.answer') = 'null'"), 1);
    workshop_free(w);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forum),
        cmocka_unit_test(test_csv_single_choice_is_the_label),
        cmocka_unit_test(test_top_fewer_options),
        cmocka_unit_test(test_end_faults),
        cmocka_unit_test(test_answer_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
