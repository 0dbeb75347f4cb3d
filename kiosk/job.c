#include "job.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A job is owned by its caller (job_start: until job_free) or by the runner
 * (job_submit: until its callback ran).  done, rc and msg are under mu. */
struct job {
    job_fn fn;
    job_done_fn cb;
    void *ctx;
    int owned;                  /* job_start: the caller frees it */
    int done;
    kc_err rc;
    char msg[KC_MSGMAX];
    pthread_mutex_t mu;
    pthread_cond_t cv;
    job *next;
};

struct jobs {
    char db[1024];
    void (*wake)(void *);
    void *wake_ud;
    pthread_mutex_t mu;
    pthread_cond_t work;        /* a job was queued, or stop */
    pthread_cond_t idle;        /* a job finished */
    job *head, *tail;           /* queued, in order */
    size_t nqueued, queue_max;
    int running;
    job *fin_head, *fin_tail;   /* finished job_submit jobs whose callback has not run */
    int stop;
    int nth;
    pthread_t th[8];
};

static void *worker(void *arg)
{
    jobs *q = arg;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (!q->head && !q->stop)
            pthread_cond_wait(&q->work, &q->mu);
        if (!q->head)
            break;  /* stop, and the queue is drained */
        job *j = q->head;
        q->head = j->next;
        if (!q->head)
            q->tail = NULL;
        q->nqueued--;
        q->running++;
        /* A job_submit job may be freed by jobs_poll as soon as it is on the finished
         * list: which kind it is is read now, never from j after that. */
        int owned = j->owned;
        pthread_mutex_unlock(&q->mu);

        store *st = NULL;
        char msg[KC_MSGMAX] = "";
        kc_err rc = store_open_existing(q->db, &st);
        if (rc)
            snprintf(msg, sizeof msg, "%s", store_errmsg(st));
        else
            rc = j->fn(st, j->ctx, msg);
        store_close(st);

        pthread_mutex_lock(&q->mu);
        q->running--;
        j->next = NULL;
        if (!owned) {
            j->rc = rc;
            memcpy(j->msg, msg, sizeof msg);
            j->done = 1;
            if (q->fin_tail)
                q->fin_tail->next = j;
            else
                q->fin_head = j;
            q->fin_tail = j;
        }
        pthread_cond_broadcast(&q->idle);
        pthread_mutex_unlock(&q->mu);
        if (owned) {
            /* After this the caller may free j: nothing here touches it again. */
            pthread_mutex_lock(&j->mu);
            j->rc = rc;
            memcpy(j->msg, msg, sizeof msg);
            j->done = 1;
            pthread_cond_broadcast(&j->cv);
            pthread_mutex_unlock(&j->mu);
        }
        if (q->wake)
            q->wake(q->wake_ud);
        pthread_mutex_lock(&q->mu);
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

kc_err jobs_new(jobs **out, const char *db_path, int nworkers, size_t queue_max,
                void (*wake)(void *), void *wake_ud)
{
    *out = NULL;
    if (nworkers < 1 || nworkers > (int)(sizeof ((jobs *)0)->th / sizeof(pthread_t)) ||
        queue_max < 1 || strlen(db_path) >= sizeof ((jobs *)0)->db)
        return KC_EUSAGE;
    jobs *q = calloc(1, sizeof *q);
    if (!q)
        return KC_ENOMEM;
    snprintf(q->db, sizeof q->db, "%s", db_path);
    q->wake = wake;
    q->wake_ud = wake_ud;
    q->queue_max = queue_max;
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->work, NULL);
    pthread_cond_init(&q->idle, NULL);
    for (; q->nth < nworkers; q->nth++)
        if (pthread_create(&q->th[q->nth], NULL, worker, q) != 0) {
            jobs_free(q);
            return KC_ENOMEM;
        }
    *out = q;
    return KC_OK;
}

static kc_err enqueue(jobs *q, job *j)
{
    pthread_mutex_lock(&q->mu);
    if (q->nqueued >= q->queue_max) {
        pthread_mutex_unlock(&q->mu);
        return KC_EBUSY;
    }
    if (q->tail)
        q->tail->next = j;
    else
        q->head = j;
    q->tail = j;
    q->nqueued++;
    pthread_cond_signal(&q->work);
    pthread_mutex_unlock(&q->mu);
    return KC_OK;
}

static job *job_new(job_fn fn, job_done_fn cb, void *ctx, int owned)
{
    job *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->fn = fn;
    j->cb = cb;
    j->ctx = ctx;
    j->owned = owned;
    pthread_mutex_init(&j->mu, NULL);
    pthread_cond_init(&j->cv, NULL);
    return j;
}

static void job_delete(job *j)
{
    pthread_cond_destroy(&j->cv);
    pthread_mutex_destroy(&j->mu);
    free(j);
}

kc_err job_start(job **out, jobs *q, job_fn fn, void *ctx)
{
    *out = NULL;
    job *j = job_new(fn, NULL, ctx, 1);
    if (!j)
        return KC_ENOMEM;
    kc_err rc = enqueue(q, j);
    if (rc) {
        job_delete(j);
        return rc;
    }
    *out = j;
    return KC_OK;
}

kc_err job_submit(jobs *q, job_fn fn, job_done_fn done, void *ctx)
{
    job *j = job_new(fn, done, ctx, 0);
    if (!j)
        return KC_ENOMEM;
    kc_err rc = enqueue(q, j);
    if (rc)
        job_delete(j);
    return rc;
}

int job_done(job *j, kc_err *rc, char *msg)
{
    pthread_mutex_lock(&j->mu);
    int d = j->done;
    if (d) {
        *rc = j->rc;
        if (msg)
            memcpy(msg, j->msg, KC_MSGMAX);
    }
    pthread_mutex_unlock(&j->mu);
    return d;
}

void job_free(job *j)
{
    if (!j)
        return;
    pthread_mutex_lock(&j->mu);
    while (!j->done)
        pthread_cond_wait(&j->cv, &j->mu);
    pthread_mutex_unlock(&j->mu);
    job_delete(j);
}

void jobs_poll(jobs *q)
{
    if (!q)
        return;
    pthread_mutex_lock(&q->mu);
    job *list = q->fin_head;
    q->fin_head = q->fin_tail = NULL;
    pthread_mutex_unlock(&q->mu);
    while (list) {
        job *j = list;
        list = j->next;
        if (j->cb)
            j->cb(j->ctx, j->rc, j->msg);
        job_delete(j);
    }
}

void jobs_wait_idle(jobs *q)
{
    if (!q)
        return;
    pthread_mutex_lock(&q->mu);
    while (q->head || q->running)
        pthread_cond_wait(&q->idle, &q->mu);
    pthread_mutex_unlock(&q->mu);
    jobs_poll(q);
}

void jobs_free(jobs *q)
{
    if (!q)
        return;
    pthread_mutex_lock(&q->mu);
    q->stop = 1;
    pthread_cond_broadcast(&q->work);
    pthread_mutex_unlock(&q->mu);
    for (int i = 0; i < q->nth; i++)
        pthread_join(q->th[i], NULL);
    jobs_poll(q);
    pthread_cond_destroy(&q->idle);
    pthread_cond_destroy(&q->work);
    pthread_mutex_destroy(&q->mu);
    free(q);
}
