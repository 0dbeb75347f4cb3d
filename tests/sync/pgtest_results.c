/* pgtest_results.c - the console's results give the same answers on PostgreSQL as on
 * SQLite for the same stored responses, odd ones included: hours SQLite's date
 * functions roll over (31 February, hour 24) or refuse, scores that are not integers
 * 1-5, year 0, text that is not JSON, long contexts, merged counts out of range, survey
 * answers of the wrong type, and local days around midnight and a DST change in the
 * server's zone.  Every query of srvdb_results.h and srvdb_results_survey.h is run on
 * both and its output compared as text, before and after hiding. */
#include <libpq-fe.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <jansson.h>

#include "srvdb.h"
#include "srvdb_results.h"
#include "srvdb_results_survey.h"
#include "srvdb_pg_impl.h"
#include "testutil.h"

static char spec[600];

static void fresh_db(const char *name)
{
    const char *base = getenv("KC_TEST_PG");
    assert_non_null(base);
    PGconn *c = PQconnectdb(base);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    char sql[200];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    PQclear(PQexec(c, sql));
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    PGresult *r = PQexec(c, sql);
    assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    PQfinish(c);
    const char *q = strstr(base, "/postgres?");
    assert_non_null(q);
    snprintf(spec, sizeof spec, "%.*s/%s%s", (int)(q - base), base, name, q + 9);
}

static const char SURVEY[] =
    "{\"format\":\"kiosk-survey\",\"id\":\"poll\",\"version\":1,"
    "\"title\":{\"fi\":\"Kysely\",\"en\":\"Poll\"},\"questions\":["
    "{\"id\":\"visits\",\"type\":\"single\",\"text\":{\"fi\":\"K\",\"en\":\"Q\"},\"options\":["
    "{\"id\":\"weekly\",\"text\":{\"fi\":\"V\",\"en\":\"W\"}},"
    "{\"id\":\"monthly\",\"text\":{\"fi\":\"K\",\"en\":\"M\"}}]},"
    "{\"id\":\"services\",\"type\":\"multi\",\"text\":{\"fi\":\"M\",\"en\":\"W\"},\"options\":["
    "{\"id\":\"books\",\"text\":{\"fi\":\"K\",\"en\":\"B\"}},"
    "{\"id\":\"events\",\"text\":{\"fi\":\"T\",\"en\":\"E\"}}]},"
    "{\"id\":\"top\",\"type\":\"top\",\"text\":{\"fi\":\"T\",\"en\":\"T\"},\"pick\":2,"
    "\"ranked\":true,\"options\":[{\"id\":\"a\",\"text\":{\"fi\":\"A\",\"en\":\"A\"}},"
    "{\"id\":\"b\",\"text\":{\"fi\":\"B\",\"en\":\"B\"}},{\"id\":\"c\",\"text\":{\"fi\":\"C\","
    "\"en\":\"C\"}}]},"
    "{\"id\":\"sat\",\"type\":\"scale\",\"text\":{\"fi\":\"S\",\"en\":\"S\"},"
    "\"low\":{\"fi\":\"L\",\"en\":\"L\"},\"high\":{\"fi\":\"H\",\"en\":\"H\"}},"
    "{\"id\":\"age\",\"type\":\"number\",\"text\":{\"fi\":\"I\",\"en\":\"A\"},\"min\":0,"
    "\"max\":120},"
    "{\"id\":\"note\",\"type\":\"text\",\"text\":{\"fi\":\"T\",\"en\":\"N\"},"
    "\"max_chars\":300}]}";

#define U(n) "00000000-0000-4000-8000-0000000000" n

