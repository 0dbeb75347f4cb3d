/*
 * syncc_impl.h - what the client engine's files share (syncc.c: configuration,
 * HTTP, catalog, one sync; syncc_thread.c: the thread; syncc_push.c: the outbox;
 * syncc_docs.c: the change check, surveys and ballots).  Not for other modules.
 */
#ifndef SYNCC_IMPL_H
#define SYNCC_IMPL_H

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>

#include "store.h"
#include "syncc.h"

#define SYNCC_VERSION "0.1.0"
/* Pages pulled in one sync at most; a 500 000-item catalog is 500 default pages. */
#define SYNCC_MAX_PAGES 100000
#define SYNCC_TOKEN_MAX 256
/* A kick (a response was just stored) syncs SYNCC_KICK_SETTLE_MS later, so a commit
 * the UI started a moment before is in, and never sooner than SYNCC_KICK_GAP_MS after
 * the previous sync started: a room tapping answers is one sync every two seconds at
 * most, not one per tap. */
#define SYNCC_KICK_SETTLE_MS 300
#define SYNCC_KICK_GAP_MS 2000

struct syncc {
    char *db_path, *server, *token, *ca_file, *version;
    syncc_config cfg;          /* numbers resolved; string fields point at the copies */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t th;
    int running;
    int kicked;
    long long last_start_ms;   /* monotonic start of the last sync, under mu */
    atomic_int stop;
    syncc_status st;           /* under mu */
    long long last_heartbeat;  /* used by the syncing thread only */
};

typedef struct http {
    syncc *c;
    CURL *h;
    struct curl_slist *hdr;
    proto_buf body;
    int too_big;
    long status;
    long long requests, sent, received;
    char err[CURL_ERROR_SIZE];
} http;

/* One request (body NULL: GET).  KC_OK with h->status and h->body for any HTTP
 * answer; KC_EIO when none came. */
kc_err syncc_http_open_(syncc *c, http *h, char *msg);
void syncc_http_close_(http *h);
kc_err syncc_http_do_(http *h, const char *what, const char *path, const char *body,
                      size_t len, char *msg);
/* A non-success status as an error code and message. */
kc_err syncc_http_fail_(http *h, const char *what, char *msg);
/* An integer meta value, 0 when unset. */
kc_err syncc_meta_ll_(store *st, const char *key, long long *v);
/* Copies at most cap-1 bytes of src, cut at a UTF-8 character boundary. */
void syncc_copy_cut_(char *dst, size_t cap, const char *src);
/* Opens the kiosk database with the tables a sync uses (*st NULL on failure). */
kc_err syncc_open_store_(syncc *c, store **st, char *msg);
/* One sync: push, change check, pulls, heartbeat; the outcome recorded in the
 * database and in c's status. */
kc_err syncc_cycle_(syncc *c, store *st, char *msg);

/* syncc_areas.c: a page's area list checked as a content file; an area's id (64 bytes
 * and NUL) from its JSON; the stored areas a complete list leaves out deleted, inside
 * the caller's transaction (ids, one per area of the page, get sorted). */
kc_err syncc_check_areas_(const proto_page *pg, char *msg);
kc_err syncc_area_id_(const char *body, char id[65]);
kc_err syncc_drop_gone_areas_(store *st, const proto_page *pg, char (*ids)[65], int *changed);

/* Pushes every waiting outbox row that may go now; *pushed counts acknowledged rows,
 * *aside the rows set aside (refused by the server or unsendable) in this push. */
kc_err syncc_push_(syncc *c, store *st, http *h, long *pushed, long *aside, char *msg);
/* The change check (GET /v1/changes): one request naming every feed with the
 * kiosk's revision.  *ch says which feeds to fetch; every feed when the server has
 * no change check (404, an older server). */
kc_err syncc_changes_(syncc *c, store *st, http *h, proto_changes *ch, char *msg);
/* Pulls the document feeds that ch names (NULL: all) and applies them; *changed when
 * anything was stored. */
/* Pulls the kiosk's settings when ch names them (NULL: always); *changed when new
 * ones were stored. */
kc_err syncc_settings_pull_(syncc *c, store *st, http *h, const proto_changes *ch,
                            int *changed, char *msg);
kc_err syncc_docs_pull_(syncc *c, store *st, http *h, const proto_changes *ch, long *pulled,
                        int *changed, char *msg);

#endif
