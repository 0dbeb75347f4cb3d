/* when.c - human dates and times in fi/sv/en (when.h). */
#include "when.h"

#include <stdio.h>
#include <string.h>

static const char *const weekdays[CAT_NLANG][7] = {
    [CAT_FI] = { "ma", "ti", "ke", "to", "pe", "la", "su" },
    [CAT_SV] = { "mån", "tis", "ons", "tor", "fre", "lör", "sön" },
    [CAT_EN] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" },
};
static const char *const months_en[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const today_word[CAT_NLANG] = { "Tänään", "Idag", "Today" };
static const char *const tomorrow_word[CAT_NLANG] = { "Huomenna", "I morgon", "Tomorrow" };

/* y-m-d (and hh:mm when present); 0 when the date is malformed. */
static int parse(const char *iso, int *y, int *m, int *d, int *hh, int *mm)
{
    *hh = *mm = -1;
    if (!iso || strlen(iso) < 10 || iso[4] != '-' || iso[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (iso[i] < '0' || iso[i] > '9'))
            return 0;
    *y = (iso[0] - '0') * 1000 + (iso[1] - '0') * 100 + (iso[2] - '0') * 10 + (iso[3] - '0');
    *m = (iso[5] - '0') * 10 + (iso[6] - '0');
    *d = (iso[8] - '0') * 10 + (iso[9] - '0');
    if (*m < 1 || *m > 12 || *d < 1 || *d > 31)
        return 0;
    if (iso[10] == 'T' && strlen(iso) >= 16 && iso[13] == ':' && iso[11] >= '0' &&
        iso[11] <= '2' && iso[12] >= '0' && iso[12] <= '9' && iso[14] >= '0' &&
        iso[14] <= '5' && iso[15] >= '0' && iso[15] <= '9') {
        *hh = (iso[11] - '0') * 10 + (iso[12] - '0');
        *mm = (iso[14] - '0') * 10 + (iso[15] - '0');
        if (*hh > 23)
            *hh = *mm = -1;
    }
    return 1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static long days_of(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int when_weekday(const char *iso)
{
    int y, m, d, hh, mm;
    if (!parse(iso, &y, &m, &d, &hh, &mm))
        return -1;
    long n = days_of(y, m, d);  /* 1970-01-01 was a Thursday (3) */
    return (int)(((n % 7) + 7 + 3) % 7);
}

const char *when_weekday_name(int wday, cat_lang lang)
{
    if (wday < 0 || wday > 6 || (unsigned)lang >= CAT_NLANG)
        return "";
    return weekdays[lang][wday];
}

void when_day(const char *iso, const char *today, cat_lang lang, char *out, size_t cap)
{
    int y, m, d, hh, mm, ty = 0, tm = 0, td = 0, thh, tmm;
    if (cap == 0)
        return;
    if ((unsigned)lang >= CAT_NLANG)
        lang = CAT_FI;
    if (!parse(iso, &y, &m, &d, &hh, &mm)) {
        snprintf(out, cap, "%s", iso ? iso : "");
        return;
    }
    int have_today = today && parse(today, &ty, &tm, &td, &thh, &tmm);
    long diff = have_today ? days_of(y, m, d) - days_of(ty, tm, td) : -1;
    if (diff == 0 || diff == 1) {
        snprintf(out, cap, "%s", diff == 0 ? today_word[lang] : tomorrow_word[lang]);
        return;
    }
    const char *wd = weekdays[lang][when_weekday(iso)];
    int year = !have_today || y != ty;
    if (lang == CAT_EN) {
        if (year)
            snprintf(out, cap, "%s %d %s %d", wd, d, months_en[m - 1], y);
        else
            snprintf(out, cap, "%s %d %s", wd, d, months_en[m - 1]);
    } else if (year) {
        snprintf(out, cap, "%s %d.%d.%d", wd, d, m, y);
    } else {
        snprintf(out, cap, "%s %d.%d.", wd, d, m);
    }
}

void when_date(const char *iso, const char *today, cat_lang lang, char *out, size_t cap)
{
    int y, m, d, hh, mm, ty = 0, tm = 0, td = 0, thh, tmm;
    if (cap == 0)
        return;
    if (!parse(iso, &y, &m, &d, &hh, &mm)) {
        snprintf(out, cap, "%s", iso ? iso : "");
        return;
    }
    int year = !(today && parse(today, &ty, &tm, &td, &thh, &tmm)) || y != ty;
    if (lang == CAT_EN)
        snprintf(out, cap, year ? "%d %s %d" : "%d %s", d, months_en[m - 1], y);
    else
        snprintf(out, cap, year ? "%d.%d.%d" : "%d.%d.", d, m, y);
}

void when_time(const char *iso, cat_lang lang, char *out, size_t cap)
{
    int y, m, d, hh, mm;
    if (cap == 0)
        return;
    out[0] = '\0';
    if (!parse(iso, &y, &m, &d, &hh, &mm) || hh < 0)
        return;
    if (lang == CAT_EN)
        snprintf(out, cap, "%02d:%02d", hh, mm);
    else if (mm == 0)  /* "klo 18": a whole hour is said without its minutes */
        snprintf(out, cap, "%s %d", lang == CAT_SV ? "kl." : "klo", hh);
    else
        snprintf(out, cap, "%s %d.%02d", lang == CAT_SV ? "kl." : "klo", hh, mm);
}

void when_format(const char *iso, const char *today, cat_lang lang, char *out, size_t cap)
{
    char day[48], tm[24];
    if (cap == 0)
        return;
    when_day(iso, today, lang, day, sizeof day);
    when_time(iso, lang, tm, sizeof tm);
    snprintf(out, cap, "%s%s%s", day, tm[0] ? " " : "", tm);
}
