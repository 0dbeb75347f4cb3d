#include "safetext.h"

#include <stdint.h>
#include <string.h>

kc_err safetext_check_file(const char *buf, size_t len, const char *name, char *msg)
{
    const unsigned char *b = (const unsigned char *)buf;
    if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        return kc_fail(msg, KC_EINVAL,
                       "%s: starts with a byte order mark (U+FEFF); save it as UTF-8 "
                       "without BOM",
                       name);
    if (len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
        return kc_fail(msg, KC_EINVAL, "%s: is UTF-16 text; save it as UTF-8", name);
    const char *nul = memchr(buf, '\0', len);
    if (nul) {
        /* UTF-16 without a BOM: every other byte of ASCII text is zero. */
        if (len >= 2 && (b[0] == 0 || b[1] == 0))
            return kc_fail(msg, KC_EINVAL, "%s: looks like UTF-16 text; save it as UTF-8",
                           name);
        size_t line = 1;
        for (const char *p = buf; p < nul; p++)
            line += *p == '\n';
        return kc_fail(msg, KC_EINVAL,
                       "%s: line %zu: a NUL byte; this is not a text file", name, line);
    }
    return KC_OK;
}

kc_err safetext_json_load(const char *buf, size_t len, const char *name, json_t **out,
                          char *msg)
{
    *out = NULL;
    kc_err rc = safetext_check_file(buf, len, name, msg);
    if (rc)
        return rc;
    json_error_t err;
    if ((*out = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err)))
        return KC_OK;
    switch (json_error_code(&err)) {
    case json_error_out_of_memory:
        return kc_fail(msg, KC_ENOMEM, "%s: out of memory", name);
    case json_error_null_character:
        return kc_fail(msg, KC_EJSON,
                       "%s: line %d column %d: a string holds \\u0000 (a NUL character), "
                       "which no text may contain",
                       name, err.line, err.column);
    default:
        return kc_fail(msg, KC_EJSON, "%s: line %d column %d: %s", name, err.line,
                       err.column, err.text);
    }
}

/* Length of the character at s to remove, or 0 to keep it. */
static size_t unwanted(const unsigned char *s)
{
    if (s[0] < 0x20)
        return s[0] == '\t' || s[0] == '\n' ? 0 : 1;
    if (s[0] == 0x7F)
        return 1;
    if (s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F)
        return 2;  /* C1 controls: CSI (U+009B) starts terminal escapes too */
    if (s[0] == 0xD8 && s[1] == 0x9C)
        return 2;  /* U+061C ARABIC LETTER MARK */
    if (s[0] == 0xE1 && s[1] == 0xA0 && s[2] == 0x8E)
        return 3;  /* U+180E MONGOLIAN VOWEL SEPARATOR */
    if (s[0] == 0xE2 && s[1] == 0x80 && ((s[2] >= 0x8B && s[2] <= 0x8F) ||
                                          (s[2] >= 0xAA && s[2] <= 0xAE)))
        return 3;  /* U+200B..U+200F, U+202A..U+202E */
    if (s[0] == 0xE2 && s[1] == 0x81 && ((s[2] >= 0xA0 && s[2] <= 0xA4) ||
                                          (s[2] >= 0xA6 && s[2] <= 0xA9)))
        return 3;  /* U+2060..U+2064, U+2066..U+2069 */
    if (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        return 3;  /* U+FEFF */
    return 0;
}

size_t safetext_unwanted_len(const char *s)
{
    return unwanted((const unsigned char *)s);
}

size_t safetext_neutralise(char *s)
{
    unsigned char *r = (unsigned char *)s, *w = r;
    size_t removed = 0;
    while (*r) {
        size_t n = unwanted(r);
        if (n) {
            r += n;
            removed++;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return removed;
}

int safetext_is_clean(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (unwanted(p))
            return 0;
    return 1;
}
