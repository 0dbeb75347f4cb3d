/* admin_results_survey.c - the console's survey results (docs/admin-api.md, "Results:
 * surveys"): per question the summary its type calls for, responses per day, the
 * free-text answers newest first, which a coordinator may hide.
 *
 * Counts come from storage already summed per version, question and value; here they
 * are added up per question as asked (admin_results_survey_impl.h) and turned into
 * shares, medians, means, bins and average ranks.  A coordinator limited to named
 * kiosks sees only theirs: the kiosk set is part of the storage query. */
#include "admin_results_survey_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TEXTS_FIRST 10
#define TEXTS_MAX 200
#define BINS 10

/* --- the model ------------------------------------------------------------------------ */

typedef struct load_ctx {
    svr_model *m;
    long long only;
    char msg[KC_MSGMAX];
} load_ctx;

static kc_err load_one(void *ctx, const char *id, long long version, const char *title,
                       const char *body, long long responses)
{
    load_ctx *l = ctx;
    (void)id;
    (void)title;
    if (l->only > 0 && version != l->only)
        return KC_OK;
    svr_model *m = l->m;
    svr_ver *v = kc_realloc(m->v, (m->nv + 1) * sizeof *v);
    if (!v)
        return KC_ENOMEM;
    m->v = v;
    survey *s = NULL;
    /* Stored definitions were validated when imported; one that no longer parses
     * (a stricter parser) is left out rather than failing the page. */
    if (survey_parse(body, strlen(body), "stored survey", &s, l->msg))
        return KC_OK;
    v[m->nv].version = version;
    v[m->nv].def = s;
    v[m->nv].responses = responses;
    m->nv++;
    return KC_OK;
}

static int newest_first(const void *a, const void *b)
{
    long long x = ((const svr_ver *)a)->version, y = ((const svr_ver *)b)->version;
    return x < y ? 1 : x > y ? -1 : 0;
}

void svr_model_free(svr_model *m)
{
    for (size_t i = 0; i < m->nv; i++)
        survey_free(m->v[i].def);
    for (size_t i = 0; i < m->ng; i++) {
        kc_free(m->g[i].canon);
        kc_free(m->g[i].versions);
    }
    kc_free(m->v);
    kc_free(m->g);
    memset(m, 0, sizeof *m);
}

static kc_err add_group(svr_model *m, const svr_ver *v, size_t qi, char *canon)
{
    const survey_question *q = survey_question_at(v->def, qi);
    for (size_t i = 0; i < m->ng; i++) {
        svr_group *g = &m->g[i];
        if (strcmp(g->qid, q->id) != 0 || strcmp(g->canon, canon) != 0)
            continue;
        long long *vs = kc_realloc(g->versions, (g->nversions + 1) * sizeof *vs);
        if (!vs)
            return KC_ENOMEM;
        g->versions = vs;
        vs[g->nversions++] = v->version;
        kc_free(canon);
        return KC_OK;
    }
    svr_group *g = kc_realloc(m->g, (m->ng + 1) * sizeof *g);
    if (!g)
        return KC_ENOMEM;
    m->g = g;
    g = &m->g[m->ng];
    memset(g, 0, sizeof *g);
    if (!(g->versions = kc_malloc(sizeof *g->versions)))
        return KC_ENOMEM;
    g->qid = q->id;
    g->canon = canon;
    g->def = v->def;
    g->q = q;
    g->versions[0] = v->version;
    g->nversions = 1;
    m->ng++;
    return KC_OK;
}

kc_err svr_model_load(srvdb *db, const char *id, long long version, svr_model *m)
{
    memset(m, 0, sizeof *m);
    load_ctx l = { m, version, "" };
    kc_err rc = srvdb_sv_versions(db, id, 1, load_one, &l);
    if (!rc && m->nv == 0)
        rc = KC_ENOTFOUND;
    if (!rc)
        qsort(m->v, m->nv, sizeof *m->v, newest_first);
    for (size_t i = 0; !rc && i < m->nv; i++)
        for (size_t qi = 0; !rc && qi < survey_nquestions(m->v[i].def); qi++) {
            char *canon = survey_question_canonical(m->v[i].def, qi);
            rc = canon ? add_group(m, &m->v[i], qi, canon) : KC_ENOMEM;
            if (rc)
                kc_free(canon);
        }
    for (size_t i = 0; !rc && i < m->ng; i++)
        for (size_t j = 0; j < m->ng; j++)
            if (i != j && strcmp(m->g[i].qid, m->g[j].qid) == 0)
                m->g[i].changed = 1;
    if (rc)
        svr_model_free(m);
    return rc;
}

