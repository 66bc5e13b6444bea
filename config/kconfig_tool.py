#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""menuconfig and savedefconfig for shmbox, over a defconfig and fragments.

  kconfig_tool.py menuconfig KCONFIG --config DOTCONFIG [--inputs DEFCONFIG [FRAGMENT...]]
                  [--fragment FRAGMENT]
      Runs kconfiglib's menuconfig on DOTCONFIG. With --inputs, DOTCONFIG is
      first made from them (problems in them are printed, menuconfig still
      starts so they can be fixed there). With --fragment (the last of the
      inputs), a saved result is written back into that fragment: its lines
      and comments stay, values change in place, settings that now differ
      from the other inputs are appended, lines whose symbol is switched off
      are dropped.
  kconfig_tool.py savedefconfig KCONFIG --out FILE (--config DOTCONFIG | --inputs DEFCONFIG [FRAGMENT...])
      Writes a minimal defconfig of the configuration to FILE. The comment
      lines at the top of an existing FILE are kept.
"""
import argparse
import atexit
import os
import shutil
import subprocess
import sys
import tempfile

try:
    import kconfiglib
except ImportError:
    sys.exit("shmbox: kconfiglib is missing: apt-get install python3-kconfiglib "
             "(and run this with /usr/bin/python3)")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kconfig_check  # noqa: E402


_FORMAT_TOOL = []


def format_tool():
    """The layout checker (config/format_tool.c), built once per run with
    the host C compiler; None if it cannot be built (then only the Kconfig
    rules are checked here, the configure step checks the layout)."""
    if not _FORMAT_TOOL:
        work = tempfile.mkdtemp(prefix="shmbox-format-")
        atexit.register(shutil.rmtree, work, True)
        try:
            _FORMAT_TOOL.append(kconfig_check.build_format_tool(work))
        except (OSError, subprocess.CalledProcessError):
            _FORMAT_TOOL.append(None)
    return _FORMAT_TOOL[0]


def load(kconfig, files, quiet=False):
    """A Config of files; its problems printed as warnings unless quiet."""
    cfg = kconfig_check.Config(kconfig, files, format_tool=format_tool())
    if not quiet:
        for e in cfg.errors:
            print(str(e).replace(": error: ", ": warning: ", 1), file=sys.stderr)
    return cfg


def values(kconf):
    return {s.name: s.str_value for s in kconf.unique_defined_syms}


def header_of(path):
    """The comment lines at the top of path ('' if none or no file)."""
    lines = []
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.startswith("#") or kconfig_check.assignments_in(line):
                    break
                lines.append(line)
    except OSError:
        pass
    return "".join(lines)


def write(path, text):
    os.makedirs(os.path.dirname(os.path.abspath(path)) or ".", exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def settable(sym):
    """Can a fragment line set sym (visible; a choice member: its choice is)?"""
    if sym.choice:
        return sym.choice.visibility > 0
    return sym.visibility > 0


def fragment_text(path, base, kconf):
    """path's text rewritten to give kconf's values on top of base's."""
    try:
        with open(path, encoding="utf-8") as f:
            old = f.read().splitlines(True)
    except FileNotFoundError:
        old = ["# shmbox configuration fragment (written by shmbox-menuconfig)\n"]
    out, done = [], set()
    for line in old:
        found = kconfig_check.assignments_in(line)
        sym = kconf.syms.get(found[0]) if found else None
        if sym is None or not sym.nodes:
            out.append(line)  # comments, blank lines, lines kept as written
            continue
        if sym.name in done:
            continue
        done.add(sym.name)
        if settable(sym) and sym.config_string:
            out.append(sym.config_string)
    if out and not out[-1].endswith("\n"):
        out[-1] += "\n"
    for sym in kconf.unique_defined_syms:
        if sym.name in done or not settable(sym) or not sym.config_string:
            continue
        if sym.str_value == base.get(sym.name) or (sym.choice and sym.str_value != "y"):
            continue
        out.append(sym.config_string)
    return "".join(out)


def menuconfig(args):
    if args.inputs:
        cfg = load(args.kconfig, args.inputs)
        os.makedirs(os.path.dirname(os.path.abspath(args.config)), exist_ok=True)
        cfg.kconf.write_config(args.config, header="# shmbox-menuconfig's working copy\n")
    before = os.stat(args.config).st_mtime_ns
    env = dict(os.environ, KCONFIG_CONFIG=os.path.abspath(args.config))
    rc = subprocess.call([sys.executable, "-m", "menuconfig", os.path.abspath(args.kconfig)], env=env)
    if rc != 0:
        sys.exit(f"shmbox: menuconfig failed (exit status {rc})")
    if os.stat(args.config).st_mtime_ns == before:
        print("shmbox: no configuration saved; nothing changed")
        return
    if not args.fragment:
        print(f"shmbox: configuration saved in {args.config}")
        return
    others = [f for f in args.inputs if os.path.abspath(f) != os.path.abspath(args.fragment)]
    base = values(load(args.kconfig, others, quiet=True).kconf)
    kconf = kconfiglib.Kconfig(args.kconfig, warn_to_stderr=False)
    kconf.load_config(args.config)
    write(args.fragment, fragment_text(args.fragment, base, kconf))
    print(f"shmbox: wrote the configuration into {args.fragment} (the next build uses it)")
    check = load(args.kconfig, args.inputs)
    if check.errors:
        sys.exit("shmbox: the configuration has the problems above; run menuconfig again to fix them")


def savedefconfig(args):
    if args.inputs:
        kconf = load(args.kconfig, args.inputs).kconf
    else:
        kconf = kconfiglib.Kconfig(args.kconfig, warn_to_stderr=False)
        kconf.load_config(args.config)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    kconf.write_min_config(args.out + ".new", header=header_of(args.out))
    with open(args.out + ".new", encoding="utf-8") as f:
        text = f.read()
    os.remove(args.out + ".new")
    write(args.out, text)
    settings = len(kconfig_check.assignments(args.out))
    print(f"shmbox: wrote a minimal defconfig to {args.out}" +
          ("" if settings else " (no settings: every value is the Kconfig default)"))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=("menuconfig", "savedefconfig"))
    p.add_argument("kconfig")
    p.add_argument("--config", help="the full .config to edit or read")
    p.add_argument("--inputs", nargs="+", default=[], help="defconfig, then fragments")
    p.add_argument("--fragment", help="menuconfig: the fragment to write the result into")
    p.add_argument("--out", help="savedefconfig: the file to write")
    args = p.parse_args()
    if args.command == "menuconfig":
        if not args.config or (args.fragment and not args.inputs):
            p.error("menuconfig needs --config (and --inputs with --fragment)")
        menuconfig(args)
    else:
        if not args.out or not (args.config or args.inputs):
            p.error("savedefconfig needs --out and --config or --inputs")
        savedefconfig(args)


if __name__ == "__main__":
    main()
