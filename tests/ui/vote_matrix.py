#!/usr/bin/env python3
"""Writes the voting screens' matrix script for one configuration: every voting step,
each with a layout check of the widget list and an X-server screenshot.

usage: vote_matrix.py SRC LANG PREFIX CODE1 CODE2 [aplus] [contrast] > FILE.script

CODE1 and CODE2 are fresh voter codes of the knapsack sample ballot
(porvoo-toimintaraha-2026), without dashes.  Labels come from assets/i18n/LANG.po
(English: the msgid itself) and the ballot's texts from its file, so one template
serves every language.
"""
import json
import re
import sys


def load_po(path):
    tr, key, plural = {}, None, False
    for line in open(path, encoding="utf-8"):
        m = re.match(r'^msgid "(.*)"$', line)
        if m:
            key, plural = m.group(1), False
            continue
        if line.startswith("msgid_plural "):
            plural = True
            continue
        m = re.match(r'^msgstr(\[1\])? "(.*)"$', line)
        if m and key is not None and (plural == bool(m.group(1))):
            tr[key] = m.group(2)
            key = None
    return tr


TEMPLATE = """\
{extra}tap "{Vote now}"
tap "{ballot}"
expect layout
shot {p}-v-intro.png
tap "{see}"
expect layout
shot {p}-v-browse.png
tap "{p1}"
expect layout
shot {p}-v-project.png
tap "{Vote}"
expect text "1 {Code}"
expect layout
shot {p}-v-code.png
type 2222
mark N
tap "{Check the code}"
expect unmoved N
expect layout
shot {p}-v-code-error.png
tap "{Clear}"
type {code1}
tap "{Check the code}"
expect text "2 {Choose}"
tap "{p1}"
tap "{p2}"
tap "{p3}"
expect layout
shot {p}-v-pick.png
tap "{Read more}: {p4}"
tap "{Choose this project}"
expect layout
shot {p}-v-project-refused.png
tap "{Back to the projects}"
tap "{Back}"
expect text "{Stop voting?}"
expect layout
shot {p}-v-ask.png
tap "{Continue voting}"
idle 61
expect text "{Stop voting?}"
expect layout
shot {p}-v-ask-idle.png
tap "{Continue voting}"
tap "{Review my vote}"
expect text "3 {Confirm}"
expect layout
shot {p}-v-review.png
tap "{Confirm my vote}"
expect layout
shot {p}-v-receipt.png
"""


def main():
    src, lang, prefix, code1, _code2 = sys.argv[1:6]
    flags = sys.argv[6:]
    po = load_po("%s/assets/i18n/%s.po" % (src, lang))
    t = lambda k: po.get(k) or k
    b = json.load(open("%s/assets/content/ballots/porvoo-toimintaraha.json" % src,
                       encoding="utf-8"))
    text = lambda v: v.get(lang) or v.get("fi")
    keys = ["Vote now", "Vote", "Code", "Choose", "Confirm", "Check the code", "Clear",
            "Read more", "Choose this project", "Back to the projects", "Back",
            "Stop voting?", "Continue voting", "Review my vote", "Confirm my vote",
            "Contrast"]
    extra = ""
    if "aplus" in flags:
        extra += "tap A+\n"
    if "contrast" in flags:
        extra += 'tap "%s"\n' % t("Contrast")
    out = TEMPLATE.replace("{extra}", extra).replace("{p}", prefix)
    n = len(b["projects"])
    out = out.replace("{see}", t("See the %lu project").replace("%lu", str(n)))
    out = out.replace("{ballot}", text(b["title"]))
    out = out.replace("{p1}", text(b["projects"][0]["title"]))
    out = out.replace("{p2}", text(b["projects"][1]["title"]))
    out = out.replace("{p3}", text(b["projects"][2]["title"]))
    out = out.replace("{p4}", text(b["projects"][3]["title"]))
    out = out.replace("{code1}", code1)
    for k in keys:
        out = out.replace("{%s}" % k, t(k))
    sys.stdout.write(out)


if __name__ == "__main__":
    main()
