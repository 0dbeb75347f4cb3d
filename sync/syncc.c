/* syncc.c - the kiosk's sync client: configuration, HTTP with libcurl, the catalog
 * pull and one sync (the thread: syncc_thread.c; the outbox: syncc_push.c; surveys
 * and ballots: syncc_docs.c). */
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

/* Copies at most cap-1 bytes of src, cut at a UTF-8 character boundary. */
void syncc_copy_cut_(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
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

/* --- HTTP ------------------------------------------------------------------------------ */

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
    http *h = ud;
    size_t len = size * n;
    if (h->body.len + len > (size_t)PROTO_MAX_REPLY) {
        h->too_big = 1;
        return 0;  /* curl stops with a write error */
    }
    proto_buf_add(&h->body, p, len);
    return h->body.oom ? 0 : len;
}

/* Counts the bytes curl writes: request headers and body, exactly once each.
 * (CURLINFO_REQUEST_SIZE already holds a small POST body that curl sends together
 * with the headers, so adding the upload size counted it twice.) */
static int on_debug(CURL *e, curl_infotype type, char *data, size_t size, void *ud)
{
    http *h = ud;
    (void)e, (void)data;
    if (type == CURLINFO_HEADER_OUT || type == CURLINFO_DATA_OUT)
        h->sent += (long long)size;
    return 0;
}

static int on_progress(void *ud, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    http *h = ud;
    (void)dt, (void)dn, (void)ut, (void)un;
    return atomic_load(&h->c->stop) ? 1 : 0;  /* non-zero aborts the transfer */
}

static kc_err http_open(syncc *c, http *h, char *msg)
{
    memset(h, 0, sizeof *h);
    h->c = c;
    char auth[SYNCC_TOKEN_MAX + 32];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", c->token);
    struct curl_slist *l = curl_slist_append(NULL, auth);
    struct curl_slist *l2 = l ? curl_slist_append(l, "Content-Type: application/json") : NULL;
    /* No "Expect: 100-continue": it costs a round trip per push. */
    struct curl_slist *l3 = l2 ? curl_slist_append(l2, "Expect:") : NULL;
    sodium_memzero(auth, sizeof auth);
    if (!l3) {
        curl_slist_free_all(l2 ? l2 : l);
        return kc_fail(msg, KC_ENOMEM, "sync: out of memory");
    }
    h->hdr = l3;
    if (!(h->h = curl_easy_init())) {
        curl_slist_free_all(h->hdr);
        return kc_fail(msg, KC_ENOMEM, "sync: cannot start curl");
    }
    char ua[80];
    snprintf(ua, sizeof ua, "community-kiosk/%.40s", c->version);
    CURL *e = h->h;
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h->hdr);
    curl_easy_setopt(e, CURLOPT_USERAGENT, ua);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, (long)c->cfg.connect_timeout_s);
    curl_easy_setopt(e, CURLOPT_TIMEOUT, (long)c->cfg.timeout_s);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (c->ca_file)
        curl_easy_setopt(e, CURLOPT_CAINFO, c->ca_file);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)PROTO_MAX_REPLY);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, h);
    curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(e, CURLOPT_XFERINFODATA, h);
    curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, h->err);
    /* Verbose only feeds on_debug, which writes nothing. */
    curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(e, CURLOPT_DEBUGDATA, h);
    curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
    return KC_OK;
}

static void http_close(http *h)
{
    if (h->h)
        curl_easy_cleanup(h->h);
    curl_slist_free_all(h->hdr);
    proto_buf_free(&h->body);
    memset(h, 0, sizeof *h);
}

/* One request.  KC_OK with h->status and h->body for any HTTP answer; KC_EIO when
 * none came (connection, TLS, timeout, truncated body). */
kc_err syncc_http_do_(http *h, const char *what, const char *path, const char *body,
                      size_t len, char *msg)
{
    /* A server address of up to 1000 bytes and a path of up to about 250. */
    char url[1400];
    if (snprintf(url, sizeof url, "%s%s", h->c->server, path) >= (int)sizeof url)
        return kc_fail(msg, KC_EINVAL, "sync: %s: address too long", what);
    proto_buf_free(&h->body);
    h->too_big = 0;
    h->err[0] = '\0';
    h->status = 0;
    CURL *e = h->h;
    curl_easy_setopt(e, CURLOPT_URL, url);
    if (body) {
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    } else {
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    }
    CURLcode r = curl_easy_perform(e);
    long hdr = 0;
    curl_off_t down = 0;
    curl_easy_getinfo(e, CURLINFO_HEADER_SIZE, &hdr);
    curl_easy_getinfo(e, CURLINFO_SIZE_DOWNLOAD_T, &down);
    h->requests++;
    h->received += hdr + down;
    if (r != CURLE_OK) {
        if (h->body.oom)
            return kc_fail(msg, KC_ENOMEM, "sync: %s: out of memory", what);
        if (h->too_big)
            return kc_fail(msg, KC_ETOOBIG, "sync: %s: reply over %ld bytes", what,
                           PROTO_MAX_REPLY);
        if (r == CURLE_ABORTED_BY_CALLBACK)
            return kc_fail(msg, KC_EIO, "sync: %s: stopped", what);
        return kc_fail(msg, KC_EIO, "sync: %s: %s", what,
                       h->err[0] ? h->err : curl_easy_strerror(r));
    }
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &h->status);
    return KC_OK;
}

