#include "job.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct job {
    pthread_t th;
    pthread_mutex_t mu;
    char db[1024];
    job_fn fn;
    void *ctx;
    void (*wake)(void *);
    void *wake_ud;
    int done;
    kc_err rc;
    char msg[KC_MSGMAX];
};

static void *job_main(void *arg)
{
    job *j = arg;
    store *st = NULL;
    char msg[KC_MSGMAX] = "";
    kc_err rc = store_open_existing(j->db, &st);
    if (rc)
        snprintf(msg, sizeof msg, "%s", store_errmsg(st));
    else
        rc = j->fn(st, j->ctx, msg);
    store_close(st);
    pthread_mutex_lock(&j->mu);
    j->rc = rc;
    memcpy(j->msg, msg, sizeof msg);
    j->done = 1;
    pthread_mutex_unlock(&j->mu);
    if (j->wake)
        j->wake(j->wake_ud);
    return NULL;
}

kc_err job_start(job **out, const char *db_path, job_fn fn, void *ctx,
                 void (*wake)(void *), void *wake_ud)
{
    *out = NULL;
    job *j = calloc(1, sizeof *j);
    if (!j)
        return KC_ENOMEM;
    snprintf(j->db, sizeof j->db, "%s", db_path);
    j->fn = fn;
    j->ctx = ctx;
    j->wake = wake;
    j->wake_ud = wake_ud;
    pthread_mutex_init(&j->mu, NULL);
    if (pthread_create(&j->th, NULL, job_main, j) != 0) {
        pthread_mutex_destroy(&j->mu);
        free(j);
        return KC_ENOMEM;
    }
    *out = j;
    return KC_OK;
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
    pthread_join(j->th, NULL);
    pthread_mutex_destroy(&j->mu);
    free(j);
}
