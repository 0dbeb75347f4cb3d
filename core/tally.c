#include "tally.h"

#include <stdlib.h>
#include <string.h>

struct tally {
    const ballot *b;
    tally_row *rows;       /* by project index */
    size_t *order;         /* rank order of project indexes */
    size_t n;
    tally_summary sum;
};

kc_err tally_new(const ballot *b, tally **out)
{
    *out = NULL;
    tally *t = kc_calloc(1, sizeof *t);
    size_t n = ballot_nprojects(b);
    if (!t || !(t->rows = kc_calloc(n, sizeof *t->rows)) ||
        !(t->order = kc_calloc(n, sizeof *t->order))) {
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
    kc_free(t);
}

kc_err tally_add(tally *t, const char *const *picks, size_t n, int staff)
{
    long idx[BALLOT_MAX_PROJECTS];
    long long cost = 0;
    int bad = n > t->n || (long)n < ballot_min_picks(t->b) || (long)n > ballot_max_picks(t->b);
    for (size_t i = 0; i < n && !bad; i++) {
        idx[i] = ballot_project_index(t->b, picks[i]);
        bad = idx[i] < 0;
        for (size_t k = 0; k < i && !bad; k++)
            bad = idx[k] == idx[i];
        if (!bad)
            cost += t->rows[idx[i]].cost;
    }
    if (!bad && ballot_get_rule(t->b) == BALLOT_KNAPSACK && cost > ballot_budget(t->b))
        bad = 1;
    if (bad) {
        t->sum.invalid++;
        return KC_EINVAL;
    }
    for (size_t i = 0; i < n; i++) {
        tally_row *r = &t->rows[idx[i]];
        r->votes++;
        if (staff)
            r->votes_staff++;
        else
            r->votes_code++;
    }
    t->sum.ballots++;
    if (staff)
        t->sum.ballots_staff++;
    else
        t->sum.ballots_code++;
    return KC_OK;
}

static kc_err add_stored(void *ctx, const char *const *picks, size_t n, int staff)
{
    tally_add(ctx, picks, n, staff);  /* an invalid stored vote is counted as invalid */
    return KC_OK;
}

kc_err tally_add_store(tally *t, store *st)
{
    return ballot_votes_each(st, ballot_id(t->b), add_stored, t);
}

/* qsort has no context argument: rows are compared through this wrapper. */
typedef struct rank_key {
    long votes;
    long long cost;
    size_t project;
} rank_key;

static int cmp_rank(const void *pa, const void *pb)
{
    const rank_key *a = pa, *b = pb;
    if (a->votes != b->votes)
        return a->votes > b->votes ? -1 : 1;
    if (a->cost != b->cost)
        return a->cost < b->cost ? -1 : 1;
    return (a->project > b->project) - (a->project < b->project);
}

void tally_compute(tally *t)
{
    rank_key keys[BALLOT_MAX_PROJECTS];
    for (size_t i = 0; i < t->n; i++)
        keys[i] = (rank_key){ t->rows[i].votes, t->rows[i].cost, i };
    qsort(keys, t->n, sizeof keys[0], cmp_rank);
    long long left = t->sum.budget;
    int has_budget = t->sum.budget > 0, cap = ballot_winners(t->b), won = 0;
    t->sum.spent = 0;
    for (size_t r = 0; r < t->n; r++) {
        tally_row *row = &t->rows[keys[r].project];
        t->order[r] = keys[r].project;
        row->rank = (int)r + 1;
        row->tied = (r > 0 && keys[r - 1].votes == row->votes) ||
                    (r + 1 < t->n && keys[r + 1].votes == row->votes);
        row->winner = row->votes > 0 && (!has_budget || row->cost <= left) &&
                      (cap == 0 || won < cap);
        if (row->winner) {
            won++;
            left -= row->cost;
            t->sum.spent += row->cost;
        }
    }
    t->sum.winners = won;
}

size_t tally_nrows(const tally *t) { return t->n; }
const tally_row *tally_row_at(const tally *t, size_t i) { return &t->rows[t->order[i]]; }
void tally_get_summary(const tally *t, tally_summary *s) { *s = t->sum; }

static int csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r"))
        return fputs(s, f) < 0 ? -1 : 0;
    if (fputc('"', f) == EOF)
        return -1;
    for (; *s; s++)
        if ((*s == '"' && fputc('"', f) == EOF) || fputc(*s, f) == EOF)
            return -1;
    return fputc('"', f) == EOF ? -1 : 0;
}

