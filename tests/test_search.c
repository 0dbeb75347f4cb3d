/* Search relevance: query -> expected top results over tests/data/search.json. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "content.h"
#include "search.h"
#include "store.h"

static store *st;
static search *idx;

static int setup(void **state)
{
    (void)state;
    content *c = content_new();
    assert_non_null(c);
    assert_int_equal(store_open(tu_tmp("search.db"), &st), KC_OK);
    if (content_load_file(c, tu_data("search.json")))
        fail_msg("%s", content_errmsg(c));
    assert_int_equal(content_apply(c, st, 0, NULL), KC_OK);
    content_free(c);
    char msg[KC_MSGMAX];
    assert_int_equal(search_build(st, &idx, msg), KC_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    search_free(idx);
    store_close(st);
    return 0;
}

typedef struct rcase {
    const char *query;
    search_filter filter;
    const char *top[4];      /* these ids first, in this order */
    const char *has[4];      /* these anywhere in the results */
    const char *hasnt[4];    /* these nowhere */
    int max_tier;            /* 0 = any */
    int min_hits;            /* at least this many */
    int max_hits;            /* at most this many; -1 = any */
} rcase;

#define ANY SEARCH_ANY
#define K(k) { (k), 0, 0, NULL }
#define T(t) { -1, (t), 0, NULL }
#define AR(a) { -1, 0, 0, (a) }
#define L(l) { -1, 0, (l), NULL }

static unsigned bit(const char *const *vals, const char *v)
{
    return 1u << cat_enum_index(vals, v);
}

static void run(const rcase *c, size_t ncases)
{
    for (size_t i = 0; i < ncases; i++) {
        search_hit hits[50];
        size_t n = 0;
        char msg[KC_MSGMAX];
        if (search_query(idx, st, c[i].query, &c[i].filter, hits, 50, &n, msg))
            fail_msg("query \"%s\": %s", c[i].query, msg);
        char got[2048] = "";
        for (size_t h = 0; h < n; h++) {
            size_t len = strlen(got);
            snprintf(got + len, sizeof got - len, " %s/%d", search_item_id(idx, hits[h].item),
                     hits[h].tier);
        }
        for (int t = 0; t < 4 && c[i].top[t]; t++) {
            if ((size_t)t >= n || strcmp(search_item_id(idx, hits[t].item), c[i].top[t]))
                fail_msg("query \"%s\": expected %s at rank %d; got%s", c[i].query,
                         c[i].top[t], t + 1, got);
        }
        for (int t = 0; t < 4 && c[i].has[t]; t++) {
            int found = 0;
            for (size_t h = 0; h < n; h++)
                found |= !strcmp(search_item_id(idx, hits[h].item), c[i].has[t]);
            if (!found)
                fail_msg("query \"%s\": expected %s among results; got%s", c[i].query,
                         c[i].has[t], got);
        }
        for (int t = 0; t < 4 && c[i].hasnt[t]; t++)
            for (size_t h = 0; h < n; h++)
                if (!strcmp(search_item_id(idx, hits[h].item), c[i].hasnt[t]))
                    fail_msg("query \"%s\": %s must not match; got%s", c[i].query,
                             c[i].hasnt[t], got);
        for (size_t h = 0; c[i].max_tier && h < n; h++)
            if (hits[h].tier > c[i].max_tier)
                fail_msg("query \"%s\": tier %d over %d; got%s", c[i].query, hits[h].tier,
                         c[i].max_tier, got);
        if ((int)n < c[i].min_hits)
            fail_msg("query \"%s\": %zu hits, expected at least %d; got%s", c[i].query, n,
                     c[i].min_hits, got);
        if (c[i].max_hits >= 0 && (int)n > c[i].max_hits)
            fail_msg("query \"%s\": %zu hits, expected at most %d; got%s", c[i].query, n,
                     c[i].max_hits, got);
    }
}

