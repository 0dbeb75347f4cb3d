/* QR: encodes, has finder patterns, refuses empty and oversized text. */
#include "testutil.h"

#include <string.h>

#include "qr.h"

static void test_encode(void **state)
{
    (void)state;
    qr_code *q;
    assert_int_equal(qr_encode("https://vapaaehtoistyo.fi/", &q), KC_OK);
    int n = qr_size(q);
    assert_true(n >= 21 && (n - 21) % 4 == 0);
    /* finder pattern corners: dark outer ring, light ring, dark 3x3 centre */
    assert_true(qr_dark(q, 0, 0) && qr_dark(q, 6, 0) && qr_dark(q, 0, 6));
    assert_false(qr_dark(q, 1, 1));
    assert_true(qr_dark(q, 3, 3));
    assert_true(qr_dark(q, n - 1, 0) && qr_dark(q, 0, n - 1));
    assert_false(qr_dark(q, -1, 0));
    assert_false(qr_dark(q, n, n));
    qr_free(q);
}

static void test_limits(void **state)
{
    (void)state;
    qr_code *q;
    assert_int_equal(qr_encode("", &q), KC_ETOOBIG);
    assert_null(q);
    char big[QR_TEXT_MAX + 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(qr_encode(big, &q), KC_ETOOBIG);
    assert_int_equal(qr_encode("Yhteystiedot: Pääkirjasto, p. 040 000 0001", &q), KC_OK);
    qr_free(q);
}

/* A contact card names the organisation and escapes its fields: a role with a comma
 * must not become last name and first name on a phone. */
static void test_mecard(void **state)
{
    (void)state;
    char out[300];
    assert_int_equal(qr_mecard("Koordinaattori, kulttuuri", "Porvoon kaupunki; kulttuuri",
                               "+358 40 000 0001", "a.b@porvoo.fi", out, sizeof out),
                     KC_OK);
    assert_string_equal(out, "MECARD:N:Koordinaattori\\, kulttuuri;"
                             "ORG:Porvoon kaupunki\\; kulttuuri;TEL:+358 40 000 0001;"
                             "EMAIL:a.b@porvoo.fi;;");
    assert_int_equal(qr_mecard("Back\\slash: yes", NULL, NULL, "x@y.fi", out, sizeof out),
                     KC_OK);
    assert_string_equal(out, "MECARD:N:Back\\\\slash\\: yes;EMAIL:x@y.fi;;");
    assert_int_equal(qr_mecard("Nimi", NULL, NULL, NULL, out, sizeof out), KC_EINVAL);
    assert_int_equal(qr_mecard("", NULL, "1", NULL, out, sizeof out), KC_EINVAL);
    assert_int_equal(qr_mecard("Nimi", "Org", "040", NULL, out, 20), KC_ETOOBIG);
    assert_string_equal(out, "");
}

/* Reads a MECARD the way a phone does: fields end at an unescaped ';', a field's tag
 * ends at its first ':', N's parts (last name, first name) are split at an unescaped
 * ','.  Copies field tag's value, unescaped, to out; returns the number of N parts
 * (1 for other fields), 0 when the field is missing. */
static int mecard_get(const char *card, const char *tag, char *out, size_t cap)
{
    assert_memory_equal(card, "MECARD:", 7);
    const char *p = card + 7;
    size_t tl = strlen(tag);
    while (*p && *p != ';') {
        int match = strncmp(p, tag, tl) == 0 && p[tl] == ':';
        const char *v = strchr(p, ':');
        assert_non_null(v);
        v++;
        size_t n = 0;
        int parts = 1;
        for (; *v && *v != ';'; v++) {
            if (*v == '\\' && v[1]) {
                v++;
            } else if (*v == ',' && !strcmp(tag, "N")) {
                parts++;
            }
            if (match && n + 1 < cap)
                out[n++] = *v;
        }
        if (match) {
            out[n] = '\0';
            return parts;
        }
        assert_int_equal(*v, ';');
        p = v + 1;
    }
    return 0;
}

static void set_text(cat_item *it, cat_fid f, const char *fi, const char *sv)
{
    it->v[f].present = 1;
    it->v[f].text[CAT_FI] = fi ? kc_strdup(fi) : NULL;
    it->v[f].text[CAT_SV] = sv ? kc_strdup(sv) : NULL;
}

static void set_str(cat_item *it, cat_fid f, const char *s)
{
    it->v[f].present = 1;
    it->v[f].str = kc_strdup(s);
}

/* A city contact's card, decoded as a phone reads it: one name (the comma in
 * "koordinaattori, Porvoo" does not make a last and first name), the unit as the
 * organisation, and the number and address intact. */
static void test_item_mecard(void **state)
{
    (void)state;
    cat_item it = { .kind = CAT_CONTACT };
    set_text(&it, CAT_F_NAME, "Vapaaehtoistyön koordinaattori, Porvoo",
             "Koordinator för frivilligarbete, Borgå");
    set_text(&it, CAT_F_UNIT, "Porvoon kaupunki, hyvinvoinnin edistäminen",
             "Borgå stad, välfärdsfrämjande");
    set_str(&it, CAT_F_PHONE, "+358 40 000 0001");
    set_str(&it, CAT_F_EMAIL, "vapaaehtoistyo@porvoo.example");
    char card[600], v[300];
    cat_langs sv = cat_langs_for(CAT_SV);
    assert_int_equal(qr_item_mecard(&it, &sv, card, sizeof card), KC_OK);
    assert_int_equal(mecard_get(card, "N", v, sizeof v), 1);
    assert_string_equal(v, "Koordinator för frivilligarbete, Borgå");
    assert_int_equal(mecard_get(card, "ORG", v, sizeof v), 1);
    assert_string_equal(v, "Borgå stad, välfärdsfrämjande");
    assert_int_equal(mecard_get(card, "TEL", v, sizeof v), 1);
    assert_string_equal(v, "+358 40 000 0001");
    assert_int_equal(mecard_get(card, "EMAIL", v, sizeof v), 1);
    assert_string_equal(v, "vapaaehtoistyo@porvoo.example");
    /* and it fits a QR code */
    qr_code *q;
    assert_int_equal(qr_encode(card, &q), KC_OK);
    qr_free(q);
    cat_item_clear(&it);

    /* An association with a named person: the person, and the association as ORG. */
    it.kind = CAT_ASSOCIATION;
    set_text(&it, CAT_F_NAME, "Kuopion Urheiluseura: juniorit; aikuiset", NULL);
    set_str(&it, CAT_F_CONTACT_NAME, "Virtanen, Matti");
    set_str(&it, CAT_F_PHONE, "040 000 0002");
    cat_langs fi = cat_langs_for(CAT_FI);
    assert_int_equal(qr_item_mecard(&it, &fi, card, sizeof card), KC_OK);
    assert_int_equal(mecard_get(card, "N", v, sizeof v), 1);
    assert_string_equal(v, "Virtanen, Matti");
    assert_int_equal(mecard_get(card, "ORG", v, sizeof v), 1);
    assert_string_equal(v, "Kuopion Urheiluseura: juniorit; aikuiset");
    assert_int_equal(mecard_get(card, "EMAIL", v, sizeof v), 0);
    cat_item_clear(&it);

    /* nothing to call or write to: no card */
    it.kind = CAT_VENUE;
    set_text(&it, CAT_F_NAME, "Tila", NULL);
    assert_int_equal(qr_item_mecard(&it, &fi, card, sizeof card), KC_EINVAL);
    cat_item_clear(&it);
}

static void test_directions(void **state)
{
    (void)state;
    char url[200];
    assert_int_equal(qr_directions_url("Esimerkkitie 5, 06100 Porvoo", url, sizeof url), KC_OK);
    assert_string_equal(url, "https://www.openstreetmap.org/search?query="
                             "Esimerkkitie%205%2C%2006100%20Porvoo");
    assert_int_equal(qr_directions_url("Exempelgränden 2&x=1", url, sizeof url), KC_OK);
    assert_string_equal(url, "https://www.openstreetmap.org/search?query="
                             "Exempelgr%C3%A4nden%202%26x%3D1");
    assert_int_equal(qr_directions_url("", url, sizeof url), KC_EINVAL);
    assert_int_equal(qr_directions_url("Katu 1", url, 46), KC_ETOOBIG);
    assert_string_equal(url, "");
    qr_code *q;
    assert_int_equal(qr_directions_url("Esimerkkikatu 20, 70100 Kuopio", url, sizeof url), KC_OK);
    assert_int_equal(qr_encode(url, &q), KC_OK);
    qr_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_mecard),
        cmocka_unit_test(test_item_mecard),
        cmocka_unit_test(test_directions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
