#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""One definition per build tree (run by make test-readme).

  presets.py [ROOT]

Every build tree a make step builds is described once, by a configure
preset: CMakePresets.json (bench/CMakePresets.json for the benchmark trees),
tree build/<preset> (build/bench/<preset>). The make steps configure it
with `cmake --preset NAME` (the Makefile's preset_configure/preset_build).
This fails when:
- a line of the Makefile or of mk/*.mk runs a cmake configure (-S, -B or
  --preset) that is not `cmake --preset`, except the test subjects: CMake
  projects under tests/ (the consumer projects, $(CONSUMER_DIR)) that a test
  configures on purpose as a user of shmbox would (tests/install,
  tests/config, tests/suggest and tests/mismatch do the same in their own
  scripts, which are not build trees of the suite and are not looked at);
- a preset named there does not exist;
- a preset's tree is not build/<its name> (bench: build/bench/<its name>).
"""
import json
import os
import re
import shlex
import sys

root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".."))
failures = []


def fail(msg):
    print("FAIL " + msg)
    failures.append(msg)


def presets(rel, tree):
    """Configure presets of one presets file: name -> binaryDir, checked."""
    data = json.load(open(os.path.join(root, rel), encoding="utf-8"))
    by = {p["name"]: p for p in data.get("configurePresets", [])}

    def field(p, key):
        if key in p:
            return p[key]
        for parent in ([p["inherits"]] if isinstance(p.get("inherits"), str) else p.get("inherits", [])):
            v = field(by[parent], key)
            if v is not None:
                return v
        return None

    names = set()
    for name, p in by.items():
        if p.get("hidden"):
            continue
        names.add(name)
        got = (field(p, "binaryDir") or "").replace("${presetName}", name)
        if got != tree + name:
            fail("%s: preset %s builds in %s, not %s" % (rel, name, got, tree + name))
    return names


top = presets("CMakePresets.json", "${sourceDir}/build/")
bench = presets("bench/CMakePresets.json", "${sourceDir}/../build/bench/")

files = ["Makefile"] + sorted("mk/" + f for f in os.listdir(os.path.join(root, "mk")) if f.endswith(".mk"))
configures = subjects = 0
for rel in files:
    text = open(os.path.join(root, rel), encoding="utf-8").read()
    lineno = 1
    for logical in re.split(r"(?<!\\)\n", text):
        first = lineno
        lineno += logical.count("\n") + 1
        line = re.sub(r"\\\n", " ", logical)
        if line.lstrip().startswith("#"):
            continue
        # Literal preset names given to the Makefile's helpers.
        for fn, name in re.findall(r"\$\(call (preset_build|preset_configure|bench_build|cross_tree),([\w-]+)", line):
            known = bench if fn == "bench_build" or line.rstrip().endswith(",bench)") else top
            if name not in known:
                fail("%s:%d: no preset %s in %s" % (rel, first, name,
                                                    "bench/CMakePresets.json" if known is bench else "CMakePresets.json"))
        # Every cmake command on the line, up to the next shell separator
        # ($(VAR) written $<VAR> first: its parentheses are not the shell's).
        plain = re.sub(r"\$\(([\w-]+)\)", r"$<\1>", line)
        for m in re.finditer(r"(?:^|[\s;&|({])cmake\s+([^;&|)}\n]*)", plain):
            args = m.group(1).split()
            if not any(a in ("-S", "-B", "--preset") or a.startswith(("-S", "-B")) for a in args):
                continue  # --build, --install, -P, -E: not a configure
            configures += 1
            if "--preset" in args:
                continue
            src = args[args.index("-S") + 1] if "-S" in args[:-1] else ""
            if src.startswith(("$<CONSUMER_DIR>", "tests/")):
                subjects += 1
                continue
            fail("%s:%d: configures a tree without a preset (cmake -S/-B): %s" % (rel, first, m.group(0).strip()))

print("%s presets.py: %d configure presets (+%d bench), %d cmake configures in Makefile and mk/*.mk, "
      "%d of them test subjects (tests/ projects)" % ("ok  " if not failures else "FAIL", len(top), len(bench),
                                                      configures, subjects))
if failures:
    print("presets.py: every build tree of the suite comes from a preset (CMakePresets.json); "
          "configure it with `cmake --preset NAME` (Makefile: preset_build)", file=sys.stderr)
    sys.exit(1)
