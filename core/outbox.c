#include "outbox.h"
#include "store_sql.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char *const migrations[] = {
    "CREATE TABLE outbox(uuid TEXT PRIMARY KEY, kind TEXT NOT NULL, payload TEXT NOT NULL,"
    " sent INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
    "CREATE INDEX outbox_unsent ON outbox(sent, uuid);",
    /* sent: 0 waiting, 1 sent, 2 set aside (refused by the server; see outbox.h),
     * 3 held (stored, not yet to be sent; outbox_hold). */
    "ALTER TABLE outbox ADD COLUMN reason TEXT;",
};

#define ASIDE 2
#define LAST_REASON_KEY "outbox.set_aside_reason"

kc_err outbox_anon_shuffle(store *st, const char *uuid)
{
    kc_err rc = store_anon_shuffle(st, "outbox", NULL, NULL, "uuid", uuid);
    return rc ? rc : store_anon_shuffle(st, "outbox", "sent", "0", "uuid", uuid);
}

kc_err outbox_init(store *st)
{
    return store_migrate_module(st, "outbox", migrations,
                                (int)(sizeof migrations / sizeof migrations[0]));
}

kc_err outbox_new_uuid(char out[OUTBOX_UUID_LEN + 1])
{
    unsigned char b[16];
    if (sodium_init() < 0)
        return KC_ECRYPTO;
    randombytes_buf(b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);  /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);  /* RFC 4122 variant */
    snprintf(out, OUTBOX_UUID_LEN + 1,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
    return KC_OK;
}

int outbox_valid_uuid(const char *s)
{
    if (strlen(s) != OUTBOX_UUID_LEN)
        return 0;
    for (int i = 0; i < OUTBOX_UUID_LEN; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    }
    return 1;
}

static int valid_kind(const char *k)
{
    size_t n = strlen(k);
    if (n == 0 || n > OUTBOX_KIND_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((k[i] >= 'a' && k[i] <= 'z') || k[i] == '-'))
            return 0;
    return 1;
}

kc_err outbox_add(store *st, const char *kind, const char *payload,
                  char uuid[OUTBOX_UUID_LEN + 1])
{
    if (!store_in_tx(st))
        return store_fail(st, KC_EUSAGE, "outbox: add outside a transaction");
    if (!valid_kind(kind))
        return store_fail(st, KC_EUSAGE, "outbox: bad kind \"%.40s\"", kind);
    if (strlen(payload) > OUTBOX_PAYLOAD_MAX)
        return store_fail(st, KC_ETOOBIG, "outbox: payload over %d bytes", OUTBOX_PAYLOAD_MAX);
    if (outbox_new_uuid(uuid))
        return store_fail(st, KC_ECRYPTO, "outbox: no random numbers");
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st), "INSERT INTO outbox(uuid, kind, payload) "
                                         "VALUES(?, ?, ?)", -1, &s, NULL) != SQLITE_OK)
        return store_fail_db(st, "outbox: preparing insert");
    sqlite3_bind_text(s, 1, uuid, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, payload, -1, SQLITE_STATIC);
    kc_err rc = sqlite3_step(s) == SQLITE_DONE ? KC_OK : store_fail_db(st, "outbox: insert");
    sqlite3_finalize(s);
    return rc;
}

void outbox_rows_free(outbox_row *rows, size_t n)
{
    for (size_t i = 0; rows && i < n; i++)
        kc_free(rows[i].payload);
    kc_free(rows);
}

kc_err outbox_pending(store *st, size_t max, outbox_row **rows, size_t *n)
{
    return outbox_pending_from(st, NULL, max, rows, n);
}

