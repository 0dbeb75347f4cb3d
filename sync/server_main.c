/* kiosk-server: the central server program and its administration commands. */
#include "admin.h"
#include "server.h"
#include "source.h"
#include "source_cmd.h"
#include "srcrun.h"
#include "srvdb.h"
#include "srvdb_migrate.h"
#include "srvtally.h"
#include "srvtext.h"

#include <sodium.h>

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { EX_OK = 0, EX_FAIL = 1, EX_USAGE = 2 };

static void usage(FILE *f)
{
    fprintf(f,
            "usage: kiosk-server [--db SPEC] [--listen HOST:PORT] [--cert PEM --key PEM]\n"
            "                    [--threads N] [--timeout SECONDS] [--port-file FILE] "
            "[--quiet]\n"
            "                    [--header-timeout SECONDS] [--body-timeout SECONDS]\n"
            "                    [--max-connections N] [--per-address N] [--body-budget MIB]\n"
            "                    [--console-listen HOST:PORT] [--console-dir DIR]\n"
            "                    [--sources FILE] [--card-renderer PATH] [--card-timeout S]\n"
            "                    [--live-streams N] [--live-per-address N] [--live-lifetime S]\n"
            "                    [--exports N]\n"
            "       kiosk-server [--db SPEC] admin COMMAND\n\n"
            "Serves the kiosks' sync protocol (docs/protocol.md).  --db defaults to\n"
            "$KIOSK_SERVER_DB, then server.db; --listen to 127.0.0.1:8080 (port 0 picks a\n"
            "free port; --port-file receives it).  Limits (docs/deploy.md): headers within\n"
            "--header-timeout (10 s), the body within --body-timeout after them (60 s),\n"
            "--max-connections (1000), --per-address (32), bodies in memory at once\n"
            "--body-budget (32 MiB); --timeout is the idle timeout (30 s).  The city\n"
            "console (docs/admin-api.md) is at /console/ on the same address, or on\n"
            "--console-listen alone.  --sources names the open-data sources the console\n"
            "may import from (docs/sources.md).  The catalog editor's card preview runs\n"
            "--card-renderer (default: the kiosk-card built or installed with this server)\n"
            "and kills it after --card-timeout seconds (10).  Live workshop screens:\n"
            "--live-streams open at once (32), --live-per-address (4), each ending after\n"
            "--live-lifetime seconds (300; the browser reconnects).  Results exports open at\n"
            "once: --exports (8), workbooks written on at most half the --threads.\n\n"
            "admin commands:\n"
            "  user-add NAME --role ROLE [--kiosks A,B]\n"
            "                           a console account (administrator, editor,\n"
            "                           coordinator, viewer); password from stdin\n"
            "  user-list                the console's accounts\n"
            "  device-add NAME          register a kiosk; prints its token once\n"
            "  device-revoke NAME       the token stops working at once (403)\n"
            "  device-list [--json]     last seen, catalog revision, outbox depth, rows set\n"
            "                           aside (refused by this server) and errors\n"
            "  import FILE [--replace]  validate and import content, raising revisions\n"
            "  import-survey FILE       validate and publish a survey (next version unless\n"
            "                           the file gives one)\n"
            "  import-ballot FILE       validate and publish a ballot\n"
            "  import-codes FILE        publish a ballot's code hashes (kioskctl ballot\n"
            "                           hashes); merged with codes published before\n"
            "  ballot-tally BALLOT [--csv] [--key-file FILE] [--method METHOD]\n"
            "                           count what the kiosks sent, one ballot per code\n"
            "                           (FILE: the secret tally key); double uses on stderr;\n"
            "                           METHOD replays the votes under another rule\n"
            "  ballot-export-pb BALLOT [-o FILE] [--key-file FILE] [--method METHOD]\n"
            "                           the election as a pabulib .pb file, votes in random\n"
            "                           order without codes, devices or times\n"
            "  ballot-paper BALLOT SERIAL [PROJECT...]\n"
            "                           enter a paper ballot (a serial entered twice is\n"
            "                           refused); counted and exported as paper\n"
            "  ballot-import-pb FILE [--id ID]\n"
            "                           load a pabulib .pb election as a ballot with its votes\n"
            "                           (id: from the file name unless given)\n"
            "  export-responses [--format csv|json] [-o FILE]\n"
            "  stats                    catalog revision and response count\n"
            "  import-source SOURCE (--url URL | --file FILE) [...]\n"
            "                           import open data (docs/sources.md)\n"
            "  source-runs [SOURCE] [--json]  the log of source imports\n"
            "  migrate-to-pg --from FILE --to postgresql://...\n"
            "                           copy a stopped server's SQLite file into a new,\n"
            "                           empty PostgreSQL database (password from\n"
            "                           PGPASSWORD or PGPASSFILE; docs/deploy.md)\n");
}

