/* admin.c - the console's request handling: files, routing, sessions, CSRF, roles. */
#include "admin_impl.h"
#include "server_impl.h"

#include <fcntl.h>
#include <netdb.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Longest path of a console file. */
#define ADM_PATH_MAX 200

/* Uploads are files for the content, survey and ballot parsers, which read them
 * themselves: the body is not parsed as JSON here first. */
int adm_is_upload(const char *url)
{
    return strcmp(url, "/v1/admin/catalog/import") == 0 ||
           strcmp(url, "/v1/admin/docs/import") == 0;
}

/* Every endpoint, with the roles allowed (docs/admin-api.md lists the same). */
static const adm_route routes[] = {
    { "POST", "/v1/admin/login", ADM_ALL, 1, adm_login },
    { "POST", "/v1/admin/logout", ADM_ALL, 0, adm_logout },
    { "GET", "/v1/admin/session", ADM_ALL, 0, adm_session_info },
    { "GET", "/v1/admin/users", ADM_A, 0, adm_users_list },
    { "POST", "/v1/admin/users", ADM_A, 0, adm_user_add },
    { "POST", "/v1/admin/users/*", ADM_A, 0, adm_user_change },
    { "GET", "/v1/admin/audit", ADM_A, 0, adm_audit_list },
    { "GET", "/v1/admin/kiosks", ADM_ALL, 0, adm_kiosks_list },
    { "POST", "/v1/admin/kiosks", ADM_A, 0, adm_kiosk_add },
    { "POST", "/v1/admin/kiosks/*/revoke", ADM_A, 0, adm_kiosk_revoke },
    { "GET", "/v1/admin/catalog", ADM_ALL, 0, adm_catalog_list },
    { "GET", "/v1/admin/catalog/export", ADM_ALL, 0, adm_catalog_export },
    { "POST", "/v1/admin/catalog/import", ADM_A | ADM_E, 0, adm_catalog_import },
    { "GET", "/v1/admin/catalog/items/*", ADM_ALL, 0, adm_item_get },
    { "POST", "/v1/admin/catalog/items/*", ADM_A | ADM_E, 0, adm_item_save },
    { "POST", "/v1/admin/catalog/items/*/delete", ADM_A | ADM_E, 0, adm_item_delete },
    { "POST", "/v1/admin/catalog/preview", ADM_ALL, 0, adm_catalog_preview },
    { "GET", "/v1/admin/areas", ADM_ALL, 0, adm_areas_list },
    { "POST", "/v1/admin/areas/*", ADM_A | ADM_E, 0, adm_area_save },
    { "POST", "/v1/admin/areas/*/delete", ADM_A | ADM_E, 0, adm_area_delete },
    { "GET", "/v1/admin/docs", ADM_ALL, 0, adm_docs_list },
    { "POST", "/v1/admin/docs/import", ADM_A | ADM_C, 0, adm_docs_import },
    { "GET", "/v1/admin/ballots/*", ADM_ALL, 0, adm_ballot_get },
    { "POST", "/v1/admin/ballots/*/paper", ADM_A | ADM_C, 0, adm_ballot_paper },
    { "POST", "/v1/admin/ballots/*/tally", ADM_A | ADM_C, 0, adm_ballot_tally },
    { "GET", "/v1/admin/sources", ADM_ALL, 0, adm_sources_list },
    { "POST", "/v1/admin/sources/*/run", ADM_A | ADM_E, 0, adm_source_run },
    { "GET", "/v1/admin/results/feedback", ADM_ALL, 0, adm_results_feedback },
    { "GET", "/v1/admin/results/feedback/comments", ADM_ALL, 0, adm_results_comments },
    { "POST", "/v1/admin/results/feedback/comments/*/hide", ADM_A | ADM_C, 0, adm_results_hide },
    { "GET", "/v1/admin/results/feedback/export", ADM_ALL, 0, adm_results_export },
    /* survey results */
    { "GET", "/v1/admin/results/surveys", ADM_ALL, 0, adm_results_surveys },
    { "GET", "/v1/admin/results/surveys/*", ADM_ALL, 0, adm_results_survey },
    { "GET", "/v1/admin/results/surveys/*/texts", ADM_ALL, 0, adm_results_survey_texts },
    { "POST", "/v1/admin/results/surveys/*/texts/hide", ADM_A | ADM_C, 0, adm_results_survey_hide },
    { "GET", "/v1/admin/results/surveys/*/export", ADM_ALL, 0, adm_results_survey_export },
    { "GET", "/v1/admin/workshops", ADM_ALL, 0, adm_workshops_list },
    { "GET", "/v1/admin/workshops/*", ADM_ALL, 0, adm_workshop_get },
    { "GET", "/v1/admin/workshops/*/events", ADM_ALL, 0, adm_workshop_events },
    { "GET", "/v1/admin/kiosks/*/settings", ADM_ALL, 0, adm_kiosk_settings_get },
    { "POST", "/v1/admin/kiosks/*/settings", ADM_A | ADM_C, 0, adm_kiosk_settings_set },
    { "POST", "/v1/admin/docs/publish", ADM_A | ADM_C, 0, adm_docs_publish },
};

