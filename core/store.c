#include "store.h"
#include "fold.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Prepared statements are kept per SQL text (string literals, compared by address):
 * preparing costs more than running a one-row statement, and an import runs a dozen
 * statements per item. */
#define STMT_CACHE 32

struct store {
    sqlite3 *db;
    int in_tx;
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

kc_err store_open(const char *path, store **out)
{
    store *st = kc_calloc(1, sizeof *st);
    *out = st;
    if (!st)
        return KC_ENOMEM;
    kc_err rc;
    if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
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
    if ((rc = exec(st, "PRAGMA journal_mode=WAL", "enabling WAL")) ||
        (rc = exec(st, "PRAGMA synchronous=FULL", "setting synchronous")) ||
        (rc = exec(st, "PRAGMA foreign_keys=ON", "enabling foreign keys")))
        return rc;
    return migrate(st, path);
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

/* --- helpers ---------------------------------------------------------------- */

/* A cached statement, reset and unbound; give it back with done().  Not for
 * statements stepped across a callback that may use the store (see prep_once). */
static kc_err prep(store *st, sqlite3_stmt **s, const char *sql)
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

/* Ends a use of a statement from prep(): cached ones are reset, others finalized. */
static void done(store *st, sqlite3_stmt *s)
{
    if (!s)
        return;
    for (int i = 0; i < STMT_CACHE; i++) {
        if (st->cache[i].s == s) {
            sqlite3_reset(s);
            return;
        }
    }
    done(st, s);
}

/* A statement of its own, finalized by the caller: for walks that call back. */
static kc_err prep_once(store *st, sqlite3_stmt **s, const char *sql)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, s, NULL) != SQLITE_OK)
        return store_fail_db(st, "preparing statement");
    return KC_OK;
}

