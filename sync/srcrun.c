/* srcrun.c - the sources file and the background runs the console starts. */
#include "srcrun.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct slot {
    srcrun *owner;
    int kind;
    srcrun_conf conf;
    srcrun_state st;   /* under owner->mu */
    int stop;          /* under owner->mu */
    int thread_live;   /* a thread to join (running or finished) */
    pthread_t th;
    srvdb *db;         /* the run's handle, holding the source's lock; the thread's */
} slot;

struct srcrun {
    const srcrun_ops *ops;
    char *spec;
    pthread_mutex_t mu;
    slot slots[SOURCE_NKIND];
};

int srcrun_nkinds(void)
{
    return SOURCE_NKIND;
}

const char *srcrun_name(const srcrun *r, int kind)
{
    return r->ops->name((source_kind)kind);
}

int srcrun_kind(const srcrun *r, const char *name)
{
    return r->ops->from_name(name);
}

/* Integer member in lo..hi, or def when absent; -1 after a message. */
static int conf_num(json_t *o, const char *src, const char *key, long lo, long hi, long def,
                    long *out, char *msg)
{
    json_t *v = json_object_get(o, key);
    if (!v) {
        *out = def;
        return 0;
    }
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
        kc_fail(msg, KC_EINVAL, "sources: %s: \"%s\" must be a whole number from %ld to %ld",
                src, key, lo, hi);
        return -1;
    }
    *out = (long)json_integer_value(v);
    return 0;
}

/* String member of at most max bytes, or "" when absent; -1 after a message. */
static int conf_str(json_t *o, const char *src, const char *key, size_t max, char *out,
                    char *msg)
{
    json_t *v = json_object_get(o, key);
    out[0] = '\0';
    if (!v)
        return 0;
    if (!json_is_string(v) || json_string_length(v) > max ||
        strlen(json_string_value(v)) != json_string_length(v)) {
        kc_fail(msg, KC_EINVAL, "sources: %s: \"%s\" must be a text of at most %zu bytes", src,
                key, max);
        return -1;
    }
    memcpy(out, json_string_value(v), json_string_length(v) + 1);
    return 0;
}

static kc_err parse_one(srcrun *r, const char *dir, const char *name, json_t *o, char *msg)
{
    int k = r->ops->from_name(name);
    if (k < 0)
        return kc_fail(msg, KC_EINVAL, "sources: \"%s\" is not a source (linkedevents, "
                       "servicemap or varaamo)", name);
    if (!json_is_object(o))
        return kc_fail(msg, KC_EINVAL, "sources: %s: not a JSON object", name);
    static const char *const known[] = { "url", "publisher", "days", "rules", "timeout",
                                         "retries", "deadline", "about" };
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        size_t i = 0;
        while (i < sizeof known / sizeof known[0] && strcmp(known[i], key) != 0)
            i++;
        if (i == sizeof known / sizeof known[0])
            return kc_fail(msg, KC_EINVAL, "sources: %s: unknown key \"%.64s\"", name, key);
    }
    srcrun_conf *c = &r->slots[k].conf;
    char rules[SRCRUN_PATH_MAX + 1];
    long days, timeout, retries, deadline;
    if (conf_str(o, name, "url", SOURCE_MAX_URL, c->url, msg) ||
        conf_str(o, name, "publisher", SRCRUN_PUBLISHER_MAX, c->publisher, msg) ||
        conf_str(o, name, "rules", 500, rules, msg) ||
        conf_num(o, name, "days", 1, 3650, 90, &days, msg) ||
        conf_num(o, name, "timeout", 1, 3600, 30, &timeout, msg) ||
        conf_num(o, name, "retries", 0, 10, 2, &retries, msg) ||
        conf_num(o, name, "deadline", 1, 24 * 3600, SRCRUN_DEADLINE_DEFAULT, &deadline, msg))
        return KC_EINVAL;
    if (strncmp(c->url, "http://", 7) != 0 && strncmp(c->url, "https://", 8) != 0)
        return kc_fail(msg, KC_EINVAL, "sources: %s: \"url\" must be an http or https URL",
                       name);
    /* A relative rules path is relative to the sources file, wherever the server runs. */
    if (!rules[0])
        snprintf(c->rules, sizeof c->rules, "%.500s/%.32s.json", r->ops->rules_dir(), name);
    else if (rules[0] == '/')
        snprintf(c->rules, sizeof c->rules, "%.500s", rules);
    else
        snprintf(c->rules, sizeof c->rules, "%.500s/%.500s", dir, rules);
    c->days = (int)days;
    c->timeout_s = timeout;
    c->retries = (int)retries;
    c->deadline_s = deadline;
    c->configured = 1;
    return KC_OK;
}

