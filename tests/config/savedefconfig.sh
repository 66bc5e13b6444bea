#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make savedefconfig` writes a minimal defconfig into the build tree and
# leaves the tracked defconfigs alone (checksums before and after); with
# DEFCONFIG_OUT it writes there and keeps the comment lines at the top.
# Each written file gives the same configuration as its input.
#
# Usage: tests/config/savedefconfig.sh WORK_DIR   (from the top of the tree)
set -euo pipefail
work=$(mkdir -p "$1" && cd "$1" && pwd)
make=${MAKE:-make}
py=$(cmake -P config/kconfig_python.cmake)
fail() { echo "config-savedefconfig: $*" >&2; exit 1; }
# same_config A B: A and B give the same generated config header.
same_config() {
  rm -rf "$work/gen"
  "$py" config/kconfig.py Kconfig "$1" "$work/gen/a/.config" "$work/gen/a/h.h" >/dev/null
  "$py" config/kconfig.py Kconfig "$2" "$work/gen/b/.config" "$work/gen/b/h.h" >/dev/null
  cmp -s "$work/gen/a/h.h" "$work/gen/b/h.h" || { diff "$work/gen/a/h.h" "$work/gen/b/h.h" >&2; fail "$2 is not the configuration of $1"; }
}

before=$(sha256sum config/*defconfig)
for d in config/defconfig config/sysv.defconfig config/static.defconfig; do
  b=$work/$(basename "$d")
  rm -rf "$b"
  $make --no-print-directory savedefconfig BUILD="$b" DEFCONFIG="$d" | tee "$work/log"
  grep -q "wrote a minimal defconfig to $b/kconfig/defconfig" "$work/log" || fail "no word of where it wrote"
  same_config "$d" "$b/kconfig/defconfig"
done
[[ "$(sha256sum config/*defconfig)" == "$before" ]] || fail "a tracked defconfig changed"
echo "config-savedefconfig: the tracked defconfigs are unchanged:"
echo "$before"

# Asked explicitly: DEFCONFIG_OUT (a copy of config/sysv.defconfig here).
cp config/sysv.defconfig "$work/copy.defconfig"
$make --no-print-directory savedefconfig BUILD="$work/explicit" DEFCONFIG=config/sysv.defconfig \
  DEFCONFIG_OUT="$work/copy.defconfig"
same_config config/sysv.defconfig "$work/copy.defconfig"
head -n 4 config/sysv.defconfig | cmp -s - <(head -n 4 "$work/copy.defconfig") || fail "the comment lines at the top were lost"
grep -qx 'CONFIG_SHMBOX_PORT_SYSV=y' "$work/copy.defconfig" || fail "the port is missing from the minimal defconfig"
echo "config-savedefconfig: DEFCONFIG_OUT written with its comment header kept:"
cat "$work/copy.defconfig"
