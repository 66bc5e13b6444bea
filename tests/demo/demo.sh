#!/bin/sh
# SPDX-License-Identifier: MIT
# `make demo` on a built tree shows the demo's own lines at once: at most
# 10 lines of anything else come before its first line, and it ends well.
# Usage: tests/demo/demo.sh BUILD_DIR
set -eu
build=${1:-build}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# As a user types it: a top-level make, not a sub-make of this one.
run() { env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make --no-print-directory demo "BUILD=$build" >"$out" 2>&1; }
run || { cat "$out"; echo "demo.sh: make demo failed (first run)" >&2; exit 1; }
run || { cat "$out"; echo "demo.sh: make demo failed (built tree)" >&2; exit 1; }
first=$(grep -n '^demo: region "' "$out" | head -1 | cut -d: -f1)
if [ -z "$first" ]; then
  cat "$out"; echo "demo.sh: the demo's first line is missing" >&2; exit 1
fi
before=$((first - 1))
echo "demo.sh: $before line(s) before the demo's output on a built tree:"
head -n "$before" "$out" | sed 's/^/  | /'
if [ "$before" -gt 10 ]; then
  echo "demo.sh: more than 10 lines before the demo's output" >&2; exit 1
fi
grep -q '^demo: consumer says "all verified"' "$out" || { cat "$out"; echo "demo.sh: no verification line" >&2; exit 1; }
tail -1 "$out" | grep -q '^demo: region removed (success)$' || { cat "$out"; echo "demo.sh: bad last line" >&2; exit 1; }
echo "demo.sh: ok ($(wc -l <"$out") lines in all)"
