/* A documents page (GET /v1/docs) as the kiosk's sync client reads it, with each body
 * through the survey and ballot readers the client hands them to. */
#include "fuzzutil.h"

#include <string.h>

#include "ballot.h"
#include "kc.h"
#include "proto.h"
#include "survey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[KC_MSGMAX] = "";
    proto_docs_page pg;
    if (proto_docs_read((const char *)data, size, 0, &pg, msg)) {
        if (!msg[0] || pg.n)
            fz_fail("proto_docs_read", "failed without a message or left documents");
        proto_docs_free(&pg);
        return 0;
    }
    for (size_t i = 0; i < pg.n; i++) {
        const proto_doc *d = &pg.v[i];
        if (d->rev <= 0 || d->rev > pg.rev)
            fz_fail("proto_docs_read", "a document revision out of range");
        if (!d->body)
            continue;
        survey *s = NULL;
        ballot *b = NULL;
        if (survey_parse(d->body, strlen(d->body), "doc", &s, msg) == KC_OK)
            survey_free(s);
        if (ballot_parse(d->body, strlen(d->body), "doc", &b, msg) == KC_OK)
            ballot_free(b);
    }
    proto_docs_free(&pg);
    return 0;
}
