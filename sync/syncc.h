/*
 * syncc.h - the kiosk's sync client engine: pushes the outbox, pulls the catalog, the
 * surveys and the ballots, and reports a heartbeat to the central server
 * (docs/protocol.md), over libcurl.
 *
 * Two ways to run it:
 * - syncc_start(): its own thread syncs now, then every `interval_s`, sooner after
 *   syncc_kick(), with exponential backoff and jitter after failures.  The UI never
 *   waits on it: syncc_status_get() copies a snapshot under a mutex and returns.
 * - syncc_run_once(): one full sync on the caller's thread (kioskctl sync --once,
 *   tests).  Not while the thread runs (KC_EUSAGE).
 * Each run opens its own store handle on cfg.db_path, as store.h requires.
 *
 * Each sync pushes what may go, then asks GET /v1/changes which feeds changed and
 * pulls only those: an unchanged kiosk with nothing to push costs one request (two
 * when the heartbeat is due).
 *
 * Guarantees: a catalog page is applied in one transaction together with the
 * revision it brings the kiosk to, so a crash leaves the previous page boundary.  A
 * page of surveys or ballots is validated whole first, then stored one document per
 * transaction (the core's store functions run their own) and the revision moves
 * last, so a crash re-applies the page and nothing is half-stored.  Ballots and code
 * uses are pushed only when ballot_release_allows() allows, per ballot (docs/voting.md).  An
 * outbox row is marked sent only after the server acknowledged its UUID, so a crash
 * or a lost reply means a resend that the server ignores.  A reply that breaks the
 * protocol (bad JSON, invalid item, wrong revision) changes nothing.
 *
 * TLS certificates are verified by default; cfg.ca_file names a CA bundle to trust
 * instead of the system's.  Plain http:// is refused except to a loopback address
 * (127.0.0.0/8, ::1, localhost) unless cfg.allow_insecure_http: the token would
 * travel in clear and anyone on the way could forge acknowledgements.  The token is
 * never logged or written to the database.
 *
 * A row the server refuses on its own merits is set aside with the server's reason
 * and the rest flows (syncc_push.c); the pull runs whatever the push did.
 *
 * curl needs one syncc_global_init() per process before any thread starts.
 */
#ifndef SYNCC_H
#define SYNCC_H

#include "kc.h"
#include "proto.h"

typedef struct syncc syncc;

typedef struct syncc_config {
    const char *db_path;       /* the kiosk's database file */
    const char *server;        /* base URL: "https://sync.example.fi" (no path) */
    const char *token;         /* this kiosk's device token */
    const char *ca_file;       /* NULL: the system's CA certificates */
    const char *version;       /* software version for the heartbeat; NULL = project's */
    int connect_timeout_s;     /* 0 = 10 */
    int timeout_s;             /* whole request; 0 = 60 */
    int interval_s;            /* between successful syncs on the thread; 0 = 60 */
    int backoff_min_s;         /* first retry delay; 0 = 2 */
    int backoff_max_s;         /* 0 = 600 */
    int batch;                 /* responses per push; 0 = 500 */
    int page;                  /* catalog items per page; 0 = PROTO_PAGE_DEFAULT */
    int heartbeat_s;           /* at most this often; 0 = 300, <0 = every sync */
    int allow_insecure_http;   /* permit http:// to hosts other than loopback */
} syncc_config;

typedef enum syncc_state {
    SYNCC_NEVER,       /* no sync finished yet in this process */
    SYNCC_SYNCING,
    SYNCC_UP_TO_DATE,  /* the last sync finished: everything pushed and pulled */
    SYNCC_OFFLINE,     /* the server could not be reached or was unavailable */
    SYNCC_ERROR,       /* reached, but refused us or sent something unusable */
} syncc_state;

typedef struct syncc_status {
    syncc_state state;
    long long last_ok;         /* unix time of the last finished sync, 0 = never */
    long long offline_since;   /* first failure after the last success, 0 = none */
    long long waiting;         /* outbox rows not yet acknowledged */
    long long catalog_rev;     /* the server revision the catalog is at */
    unsigned long catalog_changes;  /* rises whenever a sync changed the catalog:
                                       the UI rebuilds its search index */
    int failures;              /* consecutive failed syncs */
    long long pushed, pulled;  /* totals since syncc_new */
    long long docs_pulled;     /* survey, ballot and code documents received */
    unsigned long docs_changes;  /* rises whenever a sync stored surveys or ballots:
                                    the UI reloads its survey and ballot lists */
    unsigned long settings_changes;  /* rises whenever a sync stored new settings for
                                        this kiosk: the UI applies them */
    long long requests, bytes_sent, bytes_received;  /* totals, headers included */
    long long syncs;           /* syncs finished without error since syncc_new */
    char last_error[PROTO_LASTERR_MAX + 1];  /* "" after a success */
    long long set_aside;       /* outbox rows set aside (refused by the server) */
    char set_aside_reason[PROTO_REASON_MAX + 1];  /* the newest one's reason */
    int insecure_http;         /* plain http:// to a host that is not loopback */
} syncc_status;

const char *syncc_state_name(syncc_state s);  /* "up to date", ... */

kc_err syncc_global_init(void);
void syncc_global_cleanup(void);

/* 1 when url is http:// (not https://) to a host other than loopback. */
int syncc_url_insecure(const char *url);

/* Copies cfg (strings included).  msg gets what is wrong with it (KC_EUSAGE; also
 * for plain http:// to a host that is not loopback without allow_insecure_http). */
kc_err syncc_new(const syncc_config *cfg, syncc **out, char *msg);
/* Stops the thread if running, then frees. */
void syncc_free(syncc *c);

kc_err syncc_start(syncc *c);
/* Asks the thread to stop and waits; an HTTP request in flight is cut short. */
void syncc_stop(syncc *c);
/* Sync soon (a response was just stored): sets a flag and signals the thread under
 * the status mutex, which nothing holds across network or disk work, so the UI thread
 * never waits on a sync.  Rate-limited by the thread (syncc_impl.h): kicks closer
 * together than two seconds are one sync. */
void syncc_kick(syncc *c);

void syncc_status_get(syncc *c, syncc_status *out);

/* One complete sync on this thread.  KC_EIO: network or server unavailable;
 * KC_EDENIED: token unknown or revoked; KC_EJSON/KC_EINVAL: bad reply; store codes
 * for the local database.  msg says which request and why. */
kc_err syncc_run_once(syncc *c, char *msg);

/* The kiosk's settings from its last sync that brought some (docs/protocol.md,
 * "Kiosk settings"): checked again here, an empty set (nothing set) when none came
 * yet.  Any thread with its own store handle. */
struct ksettings;
struct store;
kc_err syncc_settings_load(struct store *st, struct ksettings *ks, char *msg);

#endif
