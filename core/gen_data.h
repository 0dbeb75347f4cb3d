/*
 * gen_data.h - the synthetic catalog's tables: kinds and their field frequencies,
 * places, association name heads, task, venue and text pools.
 *
 * Included through gen_text.h: gen.c builds items from the tables, gen_text.c uses
 * none of them (only the sizes of gctx; a table a file does not use is not kept in its
 * optimised object).  The tables stay `static const` arrays so gen.c can size its
 * per-place buffers and pick from every pool with sizeof; keeping them here leaves
 * gen.c with the code that builds items.
 */
#ifndef GEN_DATA_H
#define GEN_DATA_H

#include <stddef.h>

/* Written in this order so every relation points back to an item already written. */
enum { K_CONTACT, K_VENUE, K_ASSOC, K_OPP, K_EVENT, K_GRANT, K_N };

/* Per kind: its share of the items in percent (associations get the rest) and how
 * often, in percent, an item has each of the common fields. */
typedef struct kspec {
    const char *name;
    char tag;
    int share;
    unsigned desc, area, langs, addr, phone, cname, cperson;
} kspec;
static const kspec kinds[K_N] = {
    /*                       share desc area langs addr phone cname cperson */
    { "contact", 'c', 2, 50, 95, 0, 60, 90, 0, 0 },
    { "venue", 'v', 4, 70, 95, 30, 90, 60, 0, 30 },
    { "association", 'a', 0, 85, 90, 100, 50, 50, 40, 20 },
    { "opportunity", 'o', 8, 80, 90, 50, 30, 30, 50, 20 },
    { "event", 'e', 4, 80, 95, 40, 50, 20, 0, 20 },
    { "grant", 'g', 2, 70, 90, 0, 0, 0, 0, 60 },
};

/* 'c' city, 'b' city with many Swedish speakers (Swedish-named associations live
 * there), 'd' district, 'v' village.  Districts and villages belong to the city above
 * them.  w, four times the square root of the population in thousands, weights where
 * items live: small places have more associations per resident than big ones. */
