#include "fold.h"

#include <string.h>
#include <utf8proc.h>

static kc_err fold_map(const char *s, size_t len, char **out, int options)
{
    *out = NULL;
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
