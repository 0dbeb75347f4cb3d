/* admin_reply.c - what every console handler uses to read its input and answer: replies
 * and refusals naming the field, storage failures as statuses, the audit log entry,
 * body and query values checked against their limits, the coordinator's kiosks.
 * Kept apart from admin.c (routing, sessions, files) so handlers depend on this file
 * and admin.c on the handlers, never both ways. */
#include "admin_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The code of an error that has no more precise one: one per status. */
const char *adm_status_code(unsigned status)
{
    switch (status) {
    case MHD_HTTP_BAD_REQUEST: return "invalid";
    case MHD_HTTP_UNAUTHORIZED: return "unauthenticated";
    case MHD_HTTP_FORBIDDEN: return "forbidden";
    case MHD_HTTP_NOT_FOUND: return "not_found";
    case MHD_HTTP_METHOD_NOT_ALLOWED: return "method";
    case MHD_HTTP_CONFLICT: return "conflict";
    case MHD_HTTP_CONTENT_TOO_LARGE: return "too_large";
    case MHD_HTTP_UNSUPPORTED_MEDIA_TYPE: return "media_type";
    case MHD_HTTP_TOO_MANY_REQUESTS: return "throttled";
    case MHD_HTTP_SERVICE_UNAVAILABLE: return "busy";
    default: return "internal";
    }
}

/* --- replies ---------------------------------------------------------------------- */

void adm_ok(adm_ctx *x, unsigned status, json_t *j)
{
    json_decref(x->out);
    x->out = NULL;
    if (!j) {
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
        return;
    }
    x->status = status;
    x->out = j;
}

static void fail_v(adm_ctx *x, unsigned status, const char *code, const char *field,
                   const char *fmt, va_list ap)
{
    char text[KC_MSGMAX];
    vsnprintf(text, sizeof text, fmt, ap);
    json_decref(x->out);
    x->status = status;
    x->out = json_pack("{s:s, s:s, s:s?}", "error", text, "code", code ? code : adm_status_code(status),
                       "field", field);
}

void adm_fail(adm_ctx *x, unsigned status, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_v(x, status, NULL, field, fmt, ap);
    va_end(ap);
}

void adm_failc(adm_ctx *x, unsigned status, const char *code, const char *field,
               const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_v(x, status, code, field, fmt, ap);
    va_end(ap);
}

void adm_db_fail(adm_ctx *x, kc_err rc)
{
    const char *m = srvdb_errmsg(x->db);
    if (rc == KC_EBUSY) {
        x->retry_after = 2;
        adm_fail(x, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "server busy, retry later");
    } else if (rc == KC_ENOTFOUND) {
        adm_fail(x, MHD_HTTP_NOT_FOUND, NULL, "%s", m);
    } else if (rc == KC_EINVAL && m[0] == '"') {
        /* Storage messages for bad input start with the field's name in quotes. */
        const char *e = strchr(m + 1, '"');
        char field[64];
        snprintf(field, sizeof field, "%.*s", e ? (int)(e - m - 1) : 0, m + 1);
        adm_fail(x, MHD_HTTP_BAD_REQUEST, field[0] ? field : NULL, "%s", m);
    } else if (rc == KC_EINVAL) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, NULL, "%s", m);
    } else {
        fprintf(stderr, "kiosk-server: console storage: %s\n", m);
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL,
                 rc == KC_ENOMEM ? "out of memory" : "storage error");
    }
}

int adm_audit(adm_ctx *x, const char *action, const char *target, const char *fmt, ...)
{
    srvdb_audit a;
    memset(&a, 0, sizeof a);
    a.at = (long long)time(NULL);
    snprintf(a.user, sizeof a.user, "%s", x->have_user ? x->user.name : "");
    snprintf(a.action, sizeof a.action, "%s", action);
    snprintf(a.target, sizeof a.target, "%s", target ? target : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a.detail, sizeof a.detail, fmt, ap);
    va_end(ap);
    kc_err rc = srvdb_audit_add(x->db, &a);
    if (rc) {
        adm_db_fail(x, rc);
        return -1;
    }
    return 0;
}

/* --- input ------------------------------------------------------------------------- */

static int has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

int adm_body_str(adm_ctx *x, const char *name, size_t max, int required, const char **out)
{
    json_t *v = x->body ? json_object_get(x->body, name) : NULL;
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (!required)
            return 0;
        adm_failc(x, MHD_HTTP_BAD_REQUEST, "missing", name, "\"%s\" is missing", name);
        return -1;
    }
    if (!json_is_string(v)) {
        adm_failc(x, MHD_HTTP_BAD_REQUEST, "wrong_type", name, "\"%s\" must be a string", name);
        return -1;
    }
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v) || has_control(s)) {
        adm_failc(x, MHD_HTTP_BAD_REQUEST, "control_chars", name,
                  "\"%s\" holds control characters", name);
        return -1;
    }
    if (json_string_length(v) > max) {
        adm_failc(x, MHD_HTTP_BAD_REQUEST, "too_long", name, "\"%s\" is longer than %zu bytes",
                  name, max);
        return -1;
    }
    *out = s;
    return 0;
}

const char *adm_query(adm_ctx *x, const char *name)
{
    return MHD_lookup_connection_value(x->c, MHD_GET_ARGUMENT_KIND, name);
}

int adm_query_num(adm_ctx *x, const char *name, long long max, long long def, long long *out)
{
    const char *s = adm_query(x, name);
    *out = def;
    if (!s)
        return 0;
    long long v = 0;
    size_t n = strlen(s);
    int ok = n > 0 && n <= 18;
    for (size_t i = 0; ok && i < n; i++) {
        ok = s[i] >= '0' && s[i] <= '9';
        v = v * 10 + (s[i] - '0');
    }
    if (!ok || v > max) {
        adm_failc(x, MHD_HTTP_BAD_REQUEST, "not_number", name,
                  "\"%s\" must be a number from 0 to %lld", name, max);
        return -1;
    }
    *out = v;
    return 0;
}

const char *adm_db_spec(const adm_ctx *x)
{
    return x->a->spec;
}

int adm_kiosk_allowed(const adm_ctx *x, const char *kiosk)
{
    if (x->user.role != SRVDB_ROLE_COORDINATOR || !x->user.kiosks[0])
        return 1;
    size_t n = strlen(kiosk);
    for (const char *p = x->user.kiosks; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, kiosk, n) == 0)
            return 1;
        p += len + (e != NULL);
    }
    return 0;
}
