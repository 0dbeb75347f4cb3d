/* Import: the bad-file corpus, idempotency, updates, deletions, round trip, faults. */
#include "testutil.h"
#include "store_sql.h"

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "store.h"

static kc_err import_file(store *st, const char *path, int flags, content_result *r,
                          char *msg)
{
    content *c = content_new();
    assert_non_null(c);
    kc_err rc = content_load_file(c, path);
    if (!rc)
        rc = content_apply(c, st, flags, r);
    if (msg)
        snprintf(msg, KC_MSGMAX, "%s", content_errmsg(c));
    content_free(c);
    return rc;
}

static char *export_str(store *st)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    char msg[KC_MSGMAX];
    if (content_export(st, f, msg))
        fail_msg("%s", msg);
    fclose(f);
    return buf;
}

static store *fresh(const char *name)
{
    store *st;
    remove(tu_tmp(name));
    assert_int_equal(store_open(tu_tmp(name), &st), KC_OK);
    return st;
}

static void test_bad_corpus(void **state)
{
    (void)state;
    store *st = fresh("bad.db");
    char msg[KC_MSGMAX];
    content_result r;
    assert_int_equal(import_file(st, tu_data("search.json"), 0, &r, msg), KC_OK);
    char *before = export_str(st);
    long long rev = store_catalog_rev(st);

    DIR *d = opendir(tu_data("bad"));
    assert_non_null(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json"))
            continue;
        char path[600], expath[600];
        snprintf(path, sizeof path, "%s/%s", tu_data("bad"), e->d_name);
        snprintf(expath, sizeof expath, "%.*s.expect", (int)(strlen(path) - 5), path);
        char *expect = tu_read(expath, NULL);
        expect[strcspn(expect, "\n")] = '\0';
        kc_err rc = import_file(st, path, 0, &r, msg);
        if (rc == KC_OK)
            fail_msg("%s: import succeeded", e->d_name);
        if (!strstr(msg, expect))
            fail_msg("%s: message \"%s\" does not contain \"%s\"", e->d_name, msg, expect);
        free(expect);
        char *after = export_str(st);
        if (strcmp(before, after))
            fail_msg("%s: database changed", e->d_name);
        free(after);
        assert_int_equal(store_catalog_rev(st), rev);
        n++;
    }
    closedir(d);
    assert_true(n >= 30);
    free(before);
    store_close(st);
}

static void test_idempotent_and_update(void **state)
{
    (void)state;
    store *st = fresh("idem.db");
    content_result r;
    char msg[KC_MSGMAX];
    assert_int_equal(import_file(st, tu_data("search.json"), 0, &r, msg), KC_OK);
    assert_int_equal(r.added, 30);
    long long rev = store_catalog_rev(st);
    assert_int_equal(rev, 30);
    assert_int_equal(import_file(st, tu_data("search.json"), 0, &r, msg), KC_OK);
    assert_int_equal(r.added + r.updated + r.deleted, 0);
    assert_int_equal(r.unchanged, 30);
    assert_int_equal(store_catalog_rev(st), rev);

    /* change one item's name: exactly one update, revision rises by one */
    char *text = tu_read(tu_data("search.json"), NULL);
    char *p = strstr(text, "Porin Mieskuoro");
    assert_non_null(p);
    memcpy(p, "Porin Naiskuoro", 15);
    FILE *f = fopen(tu_tmp("changed.json"), "w");
    fputs(text, f);
    fclose(f);
    free(text);
    assert_int_equal(import_file(st, tu_tmp("changed.json"), 0, &r, msg), KC_OK);
    assert_int_equal(r.updated, 1);
    assert_int_equal(r.unchanged, 29);
    assert_int_equal(store_catalog_rev(st), rev + 1);
    char *body;
    assert_int_equal(store_item_body(st, "a-kuoro", &body), KC_OK);
    assert_non_null(strstr(body, "Naiskuoro"));
    kc_free(body);

    /* dry run checks and counts but writes nothing */
    assert_int_equal(import_file(st, tu_data("search.json"), CONTENT_DRY_RUN, &r, msg), KC_OK);
    assert_int_equal(r.updated, 1);
    assert_int_equal(store_catalog_rev(st), rev + 1);
    store_close(st);
}

