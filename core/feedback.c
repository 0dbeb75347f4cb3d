/* feedback.c - quick feedback: checks, payload, one-transaction submit, listing. */
#include "feedback.h"
#include "store_sql.h"
#include "safetext.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *const migrations[] = {
    "CREATE TABLE feedback(uuid TEXT PRIMARY KEY, hour TEXT NOT NULL,"
    " score INTEGER NOT NULL CHECK(score BETWEEN 1 AND 5), context TEXT NOT NULL,"
    " comment TEXT, contact_name TEXT, contact_email TEXT, contact_phone TEXT) WITHOUT ROWID;",
    /* Further taps of the same person merged into this feedback (feedback_amend). */
    "ALTER TABLE feedback ADD COLUMN merged INTEGER NOT NULL DEFAULT 0;",
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

static kc_err payload_merged(const feedback_entry *e, const char *hour, long merged,
                             char **json);

kc_err feedback_payload(const feedback_entry *e, time_t now, char **json)
{
    char hour[16];
    survey_hour(now, hour);
    return payload_merged(e, hour, 0, json);
}

static kc_err payload_merged(const feedback_entry *e, const char *hour, long merged,
                             char **json)
{
    *json = NULL;
    json_set_alloc_funcs(kc_malloc, kc_free);
    json_t *o = json_object(), *c = NULL;
    if (!o || set_str(o, "type", "feedback") || set_str(o, "hour", hour) ||
        json_object_set_new(o, "score", json_integer(e->score)) ||
        set_str(o, "context", e->context ? e->context : "home") ||
        (given(e->comment) && set_str(o, "comment", e->comment)) ||
        (merged > 0 && json_object_set_new(o, "merged", json_integer(merged))))
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

/* A copy of e whose free text has no bidi overrides or invisible characters
 * (safetext.h): that copy is what is stored and sent.  Free with clean_free. */
typedef struct clean_entry {
    feedback_entry e;
    char *comment, *name;
} clean_entry;

static kc_err clean_make(clean_entry *c, const feedback_entry *e, char *msg)
{
    c->e = *e;
    c->comment = e->comment ? kc_strdup(e->comment) : NULL;
    c->name = e->name ? kc_strdup(e->name) : NULL;
    if ((e->comment && !c->comment) || (e->name && !c->name)) {
        kc_free(c->comment);
        kc_free(c->name);
        return kc_fail(msg, KC_ENOMEM, "feedback: out of memory");
    }
    if (c->comment)
        safetext_neutralise(c->comment);
    if (c->name)
        safetext_neutralise(c->name);
    c->e.comment = c->comment;
    c->e.name = c->name;
    return KC_OK;
}

static void clean_free(clean_entry *c)
{
    kc_free(c->comment);
    kc_free(c->name);
}

/* Binds score, context, comment and contact of e from parameter `first` on. */
static void bind_entry(sqlite3_stmt *s, int first, const feedback_entry *e)
{
    sqlite3_bind_int(s, first, e->score);
    sqlite3_bind_text(s, first + 1, e->context ? e->context : "home", -1, SQLITE_STATIC);
    bind_opt(s, first + 2, e->comment, 1);
    bind_opt(s, first + 3, e->name, e->consent);
    bind_opt(s, first + 4, e->email, e->consent);
    bind_opt(s, first + 5, e->phone, e->consent);
}

static kc_err store_new(store *st, const feedback_entry *e0, time_t now, int held,
                        char uuid[OUTBOX_UUID_LEN + 1], feedback_problem *p, char *msg)
{
    char *payload = NULL, hour[16];
    sqlite3_stmt *s = NULL;
    clean_entry c;
    uuid[0] = '\0';
    kc_err rc = feedback_check(e0, p, msg);
    if (rc || (rc = clean_make(&c, e0, msg)))
        return rc;
    const feedback_entry *e = &c.e;
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
    bind_entry(s, 3, e);
    if (sqlite3_step(s) != SQLITE_DONE) {
        rc = store_fail_db(st, "feedback: storing");
        goto rollback;
    }
    sqlite3_finalize(s);
    s = NULL;
    /* No byte of the files may keep the order of comments (docs/privacy.md). */
    if ((rc = store_anon_shuffle(st, "feedback", NULL, NULL, "uuid", uuid)) ||
        (rc = outbox_anon_shuffle(st, uuid)) || (held && (rc = outbox_hold(st, uuid))) ||
        (rc = store_anon_commit(st, NULL)))
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
    clean_free(&c);
    return rc;
}

kc_err feedback_submit(store *st, const feedback_entry *e, time_t now,
                       char uuid[OUTBOX_UUID_LEN + 1], feedback_problem *p, char *msg)
{
    return store_new(st, e, now, 0, uuid, p, msg);
}

kc_err feedback_tap(store *st, const feedback_entry *e, time_t now,
                    char uuid[OUTBOX_UUID_LEN + 1], feedback_problem *p, char *msg)
{
    return store_new(st, e, now, 1, uuid, p, msg);
}

kc_err feedback_amend(store *st, const char *uuid, const feedback_entry *e0, int add_tap,
                      long *merged, feedback_problem *p, char *msg)
{
    char *payload = NULL;
    sqlite3_stmt *s = NULL;
    clean_entry c;
    long m = 0;
    kc_err rc = feedback_check(e0, p, msg);
    if (rc || (rc = clean_make(&c, e0, msg)))
        return rc;
    const feedback_entry *e = &c.e;
    if ((rc = store_begin(st)))
        goto dbfail;
    if (sqlite3_prepare_v2(store_db(st), "UPDATE feedback SET score = ?, context = ?, "
                           "comment = ?, contact_name = ?, contact_email = ?, "
                           "contact_phone = ?, merged = merged + ? WHERE uuid = ? "
                           "RETURNING merged, hour", -1, &s, NULL) != SQLITE_OK) {
        rc = store_fail_db(st, "feedback: preparing update");
        goto rollback;
    }
    bind_entry(s, 1, e);
    sqlite3_bind_int(s, 7, add_tap ? 1 : 0);
    sqlite3_bind_text(s, 8, uuid, -1, SQLITE_STATIC);
    char hour[16] = "";
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        m = (long)sqlite3_column_int64(s, 0);
        const char *h = (const char *)sqlite3_column_text(s, 1);
        snprintf(hour, sizeof hour, "%s", h ? h : "");
        r = sqlite3_step(s);
    } else if (r == SQLITE_DONE) {
        rc = kc_fail(msg, KC_ENOTFOUND, "feedback: %s is not stored", uuid);
        goto rollback;
    }
    if (r != SQLITE_DONE) {
        rc = store_fail_db(st, "feedback: updating");
        goto rollback;
    }
    sqlite3_finalize(s);
    s = NULL;
    /* The hour stays the first tap's: it is when the feedback was given. */
    if ((rc = payload_merged(e, hour, m, &payload))) {
        rc = kc_fail(msg, rc, "feedback: out of memory");
        goto rollback;
    }
    /* Only a held row may change: a released one may already be on its way. */
    if ((rc = outbox_set_payload(st, uuid, payload))) {
        if (rc == KC_ENOTFOUND)
            rc = kc_fail(msg, KC_ENOTFOUND, "feedback: %s was already released", uuid);
        goto rollback;
    }
    if ((rc = store_commit(st)))
        goto dbfail;
    if (merged)
        *merged = m;
    goto out;
rollback:
    sqlite3_finalize(s);
    store_rollback(st);
    if (rc == KC_ENOTFOUND)
        goto out;
dbfail:
    kc_fail(msg, rc, "%s", store_errmsg(st));
out:
    kc_free(payload);
    clean_free(&c);
    return rc;
}

