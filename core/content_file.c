/* Reading a whole content file: the first pass (content_impl.h), which validates the
 * file a piece at a time and keeps only ids, kinds, references, areas and deletions. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "content_impl.h"
#include "safetext.h"

/* Bytes of a file looked at before it is read as JSON (safetext_check_file). */
#define HEAD_CHECK 65536

enum { K_FORMAT, K_VERSION, K_SAMPLE, K_TITLE, K_AREAS, K_ITEMS, K_DELETED };
static const char *const top_keys[] = { "format", "version", "sample", "title",
                                        "areas", "items", "deleted", NULL };

/* Makes room for one more element of *v (n used, *cap allocated). */
static int grow(void *v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 1;
    size_t want = *cap ? *cap * 2 : 256;
    void *nv = kc_realloc(*(void **)v, want * size);
    if (!nv)
        return 0;
    *(void **)v = nv;
    *cap = want;
    return 1;
}

static kc_err oom(content *c)
{
    return kc_fail(c->msg, KC_ENOMEM, "content: out of memory");
}

/* Keeps what the checks across items need and takes it out of it. */
static kc_err keep_item(content *c, cat_item *it)
{
    size_t need = 0;
    for (int f = 0; f < CAT_NFIELD; f++)
        need += it->v[f].present && (cat_fields[f].type == CAT_T_REF ||
                                     cat_fields[f].type == CAT_T_AREA);
    /* Room first, so nothing is moved out of the item unless all of it can be. */
    if (!grow(&c->items, &c->items_cap, c->nitems, sizeof *c->items))
        return oom(c);
    while (c->refs_cap < c->nrefs + need)
        if (!grow(&c->refs, &c->refs_cap, c->refs_cap, sizeof *c->refs))
            return oom(c);
    for (int f = 0; f < CAT_NFIELD; f++) {
        cat_type t = cat_fields[f].type;
        if (!it->v[f].present || (t != CAT_T_REF && t != CAT_T_AREA))
            continue;
        c->refs[c->nrefs++] = (item_ref){ it->id, f, it->v[f].str };
        it->v[f].str = NULL;
    }
    c->items[c->nitems++] = (item_key){ it->id, it->kind };
    it->id = NULL;
    return KC_OK;
}

static kc_err check_piece(void *ctx, const char *key, size_t index, json_t *v)
{
    content *c = ctx;
    char *msg = c->msg;
    const char *file = c->name;
    int k = cat_enum_index(top_keys, key);
    if (k < 0)
        return kc_fail(msg, KC_EINVAL, "%s: unknown top-level key \"%.64s\"", file, key);
    if (index == JSTREAM_VALUE || index == JSTREAM_ARRAY) {
        if (c->seen & (1u << k))
            return kc_fail(msg, KC_EJSON, "%s: duplicate object key \"%s\"", file, key);
        c->seen |= 1u << k;
    }
    int list = k == K_AREAS || k == K_ITEMS || k == K_DELETED;
    if (list && index == JSTREAM_VALUE)
        return kc_fail(msg, KC_EINVAL, "%s: \"%s\" must be an array", file, key);
    if (list && index == JSTREAM_ARRAY)
        return KC_OK;
    if (!list && index != JSTREAM_VALUE)
        v = NULL;  /* an array where a single value belongs: refused below */
    kc_err rc;
    switch (k) {
    case K_FORMAT:
        if (!json_is_string(v) || strcmp(json_string_value(v), "kiosk-content") != 0)
            return kc_fail(msg, KC_EINVAL, "%s: \"format\" must be \"kiosk-content\"", file);
        return KC_OK;
    case K_VERSION:
        if (!json_is_integer(v) || json_integer_value(v) != 1)
            return kc_fail(msg, KC_EINVAL, "%s: \"version\" must be 1", file);
        return KC_OK;
    case K_SAMPLE:
        if (!json_is_boolean(v))
            return kc_fail(msg, KC_EINVAL, "%s: \"sample\" must be true or false", file);
        return KC_OK;
    case K_TITLE:
        if (!json_is_string(v) || json_string_length(v) > 200)
            return kc_fail(msg, KC_EINVAL,
                           "%s: \"title\" must be a string of at most 200 bytes", file);
        return KC_OK;
    case K_AREAS: {
        if (index >= CONTENT_MAX_AREAS)
            return kc_fail(msg, KC_ETOOBIG, "%s: more than %d areas", file,
                           CONTENT_MAX_AREAS);
        if (!grow(&c->areas, &c->areas_cap, c->nareas, sizeof *c->areas))
            return oom(c);
        where w = { file, NULL, index, "area" };
        if ((rc = content_parse_area(v, &c->areas[c->nareas], &w, msg)))
            return rc;
        c->nareas++;
        return KC_OK;
    }
    case K_ITEMS: {
        /* Stops at the first item over the limit, holding only the keys before it. */
        if (index >= CONTENT_MAX_ITEMS)
            return kc_fail(msg, KC_ETOOBIG, "%s: more than %d items", file,
                           CONTENT_MAX_ITEMS);
        cat_item it;
        where w = { file, NULL, index, "item" };
        if ((rc = content_parse_item(v, &it, &w, msg)))
            return rc;
        rc = keep_item(c, &it);
        cat_item_clear(&it);
        return rc;
    }
    case K_DELETED:
        if (index >= CONTENT_MAX_ITEMS)
            return kc_fail(msg, KC_ETOOBIG, "%s: more than %d deleted items", file,
                           CONTENT_MAX_ITEMS);
        if (!json_is_string(v) || !cat_valid_id(json_string_value(v), CAT_ID_MAX))
            return kc_fail(msg, KC_EINVAL, "%s: deleted #%zu is not an id", file, index + 1);
        if (!grow(&c->deleted, &c->deleted_cap, c->ndeleted, sizeof *c->deleted))
            return oom(c);
        if (!(c->deleted[c->ndeleted] = kc_strdup(json_string_value(v))))
            return oom(c);
        c->ndeleted++;
        return KC_OK;
    }
    return kc_fail(msg, KC_EINVAL, "%s: unknown top-level key \"%.64s\"", file, key);
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp(((const item_key *)a)->id, ((const item_key *)b)->id);
}