/* Every message may quote a file or a kiosk: shown escaped (srvtext.h). */
static void say_error(const char *msg)
{
    char clean[4 * KC_MSGMAX];
    fprintf(stderr, "kiosk-server: %s\n", srvtext_clean(msg, clean, sizeof clean));
}

static int opt(int argc, char **argv, int *i, const char *name, const char **val)
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

static int open_db(const char *spec, srvdb **db)
{
    kc_err rc = srvdb_open(spec, db);
    if (!rc)
        return EX_OK;
    say_error(srvdb_errmsg(*db));
    srvdb_close(*db);
    *db = NULL;
    return EX_FAIL;
}

/* --- admin ------------------------------------------------------------------------ */

static void fmt_time(long long t, char *buf, size_t cap)
{
    if (!t) {
        snprintf(buf, cap, "never");
        return;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, cap, "%Y-%m-%dT%H:%MZ", &tm);
}

/* Name, version, last error and set-aside reason come from kiosks (all but the name
 * verbatim from their heartbeats): escaped, so no row can rewrite or fake another. */
static kc_err list_text(void *ctx, const srvdb_device *d)
{
    char seen[32], name[4 * SRVDB_NAME_MAX + 1], version[4 * PROTO_VERSION_MAX + 1],
        err[4 * PROTO_LASTERR_MAX + 1], reason[4 * PROTO_REASON_MAX + 1];
    (void)ctx;
    fmt_time(d->last_seen, seen, sizeof seen);
    printf("%-24s %-8s %-18s %-10s %8lld %8lld %6lld  %s\n",
           srvtext_clean(d->name, name, sizeof name), d->revoked ? "revoked" : "active", seen,
           d->version[0] ? srvtext_clean(d->version, version, sizeof version) : "-",
           d->catalog_rev, d->outbox_depth, d->set_aside,
           d->last_error[0] ? srvtext_clean(d->last_error, err, sizeof err) : "-");
    if (d->set_aside > 0)
        printf("%-24s set aside: %s\n", "",
               srvtext_clean(d->set_aside_reason, reason, sizeof reason));
    return KC_OK;
}

static kc_err list_json(void *ctx, const srvdb_device *d)
{
    int *first = ctx;
    json_t *o = json_pack("{s:s, s:b, s:I, s:I, s:s, s:I, s:I, s:s?, s:I, s:s?}", "name",
                          d->name,
                          "revoked", d->revoked, "created", (json_int_t)d->created,
                          "last_seen", (json_int_t)d->last_seen, "version", d->version,
                          "catalog_rev", (json_int_t)d->catalog_rev, "outbox_depth",
                          (json_int_t)d->outbox_depth, "last_error",
                          d->last_error[0] ? d->last_error : NULL, "set_aside",
                          (json_int_t)d->set_aside, "set_aside_reason",
                          d->set_aside_reason[0] ? d->set_aside_reason : NULL);
    /* ASCII only: no raw control, C1 or bidi character reaches a terminal. */
    return srvtext_json_row(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII, first);
}

typedef struct export_ctx {
    FILE *f;
    int json;
    long n;
} export_ctx;

