/* The HTTPS server speaks TLS 1.2 and 1.3 only: a client that offers at most TLS 1.1
 * (or 1.0) is refused in the handshake, while 1.2 and 1.3 clients are served. */
#include "synctest.h"
#include "testutil.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static st_server srv;
static const char *cert;

static size_t sink(char *p, size_t size, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return size * n;
}

/* GET /v1/health with the client's TLS versions pinned to [min, max]: the curl
 * result, and the status in *status when it is CURLE_OK. */
static CURLcode health(long min, long max, long *status)
{
    CURL *h = curl_easy_init();
    assert_non_null(h);
    char url[128];
    snprintf(url, sizeof url, "https://127.0.0.1:%d/v1/health", srv.port);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CAINFO, cert);
    curl_easy_setopt(h, CURLOPT_SSLVERSION, min | max);
    /* OpenSSL 3 refuses TLS below 1.2 at its default security level; level 0 makes
     * this client really offer 1.0/1.1, so only the server can refuse it. */
    curl_easy_setopt(h, CURLOPT_SSL_CIPHER_LIST, "DEFAULT:@SECLEVEL=0");
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
    CURLcode rc = curl_easy_perform(h);
    *status = 0;
    if (rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    curl_easy_cleanup(h);
    return rc;
}

static int setup(void **state)
{
    (void)state;
    const char *key = tu_tmp("key.pem");
    cert = tu_tmp("cert.pem");
    if (tu_sh("openssl req -x509 -newkey rsa:2048 -nodes -keyout '%s' -out '%s' -days 2 "
              "-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost "
              ">/dev/null 2>&1",
              key, cert) != 0)
        fail_msg("openssl could not make a test certificate");
    const char *extra[] = { "--cert", cert, "--key", key, NULL };
    st_server_start(&srv, tu_tmp("tls.db"), extra);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    st_server_stop(&srv, SIGTERM);
    return 0;
}

static void test_old_versions_refused(void **state)
{
    (void)state;
    long status;
    CURLcode rc = health(CURL_SSLVERSION_TLSv1_1, CURL_SSLVERSION_MAX_TLSv1_1, &status);
    if (rc == CURLE_OK)
        fail_msg("a TLS 1.1 client was served (status %ld)", status);
    assert_int_equal(rc, CURLE_SSL_CONNECT_ERROR);
    rc = health(CURL_SSLVERSION_TLSv1_0, CURL_SSLVERSION_MAX_TLSv1_0, &status);
    if (rc == CURLE_OK)
        fail_msg("a TLS 1.0 client was served (status %ld)", status);
    assert_int_equal(rc, CURLE_SSL_CONNECT_ERROR);
}

static void test_current_versions_served(void **state)
{
    (void)state;
    long status;
    assert_int_equal(health(CURL_SSLVERSION_TLSv1_2, CURL_SSLVERSION_MAX_TLSv1_2, &status),
                     CURLE_OK);
    assert_int_equal(status, 200);
    assert_int_equal(health(CURL_SSLVERSION_TLSv1_3, CURL_SSLVERSION_MAX_TLSv1_3, &status),
                     CURLE_OK);
    assert_int_equal(status, 200);
}

int main(void)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_old_versions_refused),
        cmocka_unit_test(test_current_versions_served),
    };
    int r = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return r;
}