static proto_response rows[] = {
    { U("01"), "feedback", "{\"type\":\"feedback\",\"hour\":\"2026-11-25T12Z\",\"score\":3,\"context\":\"home\"}", NULL },
    { U("02"), "feedback", "{\"type\":\"feedback\",\"hour\":\"2026-11-25T12Z\",\"score\":5,\"context\":\"item-1\",\"comment\":\"nice\",\"merged\":3}", NULL },
    { U("03"), "feedback", "{\"type\":\"feedback\",\"hour\":\"2026-02-31T10Z\",\"score\":5,\"context\":\"item-2\",\"comment\":\"rolled\"}", NULL },
    { U("04"), "feedback", "{\"type\":\"feedback\",\"hour\":\"2026-11-25T24Z\",\"score\":1,\"comment\":\"late\"}", NULL },
    { U("05"), "feedback", "{\"type\":\"feedback\",\"hour\":\"2026-11-25T1Z\",\"score\":2}", NULL },
    { U("06"), "feedback", "{\"type\":\"feedback\",\"hour\":\"2026-11-25T12Z\",\"score\":5.0}", NULL },
    { U("07"), "feedback", "{\"type\":\"feedback\",\"hour\":\"2026-11-25T12Z\",\"score\":6}", NULL },
    { U("08"), "feedback", "{\"type\":\"feedback\",\"hour\":\"2026-11-26T09Z\",\"score\":4,\"context\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"comment\":\"long\"}", NULL },
    { U("09"), "feedback", "{\"type\":\"feedback\",\"hour\":\"2026-11-26T09Z\",\"score\":2,\"context\":7,\"comment\":7}", NULL },
    { U("10"), "feedback", "{\"type\":\"feedback\",\"hour\":\"2026-11-26T09Z\",\"score\":2,\"merged\":0}", NULL },
    { U("11"), "feedback", "{\"type\":\"feedback\",\"hour\":\"2026-11-26T09Z\",\"score\":2,\"merged\":2000000}", NULL },
    { U("12"), "feedback", "{\"type\":\"feedback\",\"hour\":\"2026-11-26T09Z\",\"score\":2,\"merged\":2.5}", NULL },
    { U("13"), "feedback", "{\"type\":\"feedback\",\"hour\":\"2026-13-01T10Z\",\"score\":2}", NULL },
    { U("14"), "feedback", "{\"type\":\"feedback\",\"hour\":\"2026-11-27T08X\",\"score\":4,\"context\":\"item-1\",\"merged\":1000000}", NULL },
    { U("15"), "feedback", "{\"type\":\"feedback\",\"hour\":\"2026-11-27T08Z\",\"score\":\"4\"}", NULL },
    { U("20"), "survey-response", "{\"type\":\"survey-response\",\"survey\":\"poll\",\"version\":1,\"hour\":\"2026-11-25T21Z\",\"answers\":{\"visits\":\"weekly\",\"services\":[\"books\",\"events\"],\"top\":[\"b\",\"a\"],\"sat\":4,\"age\":42,\"note\":\"hello\"}}", NULL },
    { U("21"), "survey-response", "{\"type\":\"survey-response\",\"survey\":\"poll\",\"version\":1,\"hour\":\"2026-11-25T22Z\",\"answers\":{\"visits\":\"monthly\",\"services\":[\"events\",7],\"top\":[\"a\"],\"sat\":3.5,\"age\":17.5,\"note\":[\"one\",\"two\"],\"extra\":\"x\"}}", NULL },
    { U("22"), "survey-response", "{\"type\":\"survey-response\",\"survey\":\"poll\",\"version\":1,\"hour\":\"2026-03-29T00Z\",\"answers\":{\"visits\":7,\"sat\":5,\"note\":\"spring\"}}", NULL },
    { U("23"), "survey-response", "{\"type\":\"survey-response\",\"survey\":\"poll\",\"version\":1,\"hour\":\"2026-10-25T00Z\",\"answers\":{\"visits\":\"weekly\",\"sat\":1}}", NULL },
    { U("24"), "survey-response", "{\"type\":\"survey-response\",\"survey\":\"poll\",\"version\":\"1\",\"hour\":\"2026-11-25T12Z\",\"answers\":{\"visits\":\"weekly\"}}", NULL },
    { U("25"), "survey-response", "{\"type\":\"survey-response\",\"survey\":\"poll\",\"version\":1,\"hour\":\"2026-11-25T12Z\",\"answers\":[1]}", NULL },
    { U("26"), "survey-response", "{\"type\":\"survey-response\",\"survey\":\"poll\",\"version\":2,\"hour\":\"2026-11-25T12Z\",\"answers\":{\"visits\":\"weekly\"}}", NULL },
    { U("28"), "survey-response", "{\"type\":\"survey-response\",\"survey\":\"poll\",\"version\":1,\"hour\":\"0000-02-29T12Z\",\"answers\":{\"note\":\"year zero\"}}", NULL },
    { U("27"), "survey-response", "{\"type\":\"survey-response\",\"survey\":\"poll\",\"version\":1,\"hour\":\"2026-12-31T23Z\",\"answers\":{\"note\":\"new year\",\"age\":-3}}", NULL },
};
#define NROWS (sizeof rows / sizeof rows[0])

