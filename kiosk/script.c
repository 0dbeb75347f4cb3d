/*
 * Script mode: drives the kiosk as a person would, with a virtual clock, and checks
 * what is on screen through the UI's semantic list.  One command per line:
 *
 *   tap TEXT | tap X Y          press and release on a button (by its label) or a point
 *   longpress X Y MS            hold still for MS milliseconds
 *   drag X1 Y1 X2 Y2 MS         move a finger over MS ms (a fast one is a fling)
 *   type TEXT                   tap the on-screen keyboard's keys, letter by letter (a
 *                               letter's key in the case it shows: Shift decides)
 *   keys TEXT                   text from a physical keyboard
 *   key backspace|enter
 *   wait MS                     let time pass, frame by frame (animations run)
 *   idle S                      S seconds without input, in one step
 *   shot NAME.png               screenshot into --shots DIR
 *   expect text STRING          some visible text or button contains STRING
 *   expect no text STRING
 *   expect button STRING on|off a button with exactly this label, in this state
 *   expect count KIND N         exactly N visible semantic entries of KIND (qr, button)
 *   mark LABEL                  remember where the button LABEL is
 *   expect unmoved LABEL        the button LABEL is where `mark` saw it (keys that move
 *                               under a finger type the wrong letters)
 *   expect layout               the widget list obeys the touch rules: no button's text
 *                               cut, no two buttons overlapping, none smaller than 9 mm
 *                               at the configured DPI, nothing outside the window
 *                               (except what a scroll region clips), no two texts
 *                               drawn over each other
 *   expect line-length MIN MAX  the longest line of body text drawn has MIN..MAX
 *                               characters (a readable column: 60-80 on a wide screen)
 *   bench-begin                 start timing every frame (build + draw + present)
 *   bench-end LABEL             print frame-time percentiles since bench-begin
 *   rss                         print the resident memory of the process
 *   await text STRING [MS]      frames in real time until STRING shows (work on other
 *                               threads: sync, index builds); default 10 000 ms
 *   realtime MS                 frames in real time for MS ms (other threads' work,
 *                               such as a sync, goes on meanwhile)
 *   # comment
 *
 * Strings may be quoted with "...".  The first failing line ends the run with its
 * file:line and what was visible, exit status 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk.h"
#include "window.h"

#define FRAME_MS 16

#define BENCH_MAX 20000

typedef struct run {
    kiosk *k;
    uint32_t now;
    const char *file;
    int line;
    int timing;
    size_t nt;
    ui_rect marked;         /* `mark`: the rect of a button */
    double t[BENCH_MAX];   /* frame times in ms while timing */
} run;

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void frame(run *r)
{
    double t0 = r->timing ? mono_ms() : 0;
    kiosk_frame(r->k, r->now);
    if (r->timing && r->nt < BENCH_MAX)
        r->t[r->nt++] = mono_ms() - t0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void bench_report(run *r, const char *label)
{
    if (!r->nt) {
        printf("%s: no frames\n", label);
        return;
    }
    qsort(r->t, r->nt, sizeof r->t[0], cmp_double);
    printf("%s: %zu frames, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms\n", label,
           r->nt, r->t[r->nt / 2], r->t[r->nt * 95 / 100], r->t[r->nt * 99 / 100],
           r->t[r->nt - 1]);
}

static void print_rss(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0 || strncmp(line, "VmHWM:", 6) == 0)
            printf("%s", line);
    if (f)
        fclose(f);
}

static void advance(run *r, uint32_t ms)
{
    uint32_t end = r->now + ms;
    while (r->now < end) {
        uint32_t step = end - r->now < FRAME_MS ? end - r->now : FRAME_MS;
        /* When nothing animates and nothing is due, jump to the next wake-up. */
        if (!r->k->animating) {
            uint32_t wake = ui_wake_ms(r->k->u);
            if (!wake || wake > end)
                step = end - r->now;
            else if (wake > r->now)
                step = wake - r->now;
        }
        r->now += step;
        frame(r);
    }
}

/* Frames until nothing moves (at most two seconds of virtual time), so checks and
 * screenshots see what a person would see after the last action. */
