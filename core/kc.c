#include "kc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *kc_strerror(kc_err e)
{
    switch (e) {
    case KC_OK: return "no error";
    case KC_ENOMEM: return "out of memory";
    case KC_EIO: return "input/output error";
    case KC_EDB: return "database error";
    case KC_ENEWER: return "database is from a newer version";
    case KC_EJSON: return "malformed JSON";
    case KC_EINVAL: return "invalid content";
    case KC_ENOTFOUND: return "not found";
    case KC_ETOOBIG: return "over a size limit";
    case KC_EUSAGE: return "bad usage";
    case KC_EBUSY: return "busy";
    case KC_ECRYPTO: return "crypto failure";
    case KC_ELOCKED: return "locked out for now";
    case KC_EDENIED: return "wrong credential";
    case KC_EEXIST: return "already there";
    }
    return "unknown error";
}

/* Cuts s (NUL-terminated) so it does not end inside a UTF-8 sequence. */
static void cut_utf8(char *s)
{
    size_t n = strlen(s);
    size_t i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i > 0 && ((unsigned char)s[i - 1] & 0x80)) {
        unsigned char lead = (unsigned char)s[i - 1];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (n - (i - 1) < need)
            s[i - 1] = '\0';
    }
}

kc_err kc_vfail(char *buf, kc_err code, const char *fmt, va_list ap)
{
    if (buf) {
        int n = vsnprintf(buf, KC_MSGMAX, fmt, ap);
        if (n >= KC_MSGMAX)
            cut_utf8(buf);
    }
    return code;
}

kc_err kc_fail(char *buf, kc_err code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kc_vfail(buf, code, fmt, ap);
    va_end(ap);
    return code;
}

static long fault_left = -1;
static long fault_hits;

static int fault_now(void)
{
    if (fault_left < 0)
        return 0;
    if (fault_left == 0) {
        fault_hits++;
        return 1;
    }
    fault_left--;
    return 0;
}

long kc_fault_after(long n)
{
    long hits = fault_hits;
    fault_hits = 0;
    fault_left = n;
    return hits;
}

void *kc_malloc(size_t n)
{
    return fault_now() ? NULL : malloc(n ? n : 1);
}

void *kc_calloc(size_t count, size_t size)
{
    return fault_now() ? NULL : calloc(count ? count : 1, size ? size : 1);
}

void *kc_realloc(void *p, size_t n)
{
    return fault_now() ? NULL : realloc(p, n ? n : 1);
}

char *kc_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *d = kc_malloc(len + 1);
    if (!d)
        return NULL;
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

char *kc_strdup(const char *s)
{
    return kc_strndup(s, (size_t)-1);
}

void kc_free(void *p)
{
    free(p);
}