svr_group *svr_model_find(svr_model *m, long long v, const char *qid)
{
    for (size_t i = 0; i < m->ng; i++) {
        if (strcmp(m->g[i].qid, qid) != 0)
            continue;
        for (size_t j = 0; j < m->g[i].nversions; j++)
            if (m->g[i].versions[j] == v)
                return &m->g[i];
    }
    return NULL;
}

int svr_filter(adm_ctx *x, devs *ds, srvdb_sv_filter *f, long long **ids, long long *version)
{
    srvdb_fb_filter fb;
    memset(f, 0, sizeof *f);
    if (adm_res_filter(x, ds, &fb, ids) || adm_query_num(x, "version", 2147483647LL, 0, version))
        return -1;
    /* adm_res_filter checked them: YYYY-MM-DD, to not before from. */
    f->from_day = adm_query(x, "from");
    f->to_day = adm_query(x, "to");
    if (f->from_day && !*f->from_day)
        f->from_day = NULL;
    if (f->to_day && !*f->to_day)
        f->to_day = NULL;
    f->devices = fb.devices;
    f->ndevices = fb.ndevices;
    f->survey = x->arg;
    return 0;
}

/* --- the list of surveys ------------------------------------------------------------- */

typedef struct list_ctx {
    adm_ctx *x;
    const srvdb_sv_filter *f;  /* the kiosks of a limited account, else NULL */
    json_t *arr;
    json_t *cur;               /* the survey being filled */
    long long sum;
} list_ctx;

static kc_err day_sum(void *ctx, long long version, const char *day, long long n)
{
    (void)version;
    (void)day;
    *(long long *)ctx += n;
    return KC_OK;
}

static kc_err list_one(void *ctx, const char *id, long long version, const char *title,
                       const char *body, long long responses)
{
    list_ctx *l = ctx;
    (void)body;
    if (l->f) {
        /* Only the responses of the account's own kiosks. */
        srvdb_sv_filter f = *l->f;
        long long v = version;
        f.survey = id;
        f.versions = &v;
        f.nversions = 1;
        responses = 0;
        kc_err rc = srvdb_sv_days(l->x->db, &f, day_sum, &responses);
        if (rc)
            return rc;
    }
    if (!l->cur || strcmp(json_string_value(json_object_get(l->cur, "id")), id) != 0) {
        json_t *t = json_loads(title, 0, NULL);
        l->cur = json_pack("{s:s, s:o, s:[], s:I}", "id", id, "title", t ? t : json_object(),
                           "versions", "responses", (json_int_t)0);
        if (!l->cur || json_array_append_new(l->arr, l->cur))
            return KC_ENOMEM;
    } else {
        /* The newest version's title names the survey. */
        json_t *t = json_loads(title, 0, NULL);
        if (t)
            json_object_set_new(l->cur, "title", t);
    }
    json_t *vs = json_object_get(l->cur, "versions");
    if (json_array_append_new(vs, json_pack("{s:I, s:I}", "version", (json_int_t)version,
                                            "responses", (json_int_t)responses)))
        return KC_ENOMEM;
    json_object_set_new(l->cur, "responses",
                        json_integer(json_integer_value(json_object_get(l->cur, "responses")) +
                                     responses));
    return KC_OK;
}

void adm_results_surveys(adm_ctx *x)
{
    devs ds;
    srvdb_fb_filter fb;
    long long *ids = NULL;
    list_ctx l = { x, NULL, json_array(), NULL, 0 };
    srvdb_sv_filter f;
    memset(&f, 0, sizeof f);
    if (adm_res_filter(x, &ds, &fb, &ids))
        goto done;
    if (ds.limited) {
        f.devices = fb.devices;
        f.ndevices = fb.ndevices;
        l.f = &f;
    }
    kc_err rc = l.arr ? srvdb_sv_versions(x->db, NULL, 0, list_one, &l) : KC_ENOMEM;
    if (rc) {
        adm_db_fail(x, rc);
        goto done;
    }
    adm_ok(x, MHD_HTTP_OK, json_pack("{s:O}", "surveys", l.arr));
done:
    json_decref(l.arr);
    kc_free(ids);
    kc_free(ds.v);
}