static void test_delete_and_replace(void **state)
{
    (void)state;
    store *st = fresh("del.db");
    content_result r;
    char msg[KC_MSGMAX];
    assert_int_equal(import_file(st, tu_data("search.json"), 0, &r, msg), KC_OK);
    const char *del = "{\"format\":\"kiosk-content\",\"version\":1,"
                      "\"deleted\":[\"a-kuoro\",\"never-existed\"]}";
    FILE *f = fopen(tu_tmp("del.json"), "w");
    fputs(del, f);
    fclose(f);
    assert_int_equal(import_file(st, tu_tmp("del.json"), 0, &r, msg), KC_OK);
    assert_int_equal(r.deleted, 1);
    store_stats ss;
    assert_int_equal(store_get_stats(st, &ss), KC_OK);
    assert_int_equal(ss.tombstones, 1);

    /* deleting something a stored item refers to is refused as a whole */
    const char *del2 = "{\"format\":\"kiosk-content\",\"version\":1,"
                       "\"deleted\":[\"a-moniheli\",\"c-koordinaattori\"]}";
    f = fopen(tu_tmp("del2.json"), "w");
    fputs(del2, f);
    fclose(f);
    long long rev = store_catalog_rev(st);
    assert_int_equal(import_file(st, tu_tmp("del2.json"), 0, &r, msg), KC_EINVAL);
    assert_non_null(strstr(msg, "item \"o-ystava\" field \"contact_person\""));
    assert_int_equal(store_catalog_rev(st), rev);
    int kind;
    assert_int_equal(store_item_kind(st, "a-moniheli", &kind), KC_OK);
    assert_int_equal(kind, CAT_ASSOCIATION);

    /* a file with only some items, --replace: the rest become tombstones */
    const char *small =
        "{\"format\":\"kiosk-content\",\"version\":1,\"items\":["
        "{\"id\":\"a-moniheli\",\"kind\":\"association\",\"name\":{\"fi\":\"Moniheli ry\"}}]}";
    f = fopen(tu_tmp("small.json"), "w");
    fputs(small, f);
    fclose(f);
    assert_int_equal(import_file(st, tu_tmp("small.json"), CONTENT_REPLACE, &r, msg), KC_OK);
    assert_int_equal(r.updated, 1);
    assert_int_equal(r.deleted, 28);
    assert_int_equal(store_get_stats(st, &ss), KC_OK);
    assert_int_equal(ss.live[CAT_ASSOCIATION], 1);
    store_close(st);
}

static void test_round_trip(void **state)
{
    (void)state;
    store *a = fresh("rt-a.db"), *b = fresh("rt-b.db");
    content_result r;
    char msg[KC_MSGMAX];
    assert_int_equal(import_file(a, tu_data("search.json"), 0, &r, msg), KC_OK);
    char *e1 = export_str(a);
    FILE *f = fopen(tu_tmp("export.json"), "w");
    fputs(e1, f);
    fclose(f);
    assert_int_equal(import_file(b, tu_tmp("export.json"), 0, &r, msg), KC_OK);
    assert_int_equal(r.added, 30);
    char *e2 = export_str(b);
    assert_string_equal(e1, e2);
    /* and importing the export back into the source changes nothing */
    assert_int_equal(import_file(a, tu_tmp("export.json"), 0, &r, msg), KC_OK);
    assert_int_equal(r.unchanged, 30);
    free(e1);
    free(e2);
    store_close(a);
    store_close(b);
}

