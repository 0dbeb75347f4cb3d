/* survey_store.c - survey definitions in the store, by (id, version), and which of
 * them a kiosk shows now. */
#include "survey_impl.h"
#include "store_sql.h"

#include <stdio.h>
#include <string.h>

/* Tables are WITHOUT ROWID and keyed by ids or random UUIDs, so nothing records the
 * order in which residents answered. */
static const char *const migrations[] = {
    "CREATE TABLE survey_def(id TEXT NOT NULL, version INTEGER NOT NULL,"
    " mode TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY(id, version)) WITHOUT ROWID;"
    "CREATE TABLE survey_response(uuid TEXT PRIMARY KEY, survey TEXT NOT NULL,"
    " version INTEGER NOT NULL, hour TEXT NOT NULL, answers TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX survey_response_survey ON survey_response(survey, version);",
};

kc_err survey_init(store *st)
{
    kc_err rc = outbox_init(st);
    if (rc)
        return rc;
    return store_migrate_module(st, "survey", migrations,
                                (int)(sizeof migrations / sizeof migrations[0]));
}

static const char *mode_name(survey_mode m)
{
    return m == SURVEY_MODE_WORKSHOP ? "workshop" : "survey";
}

/* Newest stored version of id and its body (kc_free it); version 0 when none. */
static kc_err newest(store *st, const char *id, int want, int *version, char **body,
                     char **mode)
{
    sqlite3_stmt *s = NULL;
    *version = 0;
    *body = NULL;
    if (mode)
        *mode = NULL;
    const char *sql = want ? "SELECT version, body, mode FROM survey_def WHERE id = ?1 AND "
                             "version = ?2"
                           : "SELECT version, body, mode FROM survey_def WHERE id = ?1 "
                             "ORDER BY version DESC LIMIT 1";
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
        return store_fail_db(st, "survey: preparing select");
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    if (want)
        sqlite3_bind_int(s, 2, want);
    kc_err rc = KC_OK;
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        *version = sqlite3_column_int(s, 0);
        *body = kc_strdup((const char *)sqlite3_column_text(s, 1));
        if (mode)
            *mode = kc_strdup((const char *)sqlite3_column_text(s, 2));
        if (!*body || (mode && !*mode)) {
            kc_free(*body);
            *body = NULL;
            if (mode) {
                kc_free(*mode);
                *mode = NULL;
            }
            rc = store_fail(st, KC_ENOMEM, "survey: out of memory");
        }
    } else if (r != SQLITE_DONE) {
        rc = store_fail_db(st, "survey: reading definitions");
    }
    sqlite3_finalize(s);
    return rc;
}

kc_err survey_store_put(store *st, survey *sv, survey_put_result *res, char *msg)
{
    int latest = 0, given = survey_version(sv), at = 0;
    char *latest_body = NULL, *at_body = NULL, *latest_mode = NULL;
    sqlite3_stmt *s = NULL;
    kc_err rc;
    if ((rc = store_begin(st)))
        return kc_fail(msg, rc, "%s", store_errmsg(st));
    if ((rc = newest(st, sv->id, 0, &latest, &latest_body, &latest_mode)))
        goto dbfail;
    if (latest && strcmp(latest_mode, mode_name(sv->mode)) != 0) {
        rc = kc_fail(msg, KC_EINVAL, "survey \"%s\": already stored as a %s; a new version "
                     "cannot be a %s", sv->id, latest_mode, mode_name(sv->mode));
        goto fail;
    }
    if (given) {
        if ((rc = newest(st, sv->id, given, &at, &at_body, NULL)))
            goto dbfail;
        if (at && strcmp(at_body, sv->body) != 0) {
            rc = kc_fail(msg, KC_EINVAL, "survey \"%s\" field \"version\": version %d is "
                         "already stored with other content; give a new version", sv->id,
                         given);
            goto fail;
        }
    } else if (latest && strcmp(latest_body, sv->body) == 0) {
        at = given = latest;
    } else {
        if (latest == 2147483647) {
            rc = kc_fail(msg, KC_ETOOBIG, "survey \"%s\": no versions left", sv->id);
            goto fail;
        }
        given = latest + 1;
    }
    if (at) {
        store_rollback(st);
        survey_set_version_(sv, given);
        *res = SURVEY_PUT_UNCHANGED;
        goto done;
    }
    if (sqlite3_prepare_v2(store_db(st), "INSERT INTO survey_def(id, version, mode, body) "
                           "VALUES(?, ?, ?, ?)", -1, &s, NULL) != SQLITE_OK) {
        rc = store_fail_db(st, "survey: preparing insert");
        goto dbfail;
    }
    sqlite3_bind_text(s, 1, sv->id, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, given);
    sqlite3_bind_text(s, 3, mode_name(sv->mode), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, sv->body, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE) {
        rc = store_fail_db(st, "survey: storing definition");
        goto dbfail;
    }
    sqlite3_finalize(s);
    s = NULL;
    if ((rc = store_commit(st)))
        goto dbfail;
    survey_set_version_(sv, given);
    *res = latest ? SURVEY_PUT_VERSION : SURVEY_PUT_ADDED;
done:
    kc_free(latest_body);
    kc_free(latest_mode);
    kc_free(at_body);
    return KC_OK;
dbfail:
    kc_fail(msg, rc, "%s", store_errmsg(st));
fail:
    sqlite3_finalize(s);
    store_rollback(st);
    kc_free(latest_body);
    kc_free(latest_mode);
    kc_free(at_body);
    return rc;
}

