/* admin_export.c - the console exports' streaming (admin_export.h). */
#include "admin_export.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (64 * 1024)

int adm_exp_args(adm_ctx *x, int *fmt, int *lang, adm_exp_slot *slot)
{
    const char *format = adm_query(x, "format"), *l = adm_query(x, "lang");
    *fmt = !format || strcmp(format, "csv") == 0 ? ADM_EXP_CSV
           : strcmp(format, "json") == 0         ? ADM_EXP_JSON
           : strcmp(format, "xlsx") == 0         ? ADM_EXP_XLSX
                                                 : -1;
    *lang = !l || strcmp(l, "fi") == 0 ? 0
            : strcmp(l, "sv") == 0     ? 1
            : strcmp(l, "en") == 0     ? 2
                                       : -1;
    if (*fmt < 0) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "format", "\"format\" is csv, json or xlsx");
        return -1;
    }
    if (*lang < 0) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "lang", "\"lang\" is fi, sv or en");
        return -1;
    }
    admin_srv *a = x->a;
    int xlsx_max = a->ndb >= 2 ? a->ndb / 2 : 1;
    if (atomic_fetch_add(&a->exports, 1) >= a->exports_max) {
        atomic_fetch_sub(&a->exports, 1);
        x->retry_after = 10;
        adm_failc(x, MHD_HTTP_SERVICE_UNAVAILABLE, "exports_busy", NULL,
                  "%d exports are being taken; try again in a moment", a->exports_max);
        return -1;
    }
    if (*fmt == ADM_EXP_XLSX && atomic_fetch_add(&a->xlsx, 1) >= xlsx_max) {
        atomic_fetch_sub(&a->xlsx, 1);
        atomic_fetch_sub(&a->exports, 1);
        x->retry_after = 10;
        adm_failc(x, MHD_HTTP_SERVICE_UNAVAILABLE, "exports_busy", NULL,
                  "%d workbooks are being written; try again in a moment", xlsx_max);
        return -1;
    }
    slot->a = a;
    slot->xlsx = *fmt == ADM_EXP_XLSX;
    return 0;
}

void adm_exp_give(adm_exp_slot *s)
{
    if (!s->a)
        return;
    if (s->xlsx)
        atomic_fetch_sub(&s->a->xlsx, 1);
    atomic_fetch_sub(&s->a->exports, 1);
    s->a = NULL;
}

void adm_exp_hour_init(adm_exp_hour *h)
{
    h->hour = -1;
    h->text[0] = 0;
}

const char *adm_exp_hour_text(adm_exp_hour *h, long long hour)
{
    if (hour != h->hour) {
        time_t t = (time_t)hour;
        struct tm tm;
        h->text[0] = 0;
        if (localtime_r(&t, &tm))
            strftime(h->text, sizeof h->text, "%Y-%m-%d %H:00", &tm);
        h->hour = hour;
    }
    return h->text;
}

/* --- CSV and JSON: a chunk at a time ----------------------------------------------- */

typedef struct stream {
    adm_exp_text t;
    void *src;
    FILE *ms;     /* the chunk being written (open_memstream) */
    char *buf;
    size_t len, off;
    int done;
} stream;

static void stream_free(void *cls)
{
    stream *s = cls;
    if (!s)
        return;
    if (s->ms)
        fclose(s->ms);
    free(s->buf);  /* open_memstream's buffer: the C library's malloc */
    s->t.done(s->src);
    kc_free(s);
}

static int fresh(stream *s)
{
    if (s->ms)
        fclose(s->ms);
    free(s->buf);
    s->buf = NULL;
    s->len = s->off = 0;
    return (s->ms = open_memstream(&s->buf, &s->len)) ? 0 : -1;
}

