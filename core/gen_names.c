/* The word stock of the synthetic catalog; see gen_names.h. */
#include "gen_names.h"

#include <stdio.h>
#include <string.h>

#define N(a) ((unsigned)(sizeof(a) / sizeof((a)[0])))

/* splitmix64 finaliser: turns the caller's one draw into as many as a name needs. */
static uint64_t stir(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}
static unsigned pick(uint64_t *x, unsigned n) { return (unsigned)(stir(x) % n); }

/* snprintf that reports "did not fit" as 0 with an empty result. */
static size_t put(char *out, size_t cap, int n)
{
    if (n < 0 || (size_t)n >= cap) {
        if (cap)
            out[0] = '\0';
        return 0;
    }
    return (size_t)n;
}

/* Finnish place names are mostly a nature word and a landform: 60 x 24 of them cover
 * the variety of a country's villages.  The landform comes as nominative/genitive. */
static const char *const fi_first[] = {
    "Koivu", "Mänty", "Kuusi", "Haapa", "Leppä", "Pihlaja", "Tammi", "Vaahtera", "Honka",
    "Petäjä", "Kataja", "Paju", "Raita", "Tuomi", "Kivi", "Hiekka", "Savi", "Multa",
    "Kallio", "Suo", "Kurki", "Joutsen", "Hirvi", "Karhu", "Susi", "Kettu", "Ilves",
    "Orava", "Sorsa", "Telkkä", "Kotka", "Haukka", "Korppi", "Varis", "Hauki", "Ahven",
    "Särki", "Lohi", "Made", "Kuha", "Mylly", "Kirkko", "Ranta", "Pappila", "Kartano",
    "Pelto", "Niitty", "Aho", "Kaski", "Tervo", "Hiili", "Rauta", "Musta", "Valko",
    "Puna", "Iso", "Pikku", "Pitkä", "Syvä", "Kauko",
};
static const char *const fi_land[][2] = {
    { "järvi", "järven" }, { "lahti", "lahden" }, { "mäki", "mäen" }, { "niemi", "niemen" },
    { "salmi", "salmen" }, { "koski", "kosken" }, { "kylä", "kylän" }, { "ranta", "rannan" },
    { "vaara", "vaaran" }, { "harju", "harjun" }, { "lampi", "lammen" }, { "joki", "joen" },
    { "saari", "saaren" }, { "kumpu", "kummun" }, { "laakso", "laakson" },
    { "nummi", "nummen" }, { "vuori", "vuoren" }, { "suo", "suon" }, { "aho", "ahon" },
    { "selkä", "selän" }, { "kangas", "kankaan" }, { "kallio", "kallion" },
    { "puro", "puron" }, { "virta", "virran" },
};

size_t genn_village(uint64_t x, int gen, char *out, size_t cap)
{
    const char *a = fi_first[pick(&x, N(fi_first))];
    const char *const *b = fi_land[pick(&x, N(fi_land))];
    /* "Suosuo", "Kalliokallio": not names anyone gives a place */
    if (strncmp(a, b[0], 3) == 0 || (strcmp(a, "Suo") == 0 && strcmp(b[0], "suo") == 0))
        b = fi_land[0];
    return put(out, cap, snprintf(out, cap, "%s%s", a, b[gen ? 1 : 0]));
}

static const char *const sv_first[] = {
    "Väster", "Öster", "Norr", "Söder", "Stor", "Lill", "Ek", "Björk", "Gran", "Tall",
    "Sand", "Sten", "Berg", "Strand", "Kvarn", "Lund", "Hag", "Mal", "Kull", "Fors",
    "Tjärn", "Ängs", "Bred", "Lång", "Sjö", "Kyrk", "Gammel", "Ny", "Hem", "Hög",
};
static const char *const sv_land[] = {
    "by", "vik", "näs", "berg", "backa", "sund", "holm", "fjärd", "ö", "dal", "ås",
    "mark", "kulla", "å", "böle", "skog", "träsk", "nabba",
};

size_t genn_village_sv(uint64_t x, char *out, size_t cap)
{
    const char *a = sv_first[pick(&x, N(sv_first))], *b = sv_land[pick(&x, N(sv_land))];
    return put(out, cap, snprintf(out, cap, "%s%s", a, b));
}

static const char *const sv_nicks[] = {
    "Framåt", "Kraft", "Sisu", "Vega", "Ekan", "Stjärnan", "Viljan", "Hoppet",
    "Kamraterna", "Vikingarna", "Bore", "Unitas", "Dux", "Fram", "Brage", "Kåren",
    "Sporten", "Trian", "Vågen", "Måsen", "Svalan", "Ankaret", "Fyren", "Gnistan",
    "Lärkan", "Vindil", "Drott", "Ran",
};

