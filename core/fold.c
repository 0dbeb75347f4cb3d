#include "fold.h"

#include <string.h>
#include <utf8proc.h>

/* The common case without a library call: ASCII and the Finnish and Swedish letters
 * Å Ä Ö å ä ö, which utf8proc would map the same way (a table of six, checked against
 * utf8proc by test_search's folding test).  Folding (strip) maps them to a a o,
 * lower-casing keeps the letter.  Returns 1 when done, 0 when the text needs utf8proc;
 * -1 out of memory. */
static int fold_fast(const char *s, size_t len, char **out, int strip)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len; i++) {
        if (p[i] == 0)
            return 0;  /* utf8proc's path refuses it */
        if (p[i] >= 0x80) {
            if (p[i] != 0xC3 || i + 1 == len)
                return 0;
            unsigned d = p[++i] | 0x20;  /* Ä Å Ö onto ä å ö */
            if (d != 0xA4 && d != 0xA5 && d != 0xB6)
                return 0;
        }
    }
    char *r = kc_malloc(len + 1);
    if (!r)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned c = p[i];
        if (c == 0xC3) {
            unsigned d = p[++i] | 0x20;
            if (strip) {
                r[n++] = d == 0xB6 ? 'o' : 'a';
            } else {
                r[n++] = (char)0xC3;
                r[n++] = (char)d;
            }
        } else {
            r[n++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
    }
    r[n] = '\0';
    *out = r;
    return 1;
}

static kc_err fold_map(const char *s, size_t len, char **out, int options)
{
    *out = NULL;
    int fast = fold_fast(s, len, out, !(options & UTF8PROC_COMPOSE));
    if (fast)
        return fast < 0 ? KC_ENOMEM : KC_OK;
    if (!fold_valid_utf8(s, len))
        return KC_EINVAL;
    /* utf8proc_map allocates with malloc; copy into our allocator so callers free
     * everything one way and fault tests see this allocation too. */
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &m,
                                      (utf8proc_option_t)options);
    if (n < 0)
        return n == UTF8PROC_ERROR_NOMEM ? KC_ENOMEM : KC_EINVAL;
    char *r = kc_strndup((const char *)m, (size_t)n);
    free(m);
    if (!r)
        return KC_ENOMEM;
    *out = r;
    return KC_OK;
}

kc_err fold_utf8(const char *s, size_t len, char **out)
{
    return fold_map(s, len, out, UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                                     UTF8PROC_CASEFOLD | UTF8PROC_STABLE);
}

kc_err fold_lower(const char *s, size_t len, char **out)
{
    return fold_map(s, len, out, UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STABLE);
}

int fold_valid_utf8(const char *s, size_t len)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)len;
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0 || cp == 0)
            return 0;
        p += n;
        left -= n;
    }
    return 1;
}

size_t fold_charlen(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

int fold_next_word(const char *s, size_t len, size_t *pos, size_t *start, size_t *end)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = *pos;
    int in = 0;
    while (i < len) {
        if (p[i] < 0x80) {  /* ASCII without a library call: most of every text */
            unsigned c = p[i] | 0x20;
            int word = (c >= 'a' && c <= 'z') || (p[i] >= '0' && p[i] <= '9');
            if (word && !in) {
                in = 1;
                *start = i;
            } else if (!word && in) {
                break;
            }
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) {  /* invalid byte: a separator, never part of a word */
            if (in)
                break;
            i++;
            continue;
        }
        utf8proc_category_t c = utf8proc_category(cp);
        int word = (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO);
        if (word && !in) {
            in = 1;
            *start = i;
        } else if (!word && in) {
            break;
        }
        i += (size_t)n;
    }
    *pos = i;
    if (in)
        *end = i;
    return in;
}
