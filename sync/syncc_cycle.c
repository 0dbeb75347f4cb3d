/* syncc_cycle.c - one sync: push, the changes check, the catalog pull, documents,
 * settings and the heartbeat, and what it records for the UI and `kioskctl sync
 * status` (the thread that runs it: syncc_thread.c). */
#include "syncc_impl.h"
#include "content.h"
#include "ballot.h"
#include "outbox.h"
#include "store.h"
#include "survey.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Validates every item of the page, then writes the page and the revision it brings
 * the kiosk to in one transaction. */
static kc_err apply_page(store *st, const proto_page *pg, int *changed, char *msg)
{
    cat_item *items = NULL;
    char **bodies = NULL;
    char (*area_ids)[65] = NULL;
    kc_err rc = KC_OK;
    *changed = 0;
    if (pg->nareas && !(area_ids = kc_calloc(pg->nareas, sizeof *area_ids))) {
        rc = kc_fail(msg, KC_ENOMEM, "sync: out of memory");
        goto done;
    }
    if (pg->nitems && (!(items = kc_calloc(pg->nitems, sizeof *items)) ||
                       !(bodies = kc_calloc(pg->nitems, sizeof *bodies)))) {
        rc = kc_fail(msg, KC_ENOMEM, "sync: out of memory");
        goto done;
    }
    for (size_t i = 0; i < pg->nitems; i++) {
        const proto_entry *e = &pg->items[i];
        if (e->deleted)
            continue;
        char m[KC_MSGMAX];
        if ((rc = content_item_from_json(e->body, strlen(e->body), &items[i], m))) {
            kc_fail(msg, rc, "sync: bad catalog page: item \"%s\": %.300s", e->id, m);
            goto done;
        }
        if (strcmp(items[i].id, e->id) != 0) {
            rc = kc_fail(msg, KC_EINVAL, "sync: bad catalog page: item \"%s\" carries id "
                                         "\"%s\"", e->id, items[i].id);
            goto done;
        }
        if ((rc = content_item_to_json(&items[i], &bodies[i]))) {
            kc_fail(msg, rc, "sync: out of memory");
            goto done;
        }
    }
    if (pg->has_areas && (rc = syncc_check_areas_(pg, msg)))
        goto done;
    if ((rc = store_begin(st)))
        goto dbfail;
    for (size_t i = 0; i < pg->nareas; i++) {
        int ch = 0;
        if ((rc = syncc_area_id_(pg->areas[i], area_ids[i]))) {
            kc_fail(msg, rc, "sync: bad catalog page: an area without an id");
            goto rollback;
        }
        if ((rc = store_area_put(st, area_ids[i], pg->areas[i], &ch)))
            goto dbfail;
        *changed |= ch;
    }
    if (pg->has_areas && (rc = syncc_drop_gone_areas_(st, pg, area_ids, changed)))
        goto dbfail;
    for (size_t i = 0; i < pg->nitems; i++) {
        const proto_entry *e = &pg->items[i];
        int ch = 0;
        if (e->deleted)
            rc = store_item_delete(st, e->id, e->rev, &ch);
        else
            rc = store_item_put(st, &items[i], bodies[i], e->rev, &ch);
        if (rc)
            goto dbfail;
        *changed |= ch;
    }
    char rev[32];
    snprintf(rev, sizeof rev, "%lld", pg->rev);
    if ((rc = store_meta_set(st, "sync.catalog_rev", rev)) ||
        (pg->has_areas && (rc = store_meta_set(st, "sync.areas_digest", pg->digest))) ||
        (rc = store_commit(st)))
        goto dbfail;
    goto done;
dbfail:
    kc_fail(msg, rc, "sync: applying catalog page: %s", store_errmsg(st));
rollback:
    store_rollback(st);
    *changed = 0;
done:
    for (size_t i = 0; items && i < pg->nitems; i++) {
        cat_item_clear(&items[i]);
        kc_free(bodies[i]);
    }
    kc_free(items);
    kc_free(bodies);
    kc_free(area_ids);
    return rc;
}

