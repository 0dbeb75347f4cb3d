#include "content_impl.h"
#include "fold.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

content *content_new(void)
{
    /* Route jansson through our allocator so fault tests reach its allocations too. */
    json_set_alloc_funcs(kc_malloc, kc_free);
    return kc_calloc(1, sizeof(content));
}

void content_reset(content *c)
{
    for (size_t i = 0; i < c->nitems; i++)
        kc_free(c->items[i].id);
    kc_free(c->items);
    for (size_t i = 0; i < c->nrefs; i++)
        kc_free(c->refs[i].target);
    kc_free(c->refs);
    for (size_t i = 0; i < c->nareas; i++) {
        kc_free(c->areas[i].id);
        kc_free(c->areas[i].body);
    }
    kc_free(c->areas);
    for (size_t i = 0; i < c->ndeleted; i++)
        kc_free(c->deleted[i]);
    kc_free(c->deleted);
    kc_free(c->path);
    kc_free(c->text);
    char name[sizeof c->name], msg[sizeof c->msg];
    memcpy(name, c->name, sizeof name);
    memcpy(msg, c->msg, sizeof msg);
    memset(c, 0, sizeof *c);
    memcpy(c->name, name, sizeof name);
    memcpy(c->msg, msg, sizeof msg);
}

void content_free(content *c)
{
    if (!c)
        return;
    content_reset(c);
    kc_free(c);
}

const char *content_errmsg(const content *c)
{
    if (!c)
        return "content: out of memory";
    return c->msg[0] ? c->msg : "no error";
}

size_t content_item_count(const content *c) { return c->nitems; }
size_t content_area_count(const content *c) { return c->nareas; }

/* --- value checks ------------------------------------------------------------ */



static int valid_url(const char *s)
{
    if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
        return 0;
    const char *host = strstr(s, "://") + 3;
    if (!*host || *host == '/')
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7F)
            return 0;
    return 1;
}

static int valid_email(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@'))
        return 0;
    const char *dot = strchr(at + 1, '.');
    if (!dot || dot == at + 1 || dot[1] == '\0' || s[strlen(s) - 1] == '.')
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7F || *p == ',' || *p == ';' || *p == '<' || *p == '>')
            return 0;
    return 1;
}

static int valid_phone(const char *s)
{
    int ndig = 0;
    size_t n = strlen(s);
    if (n < 3)
        return 0;
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9')
            ndig++;
        else if (!strchr(" +-()", *p))
            return 0;
    }
    return ndig >= 3;
}

/* --- item parsing --------------------------------------------------------------- */


