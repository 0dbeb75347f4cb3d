/*
 * srvdb_admin.h - the console's storage on the central server: accounts, sessions,
 * login throttling and the audit log (docs/admin-api.md).
 *
 * Same contract as srvdb.h: every function returns a kc_err, leaves a message in the
 * handle, and a failed call changed nothing.  Passwords arrive here already hashed
 * (Argon2id strings from libsodium); sessions only as BLAKE2b hashes of their tokens,
 * so a copy of the database lets no one log in.  The audit log never holds a password
 * or a token: callers pass only names and short descriptions.
 *
 * Backends fill in a srvdb_admin_backend and point their srvdb_backend's `admin` at it.
 */
#ifndef SRVDB_ADMIN_H
#define SRVDB_ADMIN_H

#include "srvdb.h"

#include <stdio.h>

#define SRVDB_USER_MAX 64          /* account names: 1-64 of [A-Za-z0-9._-] */
#define SRVDB_PWHASH_MAX 128       /* an Argon2id string (crypto_pwhash_STRBYTES) */
#define SRVDB_KIOSKS_MAX 1024      /* a coordinator's kiosk list, comma-separated */
#define SRVDB_AUDIT_TEXT_MAX 200   /* target and detail of an audit row, bytes */

typedef enum srvdb_role {
    SRVDB_ROLE_ADMIN = 0,        /* everything */
    SRVDB_ROLE_EDITOR = 1,       /* catalog and areas */
    SRVDB_ROLE_COORDINATOR = 2,  /* surveys, workshops, ballots (optionally some kiosks) */
    SRVDB_ROLE_VIEWER = 3,       /* read-only */
    SRVDB_NROLE
} srvdb_role;

/* "administrator", "editor", "coordinator", "viewer"; NULL past the end. */
const char *srvdb_role_name(int role);
/* The role of a name ("admin" is accepted for "administrator"); -1 when none. */
int srvdb_role_parse(const char *name);

typedef struct srvdb_user {
    long long id;
    char name[SRVDB_USER_MAX + 1];
    int role;
    char kiosks[SRVDB_KIOSKS_MAX + 1];  /* coordinator: "" = all kiosks */
    long long created;
    int disabled;
} srvdb_user;

/* KC_EINVAL naming the account when the name is taken. */
kc_err srvdb_user_add(srvdb *db, const srvdb_user *u, const char *pwhash);
/* KC_ENOTFOUND when there is no such account.  pwhash (may be NULL) receives the
 * stored hash, SRVDB_PWHASH_MAX + 1 bytes. */
kc_err srvdb_user_get(srvdb *db, const char *name, srvdb_user *u, char *pwhash);
/* Changes role, kiosks and disabled as in u, and the password when pwhash is not
 * NULL.  A disabled account or a new password ends the account's sessions.
 * KC_ENOTFOUND when there is no such account. */
kc_err srvdb_user_update(srvdb *db, const srvdb_user *u, const char *pwhash);
typedef kc_err (*srvdb_user_fn)(void *ctx, const srvdb_user *u);
kc_err srvdb_users_each(srvdb *db, srvdb_user_fn fn, void *ctx);
/* How many enabled administrators there are (the last one cannot be demoted). */
kc_err srvdb_admin_count(srvdb *db, long *n);

/* Sessions, keyed by the hash of their token. */
kc_err srvdb_session_add(srvdb *db, const unsigned char hash[SRVDB_HASH_LEN], long long user,
                         long long now, long long expires);
/* The session's account when the session exists, has not expired at `now` and its
 * account is enabled; KC_ENOTFOUND otherwise.  *expires gets its expiry. */
kc_err srvdb_session_get(srvdb *db, const unsigned char hash[SRVDB_HASH_LEN], long long now,
                         srvdb_user *u, long long *created, long long *expires);
kc_err srvdb_session_extend(srvdb *db, const unsigned char hash[SRVDB_HASH_LEN],
                            long long expires);
/* Deleting a session that is gone already is not an error. */
kc_err srvdb_session_del(srvdb *db, const unsigned char hash[SRVDB_HASH_LEN]);

/* Login throttling, one row per key ("user:NAME", "addr:IP"): failures counted and
 * the time before which no login is tried.  A missing key reads as 0, 0. */
kc_err srvdb_throttle_get(srvdb *db, const char *key, long *failures, long long *until,
                          long long *last);
kc_err srvdb_throttle_set(srvdb *db, const char *key, long failures, long long until,
                          long long last);
kc_err srvdb_throttle_clear(srvdb *db, const char *key);

/* The audit log. */
typedef struct srvdb_audit {
    long long id;
    long long at;                          /* unix time */
    char user[SRVDB_USER_MAX + 1];         /* "" = the command line */
    char action[48];                       /* "user.add", "kiosk.revoke", ... */
    char target[SRVDB_AUDIT_TEXT_MAX + 1];
    char detail[SRVDB_AUDIT_TEXT_MAX + 1];
} srvdb_audit;
kc_err srvdb_audit_add(srvdb *db, const srvdb_audit *a);
/* Newest first: rows with id < before (0 = no bound), of user and of actions starting
 * with action (NULL or "" = any), at most limit. */