static void test_compound_words(void **state)
{
    (void)state;
    static const rcase c[] = {
        /* a name starting with the query beats the query inside a compound word */
        { "kunta", ANY, { "a-kunta" }, { "a-liikuntaseura-kuopio", "a-seura-kuopion" },
          { 0 }, 0, 3, -1 },
        { "Kunta", ANY, { "a-kunta" }, { "a-liikuntaseura-kuopio" }, { 0 }, 0, 3, -1 },
        /* Voikko knows compounds: "Urheiluseura" is a seura, so are the clubs named
         * with it; every association is one by kind (tier 2) */
        { "seura", ANY, { 0 },
          { "a-elakelaisseura", "a-urheiluseura", "a-liikuntaseura-kuopio", "a-hiihto" },
          { 0 }, 0, 5, -1 },
        { "kuoro", ANY, { "a-kuoro2", "a-kuoro" }, { 0 }, { 0 }, 0, 2, 2 },
        { "foorumi", ANY, { "a-kunta", "e-forum" }, { 0 }, { 0 }, 0, 2, 2 },
        /* the name first, then items of the residents/village/parents theme */
        { "vanhempain", ANY, { "a-vanhempain" }, { 0 }, { 0 }, 0, 1, -1 },
        { "partio", ANY, { "a-partio" }, { 0 }, { 0 }, 2, 1, 1 },
        { "harjula", ANY, { "v-harjula" }, { 0 }, { 0 }, 2, 1, -1 },
        { "eläkeläis", ANY, { 0 }, { "a-elakelaisseura", "a-elakelaiset-porvoo", "a-ahtari" },
          { 0 }, 0, 3, -1 },
        { "talkoo", ANY, { "g-talkooraha" }, { 0 }, { 0 }, 1, 1, 1 },
    };
    run(c, sizeof c / sizeof c[0]);
}

static void test_accents_and_case(void **state)
{
    (void)state;
    static const rcase c[] = {
        { "elakelaiset", ANY, { "a-elakelaiset-porvoo", "a-ahtari" }, { 0 }, { 0 }, 0, 2, -1 },
        { "ELÄKELÄISET", ANY, { 0 }, { "a-elakelaiset-porvoo", "a-ahtari" }, { 0 }, 0, 2, -1 },
        { "aland", ANY, { "a-aland" }, { 0 }, { 0 }, 1, 1, 1 },
        { "ÅLAND", ANY, { "a-aland" }, { 0 }, { 0 }, 1, 1, 1 },
        { "ahtari", ANY, { "a-ahtari" }, { 0 }, { 0 }, 1, 1, 1 },
        { "ystava", ANY, { "o-ystava", "a-seura-kuopion" }, { 0 }, { 0 }, 0, 2, -1 },
        { "omenam", ANY, { "v-omenamaki" }, { 0 }, { 0 }, 1, 1, 1 },
        /* NFD input (a + combining diaeresis) folds like NFC */
        { "kyla\xcc\x88", ANY, { 0 }, { "a-kylayhdistys", "a-hiihto" }, { 0 }, 0, 2, -1 },
        { "ylojarven", ANY, { "a-urheiluseura" }, { 0 }, { 0 }, 1, 1, 1 },
    };
    run(c, sizeof c / sizeof c[0]);
}

static void test_swedish(void **state)
{
    (void)state;
    static const rcase c[] = {
        { "borga", ANY, { "a-elakelaiset-porvoo" }, { "a-spr-porvoo" }, { 0 }, 0, 2, -1 },
        /* the vocabulary: pensionär = eläkeläinen */
        { "pensionär", ANY, { "a-elakelaiset-porvoo" }, { "a-ahtari" }, { 0 }, 0, 2, -1 },
        { "valfard", ANY, { "v-gammelbacka" }, { 0 }, { 0 }, 0, 1, -1 },
        { "äppel", ANY, { "v-omenamaki" }, { 0 }, { 0 }, 1, 1, 1 },
        /* idrott is the sports theme too (tier 2) */
        { "idrott", ANY, { "a-liikuntaseura-kuopio" }, { 0 }, { 0 }, 0, 1, -1 },
        { "förening", ANY, { 0 }, { "a-aland", "a-asukas" }, { 0 }, 0, 2, -1 },
    };
    run(c, sizeof c / sizeof c[0]);
}

