#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The in-kernel API: its KUnit suite (parown_kunit.ko, results from
# debugfs, bytes on the wire) and the sample in-kernel client
# (parown_sample.ko) sharing the port with user space. On a kernel
# without KUnit (CONFIG_KUNIT unset, as in Debian's) there is no
# parown_kunit.ko and no debugfs for its results: the suite is skipped,
# with the reason, and the sample's tests still run.

. "$(dirname "$0")/ktap_helpers.sh"
. /usr/lib/parown/lib.sh

BIN=$(dirname "$0")
RESULTS=/sys/kernel/debug/kunit/parown_api/results
NO_KUNIT="kernel has no KUnit (CONFIG_KUNIT)"

# ktap_test_skip gives no reason; this prints "ok N NAME # SKIP REASON".
ktap_test_skip_because() {
	__ktap_test ok "$1" "SKIP $2"
	KTAP_CNT_SKIP=$((KTAP_CNT_SKIP + 1))
}

have_kunit() {
	[ -d /sys/kernel/debug/kunit ] && [ -e $MODDIR/parown_kunit.ko ] && return
	[ -d /sys/kernel/debug/kunit ] || echo "# no /sys/kernel/debug/kunit"
	[ -e $MODDIR/parown_kunit.ko ] || echo "# no $MODDIR/parown_kunit.ko"
	return 1
}

test_kunit_suite() {
	mark=$(wire_mark 0)
	insmod $MODDIR/parown_kunit.ko || return 1
	# The suite's own KTAP, as subtests of this test.
	sed 's/^/    /' $RESULTS
	grep -Eq '^ok [0-9]+ parown_api' $RESULTS
	rc=$?
	printf 'parown_kunit wrote this\nparown_kunit locked the end of the chain\n' >/tmp/kunit.expect
	wire_check 0 "$mark" /tmp/kunit.expect || rc=1
	rmmod parown_kunit || rc=1
	return $rc
}

test_sample_writes_and_pins_parown() {
	mark=$(wire_mark 1)
	insmod $MODDIR/parown_sample.ko port=1 || return 1
	printf 'hello from parown_sample\n' >/tmp/sample.expect
	wire_check 1 "$mark" /tmp/sample.expect || { rmmod parown_sample; return 1; }
	# An in-kernel client's module depends on parown.
	if rmmod parown 2>/dev/null; then
		echo "# parown unloaded under parown_sample"
		vm_load_parown
		return 1
	fi
	rmmod parown_sample
}

test_sample_waits_in_line_and_times_out() {
	mark=$(wire_mark 1)
	# Held until the sample has given up, however slowly the module loads.
	# (Emptied first: a "held" left by an earlier test must not be taken
	# for this one's before parownctl has even started.)
	: >/tmp/hold.out
	"$BIN/parownctl" hold 1 600000 >/tmp/hold.out &
	hold=$!
	tries=200
	until grep -q held /tmp/hold.out; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] && kill -0 $hold 2>/dev/null || {
			echo "# parownctl never held port 1"
			return 1
		}
		sleep 0.05
	done
	# The sample waits at most 1 s for the port, which stays held.
	if insmod $MODDIR/parown_sample.ko port=1 2>/tmp/insmod.err; then
		echo "# the sample got a port someone else held"
		rmmod parown_sample
		kill $hold
		return 1
	fi
	kill -0 $hold || { echo "# parownctl stopped holding port 1"; return 1; }
	kill $hold
	wait $hold
	grep -q 'timed out' /tmp/insmod.err || { cat /tmp/insmod.err; return 1; }
	: >/tmp/nothing
	wire_check 1 "$mark" /tmp/nothing
}

# Starts "parownctl hold N" (port $1, default 1) in the background (its
# pid in $hold) and waits until it holds the port.
hold_port1() {
	# Emptied first: a "held" left by the last test must not be taken for
	# this one's before parownctl has even started.
	: >/tmp/hold.out
	"$BIN/parownctl" hold "${1:-1}" 600000 >/tmp/hold.out &
	hold=$!
	tries=200
	until grep -q held /tmp/hold.out; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] && kill -0 $hold 2>/dev/null || {
			echo "# parownctl never held port ${1:-1}"
			return 1
		}
		sleep 0.05
	done
}

SIM=/sys/kernel/debug/parown_sim

