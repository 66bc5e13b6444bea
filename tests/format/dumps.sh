#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The region layout of every config/*defconfig (and of the fragments named
# below) is byte for byte the one recorded in tests/format/expected/, which
# was printed by shmbox-layout before the layout had its own module (then
# at layout version 2; version 3 changed no byte, only the version and so
# the fingerprint lines: see SHMBOX_LAYOUT_VERSION; configs added since,
# e.g. the hybrid pair, were recorded when they were added; the
# configuration record's reserved word became `variant` with no byte moved,
# and config/minimal.defconfig moved to the compact variant, recorded
# then). Each
# case generates its config (config/kconfig.py, which sizes the region with
# the format module), compiles the library's compile-time instance of the
# format (component/src/layout.c: its _Static_asserts hold the compile-time
# arithmetic equal to the run-time one) with tools/layout/layout.c, which
# prints the run-time computation, and compares.
#
# Usage: tests/format/dumps.sh SOURCE_DIR WORK_DIR [CC [PYTHON]]
set -euo pipefail
src=$(cd "$1" && pwd)
work=$(mkdir -p "$2" && cd "$2" && pwd)
cc=${3:-cc}
py=${4:-/usr/bin/python3}
fail=0
run_case() { # name defconfig [fragment]
  local name=$1 defconfig=$2 out=$work/$1
  shift 2
  rm -rf "$out" && mkdir -p "$out"
  "$py" "$src/config/kconfig.py" "$src/Kconfig" "$defconfig" "$out/.config" "$out/include/shmbox/shmbox_config.h" \
    "$@" >/dev/null
  "$cc" -std=c11 -Wall -Wextra -Werror -pedantic -I "$out/include" -I "$src/component/include" \
    -I "$src/component/format/include" -I "$src/component/src" "$src/tools/layout/layout.c" \
    "$src/component/src/layout.c" "$src/component/format/format.c" "$src/component/format/format_check.c" \
    -o "$out/layout"
  "$out/layout" >"$out/layout.txt"
  if cmp -s "$src/tests/format/expected/$name.txt" "$out/layout.txt"; then
    echo "format-dumps: $name: identical ($(sed -n 's/^  region size *//p' "$out/layout.txt"))"
  else
    diff "$src/tests/format/expected/$name.txt" "$out/layout.txt" | head -20 >&2 || true
    echo "format-dumps: $name: the layout differs from tests/format/expected/$name.txt" >&2
    fail=1
  fi
}
n=0
for d in "$src"/config/*defconfig; do
  name=$(basename "$d" .defconfig)
  [[ -f "$src/tests/format/expected/$name.txt" ]] || { echo "format-dumps: no expected layout for $d" >&2; exit 1; }
  run_case "$name" "$d"
  n=$((n + 1))
done
run_case consumer "$src/config/defconfig" "$src/tests/consumer/subdir/consumer.config"
run_case eight-pools "$src/config/defconfig" "$src/tests/format/eight-pools.conf"
[[ $fail == 0 ]] || exit 1
echo "format-dumps: $((n + 2)) layouts identical to the recorded ones"
