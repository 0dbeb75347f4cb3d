/* Both themes: every text colour on every surface it is drawn on has a contrast of
 * at least 7:1 (WCAG 2 AAA for body text). */
#include "testutil.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "app.h"

static double channel(uint8_t v)
{
    double c = v / 255.0;
    return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(ui_color c)
{
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

static double contrast(ui_color a, ui_color b)
{
    double x = luminance(a), y = luminance(b);
    if (x < y) {
        double t = x;
        x = y;
        y = t;
    }
    return (x + 0.05) / (y + 0.05);
}

#define PAIR(fg, bg) { #fg " on " #bg, offsetof(ui_theme, fg), offsetof(ui_theme, bg) }

static void test_contrast(void **state)
{
    (void)state;
    static const struct { const char *what; size_t fg, bg; } pairs[] = {
        PAIR(text, bg),           PAIR(text, panel),         PAIR(text, pressed),
        PAIR(muted, bg),          PAIR(muted, panel),        PAIR(button_text, button),
        PAIR(button_text, pressed), PAIR(accent_text, accent), PAIR(accent, accent_text),
        PAIR(warn, bg),           PAIR(warn, panel),         PAIR(ok, bg),
        PAIR(ok, panel),          PAIR(accent_text, warn),
    };
    app a;
    memset(&a, 0, sizeof a);
    for (int hc = 0; hc < 2; hc++) {
        a.high_contrast = hc;
        const ui_theme *t = app_theme(&a);
        for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
            ui_color fg, bg;
            memcpy(&fg, (const char *)t + pairs[i].fg, sizeof fg);
            memcpy(&bg, (const char *)t + pairs[i].bg, sizeof bg);
            double c = contrast(fg, bg);
            if (c < 7.0)
                fail_msg("%s theme: %s is %.2f:1", hc ? "high-contrast" : "normal",
                         pairs[i].what, c);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_contrast) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
