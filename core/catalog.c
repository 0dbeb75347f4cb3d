#include "catalog.h"
#include "kc.h"

#include <assert.h>
#include <string.h>

/* One name per item kind, indexed by cat_kind: a kind without its name fails the build. */
static const char *const kind_names[] = {
    "association", "opportunity", "venue", "event", "grant", "contact",
};
static_assert(sizeof kind_names / sizeof kind_names[0] == CAT_NKIND,
              "every item kind has its name");

static const char *const lang_codes[CAT_NLANG] = { "fi", "sv", "en" };

/* Themes of the seed cities (Helsinki's six theme groups plus Ylöjärvi's and Kuopio's
 * hobby, residents' and social & health groups).  Appended only: stored as bits. */
const char *const cat_themes[] = {
    "children-families", "youth", "older-people", "disability-illness",
    "mental-health-substance-homelessness", "immigrants-multicultural", "sports",
    "culture", "residents-village-parents", "social-health", "environment",
    "education", NULL,
};

static const char *const target_groups[] = {
    "everyone", "children", "youth", "families", "adults", "older-people",
    "immigrants", "disabled", "associations", "volunteers", NULL,
};

/* Languages a place or group serves in; Finnish official, common immigrant and
 * minority languages, sign languages.  Appended only: stored as bits. */
const char *const cat_languages[] = {
    "fi", "sv", "en", "se", "ru", "et", "ar", "so", "fa", "uk", "ku", "zh", "es",
    "de", "fr", "fse", "fss", NULL,
};

static const char *const price_classes[] = { "free", "low-cost", "rented", NULL };

static const char *const event_types[] = {
    "forum", "association-evening", "shared-event", "workshop", "training",
    "meeting", "other", NULL,
};

/* An event that will not happen as first announced (Linked Events' event_status);
 * an event without the field takes place as scheduled. */
static const char *const event_statuses[] = { "cancelled", "postponed", "rescheduled", NULL };

static const char *const grant_types[] = {
    "general", "special", "project", "talkooraha", "event", "production",
    "culture", "sports", "youth", "social-health", "startup", "other", NULL,
};

#define A CAT_KIND_BIT(CAT_ASSOCIATION)
#define O CAT_KIND_BIT(CAT_OPPORTUNITY)
#define V CAT_KIND_BIT(CAT_VENUE)
#define E CAT_KIND_BIT(CAT_EVENT)
#define G CAT_KIND_BIT(CAT_GRANT)
#define C CAT_KIND_BIT(CAT_CONTACT)
#define ALL CAT_ALL_KINDS

const cat_field cat_fields[CAT_NFIELD] = {
    [CAT_F_NAME] = { "name", CAT_T_TEXT, ALL, ALL, 200, NULL, -1 },
    [CAT_F_STATUS] = { "status", CAT_T_ENUM, E, 0, 0, event_statuses, -1 },
    [CAT_F_DESCRIPTION] = { "description", CAT_T_TEXT, ALL, 0, 4000, NULL, -1 },
    [CAT_F_THEMES] = { "themes", CAT_T_ENUMS, ALL, 0, 0, cat_themes, -1 },
    [CAT_F_TARGET_GROUPS] = { "target_groups", CAT_T_ENUMS, A | O | V | E | G, 0, 0,
                              target_groups, -1 },
    [CAT_F_AREA] = { "area", CAT_T_AREA, ALL, 0, CAT_ID_MAX, NULL, -1 },
    [CAT_F_LANGUAGES] = { "languages", CAT_T_ENUMS, A | O | V | E, 0, 0,
                          cat_languages, -1 },
    [CAT_F_ORGANISER] = { "organiser", CAT_T_REF, O | E, 0, CAT_ID_MAX, NULL,
                          CAT_ASSOCIATION },
    [CAT_F_VENUE] = { "venue", CAT_T_REF, O | E, 0, CAT_ID_MAX, NULL, CAT_VENUE },
    [CAT_F_EVENT_TYPE] = { "event_type", CAT_T_ENUM, E, 0, 0, event_types, -1 },
    [CAT_F_START] = { "start", CAT_T_DATETIME, E, E, 16, NULL, -1 },
    [CAT_F_END] = { "end", CAT_T_DATETIME, E, 0, 16, NULL, -1 },
    [CAT_F_WHEN] = { "when", CAT_T_TEXT, O | E, 0, 300, NULL, -1 },
    [CAT_F_TIME_NEEDED] = { "time_needed", CAT_T_TEXT, O, 0, 200, NULL, -1 },
    [CAT_F_SUITS] = { "suits", CAT_T_TEXT, O, 0, 500, NULL, -1 },
    [CAT_F_PRICE] = { "price", CAT_T_ENUM, V, V, 0, price_classes, -1 },
    [CAT_F_CAPACITY] = { "capacity", CAT_T_INT, V, 0, 100000, NULL, -1 },
    [CAT_F_EQUIPMENT] = { "equipment", CAT_T_TEXT, V, 0, 1000, NULL, -1 },
    [CAT_F_BOOKING] = { "booking", CAT_T_TEXT, V, 0, 1000, NULL, -1 },
    [CAT_F_GRANT_TYPE] = { "grant_type", CAT_T_ENUM, G, 0, 0, grant_types, -1 },
    [CAT_F_DEADLINE] = { "deadline", CAT_T_DATE, G, 0, 10, NULL, -1 },
    [CAT_F_AMOUNT] = { "amount", CAT_T_TEXT, G, 0, 200, NULL, -1 },
    [CAT_F_WHO_CAN_APPLY] = { "who_can_apply", CAT_T_TEXT, G, 0, 1000, NULL, -1 },
    [CAT_F_CRITERIA] = { "criteria", CAT_T_TEXT, G, 0, 4000, NULL, -1 },
    [CAT_F_ROLE] = { "role", CAT_T_TEXT, C, 0, 200, NULL, -1 },
    [CAT_F_UNIT] = { "unit", CAT_T_TEXT, C, 0, 200, NULL, -1 },
    [CAT_F_MEETING_PLACE] = { "meeting_place", CAT_T_TEXT, A, 0, 300, NULL, -1 },
    [CAT_F_ADDRESS] = { "address", CAT_T_TEXT, A | O | V | E | C, 0, 300, NULL, -1 },
    [CAT_F_DIRECTIONS] = { "directions", CAT_T_TEXT, V | E, 0, 1000, NULL, -1 },
    [CAT_F_OPENING_HOURS] = { "opening_hours", CAT_T_TEXT, A | V | C, 0, 500, NULL,
                              -1 },
    [CAT_F_ACCESSIBILITY] = { "accessibility", CAT_T_TEXT, V | E | A, 0, 1000, NULL,
                              -1 },
    [CAT_F_CONTACT_NAME] = { "contact_name", CAT_T_STR, ALL, 0, 100, NULL, -1 },
    [CAT_F_PHONE] = { "phone", CAT_T_PHONE, ALL, 0, 40, NULL, -1 },
    [CAT_F_EMAIL] = { "email", CAT_T_EMAIL, ALL, 0, 254, NULL, -1 },
    [CAT_F_WEB] = { "web", CAT_T_URL, ALL, 0, 500, NULL, -1 },
    [CAT_F_SIGNUP_URL] = { "signup_url", CAT_T_URL, O | E, 0, 500, NULL, -1 },
    [CAT_F_SIGNUP_HOW] = { "signup_how", CAT_T_TEXT, O | E, 0, 500, NULL, -1 },
    [CAT_F_CONTACT_PERSON] = { "contact_person", CAT_T_REF, A | O | V | E | G, 0,
                               CAT_ID_MAX, NULL, CAT_CONTACT },
};

