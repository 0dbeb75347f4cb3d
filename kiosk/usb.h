/*
 * usb.h - the coordinator's USB export (usb.c): a panel in the coordinator menu with
 * its button and its result, hung on the menu's row of the screen table (screens.c).
 * The files are written by a job (job.h); usb_free() waits for a write in progress so
 * the stick is left consistent.
 */
#ifndef KIOSK_USB_H
#define KIOSK_USB_H

#include "app.h"

void usb_admin_panel(app *a, ui *u, ui_rect *r);
void usb_free(app *a);
/* Idle reset: the last export's result is no longer shown. */
void usb_reset(app *a);

#endif
