/* syncc.c - the kiosk's sync client: configuration and status (HTTP: syncc_http.c;
 * one sync: syncc_cycle.c; the thread: syncc_thread.c; the outbox: syncc_push.c;
 * surveys and ballots: syncc_docs.c). */
#include "syncc_impl.h"
#include "content.h"
#include "ballot.h"
#include "outbox.h"
#include "store.h"
#include "survey.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *syncc_state_name(syncc_state s)
{
    switch (s) {
    case SYNCC_NEVER:
        return "not synced yet";
    case SYNCC_SYNCING:
        return "syncing";
    case SYNCC_UP_TO_DATE:
        return "up to date";
    case SYNCC_OFFLINE:
        return "offline";
    case SYNCC_ERROR:
        return "error";
    }
    return "?";
}

kc_err syncc_global_init(void)
{
    if (sodium_init() < 0)
        return KC_ECRYPTO;
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? KC_OK : KC_EIO;
}

void syncc_global_cleanup(void)
{
    curl_global_cleanup();
}

/* --- configuration ---------------------------------------------------------------- */

static int valid_token(const char *t)
{
    size_t n = strlen(t);
    if (n == 0 || n > SYNCC_TOKEN_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = t[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '_' || ch == '-' || ch == '~'))
            return 0;
    }
    return 1;
}

static int loopback_host(const char *host)
{
    unsigned char a[16];
    char h[64];
    size_t n = strlen(host);
    if (strcasecmp(host, "localhost") == 0 || strcasecmp(host, "localhost.") == 0)
        return 1;
    if (inet_pton(AF_INET, host, a) == 1)
        return a[0] == 127;
    if (n < 3 || n >= sizeof h || host[0] != '[' || host[n - 1] != ']')
        return 0;
    memcpy(h, host + 1, n - 2);
    h[n - 2] = '\0';
    return inet_pton(AF_INET6, h, a) == 1 && memcmp(a, &in6addr_loopback, 16) == 0;
}

int syncc_url_insecure(const char *url)
{
    if (strncasecmp(url, "http://", 7) != 0)
        return 0;
    /* curl's own parser, so the host checked is the host curl connects to. */
    CURLU *u = curl_url();
    char *host = NULL;
    int insecure = 1;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
        insecure = !loopback_host(host);
    curl_free(host);
    curl_url_cleanup(u);
    return insecure;
}

static char *dup_or_null(const char *s, int *oom)
{
    if (!s)
        return NULL;
    char *d = kc_strdup(s);
    if (!d)
        *oom = 1;
    return d;
}

kc_err syncc_new(const syncc_config *cfg, syncc **out, char *msg)
{
    *out = NULL;
    if (!cfg->db_path || !cfg->server || !cfg->token)
        return kc_fail(msg, KC_EUSAGE, "sync: database, server and token are required");
    if (strncmp(cfg->server, "http://", 7) && strncmp(cfg->server, "https://", 8))
        return kc_fail(msg, KC_EUSAGE, "sync: the server address must start with https:// "
                                       "(or http:// for a local test)");
    if (strlen(cfg->server) > 1000)
        return kc_fail(msg, KC_EUSAGE, "sync: server address too long");
    int insecure = syncc_url_insecure(cfg->server);
    if (insecure && !cfg->allow_insecure_http)
        return kc_fail(msg, KC_EUSAGE, "sync: refusing plain http:// to a host that is not "
                                       "this machine: the token would travel in clear and "
                                       "replies could be forged; use https:// (or allow "
                                       "insecure http explicitly)");
    if (!valid_token(cfg->token))
        return kc_fail(msg, KC_EUSAGE, "sync: the token must be 1-%d of A-Z a-z 0-9 . _ - ~",
                       SYNCC_TOKEN_MAX);
    syncc *c = kc_calloc(1, sizeof *c);
    if (!c)
        return kc_fail(msg, KC_ENOMEM, "sync: out of memory");
    int oom = 0;
    c->db_path = dup_or_null(cfg->db_path, &oom);
    c->server = dup_or_null(cfg->server, &oom);
    c->token = dup_or_null(cfg->token, &oom);
    c->ca_file = dup_or_null(cfg->ca_file, &oom);
    c->version = dup_or_null(cfg->version ? cfg->version : SYNCC_VERSION, &oom);
    if (!oom && pthread_mutex_init(&c->mu, NULL) == 0) {
        if (pthread_cond_init(&c->cv, NULL) == 0) {
            /* A trailing slash would double up with the paths. */
            size_t n = strlen(c->server);
            while (n > 0 && c->server[n - 1] == '/')
                c->server[--n] = '\0';
            c->cfg = *cfg;
            c->cfg.db_path = c->db_path;
            c->cfg.server = c->server;
            c->cfg.token = c->token;
            c->cfg.ca_file = c->ca_file;
            c->cfg.version = c->version;
#define DEF(f, v) if (c->cfg.f <= 0) c->cfg.f = (v)
            DEF(connect_timeout_s, 10);
            DEF(timeout_s, 60);
            DEF(interval_s, 60);
            DEF(backoff_min_s, 2);
            DEF(backoff_max_s, 600);
            DEF(batch, 500);
            DEF(page, PROTO_PAGE_DEFAULT);
#undef DEF
            if (c->cfg.heartbeat_s == 0)
                c->cfg.heartbeat_s = 300;
            if (c->cfg.batch > PROTO_BATCH_MAX)
                c->cfg.batch = PROTO_BATCH_MAX;
            if (c->cfg.page > PROTO_PAGE_MAX)
                c->cfg.page = PROTO_PAGE_MAX;
            c->st.insecure_http = insecure;
            *out = c;
            return KC_OK;
        }
        pthread_mutex_destroy(&c->mu);
    }
    kc_free(c->db_path);
    kc_free(c->server);
    kc_free(c->token);
    kc_free(c->ca_file);
    kc_free(c->version);
    kc_free(c);
    return kc_fail(msg, KC_ENOMEM, "sync: out of memory");
}

void syncc_free(syncc *c)
{
    if (!c)
        return;
    syncc_stop(c);
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
    if (c->token)
        sodium_memzero(c->token, strlen(c->token));
    kc_free(c->db_path);
    kc_free(c->server);
    kc_free(c->token);
    kc_free(c->ca_file);
    kc_free(c->version);
    kc_free(c);
}

void syncc_status_get(syncc *c, syncc_status *out)
{
    pthread_mutex_lock(&c->mu);
    *out = c->st;
    pthread_mutex_unlock(&c->mu);
}
