/*
 * ctl.h - shared pieces of kioskctl, the operators' and tests' command-line tool.
 *
 * Each subcommand is a function taking its own arguments (argv[0] is the subcommand
 * name) and the global options, returning the process exit code:
 *   0 success, 1 the operation failed (bad input, I/O, database), 2 usage error,
 *   3 the database is from a newer version and was left untouched.
 * Errors go to stderr, results to stdout.
 */
#ifndef CTL_H
#define CTL_H

#include "kc.h"
#include "store.h"

enum { CTL_OK = 0, CTL_FAIL = 1, CTL_USAGE = 2, CTL_NEWER = 3 };

typedef struct ctl_opts {
    const char *db;  /* --db, or $KIOSK_DB, or kiosk.db */
} ctl_opts;

/* Matches "--name VALUE" and "--name=VALUE"; advances *i past the value. */
int ctl_opt(int argc, char **argv, int *i, const char *name, const char **val);
int ctl_is_help(const char *arg);

/* Opens the database; prints the error and returns the exit code on failure. */
int ctl_open(const ctl_opts *o, store **st);

int ctl_parse_long(const char *s, long min, long max, long *out);

int cmd_import(int argc, char **argv, const ctl_opts *o);
int cmd_export(int argc, char **argv, const ctl_opts *o);
int cmd_search(int argc, char **argv, const ctl_opts *o);
int cmd_stats(int argc, char **argv, const ctl_opts *o);
int cmd_gen(int argc, char **argv, const ctl_opts *o);
int cmd_sync(int argc, char **argv, const ctl_opts *o);
int cmd_pin(int argc, char **argv, const ctl_opts *o);
int cmd_survey(int argc, char **argv, const ctl_opts *o);
int cmd_responses(int argc, char **argv, const ctl_opts *o);
int cmd_workshop(int argc, char **argv, const ctl_opts *o);
int cmd_ballot(int argc, char **argv, const ctl_opts *o);

#endif
