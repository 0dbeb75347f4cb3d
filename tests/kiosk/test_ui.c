/* UI layer: taps, drags, a second finger, long press, ellipsis and wrapping of
 * UTF-8, scroll limits, balanced clips.  Text is "measured" at 10 px a character. */
#include "testutil.h"

#include <string.h>

#include "fold.h"
#include "ui.h"

static int width(void *ud, ui_font f, const char *s, int len)
{
    (void)ud;
    (void)f;
    return 10 * (int)fold_charlen(s, (size_t)len);
}

static int height(void *ud, ui_font f)
{
    (void)ud;
    (void)f;
    return 20;
}

static const ui_theme theme;
static ui_text_fns fns = { NULL, width, height };

static void begin(ui *u, uint32_t now)
{
    ui_begin(u, 800, 600, 1.0f, &theme, now);
}

static int frame_button(ui *u, uint32_t now)
{
    begin(u, now);
    int c = ui_button(u, "b", (ui_rect){ 100, 100, 200, 60 }, "OK", UI_STYLE_NORMAL);
    ui_end(u);
    return c;
}

static void test_tap_and_drag(void **state)
{
    (void)state;
    ui *u = ui_new(&fns);
    assert_int_equal(frame_button(u, 0), 0);
    ui_input_down(u, 1, 150, 120, 10);
    assert_int_equal(frame_button(u, 20), 0);
    ui_input_up(u, 1, 152, 121, 90);
    assert_int_equal(frame_button(u, 100), 1);
    assert_int_equal(frame_button(u, 120), 0);  /* once */

    /* moving past the slop turns the press into a drag: no tap */
    ui_input_down(u, 1, 150, 120, 200);
    frame_button(u, 210);
    ui_input_move(u, 1, 150, 160, 220);
    ui_input_up(u, 1, 150, 160, 230);
    assert_int_equal(frame_button(u, 240), 0);

    /* a press that started beside the button does not tap it */
    ui_input_down(u, 1, 95, 120, 300);
    frame_button(u, 310);
    ui_input_move(u, 1, 105, 120, 315);
    ui_input_up(u, 1, 105, 120, 320);
    assert_int_equal(frame_button(u, 330), 0);
    ui_free(u);
}

static void test_second_finger_ignored(void **state)
{
    (void)state;
    ui *u = ui_new(&fns);
    frame_button(u, 0);
    ui_input_down(u, 1, 600, 500, 10);   /* first finger, away from the button */
    ui_input_down(u, 2, 150, 120, 12);   /* second finger on the button */
    ui_input_up(u, 2, 150, 120, 40);
    assert_int_equal(frame_button(u, 50), 0);
    ui_input_up(u, 1, 600, 500, 60);
    assert_int_equal(frame_button(u, 70), 0);
    ui_free(u);
}

static void test_long_press(void **state)
{
    (void)state;
    ui *u = ui_new(&fns);
    ui_rect corner = { 0, 0, 100, 100 };
    int fired = 0;
    ui_input_down(u, 1, 10, 10, 0);
    for (uint32_t t = 0; t <= 4000; t += 100) {
        begin(u, t);
        fired += ui_long_press(u, "corner", corner, 3000);
        ui_end(u);
        if (t < 3000)
            assert_int_equal(fired, 0);
    }
    assert_int_equal(fired, 1);
    ui_free(u);
}

/* Every TEXT command of the frame, concatenated with '|'. */
static void texts(ui *u, char *out, size_t cap)
{
    const ui_cmd *c;
    out[0] = '\0';
    ui_rewind(u);
    while (ui_next_cmd(u, &c)) {
        if (c->type != UI_CMD_TEXT)
            continue;
        assert_true(fold_valid_utf8(c->text, strlen(c->text)));
        strncat(out, c->text, cap - strlen(out) - 2);
        strcat(out, "|");
    }
}

static void test_ellipsis_and_wrap(void **state)
{
    (void)state;
    ui *u = ui_new(&fns);
    char got[1024];
    begin(u, 0);
    ui_label(u, (ui_rect){ 0, 0, 80, 20 }, UI_FONT_BODY, theme.text, UI_LEFT,
             "Eläkeläisseura");
    ui_end(u);
    texts(u, got, sizeof got);
    assert_string_equal(got, "Eläkelä\xe2\x80\xa6|");  /* 7 letters + … = 80 px */

    /* a compound word wider than the line breaks between characters, never inside one */
    begin(u, 0);
    int h = ui_text_wrap(u, (ui_rect){ 0, 0, 50, 400 }, UI_FONT_BODY, theme.text,
                         "Äänestäjäkeskustelu ok", 0, 1);
    ui_end(u);
    texts(u, got, sizeof got);
    assert_string_equal(got, "Äänes|täjäk|eskus|telu|ok|");
    assert_int_equal(h, 100);

    /* words wrap whole; max_lines cuts the rest with an ellipsis */
    begin(u, 0);
    ui_text_wrap(u, (ui_rect){ 0, 0, 100, 400 }, UI_FONT_BODY, theme.text,
                 "Porvoon seudun eläkeläiset ja ystävät", 2, 1);
    ui_end(u);
    texts(u, got, sizeof got);
    assert_string_equal(got, "Porvoon|seudun el\xe2\x80\xa6|");
    ui_free(u);
}