typedef kc_err (*srvdb_audit_fn)(void *ctx, const srvdb_audit *a);
kc_err srvdb_audit_each(srvdb *db, const char *user, const char *action, long long before,
                        long limit, srvdb_audit_fn fn, void *ctx);

/* --- the catalog, as the console edits it ---------------------------------------- */

#define SRVDB_QUERY_MAX 100   /* a catalog search, bytes */

typedef struct srvdb_cat_filter {
    const char *q;       /* part of a name in any language or of the id; NULL = any */
    int kind;            /* cat_kind, -1 = any */
    const char *area;    /* area id; NULL = any */
    const char *after;   /* the page after this id (ids ascending); NULL = first */
    long limit;          /* 1-1000 */
} srvdb_cat_filter;

typedef struct srvdb_cat_row {
    const char *id;
    int kind;
    long long rev;
    const char *name_fi, *name_sv, *name_en;  /* "" when missing */
    const char *area;
} srvdb_cat_row;
typedef kc_err (*srvdb_cat_fn)(void *ctx, const srvdb_cat_row *r);

/* Live items matching f in id order, at most f->limit; *total (may be NULL) gets how
 * many match in all on the first page (f->after unset), else -1, and -1 when a search
 * makes counting too dear (f->q set). */
kc_err srvdb_catalog_list(srvdb *db, const srvdb_cat_filter *f, srvdb_cat_fn fn, void *ctx,
                          long long *total);
/* A live item's kind, revision and canonical JSON (*body kc_malloc'ed); KC_ENOTFOUND
 * for a missing or deleted item. */
kc_err srvdb_item_get(srvdb *db, const char *id, int *kind, long long *rev, char **body);
/* Validates a content file held in memory and applies it as `admin import` does
 * (content.h flags: CONTENT_DRY_RUN counts without writing).  KC_EINVAL or KC_EJSON
 * with the content module's message (naming item and field) when it is refused. */
kc_err srvdb_content_apply(srvdb *db, const char *buf, size_t len, int flags,
                           content_result *res);
/* The live catalog as a content file. */
kc_err srvdb_catalog_export(srvdb *db, FILE *f);

/* --- surveys and ballots as the console lists them ------------------------------- */

typedef struct srvdb_doc_row {
    const char *type, *id;
    long long version, rev;
    const char *title;   /* the document's "title" as JSON text, "" when none */
} srvdb_doc_row;
typedef kc_err (*srvdb_doc_row_fn)(void *ctx, const srvdb_doc_row *r);
/* Every live version of documents of a type, by id then version (newest first). */
kc_err srvdb_docs_list(srvdb *db, const char *type, srvdb_doc_row_fn fn, void *ctx);

/* --- for backends ---------------------------------------------------------------- */
typedef struct srvdb_admin_backend {
    kc_err (*user_add)(void *impl, char *msg, const srvdb_user *u, const char *pwhash);
    kc_err (*user_get)(void *impl, char *msg, const char *name, srvdb_user *u, char *pwhash);
    kc_err (*user_update)(void *impl, char *msg, const srvdb_user *u, const char *pwhash);
    kc_err (*users_each)(void *impl, char *msg, srvdb_user_fn fn, void *ctx);
    kc_err (*admin_count)(void *impl, char *msg, long *n);
    kc_err (*session_add)(void *impl, char *msg, const unsigned char *hash, long long user,
                          long long now, long long expires);
    kc_err (*session_get)(void *impl, char *msg, const unsigned char *hash, long long now,
                          srvdb_user *u, long long *created, long long *expires);
    kc_err (*session_extend)(void *impl, char *msg, const unsigned char *hash,
                             long long expires);
    kc_err (*session_del)(void *impl, char *msg, const unsigned char *hash);
    kc_err (*throttle_get)(void *impl, char *msg, const char *key, long *failures,
                           long long *until, long long *last);
    kc_err (*throttle_set)(void *impl, char *msg, const char *key, long failures,
                           long long until, long long last);
    kc_err (*throttle_clear)(void *impl, char *msg, const char *key);
    kc_err (*audit_add)(void *impl, char *msg, const srvdb_audit *a);
    kc_err (*audit_each)(void *impl, char *msg, const char *user, const char *action,
                         long long before, long limit, srvdb_audit_fn fn, void *ctx);
    kc_err (*catalog_list)(void *impl, char *msg, const srvdb_cat_filter *f, srvdb_cat_fn fn,
                           void *ctx, long long *total);
    kc_err (*item_get)(void *impl, char *msg, const char *id, int *kind, long long *rev,
                       char **body);
    kc_err (*content_apply)(void *impl, char *msg, const char *buf, size_t len, int flags,
                            content_result *res);
    kc_err (*catalog_export)(void *impl, char *msg, FILE *f);
    kc_err (*docs_list)(void *impl, char *msg, const char *type, srvdb_doc_row_fn fn,
                        void *ctx);
} srvdb_admin_backend;

extern const srvdb_admin_backend srvdb_sqlite_admin;

#endif
