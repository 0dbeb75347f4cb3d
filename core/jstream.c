#include "jstream.h"

#include <sodium.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#define JSTREAM_CHUNK 65536

static size_t chunk_size(const jstream_opts *o)
{
    return o->chunk ? o->chunk : JSTREAM_CHUNK;
}

typedef struct js {
    const jstream_opts *o;
    char *msg;
    yajl_handle h;
    kc_err rc;            /* why a callback stopped the parse */
    int depth;            /* containers open; the top-level object is depth 1 */
    int done;             /* the top-level object closed */
    int in_array;         /* the member being read is an array: its elements are pieces */
    size_t index;         /* the next element's index */
    char *key;            /* the top-level key being read */
    /* The piece being read starts at `mark` in the current chunk, or, when cap holds
     * bytes, in an earlier chunk (then mark is 0). */
    int marked;
    size_t mark;
    char *cap;
    size_t caplen, capsize;
    long mark_line, mark_col;
    const unsigned char *chunk;
    size_t len;
    /* Line and column (0-based) of chunk[scan]; only messages need them. */
    size_t scan;
    long line, col;
} js;

/* What may stand between the previous event and a piece: whitespace and one
 * separator.  (Not strchr: it would match the NUL byte too.) */
static int is_sep(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == ':';
}

static void advance(js *s, size_t upto)
{
    for (; s->scan < upto; s->scan++) {
        if (s->chunk[s->scan] == '\n') {
            s->line++;
            s->col = 0;
        } else {
            s->col++;
        }
    }
}

static size_t consumed(js *s)
{
    size_t n = yajl_get_bytes_consumed(s->h);
    return n < s->len ? n : s->len;
}

/* Stops the parse with a message about the text at the current position. */
static int stop_here(js *s, const char *what)
{
    advance(s, consumed(s));
    s->rc = kc_fail(s->msg, KC_EJSON, "%s: line %ld column %ld: %s", s->o->name, s->line + 1,
                    s->col + 1, what);
    return 0;
}

static int cap_add(js *s, const void *p, size_t n)
{
    if (s->caplen + n + 1 > s->capsize) {
        size_t want = s->capsize ? s->capsize : 4096;
        while (want < s->caplen + n + 1)
            want *= 2;
        char *nc = kc_realloc(s->cap, want);
        if (!nc) {
            s->rc = kc_fail(s->msg, KC_ENOMEM, "%s: out of memory", s->o->name);
            return 0;
        }
        s->cap = nc;
        s->capsize = want;
    }
    memcpy(s->cap + s->caplen, p, n);
    s->caplen += n;
    return 1;
}

static void set_mark(js *s)
{
    size_t off = consumed(s);
    advance(s, off);
    s->marked = 1;
    s->mark = off;
    s->mark_line = s->line;
    s->mark_col = s->col;
    s->caplen = 0;
}