static kc_err parse(srcrun *r, const char *path, char *msg)
{
    json_error_t err;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (!doc)
        return kc_fail(msg, KC_EJSON, "sources %s: line %d: %s", path, err.line, err.text);
    kc_err rc = KC_OK;
    if (!json_is_object(doc))
        rc = kc_fail(msg, KC_EINVAL, "sources %s: not a JSON object", path);
    char dir[512];
    const char *slash = strrchr(path, '/');
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    else
        snprintf(dir, sizeof dir, ".");
    const char *key;
    json_t *v;
    json_object_foreach(doc, key, v) {
        if (rc || strcmp(key, "about") == 0)
            continue;
        rc = parse_one(r, dir, key, v, msg);
    }
    json_decref(doc);
    return rc;
}

kc_err srcrun_open(const char *conf_file, const char *dbspec, const srcrun_ops *ops,
                   srcrun **out, char *msg)
{
    *out = NULL;
    srcrun *r = kc_calloc(1, sizeof *r);
    if (!r)
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    r->ops = ops;
    if (!(r->spec = kc_strdup(dbspec))) {
        kc_free(r);
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    }
    if (pthread_mutex_init(&r->mu, NULL)) {
        kc_free(r->spec);
        kc_free(r);
        return kc_fail(msg, KC_ENOMEM, "cannot create a lock");
    }
    for (int k = 0; k < SOURCE_NKIND; k++) {
        r->slots[k].owner = r;
        r->slots[k].kind = k;
    }
    kc_err rc = conf_file ? parse(r, conf_file, msg) : KC_OK;
    if (rc) {
        srcrun_close(r);
        return rc;
    }
    *out = r;
    return KC_OK;
}

void srcrun_close(srcrun *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->mu);
    for (int k = 0; k < SOURCE_NKIND; k++)
        r->slots[k].stop = 1;
    pthread_mutex_unlock(&r->mu);
    for (int k = 0; k < SOURCE_NKIND; k++)
        if (r->slots[k].thread_live)
            pthread_join(r->slots[k].th, NULL);
    pthread_mutex_destroy(&r->mu);
    kc_free(r->spec);
    kc_free(r);
}

void srcrun_conf_get(const srcrun *r, int kind, srcrun_conf *out)
{
    *out = r->slots[kind].conf;  /* fixed after open */
}

void srcrun_state_get(srcrun *r, int kind, srcrun_state *out)
{
    pthread_mutex_lock(&r->mu);
    *out = r->slots[kind].st;
    pthread_mutex_unlock(&r->mu);
}

static void on_progress(void *ctx, long pages, long records)
{
    slot *s = ctx;
    pthread_mutex_lock(&s->owner->mu);
    s->st.pages = pages;
    s->st.records = records;
    pthread_mutex_unlock(&s->owner->mu);
}

static int on_stop(void *ctx)
{
    slot *s = ctx;
    pthread_mutex_lock(&s->owner->mu);
    int stop = s->stop;
    pthread_mutex_unlock(&s->owner->mu);
    return stop;
}

