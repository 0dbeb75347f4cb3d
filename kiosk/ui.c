#include "ui_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static void ui_err(ui *u, const char *file, int line, const char *what)
{
    if (!u->err[0])
        snprintf(u->err, sizeof u->err, "%s:%d: %s", file, line, what);
}
#define UI_EXPECT(u, cond, what) \
    do { if (!(cond)) { ui_err((u), __FILE__, __LINE__, (what)); } } while (0)

ui *ui_new(const ui_text_fns *fns)
{
    ui *u = calloc(1, sizeof *u);
    if (!u)
        return NULL;
    u->cmds = malloc(UI_CMD_BYTES);
    if (!u->cmds) {
        free(u);
        return NULL;
    }
    u->fns = *fns;
    u->cur_scroll = -1;
    return u;
}

void ui_free(ui *u)
{
    if (!u)
        return;
    free(u->cmds);
    free(u);
}

/* --- input ----------------------------------------------------------------------- */

static int slop(const ui *u)
{
    return ui_dp(u, 14);
}

void ui_input_down(ui *u, int finger, int x, int y, uint32_t now)
{
    u->last_input = now;
    if (u->down)
        return;  /* a second finger: ignored */
    u->down = 1;
    u->finger = finger;
    u->x = u->sx = x;
    u->y = u->sy = y;
    u->down_ms = now;
    u->began = 1;
    u->dragging = 0;
    u->long_fired = 0;
    u->vel = 0;
    u->last_move_ms = now;
    u->active[0] = '\0';
    /* Touching a list that still glides stops it; that touch is not a tap. */
    u->stop_press = 0;
    for (int i = 0; i < UI_MAX_SCROLL; i++) {
        if (u->scroll[i].id[0] && fabsf(u->scroll[i].vel) > 0.02f) {
            u->scroll[i].vel = 0;
            u->stop_press = 1;
        }
    }
}

void ui_input_move(ui *u, int finger, int x, int y, uint32_t now)
{
    u->last_input = now;
    if (!u->down || finger != u->finger)
        return;
    int dy = y - u->y;
    if (!u->dragging && (abs(x - u->sx) > slop(u) || abs(y - u->sy) > slop(u))) {
        u->dragging = 1;
        dy = y - u->sy;  /* the slop distance counts too, so the list does not jump */
    }
    if (u->dragging) {
        u->pending_dy += (float)dy;
        uint32_t dt = now - u->last_move_ms;
        if (dt > 0) {
            float v = (float)dy / (float)dt;
            u->vel = 0.7f * v + 0.3f * u->vel;
        }
    }
    u->last_move_ms = now;
    u->x = x;
    u->y = y;
}

void ui_input_up(ui *u, int finger, int x, int y, uint32_t now)
{
    u->last_input = now;
    if (!u->down || finger != u->finger)
        return;
    /* Stillness is measured from the last movement before the lift: the lift's own
     * position update must not count as movement. */
    uint32_t still = now - u->last_move_ms;
    if (x != u->x || y != u->y)
        ui_input_move(u, finger, x, y, now);
    if (still > 80)
        u->vel = 0;  /* the finger stopped before lifting: no fling */
    u->down = 0;
    u->released = 1;
}

void ui_input_text(ui *u, const char *s)
{
    size_t n = strlen(s);
    if (u->ntyped + n < sizeof u->typed) {
        memcpy(u->typed + u->ntyped, s, n + 1);
        u->ntyped += n;
    }
    u->last_input = u->now;
}

void ui_input_key(ui *u, ui_key k)
{
    u->keys |= 1u << k;
    u->last_input = u->now;
}

uint32_t ui_last_input_ms(const ui *u) { return u->last_input; }
void ui_pointer(const ui *u, int *x, int *y)
{
    *x = u->x;
    *y = u->y;
}
const char *ui_typed(const ui *u) { return u->typed; }
int ui_key_pressed(const ui *u, ui_key k) { return (u->keys >> k) & 1; }

/* --- frame ------------------------------------------------------------------------- */

void ui_begin(ui *u, int w, int h, float scale, const ui_theme *theme, uint32_t now)
{
    u->w = w;
    u->h = h;
    u->scale = scale;
    u->theme = theme;
    u->prev_now = u->frame_no ? u->now : now;
    u->now = now;
    u->frame_no++;
    u->ncmd = 0;
    u->iter = 0;
    u->nsem = 0;
    u->nclip = 0;
    u->cur_scroll = -1;
    u->animating = 0;
    u->wake = 0;
    u->err[0] = '\0';
}