typedef struct place { char type; const char *fi, *gen, *sv; int w; } place;
static const place places[] = {
    {'b', "Helsinki", "Helsingin", "Helsingfors", 103}, {'d', "Kallio", "Kallion", "Berghäll", 0},
    {'d', "Vuosaari", "Vuosaaren", "Nordsjö", 0}, {'d', "Malmi", "Malmin", "Malm", 0},
    {'d', "Kontula", "Kontulan", "Gårdsbacka", 0}, {'d', "Pasila", "Pasilan", "Böle", 0},
    {'d', "Munkkiniemi", "Munkkiniemen", "Munksnäs", 0},
    {'d', "Herttoniemi", "Herttoniemen", "Hertonäs", 0}, {'d', "Kannelmäki", "Kannelmäen", "Gamlas", 0},
    {'d', "Myllypuro", "Myllypuron", "Kvarnbäcken", 0}, {'d', "Maunula", "Maunulan", "Månsas", 0},
    {'d', "Lauttasaari", "Lauttasaaren", "Drumsö", 0},
    {'d', "Pihlajamäki", "Pihlajamäen", "Rönnbacka", 0}, {'b', "Espoo", "Espoon", "Esbo", 69},
    {'d', "Tapiola", "Tapiolan", "Hagalund", 0}, {'d', "Leppävaara", "Leppävaaran", "Alberga", 0},
    {'d', "Matinkylä", "Matinkylän", "Mattby", 0}, {'d', "Espoonlahti", "Espoonlahden", "Esboviken", 0},
    {'d', "Kauklahti", "Kauklahden", "Köklax", 0}, {'v', "Nuuksio", "Nuuksion", "Noux", 0},
    {'c', "Vantaa", "Vantaan", "Vanda", 62}, {'d', "Tikkurila", "Tikkurilan", "Dickursby", 0},
    {'d', "Myyrmäki", "Myyrmäen", "Myrbacka", 0}, {'d', "Korso", "Korson", NULL, 0},
    {'d', "Hakunila", "Hakunilan", "Håkansböle", 0}, {'c', "Tampere", "Tampereen", "Tammerfors", 63},
    {'d', "Hervanta", "Hervannan", NULL, 0}, {'d', "Tesoma", "Tesoman", NULL, 0},
    {'d', "Kaleva", "Kalevan", NULL, 0}, {'d', "Lielahti", "Lielahden", NULL, 0},
    {'v', "Teisko", "Teiskon", NULL, 0}, {'b', "Turku", "Turun", "Åbo", 57},
    {'d', "Varissuo", "Varissuon", "Kråkkärret", 0}, {'d', "Runosmäki", "Runosmäen", "Runosbacka", 0},
    {'d', "Hirvensalo", "Hirvensalon", NULL, 0}, {'v', "Paattinen", "Paattisten", "Patis", 0},
    {'c', "Oulu", "Oulun", "Uleåborg", 59}, {'d', "Kaakkuri", "Kaakkurin", NULL, 0},
    {'d', "Haukipudas", "Haukiputaan", NULL, 0}, {'d', "Kiiminki", "Kiimingin", NULL, 0},
    {'v', "Ylikiiminki", "Ylikiimingin", NULL, 0}, {'v', "Yli-Ii", "Yli-Iin", NULL, 0},
    {'c', "Jyväskylä", "Jyväskylän", NULL, 49}, {'d', "Kuokkala", "Kuokkalan", NULL, 0},
    {'d', "Palokka", "Palokan", NULL, 0}, {'v', "Korpilahti", "Korpilahden", NULL, 0},
    {'v', "Tikkakoski", "Tikkakosken", NULL, 0}, {'c', "Kuopio", "Kuopion", NULL, 45},
    {'d', "Nilsiä", "Nilsiän", NULL, 0}, {'d', "Juankoski", "Juankosken", NULL, 0},
    {'d', "Petonen", "Petosen", NULL, 0}, {'d', "Puijonlaakso", "Puijonlaakson", NULL, 0},
    {'d', "Saaristokaupunki", "Saaristokaupungin", NULL, 0}, {'v', "Karttula", "Karttulan", NULL, 0},
    {'v', "Vehmersalmi", "Vehmersalmen", NULL, 0}, {'v', "Tahko", "Tahkon", NULL, 0},
    {'c', "Lahti", "Lahden", "Lahtis", 44}, {'d', "Nastola", "Nastolan", NULL, 0},
    {'d', "Mukkula", "Mukkulan", NULL, 0}, {'c', "Pori", "Porin", "Björneborg", 36},
    {'d', "Noormarkku", "Noormarkun", "Norrmark", 0}, {'d', "Kuninkoja", "Kuninkojan", NULL, 0},
    {'v', "Ahlainen", "Ahlaisten", "Vittisbofjärd", 0}, {'v', "Reposaari", "Reposaaren", "Räfsö", 0},
    {'v', "Lavia", "Lavian", NULL, 0}, {'b', "Porvoo", "Porvoon", "Borgå", 29},
    {'d', "Gammelbacka", "Gammelbackan", "Gammelbacka", 0},
    {'d', "Kevätkumpu", "Kevätkummun", "Vårberga", 0}, {'d', "Hamari", "Hamarin", "Hammars", 0},
    {'v', "Pellinki", "Pellingin", "Pellinge", 0}, {'v', "Kerkkoo", "Kerkkoon", "Kerko", 0},
    {'v', "Ilola", "Ilolan", "Illby", 0}, {'c', "Ylöjärvi", "Ylöjärven", NULL, 23},
    {'d', "Metsäkylä", "Metsäkylän", NULL, 0}, {'d', "Vuorentausta", "Vuorentaustan", NULL, 0},
    {'d', "Siivikkala", "Siivikkalan", NULL, 0}, {'v', "Kuru", "Kurun", NULL, 0},
    {'v', "Viljakkala", "Viljakkalan", NULL, 0}, {'c', "Hämeenlinna", "Hämeenlinnan", "Tavastehus", 33},
    {'v', "Hauho", "Hauhon", NULL, 0}, {'v', "Lammi", "Lammin", NULL, 0},
    {'v', "Tuulos", "Tuuloksen", NULL, 0}, {'b', "Vaasa", "Vaasan", "Vasa", 33},
    {'d', "Gerby", "Gerbyn", "Gerby", 0}, {'v', "Sundom", "Sundomin", "Sundom", 0},
    {'c', "Joensuu", "Joensuun", NULL, 35}, {'v', "Eno", "Enon", NULL, 0},
    {'v', "Pyhäselkä", "Pyhäselän", NULL, 0}, {'c', "Seinäjoki", "Seinäjoen", NULL, 32},
    {'d', "Nurmo", "Nurmon", NULL, 0}, {'v', "Ylistaro", "Ylistaron", NULL, 0},
    {'c', "Rovaniemi", "Rovaniemen", NULL, 32}, {'v', "Muurola", "Muurolan", NULL, 0},
    {'v', "Sinettä", "Sinetän", NULL, 0}, {'c', "Mikkeli", "Mikkelin", "S:t Michel", 29},
    {'v', "Ristiina", "Ristiinan", NULL, 0}, {'v', "Haukivuori", "Haukivuoren", NULL, 0},
    {'c', "Kotka", "Kotkan", NULL, 29}, {'d', "Karhula", "Karhulan", NULL, 0},
    {'c', "Salo", "Salon", NULL, 29}, {'v', "Perniö", "Perniön", "Bjärnå", 0},
    {'c', "Kouvola", "Kouvolan", NULL, 36}, {'d', "Kuusankoski", "Kuusankosken", NULL, 0},
    {'v', "Valkeala", "Valkealan", NULL, 0},
    {'c', "Lappeenranta", "Lappeenrannan", "Villmanstrand", 34},
    {'d', "Lauritsala", "Lauritsalan", NULL, 0}, {'d', "Joutseno", "Joutsenon", NULL, 0},
    {'b', "Kokkola", "Kokkolan", "Karleby", 28}, {'v', "Kälviä", "Kälviän", "Kelviå", 0},
    {'v', "Ullava", "Ullavan", NULL, 0}, {'c', "Hyvinkää", "Hyvinkään", "Hyvinge", 27},
    {'c', "Nurmijärvi", "Nurmijärven", NULL, 27}, {'d', "Klaukkala", "Klaukkalan", NULL, 0},
    {'d', "Rajamäki", "Rajamäen", NULL, 0}, {'c', "Järvenpää", "Järvenpään", "Träskända", 27},
    {'c', "Rauma", "Rauman", "Raumo", 25}, {'v', "Kodisjoki", "Kodisjoen", NULL, 0},
    {'b', "Kirkkonummi", "Kirkkonummen", "Kyrkslätt", 25}, {'d', "Masala", "Masalan", "Masaby", 0},
    {'v', "Veikkola", "Veikkolan", NULL, 0}, {'c', "Tuusula", "Tuusulan", "Tusby", 25},
    {'d', "Hyrylä", "Hyrylän", "Skogsby", 0}, {'c', "Kajaani", "Kajaanin", "Kajana", 24},
    {'c', "Savonlinna", "Savonlinnan", "Nyslott", 23}, {'v', "Kerimäki", "Kerimäen", NULL, 0},
    {'v', "Punkaharju", "Punkaharjun", NULL, 0}, {'c', "Kerava", "Keravan", "Kervo", 25},
    {'b', "Sipoo", "Sipoon", "Sibbo", 19}, {'d', "Nikkilä", "Nikkilän", "Nickby", 0},
    {'v', "Söderkulla", "Söderkullan", "Söderkulla", 0}, {'c', "Iisalmi", "Iisalmen", "Idensalmi", 18},
    {'b', "Raasepori", "Raaseporin", "Raseborg", 21}, {'d', "Tammisaari", "Tammisaaren", "Ekenäs", 0},
    {'d', "Karjaa", "Karjaan", "Karis", 0}, {'v', "Pohja", "Pohjan", "Pojo", 0},
    {'b', "Pietarsaari", "Pietarsaaren", "Jakobstad", 17}, {'b', "Loviisa", "Loviisan", "Lovisa", 15},
    {'v', "Ruotsinpyhtää", "Ruotsinpyhtään", "Strömfors", 0},
    {'b', "Parainen", "Paraisten", "Pargas", 15}, {'v', "Nauvo", "Nauvon", "Nagu", 0},
    {'v', "Korppoo", "Korppoon", "Korpo", 0}, {'b', "Närpiö", "Närpiön", "Närpes", 12},
    {'v', "Övermark", "Övermarkin", "Övermark", 0}, {'v', "Pörtom", "Pörtomin", "Pörtom", 0},
    {'b', "Mustasaari", "Mustasaaren", "Korsholm", 18}, {'v', "Sulva", "Sulvan", "Solf", 0},
    {'b', "Kristiinankaupunki", "Kristiinankaupungin", "Kristinestad", 10},
    {'v', "Lapväärtti", "Lapväärtin", "Lappfjärd", 0},
    {'b', "Maarianhamina", "Maarianhaminan", "Mariehamn", 14}, {'b', "Jomala", "Jomalan", "Jomala", 9},
    {'b', "Finström", "Finströmin", "Finström", 7}, {'b', "Kemiönsaari", "Kemiönsaaren", "Kimitoön", 10},
    {'v', "Dragsfjärd", "Dragsfjärdin", "Dragsfjärd", 0}, {'b', "Inkoo", "Inkoon", "Ingå", 9},
    {'b', "Luoto", "Luodon", "Larsmo", 9}, {'b', "Pedersöre", "Pedersören", "Pedersöre", 13},
    {'b', "Uusikaarlepyy", "Uusikaarlepyyn", "Nykarleby", 11}, {'c', "Ähtäri", "Ähtärin", "Etseri", 9},
    {'c', "Kuhmo", "Kuhmon", NULL, 11}, {'c', "Sodankylä", "Sodankylän", NULL, 11},
    {'v', "Vuotso", "Vuotson", NULL, 0}, {'c', "Inari", "Inarin", "Enare", 11},
    {'v', "Ivalo", "Ivalon", NULL, 0}, {'v', "Saariselkä", "Saariselän", NULL, 0},
    {'c', "Utsjoki", "Utsjoen", NULL, 4}, {'c', "Kittilä", "Kittilän", NULL, 10},
    {'v', "Levi", "Levin", NULL, 0}, {'c', "Kemi", "Kemin", NULL, 18},
    {'c', "Tornio", "Tornion", "Torneå", 18}, {'c', "Kuusamo", "Kuusamon", NULL, 15},
    {'v', "Ruka", "Rukan", NULL, 0}, {'c', "Raahe", "Raahen", "Brahestad", 20},
    {'c', "Ylivieska", "Ylivieskan", NULL, 15}, {'c', "Kauhajoki", "Kauhajoen", NULL, 14},
    {'c', "Lapua", "Lapuan", "Lappo", 15}, {'c', "Alajärvi", "Alajärven", NULL, 12},
    {'c', "Keuruu", "Keuruun", "Keuru", 12}, {'c', "Jämsä", "Jämsän", NULL, 18},
    {'c', "Äänekoski", "Äänekosken", NULL, 17}, {'c', "Varkaus", "Varkauden", NULL, 18},
    {'c', "Pieksämäki", "Pieksämäen", NULL, 16}, {'c', "Suonenjoki", "Suonenjoen", NULL, 11},
    {'c', "Siilinjärvi", "Siilinjärven", NULL, 19}, {'c', "Leppävirta", "Leppävirran", NULL, 12},
    {'c', "Kangasala", "Kangasalan", NULL, 23}, {'v', "Sahalahti", "Sahalahden", NULL, 0},
    {'v', "Kuhmalahti", "Kuhmalahden", NULL, 0}, {'c', "Nokia", "Nokian", NULL, 24},
    {'c', "Orivesi", "Oriveden", NULL, 12}, {'c', "Mänttä-Vilppula", "Mänttä-Vilppulan", NULL, 13},
    {'c', "Sastamala", "Sastamalan", NULL, 19}, {'c', "Forssa", "Forssan", NULL, 16},
    {'c', "Riihimäki", "Riihimäen", NULL, 21}, {'c', "Heinola", "Heinolan", NULL, 17},
    {'c', "Imatra", "Imatran", NULL, 20}, {'c', "Hamina", "Haminan", "Fredrikshamn", 17},
    {'c', "Uusikaupunki", "Uudenkaupungin", "Nystad", 15},
    {'c', "Naantali", "Naantalin", "Nådendal", 18}, {'c', "Loimaa", "Loimaan", NULL, 15},
    {'c', "Ulvila", "Ulvilan", "Ulvsby", 14}, {'c', "Kankaanpää", "Kankaanpään", NULL, 13},
    {'c', "Harjavalta", "Harjavallan", NULL, 11}, {'c', "Nurmes", "Nurmeksen", NULL, 11},
    {'c', "Lieksa", "Lieksan", NULL, 13}, {'c', "Outokumpu", "Outokummun", NULL, 10},
    {'c', "Kitee", "Kiteen", NULL, 13},
};
#define NPLACES ((int)(sizeof places / sizeof places[0]))
#define BIG_CITY 40  /* weight of a city of 100 000 */

