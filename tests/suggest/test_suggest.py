#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`shmbox suggest` against a region with known peaks.

suggest-peaks (peaks.c) makes a region with known peaks: pools 0/1/2 at
10/3/1 slots, mailboxes 0/1 at 12/5 messages, one process. The tool must
print exactly the fragment those peaks give with the stated headroom
(the region's other layout values, read from this build's .config, kept),
and that fragment, merged over the defconfig, must build the same program
(tests/suggest/app) and run it: its peaks fit. A fragment one slot short
of pool 0's peak must make the program fail, so the peaks are real.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from clitool import check, failures  # noqa: E402 (the tool tests' helpers)

ap = argparse.ArgumentParser()
ap.add_argument("--cli", required=True)
ap.add_argument("--peaks", required=True)
ap.add_argument("--source", required=True)
ap.add_argument("--dotconfig", required=True)
ap.add_argument("--work", required=True)
ap.add_argument("--c-compiler", default="cc")
args = ap.parse_args()

TAG = "sug%d" % os.getpid()
POOL_PEAKS = [10, 3, 1]
MBOX_PEAKS = [12, 5]
holders = []


def cfg(path):
    vals = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"CONFIG_(\w+)=(\d+)$", line.strip())
            if m:
                vals[m.group(1)] = int(m.group(2))
    return vals