/* --- one survey's summary ------------------------------------------------------------ */

typedef struct numval {
    double v;
    long long n;
} numval;

/* What a question's answers add up to. */
typedef struct acc {
    long long answered;
    long long *n, *first, *rsum;  /* per option (single, multi, top) or step (scale: 5) */
    numval *nums;                 /* number */
    size_t nnums, capnums;
    long long skipped;            /* values the definition does not have */
} acc;

typedef struct sum_ctx {
    svr_model *m;
    acc *a;                       /* parallel to m->g */
    json_t *days;
    json_t *vcount;               /* version -> responses, as an object keyed by text */
    long long total;
} sum_ctx;

static kc_err count_one(void *ctx, long long version, const char *qid, const char *key,
                        long long n, long long first, long long rank_sum)
{
    sum_ctx *s = ctx;
    svr_group *g = svr_model_find(s->m, version, qid);
    if (!g)
        return KC_OK;
    acc *a = &s->a[g - s->m->g];
    const survey_question *q = g->q;
    switch (q->type) {
    case SURVEY_SINGLE:
    case SURVEY_MULTI:
    case SURVEY_TOP: {
        long k = survey_option_index(q, key);
        if (k < 0) {
            a->skipped += n;
            break;
        }
        a->n[k] += n;
        a->first[k] += first;
        a->rsum[k] += rank_sum;
        /* A list answer has exactly one first element: that counts its respondents. */
        a->answered += q->type == SURVEY_SINGLE ? n : first;
        break;
    }
    case SURVEY_SCALE: {
        char *end;
        long v = strtol(key, &end, 10);
        if (*end || v < 1 || v > 5) {
            a->skipped += n;
            break;
        }
        a->n[v - 1] += n;
        a->answered += n;
        break;
    }
    case SURVEY_NUMBER: {
        char *end;
        double v = strtod(key, &end);
        if (*end || !isfinite(v)) {
            a->skipped += n;
            break;
        }
        if (a->nnums == a->capnums) {
            size_t cap = a->capnums ? a->capnums * 2 : 16;
            numval *p = kc_realloc(a->nums, cap * sizeof *p);
            if (!p)
                return KC_ENOMEM;
            a->nums = p;
            a->capnums = cap;
        }
        a->nums[a->nnums].v = v;
        a->nums[a->nnums++].n = n;
        a->answered += n;
        break;
    }
    case SURVEY_TEXT:
    case SURVEY_NQTYPE:
        break;
    }
    return KC_OK;
}

static kc_err day_one(void *ctx, long long version, const char *day, long long n)
{
    sum_ctx *s = ctx;
    size_t last = json_array_size(s->days);
    json_t *d = last ? json_array_get(s->days, last - 1) : NULL;
    if (d && strcmp(json_string_value(json_object_get(d, "day")), day) == 0)
        json_object_set_new(d, "count",
                            json_integer(json_integer_value(json_object_get(d, "count")) + n));
    else if (json_array_append_new(s->days, json_pack("{s:s, s:I}", "day", day, "count",
                                                      (json_int_t)n)))
        return KC_ENOMEM;
    char k[32];
    snprintf(k, sizeof k, "%lld", version);
    json_object_set_new(s->vcount, k,
                        json_integer(json_integer_value(json_object_get(s->vcount, k)) + n));
    s->total += n;
    return KC_OK;
}

static json_t *text_of(char *const t[CAT_NLANG])
{
    json_t *o = json_object();
    for (int l = 0; o && l < CAT_NLANG; l++)
        if (t[l])
            json_object_set_new(o, cat_lang_code((cat_lang)l), json_string(t[l]));
    return o;
}

static int by_value(const void *a, const void *b)
{
    double x = ((const numval *)a)->v, y = ((const numval *)b)->v;
    return x < y ? -1 : x > y ? 1 : 0;
}

/* The k-th smallest value (from 0) of sorted counted values. */
static double nth(const numval *v, size_t n, long long k)
{
    for (size_t i = 0; i < n; i++) {
        if (k < v[i].n)
            return v[i].v;
        k -= v[i].n;
    }
    return n ? v[n - 1].v : 0;
}