static int integrity_ok(store *st)
{
    sqlite3_stmt *s;
    int ok = 0;
    if (sqlite3_prepare_v2(store_db(st), "PRAGMA integrity_check", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        ok = strcmp((const char *)sqlite3_column_text(s, 0), "ok") == 0;
    sqlite3_finalize(s);
    return ok;
}

/* Fail every allocation in turn during parse and apply: each run either succeeds
 * whole or fails leaving the database as it was. */
static void test_import_under_fault_injection(void **state)
{
    (void)state;
    store *st = fresh("fault.db");
    char *before = export_str(st);
    long n;
    for (n = 0;; n++) {
        content *c = content_new();
        if (!c)
            continue;
        kc_fault_after(n);
        kc_err rc = content_load_file(c, tu_data("search.json"));
        if (!rc)
            rc = content_apply(c, st, 0, NULL);
        long hits = kc_fault_after(-1);
        content_free(c);
        if (rc) {
            char *after = export_str(st);
            if (strcmp(before, after))
                fail_msg("fault at allocation %ld left a changed database", n);
            free(after);
            assert_true(integrity_ok(st));
            assert_int_equal(store_in_tx(st), 0);
        }
        if (hits == 0) {
            assert_int_equal(rc, KC_OK);
            break;
        }
        if (!rc)
            fail_msg("allocation %ld failed but the import reported success", n);
    }
    assert_true(n > 100);
    free(before);
    store_close(st);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* n items, one per line after two header lines; item `bad` (0-based) gets `extra`
 * spliced in before its closing brace. */
static void write_lines(const char *path, int n, int bad, const char *extra)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"format\": \"kiosk-content\", \"version\": 1,\n\"items\": [\n", f);
    for (int i = 0; i < n; i++)
        fprintf(f, "%s{\"id\": \"a%05d\", \"kind\": \"association\", \"name\": "
                   "{\"fi\": \"Yhdistys numero %d\"}%s}\n",
                i ? "," : " ", i, i, i == bad ? extra : "");
    fputs("]}\n", f);
    assert_int_equal(fclose(f), 0);
}

/* Files are read in 64 KiB pieces: errors anywhere still name the right line, and
 * an error the item check finds names the item. */
static void test_errors_name_line_and_item(void **state)
{
    (void)state;
    store *st = fresh("lines.db");
    char msg[KC_MSGMAX];
    content_result r;
    /* 3000 items of ~80 bytes: the file spans several read chunks. */
    write_lines(tu_tmp("ok.json"), 3000, -1, "");
    assert_int_equal(import_file(st, tu_tmp("ok.json"), CONTENT_DRY_RUN, &r, msg), KC_OK);
    assert_int_equal(r.added, 3000);
    /* A duplicate key inside item 2500 (line 2503), found by the item's JSON reader. */
    write_lines(tu_tmp("dup.json"), 3000, 2500, ", \"kind\": \"venue\"");
    assert_int_equal(import_file(st, tu_tmp("dup.json"), 0, &r, msg), KC_EJSON);
    if (!strstr(msg, "line 2503 ") || !strstr(msg, "duplicate object key"))
        fail_msg("message: %s", msg);
    /* Broken syntax at line 2803, found by the stream itself. */
    write_lines(tu_tmp("syntax.json"), 3000, 2800, " @");
    assert_int_equal(import_file(st, tu_tmp("syntax.json"), 0, &r, msg), KC_EJSON);
    if (!strstr(msg, "line 2803:"))
        fail_msg("message: %s", msg);
    /* A bad field value: the message names the item, as for small files. */
    write_lines(tu_tmp("field.json"), 3000, 2999, ", \"web\": \"ftp://x\"");
    assert_int_equal(import_file(st, tu_tmp("field.json"), 0, &r, msg), KC_EINVAL);
    if (!strstr(msg, "item \"a02999\" field \"web\""))
        fail_msg("message: %s", msg);
    /* A top-level key twice. */
    write_text(tu_tmp("dupkey.json"), "{\"format\": \"kiosk-content\", \"version\": 1, "
                                      "\"items\": [], \"items\": []}");
    assert_int_equal(import_file(st, tu_tmp("dupkey.json"), 0, &r, msg), KC_EJSON);
    if (!strstr(msg, "duplicate object key \"items\""))
        fail_msg("message: %s", msg);
    assert_int_equal(store_catalog_rev(st), 0);
    store_close(st);
}

/* The file is read again to write it: if it changed after it was checked, nothing
 * is written (the other file is not what was validated). */
static void test_file_changed_between_passes(void **state)
{
    (void)state;
    store *st = fresh("changed.db");
    const char *path = tu_tmp("moving.json");
    write_lines(path, 50, -1, "");
    content *c = content_new();
    assert_non_null(c);
    assert_int_equal(content_load_file(c, path), KC_OK);
    write_lines(path, 50, 10, ", \"description\": {\"fi\": \"muutettu\"}");
    content_result r;
    assert_int_equal(content_apply(c, st, 0, &r), KC_EIO);
    if (!strstr(content_errmsg(c), "changed while it was being imported"))
        fail_msg("message: %s", content_errmsg(c));
    assert_int_equal(store_catalog_rev(st), 0);
    assert_int_equal(store_in_tx(st), 0);
    content_free(c);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_corpus),
        cmocka_unit_test(test_idempotent_and_update),
        cmocka_unit_test(test_delete_and_replace),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_import_under_fault_injection),
        cmocka_unit_test(test_errors_name_line_and_item),
        cmocka_unit_test(test_file_changed_between_passes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