kc_err survey_store_get(store *st, const char *id, int version, survey **out, char *msg)
{
    int v;
    char *body;
    *out = NULL;
    kc_err rc = newest(st, id, version, &v, &body, NULL);
    if (rc)
        return kc_fail(msg, rc, "%s", store_errmsg(st));
    if (!v) {
        if (version)
            return kc_fail(msg, KC_ENOTFOUND, "survey \"%.64s\" version %d is not stored", id,
                           version);
        return kc_fail(msg, KC_ENOTFOUND, "survey \"%.64s\" is not stored", id);
    }
    char name[128];
    snprintf(name, sizeof name, "stored survey %.64s version %d", id, v);
    rc = survey_parse(body, strlen(body), name, out, msg);
    kc_free(body);
    if (!rc)
        survey_set_version_(*out, v);
    return rc;
}

void survey_info_free(survey_info *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        for (int l = 0; l < CAT_NLANG; l++)
            kc_free(v[i].title[l]);
    kc_free(v);
}

static kc_err count_responses(store *st, const char *id, long *n)
{
    sqlite3_stmt *s = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(store_db(st), "SELECT count(*) FROM survey_response WHERE survey = ?",
                           -1, &s, NULL) != SQLITE_OK)
        return store_fail_db(st, "survey: preparing count");
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    kc_err rc = KC_OK;
    if (sqlite3_step(s) == SQLITE_ROW)
        *n = (long)sqlite3_column_int64(s, 0);
    else
        rc = store_fail_db(st, "survey: counting responses");
    sqlite3_finalize(s);
    return rc;
}

kc_err survey_list(store *st, int flags, const char *kiosk_id, time_t now, survey_info **out,
                   size_t *n, char *msg)
{
    char *meta_kiosk = NULL, local[32];
    survey_info *v = NULL;
    size_t len = 0, cap = 0;
    sqlite3_stmt *s = NULL;
    survey *sv = NULL;
    kc_err rc = KC_OK;
    *out = NULL;
    *n = 0;
    struct tm tm;
    if (!localtime_r(&now, &tm) || !strftime(local, sizeof local, "%Y-%m-%dT%H:%M", &tm))
        return kc_fail(msg, KC_EUSAGE, "survey: cannot convert the time");
    if (!kiosk_id) {
        if ((rc = store_meta_get(st, "kiosk.id", &meta_kiosk)))
            return kc_fail(msg, rc, "%s", store_errmsg(st));
        kiosk_id = meta_kiosk;
    }
    if (sqlite3_prepare_v2(store_db(st), "SELECT id, max(version), count(*) FROM survey_def "
                           "GROUP BY id ORDER BY id", -1, &s, NULL) != SQLITE_OK) {
        rc = store_fail_db(st, "survey: preparing list");
        goto dbfail;
    }
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(s, 0);
        if ((rc = survey_store_get(st, id, sqlite3_column_int(s, 1), &sv, msg)))
            goto fail;
        int active = sv->mode == SURVEY_MODE_SURVEY && survey_for_kiosk(sv, kiosk_id) &&
                     survey_in_schedule(sv, local);
        if ((flags & SURVEY_LIST_ACTIVE) && !active) {
            survey_free(sv);
            sv = NULL;
            continue;
        }
        if (len == cap) {
            size_t nc = cap ? cap * 2 : 8;
            survey_info *nv = kc_realloc(v, nc * sizeof *nv);
            if (!nv)
                goto nomem;
            v = nv;
            cap = nc;
        }
        survey_info *e = &v[len];
        memset(e, 0, sizeof *e);
        len++;
        snprintf(e->id, sizeof e->id, "%s", sv->id);
        e->version = sv->version;
        e->nversions = sqlite3_column_int(s, 2);
        e->mode = sv->mode;
        e->active = active;
        for (int l = 0; l < CAT_NLANG; l++)
            if (sv->title[l] && !(e->title[l] = kc_strdup(sv->title[l])))
                goto nomem;
        if ((rc = count_responses(st, e->id, &e->responses)))
            goto dbfail;
        survey_free(sv);
        sv = NULL;
    }
    if (r != SQLITE_DONE) {
        rc = store_fail_db(st, "survey: listing");
        goto dbfail;
    }
    sqlite3_finalize(s);
    kc_free(meta_kiosk);
    *out = v;
    *n = len;
    return KC_OK;
nomem:
    rc = kc_fail(msg, KC_ENOMEM, "survey: out of memory");
    goto fail;
dbfail:
    kc_fail(msg, rc, "%s", store_errmsg(st));
fail:
    sqlite3_finalize(s);
    survey_free(sv);
    survey_info_free(v, len);
    kc_free(meta_kiosk);
    return rc;
}
