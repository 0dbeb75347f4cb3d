/*
 * srvdb.h - the central server's storage: devices and their tokens, received
 * responses, and the catalog the kiosks pull.
 *
 * The server and its admin commands only ever talk to this interface, so another
 * backend (PostgreSQL) can follow by filling in a srvdb_backend table; srvdb_open
 * picks the backend from the spec ("sqlite:PATH", or a plain path for SQLite;
 * "postgresql://..." or "postgres://..." URIs and "pg:KEY=VALUE ..." libpq strings
 * for PostgreSQL, whose password comes from PGPASSWORD or PGPASSFILE, never the spec).
 * The SQLite backend keeps everything in one WAL file, reusing the core store and
 * content modules for the catalog, so revisions and tombstones mean exactly what
 * they mean on a kiosk.
 *
 * Threads: a handle is one connection, used by one thread at a time.  The server
 * keeps one handle per worker; handles on the same database may be used at once.
 *
 * Surveys and ballots (srvdb_docs.c) are documents with revisions, one feed per type
 * (proto.h); imports validate with the core's own parsers before storing.  Ballots
 * and code uses pushed by kiosks are kept apart from other responses, with no device
 * on a ballot and no time on either (docs/voting.md).
 *
 * Failure: every function returns a kc_err and leaves a message in the handle.
 * Writes are single transactions: srvdb_store_batch stores a whole batch or nothing;
 * a failed call changed nothing.  KC_EBUSY means "locked, try again".
 */
#ifndef SRVDB_H
#define SRVDB_H

#include "content.h"
#include "kc.h"
#include "proto.h"
#include "store.h"

/* A device token is SRVDB_TOKEN_LEN lower-case hex characters (256 random bits);
 * the server keeps only its BLAKE2b-256 hash.  Tokens are random, so a fast hash is
 * enough: guessing one is 2^256 work whatever the hash costs. */
#define SRVDB_TOKEN_LEN 64
#define SRVDB_HASH_LEN 32
#define SRVDB_NAME_MAX 64

typedef struct srvdb srvdb;

typedef struct srvdb_device {
    long long id;
    char name[SRVDB_NAME_MAX + 1];
    int revoked;
    long long created;      /* unix time */
    long long last_seen;    /* unix time of the last heartbeat, 0 = never */
    char version[PROTO_VERSION_MAX + 1];
    long long catalog_rev;
    long long outbox_depth;
    char last_error[PROTO_LASTERR_MAX + 1];
    long long set_aside;    /* outbox rows the kiosk set aside after refusals */
    char set_aside_reason[PROTO_REASON_MAX + 1];
} srvdb_device;

/* Opens (creating and migrating) the database named by spec.  *out is set even on
 * failure so srvdb_errmsg works, unless memory ran out; always srvdb_close it. */
kc_err srvdb_open(const char *spec, srvdb **out);
void srvdb_close(srvdb *db);
const char *srvdb_errmsg(const srvdb *db);

/* Device names: 1-64 of [A-Za-z0-9._-]. */
int srvdb_valid_name(const char *name);
/* Makes a new random token (SRVDB_TOKEN_LEN chars + NUL) and its hash. */
kc_err srvdb_token_new(char token[SRVDB_TOKEN_LEN + 1], unsigned char hash[SRVDB_HASH_LEN]);
/* Hashes a presented token; KC_EDENIED when it is not even token-shaped. */
kc_err srvdb_token_hash(const char *token, size_t len, unsigned char hash[SRVDB_HASH_LEN]);

/* KC_EINVAL when the name is taken (also by a revoked device). */
kc_err srvdb_device_add(srvdb *db, const char *name, const unsigned char hash[SRVDB_HASH_LEN]);
/* KC_ENOTFOUND when there is no such device.  Revoking twice is not an error. */
kc_err srvdb_device_revoke(srvdb *db, const char *name);
/* The device holding this token hash (revoked ones too: the caller answers 403);
 * KC_ENOTFOUND when none. */
kc_err srvdb_device_auth(srvdb *db, const unsigned char hash[SRVDB_HASH_LEN],
                         srvdb_device *dev);
typedef kc_err (*srvdb_device_fn)(void *ctx, const srvdb_device *dev);
kc_err srvdb_devices_each(srvdb *db, srvdb_device_fn fn, void *ctx);
kc_err srvdb_heartbeat(srvdb *db, long long device, const proto_heartbeat *hb,
                       long long now);

