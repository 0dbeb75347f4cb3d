/* Source imports (docs/sources.md) end to end: the real kiosk-server's admin commands
 * fetching fixtures written from the APIs' documentation from a real HTTP server on
 * loopback (srcserver.c), and the catalog they leave in the server's database. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source_impl.h"
#include "srcserver.h"
#include "synctest.h"
#include "testutil.h"

#define NOW "2026-12-01T00:00"

static char db[512], root[512];
static srcserver *srv;

static int setup(void **state)
{
    (void)state;
    snprintf(db, sizeof db, "%s", tu_tmp("server.db"));
    snprintf(root, sizeof root, "%s", tu_tmp("root"));
    if (tu_sh("rm -rf '%s' '%s' '%s-wal' '%s-shm' && cp -r '%s' '%s'", root, db, db, db,
              tu_data("sources"), root) != 0)
        return -1;
    srv = srcserver_start(root, 0, 0);
    return srv ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    srcserver_stop(srv);
    return 0;
}

/* kiosk-server --db db admin import-source ...; exit status, output in out. */
static int imp(char *out, size_t cap, const char *const *args)
{
    return st_admin(db, out, cap, args);
}

static char *q_text(const char *sql, const char *arg)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *s = NULL;
    char *r = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
    if (arg)
        sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        r = strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(h);
    return r;
}

/* The canonical JSON of a live item, NULL when there is none. */
static json_t *item(const char *id)
{
    char *b = q_text("SELECT body FROM item WHERE ext_id = ? AND deleted = 0", id);
    json_t *j = b ? json_loads(b, 0, NULL) : NULL;
    free(b);
    return j;
}

static int has(const char *id)
{
    json_t *j = item(id);
    json_decref(j);
    return j != NULL;
}

static long q_long(const char *sql)
{
    char *t = q_text(sql, NULL);
    long v = t ? atol(t) : -1;
    free(t);
    return v;
}

static long head(void)
{
    return q_long("SELECT coalesce(max(rev), 0) FROM item");
}

static const char *str(json_t *o, const char *path)
{
    /* "name.fi" */
    char key[64];
    const char *dot = strchr(path, '.');
    if (!dot)
        return json_string_value(json_object_get(o, path));
    snprintf(key, sizeof key, "%.*s", (int)(dot - path), path);
    return json_string_value(json_object_get(json_object_get(o, key), dot + 1));
}

/* The newest run log entry as JSON. */
static json_t *last_run(void)
{
    char out[8192];
    const char *args[] = { "source-runs", "--json", "--limit", "1", NULL };
    assert_int_equal(st_admin(db, out, sizeof out, args), 0);
    json_t *a = json_loads(out, 0, NULL);
    assert_non_null(a);
    json_t *r = json_incref(json_array_get(a, 0));
    json_decref(a);
    assert_non_null(r);
    return r;
}

static void le_url(char *url, size_t cap, const char *dir)
{
    snprintf(url, cap, "%s/%s/v1/event/", srcserver_base(srv), dir);
}

static void hand_made(void)
{
    char out[4096];
    st_write_file(tu_tmp("hand.json"),
                  "{\"format\":\"kiosk-content\",\"version\":1,\"items\":[{\"id\":\"hand-club\","
                  "\"kind\":\"association\",\"name\":{\"fi\":\"Käsin tehty seura\"}}]}");
    const char *args[] = { "import", tu_tmp("hand.json"), NULL };
    assert_int_equal(st_admin(db, out, sizeof out, args), 0);
}

static void import_le(void)
{
    char out[8192], url[256];
    le_url(url, sizeof url, "linkedevents");
    const char *args[] = { "import-source", "linkedevents", "--url", url, "--now", NOW,
                           "--quiet", NULL };
    int ex = imp(out, sizeof out, args);
    if (ex != 0)
        fail_msg("import-source: %d: %s", ex, out);
}

/* Two pages, fi/sv/en, a place with divisions, a cancelled and a postponed event, a
 * recurring series, an ended and a too-distant event. */