static kc_err pull(syncc *c, store *st, http *h, long *pulled, int *changed, char *msg)
{
    *pulled = 0;
    *changed = 0;
    for (int pages = 0; pages < SYNCC_MAX_PAGES && !atomic_load(&c->stop); pages++) {
        long long since;
        char *digest = NULL;
        kc_err rc = syncc_meta_ll_(st, "sync.catalog_rev", &since);
        if (!rc)
            rc = store_meta_get(st, "sync.areas_digest", &digest);
        if (rc)
            return kc_fail(msg, rc, "sync: %s", store_errmsg(st));
        char path[200];
        snprintf(path, sizeof path, "%s?since=%lld&limit=%d&areas=%.64s", PROTO_PATH_CATALOG,
                 since, c->cfg.page, digest && proto_valid_id(digest) ? digest : "");
        kc_free(digest);
        if ((rc = syncc_http_do_(h, "pulling the catalog", path, NULL, 0, msg)))
            return rc;
        if (h->status == 204)
            return KC_OK;
        if (h->status != 200)
            return syncc_http_fail_(h, "pulling the catalog", msg);
        proto_page pg;
        char m[KC_MSGMAX];
        if ((rc = proto_page_read(h->body.p, h->body.len, since, &pg, m)))
            return kc_fail(msg, rc, "sync: pulling the catalog: bad reply: %.300s", m);
        int ch = 0;
        rc = apply_page(st, &pg, &ch, msg);
        int more = pg.more;
        *pulled += (long)pg.nitems;
        proto_page_free(&pg);
        if (rc)
            return rc;
        if (ch) {
            *changed = 1;
            pthread_mutex_lock(&c->mu);
            c->st.catalog_changes++;
            pthread_mutex_unlock(&c->mu);
        }
        if (!more)
            return KC_OK;
    }
    return KC_OK;
}

/* --- one sync -------------------------------------------------------------------------- */

static kc_err heartbeat(syncc *c, store *st, http *h, const char *last_error, char *msg)
{
    proto_heartbeat hb;
    memset(&hb, 0, sizeof hb);
    syncc_copy_cut_(hb.version, sizeof hb.version, c->version);
    syncc_copy_cut_(hb.last_error, sizeof hb.last_error, last_error);
    long depth = 0, aside = 0;
    char *reason = NULL;
    kc_err rc = syncc_meta_ll_(st, "sync.catalog_rev", &hb.catalog_rev);
    if (!rc)
        rc = outbox_depth(st, &depth);
    if (!rc && !(rc = outbox_set_aside_info(st, &aside, &reason)))
        syncc_copy_cut_(hb.set_aside_reason, sizeof hb.set_aside_reason, reason);
    kc_free(reason);
    if (rc)
        return kc_fail(msg, rc, "sync: %s", store_errmsg(st));
    hb.outbox_depth = depth;
    hb.set_aside = aside;
    proto_buf b = { 0 };
    if (proto_heartbeat_write(&hb, &b))
        return kc_fail(msg, KC_ENOMEM, "sync: out of memory");
    rc = syncc_http_do_(h, "heartbeat", PROTO_PATH_HEARTBEAT, b.p, b.len, msg);
    proto_buf_free(&b);
    if (!rc && h->status != 204 && h->status != 200)
        rc = syncc_http_fail_(h, "heartbeat", msg);
    return rc;
}

/* What the UI and `kioskctl sync status` read from the database. */
static void record(store *st, kc_err rc, const char *msg)
{
    char now[32];
    snprintf(now, sizeof now, "%lld", (long long)time(NULL));
    store_meta_set(st, "sync.last_attempt", now);
    if (!rc)
        store_meta_set(st, "sync.last_ok", now);
    char err[PROTO_LASTERR_MAX + 1];
    syncc_copy_cut_(err, sizeof err, rc ? msg : "");
    store_meta_set(st, "sync.last_error", err);
}

