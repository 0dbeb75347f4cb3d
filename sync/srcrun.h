/*
 * srcrun.h - source imports started from the console (docs/sources.md, "Runs from
 * the console"): the configured sources and at most one background run per source.
 *
 * What is configured lives in a JSON file on the server (`kiosk-server --sources
 * FILE`), not in the database: the URL is fetched by the server itself, so only
 * whoever runs the server chooses which hosts it talks to (the console shows the
 * settings and may only start a run).
 *
 * A run is one call of ops->run (source_run of sync/source.h; passed in because this
 * library does not link libcurl or libxml2) on a thread of its own with a database
 * handle of its own, so it never holds up a request or sync traffic beyond SQLite's
 * write lock during its one transaction.  It is bounded by the source's deadline and
 * per-request timeout; srcrun_close stops running imports at their next page or
 * transfer tick and waits for them.
 *
 * Threads: every function but open/close may be called from any thread.
 */
#ifndef SRCRUN_H
#define SRCRUN_H

#include "source.h"

typedef struct srcrun srcrun;

typedef struct srcrun_ops {
    kc_err (*run)(srvdb *db, const source_opts *o, srvdb_source_run *out);
    const char *(*name)(source_kind k);
    int (*from_name)(const char *name);
    const char *(*rules_dir)(void);
} srcrun_ops;

#define SRCRUN_DEADLINE_DEFAULT (30 * 60)  /* a console run, whole, in seconds */
#define SRCRUN_PUBLISHER_MAX 100
#define SRCRUN_PATH_MAX 1024
#define SRCRUN_BY_MAX 64
#define SRCRUN_CONF_MAX (1L * 1024 * 1024)  /* the sources file */

/* One configured source. */
typedef struct srcrun_conf {
    int configured;
    char url[SOURCE_MAX_URL + 1];
    char publisher[SRCRUN_PUBLISHER_MAX + 1];  /* "" for every publisher */
    int days;
    char rules[SRCRUN_PATH_MAX + 1];  /* the rules file's path */
    long timeout_s;
    int retries;
    long deadline_s;
} srcrun_conf;

/* What a source's background run is doing. */
typedef struct srcrun_state {
    int running;
    long long started;       /* unix time of the current (or last) console run; 0: none */
    long pages, records;     /* so far */
    char by[SRCRUN_BY_MAX + 1];  /* the account that started it */
} srcrun_state;

/* conf_file NULL: nothing configured.  A bad file fails with a message naming the
 * source and the key; nothing is left running. */
kc_err srcrun_open(const char *conf_file, const char *dbspec, const srcrun_ops *ops,
                   srcrun **out, char *msg);
/* Stops running imports and waits for them.  r may be NULL. */
void srcrun_close(srcrun *r);

int srcrun_nkinds(void);
const char *srcrun_name(const srcrun *r, int kind);
/* -1 when no source has this name. */
int srcrun_kind(const srcrun *r, const char *name);
void srcrun_conf_get(const srcrun *r, int kind, srcrun_conf *out);
void srcrun_state_get(srcrun *r, int kind, srcrun_state *out);
/* Starts a run in the background and returns at once: KC_ENOTFOUND when the source
 * is not configured, KC_EBUSY while one runs (msg says since when and by whom),
 * KC_ENOMEM when no thread could start. */
kc_err srcrun_start(srcrun *r, int kind, const char *by, char *msg);

#endif
