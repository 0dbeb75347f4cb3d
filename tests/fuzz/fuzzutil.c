#include "fuzzutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kc.h"

char *fz_cstr(const uint8_t *data, size_t size)
{
    char *s = kc_malloc(size + 1);
    if (!s)
        return NULL;
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

void fz_fail(const char *what, const char *msg)
{
    fprintf(stderr, "fuzz: %s: %s\n", what, msg ? msg : "");
    abort();
}

static char tmpdir[256];

static void remove_tmpdir(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "fuzz: could not remove %s\n", tmpdir);
}

static void make_tmpdir(void)
{
    if (tmpdir[0])
        return;
    const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(tmpdir, sizeof tmpdir, "%s/kiosk-fuzz-XXXXXX", base);
    if (!mkdtemp(tmpdir))
        fz_fail("mkdtemp", tmpdir);
    atexit(remove_tmpdir);
}

store *fz_store(void)
{
    /* A file, not ":memory:", so WAL and the store's own open path are the real ones. */
    make_tmpdir();
    char path[300];
    snprintf(path, sizeof path, "%s/fuzz.db", tmpdir);
    store *st = NULL;
    if (store_open(path, &st))
        fz_fail("store_open", st ? store_errmsg(st) : "out of memory");
    return st;
}

long long fz_server_device(srvdb **db)
{
    make_tmpdir();
    char path[300], token[SRVDB_TOKEN_LEN + 1];
    unsigned char hash[SRVDB_HASH_LEN];
    srvdb_device dev;
    snprintf(path, sizeof path, "%s/server.db", tmpdir);
    if (srvdb_open(path, db) || srvdb_token_new(token, hash) ||
        srvdb_device_add(*db, "fuzz", hash) || srvdb_device_auth(*db, hash, &dev))
        fz_fail("setting up the server database", *db ? srvdb_errmsg(*db) : "out of memory");
    return dev.id;
}

const char *fz_source(const char *rel)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", FUZZ_SOURCE_DIR, rel);
    return path;
}
