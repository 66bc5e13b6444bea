#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Tests of the shmbox tool on a device region: a region in a file at an
offset (docs/porting.md, "Device regions"), made by cli-fixture-device
(cli-fixture on the library copy with CONFIG_SHMBOX_DEVICE,
tests/support/device.cmake). ls, stat, peek and rm handle it in any build of the
tool; send attaches through the tool's library, so it works only when that
has CONFIG_SHMBOX_DEVICE (--cli-device) and says so otherwise.
"""
import argparse
import json
import os
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--cli", required=True)
ap.add_argument("--device-fixture", required=True, help="cli-fixture built with CONFIG_SHMBOX_DEVICE")
ap.add_argument("--cli-device", action="store_true", help="the tool's library has CONFIG_SHMBOX_DEVICE")
args = ap.parse_args()

TAG = "clidev%d" % os.getpid()
failures = []
holders = []


def check(cond, what, detail=""):
    print("%s %s" % ("ok  " if cond else "FAIL", what))
    if not cond:
        if detail:
            print("     " + detail.replace("\n", "\n     "))
        failures.append(what)


def run(*argv, timeout=20):
    p = subprocess.run([args.cli] + list(argv), capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def expect_error(argv, code, *needles):
    """The command fails with exit code `code` and ONE line naming the reason."""
    rc, out, err = run(*argv)
    lines = err.strip().splitlines()
    ok = rc == code and len(lines) == 1 and all(n in err for n in needles)
    check(ok, "%s -> exit %d, %s" % (" ".join(argv), code, " / ".join(needles)),
          "exit %d, stderr: %r" % (rc, err))


def hold(prog, name):
    p = subprocess.Popen([prog, "hold", name], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    if line.strip() != "ready":
        raise SystemExit("%s hold %s did not start: %r" % (prog, name, line))
    holders.append(p)
    return p


memfile = "/dev/shm/%s-board.mem" % TAG
try:
    with open(memfile, "wb") as f:
        f.write(b"\xa5" * (16 << 20))
    loc = memfile + "@0x100000"
    fx = hold(args.device_fixture, loc)
    rc, out, err = run("stat", loc, "--json")
    check(rc == 0 and json.loads(out)["port"] == "device" and json.loads(out)["attached"] == 1,
          "stat /PATH@OFFSET reads a device region", out + err)
    rc, out, err = run("ls", "--json", loc)
    rows = {r["name"]: r for r in json.loads(out)} if rc == 0 else {}
    check(rows.get(loc, {}).get("port") == "device" and rows[loc]["state"] == "live"
          and rows[loc]["layout"] == "this", "ls lists a device region named as an operand", out + err)
    rc, out, err = run("peek", loc, "1", "-j")
    check(rc == 0 and json.loads(out)["mailboxes"][0]["count"] == 3, "peek reads a device region", out + err)
    if args.cli_device:
        rc, out, err = run("send", loc, "3", "hello")
        check(rc == 0, "send attaches to a device region (tool built with CONFIG_SHMBOX_DEVICE)", out + err)
    else:
        expect_error(["send", loc, "3", "hello"], 3, 'region "%s"' % loc, "no CONFIG_SHMBOX_DEVICE")
    expect_error(["stat", memfile + "@0x1001"], 2, "invalid region name", "/PATH@OFFSET")
    expect_error(["stat", memfile + "@12ab"], 2, "invalid region name")
    expect_error(["ls", memfile + "@0x1001"], 2, "invalid region name")
    expect_error(["stat", "/nonexistent/board.mem@0"], 3, 'region "/nonexistent/board.mem@0"')
    expect_error(["rm", loc], 7, 'region "%s"' % loc, "live process")
    fx.stdin.close()
    fx.wait()
    expect_error(["stat", loc], 8, 'region "%s"' % loc, "not a shmbox region", "no region here")
    # rm invalidates in place (the tool does it itself, whatever its build)
    fx = hold(args.device_fixture, loc)
    rc, out, err = run("rm", "--force", loc)
    check(rc == 0, "rm --force invalidates a live device region", out + err)
    fx.stdin.close()
    fx.wait()
    expect_error(["stat", loc], 8, 'region "%s"' % loc, "no region here")
    expect_error(["rm", loc], 8, 'region "%s"' % loc, "not a shmbox region")
    check(os.path.getsize(memfile) == 16 << 20, "removing a device region leaves its file")
    with open(memfile, "rb") as f:
        head = f.read(0x100000)
    check(head == b"\xa5" * 0x100000, "the bytes before the device region are untouched")
finally:
    for p in holders:
        if p.poll() is None:
            p.kill()
            p.wait()
    if os.path.exists(memfile):
        os.unlink(memfile)

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
