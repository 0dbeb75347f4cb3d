#include "render.h"

#include <SDL_ttf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "qr.h"

#define WIDTH_SLOTS 8192
#define TEX_SLOTS 2048
#define TEXT_KEY_MAX 256   /* longer strings are measured/rendered but not cached */
/* Pixels of cached text textures; past this the cache starts over.  Scrolling through
 * thousands of names would otherwise keep every one of them in memory. */
#define TEX_BUDGET_PX (4L * 1024 * 1024)

/* Base pixel sizes at scale 1.0 (1080 px short side). */
static const int base_px[UI_NFONT] = { 30, 24, 30, 40, 54 };
static const int bold[UI_NFONT] = { 0, 0, 1, 1, 1 };

typedef struct wslot {
    uint64_t h;
    int font, len, w;
    char key[TEXT_KEY_MAX];
} wslot;

typedef struct tslot {
    uint64_t h;
    int font, len;
    ui_color c;
    SDL_Texture *tex;
    int w, h_px;
    char key[TEXT_KEY_MAX];
} tslot;

struct render {
    SDL_Renderer *r;
    char regular[512], boldp[512];
    TTF_Font *font[UI_NFONT];
    float scale;
    wslot *widths;
    tslot *tex;
    long tex_px;
    long renders, hits;
};

