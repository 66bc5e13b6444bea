# SPDX-License-Identifier: MIT
"""The Linux and the firmware configs of the hybrid build must agree on
every layout value (else the region's fingerprint differs and an open is
-EPROTO): each defconfig is resolved against the Kconfig (defaults
included) and the layout values compared.

usage: layout_check.py LINUX.defconfig FIRMWARE.defconfig
"""
import os
import sys

import kconfiglib

LAYOUT = ["PAGE_SIZE", "POOL_COUNT"] + [f"POOL{i}_SLOT_{w}" for i in range(8) for w in ("SIZE", "COUNT")] + \
    ["MBOX_COUNT", "MBOX_DEPTH", "MSG_SIZE", "MAX_PROCS"]


def values(kconfig, defconfig):
    kc = kconfiglib.Kconfig(kconfig, warn_to_stderr=False)
    kc.load_config(defconfig)
    out = {}
    for name in LAYOUT:
        sym = kc.syms.get("SHMBOX_" + name)
        out[name] = sym.str_value if sym is not None and sym.visibility else ""
    return out


def main():
    top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    linux, fw = sys.argv[1], sys.argv[2]
    a, b = values(os.path.join(top, "Kconfig"), linux), values(os.path.join(top, "Kconfig"), fw)
    bad = [n for n in LAYOUT if a[n] != b[n]]
    for n in bad:
        print(f"CONFIG_SHMBOX_{n}: {linux} has {a[n] or '(unset)'}, {fw} has {b[n] or '(unset)'}")
    if a["PAGE_SIZE"] and int(a["PAGE_SIZE"]) % 4096:
        bad.append("PAGE_SIZE")
        print("CONFIG_SHMBOX_PAGE_SIZE: Linux maps the region: a multiple of 4096")
    if bad:
        return 1
    print("layout values agree: " + ", ".join(f"{n}={a[n]}" for n in LAYOUT if a[n]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