static double median_of(const numval *v, size_t n, long long total)
{
    if (total % 2)
        return nth(v, n, total / 2);
    return (nth(v, n, total / 2 - 1) + nth(v, n, total / 2)) / 2;
}

static json_t *num(double v)
{
    /* Three decimals at most, as answers have; integers as integers. */
    double r = round(v * 1000) / 1000;
    if (r == floor(r) && fabs(r) < 9e15)
        return json_integer((json_int_t)r);
    return json_real(r);
}

static int summary_choices(json_t *j, const svr_group *g, const acc *a)
{
    const survey_question *q = g->q;
    json_t *opts = json_array();
    if (!opts || json_object_set_new(j, "options", opts))
        return -1;
    for (size_t i = 0; i < q->noptions; i++) {
        json_t *o = json_pack("{s:s, s:o, s:I}", "id", q->options[i].id, "text",
                              text_of(q->options[i].text), "count", (json_int_t)a->n[i]);
        if (!o || json_array_append_new(opts, o))
            return -1;
        if (q->type == SURVEY_TOP && q->ranked) {
            json_object_set_new(o, "first", json_integer(a->first[i]));
            if (a->n[i])
                json_object_set_new(o, "average_rank", num((double)a->rsum[i] / (double)a->n[i]));
        }
    }
    if (q->type == SURVEY_TOP)
        json_object_set_new(j, "ranked", json_boolean(q->ranked));
    return 0;
}

static int summary_scale(json_t *j, const svr_group *g, const acc *a)
{
    numval v[5];
    double sum = 0;
    json_t *steps = json_array();
    if (!steps || json_object_set_new(j, "steps", steps))
        return -1;
    for (int i = 0; i < 5; i++) {
        v[i].v = i + 1;
        v[i].n = a->n[i];
        sum += (double)(i + 1) * (double)a->n[i];
        if (json_array_append_new(steps, json_pack("{s:i, s:I}", "value", i + 1, "count",
                                                   (json_int_t)a->n[i])))
            return -1;
    }
    if (a->answered) {
        json_object_set_new(j, "median", num(median_of(v, 5, a->answered)));
        json_object_set_new(j, "mean", num(sum / (double)a->answered));
    }
    json_object_set_new(j, "style", json_string(g->q->smiley ? "smiley" : "numbers"));
    if (g->q->low[0] || g->q->low[1] || g->q->low[2])
        json_object_set_new(j, "low", text_of(g->q->low));
    if (g->q->high[0] || g->q->high[1] || g->q->high[2])
        json_object_set_new(j, "high", text_of(g->q->high));
    return 0;
}

static int summary_number(json_t *j, const svr_group *g, acc *a)
{
    const survey_question *q = g->q;
    json_t *bins = json_array();
    if (!bins || json_object_set_new(j, "bins", bins))
        return -1;
    json_object_set_new(j, "decimals", json_integer(q->decimals));
    if (q->unit[0] || q->unit[1] || q->unit[2])
        json_object_set_new(j, "unit", text_of(q->unit));
    if (!a->answered)
        return 0;
    qsort(a->nums, a->nnums, sizeof *a->nums, by_value);
    double lo = a->nums[0].v, hi = a->nums[a->nnums - 1].v, sum = 0;
    int ints = 1;
    for (size_t i = 0; i < a->nnums; i++) {
        sum += a->nums[i].v * (double)a->nums[i].n;
        if (a->nums[i].v != floor(a->nums[i].v))
            ints = 0;
    }
    json_object_set_new(j, "min", num(lo));
    json_object_set_new(j, "max", num(hi));
    json_object_set_new(j, "mean", num(sum / (double)a->answered));
    json_object_set_new(j, "median", num(median_of(a->nums, a->nnums, a->answered)));
    /* Whole numbers over a short range: one bar per value; else ten equal widths. */
    int each = ints && hi - lo < 20;
    int nb = each ? (int)(hi - lo) + 1 : hi > lo ? BINS : 1;
    double w = each ? 1 : (hi - lo) / nb;
    long long cnt[BINS * 2] = { 0 };
    for (size_t i = 0; i < a->nnums; i++) {
        int b = w > 0 ? (int)floor((a->nums[i].v - lo) / w) : 0;
        if (b >= nb)
            b = nb - 1;
        cnt[b] += a->nums[i].n;
    }
    for (int b = 0; b < nb; b++) {
        double from = lo + b * w, to = each ? from : (b == nb - 1 ? hi : lo + (b + 1) * w);
        if (json_array_append_new(bins, json_pack("{s:o, s:o, s:I}", "from", num(from), "to",
                                                  num(to), "count", (json_int_t)cnt[b])))
            return -1;
    }
    return 0;
}

