#!/bin/sh
# SPDX-License-Identifier: MIT
# One hybrid test: the emulated board (qemu-system-arm mps2-an521, dual
# Cortex-M33, multi-threaded TCG: its atomics are the host's) runs the
# firmware while Linux processes map the board's RAM through the file
# that backs it, the shmbox region 1 MiB into it.
#
#   run.sh SCENARIO     (environment: HB_FW, HB_HOST, HB_CLI, HB_QEMU,
#                        HB_ARMHF_HOST; counts: HB_N, HB_M, HB_K)
#
# The board's semihosting output goes to a log (shown on failure), its
# exit status is the firmware's; a board still running after
# HB_BOARD_TIMEOUT seconds (default 200) is killed and the test fails.
set -u

scenario=${1:?usage: run.sh SCENARIO}
: "${HB_FW:?HB_FW: the firmware ELF}" "${HB_HOST:?HB_HOST: the Linux program}"
[ -f "$HB_FW" ] || { echo "run.sh: no firmware at $HB_FW (build the preset hybrid-fw)" >&2; exit 1; }
QEMU=${HB_QEMU:-qemu-system-arm}
BOARD_TIMEOUT=${HB_BOARD_TIMEOUT:-200}

dir=$(mktemp -d "${TMPDIR:-/tmp}/shmbox-hybrid.XXXXXX") || exit 1
# The board's RAM: a file of exactly 16 MiB (qemu refuses any other size).
mem=$(mktemp /dev/shm/hb.XXXXXX) || exit 1
truncate -s 16M "$mem" || exit 1
region="$mem@0x100000"
boards=0
board_pid=
hogs=
bg=

# The qemu process under timeout(1) (board_pid is timeout's).
qemu_pid() {
    cat "/proc/$board_pid/task/$board_pid/children" 2>/dev/null
}

