/*
 * proto_impl.h - helpers shared by the protocol module's files (proto.c,
 * proto_push.c, proto_docs.c).  Not for other modules: they read messages through proto.h.
 * Each reader helper leaves a message naming `where` and the field in msg.
 */
#ifndef PROTO_IMPL_H
#define PROTO_IMPL_H

#include <jansson.h>
#include "kc.h"
#include "proto.h"

/* Only the keys named (NULL-terminated) may appear in o. */
kc_err proto_only_keys_(json_t *o, const char *const *keys, const char *where, char *msg);
/* The part every paged reply shares: only `keys`, "head", "rev" in since..head, "more"
 * true/false and an "items" array of at most PROTO_PAGE_MAX (borrowed from j). */
kc_err proto_page_head_(json_t *j, const char *const *keys, long long since,
                        long long *head, long long *rev, int *more, json_t **items,
                        char *msg);
/* An integer field in min..max. */
kc_err proto_get_int_(json_t *o, const char *key, long long min, long long max,
                      long long *out, const char *where, char *msg);
/* A string field of 0..cap-1 bytes (cap includes the NUL). */
kc_err proto_get_str_(json_t *o, const char *key, int required, char *dst, size_t cap,
                      const char *where, char *msg);
/* Compact JSON in document order, kc_malloc'ed; NULL when memory ran out. */
char *proto_dump_compact_(json_t *j);
/* A writer's end: KC_ENOMEM (b freed) when an append ran out of memory, else KC_OK. */
kc_err proto_buf_done_(proto_buf *b);
/* Copies at most cap-1 bytes of s, cut at a UTF-8 character boundary. */
void proto_cut_utf8_(char *dst, size_t cap, const char *s);

#endif