/* --- free text ------------------------------------------------------------------------ */

typedef struct text_ctx {
    const devs *ds;
    json_t *arr;
    char next[96];
} text_ctx;

static kc_err text_one(void *ctx, const srvdb_sv_text *t)
{
    text_ctx *tc = ctx;
    char local[32] = "";
    time_t tt = (time_t)t->hour;
    struct tm tm;
    if (localtime_r(&tt, &tm))
        strftime(local, sizeof local, "%Y-%m-%d %H:00", &tm);
    json_t *j = json_pack("{s:s, s:i, s:I, s:s, s:s, s:I}", "uuid", t->uuid, "entry", t->entry,
                          "hour", (json_int_t)t->hour, "local", local, "kiosk",
                          adm_res_kiosk(tc->ds, t->device), "version", (json_int_t)t->version);
    if (!j)
        return KC_ENOMEM;
    /* A hidden answer's text stays in storage but never leaves it again. */
    if (t->hidden_by)
        json_object_set_new(j, "hidden", json_pack("{s:s, s:I}", "by", t->hidden_by, "at",
                                                   (json_int_t)t->hidden_at));
    else
        json_object_set_new(j, "text", json_string(t->text));
    snprintf(tc->next, sizeof tc->next, "%lld.%s.%d", t->hour, t->uuid, t->entry);
    return json_array_append_new(tc->arr, j) ? KC_ENOMEM : KC_OK;
}

/* The texts of one question, a page at a time, into j ("texts", "next_before"). */
static kc_err texts_page(adm_ctx *x, const devs *ds, const srvdb_sv_filter *f,
                         const char *qid, long long bh, const char *bu, int be, long limit,
                         json_t *j)
{
    text_ctx tc = { ds, json_array(), "" };
    kc_err rc = tc.arr ? srvdb_sv_texts(x->db, f, qid, bh, bu, be, limit, text_one, &tc)
                       : KC_ENOMEM;
    if (!rc && json_object_set(j, "texts", tc.arr))
        rc = KC_ENOMEM;
    if (!rc && (long)json_array_size(tc.arr) == limit)
        json_object_set_new(j, "next_before", json_string(tc.next));
    json_decref(tc.arr);
    return rc;
}

static json_t *versions_json(const long long *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = n; a && i-- > 0;)  /* oldest first */
        if (json_array_append_new(a, json_integer(v[i])))
            json_decref(a), a = NULL;
    return a;
}