void cat_item_clear(cat_item *it)
{
    kc_free(it->id);
    for (int f = 0; f < CAT_NFIELD; f++) {
        cat_value *v = &it->v[f];
        for (int l = 0; l < CAT_NLANG; l++)
            kc_free(v->text[l]);
        kc_free(v->str);
    }
    memset(it, 0, sizeof *it);
}

const char *cat_kind_name(cat_kind k)
{
    return (unsigned)k < CAT_NKIND ? kind_names[k] : "?";
}

int cat_kind_from_name(const char *s)
{
    for (int k = 0; k < CAT_NKIND; k++)
        if (strcmp(s, kind_names[k]) == 0)
            return k;
    return -1;
}

const char *cat_lang_code(cat_lang l)
{
    return (unsigned)l < CAT_NLANG ? lang_codes[l] : "?";
}

int cat_lang_from_code(const char *s)
{
    for (int l = 0; l < CAT_NLANG; l++)
        if (strcmp(s, lang_codes[l]) == 0)
            return l;
    return -1;
}

int cat_enum_index(const char *const *vals, const char *s)
{
    for (int i = 0; vals[i]; i++)
        if (strcmp(vals[i], s) == 0)
            return i;
    return -1;
}

cat_langs cat_langs_for(cat_lang wanted)
{
    cat_langs p;
    int n = 0;
    p.order[n++] = wanted;
    for (int l = 0; l < CAT_NLANG; l++)
        if (l != (int)wanted)
            p.order[n++] = (cat_lang)l;
    return p;
}

cat_langs cat_langs_with(cat_lang wanted, const cat_langs *fallback)
{
    cat_langs p;
    int n = 0;
    p.order[n++] = wanted;
    for (int i = 0; i < CAT_NLANG; i++)
        if (fallback->order[i] != wanted)
            p.order[n++] = fallback->order[i];
    return p;
}

int cat_langs_parse(const char *s, cat_langs *out)
{
    int seen[CAT_NLANG] = { 0 };
    int n = 0;
    while (*s) {
        char code[4];
        size_t len = strcspn(s, ",");
        if (len == 0 || len >= sizeof code)
            return -1;
        memcpy(code, s, len);
        code[len] = '\0';
        int l = cat_lang_from_code(code);
        if (l < 0 || seen[l])
            return -1;
        seen[l] = 1;
        out->order[n++] = (cat_lang)l;
        s += len;
        if (*s == ',')
            s++;
    }
    for (int l = 0; l < CAT_NLANG; l++)
        if (!seen[l])
            out->order[n++] = (cat_lang)l;
    return 0;
}

const char *cat_text_pick(char *const text[CAT_NLANG], const cat_langs *pref,
                          cat_lang *used)
{
    for (int i = 0; i < CAT_NLANG; i++) {
        cat_lang l = pref->order[i];
        if (text[l] && text[l][0]) {
            if (used)
                *used = l;
            return text[l];
        }
    }
    return NULL;
}

int cat_valid_id(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' ||
              ch == '_' || ch == '-'))
            return 0;
    }
    return 1;
}

int cat_clean_text(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    for (; *p; p++) {
        if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7F)
            return 0;
        if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
            return 0;
    }
    return 1;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

static int valid_ymd(const char *s)
{
    static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y, m, d;
    if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || s[7] != '-' ||
        !digits(s + 8, 2, &d))
        return 0;
    if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

int cat_valid_date(const char *s)
{
    return strlen(s) == 10 && valid_ymd(s);
}

int cat_valid_datetime(const char *s)
{
    int h, mi;
    return strlen(s) == 16 && valid_ymd(s) && s[10] == 'T' && digits(s + 11, 2, &h) &&
           s[13] == ':' && digits(s + 14, 2, &mi) && h < 24 && mi < 60;
}