static void linkedevents_paged(void **state)
{
    (void)state;
    hand_made();
    import_le();
    json_t *e = item("linkedevents.helsinki.afy6ikna3u");
    assert_non_null(e);
    assert_string_equal(str(e, "name.sv"), "Sagostund för barn");
    assert_string_equal(str(e, "start"), "2026-12-03T16:00");  /* 14:00Z in EET */
    assert_string_equal(str(e, "end"), "2026-12-03T17:00");
    assert_string_equal(str(e, "venue"), "linkedevents.tprek.8254");
    assert_string_equal(str(e, "area"), "helsinki-kallio");
    assert_string_equal(str(e, "address.sv"), "Femte linjen 11, Helsingfors");
    assert_string_equal(str(e, "signup_url"), "https://www.helmet.fi/ilmoittaudu/satutunti");
    /* HTML through libxml2: paragraphs, <br>, entities, list items; no script. */
    assert_string_equal(str(e, "description.fi"),
                        "Tervetuloa kuuntelemaan satuja!\nKesto noin 45\xc2\xa0min.\n\n"
                        "\xe2\x80\xa2 Ikä 3–6\n\xe2\x80\xa2 Vapaa pääsy & ei ilmoittautumista");
    assert_string_equal(str(e, "description.en"), "Welcome to listen to stories!");
    json_t *th = json_object_get(e, "themes");
    assert_int_equal(json_array_size(th), 2);
    assert_string_equal(json_string_value(json_array_get(json_object_get(e, "target_groups"), 0)),
                        "children");
    assert_int_equal(json_array_size(json_object_get(e, "languages")), 2);
    assert_null(json_object_get(e, "status"));
    json_decref(e);

    e = item("linkedevents.helsinki.agg4kx7p2m");
    assert_non_null(e);
    assert_string_equal(str(e, "status"), "cancelled");
    assert_string_equal(str(e, "area"), "helsinki-vallila");
    json_decref(e);
    e = item("linkedevents.helsinki.agg4kx7q9z");
    assert_string_equal(str(e, "status"), "postponed");
    assert_string_equal(str(e, "start"), "2026-12-12T10:00");  /* given with +02:00 */
    json_decref(e);

    /* The series: one item, its next date as start, the next dates in "when"; the
     * date that passed is not listed and no sub-event is an item of its own. */
    e = item("linkedevents.helsinki.agh2series");
    assert_non_null(e);
    assert_string_equal(str(e, "start"), "2026-12-01T13:00");
    assert_string_equal(str(e, "end"), "2026-12-01T15:00");
    assert_string_equal(str(e, "when.fi"),
                        "Seuraavat kerrat: ti 1.12. 13.00, ti 8.12. 13.00, ti 15.12. 13.00");
    assert_string_equal(str(e, "when.en"),
                        "Next dates: Tue 1.12. 13:00, Tue 8.12. 13:00, Tue 15.12. 13:00");
    json_decref(e);
    assert_int_equal(q_long("SELECT count(*) FROM item WHERE ext_id LIKE "
                            "'linkedevents.helsinki.agh2ser0%'"), 0);
    assert_false(has("linkedevents.helsinki.agf1old001"));  /* ended */
    assert_false(has("linkedevents.helsinki.agj9far001"));  /* past --days */

    json_t *v = item("linkedevents.tprek.8254");
    assert_non_null(v);
    assert_string_equal(str(v, "kind"), "venue");
    assert_string_equal(str(v, "name.en"), "Kallio Library");
    assert_string_equal(str(v, "phone"), "+358 9 3108 5066");
    json_decref(v);
    assert_int_equal(q_long("SELECT count(*) FROM area WHERE id = 'helsinki-kallio'"), 1);

    json_t *r = last_run();
    assert_true(json_is_true(json_object_get(r, "ok")));
    assert_int_equal(json_integer_value(json_object_get(r, "pages")), 2);
    assert_int_equal(json_integer_value(json_object_get(r, "records")), 10);
    assert_int_equal(json_integer_value(json_object_get(r, "added")), 6);
    json_decref(r);

    /* Again with nothing changed: every page answers 304, nothing is written. */
    long h = head(), n304 = srcserver_count(srv, 304);
    import_le();
    assert_int_equal(head(), h);
    assert_int_equal(srcserver_count(srv, 304) - n304, 2);
    r = last_run();
    assert_true(json_is_true(json_object_get(r, "not_modified")));
    json_decref(r);

    /* --full reads every page again and still writes nothing. */
    char out[8192], url[256];
    le_url(url, sizeof url, "linkedevents");
    const char *full[] = { "import-source", "linkedevents", "--url", url, "--now", NOW,
                           "--full", "--quiet", NULL };
    assert_int_equal(imp(out, sizeof out, full), 0);
    assert_int_equal(head(), h);
    r = last_run();
    assert_int_equal(json_integer_value(json_object_get(r, "unchanged")), 6);
    assert_int_equal(json_integer_value(json_object_get(r, "changed")), 0);
    json_decref(r);
}

