#include "vocab.h"
#include "fold.h"

#include <string.h>

/* Generated at configure time from assets/vocab/vocab.tsv (see CMakeLists.txt). */
extern const unsigned char vocab_data[];
extern const unsigned long vocab_data_len;

typedef struct ventry {
    char *id, *yso;
    char **terms[CAT_NLANG];
    size_t nterms[CAT_NLANG];
} ventry;

struct vocab {
    char *buf;          /* the data, cut in place into strings */
    ventry *e;
    size_t n;
    char **ptrs;        /* every term pointer, one allocation */
};

void vocab_free(vocab *v)
{
    if (!v)
        return;
    kc_free(v->buf);
    kc_free(v->e);
    kc_free(v->ptrs);
    kc_free(v);
}

static size_t count_terms(const char *cell)
{
    size_t n = 1;
    for (; *cell; cell++)
        n += *cell == '|';
    return n;
}

static char *trim(char *s)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        s[--n] = '\0';
    return s;
}

kc_err vocab_parse(const char *data, size_t len, vocab **out, char *msg)
{
    *out = NULL;
    if (!fold_valid_utf8(data, len))
        return kc_fail(msg, KC_EINVAL, "vocab: not valid UTF-8");
    vocab *v = kc_calloc(1, sizeof *v);
    if (!v || !(v->buf = kc_strndup(data, len))) {
        kc_free(v);
        return kc_fail(msg, KC_ENOMEM, "vocab: out of memory");
    }
    /* Pass 1: count entries and terms, so pass 2 fills fixed arrays. */
    size_t nent = 0, nterm = 0;
    for (const char *p = v->buf; *p;) {
        const char *nl = strchr(p, '\n');
        size_t ll = nl ? (size_t)(nl - p) : strlen(p);
        if (ll && p[0] != '#') {
            nent++;
            for (size_t i = 0; i < ll; i++)
                nterm += p[i] == '|' || p[i] == '\t';
            nterm++;
        }
        p += ll + (nl != NULL);
    }
    v->e = kc_calloc(nent ? nent : 1, sizeof *v->e);
    v->ptrs = kc_calloc(nterm ? nterm : 1, sizeof *v->ptrs);
    if (!v->e || !v->ptrs) {
        kc_fail(msg, KC_ENOMEM, "vocab: out of memory");
        vocab_free(v);  /* after the message: it names text inside v */
        return KC_ENOMEM;
    }
    size_t line = 0, used = 0;
    char *p = v->buf;
    while (*p) {
        line++;
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        char *next = nl ? nl + 1 : p + strlen(p);
        if (strlen(p) > VOCAB_LINE_MAX) {
            kc_fail(msg, KC_ETOOBIG, "vocab: line %zu: longer than %d bytes", line,
                           VOCAB_LINE_MAX);
            vocab_free(v);  /* after the message: it names text inside v */
            return KC_ETOOBIG;
        }
        if (!*p || *p == '#') {
            p = next;
            continue;
        }
        char *cell[5];
        int nc = 0;
        for (char *c = p; nc < 5;) {
            cell[nc++] = c;
            char *tab = strchr(c, '\t');
            if (!tab)
                break;
            *tab = '\0';
            c = tab + 1;
        }
        if (nc != 5 || strchr(cell[4], '\t')) {
            kc_fail(msg, KC_EINVAL, "vocab: line %zu: expected 5 tab-separated "
                           "columns (id, yso, fi, sv, en)", line);
            vocab_free(v);  /* after the message: it names text inside v */
            return KC_EINVAL;
        }
        ventry *e = &v->e[v->n];
        e->id = trim(cell[0]);
        char *yso = trim(cell[1]);
        e->yso = strcmp(yso, "-") ? yso : NULL;
        if (!cat_valid_id(e->id, CAT_ID_MAX) && !strchr(e->id, ':')) {
            kc_fail(msg, KC_EINVAL, "vocab: line %zu: bad id \"%s\"", line, e->id);
            vocab_free(v);  /* after the message: it names text inside v */
            return KC_EINVAL;
        }
        if (vocab_find(v, e->id) >= 0) {
            kc_fail(msg, KC_EINVAL, "vocab: line %zu: \"%s\" is listed twice", line,
                           e->id);
            vocab_free(v);  /* after the message: it names text inside v */
            return KC_EINVAL;
        }
        for (int l = 0; l < CAT_NLANG; l++) {
            char *c = cell[2 + l];
            e->terms[l] = v->ptrs + used;
            size_t k = count_terms(c);
            for (size_t t = 0; t < k; t++) {
                char *bar = strchr(c, '|');
                if (bar)
                    *bar = '\0';
                char *term = trim(c);
                if (*term)
                    e->terms[l][e->nterms[l]++] = term;
                c = bar ? bar + 1 : c + strlen(c);
            }
            used += e->nterms[l];
            if (!e->nterms[l]) {
                kc_fail(msg, KC_EINVAL, "vocab: line %zu: \"%s\" has no %s term", line,
                               e->id, cat_lang_code((cat_lang)l));
                vocab_free(v);  /* after the message: it names text inside v */
                return KC_EINVAL;
            }
        }
        v->n++;
        p = next;
    }
    *out = v;
    return KC_OK;
}

kc_err vocab_load(vocab **out, char *msg)
{
    return vocab_parse((const char *)vocab_data, (size_t)vocab_data_len, out, msg);
}

size_t vocab_count(const vocab *v) { return v->n; }
const char *vocab_id(const vocab *v, size_t i) { return v->e[i].id; }
const char *vocab_yso(const vocab *v, size_t i) { return v->e[i].yso; }
size_t vocab_nterms(const vocab *v, size_t i, cat_lang l) { return v->e[i].nterms[l]; }

const char *vocab_term(const vocab *v, size_t i, cat_lang l, size_t k)
{
    return v->e[i].terms[l][k];
}

int vocab_find(const vocab *v, const char *id)
{
    /* Linear: a few hundred entries, looked up when an index is built, not per query. */
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->e[i].id, id))
            return (int)i;
    return -1;
}
