/* Quick feedback: checks, consent rule, one transaction with the outbox, anonymity,
 * faults. */
#include "testutil.h"
#include "store_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feedback.h"
#include "results.h"

#define NOW ((time_t)1795610000) /* 2026-11-25 12:33 UTC */

static store *fresh(const char *name)
{
    store *st;
    remove(tu_tmp(name));
    assert_int_equal(store_open(tu_tmp(name), &st), KC_OK);
    assert_int_equal(feedback_init(st), KC_OK);
    return st;
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

static void test_checks(void **state)
{
    (void)state;
    feedback_problem p;
    char msg[KC_MSGMAX];
    feedback_entry e = { 4, NULL, NULL, 0, NULL, NULL, NULL };
    assert_int_equal(feedback_check(&e, &p, msg), KC_OK);
    e.score = 0;
    assert_int_equal(feedback_check(&e, &p, msg), KC_EINVAL);
    assert_int_equal(p.field, FEEDBACK_F_SCORE);
    e.score = 6;
    assert_int_equal(feedback_check(&e, &p, msg), KC_EINVAL);
    e.score = 5;
    e.context = "Not An Id";
    assert_int_equal(feedback_check(&e, &p, msg), KC_EINVAL);
    assert_int_equal(p.field, FEEDBACK_F_CONTEXT);
    e.context = "a-kuoro";
    char long_comment[FEEDBACK_COMMENT_CHARS * 2 + 8];
    memset(long_comment, 0, sizeof long_comment);
    for (int i = 0; i < FEEDBACK_COMMENT_CHARS; i++)
        memcpy(long_comment + 2 * i, "\xc3\xa4", 2); /* ä: 500 characters, 1000 bytes */
    e.comment = long_comment;
    assert_int_equal(feedback_check(&e, &p, msg), KC_OK);
    strcat(long_comment, "x");
    assert_int_equal(feedback_check(&e, &p, msg), KC_EINVAL);
    assert_int_equal(p.field, FEEDBACK_F_COMMENT);
    assert_int_equal(p.kind, SURVEY_P_TOO_LONG);
    assert_null(strstr(msg, "\xc3\xa4")); /* messages never quote the resident */
    e.comment = "rivi\nrivi";
    assert_int_equal(feedback_check(&e, &p, msg), KC_OK);
    e.comment = "esc\x1b[31m";
    assert_int_equal(feedback_check(&e, &p, msg), KC_EINVAL);
    assert_int_equal(p.kind, SURVEY_P_BAD_TEXT);
    e.comment = "bad \xc3";
    assert_int_equal(feedback_check(&e, &p, msg), KC_EINVAL);
    e.comment = NULL;

    /* contact details need consent; consent needs a way to contact */
    e.email = "maija@example.fi";
    assert_int_equal(feedback_check(&e, &p, msg), KC_EUSAGE);
    e.consent = 1;
    assert_int_equal(feedback_check(&e, &p, msg), KC_OK);
    e.email = NULL;
    e.name = "Maija";
    assert_int_equal(feedback_check(&e, &p, msg), KC_EINVAL);
    assert_int_equal(p.field, FEEDBACK_F_EMAIL);
    assert_int_equal(p.kind, SURVEY_P_REQUIRED);
    e.phone = "040 123 4567";
    assert_int_equal(feedback_check(&e, &p, msg), KC_OK);
    e.phone = "call me";
    assert_int_equal(feedback_check(&e, &p, msg), KC_EINVAL);
    assert_int_equal(p.field, FEEDBACK_F_PHONE);
    e.phone = NULL;
    const char *bad_mail[] = { "maija", "@example.fi", "maija@", "a@b", "a@b.", "a b@c.fi",
                               "a@b@c.fi", "a<x>@c.fi" };
    for (size_t i = 0; i < sizeof bad_mail / sizeof bad_mail[0]; i++) {
        e.email = bad_mail[i];
        if (feedback_check(&e, &p, msg) != KC_EINVAL || p.field != FEEDBACK_F_EMAIL)
            fail_msg("\"%s\" accepted as e-mail", bad_mail[i]);
    }
    e.email = "maija.meikalainen@example.fi";
    e.name = "Maija\nMeikäläinen";
    assert_int_equal(feedback_check(&e, &p, msg), KC_EINVAL);
    assert_int_equal(p.field, FEEDBACK_F_NAME);
}

static void test_submit_and_rows(void **state)
{
    (void)state;
    store *st = fresh("fb.db");
    char uuid[OUTBOX_UUID_LEN + 1], msg[KC_MSGMAX];
    feedback_problem p;
    feedback_entry anon = { 2, "a-kuoro", "Liian vähän tuoleja", 0, NULL, NULL, NULL };
    assert_int_equal(feedback_submit(st, &anon, NOW, uuid, &p, msg), KC_OK);
    assert_true(outbox_valid_uuid(uuid));
    char *payload;
    assert_int_equal(feedback_payload(&anon, NOW, &payload), KC_OK);
    assert_string_equal(payload, "{\"type\":\"feedback\",\"hour\":\"2026-11-25T12Z\",\"score\":2,"
                                 "\"context\":\"a-kuoro\",\"comment\":\"Liian vähän tuoleja\"}");
    outbox_row *rows;
    size_t n;
    assert_int_equal(outbox_pending(st, 10, &rows, &n), KC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].uuid, uuid);
    assert_string_equal(rows[0].kind, "feedback");
    assert_string_equal(rows[0].payload, payload);
    outbox_rows_free(rows, n);
    kc_free(payload);

    feedback_entry named = { 5, NULL, NULL, 1, "Maija", "maija@example.fi", NULL };
    assert_int_equal(feedback_submit(st, &named, NOW + 7200, uuid, &p, msg), KC_OK);
    assert_int_equal(feedback_payload(&named, NOW, &payload), KC_OK);
    assert_non_null(strstr(payload, "\"context\":\"home\",\"contact\":{\"name\":\"Maija\","
                                    "\"email\":\"maija@example.fi\"}"));
    kc_free(payload);
    /* refused entries store nothing */
    feedback_entry sneaky = { 3, NULL, NULL, 0, NULL, NULL, "040 123 4567" };
    assert_int_equal(feedback_submit(st, &sneaky, NOW, uuid, &p, msg), KC_EUSAGE);
    assert_string_equal(uuid, "");
    assert_int_equal(count(st, "SELECT count(*) FROM feedback"), 2);
    assert_int_equal(count(st, "SELECT count(*) FROM outbox"), 2);
    assert_int_equal(count(st, "SELECT count(*) FROM feedback WHERE contact_phone IS NOT NULL"), 0);

    feedback_stats fs;
    assert_int_equal(feedback_get_stats(st, &fs, msg), KC_OK);
    assert_int_equal(fs.total, 2);
    assert_int_equal(fs.score[2], 1);
    assert_int_equal(fs.score[5], 1);
    assert_int_equal(fs.comments, 1);
    assert_int_equal(fs.contacts, 1);
    /* nothing finer than the hour, no rowid */
    assert_int_equal(count(st, "SELECT count(*) FROM feedback WHERE hour NOT GLOB "
                               "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]Z'"), 0);
    assert_int_equal(count(st, "SELECT count(*) FROM sqlite_master WHERE name = 'feedback' "
                               "AND sql LIKE '%WITHOUT ROWID%'"), 1);
    store_close(st);
}

