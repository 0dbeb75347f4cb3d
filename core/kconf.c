#include "kconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "fold.h"
#include "ksettings.h"
#include "safetext.h"

typedef enum kind { K_TEXT, K_ID, K_FLAG, K_SECONDS, K_DPI, K_LANG, K_LANGS, K_SIZE, K_RENDERER,
                    K_DATE, K_HOURS } kind;

/* One row per setting; a key without a row is caught by the test of every name. */
static const struct setting {
    const char *name;
    kind kind;
} settings[KCONF_NKEYS] = {
    [KCONF_DB] = { "db", K_TEXT },
    [KCONF_CREATE_DB] = { "create-db", K_FLAG },
    [KCONF_ASSETS] = { "assets", K_TEXT },
    [KCONF_LANG] = { "lang", K_LANG },
    [KCONF_FALLBACK] = { "fallback", K_LANGS },
    [KCONF_IDLE] = { "idle", K_SECONDS },
    [KCONF_SIZE] = { "size", K_SIZE },
    [KCONF_RENDERER] = { "renderer", K_RENDERER },
    [KCONF_FULLSCREEN] = { "fullscreen", K_FLAG },
    [KCONF_WINDOWED] = { "windowed", K_FLAG },
    [KCONF_HEADLESS] = { "headless", K_FLAG },
    [KCONF_SERVER] = { "server", K_TEXT },
    [KCONF_TOKEN_FILE] = { "token-file", K_TEXT },
    [KCONF_CA_FILE] = { "ca-file", K_TEXT },
    [KCONF_SYNC_INTERVAL] = { "sync-interval", K_SECONDS },
    [KCONF_ALLOW_INSECURE_HTTP] = { "allow-insecure-http", K_FLAG },
    [KCONF_SCRIPT] = { "script", K_TEXT },
    [KCONF_SHOTS] = { "shots", K_TEXT },
    [KCONF_TODAY] = { "today", K_DATE },
    [KCONF_FIRST_FRAME] = { "first-frame", K_TEXT },
    [KCONF_DPI] = { "dpi", K_DPI },
    [KCONF_AREA] = { "area", K_ID },
    [KCONF_PLACE] = { "place", K_TEXT },
    [KCONF_FEEDBACK_MERGE] = { "feedback-merge", K_SECONDS },
    [KCONF_HOURS] = { "hours", K_HOURS },
    [KCONF_USB_ROOTS] = { "usb-roots", K_TEXT },
    [KCONF_EXPORT_DIR] = { "export-dir", K_TEXT },
};

#define SECONDS_MIN 5
#define SECONDS_MAX 86400
#define SIZE_MIN_W 320
#define SIZE_MIN_H 240
#define SIZE_MAX 8192

struct kconf {
    char *val[KCONF_NKEYS];
};

kconf *kconf_new(void)
{
    return kc_calloc(1, sizeof(kconf));
}

void kconf_free(kconf *c)
{
    if (!c)
        return;
    for (int i = 0; i < KCONF_NKEYS; i++)
        kc_free(c->val[i]);
    kc_free(c);
}

int kconf_key_of(const char *name)
{
    for (int i = 0; i < KCONF_NKEYS; i++)
        if (settings[i].name && !strcmp(settings[i].name, name))
            return i;
    return -1;
}

int kconf_is_flag(kconf_key k)
{
    return settings[k].kind == K_FLAG;
}

const char *kconf_name(kconf_key k)
{
    return settings[k].name;
}

const char *kconf_str(const kconf *c, kconf_key k)
{
    return c->val[k];
}

long kconf_long(const kconf *c, kconf_key k, long def)
{
    return c->val[k] ? strtol(c->val[k], NULL, 10) : def;
}

int kconf_flag(const kconf *c, kconf_key k)
{
    return c->val[k] && !strcmp(c->val[k], "yes");
}

static int parse_size(const char *s, int *w, int *h)
{
    char *end;
    errno = 0;
    long lw = strtol(s, &end, 10);
    if (end == s || *end != 'x' || errno)
        return -1;
    const char *p = end + 1;
    long lh = strtol(p, &end, 10);
    if (end == p || *end || errno || s[0] == '-' || s[0] == '+' || *p == '-' || *p == '+')
        return -1;
    if (lw < SIZE_MIN_W || lh < SIZE_MIN_H || lw > SIZE_MAX || lh > SIZE_MAX)
        return -1;
    *w = (int)lw;
    *h = (int)lh;
    return 0;
}