size_t genn_nick_sv(uint64_t x, char *out, size_t cap)
{
    return put(out, cap, snprintf(out, cap, "%s", sv_nicks[pick(&x, N(sv_nicks))]));
}

/* People the foundations remember; last names with their genitive, the form a
 * foundation's name takes ("Virtasen säätiö"). */
static const char *const pf_first[] = {
    "Aarne", "Eino", "Väinö", "Toivo", "Lauri", "Yrjö", "Kaarlo", "Hilja", "Aili", "Siiri",
    "Elsa", "Helmi", "Martta", "Impi", "Kerttu", "Tyyne", "Olavi", "Onni", "Uuno", "Matti",
    "Anna", "Maria", "Ester", "Selma", "Hugo", "Emil", "Oskar", "Ellen", "Greta", "Ragnar",
};
static const char *const pf_last[][2] = {
    { "Virtanen", "Virtasen" }, { "Korhonen", "Korhosen" }, { "Lindqvist", "Lindqvistin" },
    { "Hakala", "Hakalan" }, { "Laine", "Laineen" }, { "Kallio", "Kallion" },
    { "Rautio", "Raution" }, { "Tuominen", "Tuomisen" }, { "Wikström", "Wikströmin" },
    { "Salo", "Salon" }, { "Kivelä", "Kivelän" }, { "Peltonen", "Peltosen" },
    { "Honkanen", "Honkasen" }, { "Fagerholm", "Fagerholmin" }, { "Rinne", "Rinteen" },
    { "Lahtinen", "Lahtisen" }, { "Vainio", "Vainion" }, { "Aalto", "Aallon" },
    { "Sjöberg", "Sjöbergin" }, { "Hietala", "Hietalan" }, { "Ojala", "Ojalan" },
    { "Kauppinen", "Kauppisen" }, { "Nurmi", "Nurmen" }, { "Grönlund", "Grönlundin" },
    { "Huttunen", "Huttusen" }, { "Mattila", "Mattilan" }, { "Lampinen", "Lampisen" },
    { "Forsman", "Forsmanin" }, { "Toivonen", "Toivosen" }, { "Suominen", "Suomisen" },
    { "Ahlroos", "Ahlroosin" }, { "Kekkonen", "Kekkosen" }, { "Ylönen", "Ylösen" },
    { "Haapala", "Haapalan" }, { "Eskola", "Eskolan" }, { "Kokko", "Kokon" },
};

void genn_foundation(uint64_t x, char *fi, char *sv, char *en, size_t cap)
{
    const char *f = pf_first[pick(&x, N(pf_first))], *f2 = pf_first[pick(&x, N(pf_first))];
    const char *const *l = pf_last[pick(&x, N(pf_last))];
    unsigned form = pick(&x, 6);
    /* Swedish genitive: an -s unless the name already ends in one */
    size_t ln = strlen(l[0]);
    const char *s = l[0][ln - 1] == 's' ? "" : "s";
    sv[0] = en[0] = '\0';
    switch (form) {
    case 0:
        put(fi, cap, snprintf(fi, cap, "%s %s säätiö sr", f, l[1]));
        if (pick(&x, 3) == 0)
            put(sv, cap, snprintf(sv, cap, "%s %s%s stiftelse sr", f, l[0], s));
        break;
    case 1:
        put(fi, cap, snprintf(fi, cap, "%s ja %s %s muistosäätiö sr", f, f2, l[1]));
        break;
    case 2:
        put(fi, cap, snprintf(fi, cap, "%s suvun säätiö sr", l[1]));
        break;
    case 3:
        put(fi, cap, snprintf(fi, cap, "%s %s muistorahasto", f, l[1]));
        break;
    case 4:
        put(fi, cap, snprintf(fi, cap, "%s %s stipendisäätiö sr", f, l[1]));
        if (pick(&x, 2) == 0)
            put(en, cap, snprintf(en, cap, "%s %s Scholarship Foundation", f, l[0]));
        break;
    default:
        put(fi, cap, snprintf(fi, cap, "%s %s%s minnesfond", f, l[0], s));
        put(sv, cap, snprintf(sv, cap, "%s %s%s minnesfond", f, l[0], s));
        break;
    }
}