cleanup() {
    [ -n "$board_pid" ] && kill -9 $(qemu_pid) "$board_pid" 2>/dev/null
    for p in $hogs $bg; do kill -9 "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -f "$mem"
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
    echo "hybrid $scenario: FAIL: $*" >&2
    for f in "$dir"/*.log; do
        [ -f "$f" ] || continue
        echo "---- $(basename "$f")" >&2
        tail -n 40 "$f" >&2
    done
    exit 1
}

# board_start ARGS...: boot the firmware with scenario ARGS (qemu -append).
board_start() {
    boards=$((boards + 1))
    log="$dir/board-$boards.log"
    timeout -s KILL "$BOARD_TIMEOUT" "$QEMU" -M mps2-an521 -smp 2 -accel tcg,thread=multi \
        -object "memory-backend-file,id=mem,size=16M,mem-path=$mem,share=on" -machine memory-backend=mem \
        -display none -monitor none -serial null -semihosting \
        -kernel "$HB_FW" -append "$*" >"$log" 2>&1 &
    board_pid=$!
}

# board_wait: the firmware's exit status must be 0.
board_wait() {
    wait "$board_pid"
    rc=$?
    board_pid=
    cat "$log"
    [ "$rc" -eq 0 ] || fail "the board exited with status $rc (killed after ${BOARD_TIMEOUT} s if 137)"
}

# board_kill: stop the board as a power cut would.
board_kill() {
    q=$(qemu_pid)
    [ -n "$q" ] || fail "the board is not running"
    kill -9 $q
    wait "$board_pid" 2>/dev/null
    board_pid=
    cat "$log"
}

# host ROLE ARGS: the Linux program on the region (started directly, not
# through this function, when in the background: $! is then its pid).
host() {
    "$HB_HOST" "$region" "$@"
}

# wait_for FILE SECONDS
wait_for() {
    i=0
    while [ ! -e "$1" ]; do
        i=$((i + 1))
        [ "$i" -le $(($2 * 20)) ] || fail "timed out waiting for $1"
        sleep 0.05
    done
}

# wait_ok PID WHAT: that background process must exit 0.
wait_ok() {
    wait "$1" || fail "$2 failed"
}

hog_start() {
    n=$(nproc)
    for _ in $(seq "$n"); do
        (while :; do :; done) &
        hogs="$hogs $!"
    done
    echo "hybrid: $n busy loops started (every host CPU loaded)"
}

N=${HB_N:-100000}
M=${HB_M:-10000}
K=${HB_K:-2000}
start=$(date +%s%N)

case "$scenario" in
own-fw-create)
    board_start own create
    host own || fail "Linux side"
    board_wait
    ;;
linux-first)
    # Linux opens before the board boots (the product's usual boot order):
    # its open waits for the region however long the firmware takes (here
    # longer than the 3 s an EMPTY region gets where no creator can be
    # told), and a firmware creating meanwhile is never taken for dead.
    "$HB_HOST" "$region" own >"$dir/host.log" 2>&1 &
    bg=$!
    sleep 4
    [ -e "/proc/$bg" ] || { cat "$dir/host.log"; fail "the Linux open gave up before the firmware booted"; }
    board_start own create
    wait_ok "$bg" "Linux side"
    bg=
    cat "$dir/host.log"
    board_wait
    ;;
own-linux-create)
    "$HB_HOST" "$region" own create >"$dir/host.log" 2>&1 &
    bg=$!
    i=0
    until grep -q 'own: created' "$dir/host.log"; do
        i=$((i + 1))
        [ "$i" -le 200 ] || fail "the Linux side did not create the region"
        sleep 0.05
    done
    board_start own open
    wait_ok "$bg" "Linux side"
    bg=
    cat "$dir/host.log"
    board_wait
    ;;
traffic)
    board_start traffic "$N" "$M"
    host traffic "$N" "$M" || fail "Linux side"
    board_wait
    ;;
many | many-loaded)
    [ "$scenario" = many-loaded ] && hog_start
    n=${HB_MANY:-20000}
    host create || fail "create"
    board_start many "$n"
    "$HB_HOST" "$region" recv 4 strict "$n" 0,1,2 >"$dir/rin.log" 2>&1 & rin=$!
    "$HB_HOST" "$region" send 4 1 "$n" >"$dir/s1.log" 2>&1 & s1=$!
    "$HB_HOST" "$region" send 4 2 "$n" >"$dir/s2.log" 2>&1 & s2=$!
    # The Linux receivers work 100 us on each message, as consumers do:
    # the firmware's receiver gets its share.
    "$HB_HOST" "$region" recv 5 ends "$n" "$dir/rec1" 100 >"$dir/r1.log" 2>&1 & r1=$!
    "$HB_HOST" "$region" recv 5 ends "$n" "$dir/rec2" 100 >"$dir/r2.log" 2>&1 & r2=$!
    "$HB_HOST" "$region" send 5 3 "$n" >"$dir/s3.log" 2>&1 & s3=$!
    "$HB_HOST" "$region" send 5 4 "$n" >"$dir/s4.log" 2>&1 & s4=$!
    bg="$rin $s1 $s2 $r1 $r2 $s3 $s4"
    wait_ok "$s3" "sender 3"
    wait_ok "$s4" "sender 4"
    # Every message of senders 3 and 4 is queued: one end marker per receiver.
    host ends 5 3 || fail "end markers"
    for p in $rin $s1 $s2 $r1 $r2; do wait_ok "$p" "a Linux sender or receiver"; done
    bg=
    cat "$dir/rin.log" "$dir/r1.log" "$dir/r2.log"
    board_wait
    host many-check "$mem" "$n" 3,4 "$dir/rec1" "$dir/rec2" || fail "many-check"
    ;;
crash-reclaim)
    board_start crash
    host crash reclaim || fail "Linux side"
    board_wait
    ;;
crash-take)
    board_start crash
    host crash take || fail "Linux side"
    board_wait
    ;;
reattach)
    nlx=${HB_NLX:-20000}
    # Linux-to-Linux traffic all along (copies only: the pools' counts
    # are the firmware's), paced to outlast the board's restart.
    "$HB_HOST" "$region" send 6 5 "$nlx" 100 0 >"$dir/lxs.log" 2>&1 & lxs=$!
    "$HB_HOST" "$region" recv 6 strict "$nlx" 5 0 >"$dir/lxr.log" 2>&1 & lxr=$!
    bg="$lxs $lxr"
    board_start reattach 1
    "$HB_HOST" "$region" reattach "$dir" >"$dir/host.log" 2>&1 & h=$!
    bg="$bg $h"
    wait_for "$dir/kill" 120
    board_kill
    echo "hybrid: board killed mid-traffic"
    touch "$dir/killed"
    wait_for "$dir/drained" 60
    [ -e "/proc/$lxr" ] || fail "the Linux-to-Linux traffic did not outlast the restart (make HB_NLX larger)"
    board_start reattach 2
    wait_ok "$h" "Linux side"
    cat "$dir/host.log"
    board_wait
    wait_ok "$lxs" "Linux-to-Linux sender"
    wait_ok "$lxr" "Linux-to-Linux receiver"
    bg=
    cat "$dir/lxr.log"
    ;;
mesh)
    : "${HB_ARMHF_HOST:?HB_ARMHF_HOST: hybrid_host built for armhf (preset hybrid-armhf)}"
    [ -x "$HB_ARMHF_HOST" ] || fail "no armhf program at $HB_ARMHF_HOST"
    board_start mesh "$K"
    "$HB_HOST" "$region" mesh 1 "$K" >"$dir/x86.log" 2>&1 & x=$!
    bg=$x
    qemu-arm "$HB_ARMHF_HOST" "$region" mesh 2 "$K" >"$dir/armhf.log" 2>&1 || fail "armhf side"
    wait_ok "$x" "x86_64 side"
    bg=
    cat "$dir/x86.log" "$dir/armhf.log"
    board_wait
    ;;
demo)
    echo "demo: booting the board (Cortex-M33, qemu mps2-an521) with its RAM in $mem;"
    echo "demo: the firmware creates a shmbox region at 0x80100000, Linux maps $region"
    board_start demo
    host demo || fail "Linux side"
    board_wait
    exit 0
    ;;
*)
    echo "run.sh: unknown scenario $scenario" >&2
    exit 2
    ;;
esac
echo "hybrid $scenario: passed in $(awk "BEGIN { printf \"%.1f\", ($(date +%s%N) - $start) / 1e9 }") s"
