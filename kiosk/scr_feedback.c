/* Quick feedback: five faces, an optional comment, and contact details only after an
 * explicit consent tick.  A face is recorded with its tap (repeated taps within the
 * merge interval count once); the comment that may follow is added to it; "thank you"
 * only after the commit. */
#include "station.h"
#include "screens.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void fill_entry(st_feedback *fb);

/* The face is stored at once, held; later taps in the merge interval and the comment
 * amend the held feedback (feedback.h).  fb->held always says what the database holds
 * when the job ends. */
static kc_err submit_job(store *st, void *ctx, char *msg)
{
    st_feedback *fb = ctx;
    kc_err rc = feedback_init(st);
    if (rc)
        return kc_fail(msg, rc, "feedback: %s", store_errmsg(st));
    if (fb->held[0]) {
        rc = feedback_amend(st, fb->held, &fb->e, fb->op == FB_OP_MERGE, NULL, &fb->jprob, msg);
        if (rc != KC_ENOTFOUND)
            return rc;
        fb->held[0] = '\0';  /* let go meanwhile: this becomes a feedback of its own */
    }
    return feedback_tap(st, &fb->e, time(NULL), fb->held, &fb->jprob, msg);
}

/* A face was tapped: store it now.  Within the merge interval of the last tap it counts
 * once with it; after that it is a new feedback, and the last one is let go. */
static void tap_face(app *a, ui *u, struct station *s, st_feedback *fb, int score)
{
    uint32_t now = ui_now(u);
    int secs = a->cfg.feedback_merge_s > 0 ? a->cfg.feedback_merge_s : 10;
    int merge = fb->held[0] && now - fb->last_tap_ms < (uint32_t)secs * 1000u;
    fb->score = score;
    fb->show_prob = 0;
    fb->last_tap_ms = now;
    if (fb->held[0] && !merge) {
        /* keep what was typed; only the stored feedback is let go */
        st_feedback keep = *fb;
        station_wipe_feedback(s);
        *fb = keep;
        fb->held[0] = '\0';
        fb->job = (st_job){ 0 };
        sodium_memzero(&keep, sizeof keep);
    }
    fb->op = merge ? FB_OP_MERGE : FB_OP_TAP;
    fill_entry(fb);
    station_job_start(a, &fb->job, submit_job, fb);
    ui_request_frame(u);
}

static void fill_entry(st_feedback *fb)
{
    memset(&fb->e, 0, sizeof fb->e);
    fb->e.score = fb->score;
    fb->e.context = fb->context[0] ? fb->context : NULL;
    fb->e.comment = fb->comment;
    fb->e.consent = fb->consent;
    if (fb->consent) {  /* without consent nothing about the person goes anywhere */
        fb->e.name = fb->name;
        fb->e.email = fb->email;
        fb->e.phone = fb->phone;
    }
}

static void problem_text(const app *a, const feedback_problem *p, char *out, size_t cap)
{
    const char *s = NULL;
    switch (p->field) {
    case FEEDBACK_F_SCORE: s = N_("Choose a face first."); break;
    case FEEDBACK_F_EMAIL:
        s = p->kind == SURVEY_P_REQUIRED
                ? N_("Give an e-mail address or a phone number, or untick the box.")
                : N_("This does not look like an e-mail address.");
        break;
    case FEEDBACK_F_PHONE: s = N_("Check the phone number: digits, spaces and + only."); break;
    case FEEDBACK_F_COMMENT: s = N_("The comment has characters that cannot be saved."); break;
    case FEEDBACK_F_NAME: s = N_("Check the name."); break;
    case FEEDBACK_F_CONTEXT:
    case FEEDBACK_F_NONE: s = N_("The feedback could not be checked."); break;
    }
    snprintf(out, cap, "%s", tr(a, s));
}

/* The name of the card the feedback is about, when it came from one. */
static const char *about(app *a, const char *id)
{
    if (!id[0])
        return NULL;
    if (a->detail_ok && strcmp(a->detail_for, id) == 0) {
        const char *n = app_text(a, &a->detail.v[CAT_F_NAME], NULL);
        if (n)
            return n;
    }
    int item = a->idx ? search_find(a->idx, id) : -1;
    return item >= 0 ? search_item_name(a->idx, item, &a->pref, NULL) : id;
}

