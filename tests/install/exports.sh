#!/bin/sh
# SPDX-License-Identifier: MIT
# The installed library exports the public API and nothing else:
# `nm -g --defined-only` of LIBRARY lists exactly the functions HEADER
# (the installed <shmbox/shmbox.h>) declares with SHMBOX_API. No internal
# name (sbx_*, shmbox_port_*, ...) may be global in it.
# The one exception, for a static-port (firmware) library only: its weak
# application hooks shmbox_static_* (port/include/shmbox/port.h), which the
# application overrides, are global by design; --static-port allows them.
# Usage: tests/install/exports.sh [--static-port] [--nm NM] LIBRARY HEADER
set -eu
allow=''
nm=nm
while [ $# -gt 2 ]; do
  case $1 in
    --static-port) allow='^shmbox_static_'; shift ;;
    --nm) nm=$2; shift 2 ;;
    *) echo "usage: $0 [--static-port] [--nm NM] LIBRARY HEADER" >&2; exit 2 ;;
  esac
done
lib=$1 header=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The public API: HEADER's SHMBOX_API functions, and those of the region
# format header it includes (<shmbox/shmbox_format.h>, next to it).
format_header="$(dirname "$header")/shmbox_format.h"
[ -f "$format_header" ] || format_header=
sed -n 's/^SHMBOX_API .*[ *]\([A-Za-z_][A-Za-z0-9_]*\)(.*/\1/p' "$header" $format_header | sort -u >"$tmp/api"
[ -s "$tmp/api" ] || { echo "exports.sh: no SHMBOX_API declaration found in $header" >&2; exit 1; }
"$nm" -g --defined-only "$lib" | awk 'NF == 3 { print $3 }' | sort -u >"$tmp/all"
if [ -n "$allow" ]; then grep -Ev "$allow" "$tmp/all" >"$tmp/got" || true; else cp "$tmp/all" "$tmp/got"; fi
comm -13 "$tmp/api" "$tmp/got" >"$tmp/extra"
comm -23 "$tmp/api" "$tmp/got" >"$tmp/missing"
if [ -s "$tmp/extra" ]; then
  echo "exports.sh: $lib exports $(wc -l <"$tmp/extra") symbol(s) that are not public API:" >&2
  sed 's/^/  /' "$tmp/extra" >&2
fi
if [ -s "$tmp/missing" ]; then
  echo "exports.sh: $lib lacks $(wc -l <"$tmp/missing") public function(s) of $header:" >&2
  sed 's/^/  /' "$tmp/missing" >&2
fi
[ ! -s "$tmp/extra" ] && [ ! -s "$tmp/missing" ] || exit 1
echo "exports.sh: $lib exports the $(wc -l <"$tmp/api") functions of the public API and nothing else$([ -n "$allow" ] && echo " (and the static port's hooks: $(grep -cE "$allow" "$tmp/all"))")"
