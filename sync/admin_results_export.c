/* admin_results_export.c - the quick feedback rows the results page counts, for a
 * spreadsheet: CSV as Finnish spreadsheets read it (core/csv.h, the one writer: BOM, ';',
 * decimal comma, formulas defused), JSON, or .xlsx (libxlsxwriter).
 *
 * Memory stays flat whatever the count: CSV and JSON are written a chunk at a time as
 * microhttpd asks for more, from a database cursor of their own (the request's pooled
 * handle goes back when the handler returns, the stream lives on); .xlsx is written
 * to a temporary file in libxlsxwriter's constant_memory mode, which is then sent
 * from its descriptor.  Contact details are never exported here (the kiosk's own
 * export has them, for its coordinator); a hidden comment is exported as hidden. */
#include "admin_results_impl.h"
#include "csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define CHUNK (64 * 1024)
#define XLSX_ROWS 1048576  /* rows on one sheet, header included */

enum { FMT_CSV, FMT_JSON, FMT_XLSX };

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

/* The export's state, owned by the microhttpd response from the handler on. */
typedef struct exp {
    srvdb *db;
    srvdb_fb_cursor *cur;
    devs ds;                 /* kiosk names (ds.x is not used after the handler) */
    int fmt, lang;
    FILE *ms;                /* the chunk being written (open_memstream) */
    char *buf;
    size_t len, off;
    int done, first;
    long long cached_hour;   /* the local hour text of the row before */
    char local[32];
} exp;

static const char *local_hour(exp *e, long long hour)
{
    if (hour != e->cached_hour) {
        time_t t = (time_t)hour;
        struct tm tm;
        e->local[0] = 0;
        if (localtime_r(&t, &tm))
            strftime(e->local, sizeof e->local, "%Y-%m-%d %H:00", &tm);
        e->cached_hour = hour;
    }
    return e->local;
}

static void exp_free(void *cls)
{
    exp *e = cls;
    if (!e)
        return;
    if (e->ms)
        fclose(e->ms);
    free(e->buf);  /* open_memstream's buffer: the C library's malloc */
    srvdb_fb_rows_close(e->cur);
    srvdb_close(e->db);
    kc_free(e->ds.v);
    kc_free(e);
}

static int csv_row(exp *e, const srvdb_fb_row *r)
{
    FILE *f = e->ms;
    const char *comment = r->hidden ? hidden_text[e->lang] : r->comment ? r->comment : "";
    return csv_text(f, local_hour(e, r->hour)) || fputc(';', f) == EOF ||
                   csv_text(f, adm_res_kiosk(&e->ds, r->device)) ||
                   fputc(';', f) == EOF ||
                   csv_text(f, faces[e->lang][r->score - 1]) ||
                   csv_sep(f) || csv_int(f, r->score) || csv_sep(f) ||
                   csv_text(f, r->context) || csv_sep(f) || csv_text(f, comment) ||
                   csv_eol(f)
               ? -1
               : 0;
}

static int csv_head(FILE *f, int lang)
{
    if (csv_bom(f))
        return -1;
    for (int c = 0; c < 6; c++)
        if ((c && csv_sep(f)) || csv_text(f, heads[lang][c]))
            return -1;
    return csv_eol(f);
}

static int json_row(exp *e, const srvdb_fb_row *r)
{
    json_t *j = json_pack("{s:s, s:s, s:i, s:s, s:s?, s:b}", "hour",
                          local_hour(e, r->hour), "kiosk", adm_res_kiosk(&e->ds, r->device),
                          "face", r->score, "context", r->context, "comment",
                          r->hidden ? NULL : r->comment, "hidden", r->hidden);
    if (!j)
        return -1;
    int rc = (fputs(e->first ? "\n" : ",\n", e->ms) == EOF ||
              json_dumpf(j, e->ms, JSON_COMPACT | JSON_PRESERVE_ORDER))
                 ? -1
                 : 0;
    e->first = 0;
    json_decref(j);
    return rc;
}

/* Fills a fresh chunk with rows (and the end, after the last); -1 on failure. */
static int fill(exp *e)
{
    if (e->ms)
        fclose(e->ms);
    free(e->buf);
    e->buf = NULL;
    e->len = e->off = 0;
    if (!(e->ms = open_memstream(&e->buf, &e->len)))
        return -1;
    while (ftell(e->ms) < CHUNK) {
        srvdb_fb_row r;
        int more;
        if (srvdb_fb_rows_next(e->cur, &r, &more)) {
            fprintf(stderr, "kiosk-server: export: %s\n", srvdb_errmsg(e->db));
            return -1;
        }
        if (!more) {
            e->done = 1;
            if (e->fmt == FMT_JSON && fputs("\n]\n", e->ms) == EOF)
                return -1;
            break;
        }
        if ((e->fmt == FMT_CSV ? csv_row(e, &r) : json_row(e, &r)))
            return -1;
    }
    return fflush(e->ms) == 0 ? 0 : -1;
}

