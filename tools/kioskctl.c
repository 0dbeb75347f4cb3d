/* kioskctl: entry point and dispatch.  Subcommands live in ctl_*.c. */
#include "ctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct command {
    const char *name;
    int (*fn)(int, char **, const ctl_opts *);
    const char *summary;
} command;

static const command commands[] = {
    { "import", cmd_import, "validate a content file and write it to the catalog" },
    { "export", cmd_export, "write the catalog as a content file" },
    { "search", cmd_search, "search the catalog as the kiosk does" },
    { "stats", cmd_stats, "counts of items, revision and database size" },
    { "gen", cmd_gen, "write a synthetic catalog for tests and benchmarks" },
    { "sync", cmd_sync, "sync with the central server now, or show sync state" },
    { "pin", cmd_pin, "set the coordinator PIN (from stdin)" },
    { "survey", cmd_survey, "import and list surveys and workshop definitions" },
    { "responses", cmd_responses, "export responses and feedback (CSV, JSON); totals" },
    { "workshop", cmd_workshop, "start, answer, end and export coordinator workshops" },
    { "ballot", cmd_ballot, "participatory-budgeting ballots: import, codes, tally, status" },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    fprintf(f, "usage: kioskctl [--db FILE] COMMAND [ARGS]\n\n"
               "The community kiosk's operator tool.  --db defaults to $KIOSK_DB, then "
               "kiosk.db.\n\ncommands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'kioskctl COMMAND --help' describes a command.\n"
               "exit codes: 0 success, 1 failure, 2 usage error, 3 database from a "
               "newer version\n");
}

int ctl_is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int ctl_opt(int argc, char **argv, int *i, const char *name, const char **val)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return 0;
    if (argv[*i][n] == '=') {
        *val = argv[*i] + n + 1;
        return 1;
    }
    if (argv[*i][n] != '\0' || *i + 1 >= argc)
        return 0;
    *val = argv[++*i];
    return 1;
}

int ctl_parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int ctl_open(const ctl_opts *o, store **st)
{
    kc_err rc = store_open(o->db, st);
    if (!rc)
        return CTL_OK;
    fprintf(stderr, "kioskctl: %s\n", store_errmsg(*st));
    store_close(*st);
    *st = NULL;
    return rc == KC_ENEWER ? CTL_NEWER : CTL_FAIL;
}

int main(int argc, char **argv)
{
    ctl_opts o = { getenv("KIOSK_DB") };
    if (!o.db || !*o.db)
        o.db = "kiosk.db";
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *v;
        if (ctl_is_help(argv[i])) {
            usage(stdout);
            return CTL_OK;
        }
        if (ctl_opt(argc, argv, &i, "--db", &v)) {
            o.db = v;
            continue;
        }
        fprintf(stderr, "kioskctl: unknown option %s\n", argv[i]);
        usage(stderr);
        return CTL_USAGE;
    }
    if (i >= argc) {
        usage(stderr);
        return CTL_USAGE;
    }
    for (size_t c = 0; c < NCOMMANDS; c++)
        if (strcmp(argv[i], commands[c].name) == 0)
            return commands[c].fn(argc - i, argv + i, &o);
    fprintf(stderr, "kioskctl: unknown command \"%s\"\n", argv[i]);
    usage(stderr);
    return CTL_USAGE;
}
