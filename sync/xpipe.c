/* xpipe.c - rows made on one thread, written on another (xpipe.h).
 *
 * Two batches change hands under one mutex: the filling thread owns batch w while
 * ready[w] is 0, the writing thread owns batch r while ready[r] is 1.  Both go round
 * the batches in the same order, so the writer takes rows in the order they were
 * made. */
#include "xpipe.h"
#include "kc.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct batch {
    xpipe_cell *cells;  /* str set when handed over, from offs */
    size_t *offs;       /* a string's offset in text; SIZE_MAX for a number */
    size_t ncells, capcells, capoffs;
    size_t *ends;       /* each row's end in cells */
    size_t nrows, caprows;
    char *text;
    size_t ntext, captext;
} batch;

struct xpipe {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    batch b[2];
    int ready[2];
    int w;        /* the batch being filled */
    int stop;     /* the writer has stopped: fill ends */
    int done;     /* fill has returned, rc its result */
    int rc;
    int oom;      /* fill's rows ran out of memory (fill's thread) */
    xpipe_fill_fn fill;
    void *fill_ctx;
};

static void batch_free(batch *b)
{
    kc_free(b->cells);
    kc_free(b->offs);
    kc_free(b->ends);
    kc_free(b->text);
}

/* Room for one more of size each in *v (with *cap), growing by doubling. */
static int grow(void **v, size_t *cap, size_t need, size_t each)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 64;
    while (n < need) {
        if (n > SIZE_MAX / 2 / each)
            return -1;
        n *= 2;
    }
    void *p = kc_realloc(*v, n * each);
    if (!p)
        return -1;
    *v = p;
    *cap = n;
    return 0;
}

static int cell(xpipe *p, unsigned col, double num, size_t off)
{
    batch *b = &p->b[p->w];
    if (grow((void **)&b->cells, &b->capcells, b->ncells + 1, sizeof *b->cells) ||
        grow((void **)&b->offs, &b->capoffs, b->ncells + 1, sizeof *b->offs))
        return -1;
    b->cells[b->ncells] = (xpipe_cell){ .col = col, .num = num };
    b->offs[b->ncells++] = off;
    return 0;
}

int xpipe_num(xpipe *p, unsigned col, double v)
{
    if (cell(p, col, v, SIZE_MAX))
        return p->oom = -1;
    return 0;
}

int xpipe_strn(xpipe *p, unsigned col, const char *s, size_t n)
{
    batch *b = &p->b[p->w];
    if (n >= SIZE_MAX - b->ntext ||
        grow((void **)&b->text, &b->captext, b->ntext + n + 1, 1))
        return p->oom = -1;
    size_t off = b->ntext;
    memcpy(b->text + off, s, n);
    b->text[off + n] = 0;
    if (cell(p, col, 0, off))
        return p->oom = -1;
    b->ntext += n + 1;
    return 0;
}

int xpipe_str(xpipe *p, unsigned col, const char *s)
{
    return xpipe_strn(p, col, s, strlen(s));
}

/* Gives batch w to the writer (under the mutex): the strings' addresses are known now
 * that the text no longer moves. */
static void hand_over(xpipe *p)
{
    batch *b = &p->b[p->w];
    for (size_t i = 0; i < b->ncells; i++)
        if (b->offs[i] != SIZE_MAX)
            b->cells[i].str = b->text + b->offs[i];
    p->ready[p->w] = 1;
    pthread_cond_broadcast(&p->cv);
}

int xpipe_row(xpipe *p)
{
    batch *b = &p->b[p->w];
    if (grow((void **)&b->ends, &b->caprows, b->nrows + 1, sizeof *b->ends))
        return p->oom = -1;
    b->ends[b->nrows++] = b->ncells;
    if (b->nrows < XPIPE_ROWS && b->ncells < XPIPE_CELLS && b->ntext < XPIPE_BYTES)
        return 0;
    pthread_mutex_lock(&p->mu);
    hand_over(p);
    p->w ^= 1;
    while (p->ready[p->w] && !p->stop)
        pthread_cond_wait(&p->cv, &p->mu);
    int stop = p->stop;
    pthread_mutex_unlock(&p->mu);
    b = &p->b[p->w];
    b->ncells = b->nrows = b->ntext = 0;
    return stop ? -1 : 0;
}

static void *fill_thread(void *arg)
{
    xpipe *p = arg;
    int rc = p->fill(p->fill_ctx, p);
    pthread_mutex_lock(&p->mu);
    /* The last rows; a row begun but not ended is left out. */
    if (rc == 0 && p->b[p->w].nrows)
        hand_over(p);
    p->rc = rc;
    p->done = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static int put_batch(const batch *b, xpipe_put_fn put, void *ctx)
{
    size_t start = 0;
    for (size_t i = 0; i < b->nrows; i++) {
        if (put(ctx, b->cells + start, b->ends[i] - start))
            return -1;
        start = b->ends[i];
    }
    return 0;
}

int xpipe_run(xpipe_fill_fn fill, void *fill_ctx, xpipe_put_fn put, void *put_ctx)
{
    xpipe *p = kc_calloc(1, sizeof *p);
    if (!p)
        return -1;
    p->fill = fill;
    p->fill_ctx = fill_ctx;
    pthread_t t;
    int bad = pthread_mutex_init(&p->mu, NULL) != 0;
    if (!bad && pthread_cond_init(&p->cv, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        bad = 1;
    }
    if (bad) {
        kc_free(p);
        return -1;
    }
    int err = pthread_create(&t, NULL, fill_thread, p);
    if (err) {
        fprintf(stderr, "kiosk-server: xlsx export: no thread: %s\n", strerror(err));
        bad = 1;
    } else {
        int r = 0;
        pthread_mutex_lock(&p->mu);
        for (;;) {
            while (!p->ready[r] && !p->done)
                pthread_cond_wait(&p->cv, &p->mu);
            if (!p->ready[r])
                break;  /* done, and every batch written */
            pthread_mutex_unlock(&p->mu);
            bad = put_batch(&p->b[r], put, put_ctx);
            pthread_mutex_lock(&p->mu);
            p->ready[r] = 0;
            if (bad) {
                p->stop = 1;
                pthread_cond_broadcast(&p->cv);
                break;
            }
            pthread_cond_broadcast(&p->cv);
            r ^= 1;
        }
        pthread_mutex_unlock(&p->mu);
        pthread_join(t, NULL);
        if (p->oom)
            fprintf(stderr, "kiosk-server: xlsx export: out of memory\n");
        bad = bad || p->rc;
    }
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    batch_free(&p->b[0]);
    batch_free(&p->b[1]);
    kc_free(p);
    return bad ? -1 : 0;
}
