#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Checks of the README (make test-readme).

  readme.py README.md [--build DIR]

1. It has a table of contents (## Contents) linking every ## section, and
   the comparison table (shmbox against POSIX mq, Boost.Interprocess,
   iceoryx, libmetal/rpmsg).
2. Every command it shows (each line of a ```sh block, each "$ " line) is
   one a test runs: COMMANDS below names, for each, the file that runs it
   and the text that shows it does; both are checked here, so the list
   cannot go stale silently. Commands no other test runs are run here:
   `make menuconfig` (in a pseudo-terminal: quit, save) and
   `make savedefconfig` (into a copy of the defconfig, which must mean the
   same configuration).
3. Every `make TARGET` it mentions in running text is a real target, and
   is a `make test` step or run by one, or named among the runs outside
   `make test`.
"""
import argparse
import fcntl
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
import time

ap = argparse.ArgumentParser()
ap.add_argument("readme")
ap.add_argument("--build", default="build")
args = ap.parse_args()
root = os.path.dirname(os.path.abspath(args.readme))
failures = []


def check(cond, what, detail=""):
    print("%s %s" % ("ok  " if cond else "FAIL", what))
    if not cond:
        if detail:
            print("     " + str(detail).replace("\n", "\n     "))
        failures.append(what)


def read(rel):
    return open(os.path.join(root, rel), encoding="utf-8").read()


# (README command pattern, file that runs it, text in that file that runs it)
COMMANDS = [
    (r"make demo$", "tests/demo/demo.sh", r"make --no-print-directory demo"),
    (r"make demo-hybrid$", "mk/85-hybrid.mk", r"\$\(MAKE\) --no-print-directory demo-hybrid"),
    (r"make test$", ".ci/run", r"^make test$"),
    (r"cmake -S \. -B build/rel -DCMAKE_BUILD_TYPE=Release -DSHMBOX_BUILD_TESTS=OFF$", "tests/install/install.sh",
     r"cmake -S \"\$src\" -B \"\$work/build\" -DCMAKE_BUILD_TYPE=Release -DSHMBOX_BUILD_TESTS=OFF"),
    (r"cmake --build build/rel -j2$", "tests/install/install.sh", r"cmake --build \"\$work/build\" -j"),
    (r"cmake --install build/rel --prefix /usr/local$", "tests/install/install.sh",
     r"cmake --install \"\$work/build\" --prefix"),
    (r"cc -std=c11 app\.c \$\(pkg-config --cflags --libs shmbox\)$", "mk/60-tools.mk",
     r"cc -std=c11 .*consumer\.c \\\n\s+\$\$\(PKG_CONFIG_PATH=\S+ pkg-config --cflags --libs shmbox\)"),
    (r"make menuconfig$", "tests/docs/readme.py", r"\"menuconfig\", \"BUILD="),
    (r"make savedefconfig$", "tests/docs/readme.py", r"\"savedefconfig\", \"BUILD="),
    (r"make savedefconfig DEFCONFIG_OUT=config/defconfig$", "tests/config/savedefconfig.sh", r"DEFCONFIG_OUT="),
    (r"make menuconfig DEFCONFIG=my.defconfig$", "tests/config/savedefconfig.sh", r"menuconfig BUILD=\S+ DEFCONFIG="),
    (r"make savedefconfig DEFCONFIG=my.defconfig DEFCONFIG_OUT=my.defconfig$", "tests/config/savedefconfig.sh",
     r"make savedefconfig DEFCONFIG=\$mine DEFCONFIG_OUT=\$mine"),
    (r"cmake -S \. -B build/x -DSHMBOX_CONFIG_FRAGMENTS=my\.conf$", "tests/config/errors.cmake",
     r"\$\{CMAKE_COMMAND\} -S \$\{SOURCE_DIR\} -B \$\{tree\}[^)]*-DSHMBOX_CONFIG_FRAGMENTS=\$\{frag\}"),
    (r"cmake --preset armhf -B build/armhf$", "Makefile", r"cmake --preset \$\(1\) -B \$\$d"),
    (r"cmake --build build/armhf -j2$", "Makefile", r"cmake --build \$\(BUILD\)/\$\(1\) -j"),
    (r"ctest --test-dir build/armhf$", "tests/cross/suite.sh", r"ctest --test-dir \"\$cross\""),
    (r"build/native/tools/layout/shmbox-layout > x86_64\.txt$", "tests/cross/mixed.sh",
     r"\"\$\{dir\[\$a\]\}/tools/layout/shmbox-layout\" >\"\$out/layout-\$a\.txt\""),
    (r"qemu-arm build/armhf/tools/layout/shmbox-layout > armhf\.txt$", "tests/cross/mixed.sh",
     r"\$\{emu\[\$a\]\} \"\$\{dir\[\$a\]\}/tools/layout/shmbox-layout\""),
    (r"diff x86_64\.txt armhf\.txt$", "tests/cross/mixed.sh", r"cmp -s \"\$out/layout-x86_64\.txt\""),
    (r"shmbox ls$", "tests/cli/test_cli.py", r"run\(\"ls\"\)"),
    (r"shmbox stat telemetry$", "tests/cli/test_cli.py", r"run\(\"stat\", live\)"),
    (r"shmbox peek telemetry 1 -n 1$", "tests/cli/test_cli.py", r"run\(\"peek\", live, \"2\", \"-n\", \"1\"\)"),
    (r"shmbox suggest telemetry > suggested\.conf; cat suggested\.conf$", "tests/suggest/test_suggest.py",
     r"suggest\(name\)"),
]

# make targets the README says run outside `make test`
OUTSIDE = {"soak", "fuzz", "bench", "bench-hybrid", "bench-load", "bench-callgrind", "docs-shot", "menuconfig",
           "savedefconfig", "clean", "cross", "test-crash", "test-crash-cross", "size", "size-readme", "test-size"}

text = read(os.path.basename(args.readme))

# ---- 1. contents and comparison ---------------------------------------------
sections = re.findall(r"^## (.+)$", re.sub(r"```.*?```", "", text, flags=re.S), flags=re.M)
toc = re.search(r"^## Contents\n(.*?)^## ", text, flags=re.S | re.M)
check(toc is not None, "the README has a table of contents (## Contents)")


def slug(title):
    t = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title).replace("`", "").strip().lower()
    return re.sub(r"[^\w\- ]", "", t).replace(" ", "-")


if toc:
    links = set(re.findall(r"\]\(#([^)]+)\)", toc.group(1)))
    missing = [s for s in sections if s != "Contents" and slug(s) not in links]
    check(not missing, "the table of contents links every section", missing)
    anchors = {slug(s) for s in re.findall(r"^#{2,3} (.+)$", text, flags=re.M)}
    dangling = sorted(l for l in links if l not in anchors)
    check(not dangling, "every link of the table of contents has its section", dangling)
    files = re.findall(r"\]\((docs/[^)#]+)\)", text)
    check(files and all(os.path.isfile(os.path.join(root, f)) for f in files), "the docs/ files it links exist",
          [f for f in files if not os.path.isfile(os.path.join(root, f))])
table = re.search(r"^## Why shmbox\n(.*?)^## ", text, flags=re.S | re.M)
head = re.search(r"^\|.*\|$", table.group(1), flags=re.M).group(0) if table else ""
check(all(n in head for n in ("shmbox", "POSIX mq", "Boost.Interprocess", "iceoryx", "libmetal")),
      "the comparison table compares shmbox with POSIX mq, Boost.Interprocess, iceoryx and libmetal/rpmsg", head)
check(table is not None and len(re.findall(r"^\|", table.group(1), flags=re.M)) >= 8,
      "the comparison table has rows")

# ---- 2. every command shown is run by a test -------------------------------
shown, block = [], None
for line in text.splitlines():
    if line.startswith("```"):
        block = None if block is not None else line[3:].strip()
        continue
    if block == "sh" and line.strip():
        shown.append(re.sub(r"\s+#.*$", "", line).strip())
    elif block is not None and line.startswith("$ "):
        shown.append(line[2:].strip())
check(len(shown) >= 10, "commands found in the README (%d)" % len(shown))
for cmd in shown:
    hits = [(f, needle) for pat, f, needle in COMMANDS if re.match(pat, cmd)]
    ok = bool(hits) and all(os.path.isfile(os.path.join(root, f)) and re.search(needle, read(f), flags=re.M)
                            for f, needle in hits)
    check(ok, "run by a test: %s" % cmd, "no entry in COMMANDS" if not hits else "%s no longer runs it" % hits)

# ---- 3. make targets in running text ----------------------------------------
mk = read("Makefile") + "".join(read(os.path.join("mk", f)) for f in sorted(os.listdir(os.path.join(root, "mk"))))
targets = set(re.findall(r"^([a-z][\w-]*):", mk, flags=re.M))
steps = set(" ".join(re.findall(r"^TEST_STEPS \+= (.*)$", mk, flags=re.M)).split())
# targets that are no step themselves, and the step's recipe that runs them
run_by_steps = {"demo": ("tests/demo/demo.sh", r"make --no-print-directory demo "),
                "demo-armhf": ("mk/65-user.mk", r"\$\(MAKE\) --no-print-directory demo-armhf"),
                "demo-hybrid": ("mk/85-hybrid.mk", r"\$\(MAKE\) --no-print-directory demo-hybrid"),
                "docs": ("mk/60-tools.mk", r"^test-docs: docs$"),
                "test": (".ci/run", r"^make test$")}
for t in sorted(set(re.findall(r"`make (?:[A-Z]+=\S+ )*([a-z][\w-]*)", text))):
    check(t in targets and (t in steps or t in run_by_steps or t in OUTSIDE),
          "make %s: a target, run by make test or named as outside it" % t)
for t, (f, needle) in sorted(run_by_steps.items()):
    check(re.search(needle, read(f), flags=re.M) is not None, "make %s is run by %s" % (t, f))


# ---- the commands no other test runs ---------------------------------------
def menuconfig(build):
    """make menuconfig in a pseudo-terminal: wait for the menu, Q(uit), Y(es, save)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    env["TERM"] = "xterm"
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(root)
        os.execvpe("make", ["make", "--no-print-directory", "menuconfig", "BUILD=" + build, "DEPS=true"], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    out, keys, quiet, deadline = b"", [b"Q", b"Y"], time.time(), time.time() + 120
    while time.time() < deadline:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            out, quiet = out + data, time.time()
        elif out and keys and time.time() - quiet > 1.5:
            os.write(fd, keys.pop(0))
            quiet = time.time()
    if time.time() >= deadline:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out.decode("utf-8", "replace")


def values(path):
    sys.path.insert(0, "/usr/lib/python3/dist-packages")
    import kconfiglib
    k = kconfiglib.Kconfig(os.path.join(root, "Kconfig"), warn_to_stderr=False)
    k.load_config(path)
    return {s.name: s.str_value for s in k.unique_defined_syms}


work = os.path.abspath(os.path.join(args.build, "readme"))
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
rc, out = menuconfig(work)
check(rc == 0 and "Now 'make savedefconfig' writes" in out and os.path.isfile(os.path.join(work, "kconfig", ".config")),
      "make menuconfig runs (quit, save)", out[-500:])
copy = os.path.join(work, "defconfig.copy")
shutil.copy(os.path.join(root, "config", "defconfig"), copy)
p = subprocess.run(["make", "--no-print-directory", "savedefconfig", "BUILD=" + work, "DEPS=true", "DEFCONFIG=" + copy, "DEFCONFIG_OUT=" + copy],
                   cwd=root, capture_output=True, text=True)
check(p.returncode == 0 and values(copy) == values(os.path.join(root, "config", "defconfig")),
      "make savedefconfig writes a defconfig of the same configuration", p.stdout + p.stderr)

# The README says how many steps `make test` runs: the Makefile's count.
db = subprocess.run(["make", "--no-print-directory", "-pn", "-f", "Makefile", "help"], cwd=root,
                    capture_output=True, text=True).stdout
steps = re.search(r"^TEST_STEPS :?= (.*)$", db, flags=re.M)
said = re.search(r"steps: (\d+) passed, 0 failed", text)
check(steps is not None and said is not None and int(said.group(1)) == len(steps.group(1).split()),
      "the README's step count is make test's (%s)" % (len(steps.group(1).split()) if steps else "?"),
      said.group(0) if said else "no 'steps: N passed' in the README")

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