/* --- the output of every query, as text ------------------------------------------------ */

static kc_err p_counts(void *ctx, long long k, const long *n)
{
    proto_buf_printf(ctx, "%lld:%ld,%ld,%ld,%ld,%ld\n", k, n[0], n[1], n[2], n[3], n[4]);
    return KC_OK;
}

static kc_err p_card(void *ctx, const char *item, const char *const names[3], const long n[5])
{
    proto_buf_printf(ctx, "%s[%s|%s|%s]:%ld,%ld,%ld,%ld,%ld\n", item, names[0] ? names[0] : "-",
                     names[1] ? names[1] : "-", names[2] ? names[2] : "-", n[0], n[1], n[2],
                     n[3], n[4]);
    return KC_OK;
}

static kc_err p_comment(void *ctx, const srvdb_fb_comment *c)
{
    proto_buf_printf(ctx, "%s %lld %lld %d %s %s %s %lld\n", c->uuid, c->hour, c->device,
                     c->score, c->context, c->comment, c->hidden_by ? c->hidden_by : "-",
                     c->hidden_at);
    return KC_OK;
}

static kc_err p_ws(void *ctx, long long device, const char *kind, const char *payload)
{
    proto_buf_printf(ctx, "%lld %s %s\n", device, kind, payload);
    return KC_OK;
}

static kc_err p_version(void *ctx, const char *id, long long v, const char *title,
                        const char *body, long long n)
{
    proto_buf_printf(ctx, "%s %lld %s %d %lld\n", id, v, title, body != NULL, n);
    return KC_OK;
}

static kc_err p_day(void *ctx, long long v, const char *day, long long n)
{
    proto_buf_printf(ctx, "%lld %s %lld\n", v, day, n);
    return KC_OK;
}

static kc_err p_count(void *ctx, long long v, const char *qid, const char *key, long long n,
                      long long first, long long rsum)
{
    proto_buf_printf(ctx, "%lld %s %s %lld %lld %lld\n", v, qid, key, n, first, rsum);
    return KC_OK;
}

static kc_err p_text(void *ctx, const srvdb_sv_text *t)
{
    proto_buf_printf(ctx, "%s %lld %lld %lld %d %s %s %lld\n", t->uuid, t->hour, t->version,
                     t->device, t->entry, t->text ? t->text : "-",
                     t->hidden_by ? t->hidden_by : "-", t->hidden_at);
    return KC_OK;
}

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the lines of `in` in byte order (export rows come in no order). */
static void sorted(proto_buf *out, proto_buf *in)
{
    char *lines[256];
    size_t n = 0;
    for (char *p = in->p, *e; p && *p && n < 256; p = e + 1) {
        e = strchr(p, '\n');
        assert_non_null(e);
        *e = '\0';
        lines[n++] = p;
    }
    qsort(lines, n, sizeof lines[0], cmp_line);
    for (size_t i = 0; i < n; i++)
        proto_buf_printf(out, "%s\n", lines[i]);
    proto_buf_free(in);
}

static void fb_export(srvdb *db, const srvdb_fb_filter *f, proto_buf *out)
{
    srvdb_fb_cursor *c = NULL;
    proto_buf b = { 0 };
    assert_int_equal(srvdb_fb_rows_open(db, f, &c), KC_OK);
    for (;;) {
        srvdb_fb_row r;
        int more = 0;
        assert_int_equal(srvdb_fb_rows_next(c, &r, &more), KC_OK);
        if (!more)
            break;
        proto_buf_printf(&b, "%s %lld %lld %d %s %s %d\n", r.uuid, r.hour, r.device, r.score,
                         r.context, r.comment ? r.comment : "-", r.hidden);
    }
    srvdb_fb_rows_close(c);
    sorted(out, &b);
}

/* The row's answers as compact JSON (the backends may space them differently). */
static char *sv_answers(const srvdb_sv_row *r)
{
    json_t *j = json_loads(r->answers, 0, NULL);
    assert_non_null(j);
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    assert_non_null(s);
    json_decref(j);
    return s;
}

