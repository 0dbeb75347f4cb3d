/* survey_session.c - answers: text checks, validation, visibility; the respondent's
 * session and its submission. */
#include "survey.h"
#include "store_sql.h"
#include "answer.h"

#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#include "safetext.h"

const char *survey_problem_name(survey_problem_kind k)
{
    switch (k) {
    case SURVEY_P_NONE: return "no problem";
    case SURVEY_P_REQUIRED: return "an answer is required";
    case SURVEY_P_TOO_FEW: return "too few chosen";
    case SURVEY_P_TOO_MANY: return "too many chosen";
    case SURVEY_P_RANGE: return "out of range";
    case SURVEY_P_DECIMALS: return "too many decimals";
    case SURVEY_P_TOO_LONG: return "text too long";
    case SURVEY_P_BAD_TEXT: return "invalid UTF-8 or a control character";
    case SURVEY_P_NOT_OPTION: return "no such option";
    case SURVEY_P_WRONG_TYPE: return "answer does not fit the question";
    }
    return "unknown problem";
}

survey_problem_kind survey_text_check(const char *s, size_t max_chars, int multiline)
{
    size_t maxb = max_chars * 4;
    size_t len = strnlen(s, maxb + 1);
    if (len > maxb)
        return SURVEY_P_TOO_LONG;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t chars = 0;
    while (len > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, (utf8proc_ssize_t)len, &cp);
        if (n <= 0)
            return SURVEY_P_BAD_TEXT;
        if (cp == '\n' ? !multiline : utf8proc_category(cp) == UTF8PROC_CATEGORY_CC)
            return SURVEY_P_BAD_TEXT;
        chars++;
        p += n;
        len -= (size_t)n;
    }
    return chars > max_chars ? SURVEY_P_TOO_LONG : SURVEY_P_NONE;
}

void survey_answer_clear(survey_answer *a)
{
    for (int i = 0; i < a->ntext; i++) {
        if (a->text[i]) {
            sodium_memzero(a->text[i], strlen(a->text[i]));
            kc_free(a->text[i]);
        }
    }
    memset(a, 0, sizeof *a);
}

static survey_problem problem(survey_problem_kind k, double a, double b)
{
    survey_problem p = { k, a, b };
    return p;
}

static int decimals_ok(double v, int decimals)
{
    double m = v * pow(10, decimals);
    return fabs(m - round(m)) <= 1e-7 * fmax(1.0, fabs(m));
}

survey_problem survey_answer_check(const survey_question *q, const survey_answer *a,
                                   size_t noptions)
{
    if (!a || !a->set)
        return q->required ? problem(SURVEY_P_REQUIRED, 0, 0) : problem(SURVEY_P_NONE, 0, 0);
    switch (q->type) {
    case SURVEY_SINGLE:
    case SURVEY_MULTI:
    case SURVEY_TOP:
        if (a->nsel < 1 || a->nsel > SURVEY_MAX_OPTIONS)
            return problem(SURVEY_P_REQUIRED, 0, 0);
        for (int i = 0; i < a->nsel; i++) {
            if (a->sel[i] < 0 || (size_t)a->sel[i] >= noptions)
                return problem(SURVEY_P_NOT_OPTION, 0, 0);
            for (int j = 0; j < i; j++)
                if (a->sel[j] == a->sel[i])
                    return problem(SURVEY_P_NOT_OPTION, 0, 0);
        }
        /* "Choose 3" of two options (a workshop's earlier answers) asks for both. */
        if (a->nsel < q->min_pick && (size_t)a->nsel < noptions)
            return problem(SURVEY_P_TOO_FEW,
                           (size_t)q->min_pick < noptions ? q->min_pick : (int)noptions, 0);
        if (a->nsel > q->max_pick)
            return problem(SURVEY_P_TOO_MANY, q->max_pick, 0);
        return problem(SURVEY_P_NONE, 0, 0);
    case SURVEY_SCALE:
    case SURVEY_NUMBER:
        if (!isfinite(a->num) || a->num < q->min || a->num > q->max)
            return problem(SURVEY_P_RANGE, q->min, q->max);
        if (!decimals_ok(a->num, q->type == SURVEY_SCALE ? 0 : q->decimals))
            return problem(SURVEY_P_DECIMALS, q->decimals, 0);
        return problem(SURVEY_P_NONE, 0, 0);
    case SURVEY_TEXT:
        if (a->ntext < 1)
            return problem(SURVEY_P_REQUIRED, 0, 0);
        if (a->ntext > q->max_entries)
            return problem(SURVEY_P_TOO_MANY, q->max_entries, 0);
        for (int i = 0; i < a->ntext; i++) {
            survey_problem_kind k = a->text[i] && a->text[i][0]
                                        ? survey_text_check(a->text[i], (size_t)q->max_chars,
                                                            q->multiline)
                                        : SURVEY_P_REQUIRED;
            if (k != SURVEY_P_NONE)
                return problem(k, q->max_chars, 0);
        }
        return problem(SURVEY_P_NONE, 0, 0);
    case SURVEY_NQTYPE:
        break;
    }
    return problem(SURVEY_P_WRONG_TYPE, 0, 0);
}