int ui_end(ui *u)
{
    UI_EXPECT(u, u->nclip == 0, "ui_push_clip without ui_pop_clip");
    UI_EXPECT(u, u->cur_scroll < 0, "ui_scroll_begin without ui_scroll_end");
    if (u->released) {
        u->released = 0;
        u->active[0] = '\0';
    }
    u->began = 0;
    u->ntyped = 0;
    u->typed[0] = '\0';
    u->keys = 0;
    if (u->down && !u->dragging && !u->long_fired)
        u->animating = 1;  /* a held press may become a long press */
    return u->animating;
}

uint64_t ui_frame_hash(const ui *u)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < u->ncmd; i++) {
        h ^= u->cmds[i];
        h *= 1099511628211ULL;
    }
    return h;
}

int ui_next_cmd(ui *u, const ui_cmd **cmd)
{
    if (u->iter >= u->ncmd)
        return 0;
    *cmd = (const ui_cmd *)(u->cmds + u->iter);
    u->iter += (size_t)(*cmd)->size;
    return 1;
}

void ui_rewind(ui *u)
{
    u->iter = 0;
}

const ui_sem *ui_sems(const ui *u, size_t *n)
{
    *n = u->nsem;
    return u->sems;
}

void ui_request_frame(ui *u)
{
    u->animating = 1;
}

void ui_wake_in(ui *u, uint32_t ms)
{
    uint32_t t = u->now + ms;
    if (!u->wake || t < u->wake)
        u->wake = t;
}

uint32_t ui_wake_ms(const ui *u) { return u->wake; }
const char *ui_error(const ui *u) { return u->err[0] ? u->err : NULL; }
int ui_w(const ui *u) { return u->w; }
int ui_h(const ui *u) { return u->h; }
float ui_scale(const ui *u) { return u->scale; }
const ui_theme *ui_theme_get(const ui *u) { return u->theme; }
uint32_t ui_now(const ui *u) { return u->now; }

int ui_dp(const ui *u, int v)
{
    return (int)lroundf((float)v * u->scale);
}

/* --- drawing ------------------------------------------------------------------------ */

static ui_cmd *push_cmd(ui *u, ui_cmd_type t, size_t extra)
{
    size_t size = (sizeof(ui_cmd) + extra + 7) & ~(size_t)7;
    if (u->ncmd + size > UI_CMD_BYTES) {
        ui_err(u, __FILE__, __LINE__, "draw command buffer full (UI_CMD_BYTES)");
        return NULL;
    }
    ui_cmd *c = (ui_cmd *)(u->cmds + u->ncmd);
    /* All of it, padding after the text included: ui_frame_hash reads every byte. */
    memset(c, 0, size);
    c->type = t;
    c->size = (int)size;
    u->ncmd += size;
    return c;
}