/* The library files the console loads, by the name it asks for. */
static const struct {
    const char *url, *file;
} vendor[] = {
    { "/console/vendor/preact.js", "node_modules/preact/dist/preact.module.js" },
    { "/console/vendor/htm.js", "node_modules/htm/dist/htm.module.js" },
};

/* --- replies ---------------------------------------------------------------------- */

static void common_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
}

/* A reply as a microhttpd response (NULL: out of memory); queued by the caller. */
static struct MHD_Response *make_buf(const char *type, const char *body, size_t len,
                                     const adm_ctx *x)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return NULL;
    common_headers(r);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    if (x && x->cookie[0])
        MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, x->cookie);
    if (x && x->retry_after > 0) {
        char ra[32];
        snprintf(ra, sizeof ra, "%ld", x->retry_after);
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, ra);
    }
    return r;
}

static enum MHD_Result queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r)
{
    if (!r)
        return MHD_NO;
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* A reply that is a file to save (the catalog download). */
static struct MHD_Response *make_file_reply(const adm_ctx *x)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(x->raw_out_len, x->raw_out,
                                                             MHD_RESPMEM_MUST_COPY);
    if (!r)
        return NULL;
    common_headers(r);
    char disp[128];
    snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", x->raw_name);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, x->raw_type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, disp);
    return r;
}

struct MHD_Response *adm_error_response(unsigned status, const char *text)
{
    json_t *j = json_pack("{s:s, s:s}", "error", text, "code", adm_status_code(status));
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    struct MHD_Response *r = s ? make_buf("application/json", s, strlen(s), NULL) : NULL;
    free(s);
    return r;
}

enum MHD_Result adm_send_error(struct MHD_Connection *c, unsigned status, const char *text)
{
    return queue(c, status, adm_error_response(status, text));
}

/* --- routing ---------------------------------------------------------------------- */

/* Matches url against a route path; *arg gets the '*' segment (into buf). */
static int path_match(const char *pat, const char *url, char *buf, size_t cap)
{
    const char *star = strchr(pat, '*');
    buf[0] = '\0';
    if (!star)
        return strcmp(pat, url) == 0;
    size_t pre = (size_t)(star - pat);
    if (strncmp(pat, url, pre) != 0)
        return 0;
    const char *seg = url + pre, *end = strchr(seg, '/');
    size_t len = end ? (size_t)(end - seg) : strlen(seg);
    if (len == 0 || len >= cap)
        return 0;
    if (strcmp(star + 1, seg + len) != 0)
        return 0;
    memcpy(buf, seg, len);
    buf[len] = '\0';
    return 1;
}

static void client_addr(struct MHD_Connection *c, char *out, size_t cap)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, cap, "unknown");
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    socklen_t len = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                              : sizeof(struct sockaddr_in);
    if (getnameinfo(sa, len, out, (socklen_t)cap, NULL, 0, NI_NUMERICHOST) != 0)
        snprintf(out, cap, "unknown");
}

/* The session cookie's token (64 hex), or NULL. */
static const char *session_token(struct MHD_Connection *c)
{
    const char *t = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, ADM_COOKIE);
    if (!t || strlen(t) != SRVDB_TOKEN_LEN)
        return NULL;
    return t;
}

