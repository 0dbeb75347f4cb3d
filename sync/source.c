/* source.c - one import run: the rules, every page (following `next` links with loop
 * detection and a page cap, conditional on the last complete run's validators), the
 * mapped document applied in one transaction, the fetch state and the run log. */
#include "source_impl.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef SOURCE_RULES_DIR
#define SOURCE_RULES_DIR "assets/sources"
#endif

/* One row per source: a new source is a new row (and a mapper). */
static const struct kind_row {
    const char *name;
    const char *prefix;  /* of its item ids */
    kc_err (*record)(src_map *m, json_t *rec);
    kc_err (*finish)(src_map *m);
    const char *query[2]; /* added to the first URL when it has no include= */
} kinds[SOURCE_NKIND] = {
    [SOURCE_LINKEDEVENTS] = { "linkedevents", "linkedevents.", src_le_record, src_le_finish,
                              { "include=location", "start=today" } },
    [SOURCE_SERVICEMAP] = { "servicemap", "servicemap.", src_sm_record, NULL, { NULL } },
    [SOURCE_VARAAMO] = { "varaamo", "varaamo.", src_va_record, NULL, { NULL } },
};

int source_kind_from_name(const char *name)
{
    for (int k = 0; k < SOURCE_NKIND; k++)
        if (strcmp(name, kinds[k].name) == 0)
            return k;
    return -1;
}

const char *source_rules_dir(void)
{
    return SOURCE_RULES_DIR;
}

const char *source_kind_name(source_kind k)
{
    return (unsigned)k < SOURCE_NKIND ? kinds[k].name : "?";
}

typedef struct run_ctx {
    const source_opts *o;
    CURL *curl;         /* one handle per run: its connections are reused */
    src_map m;
    json_t *visited;    /* URL -> true */
    json_t *state_in;   /* the last complete run's pages, or NULL */
    json_t *pages_out;  /* this run's pages with their validators */
    long records;
    long pages;
    long long until;    /* the run's deadline (unix time), 0: none */
    char msg[KC_MSGMAX];
} run_ctx;

/* Maps the records of one page; *next gets its next link (NULL at the end). */
static kc_err page(run_ctx *x, const char *body, size_t len, const char *origin,
                   const char **next, json_t **keep)
{
    src_map *m = &x->m;
    json_error_t err;
    *next = NULL;
    json_t *doc = json_loadb(body, len, 0, &err);
    if (!doc)
        return kc_fail(x->msg, KC_EJSON, "%s: page %ld (%s): not valid JSON: line %d column "
                       "%d: %s", kinds[x->o->kind].name, x->pages, origin, err.line,
                       err.column, err.text);
    json_t *recs = json_object_get(doc, "data");
    if (!recs)
        recs = json_object_get(doc, "results");
    json_t *nx = json_object_get(json_object_get(doc, "meta"), "next");
    if (!json_object_get(doc, "meta"))
        nx = json_object_get(doc, "next");
    if (!json_is_array(recs)) {
        json_decref(doc);
        return kc_fail(x->msg, KC_EINVAL, "%s: page %ld (%s): no \"data\" or \"results\" "
                       "array", kinds[x->o->kind].name, x->pages, origin);
    }
    if (!json_is_null(nx) && nx && !json_is_string(nx)) {
        json_decref(doc);
        return kc_fail(x->msg, KC_EINVAL, "%s: page %ld (%s): \"next\" is not a string",
                       kinds[x->o->kind].name, x->pages, origin);
    }
    x->records += (long)json_array_size(recs);
    if (x->records > SOURCE_MAX_RECORDS) {
        json_decref(doc);
        return kc_fail(x->msg, KC_ETOOBIG, "%s: more than %d records",
                       kinds[x->o->kind].name, SOURCE_MAX_RECORDS);
    }
    size_t i;
    json_t *r;
    kc_err rc = KC_OK;
    json_array_foreach(recs, i, r) {
        snprintf(m->where, sizeof m->where, "page %ld record %zu", x->pages, i + 1);
        if ((rc = kinds[x->o->kind].record(m, r)))
            break;  /* the message is in x->msg, which m->msg points to */
    }
    if (!rc && json_is_string(nx) && *json_string_value(nx))
        *next = json_string_value(nx);
    if (rc)
        json_decref(doc);
    else
        *keep = doc;  /* holds *next */
    return rc;
}