int survey_visible(const survey *s, const survey_answer *answers, size_t i)
{
    const survey_question *q = survey_question_at(s, i);
    if (!q)
        return 0;
    if (q->cond.kind == SURVEY_COND_NONE)
        return 1;
    size_t t = q->cond.question;
    if (t >= i || !survey_visible(s, answers, t) || !answers[t].set)
        return 0;
    const survey_answer *a = &answers[t];
    switch (q->cond.kind) {
    case SURVEY_COND_ANSWERED:
        return 1;
    case SURVEY_COND_ANY_OF:
        for (int k = 0; k < a->nsel; k++)
            if (a->sel[k] >= 0 && a->sel[k] < 64 && (q->cond.options & (1ul << a->sel[k])))
                return 1;
        return 0;
    case SURVEY_COND_RANGE:
        return a->num >= q->cond.min && a->num <= q->cond.max;
    case SURVEY_COND_NONE:
        break;
    }
    return 1;
}

/* --- session ----------------------------------------------------------------------------- */

struct survey_session {
    survey *def;
    survey_answer *ans;  /* one per question */
    size_t cur;
    int submitted;
    survey_problem prob;
    char msg[KC_MSGMAX];
};

kc_err survey_session_new(survey *def, survey_session **out)
{
    *out = NULL;
    survey_session *ss = kc_calloc(1, sizeof *ss);
    if (!ss || !(ss->ans = kc_calloc(survey_nquestions(def), sizeof *ss->ans))) {
        kc_free(ss);
        survey_free(def);
        return KC_ENOMEM;
    }
    ss->def = def;
    ss->cur = 0;  /* the first question never has a condition */
    *out = ss;
    return KC_OK;
}

kc_err survey_session_start(store *st, const char *id, survey_session **out, char *msg)
{
    survey *def;
    *out = NULL;
    kc_err rc = survey_store_get(st, id, 0, &def, msg);
    if (rc)
        return rc;
    if (survey_get_mode(def) != SURVEY_MODE_SURVEY) {
        survey_free(def);
        return kc_fail(msg, KC_EUSAGE, "survey \"%s\" is a workshop", id);
    }
    if ((rc = survey_session_new(def, out)))
        return kc_fail(msg, rc, "survey: out of memory");
    return KC_OK;
}

void survey_session_free(survey_session *ss)
{
    if (!ss)
        return;
    for (size_t i = 0; ss->ans && i < survey_nquestions(ss->def); i++)
        survey_answer_clear(&ss->ans[i]);
    kc_free(ss->ans);
    survey_free(ss->def);
    kc_free(ss);
}

const survey *survey_session_survey(const survey_session *ss) { return ss->def; }
const char *survey_session_errmsg(const survey_session *ss) { return ss->msg; }
survey_problem survey_session_problem(const survey_session *ss) { return ss->prob; }
size_t survey_session_current(const survey_session *ss) { return ss->cur; }

const survey_question *survey_session_question(const survey_session *ss)
{
    return ss->cur == SURVEY_END ? NULL : survey_question_at(ss->def, ss->cur);
}

int survey_session_visible(const survey_session *ss, size_t q)
{
    return survey_visible(ss->def, ss->ans, q);
}

