/* tally.c - counting ballots, the greedy methods, the CSV. */
#include "tally_impl.h"
#include "csv.h"

#include <stdlib.h>
#include <string.h>

kc_err tally_new(const ballot *b, tally **out)
{
    *out = NULL;
    tally *t = kc_calloc(1, sizeof *t);
    size_t n = ballot_nprojects(b);
    if (!t || !(t->rows = kc_calloc(n, sizeof *t->rows)) ||
        !(t->order = kc_calloc(n, sizeof *t->order)) ||
        !(t->start = kc_calloc(1, sizeof *t->start))) {
        tally_free(t);
        return KC_ENOMEM;
    }
    t->b = b;
    t->n = n;
    for (size_t i = 0; i < n; i++) {
        t->rows[i].project = i;
        t->rows[i].id = ballot_project_id(b, i);
        t->rows[i].cost = ballot_project_cost(b, i);
        t->order[i] = i;
    }
    t->sum.budget = ballot_budget(b);
    *out = t;
    return KC_OK;
}

void tally_free(tally *t)
{
    if (!t)
        return;
    kc_free(t->rows);
    kc_free(t->order);
    kc_free(t->picks);
    kc_free(t->start);
    kc_free(t->src);
    kc_free(t);
}

/* Room for one more ballot of n picks; on failure nothing changed. */
static kc_err reserve(tally *t, size_t n)
{
    if (t->npicks + n > t->cappicks) {
        size_t cap = t->cappicks ? t->cappicks : 1024;
        while (cap < t->npicks + n)
            cap *= 2;
        unsigned char *p = kc_realloc(t->picks, cap);
        if (!p)
            return KC_ENOMEM;
        t->picks = p;
        t->cappicks = cap;
    }
    if (t->nballots + 1 >= t->capballots) {
        size_t cap = t->capballots ? t->capballots * 2 : 256;
        size_t *st = kc_realloc(t->start, (cap + 1) * sizeof *st);
        if (!st)
            return KC_ENOMEM;
        t->start = st;
        unsigned char *src = kc_realloc(t->src, cap);
        if (!src)
            return KC_ENOMEM;
        t->src = src;
        t->capballots = cap;
    }
    return KC_OK;
}

/* Keeps one counted ballot; idx: distinct valid project indexes of t's ballot. */
static kc_err record(tally *t, const size_t *idx, size_t n, tally_source src)
{
    if (reserve(t, n))
        return KC_ENOMEM;
    /* kept in ballot order whatever order they came in, like the kiosk stores them */
    unsigned char *dst = t->picks + t->npicks;
    size_t k = 0;
    for (size_t p = 0; p < t->n && k < n; p++)
        for (size_t i = 0; i < n; i++)
            if (idx[i] == p)
                dst[k++] = (unsigned char)p;
    t->npicks += n;
    t->src[t->nballots] = (unsigned char)src;
    t->start[++t->nballots] = t->npicks;
    for (size_t i = 0; i < n; i++) {
        tally_row *r = &t->rows[idx[i]];
        r->votes++;
        if (src == TALLY_STAFF)
            r->votes_staff++;
        else if (src == TALLY_PAPER)
            r->votes_paper++;
        else
            r->votes_code++;
    }
    t->sum.ballots++;
    if (src == TALLY_STAFF)
        t->sum.ballots_staff++;
    else if (src == TALLY_PAPER)
        t->sum.ballots_paper++;
    else
        t->sum.ballots_code++;
    return KC_OK;
}

/* 1 when n distinct valid project indexes of b break b's rule (count, budget). */
static int breaks_rule(const ballot *b, const size_t *idx, size_t n)
{
    long long cost = 0;
    if (n > ballot_nprojects(b) || (long)n < ballot_min_picks(b) || (long)n > ballot_max_picks(b))
        return 1;
    for (size_t i = 0; i < n; i++)
        cost += ballot_project_cost(b, idx[i]);
    return ballot_get_rule(b) == BALLOT_KNAPSACK && cost > ballot_budget(b);
}