void adm_results_survey(adm_ctx *x)
{
    devs ds;
    srvdb_sv_filter f;
    long long *ids = NULL, version = 0;
    svr_model m;
    memset(&m, 0, sizeof m);
    sum_ctx s = { &m, NULL, json_array(), json_object(), 0 };
    json_t *qs = json_array(), *vers = json_array();
    if (svr_filter(x, &ds, &f, &ids, &version))
        goto done;
    kc_err rc = s.days && s.vcount && qs && vers ? KC_OK : KC_ENOMEM;
    if (!rc && (rc = srvdb_read_begin(x->db)) == KC_OK) {
        rc = svr_model_load(x->db, x->arg, version, &m);
        long long *vs = NULL;
        if (!rc && !(vs = kc_malloc(m.nv * sizeof *vs)))
            rc = KC_ENOMEM;
        for (size_t i = 0; !rc && i < m.nv; i++)
            vs[i] = m.v[i].version;
        f.versions = vs;
        f.nversions = m.nv;
        if (!rc && !(s.a = kc_calloc(m.ng ? m.ng : 1, sizeof *s.a)))
            rc = KC_ENOMEM;
        for (size_t i = 0; !rc && i < m.ng; i++) {
            size_t n = m.g[i].q->type == SURVEY_SCALE ? 5 : m.g[i].q->noptions;
            if (n && (!(s.a[i].n = kc_calloc(n, sizeof(long long))) ||
                      !(s.a[i].first = kc_calloc(n, sizeof(long long))) ||
                      !(s.a[i].rsum = kc_calloc(n, sizeof(long long)))))
                rc = KC_ENOMEM;
        }
        if (!rc)
            rc = srvdb_sv_days(x->db, &f, day_one, &s);
        if (!rc)
            rc = srvdb_sv_counts(x->db, &f, count_one, &s);
        for (size_t i = 0; !rc && i < m.ng; i++) {
            const svr_group *g = &m.g[i];
            json_t *j = json_pack("{s:s, s:s, s:o, s:o, s:b}", "id", g->qid, "type",
                                  survey_qtype_name(g->q->type), "text", text_of(g->q->text),
                                  "versions", versions_json(g->versions, g->nversions),
                                  "changed", g->changed);
            if (!j || json_array_append_new(qs, j)) {
                rc = KC_ENOMEM;
                break;
            }
            acc *a = &s.a[i];
            if (g->q->type != SURVEY_TEXT)
                json_object_set_new(j, "answered", json_integer(a->answered));
            int bad = 0;
            switch (g->q->type) {
            case SURVEY_SINGLE:
            case SURVEY_MULTI:
            case SURVEY_TOP:
                bad = summary_choices(j, g, a);
                break;
            case SURVEY_SCALE:
                bad = summary_scale(j, g, a);
                break;
            case SURVEY_NUMBER:
                bad = summary_number(j, g, a);
                break;
            case SURVEY_TEXT: {
                srvdb_sv_filter tf = f;
                tf.versions = g->versions;
                tf.nversions = g->nversions;
                rc = texts_page(x, &ds, &tf, g->qid, 0, "", 0, TEXTS_FIRST, j);
                break;
            }
            case SURVEY_NQTYPE:
                break;
            }
            if (bad)
                rc = KC_ENOMEM;
            if (a->skipped)
                json_object_set_new(j, "skipped", json_integer(a->skipped));
        }
        srvdb_read_end(x->db);
        kc_free(vs);
    }
    for (size_t i = 0; !rc && i < m.nv; i++) {
        char k[32];
        snprintf(k, sizeof k, "%lld", m.v[i].version);
        if (json_array_insert_new(vers, 0, json_pack("{s:I, s:I}", "version",
                                                     (json_int_t)m.v[i].version, "responses",
                                                     json_integer_value(json_object_get(s.vcount, k)))))
            rc = KC_ENOMEM;
    }
    if (rc) {
        if (rc == KC_ENOTFOUND)
            adm_failc(x, MHD_HTTP_NOT_FOUND, "not_found", version ? "version" : NULL,
                      "no survey \"%s\"%s", x->arg, version ? " of that version" : "");
        else if (rc == KC_ENOMEM)
            adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
        else
            adm_db_fail(x, rc);
        goto done;
    }
    /* The newest version's title names the survey. */
    json_t *body = json_loads(survey_body(m.v[0].def), 0, NULL);
    json_t *title = body ? json_object_get(body, "title") : NULL;
    adm_ok(x, MHD_HTTP_OK,
           json_pack("{s:s, s:O, s:O, s:I, s:O, s:O}", "id", x->arg, "title",
                     title ? title : json_object(), "versions", vers, "responses",
                     (json_int_t)s.total, "days", s.days, "questions", qs));
    json_decref(body);
done:
    for (size_t i = 0; s.a && i < m.ng; i++) {
        kc_free(s.a[i].n);
        kc_free(s.a[i].first);
        kc_free(s.a[i].rsum);
        kc_free(s.a[i].nums);
    }
    kc_free(s.a);
    svr_model_free(&m);
    json_decref(s.days);
    json_decref(s.vcount);
    json_decref(qs);
    json_decref(vers);
    kc_free(ids);
    kc_free(ds.v);
}

