/* admin_results_export.c - the quick feedback rows the results page counts, for a
 * spreadsheet: CSV as Finnish spreadsheets read it (core/csv.h, the one writer: BOM, ';',
 * decimal comma, formulas defused), JSON, or .xlsx (libxlsxwriter).
 *
 * Streamed by admin_export.h (memory flat whatever the count), from a database cursor
 * of its own: the request's pooled handle goes back when the handler returns, the
 * stream lives on.  Contact details are never exported here (the kiosk's own export
 * has them, for its coordinator); a hidden comment is exported as hidden. */
#include "admin_results_impl.h"
#include "admin_export.h"
#include "csv.h"

#include <stdio.h>
#include <string.h>

static const char *const heads[3][6] = {
    { "Tunti", "Kioski", "Naama", "Naama (1-5)", "Mistä", "Kommentti" },
    { "Timme", "Kiosk", "Ansikte", "Ansikte (1-5)", "Varifrån", "Kommentar" },
    { "Hour", "Kiosk", "Face", "Face (1-5)", "From", "Comment" },
};
static const char *const faces[3][5] = {
    { "Tosi tyytymätön", "Tyytymätön", "Siltä väliltä", "Tyytyväinen", "Tosi tyytyväinen" },
    { "Mycket missnöjd", "Missnöjd", "Varken eller", "Nöjd", "Mycket nöjd" },
    { "Very unhappy", "Unhappy", "Neutral", "Happy", "Very happy" },
};
static const char *const hidden_text[3] = { "(piilotettu)", "(dold)", "(hidden)" };
static const char *const sheet_name[3] = { "Pikapalaute", "Snabbrespons", "Quick feedback" };

/* The export's rows, owned by the stream from the handler on. */
typedef struct exp {
    srvdb *db;
    srvdb_fb_cursor *cur;
    devs ds;                 /* kiosk names (ds.x is not used after the handler) */
    adm_exp_slot slot;
    int fmt, lang, first;
    adm_exp_hour hour;
} exp;

static void exp_free(void *cls)
{
    exp *e = cls;
    if (!e)
        return;
    srvdb_fb_rows_close(e->cur);
    srvdb_close(e->db);
    kc_free(e->ds.v);
    adm_exp_give(&e->slot);
    kc_free(e);
}

/* The next row; *more 0 at the end. */
static int next(exp *e, srvdb_fb_row *r, int *more)
{
    if (srvdb_fb_rows_next(e->cur, r, more)) {
        fprintf(stderr, "kiosk-server: export: %s\n", srvdb_errmsg(e->db));
        return -1;
    }
    return 0;
}

static int csv_head(void *cls, FILE *f)
{
    exp *e = cls;
    if (csv_bom(f))
        return -1;
    for (int c = 0; c < 6; c++)
        if ((c && csv_sep(f)) || csv_text(f, heads[e->lang][c]))
            return -1;
    return csv_eol(f);
}

static int csv_row(void *cls, FILE *f, int *more)
{
    exp *e = cls;
    srvdb_fb_row r;
    if (next(e, &r, more))
        return -1;
    if (!*more)
        return 0;
    const char *comment = r.hidden ? hidden_text[e->lang] : r.comment ? r.comment : "";
    return csv_text(f, adm_exp_hour_text(&e->hour, r.hour)) || fputc(';', f) == EOF ||
                   csv_text(f, adm_res_kiosk(&e->ds, r.device)) ||
                   fputc(';', f) == EOF ||
                   csv_text(f, faces[e->lang][r.score - 1]) ||
                   csv_sep(f) || csv_int(f, r.score) || csv_sep(f) ||
                   csv_text(f, r.context) || csv_sep(f) || csv_text(f, comment) ||
                   csv_eol(f)
               ? -1
               : 0;
}

static int json_head(void *cls, FILE *f)
{
    (void)cls;
    return fputs("[", f) == EOF ? -1 : 0;
}

