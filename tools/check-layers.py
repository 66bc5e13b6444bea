#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Check the include graph of component/src against its declared layers.

The layers are listed once, in component/src/layers.txt (bottom first).
Every .c and .h file there must belong to a listed module (its name
without the extension). Fails (exit 1), printing what is wrong, if:
  - the modules' include graph (quoted includes only) has a cycle: the
    cycle is printed with the file that makes each step;
  - a file includes a header of a module in a later (higher) layer;
  - a file belongs to no listed module, or includes a quoted header that
    is not in component/src.
Exit 0 with a one-line summary otherwise. --graph prints the module graph.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "component", "src")
LAYERS = os.path.join(SRC, "layers.txt")
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def read_layers(path):
    layer_of, names = {}, []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            name, sep, mods = line.partition(":")
            if not sep or not mods.split():
                sys.exit(f"{path}:{n}: expected 'layer: module module ...'")
            for m in mods.split():
                if m in layer_of:
                    sys.exit(f"{path}:{n}: module {m} listed twice")
                layer_of[m] = len(names)
            names.append(name.strip())
    return layer_of, names


def read_includes(src):
    """{file: [(line number, included file)]} for every .c and .h in src."""
    files = sorted(f for f in os.listdir(src) if f.endswith((".c", ".h")))
    inc = {}
    for f in files:
        with open(os.path.join(src, f), encoding="utf-8") as fh:
            inc[f] = [(n, m.group(1)) for n, line in enumerate(fh, 1) for m in [INCLUDE.match(line)] if m]
    return inc


def module(f):
    return os.path.splitext(f)[0]


def find_cycle(graph):
    """A list of modules [a, b, ..., a] forming a cycle, or None."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = {m: WHITE for m in graph}
    stack = []

    def visit(m):
        colour[m] = GREY
        stack.append(m)
        for t in sorted(graph[m]):
            if colour.get(t, BLACK) == GREY:
                return stack[stack.index(t):] + [t]
            if colour.get(t) == WHITE:
                c = visit(t)
                if c:
                    return c
        stack.pop()
        colour[m] = BLACK
        return None

    for m in sorted(graph):
        if colour[m] == WHITE:
            c = visit(m)
            if c:
                return c
    return None


def main(argv):
    layer_of, names = read_layers(LAYERS)
    inc = read_includes(SRC)
    errors = []
    graph = {}  # module -> {module: "file:line"}
    for f, incs in inc.items():
        m = module(f)
        if m not in layer_of:
            errors.append(f"component/src/{f}: module {m} is in no layer of component/src/layers.txt")
            continue
        graph.setdefault(m, {})
        for n, h in incs:
            if h not in inc:
                errors.append(f"component/src/{f}:{n}: includes \"{h}\", not a file of component/src")
                continue
            t = module(h)
            if t == m or t not in layer_of:
                continue
            graph[m].setdefault(t, f"{f}:{n}")
            if layer_of[t] > layer_of[m]:
                errors.append(f"component/src/{f}:{n}: includes \"{h}\": layer {names[layer_of[t]]} ({t}) is "
                              f"above layer {names[layer_of[m]]} ({m})")
    cycle = find_cycle(graph)
    if cycle:
        steps = [f"{a} -> {b} ({graph[a][b]})" for a, b in zip(cycle, cycle[1:])]
        errors.append("include cycle: " + ", ".join(steps))
    if "--graph" in argv:
        for i, name in enumerate(names):
            for m in sorted(x for x in graph if layer_of[x] == i):
                print(f"{name:10} {m:11} -> {' '.join(sorted(graph[m])) or '-'}")
    if errors:
        for e in errors:
            print("check-layers: " + e, file=sys.stderr)
        return 1
    print(f"check-layers: {len(inc)} files, {len(graph)} modules in {len(names)} layers: "
          "no cycle, no include of a higher layer")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
