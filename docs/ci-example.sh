#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Example CI job: test an OpenOCD-based flow against stm32sim instead of a board
# (docs/ci-example.md explains every step).  The flow here is the usual "program the
# firmware, verify it, reset": stock OpenOCD's `program` command with its stm32h7x
# flash driver.  Put your own flow in ci_flow below and your own checks in the
# python3 snippets.
#
# It runs the flow twice:
#   1. on a blank STM32H743ZI (h743-factory-fresh.scn): the flow must succeed, and the
#      simulated flash must then hold exactly the image;
#   2. on an STM32H743ZI at readout protection level 1 (h743-rdp1.scn): the flow must
#      fail, and leave the flash as it was: a CI flow that reports success on a locked
#      chip is a bug this catches.
#
# Works from the installed Debian package (stm32sim on PATH, scenarios in
# /usr/share/doc/stm32unbrick/scenarios, OpenOCD finds interface/stm32sim.cfg by itself)
# and from a built source tree (run as docs/ci-example.sh; OpenOCD gets -s <tree>/tcl).
# Override with STM32SIM=..., SCENARIOS=..., OPENOCD=...  Exit status 0 when every check
# passed.  Needs openocd, python3 and coreutils' timeout.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
if [ -x "$here/../testing/sim/stm32sim" ]; then
	# docs/ci-example.sh in a built source tree.
	top=$(cd "$here/.." && pwd)
	STM32SIM=${STM32SIM:-$top/testing/sim/stm32sim}
	SCENARIOS=${SCENARIOS:-$top/testing/scenarios}
	search_dir=$top/tcl
else
	# The installed package: OpenOCD searches /usr/share/openocd/site without -s.
	STM32SIM=${STM32SIM:-stm32sim}
	SCENARIOS=${SCENARIOS:-/usr/share/doc/stm32unbrick/scenarios}
	search_dir=""
fi
OPENOCD=${OPENOCD:-openocd}
IMAGE=${IMAGE:-$SCENARIOS/images/app-loop.bin}