static ssize_t exp_read(void *cls, uint64_t pos, char *out, size_t max)
{
    exp *e = cls;
    (void)pos;
    while (e->off >= e->len) {
        if (e->done)
            return MHD_CONTENT_READER_END_OF_STREAM;
        if (fill(e))
            return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    size_t n = e->len - e->off < max ? e->len - e->off : max;
    memcpy(out, e->buf + e->off, n);
    e->off += n;
    return (ssize_t)n;
}

/* --- xlsx -------------------------------------------------------------------------- */

static lxw_worksheet *xlsx_sheet(lxw_workbook *wb, int lang, int n, lxw_format *bold)
{
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

/* Writes the rows to path; 0 or -1 (the reason logged). */
static int xlsx_write(exp *e, const char *path, const char *tmpdir)
{
    lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = (char *)tmpdir };
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb)
        return -1;
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    int sheets = 1, bad = 0;
    lxw_worksheet *ws = xlsx_sheet(wb, e->lang, sheets, bold);
    lxw_row_t row = 1;
    for (;;) {
        srvdb_fb_row r;
        int more;
        if (!ws || srvdb_fb_rows_next(e->cur, &r, &more)) {
            bad = 1;
            break;
        }
        if (!more)
            break;
        if (row == XLSX_ROWS) {
            ws = xlsx_sheet(wb, e->lang, ++sheets, bold);
            row = 1;
            if (!ws) {
                bad = 1;
                break;
            }
        }
        /* Strings go in as strings: a spreadsheet never runs them as formulas. */
        const char *comment = r.hidden ? hidden_text[e->lang] : r.comment ? r.comment : "";
        if (worksheet_write_string(ws, row, 0, local_hour(e, r.hour), NULL) ||
            worksheet_write_string(ws, row, 1, adm_res_kiosk(&e->ds, r.device), NULL) ||
            worksheet_write_string(ws, row, 2, faces[e->lang][r.score - 1], NULL) ||
            worksheet_write_number(ws, row, 3, r.score, NULL) ||
            worksheet_write_string(ws, row, 4, r.context, NULL) ||
            (*comment && worksheet_write_string(ws, row, 5, comment, NULL))) {
            bad = 1;
            break;
        }
        row++;
    }
    lxw_error err = workbook_close(wb);
    if (bad || err != LXW_NO_ERROR) {
        fprintf(stderr, "kiosk-server: xlsx export: %s\n",
                bad ? srvdb_errmsg(e->db) : lxw_strerror(err));
        return -1;
    }
    return 0;
}

static struct MHD_Response *xlsx_response(exp *e)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/kiosk-export-XXXXXX", tmp) >= sizeof path)
        return NULL;
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    close(fd);
    struct MHD_Response *r = NULL;
    if (xlsx_write(e, path, tmp) == 0 && (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
        struct stat sb;
        /* The name goes at once; the open descriptor keeps the data until sent. */
        if (fstat(fd, &sb) == 0 &&
            (r = MHD_create_response_from_fd((uint64_t)sb.st_size, fd)) == NULL)
            close(fd);
        else if (!r)
            close(fd);
    }
    unlink(path);
    return r;
}

/* --- the handler -------------------------------------------------------------------- */

void adm_results_export(adm_ctx *x)
{
    const char *format = adm_query(x, "format"), *lang = adm_query(x, "lang");
    int fmt = !format || strcmp(format, "csv") == 0 ? FMT_CSV
              : strcmp(format, "json") == 0         ? FMT_JSON
              : strcmp(format, "xlsx") == 0         ? FMT_XLSX
                                                    : -1;
    int li = !lang || strcmp(lang, "fi") == 0 ? 0
             : strcmp(lang, "sv") == 0        ? 1
             : strcmp(lang, "en") == 0        ? 2
                                              : -1;
    if (fmt < 0) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "format", "\"format\" is csv, json or xlsx");
        return;
    }
    if (li < 0) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "lang", "\"lang\" is fi, sv or en");
        return;
    }
    exp *e = kc_calloc(1, sizeof *e);
    if (!e) {
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
        return;
    }
    e->fmt = fmt;
    e->lang = li;
    e->first = 1;
    e->cached_hour = -1;
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
    static const char *const types[] = {
        "text/csv; charset=utf-8", "application/json",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    };
    static const char *const names[] = { "pikapalaute.csv", "pikapalaute.json",
                                         "pikapalaute.xlsx" };
    struct MHD_Response *r;
    if (fmt == FMT_XLSX) {
        r = xlsx_response(e);
        exp_free(e);
        e = NULL;
    } else {
        /* CSV: the byte order mark and the heads first; JSON: the array's opening. */
        if (!(e->ms = open_memstream(&e->buf, &e->len)) ||
            (fmt == FMT_JSON ? fputs("[", e->ms) == EOF : csv_head(e->ms, li)) ||
            fflush(e->ms) != 0) {
            adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
            goto fail;
        }
        r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, CHUNK, exp_read, e, exp_free);
        if (!r)
            goto fail;
        e = NULL;  /* the response owns it now */
    }
    if (!r) {
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "export failed");
        return;
    }
    char disp[80];
    snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", names[fmt]);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, types[fmt]);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, disp);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    x->status = MHD_HTTP_OK;
    x->resp = r;
    return;
fail:
    if (!x->out)
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
    exp_free(e);
}
