/*
 * arena.h - a growable byte buffer of NUL-terminated strings addressed by 32-bit
 * offsets, which stay valid when the buffer moves.  Used by the search index build
 * and its string map.  Header only: one small inline function.
 */
#ifndef ARENA_H
#define ARENA_H

#include <stdint.h>
#include <string.h>

#include "kc.h"

/* A growable byte arena; offsets stay valid when it moves. */
typedef struct arena {
    char *p;
    size_t len, cap;
} arena;

static inline int arena_put(arena *a, const char *s, size_t n, uint32_t *off)
{
    if (a->len + n + 1 > a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 1 << 16;
        while (nc < a->len + n + 1)
            nc *= 2;
        char *np = kc_realloc(a->p, nc);
        if (!np)
            return -1;
        a->p = np;
        a->cap = nc;
    }
    if (a->len + n + 1 > UINT32_MAX)
        return -1;
    memcpy(a->p + a->len, s, n);
    a->p[a->len + n] = '\0';
    *off = (uint32_t)a->len;
    a->len += n + 1;
    return 0;
}

#endif
