/*
 * ui.h - the kiosk's immediate-mode touch UI layer.  No SDL here.
 *
 * One `ui` context holds all UI state; screens call widget functions every frame and
 * the widgets append draw commands to one buffer and describe themselves in a
 * semantic list (kind, text, rect) that script mode asserts on.  The backend walks
 * the commands with ui_next_cmd() and measures text through the callbacks given at
 * init, so everything above the backend runs in tests without a display.
 *
 * Touch model: a tap is a press and release on the same widget that moved less than
 * a slop distance; moving further turns it into a drag that scrolls the region under
 * the finger, with momentum after release.  No hover, no double tap.  Only the first
 * finger counts; other fingers are ignored while one is down.
 *
 * Frames: ui_begin() ... widgets ... ui_end().  ui_end() checks that every clip and
 * scroll region was closed (programmer error otherwise) and tells whether anything
 * animates, so the main loop knows whether it may sleep.
 *
 * Capacities are named below; running out is a programmer error reported with
 * file:line by ui_end(), never silent truncation of what is shown.
 */
#ifndef UI_H
#define UI_H

#include <stddef.h>
#include <stdint.h>

#define UI_CMD_BYTES (512 * 1024)   /* draw command buffer per frame */
#define UI_MAX_SEM 512              /* semantic entries per frame */
#define UI_MAX_CLIP 16
#define UI_MAX_SCROLL 16            /* scroll regions remembered across frames */
#define UI_SEM_TEXT_MAX 160             /* bytes of text kept per semantic entry */

typedef struct ui_rect { int x, y, w, h; } ui_rect;
typedef struct ui_color { uint8_t r, g, b, a; } ui_color;

/* Font roles; the backend maps each to a face and a pixel size for the current scale. */
typedef enum ui_font { UI_FONT_BODY, UI_FONT_SMALL, UI_FONT_BOLD, UI_FONT_TITLE,
                       UI_FONT_HUGE, UI_NFONT } ui_font;

typedef enum ui_cmd_type { UI_CMD_RECT, UI_CMD_TEXT, UI_CMD_CLIP, UI_CMD_QR,
                           UI_CMD_FRAME } ui_cmd_type;

typedef struct ui_cmd {
    ui_cmd_type type;
    int size;               /* bytes of this command including text */
    ui_rect rect;
    ui_color color;
    int radius;             /* RECT: corner radius; FRAME: border width */
    ui_font font;           /* TEXT */
    const void *ptr;        /* QR: the qr_code (owned by the caller for the frame) */
    char text[];            /* TEXT: NUL-terminated UTF-8 */
} ui_cmd;

typedef enum ui_sem_kind { UI_SEM_BUTTON, UI_SEM_TEXT, UI_SEM_FIELD, UI_SEM_QR,
                           UI_SEM_REGION } ui_sem_kind;

typedef struct ui_sem {
    ui_sem_kind kind;
    ui_rect rect;
    ui_rect vis;            /* the part of rect not clipped away */
    int visible;            /* vis is not empty */
    int on;                 /* BUTTON: selected/toggled state */
    int cut;                /* its text was shortened with an ellipsis to fit */
    int overflow;           /* TEXT: one line is taller than the rect it was given */
    char text[UI_SEM_TEXT_MAX];
} ui_sem;

typedef struct ui_theme {
    ui_color bg, panel, text, muted, accent, accent_text, button, button_text,
        pressed, border, warn, ok;
} ui_theme;

typedef struct ui_text_fns {
    void *ud;
    int (*width)(void *ud, ui_font f, const char *s, int len);
    int (*height)(void *ud, ui_font f);
} ui_text_fns;

typedef struct ui ui;

/* Allocates a context; NULL when out of memory. */
ui *ui_new(const ui_text_fns *fns);
void ui_free(ui *u);

/* --- input (from the backend or the script runner), between frames ------------ */
void ui_input_down(ui *u, int finger, int x, int y, uint32_t now_ms);
void ui_input_move(ui *u, int finger, int x, int y, uint32_t now_ms);
void ui_input_up(ui *u, int finger, int x, int y, uint32_t now_ms);
void ui_input_text(ui *u, const char *utf8);   /* typed text, appended */
typedef enum ui_key { UI_KEY_BACKSPACE = 1, UI_KEY_ENTER, UI_KEY_ESCAPE } ui_key;
void ui_input_key(ui *u, ui_key k);
/* Any input at all: for the idle timer. */
uint32_t ui_last_input_ms(const ui *u);

