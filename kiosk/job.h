/*
 * job.h - one piece of disk work (submitting a response, casting a ballot) off the UI
 * thread.  The job runs fn on a worker thread with its own store handle on the same
 * database file, so the UI keeps drawing while SQLite waits for fsync.
 *
 * The UI thread starts a job, polls job_done() each frame (the wake callback makes
 * the event loop run a frame when it finishes) and frees it.  ctx belongs to the
 * caller and must stay valid until job_done() returned 1 or job_free() returned.
 * job_free() waits for a running job: a confirmed response is never abandoned.
 */
#ifndef JOB_H
#define JOB_H

#include "kc.h"
#include "store.h"

typedef kc_err (*job_fn)(store *st, void *ctx, char *msg);
typedef struct job job;

kc_err job_start(job **out, const char *db_path, job_fn fn, void *ctx,
                 void (*wake)(void *), void *wake_ud);
/* 1 when finished; then *rc and msg (KC_MSGMAX, may be NULL) hold the result. */
int job_done(job *j, kc_err *rc, char *msg);
void job_free(job *j);

#endif