static void thanks(app *a, ui *u, ui_rect r, st_feedback *fb, struct station *s)
{
    const ui_theme *t = ui_theme_get(u);
    int w = r.w > ui_dp(u, 900) ? ui_dp(u, 900) : r.w;
    ui_rect col = { r.x + (r.w - w) / 2, r.y + ui_dp(u, 40), w, r.h - ui_dp(u, 40) };
    ui_rect face = ui_cut_top(&col, ui_dp(u, 220));
    station_draw_face(u, face, fb->score);
    ui_cut_top(&col, ui_dp(u, 30));
    ui_label(u, ui_cut_top(&col, ui_dp(u, 80)), UI_FONT_HUGE, t->text, UI_CENTER,
             tr(a, "Thank you for your feedback!"));
    ui_text_wrap(u, ui_cut_top(&col, ui_dp(u, 120)), UI_FONT_BODY, t->muted,
                 tr(a, "It has been saved and goes to the people who run this place."), 3, 1);
    ui_cut_top(&col, ui_dp(u, 20));
    if (w_finish(a, u, col, "fb-done")) {
        station_wipe_feedback(s);
        app_reset(a, u);
    }
}

/* The keyboard for the focused field, with the extra keys that field needs. */
static void keyboard(app *a, ui *u, ui_rect r, st_feedback *fb)
{
    const ui_theme *t = ui_theme_get(u);
    char *buf = NULL;
    size_t cap = 0, chars = 0;
    const char *const *keys = NULL;
    size_t nk = 0;
    int digits = 0;
    w_kb_mode mode = W_KB_PLAIN;
    static const char *const k_comment[] = { ",", "?", "!", ":", "(", ")", "'" };
    static const char *const k_email[] = { "@", "_", ".fi", ".com", "+" };
    static const char *const k_phone[] = { "+", "-", "(", ")" };
    switch (fb->field) {
    case FEEDBACK_F_COMMENT:
        buf = fb->comment, cap = sizeof fb->comment, chars = FEEDBACK_COMMENT_CHARS;
        keys = k_comment, nk = sizeof k_comment / sizeof k_comment[0];
        mode = W_KB_SENTENCE;
        break;
    case FEEDBACK_F_NAME:
        buf = fb->name, cap = sizeof fb->name, chars = FEEDBACK_NAME_CHARS;
        keys = k_comment, nk = 0;
        mode = W_KB_NAME;
        break;
    case FEEDBACK_F_EMAIL:
        buf = fb->email, cap = sizeof fb->email, chars = FEEDBACK_EMAIL_MAX;
        keys = k_email, nk = sizeof k_email / sizeof k_email[0];
        mode = W_KB_EMAIL;
        break;
    case FEEDBACK_F_PHONE:
        buf = fb->phone, cap = sizeof fb->phone, chars = FEEDBACK_PHONE_MAX;
        keys = k_phone, nk = sizeof k_phone / sizeof k_phone[0];
        digits = 1;
        mode = W_KB_DIGITS;
        break;
    case FEEDBACK_F_NONE:
    case FEEDBACK_F_SCORE:
    case FEEDBACK_F_CONTEXT:
        ui_draw_rect(u, r, t->panel, ui_dp(u, 12));
        /* As many lines as the panel holds (a short screen leaves little room). */
        int lines = (r.h - 2 * ui_dp(u, 28)) / ui_line_height(u, UI_FONT_BODY);
        if (lines > 0)
            ui_text_wrap(u, ui_inset(r, ui_dp(u, 28)), UI_FONT_BODY, t->muted,
                         tr(a, "Tap the comment box if you want to write something. "
                               "Everything except the face is optional."),
                         lines, 1);
        return;
    }
    int gap = ui_dp(u, 10);
    int changed = 0;
    if (digits && r.w > ui_dp(u, 640)) {  /* a phone pad need not be as wide as letters */
        int w = ui_dp(u, 640);
        r.x += (r.w - w) / 2;
        r.w = w;
    }
    if (nk) {
        changed |= station_keys(u, ui_cut_top(&r, app_touch(u)), keys, nk, buf, cap);
        ui_cut_top(&r, gap);
    }
    changed |= w_keyboard(a, u, r, buf, cap, mode);
    if (changed) {
        station_clip_chars(buf, chars);
        fb->show_prob = 0;
        ui_request_frame(u);  /* the form beside was drawn before this change */
    }
}