static void *worker(void *arg)
{
    slot *s = arg;
    srcrun *r = s->owner;
    const srcrun_conf *c = &s->conf;
    source_opts o;
    memset(&o, 0, sizeof o);
    o.kind = (source_kind)s->kind;
    o.url = c->url;
    o.rules = c->rules;
    o.publisher = c->publisher[0] ? c->publisher : NULL;
    o.days = c->days;
    o.timeout_s = c->timeout_s;
    o.retries = c->retries;
    o.deadline_s = c->deadline_s;
    o.quiet = 1;
    o.progress = on_progress;
    o.stop = on_stop;
    o.cb_ctx = s;
    srvdb_source_run run;
    /* The run logs itself, failure included. */
    r->ops->run(s->db, &o, &run);
    srvdb_close(s->db);  /* and with it the source's lock */
    s->db = NULL;
    pthread_mutex_lock(&r->mu);
    s->st.running = 0;
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* The source's lock across server processes (srvdb_source_lock) on a handle of the
 * run's own, taken before the run starts so a refusal is the answer to the press. */
static kc_err lock_source(srcrun *r, int kind, srvdb **out, char *msg)
{
    srvdb *db = NULL;
    int got = 0;
    const char *name = r->ops->name((source_kind)kind);
    kc_err rc = srvdb_open(r->spec, &db);
    if (!rc)
        rc = srvdb_source_lock(db, name, &got);
    if (rc)
        kc_fail(msg, rc, "%s import: %s", name, db ? srvdb_errmsg(db) : "out of memory");
    else if (!got)
        rc = kc_fail(msg, KC_EBUSY, "%s: an import is running (on another server process)",
                     name);
    if (rc) {
        srvdb_close(db);
        return rc;
    }
    *out = db;
    return KC_OK;
}

static kc_err busy(srcrun *r, slot *s, int kind, char *msg)
{
    char when[32];
    time_t t = (time_t)s->st.started;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return kc_fail(msg, KC_EBUSY, "%s: an import is running (started %s by %s)",
                   r->ops->name((source_kind)kind), when, s->st.by[0] ? s->st.by : "?");
}

kc_err srcrun_start(srcrun *r, int kind, const char *by, char *msg)
{
    slot *s = &r->slots[kind];
    if (!s->conf.configured)
        return kc_fail(msg, KC_ENOTFOUND, "%s is not configured on this server",
                       r->ops->name((source_kind)kind));
    pthread_mutex_lock(&r->mu);
    if (s->st.running || s->stop) {
        kc_err rc = busy(r, s, kind, msg);
        pthread_mutex_unlock(&r->mu);
        return rc;
    }
    /* The last run's thread has ended (running is 0): collect it before a new one. */
    if (s->thread_live) {
        pthread_join(s->th, NULL);
        s->thread_live = 0;
    }
    /* Taken here, so a second press meanwhile is refused; the database lock is taken
     * outside the mutex, which a connection's round trips would hold up. */
    srcrun_state last = s->st;
    memset(&s->st, 0, sizeof s->st);
    s->st.running = 1;
    s->st.started = (long long)time(NULL);
    snprintf(s->st.by, sizeof s->st.by, "%s", by ? by : "");
    pthread_mutex_unlock(&r->mu);
    srvdb *db = NULL;
    kc_err rc = lock_source(r, kind, &db, msg);
    pthread_mutex_lock(&r->mu);
    if (!rc && s->stop) {
        srvdb_close(db);
        rc = kc_fail(msg, KC_EBUSY, "the server is stopping");
    } else if (!rc) {
        s->db = db;
        if (pthread_create(&s->th, NULL, worker, s) != 0) {
            s->db = NULL;
            srvdb_close(db);
            rc = kc_fail(msg, KC_ENOMEM, "cannot start a thread for the import");
        } else {
            s->thread_live = 1;
        }
    }
    if (rc)
        s->st = last;  /* the last run's state, as if nothing was pressed */
    pthread_mutex_unlock(&r->mu);
    return rc;
}