int kconf_size(const kconf *c, int *w, int *h)
{
    return c->val[KCONF_SIZE] ? parse_size(c->val[KCONF_SIZE], w, h) : -1;
}

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Why v is not a good value for setting s, or NULL when it is.  v is trimmed,
 * NUL-terminated text of at most KCONF_LINE_MAX bytes. */
static const char *refuse(const struct setting *s, const char *v)
{
    size_t n = strlen(v);
    if (s->kind == K_FLAG)
        return strcmp(v, "yes") && strcmp(v, "no") ? "a flag is yes or no" : NULL;
    if (n == 0)
        return "needs a value";
    if (!fold_valid_utf8(v, n))
        return "is not valid UTF-8";
    if (!safetext_is_clean(v))
        return "holds control or invisible characters";
    switch (s->kind) {
    case K_TEXT:
        return NULL;
    case K_SECONDS: {
        if (n > 6 || !all_digits(v, n))
            return "must be a whole number of seconds, 5..86400";
        long x = strtol(v, NULL, 10);
        return x < SECONDS_MIN || x > SECONDS_MAX ? "must be 5..86400 seconds" : NULL;
    }
    case K_ID:
        return cat_valid_id(v, CAT_ID_MAX) ? NULL
                                           : "must be an area id of the catalog, e.g. "
                                             "porvoo-gammelbacka";
    case K_DPI: {
        if (n > 3 || !all_digits(v, n))
            return "must be the panel's pixels per inch, 50..600";
        long x = strtol(v, NULL, 10);
        return x < 50 || x > 600 ? "must be the panel's pixels per inch, 50..600" : NULL;
    }
    case K_LANG:
        return cat_lang_from_code(v) < 0 ? "must be fi, sv or en" : NULL;
    case K_LANGS: {
        cat_langs l;
        return cat_langs_parse(v, &l) ? "must list fi, sv, en, e.g. fi,sv,en" : NULL;
    }
    case K_SIZE: {
        int w, h;
        return parse_size(v, &w, &h) ? "must be WxH, from 320x240 to 8192x8192" : NULL;
    }
    case K_RENDERER:
        return strcmp(v, "software") && strcmp(v, "accelerated")
                   ? "must be software or accelerated"
                   : NULL;
    case K_DATE:
        return n != 10 || v[4] != '-' || v[7] != '-' || !all_digits(v, 4) ||
                       !all_digits(v + 5, 2) || !all_digits(v + 8, 2)
                   ? "must be a date YYYY-MM-DD"
                   : NULL;
    case K_HOURS: {
        khours h;
        char m[KC_MSGMAX];
        return khours_parse(v, &h, m) ? "must be days and hours, e.g. mon-fri 08:00-20:00, "
                                        "sat 10:00-16:00 (days not named are closed)"
                                      : NULL;
    }
    case K_FLAG:
        break;
    }
    return NULL;
}

/* Stores a checked value; windowed and fullscreen exclude each other (the later
 * wins).  v NULL means a bare flag. */
static kc_err put(kconf *c, kconf_key k, const char *v, const char *where, char *msg)
{
    if (!v)
        v = "yes";
    const char *why = refuse(&settings[k], v);
    if (why)
        return kc_fail(msg, KC_EINVAL, "%s%s: %s", where, settings[k].name, why);
    char *copy = kc_strdup(v);
    if (!copy)
        return kc_fail(msg, KC_ENOMEM, "%sout of memory", where);
    kc_free(c->val[k]);
    c->val[k] = copy;
    if (!strcmp(v, "yes") && (k == KCONF_WINDOWED || k == KCONF_FULLSCREEN)) {
        kconf_key other = k == KCONF_WINDOWED ? KCONF_FULLSCREEN : KCONF_WINDOWED;
        kc_free(c->val[other]);
        c->val[other] = NULL;
    }
    return KC_OK;
}

kc_err kconf_set(kconf *c, const char *name, const char *value, char *msg)
{
    int k = kconf_key_of(name);
    if (k < 0)
        return kc_fail(msg, KC_EINVAL, "unknown setting \"%.60s\"", name);
    if (!value && !kconf_is_flag((kconf_key)k))
        return kc_fail(msg, KC_EINVAL, "%s needs a value", name);
    if (value && strlen(value) > KCONF_LINE_MAX)
        return kc_fail(msg, KC_EINVAL, "%s: longer than %d bytes", name, KCONF_LINE_MAX);
    return put(c, (kconf_key)k, value, "", msg);
}

static int blank(char ch)
{
    return ch == ' ' || ch == '\t';
}

