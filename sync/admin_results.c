/* admin_results.c - the console's quick feedback results (docs/admin-api.md,
 * "Results"): counts per face, per kiosk, per card, by week and on an hour-of-day x
 * weekday grid, and the comments, which a coordinator may hide.
 *
 * Times: kiosks store the UTC hour of each feedback and nothing finer; the grid,
 * weeks and periods are in the server's local time zone (TZ), converted an hour at a
 * time.  Zones whose offsets are whole hours (Finland's) lose nothing by that.
 *
 * A coordinator limited to named kiosks sees only theirs: the kiosk set is part of
 * the storage query, not a filter of its output. */
#include "admin_impl.h"
#include "admin_results_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CARDS_MAX 200
#define COMMENTS_DEFAULT 50
#define COMMENTS_MAX 200

/* Days since 1970-01-01 of a civil date, and back (Howard Hinnant's algorithms). */
static long long days_from_civil(long long y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, char out[24])
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    long long m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(out, 24, "%04d-%02d-%02d", (int)(y + (m <= 2)), (int)m, (int)d);
}

/* A YYYY-MM-DD query argument as the unix time of that local midnight (plus `add`
 * days); 0 when absent, -1 after a 400 naming it. */
static int query_date(adm_ctx *x, const char *name, int add, long long *out)
{
    const char *s = adm_query(x, name);
    *out = 0;
    if (!s || !*s)
        return 0;
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 2000 ||
        y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, name, "\"%s\" must be a date YYYY-MM-DD", name);
        return -1;
    }
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d + add;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    if (t == (time_t)-1) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, name, "\"%s\" must be a date YYYY-MM-DD", name);
        return -1;
    }
    *out = (long long)t;
    return 0;
}

static kc_err dev_one(void *ctx, const srvdb_device *d)
{
    devs *ds = ctx;
    if (!adm_kiosk_allowed(ds->x, d->name) || (ds->only && strcmp(ds->only, d->name) != 0))
        return KC_OK;
    if (ds->n == ds->cap) {
        size_t cap = ds->cap ? ds->cap * 2 : 16;
        dev *v = kc_realloc(ds->v, cap * sizeof *v);
        if (!v)
            return KC_ENOMEM;
        ds->v = v;
        ds->cap = cap;
    }
    ds->v[ds->n].id = d->id;
    snprintf(ds->v[ds->n].name, sizeof ds->v[ds->n].name, "%s", d->name);
    if (d->id > ds->max_id)
        ds->max_id = d->id;
    ds->n++;
    return KC_OK;
}

int adm_res_filter(adm_ctx *x, devs *ds, srvdb_fb_filter *f, long long **ids)
{
    memset(ds, 0, sizeof *ds);
    memset(f, 0, sizeof *f);
    *ids = NULL;
    ds->x = x;
    ds->only = adm_query(x, "kiosk");
    if (ds->only && !*ds->only)
        ds->only = NULL;
    if (query_date(x, "from", 0, &f->from) || query_date(x, "to", 1, &f->to))
        return -1;
    if (f->from && f->to && f->to <= f->from) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "to", "\"to\" must not be before \"from\"");
        return -1;
    }
    kc_err rc = srvdb_devices_each(x->db, dev_one, ds);
    if (rc) {
        adm_db_fail(x, rc);
        return -1;
    }
    if (ds->only && ds->n == 0) {
        adm_fail(x, MHD_HTTP_NOT_FOUND, "kiosk", "\"kiosk\": no kiosk \"%s\" among yours",
                 ds->only);
        return -1;
    }
    ds->limited = ds->only || (x->user.role == SRVDB_ROLE_COORDINATOR && x->user.kiosks[0]);
    if (!ds->limited)
        return 0;
    if (!(*ids = kc_malloc((ds->n ? ds->n : 1) * sizeof **ids))) {
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < ds->n; i++)
        (*ids)[i] = ds->v[i].id;
    f->devices = *ids;
    f->ndevices = ds->n;
    return 0;
}