static void sv_export(srvdb *db, const srvdb_sv_filter *f, proto_buf *out)
{
    srvdb_sv_cursor *c = NULL;
    proto_buf b = { 0 };
    assert_int_equal(srvdb_sv_rows_open(db, f, &c), KC_OK);
    for (;;) {
        srvdb_sv_row r;
        int more = 0;
        assert_int_equal(srvdb_sv_rows_next(c, &r, &more), KC_OK);
        if (!more)
            break;
        char *a = sv_answers(&r);
        proto_buf_printf(&b, "%s %lld %lld %lld %s %s\n", r.uuid, r.version, r.hour, r.device,
                         a, r.hidden);
        free(a);
    }
    srvdb_sv_rows_close(c);
    sorted(out, &b);
}

static void dump(srvdb *db, proto_buf *o)
{
    long long one[1] = { 1 }, two[1] = { 2 }, v1[1] = { 1 };
    srvdb_fb_filter all = { 0, 0, NULL, 0 }, some = { 1795600000LL, 1795700000LL, one, 1 };
    /* a period cutting a UTC day at both ends; the kiosk's whole days and another's */
    srvdb_fb_filter cut = { 1795618800LL, 1795755600LL, NULL, 0 };
    srvdb_fb_filter k1 = { 0, 0, one, 1 }, k2 = { 0, 0, two, 1 };
    const srvdb_fb_filter *fs[5] = { &all, &some, &cut, &k1, &k2 };
    for (int i = 0; i < 5; i++) {
        long long merged = -1;
        proto_buf_printf(o, "-- filter %d\n", i);
        assert_int_equal(srvdb_fb_hours(db, fs[i], p_counts, o), KC_OK);
        assert_int_equal(srvdb_fb_devices(db, fs[i], p_counts, o), KC_OK);
        assert_int_equal(srvdb_fb_cards(db, fs[i], 10, p_card, o), KC_OK);
        assert_int_equal(srvdb_fb_comments(db, fs[i], 0, NULL, 100, p_comment, o), KC_OK);
        assert_int_equal(srvdb_fb_merged(db, fs[i], &merged), KC_OK);
        proto_buf_printf(o, "merged %lld\n", merged);
        fb_export(db, fs[i], o);
    }
    /* paging from a cursor */
    assert_int_equal(srvdb_fb_comments(db, &all, 1795651200LL, U("02"), 100, p_comment, o),
                     KC_OK);
    assert_int_equal(srvdb_ws_rows(db, &all, NULL, p_ws, o), KC_OK);
    assert_int_equal(srvdb_sv_versions(db, NULL, 1, p_version, o), KC_OK);
    srvdb_sv_filter sa = { "poll", NULL, 0, NULL, NULL, NULL, 0 };
    srvdb_sv_filter sp = { "poll", v1, 1, "2026-11-26", "2026-12-31", one, 1 };
    srvdb_sv_filter sq = { "poll", NULL, 0, "2026-03-29", "2026-10-25", NULL, 0 };
    srvdb_sv_filter s1 = { "poll", NULL, 0, NULL, NULL, one, 1 };
    srvdb_sv_filter s2 = { "poll", NULL, 0, NULL, NULL, two, 1 };
    const srvdb_sv_filter *ss[5] = { &sa, &sp, &sq, &s1, &s2 };
    for (int i = 0; i < 5; i++) {
        proto_buf_printf(o, "-- survey filter %d\n", i);
        assert_int_equal(srvdb_sv_days(db, ss[i], p_day, o), KC_OK);
        assert_int_equal(srvdb_sv_counts(db, ss[i], p_count, o), KC_OK);
        assert_int_equal(srvdb_sv_texts(db, ss[i], "note", 0, NULL, 0, 100, p_text, o), KC_OK);
        sv_export(db, ss[i], o);
    }
    assert_int_equal(srvdb_sv_texts(db, &sa, "note", 1795644000LL, U("21"), 1, 100, p_text, o),
                     KC_OK);
}

/* Stores the rows, dumps, hides, dumps again.  With old, the rows are stored while the
 * results' tables are at that version, and the later steps run over them on the next
 * opening. */