static void test_words_and_phrases(void **state)
{
    (void)state;
    static const rcase c[] = {
        { "kuopion liikunta", ANY, { "a-liikuntaseura-kuopio" }, { 0 }, { 0 }, 0, 1, 1 },
        { "liikunta kuopion", ANY, { "a-liikuntaseura-kuopio" }, { 0 }, { 0 }, 0, 1, 1 },
        { "MLL:n", ANY, { "a-mll" }, { 0 }, { 0 }, 0, 1, -1 },
        { "gammelbacka", ANY, { 0 }, { "v-gammelbacka", "a-asukas" }, { 0 }, 1, 2, -1 },
        /* description tier: not in any name, found in Suojatie's description */
        { "asunnot", ANY, { "e-asunnottomien-yo", "a-suojatie" }, { 0 }, { 0 }, 0, 2, -1 },
        { "koordinaattori", ANY, { "c-koordinaattori" }, { 0 }, { 0 }, 0, 1, -1 },
        { "xyzzy", ANY, { 0 }, { 0 }, { 0 }, 0, 0, 0 },
        { "", ANY, { 0 }, { 0 }, { 0 }, 0, 0, 0 },
        { "   ", ANY, { 0 }, { 0 }, { 0 }, 0, 0, 0 },
    };
    run(c, sizeof c / sizeof c[0]);
}

static void test_short_queries(void **state)
{
    (void)state;
    static const rcase c[] = {
        /* one and two letters: name and word starts only, names first */
        { "k", ANY, { "a-vanhempain", "e-forum", "v-harjula", "a-kunta" }, { 0 }, { 0 },
          2, 8, -1 },
        { "ku", ANY, { 0 }, { "a-kunta", "a-kuoro2", "a-kylayhdistys" }, { "a-hiihto" }, 2,
          5, -1 },
        { "y", ANY, { "g-yleisavustus", "a-urheiluseura", "o-ystava" }, { "a-seura-kuopion" }, { 0 }, 2, 3, -1 },
        { "ä", ANY, { "a-ahtari" }, { "v-omenamaki" }, { 0 }, 2, 1, -1 },
    };
    run(c, sizeof c / sizeof c[0]);
}

static void test_filters(void **state)
{
    (void)state;
    rcase c[] = {
        { "gammelbacka", K(CAT_VENUE), { "v-gammelbacka" }, { 0 }, { 0 }, 0, 1, 1 },
        { "yhdistys", T(0), { "a-mielenterveys" }, { 0 }, { 0 }, 0, 1, 2 },
        { "ry", AR("porvoo"), { 0 }, { "a-asukas", "a-elakelaiset-porvoo", "a-mielenterveys" },
          { "a-liikuntaseura-kuopio" }, 0, 3, -1 },
        { "gammelbacka", AR("porvoo-gammelbacka"), { 0 }, { "a-asukas", "v-gammelbacka" },
          { 0 }, 0, 2, 2 },
        { "ry", L(0), { "a-moniheli" }, { 0 }, { 0 }, 0, 1, 1 },
        { "seura", K(CAT_EVENT), { 0 }, { 0 }, { 0 }, 0, 0, 0 },
        { "seura", AR("no-such-area"), { 0 }, { 0 }, { 0 }, 0, 0, 0 },
    };
    c[1].filter.themes = bit(cat_themes, "mental-health-substance-homelessness");
    c[4].filter.languages = bit(cat_languages, "so");
    run(c, sizeof c / sizeof c[0]);
}

