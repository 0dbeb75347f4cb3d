/* tally_text.c - the counting rule and each project's result in words (fi, sv, en). */
#include "tally_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Whole euros with no-break spaces between thousands: "12 500 €". */
static void euros(long long v, char *out, size_t cap)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%lld", v < 0 ? -v : v), o = 0;
    if (v < 0 && cap > 1)
        out[o++] = '-';
    for (int i = 0; i < n && (size_t)o + 4 < cap; i++) {
        if (i && (n - i) % 3 == 0) {
            out[o++] = (char)0xC2;
            out[o++] = (char)0xA0;
        }
        out[o++] = digits[i];
    }
    snprintf(out + o, cap - (size_t)o, "\xC2\xA0\xE2\x82\xAC");
}

/* Euros and cents, rounded up to the cent (a price is never shown lower than paid):
 * "12,34 €", in English "12.34 €". */
static void euros_cents(double v, int lang, char *out, size_t cap)
{
    long long c = (long long)ceil(v * 100.0 - 1e-6);
    char whole[64];
    euros(c / 100, whole, sizeof whole);
    size_t n = strlen(whole) - 5;  /* before the no-break space and the euro sign */
    snprintf(out, cap, "%.*s%c%02lld%s", (int)n, whole, lang == CAT_EN ? '.' : ',', c % 100,
             whole + n);
}

/* "10", "12,5" (en "12.5"): a share in hundredths of a per cent. */
static void percent(long bp, int lang, char *out, size_t cap)
{
    if (bp % 100 == 0)
        snprintf(out, cap, "%ld", bp / 100);
    else if (bp % 10 == 0)
        snprintf(out, cap, "%ld%c%ld", bp / 100, lang == CAT_EN ? '.' : ',', bp / 10 % 10);
    else
        snprintf(out, cap, "%ld%c%02ld", bp / 100, lang == CAT_EN ? '.' : ',', bp % 100);
}

/* Appends to buf as snprintf would, counting what was needed past cap. */
static void add(char *buf, size_t cap, size_t *need, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add(char *buf, size_t cap, size_t *need, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + (*need < cap ? *need : cap), *need < cap ? cap - *need : 0, fmt,
                      ap);
    va_end(ap);
    if (n > 0)
        *need += (size_t)n;
}

enum { T_RANK, T_TIE_CHEAPER, T_TIE_DEARER, T_TIE_LISTED, T_NO_VOTES, T_GREEDY, T_NO_SKIP,
       T_PCT, T_VOTES, T_TOP, T_CAP, T_MES, T_MES_APPROVAL, T_MES_COST, T_MES_END, T_ADD_ONE,
       T_MES_TIES, T_N };

