#!/bin/sh
# SPDX-License-Identifier: MIT
# Building and installing need no test framework: the install commands of
# the README (-DSHMBOX_BUILD_TESTS=OFF) in a fresh build tree, with CMake's
# PkgConfig module disabled (the native tests find Check through it, so a
# configure that looked for Check would fail) and Check's library paths
# hidden; then what is installed, that nothing test-related was looked
# for, and that the installed library exports the public API only
# (tests/install/exports.sh).
# Usage: tests/install/install.sh WORK_DIR [JOBS]
set -eu
work=$1
jobs=${2:-2}
src=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$work"
mkdir -p "$work"
cmake -S "$src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DSHMBOX_BUILD_TESTS=OFF \
  -DCMAKE_DISABLE_FIND_PACKAGE_PkgConfig=ON -DSHMBOX_CHECK_LIB=/nonexistent/libcheck.a >"$work/configure.log" 2>&1 ||
  { cat "$work/configure.log"; echo "install.sh: configure failed" >&2; exit 1; }
cmake --build "$work/build" -j"$jobs" >"$work/build.log" 2>&1 ||
  { cat "$work/build.log"; echo "install.sh: build failed" >&2; exit 1; }
cmake --install "$work/build" --prefix "$work/prefix" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; echo "install.sh: install failed" >&2; exit 1; }
for f in lib/libshmbox.a include/shmbox/shmbox.h include/shmbox/shmbox_config.h bin/shmbox \
  share/man/man1/shmbox.1 lib/cmake/shmbox/shmboxConfig.cmake lib/pkgconfig/shmbox.pc; do
  [ -f "$work/prefix/$f" ] || { echo "install.sh: not installed: $f" >&2; exit 1; }
done
if grep -qiE '^(CHECK_|PC_CHECK|cmocka|SHMBOX_SUBUNIT)' "$work/build/CMakeCache.txt"; then
  grep -iE '^(CHECK_|PC_CHECK|cmocka|SHMBOX_SUBUNIT)' "$work/build/CMakeCache.txt"
  echo "install.sh: the configure looked for a test framework" >&2; exit 1
fi
if [ -e "$work/build/tests" ] || [ -e "$work/build/CTestTestfile.cmake" ] && grep -q add_test "$work/build/CTestTestfile.cmake"; then
  echo "install.sh: tests were configured" >&2; exit 1
fi
"$work/prefix/bin/shmbox" --version
# Only the public API is exported by the installed library (POSIX port).
"$src/tests/install/exports.sh" "$work/prefix/lib/libshmbox.a" "$work/prefix/include/shmbox/shmbox.h"
echo "install.sh: configured, built and installed without a test framework"