const char *adm_res_kiosk(const devs *ds, long long id)
{
    for (size_t i = 0; i < ds->n; i++)
        if (ds->v[i].id == id)
            return ds->v[i].name;
    return "";
}

/* --- the counts ------------------------------------------------------------------- */

typedef struct week {
    long long monday;  /* days since the epoch */
    long n[SRVDB_FACES];
} week;

typedef struct sum {
    const devs *ds;
    long faces[SRVDB_FACES];
    long heat[7][24];
    long (*per_dev)[SRVDB_FACES];  /* by device id */
    week *weeks;
    size_t nweeks, capweeks;
    long long last_hour;           /* the hour converted last, and what it gave */
    int wd, hod;
    long long monday;
} sum;

static kc_err sum_hour(void *ctx, long long hour, const long n[SRVDB_FACES])
{
    sum *s = ctx;
    if (hour != s->last_hour) {
        /* Rows come in hour order, so each hour is converted once. */
        time_t t = (time_t)hour;
        struct tm tm;
        if (!localtime_r(&t, &tm))
            return KC_EINVAL;
        s->last_hour = hour;
        s->wd = (tm.tm_wday + 6) % 7;  /* Monday first */
        s->hod = tm.tm_hour;
        s->monday = days_from_civil(tm.tm_year + 1900LL, tm.tm_mon + 1, tm.tm_mday) - s->wd;
    }
    if (!s->nweeks || s->weeks[s->nweeks - 1].monday != s->monday) {
        if (s->nweeks == s->capweeks) {
            size_t cap = s->capweeks ? s->capweeks * 2 : 64;
            week *w = kc_realloc(s->weeks, cap * sizeof *w);
            if (!w)
                return KC_ENOMEM;
            s->weeks = w;
            s->capweeks = cap;
        }
        memset(&s->weeks[s->nweeks], 0, sizeof s->weeks[0]);
        s->weeks[s->nweeks++].monday = s->monday;
    }
    week *w = &s->weeks[s->nweeks - 1];
    long total = 0;
    for (int i = 0; i < SRVDB_FACES; i++) {
        s->faces[i] += n[i];
        w->n[i] += n[i];
        total += n[i];
    }
    s->heat[s->wd][s->hod] += total;
    return KC_OK;
}

static kc_err sum_device(void *ctx, long long device, const long n[SRVDB_FACES])
{
    sum *s = ctx;
    if (device >= 0 && device <= s->ds->max_id)
        for (int i = 0; i < SRVDB_FACES; i++)
            s->per_dev[device][i] += n[i];
    return KC_OK;
}

static json_t *faces_json(const long n[SRVDB_FACES])
{
    return json_pack("[I,I,I,I,I]", (json_int_t)n[0], (json_int_t)n[1], (json_int_t)n[2],
                     (json_int_t)n[3], (json_int_t)n[4]);
}

static kc_err card_one(void *ctx, const char *item, const char *const names[3],
                       const long n[SRVDB_FACES])
{
    json_t *arr = ctx, *j = json_pack("{s:s, s:o}", "id", item, "counts", faces_json(n));
    if (j && names[0])
        json_object_set_new(j, "names", json_pack("{s:s, s:s, s:s}", "fi", names[0], "sv",
                                                  names[1], "en", names[2]));
    return j && json_array_append_new(arr, j) == 0 ? KC_OK : KC_ENOMEM;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const dev *)a)->name, ((const dev *)b)->name);
}

