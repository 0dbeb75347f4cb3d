#include "i18n.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fold.h"

#define PO_MAX_BYTES (4 * 1024 * 1024)
#define PO_STR_MAX 4096

/* A plural entry (msgid_plural) keeps its plural key and msgstr[1] beside the
 * singular ones; val_pl is NULL for an ordinary entry. */
typedef struct entry {
    char *key, *val;
    char *key_pl, *val_pl;
} entry;

typedef struct table {
    entry *e;
    size_t n, cap;
} table;

struct i18n {
    table t[CAT_NLANG];
};

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->key, ((const entry *)b)->key);
}

/* Appends the C-escaped contents of a "..." literal at p to buf. */
static int unquote(const char *p, char *buf, size_t *len)
{
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p++ != '"')
        return -1;
    while (*p && *p != '"') {
        char ch = *p++;
        if (ch == '\\') {
            switch (*p++) {
            case 'n': ch = '\n'; break;
            case 't': ch = '\t'; break;
            case '"': ch = '"'; break;
            case '\\': ch = '\\'; break;
            default: return -1;
            }
        }
        if (*len + 1 >= PO_STR_MAX)
            return -1;
        buf[(*len)++] = ch;
    }
    if (*p != '"')
        return -1;
    p++;
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    buf[*len] = '\0';
    return *p ? -1 : 0;
}

static int add(table *t, const char *key, const char *val, const char *key_pl,
               const char *val_pl)
{
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 128;
        entry *ne = realloc(t->e, nc * sizeof *ne);
        if (!ne)
            return -1;
        t->e = ne;
        t->cap = nc;
    }
    entry *e = &t->e[t->n];
    memset(e, 0, sizeof *e);
    e->key = strdup(key);
    e->val = strdup(val);
    if (key_pl) {
        e->key_pl = strdup(key_pl);
        e->val_pl = strdup(val_pl);
    }
    if (!e->key || !e->val || (key_pl && (!e->key_pl || !e->val_pl))) {
        free(e->key);
        free(e->val);
        free(e->key_pl);
        free(e->val_pl);
        return -1;
    }
    t->n++;
    return 0;
}

static kc_err load_po(table *t, const char *path, char *msg)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return kc_fail(msg, KC_EIO, "i18n: cannot open %s: %s", path, strerror(errno));
    static char id[PO_STR_MAX], str[PO_STR_MAX], idp[PO_STR_MAX], strp[PO_STR_MAX];
    size_t idlen = 0, strlen_ = 0, idplen = 0, strplen = 0, total = 0;
    /* 0 none, 1 in msgid, 2 in msgstr, 3 in msgid_plural, 4 in msgstr[0], 5 in msgstr[1] */
    int state = 0;
    int lineno = 0;
    char line[PO_STR_MAX + 64];
    kc_err rc = KC_OK;
    id[0] = str[0] = '\0';
    for (;;) {
        char *l = fgets(line, sizeof line, f);
        lineno += l != NULL;
        if (l) {
            total += strlen(l);
            if (total > PO_MAX_BYTES) {
                rc = kc_fail(msg, KC_ETOOBIG, "i18n: %s: larger than %d bytes", path,
                             PO_MAX_BYTES);
                break;
            }
            if (!fold_valid_utf8(l, strlen(l))) {
                rc = kc_fail(msg, KC_EINVAL, "i18n: %s:%d: invalid UTF-8", path, lineno);
                break;
            }
        }
        int starts_entry = !l || strncmp(l, "msgid ", 6) == 0;
        if (starts_entry && state == 4) {
            rc = kc_fail(msg, KC_EINVAL, "i18n: %s:%d: a plural entry needs msgstr[0] and "
                         "msgstr[1] (nplurals=2)", path, lineno);
            break;
        }
        if (starts_entry && (state == 2 || state == 5)) {
            /* The header entry has an empty msgid; it carries no UI string. */
            if (idlen && add(t, id, str, state == 5 ? idp : NULL, strp)) {
                rc = kc_fail(msg, KC_ENOMEM, "i18n: out of memory");
                break;
            }
            idlen = strlen_ = idplen = strplen = 0;
            id[0] = str[0] = idp[0] = strp[0] = '\0';
            state = 0;
        }
        if (!l)
            break;
        if (l[0] == '#' || l[strspn(l, " \t\r\n")] == '\0')
            continue;
        int bad = 0;
        if (strncmp(l, "msgid ", 6) == 0) {
            if (state == 1) bad = 1;
            state = 1;
            bad |= unquote(l + 6, id, &idlen);
        } else if (strncmp(l, "msgstr ", 7) == 0) {
            if (state != 1) bad = 1;
            state = 2;
            bad |= unquote(l + 7, str, &strlen_);
        } else if (strncmp(l, "msgid_plural ", 13) == 0) {
            if (state != 1) bad = 1;
            state = 3;
            bad |= unquote(l + 13, idp, &idplen);
        } else if (strncmp(l, "msgstr[0] ", 10) == 0) {
            if (state != 3) bad = 1;
            state = 4;
            bad |= unquote(l + 10, str, &strlen_);
        } else if (strncmp(l, "msgstr[1] ", 10) == 0) {
            if (state != 4) bad = 1;
            state = 5;
            bad |= unquote(l + 10, strp, &strplen);
        } else if (l[0] == '"') {
            if (state == 1)
                bad = unquote(l, id, &idlen);
            else if (state == 2 || state == 4)
                bad = unquote(l, str, &strlen_);
            else if (state == 3)
                bad = unquote(l, idp, &idplen);
            else if (state == 5)
                bad = unquote(l, strp, &strplen);
            else
                bad = 1;
        } else {
            bad = 1;  /* msgctxt, msgstr[2] and anything else */
        }
        if (bad) {
            rc = kc_fail(msg, KC_EINVAL, "i18n: %s:%d: not a msgid/msgstr line the kiosk reads",
                         path, lineno);
            break;
        }
    }
    fclose(f);
    if (rc)
        return rc;
    if (t->n)
        qsort(t->e, t->n, sizeof *t->e, cmp_entry);
    for (size_t i = 1; i < t->n; i++)
        if (strcmp(t->e[i - 1].key, t->e[i].key) == 0)
            return kc_fail(msg, KC_EINVAL, "i18n: %s: \"%.60s\" appears twice", path,
                           t->e[i].key);
    return KC_OK;
}