static void put_file(const char *rel, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    assert_int_equal(tu_sh("mkdir -p \"$(dirname '%s')\"", path), 0);
    st_write_file(path, text);
}

/* Runs a linkedevents import of root/DIR/v1/event/ that must fail; returns the run
 * log's error. */
static char *must_fail(const char *dir, const char *const *extra)
{
    char out[8192], url[256];
    le_url(url, sizeof url, dir);
    const char *args[16] = { "import-source", "linkedevents", "--url", url, "--now", NOW,
                             "--quiet", "--retries", "0" };
    size_t n = 9;
    for (; extra && *extra && n < 15; extra++)
        args[n++] = *extra;
    args[n] = NULL;
    long h = head();
    long live = q_long("SELECT count(*) FROM item WHERE deleted = 0");
    assert_int_equal(imp(out, sizeof out, args), 1);
    /* Nothing of the earlier import changed. */
    assert_int_equal(head(), h);
    assert_int_equal(q_long("SELECT count(*) FROM item WHERE deleted = 0"), live);
    json_t *r = last_run();
    assert_false(json_is_true(json_object_get(r, "ok")));
    char *e = strdup(str(r, "error"));
    json_decref(r);
    return e;
}

/* A good first page whose next link leads to `next` (relative to root). */
static void page_one(const char *dir, const char *next)
{
    char *p1 = tu_read(tu_data("sources/linkedevents/v1/event.json"), NULL);
    const char *from = "{BASE}/linkedevents/v1/event/?page=2";
    char *at = strstr(p1, from);
    assert_non_null(at);
    char path[256], *text = malloc(strlen(p1) + 256);
    snprintf(text, strlen(p1) + 256, "%.*s{BASE}/%s%s", (int)(at - p1), p1, next,
             at + strlen(from));
    snprintf(path, sizeof path, "%s/v1/event.json", dir);
    put_file(path, text);
    free(text);
    free(p1);
}