kc_err outbox_pending_from(store *st, const char *start, size_t max, outbox_row **rows,
                           size_t *n)
{
    *rows = NULL;
    *n = 0;
    if (max == 0)
        return KC_OK;
    sqlite3_stmt *s = NULL;
    /* Two index range scans: from start up, then the wrap-around below it. */
    if (sqlite3_prepare_v2(store_db(st),
                           "SELECT * FROM (SELECT uuid, kind, payload FROM outbox "
                           "WHERE sent = 0 AND uuid >= ?2 ORDER BY uuid LIMIT ?1) "
                           "UNION ALL SELECT * FROM (SELECT uuid, kind, payload FROM outbox "
                           "WHERE sent = 0 AND uuid < ?2 ORDER BY uuid LIMIT ?1) LIMIT ?1",
                           -1, &s, NULL) != SQLITE_OK)
        return store_fail_db(st, "outbox: preparing select");
    sqlite3_bind_int64(s, 1, (sqlite3_int64)max);
    sqlite3_bind_text(s, 2, start ? start : "", -1, SQLITE_STATIC);
    outbox_row *v = NULL;
    size_t len = 0, cap = 0;
    kc_err rc = KC_OK;
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        if (len == cap) {
            size_t nc = cap ? cap * 2 : 64;
            if (nc > max)
                nc = max;
            outbox_row *nv = kc_realloc(v, nc * sizeof *nv);
            if (!nv)
                goto nomem;
            v = nv;
            cap = nc;
        }
        outbox_row *w = &v[len];
        snprintf(w->uuid, sizeof w->uuid, "%s", (const char *)sqlite3_column_text(s, 0));
        snprintf(w->kind, sizeof w->kind, "%s", (const char *)sqlite3_column_text(s, 1));
        if (!(w->payload = kc_strdup((const char *)sqlite3_column_text(s, 2))))
            goto nomem;
        len++;
    }
    if (r != SQLITE_DONE)
        rc = store_fail_db(st, "outbox: reading");
    sqlite3_finalize(s);
    if (rc) {
        outbox_rows_free(v, len);
        return rc;
    }
    *rows = v;
    *n = len;
    return KC_OK;
nomem:
    sqlite3_finalize(s);
    outbox_rows_free(v, len);
    return store_fail(st, KC_ENOMEM, "outbox: out of memory");
}

kc_err outbox_mark_sent(store *st, const char *const *uuids, size_t n)
{
    if (n == 0)
        return KC_OK;
    kc_err rc = store_begin(st);
    if (rc)
        return rc;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st), "UPDATE outbox SET sent = 1 WHERE uuid = ? AND sent = 0",
                           -1, &s, NULL) != SQLITE_OK) {
        rc = store_fail_db(st, "outbox: preparing update");
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, uuids[i], -1, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_DONE) {
            rc = store_fail_db(st, "outbox: marking sent");
            goto fail;
        }
    }
    sqlite3_finalize(s);
    return store_commit(st);
fail:
    sqlite3_finalize(s);
    store_rollback(st);
    return rc;
}

/* One UPDATE with an optional text and uuid; *changes gets the rows changed. */
static kc_err update(store *st, const char *sql, const char *text, const char *uuid,
                     long *changes, const char *what)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
        return store_fail_db(st, what);
    int i = 1;
    if (text)
        sqlite3_bind_text(s, i++, text, -1, SQLITE_STATIC);
    if (uuid)
        sqlite3_bind_text(s, i, uuid, -1, SQLITE_STATIC);
    kc_err rc = KC_OK;
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = store_fail_db(st, what);
    else if (changes)
        *changes = (long)sqlite3_changes(store_db(st));
    sqlite3_finalize(s);
    return rc;
}

kc_err outbox_hold(store *st, const char *uuid)
{
    long n = 0;
    kc_err rc = update(st, "UPDATE outbox SET sent = 3 WHERE sent = 0 AND uuid = ?", NULL, uuid,
                       &n, "outbox: holding");
    return rc ? rc : n == 1 ? KC_OK : KC_ENOTFOUND;
}

kc_err outbox_set_payload(store *st, const char *uuid, const char *payload)
{
    long n = 0;
    if (strlen(payload) > OUTBOX_PAYLOAD_MAX)
        return KC_ETOOBIG;
    kc_err rc = update(st, "UPDATE outbox SET payload = ? WHERE sent = 3 AND uuid = ?", payload,
                       uuid, &n, "outbox: rewriting");
    return rc ? rc : n == 1 ? KC_OK : KC_ENOTFOUND;
}