/* idx: distinct valid project indexes. */
static kc_err count(tally *t, const size_t *idx, size_t n, tally_source src)
{
    if (breaks_rule(t->b, idx, n)) {
        t->sum.invalid++;
        return KC_EINVAL;
    }
    return record(t, idx, n, src);
}

/* picks as distinct project indexes of b; 0 when one is unknown or repeated. */
static int indexes(const ballot *b, const char *const *picks, size_t n, size_t *idx)
{
    if (n > ballot_nprojects(b))
        return 0;
    for (size_t i = 0; i < n; i++) {
        long x = ballot_project_index(b, picks[i]);
        if (x < 0)
            return 0;
        for (size_t k = 0; k < i; k++)
            if (idx[k] == (size_t)x)
                return 0;
        idx[i] = (size_t)x;
    }
    return 1;
}

kc_err tally_add(tally *t, const char *const *picks, size_t n, int staff)
{
    size_t idx[BALLOT_MAX_PROJECTS];
    if (staff < TALLY_CODE || staff > TALLY_PAPER || !indexes(t->b, picks, n, idx)) {
        t->sum.invalid++;
        return KC_EINVAL;
    }
    return count(t, idx, n, (tally_source)staff);
}

kc_err tally_add_judged(tally *t, const ballot *judge, const char *const *picks, size_t n,
                        int src)
{
    if (!judge || judge == t->b || ballot_same_structure(judge, t->b))
        return tally_add(t, picks, n, src);
    size_t idx[BALLOT_MAX_PROJECTS], here[BALLOT_MAX_PROJECTS], k = 0;
    if (src < TALLY_CODE || src > TALLY_PAPER || !indexes(judge, picks, n, idx) ||
        breaks_rule(judge, idx, n)) {
        t->sum.invalid++;
        return KC_EINVAL;
    }
    /* valid as cast; only projects still on the counted ballot get its votes */
    for (size_t i = 0; i < n; i++) {
        long x = ballot_project_index(t->b, picks[i]);
        if (x >= 0)
            here[k++] = (size_t)x;
    }
    kc_err rc = record(t, here, k, (tally_source)src);
    if (!rc)
        t->sum.judged_earlier++;
    return rc;
}

kc_err tally_add_index(tally *t, const size_t *idx, size_t n, tally_source src)
{
    for (size_t i = 0; i < n; i++)
        if (idx[i] >= t->n) {
            t->sum.invalid++;
            return KC_EINVAL;
        }
    return count(t, idx, n, src);
}

/* The store's votes, each judged by its version, loaded once each (a short list: a
 * ballot has few versions). */
typedef struct judge_slot {
    int version;
    ballot *b;    /* NULL: not kept here, judged by the counted version */
} judge_slot;

typedef struct stored_ctx {
    tally *t;
    store *st;
    judge_slot *v;
    size_t nv;
} stored_ctx;

static kc_err add_stored(void *ctx, const char *const *picks, size_t n, int staff, int version)
{
    stored_ctx *c = ctx;
    const ballot *judge = NULL;
    size_t i = 0;
    if (version != ballot_version(c->t->b)) {
        while (i < c->nv && c->v[i].version != version)
            i++;
        if (i == c->nv) {
            judge_slot *nv = kc_realloc(c->v, (c->nv + 1) * sizeof *nv);
            if (!nv)
                return KC_ENOMEM;
            c->v = nv;
            c->v[c->nv++] = (judge_slot){ version, NULL };
            kc_err rc = ballot_store_get_version(c->st, ballot_id(c->t->b), version, &c->v[i].b);
            if (rc && rc != KC_ENOTFOUND)
                return rc;
        }
        judge = c->v[i].b;
    }
    kc_err rc = tally_add_judged(c->t, judge, picks, n, staff);
    return rc == KC_EINVAL ? KC_OK : rc;  /* an invalid stored vote is counted as invalid */
}

