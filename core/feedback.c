/* feedback.c - quick feedback: checks, payload, one-transaction submit, listing. */
#include "feedback.h"
#include "safetext.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *const migrations[] = {
    "CREATE TABLE feedback(uuid TEXT PRIMARY KEY, hour TEXT NOT NULL,"
    " score INTEGER NOT NULL CHECK(score BETWEEN 1 AND 5), context TEXT NOT NULL,"
    " comment TEXT, contact_name TEXT, contact_email TEXT, contact_phone TEXT) WITHOUT ROWID;",
};

kc_err feedback_init(store *st)
{
    kc_err rc = outbox_init(st);
    if (rc)
        return rc;
    return store_migrate_module(st, "feedback", migrations,
                                (int)(sizeof migrations / sizeof migrations[0]));
}

static int given(const char *s)
{
    if (!s)
        return 0;
    for (; *s; s++)
        if (*s != ' ' && *s != '\n')
            return 1;
    return 0;
}

static int valid_context(const char *s)
{
    size_t n = strnlen(s, FEEDBACK_CONTEXT_MAX + 1);
    if (n == 0 || n > FEEDBACK_CONTEXT_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
              s[i] == '_' || s[i] == '-'))
            return 0;
    return 1;
}

static int valid_email(const char *s)
{
    size_t n = strnlen(s, FEEDBACK_EMAIL_MAX + 1);
    if (n < 3 || n > FEEDBACK_EMAIL_MAX)
        return 0;
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@'))
        return 0;
    const char *dot = strchr(at + 1, '.');
    if (!dot || dot == at + 1 || dot[1] == '\0' || s[n - 1] == '.')
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p >= 0x7F || strchr(",;<>\"()[]\\", *p))
            return 0;
    return 1;
}

static int valid_phone(const char *s)
{
    size_t n = strnlen(s, FEEDBACK_PHONE_MAX + 1), digits = 0;
    if (n > FEEDBACK_PHONE_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if (!strchr(" +-()", s[i]) || (s[i] == '+' && i != 0))
            return 0;
    }
    return digits >= 5;
}

static kc_err bad(feedback_problem *p, char *msg, feedback_field f, survey_problem_kind k,
                  const char *name)
{
    p->field = f;
    p->kind = k;
    return kc_fail(msg, KC_EINVAL, "feedback: %s: %s", name, survey_problem_name(k));
}

kc_err feedback_check(const feedback_entry *e, feedback_problem *p, char *msg)
{
    feedback_problem dummy;
    char mbuf[KC_MSGMAX];
    if (!p)
        p = &dummy;
    if (!msg)
        msg = mbuf;
    p->field = FEEDBACK_F_NONE;
    p->kind = SURVEY_P_NONE;
    if (e->score < 1 || e->score > 5)
        return bad(p, msg, FEEDBACK_F_SCORE, SURVEY_P_RANGE, "score");
    if (e->context && !valid_context(e->context))
        return bad(p, msg, FEEDBACK_F_CONTEXT, SURVEY_P_BAD_TEXT, "context");
    survey_problem_kind k;
    if (given(e->comment) &&
        (k = survey_text_check(e->comment, FEEDBACK_COMMENT_CHARS, 1)) != SURVEY_P_NONE)
        return bad(p, msg, FEEDBACK_F_COMMENT, k, "comment");
    int any = given(e->name) || given(e->email) || given(e->phone);
    if (!e->consent) {
        if (any)
            return kc_fail(msg, KC_EUSAGE, "feedback: contact details without consent");
        return KC_OK;
    }
    if (!given(e->email) && !given(e->phone))
        return bad(p, msg, FEEDBACK_F_EMAIL, SURVEY_P_REQUIRED, "contact");
    if (given(e->name) &&
        (k = survey_text_check(e->name, FEEDBACK_NAME_CHARS, 0)) != SURVEY_P_NONE)
        return bad(p, msg, FEEDBACK_F_NAME, k, "name");
    if (given(e->email) && !valid_email(e->email))
        return bad(p, msg, FEEDBACK_F_EMAIL, SURVEY_P_BAD_TEXT, "e-mail");
    if (given(e->phone) && !valid_phone(e->phone))
        return bad(p, msg, FEEDBACK_F_PHONE, SURVEY_P_BAD_TEXT, "phone");
    return KC_OK;
}

static int set_str(json_t *o, const char *k, const char *v)
{
    return json_object_set_new(o, k, json_string(v));
}

kc_err feedback_payload(const feedback_entry *e, time_t now, char **json)
{
    char hour[16];
    *json = NULL;
    json_set_alloc_funcs(kc_malloc, kc_free);
    survey_hour(now, hour);
    json_t *o = json_object(), *c = NULL;
    if (!o || set_str(o, "type", "feedback") || set_str(o, "hour", hour) ||
        json_object_set_new(o, "score", json_integer(e->score)) ||
        set_str(o, "context", e->context ? e->context : "home") ||
        (given(e->comment) && set_str(o, "comment", e->comment)))
        goto fail;
    if (e->consent) {
        if (!(c = json_object()) || json_object_set_new(o, "contact", c))
            goto fail;
        if ((given(e->name) && set_str(c, "name", e->name)) ||
            (given(e->email) && set_str(c, "email", e->email)) ||
            (given(e->phone) && set_str(c, "phone", e->phone)))
            goto fail;
    }
    *json = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
fail:
    json_decref(o);
    return *json ? KC_OK : KC_ENOMEM;
}