/* The heads of association names.  fi/sv/en hold '|'-separated alternatives; act is
 * what the association does, in the partitive, for its description. */
typedef struct head {
    int w;
    const char *langs, *fi, *sv, *en, *themes, *groups, *act;
} head;
static const head heads[] = {
    {9, "", "Liikuntaseura|Liikuntayhdistys|Liikuntakerho|Kuntoliikuntaseura", "Motionsförening|Motionsklubb", "Sports Club|Fitness Club", "sports", "everyone adults", "liikuntaa, kuntosalivuoroja ja ulkoilua"},
    {10, "", "Urheiluseura|Urheilijat|Urheiluseura|Urheiluyhdistys", "Idrottsförening|Idrottsklubb|Idrottssällskap", "Athletic Club|Sports Club", "sports youth", "children youth", "urheilua, harjoituksia ja kilpailuja"},
    {9, "", "Eläkeläiset|Eläkeläisyhdistys|Eläkeläiskerho|Eläkkeensaajat|Seniorit", "Pensionärsförening|Pensionärer|Seniorer", "Pensioners|Pensioners' Association|Seniors", "older-people", "older-people", "kerhoja, retkiä ja virkistystä eläkeläisille"},
    {6, "", "Kyläyhdistys|Kylätoimikunta|Kyläseura", "Byaförening|Byalag", "Village Association|Village Society", "residents-village-parents", "everyone", "kylätalkoita, kyläjuhlia ja kylätalon toimintaa"},
    {3, "", "Asukasyhdistys|Asukasseura|Asukastoimikunta", "Invånarförening|Invånarråd", "Residents' Association", "residents-village-parents", "everyone families", "asukasiltoja ja lähiympäristön kohentamista"},
    {3, "", "Vanhempainyhdistys|Vanhempainkerho|Koulun Vanhempainyhdistys", "Föräldraförening", "Parents' Association", "residents-village-parents children-families", "families children", "tapahtumia koululaisille ja heidän perheilleen"},
    {5, "", "Nuorisoseura|Nuorisoyhdistys|Nuorisokerho", "Ungdomsförening|Ungdomsklubb", "Youth Club|Youth Association", "youth culture", "youth", "nuorten harrastuksia, leirejä ja nuorisoiltoja"},
    {4, "", "Kulttuuriyhdistys|Kulttuuriseura|Kulttuuripiiri|Taideyhdistys", "Kulturförening|Kultursällskap|Konstförening", "Cultural Society|Arts Society", "culture", "everyone adults", "konsertteja, näyttelyitä ja kulttuuritapahtumia"},
    {2, "", "Mielenterveysyhdistys|Mielenterveysseura|Mielenterveysomaiset", "Förening för psykisk hälsa|Anhöriga inom mentalvården", "Mental Health Association", "mental-health-substance-homelessness social-health", "adults", "vertaistukea, ryhmiä ja kohtaamispaikan toimintaa"},
    {2, "", "Omaishoitajat|Omaishoitajayhdistys|Omaishoitajat ja Läheiset", "Närståendevårdare|Närståendevårdarförening", "Family Carers|Family Carers' Association", "social-health older-people", "adults older-people", "vertaistukea ja virkistystä omaishoitajille"},
    {2, "", "Sydänyhdistys|Sydänkerho", "Hjärtförening", "Heart Association", "disability-illness social-health", "adults older-people", "sydänterveyttä tukevia luentoja ja liikuntaryhmiä"},
    {2, "", "Diabetesyhdistys", "Diabetesförening", "Diabetes Association", "disability-illness social-health", "adults", "tietoa ja vertaistukea diabeetikoille"},
    {1, "", "Näkövammaiset|Näkövammaisyhdistys", "Synskadade|Synskadeförening", "Association of the Visually Impaired", "disability-illness", "disabled", "vertaistukea, kursseja ja apuvälineneuvontaa"},
    {1, "fse", "Kuuloyhdistys|Kuurojen Yhdistys", "Hörselförening|Dövas Förening", "Hard of Hearing Association|Deaf Association", "disability-illness", "disabled", "kuulonhuollon neuvontaa ja viittomakielistä toimintaa"},
    {4, "", "Partiolaiset|Eräpartiolaiset|Partiolippukunta|Metsänkävijät|Sinisiivet", "Scouter|Scoutkår", "Scouts|Scout Group", "youth environment", "children youth", "partiotaitoja, retkiä ja leirejä"},
    {4, "", "Sekakuoro|Mieskuoro|Naiskuoro|Kamarikuoro|Laulajat|Lapsikuoro", "Sångförening|Manskör|Damkör|Kammarkör", "Choir|Male Voice Choir|Chamber Choir", "culture", "adults", "kuorolaulua, harjoituksia ja konsertteja"},
    {2, "", "Harrastajateatteri|Teatteriyhdistys|Nuorisoteatteri|Kesäteatteri", "Teaterförening|Amatörteater|Sommarteater", "Amateur Theatre|Theatre Society|Summer Theatre", "culture", "everyone", "näytelmiä, teatterikursseja ja esityksiä"},
    {3, "", "Tanssiseura|Tanssiklubi|Kansantanssijat|Tanssijat", "Dansförening|Folkdansare|Dansklubb", "Dance Club|Folk Dancers", "culture sports", "everyone", "tanssia, tanssikursseja ja tanssi-iltoja"},
    {3, "", "Hiihtoseura|Latu|Hiihtäjät|Hiihtoklubi", "Skidklubb|Skidförening", "Ski Club", "sports", "everyone", "hiihtoa, latujen hoitoa ja hiihtokouluja"},
    {4, "", "Palloseura|Pallo|Palloilijat|Jalkapalloseura|Pesäpalloseura|Salibandyseura|Lentopalloseura", "Bollklubb|Bollförening|Fotbollsklubb", "Football Club|Ball Club", "sports youth", "children youth", "jalkapalloa, salibandya ja junioritoimintaa"},
    {2, "", "Ratsastusseura|Ratsastajat|Ratsastusklubi", "Ryttarförening|Ryttarklubb", "Riding Club", "sports", "children youth", "ratsastustunteja, kilpailuja ja talliyhteisöä"},
    {3, "", "Metsästysseura|Metsästysyhdistys|Metsästysklubi", "Jaktförening|Jaktklubb|Jaktvårdsförening", "Hunting Club", "environment sports", "adults", "metsästystä, riistanhoitoa ja ampumaharjoituksia"},
    {3, "", "Kalastusseura|Kalastuskunta|Kalastusyhdistys|Virkistyskalastajat", "Fiskeklubb|Fiskelag|Fiskeförening", "Fishing Club|Angling Club", "environment sports", "everyone", "kalastusta, pilkkikisoja ja vesistöjen hoitoa"},
    {3, "", "Martat|Marttayhdistys", "Marthaförening", "Martha Organisation", "social-health education", "adults families", "kodinhoidon, ruoanlaiton ja puutarhanhoidon neuvontaa"},
    {3, "", "Kotiseutuyhdistys|Kotiseutuseura|Kotiseutupiiri", "Hembygdsförening|Hembygdsgille", "Local Heritage Society", "culture residents-village-parents", "everyone", "kotiseutumuseon ylläpitoa, historiaa ja perinnetapahtumia"},
    {2, "", "Ampumaseura|Ampujat|Ampumaurheiluseura", "Skytteförening|Skyttegille", "Shooting Club", "sports", "adults youth", "ammuntaa, harjoitusvuoroja ja kilpailuja"},
    {1, "", "Shakkikerho|Shakkiseura", "Schackklubb", "Chess Club", "culture education", "everyone", "shakkia, turnauksia ja kerhoiltoja"},
    {2, "", "Reserviläiset|Reserviupseerit|Sotaveteraanit|Veteraaniyhdistys", "Reservister|Reservofficerare|Krigsveteraner", "Reservists|Reserve Officers|War Veterans", "older-people education", "adults older-people", "maanpuolustuskoulutusta, ammuntaa ja perinnetyötä"},
    {2, "", "VPK|Vapaaehtoinen Palokunta", "FBK|Frivilliga Brandkår", "Volunteer Fire Brigade", "youth education", "youth volunteers", "palokuntanuorten toimintaa ja turvallisuuskoulutusta"},
    {2, "", "Yrittäjät|Yrittäjäyhdistys", "Företagare|Företagarförening", "Entrepreneurs", "education", "adults associations", "yrittäjien verkostoitumista, koulutuksia ja tapahtumia"},
    {3, "", "Perheyhdistys|Lapsiperheyhdistys|Perhekerho", "Familjeförening|Familjeklubb", "Family Association|Family Club", "children-families", "families children", "perhekahviloita, kerhoja ja vertaistukea perheille"},
    {1, "", "Syöpäyhdistys", "Cancerförening", "Cancer Association", "disability-illness social-health", "adults", "vertaistukea ja tietoa syöpään sairastuneille ja läheisille"},
    {2, "", "Invalidiyhdistys|Invalidit|Reumayhdistys|Kehitysvammaisten Tuki", "Invalidförening|Reumaförening", "Disability Association|Rheumatism Association", "disability-illness", "disabled", "vertaistukea, kuntoutusta ja edunvalvontaa"},
    {1, "", "Muistiyhdistys|Muistiseura", "Minnesförening", "Memory Association", "disability-illness older-people", "older-people", "muistiryhmiä ja tukea muistisairaiden läheisille"},
    {2, "", "Naisyhdistys|Naiset|Naisvoimistelijat", "Kvinnoförening|Kvinnoklubb", "Women's Association|Women's Club", "social-health culture", "adults", "naisten yhteistä toimintaa, retkiä ja kursseja"},
    {2, "", "Luonnonsuojeluyhdistys|Ympäristöyhdistys|Lintuyhdistys", "Naturskyddsförening|Fågelförening", "Nature Conservation Society|Bird Society", "environment", "everyone", "luontoretkiä, lintujen tarkkailua ja ympäristötalkoita"},
    {2, "", "Kameraseura|Valokuvausseura|Kamerakerho", "Fotoklubb|Kameraklubb", "Camera Club|Photography Club", "culture", "adults", "valokuvausta, kuvailtoja ja näyttelyitä"},
    {3, "", "Soittokunta|Musiikkiyhdistys|Puhallinorkesteri|Pelimannit|Big Band", "Musikförening|Spelmanslag|Blåsorkester", "Music Society|Brass Band|Folk Musicians", "culture", "everyone", "musiikkia, soittoharjoituksia ja konsertteja"},
    {2, "", "Työväenyhdistys|Sivistysseura|Opintopiiri", "Arbetarförening|Bildningsförening|Studiecirkel", "Workers' Association|Education Society|Study Circle", "education culture", "adults", "opintopiirejä, luentoja ja keskustelutilaisuuksia"},
    {1, "", "Raittiusseura|A-kilta|Päihdetyön Tukiyhdistys", "Nykterhetsförening|A-gille", "Temperance Society|Recovery Guild", "mental-health-substance-homelessness", "adults", "vertaistukea päihteettömään elämään ja yhteistä tekemistä"},
    {2, "en", "Monikulttuurinen Yhdistys|Kansainvälinen Kerho|Ystävyysseura", "Mångkulturell Förening|Internationell Klubb", "Multicultural Association|International Club", "immigrants-multicultural", "immigrants everyone", "kielikahviloita, kotoutumista tukevaa toimintaa ja yhteisiä juhlia"},
    {2, "", "Kennelkerho|Koiraharrastajat|Agilityseura", "Kennelklubb|Hundklubb", "Kennel Club|Dog Club", "sports environment", "everyone", "koiraharrastusta, kursseja ja näyttelyitä"},
    {4, "", "Uimaseura|Suunnistajat|Voimisteluseura|Pyöräilyseura|Keilailuseura|Tennisseura|Painonnostajat|Golfseura|Melojat", "Simklubb|Orienterare|Gymnastikförening|Cykelklubb|Bowlingklubb|Tennisklubb|Kanotklubb", "Swimming Club|Orienteering Club|Gymnastics Club|Cycling Club|Bowling Club|Tennis Club|Canoe Club", "sports", "everyone", "harjoituksia, kilpailuja ja harrastevuoroja"},
    {2, "", "Ystäväpiiri|Ystävätoiminta|Vapaaehtoiset", "Vänkrets|Vänverksamhet|Frivilliga", "Friendship Circle|Volunteers", "social-health older-people", "volunteers older-people", "ystävätoimintaa ja vapaaehtoistyötä yksinäisille"},
    {2, "", "Käsityöseura|Kädentaitajat|Kutojat|Kansallispukuseura", "Hantverksförening|Vävare|Folkdräktsförening", "Crafts Society|Weavers", "culture", "adults", "käsitöitä, kursseja ja perinnetaitoja"},
    {1, "", "4H-yhdistys", "4H-förening", "4-H Club", "youth environment", "children youth", "nuorten työllistämistä, kerhoja ja luontoharrastuksia"},
    {1, "", "Autokerho|Moottorikerho|Mopoharrastajat", "Motorklubb", "Motor Club", "sports youth", "youth adults", "moottoriurheilua, kerhoiltoja ja ajoharjoituksia"},
};
#define NHEADS ((int)(sizeof heads / sizeof heads[0]))

