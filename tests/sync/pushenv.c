#include "pushenv.h"
#include "doctest.h"
#include "testutil.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

void pe_start(pushenv *e, const char *tag, unsigned seed)
{
    char name[64];
    snprintf(name, sizeof name, "%s-kiosk.db", tag);
    e->kdb = tu_tmp(name);
    snprintf(name, sizeof name, "%s-server.db", tag);
    e->sdb = tu_tmp(name);
    st_device_add(e->sdb, "k1", e->tok);
    st_server_start(&e->srv, e->sdb, NULL);
    assert_int_equal(fproxy_start(e->srv.port, seed, 0, 0, &e->px), 0);
}

void pe_stop(pushenv *e)
{
    fproxy_stop(e->px);
    st_server_stop(&e->srv, SIGTERM);
}

syncc *pe_client(const pushenv *e, const pe_client_opts *o)
{
    char url[64], msg[KC_MSGMAX];
    snprintf(url, sizeof url, "http://127.0.0.1:%d",
             o->proxied ? fproxy_port(e->px) : e->srv.port);
    syncc_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.db_path = e->kdb;
    cfg.server = o->url ? o->url : url;
    cfg.token = e->tok;
    cfg.batch = o->batch;
    cfg.timeout_s = o->timeout_s ? o->timeout_s : 20;
    cfg.heartbeat_s = -1;
    cfg.allow_insecure_http = o->insecure;
    syncc *c = NULL;
    if (syncc_new(&cfg, &c, msg))
        fail_msg("%s", msg);
    return c;
}

void pe_sync_ok(syncc *c)
{
    char msg[KC_MSGMAX];
    if (syncc_run_once(c, msg))
        fail_msg("sync: %s", msg);
}

long pe_waiting(const char *kdb)
{
    return dt_long(kdb, "SELECT count(*) FROM outbox WHERE sent = 0");
}
