#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install the Debian packages a make target needs, if any are missing.
# Idempotent: installs nothing when everything is there. Not root: prints
# the exact command to run and fails.
#
# Usage: tools/deps.sh GROUP...   (groups: core sanitize cross firmware tools config bench docs docs-shot)
set -euo pipefail

declare -A GROUP=(
  [core]="cmake make gcc g++ pkg-config python3 python3-kconfiglib check libsubunit-dev"
  [sanitize]="clang libclang-rt-14-dev valgrind"
  [cross]="gcc-arm-linux-gnueabihf gcc-aarch64-linux-gnu libc6-dev-armhf-cross libc6-dev-arm64-cross qemu-user check:armhf libsubunit-dev:armhf check:arm64 libsubunit-dev:arm64"
  [firmware]="gcc-arm-none-eabi picolibc-arm-none-eabi qemu-system-arm"
  [tools]="util-linux valgrind clang libclang-rt-14-dev scdoc man-db"
  [config]="tmux"
  [bench]="valgrind gnuplot-nox g++ libboost-dev iceoryx libiceoryx-binding-c-dev stress-ng"
  [docs]="doxygen"
  [docs-shot]="chromium"
)

want=()
for g in "$@"; do
  [[ -n "${GROUP[$g]:-}" ]] || { echo "deps.sh: unknown group '$g'" >&2; exit 2; }
  read -r -a pk <<<"${GROUP[$g]}"
  want+=("${pk[@]}")
done

native=$(dpkg --print-architecture)
installed() { # NAME or NAME:ARCH; a bare NAME means the native (or 'all') one
  local name=${1%%:*} arch=${1#*:}
  [[ "$arch" == "$1" ]] && arch=$native
  dpkg-query -W -f='${db:Status-Status} ${Architecture}\n' "$name" 2>/dev/null |
    grep -qE "^installed ($arch|all)\$"
}
missing=()
for p in "${want[@]}"; do
  installed "$p" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

need_arch=()
for p in "${missing[@]}"; do
  case "$p" in *:armhf) need_arch+=(armhf) ;; *:arm64) need_arch+=(arm64) ;; esac
done
arch_cmd=""
for a in $(printf '%s\n' "${need_arch[@]}" | sort -u); do
  dpkg --print-foreign-architectures 2>/dev/null | grep -qx "$a" || arch_cmd+="dpkg --add-architecture $a && "
done
cmd="${arch_cmd}apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"

if [[ $(id -u) -ne 0 ]]; then
  echo "shmbox: missing Debian packages: ${missing[*]}" >&2
  echo "shmbox: run as root:  $cmd" >&2
  exit 1
fi
echo "shmbox: installing missing Debian packages: ${missing[*]}"
for a in $(printf '%s\n' "${need_arch[@]}" | sort -u); do
  dpkg --print-foreign-architectures | grep -qx "$a" || dpkg --add-architecture "$a"
done
export DEBIAN_FRONTEND=noninteractive
# A transient mirror hash mismatch makes 'update' exit 100 while installs
# still work: do not fail on it alone.
apt-get update -q || echo "shmbox: apt-get update reported an error; trying the install anyway" >&2
apt-get install -y -q --no-install-recommends "${missing[@]}"