/* The tenth of associations whose names break the place + head pattern.  head names the
 * head (by the start of its fi) whose themes and activity they borrow; {n} and {k} are
 * sports and culture nicknames. */
typedef struct other { const char *fi, *sv, *en, *head, *langs; } other;
static const other others[] = {
    {"{g} {n}", NULL, NULL, "Urheiluseura", "fi"},
    {"Urheiluseura {n}", NULL, NULL, "Urheiluseura", "fi"},
    {"Tanssiseura {k}", "Dansföreningen {k}", NULL, "Tanssiseura", "fi"},
    {"Kuoro {k}", "Kören {k}", "Choir {k}", "Sekakuoro", "fi"},
    {"Teatteri {k}", "Teater {k}", NULL, "Harrastajateatteri", "fi"},
    {"Mielenterveysyhdistys {k}", NULL, NULL, "Mielenterveysyhdistys", "fi"},
    {"{g} Somalialaisten Yhdistys", NULL, "Somali Association of {p}", "Monikulttuurinen", "fi so"},
    {"{g} Venäjänkielisten Yhdistys", NULL, "Russian-Speaking Association of {p}", "Monikulttuurinen", "fi ru"},
    {"{g} Ukrainalaiset", NULL, "Ukrainians in {p}", "Monikulttuurinen", "uk fi"},
    {"{g} Kurdiyhdistys", NULL, "Kurdish Association of {p}", "Monikulttuurinen", "ku fi"},
    {"{g} Afganistanilaisten Yhdistys", NULL, "Afghan Association of {p}", "Monikulttuurinen", "fa fi"},
    {"{g} Arabiankielinen Kulttuuriyhdistys", NULL, "Arabic Cultural Association of {p}", "Monikulttuurinen", "ar fi"},
    {"{g} Virolaisten Seura", "Estniska sällskapet i {s}", "Estonian Society of {p}", "Monikulttuurinen", "et fi"},
    {"Suomi–Kiina-seuran {g} osasto", NULL, NULL, "Monikulttuurinen", "zh fi"},
    {"{p} International Club", "{s} International Club", "{p} International Club", "Monikulttuurinen", "en fi"},
    {"Kansainvälinen Naisten Klubi {p}", NULL, "International Women's Club of {p}", "Monikulttuurinen", "en fi"},
    {"{g} Saamelaiset", "Samerna i {s}", "Sámi Association of {p}", "Kotiseutuyhdistys", "se fi"},
    {"{g} Espanjan Ystävät", NULL, "Friends of Spain in {p}", "Monikulttuurinen", "es fi"},
    {"{g} Saksalainen Kerho", "Tyska klubben i {s}", "German Club of {p}", "Monikulttuurinen", "de fi"},
};
static const char sport_nicks[] = "Kiri Ryhti Pyrintö Yritys Kisa Vauhti Into Isku Jyry Reipas "
    "Sisu Visa Tarmo Riento Veikot Ponnistus Kunto Sampo Koitto Kisailijat Huima Vire Kuohu "
    "Karhut Ilves Kotkat Haukat Jymy Voima Ketterä Kajo Terä Nousu";
