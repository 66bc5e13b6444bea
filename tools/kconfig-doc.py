#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Write a Markdown reference of every Kconfig symbol (type, prompt,
default, range, dependencies, help), for the API documentation.

  /usr/bin/python3 tools/kconfig-doc.py Kconfig OUT.md     write the page
  /usr/bin/python3 tools/kconfig-doc.py Kconfig --names    print the symbol
                                                            names, one a line

Uses kconfiglib (Debian python3-kconfiglib), which Debian's /usr/bin/python3
sees.
"""
import sys

import kconfiglib


def expr(e):
    return kconfiglib.expr_str(e)


def cell(text):
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def symbols(kconf):
    """Every symbol defined in the Kconfig, in menu order."""
    seen, out = set(), []
    for node in kconf.node_iter():
        if isinstance(node.item, kconfiglib.Symbol) and node.item.name not in seen:
            seen.add(node.item.name)
            out.append(node)
    return out


def menu_path(node):
    parts = []
    p = node.parent
    while p is not None and p.parent is not None:
        if p.prompt:
            parts.append(p.prompt[0])
        p = p.parent
    return " > ".join(reversed(parts))


def page(kconf):
    lines = [
        "# Kconfig reference {#kconfig}",
        "",
        "Every build-time option of shmbox, generated from `Kconfig` by",
        "`tools/kconfig-doc.py` (kconfiglib). Values are set in a defconfig",
        "(`config/defconfig`, `-DSHMBOX_DEFCONFIG=...`) or in fragments",
        "(`-DSHMBOX_CONFIG_FRAGMENTS=...`), or interactively with",
        "`make menuconfig`; each becomes `CONFIG_<NAME>` in the generated",
        "`<shmbox/shmbox_config.h>`. Values that shape the region's layout are",
        "recorded in its header: processes built with different ones get",
        "`-EPROTO` from shmbox_open().",
        "",
        "| symbol | type | default | range | menu |",
        "| --- | --- | --- | --- | --- |",
    ]
    nodes = symbols(kconf)
    for node in nodes:
        sym = node.item
        defaults = "; ".join(
            expr(v) + ("" if c is kconf.y else " if " + expr(c)) for v, c in sym.defaults) or "-"
        ranges = "; ".join("%s..%s" % (expr(lo), expr(hi)) + ("" if c is kconf.y else " if " + expr(c))
                           for lo, hi, c in sym.ranges) or "-"
        lines.append("| [CONFIG_%s](#kconfig_%s) | %s | %s | %s | %s |" % (
            sym.name, sym.name.lower(), kconfiglib.TYPE_TO_STR[sym.orig_type], cell(defaults), cell(ranges),
            cell(menu_path(node))))
    lines.append("")
    for node in nodes:
        sym = node.item
        lines.append("## CONFIG_%s {#kconfig_%s}" % (sym.name, sym.name.lower()))
        lines.append("")
        if node.prompt:
            lines.append("**%s**" % cell(node.prompt[0]))
            lines.append("")
        facts = ["type: `%s`" % kconfiglib.TYPE_TO_STR[sym.orig_type]]
        for v, c in sym.defaults:
            facts.append("default: `%s`%s" % (expr(v), "" if c is kconf.y else " if `%s`" % expr(c)))
        for lo, hi, c in sym.ranges:
            facts.append("range: `%s`..`%s`%s" % (expr(lo), expr(hi), "" if c is kconf.y else " if `%s`" % expr(c)))
        if sym.direct_dep is not kconf.y:
            facts.append("depends on: `%s`" % expr(sym.direct_dep))
        if sym.choice is not None:
            facts.append("one choice of: %s" % (sym.choice.nodes[0].prompt[0] if sym.choice.nodes[0].prompt
                                                else sym.choice.name))
        lines.extend("- " + f for f in facts)
        lines.append("")
        text = node.help or next((n.help for n in sym.nodes if n.help), None)
        if text:
            lines.append(cell(text).replace("\\", "\\\\").replace("@", "\\@"))
        else:
            lines.append("(no help text)")
        lines.append("")
    return "\n".join(lines)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    kconf = kconfiglib.Kconfig(sys.argv[1], warn_to_stderr=False)
    if sys.argv[2] == "--names":
        print("\n".join("CONFIG_" + n.item.name for n in symbols(kconf)))
        return
    with open(sys.argv[2], "w") as f:
        f.write(page(kconf))


if __name__ == "__main__":
    main()
