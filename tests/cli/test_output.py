#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The shmbox tool's standard output is checked: a command whose output
cannot be written (/dev/full, a closed stdout) fails with exit 1 and one
line saying so; recv takes nothing when stdout is closed, and when the
write fails after taking a message it names what was lost (mailbox,
length). A command with nothing to write succeeds with stdout closed.
"""
import json
import os

import clitool
from clitool import CLOSED, check, expect_error, finish, hold, release, run

args = clitool.parse_args(__doc__)
name = "cliout%d" % os.getpid()
FULL = "/dev/full"
ENOSPC = os.strerror(28)


def queued(mbox):
    rc, out, _ = run("peek", name, str(mbox), "-j")
    return json.loads(out)["mailboxes"][0]["count"] if rc == 0 else -1


def pool_used():
    rc, out, _ = run("stat", name, "-j")
    return [p["used"] for p in json.loads(out)["pools"]] if rc == 0 else []


try:
    hold(args.fixture, name)
    for argv in (["ls"], ["ls", "-j"], ["stat", name], ["stat", name, "-j"], ["stat", name, "-w", "1"],
                 ["peek", name], ["peek", name, "-j"], ["suggest", name], ["--help"], ["-V"], ["stat", "--help"],
                 ["recv", "--help"]):
        expect_error(argv, 1, "cannot write standard output", ENOSPC, stdout=FULL)
    expect_error(["ls"], 1, "shmbox: ls: cannot write standard output", stdout=CLOSED)

    # recv: nothing taken while stdout is closed
    before = queued(0)
    expect_error(["recv", name, "0", "-t", "0"], 1, 'region "%s"' % name, "cannot write standard output",
                 "nothing taken", stdout=CLOSED)
    check(before == 2 and queued(0) == before, "recv with stdout closed leaves the message queued",
          "before %d, after %d" % (before, queued(0)))
    # taken, then the write failed: what was lost is named
    expect_error(["recv", name, "0", "-t", "0"], 1, 'region "%s"' % name, ENOSPC,
                 "message taken from mailbox 0 (7 bytes) is lost", stdout=FULL)
    check(queued(0) == before - 1, "the message recv could not write was taken (and said so)")
    # a slot's payload: the fixture queued one last in mailbox 3
    for _ in range(queued(3) - 1):
        run("recv", name, "3", "-t", "0")
    used = pool_used()
    expect_error(["recv", name, "3", "-t", "0", "-x"], 1, ENOSPC,
                 "slot's payload taken from mailbox 3 (12 bytes) is lost", stdout=FULL)
    after = pool_used()
    check(queued(3) == 0 and len(used) > 0 and sum(used) - sum(after) == 1,
          "the slot whose payload could not be written is freed all the same", "%r -> %r" % (used, after))

    # nothing to write: a closed stdout is no failure
    before = queued(0)
    rc, _, err = run("send", name, "0", "quiet", stdout=CLOSED)
    check(rc == 0 and err == "" and queued(0) == before + 1,
          "send with stdout closed (nothing to write) succeeds", err)
finally:
    release()

finish()
