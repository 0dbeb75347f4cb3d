/* srvtext.c - escaping outside text for the operator's terminal. */
#include "srvtext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the UTF-8 sequence at p (1-4) and its code point, or 0 when it is not
 * one (overlong forms, surrogates and values past U+10FFFF included). */
static int utf8_char(const unsigned char *p, unsigned *cp)
{
    unsigned c = p[0];
    int n;
    unsigned v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        n = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3, v = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (p[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

/* Characters a terminal or a bidi-aware viewer would act on instead of showing. */
static int hidden(unsigned cp)
{
    return (cp >= 0x80 && cp <= 0x9F) ||              /* C1 controls (CSI is 0x9B) */
           cp == 0xAD || cp == 0x061C || cp == 0x180E ||
           (cp >= 0x200B && cp <= 0x200F) ||          /* zero width, LRM, RLM */
           (cp >= 0x2028 && cp <= 0x202E) ||          /* separators, embeddings */
           (cp >= 0x2060 && cp <= 0x206F) ||          /* isolates, invisible operators */
           cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB);
}

char *srvtext_clean(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        char esc[16];
        const char *piece = esc;
        size_t len;
        unsigned cp;
        int n = utf8_char(p, &cp);
        if (n == 0) {
            snprintf(esc, sizeof esc, "\\x%02X", p[0]);
            n = 1;
        } else if (cp < 0x20 || cp == 0x7F) {
            snprintf(esc, sizeof esc, "\\x%02X", cp);
        } else if (cp == '\\') {
            snprintf(esc, sizeof esc, "\\\\");
        } else if (hidden(cp)) {
            snprintf(esc, sizeof esc, "\\u%04X", cp);
        } else {
            piece = (const char *)p;
        }
        len = piece == esc ? strlen(esc) : (size_t)n;
        if (o + len + 1 > cap)
            break;
        memcpy(out + o, piece, len);
        o += len;
        p += n;
    }
    out[o] = '\0';
    return out;
}

kc_err srvtext_json_row(json_t *o, size_t flags, int *first)
{
    char *s = o ? json_dumps(o, flags) : NULL;
    json_decref(o);
    if (!s)
        return KC_ENOMEM;
    printf("%s%s", *first ? "[\n" : ",\n", s);
    *first = 0;
    free(s);
    return KC_OK;
}

void srvtext_json_end(int first)
{
    printf(first ? "[]\n" : "\n]\n");
}