kc_err outbox_release(store *st, const char *uuid)
{
    return update(st, "UPDATE outbox SET sent = 0 WHERE sent = 3 AND uuid = ?", NULL, uuid, NULL,
                  "outbox: releasing");
}

kc_err outbox_release_all(store *st, long *n)
{
    return update(st, "UPDATE outbox SET sent = 0 WHERE sent = 3", NULL, NULL, n,
                  "outbox: releasing");
}

kc_err outbox_depth(store *st, long *pending)
{
    sqlite3_stmt *s = NULL;
    *pending = 0;
    if (sqlite3_prepare_v2(store_db(st), "SELECT count(*) FROM outbox WHERE sent = 0", -1, &s,
                           NULL) != SQLITE_OK)
        return store_fail_db(st, "outbox: counting");
    kc_err rc = KC_OK;
    if (sqlite3_step(s) == SQLITE_ROW)
        *pending = (long)sqlite3_column_int64(s, 0);
    else
        rc = store_fail_db(st, "outbox: counting");
    sqlite3_finalize(s);
    return rc;
}

/* Copies at most cap-1 bytes of src, cut at a UTF-8 character boundary. */
static void cut_utf8(char *dst, size_t cap, const char *src)
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

kc_err outbox_set_aside(store *st, const char *const *uuids, const char *const *reasons,
                        size_t n)
{
    if (n == 0)
        return KC_OK;
    kc_err rc = store_begin(st);
    if (rc)
        return rc;
    sqlite3_stmt *s = NULL;
    char why[OUTBOX_REASON_MAX + 1] = "";
    if (sqlite3_prepare_v2(store_db(st), "UPDATE outbox SET sent = 2, reason = ?2 "
                                         "WHERE uuid = ?1 AND sent = 0",
                           -1, &s, NULL) != SQLITE_OK) {
        rc = store_fail_db(st, "outbox: preparing update");
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        cut_utf8(why, sizeof why, reasons[i]);
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, uuids[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, why, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(s) != SQLITE_DONE) {
            rc = store_fail_db(st, "outbox: setting aside");
            goto fail;
        }
    }
    sqlite3_finalize(s);
    s = NULL;
    if ((rc = store_meta_set(st, LAST_REASON_KEY, why)))
        goto fail;
    return store_commit(st);
fail:
    sqlite3_finalize(s);
    store_rollback(st);
    return rc;
}

kc_err outbox_set_aside_info(store *st, long *count, char **reason)
{
    sqlite3_stmt *s = NULL;
    *count = 0;
    *reason = NULL;
    if (sqlite3_prepare_v2(store_db(st), "SELECT count(*) FROM outbox WHERE sent = 2", -1, &s,
                           NULL) != SQLITE_OK)
        return store_fail_db(st, "outbox: counting");
    kc_err rc = KC_OK;
    if (sqlite3_step(s) == SQLITE_ROW)
        *count = (long)sqlite3_column_int64(s, 0);
    else
        rc = store_fail_db(st, "outbox: counting");
    sqlite3_finalize(s);
    if (!rc && !(rc = store_meta_get(st, LAST_REASON_KEY, reason)) && !*reason &&
        !(*reason = kc_strdup("")))
        rc = store_fail(st, KC_ENOMEM, "outbox: out of memory");
    if (!rc && *count == 0)
        (*reason)[0] = '\0';
    return rc;
}

kc_err outbox_requeue(store *st, long *n)
{
    sqlite3_stmt *s = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(store_db(st), "UPDATE outbox SET sent = 0, reason = NULL "
                                         "WHERE sent = 2", -1, &s, NULL) != SQLITE_OK)
        return store_fail_db(st, "outbox: preparing update");
    kc_err rc = KC_OK;
    if (sqlite3_step(s) == SQLITE_DONE)
        *n = (long)sqlite3_changes(store_db(st));
    else
        rc = store_fail_db(st, "outbox: requeueing");
    sqlite3_finalize(s);
    return rc;
}