/* Stores the rows of a batch it accepts, in one transaction (all of them or none),
 * and answers for every UUID of the batch once in *out (proto_ack_free it):
 * - acked: stored now, or held already with the same kind and payload (an
 *   identical resend, from any device);
 * - refused 400: the row breaks the format (proto_batch_read's `invalid`, or a
 *   ballot or ballot-code payload that breaks docs/ballot-format.md);
 * - refused 409: the UUID is held with other content, or comes twice in this batch
 *   with different content (then neither copy is stored).
 * out->stored counts the new rows.  Kinds "ballot" and "ballot-code" go to their
 * own tables, and a code use not seen before becomes a "ballot-used" document, so
 * every kiosk learns of it.  On failure nothing was stored and *out is empty. */
kc_err srvdb_store_batch(srvdb *db, long long device, const proto_batch *b, proto_ack *out);
/* Every stored response in UUID order (which keeps no order of arrival). */
typedef kc_err (*srvdb_response_fn)(void *ctx, const char *uuid, const char *device,
                                    const char *kind, const char *payload);
kc_err srvdb_responses_each(srvdb *db, srvdb_response_fn fn, void *ctx);
kc_err srvdb_response_count(srvdb *db, long long *n);

/* A read snapshot: what is read between begin and end is one consistent state,
 * so a page and the head it reports agree.  end after every successful begin. */
kc_err srvdb_read_begin(srvdb *db);
void srvdb_read_end(srvdb *db);

/* The catalog, as store.h describes it. */
kc_err srvdb_catalog_head(srvdb *db, long long *rev);
kc_err srvdb_catalog_changes(srvdb *db, long long since, long limit, store_change_fn fn,
                             void *ctx, long long *last);
/* A digest of every area's canonical JSON, so a kiosk can tell cheaply whether its
 * areas are current. */
kc_err srvdb_areas_digest(srvdb *db, char digest[PROTO_DIGEST_HEX + 1]);
kc_err srvdb_areas_each(srvdb *db, store_item_fn fn, void *ctx);
/* Deletes an area in one transaction, unless live items are in it: then nothing
 * changes, *users gets their number and the result is KC_EEXIST.  KC_ENOTFOUND when
 * there is no such area.  Kiosks drop it on their next sync (the area digest
 * changes; docs/protocol.md). */
kc_err srvdb_area_delete(srvdb *db, const char *id, long *users);
/* Validates and imports a content file (content.h flags), raising revisions. */
kc_err srvdb_import(srvdb *db, const char *path, int flags, content_result *res);


/* --- surveys and ballots ----------------------------------------------------------- */

/* One row of a document feed; body NULL for a tombstone. */
typedef kc_err (*srvdb_doc_fn)(void *ctx, const char *id, long long version, long long rev,
                               const char *body);
/* The newest revision of a type's feed, 0 when empty. */
kc_err srvdb_docs_head(srvdb *db, const char *type, long long *rev);
/* Documents of a type with revision > since in revision order: at most limit, and no
 * more once max_bytes of bodies were passed (at least one is). */
kc_err srvdb_docs_changes(srvdb *db, const char *type, long long since, long limit,
                          size_t max_bytes, srvdb_doc_fn fn, void *ctx, long long *last);
/* A live document: version 0 means the newest.  KC_ENOTFOUND when none.  *body is
 * kc_malloc'ed; *version (may be NULL) gets its version. */
kc_err srvdb_doc_get(srvdb *db, const char *type, const char *id, long long version,
                     char **body, long long *version_out);

typedef enum srvdb_doc_result {
    SRVDB_DOC_ADDED,
    SRVDB_DOC_CHANGED,    /* a new survey version, a changed ballot, more codes */
    SRVDB_DOC_UNCHANGED,
} srvdb_doc_result;

typedef struct srvdb_import_info {
    char id[65];
    long long version;     /* surveys and ballots */
    srvdb_doc_result result;
    long codes_added, codes_total;  /* codes */
} srvdb_import_info;

/* Admin imports.  The file is validated by the core (survey_parse, ballot_parse,
 * ballot_codes_import) before anything is stored; on failure nothing changed and the
 * message is the core's.  A survey file without a version becomes the next version
 * unless it equals the newest; with one, that version (other content under a stored
 * version is refused).  A changed ballot becomes the next version (every version is
 * kept: ballots are judged by theirs); from its opening date by the server's clock, or
 * once kiosks have sent votes, only its texts may change (ballot_check_change's words).
 * Codes need their ballot imported first; a second codes file for a ballot is merged
 * (same salt and costs only). */
kc_err srvdb_import_survey(srvdb *db, const char *path, srvdb_import_info *info);
kc_err srvdb_import_ballot(srvdb *db, const char *path, srvdb_import_info *info);
kc_err srvdb_import_codes(srvdb *db, const char *path, srvdb_import_info *info);

/* Every ballot (uuid, payload) and every code use (uuid, hash, device name) received
 * for a ballot, in UUID order.  Either fn may be NULL. */
