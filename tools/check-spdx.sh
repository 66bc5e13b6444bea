#!/bin/sh
# SPDX-License-Identifier: MIT
# List the project's source files that lack an SPDX-License-Identifier line
# in their first 5 lines (the license is MIT: LICENSE). Exit 0 when none
# lacks it, 1 otherwise; --count prints only how many lack it.
# Source files: C, headers, CMake, Make, shell, Python, Kconfig, scdoc,
# linker scripts, and executable scripts, as tracked by git.
set -eu
cd "$(dirname "$0")/.."
missing=$(git ls-files -z | xargs -0 -r sh -c '
  for f; do
    [ -f "$f" ] || continue
    case "$f" in
      *.c|*.h|*.cmake|*.cmake.in|*.pc.in|CMakeLists.txt|*/CMakeLists.txt|Makefile|*.mk|*.sh|*.py|Kconfig|*.scd|*.ld) ;;
      *) [ -x "$f" ] && head -c 2 "$f" | grep -q "#!" || continue ;;
    esac
    head -n 5 "$f" | grep -q "SPDX-License-Identifier:" || echo "$f"
  done' sh)
if [ "${1:-}" = "--count" ]; then
  printf '%s\n' "$missing" | grep -c . || true
  exit 0
fi
[ -z "$missing" ] && exit 0
printf '%s\n' "$missing"
exit 1