static void bind_opt(sqlite3_stmt *s, int i, const char *v, int keep)
{
    if (keep && given(v))
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

kc_err feedback_submit(store *st, const feedback_entry *e, time_t now,
                       char uuid[OUTBOX_UUID_LEN + 1], feedback_problem *p, char *msg)
{
    char *payload = NULL, hour[16];
    sqlite3_stmt *s = NULL;
    uuid[0] = '\0';
    kc_err rc = feedback_check(e, p, msg);
    if (rc)
        return rc;
    /* Free text is stored and sent without bidi overrides or invisible characters
     * (safetext.h): the copy in `clean` is what goes everywhere. */
    feedback_entry clean = *e;
    char *comment = e->comment ? kc_strdup(e->comment) : NULL;
    char *name = e->name ? kc_strdup(e->name) : NULL;
    if ((e->comment && !comment) || (e->name && !name)) {
        kc_free(comment);
        kc_free(name);
        return kc_fail(msg, KC_ENOMEM, "feedback: out of memory");
    }
    if (comment)
        safetext_neutralise(comment);
    if (name)
        safetext_neutralise(name);
    clean.comment = comment;
    clean.name = name;
    e = &clean;
    if ((rc = feedback_payload(e, now, &payload))) {
        rc = kc_fail(msg, rc, "feedback: out of memory");
        goto out;
    }
    survey_hour(now, hour);
    if ((rc = store_begin(st)))
        goto dbfail;
    if ((rc = outbox_add(st, "feedback", payload, uuid)))
        goto rollback;
    if (sqlite3_prepare_v2(store_db(st), "INSERT INTO feedback(uuid, hour, score, context, "
                           "comment, contact_name, contact_email, contact_phone) "
                           "VALUES(?, ?, ?, ?, ?, ?, ?, ?)", -1, &s, NULL) != SQLITE_OK) {
        rc = store_fail_db(st, "feedback: preparing insert");
        goto rollback;
    }
    sqlite3_bind_text(s, 1, uuid, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, hour, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, e->score);
    sqlite3_bind_text(s, 4, e->context ? e->context : "home", -1, SQLITE_STATIC);
    bind_opt(s, 5, e->comment, 1);
    bind_opt(s, 6, e->name, e->consent);
    bind_opt(s, 7, e->email, e->consent);
    bind_opt(s, 8, e->phone, e->consent);
    if (sqlite3_step(s) != SQLITE_DONE) {
        rc = store_fail_db(st, "feedback: storing");
        goto rollback;
    }
    sqlite3_finalize(s);
    s = NULL;
    /* No byte of the files may keep the order of comments (docs/privacy.md). */
    if ((rc = store_anon_shuffle(st, "feedback", NULL, NULL, "uuid", uuid)) ||
        (rc = outbox_anon_shuffle(st, uuid)) || (rc = store_anon_commit(st, NULL)))
        goto rollback;
    goto out;
rollback:
    sqlite3_finalize(s);
    store_rollback(st);
dbfail:
    kc_fail(msg, rc, "%s", store_errmsg(st));
    uuid[0] = '\0';
out:
    kc_free(payload);
    kc_free(comment);
    kc_free(name);
    return rc;
}

static const char *col(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

kc_err feedback_each(store *st, feedback_fn fn, void *ctx, char *msg)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st), "SELECT uuid, hour, context, score, comment, "
                           "contact_name, contact_email, contact_phone FROM feedback "
                           "ORDER BY hour, uuid", -1, &s, NULL) != SQLITE_OK)
        return kc_fail(msg, store_fail_db(st, "feedback: preparing list"), "%s",
                       store_errmsg(st));
    kc_err rc = KC_OK;
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        feedback_row row = { col(s, 0), col(s, 1), col(s, 2), sqlite3_column_int(s, 3),
                             col(s, 4), col(s, 5), col(s, 6), col(s, 7) };
        if ((rc = fn(ctx, &row)))
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = kc_fail(msg, store_fail_db(st, "feedback: reading"), "%s", store_errmsg(st));
    sqlite3_finalize(s);
    return rc;
}

kc_err feedback_get_stats(store *st, feedback_stats *out, char *msg)
{
    sqlite3_stmt *s = NULL;
    memset(out, 0, sizeof *out);
    if (sqlite3_prepare_v2(store_db(st), "SELECT score, count(*), count(comment), "
                           "count(coalesce(contact_email, contact_phone)) FROM feedback "
                           "GROUP BY score", -1, &s, NULL) != SQLITE_OK)
        return kc_fail(msg, store_fail_db(st, "feedback: preparing stats"), "%s",
                       store_errmsg(st));
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        int sc = sqlite3_column_int(s, 0);
        long n = (long)sqlite3_column_int64(s, 1);
        if (sc >= 1 && sc <= 5)
            out->score[sc] = n;
        out->total += n;
        out->comments += (long)sqlite3_column_int64(s, 2);
        out->contacts += (long)sqlite3_column_int64(s, 3);
    }
    kc_err rc = KC_OK;
    if (r != SQLITE_DONE)
        rc = kc_fail(msg, store_fail_db(st, "feedback: stats"), "%s", store_errmsg(st));
    sqlite3_finalize(s);
    return rc;
}
