#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One region, three architectures: an x86_64 process, an armhf process
# (qemu-arm) and an aarch64 process (qemu-aarch64).
#
# Usage: tests/cross/mixed.sh NATIVE_BUILD ARMHF_BUILD AARCH64_BUILD [MSGS SLOTS]
#
# 1. Runs tools/layout/shmbox-layout of each build and requires the three
#    outputs to be byte-for-byte identical (kept in NATIVE_BUILD/mixed/).
# 2. Runs tests/cross/shmbox-mixed: `create` natively, then `join 1` under
#    qemu-arm and `join 2` under qemu-aarch64, on one region at the same
#    time; every participant sends messages and slots to both others and
#    verifies every byte it receives (see mixed.c). Fails if any process
#    fails, and kills the others then; removes the region in any case.
set -euo pipefail

[[ $# -eq 3 || $# -eq 5 ]] || { echo "usage: $0 NATIVE_BUILD ARMHF_BUILD AARCH64_BUILD [MSGS SLOTS]" >&2; exit 2; }
native=$1 armhf=$2 aarch64=$3
counts=("${@:4}")
out=$native/mixed
mkdir -p "$out"

archs=(x86_64 armhf aarch64)
declare -A dir=([x86_64]=$native [armhf]=$armhf [aarch64]=$aarch64)
declare -A emu=([x86_64]="" [armhf]="qemu-arm -L /usr/arm-linux-gnueabihf"
                [aarch64]="qemu-aarch64 -L /usr/aarch64-linux-gnu")
for a in "${archs[@]}"; do
  for p in tools/layout/shmbox-layout tests/cross/shmbox-mixed; do
    [[ -x ${dir[$a]}/$p ]] || { echo "mixed: ${dir[$a]}/$p missing: build the $a tree first" >&2; exit 1; }
  done
done
for q in qemu-arm qemu-aarch64; do
  command -v $q >/dev/null || { echo "mixed: $q missing: run tools/deps.sh cross" >&2; exit 1; }
done

# ---- 1. the layout dump, byte for byte ----------------------------------
for a in "${archs[@]}"; do
  ${emu[$a]} "${dir[$a]}/tools/layout/shmbox-layout" >"$out/layout-$a.txt"
done
for a in armhf aarch64; do
  if ! cmp -s "$out/layout-x86_64.txt" "$out/layout-$a.txt"; then
    echo "mixed: FAIL: the layout of the $a build differs from x86_64's:" >&2
    diff -u "$out/layout-x86_64.txt" "$out/layout-$a.txt" >&2 || true
    exit 1
  fi
done
fp=$(sed -n 's/^ *fingerprint *//p' "$out/layout-x86_64.txt")
size=$(sed -n 's/^  region size *//p' "$out/layout-x86_64.txt")
echo "mixed: layout dump identical on x86_64, armhf and aarch64:" \
     "$(wc -l <"$out/layout-x86_64.txt") lines, fingerprint $fp, region $size ($out/layout-*.txt)"

# ---- 2. three architectures on one region --------------------------------
port=$(sed -n 's/^CONFIG_SHMBOX_PORT_\([A-Z]*\)=y$/\1/p' "$native/shmbox-config/.config" 2>/dev/null || true)
name="t-mixed3-$$"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  "$native/tests/cross/shmbox-mixed" unlink "$name" || true
}
trap cleanup EXIT

"$native/tests/cross/shmbox-mixed" create "$name" "${counts[@]}" >"$out/x86_64.log" 2>&1 &
pids+=($!)
# Joiners start once the region exists.
for _ in $(seq 300); do
  grep -q 'layout fingerprint' "$out/x86_64.log" && break
  kill -0 "${pids[0]}" 2>/dev/null || break
  sleep 0.1
done
${emu[armhf]} "$armhf/tests/cross/shmbox-mixed" join "$name" 1 "${counts[@]}" >"$out/armhf.log" 2>&1 &
pids+=($!)
${emu[aarch64]} "$aarch64/tests/cross/shmbox-mixed" join "$name" 2 "${counts[@]}" >"$out/aarch64.log" 2>&1 &
pids+=($!)

# Wait for all three; the first failure kills the others.
failed=0
declare -A done_=()
while [[ ${#done_[@]} -lt 3 && $failed -eq 0 ]]; do
  sleep 0.1
  for p in "${pids[@]}"; do
    [[ -n ${done_[$p]:-} ]] && continue
    kill -0 "$p" 2>/dev/null && continue
    rc=0; wait "$p" || rc=$?
    done_[$p]=$rc
    [[ $rc -eq 0 ]] || failed=1
  done
done
if [[ $failed -ne 0 ]]; then
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
fi
pids=()
cat "$out/x86_64.log" "$out/armhf.log" "$out/aarch64.log"

# The three identified themselves as three architectures with one fingerprint.
for a in "${archs[@]}"; do
  grep -q "^\[$a #[0-2]\] pid .*layout fingerprint $fp" "$out/$a.log" ||
    { echo "mixed: FAIL: no $a participant with fingerprint $fp" >&2; failed=1; }
done
grep -q '^shmbox-mixed: PASS' "$out/x86_64.log" || failed=1
if [[ $failed -ne 0 ]]; then
  echo "mixed: FAIL (logs in $out)" >&2
  exit 1
fi
echo "mixed: PASS: x86_64, armhf (32-bit, qemu-arm) and aarch64 (qemu-aarch64) processes shared ${port:-the}" \
     "region $name at once; every message and slot in all six directions verified byte by byte"
