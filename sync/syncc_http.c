/* syncc_http.c - the sync client's HTTP with libcurl (one connection per sync, bounded
 * replies, the server's certificate checked) and the small helpers every part of a
 * sync shares. */
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

kc_err syncc_http_open_(syncc *c, http *h, char *msg)
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

void syncc_http_close_(http *h)
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