static void settle(run *r)
{
    /* Jobs (a response being committed) finish in real time: give them a little. */
    struct timespec ms = { 0, 1000000L };
    for (int i = 0; i < 2000 && r->k->animating; i++) {
        r->now += FRAME_MS;
        frame(r);
        if (i > 125)
            nanosleep(&ms, NULL);
    }
}

static int fail(run *r, const char *fmt, const char *arg)
{
    fprintf(stderr, "%s:%d: ", r->file, r->line);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n  visible:");
    size_t n;
    const ui_sem *s = ui_sems(r->k->u, &n);
    for (size_t i = 0; i < n; i++)
        if (s[i].visible && s[i].text[0] && s[i].kind != UI_SEM_REGION)
            fprintf(stderr, " [%s]", s[i].text);
    fprintf(stderr, "\n");
    return 1;
}

/* Next word or "quoted string" from *p into out. */
static int word(const char **p, char *out, size_t cap)
{
    const char *s = *p + strspn(*p, " \t");
    size_t n = 0;
    if (!*s)
        return 0;
    if (*s == '"') {
        s++;
        while (*s && *s != '"' && n + 1 < cap)
            out[n++] = *s++;
        if (*s == '"')
            s++;
    } else {
        while (*s && *s != ' ' && *s != '\t' && n + 1 < cap)
            out[n++] = *s++;
    }
    out[n] = '\0';
    *p = s;
    return 1;
}

static const ui_sem *find_button(run *r, const char *label)
{
    size_t n;
    const ui_sem *s = ui_sems(r->k->u, &n);
    for (size_t i = 0; i < n; i++)  /* exact label first */
        if (s[i].visible && s[i].kind == UI_SEM_BUTTON && strcmp(s[i].text, label) == 0)
            return &s[i];
    for (size_t i = 0; i < n; i++)
        if (s[i].visible && s[i].kind == UI_SEM_BUTTON && strstr(s[i].text, label))
            return &s[i];
    return NULL;
}

/* A finger moving over ms; hold_ms still before lifting (past 80 ms: no fling). */
static void drag(run *r, int x1, int y1, int x2, int y2, int ms, int hold_ms)
{
    int steps = ms / FRAME_MS > 1 ? ms / FRAME_MS : 1;
    ui_input_down(r->k->u, 0, x1, y1, r->now);
    frame(r);
    for (int i = 1; i <= steps; i++) {
        r->now += FRAME_MS;
        ui_input_move(r->k->u, 0, x1 + (x2 - x1) * i / steps, y1 + (y2 - y1) * i / steps,
                      r->now);
        frame(r);
    }
    for (int t = 0; t < hold_ms; t += FRAME_MS) {
        r->now += FRAME_MS;
        frame(r);
    }
    ui_input_up(r->k->u, 0, x2, y2, r->now);
    frame(r);
}

/* A button scrolled out of sight: drag its scroll region toward it, slowly and with
 * a pause before lifting (no fling), as a person would.  0 when there is no such
 * button or no region to drag. */
static int scroll_to(run *r, const char *label)
{
    size_t n;
    const ui_sem *s = ui_sems(r->k->u, &n);
    const ui_sem *b = NULL, *reg = NULL;
    for (size_t i = 0; i < n && !b; i++)
        if (s[i].kind == UI_SEM_BUTTON && !strcmp(s[i].text, label))
            b = &s[i];
    for (size_t i = 0; i < n && !b; i++)
        if (s[i].kind == UI_SEM_BUTTON && strstr(s[i].text, label))
            b = &s[i];
    if (!b)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i].kind == UI_SEM_REGION && s[i].visible && b->rect.x >= s[i].vis.x &&
            b->rect.x < s[i].vis.x + s[i].vis.w)
            reg = &s[i];
    if (!reg)
        return 0;
    ui_rect v = reg->vis, t = b->rect;
    int x = v.x + v.w / 2, y0 = v.y + v.h / 2;
    int dy = (v.y + v.h / 2) - (t.y + t.h / 2);
    int lim = v.h / 2 - 1;
    dy = dy > lim ? lim : dy < -lim ? -lim : dy;
    if (!dy)
        return 0;
    drag(r, x, y0 - dy / 2, x, y0 + dy / 2, 400, 120);
    settle(r);
    return 1;
}