/* Turns a non-success status into an error code and message. */
kc_err syncc_http_fail_(http *h, const char *what, char *msg)
{
    char text[PROTO_LASTERR_MAX + 1];
    proto_error_read(h->body.p ? h->body.p : "", h->body.len, text, sizeof text);
    kc_err code = KC_EINVAL;
    if (h->status == 401 || h->status == 403)
        code = KC_EDENIED;
    else if (h->status >= 500 || h->status == 408 || h->status == 429)
        code = KC_EIO;
    return kc_fail(msg, code, "sync: %s: server answered %ld%s%s", what, h->status,
                   text[0] ? ": " : "", text);
}

/* --- pull -------------------------------------------------------------------------------- */

kc_err syncc_meta_ll_(store *st, const char *key, long long *v)
{
    char *s = NULL;
    kc_err rc = store_meta_get(st, key, &s);
    *v = s ? atoll(s) : 0;
    kc_free(s);
    return rc;
}

/* Validates every item of the page, then writes the page and the revision it brings
 * the kiosk to in one transaction. */
static kc_err apply_page(store *st, const proto_page *pg, int *changed, char *msg)
{
    cat_item *items = NULL;
    char **bodies = NULL;
    char (*area_ids)[65] = NULL;
    kc_err rc = KC_OK;
    *changed = 0;
    if (pg->nareas && !(area_ids = kc_calloc(pg->nareas, sizeof *area_ids))) {
        rc = kc_fail(msg, KC_ENOMEM, "sync: out of memory");
        goto done;
    }
    if (pg->nitems && (!(items = kc_calloc(pg->nitems, sizeof *items)) ||
                       !(bodies = kc_calloc(pg->nitems, sizeof *bodies)))) {
        rc = kc_fail(msg, KC_ENOMEM, "sync: out of memory");
        goto done;
    }
    for (size_t i = 0; i < pg->nitems; i++) {
        const proto_entry *e = &pg->items[i];
        if (e->deleted)
            continue;
        char m[KC_MSGMAX];
        if ((rc = content_item_from_json(e->body, strlen(e->body), &items[i], m))) {
            kc_fail(msg, rc, "sync: bad catalog page: item \"%s\": %.300s", e->id, m);
            goto done;
        }
        if (strcmp(items[i].id, e->id) != 0) {
            rc = kc_fail(msg, KC_EINVAL, "sync: bad catalog page: item \"%s\" carries id "
                                         "\"%s\"", e->id, items[i].id);
            goto done;
        }
        if ((rc = content_item_to_json(&items[i], &bodies[i]))) {
            kc_fail(msg, rc, "sync: out of memory");
            goto done;
        }
    }
    if (pg->has_areas && (rc = syncc_check_areas_(pg, msg)))
        goto done;
    if ((rc = store_begin(st)))
        goto dbfail;
    for (size_t i = 0; i < pg->nareas; i++) {
        int ch = 0;
        if ((rc = syncc_area_id_(pg->areas[i], area_ids[i]))) {
            kc_fail(msg, rc, "sync: bad catalog page: an area without an id");
            goto rollback;
        }
        if ((rc = store_area_put(st, area_ids[i], pg->areas[i], &ch)))
            goto dbfail;
        *changed |= ch;
    }
    if (pg->has_areas && (rc = syncc_drop_gone_areas_(st, pg, area_ids, changed)))
        goto dbfail;
    for (size_t i = 0; i < pg->nitems; i++) {
        const proto_entry *e = &pg->items[i];
        int ch = 0;
        if (e->deleted)
            rc = store_item_delete(st, e->id, e->rev, &ch);
        else
            rc = store_item_put(st, &items[i], bodies[i], e->rev, &ch);
        if (rc)
            goto dbfail;
        *changed |= ch;
    }
    char rev[32];
    snprintf(rev, sizeof rev, "%lld", pg->rev);
    if ((rc = store_meta_set(st, "sync.catalog_rev", rev)) ||
        (pg->has_areas && (rc = store_meta_set(st, "sync.areas_digest", pg->digest))) ||
        (rc = store_commit(st)))
        goto dbfail;
    goto done;
dbfail:
    kc_fail(msg, rc, "sync: applying catalog page: %s", store_errmsg(st));
rollback:
    store_rollback(st);
    *changed = 0;
done:
    for (size_t i = 0; items && i < pg->nitems; i++) {
        cat_item_clear(&items[i]);
        kc_free(bodies[i]);
    }
    kc_free(items);
    kc_free(bodies);
    kc_free(area_ids);
    return rc;
}

