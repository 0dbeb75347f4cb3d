/*
 * ui_impl.h - the UI context's insides, shared by ui.c (input, frames, drawing,
 * scrolling) and ui_widget.c (buttons, cards, long press).  Not for screens: they use
 * ui.h.
 */
#ifndef UI_IMPL_H
#define UI_IMPL_H

#include "ui.h"

#define ID_MAX 64

typedef struct scroll_state {
    char id[ID_MAX];
    float pos;          /* pixels scrolled down */
    float vel;          /* pixels per ms, positive = content moves up */
    int content_h, view_h;
    uint32_t used;      /* frame number last used; old regions are recycled */
} scroll_state;

struct ui {
    ui_text_fns fns;

    /* input between frames */
    int down;               /* a finger is down now */
    int finger;
    int x, y;               /* current pointer */
    int sx, sy;             /* where the press started */
    uint32_t down_ms;
    int began;              /* the press started since the last frame */
    int released;           /* the press ended since the last frame */
    int dragging;           /* moved past the slop: no tap */
    int stop_press;         /* the press only stopped a moving list */
    float pending_dy;       /* drag movement not yet applied to a region */
    float vel;              /* smoothed finger velocity, px/ms */
    uint32_t last_move_ms;
    char typed[256];
    size_t ntyped;
    unsigned keys;
    uint32_t last_input;
    char active[ID_MAX];    /* widget the current press started on */
    int long_fired;

    /* the one text field with the cursor (ui_edit.c): which buffer, where, and the
     * length it had after our last edit (another length: someone else changed it) */
    const char *ed_buf;
    size_t ed_cur, ed_len;

    /* frame */
    int w, h;
    float scale;
    const ui_theme *theme;
    uint32_t now, prev_now, frame_no;
    unsigned char *cmds;
    size_t ncmd, iter;
    ui_sem sems[UI_MAX_SEM];
    size_t nsem;
    ui_rect clip[UI_MAX_CLIP];
    int nclip;
    scroll_state scroll[UI_MAX_SCROLL];
    int cur_scroll;         /* open region, -1 none */
    int scroll_y0;
    int animating;
    uint32_t wake;
    unsigned ncut;          /* lines shortened with an ellipsis so far (sem.cut) */
    char err[160];
};

/* The clip rect in force, and whether r shows inside it. */
ui_rect ui__clip(const ui *u);
int ui__visible(const ui *u, ui_rect r);
ui_rect ui__clip_and(ui_rect a, ui_rect b);

#endif
