#!/usr/bin/env python3
"""Takes a screenshot from the X server itself (xwd), as a person at the screen sees it,
saves it as PNG and prints what a blank-screen check needs.

usage: xshot.py DISPLAY OUT.png [--min-colours N] [--min-text-frac F] [--bg RRGGBB]
                                [--pixel X,Y,RRGGBB]...

Prints "colours=N text=F bg=RRGGBB" (distinct colours; the fraction of pixels far in
brightness from the most common colour, i.e. text, frames and bars; the most common
colour).  With --min-* it exits 1 when the picture
has fewer colours or text pixels than that: a frame of only the background and the
top bar's colour has 2-3 colours and no text.  Only the standard library: xwd's format
is a header and raw pixels.
"""
import struct
import subprocess
import sys
import zlib


def grab(display):
    raw = subprocess.run(["xwd", "-root", "-silent", "-display", display],
                         check=True, stdout=subprocess.PIPE).stdout
    # XWD header: 25 big-endian CARD32s, then the window name, then colours.
    f = struct.unpack(">25I", raw[:100])
    header_size, _version, _fmt, depth, w, h = f[0], f[1], f[2], f[3], f[4], f[5]
    byte_order, bpp, bpl = f[7], f[11], f[12]
    ncolors = f[19]
    if bpp not in (24, 32) or depth not in (24, 32):
        raise SystemExit("xshot: expected a 24-bit TrueColor screen, got depth=%d bpp=%d"
                         % (depth, bpp))
    off = header_size + ncolors * 12
    n = bpp // 8
    rows = []
    for y in range(h):
        line = raw[off + y * bpl: off + y * bpl + w * n]
        px = bytearray(w * 3)
        if byte_order == 0:  # LSBFirst: B G R (x)
            px[0::3], px[1::3], px[2::3] = line[2::n], line[1::n], line[0::n]
        else:                # MSBFirst: (x) R G B
            px[0::3], px[1::3], px[2::3] = line[n - 3::n], line[n - 2::n], line[n - 1::n]
        rows.append(bytes(px))
    return w, h, rows


def write_png(path, w, h, rows):
    def chunk(kind, data):
        c = kind + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xffffffff)
    body = b"".join(b"\x00" + r for r in rows)
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(body, 6)) + chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(png)


def stats(w, h, rows):
    counts = {}
    step = 2  # every other pixel of every other row: plenty, and fast in Python
    for y in range(0, h, step):
        r = rows[y]
        for x in range(0, w * 3, 3 * step):
            k = r[x:x + 3]
            counts[k] = counts.get(k, 0) + 1
    total = sum(counts.values())
    bg = max(counts, key=counts.get)
    lum = lambda c: 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    lb = lum(bg)
    # "Text" is anything far from the dominant colour in brightness (either way, so
    # the high-contrast theme counts too).
    text = sum(n for c, n in counts.items() if abs(lum(c) - lb) > 100)
    return len(counts), text / total, "%02x%02x%02x" % (bg[0], bg[1], bg[2])


def main():
    a = sys.argv[1:]
    if len(a) < 2:
        raise SystemExit(__doc__)
    display, out = a[0], a[1]
    min_colours, min_text, want_bg, pixels = 0, 0.0, None, []
    i = 2
    while i < len(a):
        if a[i] == "--min-colours":
            min_colours = int(a[i + 1]); i += 2
        elif a[i] == "--min-text-frac":
            min_text = float(a[i + 1]); i += 2
        elif a[i] == "--pixel":
            x, y, c = a[i + 1].split(",")
            pixels.append((int(x), int(y), c.lower())); i += 2
        elif a[i] == "--bg":
            want_bg = a[i + 1].lower(); i += 2
        else:
            raise SystemExit("xshot: unknown option " + a[i])
    w, h, rows = grab(display)
    write_png(out, w, h, rows)
    n, text, bg = stats(w, h, rows)
    print("colours=%d text=%.4f bg=%s" % (n, text, bg))
    if n < min_colours or text < min_text:
        print("xshot: %s looks blank (colours=%d < %d or text=%.4f < %.4f)"
              % (out, n, min_colours, text, min_text), file=sys.stderr)
        sys.exit(1)
    for x, y, c in pixels:
        x, y = x % w, y % h  # negative: from the right / bottom
        got = rows[y][x * 3:x * 3 + 3].hex()
        if got != c:
            print("xshot: %s: pixel %d,%d is %s, expected %s" % (out, x, y, got, c),
                  file=sys.stderr)
            sys.exit(1)
    if want_bg and bg != want_bg:
        print("xshot: %s: background %s, expected %s" % (out, bg, want_bg), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
