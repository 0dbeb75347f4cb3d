#include "store.h"
#include "store_sql.h"
#include "store_impl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Prepared statements are kept per SQL text (string literals, compared by address):
 * preparing costs more than running a one-row statement, and an import runs a dozen
 * statements per item. */
#define STMT_CACHE 32

struct store {
    sqlite3 *db;
    int in_tx;
    int no_search;   /* store_set_search_text(st, 0) */
    struct { const char *sql; sqlite3_stmt *s; } cache[STMT_CACHE];
    char msg[KC_MSGMAX];
};

/* Migration i takes user_version i to i+1.  Append only; never edit a shipped one. */
static const char *const migrations[] = {
    /* 1: catalog */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
    "INSERT INTO meta VALUES('catalog_rev', 0);"
    "CREATE TABLE area(id TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE item("
    "  id INTEGER PRIMARY KEY,"
    "  ext_id TEXT NOT NULL UNIQUE,"
    "  kind INTEGER NOT NULL,"
    "  rev INTEGER NOT NULL,"
    "  deleted INTEGER NOT NULL DEFAULT 0,"
    "  name_fi TEXT, name_sv TEXT, name_en TEXT,"
    "  area TEXT,"
    "  themes INTEGER NOT NULL DEFAULT 0,"
    "  langs INTEGER NOT NULL DEFAULT 0,"
    "  start_at TEXT,"        /* event start, grant deadline: the calendar's key */
    "  end_at TEXT,"
    "  body TEXT);"           /* canonical JSON; NULL for a tombstone */
    "CREATE INDEX item_rev ON item(rev);"
    "CREATE INDEX item_start ON item(start_at) WHERE deleted = 0;"
    "CREATE TABLE item_ref(item INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,"
    "  field TEXT NOT NULL, target TEXT NOT NULL);"
    "CREATE INDEX item_ref_target ON item_ref(target);"
    "CREATE INDEX item_ref_item ON item_ref(item);"
    /* Folded description text for the description tier of search; rowid = item.id.
     * Trigram matches any piece of a compound word. */
    "CREATE VIRTUAL TABLE item_text USING fts5(text, tokenize='trigram');",
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int store_schema_version(void)
{
    return NMIGRATIONS;
}

const char *store_errmsg(const store *st)
{
    if (!st)
        return "store: out of memory";
    return st->msg[0] ? st->msg : "no error";
}

sqlite3 *store_db(store *st)
{
    return st->db;
}

kc_err store_fail(store *st, kc_err code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kc_vfail(st->msg, code, fmt, ap);
    va_end(ap);
    return code;
}

kc_err store_fail_db(store *st, const char *what)
{
    int rc = sqlite3_errcode(st->db);
    kc_err code = KC_EDB;
    if (rc == SQLITE_NOMEM)
        code = KC_ENOMEM;
    else if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        code = KC_EBUSY;
    else if (rc == SQLITE_IOERR || rc == SQLITE_FULL || rc == SQLITE_CANTOPEN)
        code = KC_EIO;
    return store_fail(st, code, "store: %s: %s", what, sqlite3_errmsg(st->db));
}

static kc_err exec(store *st, const char *sql, const char *what)
{
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return store_fail_db(st, what);
    return KC_OK;
}

static kc_err user_version(store *st, int *v)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_finalize(s);
        return store_fail_db(st, "reading schema version");
    }
    *v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return KC_OK;
}

static kc_err migrate(store *st, const char *path)
{
    int v;
    kc_err rc = user_version(st, &v);
    if (rc)
        return rc;
    if (v > NMIGRATIONS)
        return store_fail(st, KC_ENEWER,
                          "store: %s has schema version %d, this program knows up to %d; "
                          "it was written by a newer version and is left untouched",
                          path, v, NMIGRATIONS);
    for (; v < NMIGRATIONS; v++) {
        char sql[64];
        if ((rc = exec(st, "BEGIN IMMEDIATE", "starting migration")))
            return rc;
        /* Re-read inside the write lock: another process may have migrated first. */
        int now;
        if ((rc = user_version(st, &now)))
            goto fail;
        if (now != v) {
            exec(st, "ROLLBACK", "migration");
            v = now - 1;
            if (now > NMIGRATIONS)
                return store_fail(st, KC_ENEWER, "store: %s became newer while opening",
                                  path);
            continue;
        }
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
        if ((rc = exec(st, migrations[v], "applying migration")) ||
            (rc = exec(st, sql, "setting schema version")) ||
            (rc = exec(st, "COMMIT", "committing migration")))
            goto fail;
    }
    return KC_OK;
fail:
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static kc_err module_version(store *st, const char *key, int *v)
{
    sqlite3_stmt *s = NULL;
    *v = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = ?", -1, &s, NULL) !=
        SQLITE_OK)
        return store_fail_db(st, "reading module version");
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW)
        *v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        return store_fail_db(st, "reading module version");
    return KC_OK;
}

