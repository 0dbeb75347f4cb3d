/* The mount table the kiosk reads to find a USB stick (/proc/self/mountinfo): text it
 * did not write, with octal escapes in its paths. */
#include "fuzzutil.h"

#include <string.h>

#include "stick.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const roots[] = { "/media/*,/media/*/*,/run/media/*/*", "/", "*",
                                         "/mnt/usb\\040stick" };
    char out[64];
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        memset(out, 0, sizeof out);
        if (stick_find_in((const char *)data, size, roots[i], out, sizeof out) &&
            memchr(out, '\0', sizeof out) == NULL)
            fz_fail("stick_find_in", "a mount point not terminated within its buffer");
    }
    return 0;
}
