/*
 * fleet.h - kiosks pushing through several kiosk-server processes at once, as behind
 * a load balancer: each kiosk is a thread with its own kiosk database that keeps
 * adding responses and syncing with the real client engine (syncc), each sync through
 * another of the addresses it was given, which may change at any moment (a server
 * killed and started again, a move to another database).  Test-only; failures fail
 * the running cmocka test (in the calling thread only).
 */
#ifndef FLEET_H
#define FLEET_H

#include "synctest.h"

typedef struct fl_fleet fl_fleet;

/* n kiosks ("tag-kN"), each a device on server database sdb and a kiosk database in
 * the test's folder holding `rows` responses already. */
fl_fleet *fl_new(const char *tag, const char *sdb, int n, int rows);
/* The addresses syncs go to from now on (copied). */
void fl_servers(fl_fleet *f, const st_server *srv, int n);
/* The kiosks start: add a few rows, sync, again, until fl_join. */
void fl_start(fl_fleet *f);
/* Responses added so far, and syncs that finished without error. */
long fl_added(fl_fleet *f);
long fl_synced(fl_fleet *f);
/* The kiosks stop (after the sync each is in); then each syncs alone until nothing
 * waits in its outbox, failing the test after max_s seconds. */
void fl_join(fl_fleet *f, double max_s);
/* Every row of every kiosk's outbox is on the server database exactly once, equal,
 * and the server holds nothing else. */
void fl_check(fl_fleet *f, const char *sdb);
void fl_free(fl_fleet *f);

#endif
