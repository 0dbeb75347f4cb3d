/* The search build's string -> id map: open addressing over hashes kept per id, so
 * a probe and a resize compare hashes and read a key only on a hash match. */
#include "strmap.h"
#include "arena.h"

#include <string.h>

struct strmap {
    arena keys;
    uint32_t *koff;    /* id -> key offset */
    uint32_t *khash;   /* id -> hash: probes and growth compare it, not the key */
    size_t n, kcap;
    uint64_t *slot;    /* hash << 32 | id + 1; 0 empty: a probe reads no key of
                        * another hash */
    size_t cap;        /* power of two */
};

uint32_t strmap_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

strmap *strmap_new(void)
{
    return kc_calloc(1, sizeof(strmap));
}

void strmap_free(strmap *m)
{
    if (!m)
        return;
    kc_free(m->keys.p);
    kc_free(m->koff);
    kc_free(m->khash);
    kc_free(m->slot);
    kc_free(m);
}

static int strmap_grow(strmap *m)
{
    size_t nc = m->cap ? m->cap * 2 : 1024;
    uint64_t *ns = kc_calloc(nc, sizeof *ns);
    if (!ns)
        return -1;
    for (size_t i = 0; i < m->n; i++) {
        size_t h = m->khash[i] & (nc - 1);
        while (ns[h])
            h = (h + 1) & (nc - 1);
        ns[h] = (uint64_t)m->khash[i] << 32 | ((uint32_t)i + 1);
    }
    kc_free(m->slot);
    m->slot = ns;
    m->cap = nc;
    return 0;
}

long strmap_get(strmap *m, const char *s, size_t n, int add, int *oom)
{
    uint32_t hs = strmap_hash(s, n);
    if (m->cap) {
        size_t h = hs & (m->cap - 1);
        while (m->slot[h]) {
            uint64_t e = m->slot[h];
            if ((uint32_t)(e >> 32) == hs) {
                uint32_t id = (uint32_t)e - 1;
                const char *k = m->keys.p + m->koff[id];
                if (strncmp(k, s, n) == 0 && k[n] == '\0')
                    return id;
            }
            h = (h + 1) & (m->cap - 1);
        }
    }
    if (!add)
        return -1;
    if ((m->n + 1) * 2 > m->cap && strmap_grow(m))
        goto oom;
    if (m->n == m->kcap) {
        size_t nc = m->kcap ? m->kcap * 2 : 1024;
        uint32_t *nk = kc_realloc(m->koff, nc * sizeof *nk);
        if (!nk)
            goto oom;
        m->koff = nk;
        uint32_t *nh = kc_realloc(m->khash, nc * sizeof *nh);
        if (!nh)
            goto oom;
        m->khash = nh;
        m->kcap = nc;
    }
    uint32_t off;
    if (arena_put(&m->keys, s, n, &off))
        goto oom;
    m->koff[m->n] = off;
    m->khash[m->n] = hs;
    size_t h = hs & (m->cap - 1);
    while (m->slot[h])
        h = (h + 1) & (m->cap - 1);
    m->slot[h] = (uint64_t)hs << 32 | ((uint32_t)m->n + 1);
    return (long)m->n++;
oom:
    *oom = 1;
    return -1;
}

size_t strmap_count(const strmap *m)
{
    return m->n;
}

const char *strmap_key(const strmap *m, size_t id)
{
    return m->keys.p + m->koff[id];
}

uint32_t strmap_key_off(const strmap *m, size_t id)
{
    return m->koff[id];
}

char *strmap_take_keys(strmap *m)
{
    char *p = m->keys.p;
    memset(&m->keys, 0, sizeof m->keys);
    return p;
}