work=$(mktemp -d)
sim_pid=""
cleanup() {
	if [ -n "$sim_pid" ]; then
		kill -KILL "$sim_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts the simulator on a scenario, with its socket and state file in $work/NAME.*,
# and waits (at most 10 s) for its "listening on" line.  Exports STM32SIM_SOCKET, which
# interface/stm32sim.cfg reads.  --time-scale 0.01 runs simulated time 100x faster (a
# 1.1 s sector erase takes 11 ms) while OpenOCD still sees a busy flash.
sim_start() {
	name=$1 scenario=$2
	"$STM32SIM" --scenario "$scenario" --unix "$work/$name.sock" --state "$work/$name.json" \
		--time-scale 0.01 >"$work/$name.out" 2>"$work/$name.log" &
	sim_pid=$!
	tries=0
	until grep -q '^listening on ' "$work/$name.out" 2>/dev/null; do
		if ! kill -0 "$sim_pid" 2>/dev/null; then
			echo "stm32sim exited before listening:" >&2
			cat "$work/$name.log" >&2
			sim_pid=""
			return 1
		fi
		tries=$((tries + 1))
		[ "$tries" -le 100 ] || { echo "stm32sim did not listen within 10 s" >&2; return 1; }
		sleep 0.1
	done
	# The state file as the scenario built the chip, before any probe touched it.
	cp "$work/$name.json" "$work/$name.start.json"
	STM32SIM_SOCKET=$work/$name.sock
	export STM32SIM_SOCKET
}

# Stops the simulator with SIGTERM: it writes the final state JSON and exits 0.
# Waits at most 10 s, then kills it and fails.
sim_stop() {
	kill -TERM "$sim_pid"
	tries=0
	while kill -0 "$sim_pid" 2>/dev/null; do
		tries=$((tries + 1))
		if [ "$tries" -gt 100 ]; then
			echo "stm32sim ignored SIGTERM for 10 s" >&2
			return 1
		fi
		sleep 0.1
	done
	status=0
	wait "$sim_pid" || status=$?
	sim_pid=""
	[ "$status" -eq 0 ] || { echo "stm32sim exited with status $status" >&2; return 1; }
}

# The flow under test.  stm32sim does not execute Thumb code, so OpenOCD's on-chip
# flash loader cannot run there: WORKAREASIZE 0 makes the stm32h7x driver write the
# flash from the host, word by word (on silicon it is the same driver, only slower).
# A build tree's scripts need -s <tree>/tcl; the installed ones are found without it.
ci_flow() {
	set --
	[ -z "$search_dir" ] || set -- -s "$search_dir"
	timeout 300 "$OPENOCD" "$@" -f interface/stm32sim.cfg -c "set WORKAREASIZE 0" \
		-f target/stm32h7x_dual_bank.cfg \
		-c "program {$IMAGE} 0x08000000 verify reset exit"
}

failures=0
check() {
	if "$@"; then
		echo "ok: $desc"
	else
		echo "FAILED: $desc"
		failures=$((failures + 1))
	fi
}

# ---- 1. a blank chip: the flow must succeed and leave exactly the image in flash.
sim_start fresh "$SCENARIOS/h743-factory-fresh.scn"
flow_status=0
ci_flow >"$work/fresh.openocd.log" 2>&1 || flow_status=$?
sim_stop
desc="blank H743: the flow succeeds"
check [ "$flow_status" -eq 0 ]
[ "$flow_status" -eq 0 ] || tail -n 20 "$work/fresh.openocd.log"

# What bank 1 must hold: the image, then erased flash (0xFF) to the end of the bank
# (STM32H743ZI: 2 MiB in two banks of 1 MiB).  The state JSON gives each bank's SHA-256.
image_size=$(wc -c <"$IMAGE")
bank1_sha256=$({ cat "$IMAGE"; head -c $((1024 * 1024 - image_size)) /dev/zero | tr '\000' '\377'; } |
	sha256sum | cut -d ' ' -f 1)

desc="blank H743: bank 1 holds the image and erased flash after it, bank 2 is erased, the core runs it"
check python3 - "$work/fresh.json" "$bank1_sha256" <<'EOF'
import json, sys
state = json.load(open(sys.argv[1]))
problems = []
if state["flash_sha256"]["bank1"] != sys.argv[2]:
	problems.append("bank 1 does not hold the image")
if not state["flash"]["bank2"]["erased"]:
	problems.append("bank 2 was written")
if state["rdp"] != "0xaa":
	problems.append("RDP is %s, not 0xaa" % state["rdp"])
# After `reset` the core runs what was programmed (an image other than the scenario's
# runs as an idle firmware in the simulator, see scenarios/README.md, Firmware).
if (state["core"], state["firmware"]) != ("running", "idle-firmware"):
	problems.append("core %s, firmware %s" % (state["core"], state["firmware"]))
if state["counters"]["guest_errors"]:
	problems.append("%d guest errors (see stm32sim's stderr)" % state["counters"]["guest_errors"])
for p in problems:
	print("  " + p)
sys.exit(1 if problems else 0)
EOF

# ---- 2. a chip at RDP level 1: the flow must fail and change nothing.
sim_start rdp1 "$SCENARIOS/h743-rdp1.scn"
flow_status=0
ci_flow >"$work/rdp1.openocd.log" 2>&1 || flow_status=$?
sim_stop
desc="H743 at RDP level 1: the flow reports a failure"
check [ "$flow_status" -ne 0 ]
# ... and fails for the right reason: OpenOCD reached the chip and its flash refused.
desc="H743 at RDP level 1: OpenOCD started programming and the flash refused"
check grep -q '^\*\* Programming Failed \*\*' "$work/rdp1.openocd.log"

desc="H743 at RDP level 1: the flash and the protection level are unchanged"
check python3 - "$work/rdp1.start.json" "$work/rdp1.json" <<'EOF'
import json, sys
start, end = (json.load(open(f)) for f in sys.argv[1:3])
changed = [k for k in ("flash_sha256", "rdp", "option_bytes") if start[k] != end[k]]
for k in changed:
	print("  %s changed: %s -> %s" % (k, start[k], end[k]))
if end["counters"]["sessions"] != 1:
	print("  %d OpenOCD sessions, expected 1" % end["counters"]["sessions"])
	changed.append("sessions")
sys.exit(1 if changed else 0)
EOF

if [ "$failures" -eq 0 ]; then
	echo "ci-example: every check passed"
else
	echo "ci-example: $failures check(s) failed"
fi
[ "$failures" -eq 0 ]
