/* source_map.c - what every source's mapper needs: ids, multilingual texts, times in
 * Finnish local time, rules look-ups and messages naming the record. */
#include "source_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "fold.h"

kc_err src_bad(src_map *m, kc_err code, const char *fmt, ...)
{
    char detail[KC_MSGMAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    return kc_fail(m->msg, code, "%s: %s: %s", m->kind, m->where,
                   detail);
}

kc_err src_item_id(src_map *m, const char *origin_id, char *out)
{
    size_t pl = strlen(m->prefix), n = strlen(origin_id);
    if (pl + n > CAT_ID_MAX)
        return src_bad(m, KC_EINVAL, "id \"%.80s\" is too long for an item id", origin_id);
    memcpy(out, m->prefix, pl);
    for (size_t i = 0; i < n; i++) {
        char c = origin_id[i];
        /* '.' in an origin id would make two origin ids map to one item id. */
        if (c == '.')
            return src_bad(m, KC_EINVAL, "id \"%.80s\" holds a '.'", origin_id);
        out[pl + i] = c == ':' ? '.' : c;
    }
    out[pl + n] = '\0';
    if (!cat_valid_id(out, CAT_ID_MAX))
        return src_bad(m, KC_EINVAL,
                       "id \"%.80s\" has characters other than a-z 0-9 _ - :", origin_id);
    return KC_OK;
}

const char *src_ref_id(json_t *ref, char *buf, size_t cap)
{
    const char *s = NULL;
    if (json_is_string(ref))
        s = json_string_value(ref);
    else if (json_is_object(ref)) {
        json_t *id = json_object_get(ref, "id");
        if (json_is_string(id))
            return json_string_value(id);
        if (json_is_integer(id)) {
            snprintf(buf, cap, "%lld", (long long)json_integer_value(id));
            return buf;
        }
        s = json_string_value(json_object_get(ref, "@id"));
    }
    if (!s)
        return NULL;
    /* ".../event/helsinki:abc/" -> "helsinki:abc" */
    size_t n = strlen(s);
    while (n && s[n - 1] == '/')
        n--;
    size_t b = n;
    while (b && s[b - 1] != '/')
        b--;
    if (b == n || n - b >= cap)
        return NULL;
    memcpy(buf, s + b, n - b);
    buf[n - b] = '\0';
    return buf;
}

/* Cuts s (valid UTF-8) to at most limit bytes at a word boundary and appends "…". */
static void shorten(char *s, size_t limit)
{
    size_t cut = limit - 4;  /* room for " …" */
    while (cut && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    size_t w = cut;
    while (w > cut / 2 && s[w] != ' ' && s[w] != '\n')
        w--;
    if (w > cut / 2)
        cut = w;
    memcpy(s + cut, "\xe2\x80\xa6", 4);  /* "…" and the NUL */
}

/* Control characters other than line feed and tab become spaces: sources carry \r
 * and stray C0 bytes that the content format refuses. */
static void clean(char *s)
{
    unsigned char *w = (unsigned char *)s;
    for (const unsigned char *p = w; *p; p++) {
        if (*p == '\r' && p[1] == '\n')
            continue;  /* CR LF is a line feed */
        *w++ = (*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f ? ' ' : *p;
    }
    *w = '\0';
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\n' && *s != '\t')
            return 0;
    return 1;
}

json_t *src_text(src_map *m, json_t *ml, int html, size_t limit, kc_err *rc)
{
    static const char *const langs[] = { "fi", "sv", "en" };
    *rc = KC_OK;
    if (!json_is_object(ml))
        return NULL;
    json_t *o = json_object();
    if (!o) {
        *rc = src_bad(m, KC_ENOMEM, "out of memory");
        return NULL;
    }
    for (int l = 0; l < 3; l++) {
        const char *v = json_string_value(json_object_get(ml, langs[l]));
        if (!v)
            continue;
        char *t = NULL;
        if (html) {
            if ((*rc = src_html_text(v, &t, m->msg))) {
                src_bad(m, *rc, "%s", m->msg);
                break;
            }
        } else if (!(t = kc_strdup(v))) {
            *rc = src_bad(m, KC_ENOMEM, "out of memory");
            break;
        }
        clean(t);
        /* Drop leading and trailing white space the sources leave around texts. */
        size_t n = strlen(t), a = 0;
        while (n && (t[n - 1] == ' ' || t[n - 1] == '\n' || t[n - 1] == '\t'))
            t[--n] = '\0';
        while (t[a] == ' ' || t[a] == '\n' || t[a] == '\t')
            a++;
        if (n - a > limit) {
            shorten(t + a, limit);
            m->shortened++;
        }
        if (!blank(t + a) && json_object_set_new(o, langs[l], json_string(t + a)) != 0) {
            kc_free(t);
            *rc = src_bad(m, KC_ENOMEM, "out of memory");
            break;
        }
        kc_free(t);
    }
    if (*rc || json_object_size(o) == 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static int digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        *v = *v * 10 + (s[i] - '0');
    }
    return 1;
}

static long long days_from_civil(long long y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, int *y, int *m, int *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

long long src_parse_time(const char *s)
{
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (!s || strlen(s) < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
        s[7] != '-' || !digits(s + 8, 2, &d))
        return -1;
    char date[11];
    memcpy(date, s, 10);
    date[10] = '\0';
    if (!cat_valid_date(date))
        return -1;
    const char *p = s + 10;
    long off = 0;
    int local = 1;  /* no zone given: Finnish time, like the content format */
    if (*p == 'T') {
        if (!digits(p + 1, 2, &h) || p[3] != ':' || !digits(p + 4, 2, &mi) || h > 23 ||
            mi > 59)
            return -1;
        p += 6;
        if (*p == ':') {
            if (!digits(p + 1, 2, &sec) || sec > 60)
                return -1;
            p += 3;
        }
        if (*p == '.')
            for (p++; *p >= '0' && *p <= '9'; p++)
                ;
        if (*p == 'Z') {
            local = 0;
            p++;
        } else if (*p == '+' || *p == '-') {
            int oh, om;
            if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om))
                return -1;
            off = (oh * 60L + om) * 60 * (*p == '-' ? -1 : 1);
            local = 0;
            p += 6;
        }
    }
    if (*p)
        return -1;
    long long t = days_from_civil(y, mo, d) * 86400 + h * 3600LL + mi * 60LL + sec - off;
    if (local) {
        /* Try winter time; when that instant is in summer time, it was summer time. */
        char want[48], got[17];
        snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d", y, mo, d, h, mi);
        src_local_time(t - 7200, got);
        t -= strcmp(got, want) == 0 ? 7200 : 10800;
    }
    return t;
}

/* EU rule: summer time from the last Sunday of March 01:00 UTC to the last Sunday of
 * October 01:00 UTC. */
static long long last_sunday_utc1(int y, int m)
{
    long long day = days_from_civil(y, m, 31);
    long long wd = (day + 4) % 7;  /* 1970-01-01 was a Thursday; 0 = Sunday */
    if (wd < 0)
        wd += 7;
    return (day - wd) * 86400 + 3600;
}

void src_local_time(long long t, char out[17])
{
    int y, m, d;
    civil_from_days((t + 7200) / 86400 - ((t + 7200) % 86400 < 0), &y, &m, &d);
    long long off = 7200;
    if (t >= last_sunday_utc1(y, 3) && t < last_sunday_utc1(y, 10))
        off = 10800;
    long long l = t + off;
    long long day = l / 86400 - (l % 86400 < 0);
    long long sec = l - day * 86400;
    civil_from_days(day, &y, &m, &d);
    char buf[48];
    snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d", y % 10000, m % 100, d % 100,
             (int)(sec / 3600) % 100, (int)(sec % 3600 / 60) % 100);
    memcpy(out, buf, 16);
    out[16] = '\0';
}

const char *src_rule(src_map *m, const char *section, const char *key)
{
    return json_string_value(json_object_get(json_object_get(m->rules, section), key));
}

kc_err src_put(src_map *m, json_t *set, const char *id, json_t *obj)
{
    if (!obj || json_object_set_new(set, id, obj) != 0)
        return src_bad(m, KC_ENOMEM, "out of memory");
    return KC_OK;
}

int src_weekday(const char *local)
{
    int y, m, d;
    if (!digits(local, 4, &y) || !digits(local + 5, 2, &m) || !digits(local + 8, 2, &d))
        return 0;
    long long wd = (days_from_civil(y, m, d) + 4) % 7;  /* 1970-01-01 was a Thursday */
    return (int)(wd < 0 ? wd + 7 : wd);
}

/* The content format's rules for these types (docs/content-format.md), checked here
 * so one malformed optional value drops that value, not the whole run. */
static int ok_url(const char *s)
{
    size_t n = strlen(s);
    if (n > 500 || (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0))
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == 0x7f)
            return 0;
    return 1;
}

