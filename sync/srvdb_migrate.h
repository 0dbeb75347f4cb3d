/*
 * srvdb_migrate.h - moving a server's SQLite file onto PostgreSQL
 * (`kiosk-server admin migrate-to-pg`, docs/deploy.md "Moving to PostgreSQL").
 *
 * Every table the SQLite backend holds is copied into the PostgreSQL schema of this
 * version (made by srvdb_open first), in one PostgreSQL transaction, from one read
 * snapshot of the SQLite file: devices with their token hashes, responses under their
 * UUIDs, the catalog with revisions and tombstones, areas, document feeds, ballots,
 * code uses and the mixing pool, source state and runs, kiosk settings and
 * publication, and the console's tables where the PostgreSQL schema has them.  Tables
 * the backends derive themselves (result sums kept by triggers, the search index, the
 * revision counters) are not copied but made again: the feed counters from the copied
 * rows.  A table or column with data that has no place on PostgreSQL stops the move,
 * naming it, before anything is committed.
 *
 * The target must be empty (KC_EEXIST otherwise); the row counts of every copied table
 * are compared inside the transaction before it commits.  A failed or interrupted run
 * leaves the target as it was, so running it again is safe.  The SQLite file is only
 * read; stop the server that writes it first (the procedure in docs/deploy.md).
 */
#ifndef SRVDB_MIGRATE_H
#define SRVDB_MIGRATE_H

#include "kc.h"

#include <stdio.h>

/* Copies from (an SQLite server file) into to (a PostgreSQL spec as srvdb_open takes
 * it).  One line per table goes to log (may be NULL): "TABLE: N rows" or why it was
 * left out.  On failure msg says why and the target is unchanged. */
kc_err srvdb_migrate_to_pg(const char *from, const char *to, FILE *log, char *msg);

#endif