static void hostile(void **state)
{
    (void)state;
    import_le();
    char *e;

    /* Truncated second page: the events of page one stay as they were. */
    page_one("trunc", "trunc/v1/event/?page=2");
    char *p2 = tu_read(tu_data("sources/linkedevents/v1/event.2.json"), NULL);
    p2[strlen(p2) / 2] = '\0';
    put_file("trunc/v1/event.2.json", p2);
    free(p2);
    e = must_fail("trunc", NULL);
    assert_non_null(strstr(e, "page 2"));
    assert_non_null(strstr(e, "not valid JSON"));
    free(e);

    /* Invalid UTF-8 in a name. */
    page_one("utf8", "utf8/v1/event/?page=2");
    put_file("utf8/v1/event.2.json", "{\"meta\":{\"next\":null},\"data\":[{\"id\":\"helsinki:x1\","
                                     "\"name\":{\"fi\":\"Bad \xff\xfe name\"},\"start_time\":"
                                     "\"2026-12-05T10:00:00Z\"}]}");
    e = must_fail("utf8", NULL);
    assert_non_null(strstr(e, "not valid JSON"));
    assert_non_null(strstr(e, "decode"));
    free(e);

    /* A loop in next links. */
    page_one("loop", "loop/v1/event/?page=2");
    put_file("loop/v1/event.2.json", "{\"meta\":{\"next\":\"{BASE}/loop/v1/event/?page=3\"},"
                                     "\"data\":[]}");
    put_file("loop/v1/event.3.json", "{\"meta\":{\"next\":\"{BASE}/loop/v1/event/?page=2\"},"
                                     "\"data\":[]}");
    e = must_fail("loop", NULL);
    assert_non_null(strstr(e, "loop in next links"));
    free(e);

    /* A record without its start time. */
    page_one("missing", "missing/v1/event/?page=2");
    put_file("missing/v1/event.2.json", "{\"meta\":{\"next\":null},\"data\":[{\"id\":"
                                        "\"helsinki:x2\",\"name\":{\"fi\":\"No time\"}}]}");
    e = must_fail("missing", NULL);
    assert_non_null(strstr(e, "page 2 record 1 event \"helsinki:x2\": missing field "
                              "\"start_time\""));
    free(e);

    /* Ids outside the id rule are refused, not altered: a '.' would make two source
     * ids one item id, an upper-case letter would be lower-cased into another. */
    page_one("ids", "ids/v1/event/?page=2");
    put_file("ids/v1/event.2.json", "{\"meta\":{\"next\":null},\"data\":[{\"id\":"
                                    "\"helsinki:a.b\",\"name\":{\"fi\":\"x\"},\"start_time\":"
                                    "\"2026-12-05T10:00:00Z\"}]}");
    e = must_fail("ids", NULL);
    assert_non_null(strstr(e, "id \"helsinki:a.b\" holds a '.'"));
    free(e);
    put_file("ids/v1/event.2.json", "{\"meta\":{\"next\":null},\"data\":[{\"id\":"
                                    "\"helsinki:ABC\",\"name\":{\"fi\":\"x\"},\"start_time\":"
                                    "\"2026-12-05T10:00:00Z\"}]}");
    e = must_fail("ids", NULL);
    assert_non_null(strstr(e, "has characters other than"));
    free(e);
    /* An id with a right-to-left override: refused, and the run log quoting it shows
     * the character escaped, in JSON (ASCII only) and as text. */
    put_file("ids/v1/event.2.json", "{\"meta\":{\"next\":null},\"data\":[{\"id\":"
                                    "\"helsinki:\\u202Eabc\",\"name\":{\"fi\":\"x\"},"
                                    "\"start_time\":\"2026-12-05T10:00:00Z\"}]}");
    e = must_fail("ids", NULL);
    assert_non_null(strstr(e, "\xE2\x80\xAE"));  /* the log keeps what came */
    free(e);
    {
        char out[8192];
        const char *js[] = { "source-runs", "--json", "--limit", "1", NULL };
        assert_int_equal(st_admin(db, out, sizeof out, js), 0);
        for (const char *c = out; *c; c++)
            assert_true((unsigned char)*c < 0x80);
        assert_true(strstr(out, "\\u202E") || strstr(out, "\\u202e"));
        const char *tx[] = { "source-runs", "--limit", "1", NULL };
        assert_int_equal(st_admin(db, out, sizeof out, tx), 0);
        assert_null(strstr(out, "\xE2\x80\xAE"));
        assert_non_null(strstr(out, "error: "));
    }

    /* A rules file mapping to a theme the content format does not know: the content
     * module's own message, nothing written. */
    st_write_file(tu_tmp("bad-rules.json"), "{\"keywords\":{\"yso:p4354\":\"kids\"}}");
    const char *rules[] = { "--rules", tu_tmp("bad-rules.json"), NULL };
    e = must_fail("linkedevents", rules);
    assert_non_null(strstr(e, "item \"linkedevents.helsinki.afy6ikna3u\" field \"themes\""));
    free(e);

    /* A 500 on page two, tried again once after a backoff. */
    page_one("err", "status/500");
    const char *retry[] = { "--retries", "1", NULL };
    e = must_fail("err", retry);
    assert_non_null(strstr(e, "HTTP status 500"));
    free(e);

    /* A server that hangs: the timeout ends the run. */
    page_one("hang", "hang");
    const char *quick[] = { "--timeout", "1", NULL };
    e = must_fail("hang", quick);
    assert_non_null(strstr(e, "no complete answer within 1 s"));
    free(e);

    /* Not JSON at all, and not the shape of a page. */
    put_file("shape/v1/event.json", "{\"meta\":{},\"items\":[]}");
    e = must_fail("shape", NULL);
    assert_non_null(strstr(e, "no \"data\" or \"results\" array"));
    free(e);

    /* After all that, the good source still imports and nothing was deleted. */
    import_le();
    assert_true(has("linkedevents.helsinki.agg4kx7p2m"));
}

/* The next night the concert is gone and a name changed: one item changes, the
 * concert becomes a tombstone, the hand-made item stays. */
