/*
 * source.h - importing catalog content from the open data cities publish
 * (docs/sources.md): Linked Events events and places, service-map (TPR) units and
 * Varaamo/Respa bookable spaces.
 *
 * One run fetches every page of a source (libcurl, sync/source_fetch.c) or reads one
 * file, maps each record into the content format with the source's rules file
 * (assets/sources/NAME.json), and applies the result through the same validated,
 * transactional path as `admin import` (srvdb_import_buf).  Items get ids
 * "SOURCE.ORIGIN-ID" with ':' turned into '.', so a re-import updates them in place;
 * items of other origins are never touched.  Only after a complete, valid run do
 * stored items of the source missing from it become tombstones.
 *
 * Failure: any bad page, record or rule stops the run before the catalog is touched;
 * the run log (srvdb_source_run_add) gets the error either way.  Nothing here calls
 * exit() or keeps global state; a run is one call.
 */
#ifndef SOURCE_H
#define SOURCE_H

#include "srvdb.h"

/* Named capacities of a run; a source going past one fails the run with a message. */
#define SOURCE_MAX_PAGE_BYTES (32L * 1024 * 1024)
#define SOURCE_MAX_PAGES 2000
#define SOURCE_MAX_RECORDS 200000
#define SOURCE_MAX_URL 2000

typedef enum source_kind {
    SOURCE_LINKEDEVENTS,
    SOURCE_SERVICEMAP,
    SOURCE_VARAAMO,
    SOURCE_NKIND
} source_kind;

/* -1 when the name is none of "linkedevents", "servicemap", "varaamo". */
int source_kind_from_name(const char *name);
const char *source_kind_name(source_kind k);
/* Where a source's rules file is when source_opts.rules is NULL: DIR/NAME.json. */
const char *source_rules_dir(void);

typedef struct source_opts {
    source_kind kind;
    const char *url;        /* first page, or */
    const char *file;       /* one page read from a file */
    const char *rules;      /* rules file; NULL: SOURCE_RULES_DIR/NAME.json */
    const char *publisher;  /* linkedevents: only this publisher's events */
    int days;               /* linkedevents: events starting within this many days */
    long long now;          /* unix time taken as "now"; 0: the clock */
    long timeout_s;         /* per request, 0: 30 s */
    int retries;            /* extra tries after a 5xx or a network error, with backoff */
    long backoff_ms;        /* first wait between tries, doubled each time; 0: 1000 */
    int quiet;              /* no progress lines on stderr */
    int full;               /* fetch every page in full, ignoring the last validators */
    long deadline_s;        /* the whole run within this many seconds; 0: no bound */
    /* For runs started from the console (sync/srcrun.h), both may be NULL: progress
     * is called after each page; a run whose stop() answers nonzero ends at the next
     * page or within a second of a transfer, failing with "stopped". */
    void (*progress)(void *ctx, long pages, long records);
    int (*stop)(void *ctx);
    void *cb_ctx;
} source_opts;

/* Runs one import and appends it to the run log.  *run gets the log entry.
 * Returns KC_OK when the catalog now holds the source's content (also when nothing
 * changed); otherwise run->error says why and the catalog is as before. */
kc_err source_run(srvdb *db, const source_opts *o, srvdb_source_run *run);

#endif
