#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run a benchmark command with the daemons it compares against, and leave
# nothing behind, also when interrupted (Ctrl-C, TERM, HUP).
#
#   bench/run.sh [--load] COMMAND...
#
# - Starts iceoryx's RouDi with bench/roudi.toml (small mempools) and sets
#   SHMBOX_BENCH_ICEORYX=1 for COMMAND; without iox-roudi, or when another
#   RouDi runs (its names in /dev/shm and /tmp are fixed), the iceoryx rows
#   are left out and this says so.
# - --load: stress-ng loads both CPUs (CPU, memory and cache stressors)
#   while COMMAND runs.
# - Afterwards: COMMAND's process group, stress-ng and RouDi are stopped,
#   and every entry that appeared in /dev/shm or /tmp during the run under
#   a name of these programs (RouDi's, iceoryx clients', the benchmark's
#   regions and queues) is removed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
load=0
if [ "${1:-}" = "--load" ]; then
  load=1
  shift
fi
[ $# -gt 0 ] || { echo "usage: bench/run.sh [--load] COMMAND..." >&2; exit 2; }

shm_before=$(ls -A /dev/shm 2>/dev/null)
tmp_before=$(ls -A /tmp 2>/dev/null)
user=$(id -un)
cmd_pid= roudi_pid= load_pid=

stop_group() { # PGID: TERM, then KILL after 5 s
  local pid=$1 i
  kill -TERM -- "-$pid" 2>/dev/null || return 0
  for i in $(seq 50); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}

# Entries of DIR that are new since the start and match one of PATTERNS.
remove_new() {
  local dir=$1 before=$2 f p
  shift 2
  for f in $(ls -A "$dir" 2>/dev/null); do
    printf '%s\n' "$before" | grep -qxF -- "$f" && continue
    for p in "$@"; do
      # shellcheck disable=SC2254
      case "$f" in $p) rm -f -- "${dir:?}/$f"; break ;; esac
    done
  done
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  [ -n "$cmd_pid" ] && stop_group "$cmd_pid"
  [ -n "$load_pid" ] && stop_group "$load_pid"
  [ -n "$roudi_pid" ] && stop_group "$roudi_pid"
  remove_new /dev/shm "$shm_before" 'shmbox.bench-*' 'shmbox-bench-*' \
    ${roudi_pid:+iceoryx_mgmt "$user"}
  remove_new /tmp "$tmp_before" 'shmbox-bench-*' ${roudi_pid:+roudi roudi.lock iox-unique-roudi.lock}
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---- RouDi ------------------------------------------------------------------
export SHMBOX_BENCH_ICEORYX=0
if ! command -v iox-roudi >/dev/null; then
  echo "bench: iox-roudi not installed (Debian package iceoryx): no iceoryx rows" >&2
elif [ -e /dev/shm/iceoryx_mgmt ] || [ -e /tmp/roudi ]; then
  echo "bench: another RouDi runs on this machine (/dev/shm/iceoryx_mgmt or /tmp/roudi exist):" \
       "no iceoryx rows in this run" >&2
else
  # Its own session: a Ctrl-C reaches it only through cleanup, after the
  # clients are gone. Monitoring off: a client starved by the load is not
  # declared dead.
  setsid iox-roudi -c "$here/roudi.toml" -m off -l error >/dev/null 2>&1 &
  roudi_pid=$!
  for _ in $(seq 100); do [ -S /tmp/roudi ] && break; sleep 0.1; done
  if [ -S /tmp/roudi ] && kill -0 "$roudi_pid" 2>/dev/null; then
    export SHMBOX_BENCH_ICEORYX=1
  else
    echo "bench: RouDi did not start: no iceoryx rows in this run" >&2
  fi
fi

# ---- load ---------------------------------------------------------------------
if [ "$load" = 1 ]; then
  command -v stress-ng >/dev/null || { echo "bench: stress-ng not installed" >&2; exit 2; }
  n=$(nproc)
  setsid stress-ng --cpu "$n" --vm 1 --vm-bytes 128M --cache "$n" --timeout 3600s --quiet \
    --temp-path "${TMPDIR:-/tmp}" >/dev/null 2>&1 &
  load_pid=$!
  sleep 2
  echo "bench: stress-ng loads the machine: $n CPU, 1 memory (128 MiB), $n cache stressors;" \
       "load average $(cut -d' ' -f1-3 /proc/loadavg)"
fi

# ---- the command: its own process group, so that cleanup stops all of it --------
setsid "$@" &
cmd_pid=$!
wait "$cmd_pid"
rc=$?
cmd_pid=
exit "$rc"