/* The absolute form of a next link, relative to the page it came from. */
static kc_err resolve(run_ctx *x, const char *base, const char *rel, char **out)
{
    CURLU *u = curl_url();
    char *s = NULL;
    *out = NULL;
    if (!u)
        return kc_fail(x->msg, KC_ENOMEM, "out of memory");
    CURLUcode uc = curl_url_set(u, CURLUPART_URL, base, 0);
    if (!uc)
        uc = curl_url_set(u, CURLUPART_URL, rel, 0);
    if (!uc)
        uc = curl_url_get(u, CURLUPART_URL, &s, 0);
    curl_url_cleanup(u);
    if (uc || strlen(s) > SOURCE_MAX_URL ||
        (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0)) {
        curl_free(s);
        return kc_fail(x->msg, KC_EINVAL, "%s: page %ld: bad next link \"%.200s\"",
                       kinds[x->o->kind].name, x->pages, rel);
    }
    *out = kc_strdup(s);
    curl_free(s);
    return *out ? KC_OK : kc_fail(x->msg, KC_ENOMEM, "out of memory");
}

/* The first URL with the source's own query parameters added when missing. */
static kc_err first_url(run_ctx *x, char **out)
{
    const struct kind_row *k = &kinds[x->o->kind];
    /* One parameter per call, so curl escapes each value (a publisher id holding '&'
     * stays one value). */
    const char *params[4] = { NULL };
    char pub[160];
    size_t n = 0;
    if (k->query[0] && !strstr(x->o->url, "include="))
        for (size_t i = 0; i < 2 && k->query[i]; i++)
            params[n++] = k->query[i];
    if (x->o->publisher && !strstr(x->o->url, "publisher=")) {
        snprintf(pub, sizeof pub, "publisher=%.100s", x->o->publisher);
        params[n++] = pub;
    }
    CURLU *u = curl_url();
    char *s = NULL;
    if (!u)
        return kc_fail(x->msg, KC_ENOMEM, "out of memory");
    CURLUcode uc = curl_url_set(u, CURLUPART_URL, x->o->url, 0);
    for (size_t i = 0; !uc && i < n; i++)
        uc = curl_url_set(u, CURLUPART_QUERY, params[i], CURLU_APPENDQUERY | CURLU_URLENCODE);
    if (!uc)
        uc = curl_url_get(u, CURLUPART_URL, &s, 0);
    curl_url_cleanup(u);
    if (uc || strlen(s) > SOURCE_MAX_URL ||
        (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0)) {
        curl_free(s);
        return kc_fail(x->msg, KC_EINVAL, "%s: \"%.200s\" is not an http(s) URL",
                       k->name, x->o->url);
    }
    *out = kc_strdup(s);
    curl_free(s);
    return *out ? KC_OK : kc_fail(x->msg, KC_ENOMEM, "out of memory");
}

static const char *state_str(json_t *pg, const char *key)
{
    const char *s = json_string_value(json_object_get(pg, key));
    return s ? s : "";
}

/* BLAKE2b-128 of a page's body, hex: the validator of a source that sends none. */
static void body_digest(const char *body, size_t len, char out[33])
{
    unsigned char h[16];
    crypto_generichash(h, sizeof h, (const unsigned char *)body, len, NULL, 0);
    sodium_bin2hex(out, 33, h, sizeof h);
}

/* Fetches every page.  With validators, a chain of 304s reuses the stored next
 * links; *unchanged is set when every page answered 304.  A page answered 200 whose
 * body is byte for byte the one the last complete run read there counts as a 304 (a
 * source without ETag or Last-Modified still costs no parsing when nothing changed).
 * A changed page after such pages means those were not read: then *restart asks for
 * an unconditional pass. */