kc_err feedback_release(store *st, const char *uuid, char *msg)
{
    kc_err rc = outbox_release(st, uuid);
    return rc ? kc_fail(msg, rc, "%s", store_errmsg(st)) : KC_OK;
}

static const char *col(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

kc_err feedback_each(store *st, feedback_fn fn, void *ctx, char *msg)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st), "SELECT uuid, hour, context, score, comment, "
                           "contact_name, contact_email, contact_phone, merged FROM feedback "
                           "ORDER BY hour, uuid", -1, &s, NULL) != SQLITE_OK)
        return kc_fail(msg, store_fail_db(st, "feedback: preparing list"), "%s",
                       store_errmsg(st));
    kc_err rc = KC_OK;
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        feedback_row row = { col(s, 0), col(s, 1), col(s, 2), sqlite3_column_int(s, 3),
                             col(s, 4), col(s, 5), col(s, 6), col(s, 7),
                             (long)sqlite3_column_int64(s, 8) };
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
                           "count(coalesce(contact_email, contact_phone)), sum(merged) FROM feedback "
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
        out->merged += (long)sqlite3_column_int64(s, 4);
    }
    kc_err rc = KC_OK;
    if (r != SQLITE_DONE)
        rc = kc_fail(msg, store_fail_db(st, "feedback: stats"), "%s", store_errmsg(st));
    sqlite3_finalize(s);
    return rc;
}