const survey_answer *survey_session_answer(const survey_session *ss, size_t q)
{
    return q < survey_nquestions(ss->def) ? &ss->ans[q] : NULL;
}

void survey_session_progress(const survey_session *ss, int *pos, int *total)
{
    int n = 0, p = 0;
    for (size_t i = 0; i < survey_nquestions(ss->def); i++) {
        if (!survey_visible(ss->def, ss->ans, i))
            continue;
        n++;
        if (ss->cur != SURVEY_END && i <= ss->cur)
            p++;
    }
    *total = n;
    *pos = ss->cur == SURVEY_END ? n + 1 : p;
}

static kc_err refuse(survey_session *ss, survey_problem p)
{
    ss->prob = p;
    const survey_question *q = survey_session_question(ss);
    return kc_fail(ss->msg, KC_EINVAL, "question \"%s\": %s", q ? q->id : "-",
                   survey_problem_name(p.kind));
}

static kc_err ok(survey_session *ss)
{
    ss->prob = problem(SURVEY_P_NONE, 0, 0);
    ss->msg[0] = '\0';
    return KC_OK;
}

static kc_err editable(survey_session *ss, const survey_question **q)
{
    *q = survey_session_question(ss);
    if (!*q || ss->submitted)
        return kc_fail(ss->msg, KC_EUSAGE, "survey: no question to answer");
    return KC_OK;
}

kc_err survey_session_choose(survey_session *ss, size_t option)
{
    const survey_question *q;
    if (editable(ss, &q))
        return KC_EUSAGE;
    if (q->type != SURVEY_SINGLE && q->type != SURVEY_MULTI && q->type != SURVEY_TOP)
        return refuse(ss, problem(SURVEY_P_WRONG_TYPE, 0, 0));
    if (option >= q->noptions)
        return refuse(ss, problem(SURVEY_P_NOT_OPTION, 0, 0));
    survey_answer *a = &ss->ans[ss->cur];
    int o = (int)option;
    if (q->type == SURVEY_SINGLE) {
        a->sel[0] = o;
        a->nsel = 1;
        a->set = 1;
        return ok(ss);
    }
    for (int i = 0; i < a->nsel; i++) {
        if (a->sel[i] == o) {
            memmove(&a->sel[i], &a->sel[i + 1], (size_t)(a->nsel - i - 1) * sizeof a->sel[0]);
            a->set = --a->nsel > 0;
            return ok(ss);
        }
    }
    if (a->nsel >= q->max_pick)
        return refuse(ss, problem(SURVEY_P_TOO_MANY, q->max_pick, 0));
    int at = a->nsel;
    if (!(q->type == SURVEY_TOP && q->ranked))
        while (at > 0 && a->sel[at - 1] > o)
            at--;
    memmove(&a->sel[at + 1], &a->sel[at], (size_t)(a->nsel - at) * sizeof a->sel[0]);
    a->sel[at] = o;
    a->nsel++;
    a->set = 1;
    return ok(ss);
}

kc_err survey_session_set_number(survey_session *ss, double v)
{
    const survey_question *q;
    if (editable(ss, &q))
        return KC_EUSAGE;
    if (q->type != SURVEY_SCALE && q->type != SURVEY_NUMBER)
        return refuse(ss, problem(SURVEY_P_WRONG_TYPE, 0, 0));
    survey_answer t = { 0 };
    t.set = 1;
    t.num = v;
    survey_problem p = survey_answer_check(q, &t, 0);
    if (p.kind != SURVEY_P_NONE)
        return refuse(ss, p);
    ss->ans[ss->cur].num = v;
    ss->ans[ss->cur].set = 1;
    return ok(ss);
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\n')
            return 0;
    return 1;
}

