/* srvdb_sqlite_find.c - the console's catalog list on SQLite.
 *
 * Search: the id and names of every live item folded (fold.h: case, accents,
 * compatibility forms) into item_fold, indexed by an FTS5 trigram table over it,
 * item_find, so a search is an index lookup instead of a scan of every name, and "aland", "ÅLAND" and "Åland" find the
 * same items, as they do on the kiosk.  A page of matches in id order is then found
 * one of two ways, chosen by how many items match (srvdb_sqlite_catalog_list_).
 *
 * Counts: item_count holds the live items per kind and area, so the first page's
 * total is a sum of a few rows instead of a count of every item.
 *
 * Both are kept in step by triggers on `item` (SRVDB_FIND_MIGRATION), so every writer
 * (imports, console edits, source imports, deletions) updates them in the same
 * transaction without knowing of them.  The triggers call kc_find_text(), which each
 * connection registers when it opens the database (srvdb_sqlite_find_register_). */
#include "srvdb_sqlite_find.h"
#include "store_sql.h"
#include "srvdb_sqlite_impl.h"
#include "fold.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* Up to this many matches a search page is found by looking them up and sorting. */
#define FIND_LOOKUP_MAX 1000
/* Items a short search (under three characters) checks one by one before it scans
 * every folded text instead. */
#define FIND_SHORT_WALK 2000

/* kc_find_text(ext_id, name_fi, name_sv, name_en): the folded pieces, one a line.
 * A line break never occurs in a folded name (content refuses control characters),
 * so a search cannot match across two pieces. */
static void find_text_fn(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    size_t cap = 1, n = 0;
    for (int i = 0; i < argc; i++)
        cap += (size_t)sqlite3_value_bytes(argv[i]) + 1;
    /* Folding never makes text more than a few times longer (NFKD of ligatures):
     * grown below as needed. */
    char *buf = NULL;
    for (int i = 0; i < argc; i++) {
        const char *t = (const char *)sqlite3_value_text(argv[i]);
        if (!t || !*t)
            continue;
        char *f = NULL;
        kc_err rc = fold_utf8(t, strlen(t), &f);
        if (rc) {
            kc_free(buf);
            if (rc == KC_ENOMEM)
                sqlite3_result_error_nomem(cx);
            else
                sqlite3_result_error(cx, "kc_find_text: not UTF-8", -1);
            return;
        }
        size_t fl = strlen(f);
        if (!buf || n + fl + 2 > cap) {
            size_t want = cap > n + fl + 2 ? cap : 2 * (n + fl + 2);
            char *nb = kc_realloc(buf, want);
            if (!nb) {
                kc_free(f);
                kc_free(buf);
                sqlite3_result_error_nomem(cx);
                return;
            }
            buf = nb;
            cap = want;
        }
        if (n)
            buf[n++] = '\n';
        memcpy(buf + n, f, fl);
        n += fl;
        buf[n] = '\0';
        kc_free(f);
    }
    if (!buf) {
        sqlite3_result_text(cx, "", 0, SQLITE_STATIC);
        return;
    }
    sqlite3_result_text(cx, buf, (int)n, kc_free);
}

kc_err srvdb_sqlite_find_register_(sqlite3 *db)
{
    int r = sqlite3_create_function(db, "kc_find_text", 4,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                    find_text_fn, NULL, NULL);
    return r == SQLITE_OK ? KC_OK : KC_EDB;
}

/* The search q as the list's parameter: *match = 1 and an FTS5 phrase for
 * `item_find MATCH ?`, or *match = 0 and the folded text for `instr(text, ?)` when it
 * is under three characters.  *arg is kc_malloc'ed; KC_EINVAL for invalid UTF-8. */
