/* The job runner (kiosk/job.h) against a real database file: jobs start in the order
 * they were submitted, completion callbacks run on the polling thread exactly once,
 * a full queue refuses with KC_EBUSY and queues nothing, job_free waits for its job,
 * and jobs_free finishes every queued job and runs its callback (no leak under ASan). */
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "job.h"

static char db[1024];

static void nap(void)
{
    struct timespec ts = { 0, 1000000 };
    nanosleep(&ts, NULL);
}

static int setup(void **state)
{
    (void)state;
    snprintf(db, sizeof db, "%s", tu_tmp("jobs.db"));
    store *st = NULL;
    if (store_open(db, &st))
        return -1;
    store_close(st);
    return 0;
}

typedef struct rec {
    pthread_mutex_t mu;
    int order[64];
    int n;
    int gate;               /* a gated job waits until this is 1 */
    int started;            /* jobs that began to run */
    int callbacks[64];      /* callbacks seen per job */
    pthread_t cb_thread[64];
} rec;

typedef struct item {
    rec *r;
    int id;
    int gated;
} item;

static kc_err run_item(store *st, void *ctx, char *msg)
{
    item *it = ctx;
    assert_non_null(st);  /* a handle of its own on the file */
    pthread_mutex_lock(&it->r->mu);
    it->r->started++;
    pthread_mutex_unlock(&it->r->mu);
    for (;;) {
        pthread_mutex_lock(&it->r->mu);
        int open = !it->gated || it->r->gate;
        if (open)
            it->r->order[it->r->n++] = it->id;
        pthread_mutex_unlock(&it->r->mu);
        if (open)
            break;
        nap();
    }
    if (it->id == 3)
        return kc_fail(msg, KC_EINVAL, "job %d refused", it->id);
    return KC_OK;
}

static kc_err last_rc;
static char last_msg[KC_MSGMAX];

static void done_item(void *ctx, kc_err rc, const char *msg)
{
    item *it = ctx;
    it->r->callbacks[it->id]++;
    it->r->cb_thread[it->id] = pthread_self();
    if (rc) {
        last_rc = rc;
        snprintf(last_msg, sizeof last_msg, "%s", msg);
    }
}

static void test_order_and_callbacks(void **state)
{
    (void)state;
    rec r = { .mu = PTHREAD_MUTEX_INITIALIZER };
    item it[10];
    jobs *q = NULL;
    assert_int_equal(jobs_new(&q, db, 1, 16, NULL, NULL), KC_OK);
    for (int i = 0; i < 10; i++) {
        it[i] = (item){ &r, i, 0 };
        assert_int_equal(job_submit(q, run_item, done_item, &it[i]), KC_OK);
    }
    jobs_wait_idle(q);
    assert_int_equal(r.n, 10);
    for (int i = 0; i < 10; i++) {
        assert_int_equal(r.order[i], i);  /* one worker: in submission order */
        assert_int_equal(r.callbacks[i], 1);
        assert_true(pthread_equal(r.cb_thread[i], pthread_self()));
    }
    assert_int_equal(last_rc, KC_EINVAL);
    assert_string_equal(last_msg, "job 3 refused");
    jobs_poll(q);  /* nothing runs twice */
    for (int i = 0; i < 10; i++)
        assert_int_equal(r.callbacks[i], 1);
    jobs_free(q);
}

static void test_bound(void **state)
{
    (void)state;
    rec r = { .mu = PTHREAD_MUTEX_INITIALIZER };
    item first = { &r, 0, 1 }, it[4];
    jobs *q = NULL;
    assert_int_equal(jobs_new(&q, db, 1, 3, NULL, NULL), KC_OK);
    job *running = NULL;
    assert_int_equal(job_start(&running, q, run_item, &first), KC_OK);
    /* Once the worker runs it, the queue is empty and takes exactly 3 more. */
    for (int started = 0; !started; nap()) {
        pthread_mutex_lock(&r.mu);
        started = r.started;
        pthread_mutex_unlock(&r.mu);
    }
    job *j[4] = { NULL };
    int ok = 0, busy = 0;
    for (int i = 0; i < 4; i++) {
        it[i] = (item){ &r, i + 1, 0 };
        kc_err rc = job_start(&j[i], q, run_item, &it[i]);
        if (rc == KC_OK)
            ok++;
        else if (rc == KC_EBUSY && !j[i])
            busy++;
    }
    assert_int_equal(ok, 3);
    assert_int_equal(busy, 1);
    pthread_mutex_lock(&r.mu);
    r.gate = 1;
    pthread_mutex_unlock(&r.mu);
    job_free(running);  /* waits for it */
    for (int i = 0; i < 4; i++) {
        if (!j[i])
            continue;
        job_free(j[i]);
    }
    assert_int_equal(r.n, 4);
    jobs_free(q);
}