kc_err survey_session_set_text(survey_session *ss, size_t entry, const char *utf8)
{
    const survey_question *q;
    if (editable(ss, &q))
        return KC_EUSAGE;
    if (q->type != SURVEY_TEXT)
        return refuse(ss, problem(SURVEY_P_WRONG_TYPE, 0, 0));
    survey_answer *a = &ss->ans[ss->cur];
    if (entry > (size_t)a->ntext)
        return kc_fail(ss->msg, KC_EUSAGE, "survey: text entry %zu after the last", entry);
    /* Invalid UTF-8 and control characters are refused as typed; bidi overrides and
     * invisible characters are dropped (safetext.h) and do not count. */
    survey_problem_kind k = survey_text_check(utf8, 2 * (size_t)q->max_chars, q->multiline);
    if (k != SURVEY_P_NONE)
        return refuse(ss, problem(k, q->max_chars, 0));
    char *copy = kc_strdup(utf8);
    if (!copy)
        return kc_fail(ss->msg, KC_ENOMEM, "survey: out of memory");
    safetext_neutralise(copy);
    if (blank(copy)) {
        kc_free(copy);
        if (entry < (size_t)a->ntext) {
            sodium_memzero(a->text[entry], strlen(a->text[entry]));
            kc_free(a->text[entry]);
            memmove(&a->text[entry], &a->text[entry + 1],
                    (size_t)(a->ntext - (int)entry - 1) * sizeof a->text[0]);
            a->text[--a->ntext] = NULL;
        }
        a->set = a->ntext > 0;
        return ok(ss);
    }
    if (entry >= (size_t)q->max_entries ||
        (k = survey_text_check(copy, (size_t)q->max_chars, q->multiline)) != SURVEY_P_NONE) {
        sodium_memzero(copy, strlen(copy));
        kc_free(copy);
        if (entry >= (size_t)q->max_entries)
            return refuse(ss, problem(SURVEY_P_TOO_MANY, q->max_entries, 0));
        return refuse(ss, problem(k, q->max_chars, 0));
    }
    if (entry < (size_t)a->ntext) {
        sodium_memzero(a->text[entry], strlen(a->text[entry]));
        kc_free(a->text[entry]);
    } else {
        a->ntext++;
    }
    a->text[entry] = copy;
    a->set = 1;
    return ok(ss);
}

void survey_session_clear(survey_session *ss)
{
    if (ss->cur != SURVEY_END && !ss->submitted)
        survey_answer_clear(&ss->ans[ss->cur]);
}

static size_t next_visible(const survey_session *ss, size_t from)
{
    for (size_t i = from; i < survey_nquestions(ss->def); i++)
        if (survey_visible(ss->def, ss->ans, i))
            return i;
    return SURVEY_END;
}

kc_err survey_session_next(survey_session *ss)
{
    const survey_question *q;
    if (editable(ss, &q))
        return KC_EUSAGE;
    survey_problem p = survey_answer_check(q, &ss->ans[ss->cur], q->noptions);
    if (p.kind != SURVEY_P_NONE)
        return refuse(ss, p);
    ss->cur = next_visible(ss, ss->cur + 1);
    return ok(ss);
}

int survey_session_back(survey_session *ss)
{
    size_t end = ss->cur == SURVEY_END ? survey_nquestions(ss->def) : ss->cur;
    if (ss->submitted)
        return 0;
    for (size_t i = end; i-- > 0;) {
        if (survey_visible(ss->def, ss->ans, i)) {
            ss->cur = i;
            ok(ss);
            return 1;
        }
    }
    return 0;
}

/* --- payload and submission ------------------------------------------------------------------ */

void survey_hour(time_t now, char out[16])
{
    struct tm tm;
    if (!gmtime_r(&now, &tm))
        memset(&tm, 0, sizeof tm);
    strftime(out, 16, "%Y-%m-%dT%HZ", &tm);
}

/* Checks every shown answer; the first problem is recorded and moves the session to
 * that question so the UI can show it. */
static kc_err check_all(survey_session *ss)
{
    for (size_t i = 0; i < survey_nquestions(ss->def); i++) {
        if (!survey_visible(ss->def, ss->ans, i))
            continue;
        const survey_question *q = survey_question_at(ss->def, i);
        survey_problem p = survey_answer_check(q, &ss->ans[i], q->noptions);
        if (p.kind != SURVEY_P_NONE) {
            ss->cur = i;
            return refuse(ss, p);
        }
    }
    return KC_OK;
}

