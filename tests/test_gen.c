/* The synthetic catalog (core/gen.c) must look like a real register, or ranking
 * measured on it means nothing: hundreds of near-identical names ("Eläkeläiset
 * Aallotar ry") made any order look random at 100 000 items. */
#include "testutil.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

#define ITEMS 20000L
#define MAX_WORDS 65536

typedef struct wcount { char w[64]; long n; } wcount;

/* Counts words of names in an open-addressing table (a test, not a product: a fixed
 * table that fails the test when full is fine). */
static long add_word(wcount *t, const char *w, size_t len)
{
    if (len >= sizeof t[0].w)
        len = sizeof t[0].w - 1;
    uint64_t h = 0xCBF29CE484222325u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)w[i]) * 0x100000001B3u;
    for (size_t i = h % MAX_WORDS, k = 0; k < MAX_WORDS; i = (i + 1) % MAX_WORDS, k++) {
        if (!t[i].n) {
            memcpy(t[i].w, w, len);
            t[i].w[len] = '\0';
            t[i].n = 1;
            return 1;
        }
        if (strlen(t[i].w) == len && memcmp(t[i].w, w, len) == 0) {
            t[i].n++;
            return 0;
        }
    }
    fail_msg("word table full");
    return 0;
}

static json_t *generate(unsigned long seed, char **bytes, size_t *len)
{
    char msg[KC_MSGMAX];
    FILE *f = open_memstream(bytes, len);
    assert_non_null(f);
    if (gen_write(f, ITEMS, seed, msg))
        fail_msg("%s", msg);
    assert_int_equal(fclose(f), 0);
    json_error_t err;
    json_t *j = json_loadb(*bytes, *len, 0, &err);
    if (!j)
        fail_msg("gen output: %s", err.text);
    return j;
}

static const char *name_of(json_t *it)
{
    json_t *n = json_object_get(it, "name");
    const char *s = json_string_value(json_object_get(n, "fi"));
    if (!s)
        s = json_string_value(json_object_get(n, "sv"));
    return s ? s : json_string_value(json_object_get(n, "en"));
}

static void test_names_varied_like_a_register(void **state)
{
    (void)state;
    char *bytes;
    size_t len;
    json_t *j = generate(42, &bytes, &len);
    wcount *t = calloc(MAX_WORDS, sizeof *t);
    assert_non_null(t);
    long nassoc = 0, distinct = 0, sv_only = 0, foundation = 0, acronym = 0, english = 0;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(j, "items"), i, it) {
        if (strcmp(json_string_value(json_object_get(it, "kind")), "association") != 0)
            continue;
        const char *nm = name_of(it);
        assert_non_null(nm);
        nassoc++;
        json_t *n = json_object_get(it, "name");
        sv_only += !json_object_get(n, "fi");
        foundation += strstr(nm, "säätiö") != NULL || strstr(nm, "minnesfond") != NULL;
        english += strstr(nm, " Club") != NULL || strstr(nm, "Team ") == nm;
        for (const char *w = nm; *w;) {
            size_t wl = strcspn(w, " ");
            int caps = 0;
            for (size_t k = 0; k < wl; k++)
                caps += w[k] >= 'A' && w[k] <= 'Z';
            acronym += wl >= 2 && wl <= 6 && caps >= 2 && w[wl - 1] >= 'A' && w[wl - 1] <= 'Z';
            distinct += add_word(t, w, wl);
            w += wl + (w[wl] == ' ');
        }
    }
    /* The most common words apart from the legal forms: no one word in more than one
     * name in 30, where "Nuorten", "Naisten" and each nickname used to be. */
    long top = 0;
    const char *topw = "";
    for (i = 0; i < MAX_WORDS; i++) {
        if (!t[i].n || !strcmp(t[i].w, "ry") || !strcmp(t[i].w, "rf") || !strcmp(t[i].w, "sr")
            || !strcmp(t[i].w, "ja"))
            continue;
        if (t[i].n > top) {
            top = t[i].n;
            topw = t[i].w;
        }
    }
    printf("# %ld associations, %ld distinct words, top \"%s\" %ld; sv-only %ld, foundations "
           "%ld, acronyms %ld, English %ld\n", nassoc, distinct, topw, top, sv_only, foundation,
           acronym, english);
    assert_true(nassoc > ITEMS * 3 / 4);
    assert_true(distinct > 2500);
    assert_true(top * 30 < nassoc);
    assert_true(sv_only * 100 > nassoc);     /* names registered only in Swedish */
    assert_true(foundation * 100 > nassoc);  /* person-name memorial foundations */
    assert_true(acronym * 100 > nassoc);     /* "KuPS ry" */
    assert_true(english * 100 > nassoc);     /* "Tampere Cricket Club" */
    free(t);
    json_decref(j);
    free(bytes);
}

static void test_same_seed_same_bytes(void **state)
{
    (void)state;
    char *a, *b;
    size_t la, lb;
    json_t *ja = generate(7, &a, &la), *jb = generate(7, &b, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    json_decref(ja);
    json_decref(jb);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_varied_like_a_register),
        cmocka_unit_test(test_same_seed_same_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