static kc_err pull(syncc *c, store *st, http *h, long *pulled, int *changed, char *msg)
{
    *pulled = 0;
    *changed = 0;
    for (int pages = 0; pages < SYNCC_MAX_PAGES && !atomic_load(&c->stop); pages++) {
        long long since;
        char *digest = NULL;
        kc_err rc = syncc_meta_ll_(st, "sync.catalog_rev", &since);
        if (!rc)
            rc = store_meta_get(st, "sync.areas_digest", &digest);
        if (rc)
            return kc_fail(msg, rc, "sync: %s", store_errmsg(st));
        char path[200];
        snprintf(path, sizeof path, "%s?since=%lld&limit=%d&areas=%.64s", PROTO_PATH_CATALOG,
                 since, c->cfg.page, digest && proto_valid_id(digest) ? digest : "");
        kc_free(digest);
        if ((rc = syncc_http_do_(h, "pulling the catalog", path, NULL, 0, msg)))
            return rc;
        if (h->status == 204)
            return KC_OK;
        if (h->status != 200)
            return syncc_http_fail_(h, "pulling the catalog", msg);
        proto_page pg;
        char m[KC_MSGMAX];
        if ((rc = proto_page_read(h->body.p, h->body.len, since, &pg, m)))
            return kc_fail(msg, rc, "sync: pulling the catalog: bad reply: %.300s", m);
        int ch = 0;
        rc = apply_page(st, &pg, &ch, msg);
        int more = pg.more;
        *pulled += (long)pg.nitems;
        proto_page_free(&pg);
        if (rc)
            return rc;
        if (ch) {
            *changed = 1;
            pthread_mutex_lock(&c->mu);
            c->st.catalog_changes++;
            pthread_mutex_unlock(&c->mu);
        }
        if (!more)
            return KC_OK;
    }
    return KC_OK;
}

/* --- one sync -------------------------------------------------------------------------- */

static kc_err heartbeat(syncc *c, store *st, http *h, const char *last_error, char *msg)
{
    proto_heartbeat hb;
    memset(&hb, 0, sizeof hb);
    syncc_copy_cut_(hb.version, sizeof hb.version, c->version);
    syncc_copy_cut_(hb.last_error, sizeof hb.last_error, last_error);
    long depth = 0, aside = 0;
    char *reason = NULL;
    kc_err rc = syncc_meta_ll_(st, "sync.catalog_rev", &hb.catalog_rev);
    if (!rc)
        rc = outbox_depth(st, &depth);
    if (!rc && !(rc = outbox_set_aside_info(st, &aside, &reason)))
        syncc_copy_cut_(hb.set_aside_reason, sizeof hb.set_aside_reason, reason);
    kc_free(reason);
    if (rc)
        return kc_fail(msg, rc, "sync: %s", store_errmsg(st));
    hb.outbox_depth = depth;
    hb.set_aside = aside;
    proto_buf b = { 0 };
    if (proto_heartbeat_write(&hb, &b))
        return kc_fail(msg, KC_ENOMEM, "sync: out of memory");
    rc = syncc_http_do_(h, "heartbeat", PROTO_PATH_HEARTBEAT, b.p, b.len, msg);
    proto_buf_free(&b);
    if (!rc && h->status != 204 && h->status != 200)
        rc = syncc_http_fail_(h, "heartbeat", msg);
    return rc;
}

/* What the UI and `kioskctl sync status` read from the database. */
static void record(store *st, kc_err rc, const char *msg)
{
    char now[32];
    snprintf(now, sizeof now, "%lld", (long long)time(NULL));
    store_meta_set(st, "sync.last_attempt", now);
    if (!rc)
        store_meta_set(st, "sync.last_ok", now);
    char err[PROTO_LASTERR_MAX + 1];
    syncc_copy_cut_(err, sizeof err, rc ? msg : "");
    store_meta_set(st, "sync.last_error", err);
}

