#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run a cross build's complete ctest suite (under qemu-user, through
# CMAKE_CROSSCOMPILING_EMULATOR) and require that it is the same suite as
# the native build's: the same test names, all run, none skipped, all passed.
#
# Usage: tests/cross/suite.sh NATIVE_BUILD CROSS_BUILD [ctest args...]
# (both trees configured; CROSS_BUILD built)
set -euo pipefail

[[ $# -ge 2 ]] || { echo "usage: $0 NATIVE_BUILD CROSS_BUILD [ctest args...]" >&2; exit 2; }
native=$1 cross=$2
shift 2
label=$(basename "$cross")

names() { ctest --test-dir "$1" -N | sed -n 's/^ *Test *#[0-9]*: *//p' | sort; }
names "$native" >"$cross/suite-native.txt"
names "$cross" >"$cross/suite-cross.txt"
n_native=$(wc -l <"$cross/suite-native.txt")
n_cross=$(wc -l <"$cross/suite-cross.txt")
if [[ $n_native -eq 0 ]] || ! cmp -s "$cross/suite-native.txt" "$cross/suite-cross.txt"; then
  echo "suite: FAIL: $label registers $n_cross tests, the native build $n_native; they must be the same:" >&2
  diff -u --label native --label "$label" "$cross/suite-native.txt" "$cross/suite-cross.txt" >&2 || true
  exit 1
fi

start=$(date +%s)
rc=0
ctest --test-dir "$cross" --output-on-failure --no-tests=error "$@" >"$cross/suite.log" 2>&1 || rc=$?
secs=$(( $(date +%s) - start ))
cat "$cross/suite.log"
# Every registered test ran and passed: no "Not Run", no skip.
if grep -qE 'tests did not run|\*\*\*Not Run|\*\*\*Skipped|Disabled' "$cross/suite.log"; then
  echo "suite: FAIL: $label: some tests did not run (see above)" >&2
  exit 1
fi
if [[ $rc -ne 0 ]] || ! grep -q "100% tests passed, 0 tests failed out of $n_native\$" "$cross/suite.log"; then
  echo "suite: FAIL: $label: not all $n_native tests passed (ctest exit $rc)" >&2
  exit 1
fi
# A program of the cross tree is never executed directly (only through
# qemu-user); host-side checks (e.g. cmake -P scripts running the cross nm)
# are fine.
abs=$(cd "$cross" && pwd)
cmds=$(grep -rhE '^add_test\(' "$cross" --include=CTestTestfile.cmake |
       sed -E 's/^add_test\(\[=\[[^]]*\]=\] "([^"]*)".*/\1/')
direct=$(grep -c "^$abs/" <<<"$cmds" || true)
n_emu=$(grep -cE '/qemu-[a-z0-9]+$' <<<"$cmds" || true)
emu=$(grep -oE 'qemu-[a-z0-9]+$' <<<"$cmds" | sort -u | tr '\n' ' ')
if [[ $direct -ne 0 ]]; then
  echo "suite: FAIL: $label: $direct tests execute a cross-built program without qemu-user" >&2
  exit 1
fi
echo "suite: $label: all $n_native tests passed in ${secs}s (the same $n_native tests as the native build," \
     "none skipped; $n_emu run their program under ${emu% }, $((n_native - n_emu)) are host-side checks)"