static kc_err find_query(const char *q, char **arg, int *match)
{
    char *f = NULL;
    *arg = NULL;
    *match = 0;
    kc_err rc = fold_utf8(q, strlen(q), &f);
    if (rc)
        return rc;
    /* Trigram lookups need three characters; shorter searches scan the folded text
     * (one short row per item, still no scan of the items themselves). */
    if (fold_charlen(f, strlen(f)) < 3) {
        *arg = f;
        return KC_OK;
    }
    /* An FTS5 string: "..." with every " doubled; a phrase of trigrams is a
     * substring match. */
    size_t n = strlen(f), extra = 0;
    for (size_t i = 0; i < n; i++)
        extra += f[i] == '"';
    char *p = kc_malloc(n + extra + 3), *o = p;
    if (!p) {
        kc_free(f);
        return KC_ENOMEM;
    }
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        if (f[i] == '"')
            *o++ = '"';
        *o++ = f[i];
    }
    *o++ = '"';
    *o = '\0';
    kc_free(f);
    *arg = p;
    *match = 1;
    return KC_OK;
}

static void bind_filter(sqlite3_stmt *s, const srvdb_cat_filter *f, const char *arg)
{
    /* Parameters the statement does not use answer SQLITE_RANGE, harmlessly. */
    if (f->kind >= 0)
        sqlite3_bind_int(s, 1, f->kind);
    if (f->area)
        sqlite3_bind_text(s, 2, f->area, -1, SQLITE_STATIC);
    if (arg)
        sqlite3_bind_text(s, 3, arg, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, f->after ? f->after : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, f->limit);
}

/* How many live items the search set holds (an FTS5 lookup, no item read). */
static kc_err count_matches(store *st, char *msg, const char *set, const char *arg,
                            long long *n)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM (%s)", set);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
        return srvdb_sqlite_fail_(st, msg, "preparing statement");
    sqlite3_bind_text(s, 3, arg, -1, SQLITE_STATIC);
    kc_err rc = KC_OK;
    if (sqlite3_step(s) == SQLITE_ROW)
        *n = sqlite3_column_int64(s, 0);
    else
        rc = srvdb_sqlite_fail_(st, msg, "searching items");
    sqlite3_finalize(s);
    return rc;
}

/* Whether the next FIND_SHORT_WALK items (in id order, after the page's start) hold a
 * whole page of matches of the short search arg. */
static kc_err short_fills(store *st, char *msg, const char *walk, const srvdb_cat_filter *f,
                          const char *arg, int *fills)
{
    char sql[400];
    snprintf(sql, sizeof sql, "SELECT count(*)%s", walk);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
        return srvdb_sqlite_fail_(st, msg, "preparing statement");
    bind_filter(s, f, arg);
    kc_err rc = KC_OK;
    if (sqlite3_step(s) == SQLITE_ROW)
        *fills = sqlite3_column_int64(s, 0) >= f->limit;
    else
        rc = srvdb_sqlite_fail_(st, msg, "searching items");
    sqlite3_finalize(s);
    return rc;
}

/* The first page's total: a sum over item_count's few rows. */
static kc_err count_items(store *st, char *msg, const srvdb_cat_filter *f, long long *total)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT coalesce(sum(n), 0) FROM item_count WHERE 1%s%s",
             f->kind >= 0 ? " AND kind = ?1" : "", f->area ? " AND area = ?2" : "");
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
        return srvdb_sqlite_fail_(st, msg, "preparing statement");
    if (f->kind >= 0)
        sqlite3_bind_int(s, 1, f->kind);
    if (f->area)
        sqlite3_bind_text(s, 2, f->area, -1, SQLITE_STATIC);
    kc_err rc = KC_OK;
    if (sqlite3_step(s) == SQLITE_ROW)
        *total = sqlite3_column_int64(s, 0);
    else
        rc = srvdb_sqlite_fail_(st, msg, "counting items");
    sqlite3_finalize(s);
    return rc;
}

