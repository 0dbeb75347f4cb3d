/* ballotutil.c - see ballotutil.h. */
#include "ballotutil.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *tu_ballot_json(const char *rule, const char *extra)
{
    char *buf = malloc(4096);
    assert_non_null(buf);
    snprintf(buf, 4096,
             "{\"format\":\"kiosk-ballot\",\"version\":1,\"id\":\"t\",%s"
             "\"title\":{\"fi\":\"Testi\"},\"eligibility\":{\"en\":\"Anyone\"},"
             "\"opens\":\"2026-01-01\",\"closes\":\"2026-12-31\",\"rule\":%s,\"projects\":["
             "{\"id\":\"a\",\"title\":{\"fi\":\"A\"},\"cost\":100},"
             "{\"id\":\"b\",\"title\":{\"fi\":\"B\",\"sv\":\"B sv\"},\"cost\":200},"
             "{\"id\":\"c\",\"title\":{\"fi\":\"C\"},\"cost\":300},"
             "{\"id\":\"d\",\"title\":{\"fi\":\"D\"},\"cost\":400},"
             "{\"id\":\"e\",\"title\":{\"fi\":\"E\"},\"cost\":500}]}",
             extra ? extra : "", rule);
    return buf;
}

ballot *tu_ballot_parse(const char *rule, const char *extra)
{
    char msg[KC_MSGMAX];
    char *j = tu_ballot_json(rule, extra);
    ballot *b = NULL;
    kc_err rc = ballot_parse(j, strlen(j), "t.json", &b, msg);
    if (rc)
        fail_msg("%s", msg);
    free(j);
    return b;
}

store *tu_ballot_db(const char *name)
{
    store *st;
    assert_int_equal(store_open(tu_tmp(name), &st), KC_OK);
    assert_int_equal(ballot_init(st), KC_OK);
    return st;
}
