/* List rows' facts (core/facts.h) with the kiosk's real translations (assets/i18n):
 * each kind in fi, sv and en, "Tänään"/"Idag"/"Today", a deadline before, on and after
 * today, and the count's plural form ("1 hlö", "40 hlöä"). */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "facts.h"
#include "i18n.h"

static i18n *tr_;

static const char *w_tr(void *ud, cat_lang l, const char *k)
{
    return i18n_tr(ud, l, k);
}

static const char *w_ntr(void *ud, cat_lang l, const char *one, const char *many,
                         unsigned long n)
{
    return i18n_ntr(ud, l, one, many, n);
}

static const char *row(const cat_item *it, cat_lang lang, const char *place, const char *area)
{
    static char out[300];
    facts_words w = { .ud = tr_, .tr = w_tr, .ntr = w_ntr };
    cat_langs pref = cat_langs_for(lang);
    facts_ctx c = { .lang = lang, .pref = &pref, .today = "2026-11-25", .w = &w };
    facts_row(&c, it, place, area, out, sizeof out);
    return out;
}

static void set_str(cat_item *it, cat_fid f, const char *s)
{
    it->v[f].present = 1;
    it->v[f].str = kc_strdup(s);
    assert_non_null(it->v[f].str);
}

static void set_text(cat_item *it, cat_fid f, const char *fi, const char *sv, const char *en)
{
    it->v[f].present = 1;
    const char *t[CAT_NLANG] = { fi, sv, en };
    for (int l = 0; l < CAT_NLANG; l++)
        if (t[l]) {
            it->v[f].text[l] = kc_strdup(t[l]);
            assert_non_null(it->v[f].text[l]);
        }
}

static void test_event(void **state)
{
    (void)state;
    cat_item it = { .kind = CAT_EVENT };
    set_str(&it, CAT_F_START, "2026-11-25T18:00");
    assert_string_equal(row(&it, CAT_FI, "Pääkirjasto", "Keskusta"),
                        "Tänään klo 18 · Pääkirjasto");
    assert_string_equal(row(&it, CAT_SV, "Huvudbiblioteket", NULL),
                        "Idag kl. 18 · Huvudbiblioteket");
    assert_string_equal(row(&it, CAT_EN, NULL, "Centre"), "Today 18:00 · Centre");
    cat_item_clear(&it);
    it.kind = CAT_EVENT;
    set_str(&it, CAT_F_START, "2026-11-26T09:30");
    assert_string_equal(row(&it, CAT_FI, NULL, "Kuopio"), "Huomenna klo 9.30 · Kuopio");
    assert_string_equal(row(&it, CAT_SV, NULL, "Kuopio"), "I morgon kl. 9.30 · Kuopio");
    cat_item_clear(&it);
    it.kind = CAT_EVENT;
    set_str(&it, CAT_F_START, "2026-12-01T18:00");
    set_str(&it, CAT_F_STATUS, "cancelled");
    set_text(&it, CAT_F_ADDRESS, "Esimerkkitie 5", NULL, NULL);
    assert_string_equal(row(&it, CAT_FI, NULL, "Porvoo"),
                        "Peruttu · ti 1.12. klo 18 · Esimerkkitie 5");
    assert_string_equal(row(&it, CAT_SV, NULL, "Borgå"),
                        "Inställt · tis 1.12. kl. 18 · Esimerkkitie 5");
    assert_string_equal(row(&it, CAT_EN, NULL, NULL),
                        "Cancelled · Tue 1 Dec 18:00 · Esimerkkitie 5");
    cat_item_clear(&it);
    /* began yesterday and runs on: it is on today */
    it.kind = CAT_EVENT;
    set_str(&it, CAT_F_START, "2026-11-24T10:00");
    set_str(&it, CAT_F_END, "2026-11-27T16:00");
    assert_string_equal(row(&it, CAT_EN, "Hall", NULL), "Today · Hall");
    cat_item_clear(&it);
}

static void test_grant(void **state)
{
    (void)state;
    cat_item it = { .kind = CAT_GRANT };
    set_str(&it, CAT_F_DEADLINE, "2027-01-15");
    set_text(&it, CAT_F_AMOUNT, "max 5 000 €", NULL, "up to €5,000");
    assert_string_equal(row(&it, CAT_FI, NULL, "Porvoo"), "Haku päättyy 15.1.2027 · max 5 000 € · Porvoo");
    assert_string_equal(row(&it, CAT_SV, NULL, "Borgå"),
                        "Ansök senast 15.1.2027 · max 5 000 € · Borgå");  /* fi text as fallback */
    assert_string_equal(row(&it, CAT_EN, NULL, NULL), "Apply by 15 Jan 2027 · up to €5,000");
    cat_item_clear(&it);
    it.kind = CAT_GRANT;
    set_str(&it, CAT_F_DEADLINE, "2026-12-15");
    assert_string_equal(row(&it, CAT_FI, NULL, "Kuopio"), "Haku päättyy 15.12. · Kuopio");
    assert_string_equal(row(&it, CAT_EN, NULL, NULL), "Apply by 15 Dec");
    cat_item_clear(&it);
    it.kind = CAT_GRANT;
    set_str(&it, CAT_F_DEADLINE, "2026-11-25");
    assert_string_equal(row(&it, CAT_FI, NULL, NULL), "Haku päättyy tänään");
    assert_string_equal(row(&it, CAT_SV, NULL, NULL), "Sista ansökningsdag i dag");
    assert_string_equal(row(&it, CAT_EN, NULL, NULL), "Last day to apply: today");
    cat_item_clear(&it);
    it.kind = CAT_GRANT;
    set_str(&it, CAT_F_DEADLINE, "2026-11-24");
    assert_string_equal(row(&it, CAT_FI, NULL, NULL), "Haku päättynyt");
    assert_string_equal(row(&it, CAT_SV, NULL, NULL), "Ansökningstiden har gått ut");
    assert_string_equal(row(&it, CAT_EN, NULL, NULL), "Applications closed");
    cat_item_clear(&it);
}