# On the simulated chain (parport2): device 1 gets the line, and its
# Device ID is logged.
test_sample_drives_a_daisy_device() {
	insmod $MODDIR/parown_sim.ko devices=4 || return 1
	since=$(($(dmesg | wc -l) + 1))
	rc=0
	insmod $MODDIR/parown_sample.ko port=2 device=1 read_id=1 || rc=1
	wait_log "parport2: device ID: MFG:parown;MDL:sim-dev-1;CMD:TEST;CLS:PRINTER;" "$since" || rc=1
	[ "$(cat $SIM/dev1)" = "hello from parown_sample" ] || { echo "# dev1 got '$(cat $SIM/dev1)'"; rc=1; }
	[ -z "$(cat $SIM/eoc)" ] || { echo "# the end-of-chain device got '$(cat $SIM/eoc)'"; rc=1; }
	rmmod parown_sample || rc=1
	rmmod parown_sim || rc=1
	return $rc
}

# A port that goes away ends the sample's pending wait.
test_sample_sees_its_port_go_away() {
	insmod $MODDIR/parown_sim.ko devices=0 || return 1
	rc=0
	hold_port1 2 || { rmmod parown_sim; return 1; }
	since=$(($(dmesg | wc -l) + 1))
	insmod $MODDIR/parown_sample.ko port=2 timeout_ms=0 || rc=1
	wait_log "parport2: waiting for the port" "$since" || rc=1
	echo 1 >$SIM/unplug || rc=1
	wait_log "parport2: port went away" "$since" || rc=1
	kill $hold
	wait $hold
	rmmod parown_sample || rc=1
	wait_log "parport2: closed" "$since" || rc=1
	rmmod parown_sim || rc=1
	return $rc
}

# Waits up to 5 s for the kernel log to say $1 after line $2.
wait_log() {
	tries=100
	until dmesg | tail -n +"$2" | grep -q "$1"; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || { echo "# no '$1' in the kernel log"; return 1; }
		sleep 0.05
	done
}

test_sample_writes_when_granted() {
	mark=$(wire_mark 1)
	hold_port1 || return 1
	since=$(($(dmesg | wc -l) + 1))
	# Loading does not wait: the sample asks without blocking.
	insmod $MODDIR/parown_sample.ko port=1 timeout_ms=0 || { kill $hold; return 1; }
	wait_log "parport1: waiting for the port" "$since" || { kill $hold; rmmod parown_sample; return 1; }
	kill $hold
	wait $hold
	rc=0
	wait_log "parport1: wrote 25 bytes" "$since" || rc=1
	rmmod parown_sample || rc=1
	printf 'hello from parown_sample\n' >/tmp/sample.expect
	wire_check 1 "$mark" /tmp/sample.expect || rc=1
	return $rc
}

test_sample_unload_cancels_its_wait() {
	mark=$(wire_mark 1)
	hold_port1 || return 1
	since=$(($(dmesg | wc -l) + 1))
	insmod $MODDIR/parown_sample.ko port=1 timeout_ms=0 || { kill $hold; return 1; }
	wait_log "parport1: waiting for the port" "$since" || { kill $hold; rmmod parown_sample; return 1; }
	# Unloading ends the wait behind the holder, at once.
	start=$(cut -d' ' -f1 /proc/uptime)
	rmmod parown_sample
	rc=$?
	end=$(cut -d' ' -f1 /proc/uptime)
	kill -0 $hold || { echo "# parownctl stopped holding port 1"; rc=1; }
	kill $hold
	wait $hold
	wait_log "parport1: wait cancelled" "$since" || rc=1
	wait_log "parport1: closed" "$since" || rc=1
	awk "BEGIN { exit !($end - $start < 2) }" || { echo "# rmmod took $start..$end"; rc=1; }
	: >/tmp/nothing
	wire_check 1 "$mark" /tmp/nothing || rc=1
	return $rc
}

ktap_print_header
ktap_set_plan 7
if have_kunit; then
	ktap_test_result "the KUnit suite of the in-kernel API passes" test_kunit_suite
else
	ktap_test_skip_because "the KUnit suite of the in-kernel API passes" "$NO_KUNIT"
fi
ktap_test_result "the sample client writes, and pins parown while loaded" test_sample_writes_and_pins_parown
ktap_test_result "the sample client waits in line and times out" test_sample_waits_in_line_and_times_out
ktap_test_result "the sample client asks without blocking and writes when granted" test_sample_writes_when_granted
ktap_test_result "unloading the sample cancels its pending wait" test_sample_unload_cancels_its_wait
ktap_test_result "the sample locks a daisy device, writes to it and reads its Device ID" test_sample_drives_a_daisy_device
ktap_test_result "the sample's pending wait ends when its port goes away" test_sample_sees_its_port_go_away
ktap_finished
