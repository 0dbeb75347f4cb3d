/*
 * srvwork.h - the central server's workers: the threads that touch the database.
 *
 * microhttpd's threads only read and write sockets; a request that needs storage is
 * suspended and handed here, so a worker waiting for SQLite's write lock never holds
 * up another connection (a health check, a slow client's next bytes).  Worker i
 * always passes i to the job function, so a caller can give each worker its own
 * database handle.
 *
 * Jobs are linked through the srvwork_job the caller embeds in its own struct: the
 * queue allocates nothing and holds at most one job per open connection.
 *
 * Threads: srvwork_push from any thread; start, drain and stop from one thread.
 */
#ifndef SRVWORK_H
#define SRVWORK_H

#include "kc.h"

typedef struct srvwork srvwork;

typedef struct srvwork_job {
    struct srvwork_job *next;
} srvwork_job;

typedef void (*srvwork_fn)(void *ctx, srvwork_job *job, int worker);

/* Starts n workers running fn(ctx, job, i).  On failure nothing is left running. */
kc_err srvwork_start(int n, srvwork_fn fn, void *ctx, srvwork **out, char *msg);
/* Queues a job: 0, or -1 once stopping began (the job was not queued). */
int srvwork_push(srvwork *w, srvwork_job *job);
/* Refuses new jobs (srvwork_push answers -1 from now on), runs every queued one and
 * joins the workers; w stays valid for srvwork_push until srvwork_stop. */
void srvwork_drain(srvwork *w);
/* Drains (if not done yet) and frees. */
void srvwork_stop(srvwork *w);

#endif
