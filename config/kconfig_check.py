# SPDX-License-Identifier: MIT
"""Strict loading of shmbox's defconfig and fragments, and its layout rules.

Every kconfiglib warning about the loaded files (unknown symbol, invalid
value, malformed line), a symbol assigned twice in one file, a value the
Kconfig does not take (out of range, dependencies off, a choice member set
to y that another one's y overrode or set to n while still selected), a
CONFIG_SHMBOX_DEVICE_OFFSET not a multiple of 4096 and every broken layout
rule becomes an error "file:line: error: message" naming the symbol.
All of them are collected, not just the first.

Used by kconfig.py (the generator) and kconfig_tool.py (menuconfig,
savedefconfig).
"""
import os
import re
import subprocess

import kconfiglib

_ASSIGN = re.compile(r"^CONFIG_([A-Za-z0-9_]+)=(.*)$")
_UNSET = re.compile(r"^# CONFIG_([A-Za-z0-9_]+) is not set$")
_WARNING = re.compile(r"^(?:(.*):(\d+): )?warning: (.*)$", re.S)

# Extra words for a symbol whose dependencies are off.
_HINTS = {
    "SHMBOX_SLOT_CACHE": "needs a Linux port (SHMBOX_PORT_POSIX or SHMBOX_PORT_SYSV, "
                         "it uses thread-local storage)",
}


class Error:
    """One problem: where (file and line, when a line is to blame) and what."""

    def __init__(self, path, line, text):
        self.path, self.line, self.text = path, line, text

    def __str__(self):
        if self.path and self.line:
            return f"{self.path}:{self.line}: error: {self.text}"
        if self.path:
            return f"{self.path}: error: {self.text}"
        return f"error: {self.text}"


def assignments_in(line):
    """(NAME, raw value) of one config line, 'n' for '# CONFIG_X is not set'; or None."""
    line = line.rstrip()
    m = _ASSIGN.match(line)
    if m:
        return m.group(1), m.group(2)
    m = _UNSET.match(line)
    return (m.group(1), "n") if m else None


def assignments(path):
    """[(line, NAME, raw value)] of one config file."""
    with open(path, encoding="utf-8") as f:
        return [(n, *a) for n, a in ((n, assignments_in(line)) for n, line in enumerate(f, 1)) if a]


def _tidy(text):
    """kconfiglib's words without the Kconfig location and 'ignored' tails."""
    text = re.sub(r" \(defined at [^)]*\)", "", text.strip())
    text = re.sub(r"( --|\.) [Aa]ssignment ignored\.?$", "", text)
    return text


def _locate(warning, path, lines):
    """An Error for one kconfiglib warning issued while loading path."""
    m = _WARNING.match(warning.strip())
    if not m:
        return Error(path, None, _tidy(warning))
    wpath, wline, text = m.groups()
    if wpath:
        return Error(wpath, int(wline), _tidy(text))
    # set_value() warnings carry no location: find the line that assigned
    # the value the warning quotes to the symbol it names.
    for n, name, val in reversed(lines):
        if re.search(rf"\b{name}\b", text) and f"'{val}'" in text:
            return Error(path, n, _tidy(text))
    return Error(path, None, _tidy(text))