/* A state-changing request must come from the console's own pages: an Origin header,
 * when the browser sends one, names this host. */
static int same_origin(struct MHD_Connection *c)
{
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (!origin)
        return 1;
    const char *p = strstr(origin, "://");
    return p && host && strcmp(p + 3, host) == 0;
}

/* Loads the session into x; 0, or -1 after a 401. */
static int load_session(adm_ctx *x)
{
    const char *tok = session_token(x->c);
    unsigned char hash[SRVDB_HASH_LEN];
    if (!tok || srvdb_token_hash(tok, strlen(tok), hash)) {
        adm_fail(x, MHD_HTTP_UNAUTHORIZED, NULL, "log in first");
        return -1;
    }
    long long now = (long long)time(NULL), created = 0, expires = 0;
    kc_err rc = srvdb_session_get(x->db, hash, now, &x->user, &created, &expires);
    if (rc == KC_ENOTFOUND) {
        adm_failc(x, MHD_HTTP_UNAUTHORIZED, "session_ended", NULL,
                  "your session has ended; log in again");
        return -1;
    }
    if (rc) {
        adm_db_fail(x, rc);
        return -1;
    }
    /* Sliding expiry, written at most every five minutes. */
    long long want = now + ADM_SESSION_IDLE;
    if (want > created + ADM_SESSION_MAX)
        want = created + ADM_SESSION_MAX;
    if (want - expires > 300 && (rc = srvdb_session_extend(x->db, hash, want))) {
        adm_db_fail(x, rc);
        return -1;
    }
    memcpy(x->session, hash, sizeof hash);
    x->have_user = 1;
    return 0;
}

static int csrf_ok(adm_ctx *x)
{
    const char *tok = session_token(x->c);
    const char *got = MHD_lookup_connection_value(x->c, MHD_HEADER_KIND, "X-CSRF-Token");
    char want[65];
    if (!tok || !got || strlen(got) != 64)
        return 0;
    adm_csrf_of(tok, want);
    return sodium_memcmp(want, got, 64) == 0;
}

static void api(adm_ctx *x, const char *url, const char *body, size_t len)
{
    char arg[SRVDB_NAME_MAX + 2];
    const adm_route *rt = NULL;
    int path_known = 0;
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (!path_match(routes[i].path, url, arg, sizeof arg))
            continue;
        path_known = 1;
        if (strcmp(routes[i].method, x->method) == 0) {
            rt = &routes[i];
            break;
        }
    }
    if (!rt) {
        if (path_known)
            adm_fail(x, MHD_HTTP_METHOD_NOT_ALLOWED, NULL, "method not allowed on this path");
        else
            adm_fail(x, MHD_HTTP_NOT_FOUND, NULL, "no such path");
        return;
    }
    x->arg = arg;
    int post = strcmp(x->method, "POST") == 0;
    if (post && !same_origin(x->c)) {
        adm_failc(x, MHD_HTTP_FORBIDDEN, "cross_site", NULL, "cross-site request refused");
        return;
    }
    if (post) {
        /* JSON only: a cross-site HTML form cannot send this type without the
         * browser asking first (CORS), which this server never allows. */
        const char *ct = MHD_lookup_connection_value(x->c, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_TYPE);
        if (!ct || strncmp(ct, "application/json", 16) != 0) {
            adm_fail(x, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, NULL,
                     "send the body as application/json");
            return;
        }
        x->raw = len ? body : "";
        x->raw_len = len;
        json_error_t je;
        x->body = adm_is_upload(url) ? json_object()
                  : len ? json_loadb(body, len, JSON_REJECT_DUPLICATES, &je)
                                 : json_object();
        if (!x->body || !json_is_object(x->body)) {
            adm_fail(x, MHD_HTTP_BAD_REQUEST, NULL, "the body must be a JSON object");
            return;
        }
    }
    if (!rt->public_) {
        if (load_session(x))
            return;
        if (post && !csrf_ok(x)) {
            adm_failc(x, MHD_HTTP_FORBIDDEN, "csrf", NULL,
                      "missing or wrong CSRF token (X-CSRF-Token header)");
            return;
        }
        if (!(rt->roles & (1u << x->user.role))) {
            adm_failc(x, MHD_HTTP_FORBIDDEN, "role", NULL, "the %s role may not do this",
                      srvdb_role_name(x->user.role));
            return;
        }
    }
    rt->fn(x);
}