static kc_err fetch_all(run_ctx *x, const char *url0, int conditional, int *unchanged,
                        int *restart)
{
    char *url = kc_strdup(url0);
    long n304 = 0;
    kc_err rc = url ? KC_OK : kc_fail(x->msg, KC_ENOMEM, "out of memory");
    json_t *old = conditional ? json_object_get(x->state_in, "pages") : NULL;
    *unchanged = *restart = 0;
    while (!rc && url) {
        x->pages++;
        if (x->pages > SOURCE_MAX_PAGES) {
            rc = kc_fail(x->msg, KC_ETOOBIG, "%s: more than %d pages",
                         kinds[x->o->kind].name, SOURCE_MAX_PAGES);
            break;
        }
        if (json_object_get(x->visited, url)) {
            rc = kc_fail(x->msg, KC_EINVAL, "%s: page %ld: loop in next links: %.300s was "
                         "fetched before", kinds[x->o->kind].name, x->pages, url);
            break;
        }
        json_object_set_new(x->visited, url, json_true());
        if (x->o->stop && x->o->stop(x->o->cb_ctx)) {
            rc = kc_fail(x->msg, KC_EIO, "%s: page %ld: stopped", kinds[x->o->kind].name,
                         x->pages);
            break;
        }
        /* Validators only while every page so far was unchanged: once one page is
         * read, the rest must be read too, or their records would be missing. */
        json_t *was = x->pages - 1 == n304 ? json_array_get(old, (size_t)(x->pages - 1)) : NULL;
        if (was && strcmp(state_str(was, "url"), url) != 0)
            was = NULL;
        src_response r;
        if ((rc = src_fetch(x->curl, url, state_str(was, "etag"), state_str(was, "lm"), x->o,
                            x->until, &r, x->msg))) {
            char tmp[KC_MSGMAX];
            snprintf(tmp, sizeof tmp, "%s", x->msg);
            kc_fail(x->msg, rc, "%s: page %ld: %s", kinds[x->o->kind].name, x->pages, tmp);
            break;
        }
        const char *next = NULL;
        json_t *doc = NULL;
        char digest[33] = "";
        if (r.status == 200)
            body_digest(r.body, r.len, digest);
        else
            snprintf(digest, sizeof digest, "%s", state_str(was, "hash"));
        if (r.status == 304 || (was && strcmp(state_str(was, "hash"), digest) == 0)) {
            n304++;
            next = *state_str(was, "next") ? state_str(was, "next") : NULL;
        } else if (n304) {
            src_response_free(&r);
            *restart = 1;
            break;
        } else {
            rc = page(x, r.body, r.len, url, &next, &doc);
        }
        char *abs = NULL;
        if (!rc && next)
            rc = resolve(x, url, next, &abs);
        if (!rc) {
            json_t *pg = json_pack("{s:s, s:s, s:s, s:s, s:s}", "url", url, "etag",
                                   r.status == 304 ? state_str(was, "etag") : r.etag, "lm",
                                   r.status == 304 ? state_str(was, "lm") : r.last_modified,
                                   "next", abs ? abs : "", "hash", digest);
            if (!pg || json_array_append_new(x->pages_out, pg) != 0)
                rc = kc_fail(x->msg, KC_ENOMEM, "out of memory");
        }
        if (!rc && x->o->progress)
            x->o->progress(x->o->cb_ctx, x->pages, x->records);
        if (!rc && !x->o->quiet && r.status != 304)
            fprintf(stderr, "%s: page %ld: %ld records so far\n", kinds[x->o->kind].name,
                    x->pages, x->records);
        json_decref(doc);
        src_response_free(&r);
        kc_free(url);
        url = abs;
    }
    kc_free(url);
    if (!rc && !*restart && n304 == x->pages)
        *unchanged = 1;
    return rc;
}

static kc_err read_file(run_ctx *x, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return kc_fail(x->msg, KC_EIO, "%s: cannot read %s", kinds[x->o->kind].name, path);
    char *buf = NULL;
    size_t len = 0, cap = 0;
    kc_err rc = KC_OK;
    for (;;) {
        if (len + 65536 + 1 > cap) {
            cap = cap ? cap * 2 : 131072;
            char *nb = kc_realloc(buf, cap);
            if (!nb) {
                rc = kc_fail(x->msg, KC_ENOMEM, "out of memory");
                break;
            }
            buf = nb;
        }
        size_t n = fread(buf + len, 1, 65536, f);
        len += n;
        if (len > SOURCE_MAX_PAGE_BYTES) {
            rc = kc_fail(x->msg, KC_ETOOBIG, "%s: %s: larger than %ld bytes",
                         kinds[x->o->kind].name, path, SOURCE_MAX_PAGE_BYTES);
            break;
        }
        if (n < 65536) {
            if (ferror(f))
                rc = kc_fail(x->msg, KC_EIO, "%s: error reading %s", kinds[x->o->kind].name,
                             path);
            break;
        }
    }
    fclose(f);
    if (!rc) {
        const char *next;
        json_t *doc = NULL;
        x->pages = 1;
        rc = page(x, buf, len, path, &next, &doc);  /* a file is one page: next is not followed */
        json_decref(doc);
    }
    kc_free(buf);
    return rc;
}