static void bind_text(sqlite3_stmt *s, int i, const char *t)
{
    if (t)
        sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

static kc_err step_done(store *st, sqlite3_stmt *s, const char *what)
{
    int r = sqlite3_step(s);
    if (r != SQLITE_DONE && r != SQLITE_ROW)
        return store_fail_db(st, what);
    return KC_OK;
}

static kc_err next_rev(store *st, long long given, long long *rev)
{
    long long cur = store_catalog_rev(st);
    if (cur < 0)
        return store_fail_db(st, "reading catalog revision");
    *rev = given > 0 ? given : cur + 1;
    if (*rev <= cur)
        return KC_OK;
    sqlite3_stmt *s = NULL;
    kc_err rc = prep(st, &s, "UPDATE meta SET value = ? WHERE key = 'catalog_rev'");
    if (!rc) {
        sqlite3_bind_int64(s, 1, *rev);
        rc = step_done(st, s, "raising catalog revision");
    }
    done(st, s);
    return rc;
}

long long store_catalog_rev(store *st)
{
    sqlite3_stmt *s = NULL;
    long long v = -1;
    if (prep(st, &s, "SELECT value FROM meta WHERE key = 'catalog_rev'") == KC_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    done(st, s);
    return v;
}

/* Folded text of every TEXT field but the name, all languages, for the description
 * tier of search.  Names are indexed in memory by the search module. */
static kc_err item_search_text(const cat_item *it, char **out)
{
    size_t cap = 1, len = 0;
    for (int f = 0; f < CAT_NFIELD; f++)
        if (f != CAT_F_NAME && cat_fields[f].type == CAT_T_TEXT && it->v[f].present)
            for (int l = 0; l < CAT_NLANG; l++)
                if (it->v[f].text[l])
                    cap += strlen(it->v[f].text[l]) + 1;
    char *buf = kc_malloc(cap);
    if (!buf)
        return KC_ENOMEM;
    buf[0] = '\0';
    for (int f = 0; f < CAT_NFIELD; f++) {
        if (f == CAT_F_NAME || cat_fields[f].type != CAT_T_TEXT || !it->v[f].present)
            continue;
        for (int l = 0; l < CAT_NLANG; l++) {
            const char *t = it->v[f].text[l];
            if (!t)
                continue;
            size_t n = strlen(t);
            memcpy(buf + len, t, n);
            len += n;
            buf[len++] = '\n';
        }
    }
    buf[len] = '\0';
    char *folded = NULL;
    kc_err rc = fold_utf8(buf, len, &folded);
    kc_free(buf);
    *out = folded;
    return rc;
}

static unsigned langs_bits(const cat_item *it)
{
    return it->v[CAT_F_LANGUAGES].present ? it->v[CAT_F_LANGUAGES].bits : 0;
}

/* --- catalog ---------------------------------------------------------------- */

kc_err store_item_put(store *st, const cat_item *it, const char *body, long long rev,
                      int *changed)
{
    if (changed)
        *changed = 0;
    if (!st->in_tx)
        return store_fail(st, KC_EUSAGE, "store: item_put outside a transaction");
    sqlite3_stmt *s = NULL;
    char *text = NULL;
    long long rowid = 0;
    kc_err rc = prep(st, &s, "SELECT id, body FROM item WHERE ext_id = ?");
    if (rc)
        return rc;
    bind_text(s, 1, it->id);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        rowid = sqlite3_column_int64(s, 0);
        const char *old = (const char *)sqlite3_column_text(s, 1);
        if (old && strcmp(old, body) == 0) {
            done(st, s);
            return KC_OK;
        }
    } else if (r != SQLITE_DONE) {
        rc = store_fail_db(st, "looking up item");
        goto fail;
    }
    done(st, s);
    s = NULL;

    long long newrev;
    if ((rc = next_rev(st, rev, &newrev)))
        goto fail;
    const char *start = NULL, *end = NULL;
    if (it->kind == CAT_EVENT) {
        start = it->v[CAT_F_START].str;
        end = it->v[CAT_F_END].str;
    } else if (it->kind == CAT_GRANT) {
        start = it->v[CAT_F_DEADLINE].str;
    }
    const cat_value *name = &it->v[CAT_F_NAME];
    if ((rc = prep(st, &s,
                   "INSERT INTO item(id, ext_id, kind, rev, deleted, name_fi, name_sv, "
                   "name_en, area, themes, langs, start_at, end_at, body) "
                   "VALUES(?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
                   "ON CONFLICT(ext_id) DO UPDATE SET kind = ?3, rev = ?4, deleted = 0, "
                   "name_fi = ?5, name_sv = ?6, name_en = ?7, area = ?8, themes = ?9, "
                   "langs = ?10, start_at = ?11, end_at = ?12, body = ?13")))
        goto fail;
    if (rowid)
        sqlite3_bind_int64(s, 1, rowid);
    else
        sqlite3_bind_null(s, 1);
    bind_text(s, 2, it->id);
    sqlite3_bind_int(s, 3, it->kind);
    sqlite3_bind_int64(s, 4, newrev);
    bind_text(s, 5, name->text[CAT_FI]);
    bind_text(s, 6, name->text[CAT_SV]);
    bind_text(s, 7, name->text[CAT_EN]);
    bind_text(s, 8, it->v[CAT_F_AREA].str);
    sqlite3_bind_int64(s, 9, it->v[CAT_F_THEMES].bits);
    sqlite3_bind_int64(s, 10, langs_bits(it));
    bind_text(s, 11, start);
    bind_text(s, 12, end);
    bind_text(s, 13, body);
    if ((rc = step_done(st, s, "writing item")))
        goto fail;
    done(st, s);
    s = NULL;
    int is_new = !rowid;
    if (is_new)
        rowid = sqlite3_last_insert_rowid(st->db);

    /* References and search text are rewritten whole; cheaper to reason about than
     * a diff, and an item has only a handful of rows. */
    if (!is_new) {
        if ((rc = prep(st, &s, "DELETE FROM item_ref WHERE item = ?")))
            goto fail;
        sqlite3_bind_int64(s, 1, rowid);
        if ((rc = step_done(st, s, "clearing references")))
            goto fail;
        done(st, s);
        s = NULL;
    }
    if ((rc = prep(st, &s, "INSERT INTO item_ref(item, field, target) VALUES(?, ?, ?)")))
        goto fail;
    for (int f = 0; f < CAT_NFIELD; f++) {
        if (cat_fields[f].type != CAT_T_REF || !it->v[f].present)
            continue;
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, rowid);
        bind_text(s, 2, cat_fields[f].key);
        bind_text(s, 3, it->v[f].str);
        if ((rc = step_done(st, s, "writing reference")))
            goto fail;
    }
    done(st, s);
    s = NULL;

    if ((rc = item_search_text(it, &text))) {
        store_fail(st, rc, "store: item \"%s\": folding text: %s", it->id, kc_strerror(rc));
        goto fail;
    }
    if (!is_new) {
        if ((rc = prep(st, &s, "DELETE FROM item_text WHERE rowid = ?")))
            goto fail;
        sqlite3_bind_int64(s, 1, rowid);
        if ((rc = step_done(st, s, "clearing search text")))
            goto fail;
        done(st, s);
        s = NULL;
    }
    if (text[0]) {
        if ((rc = prep(st, &s, "INSERT INTO item_text(rowid, text) VALUES(?, ?)")))
            goto fail;
        sqlite3_bind_int64(s, 1, rowid);
        bind_text(s, 2, text);
        if ((rc = step_done(st, s, "writing search text")))
            goto fail;
    }
    if (changed)
        *changed = is_new ? 1 : 2;
fail:
    done(st, s);
    kc_free(text);
    return rc;
}

