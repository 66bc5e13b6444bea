#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make savedefconfig` writes a minimal defconfig into the build tree and
# leaves the tracked defconfigs alone (checksums before and after); with
# DEFCONFIG_OUT it writes there and keeps the comment lines at the top.
# Each written file gives the same configuration as its input. The command
# menuconfig prints saves its edits into the defconfig given; savedefconfig
# refuses edits made over another defconfig and a defconfig with mistakes.
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
rm -rf "$work/explicit"
$make --no-print-directory savedefconfig BUILD="$work/explicit" DEFCONFIG=config/sysv.defconfig \
  DEFCONFIG_OUT="$work/copy.defconfig"
same_config config/sysv.defconfig "$work/copy.defconfig"
head -n 4 config/sysv.defconfig | cmp -s - <(head -n 4 "$work/copy.defconfig") || fail "the comment lines at the top were lost"
grep -qx 'CONFIG_SHMBOX_PORT_SYSV=y' "$work/copy.defconfig" || fail "the port is missing from the minimal defconfig"
echo "config-savedefconfig: DEFCONFIG_OUT written with its comment header kept:"
cat "$work/copy.defconfig"

# `make menuconfig DEFCONFIG=X`, then the command it prints to update X:
# X gets the edit and keeps its own settings. menuconfig is a stand-in
# here (a module named menuconfig first on PYTHONPATH) that sets
# CONFIG_SHMBOX_MSG_SIZE=256 and saves, as a user would.
mkdir -p "$work/fake"
cat > "$work/fake/menuconfig.py" <<'PY'
import os, sys, kconfiglib
k = kconfiglib.Kconfig(sys.argv[1], warn_to_stderr=False)
k.load_config(os.environ["KCONFIG_CONFIG"])
k.syms["SHMBOX_MSG_SIZE"].set_value(os.environ.get("MSG_SIZE", "256"))
k.write_config(os.environ["KCONFIG_CONFIG"])
PY
mine=$work/mine.defconfig
cp config/sysv.defconfig "$mine"
rm -rf "$work/mc"
PYTHONPATH="$work/fake" $make --no-print-directory menuconfig BUILD="$work/mc" DEFCONFIG="$mine" | tee "$work/log"
hint=$(sed -n "s/.*('\(make savedefconfig [^']*\)' updates.*/\1/p" "$work/log")
[[ "$hint" == "make savedefconfig DEFCONFIG=$mine DEFCONFIG_OUT=$mine" ]] || fail "menuconfig's hint is not the command that updates $mine: '$hint'"
# The same without DEFCONFIG: the edits were made over another defconfig.
if $make --no-print-directory savedefconfig BUILD="$work/mc" DEFCONFIG_OUT="$mine" 2>"$work/err"; then
  fail "savedefconfig without DEFCONFIG=$mine saved edits made over it"
fi
cat "$work/err"
grep -q "holds menuconfig edits made over $mine" "$work/err" || fail "no word of why savedefconfig refused"
cmp -s config/sysv.defconfig "$mine" || fail "a refused savedefconfig changed $mine"
$hint BUILD="$work/mc"
grep -qx 'CONFIG_SHMBOX_MSG_SIZE=256' "$mine" || fail "the menuconfig edit is not in $mine"
grep -qx 'CONFIG_SHMBOX_PORT_SYSV=y' "$mine" || fail "$mine lost its port"
# Saved again (the edits are in $mine now): the same file.
cp "$mine" "$work/mine.saved"
$hint BUILD="$work/mc"
cmp -s "$mine" "$work/mine.saved" || fail "a second savedefconfig changed $mine"
echo "config-savedefconfig: menuconfig's hint saved the edit into $mine:"
cat "$mine"
# Edited again, and $mine changed by hand since: either would be lost.
MSG_SIZE=512 PYTHONPATH="$work/fake" $make --no-print-directory menuconfig BUILD="$work/mc" DEFCONFIG="$mine"
echo 'CONFIG_SHMBOX_MBOX_COUNT=5' >> "$mine"
cp "$mine" "$work/mine.saved"
if $hint BUILD="$work/mc" 2>"$work/err"; then
  fail "savedefconfig saved menuconfig edits over a defconfig changed since"
fi
cat "$work/err"
grep -q "$mine changed after .* was made from it" "$work/err" || fail "no word of why savedefconfig refused"
cmp -s "$mine" "$work/mine.saved" || fail "a refused savedefconfig changed $mine"

# A defconfig with mistakes: refused as at configure time, nothing written.
printf 'CONFIG_SHMBOX_POOL_COUNT=9\nCONFIG_SHMBOX_POOL_CONT=2\n' > "$work/bad.defconfig"
rm -rf "$work/bad" "$work/bad.out"
if $make --no-print-directory savedefconfig BUILD="$work/bad" DEFCONFIG="$work/bad.defconfig" \
    DEFCONFIG_OUT="$work/bad.out" 2>"$work/err"; then
  fail "savedefconfig accepted a defconfig with mistakes"
fi
cat "$work/err"
grep -q "bad.defconfig:1: error: CONFIG_SHMBOX_POOL_COUNT=9: out of range" "$work/err" || fail "line 1's mistake not reported"
grep -q "bad.defconfig:2: error: .*SHMBOX_POOL_CONT" "$work/err" || fail "line 2's mistake not reported"
[[ ! -e "$work/bad.out" ]] || fail "savedefconfig wrote a file from a defconfig with mistakes"
echo "config-savedefconfig: a defconfig with mistakes is refused, nothing written"
