/*
 * srvdb_target.h - per-kiosk settings and where surveys and ballots are published, on
 * the central server (docs/admin-api.md "Kiosk settings", "Publishing"; the kiosk's
 * side is the settings feed of docs/protocol.md).
 *
 * One mechanism decides which surveys and ballots a kiosk shows: a document (by type
 * "survey" or "ballot" and id) is published to every kiosk (the default: no row), to
 * chosen kiosks, or closed.  The Kiosks page's per-kiosk tick boxes and the Surveys
 * page's "publish to" are two views of the same rows.  A ballot's codes file follows
 * its ballot.  Changing who sees a document moves its documents to new revisions, so
 * a kiosk that newly sees it pulls it on its next sync; a closed or withdrawn document
 * stays on kiosks that have it (with their answers) but leaves their settings' lists.
 *
 * Same contract as srvdb.h: a kc_err and a message in the handle; a failed call
 * changed nothing.  Settings bodies are checked by the caller (core/ksettings.h).
 */
#ifndef SRVDB_TARGET_H
#define SRVDB_TARGET_H

#include "srvdb.h"

#include <stddef.h>

typedef enum srvdb_pub {
    SRVDB_PUB_ALL = 0,     /* every kiosk (also kiosks added later) */
    SRVDB_PUB_CHOSEN = 1,  /* only the named kiosks */
    SRVDB_PUB_CLOSED = 2,  /* no kiosk: it leaves kiosks on their next sync */
} srvdb_pub;

/* "all", "chosen", "closed"; parse: -1 when none. */
const char *srvdb_pub_name(srvdb_pub p);
int srvdb_pub_parse(const char *s);

/* A kiosk's stored settings body (compact JSON, ksettings_json form) or *body NULL
 * when none was saved; KC_ENOTFOUND when there is no such kiosk. */
kc_err srvdb_kiosk_settings_get(srvdb *db, const char *kiosk, char **body);
/* Saves (body NULL: forgets) them; KC_ENOTFOUND when there is no such kiosk. */
kc_err srvdb_kiosk_settings_set(srvdb *db, const char *kiosk, const char *body);

/* A document's publication; *kiosks the chosen kiosks' names (srvdb_names_free). */
kc_err srvdb_pub_get(srvdb *db, const char *type, const char *id, srvdb_pub *p,
                     char ***kiosks, size_t *n);
/* Sets it (kiosks only for SRVDB_PUB_CHOSEN; every name must be a kiosk, else
 * KC_EINVAL naming it); KC_ENOTFOUND when no such document is stored. */
kc_err srvdb_pub_set(srvdb *db, const char *type, const char *id, srvdb_pub p,
                     const char *const *kiosks, size_t n);
/* For one kiosk: shows the documents of type listed in ids and no others.  A
 * document for every kiosk that it should not show becomes "chosen" with every
 * other kiosk; a closed one cannot be shown (KC_EINVAL naming it); unknown ids are
 * KC_EINVAL.  One transaction. */
kc_err srvdb_kiosk_shows_set(srvdb *db, const char *kiosk, const char *type,
                             const char *const *ids, size_t n);
/* The ids of type ("survey", "ballot") a kiosk (device id) shows, in id order. */
kc_err srvdb_kiosk_shows(srvdb *db, long long device, const char *type, char ***ids,
                         size_t *n);
void srvdb_names_free(char **v, size_t n);

/* What GET /v1/settings answers a kiosk: its settings with the lists of what it
 * shows, compact JSON (kc_free it), and its tag: 1..2^53, a digest of that text, so
 * equal tags mean an unchanged settings set. */
kc_err srvdb_kiosk_feed(srvdb *db, long long device, char **json, long long *tag);

/* A document feed as one kiosk sees it: like srvdb_docs_changes, but documents it
 * does not show are passed over (*last still moves past them), and limit counts
 * only the documents passed to fn. */
kc_err srvdb_docs_changes_for(srvdb *db, const char *type, long long device,
                              long long since, long limit, size_t max_bytes,
                              srvdb_doc_fn fn, void *ctx, long long *last);

/* --- for backends --------------------------------------------------------------- */
typedef kc_err (*srvdb_name_fn)(void *ctx, const char *name);
typedef struct srvdb_target_backend {
    kc_err (*settings_get)(void *impl, char *msg, const char *kiosk, char **body);
    kc_err (*settings_set)(void *impl, char *msg, const char *kiosk, const char *body);
    kc_err (*pub_get)(void *impl, char *msg, const char *type, const char *id, int *p,
                      srvdb_name_fn fn, void *ctx);
    kc_err (*pub_set)(void *impl, char *msg, const char *type, const char *id, int p,
                      const char *const *kiosks, size_t n);
    kc_err (*shows_set)(void *impl, char *msg, const char *kiosk, const char *type,
                        const char *const *ids, size_t n);
    kc_err (*shows)(void *impl, char *msg, long long device, const char *type,
                    srvdb_name_fn fn, void *ctx);
    kc_err (*settings_of)(void *impl, char *msg, long long device, char **body);
    kc_err (*docs_changes_for)(void *impl, char *msg, const char *type, long long device,
                               long long since, long limit, size_t max_bytes,
                               srvdb_doc_fn fn, void *ctx, long long *last);
} srvdb_target_backend;

extern const srvdb_target_backend srvdb_sqlite_target;
kc_err srvdb_sqlite_target_migrate_(store *st, char *msg);

#endif
