/*
 * screens.h - the kiosk's screens and their table (screens.c).
 *
 * Each screen is a function drawing one frame of it into the body below the top bar,
 * in its own file over app.h.  The table gives each scr_id its row (app.h,
 * app_screen): the draw function and the hooks of its family.  Only the top of the
 * program (main.c, card_main.c) takes the table and hands it to app_init through
 * app_config, so no file below it includes a screen family's header.
 */
#ifndef SCREENS_H
#define SCREENS_H

#include "app.h"

/* The table: SCR_NSCREENS rows indexed by scr_id; *n is set to the count. */
const app_screen *screens_table(size_t *n);

void scr_home(app *a, ui *u, ui_rect r);
void scr_browse(app *a, ui *u, ui_rect r);
void scr_search(app *a, ui *u, ui_rect r);
void scr_detail(app *a, ui *u, ui_rect r);
void scr_calendar(app *a, ui *u, ui_rect r);
void scr_feedback(app *a, ui *u, ui_rect r);
void scr_pin(app *a, ui *u, ui_rect r);
void scr_admin(app *a, ui *u, ui_rect r);
void scr_survey(app *a, ui *u, ui_rect r);
void scr_workshop(app *a, ui *u, ui_rect r);
void scr_results(app *a, ui *u, ui_rect r);
void scr_vote(app *a, ui *u, ui_rect r);
void scr_vote_results(app *a, ui *u, ui_rect r);

#endif