kc_err store_migrate_module(store *st, const char *module, const char *const *sql, int n)
{
    char key[80];
    snprintf(key, sizeof key, "schema.%s", module);
    if (st->in_tx)
        return store_fail(st, KC_EUSAGE, "store: migrating %s inside a transaction", module);
    int v;
    kc_err rc = module_version(st, key, &v);
    if (rc)
        return rc;
    if (v > n)
        return store_fail(st, KC_ENEWER,
                          "store: the %s tables have version %d, this program knows up to "
                          "%d; written by a newer version, left untouched",
                          module, v, n);
    while (v < n) {
        if ((rc = exec(st, "BEGIN IMMEDIATE", "starting migration")))
            return rc;
        int now;
        if ((rc = module_version(st, key, &now)))
            goto fail;
        if (now == v) {
            sqlite3_stmt *s = NULL;
            if ((rc = exec(st, sql[v], "applying module migration")))
                goto fail;
            if (sqlite3_prepare_v2(st->db,
                                   "INSERT INTO meta(key, value) VALUES(?1, ?2) "
                                   "ON CONFLICT(key) DO UPDATE SET value = ?2",
                                   -1, &s, NULL) != SQLITE_OK) {
                rc = store_fail_db(st, "recording module version");
                goto fail;
            }
            sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
            sqlite3_bind_int(s, 2, v + 1);
            int r = sqlite3_step(s);
            sqlite3_finalize(s);
            if (r != SQLITE_DONE) {
                rc = store_fail_db(st, "recording module version");
                goto fail;
            }
            now = v + 1;
        }
        if ((rc = exec(st, "COMMIT", "committing migration")))
            goto fail;
        if (now > n)
            return store_fail(st, KC_ENEWER, "store: %s tables became newer while opening",
                              module);
        v = now;
    }
    return KC_OK;
fail:
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static kc_err open_db(const char *path, int create, store **out)
{
    store *st = kc_calloc(1, sizeof *st);
    *out = st;
    if (!st)
        return KC_ENOMEM;
    kc_err rc;
    struct stat sb;
    if (!create && stat(path, &sb) != 0 && errno == ENOENT)
        return store_fail(st, KC_ENOTFOUND, "store: the database %s does not exist", path);
    if (sqlite3_open_v2(path, &st->db,
                        SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0),
                        NULL) != SQLITE_OK) {
        if (!st->db)
            return store_fail(st, KC_ENOMEM, "store: out of memory opening %s", path);
        return store_fail(st, KC_EIO, "store: cannot open %s: %s", path,
                          sqlite3_errmsg(st->db));
    }
    sqlite3_extended_result_codes(st->db, 0);
    sqlite3_busy_timeout(st->db, 5000);
    /* Check the version before anything writes (WAL mode switch writes the header). */
    int v;
    if ((rc = user_version(st, &v)))
        return rc;
    if (v > NMIGRATIONS)
        return store_fail(st, KC_ENEWER,
                          "store: %s has schema version %d, this program knows up to %d; "
                          "it was written by a newer version and is left untouched",
                          path, v, NMIGRATIONS);
    /* secure_delete: deleted and moved rows leave zeros in their pages, not old
     * copies in their order of writing (docs/privacy.md); FAST costs no extra I/O,
     * and store_anon_shuffle turns it fully on while it frees pages.  temp_store: the
     * scratch tables of store_anon_shuffle never touch the disk. */
    if ((rc = exec(st, "PRAGMA journal_mode=WAL", "enabling WAL")) ||
        (rc = exec(st, "PRAGMA synchronous=FULL", "setting synchronous")) ||
        (rc = exec(st, "PRAGMA foreign_keys=ON", "enabling foreign keys")) ||
        (rc = exec(st, "PRAGMA secure_delete=FAST", "enabling secure delete")) ||
        (rc = exec(st, "PRAGMA temp_store=MEMORY", "keeping temporary tables in memory")))
        return rc;
    return migrate(st, path);
}

kc_err store_open(const char *path, store **out)
{
    return open_db(path, 1, out);
}

kc_err store_open_existing(const char *path, store **out)
{
    return open_db(path, 0, out);
}

void store_close(store *st)
{
    if (!st)
        return;
    if (st->in_tx)
        store_rollback(st);
    for (int i = 0; i < STMT_CACHE; i++)
        sqlite3_finalize(st->cache[i].s);
    /* sqlite3_close_v2 defers the close until every statement is finalized, so a
     * forgotten statement is a leak report in tests rather than a crash here. */
    sqlite3_close_v2(st->db);
    kc_free(st);
}

