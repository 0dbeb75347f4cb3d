/*
 * job.h - the kiosk's one runner for work off the UI thread: anything that hashes
 * (a PIN's Argon2id), fsyncs (a response, a ballot, a workshop answer) or builds (the
 * search index) runs here, never on the UI thread.  (The sync engine keeps its own
 * thread: sync/syncc.h.)
 *
 * A runner has a few worker threads and a bounded queue; jobs start in the order they
 * were submitted.  Each job runs fn on a worker with a store handle of its own on the
 * database file, opened for the job and closed after it, so the UI keeps drawing while
 * SQLite waits for fsync.  When a job finishes the runner calls wake (from the worker:
 * it only tells the event loop to run a frame).
 *
 * Two ways to hear the result, both on the UI thread:
 * - job_start() gives a handle: poll job_done() each frame, then job_free();
 * - job_submit() takes a completion callback: jobs_poll() (each frame) runs it.
 * ctx belongs to the caller and must stay valid until the job is done.
 *
 * Shutdown: jobs_free() lets every queued and running job finish (a confirmed response
 * is never abandoned), runs the completion callbacks not yet run, then stops the
 * workers.  Handles from job_start() stay valid after it until job_free().
 * Thread rule: everything here but fn is called from one thread (the UI thread).
 */
#ifndef JOB_H
#define JOB_H

#include <stddef.h>

#include "kc.h"
#include "store.h"

typedef kc_err (*job_fn)(store *st, void *ctx, char *msg);
/* Runs once on the thread calling jobs_poll() or jobs_free(); msg: KC_MSGMAX bytes. */
typedef void (*job_done_fn)(void *ctx, kc_err rc, const char *msg);
typedef struct job job;
typedef struct jobs jobs;

#define JOBS_WORKERS 2      /* an index build does not hold up a response's fsync */
#define JOBS_QUEUE_MAX 32   /* jobs waiting to start; more is a bug, refused */

/* A runner on db_path.  wake (may be NULL) is called from a worker after each job. */
kc_err jobs_new(jobs **out, const char *db_path, int nworkers, size_t queue_max,
                void (*wake)(void *), void *wake_ud);
/* Runs the completion callbacks of the jobs that finished since the last call. */
void jobs_poll(jobs *q);
/* Waits until no job is queued or running, then runs the callbacks (script mode). */
void jobs_wait_idle(jobs *q);
void jobs_free(jobs *q);

/* Queues fn(ctx).  KC_EBUSY when the queue is full, KC_ENOMEM; nothing queued then. */
kc_err job_start(job **out, jobs *q, job_fn fn, void *ctx);
kc_err job_submit(jobs *q, job_fn fn, job_done_fn done, void *ctx);
/* 1 when finished; then *rc and msg (KC_MSGMAX, may be NULL) hold the result. */
int job_done(job *j, kc_err *rc, char *msg);
/* Waits for the job if it is queued or running, then frees the handle. */
void job_free(job *j);

#endif