static int json_row(void *cls, FILE *f, int *more)
{
    exp *e = cls;
    srvdb_fb_row r;
    if (next(e, &r, more))
        return -1;
    if (!*more)
        return fputs("\n]\n", f) == EOF ? -1 : 0;
    json_t *j = json_pack("{s:s, s:s, s:i, s:s, s:s?, s:b}", "hour",
                          adm_exp_hour_text(&e->hour, r.hour), "kiosk",
                          adm_res_kiosk(&e->ds, r.device), "face", r.score, "context",
                          r.context, "comment", r.hidden ? NULL : r.comment, "hidden",
                          r.hidden);
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

/* --- xlsx -------------------------------------------------------------------------- */

/* Sheet n with its heads (adm_exp_sheet_fn). */
static lxw_worksheet *xlsx_sheet(void *cls, lxw_workbook *wb, lxw_format *bold, int n)
{
    int lang = ((exp *)cls)->lang;
    char name[32];
    if (n == 1)
        snprintf(name, sizeof name, "%s", sheet_name[lang]);
    else
        snprintf(name, sizeof name, "%s %d", sheet_name[lang], n);
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    for (int c = 0; ws && c < 6; c++)
        if (worksheet_write_string(ws, 0, (lxw_col_t)c, heads[lang][c], bold))
            return NULL;
    return ws;
}

/* The rows, on the pipe's thread (admin_export.h). */
static int xlsx_rows(void *cls, xpipe *p)
{
    exp *e = cls;
    for (;;) {
        srvdb_fb_row r;
        int more;
        if (next(e, &r, &more))
            return -1;
        if (!more)
            return 0;
        const char *comment = r.hidden ? hidden_text[e->lang] : r.comment ? r.comment : "";
        if (xpipe_str(p, 0, adm_exp_hour_text(&e->hour, r.hour)) ||
            xpipe_str(p, 1, adm_res_kiosk(&e->ds, r.device)) ||
            xpipe_str(p, 2, faces[e->lang][r.score - 1]) || xpipe_num(p, 3, r.score) ||
            xpipe_str(p, 4, r.context) || (*comment && xpipe_str(p, 5, comment)) ||
            xpipe_row(p))
            return -1;
    }
}

static int xlsx_write(void *cls, lxw_workbook *wb, lxw_format *bold)
{
    return adm_exp_xlsx_rows(wb, bold, xlsx_rows, xlsx_sheet, cls);
}

/* --- the handler -------------------------------------------------------------------- */

void adm_results_export(adm_ctx *x)
{
    int fmt, li;
    exp *e = kc_calloc(1, sizeof *e);
    if (!e) {
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
        return;
    }
    if (adm_exp_args(x, &fmt, &li, &e->slot)) {
        exp_free(e);
        return;
    }
    e->fmt = fmt;
    e->lang = li;
    e->first = 1;
    adm_exp_hour_init(&e->hour);
    srvdb_fb_filter f;
    long long *ids = NULL;
    if (adm_res_filter(x, &e->ds, &f, &ids))
        goto fail;
    kc_err rc = srvdb_open(adm_db_spec(x), &e->db);
    if (!rc)
        rc = srvdb_fb_rows_open(e->db, &f, &e->cur);
    kc_free(ids);  /* the cursor has bound its own copy */
    if (rc) {
        fprintf(stderr, "kiosk-server: export: %s\n", e->db ? srvdb_errmsg(e->db) : "");
        adm_fail(x, rc == KC_EBUSY ? MHD_HTTP_SERVICE_UNAVAILABLE
                                   : MHD_HTTP_INTERNAL_SERVER_ERROR,
                 NULL, rc == KC_EBUSY ? "server busy, retry later" : "storage error");
        goto fail;
    }
    static const adm_exp_text csv = { csv_head, csv_row, exp_free };
    static const adm_exp_text json = { json_head, json_row, exp_free };
    struct MHD_Response *r;
    if (fmt == ADM_EXP_XLSX) {
        r = adm_exp_xlsx(xlsx_write, e);
        exp_free(e);
    } else {
        r = adm_exp_stream(fmt == ADM_EXP_JSON ? &json : &csv, e);  /* owns e now */
    }
    adm_exp_reply(x, r, fmt, "pikapalaute");
    return;
fail:
    if (!x->out)
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
    exp_free(e);
}
