/* admin_cli.c - `kiosk-server admin user-add` and `user-list`: the first
 * administrator is made on the command line, the rest in the console. */
#include "admin.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

enum { EX_OK = 0, EX_FAIL = 1, EX_USAGE = 2 };

/* One line from stdin without its newline; -1 when none or too long. */
static int read_password(char *buf, size_t cap)
{
    if (!fgets(buf, (int)cap, stdin))
        return -1;
    size_t n = strlen(buf);
    if (n && buf[n - 1] == '\n')
        buf[--n] = '\0';
    else if (!feof(stdin))
        return -1;
    if (n && buf[n - 1] == '\r')
        buf[--n] = '\0';
    return 0;
}

static int user_add(int argc, char **argv, srvdb *db)
{
    srvdb_user u;
    memset(&u, 0, sizeof u);
    const char *name = NULL, *role = NULL, *kiosks = "";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
            role = argv[++i];
        else if (strcmp(argv[i], "--kiosks") == 0 && i + 1 < argc)
            kiosks = argv[++i];
        else if (argv[i][0] != '-' && !name)
            name = argv[i];
        else
            name = NULL, i = argc;
    }
    if (!name || !role) {
        fprintf(stderr, "usage: kiosk-server admin user-add NAME --role "
                        "administrator|editor|coordinator|viewer [--kiosks A,B]\n"
                        "(the password is read from standard input)\n");
        return EX_USAGE;
    }
    if ((u.role = srvdb_role_parse(role)) < 0) {
        fprintf(stderr, "kiosk-server: --role: administrator, editor, coordinator or viewer\n");
        return EX_USAGE;
    }
    if (strlen(name) > SRVDB_USER_MAX || strlen(kiosks) > SRVDB_KIOSKS_MAX) {
        fprintf(stderr, "kiosk-server: name or kiosk list too long\n");
        return EX_USAGE;
    }
    snprintf(u.name, sizeof u.name, "%s", name);
    snprintf(u.kiosks, sizeof u.kiosks, "%s", kiosks);
    u.created = (long long)time(NULL);
    char pw[1100], hash[SRVDB_PWHASH_MAX + 1], msg[KC_MSGMAX];
    int ex = EX_FAIL;
    if (read_password(pw, sizeof pw)) {
        fprintf(stderr, "kiosk-server: give the password on standard input (one line)\n");
        goto done;
    }
    if (admin_password_hash(pw, hash, msg)) {
        fprintf(stderr, "kiosk-server: %s\n", msg);
        goto done;
    }
    srvdb_audit a;
    memset(&a, 0, sizeof a);
    a.at = u.created;
    snprintf(a.action, sizeof a.action, "user.add");
    snprintf(a.target, sizeof a.target, "%s", u.name);
    snprintf(a.detail, sizeof a.detail, "role %s (command line)", srvdb_role_name(u.role));
    if (srvdb_user_add(db, &u, hash) || srvdb_audit_add(db, &a)) {
        fprintf(stderr, "kiosk-server: %s\n", srvdb_errmsg(db));
        goto done;
    }
    printf("account \"%s\" (%s) added\n", u.name, srvdb_role_name(u.role));
    ex = EX_OK;
done:
    sodium_memzero(pw, sizeof pw);
    return ex;
}

static kc_err print_user(void *ctx, const srvdb_user *u)
{
    (void)ctx;
    printf("%-24s %-14s %-9s %s\n", u->name, srvdb_role_name(u->role),
           u->disabled ? "disabled" : "active", u->kiosks[0] ? u->kiosks : "-");
    return KC_OK;
}

int admin_cli(int argc, char **argv, const char *dbspec)
{
    srvdb *db = NULL;
    if (srvdb_open(dbspec, &db)) {
        fprintf(stderr, "kiosk-server: %s\n", srvdb_errmsg(db));
        srvdb_close(db);
        return EX_FAIL;
    }
    int ex = EX_USAGE;
    if (strcmp(argv[0], "user-add") == 0) {
        ex = user_add(argc, argv, db);
    } else if (strcmp(argv[0], "user-list") == 0 && argc == 1) {
        ex = srvdb_users_each(db, print_user, NULL) ? EX_FAIL : EX_OK;
        if (ex)
            fprintf(stderr, "kiosk-server: %s\n", srvdb_errmsg(db));
    } else {
        fprintf(stderr, "usage: kiosk-server admin user-add NAME --role ROLE | user-list\n");
    }
    srvdb_close(db);
    return ex;
}
