#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A project that adds shmbox with add_subdirectory() runs menuconfig on its
# own fragment, driven through a real terminal (tmux): the number of
# mailboxes changes 3 -> 7 and statistics go off, the result is saved, and
# then the fragment holds both (its comments and other lines as they were),
# the next build's config header has them, and shmbox-savedefconfig writes
# a minimal defconfig into the build tree. Works on a copy of
# tests/consumer/{subdir,common}: the tracked fragment is never touched.
#
# Usage: tests/config/menuconfig.sh SHMBOX_SOURCE_DIR WORK_DIR
set -euo pipefail
unset MAKEFLAGS MFLAGS MAKELEVEL # the builds below are not part of a calling make's
src=$(cd "$1" && pwd)
work=$(mkdir -p "$2" && cd "$2" && pwd)
sock=shmbox-menuconfig-test-$$
tm() { tmux -L "$sock" "$@"; }
screen() { tm capture-pane -p -t mc 2>/dev/null || true; }
fail() {
  echo "config-menuconfig: $*" >&2
  echo "---- last screen:" >&2
  screen >&2
  exit 1
}
cleanup() { tm kill-server 2>/dev/null || true; }
trap cleanup EXIT
# wait_for TEXT: until the terminal shows TEXT (60 s at most).
wait_for() {
  local i
  for i in $(seq 600); do
    screen | grep -qF -- "$1" && return 0
    [[ -s "$work/rc" ]] && fail "shmbox-menuconfig ended early (exit status $(cat "$work/rc"))"
    sleep 0.1
  done
  fail "the terminal never showed: $1"
}

rm -rf "$work/src" "$work/build"
mkdir -p "$work/src"
cp -r "$src/tests/consumer/subdir" "$src/tests/consumer/common" "$work/src/"
frag=$work/src/subdir/consumer.config
cp "$frag" "$work/fragment.before"
cmake -S "$work/src/subdir" -B "$work/build" -DSHMBOX_DIR="$src" >/dev/null
header=$work/build/shmbox/shmbox-config/include/shmbox/shmbox_config.h
grep -q 'define CONFIG_SHMBOX_MBOX_COUNT 3$' "$header" || fail "the consumer's fragment is not in use"

rm -f "$work/rc"
# menuconfig needs the terminal: its output is read back from the pane,
# which stays open until the test ends.
tm new-session -d -s mc -x 120 -y 40 \
  "cmake --build '$work/build' --target shmbox-menuconfig; echo \$? > '$work/rc'; sleep 3600"
wait_for "Behaviour  --->"
# Number of mailboxes: jump to the symbol, edit the value.
tm send-keys -t mc /
wait_for "Jump to symbol"
tm send-keys -t mc -l SHMBOX_MBOX_COUNT
wait_for "SHMBOX_MBOX_COUNT(=3)"
tm send-keys -t mc Enter
wait_for "(3) Number of mailboxes"
tm send-keys -t mc Enter
wait_for "Range: 1-256"
tm send-keys -t mc C-u
tm send-keys -t mc -l 7
tm send-keys -t mc Enter
wait_for "(7) Number of mailboxes"
# Statistics: jump to the symbol, toggle it off.
tm send-keys -t mc /
wait_for "Jump to symbol"
tm send-keys -t mc -l SHMBOX_STATS
wait_for "SHMBOX_STATS(=y)"
tm send-keys -t mc Enter
wait_for "[*] Keep statistics"
tm send-keys -t mc Space
wait_for "[ ] Keep statistics"
tm send-keys -t mc q
wait_for "Save configuration?"
tm send-keys -t mc y
for _ in $(seq 600); do [[ -s "$work/rc" ]] && break; sleep 0.1; done
[[ -s "$work/rc" ]] || fail "shmbox-menuconfig did not finish"
tm capture-pane -p -J -S - -t mc | grep -v '^$' > "$work/menuconfig.log"
cat "$work/menuconfig.log"
[[ $(cat "$work/rc") == 0 ]] || fail "shmbox-menuconfig failed"
grep -q "wrote the configuration into $frag" "$work/menuconfig.log" || fail "no word of the fragment written"

# The fragment: the one value changed in place, statistics off appended,
# nothing else different.
expected=$(sed 's/^CONFIG_SHMBOX_MBOX_COUNT=3$/CONFIG_SHMBOX_MBOX_COUNT=7/' "$work/fragment.before"
           echo "# CONFIG_SHMBOX_STATS is not set")
if [[ "$(cat "$frag")" != "$expected" ]]; then
  diff -u <(echo "$expected") "$frag" >&2 || true
  fail "the fragment is not the expected one"
fi
echo "config-menuconfig: the fragment now reads:"
cat "$frag"

# The next build configures with it (the fragment is a configure input).
cmake --build "$work/build" --target shmbox >/dev/null
grep -q 'define CONFIG_SHMBOX_MBOX_COUNT 7$' "$header" || fail "the build did not pick up CONFIG_SHMBOX_MBOX_COUNT=7"
if grep -q 'CONFIG_SHMBOX_STATS' "$header"; then fail "the build did not pick up statistics off"; fi

# shmbox-savedefconfig: a minimal defconfig of the whole configuration,
# in the build tree; the fragment stays as it is.
cp "$frag" "$work/fragment.after"
cmake --build "$work/build" --target shmbox-savedefconfig | tee "$work/savedefconfig.log"
out=$work/build/shmbox/shmbox-config/defconfig
grep -q "wrote a minimal defconfig to $out" "$work/savedefconfig.log" || fail "savedefconfig did not say where it wrote"
grep -qx 'CONFIG_SHMBOX_MBOX_COUNT=7' "$out" || fail "savedefconfig: CONFIG_SHMBOX_MBOX_COUNT=7 missing in $out"
grep -qx '# CONFIG_SHMBOX_STATS is not set' "$out" || fail "savedefconfig: statistics off missing in $out"
cmp -s "$frag" "$work/fragment.after" || fail "savedefconfig changed the fragment"
echo "config-menuconfig: menuconfig edited the consumer's own fragment; the build and savedefconfig follow it"