void i18n_free(i18n *t)
{
    if (!t)
        return;
    for (int l = 0; l < CAT_NLANG; l++) {
        for (size_t i = 0; i < t->t[l].n; i++) {
            free(t->t[l].e[i].key);
            free(t->t[l].e[i].val);
            free(t->t[l].e[i].key_pl);
            free(t->t[l].e[i].val_pl);
        }
        free(t->t[l].e);
    }
    free(t);
}

kc_err i18n_load(const char *dir, i18n **out, char *msg)
{
    *out = NULL;
    i18n *t = calloc(1, sizeof *t);
    if (!t)
        return kc_fail(msg, KC_ENOMEM, "i18n: out of memory");
    for (int l = 0; l < CAT_NLANG; l++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.po", dir, cat_lang_code((cat_lang)l));
        kc_err rc = load_po(&t->t[l], path, msg);
        if (rc) {
            i18n_free(t);
            return rc;
        }
    }
    *out = t;
    return KC_OK;
}

const char *i18n_tr(const i18n *t, cat_lang lang, const char *key)
{
    if (!t || (unsigned)lang >= CAT_NLANG)
        return key;
    entry k = { (char *)key, NULL, NULL, NULL };
    const table *tb = &t->t[lang];
    const entry *e = tb->n ? bsearch(&k, tb->e, tb->n, sizeof *tb->e, cmp_entry) : NULL;
    return e && e->val[0] ? e->val : key;
}

/* GNU gettext's rule for Finnish, Swedish and English alike:
 * "Plural-Forms: nplurals=2; plural=(n != 1);" - form 0 for exactly one, form 1 for
 * every other count, 0 included ("0 vastausta", "0 röster", "0 answers"). */
static int plural_form(cat_lang lang, unsigned long n)
{
    (void)lang;  /* the same rule for all three; a language with other forms adds a case */
    return n != 1;
}

const char *i18n_ntr(const i18n *t, cat_lang lang, const char *key, const char *key_plural,
                     unsigned long n)
{
    int pl = plural_form(lang, n);
    const char *fallback = pl ? key_plural : key;
    if (!t || (unsigned)lang >= CAT_NLANG)
        return fallback;
    entry k = { (char *)key, NULL, NULL, NULL };
    const table *tb = &t->t[lang];
    const entry *e = tb->n ? bsearch(&k, tb->e, tb->n, sizeof *tb->e, cmp_entry) : NULL;
    if (!e || !e->val_pl || strcmp(e->key_pl, key_plural) != 0)
        return fallback;
    const char *v = pl ? e->val_pl : e->val;
    return v[0] ? v : fallback;
}

size_t i18n_count(const i18n *t, cat_lang lang)
{
    size_t n = 0;
    for (size_t i = 0; i < t->t[lang].n; i++)
        n += t->t[lang].e[i].val[0] != '\0';
    return n;
}
