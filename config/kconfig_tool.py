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
                  [--working WORK] [--warn]
      Writes a minimal defconfig of the configuration to FILE. The comment
      lines at the top of an existing FILE are kept. Any problem in the
      inputs is an error, as at configure time: nothing is written, exit
      status 1 (--warn: printed as warnings, the settings concerned are
      left out; for a working copy that menuconfig can fix).
      --working WORK: menuconfig's working copy made from --inputs (WORK,
      with WORK.made, its values as made, and WORK.source, the absolute
      path of the defconfig it was made from). When WORK was changed
      since it was made (a menuconfig edit), WORK is saved instead of the
      inputs (saved into DEFCONFIG itself: WORK.made becomes WORK); it is
      refused, nothing written, when it was made from another defconfig
      or that defconfig changed since.
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


def read_text(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return None


def edited_working_copy(args):
    """args.working when it holds menuconfig edits to save (None: save the
    inputs); exits when those edits cannot be saved over args.inputs."""
    work = args.working
    if not work or not os.path.isfile(work):
        return None
    made = work + ".made"
    now = values(load(args.kconfig, [work], quiet=True).kconf)
    if now == values(load(args.kconfig, [made] if os.path.isfile(made) else args.inputs, quiet=True).kconf):
        return None  # not edited (or, not knowing how it was made, nothing to lose): save the inputs
    source = read_text(work + ".source")
    defconfig = os.path.abspath(args.inputs[0])
    drop = f"to drop the edits instead, remove {work}"
    if source != defconfig:
        sys.exit(f"shmbox: {work} holds menuconfig edits made over {source or 'an unknown defconfig'}, "
                 f"not DEFCONFIG={args.inputs[0]}: nothing written. Save them with "
                 f"'make savedefconfig DEFCONFIG={source or '...'}' (and DEFCONFIG_OUT=...); {drop}")
    if not os.path.isfile(made) or values(load(args.kconfig, args.inputs, quiet=True).kconf) != \
            values(load(args.kconfig, [made], quiet=True).kconf):
        sys.exit(f"shmbox: {args.inputs[0]} changed after {work} was made from it and edited with menuconfig: "
                 f"nothing written (either would lose changes). Run 'make menuconfig DEFCONFIG={args.inputs[0]}' "
                 f"again after removing {work}, or copy the edits over by hand")
    return work


def savedefconfig(args):
    work = edited_working_copy(args) if args.working else None
    files = [work] if work else (args.inputs or [args.config])
    cfg = load(args.kconfig, files, quiet=not args.warn)
    if cfg.errors and not args.warn:
        for e in cfg.errors:
            print(e, file=sys.stderr)
        sys.exit(f"shmbox: {len(cfg.errors)} configuration error{'s' if len(cfg.errors) > 1 else ''}; "
                 f"fix the lines above ({args.out} was not written)")
    kconf = cfg.kconf
    if work:
        print(f"shmbox: saving the menuconfig edits in {work}")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    kconf.write_min_config(args.out + ".new", header=header_of(args.out))
    with open(args.out + ".new", encoding="utf-8") as f:
        text = f.read()
    os.remove(args.out + ".new")
    write(args.out, text)
    if work and os.path.abspath(args.out) == os.path.abspath(args.inputs[0]):
        shutil.copyfile(work, work + ".made")  # the defconfig has the edits now
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
    p.add_argument("--working", help="savedefconfig: menuconfig's working copy made from --inputs")
    p.add_argument("--warn", action="store_true", help="savedefconfig: problems are warnings")
    args = p.parse_args()
    if args.command == "menuconfig":
        if not args.config or (args.fragment and not args.inputs):
            p.error("menuconfig needs --config (and --inputs with --fragment)")
        menuconfig(args)
    else:
        if not args.out or not (args.config or args.inputs) or (args.working and not args.inputs):
            p.error("savedefconfig needs --out and --config or --inputs (--inputs with --working)")
        savedefconfig(args)


if __name__ == "__main__":
    main()
