/* admin_results_survey_export.c - a survey's responses, as the results page selects
 * them, for a spreadsheet: CSV as Finnish spreadsheets read it (core/csv.h, the one
 * writer: BOM, ';', decimal comma, formulas defused; one column set, the newest
 * version's questions, as kioskctl writes), JSON (the definitions and the responses),
 * or .xlsx with one sheet per survey version (each with its own questions).
 *
 * Streamed by admin_export.h as the feedback export is (memory flat whatever the
 * count), from a database cursor of its own.  A hidden free-text answer is exported
 * as hidden. */
#include "admin_results_survey_impl.h"
#include "admin_export.h"
#include "answer.h"
#include "csv.h"

#include <stdio.h>
#include <string.h>

static const char *const heads[3][3] = {
    { "Versio", "Tunti", "Kioski" },
    { "Version", "Timme", "Kiosk" },
    { "Version", "Hour", "Kiosk" },
};
static const char *const hidden_text[3] = { "(piilotettu)", "(dold)", "(hidden)" };
static const char *const sheet_word[3] = { "Versio", "Version", "Version" };

typedef struct sexp {
    srvdb *db;
    srvdb_sv_cursor *cur;
    devs ds;
    svr_model m;
    srvdb_sv_filter f;        /* its arrays: ids, vs (owned) */
    long long *ids, *vs;
    adm_exp_slot slot;
    int fmt, lang, first;
    cat_langs pref;
    adm_exp_hour hour;
} sexp;

#define local_hour(E, H) adm_exp_hour_text(&(E)->hour, (H))

static void sexp_free(void *cls)
{
    sexp *e = cls;
    if (!e)
        return;
    srvdb_sv_rows_close(e->cur);
    srvdb_close(e->db);
    svr_model_free(&e->m);
    kc_free(e->ds.v);
    kc_free(e->ids);
    kc_free(e->vs);
    adm_exp_give(&e->slot);
    kc_free(e);
}

/* The row's answers with hidden texts replaced by the word for hidden (CSV, xlsx) or
 * left out (JSON, which lists them apart). */
static json_t *answers_of(const srvdb_sv_row *r, int lang, int drop)
{
    json_t *a = json_loads(r->answers, 0, NULL), *h = NULL;
    /* "[]" is every row but the few with a hidden text */
    if (strcmp(r->hidden, "[]") != 0)
        h = json_loads(r->hidden, 0, NULL);
    if (a && !json_is_object(a)) {
        json_decref(a);
        a = json_object();
    }
    size_t i;
    json_t *q;
    json_array_foreach(h, i, q) {
        if (a && json_is_string(q)) {
            if (drop)
                json_object_del(a, json_string_value(q));
            else
                json_object_set_new(a, json_string_value(q), json_string(hidden_text[lang]));
        }
    }
    json_decref(h);
    return a;
}

/* The next row; *more 0 at the end. */
static int next(sexp *e, srvdb_sv_row *r, int *more)
{
    if (srvdb_sv_rows_next(e->cur, r, more)) {
        fprintf(stderr, "kiosk-server: export: %s\n", srvdb_errmsg(e->db));
        return -1;
    }
    return 0;
}

static int csv_head(void *cls, FILE *f)
{
    sexp *e = cls;
    const survey *s = e->m.v[0].def;
    if (csv_bom(f))
        return -1;
    for (int c = 0; c < 3; c++)
        if ((c && csv_sep(f)) || csv_text(f, heads[e->lang][c]))
            return -1;
    for (size_t i = 0; i < survey_nquestions(s); i++) {
        const survey_question *q = survey_question_at(s, i);
        answer_options o = answer_options_of(q);
        if (csv_answer_heads(f, q, &o, &e->pref))
            return -1;
    }
    return csv_eol(f);
}

/* Answers of every version against the newest definition, by question and option id
 * (docs/survey-format.md, "Exports"). */
static int csv_row(void *cls, FILE *f, int *more)
{
    sexp *e = cls;
    srvdb_sv_row row, *r = &row;
    if (next(e, r, more))
        return -1;
    if (!*more)
        return 0;
    const survey *s = e->m.v[0].def;
    json_t *a = answers_of(r, e->lang, 0);
    int bad = !a || csv_int(f, r->version) || csv_sep(f) ||
              csv_text(f, local_hour(e, r->hour)) || csv_sep(f) ||
              csv_text(f, adm_res_kiosk(&e->ds, r->device));
    for (size_t i = 0; !bad && i < survey_nquestions(s); i++) {
        const survey_question *q = survey_question_at(s, i);
        answer_options o = answer_options_of(q);
        bad = csv_answer_cells(f, q, &o, &e->pref, json_object_get(a, q->id));
    }
    json_decref(a);
    return bad || csv_eol(f) ? -1 : 0;
}