/* The first UTF-8 character of s (s non-empty) into out at *n. */
static void first_char(const char *s, char *out, size_t *n, size_t cap)
{
    size_t k = 1;
    while (s[k] && ((unsigned char)s[k] & 0xC0) == 0x80)
        k++;
    if (*n + k < cap) {
        memcpy(out + *n, s, k);
        *n += k;
    }
}

size_t genn_acronym(uint64_t x, const char *place_gen, const char *word, size_t wlen,
                    char *out, size_t cap)
{
    static const char *const ends[][2] = {
        { "seura", "S" }, { "yhdistys", "Y" }, { "kerho", "K" }, { "klubi", "K" },
        { "kuoro", "K" }, { "laiset", "" }, { "jat", "" },
    };
    size_t n = 0;
    if (cap < 16 || !*place_gen || wlen == 0) {
        if (cap)
            out[0] = '\0';
        return 0;
    }
    first_char(place_gen, out, &n, cap);
    if (pick(&x, 2))  /* "KuPS" keeps the second letter, "TPS" does not */
        first_char(place_gen + n, out, &n, cap);
    first_char(word, out, &n, cap);
    for (unsigned i = 0; i < N(ends); i++) {
        size_t el = strlen(ends[i][0]);
        if (wlen > el && memcmp(word + wlen - el, ends[i][0], el) == 0) {
            if (n + 1 < cap && *ends[i][1])
                out[n++] = ends[i][1][0];
            break;
        }
    }
    out[n] = '\0';
    return n;
}

/* English-named clubs and Swedish-only names, with the Finnish head they borrow
 * themes and activity from. */
typedef struct pattern { const char *t, *head; } pattern;
static const pattern english[] = {
    { "{p} Cricket Club", "Palloseura" }, { "{p} Rugby Club", "Palloseura" },
    { "{p} Toastmasters", "Työväenyhdistys" }, { "{p} Bridge Club", "Shakkikerho" },
    { "{p} Running Club", "Liikuntaseura" }, { "{p} Ultimate Frisbee", "Palloseura" },
    { "{p} Hash House Harriers", "Liikuntaseura" }, { "{p} Roller Derby", "Liikuntaseura" },
    { "{p} Board Gamers", "Shakkikerho" }, { "{p} English Book Club", "Työväenyhdistys" },
    { "{p} Jazz Society", "Soittokunta" }, { "{p} Gospel Choir", "Sekakuoro" },
    { "{p} Film Society", "Kulttuuriyhdistys" }, { "{p} Makers", "Käsityöseura" },
    { "Salsa Club {p}", "Tanssiseura" }, { "{p} Climbing Club", "Liikuntaseura" },
    { "{p} Expat Parents", "Perheyhdistys" }, { "Women in Tech {p}", "Monikulttuurinen" },
    { "{p} Code Club", "Nuorisoseura" }, { "{p} Indoor Cycling Club", "Uimaseura" },
    { "Team {n} {p}", "Urheiluseura" }, { "{p} Pride", "Monikulttuurinen" },
    { "{p} Birdwatchers", "Luonnonsuojeluyhdistys" }, { "{p} Dog Agility Club", "Kennelkerho" },
};
static const pattern swedish[] = {
    { "Ungdomsföreningen {m} rf", "Nuorisoseura" }, { "IF {m} rf", "Urheiluseura" },
    { "{b} ungdomsförening rf", "Nuorisoseura" }, { "{b} byaförening rf", "Kyläyhdistys" },
    { "Svenska pensionärsföreningen i {s} rf", "Eläkeläiset" },
    { "{b} Marthaförening rf", "Martat" }, { "{b} hembygdsförening rf", "Kotiseutuyhdistys" },
    { "Sångkören {m} rf", "Sekakuoro" }, { "{b} FBK rf", "VPK" },
    { "Föreningen Folkhälsan i {s} rf", "Ystäväpiiri" }, { "{b} skytteförening rf", "Ampumaseura" },
    { "Seglarklubben {m} rf", "Uimaseura" }, { "{s} Svenska Teater rf", "Harrastajateatteri" },
    { "{b} jaktvårdsförening rf", "Metsästysseura" }, { "Bollklubben {m} rf", "Palloseura" },
    { "{b} fiskelag", "Kalastusseura" }, { "Hem och skola i {b} rf", "Vanhempainyhdistys" },
    { "{s} Svenska Scouter rf", "Partiolaiset" },
};

const char *genn_english(uint64_t x, const char **head)
{
    const pattern *p = &english[pick(&x, N(english))];
    *head = p->head;
    return p->t;
}