static void tap_at(run *r, int x, int y)
{
    ui_input_down(r->k->u, 0, x, y, r->now);
    advance(r, 80);
    ui_input_up(r->k->u, 0, x, y, r->now);
    advance(r, FRAME_MS);
    settle(r);
}

static int visible_text(run *r, const char *t)
{
    size_t n;
    const ui_sem *s = ui_sems(r->k->u, &n);
    for (size_t i = 0; i < n; i++)
        if (s[i].visible && s[i].kind != UI_SEM_REGION && strstr(s[i].text, t))
            return 1;
    return 0;
}

static int overlap(ui_rect a, ui_rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static int inside(ui_rect in, ui_rect out)
{
    return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
           in.y + in.h <= out.y + out.h;
}

/* Is r (the visible part of a widget) inside some scroll region?  Scroll regions
 * clip their content; elsewhere a widget must lie wholly inside the window. */
static int in_region(const ui_sem *s, size_t n, ui_rect r)
{
    for (size_t i = 0; i < n; i++)
        if (s[i].kind == UI_SEM_REGION && s[i].visible && inside(r, s[i].vis))
            return 1;
    return 0;
}

static void layout_say(run *r, int *bad, const char *what, const ui_sem *a, const ui_sem *b)
{
    if (!*bad)
        fprintf(stderr, "%s:%d: layout at %dx%d:\n", r->file, r->line, r->k->w, r->k->h);
    (*bad)++;
    fprintf(stderr, "  %s: \"%s\" %dx%d+%d+%d", what, a->text, a->rect.w, a->rect.h,
            a->rect.x, a->rect.y);
    if (b)
        fprintf(stderr, " and \"%s\" %dx%d+%d+%d", b->text, b->rect.w, b->rect.h, b->rect.x,
                b->rect.y);
    fprintf(stderr, "\n");
}

static int check_layout(run *r)
{
    size_t n;
    const ui_sem *s = ui_sems(r->k->u, &n);
    ui_rect win = { 0, 0, r->k->w, r->k->h };
    int min = app_min_target_px(&r->k->a), bad = 0;
    for (size_t i = 0; i < n; i++) {
        const ui_sem *a = &s[i];
        /* Squeezed out of sight is not the same as scrolled out of sight: a widget
         * given no room, or text taller than its box, draws over its neighbours. */
        int squeezed = (a->rect.w <= 0 || a->rect.h <= 0) && a->kind != UI_SEM_REGION;
        if ((squeezed || (a->kind == UI_SEM_TEXT && a->overflow)) &&
            (a->visible || (inside((ui_rect){ a->rect.x, a->rect.y, 0, 0 }, win) &&
                            !in_region(s, n, (ui_rect){ a->rect.x, a->rect.y, 0, 0 }))))
            layout_say(r, &bad, squeezed ? "given no room" : "text taller than its box", a,
                       NULL);
        if (!a->visible || a->kind == UI_SEM_REGION)
            continue;
        if (!inside(a->rect, win) && !in_region(s, n, a->vis))
            layout_say(r, &bad, "outside the window", a, NULL);
        if (a->kind != UI_SEM_BUTTON && a->kind != UI_SEM_TEXT)
            continue;
        if (a->kind == UI_SEM_BUTTON && a->cut)
            layout_say(r, &bad, "label cut", a, NULL);
        if (a->kind == UI_SEM_BUTTON && (a->rect.w < min || a->rect.h < min))
            layout_say(r, &bad, "smaller than 9 mm", a, NULL);
        for (size_t j = i + 1; j < n; j++) {
            const ui_sem *b = &s[j];
            if ((b->kind != UI_SEM_BUTTON && b->kind != UI_SEM_TEXT) || !b->visible ||
                !overlap(a->vis, b->vis) || !memcmp(&a->rect, &b->rect, sizeof a->rect))
                continue;  /* the same rect twice is one widget described twice */
            if (a->kind != b->kind) {
                /* Text inside a button or card is its label; text reaching over a
                 * button's edge covers it. */
                const ui_sem *tx = a->kind == UI_SEM_TEXT ? a : b, *bt = a == tx ? b : a;
                if (!inside(tx->vis, bt->vis) && !inside(bt->vis, tx->vis))
                    layout_say(r, &bad, "text over a button", tx, bt);
                continue;
            }
            layout_say(r, &bad, a->kind == UI_SEM_BUTTON ? "buttons overlap" : "texts overlap",
                       a, b);
        }
    }
    if (bad)
        fprintf(stderr, "  (%d problems; a target is at least %d px)\n", bad, min);
    return bad ? 1 : 0;
}

/* Characters on the longest line of body text in this frame's draw commands (each
 * wrapped line is one command). */
static int check_line_length(run *r, int min, int max)
{
    ui *u = r->k->u;
    const ui_cmd *c;
    int longest = 0;
    char what[UI_SEM_TEXT_MAX] = "";
    ui_rewind(u);
    while (ui_next_cmd(u, &c)) {
        if (c->type != UI_CMD_TEXT || c->font != UI_FONT_BODY)
            continue;
        int n = 0;
        for (const char *s = c->text; *s; s++)
            n += ((unsigned char)*s & 0xC0) != 0x80;
        if (n > longest) {
            longest = n;
            snprintf(what, sizeof what, "%s", c->text);
        }
    }
    ui_rewind(u);
    if (longest < min || longest > max) {
        char m[UI_SEM_TEXT_MAX + 64];
        snprintf(m, sizeof m, "%d characters on the longest line (\"%.100s\")", longest, what);
        return fail(r, "%s", m);
    }
    printf("%s:%d: longest body line %d characters\n", r->file, r->line, longest);
    return 0;
}

static int command(run *r, const char *p)
{
    char cmd[32], a1[256], a2[256], a3[64], a4[64], a5[64];
    if (!word(&p, cmd, sizeof cmd) || cmd[0] == '#')
        return 0;
    if (!strcmp(cmd, "tap")) {
        if (!word(&p, a1, sizeof a1))
            return fail(r, "tap needs a label or X Y%s", "");
        if (word(&p, a2, sizeof a2)) {
            tap_at(r, atoi(a1), atoi(a2));
            return 0;
        }
        const ui_sem *b = find_button(r, a1);
        for (int tries = 0; !b && tries < 8 && scroll_to(r, a1); tries++)
            b = find_button(r, a1);
        if (!b)
            return fail(r, "no visible button \"%s\"", a1);
        tap_at(r, b->vis.x + b->vis.w / 2, b->vis.y + b->vis.h / 2);
        return 0;
    }
    if (!strcmp(cmd, "longpress")) {
        if (!word(&p, a1, sizeof a1) || !word(&p, a2, sizeof a2) || !word(&p, a3, sizeof a3))
            return fail(r, "longpress X Y MS%s", "");
        ui_input_down(r->k->u, 0, atoi(a1), atoi(a2), r->now);
        advance(r, (uint32_t)atoi(a3));
        ui_input_up(r->k->u, 0, atoi(a1), atoi(a2), r->now);
        advance(r, FRAME_MS);
        return 0;
    }
    if (!strcmp(cmd, "drag")) {
        if (!word(&p, a1, sizeof a1) || !word(&p, a2, sizeof a2) || !word(&p, a3, sizeof a3) ||
            !word(&p, a4, sizeof a4) || !word(&p, a5, sizeof a5))
            return fail(r, "drag X1 Y1 X2 Y2 MS%s", "");
        drag(r, atoi(a1), atoi(a2), atoi(a3), atoi(a4), atoi(a5), 0);
        return 0;
    }
    if (!strcmp(cmd, "type")) {
        if (!word(&p, a1, sizeof a1))
            return fail(r, "type needs text%s", "");
        for (const char *c = a1; *c;) {
            size_t n = 1;
            while (c[n] && ((unsigned char)c[n] & 0xC0) == 0x80)
                n++;
            char key[8];
            snprintf(key, sizeof key, "%.*s", (int)n, c);
            c += n;
            const ui_sem *b = NULL;
            size_t ns;
            const ui_sem *s = ui_sems(r->k->u, &ns);
            for (size_t i = 0; i < ns && !b; i++)
                if (s[i].visible && s[i].kind == UI_SEM_BUTTON && !strcmp(s[i].text, key))
                    b = &s[i];
            if (!b) {  /* Shift or an automatic capital shows the other case */
                char other[8];
                snprintf(other, sizeof other, "%s", key);
                unsigned char *o = (unsigned char *)other;
                if (o[0] < 0x80 && o[0] >= 'a' && o[0] <= 'z')
                    o[0] = (unsigned char)(o[0] - 32);
                else if (o[0] >= 'A' && o[0] <= 'Z')
                    o[0] = (unsigned char)(o[0] + 32);
                else if (o[0] == 0xC3 && (o[1] == 0xA5 || o[1] == 0xA4 || o[1] == 0xB6))
                    o[1] = (unsigned char)(o[1] - 0x20);
                else if (o[0] == 0xC3 && (o[1] == 0x85 || o[1] == 0x84 || o[1] == 0x96))
                    o[1] = (unsigned char)(o[1] + 0x20);
                for (size_t i = 0; i < ns && !b; i++)
                    if (s[i].visible && s[i].kind == UI_SEM_BUTTON && !strcmp(s[i].text, other))
                        b = &s[i];
            }
            if (!b && key[0] == ' ')
                b = find_button(r, i18n_tr(r->k->a.tr, r->k->a.lang, "space"));
            if (!b)
                return fail(r, "no key \"%s\" on the on-screen keyboard", key);
            tap_at(r, b->vis.x + b->vis.w / 2, b->vis.y + b->vis.h / 2);
        }
        return 0;
    }
    if (!strcmp(cmd, "keys")) {
        if (!word(&p, a1, sizeof a1))
            return fail(r, "keys needs text%s", "");
        ui_input_text(r->k->u, a1);
        advance(r, FRAME_MS);
        return 0;
    }
    if (!strcmp(cmd, "key")) {
        if (!word(&p, a1, sizeof a1))
            return fail(r, "key needs a name%s", "");
        if (!strcmp(a1, "backspace"))
            ui_input_key(r->k->u, UI_KEY_BACKSPACE);
        else if (!strcmp(a1, "enter"))
            ui_input_key(r->k->u, UI_KEY_ENTER);
        else
            return fail(r, "unknown key %s", a1);
        advance(r, FRAME_MS);
        return 0;
    }
    if (!strcmp(cmd, "wait") || !strcmp(cmd, "idle")) {
        if (!word(&p, a1, sizeof a1))
            return fail(r, "%s needs a time", cmd);
        uint32_t ms = (uint32_t)atoi(a1) * (cmd[0] == 'i' ? 1000u : 1u);
        advance(r, ms);
        return 0;
    }
    if (!strcmp(cmd, "shot")) {
        if (!word(&p, a1, sizeof a1))
            return fail(r, "shot needs a file name%s", "");
        settle(r);
        /* In a real window the picture comes from the X server: a frame that was
         * never presented cannot pass for one that was. */
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", r->k->shots ? r->k->shots : ".", a1);
        int rc = r->k->win ? kwin_x11_shot(r->k, path) : 1;
        if (rc == 1)
            rc = kiosk_shot(r->k, a1);
        if (rc)
            return fail(r, "could not save %s", a1);
        return 0;
    }
    if (!strcmp(cmd, "expect")) {
        settle(r);
        if (!word(&p, a1, sizeof a1))
            return fail(r, "expect what?%s", "");
        if (!strcmp(a1, "text")) {
            word(&p, a2, sizeof a2);
            return visible_text(r, a2) ? 0 : fail(r, "expected text \"%s\"", a2);
        }
        if (!strcmp(a1, "no")) {
            word(&p, a2, sizeof a2);
            word(&p, a2, sizeof a2);
            return visible_text(r, a2) ? fail(r, "did not expect text \"%s\"", a2) : 0;
        }
        if (!strcmp(a1, "button")) {
            word(&p, a2, sizeof a2);
            word(&p, a3, sizeof a3);
            const ui_sem *b = find_button(r, a2);
            if (!b || strcmp(b->text, a2))
                return fail(r, "no button \"%s\"", a2);
            if (a3[0] && b->on != !strcmp(a3, "on"))
                return fail(r, "button \"%s\" is in the other state", a2);
            return 0;
        }
        if (!strcmp(a1, "count")) {
            word(&p, a2, sizeof a2);
            word(&p, a3, sizeof a3);
            ui_sem_kind kind = !strcmp(a2, "qr") ? UI_SEM_QR : UI_SEM_BUTTON;
            size_t n, c = 0;
            const ui_sem *s = ui_sems(r->k->u, &n);
            for (size_t i = 0; i < n; i++)
                c += s[i].visible && s[i].kind == kind;
            if ((int)c != atoi(a3)) {
                char got[32];
                snprintf(got, sizeof got, "%zu", c);
                return fail(r, "count is %s", got);
            }
            return 0;
        }
        if (!strcmp(a1, "layout"))
            return check_layout(r);
        if (!strcmp(a1, "line-length")) {
            word(&p, a2, sizeof a2);
            word(&p, a3, sizeof a3);
            return check_line_length(r, atoi(a2), atoi(a3));
        }
        if (!strcmp(a1, "unmoved")) {
            word(&p, a2, sizeof a2);
            const ui_sem *b = find_button(r, a2);
            if (!b)
                return fail(r, "no visible button \"%s\"", a2);
            if (memcmp(&b->rect, &r->marked, sizeof b->rect)) {
                char m[160];
                snprintf(m, sizeof m, "\"%.60s\" moved from %d,%d to %d,%d", a2, r->marked.x,
                         r->marked.y, b->rect.x, b->rect.y);
                return fail(r, "%s", m);
            }
            return 0;
        }
        return fail(r, "unknown expectation %s", a1);
    }
    if (!strcmp(cmd, "mark")) {
        settle(r);
        if (!word(&p, a1, sizeof a1))
            return fail(r, "mark needs a label%s", "");
        const ui_sem *b = find_button(r, a1);
        if (!b)
            return fail(r, "no visible button \"%s\"", a1);
        r->marked = b->rect;
        return 0;
    }
    if (!strcmp(cmd, "await")) {
        if (!word(&p, a1, sizeof a1) || strcmp(a1, "text") || !word(&p, a2, sizeof a2))
            return fail(r, "await text STRING [MS]%s", "");
        int limit = word(&p, a3, sizeof a3) ? atoi(a3) : 10000;
        struct timespec ms = { 0, 10000000L };
        for (int waited = 0; waited < limit; waited += 10) {
            r->now += FRAME_MS;
            frame(r);
            if (visible_text(r, a2))
                return 0;
            nanosleep(&ms, NULL);
        }
        return fail(r, "\"%s\" did not show in time", a2);
    }
    if (!strcmp(cmd, "realtime")) {
        int limit = word(&p, a1, sizeof a1) ? atoi(a1) : -1;
        if (limit < 0 || limit > 600000)
            return fail(r, "realtime MS (0-600000)%s", "");
        struct timespec ms = { 0, 10000000L };
        for (int waited = 0; waited < limit; waited += 10) {
            r->now += FRAME_MS;
            frame(r);
            nanosleep(&ms, NULL);
        }
        return 0;
    }
    if (!strcmp(cmd, "bench-begin")) {
        r->timing = 1;
        r->nt = 0;
        return 0;
    }
    if (!strcmp(cmd, "bench-end")) {
        word(&p, a1, sizeof a1);
        r->timing = 0;
        bench_report(r, a1[0] ? a1 : "frames");
        return 0;
    }
    if (!strcmp(cmd, "rss")) {
        print_rss();
        return 0;
    }
    return fail(r, "unknown command %s", cmd);
}

int script_run(kiosk *k, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "kiosk: cannot open script %s\n", path);
        return 1;
    }
    static run r;  /* the frame-time buffer is large: not on the stack */
    memset(&r, 0, sizeof r);
    r.k = k;
    r.now = 1000;
    r.file = path;
    ui_input_text(k->u, "");  /* input clock starts with the script */
    frame(&r);
    char line[1024];
    int rc = 0;
    while (!rc && fgets(line, sizeof line, f)) {
        r.line++;
        line[strcspn(line, "\r\n")] = '\0';
        rc = command(&r, line);
        if (!rc && ui_error(k->u))
            rc = fail(&r, "UI error: %s", ui_error(k->u));
    }
    fclose(f);
    if (!rc)
        printf("%s: %d lines passed\n", path, r.line);
    return rc;
}
