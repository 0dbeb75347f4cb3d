/* timegm() */
#define _DEFAULT_SOURCE
/* English source labels (translation keys) for the catalog's enums and fields. */
#include "app.h"

#include <time.h>

#include <stdio.h>
#include <string.h>

static const char *const field_labels[CAT_NFIELD] = {
    [CAT_F_NAME] = N_("Name"), [CAT_F_DESCRIPTION] = N_("Description"), [CAT_F_THEMES] = N_("Themes"),
    [CAT_F_TARGET_GROUPS] = N_("For whom"), [CAT_F_AREA] = N_("Area"), [CAT_F_LANGUAGES] = N_("Languages"),
    [CAT_F_ORGANISER] = N_("Organiser"), [CAT_F_VENUE] = N_("Venue"), [CAT_F_EVENT_TYPE] = N_("Type"),
    [CAT_F_START] = N_("Starts"), [CAT_F_END] = N_("Ends"), [CAT_F_STATUS] = N_("Status"), [CAT_F_WHEN] = N_("When"),
    [CAT_F_TIME_NEEDED] = N_("Time needed"), [CAT_F_SUITS] = N_("Who it suits"),
    [CAT_F_PRICE] = N_("Price"), [CAT_F_CAPACITY] = N_("Capacity"), [CAT_F_EQUIPMENT] = N_("Equipment"),
    [CAT_F_BOOKING] = N_("How to book"), [CAT_F_GRANT_TYPE] = N_("Grant type"),
    [CAT_F_DEADLINE] = N_("Deadline"), [CAT_F_AMOUNT] = N_("Amount"),
    [CAT_F_WHO_CAN_APPLY] = N_("Who can apply"), [CAT_F_CRITERIA] = N_("Criteria"),
    [CAT_F_ROLE] = N_("Role"), [CAT_F_UNIT] = N_("Unit"), [CAT_F_MEETING_PLACE] = N_("Meeting place"),
    [CAT_F_ADDRESS] = N_("Address"), [CAT_F_DIRECTIONS] = N_("How to get there"),
    [CAT_F_OPENING_HOURS] = N_("Opening hours"), [CAT_F_ACCESSIBILITY] = N_("Accessibility"),
    [CAT_F_CONTACT_NAME] = N_("Contact person"), [CAT_F_PHONE] = N_("Phone"),
    [CAT_F_EMAIL] = N_("E-mail"), [CAT_F_WEB] = N_("Web"), [CAT_F_SIGNUP_URL] = N_("Sign up online"),
    [CAT_F_SIGNUP_HOW] = N_("How to sign up"), [CAT_F_CONTACT_PERSON] = N_("City contact"),
};

const char *app_field_label(const app *a, cat_fid f)
{
    return tr(a, field_labels[f]);
}

/* Same order as the enum lists in core/catalog.c. */
static const char *const theme_l[] = {
    N_("Children and families"), N_("Youth"), N_("Older people"), N_("Disability and chronic illness"),
    N_("Mental health, substance use, homelessness"), N_("Immigrants and multicultural"), N_("Sports"),
    N_("Culture"), N_("Residents', village and parents' associations"), N_("Social and health"),
    N_("Environment"), N_("Education"), NULL,
};
static const char *const group_l[] = {
    N_("Everyone"), N_("Children"), N_("Young people"), N_("Families"), N_("Adults"), N_("Older people"),
    N_("Immigrants"), N_("People with disabilities"), N_("Associations"), N_("Volunteers"), NULL,
};
static const char *const lang_l[] = {
    N_("Finnish"), N_("Swedish"), N_("English"), N_("Northern Sámi"), N_("Russian"), N_("Estonian"), N_("Arabic"),
    N_("Somali"), N_("Persian"), N_("Ukrainian"), N_("Kurdish"), N_("Chinese"), N_("Spanish"), N_("German"), N_("French"),
    N_("Finnish Sign Language"), N_("Finland-Swedish Sign Language"), NULL,
};
static const char *const price_l[] = { N_("Free"), N_("Low cost"), N_("Rented"), NULL };
static const char *const event_l[] = {
    N_("Forum"), N_("Association evening"), N_("Shared event"), N_("Workshop"), N_("Training"), N_("Meeting"),
    N_("Other"), NULL,
};
static const char *const status_l[] = { N_("Cancelled"), N_("Postponed"), N_("Rescheduled"), NULL };
static const char *const grant_l[] = {
    N_("General grant"), N_("Special grant"), N_("Project grant"), N_("Volunteer-work money (talkooraha)"),
    N_("Event support"), N_("Production support"), N_("Culture grant"), N_("Sports grant"), N_("Youth grant"),
    N_("Social and health grant"), N_("Start-up grant"), N_("Other"), NULL,
};

const char *app_enum_label(const app *a, cat_fid f, int i)
{
    const char *const *t = NULL;
    switch (f) {
    case CAT_F_THEMES: t = theme_l; break;
    case CAT_F_TARGET_GROUPS: t = group_l; break;
    case CAT_F_LANGUAGES: t = lang_l; break;
    case CAT_F_PRICE: t = price_l; break;
    case CAT_F_EVENT_TYPE: t = event_l; break;
    case CAT_F_STATUS: t = status_l; break;
    case CAT_F_GRANT_TYPE: t = grant_l; break;
    default: break;
    }
    if (!t || i < 0)
        return "";
    for (int k = 0; k <= i; k++)
        if (!t[k])
            return "";
    return tr(a, t[i]);
}

const char *app_theme_label(const app *a, int i)
{
    return app_enum_label(a, CAT_F_THEMES, i);
}

/* 2026-09-25T17:00 -> "25.9.2026 17.00" (fi, sv) or "25.9.2026 17:00" (en). */
void app_format_date(const app *a, const char *iso, char *out, size_t cap)
{
    int y, m, d, hh = -1, mm = -1;
    if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d", &y, &m, &d, &hh, &mm) < 3) {
        snprintf(out, cap, "%s", iso);
        return;
    }
    if (hh < 0)
        snprintf(out, cap, "%d.%d.%d", d, m, y);
    else
        snprintf(out, cap, "%d.%d.%d %d%s%02d", d, m, y, hh, a->lang == CAT_EN ? ":" : ".",
                 mm);
}

void app_format_hour(const app *a, const char *utc_hour, char *out, size_t cap)
{
    int y, m, d, h;
    char z = 0;
    if (sscanf(utc_hour, "%4d-%2d-%2dT%2d%c", &y, &m, &d, &h, &z) != 5 || z != 'Z' ||
        m < 1 || m > 12 || d < 1 || d > 31 || h < 0 || h > 23) {
        snprintf(out, cap, "%s", utc_hour);
        return;
    }
    /* Stored in UTC (the hour of a response, docs/survey-format.md); shown in the
     * kiosk's local time, the way people say it: "1.12.2026 klo 9". */
    struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = h };
    time_t t = timegm(&tm);
    struct tm lt;
    if (t == (time_t)-1 || !localtime_r(&t, &lt)) {
        snprintf(out, cap, "%s", utc_hour);
        return;
    }
    snprintf(out, cap, tr(a, "%d.%d.%d at %d"), lt.tm_mday, lt.tm_mon + 1, lt.tm_year + 1900,
             lt.tm_hour);
}

const char *app_month_name(const app *a, int m)
{
    static const char *const months[12] = {
        N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"), N_("August"),
        N_("September"), N_("October"), N_("November"), N_("December"),
    };
    return m >= 1 && m <= 12 ? tr(a, months[m - 1]) : "";
}
