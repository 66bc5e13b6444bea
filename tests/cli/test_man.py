#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The shmbox(1) man page: current with its scdoc source, installed with the
tool by `cmake --install`, rendered by `man -l`, and listing exactly the
commands `shmbox --help` lists (and the same options per command)."""
import argparse
import os
import re
import shutil
import subprocess
import tempfile

from clitool import check, finish

ap = argparse.ArgumentParser()
ap.add_argument("--cli", required=True)
ap.add_argument("--build", required=True, help="the build tree to install")
ap.add_argument("--source", required=True, help="tools/cli of the source tree")
args = ap.parse_args()
scd = os.path.join(args.source, "shmbox.1.scd")
committed = open(os.path.join(args.source, "shmbox.1")).read()
scdoc = shutil.which("scdoc")
check(scdoc is not None, "scdoc is installed (tools/deps.sh tools)")
if scdoc:
    epoch = open(os.path.join(args.source, "shmbox.1.date")).read().strip()
    gen = subprocess.run([scdoc], stdin=open(scd), capture_output=True, text=True,
                         env=dict(os.environ, SOURCE_DATE_EPOCH=epoch))
    check(gen.returncode == 0 and gen.stdout == committed,
          "tools/cli/shmbox.1 is current with shmbox.1.scd (run tools/cli/gen-man.sh)", gen.stderr)

with tempfile.TemporaryDirectory() as prefix:
    inst = subprocess.run(["cmake", "--install", args.build, "--prefix", prefix], capture_output=True, text=True)
    page = os.path.join(prefix, "share", "man", "man1", "shmbox.1")
    check(inst.returncode == 0 and os.path.isfile(page), "cmake --install puts share/man/man1/shmbox.1",
          inst.stdout + inst.stderr)
    env = dict(os.environ, MANWIDTH="100", MAN_KEEP_FORMATTING="0", LC_ALL="C.UTF-8")
    man = subprocess.run(["man", "-l", page], capture_output=True, text=True, env=env) if os.path.isfile(page) \
        else subprocess.CompletedProcess([], 1, "", "not installed")
    text = re.sub(r".\x08", "", man.stdout)
    check(man.returncode == 0 and "NAME" in text and "shmbox - inspect and manage" in text
          and "EXIT STATUS" in text and man.stderr.strip() == "",
          "man -l renders the installed page without warnings", man.stderr[-2000:])

# The commands of `shmbox --help` and of the man page's COMMANDS section.
help_out = subprocess.run([args.cli, "--help"], capture_output=True, text=True).stdout
cmds = help_out.split("commands:\n", 1)[1].split("\n\n", 1)[0]
help_cmds = [l.split()[0] for l in cmds.splitlines() if l.startswith("  ") and not l.startswith("    ")]
section = text.split("COMMANDS", 1)[1].split("EXIT STATUS", 1)[0] if "COMMANDS" in text else ""
man_cmds = []
for l in section.splitlines():
    m = re.match(r"^ {7}([a-z]+)\b", l)
    if m and m.group(1) not in man_cmds:
        man_cmds.append(m.group(1))
check(help_cmds != [] and help_cmds == man_cmds, "shmbox --help and the man page list the same commands",
      "help %r\nman  %r" % (help_cmds, man_cmds))

# Every long option a command's --help documents is in the man page, and
# the reverse.
for c in help_cmds:
    sub = subprocess.run([args.cli, c, "--help"], capture_output=True, text=True).stdout
    opts = set(re.findall(r"--[a-z]+", sub)) - {"--help"}
    missing = sorted(o for o in opts if o not in text)
    check(not missing, "the man page documents every option of '%s'" % c, repr(missing))
man_opts = set(re.findall(r"--[a-z]+", text)) - {"--help", "--version"}
all_help = "".join(subprocess.run([args.cli, c, "--help"], capture_output=True, text=True).stdout
                   for c in help_cmds)
extra = sorted(o for o in man_opts if o not in all_help)
check(not extra, "the man page documents no option the tool lacks", repr(extra))

finish()
