/*
 * srvdb_sqlite_find.h - the console's catalog list on SQLite: search through a
 * folded trigram index, counts kept by triggers (srvdb_sqlite_find.c explains both).
 * For the SQLite backend's files only.
 */
#ifndef SRVDB_SQLITE_FIND_H
#define SRVDB_SQLITE_FIND_H

#include <sqlite3.h>
#include "srvdb_admin.h"

/* The console tables' migration that adds item_find, item_count and their triggers
 * and fills them from the items there are. */
#define SRVDB_FIND_MIGRATION                                                              \
    "CREATE TABLE item_fold(id INTEGER PRIMARY KEY, text TEXT NOT NULL);"                 \
    "CREATE VIRTUAL TABLE item_find USING fts5(text, content='item_fold',"                \
    " content_rowid='id', tokenize='trigram');"                                          \
    "CREATE TABLE item_count(kind INTEGER NOT NULL, area TEXT NOT NULL,"                 \
    " n INTEGER NOT NULL, PRIMARY KEY(kind, area)) WITHOUT ROWID;"                        \
    "CREATE TRIGGER item_find_ins AFTER INSERT ON item WHEN new.deleted = 0 BEGIN"       \
    " INSERT INTO item_fold(id, text) VALUES(new.id,"                                    \
    "  kc_find_text(new.ext_id, new.name_fi, new.name_sv, new.name_en));"               \
    " INSERT INTO item_find(rowid, text) SELECT id, text FROM item_fold WHERE id = new.id;" \
    " INSERT INTO item_count VALUES(new.kind, coalesce(new.area, ''), 1)"                \
    "  ON CONFLICT(kind, area) DO UPDATE SET n = n + 1;"                                 \
    " END;"                                                                              \
    "CREATE TRIGGER item_find_upd AFTER UPDATE OF ext_id, kind, area, deleted, name_fi,"  \
    " name_sv, name_en ON item BEGIN"                                                    \
    " INSERT INTO item_find(item_find, rowid, text)"                                     \
    "  SELECT 'delete', id, text FROM item_fold WHERE id = old.id;"                      \
    " DELETE FROM item_fold WHERE id = old.id;"                                          \
    " UPDATE item_count SET n = n - 1 WHERE old.deleted = 0 AND kind = old.kind"         \
    "  AND area = coalesce(old.area, '');"                                               \
    " INSERT INTO item_fold(id, text) SELECT new.id,"                                    \
    "  kc_find_text(new.ext_id, new.name_fi, new.name_sv, new.name_en)"                 \
    "  WHERE new.deleted = 0;"                                                           \
    " INSERT INTO item_find(rowid, text) SELECT id, text FROM item_fold WHERE id = new.id;" \
    " INSERT INTO item_count SELECT new.kind, coalesce(new.area, ''), 1"                 \
    "  WHERE new.deleted = 0 ON CONFLICT(kind, area) DO UPDATE SET n = n + 1;"           \
    " END;"                                                                              \
    "CREATE TRIGGER item_find_del AFTER DELETE ON item BEGIN"                            \
    " INSERT INTO item_find(item_find, rowid, text)"                                     \
    "  SELECT 'delete', id, text FROM item_fold WHERE id = old.id;"                      \
    " DELETE FROM item_fold WHERE id = old.id;"                                          \
    " UPDATE item_count SET n = n - 1 WHERE old.deleted = 0 AND kind = old.kind"         \
    "  AND area = coalesce(old.area, '');"                                               \
    " END;"                                                                              \
    "INSERT INTO item_fold(id, text) SELECT id,"                                         \
    " kc_find_text(ext_id, name_fi, name_sv, name_en) FROM item WHERE deleted = 0;"     \
    "INSERT INTO item_find(item_find) VALUES('rebuild');"                                \
    "INSERT INTO item_count SELECT kind, coalesce(area, ''), count(*) FROM item"          \
    " WHERE deleted = 0 GROUP BY 1, 2;"

/* Registers kc_find_text() on a connection, before its migrations: the triggers call
 * it, so every connection that may write items needs it. */
kc_err srvdb_sqlite_find_register_(sqlite3 *db);

/* The backend's catalog_list (srvdb_admin.h, srvdb_catalog_list). */
kc_err srvdb_sqlite_catalog_list_(void *impl, char *msg, const srvdb_cat_filter *f,
                                  srvdb_cat_fn fn, void *ctx, long long *total);

#endif
