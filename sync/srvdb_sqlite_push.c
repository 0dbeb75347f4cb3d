/* srvdb_sqlite_push.c - the SQLite backend's look-up of a pushed UUID that is held
 * already, so an identical resend is acknowledged and other content under the same
 * UUID is refused (the first content stays). */
#include "srvdb_impl.h"
#include "store_sql.h"

#include <stdio.h>
#include <string.h>

kc_err srvdb_sqlite_held_(store *st, char *msg, const proto_response *r, srvdb_row *w)
{
    /* A UUID lives in one of the tables (a ballot in the mixing pool or after it); the
     * kind says which it was pushed as. */
    static const char sql[] =
        "SELECT kind, payload, NULL, NULL FROM response WHERE uuid = ?1 "
        "UNION ALL SELECT 'ballot', payload, NULL, NULL FROM ballot_in WHERE uuid = ?1 "
        "UNION ALL SELECT 'ballot', payload, NULL, NULL FROM ballot_pool WHERE uuid = ?1 "
        "UNION ALL SELECT 'ballot-code', NULL, ballot, hash FROM code_use WHERE uuid = ?1";
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK) {
        kc_err rc = store_fail_db(st, "preparing statement");
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(st));
        return rc;
    }
    sqlite3_bind_text(s, 1, r->uuid, -1, SQLITE_STATIC);
    int step = sqlite3_step(s);
    kc_err rc = KC_OK;
    if (step == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(s, 0);
        const char *payload = (const char *)sqlite3_column_text(s, 1);
        const char *ballot = (const char *)sqlite3_column_text(s, 2);
        const char *hash = (const char *)sqlite3_column_text(s, 3);
        int same = kind && strcmp(kind, r->kind) == 0;
        if (same && ballot)  /* a code use keeps its ballot and hash, not the payload */
            same = hash && strcmp(ballot, w->ballot) == 0 && strcmp(hash, w->hash) == 0;
        else if (same)
            same = payload && strcmp(payload, r->payload) == 0;
        w->status = same ? SRVDB_ROW_HELD : 409;
        if (!same)
            snprintf(w->reason, sizeof w->reason,
                     "this UUID is held already with other content");
    } else if (step != SQLITE_DONE) {
        rc = store_fail_db(st, "looking up a pushed UUID");
        snprintf(msg, KC_MSGMAX, "%s", store_errmsg(st));
    }
    sqlite3_finalize(s);
    return rc;
}