static int ok_phone(const char *s)
{
    size_t n = strlen(s);
    int nd = 0;
    if (n < 3 || n > 40)
        return 0;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            nd++;
        else if (!strchr(" +-()", *s))
            return 0;
    }
    return nd >= 3;
}

static int ok_email(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || strlen(s) > 254 || !strchr(at + 1, '.'))
        return 0;
    for (; *s; s++)
        if ((unsigned char)*s <= ' ' || *s == 0x7f)
            return 0;
    return 1;
}

kc_err src_set_checked(src_map *m, json_t *item, const char *key, const char *v, int type)
{
    if (!v || !*v)
        return KC_OK;
    int ok = type == 'u' ? ok_url(v) : type == 'p' ? ok_phone(v) : ok_email(v);
    if (!ok) {
        m->dropped++;
        return KC_OK;
    }
    if (json_object_set_new(item, key, json_string(v)) != 0)
        return src_bad(m, KC_ENOMEM, "out of memory");
    return KC_OK;
}

kc_err src_set_text(src_map *m, json_t *item, const char *key, json_t *ml, int html,
                    size_t limit)
{
    kc_err rc;
    json_t *t = src_text(m, ml, html, limit, &rc);
    if (rc)
        return rc;
    if (t && json_object_set_new(item, key, t) != 0)
        return src_bad(m, KC_ENOMEM, "out of memory");
    return KC_OK;
}

const char *src_first_lang(json_t *ml)
{
    if (json_is_string(ml))
        return json_string_value(ml);
    const char *s = json_string_value(json_object_get(ml, "fi"));
    if (!s)
        s = json_string_value(json_object_get(ml, "en"));
    if (!s)
        s = json_string_value(json_object_get(ml, "sv"));
    return s;
}
