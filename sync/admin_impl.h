/*
 * admin_impl.h - what the console's files share: one request's context, the route
 * table's row, and the reply helpers.  Not for other modules.
 */
#ifndef ADMIN_IMPL_H
#define ADMIN_IMPL_H

#include "admin.h"
#include "admin_live.h"
#include "proto.h"
#include "srvwork.h"

#include <jansson.h>
#include <stdatomic.h>

/* Roles as bits of a route's allowed set. */
#define ADM_A (1u << SRVDB_ROLE_ADMIN)
#define ADM_E (1u << SRVDB_ROLE_EDITOR)
#define ADM_C (1u << SRVDB_ROLE_COORDINATOR)
#define ADM_V (1u << SRVDB_ROLE_VIEWER)
#define ADM_ALL (ADM_A | ADM_E | ADM_C | ADM_V)

/* Session lifetime: ended after an hour without a request, and after twelve hours
 * whatever happens. */
#define ADM_SESSION_IDLE (60 * 60)
#define ADM_SESSION_MAX (12 * 60 * 60)
#define ADM_COOKIE "kc_console"

struct admin_srv {
    struct MHD_Daemon *d;      /* the console address, NULL when on the sync port */
    srvlimit *lim;             /* the server's deadlines and budgets (not owned) */
    srvwork *work;             /* API requests run here, worker i on dbs[i] */
    srvdb **dbs;
    int ndb;
    int port;
    int quiet;
    char *dir;
    char *spec;                /* srvdb spec for the handles */
    char *cert, *key;
    srcrun *runs;              /* the console's source imports; NULL: none */
    char *card_renderer;       /* kiosk-card for previews; NULL: none */
    int card_timeout_s;        /* a preview's deadline */
    atomic_int renders;        /* previews being drawn */
    atomic_int exports;        /* exports open (admin_export.h) */
    atomic_int xlsx;           /* of them .xlsx workbooks being written */
    int exports_max;
    admin_live *live;          /* the live workshop screens' streams */
};

/* --- admin.c, for admin_http.c ----------------------------------------------------- */

/* 1 for the two uploads (content files, survey and ballot files), whose bodies the
 * parsers read themselves and which may be larger. */
int adm_is_upload(const char *url);
/* Answers a console file (GET /console/...), on microhttpd's thread. */
enum MHD_Result adm_files(admin_srv *a, struct MHD_Connection *c, const char *url,
                          const char *method);
/* Answers one API request with db: the response (NULL: out of memory) and *status. */
struct MHD_Response *adm_answer(admin_srv *a, srvdb *db, struct MHD_Connection *c,
                                const char *url, const char *method, const char *body,
                                size_t len, unsigned *status);
/* {"error": text, "code": the status's} as a response (NULL: out of memory);
 * adm_send_error queues it at once. */
struct MHD_Response *adm_error_response(unsigned status, const char *text);
enum MHD_Result adm_send_error(struct MHD_Connection *c, unsigned status, const char *text);

typedef struct adm_ctx {
    admin_srv *a;
    struct MHD_Connection *c;
    srvdb *db;
    const char *method;
    const char *arg;          /* the path's NAME segment, "" when the route has none */
    json_t *body;             /* the request's JSON object (POST), else NULL */
    char addr[64];            /* the client's address, numeric */
    int have_user;
    srvdb_user user;
    unsigned char session[SRVDB_HASH_LEN];
    /* the reply */
    unsigned status;
    json_t *out;              /* JSON reply (stolen) */
    char cookie[160];         /* Set-Cookie value, "" for none */
    long retry_after;         /* seconds, 0 for none */
    const char *raw;          /* the request body as sent (POST) */
    size_t raw_len;
    char *raw_out;            /* a reply that is a file (malloc'ed), instead of out */
    size_t raw_out_len;
    const char *raw_type, *raw_name;
    struct MHD_Response *resp;  /* a reply made by the handler (a stream), instead of out */
} adm_ctx;

typedef void (*adm_handler)(adm_ctx *x);

/* A route: method, path ("/v1/admin/kiosks/ * /revoke": one '*' stands for a
 * NAME segment), the roles allowed, and whether it works without a session. */
typedef struct adm_route {
    const char *method;
    const char *path;
    unsigned roles;
    int public_;
    adm_handler fn;
} adm_route;

/* Replies (admin_reply.c).  adm_ok steals j (NULL = out of memory: 500). */
void adm_ok(adm_ctx *x, unsigned status, json_t *j);
/* A 4xx/5xx {"error": TEXT, "code": CODE, "field": FIELD}; field may be NULL.  The
 * code is the status's ("invalid", "forbidden", ...: docs/admin-api.md). */
