/* Text layout over the UI layer's measuring callbacks: one line with an ellipsis when
 * it does not fit, and word wrapping that breaks a too-long word between characters
 * (never inside one).  Over the public UI API, plus the context's count of shortened
 * lines, which marks a semantic entry as cut for the layout checks. */
#include "ui_impl.h"

#include <string.h>

static int next_char(const char *s, int i, int len)
{
    i++;
    while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
        i++;
    return i;
}

#define ELLIPSIS "\xe2\x80\xa6"

/* Longest prefix (character boundary) that fits w with an ellipsis after it. */
static int ellipsis_fit(ui *u, ui_font f, const char *s, int len, int w)
{
    int ew = ui_text_width(u, f, ELLIPSIS, 3);
    int best = 0;
    for (int i = 0; i < len; i = next_char(s, i, len)) {
        int n = next_char(s, i, len);
        if (ui_text_width(u, f, s, n) + ew > w)
            break;
        best = n;
    }
    /* Do not leave a dangling space before the ellipsis. */
    while (best > 0 && s[best - 1] == ' ')
        best--;
    return best;
}

void ui_text_line(ui *u, ui_rect r, ui_font f, ui_color c, ui_align a, const char *s,
                  int len, int cut)
{
    char buf[1024];
    int tw;
    if (cut) {
        u->ncut++;
        int n = ellipsis_fit(u, f, s, len, r.w);
        if (n > (int)sizeof buf - 4)
            n = (int)sizeof buf - 4;
        memcpy(buf, s, (size_t)n);
        memcpy(buf + n, ELLIPSIS, 3);
        s = buf;
        len = n + 3;
    }
    tw = ui_text_width(u, f, s, len);
    int x = r.x;
    if (a == UI_CENTER)
        x = r.x + (r.w - tw) / 2;
    else if (a == UI_RIGHT)
        x = r.x + r.w - tw;
    ui_draw_text(u, (ui_rect){ x, r.y, tw, r.h }, f, c, s, len);
}

void ui_label(ui *u, ui_rect r, ui_font f, ui_color c, ui_align a, const char *s)
{
    int len = (int)strlen(s);
    int lh = ui_line_height(u, f);
    ui_rect line = { r.x, r.y + (r.h - lh) / 2, r.w, lh };
    int cut = ui_text_width(u, f, s, len) > r.w;
    ui_text_line(u, line, f, c, a, s, len, cut);
    ui_sem_add(u, UI_SEM_TEXT, r, s, 0);
    if (u->nsem) {
        u->sems[u->nsem - 1].cut = cut;
        u->sems[u->nsem - 1].overflow = r.h < lh;  /* drawn over what lies around it */
    }
}

/* End of the longest run of whole words from `start` that fits w; a word that is
 * alone too wide is broken between characters. */
static int fit_line(ui *u, ui_font f, const char *s, int start, int len, int w, int *next)
{
    int end = start, i = start;
    while (i < len && s[i] != '\n') {
        int j = i;
        while (j < len && s[j] == ' ')
            j++;
        while (j < len && s[j] != ' ' && s[j] != '\n')
            j++;
        if (ui_text_width(u, f, s + start, j - start) > w)
            break;
        end = j;
        i = j;
    }
    if (end == start) {  /* one word wider than the line */
        for (int k = start; k < len && s[k] != '\n';) {
            int n = next_char(s, k, len);
            if (k > start && ui_text_width(u, f, s + start, n - start) > w)
                break;
            end = n;
            k = n;
        }
    }
    int nx = end;
    while (nx < len && s[nx] == ' ')
        nx++;
    if (nx < len && s[nx] == '\n')
        nx++;
    *next = nx;
    return end;
}

int ui_wrap_line(ui *u, ui_font f, const char *s, int start, int len, int w, int *next)
{
    return fit_line(u, f, s, start, len, w, next);
}

int ui_text_wrap(ui *u, ui_rect r, ui_font f, ui_color c, const char *s, int max_lines,
                 int draw)
{
    int len = (int)strlen(s);
    int lh = ui_line_height(u, f);
    int y = r.y, lines = 0, i = 0;
    if (r.w <= 0)
        return 0;
    while (i < len) {
        int next;
        int end = fit_line(u, f, s, i, len, r.w, &next);
        lines++;
        int last = max_lines && lines == max_lines && next < len;
        if (draw) {
            ui_rect line = { r.x, y, r.w, lh };
            if (last)
                ui_text_line(u, line, f, c, UI_LEFT, s + i, len - i, 1);
            else
                ui_text_line(u, line, f, c, UI_LEFT, s + i, end - i, 0);
        }
        y += lh;
        if (last)
            break;
        i = next;
    }
    if (draw)
        ui_sem_add(u, UI_SEM_TEXT, (ui_rect){ r.x, r.y, r.w, y - r.y }, s, 0);
    return y - r.y;
}