static void csv_field(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static kc_err export_one(void *ctx, const char *uuid, const char *device, const char *kind,
                         const char *payload)
{
    export_ctx *x = ctx;
    if (x->json) {
        fprintf(x->f, "%s{\"uuid\":\"%s\",\"device\":\"%s\",\"kind\":\"%s\",\"payload\":%s}",
                x->n ? ",\n" : "", uuid, device, kind, payload);
    } else {
        /* uuid, device name and kind are restricted character sets; only the
         * payload needs quoting. */
        fprintf(x->f, "%s,%s,%s,", uuid, device, kind);
        csv_field(x->f, payload);
        fputc('\n', x->f);
    }
    x->n++;
    return ferror(x->f) ? KC_EIO : KC_OK;
}

static const char *const result_names[] = { "added", "changed", "unchanged" };

static int import_doc(const char *cmd, const char *path, srvdb *db)
{
    srvdb_import_info info;
    kc_err rc;
    if (strcmp(cmd, "import-survey") == 0)
        rc = srvdb_import_survey(db, path, &info);
    else if (strcmp(cmd, "import-ballot") == 0)
        rc = srvdb_import_ballot(db, path, &info);
    else
        rc = srvdb_import_codes(db, path, &info);
    if (rc) {
        say_error(srvdb_errmsg(db));
        return EX_FAIL;
    }
    char id[4 * sizeof info.id];
    srvtext_clean(info.id, id, sizeof id);
    if (cmd[7] == 's')
        printf("%s: survey \"%s\" version %lld %s\n", path, id, info.version,
               result_names[info.result]);
    else if (cmd[7] == 'b')
        printf("%s: ballot \"%s\" version %lld %s\n", path, id, info.version,
               result_names[info.result]);
    else
        printf("%s: ballot \"%s\": %ld new code hashes, %ld in all, %s\n", path, id,
               info.codes_added, info.codes_total, result_names[info.result]);
    return EX_OK;
}

/* The secret tally key: 64 hex digits, alone in the file (surrounding space allowed). */
static int read_key(const char *path, unsigned char sk[VOTECODE_KEY_BYTES])
{
    char buf[256];
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    char *p = buf;
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    size_t len = strlen(p);
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\n' || p[len - 1] == '\r' ||
                   p[len - 1] == '\t'))
        p[--len] = '\0';
    int ok = f && votecode_from_hex(p, sk, VOTECODE_KEY_BYTES) == KC_OK;
    sodium_memzero(buf, sizeof buf);
    if (!ok)
        fprintf(stderr, "kiosk-server: %s: expected the secret tally key (64 hex digits)\n",
                path);
    return ok ? 0 : -1;
}

/* ballot-tally and ballot-export-pb: one count, two outputs. */
static int ballot_tally(int argc, char **argv, const char *dbspec, int pb)
{
    const char *id = NULL, *keyfile = NULL, *outpath = NULL;
    srvtally_opts o = { pb ? SRVTALLY_PB : SRVTALLY_TEXT, NULL, CAT_EN };
    int bad = 0;
    for (int i = 1; i < argc && !bad; i++) {
        if (!pb && strcmp(argv[i], "--csv") == 0)
            o.format = SRVTALLY_CSV;
        else if (opt(argc, argv, &i, "--key-file", &keyfile) ||
                 opt(argc, argv, &i, "--method", &o.method) ||
                 (pb && opt(argc, argv, &i, "-o", &outpath)))
            continue;
        else if (argv[i][0] != '-' && !id)
            id = argv[i];
        else
            bad = 1;
    }
    if (!id || bad) {
        fprintf(stderr, pb ? "usage: kiosk-server admin ballot-export-pb BALLOT [-o FILE] "
                             "[--key-file FILE] [--method METHOD]\n"
                           : "usage: kiosk-server admin ballot-tally BALLOT [--csv] "
                             "[--key-file FILE] [--method METHOD]\n");
        return EX_USAGE;
    }
    unsigned char sk[VOTECODE_KEY_BYTES];
    if (keyfile && read_key(keyfile, sk))
        return EX_FAIL;
    srvdb *db = NULL;
    FILE *out = stdout;
    int ex = open_db(dbspec, &db);
    if (!ex && outpath && !(out = fopen(outpath, "w"))) {
        fprintf(stderr, "kiosk-server: cannot write %s\n", outpath);
        out = stdout;
        ex = EX_FAIL;
    }
    if (!ex) {
        char msg[KC_MSGMAX];
        srvtally_result res;
        if (srvtally_run(db, id, keyfile ? sk : NULL, &o, out, stderr, &res, msg)) {
            say_error(msg);
            ex = EX_FAIL;
        } else if (fflush(out) != 0) {
            fprintf(stderr, "kiosk-server: write failed\n");
            ex = EX_FAIL;
        } else if (pb) {
            fprintf(stderr, "%s: %ld ballots written%s%s\n", id, res.sum.ballots,
                    outpath ? " to " : "", outpath ? outpath : "");
        }
    }
    if (out != stdout && fclose(out) != 0 && !ex) {
        fprintf(stderr, "kiosk-server: write failed\n");
        ex = EX_FAIL;
    }
    sodium_memzero(sk, sizeof sk);
    srvdb_close(db);
    return ex;
}