void adm_results_feedback(adm_ctx *x)
{
    devs ds;
    srvdb_fb_filter f;
    long long *ids;
    sum s;
    long long merged = 0;
    memset(&s, 0, sizeof s);
    s.last_hour = -1;
    if (adm_res_filter(x, &ds, &f, &ids))
        goto done;
    s.ds = &ds;
    json_t *cards = json_array(), *kiosks = json_array(), *weeks = json_array(),
           *heat = json_array();
    kc_err rc = cards && kiosks && weeks && heat ? KC_OK : KC_ENOMEM;
    if (!rc && !(s.per_dev = kc_calloc((size_t)ds.max_id + 1, sizeof *s.per_dev)))
        rc = KC_ENOMEM;
    if (!rc && (rc = srvdb_read_begin(x->db)) == KC_OK) {
        rc = srvdb_fb_hours(x->db, &f, sum_hour, &s);
        if (!rc)
            rc = srvdb_fb_devices(x->db, &f, sum_device, &s);
        if (!rc)
            rc = srvdb_fb_cards(x->db, &f, CARDS_MAX, card_one, cards);
        if (!rc)
            rc = srvdb_fb_merged(x->db, &f, &merged);
        srvdb_read_end(x->db);
    }
    if (!rc) {
        qsort(ds.v, ds.n, sizeof *ds.v, by_name);
        for (size_t i = 0; i < ds.n && !rc; i++) {
            const long *n = s.per_dev[ds.v[i].id];
            if (!(n[0] || n[1] || n[2] || n[3] || n[4]))
                continue;
            json_t *k = json_pack("{s:s, s:o}", "name", ds.v[i].name, "counts", faces_json(n));
            if (!k || json_array_append_new(kiosks, k))
                rc = KC_ENOMEM;
        }
        for (size_t i = 0; i < s.nweeks && !rc; i++) {
            char day[24];
            civil_from_days(s.weeks[i].monday, day);
            json_t *w = json_pack("{s:s, s:o}", "week", day, "counts", faces_json(s.weeks[i].n));
            if (!w || json_array_append_new(weeks, w))
                rc = KC_ENOMEM;
        }
        for (int d = 0; d < 7 && !rc; d++) {
            json_t *row = json_array();
            for (int h = 0; row && h < 24; h++)
                if (json_array_append_new(row, json_integer(s.heat[d][h])))
                    json_decref(row), row = NULL;
            if (!row || json_array_append_new(heat, row))
                rc = KC_ENOMEM;
        }
    }
    if (rc) {
        json_decref(cards);
        json_decref(kiosks);
        json_decref(weeks);
        json_decref(heat);
        if (rc == KC_ENOMEM)
            adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
        else
            adm_db_fail(x, rc);
        goto done;
    }
    long total = s.faces[0] + s.faces[1] + s.faces[2] + s.faces[3] + s.faces[4];
    adm_ok(x, MHD_HTTP_OK,
           json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o}", "total", (json_int_t)total,
                     "merged", (json_int_t)merged, "faces", faces_json(s.faces), "kiosks",
                     kiosks, "cards", cards, "weeks", weeks, "heat", heat));
done:
    kc_free(s.per_dev);
    kc_free(s.weeks);
    kc_free(ids);
    kc_free(ds.v);
}

/* --- comments ---------------------------------------------------------------------- */

typedef struct com_ctx {
    const devs *ds;
    json_t *arr;
    long long last_hour;
    char last_uuid[40];
} com_ctx;

static json_t *comment_json(const devs *ds, const srvdb_fb_comment *c)
{
    char local[32] = "";
    time_t t = (time_t)c->hour;
    struct tm tm;
    if (localtime_r(&t, &tm))
        strftime(local, sizeof local, "%Y-%m-%d %H:00", &tm);
    json_t *j = json_pack("{s:s, s:I, s:s, s:s, s:i, s:s}", "uuid", c->uuid, "hour",
                          (json_int_t)c->hour, "local", local, "kiosk",
                          adm_res_kiosk(ds, c->device), "face", c->score, "context", c->context);
    if (!j)
        return NULL;
    /* A hidden comment's text stays in storage but never leaves it again. */
    if (c->hidden_by)
        json_object_set_new(j, "hidden", json_pack("{s:s, s:I}", "by", c->hidden_by, "at",
                                                   (json_int_t)c->hidden_at));
    else
        json_object_set_new(j, "comment", json_string(c->comment));
    return j;
}

