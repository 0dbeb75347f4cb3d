/* The streaming reader under content files (core/jstream.h), checked against
 * jansson reading the whole text at once: with chunk boundaries after every byte,
 * every third byte, every 64 and none, the pieces, the result and the message must
 * be the same, and a document jansson reads whole must stream to exactly its members
 * and elements. */
#include "fuzzutil.h"

#include <stdio.h>
#include <string.h>

#include "jstream.h"
#include "kc.h"

typedef struct trace {
    char *p;
    size_t len, cap;
    int oom;
} trace;

static void add(trace *t, const char *s, size_t n)
{
    if (t->oom)
        return;
    if (t->len + n + 1 > t->cap) {
        size_t want = t->cap ? t->cap * 2 : 1024;
        while (want < t->len + n + 1)
            want *= 2;
        char *np = kc_realloc(t->p, want);
        if (!np) {
            t->oom = 1;
            return;
        }
        t->p = np;
        t->cap = want;
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

static void add_piece(trace *t, const char *key, size_t index, json_t *v)
{
    char head[64];
    add(t, key, strlen(key));
    if (index == JSTREAM_ARRAY)
        snprintf(head, sizeof head, "\n[\n");
    else if (index == JSTREAM_VALUE)
        snprintf(head, sizeof head, "\n=");
    else
        snprintf(head, sizeof head, "\n#%zu=", index);
    add(t, head, strlen(head));
    if (!v)
        return;
    char *d = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    if (!d) {
        t->oom = 1;
        return;
    }
    add(t, d, strlen(d));
    add(t, "\n", 1);
    free(d);
}

static kc_err record(void *ctx, const char *key, size_t index, json_t *v)
{
    add_piece(ctx, key, index, v);
    return KC_OK;
}

static kc_err run(const uint8_t *data, size_t size, size_t chunk, trace *t, char *msg)
{
    jstream_opts o = { "fuzz", 1u << 20, 16, record, t, chunk };
    memset(t, 0, sizeof *t);
    return jstream_buf(&o, (const char *)data, size, NULL, msg);
}

static void expect_same(const trace *a, const trace *b, const char *what)
{
    if (a->oom || b->oom)
        return;
    if (a->len != b->len || (a->len && memcmp(a->p, b->p, a->len) != 0))
        fz_fail(what, "different pieces");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t chunks[] = { 1, 3, 64 };
    char msg0[KC_MSGMAX], msg[KC_MSGMAX];
    trace whole, t;
    kc_err rc0 = run(data, size, size ? size : 1, &whole, msg0);
    for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++) {
        kc_err rc = run(data, size, chunks[i], &t, msg);
        if (rc != rc0 && rc != KC_ENOMEM && rc0 != KC_ENOMEM)
            fz_fail("chunked result differs", rc ? msg : msg0);
        if (!rc && !rc0)
            expect_same(&whole, &t, "chunked pieces differ");
        if (rc && rc0 && rc != KC_ENOMEM && rc0 != KC_ENOMEM && strcmp(msg, msg0) != 0)
            fz_fail("chunked message differs", msg);
        kc_free(t.p);
    }
    /* jansson on the whole text: what it reads, the stream must read the same way
     * (within the stream's depth limit). */
    json_error_t err;
    json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
    if (doc && json_is_object(doc) && !strstr(msg0, "nested deeper")) {
        if (rc0 && rc0 != KC_ENOMEM)
            fz_fail("jansson reads it, the stream does not", msg0);
        trace want;
        memset(&want, 0, sizeof want);
        const char *k;
        json_t *v;
        json_object_foreach(doc, k, v) {
            if (json_is_array(v)) {
                add_piece(&want, k, JSTREAM_ARRAY, NULL);
                size_t i;
                json_t *e;
                json_array_foreach(v, i, e) add_piece(&want, k, i, e);
            } else {
                add_piece(&want, k, JSTREAM_VALUE, v);
            }
        }
        if (!rc0)
            expect_same(&want, &whole, "stream and jansson differ");
        kc_free(want.p);
    }
    json_decref(doc);
    kc_free(whole.p);
    return 0;
}