kc_err content_bad(char *msg, kc_err code, const where *w, const char *field,
                  const char *fmt, ...)
{
    char detail[KC_MSGMAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    char who[160];
    if (w->id)
        snprintf(who, sizeof who, "%s \"%.64s\"", w->what, w->id);
    else
        snprintf(who, sizeof who, "%s #%zu", w->what, w->index + 1);
    if (field)
        return kc_fail(msg, code, "%s%s%s field \"%s\": %s", w->file ? w->file : "",
                       w->file ? ": " : "", who, field, detail);
    return kc_fail(msg, code, "%s%s%s: %s", w->file ? w->file : "", w->file ? ": " : "",
                   who, detail);
}

static kc_err parse_text(json_t *j, cat_value *v, const cat_field *f, const where *w,
                         char *msg)
{
    if (!json_is_object(j))
        return content_bad(msg, KC_EINVAL, w, f->key,
                   "must be an object with \"fi\", \"sv\" or \"en\"");
    const char *k;
    json_t *val;
    json_object_foreach(j, k, val) {
        int l = cat_lang_from_code(k);
        char path[96];
        snprintf(path, sizeof path, "%s.%.8s", f->key, k);
        if (l < 0)
            return content_bad(msg, KC_EINVAL, w, path, "unknown language; use fi, sv or en");
        if (!json_is_string(val))
            return content_bad(msg, KC_EINVAL, w, path, "must be a string");
        const char *s = json_string_value(val);
        size_t n = json_string_length(val);
        if (n == 0)
            return content_bad(msg, KC_EINVAL, w, path, "empty; leave the language out instead");
        if ((long long)n > f->max)
            return content_bad(msg, KC_ETOOBIG, w, path, "%zu bytes, limit is %lld", n, f->max);
        if (!cat_clean_text(s))
            return content_bad(msg, KC_EINVAL, w, path, "contains a control character");
        if (!(v->text[l] = kc_strndup(s, n)))
            return kc_fail(msg, KC_ENOMEM, "content: out of memory");
    }
    if (!v->text[CAT_FI] && !v->text[CAT_SV] && !v->text[CAT_EN])
        return content_bad(msg, KC_EINVAL, w, f->key, "needs at least one language");
    return KC_OK;
}

static kc_err parse_value(json_t *j, cat_value *v, const cat_field *f, const where *w,
                          char *msg)
{
    if (f->type == CAT_T_TEXT)
        return parse_text(j, v, f, w, msg);
    if (f->type == CAT_T_INT) {
        if (!json_is_integer(j))
            return content_bad(msg, KC_EINVAL, w, f->key, "must be an integer");
        long long n = json_integer_value(j);
        if (n < 0 || n > f->max)
            return content_bad(msg, KC_EINVAL, w, f->key, "%lld is outside 0..%lld", n, f->max);
        v->num = n;
        return KC_OK;
    }
    if (f->type == CAT_T_ENUMS) {
        if (!json_is_array(j))
            return content_bad(msg, KC_EINVAL, w, f->key, "must be an array of strings");
        size_t i;
        json_t *e;
        json_array_foreach(j, i, e) {
            int idx = json_is_string(e) ? cat_enum_index(f->enum_vals, json_string_value(e))
                                        : -1;
            if (idx < 0)
                return content_bad(msg, KC_EINVAL, w, f->key, "element %zu is not a known value",
                           i + 1);
            if (v->bits & (1u << idx))
                return content_bad(msg, KC_EINVAL, w, f->key, "\"%s\" is listed twice",
                           f->enum_vals[idx]);
            v->bits |= 1u << idx;
        }
        return KC_OK;
    }
    if (!json_is_string(j))
        return content_bad(msg, KC_EINVAL, w, f->key, "must be a string");
    const char *s = json_string_value(j);
    size_t n = json_string_length(j);
    if (n == 0)
        return content_bad(msg, KC_EINVAL, w, f->key, "empty; leave the field out instead");
    if (f->max && (long long)n > f->max && f->type != CAT_T_ENUM)
        return content_bad(msg, KC_ETOOBIG, w, f->key, "%zu bytes, limit is %lld", n, f->max);
    int ok = 1;
    const char *why = "";
    switch (f->type) {
    case CAT_T_STR:
        ok = cat_clean_text(s) && !strchr(s, '\n');
        why = "contains a control character";
        break;
    case CAT_T_URL:
        ok = valid_url(s);
        why = "not an http:// or https:// address";
        break;
    case CAT_T_EMAIL:
        ok = valid_email(s);
        why = "not an e-mail address";
        break;
    case CAT_T_PHONE:
        ok = valid_phone(s);
        why = "not a phone number (digits, spaces, + - ( ))";
        break;
    case CAT_T_DATE:
        ok = cat_valid_date(s);
        why = "not a date YYYY-MM-DD";
        break;
    case CAT_T_DATETIME:
        ok = cat_valid_datetime(s);
        why = "not a date and time YYYY-MM-DDTHH:MM";
        break;
    case CAT_T_ENUM:
        ok = cat_enum_index(f->enum_vals, s) >= 0;
        why = "not one of the allowed values";
        break;
    case CAT_T_REF:
    case CAT_T_AREA:
        ok = cat_valid_id(s, CAT_ID_MAX);
        why = "not an id ([a-z0-9._-], 1-64 bytes)";
        break;
    case CAT_T_TEXT:
    case CAT_T_INT:
    case CAT_T_ENUMS: break;
    }
    if (!ok)
        return content_bad(msg, KC_EINVAL, w, f->key, "%s", why);
    if (!(v->str = kc_strndup(s, n)))
        return kc_fail(msg, KC_ENOMEM, "content: out of memory");
    return KC_OK;
}

kc_err content_parse_item(json_t *j, cat_item *it, const where *w0, char *msg)
{
    where w = *w0;
    kc_err rc;
    memset(it, 0, sizeof *it);
    if (!json_is_object(j))
        return content_bad(msg, KC_EINVAL, &w, NULL, "must be an object");
    json_t *id = json_object_get(j, "id");
    if (!id)
        return content_bad(msg, KC_EINVAL, &w, "id", "missing");
    if (!json_is_string(id) || !cat_valid_id(json_string_value(id), CAT_ID_MAX))
        return content_bad(msg, KC_EINVAL, &w, "id", "not an id ([a-z0-9._-], 1-64 bytes)");
    w.id = json_string_value(id);
    json_t *kind = json_object_get(j, "kind");
    if (!kind)
        return content_bad(msg, KC_EINVAL, &w, "kind", "missing");
    int k = json_is_string(kind) ? cat_kind_from_name(json_string_value(kind)) : -1;
    if (k < 0)
        return content_bad(msg, KC_EINVAL, &w, "kind",
                   "unknown kind; use association, opportunity, venue, event, grant or "
                   "contact");
    it->kind = (cat_kind)k;
    if (!(it->id = kc_strdup(w.id)))
        return kc_fail(msg, KC_ENOMEM, "content: out of memory");

    const char *key;
    json_t *val;
    json_object_foreach(j, key, val) {
        if (strcmp(key, "id") == 0 || strcmp(key, "kind") == 0)
            continue;
        int f;
        for (f = 0; f < CAT_NFIELD; f++)
            if (strcmp(cat_fields[f].key, key) == 0)
                break;
        if (f == CAT_NFIELD) {
            rc = content_bad(msg, KC_EINVAL, &w, key, "unknown field");
            goto fail;
        }
        if (!(cat_fields[f].kinds & CAT_KIND_BIT(k))) {
            rc = content_bad(msg, KC_EINVAL, &w, key, "not allowed for kind %s", cat_kind_name(k));
            goto fail;
        }
        if ((rc = parse_value(val, &it->v[f], &cat_fields[f], &w, msg)))
            goto fail;
        it->v[f].present = 1;
    }
    for (int f = 0; f < CAT_NFIELD; f++) {
        if ((cat_fields[f].required & CAT_KIND_BIT(k)) && !it->v[f].present) {
            rc = content_bad(msg, KC_EINVAL, &w, cat_fields[f].key, "missing (required for %s)",
                     cat_kind_name(k));
            goto fail;
        }
    }
    if (it->v[CAT_F_END].present && it->v[CAT_F_START].present &&
        strcmp(it->v[CAT_F_END].str, it->v[CAT_F_START].str) < 0) {
        rc = content_bad(msg, KC_EINVAL, &w, "end", "before start");
        goto fail;
    }
    return KC_OK;
fail:
    cat_item_clear(it);
    return rc;
}

/* Canonical JSON: keys in table order, enum arrays in list order, compact. */
json_t *content_item_json(const cat_item *it)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    if (json_object_set_new(o, "id", json_string(it->id)) ||
        json_object_set_new(o, "kind", json_string(cat_kind_name(it->kind))))
        goto fail;
    for (int f = 0; f < CAT_NFIELD; f++) {
        const cat_field *fd = &cat_fields[f];
        const cat_value *v = &it->v[f];
        if (!v->present)
            continue;
        json_t *x = NULL;
        switch (fd->type) {
        case CAT_T_TEXT:
            x = json_object();
            for (int l = 0; x && l < CAT_NLANG; l++)
                if (v->text[l] && json_object_set_new(x, cat_lang_code((cat_lang)l),
                                                      json_string(v->text[l]))) {
                    json_decref(x);
                    x = NULL;
                }
            break;
        case CAT_T_INT:
            x = json_integer(v->num);
            break;
        case CAT_T_ENUMS:
            x = json_array();
            for (int i = 0; x && fd->enum_vals[i]; i++)
                if ((v->bits & (1u << i)) &&
                    json_array_append_new(x, json_string(fd->enum_vals[i]))) {
                    json_decref(x);
                    x = NULL;
                }
            break;
        default:
            x = json_string(v->str);
            break;
        }
        if (!x || json_object_set_new(o, fd->key, x))
            goto fail;
    }
    return o;
fail:
    json_decref(o);
    return NULL;
}