kc_err tally_add_store(tally *t, store *st)
{
    stored_ctx c = { t, st, NULL, 0 };
    kc_err rc = ballot_votes_each(st, ballot_id(t->b), add_stored, &c);
    for (size_t i = 0; i < c.nv; i++)
        ballot_free(c.v[i].b);
    kc_free(c.v);
    return rc;
}

static void greedy(tally *t)
{
    ballot_method m = ballot_get_method(t->b);
    long long left = t->sum.budget;
    int has_budget = t->sum.budget > 0, cap = ballot_winners(t->b), won = 0, stopped = 0;
    size_t blocker = 0;
    long need = ballot_threshold_votes(t->b);
    if (ballot_threshold_bp(t->b)) {
        /* at least the share: ceil(ballots * bp / 10000), in integers */
        long long num = (long long)t->sum.ballots * ballot_threshold_bp(t->b);
        need = (long)((num + 9999) / 10000);
    }
    for (size_t r = 0; r < t->n; r++) {
        tally_row *row = &t->rows[t->order[r]];
        row->left = left;
        row->need = need;
        if (row->votes == 0)
            row->why = TALLY_WHY_NO_VOTES;
        else if (row->votes < need)
            row->why = TALLY_WHY_THRESHOLD;
        else if (stopped) {
            row->why = TALLY_WHY_STOPPED;
            row->blocker = blocker;
        } else if (cap && won >= cap)
            row->why = TALLY_WHY_FULL;
        else if (has_budget && row->cost > left) {
            row->why = TALLY_WHY_NO_FIT;
            if (m == BALLOT_GREEDY_NO_SKIP) {
                stopped = 1;
                blocker = row->project;
            }
        } else {
            row->why = has_budget ? TALLY_WHY_FITS : TALLY_WHY_TOP;
            row->winner = 1;
            row->round = ++won;
            left -= row->cost;
            t->sum.spent += row->cost;
        }
    }
    t->sum.winners = won;
}

kc_err tally_compute(tally *t)
{
    tally_rank_(t);
    for (size_t i = 0; i < t->n; i++) {
        tally_row *r = &t->rows[i];
        r->winner = r->round = 0;
        r->left = r->need = r->payers = 0;
        r->blocker = 0;
        r->price = r->backing = 0;
    }
    t->sum.spent = 0;
    t->sum.winners = 0;
    t->sum.share = t->sum.share_base = 0;
    if (ballot_get_method(t->b) == BALLOT_EQUAL_SHARES)
        return tally_mes(t);
    greedy(t);
    return KC_OK;
}

size_t tally_nrows(const tally *t) { return t->n; }
const tally_row *tally_row_at(const tally *t, size_t i) { return &t->rows[t->order[i]]; }
const tally_row *tally_row_of(const tally *t, size_t p) { return &t->rows[p]; }
void tally_get_summary(const tally *t, tally_summary *s) { *s = t->sum; }
const ballot *tally_ballot(const tally *t) { return t->b; }
size_t tally_nballots(const tally *t) { return t->nballots; }

size_t tally_ballot_picks(const tally *t, size_t i, const unsigned char **idx,
                          tally_source *src)
{
    *idx = t->picks + t->start[i];
    if (src)
        *src = (tally_source)t->src[i];
    return t->start[i + 1] - t->start[i];
}