static void test_browse_and_names(void **state)
{
    (void)state;
    int items[64];
    search_filter f = AR("porvoo");
    size_t n = search_browse(idx, &f, CAT_FI, items, 64);
    int has_district = 0, has_kuopio = 0;
    for (size_t i = 0; i < n; i++) {
        has_district |= !strcmp(search_item_id(idx, items[i]), "a-asukas");
        has_kuopio |= !strcmp(search_item_id(idx, items[i]), "a-liikuntaseura-kuopio");
    }
    assert_true(has_district); /* a city includes its districts */
    assert_false(has_kuopio);
    assert_int_equal(search_browse(idx, NULL, CAT_FI, NULL, 0), 30);
    /* alphabetical in the reader's language, å ä ö after z */
    search_filter assoc = K(CAT_ASSOCIATION);
    n = search_browse(idx, &assoc, CAT_FI, items, 64);
    assert_string_equal(search_item_id(idx, items[n - 1]), "a-ahtari");     /* Ähtärin */
    assert_string_equal(search_item_id(idx, items[n - 2]), "a-aland");      /* Ålands */
    assert_string_equal(search_item_id(idx, items[n - 3]), "a-urheiluseura"); /* Ylöjärven */
    n = search_browse(idx, &assoc, CAT_SV, items, 64);
    int borga = -1, kuopion = -1;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(search_item_id(idx, items[i]), "a-elakelaiset-porvoo"))
            borga = (int)i;  /* "Borgå Pensionärer" in Swedish */
        if (!strcmp(search_item_id(idx, items[i]), "a-kunta"))
            kuopion = (int)i;
    }
    assert_true(borga >= 0 && borga < kuopion);

    cat_langs sv = cat_langs_for(CAT_SV);
    cat_lang used;
    int it = search_find(idx, "a-elakelaiset-porvoo");
    assert_string_equal(search_item_name(idx, it, &sv, &used), "Borgå Pensionärer rf");
    assert_int_equal(used, CAT_SV);
    it = search_find(idx, "a-kuoro");
    assert_string_equal(search_item_name(idx, it, &sv, &used), "Porin Mieskuoro");
    assert_int_equal(used, CAT_FI);
    /* a configured fallback order: English wanted, then Swedish before Finnish */
    cat_langs fb;
    assert_int_equal(cat_langs_parse("sv,fi", &fb), 0);
    cat_langs en_sv = cat_langs_with(CAT_EN, &fb);
    it = search_find(idx, "a-elakelaiset-porvoo");
    assert_string_equal(search_item_name(idx, it, &en_sv, &used), "Borgå Pensionärer rf");
    assert_int_equal(used, CAT_SV);
    assert_int_equal(cat_langs_parse("sv,de", &fb), -1);
    cat_langs fi = cat_langs_for(CAT_FI);
    it = search_find(idx, "a-aland");
    assert_string_equal(search_item_name(idx, it, &fi, &used), "Ålands Kulturförening rf");
    assert_int_equal(used, CAT_SV);
}

/* A kiosk that has not synced yet has no catalog at all: searching and browsing it
 * give nothing, and nothing breaks. */
static void test_empty_catalog(void **state)
{
    (void)state;
    store *e;
    search *s;
    char msg[KC_MSGMAX];
    assert_int_equal(store_open(tu_tmp("empty.db"), &e), KC_OK);
    assert_int_equal(search_build(e, &s, msg), KC_OK);
    assert_int_equal(search_count(s), 0);
    search_hit hits[10];
    size_t n = 9;
    assert_int_equal(search_query(s, e, "kunta", NULL, hits, 10, &n, msg), KC_OK);
    assert_int_equal(n, 0);
    search_filter f = AR("porvoo");
    assert_int_equal(search_browse(s, &f, CAT_SV, NULL, 0), 0);
    assert_int_equal(search_browse(s, NULL, CAT_FI, NULL, 0), 0);
    assert_int_equal(search_find(s, "a-kuoro"), -1);
    search_free(s);
    store_close(e);
}

/* The kiosk's own area (kiosk.conf "area") decides between items the query matches
 * equally well: two names of the same shape in two towns, each first in its own town. */
static const char NEAR[] =
    "{\"format\":\"kiosk-content\",\"version\":1,\"areas\":["
    "{\"id\":\"porvoo\",\"city\":\"Porvoo\",\"type\":\"city\",\"name\":{\"fi\":\"Porvoo\"}},"
    "{\"id\":\"pori\",\"city\":\"Pori\",\"type\":\"city\",\"name\":{\"fi\":\"Pori\"}}],"
    "\"items\":["
    "{\"id\":\"a-kuoro-1\",\"kind\":\"association\",\"name\":{\"fi\":\"Lauluseura Aalto ry\"},"
    "\"area\":\"porvoo\"},"
    "{\"id\":\"a-kuoro-2\",\"kind\":\"association\",\"name\":{\"fi\":\"Lauluseura Ahti ry\"},"
    "\"area\":\"pori\"}]}";