/* The content document of the run: the rules' areas and every mapped item.  When it
 * is byte for byte the document the last complete run applied (same digest) and no
 * catalog write happened since (same revision), applying it again would change
 * nothing: it is skipped, and every item counts as unchanged.  Any other write to the
 * catalog (an edit in the console, another import) raises the revision, so then the
 * document is compared item by item as always. */
static kc_err apply(run_ctx *x, srvdb *db, content_result *res, char digest[65],
                    long long *rev)
{
    json_t *items = json_array(), *doc = NULL;
    const char *k;
    json_t *v;
    kc_err rc = KC_OK;
    if (!items)
        return kc_fail(x->msg, KC_ENOMEM, "out of memory");
    json_object_foreach(x->m.items, k, v)
        if (json_array_append(items, v) != 0)
            rc = KC_ENOMEM;
    json_t *areas = json_object_get(x->m.rules, "areas");
    if (!rc)
        doc = json_pack("{s:s, s:i, s:O, s:o}", "format", "kiosk-content", "version", 1,
                        "areas", json_is_array(areas) ? areas : json_array(), "items", items);
    else
        json_decref(items);
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    if (!text)
        return kc_fail(x->msg, KC_ENOMEM, "out of memory");
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)text, strlen(text), NULL, 0);
    sodium_bin2hex(digest, 65, h, sizeof h);
    long long head = 0;
    if ((rc = srvdb_catalog_head(db, &head))) {
        snprintf(x->msg, sizeof x->msg, "%s", srvdb_errmsg(db));
    } else if (x->state_in && strcmp(state_str(x->state_in, "doc"), digest) == 0 &&
               json_integer_value(json_object_get(x->state_in, "rev")) == head) {
        res->unchanged = (long)json_object_size(x->m.items);
        *rev = head;
    } else {
        char name[64];
        snprintf(name, sizeof name, "%s import", kinds[x->o->kind].name);
        if ((rc = srvdb_import_buf(db, name, text, strlen(text), kinds[x->o->kind].prefix,
                                   res)) ||
            (rc = srvdb_catalog_head(db, rev)))
            snprintf(x->msg, sizeof x->msg, "%s", srvdb_errmsg(db));
    }
    kc_free(text);
    return rc;
}

static kc_err load_rules(run_ctx *x)
{
    char path[4096];
    const char *name = kinds[x->o->kind].name;
    if (x->o->rules)
        snprintf(path, sizeof path, "%s", x->o->rules);
    else
        snprintf(path, sizeof path, "%s/%s.json", SOURCE_RULES_DIR, name);
    json_error_t err;
    x->m.rules = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (!x->m.rules)
        return kc_fail(x->msg, KC_EJSON, "%s: rules %s: line %d: %s", name, path, err.line,
                       err.text);
    if (!json_is_object(x->m.rules))
        return kc_fail(x->msg, KC_EINVAL, "%s: rules %s: not a JSON object", name, path);
    return KC_OK;
}

/* What besides the pages decides the result: the rules, the options and the day
 * (events end as days pass).  Validators are used only while it is the same. */
static kc_err run_key(run_ctx *x, char *key, size_t cap)
{
    char *rules = json_dumps(x->m.rules, JSON_COMPACT | JSON_SORT_KEYS);
    if (!rules)
        return kc_fail(x->msg, KC_ENOMEM, "out of memory");
    unsigned long long h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)rules; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    free(rules);
    char day[17];
    src_local_time(x->m.now, day);
    snprintf(key, cap, "%016llx %.10s %d %.100s", h, day, x->o->days,
             x->o->publisher ? x->o->publisher : "");
    return KC_OK;
}