typedef kc_err (*srvdb_vote_fn)(void *ctx, const char *uuid, const char *payload);
typedef kc_err (*srvdb_use_fn)(void *ctx, const char *uuid, const char *hash,
                               const char *device);
kc_err srvdb_ballot_rows(srvdb *db, const char *ballot, srvdb_vote_fn vote, srvdb_use_fn use,
                         void *ctx);

/* Loads a pabulib .pb election (pbfile.h) as a new ballot with its votes, so it can be
 * counted (and exported) like one the kiosks voted on: the ballot and every vote in one
 * transaction, votes under fresh random UUIDs, paper votes marked "paper".  id names the
 * ballot (1-64 of a-z 0-9 . _ -); a ballot with that id must not exist yet.  On failure
 * nothing changed; the message names the file's line. */
kc_err srvdb_import_pb(srvdb *db, const char *path, const char *id, srvdb_import_info *info,
                       long *votes, long *skipped);

/* A paper ballot entered by staff: picks (project ids) checked against the stored
 * ballot's rule as the kiosk would, stored as a "paper" ballot.  The paper's serial
 * (1-64 of A-Z a-z 0-9 . _ -) is kept per ballot only to refuse it a second time
 * (KC_EEXIST naming it), never with the ballot.  KC_EINVAL: the picks break the rule or
 * the serial is not one; KC_ENOTFOUND: no such ballot.  On failure nothing changed. */
kc_err srvdb_paper_add(srvdb *db, const char *ballot, const char *serial,
                       const char *const *picks, size_t n);

/* --- imports from open-data sources (sync/source.h) ------------------------------- */

/* Validates a content document held in memory (`name` prefixes messages) and applies
 * it like srvdb_import; with scope, stored items whose id starts with scope and that
 * are missing from the document become tombstones (content_set_scope). */
kc_err srvdb_import_buf(srvdb *db, const char *name, const char *buf, size_t len,
                        const char *scope, content_result *res);
/* A source's saved fetch state (JSON text of sync/source.c); *state NULL when none. */
kc_err srvdb_source_state_get(srvdb *db, const char *source, char **state);
kc_err srvdb_source_state_set(srvdb *db, const char *source, const char *state);

#define SRVDB_SOURCE_MAX 32
#define SRVDB_ORIGIN_MAX 500
#define SRVDB_RUN_ERROR_MAX 1000
/* One import run of a source, for the run log. */
typedef struct srvdb_source_run {
    long long id;
    char source[SRVDB_SOURCE_MAX + 1];
    char origin[SRVDB_ORIGIN_MAX + 1];  /* URL or file */
    long long started, finished;        /* unix time */
    int ok;            /* 1: complete and applied; 0: failed, the catalog unchanged */
    int not_modified;  /* every page answered 304: nothing read, nothing written */
    long pages, records, added, changed, removed, unchanged;
    char error[SRVDB_RUN_ERROR_MAX + 1];  /* why a run failed */
    char notes[SRVDB_RUN_ERROR_MAX + 1];  /* what a run adjusted (texts shortened...) */
} srvdb_source_run;
/* Appends a run (r->id is set). */
kc_err srvdb_source_run_add(srvdb *db, srvdb_source_run *r);
/* Runs newest first, of one source or (NULL) all, at most limit. */
typedef kc_err (*srvdb_run_fn)(void *ctx, const srvdb_source_run *r);
kc_err srvdb_source_runs_each(srvdb *db, const char *source, long limit, srvdb_run_fn fn,
                              void *ctx);

/* Takes the lock that lets one import of a source run at a time across every server
 * process on the database: held by this handle until srvdb_close (or the end of the
 * process); *got 0 when another handle holds it.  A backend without one (SQLite: one
 * server process per file, whose own lock in srcrun.c serves) always grants it. */
kc_err srvdb_source_lock(srvdb *db, const char *source, int *got);

/* What srvdb_store_batch extracted from a batch row, for the backends. */
typedef enum srvdb_row_kind { SRVDB_ROW_RESPONSE, SRVDB_ROW_BALLOT, SRVDB_ROW_CODE } srvdb_row_kind;
/* srvdb_row.status: 0 (store it), the HTTP statuses 400 and 409 (refused), or: */
#define SRVDB_ROW_COPY (-1)  /* a later copy of a UUID an earlier row answers for */
#define SRVDB_ROW_HELD (-2)  /* held already with the same content: acknowledged */
typedef struct srvdb_row {
    int status;
    char reason[PROTO_REASON_MAX + 1];  /* when refused */
    srvdb_row_kind kind;
    char ballot[65];       /* BALLOT, CODE */
    char hash[65];         /* CODE: the code hash */
    char used_id[65];      /* CODE: id of its "ballot-used" document */
} srvdb_row;