static const char *const rule_words[T_N][CAT_NLANG] = {
    [T_RANK] = { "Projektit järjestetään äänimäärän mukaan, eniten ääniä saanut ensin.",
                 "Projekten ordnas efter antal röster, flest först.",
                 "Projects are ranked by votes, most first." },
    [T_TIE_CHEAPER] = { " Tasatilanteessa edullisempi projekti menee edelle, ja jos hintakin "
                        "on sama, äänestyslistalla aiemmin oleva.",
                        " Vid lika röstetal går det billigare projektet före, och vid samma "
                        "kostnad det som står tidigare på röstsedeln.",
                        " On equal votes the cheaper project comes first, and at equal cost "
                        "the one listed earlier on the ballot." },
    [T_TIE_DEARER] = { " Tasatilanteessa kalliimpi projekti menee edelle, ja jos hintakin on "
                       "sama, äänestyslistalla aiemmin oleva.",
                       " Vid lika röstetal går det dyrare projektet före, och vid samma "
                       "kostnad det som står tidigare på röstsedeln.",
                       " On equal votes the dearer project comes first, and at equal cost the "
                       "one listed earlier on the ballot." },
    [T_TIE_LISTED] = { " Tasatilanteessa äänestyslistalla aiemmin oleva projekti menee edelle.",
                       " Vid lika röstetal går det projekt före som står tidigare på "
                       "röstsedeln.",
                       " On equal votes the project listed earlier on the ballot comes "
                       "first." },
    [T_NO_VOTES] = { " Projekti ilman yhtään ääntä ei voita.", " Ett projekt utan röster "
                     "vinner inte.", " A project with no votes does not win." },
    [T_GREEDY] = { " Listaa käydään läpi ylhäältä alas: projekti toteutetaan, jos sen "
                   "kustannus mahtuu jäljellä olevaan budjettiin (yhteensä %s); muuten "
                   "siirrytään seuraavaan.",
                   " Listan gås igenom uppifrån: ett projekt genomförs om kostnaden ryms i "
                   "den återstående budgeten (totalt %s); annars går man vidare till nästa.",
                   " Going down the list, a project is funded if its cost fits in what is "
                   "left of the budget (%s in all); otherwise the next one is considered." },
    [T_NO_SKIP] = { " Listaa käydään läpi ylhäältä alas: projekteja toteutetaan niin kauan "
                    "kuin niiden kustannus mahtuu jäljellä olevaan budjettiin (yhteensä %s). "
                    "Läpikäynti päättyy ensimmäiseen projektiin, joka ei mahdu.",
                    " Listan gås igenom uppifrån: projekt genomförs så länge kostnaden ryms i "
                    "den återstående budgeten (totalt %s). Genomgången slutar vid det första "
                    "projekt som inte ryms.",
                    " Going down the list, projects are funded while their cost fits in what "
                    "is left of the budget (%s in all). Counting stops at the first project "
                    "that does not fit." },
    [T_PCT] = { " Mukaan pääsevät vain projektit, joita on äänestetty vähintään %s %%:ssa "
                "hyväksytyistä äänestyslipuista.",
                " Bara projekt som finns på minst %s %% av de godkända röstsedlarna är med.",
                " Only projects on at least %s %% of the counted ballots take part." },
    [T_VOTES] = { " Mukaan pääsevät vain projektit, jotka saavat vähintään %ld ääntä.",
                  " Bara projekt som får minst %ld röster är med.",
                  " Only projects with at least %ld votes take part." },
    [T_TOP] = { " Enintään %d eniten ääniä saanutta projektia voittaa.",
                " Högst %d projekt med flest röster vinner.",
                " At most %d projects with the most votes win." },
    [T_CAP] = { " Enintään %d projektia voittaa.", " Högst %d projekt vinner.",
                " At most %d projects win." },
    [T_MES] = { " Budjetti (%s) jaetaan tasan äänestäjien kesken. Projekti toteutetaan, kun "
                "sen kannattajat voivat maksaa sen yhdessä osuuksistaan.",
                " Budgeten (%s) delas lika mellan de röstande. Ett projekt genomförs när dess "
                "anhängare tillsammans kan betala det ur sina andelar.",
                " The budget (%s) is divided equally between the voters. A project is funded "
                "when its supporters can pay for it together from their shares." },
    [T_MES_APPROVAL] = { " Ensin toteutetaan projekti, joka maksaa kannattajaa kohden "
                         "vähiten.",
                         " Först genomförs det projekt som kostar varje anhängare minst.",
                         " The project that costs each supporter least is funded first." },
    [T_MES_COST] = { " Ensin toteutetaan projekti, joka maksaa kannattajaa kohden vähiten "
                     "suhteessa projektin hintaan.",
                     " Först genomförs det projekt som kostar varje anhängare minst i "
                     "förhållande till projektets pris.",
                     " The project that costs each supporter least for each euro of its "
                     "price is funded first." },
    [T_MES_END] = { " Kukin kannattaja maksaa saman summan tai kaiken, mitä hänellä on "
                    "jäljellä. Valinta päättyy, kun yhtäkään projektia ei voi enää maksaa.",
                    " Varje anhängare betalar lika mycket eller allt som återstår. Valet "
                    "slutar när inget projekt längre kan betalas.",
                    " Each supporter pays the same, or all they have left. Funding stops "
                    "when no further project can be paid for." },
    [T_ADD_ONE] = { " Jotta budjetti tulee käytettyä, jokaisen äänestäjän osuutta korotetaan "
                    "sitten euro kerrallaan niin kauan kuin valitut projektit mahtuvat "
                    "budjettiin.",
                    " För att budgeten ska användas höjs sedan varje röstandes andel en euro "
                    "i taget så länge de valda projekten ryms i budgeten.",
                    " So that the budget is used, every voter's share is then raised one "
                    "euro at a time for as long as the projects chosen still fit in the "
                    "budget." },
    [T_MES_TIES] = { " Saman hinnan projekteista ratkaisee järjestys yllä.",
                     " Mellan projekt med samma pris avgör ordningen ovan.",
                     " Between projects of equal price the order above decides." },
};

size_t tally_rule_text(const ballot *b, cat_lang lang, char *buf, size_t cap)
{
    int l = lang >= 0 && lang < CAT_NLANG ? (int)lang : CAT_FI;
    size_t need = 0;
    char money[64], pct[32];
    if (cap)
        buf[0] = '\0';
    ballot_method m = ballot_get_method(b);
    ballot_ties ties = ballot_get_ties(b);
    add(buf, cap, &need, "%s", rule_words[T_RANK][l]);
    add(buf, cap, &need, "%s", rule_words[ties == BALLOT_TIES_CHEAPER  ? T_TIE_CHEAPER
                                           : ties == BALLOT_TIES_DEARER ? T_TIE_DEARER
                                                                        : T_TIE_LISTED][l]);
    add(buf, cap, &need, "%s", rule_words[T_NO_VOTES][l]);
    euros(ballot_budget(b), money, sizeof money);
    if (m == BALLOT_EQUAL_SHARES) {
        add(buf, cap, &need, rule_words[T_MES][l], money);
        add(buf, cap, &need, "%s",
            rule_words[ballot_mes_cost_utility(b) ? T_MES_COST : T_MES_APPROVAL][l]);
        add(buf, cap, &need, "%s", rule_words[T_MES_END][l]);
        add(buf, cap, &need, "%s", rule_words[T_MES_TIES][l]);
        if (ballot_mes_add_one(b))
            add(buf, cap, &need, "%s", rule_words[T_ADD_ONE][l]);
        return need;
    }
    if (ballot_threshold_bp(b)) {
        percent(ballot_threshold_bp(b), l, pct, sizeof pct);
        add(buf, cap, &need, rule_words[T_PCT][l], pct);
    } else if (ballot_threshold_votes(b)) {
        add(buf, cap, &need, rule_words[T_VOTES][l], ballot_threshold_votes(b));
    }
    if (ballot_winners(b))
        add(buf, cap, &need, rule_words[ballot_budget(b) ? T_CAP : T_TOP][l],
            ballot_winners(b));
    if (ballot_budget(b))
        add(buf, cap, &need, rule_words[m == BALLOT_GREEDY_NO_SKIP ? T_NO_SKIP : T_GREEDY][l],
            money);
    return need;
}