kc_err store_item_delete(store *st, const char *id, long long rev, int *changed)
{
    if (changed)
        *changed = 0;
    if (!st->in_tx)
        return store_fail(st, KC_EUSAGE, "store: item_delete outside a transaction");
    sqlite3_stmt *s = NULL;
    long long rowid = 0;
    kc_err rc = prep(st, &s, "SELECT id FROM item WHERE ext_id = ? AND deleted = 0");
    if (rc)
        return rc;
    bind_text(s, 1, id);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW)
        rowid = sqlite3_column_int64(s, 0);
    else if (r != SQLITE_DONE)
        rc = store_fail_db(st, "looking up item");
    done(st, s);
    s = NULL;
    if (rc || !rowid)
        return rc;
    long long newrev;
    if ((rc = next_rev(st, rev, &newrev)))
        return rc;
    static const char *const sql[] = {
        "UPDATE item SET deleted = 1, rev = ?2, body = NULL, name_fi = NULL, "
        "name_sv = NULL, name_en = NULL, area = NULL, themes = 0, langs = 0, "
        "start_at = NULL, end_at = NULL WHERE id = ?1",
        "DELETE FROM item_ref WHERE item = ?1",
        "DELETE FROM item_text WHERE rowid = ?1",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        if ((rc = prep(st, &s, sql[i])))
            return rc;
        sqlite3_bind_int64(s, 1, rowid);
        if (i == 0)
            sqlite3_bind_int64(s, 2, newrev);
        rc = step_done(st, s, "deleting item");
        done(st, s);
        if (rc)
            return rc;
    }
    if (changed)
        *changed = 1;
    return KC_OK;
}

kc_err store_item_kind(store *st, const char *id, int *kind)
{
    sqlite3_stmt *s = NULL;
    *kind = -1;
    kc_err rc = prep(st, &s, "SELECT kind FROM item WHERE ext_id = ? AND deleted = 0");
    if (rc)
        return rc;
    bind_text(s, 1, id);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW)
        *kind = sqlite3_column_int(s, 0);
    else if (r != SQLITE_DONE)
        rc = store_fail_db(st, "looking up item");
    done(st, s);
    return rc;
}

kc_err store_item_body(store *st, const char *id, char **body)
{
    sqlite3_stmt *s = NULL;
    *body = NULL;
    kc_err rc = prep(st, &s, "SELECT body FROM item WHERE ext_id = ? AND deleted = 0");
    if (rc)
        return rc;
    bind_text(s, 1, id);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        *body = kc_strdup((const char *)sqlite3_column_text(s, 0));
        if (!*body)
            rc = store_fail(st, KC_ENOMEM, "store: out of memory reading item");
    } else if (r != SQLITE_DONE) {
        rc = store_fail_db(st, "reading item");
    }
    done(st, s);
    return rc;
}

kc_err store_item_refcount(store *st, const char *id, long *count)
{
    sqlite3_stmt *s = NULL;
    *count = 0;
    kc_err rc = prep(st, &s, "SELECT count(*) FROM item_ref WHERE target = ?");
    if (rc)
        return rc;
    bind_text(s, 1, id);
    if (sqlite3_step(s) == SQLITE_ROW)
        *count = (long)sqlite3_column_int64(s, 0);
    else
        rc = store_fail_db(st, "counting references");
    done(st, s);
    return rc;
}

static kc_err each_row(store *st, const char *sql, store_item_fn fn, void *ctx)
{
    sqlite3_stmt *s = NULL;
    kc_err rc = prep_once(st, &s, sql);
    if (rc)
        return rc;
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        rc = fn(ctx, (const char *)sqlite3_column_text(s, 0),
                (const char *)sqlite3_column_text(s, 1));
        if (rc)
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = store_fail_db(st, "reading rows");
    sqlite3_finalize(s);
    return rc;
}

kc_err store_items_each(store *st, store_item_fn fn, void *ctx)
{
    return each_row(st, "SELECT ext_id, body FROM item WHERE deleted = 0 ORDER BY ext_id",
                    fn, ctx);
}

kc_err store_areas_each(store *st, store_item_fn fn, void *ctx)
{
    return each_row(st, "SELECT id, body FROM area ORDER BY id", fn, ctx);
}

void store_free_ids(char **ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        kc_free(ids[i]);
    kc_free(ids);
}

kc_err store_item_ids(store *st, char ***ids, size_t *n)
{
    sqlite3_stmt *s = NULL;
    char **v = NULL;
    size_t len = 0, cap = 0;
    *ids = NULL;
    *n = 0;
    kc_err rc = prep_once(st, &s, "SELECT ext_id FROM item WHERE deleted = 0 ORDER BY ext_id");
    if (rc)
        return rc;
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        if (len == cap) {
            size_t nc = cap ? cap * 2 : 256;
            char **nv = kc_realloc(v, nc * sizeof *v);
            if (!nv)
                goto nomem;
            v = nv;
            cap = nc;
        }
        if (!(v[len] = kc_strdup((const char *)sqlite3_column_text(s, 0))))
            goto nomem;
        len++;
    }
    sqlite3_finalize(s);
    if (r != SQLITE_DONE) {
        store_free_ids(v, len);
        return store_fail_db(st, "listing items");
    }
    *ids = v;
    *n = len;
    return KC_OK;
