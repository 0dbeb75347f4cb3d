/* kioskctl sync: one sync with the central server now, or the recorded sync state. */
#include "ctl.h"
#include "outbox.h"
#include "ksettings.h"
#include "syncc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void sync_usage(FILE *f)
{
    fprintf(f, "usage: kioskctl sync --once --server URL --token-file FILE [--ca FILE]\n"
               "                     [--timeout SECONDS] [--batch N] [--page N]\n"
               "                     [--insecure-http]\n"
               "       kioskctl sync status\n"
               "       kioskctl sync requeue\n"
               "       kioskctl sync settings\n\n"
               "--once pushes every waiting response and pulls catalog, survey and ballot\n"
               "changes from the server (https://..., certificates verified; --ca trusts\n"
               "that CA file instead of the system's).  Plain http:// is refused except to\n"
               "this machine (127.0.0.1, ::1, localhost) unless --insecure-http: the token\n"
               "travels in clear and anyone on the way can forge the server's answers.\n"
               "status shows the last sync this database saw, and the rows set aside\n"
               "because the server refused them; requeue puts those back to wait (after\n"
               "the server was fixed).  settings shows what the server set for this kiosk\n"
               "(place, opening hours, idle time, language, surveys and ballots shown).\n"
               "exit: 0 synced, 1 the sync failed (the message says why), 2 usage.\n");
}

/* The token is the file's first line; it is never printed. */
static int read_token(const char *path, char *tok, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "kioskctl: cannot open token file %s\n", path);
        return -1;
    }
    char *ok = fgets(tok, (int)cap, f);
    fclose(f);
    if (!ok) {
        fprintf(stderr, "kioskctl: token file %s is empty\n", path);
        return -1;
    }
    size_t n = strlen(tok);
    while (n > 0 && (tok[n - 1] == '\n' || tok[n - 1] == '\r' || tok[n - 1] == ' '))
        tok[--n] = '\0';
    return 0;
}

