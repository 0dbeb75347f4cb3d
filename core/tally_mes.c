/* tally_mes.c - the Method of Equal Shares (approval or cost utilities) with the add-one
 * completion, over the tally's counted ballots.
 *
 * Shares are doubles: the prices compared are ratios of sums of at most 10^5 shares
 * of at most 10^11 euros, far inside a double's 53 bits, and two prices closer than
 * one part in 10^9 are treated as equal so that the tie rule, not rounding, decides. */
#include "tally_impl.h"

#include <math.h>
#include <string.h>

typedef struct mes {
    const tally *t;
    size_t nv;            /* voters: the counted ballots */
    size_t *sup;          /* supporters of project p: sup[sstart[p] .. sstart[p+1]) */
    size_t *sstart;
    double *money;        /* each voter's share left */
    double *lb;           /* a lower bound of each project's price (prices only rise) */
    unsigned char *out;   /* project done: bought or unaffordable */
    unsigned char *paid;  /* voter has paid for something this run */
    size_t *touched;      /* supporters of each project who have paid something */
    int cost_utility;
    /* one run's outcome */
    int *round;           /* 0 = not bought */
    double *price;
    long *payers;
    double *backing;
    long long spent;
    int won;
} mes;

static int same(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

/* What each supporter of p pays when all pay equally, those with less paying all they
 * have: the level found by raising it past each one who cannot pay it.  -1 when the
 * supporters cannot pay p together. */
static double payment(const mes *m, size_t p, double cost, double share)
{
    const size_t *s = m->sup + m->sstart[p];
    size_t k = m->sstart[p + 1] - m->sstart[p];
    if (k && !m->touched[p]) {
        /* every supporter still has the whole share: no need to look at each */
        double level = cost / (double)k;
        return share * (double)k < cost && !same(share * (double)k, cost) ? -1
               : level > share ? share : level;
    }
    double total = 0, least = 0;
    for (size_t i = 0; i < k; i++) {
        double x = m->money[s[i]];
        total += x;
        least = i == 0 || x < least ? x : least;
    }
    if (k == 0 || (total < cost && !same(total, cost)))
        return -1;
    if (cost <= 0)
        return 0;
    double level = cost / (double)k;
    if (least >= level)
        return level;  /* nobody is short of an equal part: the usual case */
    size_t capped = (size_t)-1;
    for (;;) {
        double paid = 0;
        size_t n = 0;
        for (size_t i = 0; i < k; i++)
            if (m->money[s[i]] < level) {
                paid += m->money[s[i]];
                n++;
            }
        if (n == capped || n == k)  /* n == k: all pay all they have, within rounding */
            return level;
        capped = n;
        level = (cost - paid) / (double)(k - n);
    }
}

/* One run with every voter's share at `share`. */
static void run(mes *m, double share)
{
    const tally *t = m->t;
    size_t np = t->n;
    for (size_t v = 0; v < m->nv; v++) {
        m->money[v] = share;
        m->paid[v] = 0;
    }
    for (size_t p = 0; p < np; p++) {
        m->round[p] = 0;
        m->price[p] = m->backing[p] = 0;
        m->payers[p] = 0;
        m->lb[p] = 0;
        m->touched[p] = 0;
        m->out[p] = m->sstart[p + 1] == m->sstart[p];
    }
    m->spent = 0;
    m->won = 0;
    size_t order[BALLOT_MAX_PROJECTS];
    for (;;) {
        /* candidates by their lower bound, so most need no evaluation this round */
        size_t nc = 0;
        for (size_t p = 0; p < np; p++) {
            if (m->out[p])
                continue;
            size_t k = nc++;
            for (; k > 0 && m->lb[order[k - 1]] > m->lb[p]; k--)
                order[k] = order[k - 1];
            order[k] = p;
        }
        long best = -1;
        double best_rho = 0, best_pay = 0;
        for (size_t c = 0; c < nc; c++) {
            size_t p = order[c];
            if (best >= 0 && m->lb[p] > best_rho && !same(m->lb[p], best_rho))
                break;
            double cost = (double)t->rows[p].cost;
            double pay = payment(m, p, cost, share);
            if (pay < 0) {
                m->out[p] = 1;  /* shares only shrink: it stays unaffordable */
                continue;
            }
            double rho = m->cost_utility ? (cost > 0 ? pay / cost : 0) : pay;
            m->lb[p] = rho;
            if (best < 0 || (rho < best_rho && !same(rho, best_rho)) ||
                (same(rho, best_rho) && tally_before(t, p, (size_t)best))) {
                best = (long)p;
                best_rho = rho;
                best_pay = pay;
            }
        }
        if (best < 0)
            break;
        size_t p = (size_t)best;
        const size_t *s = m->sup + m->sstart[p];
        long payers = 0;
        for (size_t i = m->sstart[p]; i < m->sstart[p + 1]; i++) {
            double *mv = &m->money[s[i - m->sstart[p]]];
            double paid = *mv < best_pay ? *mv : best_pay;
            payers += paid > 0;
            *mv -= paid;
            size_t v = s[i - m->sstart[p]];
            if (paid > 0 && !m->paid[v]) {
                m->paid[v] = 1;
                for (size_t j = t->start[v]; j < t->start[v + 1]; j++)
                    m->touched[t->picks[j]]++;
            }
        }
        m->out[p] = 1;
        m->round[p] = ++m->won;
        m->price[p] = best_pay;
        m->payers[p] = payers;
        m->spent += t->rows[p].cost;
    }
}

/* What the supporters of each project not bought still had, for the explanations. */
static void backing(mes *m)
{
    for (size_t p = 0; p < m->t->n; p++) {
        double b = 0;
        if (!m->round[p])
            for (size_t i = m->sstart[p]; i < m->sstart[p + 1]; i++)
                b += m->money[m->sup[i]];
        m->backing[p] = b;
    }
}

static void mes_free(mes *m)
{
    kc_free(m->sup);
    kc_free(m->sstart);
    kc_free(m->money);
    kc_free(m->lb);
    kc_free(m->out);
    kc_free(m->paid);
    kc_free(m->touched);
    kc_free(m->round);
    kc_free(m->price);
    kc_free(m->payers);
    kc_free(m->backing);
}

/* Keeps run m's outcome in the rows. */
static void keep(tally *t, mes *m)
{
    backing(m);
    for (size_t p = 0; p < t->n; p++) {
        tally_row *r = &t->rows[p];
        r->winner = m->round[p] > 0;
        r->round = m->round[p];
        r->price = m->price[p];
        r->payers = m->payers[p];
        r->backing = m->backing[p];
        r->why = r->winner ? TALLY_WHY_SHARES : r->votes ? TALLY_WHY_SHORT : TALLY_WHY_NO_VOTES;
    }
    t->sum.spent = m->spent;
    t->sum.winners = m->won;
}

kc_err tally_mes(tally *t)
{
    mes m;
    memset(&m, 0, sizeof m);
    m.t = t;
    m.nv = t->nballots;
    m.cost_utility = ballot_mes_cost_utility(t->b);
    size_t np = t->n;
    if (!(m.sstart = kc_calloc(np + 1, sizeof *m.sstart)) ||
        !(m.sup = kc_calloc(t->npicks ? t->npicks : 1, sizeof *m.sup)) ||
        !(m.money = kc_calloc(m.nv ? m.nv : 1, sizeof *m.money)) ||
        !(m.lb = kc_calloc(np, sizeof *m.lb)) || !(m.out = kc_calloc(np, 1)) ||
        !(m.paid = kc_calloc(m.nv ? m.nv : 1, 1)) ||
        !(m.touched = kc_calloc(np, sizeof *m.touched)) ||
        !(m.round = kc_calloc(np, sizeof *m.round)) ||
        !(m.price = kc_calloc(np, sizeof *m.price)) ||
        !(m.payers = kc_calloc(np, sizeof *m.payers)) ||
        !(m.backing = kc_calloc(np, sizeof *m.backing))) {
        mes_free(&m);
        return KC_ENOMEM;
    }
    for (size_t i = 0; i < t->npicks; i++)
        m.sstart[t->picks[i] + 1]++;
    for (size_t p = 0; p < np; p++)
        m.sstart[p + 1] += m.sstart[p];
    {
        /* counting sort of (project, voter): supporters end up in voter order */
        size_t next[BALLOT_MAX_PROJECTS];
        memcpy(next, m.sstart, np * sizeof *next);
        for (size_t v = 0; v < m.nv; v++)
            for (size_t i = t->start[v]; i < t->start[v + 1]; i++)
                m.sup[next[t->picks[i]]++] = v;
    }
    long long budget = t->sum.budget;
    double base = m.nv ? (double)budget / (double)m.nv : 0;
    t->sum.share_base = base;
    t->sum.share = base;
    run(&m, base);
    keep(t, &m);
    if (ballot_mes_add_one(t->b) && m.nv) {
        /* Add one euro to every share until the outcome would pass the budget; the last
         * outcome that fits stands.  Ends at the latest when a share alone pays the
         * dearest project: then every project with a vote is bought. */
        long long dearest = 0;
        size_t supported = 0;
        for (size_t p = 0; p < np; p++)
            if (m.sstart[p + 1] > m.sstart[p]) {
                supported++;
                if (t->rows[p].cost > dearest)
                    dearest = t->rows[p].cost;
            }
        /* steps from the whole euros of the share, as pabulib's reference does */
        double whole = (double)(budget / (long long)m.nv);
        for (long long k = 1; (size_t)t->sum.winners < supported; k++) {
            double share = whole + (double)k;
            run(&m, share);
            if (m.spent > budget)
                break;
            keep(t, &m);
            t->sum.share = share;
            if (share > (double)dearest)
                break;
        }
    }
    mes_free(&m);
    return KC_OK;
}