static int json_head(void *cls, FILE *f)
{
    sexp *e = cls;
    json_t *defs = json_array();
    for (size_t i = e->m.nv; defs && i-- > 0;) {
        json_t *d = json_loads(survey_body(e->m.v[i].def), 0, NULL);
        if (!d || json_array_append_new(defs, json_pack("{s:I, s:o}", "version",
                                                        (json_int_t)e->m.v[i].version,
                                                        "definition", d)))
            json_decref(defs), defs = NULL;
    }
    if (!defs)
        return -1;
    json_t *id = json_string(e->f.survey);
    int rc = !id || fprintf(f, "{\"format\":\"kiosk-responses\",\"survey\":") < 0 ||
             json_dumpf(id, f, JSON_ENCODE_ANY) || fputs(",\"definitions\":", f) == EOF ||
             json_dumpf(defs, f, JSON_COMPACT | JSON_PRESERVE_ORDER) ||
             fputs(",\"responses\":[", f) == EOF;
    json_decref(id);
    json_decref(defs);
    return rc ? -1 : 0;
}

/* A JSON string, escaped by jansson. */
static int json_str(FILE *f, const char *s)
{
    json_t *j = json_string(s);
    int rc = !j || json_dumpf(j, f, JSON_ENCODE_ANY) ? -1 : 0;
    json_decref(j);
    return rc;
}

/* A row with nothing hidden (nearly all): its answers as the storage gave them, JSON
 * text of an object it checked when the response was stored, written out as they are
 * instead of parsed and written again (a third of the JSON export's time). */
static int json_row_as_stored(sexp *e, FILE *f, const srvdb_sv_row *r)
{
    int bad = fputs(e->first ? "\n{\"uuid\":" : ",\n{\"uuid\":", f) == EOF ||
              json_str(f, r->uuid) || fprintf(f, ",\"version\":%lld,\"hour\":", r->version) < 0 ||
              json_str(f, local_hour(e, r->hour)) || fputs(",\"kiosk\":", f) == EOF ||
              json_str(f, adm_res_kiosk(&e->ds, r->device)) ||
              fputs(",\"answers\":", f) == EOF || fputs(r->answers, f) == EOF ||
              fputs(",\"hidden\":[]}", f) == EOF;
    e->first = 0;
    return bad ? -1 : 0;
}

static int json_row(void *cls, FILE *f, int *more)
{
    sexp *e = cls;
    srvdb_sv_row row, *r = &row;
    if (next(e, r, more))
        return -1;
    if (!*more)
        return fputs("\n]}\n", f) == EOF ? -1 : 0;
    if (r->answers && strcmp(r->hidden, "[]") == 0)
        return json_row_as_stored(e, f, r);
    json_t *a = answers_of(r, e->lang, 1), *h = json_loads(r->hidden, 0, NULL);
    if (!a || !h) {
        json_decref(a);
        json_decref(h);
        return -1;
    }
    /* "o" takes both references, also when packing fails. */
    json_t *j = json_pack("{s:s, s:I, s:s, s:s, s:o, s:o}", "uuid", r->uuid, "version",
                          (json_int_t)r->version, "hour", local_hour(e, r->hour), "kiosk",
                          adm_res_kiosk(&e->ds, r->device), "answers", a, "hidden", h);
    if (!j)
        return -1;
    int rc = (fputs(e->first ? "\n" : ",\n", f) == EOF ||
              json_dumpf(j, f, JSON_COMPACT | JSON_PRESERVE_ORDER))
                 ? -1
                 : 0;
    e->first = 0;
    json_decref(j);
    return rc;
}

/* --- xlsx: one sheet per version ----------------------------------------------------- */