static void reimport_updates_in_place(void **state)
{
    (void)state;
    hand_made();
    import_le();
    char *next = tu_read(tu_data("sources/linkedevents/v1/event-next-night.json"), NULL);
    put_file("linkedevents/v1/event.json", next);
    free(next);
    import_le();
    json_t *r = last_run();
    assert_int_equal(json_integer_value(json_object_get(r, "changed")), 1);
    assert_int_equal(json_integer_value(json_object_get(r, "removed")), 1);
    assert_int_equal(json_integer_value(json_object_get(r, "added")), 0);
    json_decref(r);
    assert_false(has("linkedevents.helsinki.agg4kx7p2m"));
    assert_int_equal(q_long("SELECT deleted FROM item WHERE ext_id = "
                            "'linkedevents.helsinki.agg4kx7p2m'"), 1);
    json_t *e = item("linkedevents.helsinki.afy6ikna3u");
    assert_string_equal(str(e, "name.fi"), "Satutunti lapsille ja perheille");
    json_decref(e);
    assert_true(has("hand-club"));
    /* The venue of the concert is still used by another event: kept. */
    assert_true(has("linkedevents.tprek.7259"));

    /* Another publisher's events only: none here, so every event of the source goes,
     * then the venues no live item uses any more; the hand-made item stays. */
    char out[8192], url[256];
    le_url(url, sizeof url, "linkedevents");
    const char *args[] = { "import-source", "linkedevents", "--url", url, "--now", NOW,
                           "--publisher", "ahjo:u48&x=1", "--quiet", NULL };
    assert_int_equal(imp(out, sizeof out, args), 0);
    assert_int_equal(q_long("SELECT count(*) FROM item WHERE deleted = 0 AND ext_id LIKE "
                            "'linkedevents.%'"), 0);
    assert_true(has("hand-club"));
}


static long run_num(json_t *r, const char *k)
{
    return (long)json_integer_value(json_object_get(r, k));
}

/* Re-imports with nothing changed (docs/sources.md, "How a run works", step 3): a
 * source that sends no ETag or Last-Modified is recognised page by page by its bytes
 * and the run ends as "not modified" without mapping or writing; with --full every
 * page is read and mapped, and a document identical to the last one applied, to a
 * catalog nobody wrote since, is not compared again; after a hand edit it is, and the
 * edit is undone. */
static void unchanged_reimport(void **state)
{
    (void)state;
    srcserver *gen = srcserver_start(NULL, 250, 20);
    assert_non_null(gen);
    char out[8192], url[256];
    snprintf(url, sizeof url, "%s/gen/event/?plain=1", srcserver_base(gen));
    const char *args[] = { "import-source", "linkedevents", "--url", url, "--now",
                           "2026-12-31T00:00", "--quiet", NULL, NULL };
    assert_int_equal(imp(out, sizeof out, args), 0);
    json_t *r = last_run();
    assert_int_equal(run_num(r, "added"), 270);
    json_decref(r);
    long rev = q_long("SELECT max(rev) FROM item");
    long n200 = srcserver_count(gen, 200);

    assert_int_equal(imp(out, sizeof out, args), 0);
    r = last_run();
    assert_true(json_is_true(json_object_get(r, "not_modified")));
    assert_int_equal(run_num(r, "records"), 0);  /* nothing parsed */
    json_decref(r);
    assert_int_equal(srcserver_count(gen, 200), n200 + 3);  /* every page was read */
    assert_int_equal(srcserver_count(gen, 304), 0);

    args[7] = "--full";
    assert_int_equal(imp(out, sizeof out, args), 0);
    r = last_run();
    assert_false(json_is_true(json_object_get(r, "not_modified")));
    assert_int_equal(run_num(r, "records"), 250);
    assert_int_equal(run_num(r, "unchanged"), 270);
    assert_int_equal(run_num(r, "changed") + run_num(r, "added") + run_num(r, "removed"), 0);
    json_decref(r);
    assert_int_equal(q_long("SELECT max(rev) FROM item"), rev);

    /* A hand edit to an imported item raises the revision: the next --full run
     * compares again and puts the source's version back. */
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "DELETE FROM item WHERE ext_id = 'linkedevents.bench.e7'",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    const char *edit[] = { "import", NULL, NULL };
    char file[512];
    snprintf(file, sizeof file, "%s", tu_tmp("edit.json"));
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("{\"format\": \"kiosk-content\", \"version\": 1, \"items\": [{\"id\": "
          "\"hand-1\", \"kind\": \"venue\", \"name\": {\"fi\": \"Sali\"}, \"price\": "
          "\"free\"}]}", f);
    fclose(f);
    edit[1] = file;
    assert_int_equal(imp(out, sizeof out, edit), 0);
    assert_int_equal(imp(out, sizeof out, args), 0);
    r = last_run();
    assert_int_equal(run_num(r, "added"), 1);  /* the deleted row is back */
    json_decref(r);
    assert_true(has("linkedevents.bench.e7"));
    srcserver_stop(gen);
}