/* --- frame ------------------------------------------------------------------------ */
void ui_begin(ui *u, int w, int h, float scale, const ui_theme *theme, uint32_t now_ms);
/* Returns 1 when something animates and another frame is wanted soon. */
int ui_end(ui *u);
/* Hash of the frame's commands: equal hashes mean an identical picture. */
uint64_t ui_frame_hash(const ui *u);
int ui_next_cmd(ui *u, const ui_cmd **cmd);   /* iterate this frame's commands */
void ui_rewind(ui *u);                         /* iterate again from the first */
const ui_sem *ui_sems(const ui *u, size_t *n);
/* Asks for another frame right after this one (something is in progress: a job,
 * an animation). */
void ui_request_frame(ui *u);
/* Requests a frame at now+ms even without input (countdowns); min over a frame. */
void ui_wake_in(ui *u, uint32_t ms);
uint32_t ui_wake_ms(const ui *u);     /* 0 = none */
/* A programmer error found during the frame (capacity, unbalanced begin/end). */
const char *ui_error(const ui *u);

int ui_w(const ui *u);
int ui_h(const ui *u);
float ui_scale(const ui *u);
const ui_theme *ui_theme_get(const ui *u);
uint32_t ui_now(const ui *u);
/* Scaled pixels: dp(u, 48) is the minimum touch target. */
int ui_dp(const ui *u, int v);

/* Text typed and keys pressed since the last frame, consumed by the focused field. */
const char *ui_typed(const ui *u);
int ui_key_pressed(const ui *u, ui_key k);

/* --- drawing ------------------------------------------------------------------------- */
void ui_draw_rect(ui *u, ui_rect r, ui_color c, int radius);
void ui_draw_frame(ui *u, ui_rect r, ui_color c, int width);
/* A filled rounded rect with a border of the given width (drawn as two rects). */
void ui_draw_box(ui *u, ui_rect r, ui_color fill, ui_color border, int width, int radius);
void ui_draw_text(ui *u, ui_rect r, ui_font f, ui_color c, const char *s, int len);
void ui_draw_qr(ui *u, ui_rect r, const void *qr);
void ui_push_clip(ui *u, ui_rect r);
void ui_pop_clip(ui *u);

/* --- text ----------------------------------------------------------------------------- */
int ui_text_width(ui *u, ui_font f, const char *s, int len);
int ui_line_height(ui *u, ui_font f);
typedef enum ui_align { UI_LEFT, UI_CENTER, UI_RIGHT } ui_align;
/* One line of len bytes at r (r.h is the line's height), aligned in r.w; with cut, as
 * much as fits followed by an ellipsis.  No semantic entry. */
void ui_text_line(ui *u, ui_rect r, ui_font f, ui_color c, ui_align a, const char *s,
                  int len, int cut);
/* One line: cut with an ellipsis when it does not fit (never mid-character). */
void ui_label(ui *u, ui_rect r, ui_font f, ui_color c, ui_align a, const char *s);
/* Wrapped at word boundaries; words wider than the line break between characters.
 * At most max_lines lines (0 = no limit), the last one ellipsized.  Returns the height
 * used.  Pass draw=0 to measure only. */
int ui_text_wrap(ui *u, ui_rect r, ui_font f, ui_color c, const char *s, int max_lines,
                 int draw);

/* --- widgets ----------------------------------------------------------------------------- */
typedef enum ui_style { UI_STYLE_NORMAL, UI_STYLE_PRIMARY, UI_STYLE_QUIET,
                        UI_STYLE_TOGGLE_ON,
                        UI_STYLE_BAR,      /* on the accent-coloured top bar */
                        UI_STYLE_BAR_ON } ui_style;