static lxw_worksheet *xlsx_sheet(lxw_workbook *wb, const sexp *e, const survey *s,
                                 long long version, int part, lxw_format *bold)
{
    char name[32];
    if (part == 1)
        snprintf(name, sizeof name, "%s %lld", sheet_word[e->lang], version);
    else
        snprintf(name, sizeof name, "%s %lld (%d)", sheet_word[e->lang], version, part);
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    lxw_col_t col = 0;
    for (int c = 0; ws && c < 3; c++)
        if (worksheet_write_string(ws, 0, col++, heads[e->lang][c], bold))
            return NULL;
    for (size_t i = 0; ws && i < survey_nquestions(s); i++) {
        const survey_question *q = survey_question_at(s, i);
        answer_options o = answer_options_of(q);
        const char *qt = cat_text_pick(q->text, &e->pref, NULL);
        char head[1024];
        if (q->type == SURVEY_MULTI || q->type == SURVEY_TOP) {
            for (size_t k = 0; k < o.n; k++) {
                const char *ot = o.text(o.ctx, k, &e->pref);
                snprintf(head, sizeof head, "%s %s: %s", q->id, qt ? qt : "", ot ? ot : "");
                if (worksheet_write_string(ws, 0, col++, head, bold))
                    return NULL;
            }
        } else {
            snprintf(head, sizeof head, "%s %s", q->id, qt ? qt : "");
            if (worksheet_write_string(ws, 0, col++, head, bold))
                return NULL;
        }
    }
    return ws;
}

/* One version's rows on its sheets: made by fill from the cursor, on a thread of its
 * own (admin_export.h), and written by this one. */
typedef struct xver {
    sexp *e;
    const svr_ver *v;
    srvdb_sv_cursor *cur;
} xver;

static lxw_worksheet *xver_sheet(void *ctx, lxw_workbook *wb, lxw_format *bold, int part)
{
    xver *x = ctx;
    return xlsx_sheet(wb, x->e, x->v->def, x->v->version, part, bold);
}

/* A text question's entries, one per line as the CSV writer has them. */
static int xlsx_lines(xpipe *p, unsigned col, const json_t *v)
{
    char *buf = answer_lines(v);
    if (!buf)
        return -1;
    int rc = *buf ? xpipe_str(p, col, buf) : 0;
    kc_free(buf);
    return rc;
}

/* One question's cells from column *col on, as the CSV writer's columns; strings stay
 * strings. */
static int xlsx_cells(xpipe *p, unsigned *col, const sexp *e, const survey_question *q,
                      const json_t *v)
{
    answer_options o = answer_options_of(q);
    unsigned c = *col;
    *col = c + 1;
    switch (q->type) {
    case SURVEY_SINGLE: {
        long k = json_is_string(v) ? survey_option_index(q, json_string_value(v)) : -1;
        const char *t = k >= 0 ? o.text(o.ctx, (size_t)k, &e->pref) : NULL;
        return t ? xpipe_str(p, c, t) : 0;
    }
    case SURVEY_MULTI:
    case SURVEY_TOP: {
        size_t i;
        json_t *x;
        *col = c + (unsigned)o.n;
        json_array_foreach(v, i, x) {
            long k = json_is_string(x) ? survey_option_index(q, json_string_value(x)) : -1;
            if (k >= 0 && xpipe_num(p, c + (unsigned)k,
                                    q->type == SURVEY_TOP && q->ranked ? (double)i + 1 : 1))
                return -1;
        }
        return 0;
    }
    case SURVEY_SCALE:
    case SURVEY_NUMBER:
        if (json_is_number(v))
            return xpipe_num(p, c, json_number_value(v));
        if (json_is_string(v))  /* hidden */
            return xpipe_str(p, c, json_string_value(v));
        return 0;
    case SURVEY_TEXT:
        if (json_is_string(v))
            return xpipe_str(p, c, json_string_value(v));
        return json_is_array(v) ? xlsx_lines(p, c, v) : 0;
    case SURVEY_NQTYPE:
        break;
    }
    return 0;
}

