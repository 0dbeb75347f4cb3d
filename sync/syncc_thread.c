/* syncc_thread.c - the kiosk's sync thread: one sync (syncc.c) every interval, sooner
 * after a kick, later after failures (equal-jitter backoff); start, stop and kick. */
#include "syncc_impl.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

/* Equal jitter: half the exponential delay fixed, half random, so kiosks that lost
 * the server together do not return together. */
static long long backoff_ms(const syncc_config *cfg, int failures)
{
    long long d = (long long)cfg->backoff_min_s * 1000;
    for (int i = 1; i < failures && d < (long long)cfg->backoff_max_s * 1000; i++)
        d *= 2;
    if (d > (long long)cfg->backoff_max_s * 1000)
        d = (long long)cfg->backoff_max_s * 1000;
    return d / 2 + (long long)randombytes_uniform((uint32_t)(d / 2 + 1));
}

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The realtime clock ms from now, for pthread_cond_timedwait. */
static struct timespec deadline_in(long long ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += (time_t)(ms / 1000);
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

/* Sleeps up to ms, waking early for stop, or for a kick once the kick has settled and
 * the gap since the last sync's start has passed (syncc_impl.h).  Called with mu
 * held. */
static void wait_locked(syncc *c, long long ms)
{
    long long end = mono_ms() + ms;
    struct timespec ts = deadline_in(ms);
    while (!atomic_load(&c->stop) && !c->kicked)
        if (pthread_cond_timedwait(&c->cv, &c->mu, &ts) != 0)
            return;
    if (atomic_load(&c->stop))
        return;
    long long now = mono_ms(), at = now + SYNCC_KICK_SETTLE_MS;
    if (at < c->last_start_ms + SYNCC_KICK_GAP_MS)
        at = c->last_start_ms + SYNCC_KICK_GAP_MS;
    if (at > end)
        at = end;
    if (at <= now)
        return;
    ts = deadline_in(at - now);
    while (!atomic_load(&c->stop))
        if (pthread_cond_timedwait(&c->cv, &c->mu, &ts) != 0)
            break;
}

static void wait_ms(syncc *c, long long ms)
{
    pthread_mutex_lock(&c->mu);
    wait_locked(c, ms);
    c->kicked = 0;
    c->last_start_ms = mono_ms();
    pthread_mutex_unlock(&c->mu);
}

static void *thread_main(void *arg)
{
    syncc *c = arg;
    store *st = NULL;
    while (!atomic_load(&c->stop)) {
        char msg[KC_MSGMAX];
        kc_err rc = st ? KC_OK : syncc_open_store_(c, &st, msg);
        if (!rc) {
            pthread_mutex_lock(&c->mu);
            c->st.state = SYNCC_SYNCING;
            pthread_mutex_unlock(&c->mu);
            rc = syncc_cycle_(c, st, msg);
        } else {
            pthread_mutex_lock(&c->mu);
            c->st.failures++;
            c->st.state = SYNCC_ERROR;
            syncc_copy_cut_(c->st.last_error, sizeof c->st.last_error, msg);
            pthread_mutex_unlock(&c->mu);
        }
        if (atomic_load(&c->stop))
            break;
        pthread_mutex_lock(&c->mu);
        int failures = c->st.failures;
        pthread_mutex_unlock(&c->mu);
        wait_ms(c, rc ? backoff_ms(&c->cfg, failures) : (long long)c->cfg.interval_s * 1000);
    }
    store_close(st);
    return NULL;
}

kc_err syncc_start(syncc *c)
{
    pthread_mutex_lock(&c->mu);
    if (c->running) {
        pthread_mutex_unlock(&c->mu);
        return KC_EUSAGE;
    }
    atomic_store(&c->stop, 0);
    c->kicked = 0;
    int r = pthread_create(&c->th, NULL, thread_main, c);
    c->running = r == 0;
    pthread_mutex_unlock(&c->mu);
    return r == 0 ? KC_OK : KC_ENOMEM;
}

void syncc_stop(syncc *c)
{
    pthread_mutex_lock(&c->mu);
    int running = c->running;
    atomic_store(&c->stop, 1);
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    if (!running)
        return;
    pthread_join(c->th, NULL);
    pthread_mutex_lock(&c->mu);
    c->running = 0;
    pthread_mutex_unlock(&c->mu);
}

void syncc_kick(syncc *c)
{
    pthread_mutex_lock(&c->mu);
    c->kicked = 1;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
}
