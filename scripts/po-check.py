#!/usr/bin/env python3
"""Keeps assets/i18n/{fi,sv,en}.po in step with the kiosk's source.

Keys are the English strings passed to tr(a, "...") or marked N_("...") in kiosk/*.c
(and in core/facts.c, whose words reach it through the kiosk's lookups as tr(c, ...));
trn(a, "ONE", "MANY", n) is a plural entry (msgid ONE, msgid_plural MANY, msgstr[0] and
msgstr[1]: fi, sv and en have gettext's nplurals=2; plural=(n != 1)).
  po-check.py SRC_DIR            check: every key translated in fi and sv, no stale
                                 entries, the same printf conversions as the key
  po-check.py SRC_DIR --update   add missing keys (empty msgstr) and drop stale ones
Prints "N passed, M failed" and exits non-zero on any failure.
"""
import glob, os, re, sys

LANGS = ("fi", "sv", "en")
lit = r'"(?:[^"\\]|\\.)*"'

def c_unescape(s):
    b, out, i = s.encode("utf-8"), bytearray(), 0
    while i < len(b):
        if b[i:i + 1] == b"\\" and i + 1 < len(b):
            c = chr(b[i + 1])
            if c == "x":
                j = i + 2
                while j < len(b) and chr(b[j]) in "0123456789abcdefABCDEF":
                    j += 1
                out.append(int(b[i + 2:j], 16))
                i = j
                continue
            out += {"n": b"\n", "t": b"\t", '"': b'"', "\\": b"\\"}[c]
            i += 2
        else:
            out.append(b[i])
            i += 1
    return out.decode("utf-8")

def keys_in(src):
    keys = []
    files = sorted(glob.glob(os.path.join(src, "kiosk", "*.c")))
    files.append(os.path.join(src, "core", "facts.c"))
    for f in files:
        text = open(f, encoding="utf-8").read()
        for m in re.finditer(r'(?:\btr\(\s*[ac]\s*,|\bN_\()\s*((?:' + lit + r'\s*)+)\)', text):
            parts = re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))
            keys.append("".join(c_unescape(p) for p in parts))
        for m in re.finditer(r'\btrn\(\s*[ac]\s*,\s*((?:' + lit + r'\s*)+),\s*((?:' + lit +
                             r'\s*)+),', text):
            one, many = (
                "".join(c_unescape(p) for p in re.findall(r'"((?:[^"\\]|\\.)*)"', g))
                for g in (m.group(1), m.group(2)))
            keys.append((one, many))
    return list(dict.fromkeys(keys))

def po_escape(s):
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")

def po_unescape(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}[s[i + 1]])
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)

def read_po(path):
    """msgid -> msgstr, or for a plural entry (msgid, msgid_plural) -> (msgstr[0], msgstr[1])."""
    entries = {}
    if not os.path.exists(path):
        return entries
    cur, which = None, None

    def done():
        if cur is not None and cur["msgid"]:
            if "msgid_plural" in cur:
                entries[(cur["msgid"], cur["msgid_plural"])] = (cur.get("msgstr[0]", ""),
                                                               cur.get("msgstr[1]", ""))
            else:
                entries[cur["msgid"]] = cur.get("msgstr", "")

    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r'^(msgid|msgid_plural|msgstr|msgstr\[\d\]) "(.*)"$', line)
        if m and m.group(1) == "msgid":
            done()
            cur = {}
        if m and cur is not None:
            which = m.group(1)
            cur[which] = po_unescape(m.group(2))
        elif line.startswith('"') and cur is not None and which:
            cur[which] += po_unescape(line[1:-1])
    done()
    return entries

def write_po(path, lang, keys, entries):
    with open(path, "w", encoding="utf-8") as f:
        f.write('# Community kiosk UI strings, %s.\n# Keys are the English source strings; '
                'scripts/po-check.py keeps this file in step.\nmsgid ""\nmsgstr ""\n'
                '"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: %s\\n"\n\n' % (lang, lang))
        for k in keys:
            if isinstance(k, tuple):
                v = entries.get(k, ("", ""))
                f.write('msgid "%s"\nmsgid_plural "%s"\nmsgstr[0] "%s"\nmsgstr[1] "%s"\n\n'
                        % (po_escape(k[0]), po_escape(k[1]), po_escape(v[0]), po_escape(v[1])))
            else:
                f.write('msgid "%s"\nmsgstr "%s"\n\n' % (po_escape(k), po_escape(entries.get(k, ""))))

conv = re.compile(r"%(?:%|[-+ #0]*\d*(?:\.\d+)?(?:hh|h|ll|l|z|j|t)?[diouxXeEfgGcspu])")

def main():
    src = sys.argv[1]
    update = "--update" in sys.argv
    keys = keys_in(src)
    passed = failed = 0
    for lang in LANGS:
        path = os.path.join(src, "assets", "i18n", lang + ".po")
        entries = read_po(path)
        if update:
            write_po(path, lang, keys, entries)
            continue
        for k in keys:
            v = entries.get(k)
            need = lang != "en"
            if isinstance(k, tuple):
                if v is None or (need and not (v[0] and v[1])):
                    failed += 1
                    print("FAIL %s.po: no plural forms for %r" % (lang, k))
                elif any(x and conv.findall(x) != conv.findall(k[i]) for i, x in enumerate(v)):
                    failed += 1
                    print("FAIL %s.po: %r changes the %%-conversions of %r" % (lang, v, k))
                else:
                    passed += 1
                continue
            if v is None or (need and not v):
                failed += 1
                print("FAIL %s.po: no translation for %r" % (lang, k))
            elif v and conv.findall(v) != conv.findall(k):
                failed += 1
                print("FAIL %s.po: %r changes the %%-conversions of %r" % (lang, v, k))
            else:
                passed += 1
        for k in entries:
            if k not in keys:
                failed += 1
                print("FAIL %s.po: stale entry %r" % (lang, k))
    if update:
        print("updated %d keys" % len(keys))
        return 0
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0

sys.exit(main())