static int cmp_area(const void *a, const void *b)
{
    return strcmp(((const area_rec *)a)->id, ((const area_rec *)b)->id);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

const item_key *content_find_item(const content *c, const char *id)
{
    item_key key = { (char *)id, 0 };
    return c->nitems ? bsearch(&key, c->items, c->nitems, sizeof *c->items, cmp_key) : NULL;
}

int content_has_area(const content *c, const char *id)
{
    area_rec key = { (char *)id, NULL };
    return c->nareas && bsearch(&key, c->areas, c->nareas, sizeof *c->areas, cmp_area);
}

static int is_deleted(const content *c, const char *id)
{
    return c->ndeleted && bsearch(&id, c->deleted, c->ndeleted, sizeof *c->deleted, cmp_str);
}

/* The checks that need the whole file: required keys, duplicates, deletions and
 * references inside the file. */
static kc_err check_whole(content *c)
{
    char *msg = c->msg;
    const char *file = c->name;
    if (!(c->seen & (1u << K_FORMAT)))
        return kc_fail(msg, KC_EINVAL, "%s: \"format\" must be \"kiosk-content\"", file);
    if (!(c->seen & (1u << K_VERSION)))
        return kc_fail(msg, KC_EINVAL, "%s: \"version\" must be 1", file);
    if (c->nareas)
        qsort(c->areas, c->nareas, sizeof *c->areas, cmp_area);
    for (size_t i = 1; i < c->nareas; i++)
        if (strcmp(c->areas[i - 1].id, c->areas[i].id) == 0)
            return kc_fail(msg, KC_EINVAL, "%s: area \"%s\" appears twice", file,
                           c->areas[i].id);
    if (c->nitems)
        qsort(c->items, c->nitems, sizeof *c->items, cmp_key);
    for (size_t i = 1; i < c->nitems; i++)
        if (strcmp(c->items[i - 1].id, c->items[i].id) == 0)
            return kc_fail(msg, KC_EINVAL, "%s: item \"%s\" appears twice", file,
                           c->items[i].id);
    if (c->ndeleted)
        qsort(c->deleted, c->ndeleted, sizeof *c->deleted, cmp_str);
    for (size_t i = 0; i < c->ndeleted; i++)
        if (content_find_item(c, c->deleted[i]))
            return kc_fail(msg, KC_EINVAL, "%s: item \"%s\" is both in items and deleted",
                           file, c->deleted[i]);
    /* References inside the file; ids not found here are checked against the store
     * by content_apply. */
    for (size_t i = 0; i < c->nrefs; i++) {
        const item_ref *r = &c->refs[i];
        const cat_field *fd = &cat_fields[r->field];
        if (fd->type != CAT_T_REF)
            continue;
        where w = { file, r->from, 0, "item" };
        if (is_deleted(c, r->target))
            return content_bad(msg, KC_EINVAL, &w, fd->key,
                               "refers to \"%s\", which the file deletes", r->target);
        const item_key *t = content_find_item(c, r->target);
        if (t && (int)t->kind != fd->ref_kind)
            return content_bad(msg, KC_EINVAL, &w, fd->key, "\"%s\" is of kind %s, expected %s",
                               t->id, cat_kind_name(t->kind), cat_kind_name(fd->ref_kind));
    }
    return KC_OK;
}

static jstream_opts stream_opts(content *c, jstream_fn fn, void *ctx)
{
    jstream_opts o = { c->name, (size_t)CONTENT_MAX_FILE, CONTENT_MAX_DEPTH, fn, ctx, 0 };
    return o;
}

/* The first pass over text already in c (a path or a copy).  The file's head is looked
 * at first so a byte order mark, UTF-16 or a NUL byte get plain words (safetext.h);
 * a NUL byte further on still stops the JSON reader. */
static kc_err first_pass(content *c)
{
    jstream_opts o = stream_opts(c, check_piece, c);
    kc_err rc;
    if (c->path) {
        FILE *f = fopen(c->path, "rb");
        if (!f)
            return kc_fail(c->msg, KC_EIO, "%s: cannot open: %s", c->path, strerror(errno));
        char head[HEAD_CHECK];
        size_t n = fread(head, 1, sizeof head, f);
        if ((rc = safetext_check_file(head, n, c->name, c->msg)) || fseek(f, 0, SEEK_SET) != 0) {
            fclose(f);
            return rc ? rc : kc_fail(c->msg, KC_EIO, "%s: cannot read", c->name);
        }
        rc = jstream_file(&o, f, c->digest, c->msg);
        fclose(f);
    } else {
        rc = safetext_check_file(c->text, c->textlen, c->name, c->msg);
        if (!rc)
            rc = jstream_buf(&o, c->text, c->textlen, c->digest, c->msg);
    }
    return rc ? rc : check_whole(c);
}

kc_err content_reread(content *c, jstream_fn fn, void *ctx)
{
    jstream_opts o = stream_opts(c, fn, ctx);
    unsigned char digest[JSTREAM_DIGEST];
    kc_err rc;
    if (c->path) {
        FILE *f = fopen(c->path, "rb");
        if (!f)
            return kc_fail(c->msg, KC_EIO, "%s: cannot open: %s", c->path, strerror(errno));
        rc = jstream_file(&o, f, digest, c->msg);
        fclose(f);
    } else {
        rc = jstream_buf(&o, c->text, c->textlen, digest, c->msg);
    }
    if (!rc && memcmp(digest, c->digest, sizeof digest) != 0)
        rc = kc_fail(c->msg, KC_EIO, "%s: the file changed while it was being imported",
                     c->name);
    return rc;
}

kc_err content_parse(content *c, const char *buf, size_t len, const char *name)
{
    content_reset(c);
    c->msg[0] = '\0';
    snprintf(c->name, sizeof c->name, "%s", name ? name : "content");
    if (len > (size_t)CONTENT_MAX_FILE)
        return kc_fail(c->msg, KC_ETOOBIG, "%s: %zu bytes, limit is %ld", c->name, len,
                       CONTENT_MAX_FILE);
    /* A copy, so content_apply reads what was checked whatever the caller does. */
    if (!(c->text = kc_malloc(len ? len : 1)))
        return oom(c);
    if (len)
        memcpy(c->text, buf, len);
    c->textlen = len;
    kc_err rc = first_pass(c);
    if (rc)
        content_reset(c);
    return rc;
}

/* A pipe or terminal cannot be read twice: its text is kept in memory instead. */
static kc_err read_all(content *c, FILE *f)
{
    size_t cap = 0;
    for (;;) {
        if (c->textlen == cap) {
            if (cap > (size_t)CONTENT_MAX_FILE)
                return kc_fail(c->msg, KC_ETOOBIG, "%s: larger than %ld bytes", c->name,
                               CONTENT_MAX_FILE);
            size_t nc = cap ? cap * 2 : 65536;
            char *nb = kc_realloc(c->text, nc);
            if (!nb)
                return oom(c);
            c->text = nb;
            cap = nc;
        }
        size_t n = fread(c->text + c->textlen, 1, cap - c->textlen, f);
        c->textlen += n;
        if (n == 0)
            return ferror(f) ? kc_fail(c->msg, KC_EIO, "%s: read error", c->name) : KC_OK;
    }
}

kc_err content_load_file(content *c, const char *path)
{
    content_reset(c);
    c->msg[0] = '\0';
    snprintf(c->name, sizeof c->name, "%s", path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return kc_fail(c->msg, KC_EIO, "%s: cannot open: %s", path, strerror(errno));
    struct stat sb;
    kc_err rc = KC_OK;
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode)) {
        if (!(c->path = kc_strdup(path)))
            rc = oom(c);
    } else {
        rc = read_all(c, f);
    }
    fclose(f);
    if (!rc)
        rc = first_pass(c);
    if (rc)
        content_reset(c);
    return rc;
}