static void test_shutdown_runs_pending(void **state)
{
    (void)state;
    rec r = { .mu = PTHREAD_MUTEX_INITIALIZER, .gate = 0 };
    item gated = { &r, 0, 1 }, it[8];
    jobs *q = NULL;
    assert_int_equal(jobs_new(&q, db, 2, 16, NULL, NULL), KC_OK);
    assert_int_equal(job_submit(q, run_item, done_item, &gated), KC_OK);
    for (int i = 0; i < 8; i++) {
        it[i] = (item){ &r, i + 1, 0 };
        assert_int_equal(job_submit(q, run_item, done_item, &it[i]), KC_OK);
    }
    job *h = NULL;
    item last = { &r, 9, 0 };
    assert_int_equal(job_start(&h, q, run_item, &last), KC_OK);
    pthread_mutex_lock(&r.mu);
    r.gate = 1;
    pthread_mutex_unlock(&r.mu);
    jobs_free(q);  /* finishes all ten, runs the nine callbacks */
    assert_int_equal(r.n, 10);
    for (int i = 0; i < 9; i++)
        assert_int_equal(r.callbacks[i], 1);
    kc_err rc = KC_EIO;
    assert_int_equal(job_done(h, &rc, NULL), 1);  /* the handle outlives the runner */
    assert_int_equal(rc, KC_OK);
    job_free(h);
}

/* Callbacks polled while the workers are still finishing other jobs: a finished job is
 * freed by jobs_poll at once, so a worker must not read it after handing it over
 * (ASan saw a read after free here). */
static kc_err quick(store *st, void *ctx, char *msg)
{
    (void)st, (void)ctx, (void)msg;
    return KC_OK;
}

static void count_done(void *ctx, kc_err rc, const char *msg)
{
    (void)msg;
    assert_int_equal(rc, KC_OK);
    (*(int *)ctx)++;
}

static void test_poll_while_running(void **state)
{
    (void)state;
    jobs *q = NULL;
    int seen = 0, sent = 0;
    assert_int_equal(jobs_new(&q, db, 2, 8, NULL, NULL), KC_OK);
    while (seen < 200) {
        while (sent < 200 && job_submit(q, quick, count_done, &seen) == KC_OK)
            sent++;
        jobs_poll(q);
    }
    jobs_free(q);
    assert_int_equal(seen, 200);
}

static void test_bad_database(void **state)
{
    (void)state;
    rec r = { .mu = PTHREAD_MUTEX_INITIALIZER };
    item it = { &r, 1, 0 };
    jobs *q = NULL;
    assert_int_equal(jobs_new(&q, tu_tmp("missing.db"), 1, 4, NULL, NULL), KC_OK);
    job *h = NULL;
    assert_int_equal(job_start(&h, q, run_item, &it), KC_OK);
    job_free(NULL);
    kc_err rc = KC_OK;
    char msg[KC_MSGMAX] = "";
    while (!job_done(h, &rc, msg))
        nap();
    assert_int_not_equal(rc, KC_OK);  /* the store did not open: fn never ran */
    assert_int_equal(r.n, 0);
    job_free(h);
    jobs_free(q);
    assert_int_equal(jobs_new(&q, db, 0, 4, NULL, NULL), KC_EUSAGE);
    assert_null(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_and_callbacks),
        cmocka_unit_test(test_bound),
        cmocka_unit_test(test_shutdown_runs_pending),
        cmocka_unit_test(test_poll_while_running),
        cmocka_unit_test(test_bad_database),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