/* The rows, on the pipe's thread: the cursor, the answers' parsing, the texts. */
static int xver_fill(void *ctx, xpipe *p)
{
    xver *x = ctx;
    sexp *e = x->e;
    const survey *s = x->v->def;
    for (;;) {
        srvdb_sv_row r;
        int more;
        if (srvdb_sv_rows_next(x->cur, &r, &more)) {
            fprintf(stderr, "kiosk-server: xlsx export: %s\n", srvdb_errmsg(e->db));
            return -1;
        }
        if (!more)
            return 0;
        json_t *a = answers_of(&r, e->lang, 0);
        unsigned col = 3;
        int bad = !a || xpipe_num(p, 0, (double)r.version) ||
                  xpipe_str(p, 1, local_hour(e, r.hour)) ||
                  xpipe_str(p, 2, adm_res_kiosk(&e->ds, r.device));
        for (size_t i = 0; !bad && i < survey_nquestions(s); i++) {
            const survey_question *q = survey_question_at(s, i);
            bad = xlsx_cells(p, &col, e, q, json_object_get(a, q->id));
        }
        json_decref(a);
        if (bad || xpipe_row(p))
            return -1;
    }
}

static int xlsx_write(void *cls, lxw_workbook *wb, lxw_format *bold)
{
    sexp *e = cls;
    int bad = 0;
    for (size_t i = e->m.nv; !bad && i-- > 0;) {  /* oldest version first */
        xver x = { .e = e, .v = &e->m.v[i] };
        srvdb_sv_filter f = e->f;
        f.versions = &x.v->version;
        f.nversions = 1;
        if (srvdb_sv_rows_open(e->db, &f, &x.cur)) {
            fprintf(stderr, "kiosk-server: xlsx export: %s\n", srvdb_errmsg(e->db));
            return -1;
        }
        bad = adm_exp_xlsx_rows(wb, bold, xver_fill, xver_sheet, &x);
        srvdb_sv_rows_close(x.cur);
    }
    return bad ? -1 : 0;
}

/* --- the handler -------------------------------------------------------------------- */

void adm_results_survey_export(adm_ctx *x)
{
    int fmt, li;
    sexp *e = kc_calloc(1, sizeof *e);
    if (!e) {
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
        return;
    }
    if (adm_exp_args(x, &fmt, &li, &e->slot)) {
        sexp_free(e);
        return;
    }
    e->fmt = fmt;
    e->lang = li;
    e->pref = cat_langs_for((cat_lang)li);
    e->first = 1;
    adm_exp_hour_init(&e->hour);
    long long version = 0;
    if (svr_filter(x, &e->ds, &e->f, &e->ids, &version))
        goto fail;
    kc_err rc = svr_model_load(x->db, x->arg, version, &e->m);
    if (rc == KC_ENOTFOUND) {
        adm_failc(x, MHD_HTTP_NOT_FOUND, "not_found", version ? "version" : NULL,
                  "no survey \"%s\"%s", x->arg, version ? " of that version" : "");
        goto fail;
    }
    if (!rc && !(e->vs = kc_malloc(e->m.nv * sizeof *e->vs)))
        rc = KC_ENOMEM;
    for (size_t i = 0; !rc && i < e->m.nv; i++)
        e->vs[i] = e->m.v[i].version;
    e->f.versions = e->vs;
    e->f.nversions = e->m.nv;
    if (!rc)
        e->f.survey = survey_id(e->m.v[0].def);  /* x->arg goes with the request */
    /* The stream outlives the request's pooled handle: a handle of its own. */
    if (!rc)
        rc = srvdb_open(adm_db_spec(x), &e->db);
    if (!rc && fmt != ADM_EXP_XLSX)
        rc = srvdb_sv_rows_open(e->db, &e->f, &e->cur);
    if (rc) {
        fprintf(stderr, "kiosk-server: export: %s\n",
                e->db ? srvdb_errmsg(e->db) : srvdb_errmsg(x->db));
        adm_fail(x, rc == KC_EBUSY ? MHD_HTTP_SERVICE_UNAVAILABLE
                                   : MHD_HTTP_INTERNAL_SERVER_ERROR,
                 NULL, rc == KC_EBUSY ? "server busy, retry later" : "storage error");
        goto fail;
    }
    static const adm_exp_text csv = { csv_head, csv_row, sexp_free };
    static const adm_exp_text json = { json_head, json_row, sexp_free };
    struct MHD_Response *r;
    if (fmt == ADM_EXP_XLSX) {
        r = adm_exp_xlsx(xlsx_write, e);
        sexp_free(e);
    } else {
        r = adm_exp_stream(fmt == ADM_EXP_JSON ? &json : &csv, e);  /* owns e now */
    }
    /* The survey id is [a-z0-9._-]: safe in the header as it is. */
    adm_exp_reply(x, r, fmt, x->arg);
    return;
fail:
    if (!x->out)
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
    sexp_free(e);
}