/* ballot-import-pb FILE [--id ID]: the id defaults to the file's name without ".pb",
 * in lower case with other characters as '-'. */
static int ballot_import_pb(int argc, char **argv, const char *dbspec)
{
    const char *path = NULL, *given = NULL;
    int bad = 0;
    for (int i = 1; i < argc && !bad; i++) {
        if (opt(argc, argv, &i, "--id", &given))
            continue;
        if (argv[i][0] != '-' && !path)
            path = argv[i];
        else
            bad = 1;
    }
    if (!path || bad) {
        fprintf(stderr, "usage: kiosk-server admin ballot-import-pb FILE [--id ID]\n");
        return EX_USAGE;
    }
    char id[BALLOT_ID_MAX + 1];
    if (given) {
        snprintf(id, sizeof id, "%s", given);
    } else {
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        size_t n = strlen(base);
        if (n > 3 && strcmp(base + n - 3, ".pb") == 0)
            n -= 3;
        if (n > BALLOT_ID_MAX)
            n = BALLOT_ID_MAX;
        for (size_t i = 0; i < n; i++) {
            char c = base[i];
            c = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
            id[i] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                        ? c : '-';
        }
        id[n] = '\0';
    }
    srvdb *db = NULL;
    int ex = open_db(dbspec, &db);
    if (ex)
        return ex;
    srvdb_import_info info;
    long votes, skipped;
    if (srvdb_import_pb(db, path, id, &info, &votes, &skipped)) {
        say_error(srvdb_errmsg(db));
        ex = EX_FAIL;
    } else {
        printf("%s: ballot \"%s\" added with %ld votes", path, info.id, votes);
        if (skipped)
            printf(" (%ld outside the ballot's limits left out as invalid)", skipped);
        printf("\n");
    }
    srvdb_close(db);
    return ex;
}

/* migrate-to-pg --from FILE --to SPEC: one table a line on stdout. */
static int migrate_to_pg(int argc, char **argv)
{
    const char *from = NULL, *to = NULL;
    for (int i = 1; i < argc; i++)
        if (!opt(argc, argv, &i, "--from", &from) && !opt(argc, argv, &i, "--to", &to)) {
            from = to = NULL;
            break;
        }
    if (!from || !to) {
        fprintf(stderr, "usage: kiosk-server admin migrate-to-pg --from FILE "
                        "--to postgresql://...\n");
        return EX_USAGE;
    }
    /* The table lines only once everything committed: a failed run copied nothing. */
    char msg[KC_MSGMAX], *log = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&log, &len);
    if (!f) {
        say_error("migrate-to-pg: out of memory");
        return EX_FAIL;
    }
    kc_err rc = srvdb_migrate_to_pg(from, to, f, msg);
    fclose(f);
    if (rc) {
        free(log);
        say_error(msg);
        return rc == KC_EUSAGE ? EX_USAGE : EX_FAIL;
    }
    fputs(log, stdout);
    free(log);
    printf("migrated %s to PostgreSQL; start the servers on it now\n", from);
    return EX_OK;
}