static const char *first_for(search *s, const char *near)
{
    search_hit hits[4];
    search_info info;
    size_t n = 0;
    char msg[KC_MSGMAX];
    assert_int_equal(search_run(s, "lauluseura", NULL, near, hits, 4, &n, &info, msg), KC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(hits[0].tier, hits[1].tier);
    return search_item_id(s, hits[0].item);
}

static void test_own_area(void **state)
{
    (void)state;
    store *e;
    search *s;
    char msg[KC_MSGMAX];
    content *c = content_new();
    assert_non_null(c);
    remove(tu_tmp("near.db"));
    assert_int_equal(store_open(tu_tmp("near.db"), &e), KC_OK);
    if (content_parse(c, NEAR, strlen(NEAR), "near.json") || content_apply(c, e, 0, NULL))
        fail_msg("%s", content_errmsg(c));
    content_free(c);
    assert_int_equal(search_build(e, &s, msg), KC_OK);
    /* Whichever comes first with no area, the other town's kiosk lists its own first:
     * so each of the two is first once, which no order ignoring the area gives. */
    const char *plain = first_for(s, NULL);
    assert_string_equal(first_for(s, "porvoo"), "a-kuoro-1");
    assert_string_equal(first_for(s, "pori"), "a-kuoro-2");
    assert_true(!strcmp(plain, "a-kuoro-1") || !strcmp(plain, "a-kuoro-2"));
    search_free(s);
    store_close(e);
}

static void test_bad_queries(void **state)
{
    (void)state;
    search_hit hits[10];
    size_t n = 99;
    char msg[KC_MSGMAX];
    assert_int_equal(search_query(idx, st, "kun\xff", NULL, hits, 10, &n, msg), KC_EINVAL);
    assert_int_equal(n, 0);
    char big[5000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(search_query(idx, st, big, NULL, hits, 10, &n, msg), KC_OK);
    assert_int_equal(n, 0);
    /* FTS syntax characters are data, not operators */
    assert_int_equal(search_query(idx, st, "\"kun\" OR *", NULL, hits, 10, &n, msg), KC_OK);
    assert_int_equal(search_query(idx, st, "kunta", NULL, hits, 0, &n, msg), KC_OK);
    assert_int_equal(n, 0);
}

/* The description tier once built its query in a 464-byte stack buffer: 50 short
 * words, or 40 U+FDFA (one character that folds to 18 letters in four words), wrote
 * past it.  Under ASan the old code fails here with stack-buffer-overflow. */
static void test_many_words(void **state)
{
    (void)state;
    search_hit hits[10];
    size_t n = 99;
    char msg[KC_MSGMAX];
    char q[50 * 4 + 1] = "";
    for (int i = 0; i < 50; i++)
        strcat(q, i ? " abc" : "abc");
    assert_int_equal(search_query(idx, st, q, NULL, hits, 10, &n, msg), KC_OK);
    assert_int_equal(n, 0);
    char fdfa[40 * 3 + 1] = "";
    for (int i = 0; i < 40; i++)
        strcat(fdfa, "\xef\xb7\xba");
    assert_int_equal(search_query(idx, st, fdfa, NULL, hits, 10, &n, msg), KC_OK);
    assert_int_equal(n, 0);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Any text a keyboard or a paste can produce returns, with bounded work: invalid
 * UTF-8 is refused, thousands of words are cut at SEARCH_WORDS_MAX, 10 000 characters
 * at SEARCH_QUERY_MAX bytes, control characters separate words. */
static void test_any_text(void **state)
{
    (void)state;
    search_hit hits[20];
    search_info info;
    size_t n = 99;
    char msg[KC_MSGMAX];
    static const char *const bad[] = { "\xff", "kuoro\xc3", "\xed\xa0\x80", "\xc0\xaf" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(search_run(idx, bad[i], NULL, NULL, hits, 20, &n, &info, msg),
                         KC_EINVAL);
        assert_int_equal(n, 0);
        assert_int_equal(info.total, 0);
    }
    /* 5 000 words, 10 000 characters of ä, 10 000 U+FDFA (each folds to four words) */
    size_t big = 40000;
    char *q = test_malloc(big + 1);
    double t0 = now_s();
    for (int kind = 0; kind < 3; kind++) {
        size_t o = 0;
        while (o + 4 < big) {
            const char *piece = kind == 0 ? "kuo " : kind == 1 ? "\xc3\xa4" : "\xef\xb7\xba";
            memcpy(q + o, piece, strlen(piece));
            o += strlen(piece);
        }
        q[o] = '\0';
        assert_int_equal(search_run(idx, q, NULL, NULL, hits, 20, &n, &info, msg), KC_OK);
        assert_true(n <= 20);
        size_t s0, e0;
        (void)search_highlight(q, "Porin Mieskuoro", &s0, &e0);
    }
    test_free(q);
    /* control characters are separators: this is "kuoro" */
    assert_int_equal(search_run(idx, "\x01\x1b\x07kuoro\x7f\t\r\n", NULL, NULL, hits, 20, &n,
                                &info, msg), KC_OK);
    assert_true(n >= 2);
    /* bounded: the three 40 KB queries above are a few milliseconds of work each; a
     * generous limit for a loaded machine, an unbounded walk takes far longer */
    assert_true(now_s() - t0 < 5.0);
}

/* Words are analysed: Finnish forms and compound heads, the vocabulary across
 * languages, one typo with a "did you mean". */
static void test_forms_typos_languages(void **state)
{
    (void)state;
    static const rcase c[] = {
        { "kuoroon", ANY, { "a-kuoro2" }, { "a-kuoro" }, { 0 }, 1, 2, -1 },  /* Mieskuoro */
        { "partiolaisille", ANY, { "a-partio" }, { 0 }, { 0 }, 1, 1, -1 },
        { "choir", ANY, { 0 }, { "a-kuoro", "a-kuoro2" }, { 0 }, 1, 2, -1 },
        { "pensioners", ANY, { 0 }, { "a-elakelaiset-porvoo", "a-ahtari" }, { 0 }, 0, 2, -1 },
        { "porin kuoro", ANY, { "a-kuoro" }, { 0 }, { 0 }, 1, 1, -1 },
        { "kuoro porin", ANY, { "a-kuoro" }, { 0 }, { 0 }, 1, 1, -1 },
    };
    run(c, sizeof c / sizeof c[0]);
    search_hit hits[20];
    search_info info;
    size_t n;
    char msg[KC_MSGMAX];
    assert_int_equal(search_run(idx, "kuroo", NULL, NULL, hits, 20, &n, &info, msg), KC_OK);
    assert_true(n >= 1);
    assert_int_equal(hits[0].tier, 4);
    assert_string_equal(info.suggest, "kuoro");
    /* an exact word wins over a typo of a longer one and gives no suggestion */
    assert_int_equal(search_run(idx, "kuoro", NULL, NULL, hits, 20, &n, &info, msg), KC_OK);
    assert_string_equal(info.suggest, "");
    assert_int_equal(info.total, n);
    /* the Swedish name matched: the hit says so */
    assert_int_equal(search_run(idx, "pensionärer", NULL, NULL, hits, 20, &n, &info, msg),
                     KC_OK);
    assert_true(n >= 1);
    assert_string_equal(search_item_id(idx, hits[0].item), "a-elakelaiset-porvoo");
    assert_int_equal(hits[0].lang, CAT_SV);
    size_t hs, he;
    assert_true(search_highlight("pensionärer", "Borgå Pensionärer rf", &hs, &he));
    assert_int_equal(hs, 7);
    assert_int_equal(he, 7 + strlen("Pensionärer"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compound_words),  cmocka_unit_test(test_accents_and_case),
        cmocka_unit_test(test_swedish),         cmocka_unit_test(test_words_and_phrases),
        cmocka_unit_test(test_short_queries),   cmocka_unit_test(test_filters),
        cmocka_unit_test(test_browse_and_names), cmocka_unit_test(test_bad_queries),
        cmocka_unit_test(test_empty_catalog),   cmocka_unit_test(test_own_area),   cmocka_unit_test(test_many_words),
        cmocka_unit_test(test_any_text),        cmocka_unit_test(test_forms_typos_languages),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