static const char culture_nicks[] = "Rytmi Sointu Kaiku Valo Kipinä Sävel Tähti Helmi Lumo Ilo "
    "Kajastus Aamurusko Revontuli Pilke Virta Tuike Ilona Sointi Kanerva Kielo Tuulikki Aallotar "
    "Vellamo Kyllikki Iltarusko Kuutamo Kimallus Satakieli Leivo Pääskyt";

/* Villages and parts of towns that name associations without being areas of their own;
 * genitive, as the names use them. */
static const char villages[] = "Mäntylän Koivulan Rantakylän Niemelän Haapamäen Kuusiston "
    "Koskenkylän Mustajärven Hirvijärven Ahvenlammen Kivijärven Pitkäjärven Särkijärven "
    "Lehtimäen Lahdenperän Honkalahden Peltosalmen Kurkimäen Syvänniemen Jännevirran Vuorelan "
    "Kotalahden Salmijärven Leppälahden Ruokojärven Vaajasalmen Pahkalammen Kinahmin Säyneisen "
    "Alapitkän Haukilahden Mäkikylän Myllykylän Hovilan Uudenkylän Isokylän Vähäkylän Marttilan "
    "Ylikylän Alakylän Rajalan Seppälän Harjulan Metsälän Jokelan Kallioniemen Hiekkalan "
    "Kuivalan Latvalan Paloniemen Sorsakosken Ruotsalan Suonsaaren Väänälänrannan Riistaveden";
static const char qualifiers[] = "Seudun Työväen Keskustan Kirkonkylän Kaupungin Maalaiskunnan "
    "Naisten Nuorten";
static const char directions4[] = "Itä- Länsi- Etelä- Pohjois- Keski-";

static const char all_themes[] = "children-families youth older-people disability-illness "
    "mental-health-substance-homelessness immigrants-multicultural sports culture "
    "residents-village-parents social-health environment education";
static const char all_groups[] = "everyone children youth families adults older-people "
    "immigrants disabled associations volunteers";

/* Trilingual strings are "fi|sv|en"; {g} place genitive, {p} place, {s} Swedish place,
 * {a} activity, {x} {y} numbers. */
