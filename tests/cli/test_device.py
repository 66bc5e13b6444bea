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

import clitool
from clitool import check, expect_error, finish, hold, release, run

ap = argparse.ArgumentParser()
ap.add_argument("--cli", required=True)
ap.add_argument("--device-fixture", required=True, help="cli-fixture built with CONFIG_SHMBOX_DEVICE")
ap.add_argument("--cli-device", action="store_true", help="the tool's library has CONFIG_SHMBOX_DEVICE")
args = ap.parse_args()

clitool.setup(args.cli)
TAG = "clidev%d" % os.getpid()
memfile = "/dev/shm/%s-board.mem" % TAG
oddfile = "/dev/shm/%s-we\"ird\\x\t\x01.mem" % TAG
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
    # JSON strings are escaped: the same region under a path with '"', '\\'
    # and control characters
    os.link(memfile, oddfile)
    odd = oddfile + "@0x100000"
    for argv in (["ls", "-j", odd], ["stat", odd, "-j"], ["peek", odd, "1", "-j"]):
        rc, out, err = run(*argv)
        try:
            doc = json.loads(out)
        except ValueError as e:
            doc = {"error": str(e)}
        names = [r.get("name") for r in doc] if isinstance(doc, list) else [doc.get("name")]
        check(rc == 0 and odd in names, "%s: valid JSON naming the locator as given" % argv[0], out + err)
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
    release(remove=False)
    for f in (memfile, oddfile):
        if os.path.exists(f):
            os.unlink(f)

finish()
