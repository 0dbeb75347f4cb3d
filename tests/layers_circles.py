#!/usr/bin/env python3
"""No circles among the files of core/ or of kiosk/ (tests/layers.sh runs this).

A file that calls a function defined in another file of its directory includes the
header declaring it and sits above that file.  The files of one directory must form no
cycle (a -> b -> a, or longer).  The edge goes to the file defining the function, so a
header that declares functions of several files (app.h once declared the survey
station's and the voting screens' hooks) does not hide a circle.  Prints each circle
with the functions that make it and exits 1; 0 when there is none.
usage: layers_circles.py SRC_ROOT
"""
import os
import re
import sys

# A definition: a line at column 0 with a return type, a name and "(" that does not
# end in ";" (declarations do), and not static.
DEF = re.compile(r'^(?!static\b|typedef\b|extern\b|#)[A-Za-z_][\w \*]*?[\s\*]([a-z_]\w*)\s*\([^;]*$',
                 re.M)


def graph(path):
    src, defs = {}, {}
    for f in sorted(os.listdir(path)):
        if not f.endswith('.c'):
            continue
        with open(os.path.join(path, f), encoding='utf-8') as fh:
            s = fh.read()
        s = re.sub(r'/\*.*?\*/|//[^\n]*', ' ', s, flags=re.S)  # comments
        s = re.sub(r'"(\\.|[^"\\\n])*"', '""', s)                 # strings
        src[f] = s
        for m in DEF.finditer(s):
            if m.group(1) != 'main':
                defs.setdefault(m.group(1), f)
    uses = {f: {} for f in src}
    for f, s in src.items():
        for w in set(re.findall(r'\b[a-z_]\w*\b', s)):
            g = defs.get(w)
            if g and g != f:
                uses[f].setdefault(g, []).append(w)
    return uses


def circles(uses):
    """Tarjan's strongly connected components with two or more files."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(uses[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(uses):
        if v not in index:
            visit(v)
    return out


def main():
    root = sys.argv[1]
    bad = 0
    for d in ('core', 'kiosk'):
        uses = graph(os.path.join(root, d))
        for comp in circles(uses):
            bad = 1
            print(f"{d}/: a circle among {', '.join(comp)}:")
            for a in comp:
                for b in comp:
                    if b in uses[a]:
                        names = ', '.join(sorted(uses[a][b])[:5])
                        print(f"  {a} uses {b}: {names}")
    return bad


if __name__ == '__main__':
    sys.exit(main())