/* Send and, above it, what is wrong; cut from the bottom of *r.  Returns 1 on Send. */
static int send_area(app *a, ui *u, ui_rect *r, st_feedback *fb)
{
    int gap = ui_dp(u, 12);
    int sent = ui_button(u, "fb-send", ui_cut_bottom(r, app_touch(u) + ui_dp(u, 8)),
                         tr(a, "Send feedback"), UI_STYLE_PRIMARY);
    ui_cut_bottom(r, gap);
    /* The message's room is kept when there is none: the keyboard beside it never
     * moves under a finger. */
    int mh = ui_dp(u, 90);
    ui_rect mr = ui_cut_bottom(r, mh);
    ui_cut_bottom(r, gap);
    if (fb->show_prob || fb->job.phase == ST_FAILED) {
        char m[300];
        if (fb->job.phase == ST_FAILED && !fb->show_prob)
            snprintf(m, sizeof m, "%s",
                     tr(a, "Sending failed and your feedback was not saved. Please try again."));
        else
            problem_text(a, &fb->prob, m, sizeof m);
        station_message(u, mr, m, 1);
    } else if (fb->held[0]) {
        station_message(u, mr, tr(a, "Saved, thank you! You may add a comment."), 0);
    }
    return sent;
}

/* Comment, consent and contact fields; they scroll when the screen is short. */
static void form(app *a, ui *u, ui_rect view, st_feedback *fb)
{
    const ui_theme *t = ui_theme_get(u);
    int gap = ui_dp(u, 12);
    int off = ui_scroll_begin(u, "fb-form", view, -1);
    ui_rect r = { view.x, view.y + off, view.w, 1 << 20 };
    int y0 = r.y;
    int body = ui_line_height(u, UI_FONT_BODY);
    int lines = fb->consent ? 2 : 3;  /* the contact fields need the room */
    int fh = body * lines + ui_dp(u, 30) + ui_line_height(u, UI_FONT_SMALL) + ui_dp(u, 4);
    ui_rect cf = ui_cut_top(&r, fh);
    if (station_field(a, u, "fb-comment", cf, tr(a, "Comment (optional)"), fb->comment,
                      tr(a, "Tap here to write a comment"), fb->field == FEEDBACK_F_COMMENT,
                      lines))
        fb->field = FEEDBACK_F_COMMENT;
    char cnt[64];
    snprintf(cnt, sizeof cnt, tr(a, "%zu / %d characters"), station_chars(fb->comment),
             FEEDBACK_COMMENT_CHARS);
    ui_label(u, ui_cut_top(&r, ui_line_height(u, UI_FONT_SMALL) + ui_dp(u, 4)), UI_FONT_SMALL,
             t->muted, UI_RIGHT, cnt);
    ui_cut_top(&r, ui_dp(u, 4));
    const char *consent = tr(a, "You may contact me about this feedback");
    if (station_choice(u, "fb-consent", ui_cut_top(&r, station_choice_h(u, r.w, consent, 2)),
                       consent, fb->consent, 2, 0)) {
        fb->consent = !fb->consent;
        fb->show_prob = 0;
        if (!fb->consent) {  /* unticking takes the details back at once */
            sodium_memzero(fb->name, sizeof fb->name);
            sodium_memzero(fb->email, sizeof fb->email);
            sodium_memzero(fb->phone, sizeof fb->phone);
            if (fb->field != FEEDBACK_F_COMMENT)
                fb->field = FEEDBACK_F_NONE;
        } else {
            fb->field = FEEDBACK_F_EMAIL;
        }
    }
    ui_cut_top(&r, ui_dp(u, 6));
    if (!fb->consent) {
        ui_text_wrap(u, ui_cut_top(&r, body * 2), UI_FONT_SMALL, t->muted,
                     tr(a, "Your feedback is anonymous: nothing about you is saved."), 2, 1);
    } else {
        int ch = app_touch(u) + ui_line_height(u, UI_FONT_SMALL) + ui_dp(u, 4);
        static const struct { const char *id, *label; feedback_field f; } rows[] = {
            { "fb-email", N_("E-mail"), FEEDBACK_F_EMAIL },
            { "fb-phone", N_("Phone"), FEEDBACK_F_PHONE },
            { "fb-name", N_("Name (optional)"), FEEDBACK_F_NAME },
        };
        char *bufs[] = { fb->email, fb->phone, fb->name };
        ui_rect fr[3];
        int email_lines = 1;
        /* E-mail and phone side by side when the address fits its half (in the
         * field's smaller letters at worst); a long address gets the whole width,
         * never shown in part. */
        int half = (r.w - gap) / 2 - 2 * ui_dp(u, 14) - ui_dp(u, 8);
        if (r.w >= ui_dp(u, 700) &&
            ui_text_width(u, UI_FONT_SMALL, fb->email, -1) <= half) {
            ui_rect row = ui_cut_top(&r, ch);
            fr[0] = ui_cut_left(&row, (row.w - gap) / 2);
            ui_cut_left(&row, gap);
            fr[1] = row;
        } else {
            /* Narrower than the address even in smaller letters: two lines, broken
             * between characters (an address has no spaces). */
            int full = r.w - 2 * ui_dp(u, 14) - ui_dp(u, 8);
            if (ui_text_width(u, UI_FONT_SMALL, fb->email, -1) > full)
                email_lines = 2;
            int ch2 = ui_line_height(u, UI_FONT_SMALL) + ui_dp(u, 4) + 2 * body +
                      2 * ui_dp(u, 14) + ui_dp(u, 4);
            fr[0] = ui_cut_top(&r, email_lines == 2 && ch2 > ch ? ch2 : ch);
            ui_cut_top(&r, ui_dp(u, 6));
            fr[1] = ui_cut_top(&r, ch);
        }
        ui_cut_top(&r, ui_dp(u, 6));
        fr[2] = ui_cut_top(&r, ch);
        ui_cut_top(&r, ui_dp(u, 6));
        /* A field that took the focus or was typed in scrolls into sight (a short
         * panel's form is a few lines high): what is typed always shows. */
        for (size_t i = 0; i < 3; i++)
            if (fb->field == rows[i].f &&
                (fb->shown_field != fb->field || fb->shown_len != strlen(bufs[i]))) {
                fb->shown_field = fb->field;
                fb->shown_len = strlen(bufs[i]);
                ui_scroll_show(u, "fb-form", fr[i].y - y0, fr[i].y + fr[i].h - y0);
            }
        for (size_t i = 0; i < 3; i++)
            if (station_field(a, u, rows[i].id, fr[i], tr(a, rows[i].label), bufs[i], "",
                              fb->field == rows[i].f, i == 0 ? email_lines : 1))
                fb->field = rows[i].f;
        ui_text_wrap(u, ui_cut_top(&r, body * 2), UI_FONT_SMALL, t->muted,
                     tr(a, "Give an e-mail address or a phone number. They are used only to "
                           "answer you."),
                     2, 1);
    }
    ui_scroll_end(u, r.y - y0);
}