static kc_err run(run_ctx *x, srvdb *db, srvdb_source_run *out)
{
    const source_opts *o = x->o;
    const char *name = kinds[o->kind].name;
    kc_err rc = load_rules(x);
    if (rc)
        return rc;
    char *url0 = NULL, key[200], digest[65] = "";
    long long rev = 0;
    int unchanged = 0, restart = 0;
    if ((rc = run_key(x, key, sizeof key)))
        return rc;
    if (o->file) {
        rc = read_file(x, o->file);
    } else if (!(rc = first_url(x, &url0))) {
        char *saved = NULL;
        if ((rc = srvdb_source_state_get(db, name, &saved)))
            snprintf(x->msg, sizeof x->msg, "%s", srvdb_errmsg(db));
        if (saved) {
            x->state_in = json_loads(saved, 0, NULL);
            kc_free(saved);
        }
        /* The last run's state counts only for the same first URL, rules, options and
         * day; --full still reads every page, but may skip a no-op apply (apply()). */
        if (x->state_in && (strcmp(state_str(x->state_in, "url"), url0) != 0 ||
                            strcmp(state_str(x->state_in, "key"), key) != 0)) {
            json_decref(x->state_in);
            x->state_in = NULL;
        }
        int cond = !o->full && x->state_in;
        if (!rc)
            rc = fetch_all(x, url0, cond, &unchanged, &restart);
        if (!rc && restart) {
            json_array_clear(x->pages_out);
            json_object_clear(x->visited);
            x->pages = x->records = 0;
            rc = fetch_all(x, url0, 0, &unchanged, &restart);
        }
    }
    if (!rc && unchanged) {
        out->not_modified = 1;
    } else if (!rc) {
        snprintf(x->m.where, sizeof x->m.where, "after the last page");
        if (kinds[o->kind].finish)
            rc = kinds[o->kind].finish(&x->m);
        content_result res = { 0 };
        if (!rc && !(rc = apply(x, db, &res, digest, &rev))) {
            out->added = res.added;
            out->changed = res.updated;
            out->removed = res.deleted;
            out->unchanged = res.unchanged;
        }
    }
    /* Validators are kept only from a complete, applied run: a failed run must not
     * make the next one skip pages it never imported. */
    if (!rc && url0 && !unchanged) {
        json_t *st = json_pack("{s:s, s:s, s:O, s:s, s:I}", "url", url0, "key", key, "pages",
                               x->pages_out, "doc", digest, "rev", (json_int_t)rev);
        char *text = st ? json_dumps(st, JSON_COMPACT) : NULL;
        json_decref(st);
        if (!text)
            rc = kc_fail(x->msg, KC_ENOMEM, "out of memory");
        else if ((rc = srvdb_source_state_set(db, name, text)))
            snprintf(x->msg, sizeof x->msg, "%s", srvdb_errmsg(db));
        kc_free(text);
    }
    kc_free(url0);
    return rc;
}

kc_err source_run(srvdb *db, const source_opts *o, srvdb_source_run *out)
{
    run_ctx x;
    memset(&x, 0, sizeof x);
    memset(out, 0, sizeof *out);
    x.o = o;
    x.m.o = o;
    x.m.kind = kinds[o->kind].name;
    x.m.prefix = kinds[o->kind].prefix;
    x.m.msg = x.msg;
    x.m.now = o->now ? o->now : (long long)time(NULL);
    snprintf(out->source, sizeof out->source, "%s", kinds[o->kind].name);
    snprintf(out->origin, sizeof out->origin, "%s", o->file ? o->file : o->url ? o->url : "");
    out->started = (long long)time(NULL);
    x.until = o->deadline_s > 0 ? out->started + o->deadline_s : 0;
    x.m.items = json_object();
    x.m.series = json_object();
    x.visited = json_object();
    x.pages_out = json_array();
    kc_err rc = KC_OK;
    x.curl = o->url ? curl_easy_init() : NULL;
    if (!x.m.items || !x.m.series || !x.visited || !x.pages_out || (o->url && !x.curl))
        rc = kc_fail(x.msg, KC_ENOMEM, "out of memory");
    else if (!o->file == !o->url)
        rc = kc_fail(x.msg, KC_EUSAGE, "%s: give a URL or a file", kinds[o->kind].name);
    else
        rc = run(&x, db, out);
    out->ok = rc == KC_OK;
    out->pages = x.pages;
    out->records = x.records;
    if (rc)
        snprintf(out->error, sizeof out->error, "%s", x.msg);
    if (x.m.shortened || x.m.dropped)
        snprintf(out->notes, sizeof out->notes,
                 "%ld texts shortened to their field's limit; %ld malformed URLs, phone "
                 "numbers or e-mail addresses left out",
                 x.m.shortened, x.m.dropped);
    out->finished = (long long)time(NULL);
    kc_err lrc = srvdb_source_run_add(db, out);
    if (!rc && lrc) {
        rc = lrc;
        snprintf(out->error, sizeof out->error, "%s", srvdb_errmsg(db));
    }
    json_decref(x.m.rules);
    json_decref(x.m.items);
    json_decref(x.m.series);
    json_decref(x.visited);
    json_decref(x.pages_out);
    json_decref(x.state_in);
    if (x.curl)
        curl_easy_cleanup(x.curl);
    return rc;
}