kc_err tally_write_csv(const tally *t, FILE *f)
{
    static const char *const head[] = { "rank", "id", "title", "cost", "votes", "votes_code",
                                        "votes_staff", "votes_paper", "tied", "winner",
                                        "round", "explanation" };
    cat_langs pref = cat_langs_for(CAT_FI);
    int e = csv_bom(f);
    for (size_t i = 0; !e && i < sizeof head / sizeof head[0]; i++)
        e = (i && csv_sep(f)) || csv_text(f, head[i]);
    e = e || csv_eol(f);
    for (size_t i = 0; !e && i < t->n; i++) {
        const tally_row *r = tally_row_at(t, i);
        ballot_project p;
        char why[512];
        ballot_project_at(t->b, r->project, &pref, &p);
        tally_explain(t, r, CAT_EN, why, sizeof why);
        const long long n[] = { r->cost, r->votes, r->votes_code, r->votes_staff,
                                r->votes_paper, r->tied, r->winner, r->round };
        e = csv_int(f, r->rank) || csv_sep(f) || csv_text(f, r->id) || csv_sep(f) ||
            csv_text(f, p.title);
        for (size_t k = 0; !e && k < sizeof n / sizeof n[0]; k++)
            e = csv_sep(f) || csv_int(f, n[k]);
        e = e || csv_sep(f) || csv_text(f, why) || csv_eol(f);
    }
    return !e && fflush(f) == 0 ? KC_OK : KC_EIO;
}

/* --- double use ---------------------------------------------------------------------- */

typedef struct keyed {
    const char *key, *uuid;
    size_t i;
} keyed;

static int cmp_keyed(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    int c = strcmp(a->key, b->key);
    return c ? c : strcmp(a->uuid, b->uuid);
}

/* Sorts by (key, uuid) and calls back for each item: first = first of its key,
 * again = same uuid as the previous item (a resend). */
static kc_err groups(keyed *k, size_t n, void (*fn)(void *, size_t, int, int), void *ctx)
{
    qsort(k, n, sizeof *k, cmp_keyed);
    for (size_t i = 0; i < n; i++) {
        int same_key = i > 0 && strcmp(k[i].key, k[i - 1].key) == 0;
        int again = same_key && strcmp(k[i].uuid, k[i - 1].uuid) == 0;
        fn(ctx, k[i].i, !same_key, again);
    }
    return KC_OK;
}

typedef struct rec_ctx {
    tally_use *uses;
    tally_vote *votes;
    tally_reconcile_report *rep;
    int prev_dup;  /* the previous record's verdict, which a resend repeats */
} rec_ctx;

static void on_use(void *vctx, size_t i, int first, int again)
{
    rec_ctx *c = vctx;
    tally_use *u = &c->uses[i];
    u->duplicate = again ? c->prev_dup : !first;
    c->prev_dup = u->duplicate;
    if (first)
        c->rep->codes_used++;
    else if (!again)
        c->rep->duplicate_uses++;
}

static void on_vote(void *vctx, size_t i, int first, int again)
{
    rec_ctx *c = vctx;
    tally_vote *v = &c->votes[i];
    if (!v->tag) {  /* untagged ballots are all "" here: only resends repeat */
        v->duplicate = 0;
        v->counts = !again;
        c->rep->counted += !again;
        return;
    }
    v->duplicate = again ? c->prev_dup : !first;
    c->prev_dup = v->duplicate;
    v->counts = !v->duplicate && !again;
    if (again)
        return;
    if (v->duplicate)
        c->rep->duplicate_votes++;
    else
        c->rep->counted++;
}

kc_err tally_reconcile(tally_use *uses, size_t nuses, tally_vote *votes, size_t nvotes,
                       tally_reconcile_report *rep)
{
    memset(rep, 0, sizeof *rep);
    size_t nk = nuses > nvotes ? nuses : nvotes;
    keyed *k = kc_malloc((nk ? nk : 1) * sizeof *k);
    if (!k)
        return KC_ENOMEM;
    rec_ctx c = { uses, votes, rep, 0 };
    for (size_t i = 0; i < nuses; i++)
        k[i] = (keyed){ uses[i].code_hash, uses[i].uuid, i };
    groups(k, nuses, on_use, &c);
    for (size_t i = 0; i < nvotes; i++)
        k[i] = (keyed){ votes[i].tag ? votes[i].tag : "", votes[i].uuid, i };
    groups(k, nvotes, on_vote, &c);
    kc_free(k);
    if (rep->duplicate_uses > rep->duplicate_votes)
        rep->unremovable = rep->duplicate_uses - rep->duplicate_votes;
    return KC_OK;
}