/* --- for backends ----------------------------------------------------------------
 * Each entry gets the backend's own state and the handle's message buffer. */
struct srvdb_admin_backend;
struct srvdb_results_backend;
struct srvdb_target_backend;
typedef struct srvdb_backend {
    const char *scheme;  /* "sqlite" */
    kc_err (*open)(const char *where, void **impl, char *msg);
    void (*close)(void *impl);
    kc_err (*device_add)(void *impl, char *msg, const char *name,
                         const unsigned char *hash, long long now);
    kc_err (*device_revoke)(void *impl, char *msg, const char *name, long long now);
    kc_err (*device_auth)(void *impl, char *msg, const unsigned char *hash,
                          srvdb_device *dev);
    kc_err (*devices_each)(void *impl, char *msg, srvdb_device_fn fn, void *ctx);
    kc_err (*heartbeat)(void *impl, char *msg, long long device, const proto_heartbeat *hb,
                        long long now);
    /* Stores the rows with status 0; one whose UUID is held already gets
     * SRVDB_ROW_HELD (same content) or 409 (other content) instead. */
    kc_err (*store_batch)(void *impl, char *msg, long long device, const proto_batch *b,
                          srvdb_row *rows, long *stored);
    kc_err (*responses_each)(void *impl, char *msg, srvdb_response_fn fn, void *ctx);
    kc_err (*response_count)(void *impl, char *msg, long long *n);
    kc_err (*read_begin)(void *impl, char *msg);
    void (*read_end)(void *impl);
    kc_err (*catalog_head)(void *impl, char *msg, long long *rev);
    kc_err (*catalog_changes)(void *impl, char *msg, long long since, long limit,
                              store_change_fn fn, void *ctx, long long *last);
    kc_err (*areas_digest)(void *impl, char *msg, char *digest);
    kc_err (*areas_each)(void *impl, char *msg, store_item_fn fn, void *ctx);
    kc_err (*area_delete)(void *impl, char *msg, const char *id, long *users);
    kc_err (*import)(void *impl, char *msg, const char *path, int flags,
                     content_result *res);
    kc_err (*docs_head)(void *impl, char *msg, const char *type, long long *rev);
    kc_err (*docs_changes)(void *impl, char *msg, const char *type, long long since,
                           long limit, size_t max_bytes, srvdb_doc_fn fn, void *ctx,
                           long long *last);
    kc_err (*doc_get)(void *impl, char *msg, const char *type, const char *id,
                      long long version, char **body, long long *version_out);
    /* Stores a document under a new revision in one transaction.  An identical row
     * changes nothing (*changed 0); a row with other content is replaced when
     * `replace`, else KC_EINVAL. */
    kc_err (*doc_put)(void *impl, char *msg, const char *type, const char *id,
                      long long version, const char *body, int replace, int *changed);
    kc_err (*ballot_rows)(void *impl, char *msg, const char *ballot, srvdb_vote_fn vote,
                          srvdb_use_fn use, void *ctx);
    /* A new ballot document and n ballot payloads for it, in one transaction;
     * KC_EINVAL when a ballot with that id exists. */
    kc_err (*ballot_import)(void *impl, char *msg, const char *id, const char *body,
                            const char *const *payloads, size_t n);
    /* A paper ballot's payload and its serial, in one transaction; KC_EINVAL when the
     * serial is stored for that ballot already. */
    kc_err (*paper_add)(void *impl, char *msg, const char *ballot, const char *serial,
                        const char *payload);
    kc_err (*import_buf)(void *impl, char *msg, const char *name, const char *buf,
                         size_t len, const char *scope, content_result *res);
    kc_err (*source_state_get)(void *impl, char *msg, const char *source, char **state);
    kc_err (*source_state_set)(void *impl, char *msg, const char *source,
                               const char *state);
    kc_err (*source_run_add)(void *impl, char *msg, srvdb_source_run *r);
    kc_err (*source_runs_each)(void *impl, char *msg, const char *source, long limit,
                               srvdb_run_fn fn, void *ctx);
    const struct srvdb_admin_backend *admin;  /* the console's tables: srvdb_admin.h */
    const struct srvdb_results_backend *results;  /* srvdb_results.h */
    const struct srvdb_target_backend *target;  /* kiosk settings: srvdb_target.h */
    /* srvdb_source_lock; NULL: always granted */
    kc_err (*source_lock)(void *impl, char *msg, const char *source, int *got);
} srvdb_backend;

extern const srvdb_backend srvdb_sqlite_backend;
extern const srvdb_backend srvdb_pg_backend;

#endif