kc_err syncc_cycle_(syncc *c, store *st, char *msg)
{
    http h;
    long pushed = 0, pulled = 0, aside = 0;
    int changed = 0;
    kc_err rc = http_open(c, &h, msg);
    if (rc)
        return rc;
    long docs = 0;
    int docs_changed = 0, settings_changed = 0;
    proto_changes ch;
    rc = syncc_push_(c, st, &h, &pushed, &aside, msg);
    /* The pull never waits on the push: a kiosk whose push fails still gets the
     * catalog, surveys, ballots and code uses (double-use prevention needs them).
     * Not after a refused token or when no answer came at all.  After the push, so
     * code uses this kiosk just sent come back in this sync. */
    int reached = !(rc == KC_EIO && h.status == 0);
    if (rc != KC_EDENIED && reached && !atomic_load(&c->stop)) {
        char pm[KC_MSGMAX];
        kc_err pr;
        if (!(pr = syncc_changes_(c, st, &h, &ch, pm)) &&
            !(ch.changed[PROTO_FEED_CAT] && (pr = pull(c, st, &h, &pulled, &changed, pm))))
            pr = syncc_docs_pull_(c, st, &h, &ch, &docs, &docs_changed, pm);
        if (!pr && !atomic_load(&c->stop))
            pr = syncc_settings_pull_(c, st, &h, &ch, &settings_changed, pm);
        if (pr && !rc) {
            rc = pr;
            memcpy(msg, pm, KC_MSGMAX);
        }
    }
    /* A heartbeat also after a refused page, so the administrator sees the error;
     * not after transport failures or refusals, which it would only repeat. */
    long long now = (long long)time(NULL);
    int due = c->cfg.heartbeat_s < 0 || now - c->last_heartbeat >= c->cfg.heartbeat_s ||
              pushed > 0 || aside > 0 || changed || docs_changed ||
              settings_changed;
    if (due && rc != KC_EIO && rc != KC_EDENIED && !atomic_load(&c->stop)) {
        char hm[KC_MSGMAX];
        kc_err hr = heartbeat(c, st, &h, rc ? msg : "", hm);
        if (!hr)
            c->last_heartbeat = now;
        else if (!rc) {
            rc = hr;
            memcpy(msg, hm, KC_MSGMAX);
        }
    }
    long depth = 0, nset = 0;
    long long rev = 0;
    char *reason = NULL;
    outbox_depth(st, &depth);
    outbox_set_aside_info(st, &nset, &reason);
    syncc_meta_ll_(st, "sync.catalog_rev", &rev);
    record(st, rc, msg);
    pthread_mutex_lock(&c->mu);
    c->st.pushed += pushed;
    c->st.pulled += pulled;
    c->st.docs_pulled += docs;
    c->st.docs_changes += docs_changed ? 1 : 0;
    c->st.settings_changes += settings_changed ? 1 : 0;
    c->st.requests += h.requests;
    c->st.bytes_sent += h.sent;
    c->st.bytes_received += h.received;
    c->st.waiting = depth;
    c->st.catalog_rev = rev;
    c->st.set_aside = nset;
    syncc_copy_cut_(c->st.set_aside_reason, sizeof c->st.set_aside_reason, reason ? reason : "");
    if (rc) {
        c->st.failures++;
        c->st.state = rc == KC_EIO ? SYNCC_OFFLINE : SYNCC_ERROR;
        if (!c->st.offline_since)
            c->st.offline_since = now;
        syncc_copy_cut_(c->st.last_error, sizeof c->st.last_error, msg);
    } else {
        c->st.failures = 0;
        c->st.state = SYNCC_UP_TO_DATE;
        c->st.offline_since = 0;
        c->st.last_ok = now;
        c->st.syncs++;
        c->st.last_error[0] = '\0';
    }
    pthread_mutex_unlock(&c->mu);
    kc_free(reason);
    http_close(&h);
    return rc;
}

kc_err syncc_open_store_(syncc *c, store **st, char *msg)
{
    kc_err rc = store_open(c->db_path, st);
    if (!rc)
        rc = outbox_init(*st);
    if (!rc)
        rc = survey_init(*st);
    if (!rc)
        rc = ballot_init(*st);
    if (rc) {
        kc_fail(msg, rc, "sync: %s", store_errmsg(*st));
        store_close(*st);
        *st = NULL;
    }
    return rc;
}

kc_err syncc_run_once(syncc *c, char *msg)
{
    pthread_mutex_lock(&c->mu);
    int running = c->running;
    if (!running) {
        c->st.state = SYNCC_SYNCING;
        atomic_store(&c->stop, 0);
    }
    pthread_mutex_unlock(&c->mu);
    if (running)
        return kc_fail(msg, KC_EUSAGE, "sync: the sync thread is running");
    store *st = NULL;
    kc_err rc = syncc_open_store_(c, &st, msg);
    if (!rc)
        rc = syncc_cycle_(c, st, msg);
    store_close(st);
    return rc;
}