kc_err srvdb_sqlite_catalog_list_(void *impl, char *msg, const srvdb_cat_filter *f,
                                  srvdb_cat_fn fn, void *ctx, long long *total)
{
    store *st = srvdb_sqlite_store_(impl);
    sqlite3_stmt *s = NULL;
    char *arg = NULL;
    int match = 0;
    kc_err rc = KC_OK;
    *total = -1;
    if (f->q && *f->q && (rc = find_query(f->q, &arg, &match)))
        return rc == KC_ENOMEM ? kc_fail(msg, rc, "out of memory")
                               : kc_fail(msg, rc, "\"q\" is not UTF-8");
    /* Counted on the first page only (the console keeps it while paging on); a
     * search reports only whether there is a next page. */
    if (!arg && !(f->after && *f->after) && (rc = count_items(st, msg, f, total)))
        goto done;
    const char *kind = f->kind >= 0 ? " AND kind = ?1" : "", *area = f->area ? " AND area = ?2" : "";
    const char *set = !arg ? "" : match ? "SELECT rowid FROM item_find WHERE item_find MATCH ?3"
                                        : "SELECT id FROM item_fold WHERE instr(text, ?3) > 0";
    /* A search: few matches are looked up and sorted (cost: the matches); many are
     * met early while walking item_list in id order, checking each against the set
     * (cost: about the page size times items / matches).  `+id` keeps SQLite from
     * choosing the lookups by itself.  A short search (no trigram index) checks the
     * next items one by one when they fill the page, else scans item_fold's short
     * rows once for its set and walks. */
    long long nmatch = LLONG_MAX;
    if (arg && match && (rc = count_matches(st, msg, set, arg, &nmatch)))
        goto done;
    if (nmatch == 0)
        goto done;
    /* A short search that fills its page within the next FIND_SHORT_WALK items
     * checks those items' folded text one by one instead of scanning it all. */
    char walk[320];
    snprintf(walk, sizeof walk,
             " FROM (SELECT id, ext_id FROM item WHERE deleted = 0%s%s AND ext_id > ?4"
             " ORDER BY ext_id LIMIT %d) w JOIN item_fold f ON f.id = w.id"
             " WHERE instr(f.text, ?3) > 0", kind, area, FIND_SHORT_WALK);
    int short_walk = 0;
    if (arg && !match && (rc = short_fills(st, msg, walk, f, arg, &short_walk)))
        goto done;
    char cond[160] = "";
    if (arg && !short_walk)
        snprintf(cond, sizeof cond, " AND %sid IN (%s)", nmatch <= FIND_LOOKUP_MAX ? "" : "+", set);
    char sql[1000];
    if (short_walk)
        snprintf(sql, sizeof sql,
                 "SELECT i.ext_id, i.kind, i.rev, coalesce(i.name_fi, ''),"
                 " coalesce(i.name_sv, ''), coalesce(i.name_en, ''), coalesce(i.area, '')"
                 " FROM (SELECT w.id, w.ext_id%s ORDER BY w.ext_id LIMIT ?5) m"
                 " JOIN item i ON i.id = m.id ORDER BY m.ext_id", walk);
    else
        snprintf(sql, sizeof sql,
                 "SELECT ext_id, kind, rev, coalesce(name_fi, ''), coalesce(name_sv, ''),"
                 " coalesce(name_en, ''), coalesce(area, '') FROM item WHERE deleted = 0%s%s%s"
                 " AND ext_id > ?4 ORDER BY ext_id LIMIT ?5", kind, area, cond);
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK) {
        rc = srvdb_sqlite_fail_(st, msg, "preparing statement");
        goto done;
    }
    bind_filter(s, f, arg);
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        srvdb_cat_row row = {
            (const char *)sqlite3_column_text(s, 0), sqlite3_column_int(s, 1),
            sqlite3_column_int64(s, 2), (const char *)sqlite3_column_text(s, 3),
            (const char *)sqlite3_column_text(s, 4), (const char *)sqlite3_column_text(s, 5),
            (const char *)sqlite3_column_text(s, 6),
        };
        if (!row.id || !row.name_fi || !row.name_sv || !row.name_en || !row.area) {
            rc = kc_fail(msg, KC_ENOMEM, "out of memory");
            break;
        }
        if ((rc = fn(ctx, &row)))
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = srvdb_sqlite_fail_(st, msg, "listing items");
    sqlite3_finalize(s);
done:
    kc_free(arg);
    return rc;
}
