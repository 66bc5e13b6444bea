#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""One stale rule in the shmbox tool, the library's (shmbox_open_or_create()
replaces such a region): a region no live process is attached to is stale,
whether its creator has died or has only closed its handle. ls and stat
say so, rm NAME does not count such a creator, rm --stale removes the
region; a region a live process has attached is neither.
"""
import json
import os

import clitool
from clitool import check, expect_error, finish, hold, ls_rows, release, run

args = clitool.parse_args(__doc__)
TAG = "clistale%d" % os.getpid()


def row(name):
    """ls's row of name (a SysV segment is listed as sysv:NAME)."""
    rows = ls_rows()
    return rows.get(name, rows.get("sysv:" + name, {}))


try:
    closed = TAG + "-closed"
    hold(args.fixture, closed, "closed")  # the creator lives on, its handle closed
    r = row(closed)
    check(r.get("state") == "stale" and r["stale"] and r["attached"] == 0 and r["creator_alive"],
          "ls: a region whose live creator closed it is stale (0 attached, creator alive)", repr(r))
    rc, out, err = run("stat", closed, "-j")
    st = json.loads(out) if rc == 0 else {}
    check(rc == 0 and st["attached"] == 0 and st["creator"]["alive"], "stat: 0 attached, creator alive", out + err)
    rc, out, err = run("stat", closed)
    check(rc == 0 and "(alive, not attached)" in out and "0 attached" in out,
          "stat says the live creator is not attached", out + err)
    rc, out, err = run("rm", closed)
    check(rc == 0 and err == "" and row(closed) == {}, "rm NAME does not count a creator that is not attached",
          out + err)

    again = TAG + "-again"
    hold(args.fixture, again, "closed")
    live = TAG + "-live"
    hold(args.fixture, live)
    rc, out, err = run("rm", "--stale", "--prefix", TAG)
    check(rc == 0 and "removed" in out and again in out and live not in out and row(again) == {},
          "rm --stale removes the closed region, keeps the live one", out + err)
    check(row(live).get("state") == "live", "the live region stays, live", repr(row(live)))
    expect_error(["rm", live], 7, "1 live process attached")
finally:
    release()

finish()
