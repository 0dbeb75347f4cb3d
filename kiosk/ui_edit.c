/* Text editing over the UI layer: the cursor of the one field being edited, inserting
 * and deleting at it, and drawing a field's text with the cursor where a tap put it.
 * Offsets are bytes on UTF-8 character boundaries: "ä" is one character, never split. */
#include "ui_impl.h"

#include <stdlib.h>
#include <string.h>

#define BAR "|"  /* the cursor as drawn: one byte, so shown offsets map back simply */

/* The character boundary at or before i. */
static size_t boundary(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

static int next_char(const char *s, int i, int len)
{
    i++;
    while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
        i++;
    return i;
}

size_t ui_edit_cursor(ui *u, const char *buf)
{
    size_t n = strlen(buf);
    if (u->ed_buf != buf || u->ed_len != n) {
        u->ed_buf = buf;
        u->ed_len = n;
        u->ed_cur = n;
    }
    if (u->ed_cur > n)
        u->ed_cur = n;
    u->ed_cur = boundary(buf, u->ed_cur);
    return u->ed_cur;
}

void ui_edit_place(ui *u, const char *buf, size_t at)
{
    size_t n = strlen(buf);
    u->ed_buf = buf;
    u->ed_len = n;
    u->ed_cur = boundary(buf, at > n ? n : at);
}

int ui_edit_insert(ui *u, char *buf, size_t cap, const char *s)
{
    size_t c = ui_edit_cursor(u, buf), n = strlen(buf), m = strlen(s);
    if (!m || n + m >= cap)
        return 0;  /* full: the field simply stops taking letters */
    memmove(buf + c + m, buf + c, n - c + 1);
    memcpy(buf + c, s, m);
    u->ed_cur = c + m;
    u->ed_len = n + m;
    return 1;
}

int ui_edit_backspace(ui *u, char *buf)
{
    size_t c = ui_edit_cursor(u, buf), n = strlen(buf);
    if (!c)
        return 0;
    size_t b = boundary(buf, c - 1);
    memmove(buf + b, buf + c, n - c + 1);
    u->ed_cur = b;
    u->ed_len = n - (c - b);
    return 1;
}

int ui_edit_clear(ui *u, char *buf)
{
    int had = buf[0] != '\0';
    buf[0] = '\0';
    ui_edit_place(u, buf, 0);
    return had;
}

/* The boundary in s[start, end) nearest to x pixels from start's left edge. */
static int nearest(ui *u, ui_font f, const char *s, int start, int end, int x)
{
    int best = start, bestd = abs(x);
    for (int i = start; i < end;) {
        int nx = next_char(s, i, end);
        int d = abs(ui_text_width(u, f, s + start, nx - start) - x);
        if (d < bestd) {
            best = nx;
            bestd = d;
        }
        i = nx;
    }
    return best;
}

/* An offset in the shown text (the bar at cur when focused) back in buf. */
static size_t to_buf(size_t at, int focused, size_t cur)
{
    if (!focused || at <= cur)
        return at;
    return at - 1;
}

static void one_line(ui *u, ui_rect r, ui_font f, ui_font small, ui_color c, const char *s,
                     int len, int cur_end, int *hit, int px)
{
    int lh = ui_line_height(u, f);
    if (ui_text_width(u, f, s, len) > r.w && ui_text_width(u, small, s, len) <= r.w) {
        f = small;  /* the whole text in smaller letters rather than a part of it */
        lh = ui_line_height(u, f);
    }
    int tw = ui_text_width(u, f, s, len);
    /* Scrolled just far enough that the cursor shows at the right edge. */
    int off = 0;
    if (tw > r.w) {
        int cx = ui_text_width(u, f, s, cur_end);
        off = cx > r.w ? cx - r.w : 0;
    }
    ui_rect line = { r.x - off, r.y + (r.h - lh) / 2, tw, lh };
    ui_push_clip(u, r);
    ui_draw_text(u, line, f, c, s, len);
    ui_pop_clip(u);
    /* The entry holds what shows: a scrolled line's visible characters only. */
    int i0 = 0, i1 = len;
    if (tw > r.w) {
        while (i0 < len && ui_text_width(u, f, s, i0) < off)
            i0 = next_char(s, i0, len);
        i1 = i0;
        for (int k = i0; k < len;) {
            int nx = next_char(s, k, len);
            if (ui_text_width(u, f, s, nx) > off + r.w)
                break;
            i1 = k = nx;
        }
    }
    char *vis = malloc((size_t)(i1 - i0) + 1);
    if (vis) {
        memcpy(vis, s + i0, (size_t)(i1 - i0));
        vis[i1 - i0] = '\0';
    }
    ui_sem_add(u, UI_SEM_TEXT, (ui_rect){ r.x, line.y, r.w, lh }, vis ? vis : "", 0);
    free(vis);
    if (hit)
        *hit = nearest(u, f, s, 0, len, px - r.x + off);
}

void ui_edit_text(ui *u, ui_rect r, ui_font f, ui_font small, ui_color c, char *buf,
                  int focused, int lines, int tapped)
{
    size_t n = strlen(buf);
    size_t cur = focused ? ui_edit_cursor(u, buf) : n;
    char *s = malloc(n + sizeof BAR);
    if (!s)
        return;  /* out of memory: an empty field for one frame */
    memcpy(s, buf, cur);
    size_t m = cur;
    if (focused) {
        memcpy(s + m, BAR, strlen(BAR));
        m += strlen(BAR);
    }
    memcpy(s + m, buf + cur, n - cur + 1);
    int len = (int)strlen(s), cur_end = (int)(cur + (focused ? strlen(BAR) : 0));
    int px, py, hit = -1;
    ui_pointer(u, &px, &py);
    int lh = ui_line_height(u, f);
    if (lines <= 1 || r.w <= 0) {
        one_line(u, r, f, small, c, s, len, cur_end, tapped ? &hit : NULL, px);
    } else {
        int fit = r.h / lh;
        if (fit > lines)
            fit = lines;
        if (fit < 1)
            fit = 1;
        /* Lines of the whole text; the window of `fit` lines ends at the last line
         * unless the cursor sits higher up. */
        int total = 0, cur_line = 0, i = 0;
        while (i < len || total == 0) {
            int next;
            ui_wrap_line(u, f, s, i, len, r.w, &next);
            if (cur_end >= i && (cur_end < next || next >= len))
                cur_line = total;
            total++;
            if (next <= i)
                break;
            i = next;
        }
        int first = total - fit > 0 ? total - fit : 0;
        if (cur_line < first)
            first = cur_line;
        int row = 0, shown0 = -1, shown1 = 0;
        i = 0;
        for (int k = 0; k < first + fit && i < len; k++) {
            int next, end = ui_wrap_line(u, f, s, i, len, r.w, &next);
            if (k >= first) {
                ui_rect line = { r.x, r.y + row * lh, r.w, lh };
                ui_text_line(u, line, f, c, UI_LEFT, s + i, end - i, 0);
                if (shown0 < 0)
                    shown0 = i;
                shown1 = end;
                if (tapped && (py >= line.y || row == 0) &&
                    (py < line.y + lh || k == first + fit - 1 || next >= len))
                    hit = nearest(u, f, s, i, end, px - r.x);
                row++;
            }
            if (next <= i)
                break;
            i = next;
        }
        if (tapped && hit < 0)  /* below the text: its end */
            hit = len;
        if (shown0 < 0)
            shown0 = shown1 = 0;
        char keep = s[shown1];
        s[shown1] = '\0';
        ui_sem_add(u, UI_SEM_TEXT, (ui_rect){ r.x, r.y, r.w, row * lh }, s + shown0, 0);
        s[shown1] = keep;
    }
    if (hit >= 0)
        ui_edit_place(u, buf, to_buf((size_t)hit, focused, cur));
    free(s);
}
