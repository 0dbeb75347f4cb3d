#!/usr/bin/env python3
"""Writes the screen-matrix script for one configuration: the main screens, each with a
layout check of the widget list and an X-server screenshot.

usage: matrix.py SRC LANG PREFIX [aplus] [contrast] > FILE.script

The first screen is the attract screen an idle reset returns to (with the place's
name matrix.sh gives); a tap on its invitation opens Home.

Labels are taken from assets/i18n/LANG.po (English: the msgid itself), so one
template serves all three languages.
"""
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
            "Keyboard"]
    labels = {k.replace(" ", "_"): t(k) for k in keys}
    extra = ""
    if "aplus" in flags:
        extra += "tap A+\n"
    if "contrast" in flags:
        extra += 'tap "%s"\n' % t("Contrast")
    out = TEMPLATE.replace("{extra}", extra).replace("{p}", prefix)
    for k in keys:
        out = out.replace("{%s}" % k, t(k))
    sys.stdout.write(out)


if __name__ == "__main__":
    main()
