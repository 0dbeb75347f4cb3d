/* source_fetch.c - one GET of a source page with libcurl: bounded in time and size,
 * conditional on the validators of the last run, tried again with backoff after a
 * server error. */
#include "source_impl.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

typedef struct sink {
    char *buf;
    size_t len, cap;
    size_t max;
    int too_big;
    src_response *r;
} sink;

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    sink *s = ud;
    size_t add = size * n;
    if (add > s->max - s->len) {
        s->too_big = 1;
        return 0;  /* curl stops with CURLE_WRITE_ERROR */
    }
    if (s->len + add + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 65536;
        while (cap < s->len + add + 1)
            cap *= 2;
        char *nb = kc_realloc(s->buf, cap);
        if (!nb)
            return 0;
        s->buf = nb;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, p, add);
    s->len += add;
    s->buf[s->len] = '\0';
    return add;
}

/* Keeps the ETag and Last-Modified of the final answer. */
static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    sink *s = ud;
    size_t len = size * n;
    char *dst = NULL;
    size_t skip = 0;
    if (len > 5 && strncasecmp(p, "ETag:", 5) == 0)
        dst = s->r->etag, skip = 5;
    else if (len > 14 && strncasecmp(p, "Last-Modified:", 14) == 0)
        dst = s->r->last_modified, skip = 14;
    else if (len > 5 && strncmp(p, "HTTP/", 5) == 0)
        s->r->etag[0] = s->r->last_modified[0] = '\0';  /* a new answer after a redirect */
    if (dst) {
        while (skip < len && (p[skip] == ' ' || p[skip] == '\t'))
            skip++;
        while (len > skip && (p[len - 1] == '\r' || p[len - 1] == '\n' || p[len - 1] == ' '))
            len--;
        /* A validator too long to keep is not used at all rather than cut. */
        if (len - skip < SRC_VALIDATOR_MAX) {
            memcpy(dst, p + skip, len - skip);
            dst[len - skip] = '\0';
        }
    }
    return size * n;
}

static void pause_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* curl calls this about once a second while a transfer runs: a stopped run ends it. */
static int on_xfer(void *ud, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    const source_opts *o = ud;
    (void)dt, (void)dn, (void)ut, (void)un;
    return o->stop && o->stop(o->cb_ctx);
}

static kc_err get_once(CURL *h, const char *url, const char *etag, const char *lm,
                       const source_opts *o, long long until, src_response *out, char *msg,
                       int *retry)
{
    struct curl_slist *hdr = NULL;
    sink s = { NULL, 0, 0, SOURCE_MAX_PAGE_BYTES, 0, out };
    char line[SRC_VALIDATOR_MAX + 32];
    kc_err rc = KC_OK;
    *retry = 0;
    curl_easy_reset(h);  /* options go; the connection cache stays */
    hdr = curl_slist_append(hdr, "Accept: application/json");
    if (hdr && etag && *etag) {
        snprintf(line, sizeof line, "If-None-Match: %s", etag);
        hdr = curl_slist_append(hdr, line);
    }
    if (hdr && lm && *lm) {
        snprintf(line, sizeof line, "If-Modified-Since: %s", lm);
        hdr = curl_slist_append(hdr, line);
    }
    if (!hdr)
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    long timeout = o->timeout_s > 0 ? o->timeout_s : 30;
    if (until) {
        long long left = until - (long long)time(NULL);
        if (left <= 0) {
            curl_slist_free_all(hdr);
            return kc_fail(msg, KC_EIO, "%s: the run's deadline of %ld s has passed", url,
                           o->deadline_s);
        }
        if (left < timeout)
            timeout = (long)left;
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout < 10 ? timeout : 10L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_USERAGENT, "kiosk-server source import");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &s);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)SOURCE_MAX_PAGE_BYTES);
    if (o->stop) {
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_xfer);
        curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)o);
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    }
    CURLcode cc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
    if (s.too_big || cc == CURLE_FILESIZE_EXCEEDED) {
        rc = kc_fail(msg, KC_ETOOBIG, "%s: answer larger than %ld bytes", url,
                     SOURCE_MAX_PAGE_BYTES);
    } else if (cc == CURLE_OPERATION_TIMEDOUT) {
        rc = kc_fail(msg, KC_EIO, "%s: no complete answer within %ld s", url, timeout);
    } else if (cc == CURLE_ABORTED_BY_CALLBACK) {
        rc = kc_fail(msg, KC_EIO, "%s: stopped", url);
    } else if (cc == CURLE_WRITE_ERROR) {
        rc = kc_fail(msg, KC_ENOMEM, "%s: out of memory", url);
    } else if (cc != CURLE_OK) {
        rc = kc_fail(msg, KC_EIO, "%s: %s", url, curl_easy_strerror(cc));
        *retry = 1;
    } else if (out->status == 304) {
        if (!(etag && *etag) && !(lm && *lm))
            rc = kc_fail(msg, KC_EIO, "%s: 304 Not Modified to an unconditional request", url);
    } else if (out->status != 200) {
        rc = kc_fail(msg, KC_EIO, "%s: HTTP status %ld", url, out->status);
        *retry = out->status >= 500;
    } else {
        if (!s.buf && !(s.buf = kc_calloc(1, 1)))
            rc = kc_fail(msg, KC_ENOMEM, "out of memory");
        out->body = s.buf;
        out->len = s.len;
        s.buf = NULL;
    }
    kc_free(s.buf);
    curl_slist_free_all(hdr);
    return rc;
}

kc_err src_fetch(CURL *h, const char *url, const char *etag, const char *lm,
                 const source_opts *o, long long until, src_response *out, char *msg)
{
    long wait = o->backoff_ms > 0 ? o->backoff_ms : 1000;
    kc_err rc;
    for (int attempt = 0;; attempt++) {
        int retry;
        memset(out, 0, sizeof *out);
        rc = get_once(h, url, etag, lm, o, until, out, msg, &retry);
        if (!rc || !retry || attempt >= o->retries || (o->stop && o->stop(o->cb_ctx)) ||
            (until && (long long)time(NULL) + wait / 1000 >= until))
            break;
        src_response_free(out);
        pause_ms(wait);
        wait *= 2;
    }
    if (rc)
        src_response_free(out);
    return rc;
}

void src_response_free(src_response *r)
{
    kc_free(r->body);
    memset(r, 0, sizeof *r);
}