static const char *const assoc_first[] = {
    "Järjestämme {a} {g} alueella.|Föreningen verkar i {s} och välkomnar alla.|The association is based in {p} and welcomes everyone.",
    "{g} seudulla toimiva yhdistys tarjoaa {a} kaikenikäisille.|Föreningen verkar i {s} och välkomnar alla.|The association is based in {p} and welcomes everyone.",
    "Yhdistys järjestää {a} jäsenilleen ja kaikille kiinnostuneille.|Föreningen verkar i {s} och välkomnar alla.|The association is based in {p} and welcomes everyone.",
    "Meillä pääset mukaan: tarjoamme {a}.|Föreningen verkar i {s} och välkomnar alla.|The association is based in {p} and welcomes everyone.",
};
static const char *const desc_pool[K_N][11] = {
    [K_ASSOC] = {
        "Uudet jäsenet ovat aina tervetulleita.|Nya medlemmar är alltid välkomna.|New members are always welcome.",
        "Kokoonnumme viikoittain syyskuusta toukokuuhun.|Vi träffas varje vecka från september till maj.|We meet weekly from September to May.",
        "Jäsenmaksu on {x} euroa vuodessa.|Medlemsavgiften är {x} euro per år.|The membership fee is {x} euros a year.",
        "Toimimme vapaaehtoisvoimin ja teemme yhteistyötä kaupungin kanssa.|Vi arbetar med frivilliga krafter och samarbetar med staden.|We are run by volunteers and work with the city.",
        "Tule mukaan – aiempaa kokemusta ei tarvita!|Kom med – ingen tidigare erfarenhet behövs!|Join us – no experience needed!",
        "Järjestämme myös retkiä, juhlia ja talkoita.|Vi ordnar också utfärder, fester och talkon.|We also organise trips, parties and work days.",
        "Tiedotamme tapahtumista verkkosivuillamme ja Facebookissa.|Vi informerar om evenemang på vår webbplats och Facebook.|We announce events on our website and Facebook.",
        "Toimintamme on avointa kaikille iästä ja taustasta riippumatta.|Vår verksamhet är öppen för alla oavsett ålder och bakgrund.|Our activities are open to all, whatever their age or background.",
        "Yhdistys on perustettu vuonna {y}.|Föreningen grundades år {y}.|The association was founded in {y}.",
        "Kokoontumispaikkamme on esteetön.|Vår mötesplats är tillgänglig.|Our meeting place is accessible.",
    },
    [K_OPP] = {
        "Etsimme vapaaehtoista mukaan toimintaamme {g} alueella.|Vi söker en frivillig till vår verksamhet i {s}.|We are looking for a volunteer in {p}.",
        "Perehdytämme tehtävään ja tarjoamme kahvit.|Vi ger introduktion och bjuder på kaffe.|We give an introduction and offer coffee.",
        "Tehtävään ei tarvita aiempaa kokemusta.|Ingen tidigare erfarenhet behövs.|No previous experience is needed.",
        "Vapaaehtoiset on vakuutettu.|De frivilliga är försäkrade.|Volunteers are insured.",
    },
    [K_VENUE] = {
        "Tila sopii kokouksiin, kerhoille ja juhliin.|Lokalen passar för möten, klubbar och fester.|The space suits meetings, clubs and parties.",
        "Yhdistykset voivat käyttää tilaa maksutta arki-iltaisin.|Föreningar kan använda lokalen gratis på vardagskvällar.|Associations can use it free of charge on weekday evenings.",
        "Tilassa on keittiö ja astiasto.|Lokalen har kök och servis.|There is a kitchen with tableware.",
        "Pysäköinti on talon edessä.|Parkering finns framför huset.|Parking is in front of the building.",
    },
    [K_EVENT] = {
        "Tervetuloa kuulemaan ja keskustelemaan!|Välkommen att lyssna och diskutera!|Welcome to listen and discuss!",
        "Tilaisuus on maksuton ja avoin kaikille.|Evenemanget är gratis och öppet för alla.|The event is free and open to all.",
        "Tarjolla kahvia ja pullaa.|Kaffe och bulle serveras.|Coffee and buns are served.",
        "Ilmoittautumiset viikkoa ennen.|Anmälan en vecka före.|Please sign up a week before.",
    },
    [K_GRANT] = {
        "Avustuksella tuetaan {g} alueella tehtävää yhdistystoimintaa.|Bidraget stöder föreningsverksamhet i {s}.|The grant supports association work in {p}.",
        "Hakemukset käsitellään kahden kuukauden kuluessa.|Ansökningarna behandlas inom två månader.|Applications are processed within two months.",
        "Avustus maksetaan päätöksen jälkeen.|Bidraget betalas ut efter beslutet.|The grant is paid after the decision.",
    },
    [K_CONTACT] = {
        "Neuvon yhdistyksiä avustuksissa, tiloissa ja yhteistyössä.|Jag ger föreningar råd om bidrag, lokaler och samarbete.|I advise associations on grants, venues and cooperation.",
        "Ota yhteyttä puhelimitse tai sähköpostilla.|Kontakta mig per telefon eller e-post.|Contact me by phone or e-mail.",
        "Tavattavissa sopimuksen mukaan.|Anträffbar enligt överenskommelse.|Available by appointment.",
    },
};

/* extra is the target groups of a task, the event_type of an event, the grant_type of a
 * grant. */
