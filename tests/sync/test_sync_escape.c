/* Text a kiosk sends (its version and last error, verbatim from its heartbeat) never
 * reaches the operator's terminal raw: `admin device-list` shows escape sequences,
 * C1 controls and bidi overrides escaped, so a kiosk cannot rewrite or fake rows. */
#include "synctest.h"
#include "testutil.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static size_t sink(char *p, size_t size, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return size * n;
}

static long heartbeat(const st_server *s, const char *tok, const char *body)
{
    CURL *h = curl_easy_init();
    assert_non_null(h);
    char url[128], auth[128];
    snprintf(url, sizeof url, "%s/v1/heartbeat", s->url);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok);
    struct curl_slist *hdr = curl_slist_append(NULL, auth);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
    long status = 0;
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    return status;
}

/* Nothing a terminal acts on: ESC, BEL, CSI as a C1 control, RLO. */
static void assert_inert(const char *out)
{
    assert_null(strchr(out, 0x1b));
    assert_null(strchr(out, 0x07));
    assert_null(strstr(out, "\xc2\x9b"));
    assert_null(strstr(out, "\xe2\x80\xae"));
}

static void test_device_list_escapes(void **state)
{
    (void)state;
    const char *db = tu_tmp("escape.db");
    char tok[65];
    st_device_add(db, "hall-1", tok);
    st_server s;
    st_server_start(&s, db, NULL);
    /* The version clears its line and moves up to overwrite the header; the error
     * sets the window title, opens a C1 CSI, reverses the text direction and writes
     * a backslash sequence that must not read like one of the escapes. */
    assert_int_equal(heartbeat(&s, tok, "{\"version\":\"1.0\\u001b[2K\\u001b[1Afake\","
                                        "\"catalog_rev\":1,\"outbox_depth\":0,"
                                        "\"last_error\":\"\\u001b]0;pwned\\u0007 "
                                        "\\u009b31m red \\u202eevil \\\\x1B\"}"),
                     204);
    st_server_stop(&s, SIGTERM);

    char out[8192];
    const char *text[] = { "device-list", NULL };
    assert_int_equal(st_admin(db, out, sizeof out, text), 0);
    assert_inert(out);
    assert_non_null(strstr(out, "1.0\\x1B[2K\\x1B[1Afake"));
    assert_non_null(strstr(out, "\\x1B]0;pwned\\x07 \\u009B31m red \\u202Eevil \\\\x1B"));

    const char *json[] = { "device-list", "--json", NULL };
    assert_int_equal(st_admin(db, out, sizeof out, json), 0);
    assert_inert(out);
    assert_non_null(strstr(out, "\\u001B[2K"));
    assert_non_null(strstr(out, "\\u009B31m"));
}

int main(void)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_device_list_escapes),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return r;
}