static int intersects(ui_rect a, ui_rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

ui_rect ui__clip(const ui *u)
{
    if (u->nclip)
        return u->clip[u->nclip - 1];
    return (ui_rect){ 0, 0, u->w, u->h };
}

/* Drawing outside the visible clip is skipped: long lists cost only what shows. */
int ui__visible(const ui *u, ui_rect r)
{
    return intersects(r, ui__clip(u));
}

void ui_draw_rect(ui *u, ui_rect r, ui_color c, int radius)
{
    if (!ui__visible(u, r))
        return;
    ui_cmd *cmd = push_cmd(u, UI_CMD_RECT, 0);
    if (cmd) {
        cmd->rect = r;
        cmd->color = c;
        cmd->radius = radius;
    }
}

void ui_draw_frame(ui *u, ui_rect r, ui_color c, int width)
{
    if (!ui__visible(u, r))
        return;
    ui_cmd *cmd = push_cmd(u, UI_CMD_FRAME, 0);
    if (cmd) {
        cmd->rect = r;
        cmd->color = c;
        cmd->radius = width;
    }
}

void ui_draw_box(ui *u, ui_rect r, ui_color fill, ui_color border, int width, int radius)
{
    if (width > 0) {
        ui_draw_rect(u, r, border, radius);
        r = ui_inset(r, width);
        radius = radius > width ? radius - width : 0;
    }
    ui_draw_rect(u, r, fill, radius);
}

void ui_draw_text(ui *u, ui_rect r, ui_font f, ui_color c, const char *s, int len)
{
    if (len < 0)
        len = (int)strlen(s);
    if (len == 0 || !ui__visible(u, r))
        return;
    ui_cmd *cmd = push_cmd(u, UI_CMD_TEXT, (size_t)len + 1);
    if (cmd) {
        cmd->rect = r;
        cmd->color = c;
        cmd->font = f;
        memcpy(cmd->text, s, (size_t)len);
        cmd->text[len] = '\0';
    }
}

void ui_draw_qr(ui *u, ui_rect r, const void *qr)
{
    if (!ui__visible(u, r))
        return;
    ui_cmd *cmd = push_cmd(u, UI_CMD_QR, 0);
    if (cmd) {
        cmd->rect = r;
        cmd->ptr = qr;
    }
}

ui_rect ui__clip_and(ui_rect a, ui_rect b)
{
    int x0 = a.x > b.x ? a.x : b.x, y0 = a.y > b.y ? a.y : b.y;
    int x1 = a.x + a.w < b.x + b.w ? a.x + a.w : b.x + b.w;
    int y1 = a.y + a.h < b.y + b.h ? a.y + a.h : b.y + b.h;
    return (ui_rect){ x0, y0, x1 > x0 ? x1 - x0 : 0, y1 > y0 ? y1 - y0 : 0 };
}

static void emit_clip(ui *u)
{
    ui_cmd *cmd = push_cmd(u, UI_CMD_CLIP, 0);
    if (cmd)
        cmd->rect = ui__clip(u);
}

void ui_push_clip(ui *u, ui_rect r)
{
    if (u->nclip >= UI_MAX_CLIP) {
        ui_err(u, __FILE__, __LINE__, "clip stack full (UI_MAX_CLIP)");
        return;
    }
    u->clip[u->nclip] = ui__clip_and(ui__clip(u), r);
    u->nclip++;
    emit_clip(u);
}

void ui_pop_clip(ui *u)
{
    if (u->nclip == 0) {
        ui_err(u, __FILE__, __LINE__, "ui_pop_clip without ui_push_clip");
        return;
    }
    u->nclip--;
    emit_clip(u);
}

/* --- text ---------------------------------------------------------------------------- */

int ui_text_width(ui *u, ui_font f, const char *s, int len)
{
    if (len < 0)
        len = (int)strlen(s);
    return len ? u->fns.width(u->fns.ud, f, s, len) : 0;
}

int ui_line_height(ui *u, ui_font f)
{
    return u->fns.height(u->fns.ud, f);
}

/* --- widgets ---------------------------------------------------------------------- */

unsigned ui_cut_count(const ui *u)
{
    return u->ncut;
}

void ui_sem_cut(ui *u)
{
    if (u->nsem)
        u->sems[u->nsem - 1].cut = 1;
}

void ui_sem_add(ui *u, ui_sem_kind k, ui_rect r, const char *text, int on)
{
    if (u->nsem >= UI_MAX_SEM) {
        ui_err(u, __FILE__, __LINE__, "semantic list full (UI_MAX_SEM)");
        return;
    }
    ui_sem *s = &u->sems[u->nsem++];
    s->kind = k;
    s->rect = r;
    s->vis = ui__clip_and(r, ui__clip(u));
    s->visible = s->vis.w > 0 && s->vis.h > 0;
    s->on = on;
    s->cut = 0;
    s->overflow = 0;
    snprintf(s->text, sizeof s->text, "%s", text ? text : "");
}

/* --- scrolling ------------------------------------------------------------------------- */

static int find_scroll(ui *u, const char *id, int create)
{
    int free_i = -1, oldest = 0;
    for (int i = 0; i < UI_MAX_SCROLL; i++) {
        if (strcmp(u->scroll[i].id, id) == 0)
            return i;
        if (!u->scroll[i].id[0] && free_i < 0)
            free_i = i;
        if (u->scroll[i].used < u->scroll[oldest].used)
            oldest = i;
    }
    if (!create)
        return -1;
    int i = free_i >= 0 ? free_i : oldest;
    memset(&u->scroll[i], 0, sizeof u->scroll[i]);
    snprintf(u->scroll[i].id, ID_MAX, "%s", id);
    return i;
}

static void clamp_scroll(scroll_state *s)
{
    float max = (float)(s->content_h - s->view_h);
    if (max < 0)
        max = 0;
    if (s->pos > max) {
        s->pos = max;
        s->vel = 0;
    }
    if (s->pos < 0) {
        s->pos = 0;
        s->vel = 0;
    }
}

int ui_scroll_begin(ui *u, const char *id, ui_rect r, int content_h)
{
    if (u->cur_scroll >= 0) {
        ui_err(u, __FILE__, __LINE__, "nested ui_scroll_begin");
        return 0;
    }
    int i = find_scroll(u, id, 1);
    scroll_state *s = &u->scroll[i];
    s->used = u->frame_no;
    s->view_h = r.h;
    if (content_h >= 0)
        s->content_h = content_h;
    if (u->dragging && (u->down || u->released) && ui_contains(r, u->sx, u->sy)) {
        s->pos -= u->pending_dy;
        u->pending_dy = 0;
        if (u->released) {  /* the fling: keep the finger's speed, then glide */
            s->vel = -u->vel;
            u->animating = 1;
        }
    } else if (!u->down && fabsf(s->vel) > 0.02f) {
        float dt = (float)(u->now - u->prev_now);
        if (dt > 50)
            dt = 50;  /* after a long sleep, continue smoothly rather than jump */
        s->pos += s->vel * dt;
        s->vel *= expf(-dt / 325.0f);
        u->animating = 1;
    } else if (!u->down) {
        s->vel = 0;
    }
    clamp_scroll(s);
    u->cur_scroll = i;
    u->scroll_y0 = r.y;
    ui_push_clip(u, r);
    ui_sem_add(u, UI_SEM_REGION, r, id, 0);
    return -(int)lroundf(s->pos);
}

void ui_scroll_end(ui *u, int content_h)
{
    if (u->cur_scroll < 0) {
        ui_err(u, __FILE__, __LINE__, "ui_scroll_end without ui_scroll_begin");
        return;
    }
    scroll_state *s = &u->scroll[u->cur_scroll];
    if (content_h >= 0)
        s->content_h = content_h;
    clamp_scroll(s);
    /* A thin position bar: where you are in a long list, not a control. */
    if (s->content_h > s->view_h) {
        ui_rect clip = ui__clip(u);
        int bar_h = s->view_h * s->view_h / s->content_h;
        if (bar_h < ui_dp(u, 24))
            bar_h = ui_dp(u, 24);
        int y = clip.y + (int)((float)(s->view_h - bar_h) * s->pos /
                               (float)(s->content_h - s->view_h));
        ui_draw_rect(u, (ui_rect){ clip.x + clip.w - ui_dp(u, 6), y, ui_dp(u, 4), bar_h },
                     u->theme->muted, ui_dp(u, 2));
    }
    ui_pop_clip(u);
    u->cur_scroll = -1;
}

void ui_scroll_reset(ui *u, const char *id)
{
    int i = find_scroll(u, id, 0);
    if (i >= 0) {
        u->scroll[i].pos = 0;
        u->scroll[i].vel = 0;
    }
}

void ui_scroll_show(ui *u, const char *id, int top, int bottom)
{
    int i = find_scroll(u, id, 0);
    if (i < 0)
        return;
    scroll_state *s = &u->scroll[i];
    float pos = s->pos;
    if ((float)bottom > pos + (float)s->view_h)
        pos = (float)(bottom - s->view_h);
    if ((float)top < pos)
        pos = (float)top;
    if (pos != s->pos) {
        s->pos = pos;
        s->vel = 0;
        clamp_scroll(s);
        u->animating = 1;  /* the next frame shows it */
    }
}

/* --- rects ------------------------------------------------------------------------------ */

ui_rect ui_cut_top(ui_rect *r, int h)
{
    if (h > r->h)
        h = r->h;
    ui_rect c = { r->x, r->y, r->w, h };
    r->y += h;
    r->h -= h;
    return c;
}

ui_rect ui_cut_bottom(ui_rect *r, int h)
{
    if (h > r->h)
        h = r->h;
    r->h -= h;
    return (ui_rect){ r->x, r->y + r->h, r->w, h };
}

ui_rect ui_cut_left(ui_rect *r, int w)
{
    if (w > r->w)
        w = r->w;
    ui_rect c = { r->x, r->y, w, r->h };
    r->x += w;
    r->w -= w;
    return c;
}

ui_rect ui_cut_right(ui_rect *r, int w)
{
    if (w > r->w)
        w = r->w;
    r->w -= w;
    return (ui_rect){ r->x + r->w, r->y, w, r->h };
}

ui_rect ui_inset(ui_rect r, int d)
{
    ui_rect o = { r.x + d, r.y + d, r.w - 2 * d, r.h - 2 * d };
    if (o.w < 0)
        o.w = 0;
    if (o.h < 0)
        o.h = 0;
    return o;
}

int ui_contains(ui_rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}