static kc_err com_one(void *ctx, const srvdb_fb_comment *c)
{
    com_ctx *cc = ctx;
    json_t *j = comment_json(cc->ds, c);
    cc->last_hour = c->hour;
    snprintf(cc->last_uuid, sizeof cc->last_uuid, "%s", c->uuid);
    return j && json_array_append_new(cc->arr, j) == 0 ? KC_OK : KC_ENOMEM;
}

void adm_results_comments(adm_ctx *x)
{
    devs ds;
    srvdb_fb_filter f;
    long long *ids, limit, before_hour = 0;
    char before_uuid[40] = "";
    com_ctx cc = { &ds, json_array(), 0, "" };
    if (adm_res_filter(x, &ds, &f, &ids) ||
        adm_query_num(x, "limit", COMMENTS_MAX, COMMENTS_DEFAULT, &limit))
        goto done;
    const char *before = adm_query(x, "before");
    if (before && *before) {
        /* "HOUR.UUID", as next_before gave it */
        char *end;
        before_hour = strtoll(before, &end, 10);
        if (*end != '.' || before_hour <= 0 || strlen(end + 1) >= sizeof before_uuid) {
            adm_fail(x, MHD_HTTP_BAD_REQUEST, "before", "\"before\": not a comment's cursor");
            goto done;
        }
        snprintf(before_uuid, sizeof before_uuid, "%s", end + 1);
    }
    if (limit < 1)
        limit = 1;
    kc_err rc = cc.arr ? srvdb_fb_comments(x->db, &f, before_hour, before_uuid, (long)limit,
                                           com_one, &cc)
                       : KC_ENOMEM;
    if (rc) {
        adm_db_fail(x, rc);
        goto done;
    }
    json_t *j = json_pack("{s:O}", "comments", cc.arr);
    if (j && (long long)json_array_size(cc.arr) == limit) {
        char next[80];
        snprintf(next, sizeof next, "%lld.%s", cc.last_hour, cc.last_uuid);
        json_object_set_new(j, "next_before", json_string(next));
    }
    adm_ok(x, MHD_HTTP_OK, j);
done:
    json_decref(cc.arr);
    kc_free(ids);
    kc_free(ds.v);
}

typedef struct one_ctx {
    long long device;
    int found;
} one_ctx;

static kc_err one_of(void *ctx, const srvdb_fb_comment *c)
{
    one_ctx *o = ctx;
    o->device = c->device;
    o->found = 1;
    return KC_OK;
}

void adm_results_hide(adm_ctx *x)
{
    one_ctx o = { 0, 0 };
    devs ds;
    memset(&ds, 0, sizeof ds);
    ds.x = x;
    kc_err rc = srvdb_fb_comment_get(x->db, x->arg, one_of, &o);
    if (!rc)
        rc = srvdb_devices_each(x->db, dev_one, &ds);
    if (rc) {
        adm_db_fail(x, rc);
        goto done;
    }
    /* Another kiosk's comment is not there for a coordinator limited to theirs. */
    const char *kiosk = adm_res_kiosk(&ds, o.device);
    if (!*kiosk) {
        adm_fail(x, MHD_HTTP_NOT_FOUND, NULL, "no such comment");
        goto done;
    }
    int changed;
    if ((rc = srvdb_fb_comment_hide(x->db, x->arg, x->user.name, (long long)time(NULL),
                                    &changed))) {
        adm_db_fail(x, rc);
        goto done;
    }
    if (changed && adm_audit(x, "feedback.hide", x->arg, "kiosk %s", kiosk))
        goto done;
    adm_ok(x, MHD_HTTP_OK, json_pack("{s:s, s:b}", "uuid", x->arg, "hidden", 1));
done:
    kc_free(ds.v);
}