/* jansson allocates with malloc; dumps are copied so every string we hand out is
 * freed with kc_free. */
char *content_dump(json_t *j, size_t flags)
{
    char *s = json_dumps(j, flags);
    if (!s)
        return NULL;
    char *r = kc_strdup(s);
    free(s);
    return r;
}


kc_err content_item_to_json(const cat_item *it, char **out)
{
    *out = NULL;
    json_t *o = content_item_json(it);
    if (!o)
        return KC_ENOMEM;
    *out = content_dump(o, CANON_FLAGS);
    json_decref(o);
    return *out ? KC_OK : KC_ENOMEM;
}

kc_err content_item_from_json(const char *text, size_t len, cat_item *it, char *msg)
{
    json_error_t err;
    memset(it, 0, sizeof *it);
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (!j)
        return kc_fail(msg, KC_EJSON, "item: %s (line %d, column %d)", err.text, err.line,
                       err.column);
    where w = { NULL, NULL, 0, "item" };
    kc_err rc = content_parse_item(j, it, &w, msg);
    json_decref(j);
    return rc;
}

/* --- areas ------------------------------------------------------------------------ */

kc_err content_parse_area(json_t *j, area_rec *a, const where *w0, char *msg)
{
    where w = *w0;
    if (!json_is_object(j))
        return content_bad(msg, KC_EINVAL, &w, NULL, "must be an object");
    json_t *id = json_object_get(j, "id");
    if (!id || !json_is_string(id) || !cat_valid_id(json_string_value(id), CAT_ID_MAX))
        return content_bad(msg, KC_EINVAL, &w, "id", "missing or not an id ([a-z0-9._-], 1-64 bytes)");
    w.id = json_string_value(id);
    const char *key;
    json_t *val;
    json_object_foreach(j, key, val) {
        if (strcmp(key, "id") && strcmp(key, "city") && strcmp(key, "type") &&
            strcmp(key, "name"))
            return content_bad(msg, KC_EINVAL, &w, key, "unknown field");
    }
    json_t *city = json_object_get(j, "city");
    if (!city || !json_is_string(city) || json_string_length(city) == 0 ||
        json_string_length(city) > 100 || !cat_clean_text(json_string_value(city)))
        return content_bad(msg, KC_EINVAL, &w, "city", "missing, or not a string of 1-100 bytes");
    json_t *type = json_object_get(j, "type");
    static const char *const types[] = { "city", "district", "village", NULL };
    if (!type || !json_is_string(type) || cat_enum_index(types, json_string_value(type)) < 0)
        return content_bad(msg, KC_EINVAL, &w, "type", "must be city, district or village");
    json_t *name = json_object_get(j, "name");
    if (!name)
        return content_bad(msg, KC_EINVAL, &w, "name", "missing");
    static const cat_field name_field = { "name", CAT_T_TEXT, 0, 0, 100, NULL, -1 };
    cat_value v;
    memset(&v, 0, sizeof v);
    kc_err rc = parse_text(name, &v, &name_field, &w, msg);
    for (int l = 0; l < CAT_NLANG; l++)
        kc_free(v.text[l]);
    if (rc)
        return rc;
    /* Rebuild in canonical key order so identical areas compare equal as text. */
    json_t *o = json_pack("{s:O, s:O, s:O, s:O}", "id", id, "city", city, "type", type,
                          "name", name);
    if (!o)
        return kc_fail(msg, KC_ENOMEM, "content: out of memory");
    a->id = kc_strdup(w.id);
    a->body = content_dump(o, CANON_FLAGS | JSON_SORT_KEYS);
    json_decref(o);
    if (!a->id || !a->body) {
        kc_free(a->id);
        kc_free(a->body);
        a->id = a->body = NULL;
        return kc_fail(msg, KC_ENOMEM, "content: out of memory");
    }
    return KC_OK;
}
