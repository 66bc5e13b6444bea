#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The shmbox tool built for the SysV port: every command takes a segment
in both forms ls shows it in, sysv:NAME and sysv:0xKEY (send, recv and
reclaim attach by the name), and rm --stale --prefix matches a segment by
its name (NAME, sysv:NAME) and by its key form.
"""
import os

import clitool
from clitool import check, finish, hold, ls_rows, release, run

args = clitool.parse_args(__doc__)
TAG = "clisv%d" % os.getpid()


def forms(name):
    return "sysv:" + name, "sysv:0x%08x" % clitool.sysv_key(name)


try:
    names = [TAG + s for s in ("-a", "-b", "-c")]
    fx = [hold(args.fixture, n) for n in names]
    named, keyed = forms(names[0])
    rows = ls_rows()
    check(rows.get(named, {}).get("state") == "live" and rows[named]["port"] == "sysv",
          "ls lists the segment as %s" % named, repr(sorted(rows)))
    for arg in (named, keyed):
        rc, out, err = run("send", arg, "0", "via " + arg)
        check(rc == 0 and err == "", "send %s" % arg, out + err)
    # FIFO: the fixture's 2 messages, then ours
    got = [run("recv", arg, "0", "-t", "0") for arg in (named, keyed, named, keyed)]
    check([g[1] for g in got] == ["fixture\n", "fixture\n", "via %s\n" % named, "via %s\n" % keyed]
          and all(g[0] == 0 for g in got), "recv sysv:NAME and recv sysv:0xKEY", repr(got))
    for arg in (named, keyed):
        rc, out, err = run("stat", arg, "-j")
        check(rc == 0 and '"attached": 1' in out, "stat %s" % arg, out + err)
        rc, out, err = run("reclaim", arg)
        check(rc == 0 and out == "reclaimed 0 slots\n", "reclaim %s while its process lives" % arg, out + err)
    for p in fx:
        p.kill()
        p.wait()
    rc, out, err = run("reclaim", named)
    check(rc == 0 and out == "reclaimed 2 slots\n", "reclaim sysv:NAME frees the dead process's slots", out + err)

    # rm --stale --prefix: by NAME, by sysv:NAME, by sysv:0xKEY
    for n, prefix in zip(names, (names[0], forms(names[1])[0], forms(names[2])[1])):
        rc, out, err = run("rm", "--stale", "--prefix", prefix)
        check(rc == 0 and out == "removed sysv:%s (sysv)\n" % n and forms(n)[0] not in ls_rows(),
              "rm --stale --prefix %s removes sysv:%s only" % (prefix, n), out + err)
finally:
    release()

finish()