void scr_feedback(app *a, ui *u, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    struct station *s = station_get(a);
    if (!s) {
        ui_label(u, r, UI_FONT_BODY, t->warn, UI_LEFT, tr(a, "Out of memory."));
        return;
    }
    st_feedback *fb = &s->fb;
    const char *ctx = app_cur(a)->item;
    if (strcmp(fb->context, ctx) != 0 && fb->job.phase != ST_SAVING) {
        station_wipe_feedback(s);  /* feedback on another card starts afresh */
        snprintf(fb->context, sizeof fb->context, "%s", ctx);
    }
    if (station_job_poll(&fb->job, u) && fb->job.phase == ST_FAILED &&
        fb->job.rc == KC_EINVAL) {
        fb->prob = fb->jprob;
        fb->show_prob = 1;
    }
    if (fb->job.phase == ST_DONE && fb->op == FB_OP_COMMENT)
        fb->finished = 1;
    if (fb->finished) {
        thanks(a, u, r, fb, s);
        return;
    }
    int gap = app_pad(u);
    const char *name = about(a, fb->context);
    w_heading(u, ui_cut_top(&r, w_heading_h(u)), tr(a, "Feedback"));
    char q[400];
    if (name)
        snprintf(q, sizeof q, tr(a, "What do you think of “%s”?"), name);
    else
        snprintf(q, sizeof q, "%s", tr(a, "How do you like this place and this kiosk?"));
    ui_rect r0 = r;
    ui_rect qr = ui_cut_top(&r, ui_line_height(u, UI_FONT_BODY) * 2 + ui_dp(u, 4));
    ui_cut_top(&r, ui_dp(u, 8));

    /* The faces: large, each with its word. */
    int fgap = ui_dp(u, 16);
    int fw = (r.w - 4 * fgap) / 5;
    if (fw > ui_dp(u, 250))
        fw = ui_dp(u, 250);
    int fh = fw * 3 / 4 + 2 * ui_line_height(u, UI_FONT_BOLD) + ui_dp(u, 30);
    int fmax = ui_w(u) >= ui_h(u) ? ui_dp(u, 224) : ui_dp(u, 270);  /* room for the form */
    if (fmax > r.h * 38 / 100)  /* short screens: the form below scrolls */
        fmax = r.h * 38 / 100;
    if (fh > fmax)
        fh = fmax;
    /* A short landscape panel (1024x600) has no room for the faces above a keyboard
     * whose keys stay 9 mm: while a field is typed in, the question and the faces
     * give way (they come back with Send), and Send moves under the form. */
    int typing = fb->field == FEEDBACK_F_COMMENT || fb->field == FEEDBACK_F_NAME ||
                 fb->field == FEEDBACK_F_EMAIL || fb->field == FEEDBACK_F_PHONE;
    int kb_need = 5 * app_min_target_px(a) + 6 * ui_dp(u, 8) + app_touch(u) + ui_dp(u, 10);
    int send_need = app_touch(u) + ui_dp(u, 8) + 2 * ui_dp(u, 12) + ui_dp(u, 90);
    int compact = typing && ui_w(u) >= ui_h(u) && r.h - fh - gap < kb_need + send_need;
    if (compact)
        r = r0;
    else
        ui_text_wrap(u, qr, UI_FONT_BODY, t->text, q, 2, 1);
    ui_rect faces = ui_cut_top(&r, compact ? 0 : fh);
    int x0 = faces.x + (faces.w - 5 * fw - 4 * fgap) / 2;
    int saving = fb->job.phase == ST_SAVING;
    for (int st = 1; st <= 5 && !compact; st++) {
        char id[16];
        snprintf(id, sizeof id, "fb-face-%d", st);
        ui_rect b = { x0 + (st - 1) * (fw + fgap), faces.y, fw, fh };
        if (station_face_button(a, u, id, b, st, fb->score == st, station_smiley_word(a, st)) &&
            !saving)
            tap_face(a, u, s, fb, st);
    }
    if (!compact)
        ui_cut_top(&r, gap);
    if (saving) {
        station_message(u, ui_cut_top(&r, ui_dp(u, 100)), tr(a, "Sending\xe2\x80\xa6"), 0);
        return;
    }

    /* The keyboard first: what it types shows in the fields drawn after it. */
    int sent;
    if (ui_w(u) >= ui_h(u)) {  /* landscape: the form left; keyboard and Send right */
        ui_rect left = ui_cut_left(&r, r.w * (compact ? 40 : 45) / 100);
        ui_cut_left(&r, gap);
        sent = send_area(a, u, compact ? &left : &r, fb);
        keyboard(a, u, r, fb);
        form(a, u, left, fb);
    } else {
        sent = send_area(a, u, &r, fb);
        int kh = r.h * 2 / 5 > ui_dp(u, 520) ? ui_dp(u, 520) : r.h * 2 / 5;
        ui_rect kb = ui_cut_bottom(&r, kh);
        ui_cut_bottom(&r, gap);
        keyboard(a, u, kb, fb);
        form(a, u, r, fb);
    }
    if (sent) {
        char msg[KC_MSGMAX];
        fill_entry(fb);
        fb->field = FEEDBACK_F_NONE;
        if (!fb->score) {
            fb->prob = (feedback_problem){ FEEDBACK_F_SCORE, SURVEY_P_REQUIRED };
            fb->show_prob = 1;
        } else if (feedback_check(&fb->e, &fb->prob, msg) != KC_OK) {
            fb->show_prob = 1;
        } else {
            fb->show_prob = 0;
            fb->op = FB_OP_COMMENT;  /* amends the stored face (or stores it, if it failed) */
            station_job_start(a, &fb->job, submit_job, fb);
            ui_request_frame(u);
        }
    }
}