/* "HOUR.UUID.ENTRY", as next_before gave it; 0 when absent, -1 after a 400. */
static int text_cursor(adm_ctx *x, long long *hour, char uuid[40], int *entry)
{
    const char *b = adm_query(x, "before");
    *hour = 0;
    uuid[0] = 0;
    *entry = 0;
    if (!b || !*b)
        return 0;
    char *end;
    *hour = strtoll(b, &end, 10);
    const char *u = *end == '.' ? end + 1 : NULL, *dot = u ? strchr(u, '.') : NULL;
    if (!dot || *hour <= 0 || dot - u != 36) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "before", "\"before\": not a text answer's cursor");
        return -1;
    }
    memcpy(uuid, u, 36);
    uuid[36] = 0;
    long e = strtol(dot + 1, &end, 10);
    if (*end || e < 0 || e >= SURVEY_MAX_ENTRIES) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "before", "\"before\": not a text answer's cursor");
        return -1;
    }
    *entry = (int)e;
    return 0;
}

/* GET .../surveys/ID/texts?question=Q&versions=1,2&before=&limit= (and the filter). */
void adm_results_survey_texts(adm_ctx *x)
{
    devs ds;
    srvdb_sv_filter f;
    long long *ids = NULL, version = 0, limit, bh, vs[SURVEY_MAX_QUESTIONS];
    char bu[40];
    int be;
    json_t *j = json_object();
    if (svr_filter(x, &ds, &f, &ids, &version) ||
        adm_query_num(x, "limit", TEXTS_MAX, 50, &limit) || text_cursor(x, &bh, bu, &be))
        goto done;
    const char *q = adm_query(x, "question"), *list = adm_query(x, "versions");
    if (!q || !*q || strlen(q) > SURVEY_QID_MAX) {
        adm_failc(x, MHD_HTTP_BAD_REQUEST, "missing", "question", "\"question\" is needed");
        goto done;
    }
    size_t nv = 0;
    if (version > 0)
        vs[nv++] = version;
    /* "1,2,5": the versions that ask the question the same way (at most 100). */
    for (const char *p = list; p && *p && nv < SURVEY_MAX_QUESTIONS;) {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end == p || v < 1 || (*end && *end != ',')) {
            adm_fail(x, MHD_HTTP_BAD_REQUEST, "versions", "\"versions\": numbers with commas");
            goto done;
        }
        if (!version)
            vs[nv++] = v;
        p = *end ? end + 1 : end;
    }
    if (nv) {
        f.versions = vs;
        f.nversions = nv;
    }
    if (limit < 1)
        limit = 1;
    kc_err rc = j ? texts_page(x, &ds, &f, q, bh, bu, be, (long)limit, j) : KC_ENOMEM;
    if (rc) {
        adm_db_fail(x, rc);
        goto done;
    }
    adm_ok(x, MHD_HTTP_OK, j);
    j = NULL;
done:
    json_decref(j);
    kc_free(ids);
    kc_free(ds.v);
}

/* POST .../surveys/ID/texts/hide {"uuid", "question"}: as a feedback comment is
 * hidden (personal data): kept, never shown or exported again; audit-logged. */
void adm_results_survey_hide(adm_ctx *x)
{
    devs ds;
    srvdb_fb_filter fb;
    long long *ids = NULL, device = 0;
    const char *uuid, *qid;
    if (adm_body_str(x, "uuid", 36, 1, &uuid) || adm_body_str(x, "question", SURVEY_QID_MAX, 1, &qid))
        return;
    memset(&ds, 0, sizeof ds);
    if (adm_res_filter(x, &ds, &fb, &ids))
        goto done;
    kc_err rc = srvdb_sv_text_device(x->db, x->arg, uuid, qid, &device);
    if (rc) {
        adm_db_fail(x, rc);
        goto done;
    }
    /* Another kiosk's answer is not there for a coordinator limited to theirs. */
    const char *kiosk = adm_res_kiosk(&ds, device);
    if (!*kiosk) {
        adm_failc(x, MHD_HTTP_NOT_FOUND, "not_found", NULL, "no such text answer");
        goto done;
    }
    int changed;
    if ((rc = srvdb_sv_text_hide(x->db, x->arg, uuid, qid, x->user.name, (long long)time(NULL),
                                 &changed))) {
        adm_db_fail(x, rc);
        goto done;
    }
    if (changed && adm_audit(x, "survey.hide", uuid, "survey %s question %s kiosk %s", x->arg,
                             qid, kiosk))
        goto done;
    adm_ok(x, MHD_HTTP_OK, json_pack("{s:s, s:s, s:b}", "uuid", uuid, "question", qid,
                                     "hidden", 1));
done:
    kc_free(ids);
    kc_free(ds.v);
}