kc_err store_begin(store *st)
{
    if (st->in_tx)
        return store_fail(st, KC_EUSAGE, "store: transaction already open");
    kc_err rc = exec(st, "BEGIN IMMEDIATE", "begin");
    if (!rc)
        st->in_tx = 1;
    return rc;
}

kc_err store_commit(store *st)
{
    if (!st->in_tx)
        return store_fail(st, KC_EUSAGE, "store: commit without a transaction");
    kc_err rc = exec(st, "COMMIT", "commit");
    if (!rc)
        st->in_tx = 0;
    return rc;
}

void store_rollback(store *st)
{
    if (!st->in_tx)
        return;
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->in_tx = 0;
}

int store_in_tx(const store *st)
{
    return st->in_tx;
}

/* --- anonymous rows ---------------------------------------------------------------- */

static int plain_name(const char *s)
{
    if (!s || !*s || strlen(s) > 40)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || *s == '_'))
            return 0;
    return 1;
}

/* The key STORE_SHUFFLE_NEAR rows away from key on one side, or NULL when there are
 * fewer (then that side is open).  *bound is kc_malloc'ed. */
static kc_err shuffle_bound(store *st, const char *table, const char *group,
                            const char *group_val, const char *keycol, const char *key,
                            int below, char **bound)
{
    char sql[512];
    sqlite3_stmt *s = NULL;
    *bound = NULL;
    snprintf(sql, sizeof sql, "SELECT %s FROM main.%s WHERE %s%s%s %s ?1 ORDER BY %s %s "
                              "LIMIT 1 OFFSET %d",
             keycol, table, group ? group : "", group ? " = ?2 AND " : "", keycol,
             below ? "<" : ">", keycol, below ? "DESC" : "ASC", STORE_SHUFFLE_NEAR - 1);
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return store_fail_db(st, "anonymous rows: preparing");
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    if (group)
        sqlite3_bind_text(s, 2, group_val, -1, SQLITE_STATIC);
    kc_err rc = KC_OK;
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        if (!(*bound = kc_strdup((const char *)sqlite3_column_text(s, 0))))
            rc = store_fail(st, KC_ENOMEM, "store: out of memory");
    } else if (r != SQLITE_DONE) {
        rc = store_fail_db(st, "anonymous rows: reading");
    }
    sqlite3_finalize(s);
    return rc;
}

kc_err store_anon_shuffle(store *st, const char *table, const char *group,
                          const char *group_val, const char *keycol, const char *key)
{
    if (!st->in_tx || !plain_name(table) || !plain_name(keycol) || (group && !plain_name(group)))
        return store_fail(st, KC_EUSAGE, "store: anonymous rows: bad use");
    char *lo = NULL, *hi = NULL, range[256], sql[4][600];
    kc_err rc;
    if ((rc = shuffle_bound(st, table, group, group_val, keycol, key, 1, &lo)) ||
        (rc = shuffle_bound(st, table, group, group_val, keycol, key, 0, &hi)))
        goto out;
    /* ?1 low bound, ?2 high bound, ?3 the group's value; an open side has no term, so
     * the primary key bounds the scan. */
    snprintf(range, sizeof range, "%s%s%s%s%s%s1", group ? group : "",
             group ? " = ?3 AND " : "", lo ? keycol : "", lo ? " >= ?1 AND " : "",
             hi ? keycol : "", hi ? " <= ?2 AND " : "");
    snprintf(sql[0], sizeof sql[0], "INSERT INTO temp.anon_%s SELECT * FROM main.%s WHERE %s",
             table, table, range);
    snprintf(sql[1], sizeof sql[1], "DELETE FROM main.%s WHERE %s", table, range);
    snprintf(sql[2], sizeof sql[2], "INSERT INTO main.%s SELECT * FROM temp.anon_%s "
                                    "ORDER BY random()", table, table);
    snprintf(sql[3], sizeof sql[3], "DELETE FROM temp.anon_%s", table);
    char create[256];
    snprintf(create, sizeof create, "CREATE TEMP TABLE IF NOT EXISTS anon_%s AS "
                                    "SELECT * FROM main.%s WHERE 0", table, table);
    /* Freed pages are zeroed too while the rows move (FAST leaves them as they were). */
    if ((rc = exec(st, create, "anonymous rows: scratch table")) ||
        (rc = exec(st, "PRAGMA secure_delete=ON", "anonymous rows: secure delete")))
        goto out;
    for (int i = 0; i < 4; i++) {
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(st->db, sql[i], -1, &s, NULL) != SQLITE_OK) {
            rc = store_fail_db(st, "anonymous rows: preparing");
            goto out;
        }
        if (i < 2) {
            store_bind_text(s, 1, lo);
            store_bind_text(s, 2, hi);
            if (group)
                sqlite3_bind_text(s, 3, group_val, -1, SQLITE_STATIC);
        }
        int r = sqlite3_step(s);
        sqlite3_finalize(s);
        if (r != SQLITE_DONE) {
            rc = store_fail_db(st, "anonymous rows: rewriting");
            goto out;
        }
    }