nomem:
    sqlite3_finalize(s);
    store_free_ids(v, len);
    return store_fail(st, KC_ENOMEM, "store: out of memory listing items");
}

kc_err store_area_put(store *st, const char *id, const char *body, int *changed)
{
    sqlite3_stmt *s = NULL;
    if (changed)
        *changed = 0;
    kc_err rc = prep(st, &s,
                     "INSERT INTO area(id, body) VALUES(?1, ?2) ON CONFLICT(id) DO UPDATE "
                     "SET body = ?2 WHERE body IS NOT ?2");
    if (rc)
        return rc;
    bind_text(s, 1, id);
    bind_text(s, 2, body);
    rc = step_done(st, s, "writing area");
    if (!rc && changed)
        *changed = sqlite3_changes(st->db) > 0;
    done(st, s);
    return rc;
}

kc_err store_area_exists(store *st, const char *id, int *exists)
{
    sqlite3_stmt *s = NULL;
    *exists = 0;
    kc_err rc = prep(st, &s, "SELECT 1 FROM area WHERE id = ?");
    if (rc)
        return rc;
    bind_text(s, 1, id);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW)
        *exists = 1;
    else if (r != SQLITE_DONE)
        rc = store_fail_db(st, "looking up area");
    done(st, s);
    return rc;
}

kc_err store_get_stats(store *st, store_stats *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = NULL;
    kc_err rc = prep(st, &s,
                     "SELECT kind, deleted, count(*) FROM item GROUP BY kind, deleted");
    if (rc)
        return rc;
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        int kind = sqlite3_column_int(s, 0);
        long n = (long)sqlite3_column_int64(s, 2);
        if (sqlite3_column_int(s, 1))
            out->tombstones += n;
        else if (kind >= 0 && kind < CAT_NKIND)
            out->live[kind] = n;
    }
    done(st, s);
    if (r != SQLITE_DONE)
        return store_fail_db(st, "counting items");
    if ((rc = prep(st, &s, "SELECT count(*) FROM area")))
        return rc;
    if (sqlite3_step(s) == SQLITE_ROW)
        out->areas = (long)sqlite3_column_int64(s, 0);
    done(st, s);
    out->catalog_rev = store_catalog_rev(st);
    out->schema = NMIGRATIONS;
    return KC_OK;
}

kc_err store_changes(store *st, long long since, long limit, store_change_fn fn, void *ctx,
                     long long *last)
{
    sqlite3_stmt *s = NULL;
    *last = since;
    kc_err rc = prep_once(st, &s, "SELECT ext_id, kind, rev, deleted, body FROM item "
                             "WHERE rev > ? ORDER BY rev LIMIT ?");
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, since);
    sqlite3_bind_int64(s, 2, limit);
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        long long rev = sqlite3_column_int64(s, 2);
        rc = fn(ctx, (const char *)sqlite3_column_text(s, 0), sqlite3_column_int(s, 1), rev,
                sqlite3_column_int(s, 3), (const char *)sqlite3_column_text(s, 4));
        if (rc)
            break;
        *last = rev;
    }
    if (!rc && r != SQLITE_DONE)
        rc = store_fail_db(st, "reading changes");
    sqlite3_finalize(s);
    return rc;
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
    kc_err rc = prep(st, &s, "SELECT value FROM meta WHERE key = ?");
    if (rc)
        return rc;
    bind_text(s, 1, key);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
        if (!(*value = kc_strdup((const char *)sqlite3_column_text(s, 0))))
            rc = store_fail(st, KC_ENOMEM, "store: out of memory");
    } else if (r != SQLITE_ROW && r != SQLITE_DONE) {
        rc = store_fail_db(st, "reading meta");
    }
    done(st, s);
    return rc;
}

kc_err store_meta_set(store *st, const char *key, const char *value)
{
    sqlite3_stmt *s = NULL;
    if (!valid_meta_key(key) || strlen(value) > 4096)
        return store_fail(st, KC_EUSAGE, "store: bad meta key or value too long");
    kc_err rc = prep(st, &s, "INSERT INTO meta(key, value) VALUES(?1, ?2) "
                             "ON CONFLICT(key) DO UPDATE SET value = ?2");
    if (rc)
        return rc;
    bind_text(s, 1, key);
    bind_text(s, 2, value);
    rc = step_done(st, s, "writing meta");
    done(st, s);
    return rc;
}