/* Returns 1 on the frame the button was tapped.  id must be unique on the screen. */
int ui_button(ui *u, const char *id, ui_rect r, const char *label, ui_style st);
/* A tappable card area with custom content drawn by the caller inside it. */
int ui_card(ui *u, const char *id, ui_rect r, const char *sem_text);
/* Adds a semantic entry for custom-drawn things. */
void ui_sem_add(ui *u, ui_sem_kind k, ui_rect r, const char *text, int on);
/* Lines shortened with an ellipsis so far this frame: a custom control compares the
 * count before and after drawing its words and marks itself cut (ui_sem_cut), so the
 * layout check sees a cut label as it does on a button. */
unsigned ui_cut_count(const ui *u);
/* Marks the last semantic entry's text as cut. */
void ui_sem_cut(ui *u);
/* 1 while the finger is down on the widget with this id and has not dragged. */
int ui_pressed(const ui *u, const char *id);
/* Long press: returns 1 once when a press that started on the rect was held still for
 * ms, whatever widget lies there (a tap on that widget is then cancelled). */
int ui_long_press(ui *u, const char *id, ui_rect r, uint32_t ms);
/* 0..1: how far such a press is towards ms (for a progress ring); 0 when none. */
float ui_long_press_progress(const ui *u, ui_rect r, uint32_t ms);

/* Scroll region: content drawn between begin and end is offset by the scroll
 * position and clipped to r.  Returns the y offset to add to content.  content_h is
 * the height of everything inside (may be known only after drawing: pass last
 * frame's, which the region remembers if you pass -1). */
int ui_scroll_begin(ui *u, const char *id, ui_rect r, int content_h);
void ui_scroll_end(ui *u, int content_h);
/* Scrolls a region so that content from top to bottom (offsets from its content's
 * top) shows, from the next frame on (a field that took the focus). */
void ui_scroll_show(ui *u, const char *id, int top, int bottom);
/* Resets a region to the top (new list, new screen). */
void ui_scroll_reset(ui *u, const char *id);

/* Where the pointer is (at a release: where the finger lifted). */
void ui_pointer(const ui *u, int *x, int *y);

/* --- text editing (ui_edit.c) ---------------------------------------------------------
 * One field at a time has a text cursor: a byte offset into its buffer, always on a
 * UTF-8 character boundary.  The cursor belongs to the buffer last edited or drawn
 * focused; when a buffer's length changed behind our back (cleared, a theme chosen)
 * the cursor goes to its end. */
/* The cursor in buf (resyncing as above). */
size_t ui_edit_cursor(ui *u, const char *buf);
void ui_edit_place(ui *u, const char *buf, size_t at);
/* Inserts s at the cursor when it fits cap (with the NUL); returns 1 when inserted. */
int ui_edit_insert(ui *u, char *buf, size_t cap, const char *s);
/* Deletes the character before the cursor; returns 1 when something was deleted. */
int ui_edit_backspace(ui *u, char *buf);
/* Empties buf; returns 1 when it held something. */
int ui_edit_clear(ui *u, char *buf);
/* Draws buf in r with a "|" at the cursor when focused.  lines > 1: wrapped, the
 * cursor's line kept in sight; 1: one line in font f, or in `small` when only that
 * fits the whole text, else scrolled sideways to keep the cursor in sight (never cut
 * with an ellipsis).  tapped: the field was tapped this frame: the cursor goes to the
 * character boundary nearest the finger.  A TEXT entry holds what is shown. */
void ui_edit_text(ui *u, ui_rect r, ui_font f, ui_font small, ui_color c, char *buf,
                  int focused, int lines, int tapped);
/* One wrapped line of s from start (as ui_text_wrap breaks them): returns its end and
 * sets *next to where the following line starts. */
int ui_wrap_line(ui *u, ui_font f, const char *s, int start, int len, int w, int *next);

/* --- rect helpers (cut space off a rect; the rest stays in *r) ------------------------ */
ui_rect ui_cut_top(ui_rect *r, int h);
ui_rect ui_cut_bottom(ui_rect *r, int h);
ui_rect ui_cut_left(ui_rect *r, int w);
ui_rect ui_cut_right(ui_rect *r, int w);
ui_rect ui_inset(ui_rect r, int d);
int ui_contains(ui_rect r, int x, int y);

#endif
