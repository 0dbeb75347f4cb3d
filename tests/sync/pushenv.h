/*
 * pushenv.h - one kiosk database, one real server on loopback with a device token,
 * and the fault proxy in front of it: the set-up of the push tests
 * (test_sync_push_client.c, test_sync_push_flow.c).  Failures fail the running test.
 */
#ifndef PUSHENV_H
#define PUSHENV_H

#include "faultproxy.h"
#include "synctest.h"
#include "syncc.h"

typedef struct pushenv {
    const char *kdb, *sdb;
    char tok[65];
    st_server srv;
    fproxy *px;
} pushenv;

/* Files named after tag in the test's temporary folder; seed drives the proxy's
 * choices so a failing run can be repeated. */
void pe_start(pushenv *e, const char *tag, unsigned seed);
void pe_stop(pushenv *e);

typedef struct pe_client_opts {
    int batch;      /* rows per push; 0: the engine's default */
    int proxied;    /* through the fault proxy rather than straight to the server */
    int timeout_s;  /* 0: 20 s */
    int insecure;   /* allow plain http (loopback is allowed anyway) */
    const char *url; /* overrides the address (proxied is then ignored) */
} pe_client_opts;

syncc *pe_client(const pushenv *e, const pe_client_opts *o);

/* One sync that must succeed. */
void pe_sync_ok(syncc *c);
/* Rows still waiting in the kiosk's outbox. */
long pe_waiting(const char *kdb);

#endif
