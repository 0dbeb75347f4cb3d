/*
 * proto.h - the sync protocol's one JSON format (docs/protocol.md), written and read
 * by both sides: the kiosk's client engine (syncc) and the central server.
 *
 * This module knows messages, not transport: no curl, no microhttpd, no SDL.  It
 * turns byte buffers into checked structs and structs into byte buffers.
 *
 * Reading: every reader first runs proto_parse(), which refuses input over a size,
 * nesting depth or string length limit before jansson builds anything, then checks
 * every field's type and range.  On failure a reader returns KC_EJSON (not JSON),
 * KC_EINVAL (JSON that breaks the format) or KC_ETOOBIG, leaves a message naming
 * the field in msg (KC_MSGMAX bytes) and leaves its output struct empty (safe to
 * free).  Writers fail only on KC_ENOMEM.
 *
 * Threads: no state; every function may run on any thread at once.
 */
#ifndef PROTO_H
#define PROTO_H

#include <jansson.h>
#include <stddef.h>
#include "kc.h"

#define PROTO_PATH_CATALOG "/v1/catalog"
#define PROTO_PATH_RESPONSES "/v1/responses"
#define PROTO_PATH_HEARTBEAT "/v1/heartbeat"
#define PROTO_PATH_DOCS "/v1/docs"
#define PROTO_PATH_CHANGES "/v1/changes"
#define PROTO_PATH_HEALTH "/v1/health"
#define PROTO_PATH_SETTINGS "/v1/settings"

/* Largest request body the server reads (a push batch, a heartbeat). */
#define PROTO_MAX_BODY (8L * 1024 * 1024)
/* Largest reply body the client reads (a catalog page). */
#define PROTO_MAX_REPLY (64L * 1024 * 1024)
/* Deepest JSON nesting in any message; the deepest real one is 5. */
#define PROTO_MAX_DEPTH 12
/* Longest JSON string value or key, in bytes as written (escapes counted raw). */
#define PROTO_MAX_STRING (64 * 1024)
/* Responses per push batch, and items per catalog page. */
#define PROTO_BATCH_MAX 1000
#define PROTO_PAGE_MAX 5000
#define PROTO_PAGE_DEFAULT 1000
/* One response's payload, as compact JSON. */
#define PROTO_PAYLOAD_MAX (64 * 1024)
#define PROTO_UUID_LEN 36
#define PROTO_KIND_MAX 31
/* Heartbeat text fields. */
#define PROTO_VERSION_MAX 40
#define PROTO_LASTERR_MAX 200
/* Areas digest: BLAKE2b-256 in lower-case hex. */
#define PROTO_DIGEST_HEX 64

/* --- a growable output buffer --------------------------------------------- */

typedef struct proto_buf {
    char *p;      /* NUL-terminated when len > 0; kc_free it */
    size_t len, cap;
    int oom;      /* an append failed; the buffer is unusable */
} proto_buf;