static uint64_t hash(int font, const char *s, int len, ui_color c)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)font ^ ((uint64_t)c.r << 8) ^
                 ((uint64_t)c.g << 16) ^ ((uint64_t)c.b << 24) ^ ((uint64_t)c.a << 32);
    for (int i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static void flush(render *rd)
{
    for (int i = 0; i < TEX_SLOTS; i++) {
        if (rd->tex[i].tex)
            SDL_DestroyTexture(rd->tex[i].tex);
    }
    memset(rd->tex, 0, TEX_SLOTS * sizeof *rd->tex);
    memset(rd->widths, 0, WIDTH_SLOTS * sizeof *rd->widths);
    rd->tex_px = 0;
}

int render_set_scale(render *rd, float scale)
{
    if (rd->font[0] && fabsf(scale - rd->scale) < 0.001f)
        return 0;
    for (int f = 0; f < UI_NFONT; f++) {
        int px = (int)lroundf((float)base_px[f] * scale);
        if (px < 8)
            px = 8;
        if (rd->font[f]) {
            if (TTF_SetFontSize(rd->font[f], px) != 0)
                return -1;
        } else {
            rd->font[f] = TTF_OpenFont(bold[f] ? rd->boldp : rd->regular, px);
            if (!rd->font[f])
                return -1;
        }
    }
    rd->scale = scale;
    flush(rd);
    return 0;
}

int render_init(render **out, SDL_Renderer *r, const char *regular, const char *boldp,
                char *msg, size_t msglen)
{
    *out = NULL;
    render *rd = calloc(1, sizeof *rd);
    if (!rd) {
        snprintf(msg, msglen, "render: out of memory");
        return -1;
    }
    rd->r = r;
    snprintf(rd->regular, sizeof rd->regular, "%s", regular);
    snprintf(rd->boldp, sizeof rd->boldp, "%s", boldp);
    rd->widths = calloc(WIDTH_SLOTS, sizeof *rd->widths);
    rd->tex = calloc(TEX_SLOTS, sizeof *rd->tex);
    if (!rd->widths || !rd->tex) {
        snprintf(msg, msglen, "render: out of memory");
        render_free(rd);
        return -1;
    }
    if (render_set_scale(rd, 1.0f)) {
        snprintf(msg, msglen, "render: cannot open fonts %s / %s: %s", regular, boldp,
                 TTF_GetError());
        render_free(rd);
        return -1;
    }
    *out = rd;
    return 0;
}

void render_free(render *rd)
{
    if (!rd)
        return;
    if (rd->tex)
        flush(rd);
    for (int f = 0; f < UI_NFONT; f++)
        if (rd->font[f])
            TTF_CloseFont(rd->font[f]);
    free(rd->widths);
    free(rd->tex);
    free(rd);
}

static int text_width(void *ud, ui_font f, const char *s, int len)
{
    render *rd = ud;
    ui_color none = { 0, 0, 0, 0 };
    uint64_t h = hash((int)f, s, len, none);
    wslot *w = &rd->widths[h % WIDTH_SLOTS];
    if (len < TEXT_KEY_MAX && w->h == h && w->font == (int)f && w->len == len &&
        memcmp(w->key, s, (size_t)len) == 0)
        return w->w;
    char buf[4096];
    if (len >= (int)sizeof buf)
        len = (int)sizeof buf - 1;
    memcpy(buf, s, (size_t)len);
    buf[len] = '\0';
    int width = 0, height = 0;
    if (TTF_SizeUTF8(rd->font[f], buf, &width, &height) != 0)
        width = 0;
    if (len < TEXT_KEY_MAX) {
        w->h = h;
        w->font = (int)f;
        w->len = len;
        memcpy(w->key, s, (size_t)len);
        w->w = width;
    }
    return width;
}

static int text_height(void *ud, ui_font f)
{
    render *rd = ud;
    return TTF_FontLineSkip(rd->font[f]);
}

ui_text_fns render_text_fns(render *rd)
{
    ui_text_fns fns = { rd, text_width, text_height };
    return fns;
}

/* Blending costs a per-pixel read-modify-write in the software renderer: only
 * translucent colours (the idle overlay's dimming) get it. */
static void set_color(SDL_Renderer *r, ui_color c)
{
    SDL_SetRenderDrawBlendMode(r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
}

/* Rounded corners as horizontal spans: a few rects per corner row. */
static void fill_rect(render *rd, ui_rect r, ui_color c, int radius)
{
    set_color(rd->r, c);
    if (radius * 2 > r.h)
        radius = r.h / 2;
    if (radius * 2 > r.w)
        radius = r.w / 2;
    if (radius <= 1) {
        SDL_Rect s = { r.x, r.y, r.w, r.h };
        SDL_RenderFillRect(rd->r, &s);
        return;
    }
    SDL_Rect mid = { r.x, r.y + radius, r.w, r.h - 2 * radius };
    SDL_RenderFillRect(rd->r, &mid);
    for (int i = 0; i < radius; i++) {
        float dy = (float)radius - (float)i - 0.5f;
        int inset = radius - (int)lroundf(sqrtf((float)(radius * radius) - dy * dy));
        SDL_Rect top = { r.x + inset, r.y + i, r.w - 2 * inset, 1 };
        SDL_Rect bot = { r.x + inset, r.y + r.h - 1 - i, r.w - 2 * inset, 1 };
        SDL_RenderFillRect(rd->r, &top);
        SDL_RenderFillRect(rd->r, &bot);
    }
}

static void frame_rect(render *rd, ui_rect r, ui_color c, int width)
{
    set_color(rd->r, c);
    SDL_Rect s[4] = {
        { r.x, r.y, r.w, width },
        { r.x, r.y + r.h - width, r.w, width },
        { r.x, r.y, width, r.h },
        { r.x + r.w - width, r.y, width, r.h },
    };
    SDL_RenderFillRects(rd->r, s, 4);
}

static void draw_text(render *rd, const ui_cmd *c)
{
    int len = (int)strlen(c->text);
    uint64_t h = hash((int)c->font, c->text, len, c->color);
    tslot *t = &rd->tex[h % TEX_SLOTS];
    int cached = len < TEXT_KEY_MAX && t->tex && t->h == h && t->font == (int)c->font &&
                 t->len == len && memcmp(&t->c, &c->color, sizeof t->c) == 0 &&
                 memcmp(t->key, c->text, (size_t)len) == 0;
    SDL_Texture *tex = cached ? t->tex : NULL;
    int w = cached ? t->w : 0, hh = cached ? t->h_px : 0;
    if (cached) {
        rd->hits++;
    } else {
        SDL_Color col = { c->color.r, c->color.g, c->color.b, c->color.a };
        SDL_Surface *s = TTF_RenderUTF8_Blended(rd->font[c->font], c->text, col);
        if (!s)
            return;
        tex = SDL_CreateTextureFromSurface(rd->r, s);
        w = s->w;
        hh = s->h;
        SDL_FreeSurface(s);
        if (!tex)
            return;
        rd->renders++;
        if (len < TEXT_KEY_MAX) {
            if (rd->tex_px + (long)w * hh > TEX_BUDGET_PX) {
                for (int i = 0; i < TEX_SLOTS; i++)
                    if (rd->tex[i].tex)
                        SDL_DestroyTexture(rd->tex[i].tex);
                memset(rd->tex, 0, TEX_SLOTS * sizeof *rd->tex);
                rd->tex_px = 0;
            }
            if (t->tex) {
                rd->tex_px -= (long)t->w * t->h_px;
                SDL_DestroyTexture(t->tex);
            }
            rd->tex_px += (long)w * hh;
            t->h = h;
            t->font = (int)c->font;
            t->len = len;
            t->c = c->color;
            t->tex = tex;
            t->w = w;
            t->h_px = hh;
            memcpy(t->key, c->text, (size_t)len);
        }
    }
    SDL_Rect dst = { c->rect.x, c->rect.y, w, hh };
    SDL_RenderCopy(rd->r, tex, NULL, &dst);
    if (!cached && len >= TEXT_KEY_MAX)
        SDL_DestroyTexture(tex);
}

static void draw_qr(render *rd, const ui_cmd *c)
{
    const qr_code *q = c->ptr;
    if (!q)
        return;
    int n = qr_size(q);
    int side = c->rect.w < c->rect.h ? c->rect.w : c->rect.h;
    int m = side / n;  /* whole pixels per module keep the code sharp */
    if (m < 1)
        m = 1;
    int x0 = c->rect.x + (c->rect.w - m * n) / 2, y0 = c->rect.y + (c->rect.h - m * n) / 2;
    set_color(rd->r, (ui_color){ 0, 0, 0, 255 });
    for (int y = 0; y < n; y++) {
        for (int x = 0; x < n;) {
            if (!qr_dark(q, x, y)) {
                x++;
                continue;
            }
            int run = 1;
            while (x + run < n && qr_dark(q, x + run, y))
                run++;
            SDL_Rect s = { x0 + x * m, y0 + y * m, run * m, m };
            SDL_RenderFillRect(rd->r, &s);
            x += run;
        }
    }
}

void render_frame(render *rd, ui *u)
{
    const ui_cmd *c;
    ui_rewind(u);
    SDL_RenderSetClipRect(rd->r, NULL);
    while (ui_next_cmd(u, &c)) {
        switch (c->type) {
        case UI_CMD_RECT: fill_rect(rd, c->rect, c->color, c->radius); break;
        case UI_CMD_FRAME: frame_rect(rd, c->rect, c->color, c->radius); break;
        case UI_CMD_TEXT: draw_text(rd, c); break;
        case UI_CMD_QR: draw_qr(rd, c); break;
        case UI_CMD_CLIP: {
            SDL_Rect s = { c->rect.x, c->rect.y, c->rect.w, c->rect.h };
            if (c->rect.x == 0 && c->rect.y == 0 && c->rect.w == ui_w(u) &&
                c->rect.h == ui_h(u))
                SDL_RenderSetClipRect(rd->r, NULL);
            else
                SDL_RenderSetClipRect(rd->r, &s);
            break;
        }
        }
    }
}

void render_stats(const render *rd, long *renders, long *hits)
{
    *renders = rd->renders;
    *hits = rd->hits;
}
