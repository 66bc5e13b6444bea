#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The shmbox tool on a region of a layout it was not built with.

The peer (peer/peer.c, built with peer/peer.config) creates the region and
queues messages; the tool (built with this tree's configuration) lists
it, reads its statistics, peeks, receives a copied and a slot message,
sends a message longer than its own build's message size (which the peer
receives), and removes the region. Every step checks what the peer sees.
"""
import argparse
import json
import os
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--cli", required=True)
ap.add_argument("--peer", required=True)
args = ap.parse_args()

NAME = "anylayout%d" % os.getpid()
POOLS = [(128, 10), (512, 6), (4096, 5), (8192, 3), (131072, 2)]
failures = []


def check(cond, what, detail=""):
    print("%s %s" % ("ok  " if cond else "FAIL", what))
    if not cond:
        if detail:
            print("     " + str(detail).replace("\n", "\n     "))
        failures.append(what)


def run(*argv, binary=False):
    p = subprocess.run([args.cli] + list(argv), capture_output=True, text=not binary, timeout=30)
    return p.returncode, p.stdout, p.stderr


def ask(peer, line):
    peer.stdin.write(line + "\n")
    peer.stdin.flush()
    return peer.stdout.readline().strip()


peer = subprocess.Popen([args.peer, NAME], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
try:
    check(peer.stdout.readline().strip() == "ready", "the peer created region %s" % NAME)

    rc, out, err = run("ls", "--json")
    mine = [r for r in json.loads(out) if r["name"] == NAME] if rc == 0 else []
    check(len(mine) == 1 and mine[0]["layout"] == "other" and mine[0]["state"] == "live",
          "ls lists the region: another layout, live", out + err)

    rc, out, err = run("stat", NAME, "--json")
    st = json.loads(out) if rc == 0 else {}
    check(rc == 0 and st["same_layout"] is False and st["config"]["pool_count"] == 5
          and st["config"]["page_size"] == 8192
          and [(p["slot_size"], p["slot_count"]) for p in st["pools"]] == POOLS
          and [p["used"] for p in st["pools"]] == [0, 0, 1, 0, 0]
          and len(st["mailboxes"]) == 6 and all(m["depth"] == 8 and m["msg_size"] == 256 for m in st["mailboxes"])
          and [m["count"] for m in st["mailboxes"]] == [0, 0, 0, 0, 1, 3] and st["attached"] == 1,
          "stat reads the region's own layout and counters", out + err)
    rc, out, err = run("stat", NAME)
    check(rc == 0 and "CONFIG_SHMBOX_POOL_COUNT: region has 5, this build " in out
          and "CONFIG_SHMBOX_MSG_SIZE: region has 256, this build " in out,
          "stat names the values that differ from the tool's build", out + err)

    rc, out, err = run("peek", NAME, "5")
    check(rc == 0 and "3 queued" in out and "peer-0" in out and "peer-2" in out, "peek shows mailbox 5", out + err)

    rc, out, err = run("recv", NAME, "5", "--timeout", "0", "--raw")
    check(rc == 0 and out == "peer-0\n", "recv takes a copied message from mailbox 5 (beyond the tool's 4)",
          "exit %d, %r %r" % (rc, out, err))
    rc, out, err = run("recv", NAME, "4", "--timeout", "0", "--raw", binary=True)
    want = bytes(i % 251 for i in range(3000)) + b"\n"
    check(rc == 0 and out == want, "recv takes the 3000-byte slot message from pool 2 and frees the slot",
          "exit %d, %d bytes, %r" % (rc, len(out), err))
    check(ask(peer, "stat") == "used 0 0 0 0 0", "the peer sees the slot freed")

    text = "".join(chr(ord("a") + i % 26) for i in range(200))
    rc, out, err = run("send", NAME, "2", text, "--timeout", "0")
    check(rc == 0, "send queues 200 bytes (the region takes 256; the tool's build 64)", "exit %d %r" % (rc, err))
    check(ask(peer, "recv 2") == "got 200 " + text, "the peer receives them")
    rc, out, err = run("send", NAME, "2", "x" * 300, "--timeout", "0")
    check(rc == 1 and "at most 256" in err, "send refuses 300 bytes: the region's message size", err)
    rc, out, err = run("send", NAME, "6", "x", "--timeout", "0")
    check(rc == 2 and "no mailbox 6 (it has 6: 0..5)" in err, "send refuses mailbox 6", err)
    rc, out, err = run("recv", NAME, "1", "--timeout", "0")
    check(rc == 6, "recv of an empty mailbox times out (exit 6)", "exit %d %r" % (rc, err))

    peer.stdin.close()
    check(peer.wait(timeout=30) == 0, "the peer closed its handle")
    rc, out, err = run("rm", NAME)
    check(rc == 0 and not os.path.exists("/dev/shm/shmbox." + NAME), "rm removes the region", out + err)
    rc, out, err = run("ls", "--json")
    check(rc == 0 and all(r["name"] != NAME for r in json.loads(out)), "ls no longer lists it", out)
finally:
    if peer.poll() is None:
        peer.kill()
        peer.wait()
    subprocess.run([args.cli, "rm", "--force", NAME], capture_output=True)

if failures:
    print("%d failed: %s" % (len(failures), "; ".join(failures)))
    sys.exit(1)
print("all passed")