/* A comment with a right-to-left override, isolates and zero-width characters is
 * stored, sent and exported without them. */
static void test_invisible_characters_neutralised(void **state)
{
    (void)state;
    store *st = fresh("fbbidi.db");
    char uuid[OUTBOX_UUID_LEN + 1], msg[KC_MSGMAX];
    feedback_problem p;
    const char *sly = "Hyv\xc3\xa4\xe2\x80\xae \xe2\x81\xa6palvelu\xe2\x81\xa9\xe2\x80\x8b"
                      "\xe2\x80\x8d!\xef\xbb\xbf";
    feedback_entry e = { 4, NULL, sly, 1, "Mai\xe2\x80\x8cja\xe2\x80\xad", "m@example.fi", NULL };
    assert_int_equal(feedback_submit(st, &e, NOW, uuid, &p, msg), KC_OK);
    assert_int_equal(count(st, "SELECT count(*) FROM feedback WHERE comment = "
                               "'Hyv\xc3\xa4 palvelu!' AND contact_name = 'Maija'"), 1);
    outbox_row *rows;
    size_t n;
    assert_int_equal(outbox_pending(st, 10, &rows, &n), KC_OK);
    assert_int_equal(n, 1);
    assert_non_null(strstr(rows[0].payload, "\"comment\":\"Hyv\xc3\xa4 palvelu!\""));
    outbox_rows_free(rows, n);
    /* a row stored before this rule (or by hand) is cleaned on export */
    assert_int_equal(sqlite3_exec(store_db(st),
                                  "INSERT INTO feedback(uuid, hour, score, context, comment) "
                                  "VALUES('00000000-0000-4000-8000-000000000000', "
                                  "'2026-11-25T12Z', 1, 'home', "
                                  "'\xe2\x80\x8b=cmd()\xe2\x80\xae|x')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(results_feedback_csv(st, f, msg), KC_OK);
    fclose(f);
    assert_non_null(strstr(buf, "\"'=cmd()|x\""));  /* and still defused as a formula */
    assert_non_null(strstr(buf, "\"Hyv\xc3\xa4 palvelu!\""));
    assert_null(strstr(buf, "\xe2\x80\xae"));  /* U+202E */
    assert_null(strstr(buf, "\xe2\x80\x8b"));  /* U+200B */
    free(buf);
    store_close(st);
}

static void test_submit_faults(void **state)
{
    (void)state;
    store *st = fresh("fbfault.db");
    feedback_entry e = { 1, "home", "Kahvi loppui", 1, NULL, NULL, "+358 40 123 4567" };
    long ok = 0;
    int done = 0;
    for (long n = 0; !done; n++) {
        char uuid[OUTBOX_UUID_LEN + 1], msg[KC_MSGMAX];
        feedback_problem p;
        kc_fault_after(n);
        kc_err rc = feedback_submit(st, &e, NOW, uuid, &p, msg);
        done = kc_fault_after(-1) == 0;
        if (rc == KC_OK)
            ok++;
        else
            assert_false(store_in_tx(st));
        assert_true(n < 10000);
    }
    assert_int_equal(count(st, "SELECT count(*) FROM feedback"), ok);
    assert_int_equal(count(st, "SELECT count(*) FROM outbox"), ok);
    store_close(st);
}

/* One tap, one record: a face is stored at once with its outbox row held; a later face
 * and a comment amend it (the merged taps counted); nothing held is handed to sync;
 * released, it waits like any other row; a released row can no longer be changed. */
static void test_tap_merge_release(void **state)
{
    (void)state;
    store *st = fresh("fb_tap.db");
    char uuid[OUTBOX_UUID_LEN + 1], msg[KC_MSGMAX];
    feedback_problem p;
    feedback_entry e = { 2, NULL, NULL, 0, NULL, NULL, NULL };
    assert_int_equal(feedback_tap(st, &e, NOW, uuid, &p, msg), KC_OK);
    assert_int_equal(count(st, "SELECT count(*) FROM feedback"), 1);
    long pending = -1;
    assert_int_equal(outbox_depth(st, &pending), KC_OK);
    assert_int_equal(pending, 0);  /* held: not handed to sync yet */
    outbox_row *rows = NULL;
    size_t n = 9;
    assert_int_equal(outbox_pending(st, 10, &rows, &n), KC_OK);
    assert_int_equal(n, 0);
    outbox_rows_free(rows, n);
    /* two more taps of the same person, the last one a 4: one feedback, score 4 */
    long merged = 0;
    e.score = 5;
    assert_int_equal(feedback_amend(st, uuid, &e, 1, &merged, &p, msg), KC_OK);
    e.score = 4;
    assert_int_equal(feedback_amend(st, uuid, &e, 1, &merged, &p, msg), KC_OK);
    assert_int_equal(merged, 2);
    /* the comment that follows is not a tap */
    e.comment = "hyv\xc3\xa4 paikka";
    assert_int_equal(feedback_amend(st, uuid, &e, 0, &merged, &p, msg), KC_OK);
    assert_int_equal(merged, 2);
    assert_int_equal(count(st, "SELECT count(*) FROM feedback"), 1);
    assert_int_equal(count(st, "SELECT score FROM feedback"), 4);
    assert_int_equal(count(st, "SELECT count(*) FROM outbox"), 1);
    assert_int_equal(count(st, "SELECT count(*) FROM outbox WHERE payload LIKE "
                               "'%\"score\":4%\"merged\":2%'"), 1);
    assert_int_equal(count(st, "SELECT count(*) FROM outbox WHERE payload LIKE "
                               "'%hyv\xc3\xa4 paikka%'"), 1);
    feedback_stats fs;
    assert_int_equal(feedback_get_stats(st, &fs, msg), KC_OK);
    assert_int_equal(fs.total, 1);
    assert_int_equal(fs.merged, 2);
    /* a bad amendment changes nothing */
    e.score = 9;
    assert_int_equal(feedback_amend(st, uuid, &e, 1, NULL, &p, msg), KC_EINVAL);
    assert_int_equal(count(st, "SELECT merged FROM feedback"), 2);
    e.score = 4;
    /* released: waits to be sent, and can no longer change */
    assert_int_equal(feedback_release(st, uuid, msg), KC_OK);
    assert_int_equal(outbox_depth(st, &pending), KC_OK);
    assert_int_equal(pending, 1);
    e.score = 1;
    assert_int_equal(feedback_amend(st, uuid, &e, 1, NULL, &p, msg), KC_ENOTFOUND);
    assert_int_equal(count(st, "SELECT score FROM feedback"), 4);
    assert_int_equal(count(st, "SELECT merged FROM feedback"), 2);
    assert_int_equal(feedback_amend(st, "00000000-0000-4000-8000-000000000000", &e, 1, NULL,
                                    &p, msg), KC_ENOTFOUND);
    /* a row held when the kiosk stopped is released at the next start */
    char u2[OUTBOX_UUID_LEN + 1];
    assert_int_equal(feedback_tap(st, &e, NOW, u2, &p, msg), KC_OK);
    assert_int_equal(outbox_depth(st, &pending), KC_OK);
    assert_int_equal(pending, 1);
    long released = 0;
    assert_int_equal(outbox_release_all(st, &released), KC_OK);
    assert_int_equal(released, 1);
    assert_int_equal(outbox_depth(st, &pending), KC_OK);
    assert_int_equal(pending, 2);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checks),
        cmocka_unit_test(test_submit_and_rows),
        cmocka_unit_test(test_invisible_characters_neutralised),
        cmocka_unit_test(test_submit_faults),
        cmocka_unit_test(test_tap_merge_release),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