static void servicemap_units(void **state)
{
    (void)state;
    char out[8192], url[256];
    snprintf(url, sizeof url, "%s/servicemap/v2/unit/", srcserver_base(srv));
    const char *args[] = { "import-source", "servicemap", "--url", url, "--quiet", NULL };
    assert_int_equal(imp(out, sizeof out, args), 0);
    json_t *u = item("servicemap.8254");
    assert_non_null(u);
    assert_string_equal(str(u, "area"), "helsinki-kallio");
    assert_string_equal(str(u, "address.fi"), "Viides linja 11, 00530 Helsinki");
    assert_string_equal(str(u, "opening_hours.en"), "Mon–Thu 8–20, Fri 8–16, Sat 10–16");
    assert_string_equal(str(u, "accessibility.fi"),
                        "Pääsisäänkäynti: Sisäänkäynnin ovet avautuvat automaattisesti. "
                        "Sisäänkäynnin edessä on luiska.\nSisätilat: Kerrosten välillä on "
                        "hissi.");
    /* \r\n from the source is a plain line break */
    assert_non_null(strstr(str(u, "description.fi"), "toimipiste.\nKirjastossa"));
    json_decref(u);
    u = item("servicemap.7259");
    assert_non_null(u);
    assert_null(json_object_get(u, "phone"));  /* "ks. www-sivut" is no phone number */
    json_decref(u);
    json_t *r = last_run();
    assert_non_null(strstr(str(r, "notes"), "1 malformed"));
    json_decref(r);
}

static void varaamo_resources(void **state)
{
    (void)state;
    char out[8192];
    /* One page from a file; its next link is not followed. */
    const char *args[] = { "import-source", "varaamo", "--file",
                           tu_data("sources/respa/v1/resource.json"), "--quiet", NULL };
    assert_int_equal(imp(out, sizeof out, args), 0);
    json_t *v = item("varaamo.aw3yl2cuaxhq");
    assert_non_null(v);
    assert_int_equal(json_integer_value(json_object_get(v, "capacity")), 12);
    assert_string_equal(str(v, "price"), "free");
    assert_string_equal(str(v, "equipment.sv"), "Projektor, Blädderblock");
    assert_string_equal(str(v, "web"), "https://varaamo.hel.fi/resources/aw3yl2cuaxhq");
    assert_string_equal(str(v, "booking.en"),
                        "Book online: https://varaamo.hel.fi/resources/aw3yl2cuaxhq");
    assert_string_equal(str(v, "area"), "helsinki");
    json_decref(v);
    v = item("varaamo.axugcizecd5q");
    assert_string_equal(str(v, "price"), "rented");
    json_decref(v);
    assert_false(has("varaamo.axugd3rluaqa"));  /* on page 2 */
}

static void html_text(void **state)
{
    (void)state;
    char msg[KC_MSGMAX], *t;
    assert_int_equal(src_html_text("<p>a &lt;b&gt;</p><p>c<br/>d</p>", &t, msg), KC_OK);
    assert_string_equal(t, "a <b>\n\nc\nd");
    kc_free(t);
    /* Tag soup: unclosed tags, stray close tags, a comment, a style sheet. */
    assert_int_equal(src_html_text("<div>one <i>two</div></b> <!-- x --><style>p{}</style>"
                                   "three",
                                   &t, msg),
                     KC_OK);
    assert_string_equal(t, "one two\n\nthree");
    kc_free(t);
    assert_int_equal(src_html_text("", &t, msg), KC_OK);
    assert_string_equal(t, "");
    kc_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(html_text),
        cmocka_unit_test_setup_teardown(linkedevents_paged, setup, teardown),
        cmocka_unit_test_setup_teardown(hostile, setup, teardown),
        cmocka_unit_test_setup_teardown(reimport_updates_in_place, setup, teardown),
        cmocka_unit_test_setup_teardown(unchanged_reimport, setup, teardown),
        cmocka_unit_test_setup_teardown(servicemap_units, setup, teardown),
        cmocka_unit_test_setup_teardown(varaamo_resources, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
