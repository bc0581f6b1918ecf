#!/usr/bin/env python3
"""Circles between khet's source files (issue 20: the inspection.c <->
model.c and layout_list.c <-> layout_page.c circles broken, and kept so).

    tests/circles.py [SRC] [--objects DIR] [--list]

Two graphs of src/*.c:
- include: A.c sees B's header (directly or through other headers). A
  header X.h belongs to X.c; a private X_int.h belongs to no file: it is
  what the parts of module X share, not an edge between them.
- symbols (--objects DIR, the build's .o files): A.o uses a function or a
  variable B.o defines. The real dependency, which a header the parts of a
  module share (layout_int.h) hides from the include graph.
A circle is a strongly connected group of files. Those KNOWN below (a
module's parts that call each other by design) are allowed; any other is
printed and the exit status is 1. --list prints the known ones too."""
import glob
import os
import re
import subprocess
import sys
from collections import defaultdict

# (graph, files): a circle whose files are all in `files` is known.
KNOWN = [
    # scoring.c calls its parts (criterion 8's unit costs, the gaps, the exact
    # bands), which fill scoring.h's result: the type is scoring.h's
    ("include", {"scoring", "unit_cost", "score_gaps", "zband"}),
    # the TSA client reads sign.h's types; sign.c asks it for a timestamp
    ("include", {"sign", "sign_tsa"}),
    # the filing's signing part reads archive.h's signer; archive.c has it sign
    ("include", {"archive", "archive_sign"}),
    # the data set's loader and its table reader: the reader looks codes and
    # months up in the data set being loaded (model_int.h)
    ("symbols", {"model", "model_table"}),
    # the template engine places each document's blocks, which fill the
    # engine's placeholders and use the blocks the documents share
    ("symbols", {"report_engine", "report_common", "report_booklet", "report_kpi", "report_monthly",
                 "report_scorecard", "report_summary", "report_ungraded"}),
    # the web application's parts: the server dispatches to them, they log
    # and answer through it
    ("symbols", {"serve", "serve_api", "serve_auth", "serve_keys", "serve_render", "serve_sign", "serve_space",
                 "serve_work"}),
]


def include_graph(src):
    cfiles = sorted(os.path.basename(p)[:-2] for p in glob.glob(os.path.join(src, "*.c")))
    inc = {}
    for p in glob.glob(os.path.join(src, "*.[ch]")):
        text = open(p, encoding="utf-8").read()
        inc[os.path.basename(p)] = re.findall(r'^\s*#\s*include\s+"([^"]+)"', text, re.M)

    def seen(f, acc):
        for h in inc.get(f, []):
            if h not in acc and h in inc:
                acc.add(h)
                seen(h, acc)
        return acc

    edges = defaultdict(dict)
    for c in cfiles:
        for h in sorted(seen(c + ".c", set())):
            o = h[:-2]
            if o in cfiles and o != c:
                edges[c].setdefault(o, h)
    return edges


def symbol_graph(src, objdir):
    objs = {}
    for p in sorted(glob.glob(os.path.join(src, "*.c"))):
        c = os.path.basename(p)[:-2]
        if os.path.exists(os.path.join(objdir, c + ".o")):
            objs[os.path.join(objdir, c + ".o")] = c
    defs, uses = {}, defaultdict(set)
    # one nm for all the objects (one a file took seconds of a loaded machine's time)
    out = subprocess.run(["nm", "-A"] + sorted(objs), capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        path, _, rest = line.partition(":")
        c, f = objs.get(path), rest.split()
        if c is None:
            continue
        if len(f) == 3 and f[1] in "TDBR":
            defs[f[2]] = c
        elif len(f) == 2 and f[0] == "U":
            uses[c].add(f[1])
    edges = defaultdict(dict)
    for c, us in uses.items():
        for s in sorted(us):
            d = defs.get(s)
            if d and d != c:
                edges[c].setdefault(d, s)
    return edges


def groups(edges):
    """Strongly connected groups of two files or more (Tarjan, iterative)."""
    index, low, on, stack, out, n = {}, {}, set(), [], [], 0
    nodes = sorted(set(edges) | {w for v in edges for w in edges[v]})
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, {}))))]
        index[root] = low[root] = n
        n += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = n
                    n += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges.get(w, {})))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                g = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    g.append(w)
                    if w == v:
                        break
                if len(g) > 1:
                    out.append(sorted(g))
    return out


def describe(edges, g):
    """The edges inside group g, each with the header or symbol that makes it."""
    return ", ".join(f"{a}->{b} ({edges[a][b]})" for a in g for b in g if b in edges.get(a, {}))


def main():
    args = sys.argv[1:]
    objdir = None
    if "--objects" in args:
        i = args.index("--objects")
        objdir = args[i + 1]
        del args[i:i + 2]
    show_known = "--list" in args
    args = [a for a in args if a != "--list"]
    src = args[0] if args else "src"
    graphs = [("include", include_graph(src))]
    if objdir:
        graphs.append(("symbols", symbol_graph(src, objdir)))
    bad = 0
    for kind, edges in graphs:
        for g in groups(edges):
            known = any(k == kind and set(g) <= files for k, files in KNOWN)
            if not known:
                bad = 1
            if not known or show_known:
                print(f"{kind}: {'known ' if known else ''}circle: {' '.join(g)}: {describe(edges, g)}")
    return bad


if __name__ == "__main__":
    sys.exit(main())