static void test_venue(void **state)
{
    (void)state;
    cat_item it = { .kind = CAT_VENUE };
    set_str(&it, CAT_F_PRICE, "free");
    it.v[CAT_F_CAPACITY].present = 1;
    it.v[CAT_F_CAPACITY].num = 40;
    assert_string_equal(row(&it, CAT_FI, NULL, "Omenamäki"), "Maksuton · 40 hlöä · Omenamäki");
    assert_string_equal(row(&it, CAT_SV, NULL, NULL), "Avgiftsfri · max 40 personer");
    assert_string_equal(row(&it, CAT_EN, NULL, NULL), "Free · max 40 people");
    it.v[CAT_F_CAPACITY].num = 1;  /* gettext's plural form: one */
    assert_string_equal(row(&it, CAT_FI, NULL, NULL), "Maksuton · 1 hlö");
    assert_string_equal(row(&it, CAT_SV, NULL, NULL), "Avgiftsfri · max 1 person");
    assert_string_equal(row(&it, CAT_EN, NULL, NULL), "Free · max 1 person");
    cat_item_clear(&it);
    it.kind = CAT_VENUE;
    set_str(&it, CAT_F_PRICE, "low-cost");
    assert_string_equal(row(&it, CAT_FI, NULL, NULL), "Edullinen");
    cat_item_clear(&it);
}

static void test_task_assoc_contact(void **state)
{
    (void)state;
    cat_item it = { .kind = CAT_OPPORTUNITY };
    set_text(&it, CAT_F_WHEN, "Torstaisin klo 13–15", "Torsdagar kl. 13–15", "Thursdays 13–15");
    set_text(&it, CAT_F_TIME_NEEDED, "2 tuntia", NULL, NULL);
    assert_string_equal(row(&it, CAT_FI, NULL, "Keskusta"), "Torstaisin klo 13–15 · Keskusta");
    assert_string_equal(row(&it, CAT_SV, "Huset", "Centrum"), "Torsdagar kl. 13–15 · Huset");
    assert_string_equal(row(&it, CAT_EN, NULL, NULL), "Thursdays 13–15");
    cat_item_clear(&it);
    it.kind = CAT_OPPORTUNITY;
    set_text(&it, CAT_F_TIME_NEEDED, "2 tuntia kuussa", "2 timmar i månaden", NULL);
    assert_string_equal(row(&it, CAT_SV, NULL, NULL), "2 timmar i månaden");
    cat_item_clear(&it);
    it.kind = CAT_ASSOCIATION;
    set_text(&it, CAT_F_MEETING_PLACE, "Gammelbackan hyvinvointikeskus",
             "Gammelbacka välfärdscentrum", NULL);
    assert_string_equal(row(&it, CAT_SV, NULL, "Borgå"), "Gammelbacka välfärdscentrum");
    assert_string_equal(row(&it, CAT_EN, NULL, "Porvoo"), "Gammelbackan hyvinvointikeskus");
    cat_item_clear(&it);
    it.kind = CAT_ASSOCIATION;
    assert_string_equal(row(&it, CAT_FI, NULL, "Porvoo"), "Porvoo");
    cat_item_clear(&it);
    it.kind = CAT_CONTACT;
    set_text(&it, CAT_F_ROLE, "Hyvinvointikoordinaattori", "Välfärdskoordinator", NULL);
    set_text(&it, CAT_F_UNIT, "Porvoon kaupunki", "Borgå stad", "City of Porvoo");
    assert_string_equal(row(&it, CAT_FI, NULL, "Porvoo"),
                        "Hyvinvointikoordinaattori · Porvoon kaupunki");
    assert_string_equal(row(&it, CAT_SV, NULL, NULL), "Välfärdskoordinator · Borgå stad");
    assert_string_equal(row(&it, CAT_EN, NULL, NULL), "Hyvinvointikoordinaattori · City of Porvoo");
    cat_item_clear(&it);
}

/* Cut to the buffer, never inside a letter. */
static void test_cut(void **state)
{
    (void)state;
    cat_item it = { .kind = CAT_ASSOCIATION };
    set_text(&it, CAT_F_MEETING_PLACE, "ääää", NULL, NULL);
    facts_words w = { .ud = tr_, .tr = w_tr, .ntr = w_ntr };
    facts_ctx c = { .lang = CAT_FI, .today = "2026-11-25", .w = &w };
    char out[6];
    facts_row(&c, &it, NULL, NULL, out, sizeof out);
    assert_string_equal(out, "ää");
    cat_item_clear(&it);
}

int main(void)
{
    char msg[KC_MSGMAX];
    if (i18n_load(ASSETS_DIR "/i18n", &tr_, msg)) {
        fprintf(stderr, "%s\n", msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event),
        cmocka_unit_test(test_grant),
        cmocka_unit_test(test_venue),
        cmocka_unit_test(test_task_assoc_contact),
        cmocka_unit_test(test_cut),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    i18n_free(tr_);
    return rc;
}