/* Fills a fresh chunk with rows (and the end, after the last); -1 on failure. */
static int fill(stream *s)
{
    if (fresh(s))
        return -1;
    while (ftell(s->ms) < CHUNK) {
        int more = 0;
        if (s->t.row(s->src, s->ms, &more))
            return -1;
        if (!more) {
            s->done = 1;
            break;
        }
    }
    return fflush(s->ms) == 0 ? 0 : -1;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
    stream *s = cls;
    (void)pos;
    while (s->off >= s->len) {
        if (s->done)
            return MHD_CONTENT_READER_END_OF_STREAM;
        if (fill(s))
            return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    size_t n = s->len - s->off < max ? s->len - s->off : max;
    memcpy(out, s->buf + s->off, n);
    s->off += n;
    return (ssize_t)n;
}

struct MHD_Response *adm_exp_stream(const adm_exp_text *t, void *src)
{
    stream *s = kc_calloc(1, sizeof *s);
    if (!s) {
        t->done(src);
        return NULL;
    }
    s->t = *t;
    s->src = src;
    struct MHD_Response *r = NULL;
    if (!fresh(s) && !t->head(src, s->ms) && fflush(s->ms) == 0)
        r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, CHUNK, stream_read, s,
                                              stream_free);
    if (!r)
        stream_free(s);
    return r;
}

/* --- xlsx ---------------------------------------------------------------------------- */

static int xlsx_file(adm_exp_xlsx_fn write, void *src, const char *path, const char *tmpdir)
{
    lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = (char *)tmpdir };
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb)
        return -1;
    lxw_format *bold = workbook_add_format(wb);
    int bad = !bold;
    if (bold)
        format_set_bold(bold);
    bad = bad || write(src, wb, bold);
    lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR)
        fprintf(stderr, "kiosk-server: xlsx export: %s\n", lxw_strerror(err));
    return bad || err != LXW_NO_ERROR ? -1 : 0;
}

typedef struct xput {
    lxw_workbook *wb;
    lxw_format *bold;
    adm_exp_sheet_fn sheet;
    void *src;
    lxw_worksheet *ws;
    lxw_row_t row;
    int part;
} xput;

static int xput_sheet(xput *x)
{
    x->ws = x->sheet(x->src, x->wb, x->bold, x->part);
    if (!x->ws)
        fprintf(stderr, "kiosk-server: xlsx export: no sheet %d\n", x->part);
    x->row = 1;
    return x->ws ? 0 : -1;
}

/* One row, on the calling thread; strings go in as strings, which a spreadsheet never
 * runs as formulas. */
static int xput_row(void *ctx, const xpipe_cell *c, size_t n)
{
    xput *x = ctx;
    if (x->row == ADM_EXP_XLSX_ROWS) {
        x->part++;
        if (xput_sheet(x))
            return -1;
    }
    for (size_t i = 0; i < n; i++) {
        lxw_error err = c[i].str ? worksheet_write_string(x->ws, x->row, (lxw_col_t)c[i].col,
                                                          c[i].str, NULL)
                                 : worksheet_write_number(x->ws, x->row, (lxw_col_t)c[i].col,
                                                          c[i].num, NULL);
        if (err != LXW_NO_ERROR) {
            fprintf(stderr, "kiosk-server: xlsx export: %s\n", lxw_strerror(err));
            return -1;
        }
    }
    x->row++;
    return 0;
}

int adm_exp_xlsx_rows(lxw_workbook *wb, lxw_format *bold, xpipe_fill_fn rows,
                      adm_exp_sheet_fn sheet, void *src)
{
    xput x = { .wb = wb, .bold = bold, .sheet = sheet, .src = src, .part = 1 };
    if (xput_sheet(&x))
        return -1;
    return xpipe_run(rows, src, xput_row, &x);
}

struct MHD_Response *adm_exp_xlsx(adm_exp_xlsx_fn write, void *src)
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
    if (xlsx_file(write, src, path, tmp) == 0 && (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
        struct stat sb;
        /* The name goes at once; the open descriptor keeps the data until sent. */
        if (fstat(fd, &sb) != 0 ||
            (r = MHD_create_response_from_fd((uint64_t)sb.st_size, fd)) == NULL)
            close(fd);
    }
    unlink(path);
    return r;
}

void adm_exp_reply(adm_ctx *x, struct MHD_Response *r, int fmt, const char *name)
{
    static const char *const types[] = {
        "text/csv; charset=utf-8", "application/json",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    };
    static const char *const exts[] = { "csv", "json", "xlsx" };
    if (!r) {
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "export failed");
        return;
    }
    char disp[200];
    snprintf(disp, sizeof disp, "attachment; filename=\"%.150s.%s\"", name, exts[fmt]);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, types[fmt]);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, disp);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    x->status = MHD_HTTP_OK;
    x->resp = r;
}
