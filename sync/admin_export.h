/*
 * admin_export.h - the streaming part of the console's exports (the feedback export,
 * admin_results_export.c, and a survey's, admin_results_survey_export.c): the request's
 * format and language, CSV and JSON written a chunk at a time as microhttpd asks for
 * more, .xlsx written to a temporary file in libxlsxwriter's constant_memory mode and
 * sent from its descriptor, and the reply's headers.  Memory stays flat whatever the
 * number of rows.  Not for other modules.
 */
#ifndef ADMIN_EXPORT_H
#define ADMIN_EXPORT_H

#include "admin_impl.h"
#include "xpipe.h"

#include <stdio.h>
#include <xlsxwriter.h>

enum { ADM_EXP_CSV, ADM_EXP_JSON, ADM_EXP_XLSX };
#define ADM_EXP_XLSX_ROWS 1048576  /* rows on one sheet, header included */

/* An export's share of the server: each open export holds a database connection and
 * its read snapshot until the download ends, a workbook also a worker and a thread of
 * its own (adm_exp_xlsx_rows) while it is written.  At most --exports are open at once and workbooks are written on at most
 * half the workers (at least one); past either the request gets 503 "exports_busy"
 * with Retry-After.  Given back by adm_exp_give (again: nothing). */
typedef struct adm_exp_slot {
    admin_srv *a;  /* NULL: none held */
    int xlsx;
} adm_exp_slot;
void adm_exp_give(adm_exp_slot *s);

/* `format` (csv, json, xlsx; csv when absent) and `lang` (fi, sv, en as 0, 1, 2; fi
 * when absent), then the export's slot; -1 after a failure reply. */
int adm_exp_args(adm_ctx *x, int *fmt, int *lang, adm_exp_slot *slot);

/* The local hour "YYYY-MM-DD HH:00" of a stored hour (unix time), the last one kept:
 * rows come in runs of the same hour. */
typedef struct adm_exp_hour {
    long long hour;
    char text[32];
} adm_exp_hour;
void adm_exp_hour_init(adm_exp_hour *h);
const char *adm_exp_hour_text(adm_exp_hour *h, long long hour);

/* A CSV or JSON stream: head writes what comes before the rows, row the next row to
 * f (*more 0 at the end, after writing what comes after the rows), done frees src.
 * Each returns 0 or -1.  The response owns src from the call on, also when it fails
 * (NULL; done has run). */
typedef struct adm_exp_text {
    int (*head)(void *src, FILE *f);
    int (*row)(void *src, FILE *f, int *more);
    void (*done)(void *src);
} adm_exp_text;
struct MHD_Response *adm_exp_stream(const adm_exp_text *t, void *src);

/* An .xlsx workbook written by write (0 or -1, the reason logged) into a temporary
 * file, then sent from it; NULL on failure.  bold is a bold format for the heads. */
typedef int (*adm_exp_xlsx_fn)(void *src, lxw_workbook *wb, lxw_format *bold);
struct MHD_Response *adm_exp_xlsx(adm_exp_xlsx_fn write, void *src);

/* Inside write: the rows that rows makes (xpipe.h: on a thread of its own, reading
 * them while this one writes them) on sheets made by sheet in wb, part 1 at once and
 * the next after each ADM_EXP_XLSX_ROWS - 1 rows; sheet writes the heads on row 0 (in
 * bold).  rows and sheet get src; 0, or -1 with the reason logged. */
typedef lxw_worksheet *(*adm_exp_sheet_fn)(void *src, lxw_workbook *wb, lxw_format *bold,
                                           int part);
int adm_exp_xlsx_rows(lxw_workbook *wb, lxw_format *bold, xpipe_fill_fn rows,
                      adm_exp_sheet_fn sheet, void *src);

/* Sends r (NULL: a failure reply) as the request's answer, a download named
 * name.csv, .json or .xlsx after fmt; name is safe in a header. */
void adm_exp_reply(adm_ctx *x, struct MHD_Response *r, int fmt, const char *name);

#endif