kc_err tally_write_csv(const tally *t, FILE *f)
{
    cat_langs pref = cat_langs_for(CAT_FI);
    if (fputs("rank,id,title,cost,votes,votes_code,votes_staff,tied,winner\r\n", f) < 0)
        return KC_EIO;
    for (size_t i = 0; i < t->n; i++) {
        const tally_row *r = tally_row_at(t, i);
        ballot_project p;
        ballot_project_at(t->b, r->project, &pref, &p);
        if (fprintf(f, "%d,", r->rank) < 0 || csv_field(f, r->id) || fputc(',', f) == EOF ||
            csv_field(f, p.title) ||
            fprintf(f, ",%lld,%ld,%ld,%ld,%d,%d\r\n", r->cost, r->votes, r->votes_code,
                    r->votes_staff, r->tied, r->winner) < 0)
            return KC_EIO;
    }
    return fflush(f) == 0 ? KC_OK : KC_EIO;
}

/* Whole euros with no-break spaces between thousands: "12 500 €". */
static void euros(long long v, char *out, size_t cap)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%lld", v), o = 0;
    for (int i = 0; i < n && (size_t)o + 4 < cap; i++) {
        if (i && (n - i) % 3 == 0) {
            out[o++] = (char)0xC2;
            out[o++] = (char)0xA0;
        }
        out[o++] = digits[i];
    }
    snprintf(out + o, cap - (size_t)o, "\xC2\xA0\xE2\x82\xAC");
}

size_t tally_rule_text(const ballot *b, cat_lang lang, char *buf, size_t cap)
{
    static const char *const order[CAT_NLANG] = {
        "Projektit järjestetään äänimäärän mukaan, eniten ääniä saanut ensin. Tasatilanteessa "
        "edullisempi projekti menee edelle, ja jos hintakin on sama, äänestyslistalla aiemmin "
        "oleva. Projekti ilman yhtään ääntä ei voita.",
        "Projekten ordnas efter antal röster, flest först. Vid lika röstetal går det billigare "
        "projektet före, och vid samma kostnad det som står tidigare på röstsedeln. Ett "
        "projekt utan röster vinner inte.",
        "Projects are ranked by votes, most first. On equal votes the cheaper project comes "
        "first, and at equal cost the one listed earlier on the ballot. A project with no "
        "votes does not win.",
    };
    static const char *const budget[CAT_NLANG] = {
        " Listaa käydään läpi ylhäältä alas: projekti toteutetaan, jos sen kustannus mahtuu "
        "jäljellä olevaan budjettiin (yhteensä %s); muuten siirrytään seuraavaan.",
        " Listan gås igenom uppifrån: ett projekt genomförs om kostnaden ryms i den "
        "återstående budgeten (totalt %s); annars går man vidare till nästa.",
        " Going down the list, a project is funded if its cost fits in what is left of the "
        "budget (%s in all); otherwise the next one is considered.",
    };
    static const char *const top[CAT_NLANG] = {
        " Enintään %d eniten ääniä saanutta projektia voittaa.",
        " Högst %d projekt med flest röster vinner.",
        " At most %d projects with the most votes win.",
    };
    char money[64], part[512];
    size_t need = 0;
    int l = lang >= 0 && lang < CAT_NLANG ? (int)lang : CAT_FI;
    if (cap)
        buf[0] = '\0';
    need += (size_t)snprintf(buf, cap, "%s", order[l]);
    if (ballot_get_rule(b) == BALLOT_APPROVAL) {
        snprintf(part, sizeof part, top[l], ballot_winners(b));
        need += (size_t)snprintf(buf + (need < cap ? need : cap), need < cap ? cap - need : 0,
                                 "%s", part);
    }
    if (ballot_budget(b) > 0) {
        euros(ballot_budget(b), money, sizeof money);
        snprintf(part, sizeof part, budget[l], money);
        need += (size_t)snprintf(buf + (need < cap ? need : cap), need < cap ? cap - need : 0,
                                 "%s", part);
    }
    return need;
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
