/*
 * when.h - dates and times as people say them, in Finnish, Swedish and English:
 * "ti 1.12. klo 18", "Tänään klo 18.30", "tis 1.12. kl. 18", "Tue 1 Dec 18:00".
 * No SDL and no locale: the words are here, so the kiosk, tools and tests all print
 * the same thing whatever the machine's locale.
 *
 * Input is the content format's local time "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM"
 * (docs/content-format.md); today is "YYYY-MM-DD".  A malformed date is copied as
 * it is rather than guessed at.  Output is always NUL-terminated and cut to cap.
 */
#ifndef WHEN_H
#define WHEN_H

#include <stddef.h>

#include "catalog.h"

/* Day of the week of a valid date, 0 = Monday .. 6 = Sunday; -1 when malformed. */
int when_weekday(const char *iso);

/* Short weekday name: "ti", "tis", "Tue". */
const char *when_weekday_name(int wday, cat_lang lang);

/* The day, relative to today when near: "Tänään" / "Idag" / "Today", "Huomenna" /
 * "I morgon" / "Tomorrow", else "ti 1.12." / "tis 1.12." / "Tue 1 Dec"; the year
 * is added when it is not today's ("ti 5.1.2027"). */
void when_day(const char *iso, const char *today, cat_lang lang, char *out, size_t cap);

/* The time of day alone: "klo 18", "klo 18.30" / "kl. 18" / "18:00"; "" when iso
 * has no time. */
void when_time(const char *iso, cat_lang lang, char *out, size_t cap);

/* A date without its weekday, as a deadline is said: "15.1." / "15.1.2028" (fi, sv),
 * "15 Jan" / "15 Jan 2028" (en); the year only when it is not today's. */
void when_date(const char *iso, const char *today, cat_lang lang, char *out, size_t cap);

/* Day and time together: "ti 1.12. klo 18", "Tänään klo 18.30", "Today 18:30". */
void when_format(const char *iso, const char *today, cat_lang lang, char *out, size_t cap);

#endif
