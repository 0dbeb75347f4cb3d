/*
 * source_impl.h - shared by the source module's files: source.c (runs, paging, the
 * run log), source_fetch.c (HTTP), source_html.c (HTML to text), source_map.c
 * (helpers every mapper uses), source_le.c (Linked Events) and source_units.c
 * (service map, Varaamo), source_cmd.c (admin commands).  Not for other modules:
 * they use source.h.
 */
#ifndef SOURCE_IMPL_H
#define SOURCE_IMPL_H

#include <curl/curl.h>
#include <jansson.h>

#include "source.h"

#define SRC_VALIDATOR_MAX 256

typedef struct src_response {
    long status;         /* HTTP status; 0 before an answer */
    char *body;          /* kc_malloc'ed, NUL-terminated; NULL on 304 */
    size_t len;
    char etag[SRC_VALIDATOR_MAX];
    char last_modified[SRC_VALIDATOR_MAX];
} src_response;

/* GETs url on handle h (kept across the pages of a run, so the connection is
 * reused), sending If-None-Match / If-Modified-Since when etag / lm are non-empty.
 * Fails (message in msg) on a network error, a timeout, a body over max_bytes, or a
 * status other than 200 and 304, past `until` (unix time; 0: none), or when the
 * run is stopped (o->stop); *out then holds nothing.  5xx answers and network
 * errors are tried again `retries` times, waiting backoff_ms, then twice that... */
kc_err src_fetch(CURL *h, const char *url, const char *etag, const char *lm,
                 const source_opts *o, long long until, src_response *out, char *msg);
void src_response_free(src_response *r);

/* Plain text of an HTML fragment, parsed with libxml2's HTML parser: block elements
 * and <br> become line breaks, runs of white space one space, at most one blank line
 * between paragraphs.  *out is kc_malloc'ed (may be ""). */
kc_err src_html_text(const char *html, char **out, char *msg);

/* What a run builds from the records, then hands to the content module. */
typedef struct src_map {
    const source_opts *o;
    const char *kind;    /* "linkedevents", for messages */
    const char *prefix;  /* "linkedevents." */
    json_t *rules;       /* the rules file */
    json_t *items;       /* item id -> item object */
    json_t *series;      /* linkedevents: series id -> { "tpl", "dates" } */
    long long now;
    long shortened;      /* texts cut to their field's limit */
    long dropped;        /* malformed optional values left out (URL, phone, e-mail) */
    char *msg;           /* KC_MSGMAX */
    char where[160];     /* "page 2 record 17" for messages */
} src_map;

/* Per kind: map one record; finish after the last page (may be NULL). */
kc_err src_le_record(src_map *m, json_t *rec);
kc_err src_le_finish(src_map *m);
kc_err src_sm_record(src_map *m, json_t *rec);
kc_err src_va_record(src_map *m, json_t *rec);

/* --- helpers for mappers (source_map.c) --- */

/* Item id of an origin id: prefix + id with ':' as '.', checked against the id rule.
 * out has CAT_ID_MAX + 1 bytes. */
kc_err src_item_id(src_map *m, const char *origin_id, char *out);
/* The origin id of a JSON-LD reference {"@id": ".../event/helsinki:abc/"}, or of a
 * string or an object with "id".  NULL when there is none. */
const char *src_ref_id(json_t *ref, char *buf, size_t cap);
/* A TEXT object from a source's {"fi":..,"sv":..,"en":..} (other languages and empty
 * strings dropped); html: converted with src_html_text.  Strings over `limit` bytes
 * are cut at a word boundary with "…" (counted in m->shortened).  Returns NULL when
 * no language has text; on failure NULL with m->msg set and *rc the code. */
json_t *src_text(src_map *m, json_t *ml, int html, size_t limit, kc_err *rc);
/* "2026-12-03T16:00:00Z" or with an offset -> unix time.  -1 when malformed. */
long long src_parse_time(const char *s);
/* Unix time -> "YYYY-MM-DDTHH:MM" in Finnish time (EET/EEST, EU summer time rule). */
void src_local_time(long long t, char out[17]);
/* Rules: rules[section][key] as a string, or NULL. */
const char *src_rule(src_map *m, const char *section, const char *key);
/* Sets m->msg to "NAME: WHERE: detail" and returns code. */
kc_err src_bad(src_map *m, kc_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Adds obj (reference stolen) under id in m->items / m->areas; the last one wins. */
kc_err src_put(src_map *m, json_t *set, const char *id, json_t *obj);

/* Day of the week of "YYYY-MM-DD...", 0 = Sunday. */
int src_weekday(const char *local);
/* Sets item[key] = v when v is a well-formed URL ('u'), phone ('p') or e-mail ('e');
 * otherwise leaves it out and counts it in m->dropped.  v may be NULL. */
kc_err src_set_checked(src_map *m, json_t *item, const char *key, const char *v, int type);
/* item[key] = src_text(ml...) when some language has text. */
kc_err src_set_text(src_map *m, json_t *item, const char *key, json_t *ml, int html,
                    size_t limit);
/* A plain string, or the fi, en or sv text of a multilingual object; NULL if none. */
const char *src_first_lang(json_t *ml);

#endif