static int scroll_frame(ui *u, ui_rect view, int content_h, uint32_t now)
{
    begin(u, now);
    int off = ui_scroll_begin(u, "list", view, content_h);
    ui_scroll_end(u, content_h);
    ui_end(u);
    return off;
}

static void test_scroll_limits(void **state)
{
    (void)state;
    ui *u = ui_new(&fns);
    ui_rect view = { 0, 0, 400, 300 };
    assert_int_equal(scroll_frame(u, view, 1000, 0), 0);
    /* drag far up: the list stops at its end (700 px down), not beyond */
    ui_input_down(u, 1, 200, 280, 10);
    ui_input_move(u, 1, 200, 100, 20);
    ui_input_move(u, 1, 200, -2000, 30);
    ui_input_up(u, 1, 200, -2000, 200);
    assert_int_equal(scroll_frame(u, view, 1000, 210), -700);
    ui_scroll_reset(u, "list");
    assert_int_equal(scroll_frame(u, view, 1000, 220), 0);
    ui_free(u);
}

/* A finger that drags fast, then holds still before lifting, leaves the list where it
 * is.  The list is far longer than the drag, so its end cannot stop a glide. */
static void test_no_fling_after_hold(void **state)
{
    (void)state;
    ui *u = ui_new(&fns);
    ui_rect view = { 0, 0, 400, 300 };
    int content = 100000;
    assert_int_equal(scroll_frame(u, view, content, 0), 0);
    ui_input_down(u, 1, 200, 280, 10);
    ui_input_move(u, 1, 200, 200, 20);
    ui_input_move(u, 1, 200, 100, 30);  /* 10 px/ms at the end of the drag */
    assert_int_equal(scroll_frame(u, view, content, 35), -180);
    ui_input_up(u, 1, 200, 100, 530);   /* lifted after 500 ms without moving */
    int off = 0;
    for (uint32_t t = 540; t < 3000; t += 16)
        off = scroll_frame(u, view, content, t);
    assert_int_equal(off, -180);

    /* the same drag lifted while moving does glide */
    ui_scroll_reset(u, "list");
    assert_int_equal(scroll_frame(u, view, content, 3000), 0);
    ui_input_down(u, 1, 200, 280, 3010);
    ui_input_move(u, 1, 200, 200, 3020);
    ui_input_move(u, 1, 200, 100, 3030);
    ui_input_up(u, 1, 200, 90, 3031);
    for (uint32_t t = 3040; t < 6000; t += 16)
        off = scroll_frame(u, view, content, t);
    assert_true(off < -190 - 300);
    assert_true(off > -content);
    ui_free(u);
}

/* Identical frames hash alike whatever the command buffer held before: a short text
 * after a long one leaves bytes of the long one in its padding.  (Run under valgrind
 * too: see CMakeLists.txt.) */
static uint64_t text_frame(ui *u, const char *s, uint32_t now)
{
    begin(u, now);
    ui_draw_text(u, (ui_rect){ 10, 10, 300, 20 }, UI_FONT_BODY, (ui_color){ 1, 2, 3, 255 }, s,
                 -1);
    ui_end(u);
    return ui_frame_hash(u);
}

static void test_frame_hash_stable(void **state)
{
    (void)state;
    ui *u = ui_new(&fns);
    uint64_t first = text_frame(u, "OK", 0);
    text_frame(u, "ABCDEFGHIJKLMNOP", 10);
    assert_true(text_frame(u, "OK", 20) == first);
    text_frame(u, "0123456789abcdef", 30);
    assert_true(text_frame(u, "OK", 40) == first);
    assert_true(text_frame(u, "OX", 50) != first);
    ui_free(u);
}

static void test_balance_checked(void **state)
{
    (void)state;
    ui *u = ui_new(&fns);
    begin(u, 0);
    ui_push_clip(u, (ui_rect){ 0, 0, 10, 10 });
    ui_end(u);
    assert_non_null(ui_error(u));
    assert_non_null(strstr(ui_error(u), "ui_pop_clip"));
    begin(u, 0);
    ui_end(u);
    assert_null(ui_error(u));
    ui_free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tap_and_drag),     cmocka_unit_test(test_second_finger_ignored),
        cmocka_unit_test(test_long_press),       cmocka_unit_test(test_ellipsis_and_wrap),
        cmocka_unit_test(test_scroll_limits),    cmocka_unit_test(test_balance_checked),
        cmocka_unit_test(test_no_fling_after_hold), cmocka_unit_test(test_frame_hash_stable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
