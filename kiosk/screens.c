/*
 * screens.c - the table of screens: one row per scr_id (app.h, app_screen).  Adding a
 * screen is one row here and files of its own; app_init refuses a table with a row
 * missing, and the build fails when the last rows are (the assertion below).
 */
#include "screens.h"

#include <assert.h>

#include "scr_vote.h"
#include "station.h"
#include "usb.h"

static const app_screen table[] = {
    [SCR_HOME] = { .name = "home", .draw = scr_home, .scroll = "home" },
    [SCR_BROWSE] = { .name = "browse", .draw = scr_browse, .needs_index = 1,
                     .scroll = "browse" },
    [SCR_SEARCH] = { .name = "search", .draw = scr_search, .needs_index = 1,
                     .scroll = "search" },
    [SCR_DETAIL] = { .name = "detail", .draw = scr_detail, .needs_index = 1,
                     .scroll = "detail" },
    [SCR_CALENDAR] = { .name = "calendar", .draw = scr_calendar, .needs_index = 1,
                       .scroll = "calendar" },
    /* The survey station's family (station.h): feedback on a card from here. */
    [SCR_FEEDBACK] = { .name = "feedback", .draw = scr_feedback,
                       .detail_button = station_detail_button },
    [SCR_PIN] = { .name = "pin", .draw = scr_pin },
    /* The USB export is a panel of the menu (usb.h), not a screen of its own. */
    [SCR_ADMIN] = { .name = "admin", .draw = scr_admin, .admin_panel = usb_admin_panel,
                    .free = usb_free, .reset = usb_reset },
    [SCR_SURVEY] = { .name = "survey", .draw = scr_survey, .reset = station_reset,
                     .free = station_free, .relist = station_relist,
                     .home_banner = station_home_banner },
    [SCR_WORKSHOP] = { .name = "workshop", .draw = scr_workshop,
                       .admin_id = "admin-workshops", .admin_label = N_("Workshops"),
                       .admin_open = station_open_workshops, .idle_ms = workshop_idle_ms },
    [SCR_RESULTS] = { .name = "results", .draw = scr_results, .admin_id = "admin-results",
                      .admin_label = N_("Survey results"), .admin_open = station_open_results },
    /* Voting (scr_vote.h). */
    [SCR_VOTE] = { .name = "vote", .draw = scr_vote, .ask_leave = vote_ask_leave,
                   .reset = vote_reset, .free = vote_free, .relist = vote_relist,
                   .home_banner = vote_home_banner, .idle_overlay = vote_idle_overlay,
                   .idle_held = vote_idle_held },
    [SCR_VOTE_RESULTS] = { .name = "vote-results", .draw = scr_vote_results,
                           .admin_id = "admin-vote-results",
                           .admin_label = N_("Voting results"), .admin_open = vote_open_results },
};
static_assert(sizeof table / sizeof table[0] == SCR_NSCREENS,
              "every scr_id has its row in the screen table");

const app_screen *screens_table(size_t *n)
{
    *n = sizeof table / sizeof table[0];
    return table;
}