kc_err syncc_cycle_(syncc *c, store *st, char *msg)
{
    http h;
    long pushed = 0, pulled = 0, aside = 0;
    int changed = 0;
    kc_err rc = syncc_http_open_(c, &h, msg);
    if (rc)
        return rc;
    long docs = 0;
    int docs_changed = 0, settings_changed = 0;
    proto_changes ch;
    rc = syncc_push_(c, st, &h, &pushed, &aside, msg);
    /* The pull never waits on the push: a kiosk whose push fails still gets the
     * catalog, surveys, ballots and code uses (double-use prevention needs them).
     * Not after a refused token or when no answer came at all.  After the push, so
     * code uses this kiosk just sent come back in this sync. */
    int reached = !(rc == KC_EIO && h.status == 0);
    if (rc != KC_EDENIED && reached && !atomic_load(&c->stop)) {
        char pm[KC_MSGMAX];
        kc_err pr;
        if (!(pr = syncc_changes_(c, st, &h, &ch, pm)) &&
            !(ch.changed[PROTO_FEED_CAT] && (pr = pull(c, st, &h, &pulled, &changed, pm))))
            pr = syncc_docs_pull_(c, st, &h, &ch, &docs, &docs_changed, pm);
        if (!pr && !atomic_load(&c->stop))
            pr = syncc_settings_pull_(c, st, &h, &ch, &settings_changed, pm);
        if (pr && !rc) {
            rc = pr;
            memcpy(msg, pm, KC_MSGMAX);
        }
    }
    /* A heartbeat also after a refused page, so the administrator sees the error;
     * not after transport failures or refusals, which it would only repeat. */
    long long now = (long long)time(NULL);
    int due = c->cfg.heartbeat_s < 0 || now - c->last_heartbeat >= c->cfg.heartbeat_s ||
              pushed > 0 || aside > 0 || changed || docs_changed ||
              settings_changed;
    if (due && rc != KC_EIO && rc != KC_EDENIED && !atomic_load(&c->stop)) {
        char hm[KC_MSGMAX];
        kc_err hr = heartbeat(c, st, &h, rc ? msg : "", hm);
        if (!hr)
            c->last_heartbeat = now;
        else if (!rc) {
            rc = hr;
            memcpy(msg, hm, KC_MSGMAX);
        }
    }
    long depth = 0, nset = 0;
    long long rev = 0;
    char *reason = NULL;
    outbox_depth(st, &depth);
    outbox_set_aside_info(st, &nset, &reason);
    syncc_meta_ll_(st, "sync.catalog_rev", &rev);
    record(st, rc, msg);
    pthread_mutex_lock(&c->mu);
    c->st.pushed += pushed;
    c->st.pulled += pulled;
    c->st.docs_pulled += docs;
    c->st.docs_changes += docs_changed ? 1 : 0;
    c->st.settings_changes += settings_changed ? 1 : 0;
    c->st.requests += h.requests;
    c->st.bytes_sent += h.sent;
    c->st.bytes_received += h.received;
    c->st.waiting = depth;
    c->st.catalog_rev = rev;
    c->st.set_aside = nset;
    syncc_copy_cut_(c->st.set_aside_reason, sizeof c->st.set_aside_reason, reason ? reason : "");
    if (rc) {
        c->st.failures++;
        c->st.state = rc == KC_EIO ? SYNCC_OFFLINE : SYNCC_ERROR;
        if (!c->st.offline_since)
            c->st.offline_since = now;
        syncc_copy_cut_(c->st.last_error, sizeof c->st.last_error, msg);
    } else {
        c->st.failures = 0;
        c->st.state = SYNCC_UP_TO_DATE;
        c->st.offline_since = 0;
        c->st.last_ok = now;
        c->st.syncs++;
        c->st.last_error[0] = '\0';
    }
    pthread_mutex_unlock(&c->mu);
    kc_free(reason);
    syncc_http_close_(&h);
    return rc;
}

kc_err syncc_open_store_(syncc *c, store **st, char *msg)
{
    kc_err rc = store_open(c->db_path, st);
    if (!rc)
        rc = outbox_init(*st);
    if (!rc)
        rc = survey_init(*st);
    if (!rc)
        rc = ballot_init(*st);
    if (rc) {
        kc_fail(msg, rc, "sync: %s", store_errmsg(*st));
        store_close(*st);
        *st = NULL;
    }
    return rc;
}

kc_err syncc_run_once(syncc *c, char *msg)
{
    pthread_mutex_lock(&c->mu);
    int running = c->running;
    if (!running) {
        c->st.state = SYNCC_SYNCING;
        atomic_store(&c->stop, 0);
    }
    pthread_mutex_unlock(&c->mu);
    if (running)
        return kc_fail(msg, KC_EUSAGE, "sync: the sync thread is running");
    store *st = NULL;
    kc_err rc = syncc_open_store_(c, &st, msg);
    if (!rc)
        rc = syncc_cycle_(c, st, msg);
    store_close(st);
    return rc;
}