static kc_err build_payload(const survey_session *ss, time_t now, char **out,
                            char **answers_out)
{
    char hour[16];
    survey_hour(now, hour);
    json_t *ans = json_object();
    json_t *o = json_object();
    kc_err rc = KC_ENOMEM;
    *out = NULL;
    if (answers_out)
        *answers_out = NULL;
    if (!o || !ans)
        goto out;
    for (size_t i = 0; i < survey_nquestions(ss->def); i++) {
        if (!ss->ans[i].set || !survey_visible(ss->def, ss->ans, i))
            continue;
        const survey_question *q = survey_question_at(ss->def, i);
        answer_options ao = answer_options_of(q);
        json_t *v = answer_json(q, &ao, &ss->ans[i]);
        if (!v || json_object_set_new(ans, q->id, v))
            goto out;
    }
    if (json_object_set_new(o, "type", json_string("survey-response")) ||
        json_object_set_new(o, "survey", json_string(survey_id(ss->def))) ||
        json_object_set_new(o, "version", json_integer(survey_version(ss->def))) ||
        json_object_set_new(o, "hour", json_string(hour)) ||
        json_object_set(o, "answers", ans))
        goto out;
    size_t flags = JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12);
    if (!(*out = json_dumps(o, flags)))
        goto out;
    if (answers_out && !(*answers_out = json_dumps(ans, flags))) {
        kc_free(*out);
        *out = NULL;
        goto out;
    }
    rc = KC_OK;
out:
    json_decref(ans);
    json_decref(o);
    return rc;
}

kc_err survey_session_payload(const survey_session *ss, time_t now, char **json)
{
    json_set_alloc_funcs(kc_malloc, kc_free);
    return build_payload(ss, now, json, NULL);
}

kc_err survey_session_submit(survey_session *ss, store *st, time_t now,
                             char uuid[OUTBOX_UUID_LEN + 1])
{
    char *payload = NULL, *answers = NULL;
    sqlite3_stmt *s = NULL;
    kc_err rc;
    uuid[0] = '\0';
    json_set_alloc_funcs(kc_malloc, kc_free);
    if (ss->submitted)
        return kc_fail(ss->msg, KC_EUSAGE, "survey: this response was already submitted");
    if (ss->cur != SURVEY_END)
        return kc_fail(ss->msg, KC_EUSAGE, "survey: not every question is done yet");
    if (survey_version(ss->def) < 1)
        return kc_fail(ss->msg, KC_EUSAGE, "survey: the survey was never stored");
    if ((rc = check_all(ss)))
        return rc;
    if ((rc = build_payload(ss, now, &payload, &answers)))
        return kc_fail(ss->msg, rc, "survey: out of memory");
    char hour[16];
    survey_hour(now, hour);
    if ((rc = store_begin(st)))
        goto dbfail;
    if ((rc = outbox_add(st, "survey-response", payload, uuid)))
        goto rollback;
    if (sqlite3_prepare_v2(store_db(st), "INSERT INTO survey_response(uuid, survey, version, "
                           "hour, answers) VALUES(?, ?, ?, ?, ?)", -1, &s, NULL) != SQLITE_OK) {
        rc = store_fail_db(st, "survey: preparing insert");
        goto rollback;
    }
    sqlite3_bind_text(s, 1, uuid, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, survey_id(ss->def), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, survey_version(ss->def));
    sqlite3_bind_text(s, 4, hour, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, answers, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE) {
        rc = store_fail_db(st, "survey: storing the response");
        goto rollback;
    }
    sqlite3_finalize(s);
    s = NULL;
    /* No byte of the files may keep the order of responses (docs/privacy.md); the
     * second pass covers the index by survey. */
    if ((rc = store_anon_shuffle(st, "survey_response", NULL, NULL, "uuid", uuid)) ||
        (rc = store_anon_shuffle(st, "survey_response", "survey", survey_id(ss->def), "uuid",
                                 uuid)) ||
        (rc = outbox_anon_shuffle(st, uuid)) || (rc = store_anon_commit(st, NULL)))
        goto rollback;
    ss->submitted = 1;
    kc_free(payload);
    kc_free(answers);
    return ok(ss);
rollback:
    sqlite3_finalize(s);
    store_rollback(st);
dbfail:
    kc_fail(ss->msg, rc, "%s", store_errmsg(st));
    uuid[0] = '\0';
    kc_free(payload);
    kc_free(answers);
    return rc;
}