static int admin(int argc, char **argv, const char *dbspec)
{
    if (argc < 1) {
        usage(stderr);
        return EX_USAGE;
    }
    const char *cmd = argv[0];
    if (strncmp(cmd, "user-", 5) == 0)
        return admin_cli(argc, argv, dbspec);
    if (strcmp(cmd, "migrate-to-pg") == 0)
        return migrate_to_pg(argc, argv);
    srvdb *db = NULL;
    int ex = EX_OK;
    kc_err rc = KC_OK;
    if (strcmp(cmd, "device-add") == 0 || strcmp(cmd, "device-revoke") == 0) {
        if (argc != 2) {
            fprintf(stderr, "usage: kiosk-server admin %s NAME\n", cmd);
            return EX_USAGE;
        }
        if ((ex = open_db(dbspec, &db)))
            return ex;
        if (cmd[7] == 'a') {
            char token[SRVDB_TOKEN_LEN + 1];
            unsigned char hash[SRVDB_HASH_LEN];
            if ((rc = srvdb_token_new(token, hash)))
                fprintf(stderr, "kiosk-server: no random numbers\n");
            else if ((rc = srvdb_device_add(db, argv[1], hash)))
                say_error(srvdb_errmsg(db));
            else
                printf("%s\n", token);
        } else if ((rc = srvdb_device_revoke(db, argv[1]))) {
            say_error(srvdb_errmsg(db));
        }
    } else if (strcmp(cmd, "device-list") == 0) {
        int json = argc > 1 && strcmp(argv[1], "--json") == 0;
        if (argc > 1 + json) {
            fprintf(stderr, "usage: kiosk-server admin device-list [--json]\n");
            return EX_USAGE;
        }
        if ((ex = open_db(dbspec, &db)))
            return ex;
        int first = 1;
        if (!json)
            printf("%-24s %-8s %-18s %-10s %8s %8s %6s  %s\n", "device", "status",
                   "last seen", "version", "rev", "outbox", "aside", "last error");
        rc = srvdb_devices_each(db, json ? list_json : list_text, &first);
        if (json)
            srvtext_json_end(first);
        if (rc)
            say_error(srvdb_errmsg(db));
    } else if (strcmp(cmd, "import") == 0) {
        int replace = argc == 3 && strcmp(argv[2], "--replace") == 0;
        if (argc != 2 + replace) {
            fprintf(stderr, "usage: kiosk-server admin import FILE [--replace]\n");
            return EX_USAGE;
        }
        if ((ex = open_db(dbspec, &db)))
            return ex;
        content_result res;
        long long head = 0;
        if ((rc = srvdb_import(db, argv[1], replace ? CONTENT_REPLACE : 0, &res)) ||
            (rc = srvdb_catalog_head(db, &head)))
            say_error(srvdb_errmsg(db));
        else
            printf("%s: %ld added, %ld updated, %ld unchanged, %ld deleted, %ld areas "
                   "changed; catalog revision %lld\n",
                   argv[1], res.added, res.updated, res.unchanged, res.deleted,
                   res.areas_changed, head);
    } else if (strcmp(cmd, "import-survey") == 0 || strcmp(cmd, "import-ballot") == 0 ||
               strcmp(cmd, "import-codes") == 0) {
        if (argc != 2) {
            fprintf(stderr, "usage: kiosk-server admin %s FILE\n", cmd);
            return EX_USAGE;
        }
        if ((ex = open_db(dbspec, &db)))
            return ex;
        ex = import_doc(cmd, argv[1], db);
        srvdb_close(db);
        return ex;
    } else if (strcmp(cmd, "import-source") == 0 || strcmp(cmd, "source-runs") == 0) {
        return source_admin(argc, argv, dbspec);
    } else if (strcmp(cmd, "ballot-tally") == 0 || strcmp(cmd, "ballot-export-pb") == 0) {
        return ballot_tally(argc, argv, dbspec, cmd[7] == 'e');
    } else if (strcmp(cmd, "ballot-import-pb") == 0) {
        return ballot_import_pb(argc, argv, dbspec);
    } else if (strcmp(cmd, "ballot-paper") == 0) {
        if (argc < 3) {
            fprintf(stderr, "usage: kiosk-server admin ballot-paper BALLOT SERIAL "
                            "[PROJECT...]\n");
            return EX_USAGE;
        }
        if ((ex = open_db(dbspec, &db)))
            return ex;
        if ((rc = srvdb_paper_add(db, argv[1], argv[2], (const char *const *)argv + 3,
                                  (size_t)argc - 3)))
            say_error(srvdb_errmsg(db));
        else
            printf("ballot \"%s\": paper ballot \"%s\" stored\n", argv[1], argv[2]);
    } else if (strcmp(cmd, "export-responses") == 0) {
        export_ctx x = { stdout, 0, 0 };
        const char *out = NULL, *format = "csv";
        for (int i = 1; i < argc; i++) {
            if (opt(argc, argv, &i, "--format", &format) || opt(argc, argv, &i, "-o", &out))
                continue;
            fprintf(stderr, "usage: kiosk-server admin export-responses [--format "
                            "csv|json] [-o FILE]\n");
            return EX_USAGE;
        }
        if (strcmp(format, "csv") && strcmp(format, "json")) {
            fprintf(stderr, "kiosk-server: --format is csv or json\n");
            return EX_USAGE;
        }
        x.json = format[0] == 'j';
        if ((ex = open_db(dbspec, &db)))
            return ex;
        if (out && !(x.f = fopen(out, "w"))) {
            fprintf(stderr, "kiosk-server: cannot write %s\n", out);
            srvdb_close(db);
            return EX_FAIL;
        }
        fputs(x.json ? "[\n" : "uuid,device,kind,payload\n", x.f);
        if ((rc = srvdb_responses_each(db, export_one, &x)))
            say_error(rc == KC_EIO ? "write failed" : srvdb_errmsg(db));
        if (x.json)
            fputs(x.n ? "\n]\n" : "]\n", x.f);
        if ((out && fclose(x.f) != 0) || (!out && fflush(x.f) != 0)) {
            fprintf(stderr, "kiosk-server: write failed\n");
            rc = rc ? rc : KC_EIO;
        }
    } else if (strcmp(cmd, "stats") == 0) {
        if ((ex = open_db(dbspec, &db)))
            return ex;
        long long head = 0, n = 0;
        if ((rc = srvdb_catalog_head(db, &head)) || (rc = srvdb_response_count(db, &n)))
            say_error(srvdb_errmsg(db));
        else
            printf("catalog revision %lld\nresponses %lld\n", head, n);
    } else {
        fprintf(stderr, "kiosk-server: unknown admin command \"%s\"\n", cmd);
        usage(stderr);
        return EX_USAGE;
    }
    srvdb_close(db);
    return rc ? EX_FAIL : EX_OK;
}