static char *run_on(const char *dbspec, const char *survey_file, int old)
{
    srvdb *db = NULL;
    if (old)
        pg_test_stop_at("server-results", old);
    assert_int_equal(srvdb_open(dbspec, &db), KC_OK);
    unsigned char hash[SRVDB_HASH_LEN];
    char tok[SRVDB_TOKEN_LEN + 1];
    assert_int_equal(srvdb_token_new(tok, hash), KC_OK);
    assert_int_equal(srvdb_device_add(db, "k1", hash), KC_OK);
    srvdb_device dev;
    assert_int_equal(srvdb_device_auth(db, hash, &dev), KC_OK);
    assert_int_equal(dev.id, 1);
    srvdb_import_info info;
    assert_int_equal(srvdb_import_survey(db, survey_file, &info), KC_OK);
    proto_batch b = { rows, NROWS };
    proto_ack ack;
    assert_int_equal(srvdb_store_batch(db, dev.id, &b, &ack), KC_OK);
    proto_buf o = { 0 };
    proto_buf_printf(&o, "stored %lld refused %zu\n", ack.stored, ack.nrefused);
    proto_ack_free(&ack);
    if (old) {
        srvdb_close(db);
        pg_test_stop_at(NULL, 0);
        assert_int_equal(srvdb_open(dbspec, &db), KC_OK);
    }
    dump(db, &o);
    int changed = -1;
    assert_int_equal(srvdb_fb_comment_hide(db, U("02"), "anna", 1700000000LL, &changed), KC_OK);
    proto_buf_printf(&o, "hid %d\n", changed);
    assert_int_equal(srvdb_fb_comment_hide(db, U("02"), "anna", 1700000001LL, &changed), KC_OK);
    proto_buf_printf(&o, "hid %d\n", changed);
    assert_int_equal(srvdb_fb_comment_hide(db, U("01"), "anna", 1700000001LL, &changed),
                     KC_ENOTFOUND);
    long long d = -1;
    assert_int_equal(srvdb_sv_text_device(db, "poll", U("21"), "note", &d), KC_OK);
    assert_int_equal(srvdb_sv_text_device(db, "poll", U("21"), "visits", &d), KC_ENOTFOUND);
    assert_int_equal(srvdb_sv_text_hide(db, "poll", U("21"), "note", "anna", 1700000002LL,
                                        &changed), KC_OK);
    proto_buf_printf(&o, "hid %d\n", changed);
    assert_int_equal(srvdb_sv_text_hide(db, "poll", U("23"), "note", "anna", 1700000002LL,
                                        &changed), KC_OK);
    proto_buf_printf(&o, "hid %d\n", changed);
    dump(db, &o);
    srvdb_close(db);
    assert_false(o.oom);
    return o.p;
}

static void test_same_answers(void **state)
{
    (void)state;
    /* a zone with DST, as the console's tests use */
    setenv("TZ", "Europe/Helsinki", 1);
    tzset();
    const char *file = tu_tmp("poll.json");
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    assert_true(fputs(SURVEY, f) >= 0);
    assert_int_equal(fclose(f), 0);
    fresh_db("t_results_same");
    remove(tu_tmp("results.db"));
    char *lite = run_on(tu_tmp("results.db"), file, 0);
    char *on_pg = run_on(spec, file, 0);
    if (strcmp(lite, on_pg) != 0) {
        fprintf(stderr, "--- SQLite\n%s--- PostgreSQL\n%s", lite, on_pg);
        fail_msg("the backends answer differently");
    }
    /* responses stored while the results were views over the payloads (version 2),
     * counted by the step that made them tables; stored while there were only the row
     * tables (version 3) or only the feedback's sums (4), summed by the steps after */
    for (int old = 2; old <= 4; old++) {
        fresh_db("t_results_old");
        char *pg_old = run_on(spec, file, old);
        if (strcmp(lite, pg_old) != 0) {
            fprintf(stderr, "--- SQLite\n%s--- PostgreSQL, migrated from %d\n%s", lite, old,
                    pg_old);
            fail_msg("the backends answer differently after the migration");
        }
        kc_free(pg_old);
    }
    /* and the answers are not empty */
    assert_non_null(strstr(lite, "rolled"));
    assert_non_null(strstr(lite, "new year"));
    assert_non_null(strstr(lite, "year zero"));
    assert_null(strstr(lite, "-- filter 1\nmerged"));
    assert_null(strstr(lite, "-- filter 2\nmerged"));
    assert_null(strstr(lite, "-- filter 3\nmerged"));
    assert_null(strstr(lite, "-- survey filter 3\n-- survey filter 4"));
    kc_free(lite);
    kc_free(on_pg);
}

int main(void)
{
    if (!getenv("KC_TEST_PG")) {
        fprintf(stderr, "pgtest_results: KC_TEST_PG is not set (run under tests/lib/pg.sh)\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_answers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
