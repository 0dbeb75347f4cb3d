/*
 * jstream.h - reads one JSON document whose top level is an object, a piece at a
 * time, so a file far larger than what it describes in memory can be checked and
 * applied (the content importer: 100 000 items in well under 150 MB).
 *
 * yajl (a streaming parser) walks the whole text and checks its syntax and UTF-8.
 * Each member of the top-level object, and each element of a member whose value is
 * an array, is handed to the callback as a jansson value decoded from exactly its own
 * bytes, with the same rules as json_loadb(JSON_REJECT_DUPLICATES): duplicate keys,
 * NUL in strings and lone surrogates are refused as everywhere else.  Only one such
 * piece is in memory at a time; the callback does not own it.
 *
 * Failure: the first error stops reading.  Errors of the text itself are written to
 * msg as "NAME: line L column C: what"; an error the callback returns is passed on
 * with the callback's own message in msg (the callback writes it).  Allocations go
 * through kc_malloc except yajl's own (its small lexer buffers).
 *
 * Threads: no shared state.
 */
#ifndef JSTREAM_H
#define JSTREAM_H

#include <jansson.h>
#include <stdio.h>

#include "kc.h"

/* The index the callback gets for a member that is not an array (v is its value),
 * and for the start of a member that is an array (v is NULL; its elements follow
 * with indexes 0, 1, ...). */
#define JSTREAM_VALUE ((size_t)-1)
#define JSTREAM_ARRAY ((size_t)-2)

/* BLAKE2b-256 of every byte read, so a second pass can tell the text is the same. */
#define JSTREAM_DIGEST 32

typedef kc_err (*jstream_fn)(void *ctx, const char *key, size_t index, json_t *v);

typedef struct jstream_opts {
    const char *name;     /* prefixes messages */
    size_t max_bytes;     /* larger text is KC_ETOOBIG */
    int max_depth;        /* deeper nesting is KC_EJSON */
    jstream_fn fn;
    void *ctx;
    size_t chunk;         /* bytes handed to yajl at a time; 0: 64 KiB.  Tests make it
                             small to put chunk boundaries inside every kind of token. */
} jstream_opts;

/* Reads len bytes of buf.  digest (may be NULL) gets the text's digest on success. */
kc_err jstream_buf(const jstream_opts *o, const char *buf, size_t len,
                   unsigned char digest[JSTREAM_DIGEST], char *msg);
/* Reads f to its end. */
kc_err jstream_file(const jstream_opts *o, FILE *f, unsigned char digest[JSTREAM_DIGEST],
                    char *msg);

#endif