static const char *const why_words[][CAT_NLANG] = {
    [TALLY_WHY_FITS] = { "Voitti: mahtui budjettiin (jäljellä %s, maksaa %s).",
                         "Vann: rymdes i budgeten (%s kvar, kostar %s).",
                         "Won: it fitted the budget (%s left, costs %s)." },
    [TALLY_WHY_TOP] = { "Voitti: %d eniten ääniä saaneen joukossa.",
                        "Vann: bland de %d med flest röster.",
                        "Won: among the %d projects with the most votes." },
    [TALLY_WHY_SHARES] = { "Voitti: %ld kannattajaa maksoi sen osuuksistaan, kukin enintään "
                           "%s.",
                           "Vann: %ld anhängare betalade det ur sina andelar, högst %s var.",
                           "Won: %ld supporters paid for it from their shares, at most %s "
                           "each." },
    [TALLY_WHY_NO_VOTES] = { "Ei ääniä.", "Inga röster.", "No votes." },
    [TALLY_WHY_NO_FIT] = { "Ei mahtunut: jäljellä %s, maksaa %s.",
                           "Rymdes inte: %s kvar, kostar %s.",
                           "Did not fit: %s left, costs %s." },
    [TALLY_WHY_STOPPED] = { "Ei käsitelty: läpikäynti päättyi projektiin \"%s\", joka ei "
                            "mahtunut.",
                            "Inte behandlat: genomgången slutade vid \"%s\", som inte rymdes.",
                            "Not considered: counting stopped at \"%s\", which did not "
                            "fit." },
    [TALLY_WHY_THRESHOLD] = { "Jäi alle rajan: %ld ääntä, tarvittiin %ld.",
                              "Under gränsen: %ld röster, %ld behövdes.",
                              "Below the threshold: %ld votes, %ld needed." },
    [TALLY_WHY_FULL] = { "%d voittajaa oli jo valittu.", "De %d vinnarna var redan valda.",
                         "The %d winners had been chosen already." },
    [TALLY_WHY_SHORT] = { "Ei rahoitettu: kannattajilla oli osuuksistaan jäljellä %s, "
                          "projekti maksaa %s.",
                          "Inte finansierat: anhängarna hade %s kvar av sina andelar, "
                          "projektet kostar %s.",
                          "Not funded: its supporters had %s left of their shares, it costs "
                          "%s." },
};

size_t tally_explain(const tally *t, const tally_row *r, cat_lang lang, char *buf,
                     size_t cap)
{
    int l = lang >= 0 && lang < CAT_NLANG ? (int)lang : CAT_FI;
    size_t need = 0;
    char a[64], c[64];
    const char *w = why_words[r->why][l];
    if (cap)
        buf[0] = '\0';
    euros(r->cost, c, sizeof c);
    switch (r->why) {
    case TALLY_WHY_FITS:
    case TALLY_WHY_NO_FIT:
        euros(r->left, a, sizeof a);
        add(buf, cap, &need, w, a, c);
        break;
    case TALLY_WHY_TOP:
    case TALLY_WHY_FULL:
        add(buf, cap, &need, w, ballot_winners(t->b));
        break;
    case TALLY_WHY_SHARES:
        euros_cents(r->price, l, a, sizeof a);
        add(buf, cap, &need, w, r->payers, a);
        break;
    case TALLY_WHY_NO_VOTES:
        add(buf, cap, &need, "%s", w);
        break;
    case TALLY_WHY_STOPPED: {
        cat_langs pref = cat_langs_for((cat_lang)l);
        ballot_project p;
        ballot_project_at(t->b, r->blocker, &pref, &p);
        add(buf, cap, &need, w, p.title);
        break;
    }
    case TALLY_WHY_THRESHOLD:
        add(buf, cap, &need, w, r->votes, r->need);
        break;
    case TALLY_WHY_SHORT:
        euros_cents(r->backing, l, a, sizeof a);
        add(buf, cap, &need, w, a, c);
        break;
    }
    return need;
}