const char *genn_swedish(uint64_t x, const char **head)
{
    const pattern *p = &swedish[pick(&x, N(swedish))];
    *head = p->head;
    return p->t;
}

/* Sentences a register's descriptions are made of, short and long, so that word
 * statistics over 100 000 descriptions look like real ones rather than ten repeats. */
static const char *const assoc_more[] = {
    "Kokoonnumme {w} koululla.|Vi träffas i skolan i {v}.|We meet at the {v} school.",
    "Harjoitukset pidetään {w} kylätalolla keskiviikkoisin.|Träningarna hålls i bygdegården i {v} på onsdagar.|Practice is at the {v} village hall on Wednesdays.",
    "Tarjoamme {a} myös kesäkaudella.|Vi har verksamhet också på sommaren.|We are active in summer too.",
    "Syksyllä järjestämme avoimet ovet, jolloin voi tulla kokeilemaan.|På hösten har vi öppet hus där man kan prova på.|In autumn we hold an open day to try things out.",
    "Yhdistyksellä on noin {x}0 jäsentä {g} ympäristöstä.|Föreningen har cirka {x}0 medlemmar från trakten kring {s}.|The association has about {x}0 members around {p}.",
    "Kesäisin olemme mukana {w} kyläjuhlilla ja toritapahtumissa.|På somrarna deltar vi i byfesten i {v} och torgevenemang.|In summer we take part in the {v} village fête and market days.",
    "Hallitus kokoontuu kerran kuussa.|Styrelsen träffas en gång i månaden.|The board meets once a month.",
    "Nuoret ja aikuiset harrastavat samoissa ryhmissä, ja ryhmiä ohjaavat koulutetut vapaaehtoiset ohjaajat, joille yhdistys maksaa kurssit.|Unga och vuxna deltar i samma grupper, som leds av utbildade frivilliga ledare vars kurser föreningen betalar.|Young people and adults take part in the same groups, led by trained volunteer instructors whose courses the association pays for.",
    "Vuonna {y} perustettu yhdistys on yksi alueen vanhimmista.|Föreningen grundades {y} och är en av de äldsta i trakten.|Founded in {y}, it is one of the oldest in the area.",
    "Jäsenet saavat jäsenkirjeen neljästi vuodessa.|Medlemmarna får ett medlemsbrev fyra gånger om året.|Members get a newsletter four times a year.",
    "Teemme yhteistyötä {w} koulun, seurakunnan ja naapuriyhdistysten kanssa.|Vi samarbetar med skolan i {v}, församlingen och grannföreningarna.|We work with the {v} school, the parish and neighbouring associations.",
    "Toiminta on päihteetöntä.|Verksamheten är drogfri.|Our activities are alcohol and drug free.",
    "Lapset voivat tulla mukaan vanhempiensa kanssa.|Barn kan komma med sina föräldrar.|Children can come with their parents.",
    "Kaipaamme uusia vapaaehtoisia erityisesti tapahtumien järjestämiseen ja tiedottamiseen.|Vi behöver nya frivilliga, särskilt för evenemang och information.|We need new volunteers, especially for events and communications.",
    "Kevätkauden päättäjäisiä vietetään toukokuussa {w} rannassa.|Vårterminens avslutning firas i maj vid stranden i {v}.|We close the spring season in May on the shore at {v}.",
    "Yhdistys vuokraa kerhohuonetta {g} keskustasta.|Föreningen hyr ett klubbrum i centrum av {s}.|The association rents a club room in central {p}.",
    "Kysy lisää puheenjohtajalta.|Fråga ordföranden.|Ask the chair for more.",
    "Talvella toiminta jatkuu sisätiloissa, ja kesällä retkeilemme lähiseudun luontokohteissa ja saaristossa.|På vintern fortsätter vi inomhus och på sommaren gör vi utflykter till naturen och skärgården i närheten.|In winter we carry on indoors, and in summer we go on trips to nearby nature spots and the archipelago.",
    "Osallistumismaksut pidetään pieninä, ja vähävaraisille on tarjolla vapaapaikkoja.|Avgifterna hålls låga och det finns friplatser för mindre bemedlade.|Fees are kept low and free places are available for those on low incomes.",
    "Toimintakieli on suomi, mutta mukaan voi tulla millä kielellä tahansa.|Verksamhetsspråket är finska, men alla språk är välkomna.|We work in Finnish, but any language is welcome.",
};

const char *genn_assoc_sentence(uint64_t x)
{
    return assoc_more[pick(&x, N(assoc_more))];
}