/* The piece that ends here is complete: decode it with jansson and hand it over. */
static int emit(js *s)
{
    size_t end = consumed(s);
    const char *p = (const char *)s->chunk + s->mark;
    size_t n = end - s->mark;
    if (s->caplen) {
        if (!cap_add(s, p, n))
            return 0;
        p = s->cap;
        n = s->caplen;
    }
    /* The piece's bytes start after the previous event: skip the separator. */
    long line = s->mark_line, col = s->mark_col;  /* 0-based */
    while (n && is_sep((unsigned char)*p)) {
        if (*p == '\n') {
            line++;
            col = 0;
        } else {
            col++;
        }
        p++;
        n--;
    }
    json_error_t err;
    json_t *v = json_loadb(p, n, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
    if (!v) {
        long el = err.line > 0 ? err.line : 1, ec = err.column > 0 ? err.column : 1;
        int nul = json_error_code(&err) == json_error_null_character;
        s->rc = kc_fail(s->msg, KC_EJSON, "%s: line %ld column %ld: %s", s->o->name,
                        line + el, el == 1 ? col + ec : ec,
                        nul ? "a string holds \\u0000 (a NUL character), which no text may "
                              "contain"
                            : err.text);
        return 0;
    }
    s->rc = s->o->fn(s->o->ctx, s->key ? s->key : "", s->in_array ? s->index++ : JSTREAM_VALUE,
                     v);
    json_decref(v);
    if (s->rc)
        return 0;
    if (s->in_array)
        set_mark(s);
    else
        s->marked = 0;
    return 1;
}

/* A value or container that just ended completes a piece when it is a member's value
 * or an element of a member's array. */
static int piece_end(js *s)
{
    if (s->depth == (s->in_array ? 2 : 1))
        return emit(s);
    return 1;
}

static int on_scalar(void *ctx)
{
    js *s = ctx;
    if (s->depth == 0)
        return stop_here(s, "the top level must be an object");
    return piece_end(s);
}

static int on_bool(void *ctx, int b)
{
    (void)b;
    return on_scalar(ctx);
}

static int on_number(void *ctx, const char *p, size_t n)
{
    (void)p;
    (void)n;
    return on_scalar(ctx);
}

static int on_string(void *ctx, const unsigned char *p, size_t n)
{
    (void)p;
    (void)n;
    return on_scalar(ctx);
}

static int deeper(js *s)
{
    if (++s->depth > s->o->max_depth) {
        char what[64];
        snprintf(what, sizeof what, "nested deeper than %d levels", s->o->max_depth);
        return stop_here(s, what);
    }
    return 1;
}

static int on_start_map(void *ctx)
{
    return deeper(ctx);
}

static int on_map_key(void *ctx, const unsigned char *k, size_t n)
{
    js *s = ctx;
    if (s->depth != 1)
        return 1;
    if (memchr(k, '\0', n))
        return stop_here(s, "a key contains \\u0000");
    kc_free(s->key);
    if (!(s->key = kc_strndup((const char *)k, n))) {
        s->rc = kc_fail(s->msg, KC_ENOMEM, "%s: out of memory", s->o->name);
        return 0;
    }
    set_mark(s);
    return 1;
}

static int on_end_map(void *ctx)
{
    js *s = ctx;
    if (--s->depth == 0) {
        s->done = 1;
        s->marked = 0;
        return 1;
    }
    return piece_end(s);
}

static int on_start_array(void *ctx)
{
    js *s = ctx;
    if (s->depth == 0)
        return stop_here(s, "the top level must be an object");
    if (s->depth == 1) {
        s->depth = 2;
        s->in_array = 1;
        s->index = 0;
        if ((s->rc = s->o->fn(s->o->ctx, s->key ? s->key : "", JSTREAM_ARRAY, NULL)))
            return 0;
        set_mark(s);
        return 1;
    }
    return deeper(s);
}

static int on_end_array(void *ctx)
{
    js *s = ctx;
    if (--s->depth == 1 && s->in_array) {
        s->in_array = 0;
        s->marked = 0;
        return 1;
    }
    return piece_end(s);
}

static const yajl_callbacks callbacks = {
    on_scalar, on_bool, NULL, NULL, on_number, on_string,
    on_start_map, on_map_key, on_end_map, on_start_array, on_end_array,
};

/* The parse stopped: keep a callback's message, or describe yajl's error. */
static kc_err failed(js *s, yajl_status st)
{
    if (st == yajl_status_client_canceled || s->rc)
        return s->rc ? s->rc : kc_fail(s->msg, KC_EJSON, "%s: stopped", s->o->name);
    unsigned char *e = yajl_get_error(s->h, 0, NULL, 0);
    char what[160];
    snprintf(what, sizeof what, "%s", e ? (const char *)e : "not JSON");
    if (e)
        yajl_free_error(s->h, e);
    what[strcspn(what, "\n")] = '\0';
    /* yajl's error offset is the offending token's start, or the start of the chunk
     * when the token spans chunks: the column depends on chunking, the line does not
     * (no token holds a line break). */
    advance(s, consumed(s));
    return s->rc = kc_fail(s->msg, KC_EJSON, "%s: line %ld: %s", s->o->name, s->line + 1, what);
}

/* One chunk of the text. */
static kc_err feed(js *s, const unsigned char *p, size_t n)
{
    s->chunk = p;
    s->len = n;
    s->scan = 0;
    yajl_status st = yajl_parse(s->h, p, n);
    if (st != yajl_status_ok)
        return failed(s, st);
    if (s->marked) {
        /* Carry the unfinished piece over; separators alone need no copy. */
        size_t i = s->mark;
        while (!s->caplen && i < n && is_sep(p[i]))
            i++;
        if (s->caplen || i < n) {
            if (!cap_add(s, p + s->mark, n - s->mark))
                return s->rc;
            advance(s, n);
        } else {
            advance(s, n);
            s->mark_line = s->line;
            s->mark_col = s->col;
        }
        s->mark = 0;
    } else {
        advance(s, n);
    }
    return KC_OK;
}

static kc_err start(js *s, const jstream_opts *o, char *msg,
                    crypto_generichash_state *hs)
{
    memset(s, 0, sizeof *s);
    s->o = o;
    s->msg = msg;
    msg[0] = '\0';
    if (sodium_init() < 0 || crypto_generichash_init(hs, NULL, 0, JSTREAM_DIGEST))
        return kc_fail(msg, KC_ECRYPTO, "%s: crypto library failed", o->name);
    if (!(s->h = yajl_alloc(&callbacks, NULL, s)))
        return kc_fail(msg, KC_ENOMEM, "%s: out of memory", o->name);
    return KC_OK;
}

static kc_err finish(js *s, kc_err rc, crypto_generichash_state *hs,
                     unsigned char digest[JSTREAM_DIGEST])
{
    if (!rc) {
        static const unsigned char none[1] = { ' ' };
        s->chunk = none;
        s->len = 0;
        s->scan = 0;
        yajl_status st = yajl_complete_parse(s->h);
        if (st != yajl_status_ok)
            rc = failed(s, st);
        else if (!s->done)
            rc = kc_fail(s->msg, KC_EJSON, "%s: line %ld column %ld: no JSON object",
                         s->o->name, s->line + 1, s->col + 1);
    }
    unsigned char d[JSTREAM_DIGEST];
    if (crypto_generichash_final(hs, d, sizeof d) && !rc)
        rc = kc_fail(s->msg, KC_ECRYPTO, "%s: crypto library failed", s->o->name);
    if (!rc && digest)
        memcpy(digest, d, sizeof d);
    if (s->h)
        yajl_free(s->h);
    kc_free(s->key);
    kc_free(s->cap);
    return rc;
}

kc_err jstream_buf(const jstream_opts *o, const char *buf, size_t len,
                   unsigned char digest[JSTREAM_DIGEST], char *msg)
{
    js s;
    crypto_generichash_state hs;
    kc_err rc = start(&s, o, msg, &hs);
    if (!rc && len > o->max_bytes)
        rc = kc_fail(msg, KC_ETOOBIG, "%s: %zu bytes, limit is %zu", o->name, len,
                     o->max_bytes);
    size_t step = chunk_size(o);
    for (size_t off = 0; !rc && off < len; off += step) {
        size_t n = len - off < step ? len - off : step;
        crypto_generichash_update(&hs, (const unsigned char *)buf + off, n);
        rc = feed(&s, (const unsigned char *)buf + off, n);
    }
    if (!s.h)
        return rc;
    return finish(&s, rc, &hs, digest);
}

kc_err jstream_file(const jstream_opts *o, FILE *f, unsigned char digest[JSTREAM_DIGEST],
                    char *msg)
{
    js s;
    crypto_generichash_state hs;
    kc_err rc = start(&s, o, msg, &hs);
    size_t step = chunk_size(o);
    unsigned char *chunk = rc ? NULL : kc_malloc(step);
    if (!rc && !chunk)
        rc = kc_fail(msg, KC_ENOMEM, "%s: out of memory", o->name);
    size_t total = 0;
    while (!rc) {
        size_t n = fread(chunk, 1, step, f);
        if (n == 0) {
            if (ferror(f))
                rc = kc_fail(msg, KC_EIO, "%s: read error", o->name);
            break;
        }
        total += n;
        if (total > o->max_bytes) {
            rc = kc_fail(msg, KC_ETOOBIG, "%s: larger than %zu bytes", o->name, o->max_bytes);
            break;
        }
        crypto_generichash_update(&hs, chunk, n);
        rc = feed(&s, chunk, n);
    }
    kc_free(chunk);
    if (!s.h)
        return rc;
    return finish(&s, rc, &hs, digest);
}