void proto_buf_add(proto_buf *b, const char *s, size_t n);
void proto_buf_str(proto_buf *b, const char *s);
void proto_buf_printf(proto_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal (quotes and escapes). */
void proto_buf_json_str(proto_buf *b, const char *s);
void proto_buf_free(proto_buf *b);

/* --- reading ---------------------------------------------------------------- */

/* Parses buf (len bytes, need not be NUL-terminated) as one JSON value within the
 * limits above, rejecting duplicate keys, invalid UTF-8 and NUL in strings.  *out is
 * the caller's to json_decref. */
kc_err proto_parse(const char *buf, size_t len, size_t max, json_t **out, char *msg);

/* 1 when s is a canonical lower-case UUID; when k is [a-z-]{1,31}; when id is an
 * item or area id ([a-z0-9._-]{1,64}). */
int proto_valid_uuid(const char *s);
int proto_valid_kind(const char *k);
int proto_valid_id(const char *id);

/* An error body {"error": "..."}: write it; read its text (for the client's last
 * error).  proto_error_read never fails: a body that is not one gives "". */
kc_err proto_error_write(const char *text, proto_buf *out);
void proto_error_read(const char *buf, size_t len, char *text, size_t cap);

/* --- responses up ------------------------------------------------------------ */

typedef struct proto_response {
    char uuid[PROTO_UUID_LEN + 1];
    char kind[PROTO_KIND_MAX + 1];
    char *payload;  /* compact JSON object text; owned by the batch when read */
    /* Read only: why this row breaks the format (static text), NULL when it does
     * not.  Such a row has a valid uuid; its kind may be "" and its payload NULL. */
    const char *invalid;
} proto_response;

typedef struct proto_batch {
    proto_response *v;
    size_t n;
} proto_batch;

/* Writes {"responses":[...]}.  A payload that is not a JSON object is KC_EINVAL
 * naming its uuid (the caller leaves that row out). */
kc_err proto_batch_write(const proto_response *v, size_t n, proto_buf *out, char *msg);
/* The bytes one row adds to a batch as proto_batch_write writes it. */
size_t proto_batch_row_size(const proto_response *r);
/* Bytes of a batch around its rows. */
#define PROTO_BATCH_OVERHEAD 16
/* Refuses the whole batch only when it is not a batch (not JSON, not an array, too
 * many rows, a row without a valid uuid).  A row whose kind or payload breaks the
 * format is kept with `invalid` set, so the server can refuse that row alone. */
kc_err proto_batch_read(const char *buf, size_t len, proto_batch *b, char *msg);
void proto_batch_free(proto_batch *b);

/* The push reply:
 *   {"ack":[uuid...],"stored":N,"refused":[{"uuid":U,"status":409,"reason":"..."}]}
 * ack: the UUIDs the server now holds (new or earlier), each once; refused: rows the
 * server will not store, each once, status 400 (the row breaks the format) or 409
 * (the UUID holds other content).  "refused" is left out when empty. */
#define PROTO_REASON_MAX 200
typedef struct proto_refusal {
    char uuid[PROTO_UUID_LEN + 1];
    int status;  /* 400 or 409 */
    char reason[PROTO_REASON_MAX + 1];
} proto_refusal;

typedef struct proto_ack {
    char (*uuids)[PROTO_UUID_LEN + 1];
    size_t n;
    proto_refusal *refused;
    size_t nrefused;
    long long stored;
} proto_ack;

/* Writing cuts reasons at a character boundary to fit. */
kc_err proto_ack_write(const proto_ack *a, proto_buf *out);
/* Checks the shape only (UUIDs, statuses, at most PROTO_BATCH_MAX of each); whether
 * the UUIDs are ones that were sent is the caller's to check. */
kc_err proto_ack_read(const char *buf, size_t len, proto_ack *a, char *msg);
void proto_ack_free(proto_ack *a);

/* --- heartbeat ----------------------------------------------------------------- */

typedef struct proto_heartbeat {
    char version[PROTO_VERSION_MAX + 1];
    long long catalog_rev;
    long long outbox_depth;
    char last_error[PROTO_LASTERR_MAX + 1];  /* "" when none */
    long long set_aside;   /* outbox rows the server refused, kept aside */
    char set_aside_reason[PROTO_REASON_MAX + 1];  /* the newest refusal, "" when none */
} proto_heartbeat;

/* Writing cuts version and the texts at a character boundary to fit; set_aside and
 * its reason are written only when set_aside > 0 (servers before them refuse
 * unknown fields). */
kc_err proto_heartbeat_write(const proto_heartbeat *h, proto_buf *out);
kc_err proto_heartbeat_read(const char *buf, size_t len, proto_heartbeat *h, char *msg);

/* --- catalog down --------------------------------------------------------------- */

/* The server writes a page in pieces straight from its store: start, any number of
 * items (bodies are canonical JSON already, spliced as they are), optional areas,
 * end.  ids come from the server's validated store. */
void proto_page_start(proto_buf *b, long long head);
void proto_page_item(proto_buf *b, const char *id, const char *kind, long long rev,
                     const char *body);  /* body NULL: a tombstone */
void proto_page_areas_start(proto_buf *b, const char *digest);
void proto_page_area(proto_buf *b, const char *body);
kc_err proto_page_end(proto_buf *b, long long rev, int more);

typedef struct proto_entry {
    char id[65];
    char kind[PROTO_KIND_MAX + 1];  /* "" for a tombstone without one */
    long long rev;
    int deleted;
    char *body;  /* compact JSON of the item; NULL for a tombstone */
} proto_entry;

typedef struct proto_page {
    long long head;     /* the server's newest revision */
    long long rev;      /* the newest revision in this page: the next `since` */
    int more;           /* another page follows */
    proto_entry *items;
    size_t nitems;
    int has_areas;      /* the page carries the full list of areas */
    char digest[PROTO_DIGEST_HEX + 1];
    char **areas;       /* compact JSON of each area */
    size_t nareas;
} proto_page;

/* Checks the page's shape and that item revisions are increasing, above `since` and
 * at most `rev`; the items themselves are validated by the content module. */
kc_err proto_page_read(const char *buf, size_t len, long long since, proto_page *pg,
                       char *msg);
void proto_page_free(proto_page *pg);

/* --- surveys and ballots down (GET /v1/docs) ------------------------------------- */

/* Document types, each its own feed with its own `since`:
 *   survey        a survey version (docs/survey-format.md), "version" > 0
 *   ballot        a ballot definition (docs/ballot-format.md)
 *   ballot-codes  a ballot's code hashes as a kiosk-ballot-codes file; id = ballot id
 *   ballot-used   one code used somewhere: {"ballot": ID, "code": HASH} */
#define PROTO_DOC_SURVEY "survey"
#define PROTO_DOC_BALLOT "ballot"
#define PROTO_DOC_CODES "ballot-codes"
#define PROTO_DOC_USED "ballot-used"
#define PROTO_DOC_TYPE_MAX 15
/* One document as compact JSON (a codes file of 100 000 hashes is about 7 MiB). */
#define PROTO_DOC_MAX (16L * 1024 * 1024)
/* The server stops adding documents to a page past this many bytes (a page always
 * carries at least one), so a page stays under PROTO_MAX_REPLY. */
#define PROTO_DOCS_PAGE_BYTES (32L * 1024 * 1024)

/* 1 when t is one of the types above. */
int proto_valid_doctype(const char *t);

/* The server writes a docs page as a catalog page (proto_page_start, _end) whose
 * entries are written here.  body NULL: a tombstone. */
void proto_docs_item(proto_buf *b, const char *id, long long version, long long rev,
                     const char *body);

typedef struct proto_doc {
    char id[65];
    long long version;  /* 0 for types without versions */
    long long rev;
    int deleted;
    char *body;         /* compact JSON; NULL for a tombstone */
} proto_doc;

typedef struct proto_docs_page {
    long long head, rev;
    int more;
    proto_doc *v;
    size_t n;
} proto_docs_page;

/* Checks the shape, revisions (increasing, above since, at most rev) and sizes; the
 * documents themselves are validated by the modules that own them. */
kc_err proto_docs_read(const char *buf, size_t len, long long since, proto_docs_page *pg,
                       char *msg);
void proto_docs_free(proto_docs_page *pg);

/* --- the change check (GET /v1/changes) ------------------------------------------- */

/* Every feed a kiosk follows, in the order the check names them: the catalog, then
 * the four document types.  One request asks about all of them, so an unchanged
 * kiosk costs one small request (answered 204) instead of one per feed. */
#define PROTO_FEED_CATALOG "catalog"
enum { PROTO_FEED_CAT, PROTO_FEED_SURVEY, PROTO_FEED_BALLOT, PROTO_FEED_CODES,
       PROTO_FEED_USED, PROTO_FEED_SETTINGS, PROTO_NFEEDS };
/* The kiosk's own settings (GET /v1/settings): its "revision" is a tag, a digest of
 * the settings text in 1..2^53 (0: none yet), compared for equality only. */
#define PROTO_FEED_SETTINGS_NAME "settings"
/* A settings reply: {"tag": N, "settings": {...}} of at most this many bytes. */
#define PROTO_SETTINGS_MAX (64L * 1024)

/* The feed's name (also its query parameter); -1 / NULL when unknown. */
const char *proto_feed_name(int i);
int proto_feed_index(const char *name);
/* 1 when s is an areas digest: PROTO_DIGEST_HEX lower-case hex digits. */
int proto_valid_digest(const char *s);

/* The 200 reply: which feeds have something newer than the kiosk's revision (for the
 * catalog: or other areas), with each one's newest revision. */
typedef struct proto_changes {
    int changed[PROTO_NFEEDS];
    long long head[PROTO_NFEEDS];  /* when changed */
} proto_changes;

/* {"changed":{"catalog":1234,"survey":41}}; at least one feed must be changed
 * (KC_EINVAL otherwise: nothing changed is a 204 with no body). */
kc_err proto_changes_write(const proto_changes *ch, proto_buf *out);
/* Refuses unknown feeds, an empty list and revisions out of range. */
kc_err proto_changes_read(const char *buf, size_t len, proto_changes *ch, char *msg);

#endif