class Config:
    """A Kconfig with a defconfig and fragments loaded strictly.

    format_tool: the host program that checks the layout values and
    computes the region size (None: not checked, region_bytes None);
    kconf: the kconfiglib.Kconfig; where: NAME -> (path, line) of the
    assignment that counts (the last); errors: [Error], in file order.
    """

    def __init__(self, kconfig, files, format_tool=None):
        self.format_tool = format_tool
        self.fingerprint = None
        self.kconf = kconfiglib.Kconfig(kconfig, warn_to_stderr=False)
        self.where = {}
        self.errors = [_locate(w, kconfig, []) for w in self.kconf.warnings]  # the Kconfig's own
        self.kconf.warn_assign_undef = True
        self.kconf.warn_assign_override = False  # a fragment overrides on purpose
        self.kconf.warn_assign_redun = False
        loaded = False
        for path in files:
            if not os.path.isfile(path):
                self.errors.append(Error(path, None, "no such config file"))
                continue
            first = len(self.kconf.warnings)
            self.kconf.load_config(path, replace=not loaded)
            loaded = True
            lines = assignments(path)
            refused = [_locate(w, path, lines) for w in self.kconf.warnings[first:]]
            self.errors += refused
            refused = {e.line for e in refused}  # lines kconfiglib ignored
            seen, taken = {}, set()
            for n, name, _ in lines:
                if name in seen:
                    self.errors.append(Error(path, n, f"CONFIG_{name} is assigned again "
                                                      f"(first at line {seen[name]})"))
                seen[name] = n
                if n not in refused:
                    self.where[name] = (path, n)
                    taken.add(name)
            # Each file must hold on top of the ones before it; a later
            # fragment may still turn an earlier file's symbols off.
            self._check_values(taken)
        self.mode_bits, self.region_bytes = self._check_layout()
        order = {p: i for i, p in enumerate(files)}
        self.errors.sort(key=lambda e: (order.get(e.path, len(order)), e.line or 0))

    def at(self, name, text):
        """An error blamed on the line that set name (none: the Kconfig default)."""
        if name not in self.where:
            text += f" (CONFIG_{name} is not set in any file: its Kconfig default)"
        path, line = self.where.get(name, (None, None))
        self.errors.append(Error(path, line, text))

    def _check_values(self, names):
        """Each of these symbols just assigned must have taken its value."""
        for choice in self.kconf.unique_choices:
            sel = choice.user_selection
            if sel is not None and sel.name in names and sel is not choice.selection:
                self.at(sel.name, f"CONFIG_{sel.name}=y: not selected "
                                  f"(the choice depends on {kconfiglib.expr_str(choice.direct_dep)})")
                continue
            self._check_choice(choice, names)
        for sym in self.kconf.unique_defined_syms:
            if sym.name not in names or sym.user_value is None or sym.choice:
                continue
            user = sym.user_value
            if sym.orig_type in (kconfiglib.BOOL, kconfiglib.TRISTATE):
                user = kconfiglib.TRI_TO_STR[user]
            if user == sym.str_value:
                continue
            shown = f'"{user}"' if sym.orig_type == kconfiglib.STRING else user
            head = f"CONFIG_{sym.name}={shown}"
            if not kconfiglib.expr_value(sym.direct_dep):
                deps = kconfiglib.expr_str(sym.direct_dep)
                now = ", ".join(f"CONFIG_{s.name}={s.str_value or 'n'}"
                                for s in kconfiglib.expr_items(sym.direct_dep) if s.nodes)
                hint = _HINTS.get(sym.name)
                self.at(sym.name, f"{head}: its dependencies are off (depends on {deps}, now {now})"
                                  + (f": {hint}" if hint else ""))
                continue
            rng = self._range(sym)
            if rng and sym.orig_type in (kconfiglib.INT, kconfiglib.HEX):
                self.at(sym.name, f"{head}: out of range (allowed {rng[0]}..{rng[1]})")
                continue
            self.at(sym.name, f"{head}: not taken, the value is {sym.str_value or 'unset'}")

    def _check_choice(self, choice, names):
        """A choice member this file sets must end up so: one set to y
        that another member's y overrode, one set to n that is still the
        selection (a choice always has one: set another member to y)."""
        sel = choice.selection
        for sym in choice.syms:
            if sym.name not in names or sym.user_value is None:
                continue
            user = kconfiglib.TRI_TO_STR[sym.user_value]
            if user == sym.str_value:
                continue
            head = f"CONFIG_{sym.name}={user}"
            if user == "y" and sel is not None and sel.name in names:
                line = self.where[sel.name][1]
                self.at(sym.name, f"{head}: not taken, CONFIG_{sel.name}=y at line {line} of the same "
                                  "file selects another member of the choice (set exactly one to y)")
            elif user == "y":
                self.at(sym.name, f"{head}: not taken, the choice's selection is "
                                  f"{'CONFIG_' + sel.name if sel else 'none'}")
            else:
                other = next(s.name for s in choice.syms if s is not sym)
                self.at(sym.name, f"{head}: not taken, it is still the selected member of the choice: "
                                  f"set another member to y instead (e.g. CONFIG_{other}=y)")

    @staticmethod
    def _range(sym):
        for low, high, cond in sym.ranges:
            if kconfiglib.expr_value(cond):
                return low.str_value, high.str_value
        return None

    def value(self, name):
        sym = self.kconf.syms[name]
        text = sym.str_value
        hexa = sym.orig_type == kconfiglib.HEX or text.lower().startswith("0x")
        try:
            return int(text, 16 if hexa else 10)
        except ValueError:
            return None

    def _check_layout(self):
        """Layout rules the Kconfig language cannot express; (mode bits, region bytes).

        The region format (component/format) checks the layout values and
        computes the region size, through the host program format_tool (see
        config/format_tool.c; CMake builds it at configure time). Without
        one (menuconfig, savedefconfig) only the mode is checked here and
        the region size is None: the configure step checks the rest.
        """
        mode = self.kconf.syms["SHMBOX_MODE"].str_value
        mode_bits = None
        if re.fullmatch(r"0[0-7]{1,3}", mode):
            mode_bits = int(mode, 8)
        else:
            self.at("SHMBOX_MODE", f'CONFIG_SHMBOX_MODE="{mode}": must be octal 0000..0777 with a leading 0')
        offset = self.value("SHMBOX_DEVICE_OFFSET")
        if self.kconf.syms["SHMBOX_DEVICE"].str_value == "y" and offset is not None and offset % 4096:
            shown = self.kconf.syms["SHMBOX_DEVICE_OFFSET"].str_value
            self.at("SHMBOX_DEVICE_OFFSET", f"CONFIG_SHMBOX_DEVICE_OFFSET={shown}: must be a multiple of 4096 "
                                            "(the page size)")
        if not self.format_tool:
            return mode_bits, None
        args = {"page_size": "SHMBOX_PAGE_SIZE", "pool_count": "SHMBOX_POOL_COUNT",
                "mbox_count": "SHMBOX_MBOX_COUNT", "mbox_depth": "SHMBOX_MBOX_DEPTH",
                "msg_size": "SHMBOX_MSG_SIZE", "max_procs": "SHMBOX_MAX_PROCS",
                "region_max_mb": "SHMBOX_REGION_MAX_MB"}
        values = {arg: self.value(name) for arg, name in args.items()}
        minimal = self.kconf.syms.get("SHMBOX_MINIMAL_CORE")
        values["variant"] = 1 if minimal is not None and minimal.str_value == "y" else 0
        pools = values["pool_count"] or 0
        for n in range(min(pools, 8)):
            values[f"slot_size{n}"] = self.value(f"SHMBOX_POOL{n}_SLOT_SIZE")
            values[f"slot_count{n}"] = self.value(f"SHMBOX_POOL{n}_SLOT_COUNT")
        if None in values.values():
            return mode_bits, None
        run = subprocess.run([self.format_tool] + [f"{k}={v}" for k, v in values.items()],
                             capture_output=True, text=True, check=False)
        if run.returncode not in (0, 1):
            raise RuntimeError(f"{self.format_tool} failed: {run.stderr.strip()}")
        size = None
        for line in run.stdout.splitlines():
            word = line.split(" ", 3)
            if word[0] == "region_bytes":
                size = int(word[1])
            elif word[0] == "fingerprint":
                self.fingerprint = word[1]
            elif word[0] == "error" and len(word) == 4:
                self._blame(word[1], word[2], word[3])
        return mode_bits, size

    def _blame(self, name, rule, text):
        """One problem format_tool found, on the line that set the value."""
        if rule == "order" and name not in self.where and "SHMBOX_POOL_COUNT" in self.where:
            # pool n's default size: blame the line that made pool n exist
            path, line = self.where["SHMBOX_POOL_COUNT"]
            self.errors.append(Error(path, line, text + f" (CONFIG_{name} is its Kconfig default: "
                                                        "set it after raising CONFIG_SHMBOX_POOL_COUNT)"))
        elif rule == "size" and name not in self.where and self._biggest(text):
            # the default bound: blame the last line that enlarged the bigger part
            path, line = self.where[self._biggest(text)]
            self.errors.append(Error(path, line, text + f" (CONFIG_{name} is its Kconfig default)"))
        else:
            self.at(name, text)

    def _biggest(self, text):
        """The symbol set last among those of the part the size message
        names first (mailboxes or pools); None if none is set in a file."""
        if text.find("lower SHMBOX_MBOX") != -1:
            names = ("SHMBOX_MBOX_COUNT", "SHMBOX_MBOX_DEPTH", "SHMBOX_MSG_SIZE")
        else:
            names = ["SHMBOX_POOL_COUNT"] + [f"SHMBOX_POOL{n}_SLOT_{w}" for n in range(8) for w in ("SIZE", "COUNT")]
        files = {}
        for path, _ in self.where.values():
            files.setdefault(path, len(files))
        set_in_files = [n for n in names if n in self.where]
        if not set_in_files:
            return None
        return max(set_in_files, key=lambda n: (files[self.where[n][0]], self.where[n][1]))


_TOOL_SOURCES = ("config/format_tool.c", "component/format/format.c", "component/format/format_check.c",
                 "component/format/format_text.c")


def build_format_tool(out_dir, cc=None):
    """Build config/format_tool.c with the host C compiler into out_dir (when
    missing or older than its sources); its path. CMake builds its own."""
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sources = [os.path.join(top, s) for s in _TOOL_SOURCES]
    include = os.path.join(top, "component", "format", "include")
    tool = os.path.join(out_dir, "format_tool")
    newest = max(os.path.getmtime(s) for s in sources + [os.path.join(include, "shmbox", "shmbox_format.h")])
    if not os.path.exists(tool) or os.path.getmtime(tool) < newest:
        os.makedirs(out_dir, exist_ok=True)
        cc = cc or os.environ.get("HOST_CC") or "cc"
        subprocess.run([cc, "-std=c11", "-O1", "-I", include, "-o", tool] + sources, check=True)
    return tool