/* --- serving ------------------------------------------------------------------------- */

/* $KIOSK_CONSOLE_DIR, else the source tree's console/ when it is there (a build), else
 * the installed copy. */
static const char *console_dir(void)
{
    const char *env = getenv("KIOSK_CONSOLE_DIR");
    struct stat sb;
    if (env && *env)
        return env;
    if (stat(KIOSK_CONSOLE_DIR "/index.html", &sb) == 0)
        return KIOSK_CONSOLE_DIR;
    return KIOSK_CONSOLE_INSTALLED;
}

/* The kiosk's card renderer built beside this server, else the installed one. */
static const char *card_renderer(void)
{
    return access(KIOSK_CARD_RENDERER, X_OK) == 0 ? KIOSK_CARD_RENDERER
                                                  : KIOSK_CARD_RENDERER_INSTALLED;
}

static int write_port(const char *path, int port)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    fprintf(f, "%d\n", port);
    if (fclose(f) != 0)
        return -1;
    return rename(tmp, path);  /* readers see the whole number or nothing */
}

/* The numeric options: 1 when argv[*i] was one (stored), -1 when its value was bad,
 * 0 when it is not a numeric option. */
static int num_opt(int argc, char **argv, int *i, srv_config *cfg)
{
    static const struct {
        const char *name;
        long max;
    } opts[] = {
        { "--threads", 1000 },       { "--timeout", 1000 },     { "--header-timeout", 1000 },
        { "--body-timeout", 3600 },  { "--max-connections", 100000 },
        { "--per-address", 100000 }, { "--body-budget", 4096 }, { "--card-timeout", 600 },
        { "--live-streams", 10000 }, { "--live-per-address", 10000 },
        { "--live-lifetime", 86400 }, { "--exports", 1000 },
    };
    for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++) {
        const char *v;
        if (!opt(argc, argv, i, opts[k].name, &v))
            continue;
        char *end;
        long n = strtol(v, &end, 10);
        if (!*v || *end || n < 1 || n > opts[k].max) {
            fprintf(stderr, "kiosk-server: %s takes 1-%ld\n", opts[k].name, opts[k].max);
            return -1;
        }
        switch (k) {
        case 0: cfg->threads = (int)n; break;
        case 1: cfg->timeout_s = (int)n; break;
        case 2: cfg->header_timeout_s = (int)n; break;
        case 3: cfg->body_timeout_s = (int)n; break;
        case 4: cfg->max_connections = (int)n; break;
        case 5: cfg->per_address = (int)n; break;
        case 7: cfg->card_timeout_s = (int)n; break;
        case 8: cfg->live_streams = (int)n; break;
        case 9: cfg->live_per_address = (int)n; break;
        case 10: cfg->live_lifetime_s = (int)n; break;
        case 11: cfg->exports = (int)n; break;
        default: cfg->body_budget = n * 1024 * 1024; break;
        }
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    srv_config cfg = { 0 };
    const char *port_file = NULL;
    cfg.db = getenv("KIOSK_SERVER_DB");
    if (!cfg.db || !*cfg.db)
        cfg.db = "server.db";
    cfg.listen = "127.0.0.1:8080";
    cfg.console_dir = console_dir();
    cfg.card_renderer = card_renderer();
    /* The console starts source imports through these (ksrv links no libcurl). */
    static const srcrun_ops source_ops = { source_run, source_kind_name, source_kind_from_name,
                                           source_rules_dir };
    cfg.source_ops = &source_ops;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        int n;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return EX_OK;
        } else if (opt(argc, argv, &i, "--db", &cfg.db) ||
                   opt(argc, argv, &i, "--listen", &cfg.listen) ||
                   opt(argc, argv, &i, "--cert", &cfg.cert_file) ||
                   opt(argc, argv, &i, "--key", &cfg.key_file) ||
                   opt(argc, argv, &i, "--port-file", &port_file) ||
                   opt(argc, argv, &i, "--console-listen", &cfg.console_listen) ||
                   opt(argc, argv, &i, "--console-dir", &cfg.console_dir) ||
                   opt(argc, argv, &i, "--sources", &cfg.sources) ||
                   opt(argc, argv, &i, "--card-renderer", &cfg.card_renderer)) {
            continue;
        } else if ((n = num_opt(argc, argv, &i, &cfg)) != 0) {
            if (n < 0)
                return EX_USAGE;
        } else if (strcmp(argv[i], "--quiet") == 0) {
            cfg.quiet = 1;
        } else {
            fprintf(stderr, "kiosk-server: unknown option %s\n", argv[i]);
            usage(stderr);
            return EX_USAGE;
        }
    }
    if (i < argc) {
        if (strcmp(argv[i], "admin") == 0)
            return admin(argc - i - 1, argv + i + 1, cfg.db);
        fprintf(stderr, "kiosk-server: unknown command \"%s\"\n", argv[i]);
        usage(stderr);
        return EX_USAGE;
    }

    /* Block the stop signals before any thread starts, so only sigwait sees them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    char msg[KC_MSGMAX];
    srv *s = NULL;
    if (srv_start(&cfg, &s, msg)) {
        say_error(msg);
        return EX_FAIL;
    }
    if (port_file && write_port(port_file, srv_port(s)) != 0) {
        fprintf(stderr, "kiosk-server: cannot write %s\n", port_file);
        srv_stop(s);
        return EX_FAIL;
    }
    printf("kiosk-server: listening on port %d%s\n", srv_port(s),
           cfg.cert_file ? " (HTTPS)" : "");
    if (cfg.console_listen)
        printf("kiosk-server: console on port %d\n", srv_console_port(s));
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    srv_stop(s);
    return EX_OK;
}
