#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Tests of the shmbox tool against real regions.

Regions come from cli-fixture (this build's layout, with traffic in it),
from the add_subdirectory consumer built with another Kconfig fragment
(tests/consumer/subdir: the layout-mismatch cases), from a SysV segment
holding a copy of a real region, and from a file that is no region at all.
Every error path checks the one-line message and the exit code.
"""
import argparse
import ctypes
import json
import os
import pwd
import signal
import subprocess
import sys
import time

import clitool
from clitool import check, expect_error, finish, hold, ls_rows, release, run

ap = argparse.ArgumentParser()
ap.add_argument("--cli", required=True)
ap.add_argument("--fixture", required=True)
ap.add_argument("--foreign", required=True, help="consumer built with tests/consumer/subdir/consumer.config")
ap.add_argument("--setpriv", default="setpriv")
args = ap.parse_args()

clitool.setup(args.cli, args.setpriv)
TAG = "cli%d" % os.getpid()


try:
    # ---- help, version and usage ---------------------------------------------
    rc, out, _ = run("--help")
    check(rc == 0 and "exit status" in out and "stat " in out, "shmbox --help documents commands and exit codes")
    rc2, out2, _ = run("-h")
    check(rc2 == 0 and out2 == out, "shmbox -h is --help")
    for flag in ("-V", "--version"):
        rc, out, _ = run(flag)
        check(rc == 0 and out.startswith("shmbox ") and "layout version" in out and "fingerprint 0x" in out,
              "shmbox %s prints the version" % flag, out)
    for sub in ("ls", "stat", "peek", "send", "recv", "reclaim", "rm"):
        for flag in ("--help", "-h"):
            rc, out, _ = run(sub, flag)
            check(rc == 0 and out.startswith("usage: shmbox " + sub) and "Exit status" in out,
                  "shmbox %s %s" % (sub, flag))
    expect_error(["frobnicate"], 2, "shmbox: unknown command 'frobnicate'")
    expect_error(["-Q"], 2, "shmbox: unknown option '-Q'")
    expect_error(["stat"], 2, "shmbox: stat: missing region name")
    expect_error(["stat", "x", "--bogus"], 2, "shmbox: stat: unknown option '--bogus'")
    expect_error(["stat", "x", "--watch", "0"], 2, "--watch")
    expect_error(["stat", "x", "--watch=0"], 2, "--watch")
    expect_error(["stat", "x", "--json=yes"], 2, "option '--json' takes no value")
    expect_error(["recv", "x", "0", "--timeout"], 2, "option '--timeout' needs a value")
    expect_error(["recv", "x", "0", "-t"], 2, "option '-t' needs a value")
    expect_error(["send", "x", "0"], 2, "missing text")
    expect_error(["recv", "x", "zero"], 2, "bad mailbox number")
    expect_error(["rm"], 2, "shmbox: rm: missing region name")
    expect_error(["peek"], 2, "shmbox: peek: missing region name")
    expect_error(["reclaim"], 2, "shmbox: reclaim: missing region name")
    # one error format: "shmbox: CMD: MESSAGE", the command named once
    rc, _, err = run("ls", "extra")
    check(rc == 2 and err.startswith("shmbox: ls: unexpected argument 'extra'") and err.count("ls:") == 1,
          "errors name the command once (shmbox: ls: ...)", err)

    # ---- a live region of this build's layout ----------------------------
    live = TAG + "-live"
    fx = hold(args.fixture, live)
    regions = ls_rows()
    check(regions.get(live, {}).get("state") == "live" and regions[live]["attached"] == 1
          and regions[live]["layout"] == "this" and regions[live]["creator_alive"],
          "ls lists the live region (1 process, creator alive, this layout)", repr(regions.get(live)))
    rc, out, _ = run("ls")
    check(rc == 0 and any(l.split()[:2] == [live, "posix"] and l.endswith("live") for l in out.splitlines()),
          "ls table shows the region as live", out)

    rc, out, err = run("stat", live, "--json")
    try:
        tool = json.loads(out)
    except ValueError as e:
        tool = None
        check(False, "stat --json is valid JSON", "%s: %r" % (e, out))
    check(subprocess.run([sys.executable, "-m", "json.tool"], input=out, capture_output=True, text=True)
          .returncode == 0, "stat --json passes python -m json.tool")
    api = json.loads(subprocess.run([args.fixture, "statjson", live], capture_output=True, text=True,
                                    check=True).stdout)
    if tool is not None:
        check(tool["source"] == "header" and tool["same_layout"], "stat reads the header (same layout)")
        # statjson attaches to take shmbox_stat(): it sees one process more
        check(tool["attached"] == 1 and api["attached"] == 2,
              "stat does not attach: 1 process (the holder); shmbox_stat() from an attached process sees 2",
              "tool %r api %r" % (tool["attached"], api["attached"]))
        for key in ("pool_count", "mbox_count", "recoveries", "pools", "mailboxes"):
            check(tool[key] == api[key], "stat --json %s matches shmbox_stat()" % key,
                  "tool %r\napi  %r" % (tool[key], api[key]))
        check(any(m["count"] > 0 for m in tool["mailboxes"]) and any(p["used"] > 0 for p in tool["pools"]),
              "the compared numbers are not all zero")
    # stat leaves the process count unchanged: many stats, then the count
    for _ in range(3):
        run("stat", live)
        run("stat", live, "--json")
        run("ls")
    again = json.loads(run("stat", live, "--json")[1])
    check(again["attached"] == 1 and len(again["processes"]) == 1, "stat and ls leave the process count unchanged",
          repr(again["processes"]))
    check(ls_rows().get(live, {}).get("attached") == 1, "ls counts 1 process too")

    rc, out, _ = run("stat", live)
    check(rc == 0 and "same as this build" in out and "1 attached" in out and "read without locks" in out
          and "mbox" in out and "this command" not in out, "stat prints the readable table", out)
    p = subprocess.Popen([args.cli, "stat", live, "--watch", "1"], stdout=subprocess.PIPE, text=True)
    time.sleep(2.5)
    p.send_signal(signal.SIGINT)
    out = p.communicate()[0]
    check(out.count("region %s:" % live) >= 2, "stat --watch 1 refreshes", out[-300:])
    p = subprocess.Popen([args.cli, "stat", "-w1", live], stdout=subprocess.PIPE, text=True)
    time.sleep(1.5)
    p.send_signal(signal.SIGINT)
    out = p.communicate()[0]
    check(out.count("region %s:" % live) >= 1, "stat -w1 (short option, value attached)", out[-300:])

    # ls: sorted, owner and mode columns, aligned
    rc, out, _ = run("ls")
    lines = out.splitlines()
    head = lines[0].split()
    check(head[:6] == ["NAME", "PORT", "OWNER", "MODE", "SIZE", "PROCS"], "ls has OWNER and MODE columns", lines[0])
    names = [l.split()[0] for l in lines[1:]]
    check(names == sorted(names), "ls is sorted by name", "\n".join(names))
    row = [l for l in lines if l.split()[0] == live]
    me = pwd.getpwuid(os.geteuid()).pw_name
    check(len(row) == 1 and row[0].split()[2] == me and row[0].split()[3] == "0600",
          "ls shows the owner and mode", repr(row))
    starts = [lines[0].index(h) for h in ("PORT", "OWNER", "MODE", "CREATOR", "STATE")]
    check(all(len(l) > max(starts) and all(l[i - 2:i] == "  " and l[i] != " " for i in starts if i < len(l))
              for l in lines[1:] if "-" not in l.split()[5]),
          "ls columns are aligned under their headings", out)
    check(run("ls", "--json")[0] == 0 and run("ls", "-j")[1].startswith("["), "ls -j / --json")

    # peek: the queued messages, and the queue stays as it was
    before = json.loads(run("stat", live, "--json")[1])["mailboxes"]
    rc, out, err = run("peek", live, "--json")
    pk = json.loads(out) if rc == 0 else {"mailboxes": []}
    msgs = [x for m in pk["mailboxes"] for x in m["messages"]]
    check(rc == 0 and [m["count"] for m in pk["mailboxes"]] == [m["count"] for m in before]
          and len(msgs) == sum(m["count"] for m in before)
          and all(bytes.fromhex(x["hex"]) == b"fixture" and x["kind"] == "copy" for x in msgs[:-1])
          and bytes.fromhex(msgs[-1]["hex"]) == b"fixture slot" and msgs[-1]["kind"] == "slot",
          "peek --json lists every queued message (copies, and a slot's payload)", out + err)
    rc, out, err = run("peek", live, "1")
    check(rc == 0 and "mailbox 1: 3 queued" in out and "66 69 78 74 75 72 65" in out and "|fixture|" in out
          and "text: fixture" in out and "mailbox 0" not in out, "peek NAME MBOX: hex and text of one mailbox",
          out + err)
    rc, out, _ = run("peek", live, "2", "-n", "1")
    check(rc == 0 and out.count("text: fixture") == 1 and "(3 more)" in out, "peek -n 1 shows one", out)
    rc, out2, _ = run("peek", live, "2", "--max=1")
    check(out2 == out, "peek --max=1 is -n 1")
    after = json.loads(run("stat", live, "--json")[1])["mailboxes"]
    check(after == before, "peek leaves the queues unchanged (count, sent, received)",
          "before %r\nafter  %r" % (before, after))
    expect_error(["peek", live, "9"], 2, 'region "%s"' % live, "no mailbox 9")

    # send / recv: the fixture left 2 messages in mailbox 0 (FIFO before ours)
    rc, out, err = run("send", live, "0", "hello from the cli")
    check(rc == 0, "send", err)
    got = [run("recv", live, "0", "--timeout", "1000"), run("recv", live, "0", "--timeout=1000"),
           run("recv", live, "0", "-t1000")]
    check([g[1] for g in got] == ["fixture\n", "fixture\n", "hello from the cli\n"] and all(g[0] == 0 for g in got),
          "recv returns the messages in FIFO order (--timeout MS, --timeout=MS, -tMS)", repr(got))
    # output forms: raw (not a terminal), escaped text, hex
    run("send", live, "0", "tab\there\x01\\")
    run("send", live, "0", "tab\there\x01\\")
    run("send", "-t", "100", live, "0", "tab\there\x01\\")
    rc, out, _ = run("recv", live, "0", "--escape", "-t", "0")
    check(rc == 0 and out == "tab\\there\\x01\\\\\n", "recv --escape escapes the bytes", repr(out))
    rc, out, _ = run("recv", live, "0", "-x", "-t", "0")
    check(rc == 0 and out.startswith("00000000  74 61 62 09 68 65 72 65  01 5c") and out.rstrip().endswith("|tab.here.\\|"),
          "recv --hex dumps the bytes", repr(out))
    rc, out, _ = run("recv", live, "0", "--raw", "-t", "0")
    check(rc == 0 and out == "tab\there\x01\\\n", "recv --raw writes the bytes", repr(out))
    t0 = time.monotonic()
    expect_error(["recv", live, "0", "--timeout", "200"], 6, 'region "%s"' % live, "timed out")
    check(time.monotonic() - t0 >= 0.2, "recv --timeout waits the time asked")
    expect_error(["recv", live, "0", "--timeout", "0"], 6, 'region "%s"' % live, "would block")
    expect_error(["send", live, "9", "x"], 2, 'region "%s"' % live, "no mailbox 9")
    expect_error(["send", live, "0", "x" * 200], 1, 'region "%s"' % live, "message or buffer size")

    # permission: the region is 0600; as root, the tool runs as nobody (who may
    # neither read nor attach); as another user, the object is made mode 0000
    obj = "/dev/shm/shmbox." + live
    user = "nobody" if os.geteuid() == 0 else None
    if user is None:
        os.chmod(obj, 0)
    for argv, code in ((["stat", live], 4), (["stat", live, "--json"], 4), (["send", live, "0", "x"], 4),
                       (["recv", live, "0", "--timeout", "0"], 4), (["rm", live], 4)):
        expect_error(argv, code, 'region "%s"' % live, "permission denied", user=user)
    if user is None:
        os.chmod(obj, 0o600)
    check(live in ls_rows(), "the region survived nobody's attempts")

    # rm refuses a live region, then removes it once it is stale
    expect_error(["rm", live], 7, 'region "%s"' % live, "live process")
    fx.kill()
    fx.wait()
    rc, out, _ = run("stat", live)
    check(rc == 0 and "processes   0 attached, 1 dead entry: %d (dead)" % fx.pid in out,
          "after a SIGKILL stat counts what it lists: 0 attached, 1 dead entry", out)
    # the fixture died holding two slots: reclaim frees them, once
    rc, out, err = run("reclaim", live)
    check(rc == 0 and out == "reclaimed 2 slots\n", "reclaim frees the dead process's 2 slots", out + err)
    rc, out, err = run("reclaim", live)
    check(rc == 0 and out == "reclaimed 0 slots\n", "reclaim again frees nothing", out + err)
    check(json.loads(run("stat", live, "--json")[1])["pools"][0]["used"] == 0, "stat shows the slots free")
    regions = ls_rows()
    check(regions.get(live, {}).get("state") == "stale" and regions[live]["stale"],
          "ls flags the region stale once its only process died", repr(regions.get(live)))
    rc, out, err = run("rm", live)
    check(rc == 0 and err == "", "rm removes the stale region", err)
    check(live not in ls_rows(), "ls no longer shows the removed region")
    expect_error(["stat", live], 3, 'region "%s"' % live, "no region of that name")

    # rm --stale (limited to this test's regions: others run tests here too)
    stale1 = TAG + "-stale"
    fx = hold(args.fixture, stale1)
    fx.kill()
    fx.wait()
    rc, out, err = run("rm", "--stale", "--prefix", TAG)
    check(rc == 0 and ("removed %s (posix)" % stale1) in out, "rm --stale removes the stale region", out + err)
    check(stale1 not in ls_rows(), "ls no longer shows it")

    # ---- missing regions and bad names -------------------------------------
    missing = TAG + "-missing"
    for argv in (["stat", missing], ["stat", missing, "--json"], ["rm", missing], ["send", missing, "0", "x"],
                 ["recv", missing, "0", "--timeout", "0"]):
        expect_error(argv, 3, 'region "%s"' % missing, "no region of that name")
    for bad in ("a/b", "..", "x" * 32, "has space", "", "sysv:a/b", "sysv:"):
        for argv in (["stat", bad], ["rm", bad], ["send", bad, "0", "x"], ["recv", bad, "0"]):
            expect_error(argv, 2, 'region "%s"' % bad, "invalid region name")

    # ---- a region made by a build with another config ----------------------
    other = TAG + "-other"
    hold(args.foreign, other)
    regions = ls_rows()
    check(regions.get(other, {}).get("layout") == "other" and regions[other]["state"] == "live",
          "ls shows the other-config region (layout other, live)", repr(regions.get(other)))
    rc, out, err = run("stat", other, "--json")
    st = json.loads(out) if rc == 0 else {}
    check(rc == 0 and st["same_layout"] is False and st["source"] == "header" and st["config"]["pool_count"] == 2
          and [(p["slot_size"], p["slot_count"]) for p in st["pools"]] == [(128, 40), (2048, 8)]
          and len(st["mailboxes"]) == 3 and st["mailboxes"][0]["depth"] == 16 and st["mailboxes"][0]["msg_size"] == 128
          and st["mailboxes"][0]["count"] == 1 and st["attached"] == 1,
          "stat reads the other config's layout and counters from the header", out + err)
    rc, out, err = run("stat", other)
    check(rc == 0 and "differs from this build" in out and "CONFIG_SHMBOX_POOL_COUNT: region has 2, this build 3" in out,
          "stat names the differing config values", out + err)
    # send and recv attach with shmbox_open_any(): the region's own layout
    # (tests/anylayout goes through every command on such a region)
    rc, out, err = run("send", other, "2", "y" * 100, "--timeout", "0")
    check(rc == 0, "send to the other config's region (100 bytes: its messages are 128)", err)
    rc, out, err = run("recv", other, "2", "--timeout", "0", "--raw")
    check(rc == 0 and out == "y" * 100 + "\n", "recv from the other config's region", "%d %r %r" % (rc, out, err))

    # ---- not a shmbox region -----------------------------------------------
    junk = TAG + "-junk"
    with open("/dev/shm/shmbox." + junk, "wb") as f:
        f.write(b"\xa5" * 8192)
    os.chmod("/dev/shm/shmbox." + junk, 0o600)
    expect_error(["stat", junk], 8, 'region "%s"' % junk, "not a shmbox region")
    expect_error(["peek", junk], 8, 'region "%s"' % junk, "not a shmbox region")
    expect_error(["send", junk, "0", "x"], 8, 'region "%s"' % junk, "not a shmbox region")
    check(ls_rows().get(junk, {}).get("state") == "broken", "ls shows the junk object as broken")
    expect_error(["rm", junk], 8, 'region "%s"' % junk, "not a shmbox region", "--force")
    check(os.path.exists("/dev/shm/shmbox." + junk), "rm without --force keeps a non-shmbox object")
    tiny = TAG + "-tiny"  # 6 bytes of garbage: what rm --stale once deleted
    with open("/dev/shm/shmbox." + tiny, "wb") as f:
        f.write(b"garbag")
    rc, out, err = run("rm", "--stale", "--prefix", TAG)
    check(rc == 0 and os.path.exists("/dev/shm/shmbox." + tiny) and os.path.exists("/dev/shm/shmbox." + junk)
          and "kept %s (posix): not a shmbox region" % tiny in out and "removed" not in out,
          "rm --stale refuses non-shmbox objects (6-byte garbage, 8 KiB garbage)", out + err)
    expect_error(["rm", tiny], 8, 'region "%s"' % tiny, "not a shmbox region")
    rc, out, err = run("rm", "-s", "-f", "-p", TAG)
    check(rc == 0 and not os.path.exists("/dev/shm/shmbox." + tiny) and not os.path.exists("/dev/shm/shmbox." + junk),
          "rm --stale --force removes them", out + err)

    # ---- a SysV segment: a copy of a real region under the SysV port's key --
    sysname = TAG + "-sysv"
    fx = hold(args.fixture, sysname)
    image = open("/dev/shm/shmbox." + sysname, "rb").read()
    subprocess.run([args.cli, "rm", "--force", sysname], check=True)  # now only the SysV copy has the name
    key = clitool.sysv_key(sysname)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.shmget.restype = ctypes.c_int
    libc.shmat.restype = ctypes.c_void_p
    shmid = libc.shmget(ctypes.c_int32(key if key < 2**31 else key - 2**32), ctypes.c_size_t(len(image)), 0o1600)
    check(shmid >= 0, "SysV segment created (key 0x%08x)" % key, os.strerror(ctypes.get_errno()))
    addr = libc.shmat(shmid, None, 0)
    ctypes.memmove(addr, image, len(image))
    libc.shmdt(ctypes.c_void_p(addr))
    label = "sysv:0x%08x" % key
    named = "sysv:" + sysname  # the header records the region's name
    regions = ls_rows()
    check(regions.get(named, {}).get("port") == "sysv" and regions[named]["state"] == "live",
          "ls lists the SysV segment by the name in its header", repr(regions))
    rc, out, err = run("stat", named, "--json")
    check(rc == 0 and json.loads(out)["port"] == "sysv" and json.loads(out)["attached"] == 1,
          "stat sysv:NAME reads the segment", out + err)
    rc, out, err = run("peek", named, "1", "-j")
    check(rc == 0 and json.loads(out)["mailboxes"][0]["count"] == 3, "peek sysv:NAME reads the segment", out + err)
    rc, out, err = run("stat", label, "--json")
    check(rc == 0 and json.loads(out)["port"] == "sysv" and json.loads(out)["attached"] == 1,
          "stat sysv:0xKEY reads the segment", out + err)
    rc, out, err = run("stat", sysname, "--json")
    check(rc == 0 and json.loads(out)["port"] == "sysv", "stat NAME finds the SysV segment by the name's key",
          out + err)
    expect_error(["rm", label], 7, 'region "%s"' % label, "live process")
    for arg in (label, named):  # both forms ls shows, neither taken for a bad name
        for argv in (["send", arg, "0", "x"], ["recv", arg, "0", "-t", "0"], ["reclaim", arg]):
            expect_error(argv, 3, 'region "%s"' % arg, "SysV segment", "built for the posix port")
    rc, out, err = run("peek", label, "1", "-j")
    check(rc == 0 and json.loads(out)["mailboxes"][0]["count"] == 3, "peek sysv:0xKEY reads the segment", out + err)
    fx.kill()  # the copy's only process: the segment is stale now
    fx.wait()
    rc, out, err = run("rm", "--stale", "--prefix", sysname)
    check(rc == 0 and "removed %s (sysv)" % named in out and named not in ls_rows(),
          "rm --stale --prefix NAME matches a SysV segment by the name in its header", out + err)
finally:
    release()

finish()
