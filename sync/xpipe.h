/*
 * xpipe.h - rows for a spreadsheet made on one thread and written on another.
 *
 * A workbook export spends its time in two halves of about the same size: reading the
 * rows (the database, parsing the stored answers, looking up texts) and writing them
 * (libxlsxwriter's cells and XML).  On a machine with two cores the halves overlap:
 * fill runs on a thread of its own and adds rows cell by cell; the calling thread
 * takes each row, in order, and hands its cells to put, which writes them.  Only the
 * calling thread touches the workbook (libxlsxwriter is not thread-safe); only fill
 * touches what fill reads (its database handle).
 *
 * Memory is bounded: rows travel in two batches, one filled while the other is
 * written; a batch is handed over at XPIPE_ROWS rows, XPIPE_CELLS cells or XPIPE_BYTES
 * bytes of text, so a batch holds at most that plus one row (a cell takes 32 bytes:
 * about 3 MiB and a row).  Strings are copied into the batch.
 */
#ifndef XPIPE_H
#define XPIPE_H

#include <stddef.h>

#define XPIPE_ROWS 1024
#define XPIPE_CELLS 65536
#define XPIPE_BYTES (1u << 20)

typedef struct xpipe xpipe;

/* A cell of a row: a string (str not NULL, valid during put) or a number. */
typedef struct xpipe_cell {
    unsigned col;
    const char *str;
    double num;
} xpipe_cell;

/* Adds every row with xpipe_num, xpipe_str and xpipe_row; 0 after the last row, -1 on
 * a failure (fill logs it), also when xpipe_row reported that the writer stopped. */
typedef int (*xpipe_fill_fn)(void *ctx, xpipe *p);
/* Writes one row's cells, n of them in the order added; 0 or -1 (put logs it), after
 * which fill is stopped and no more rows come. */
typedef int (*xpipe_put_fn)(void *ctx, const xpipe_cell *cells, size_t n);

/* Runs fill on a new thread and put on this one until fill has finished and put has
 * had every row; 0, or -1 when fill or put failed or no thread could be started. */
int xpipe_run(xpipe_fill_fn fill, void *fill_ctx, xpipe_put_fn put, void *put_ctx);

/* The row being added: a number, a string (copied; NUL-terminated, or n bytes); 0 or
 * -1 out of memory. */
int xpipe_num(xpipe *p, unsigned col, double v);
int xpipe_str(xpipe *p, unsigned col, const char *s);
int xpipe_strn(xpipe *p, unsigned col, const char *s, size_t n);
/* Ends the row; may wait for the writer.  0, or -1 when the writer has stopped or
 * memory ran out: fill then returns -1. */
int xpipe_row(xpipe *p);

#endif