void adm_fail(adm_ctx *x, unsigned status, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same with a more precise stable code ("missing", "too_long", ...), which the
 * console shows in its own language. */
void adm_failc(adm_ctx *x, unsigned status, const char *code, const char *field,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A storage failure: 503 when locked, 404 for KC_ENOTFOUND, 400 for KC_EINVAL (the
 * message names the field), else 500 with the detail logged, not sent. */
void adm_db_fail(adm_ctx *x, kc_err rc);
/* Writes an audit row for the signed-in account; 0 or -1 after a failure reply. */
int adm_audit(adm_ctx *x, const char *action, const char *target, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A string member of the body: 0 with *out set (NULL when absent and optional), -1
 * after a 400 naming the member when it is missing, not a string, longer than max
 * bytes or holds control characters. */
int adm_body_str(adm_ctx *x, const char *name, size_t max, int required, const char **out);
/* A query argument as a number in 0..max (absent: def); -1 after a 400 naming it. */
int adm_query_num(adm_ctx *x, const char *name, long long max, long long def,
                  long long *out);
const char *adm_query(adm_ctx *x, const char *name);
/* The database spec the server was started with (a handler that outlives its request,
 * such as a streamed export, opens a handle of its own). */
const char *adm_db_spec(const adm_ctx *x);
/* 1 when the signed-in account may act on this kiosk (coordinators limited to named
 * kiosks). */
int adm_kiosk_allowed(const adm_ctx *x, const char *kiosk);
/* The stable code of a status when no more precise one applies ("invalid", ...). */
const char *adm_status_code(unsigned status);

/* admin_auth.c */
void adm_login(adm_ctx *x);
void adm_logout(adm_ctx *x);
void adm_session_info(adm_ctx *x);
void adm_users_list(adm_ctx *x);
void adm_user_add(adm_ctx *x);
void adm_user_change(adm_ctx *x);
void adm_audit_list(adm_ctx *x);
/* The CSRF token of a session token (64 hex + NUL): derived, so nothing is stored. */
void adm_csrf_of(const char *token, char out[65]);

/* admin_catalog.c */
void adm_catalog_list(adm_ctx *x);
void adm_item_get(adm_ctx *x);
void adm_item_save(adm_ctx *x);
void adm_item_delete(adm_ctx *x);
void adm_catalog_import(adm_ctx *x);
void adm_catalog_export(adm_ctx *x);
void adm_area_save(adm_ctx *x);
void adm_areas_list(adm_ctx *x);
void adm_area_delete(adm_ctx *x);
/* A content module refusal (message m) as a 400 (413 when too big) naming the field
 * the message names, with the stable code of its reason. */
void adm_content_fail(adm_ctx *x, kc_err rc, const char *m);

/* admin_preview.c */
void adm_catalog_preview(adm_ctx *x);

/* admin_docs.c */
void adm_docs_list(adm_ctx *x);
void adm_docs_import(adm_ctx *x);

/* admin_ballots.c */
void adm_ballot_get(adm_ctx *x);
void adm_ballot_paper(adm_ctx *x);
void adm_ballot_tally(adm_ctx *x);
/* admin_sources.c */
void adm_sources_list(adm_ctx *x);
void adm_source_run(adm_ctx *x);
/* The console's source runs; NULL when the server runs none. */
srcrun *adm_runs(const adm_ctx *x);

/* admin_fleet.c */
void adm_kiosks_list(adm_ctx *x);
void adm_kiosk_add(adm_ctx *x);
void adm_kiosk_revoke(adm_ctx *x);

/* admin_results.c */
void adm_results_feedback(adm_ctx *x);
void adm_results_comments(adm_ctx *x);
void adm_results_hide(adm_ctx *x);
/* admin_results_survey.c, admin_results_survey_export.c */
void adm_results_surveys(adm_ctx *x);
void adm_results_survey(adm_ctx *x);
void adm_results_survey_texts(adm_ctx *x);
void adm_results_survey_hide(adm_ctx *x);
void adm_results_survey_export(adm_ctx *x);
/* admin_results_export.c */
void adm_results_export(adm_ctx *x);
/* admin_workshops.c */
void adm_workshops_list(adm_ctx *x);
void adm_workshop_get(adm_ctx *x);
void adm_workshop_events(adm_ctx *x);
/* admin_kset.c */
void adm_kiosk_settings_get(adm_ctx *x);
void adm_kiosk_settings_set(adm_ctx *x);
void adm_docs_publish(adm_ctx *x);

#endif
