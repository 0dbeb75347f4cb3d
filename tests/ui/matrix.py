#!/usr/bin/env python3
"""Writes the screen-matrix script for one configuration: the main screens, each with a
layout check of the widget list and an X-server screenshot.

usage: matrix.py SRC LANG PREFIX [aplus] [contrast] > FILE.script

Venues: the list leads with each venue's price and size, and the first venue's card
(it has an address) shows its directions QR; its body text is checked for a
readable line length (`expect line-length`: at most 80 characters per line, and at
least MIN where the screen is wide enough for a full column).

The first screen is the attract screen an idle reset returns to (with the place's
name matrix.sh gives); a tap on its invitation opens Home.

Labels are taken from assets/i18n/LANG.po (English: the msgid itself), so one
template serves all three languages.
"""
import json
import re
import sys


def load_po(path):
    tr, key = {}, None
    for line in open(path, encoding="utf-8"):
        m = re.match(r'^msgid "(.*)"$', line)
        if m:
            key = m.group(1)
            continue
        m = re.match(r'^msgstr "(.*)"$', line)
        if m and key is not None:
            tr[key] = m.group(1)
            key = None
    return tr


TEMPLATE = """\
idle 61
expect text "Kosketa · Tryck · Touch"
expect layout
shot {p}-attract.png
tap "Kosketa · Tryck · Touch"
{extra}expect layout
shot {p}-home.png
tap "{Associations}"
expect layout
shot {p}-browse.png
tap "{Home}"
tap "{Search}"
type "kuoro"
expect layout
shot {p}-search.png
tap "{Show results}"
expect text "{Keyboard}"
expect layout
shot {p}-search-results.png
tap "{Home}"
tap "{Venues}"
expect text "{Low cost} · "
expect text "70 "
expect layout
shot {p}-venues.png
tap "{venue}"
expect text "{Directions}"
expect count qr 2
expect layout
expect line-length {minline} 80
shot {p}-venue-detail.png
tap "{Home}"
tap "{Events}"
expect layout
shot {p}-calendar.png
tap "{Home}"
tap "{Feedback}"
expect layout
shot {p}-feedback.png
tap "{Home}"
tap "{Answer a short survey}"
expect layout
shot {p}-survey-intro.png
tap "{Start the survey}"
tap "{Next}"
expect layout
shot {p}-survey-required.png
tap "{Home}"
tap "{Vote now}"
expect layout
shot {p}-vote.png
tap "{Home}"
longpress 10 10 3100
expect layout
shot {p}-pin.png
type 2580
tap "{OK}"
expect layout
shot {p}-admin.png
"""


def main():
    src, lang, prefix = sys.argv[1:4]
    flags = sys.argv[4:]
    po = load_po("%s/assets/i18n/%s.po" % (src, lang))
    t = lambda k: po.get(k) or k
    keys = ["Associations", "Home", "Search", "Events", "Feedback", "Answer a short survey",
            "Start the survey", "Next", "Vote now", "OK", "Contrast", "Show results",
            "Keyboard", "Venues", "Directions", "Low cost"]
    labels = {k.replace(" ", "_"): t(k) for k in keys}
    extra = ""
    if "aplus" in flags:
        extra += "tap A+\n"
    if "contrast" in flags:
        extra += 'tap "%s"\n' % t("Contrast")
    # The first venue in the language's order; the index sorts by the shown name.
    content = json.load(open("%s/assets/content/sample.json" % src, encoding="utf-8"))
    names = sorted((i["name"].get(lang) or i["name"]["fi"], i["id"])
                   for i in content["items"] if i["kind"] == "venue")
    venue = names[0][0]
    # A full column of 60+ characters needs a wide window; portrait and small
    # panels with A+ have room for fewer (the column is then the window).
    size = prefix.split("-")[0]
    w = int(size.split("x")[0])
    minline = 55 if w >= 1366 and "aplus" not in flags else 25
    out = TEMPLATE.replace("{extra}", extra).replace("{p}", prefix)
    out = out.replace("{venue}", venue).replace("{minline}", str(minline))
    for k in keys:
        out = out.replace("{%s}" % k, t(k))
    sys.stdout.write(out)


if __name__ == "__main__":
    main()