typedef struct task { const char *t, *themes, *extra; } task;
static const task opps[] = {
    {"Kahvion vapaaehtoinen|Frivillig i caféet|Café volunteer", "social-health", "volunteers adults"},
    {"Ulkoiluystävä ikäihmiselle|Utomhusvän för en äldre|Outdoor buddy for an older person", "older-people social-health", "volunteers older-people"},
    {"Läksykerhon ohjaaja|Ledare för läxklubben|Homework club helper", "children-families education", "volunteers children"},
    {"Kielikahvilan vetäjä|Värd för språkcafé|Language café host", "immigrants-multicultural", "volunteers immigrants"},
    {"Talkoolainen kyläjuhlaan|Talkoarbetare till byfesten|Helper at the village fête", "residents-village-parents", "volunteers everyone"},
    {"Junioreiden apuvalmentaja|Hjälptränare för juniorer|Assistant coach for juniors", "sports youth", "volunteers youth"},
    {"Lipunmyyjä konserttiin|Biljettförsäljare till konserten|Ticket seller at a concert", "culture", "volunteers"},
    {"Retkien kuljettaja|Chaufför för utfärder|Driver for outings", "older-people", "volunteers older-people"},
    {"Ystävätoiminnan vapaaehtoinen|Frivillig i vänverksamheten|Befriending volunteer", "social-health older-people", "volunteers older-people"},
    {"Tukihenkilö nuorelle|Stödperson för en ung person|Support person for a young person", "youth mental-health-substance-homelessness", "volunteers youth"},
    {"Somepäivittäjä yhdistykselle|Uppdaterare av sociala medier|Social media helper", "education", "volunteers associations"},
    {"Luontoretken opas|Guide på naturutflykt|Nature walk guide", "environment", "volunteers everyone"},
    {"Ruoka-avun jakaja|Utdelare av mathjälp|Food aid distributor", "social-health mental-health-substance-homelessness", "volunteers adults"},
    {"Lukumummi tai -vaari|Läsmormor eller -morfar|Reading grandparent", "children-families education", "volunteers children"},
};
static const task events[] = {
    {"Järjestöilta|Föreningskväll|Association evening", "residents-village-parents", "association-evening"},
    {"Asukasfoorumi|Invånarforum|Residents' forum", "residents-village-parents", "forum"},
    {"Avustusinfo yhdistyksille|Bidragsinfo för föreningar|Grant info for associations", "education", "training"},
    {"Vapaaehtoisten koulutus|Utbildning för frivilliga|Training for volunteers", "social-health education", "training"},
    {"Kyläjuhla|Byfest|Village fête", "residents-village-parents culture", "shared-event"},
    {"Yhdistysmessut|Föreningsmässa|Association fair", "culture", "shared-event"},
    {"Työpaja: yhdistyksen some|Workshop: föreningens sociala medier|Workshop: social media for associations", "education", "workshop"},
    {"Vuosikokous|Årsmöte|Annual meeting", "residents-village-parents", "meeting"},
    {"Liikuntapäivä|Motionsdag|Sports day", "sports", "shared-event"},
    {"Tanssi-ilta|Danskväll|Dance evening", "culture", "other"},
    {"Nuorten foorumi|Ungdomsforum|Youth forum", "youth", "forum"},
    {"Senioritanssit|Seniordans|Seniors' dance", "older-people culture", "other"},
    {"Kielikahvila|Språkcafé|Language café", "immigrants-multicultural", "other"},
};
static const task grants[] = {
    {"{g} toiminta-avustus {y}|Verksamhetsbidrag {y}, {s}|{p} operating grant {y}", "residents-village-parents", "general"},
    {"{g} kohdeavustus {y}|Riktat bidrag {y}, {s}|{p} special grant {y}", "social-health", "special"},
    {"{g} projektiavustus {y}|Projektbidrag {y}, {s}|{p} project grant {y}", "education", "project"},
    {"{g} talkooraha {y}|Talkopengar {y}, {s}|{p} volunteer work money {y}", "residents-village-parents", "talkooraha"},
    {"{g} tapahtuma-avustus {y}|Evenemangsbidrag {y}, {s}|{p} event grant {y}", "culture", "event"},
    {"{g} tuotantoavustus {y}|Produktionsbidrag {y}, {s}|{p} production grant {y}", "culture", "production"},
    {"{g} kulttuuriavustus {y}|Kulturbidrag {y}, {s}|{p} culture grant {y}", "culture", "culture"},
    {"{g} liikunta-avustus {y}|Idrottsbidrag {y}, {s}|{p} sports grant {y}", "sports", "sports"},
    {"{g} nuorisoavustus {y}|Ungdomsbidrag {y}, {s}|{p} youth grant {y}", "youth", "youth"},
    {"{g} sosiaali- ja terveysavustus {y}|Social- och hälsobidrag {y}, {s}|{p} social and health grant {y}", "social-health", "social-health"},
    {"{g} starttiavustus {y}|Startbidrag {y}, {s}|{p} start-up grant {y}", "education", "startup"},
    {"{g} pienavustus {y}|Småbidrag {y}, {s}|{p} small grant {y}", "residents-village-parents", "other"},
};
typedef struct venue { const char *t, *prices, *themes; int cmin, cmax; } venue;
static const venue venues[] = {
    {"{g} kirjaston kokoustila|Bibliotekets mötesrum i {s}|{p} library meeting room", "free", "education culture", 8, 30},
    {"{g} nuorisotila|Ungdomslokalen i {s}|{p} youth space", "free", "youth", 20, 80},
    {"{g} kylätalo|Bygdegården i {s}|{p} village hall", "low-cost rented", "residents-village-parents", 30, 200},
    {"{g} seurakuntatalo|Församlingshemmet i {s}|{p} parish hall", "low-cost rented", "culture", 40, 300},
    {"{g} urheilutalo|Idrottshuset i {s}|{p} sports hall", "rented low-cost", "sports", 50, 1500},
    {"{g} koulun liikuntasali|Skolans gymnastiksal i {s}|{p} school gym", "low-cost free", "sports youth", 30, 150},
    {"{g} työväentalo|Arbetarhuset i {s}|{p} workers' hall", "rented", "culture", 50, 400},
    {"{g} asukastupa|Invånarstugan i {s}|{p} residents' lounge", "free", "residents-village-parents", 10, 40},
    {"{g} monitoimitalo|Allaktivitetshuset i {s}|{p} community centre", "free low-cost rented", "culture education", 20, 500},
    {"{g} kulttuuritalo|Kulturhuset i {s}|{p} arts centre", "rented", "culture", 100, 1200},
    {"{g} palvelukeskus|Servicecentralen i {s}|{p} service centre", "free", "older-people social-health", 20, 120},
};
#define N(a) ((unsigned)(sizeof(a) / sizeof((a)[0])))