out:
    sqlite3_exec(st->db, "PRAGMA secure_delete=FAST", NULL, NULL, NULL);
    kc_free(lo);
    kc_free(hi);
    return rc;
}

kc_err store_anon_commit(store *st, int *cut)
{
    if (cut)
        *cut = 0;
    kc_err rc = store_commit(st);
    if (rc)
        return rc;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &s, NULL) ==
            SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == 0 && cut)
        *cut = 1;  /* column 0 is 1 when a reader kept the checkpoint from finishing */
    sqlite3_finalize(s);
    return KC_OK;
}

/* --- helpers ---------------------------------------------------------------- */

/* A cached statement, reset and unbound; give it back with store_done().  Not for
 * statements stepped across a callback that may use the store (see prep_once). */
kc_err store_prep(store *st, sqlite3_stmt **s, const char *sql)
{
    int free_i = -1;
    for (int i = 0; i < STMT_CACHE; i++) {
        if (st->cache[i].sql == sql) {
            *s = st->cache[i].s;
            sqlite3_reset(*s);
            sqlite3_clear_bindings(*s);
            return KC_OK;
        }
        if (!st->cache[i].sql && free_i < 0)
            free_i = i;
    }
    if (sqlite3_prepare_v3(st->db, sql, -1, free_i >= 0 ? SQLITE_PREPARE_PERSISTENT : 0, s,
                           NULL) != SQLITE_OK)
        return store_fail_db(st, "preparing statement");
    if (free_i >= 0) {
        st->cache[free_i].sql = sql;
        st->cache[free_i].s = *s;
    }
    return KC_OK;
}

/* Ends a use of a statement from store_prep(): cached ones are reset, others finalized. */
void store_done(store *st, sqlite3_stmt *s)
{
    if (!s)
        return;
    for (int i = 0; i < STMT_CACHE; i++) {
        if (st->cache[i].s == s) {
            sqlite3_reset(s);
            return;
        }
    }
    sqlite3_finalize(s);  /* prepared when the cache was full: not kept */
}

/* A statement of its own, finalized by the caller: for walks that call back. */
kc_err store_prep_once(store *st, sqlite3_stmt **s, const char *sql)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, s, NULL) != SQLITE_OK)
        return store_fail_db(st, "preparing statement");
    return KC_OK;
}

void store_bind_text(sqlite3_stmt *s, int i, const char *t)
{
    if (t)
        sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

kc_err store_step_done(store *st, sqlite3_stmt *s, const char *what)
{
    int r = sqlite3_step(s);
    if (r != SQLITE_DONE && r != SQLITE_ROW)
        return store_fail_db(st, what);
    return KC_OK;
}

static int valid_meta_key(const char *k)
{
    size_t n = strlen(k);
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= '0' && k[i] <= '9') || k[i] == '.' ||
              k[i] == '_' || k[i] == '-'))
            return 0;
    return 1;
}

kc_err store_meta_get(store *st, const char *key, char **value)
{
    sqlite3_stmt *s = NULL;
    *value = NULL;
    if (!valid_meta_key(key))
        return store_fail(st, KC_EUSAGE, "store: bad meta key");
    kc_err rc = store_prep(st, &s, "SELECT value FROM meta WHERE key = ?");
    if (rc)
        return rc;
    store_bind_text(s, 1, key);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
        if (!(*value = kc_strdup((const char *)sqlite3_column_text(s, 0))))
            rc = store_fail(st, KC_ENOMEM, "store: out of memory");
    } else if (r != SQLITE_ROW && r != SQLITE_DONE) {
        rc = store_fail_db(st, "reading meta");
    }
    store_done(st, s);
    return rc;
}

kc_err store_meta_set(store *st, const char *key, const char *value)
{
    sqlite3_stmt *s = NULL;
    if (!valid_meta_key(key) || strlen(value) > 4096)
        return store_fail(st, KC_EUSAGE, "store: bad meta key or value too long");
    kc_err rc = store_prep(st, &s, "INSERT INTO meta(key, value) VALUES(?1, ?2) "
                             "ON CONFLICT(key) DO UPDATE SET value = ?2");
    if (rc)
        return rc;
    store_bind_text(s, 1, key);
    store_bind_text(s, 2, value);
    rc = store_step_done(st, s, "writing meta");
    store_done(st, s);
    return rc;
}

void store_set_search_text(store *st, int on)
{
    st->no_search = !on;
}

int store_search_text(const store *st)
{
    return !st->no_search;
}