def ceil_pct(n, pct, lo):
    return max(lo, (n * (100 + pct) + 99) // 100)


def expected(name, pct, c):
    """The fragment the sizing rules (tools/cli/cmd_suggest.c) give."""
    pools = c["SHMBOX_POOL_COUNT"]
    out = ['# shmbox suggest: sized from the peaks of region "%s" with %d%% headroom.' % (name, pct),
           "# Merge over the defconfig: -DSHMBOX_CONFIG_FRAGMENTS=<this file>.",
           "CONFIG_SHMBOX_PAGE_SIZE=%d" % c["SHMBOX_PAGE_SIZE"],
           "CONFIG_SHMBOX_POOL_COUNT=%d" % pools]
    for p in range(pools):
        peak = POOL_PEAKS[p] if p < len(POOL_PEAKS) else 0
        size, count = c["SHMBOX_POOL%d_SLOT_SIZE" % p], c["SHMBOX_POOL%d_SLOT_COUNT" % p]
        out += ["# pool %d: peak %d of %d slots of %d bytes" % (p, peak, count, size),
                "CONFIG_SHMBOX_POOL%d_SLOT_SIZE=%d" % (p, size),
                "CONFIG_SHMBOX_POOL%d_SLOT_COUNT=%d" % (p, ceil_pct(peak, pct, 1))]
    peaks = MBOX_PEAKS[:c["SHMBOX_MBOX_COUNT"]]
    depth = 1
    while depth < ceil_pct(max(peaks), pct, 2):
        depth *= 2
    out += ["# mailboxes: highest peak %d of %d messages (mailbox %d)"
            % (max(peaks), c["SHMBOX_MBOX_DEPTH"], peaks.index(max(peaks))),
            "CONFIG_SHMBOX_MBOX_COUNT=%d" % c["SHMBOX_MBOX_COUNT"],
            "CONFIG_SHMBOX_MBOX_DEPTH=%d" % depth,
            "CONFIG_SHMBOX_MSG_SIZE=%d" % c["SHMBOX_MSG_SIZE"],
            "# processes: process table entries in use now: 1 (1 live) of %d" % c["SHMBOX_MAX_PROCS"],
            "CONFIG_SHMBOX_MAX_PROCS=%d" % ceil_pct(1, pct, 1)]
    return "\n".join(out) + "\n"


def hold(prog, name, *extra):
    p = subprocess.Popen([prog, name] + list(extra), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    if line.strip() != "ready":
        p.kill()
        raise SystemExit("%s %s did not start: %r" % (prog, name, line))
    holders.append(p)
    return p


def release(p):
    out, _ = p.communicate(timeout=30)
    return p.returncode


def suggest(*argv):
    p = subprocess.run([args.cli, "suggest"] + list(argv), capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout, p.stderr


def build_and_run(label, fragments):
    """Build tests/suggest/app with the fragments; run it; its exit code and output."""
    tree = os.path.join(args.work, label)
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(tree)
    frag = os.path.join(tree, "layout.conf")
    with open(frag, "w", encoding="utf-8") as f:
        f.write("".join(fragments))
    conf = subprocess.run(["cmake", "-S", os.path.join(args.source, "tests", "suggest", "app"), "-B", tree,
                           "-DSHMBOX_DIR=" + args.source, "-DSUGGEST_FRAGMENT=" + frag,
                           "-DCMAKE_BUILD_TYPE=RelWithDebInfo", "-DCMAKE_C_COMPILER=" + args.c_compiler,
                           "-DSHMBOX_BUILD_TESTS=OFF", "-DSHMBOX_BUILD_EXAMPLES=OFF"],
                          capture_output=True, text=True)
    if conf.returncode != 0:
        return None, conf.stdout + conf.stderr, {}
    b = subprocess.run(["cmake", "--build", tree, "--target", "suggest-peaks", "-j", os.environ.get("JOBS", "2")],
                       capture_output=True, text=True)
    if b.returncode != 0:
        return None, b.stdout + b.stderr, {}
    built = cfg(os.path.join(tree, "shmbox", "shmbox-config", ".config"))
    name = "%s-%s" % (TAG, label)
    r = subprocess.run([os.path.join(tree, "suggest-peaks"), name], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=60)
    subprocess.run([args.cli, "rm", "--force", name], capture_output=True)
    return r.returncode, r.stdout + r.stderr, built


try:
    c = cfg(args.dotconfig)
    name = TAG + "-region"
    p = hold(args.peaks, name)

    rc, out, err = suggest(name)
    want25 = expected(name, 25, c)
    check(rc == 0 and out == want25, "suggest NAME: the fragment of the known peaks with 25% headroom",
          "exit %d\n--- got\n%s--- expected\n%s--- stderr\n%s" % (rc, out, want25, err))
    rc, out0, err = suggest(name, "--headroom", "0")
    want0 = expected(name, 0, c)
    check(rc == 0 and out0 == want0, "suggest NAME --headroom 0: exactly the peaks",
          "exit %d\n--- got\n%s--- expected\n%s--- stderr\n%s" % (rc, out0, want0, err))
    rc, out100, _ = suggest("--headroom=100", name)
    check(rc == 0 and out100 == expected(name, 100, c), "suggest --headroom=100 NAME")
    rc, out10, _ = suggest(name, "-H", "10")
    check(rc == 0 and out10 == expected(name, 10, c), "suggest NAME -H 10")

    # Bad command lines and missing regions: one line, documented exit codes.
    for argv, code, needle in ((["--headroom", "x", name], 2, "--headroom"),
                               (["--headroom", "1001", name], 2, "--headroom"),
                               ([name, "--bogus"], 2, "--bogus"),
                               ([], 2, "missing region name"),
                               ([name, name], 2, "unexpected argument"),
                               (["-H"], 2, "-H"),
                               (["bad/name"], 2, "bad/name"),
                               ([TAG + "-none"], 3, TAG + "-none")):
        rc, out, err = suggest(*argv)
        check(rc == code and len(err.strip().splitlines()) == 1 and needle in err and out == ""
              and err.startswith("shmbox: suggest: "),
              "suggest %s -> exit %d" % (" ".join(argv), code), "exit %d, stderr %r" % (rc, err))
    rc, out, _ = suggest("--help")
    check(rc == 0 and "usage: shmbox suggest" in out, "suggest --help")
    check(release(p) == 0, "the program with known peaks ended cleanly")

    # A region without traffic has no peaks: nothing to size from (exit 1, says why).
    p = hold(args.peaks, name, "idle")
    rc, out, err = suggest(name)
    check(rc == 1 and out == "" and len(err.strip().splitlines()) == 1 and "no peaks recorded" in err
          and err.startswith("shmbox: suggest: region "),
          "suggest on a region without peaks -> exit 1, no peaks recorded", "exit %d, stderr %r" % (rc, err))
    check(release(p) == 0, "the idle program ended cleanly")

    # The fragment builds the program, which then runs within it.
    for label, text, pct in (("headroom25", want25, 25), ("headroom0", want0, 0)):
        rc, log, built = build_and_run(label, [text])
        check(rc == 0, "the %d%% fragment builds suggest-peaks and it runs" % pct, log[-3000:])
        want = dict(re.findall(r"CONFIG_(\w+)=(\d+)", text))
        check(rc is not None and all(built.get(k) == int(v) for k, v in want.items()),
              "the %d%% build has the fragment's layout" % pct,
              "built: %r" % {k: built.get(k) for k in want})
    # One slot short of pool 0's peak: the program must fail (the peaks are real).
    short = re.sub(r"(?m)^CONFIG_SHMBOX_POOL0_SLOT_COUNT=\d+$",
                   "CONFIG_SHMBOX_POOL0_SLOT_COUNT=%d" % (POOL_PEAKS[0] - 1), want0)
    rc, log, _ = build_and_run("short", [short])
    check(rc == 1 and "slots" in log, "one slot fewer than pool 0's peak: the program fails", log[-2000:])
finally:
    for h in holders:
        if h.poll() is None:
            h.kill()
            h.wait()
    subprocess.run([args.cli, "rm", "--force", TAG + "-region"], capture_output=True)

if failures:
    print("%d check(s) failed: %s" % (len(failures), "; ".join(failures)))
    sys.exit(1)
print("all suggest checks passed")