static const char *const whens[] = { "Tiistaisin klo 10–12|Tisdagar kl. 10–12|Tuesdays 10–12", "Kerran kuussa lauantaisin|En lördag i månaden|One Saturday a month", "Arki-iltaisin sopimuksen mukaan|Vardagskvällar enligt överenskommelse|Weekday evenings by arrangement", "Kesä–elokuussa|Juni–augusti|June–August", "Torstaisin klo 17–19|Torsdagar kl. 17–19|Thursdays 17–19" };
static const char *const needs[] = { "2 tuntia viikossa|2 timmar i veckan|2 hours a week", "Muutama tunti kuukaudessa|Några timmar i månaden|A few hours a month", "Yksi päivä|En dag|One day", "Noin 4 tuntia kerrallaan|Cirka 4 timmar åt gången|About 4 hours at a time" };
static const char *const suits[] = { "Sopii kaikille, kokemusta ei tarvita.|Passar alla, ingen erfarenhet behövs.|Suits everyone, no experience needed.", "Sopii eläkeläisille ja opiskelijoille.|Passar pensionärer och studerande.|Suits pensioners and students.", "Tehtävä edellyttää ajokorttia.|Uppgiften kräver körkort.|A driving licence is required.", "Sopii 15 vuotta täyttäneille.|Passar personer över 15 år.|Suits people aged 15 and over." };
static const char *const signups[] = { "Ilmoittaudu verkossa tai soita yhteyshenkilölle.|Anmäl dig på webben eller ring kontaktpersonen.|Sign up online or call the contact person.", "Tule paikan päälle tutustumaan.|Kom och bekanta dig på plats.|Come and visit us.", "Lähetä sähköpostia ja kerro itsestäsi.|Skicka e-post och berätta om dig själv.|Send an e-mail and tell us about yourself." };
static const char *const meeting[] = { "{g} kirjasto|Biblioteket i {s}|{p} library", "Seurakuntatalo|Församlingshemmet|Parish hall", "Kylätalo|Bygdegården|Village hall", "Koulun liikuntasali|Skolans gymnastiksal|School gym", "Jäsenten kodit vuorotellen|Hemma hos medlemmarna i tur och ordning|Members' homes in turn", "Palvelukeskus|Servicecentralen|Service centre" };
static const char *const hours[] = { "ma–pe 8–16|mån–fre 8–16|Mon–Fri 8–16", "ma–to 16–21, la 10–14|mån–tors 16–21, lör 10–14|Mon–Thu 16–21, Sat 10–14", "Tiistaisin 10–14|Tisdagar 10–14|Tuesdays 10–14", "Sopimuksen mukaan|Enligt överenskommelse|By appointment" };
static const char *const access[] = { "Esteetön sisäänkäynti ja inva-wc.|Tillgänglig ingång och handikapptoalett.|Step-free entrance and accessible toilet.", "Tilaan on portaat, hissiä ei ole.|Det finns trappor och ingen hiss.|There are stairs and no lift.", "Salissa on induktiosilmukka.|Salen har hörslinga.|The hall has an induction loop.", "Pyörätuolilla pääsee sisään takaovesta.|Rullstolsingång via bakdörren.|Wheelchair access through the back door." };
static const char *const directions[] = { "Bussipysäkki noin 200 metrin päässä.|Busshållplatsen ligger cirka 200 meter bort.|The bus stop is about 200 metres away.", "Sisäänkäynti pihan puolelta.|Ingången är från gården.|The entrance is from the yard.", "Kirkon vieressä, keltainen puutalo.|Bredvid kyrkan, ett gult trähus.|Next to the church, a yellow wooden house." };
static const char *const equipment[] = { "Videotykki, valkotaulu ja kahvinkeitin.|Projektor, whiteboard och kaffebryggare.|Projector, whiteboard and coffee maker.", "Äänentoisto ja esiintymislava.|Ljudanläggning och scen.|PA system and stage.", "Keittiö ja astiat 50 hengelle.|Kök och servis för 50 personer.|Kitchen and tableware for 50.", "Liikuntavälineet ja pukuhuoneet.|Idrottsredskap och omklädningsrum.|Sports equipment and changing rooms." };
static const char *const booking[] = { "Varaa kaupungin tilavarausjärjestelmästä.|Boka i stadens lokalbokningssystem.|Book in the city's booking system.", "Varaukset puhelimitse arkisin.|Bokningar per telefon vardagar.|Book by phone on weekdays.", "Varaukset sähköpostilla viimeistään viikkoa ennen.|Boka per e-post senast en vecka före.|Book by e-mail at least a week ahead." };
static const char *const amounts[] = { "enintään {x} €|högst {x} €|up to {x} €", "{x} € hanketta kohden|{x} € per projekt|{x} € per project" };
static const char *const who_apply[] = { "Rekisteröidyt yhdistykset, jotka toimivat {g} alueella.|Registrerade föreningar som verkar i {s}.|Registered associations working in {p}.", "Yhdistykset ja vapaat ryhmät.|Föreningar och fria grupper.|Associations and informal groups.", "Alle 29-vuotiaiden nuorten ryhmät.|Grupper av unga under 29 år.|Groups of young people under 29." };
static const char *const criteria[] = { "Avustusta myönnetään toimintaan, joka lisää asukkaiden hyvinvointia ja osallisuutta. Hakemukseen liitetään toimintasuunnitelma ja talousarvio.|Bidrag beviljas för verksamhet som ökar invånarnas välfärd och delaktighet. Till ansökan bifogas verksamhetsplan och budget.|Grants go to activities that increase residents' wellbeing and participation. Attach an action plan and a budget.", "Etusijalla ovat hankkeet, jotka tavoittavat uusia osallistujia.|Projekt som når nya deltagare prioriteras.|Projects that reach new participants come first.", "Hakijalla tulee olla Y-tunnus ja tilinpäätös edelliseltä vuodelta.|Sökanden ska ha FO-nummer och bokslut för föregående år.|Applicants need a business ID and last year's accounts." };
static const char *const roles[] = { "Järjestöyhdyshenkilö|Föreningskontaktperson|Association liaison", "Liikuntakoordinaattori|Idrottskoordinator|Sports coordinator", "Kulttuurituottaja|Kulturproducent|Culture producer", "Nuorisotyön koordinaattori|Koordinator för ungdomsarbete|Youth work coordinator", "Avustuskoordinaattori|Bidragskoordinator|Grants coordinator", "Vapaaehtoistoiminnan koordinaattori|Koordinator för frivilligverksamhet|Volunteer coordinator", "Osallisuuskoordinaattori|Delaktighetskoordinator|Participation coordinator", "Kyläasiamies|Byombud|Village liaison" };
static const char *const units[] = { "Kulttuuri- ja vapaa-aikapalvelut|Kultur- och fritidstjänster|Culture and leisure services", "Liikuntapalvelut|Idrottstjänster|Sports services", "Nuorisopalvelut|Ungdomstjänster|Youth services", "Osallisuus ja yhteisöt|Delaktighet och gemenskaper|Participation and communities", "Hyvinvointipalvelut|Välfärdstjänster|Wellbeing services" };
static const char streets[] = "Koulutie|Skolvägen Kirkkotie|Kyrkvägen Asemakatu|Stationsgatan Puistokatu|Parkgatan "
    "Rantatie|Strandvägen Myllytie|Kvarnvägen Kauppakatu|Handelsgatan Kyläntie|Byvägen "
    "Urheilutie|Idrottsvägen Torikatu|Torggatan Linnankatu|Slottsgatan Mäkitie|Backvägen";
static const char first_names[] = "Anna Maria Liisa Sari Tiina Minna Päivi Johanna Laura Heidi Aino "
    "Eeva Sanna Mervi Ritva Juha Mikko Timo Jari Antti Kari Pekka Ville Janne Markku Olli Esa "
    "Björn Anders Kristina Linnea Mohamed Olga Anna-Liisa";
static const char last_names[] = "Virtanen Korhonen Mäkinen Nieminen Mäkelä Hämäläinen Laine "
    "Heikkinen Koskinen Järvinen Lehtonen Saarinen Salminen Heinonen Niemi Heikkilä Kinnunen "
    "Turunen Lindholm Nyström Karjalainen Räsänen Ahonen Pölönen Åberg Söderström";

/* Optional TEXT fields filled from a pool; pct[kind] is how often an item has one. */
typedef struct opt {
    const char *key;
    size_t lim;
    const char *const *pool;
    unsigned n, pct[K_N];
} opt;
#define POOL(a) a, N(a)
static const opt opts[] = {
    /*                                        contact venue assoc opp event grant */
    { "role", 200, POOL(roles), { 100, 0, 0, 0, 0, 0 } },
    { "unit", 200, POOL(units), { 100, 0, 0, 0, 0, 0 } },
    { "when", 300, POOL(whens), { 0, 0, 0, 80, 0, 0 } },
    { "time_needed", 200, POOL(needs), { 0, 0, 0, 70, 0, 0 } },
    { "suits", 500, POOL(suits), { 0, 0, 0, 60, 0, 0 } },
    { "equipment", 1000, POOL(equipment), { 0, 60, 0, 0, 0, 0 } },
    { "booking", 1000, POOL(booking), { 0, 70, 0, 0, 0, 0 } },
    { "amount", 200, POOL(amounts), { 0, 0, 0, 0, 0, 80 } },
    { "who_can_apply", 1000, POOL(who_apply), { 0, 0, 0, 0, 0, 80 } },
    { "criteria", 4000, POOL(criteria), { 0, 0, 0, 0, 0, 70 } },
    { "meeting_place", 300, POOL(meeting), { 0, 0, 40, 0, 0, 0 } },
    { "directions", 1000, POOL(directions), { 0, 40, 0, 0, 20, 0 } },
    { "opening_hours", 500, POOL(hours), { 40, 60, 5, 0, 0, 0 } },
    { "accessibility", 1000, POOL(access), { 0, 60, 10, 0, 20, 0 } },
    { "signup_how", 500, POOL(signups), { 0, 0, 0, 60, 40, 0 } },
};

#endif