/* --- files ------------------------------------------------------------------------- */

static const char *type_of(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        { ".html", "text/html; charset=utf-8" },
        { ".js", "text/javascript; charset=utf-8" },
        { ".css", "text/css; charset=utf-8" },
        { ".svg", "image/svg+xml" },
        { ".png", "image/png" },
        { ".json", "application/json" },
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return NULL;
}

/* A console file: letters, digits, '-', '_', '.', '/' only, no "..", no hidden
 * names, never the library folder or package files. */
static int file_ok(const char *rel)
{
    size_t n = strlen(rel);
    if (n == 0 || n > ADM_PATH_MAX || rel[0] == '/' || strstr(rel, "..") ||
        strstr(rel, "/.") || rel[0] == '.' || strstr(rel, "//") ||
        strncmp(rel, "node_modules", 12) == 0 || strncmp(rel, "package", 7) == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = rel[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.' || ch == '/'))
            return 0;
    }
    return type_of(rel) != NULL;
}

static enum MHD_Result send_file(admin_srv *a, struct MHD_Connection *c, const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", a->dir, rel);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        if (fd >= 0)
            close(fd);
        return adm_send_error(c, MHD_HTTP_NOT_FOUND, "no such file");
    }
    struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    common_headers(r);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type_of(rel));
    /* Files change with the software, not per request: revalidate each time. */
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                            "base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

enum MHD_Result adm_files(admin_srv *a, struct MHD_Connection *c, const char *url,
                             const char *method)
{
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return adm_send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "use GET for console files");
    if (strcmp(url, "/") == 0 || strcmp(url, "/console") == 0) {
        struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        if (!r)
            return MHD_NO;
        MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, "/console/");
        enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_FOUND, r);
        MHD_destroy_response(r);
        return ret;
    }
    for (size_t i = 0; i < sizeof vendor / sizeof vendor[0]; i++)
        if (strcmp(url, vendor[i].url) == 0)
            return send_file(a, c, vendor[i].file);
    if (strncmp(url, "/console/", 9) != 0)
        return adm_send_error(c, MHD_HTTP_NOT_FOUND, "no such path");
    const char *rel = url + 9;
    if (!*rel)
        rel = "index.html";
    if (!file_ok(rel))
        return adm_send_error(c, MHD_HTTP_NOT_FOUND, "no such file");
    return send_file(a, c, rel);
}

/* --- one API request, on a worker ---------------------------------------------------- */

struct MHD_Response *adm_answer(admin_srv *a, srvdb *db, struct MHD_Connection *c,
                                const char *url, const char *method, const char *body,
                                size_t len, unsigned *status)
{
    adm_ctx x;
    memset(&x, 0, sizeof x);
    x.a = a;
    x.c = c;
    x.db = db;
    x.method = method;
    x.arg = "";
    client_addr(c, x.addr, sizeof x.addr);
    api(&x, url, body, len);
    char *s = x.out ? json_dumps(x.out, JSON_COMPACT) : NULL;
    struct MHD_Response *r;
    *status = x.status ? x.status : MHD_HTTP_OK;
    if (x.resp && !x.out) {  /* a streamed reply the handler made (exports) */
        common_headers(x.resp);
        r = x.resp;
        x.resp = NULL;
    } else if (x.raw_out && !x.out) {
        r = make_file_reply(&x);
    } else if (!s) {
        *status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        r = adm_error_response(*status, "out of memory");
    } else {
        r = make_buf("application/json", s, strlen(s), &x);
    }
    if (!a->quiet && x.status >= 400 && x.status != 401)
        fprintf(stderr, "kiosk-server: console %s %s: %u\n", method, url, x.status);
    free(s);
    free(x.raw_out);
    if (x.resp)
        MHD_destroy_response(x.resp);
    json_decref(x.out);
    json_decref(x.body);
    sodium_memzero(x.session, sizeof x.session);
    return r;
}

srcrun *adm_runs(const adm_ctx *x)
{
    return x->a->runs;
}
