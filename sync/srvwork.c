/* srvwork.c - a FIFO of jobs and the threads that run them. */
#include "srvwork.h"

#include <pthread.h>

typedef struct worker {
    struct srvwork *w;
    int i;
    pthread_t t;
} worker;

struct srvwork {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    srvwork_job *head, *tail;
    int stopping;
    srvwork_fn fn;
    void *ctx;
    int n;             /* threads running */
    worker *ws;
};

static void *run(void *arg)
{
    worker *me = arg;
    srvwork *w = me->w;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->head && !w->stopping)
            pthread_cond_wait(&w->cv, &w->mu);
        srvwork_job *j = w->head;
        if (!j)
            break;  /* stopping and nothing left */
        w->head = j->next;
        if (!w->head)
            w->tail = NULL;
        j->next = NULL;
        pthread_mutex_unlock(&w->mu);
        w->fn(w->ctx, j, me->i);
        pthread_mutex_lock(&w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

kc_err srvwork_start(int n, srvwork_fn fn, void *ctx, srvwork **out, char *msg)
{
    *out = NULL;
    srvwork *w = kc_calloc(1, sizeof *w);
    if (!w)
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    w->fn = fn;
    w->ctx = ctx;
    if (!(w->ws = kc_calloc((size_t)n, sizeof *w->ws))) {
        kc_free(w);
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    }
    if (pthread_mutex_init(&w->mu, NULL)) {
        kc_free(w->ws);
        kc_free(w);
        return kc_fail(msg, KC_ENOMEM, "cannot create locks");
    }
    if (pthread_cond_init(&w->cv, NULL)) {
        pthread_mutex_destroy(&w->mu);
        kc_free(w->ws);
        kc_free(w);
        return kc_fail(msg, KC_ENOMEM, "cannot create locks");
    }
    for (int i = 0; i < n; i++) {
        w->ws[i].w = w;
        w->ws[i].i = i;
        if (pthread_create(&w->ws[i].t, NULL, run, &w->ws[i])) {
            srvwork_stop(w);
            return kc_fail(msg, KC_ENOMEM, "cannot start worker threads");
        }
        w->n++;
    }
    *out = w;
    return KC_OK;
}

int srvwork_push(srvwork *w, srvwork_job *job)
{
    pthread_mutex_lock(&w->mu);
    int ok = !w->stopping;
    if (ok) {
        job->next = NULL;
        if (w->tail)
            w->tail->next = job;
        else
            w->head = job;
        w->tail = job;
        pthread_cond_signal(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return ok ? 0 : -1;
}

void srvwork_drain(srvwork *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stopping = 1;
    pthread_cond_broadcast(&w->cv);
    int n = w->n;
    w->n = 0;
    pthread_mutex_unlock(&w->mu);
    for (int i = 0; i < n; i++)
        pthread_join(w->ws[i].t, NULL);
}

void srvwork_stop(srvwork *w)
{
    if (!w)
        return;
    srvwork_drain(w);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    kc_free(w->ws);
    kc_free(w);
}
