# SPDX-License-Identifier: MIT
"""What the shmbox tool's tests share: results, running the tool, holders.

    clitool.setup(cli, setpriv)         the tool under test (and setpriv)
    parse_args(doc)                     --cli and --fixture parsed, the tool set up
    check(cond, what, detail)           one result line; failures collected
    run(*argv, user=, stdout=)          exit code, stdout, stderr of the tool
    expect_error(argv, code, *needles)  exit code and ONE line naming the reason
    ls_rows(*locators)                  `shmbox ls --json` by name ({} if it fails)
    sysv_key(name)                      the SysV key of a region name (defconfig's base)
    hold(prog, name)                    a fixture holding region name, started
    release(remove)                     kill the holders (rm --force their regions)
    finish()                            the failure count, and the exit status
"""
import argparse
import json
import os
import pwd
import subprocess
import sys

CLOSED = "closed"  # run(..., stdout=CLOSED): the tool starts with stdout closed
failures = []
holders = []
_tool = {"cli": None, "setpriv": "setpriv"}


def setup(cli, setpriv="setpriv"):
    _tool["cli"] = cli
    _tool["setpriv"] = setpriv


def parse_args(doc):
    """The arguments of a script that drives the tool on regions of
    cli-fixture: --cli TOOL --fixture FIXTURE."""
    ap = argparse.ArgumentParser(description=doc)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--fixture", required=True)
    args = ap.parse_args()
    setup(args.cli)
    return args


def check(cond, what, detail=""):
    print("%s %s" % ("ok  " if cond else "FAIL", what))
    if not cond:
        if detail:
            print("     " + detail.replace("\n", "\n     "))
        failures.append(what)
    return cond


def run(*argv, user=None, timeout=20, stdout=None):
    """Run the tool: (exit code, stdout, stderr). stdout: None (captured),
    a file to write it to (e.g. /dev/full: its output is "" then), or CLOSED.
    A tool still running after timeout seconds is killed: (None, "", why)."""
    try:
        return _run(argv, user, timeout, stdout)
    except subprocess.TimeoutExpired:
        return None, "", "killed: still running after %d s" % timeout


def _run(argv, user, timeout, stdout):
    cmd = [_tool["cli"]] + list(argv)
    if user:
        pw = pwd.getpwnam(user)
        cmd = [_tool["setpriv"], "--reuid=%d" % pw.pw_uid, "--regid=%d" % pw.pw_gid, "--clear-groups"] + cmd
    if stdout is None:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    if stdout == CLOSED:
        p = subprocess.run(cmd, stderr=subprocess.PIPE, text=True, timeout=timeout, preexec_fn=lambda: os.close(1))
        return p.returncode, "", p.stderr
    with open(stdout, "w") as out:
        p = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, text=True, timeout=timeout)
    return p.returncode, "", p.stderr


def expect_error(argv, code, *needles, user=None, stdout=None):
    """The command fails with exit code `code` and ONE line naming the reason."""
    rc, out, err = run(*argv, user=user, stdout=stdout)
    lines = err.strip().splitlines()
    ok = rc == code and len(lines) == 1 and all(n in err for n in needles)
    return check(ok, "%s%s -> exit %d, %s" % (" ".join(argv), "" if stdout is None else " > " + stdout, code,
                                              " / ".join(needles)), "exit %s, stderr: %r" % (rc, err))


def ls_rows(*locators):
    rc, out, _ = run("ls", "--json", *locators)
    return {r["name"]: r for r in json.loads(out)} if rc == 0 else {}


def sysv_key(name, base=0x53420000):
    """KEY_BASE ^ FNV-1a-32(name), 0 made 1 (Kconfig SHMBOX_SYSV_KEY_BASE)."""
    h = 0x811C9DC5
    for b in name.encode():
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return (base ^ h) or 1


def hold(prog, name, mode="hold"):
    """prog MODE name: a fixture that prints "ready", then keeps the region
    until its standard input closes."""
    p = subprocess.Popen([prog, mode, name], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    if line.strip() != "ready":
        raise SystemExit("%s %s %s did not start: %r" % (prog, mode, name, line))
    holders.append((p, name))
    return p


def release(remove=True):
    for p, name in holders:
        if p.poll() is None:
            p.kill()
            p.wait()
        if remove:
            subprocess.run([_tool["cli"], "rm", "--force", name], capture_output=True)


def finish():
    print("%d failure(s)" % len(failures))
    sys.exit(1 if failures else 0)
