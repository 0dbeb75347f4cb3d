/*
 * strmap.h - a string -> dense id map for the search index build.
 *
 * Keys are byte strings of a given length; ids are handed out 0, 1, 2 ... in insertion
 * order, so callers keep per-key data in plain arrays indexed by id.  The keys live
 * NUL-terminated in one growable buffer whose offsets stay valid as it grows; the
 * finished index takes that buffer over (strmap_take_keys) instead of copying hundreds
 * of thousands of terms.
 *
 * Contract: every call is O(1) expected; on allocation failure strmap_get returns -1
 * with *oom set and the map keeps what it had.
 */
#ifndef STRMAP_H
#define STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct strmap strmap;

strmap *strmap_new(void);
void strmap_free(strmap *m);

/* Looks the n bytes at s up; adds them when add is set.  Returns the id, -1 when
 * absent (or on failure, with *oom set). */
long strmap_get(strmap *m, const char *s, size_t n, int add, int *oom);

/* The FNV-1a hash of n bytes that the map uses (also the base of search's tiebreak:
 * changing it reorders equal hits). */
uint32_t strmap_hash(const char *s, size_t n);

size_t strmap_count(const strmap *m);

/* The NUL-terminated key of id (id < strmap_count). */
const char *strmap_key(const strmap *m, size_t id);

/* Offset of id's key in the key buffer. */
uint32_t strmap_key_off(const strmap *m, size_t id);

/* Hands the key buffer (keys at strmap_key_off) to the caller, who frees it with
 * kc_free; afterwards the map must not be asked for keys. */
char *strmap_take_keys(strmap *m);

#endif