static void print_time(const char *label, const char *unix_s)
{
    if (!unix_s || !*unix_s) {
        printf("%-14s never\n", label);
        return;
    }
    time_t t = (time_t)atoll(unix_s);
    struct tm tm;
    char buf[40];
    localtime_r(&t, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    printf("%-14s %s\n", label, buf);
}

static int sync_status(const ctl_opts *o)
{
    store *st = NULL;
    int ex = ctl_open(o, &st);
    if (ex)
        return ex;
    static const char *const keys[] = { "sync.last_ok", "sync.last_attempt",
                                        "sync.last_error", "sync.catalog_rev",
                                        "sync.docs.survey_rev", "sync.docs.ballot_rev",
                                        "sync.docs.ballot-codes_rev",
                                        "sync.docs.ballot-used_rev" };
    char *v[8] = { NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL };
    char *reason = NULL;
    long depth = 0, aside = 0;
    kc_err rc = outbox_init(st);
    for (int i = 0; !rc && i < 8; i++)
        rc = store_meta_get(st, keys[i], &v[i]);
    if (!rc)
        rc = outbox_depth(st, &depth);
    if (!rc)
        rc = outbox_set_aside_info(st, &aside, &reason);
    if (rc) {
        fprintf(stderr, "kioskctl: %s\n", store_errmsg(st));
        ex = CTL_FAIL;
    } else {
        print_time("last success:", v[0]);
        print_time("last attempt:", v[1]);
        printf("%-14s %s\n", "last error:", v[2] && *v[2] ? v[2] : "-");
        printf("%-14s %s\n", "catalog rev:", v[3] ? v[3] : "0");
        printf("%-14s surveys %s, ballots %s, codes %s, code uses %s\n", "document revs:",
               v[4] ? v[4] : "0", v[5] ? v[5] : "0", v[6] ? v[6] : "0", v[7] ? v[7] : "0");
        printf("%-14s %ld\n", "waiting:", depth);
        printf("%-14s %ld%s%s\n", "set aside:", aside, aside ? ", the newest: " : "",
               aside ? reason : "");
    }
    kc_free(reason);
    for (int i = 0; i < 8; i++)
        kc_free(v[i]);
    store_close(st);
    return ex;
}

static int sync_requeue(const ctl_opts *o)
{
    store *st = NULL;
    int ex = ctl_open(o, &st);
    if (ex)
        return ex;
    long n = 0;
    kc_err rc = outbox_init(st);
    if (!rc)
        rc = outbox_requeue(st, &n);
    if (rc) {
        fprintf(stderr, "kioskctl: %s\n", store_errmsg(st));
        ex = CTL_FAIL;
    } else {
        printf("requeued %ld rows; they go with the next sync\n", n);
    }
    store_close(st);
    return ex;
}

static int sync_settings(const ctl_opts *o)
{
    store *st = NULL;
    int ex = ctl_open(o, &st);
    if (ex)
        return ex;
    ksettings ks;
    char msg[KC_MSGMAX];
    if (syncc_settings_load(st, &ks, msg)) {
        fprintf(stderr, "kioskctl: settings: %s\n", msg);
        store_close(st);
        return CTL_FAIL;
    }
    char *json = ksettings_json(&ks);
    printf("settings: %s\n", json ? json : "?");
    kc_free(json);
    if (ks.has_lists) {
        printf("surveys:");
        for (size_t i = 0; i < ks.nsurveys; i++)
            printf(" %s", ks.surveys[i]);
        printf("\nballots:");
        for (size_t i = 0; i < ks.nballots; i++)
            printf(" %s", ks.ballots[i]);
        printf("\n");
    } else {
        printf("surveys: all\nballots: all\n");
    }
    ksettings_free(&ks);
    store_close(st);
    return 0;
}

int cmd_sync(int argc, char **argv, const ctl_opts *o)
{
    syncc_config cfg;
    memset(&cfg, 0, sizeof cfg);
    const char *token_file = NULL, *v;
    int once = 0;
    if (argc == 2 && strcmp(argv[1], "status") == 0)
        return sync_status(o);
    if (argc == 2 && strcmp(argv[1], "requeue") == 0)
        return sync_requeue(o);
    if (argc == 2 && strcmp(argv[1], "settings") == 0)
        return sync_settings(o);
    for (int i = 1; i < argc; i++) {
        long n;
        if (ctl_is_help(argv[i])) {
            sync_usage(stdout);
            return CTL_OK;
        } else if (strcmp(argv[i], "--once") == 0) {
            once = 1;
        } else if (strcmp(argv[i], "--insecure-http") == 0) {
            cfg.allow_insecure_http = 1;
        } else if (ctl_opt(argc, argv, &i, "--server", &cfg.server) ||
                   ctl_opt(argc, argv, &i, "--token-file", &token_file) ||
                   ctl_opt(argc, argv, &i, "--ca", &cfg.ca_file)) {
            continue;
        } else if (ctl_opt(argc, argv, &i, "--timeout", &v)) {
            if (ctl_parse_long(v, 1, 3600, &n))
                goto usage;
            cfg.timeout_s = (int)n;
        } else if (ctl_opt(argc, argv, &i, "--batch", &v)) {
            if (ctl_parse_long(v, 1, PROTO_BATCH_MAX, &n))
                goto usage;
            cfg.batch = (int)n;
        } else if (ctl_opt(argc, argv, &i, "--page", &v)) {
            if (ctl_parse_long(v, 1, PROTO_PAGE_MAX, &n))
                goto usage;
            cfg.page = (int)n;
        } else {
            goto usage;
        }
    }
    if (!once || !cfg.server || !token_file)
        goto usage;
    char token[512];
    if (read_token(token_file, token, sizeof token))
        return CTL_FAIL;
    cfg.db_path = o->db;
    cfg.token = token;
    cfg.heartbeat_s = -1;  /* a manual sync always reports */
    char msg[KC_MSGMAX];
    syncc *c = NULL;
    if (syncc_global_init()) {
        fprintf(stderr, "kioskctl: cannot start curl\n");
        return CTL_FAIL;
    }
    kc_err rc = syncc_new(&cfg, &c, msg);
    memset(token, 0, sizeof token);
    if (rc) {
        fprintf(stderr, "kioskctl: %s\n", msg);
        syncc_global_cleanup();
        return rc == KC_EUSAGE ? CTL_USAGE : CTL_FAIL;
    }
    if (syncc_url_insecure(cfg.server))
        fprintf(stderr, "kioskctl: warning: plain http to %s: the token travels in clear "
                        "(--insecure-http)\n", cfg.server);
    rc = syncc_run_once(c, msg);
    syncc_status s;
    syncc_status_get(c, &s);
    syncc_free(c);
    syncc_global_cleanup();
    if (rc) {
        fprintf(stderr, "kioskctl: %s\n", msg);
        return rc == KC_ENEWER ? CTL_NEWER : CTL_FAIL;
    }
    printf("sync: pushed %lld, pulled %lld changes and %lld survey/ballot documents, "
           "catalog revision %lld, %lld waiting, %lld set aside; %lld requests, %lld bytes "
           "sent, %lld received\n",
           s.pushed, s.pulled, s.docs_pulled, s.catalog_rev, s.waiting, s.set_aside,
           s.requests, s.bytes_sent, s.bytes_received);
    return CTL_OK;
usage:
    sync_usage(stderr);
    return CTL_USAGE;
}