/* Trims spaces and tabs at both ends of s[0..*n) in place; returns the new start. */
static char *trim(char *s, size_t *n)
{
    while (*n && blank(*s)) {
        s++;
        (*n)--;
    }
    while (*n && blank(s[*n - 1]))
        (*n)--;
    s[*n] = '\0';
    return s;
}

/* One line (NUL-terminated, no newline) into c.  seen[k] is the line that set k. */
static kc_err parse_line(kconf *c, char *line, size_t len, long lineno, long *seen,
                         const char *name, char *msg)
{
    char where[96];
    char *p = trim(line, &len);
    if (!len || *p == '#')
        return KC_OK;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)p[i] < 0x20 && p[i] != '\t')
            return kc_fail(msg, KC_EINVAL, "%s:%ld: a control character", name, lineno);
    char *eq = strchr(p, '='), *value = NULL;
    size_t klen = eq ? (size_t)(eq - p) : len;
    if (eq) {
        size_t vlen = len - klen - 1;
        value = trim(eq + 1, &vlen);
    }
    char *key = trim(p, &klen);
    int k = kconf_key_of(key);
    if (k < 0)
        return kc_fail(msg, KC_EINVAL, "%s:%ld: unknown setting \"%.60s\"", name, lineno,
                       fold_valid_utf8(key, klen) ? key : "?");
    if (!value && !kconf_is_flag((kconf_key)k))
        return kc_fail(msg, KC_EINVAL, "%s:%ld: expected %s = value", name, lineno, key);
    if (seen[k])
        return kc_fail(msg, KC_EINVAL, "%s:%ld: %s is already set on line %ld", name, lineno,
                       key, seen[k]);
    seen[k] = lineno;
    snprintf(where, sizeof where, "%.60s:%ld: ", name, lineno);
    return put(c, (kconf_key)k, value, where, msg);
}

kc_err kconf_parse(kconf *c, const char *buf, size_t len, const char *name, char *msg)
{
    if (len > KCONF_FILE_MAX)
        return kc_fail(msg, KC_ETOOBIG, "%s: %zu bytes, a settings file has at most %d", name,
                       len, KCONF_FILE_MAX);
    kc_err rc = safetext_check_file(buf, len, name, msg);
    if (rc)
        return rc;
    /* Applied to a copy, which replaces c only when the whole file was good. */
    kconf *next = kconf_new();
    char *line = kc_malloc(KCONF_LINE_MAX + 1);
    long seen[KCONF_NKEYS] = { 0 };
    if (!next || !line) {
        rc = kc_fail(msg, KC_ENOMEM, "%s: out of memory", name);
        goto out;
    }
    for (int i = 0; i < KCONF_NKEYS; i++)
        if (c->val[i] && !(next->val[i] = kc_strdup(c->val[i]))) {
            rc = kc_fail(msg, KC_ENOMEM, "%s: out of memory", name);
            goto out;
        }
    long lineno = 0;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;
        lineno++;
        if (n && buf[pos + n - 1] == '\r')
            n--;  /* a file saved with Windows line ends */
        if (n > KCONF_LINE_MAX) {
            rc = kc_fail(msg, KC_EINVAL, "%s:%ld: longer than %d bytes", name, lineno,
                         KCONF_LINE_MAX);
            goto out;
        }
        memcpy(line, buf + pos, n);
        line[n] = '\0';
        if ((rc = parse_line(next, line, n, lineno, seen, name, msg)))
            goto out;
        pos += (nl ? (size_t)(nl - (buf + pos)) + 1 : len - pos);
    }
    for (int i = 0; i < KCONF_NKEYS; i++) {
        kc_free(c->val[i]);
        c->val[i] = next->val[i];
        next->val[i] = NULL;
    }
out:
    kconf_free(next);
    kc_free(line);
    return rc;
}

kc_err kconf_load(kconf *c, const char *path, char *msg)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return kc_fail(msg, KC_EIO, "%s: %s", path, strerror(errno));
    char *buf = kc_malloc(KCONF_FILE_MAX + 1);
    if (!buf) {
        fclose(f);
        return kc_fail(msg, KC_ENOMEM, "%s: out of memory", path);
    }
    size_t n = fread(buf, 1, KCONF_FILE_MAX + 1, f);
    int err = ferror(f);
    fclose(f);
    kc_err rc;
    if (err)
        rc = kc_fail(msg, KC_EIO, "%s: read error", path);
    else if (n > KCONF_FILE_MAX)
        rc = kc_fail(msg, KC_ETOOBIG, "%s: larger than %d bytes, the limit for a settings file",
                     path, KCONF_FILE_MAX);
    else
        rc = kconf_parse(c, buf, n, path, msg);
    kc_free(buf);
    return rc;
}
