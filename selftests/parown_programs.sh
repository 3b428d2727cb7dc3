#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Real programs that nobody here wrote, unmodified, once on ppdev and once
# on parown: a program linked against Debian's libieee1284
# (ieee1284_session) and urjtag's jtag. Each must print the same output
# and put the same bytes on the wire on both. Then two instances of the
# libieee1284 program on one port: under ppdev they deadlock (shown with a
# bounded wait, then ended); on parown they take turns in order and both
# finish.
#
# libieee1284 opens /dev/parportN and nothing else: for its parown runs
# the test makes /dev/parport0 and /dev/parport1 nodes with parown's
# device numbers (and puts ppdev's back after). jtag takes any path.

. "$(dirname "$0")/ktap_helpers.sh"
. /usr/lib/parown/lib.sh

BIN=$(dirname "$0")
SESSION=$BIN/ieee1284_session
JTAG=/usr/bin/jtag
OUT=/tmp/programs
mkdir -p $OUT

# Skip with a reason (exit status 4 of a test function).
SKIP=4
result() {
	description=$1
	shift
	"$@"
	rc=$?
	if [ $rc -eq 0 ]; then
		ktap_test_pass "$description"
	elif [ $rc -eq $SKIP ]; then
		ktap_test_skip "$description"
	else
		ktap_test_fail "$description"
	fi
}

# nodes_of ppdev|parown: /dev/parportN become the nodes of that driver's
# ports (QEMU's two, and the simulated one while it is loaded).
nodes_of() {
	for n in 0 1 2; do
		[ -e /sys/class/ppdev/parport$n ] || continue
		case $1 in
		ppdev) dev=$(cat /sys/class/ppdev/parport$n/dev) ;;
		parown) dev=$(cat /sys/class/misc/parown$n/dev) ;;
		esac
		[ -n "$dev" ] || return 1
		rm -f /dev/parport$n
		mknod /dev/parport$n c "${dev%%:*}" "${dev##*:}" || return 1
	done
}

# What wire 0 saw between MARK and now, once it is quiet, into FILE.
wire_since() {
	wire_settle_sh 0
	dd if=/tmp/wire0 bs=1 skip="$1" 2>/dev/null >"$2"
}

# Wait until wire N has not grown for half a second (at most 10 s).
wire_settle_sh() {
	last=$(wire_mark "$1")
	tries=0
	while [ $tries -lt 100 ]; do
		sleep 0.5
		now=$(wire_mark "$1")
		[ "$now" -eq "$last" ] && return 0
		last=$now
		tries=$((tries + 1))
	done
	return 1
}

# run_recorded NAME SECS CMD...: run CMD (for at most SECS), its output into
# $OUT/NAME.out and its status into $OUT/NAME.rc, the bytes it put on
# wire 0 into $OUT/NAME.wire.
run_recorded() {
	name=$1
	secs=$2
	shift 2
	wire_settle_sh 0
	mark=$(wire_mark 0)
	timeout "$secs" "$@" >"$OUT/$name.out" 2>&1
	echo $? >"$OUT/$name.rc"
	wire_since "$mark" "$OUT/$name.wire"
	sed 's/^/# | /' "$OUT/$name.out"
	echo "# $name: exit $(cat "$OUT/$name.rc"), $(stat -c %s "$OUT/$name.wire") bytes on the wire"
}

# same A B: the runs A and B printed the same and put the same bytes on
# the wire.
same() {
	ok=0
	if ! cmp -s "$OUT/$1.out" "$OUT/$2.out"; then
		echo "# output differs ($1 / $2):"
		diff "$OUT/$1.out" "$OUT/$2.out" | sed 's/^/# /'
		ok=1
	fi
	if ! cmp -s "$OUT/$1.wire" "$OUT/$2.wire"; then
		echo "# bytes on the wire differ ($1 / $2):"
		od -An -c "$OUT/$1.wire" | sed 's/^/# A /'
		od -An -c "$OUT/$2.wire" | sed 's/^/# B /'
		ok=1
	fi
	[ "$(cat "$OUT/$1.rc")" = "$(cat "$OUT/$2.rc")" ] ||
		{ echo "# exit status differs"; ok=1; }
	return $ok
}

# QEMU's status register goes busy at each strobe and back to ready over
# the next two status reads: the first status a program reads depends on
# whether whoever strobed last (lp in an earlier test) read the status
# after its last byte. A session that strobes nothing reads it enough
# times to leave the port ready, as each recorded run leaves it.
settle_port0() {
	"$SESSION" parport0 "" >/dev/null 2>&1
}

test_ieee1284_on_ppdev() {
	[ -x "$SESSION" ] || { echo "# no $SESSION"; return $SKIP; }
	nodes_of ppdev || return 1
	settle_port0
	run_recorded ieee1284.ppdev 60 "$SESSION" parport0
	# The baseline itself: it ran through the kernel, claimed, and its
	# compatibility-mode bytes are on the wire.
	[ "$(cat $OUT/ieee1284.ppdev.rc)" -eq 0 ] &&
		grep -q '^through a kernel character device$' $OUT/ieee1284.ppdev.out &&
		grep -q '^claim: E1284_OK$' $OUT/ieee1284.ppdev.out &&
		printf 'ieee1284_session: compat write\n' | cmp -s - $OUT/ieee1284.ppdev.wire
}

test_ieee1284_same_on_parown() {
	[ -s $OUT/ieee1284.ppdev.out ] || return $SKIP
	nodes_of parown || return 1
	run_recorded ieee1284.parown 60 "$SESSION" parport0
	nodes_of ppdev
	same ieee1284.ppdev ieee1284.parown
}

# The simulated port (parown_sim.ko, parport2) with no daisy chain, only
# its end-of-chain device, which speaks IEEE 1284: here negotiation
# succeeds and the Device ID comes in nibble mode. What the device
# received in compatibility mode is its wire.
run_on_sim() {
	insmod /lib/modules/parown_sim.ko devices=0 || return 1
	tries=0
	while { [ ! -e /sys/class/ppdev/parport2 ] || [ ! -e /sys/class/misc/parown2 ]; } &&
		[ $tries -lt 50 ]; do
		sleep 0.1
		tries=$((tries + 1))
	done
	nodes_of "$2" || { rmmod parown_sim; return 1; }
	timeout 60 "$SESSION" parport2 "to the simulated device
" >"$OUT/$1.out" 2>&1
	echo $? >"$OUT/$1.rc"
	cat /sys/kernel/debug/parown_sim/eoc >"$OUT/$1.wire"
	nodes_of ppdev
	rmmod parown_sim || return 1
	sed 's/^/# | /' "$OUT/$1.out"
	echo "# $1: exit $(cat "$OUT/$1.rc"), the device received $(stat -c %s "$OUT/$1.wire") bytes"
}

test_ieee1284_sim_on_ppdev() {
	[ -x "$SESSION" ] || return $SKIP
	run_on_sim ieee1284.sim.ppdev ppdev || return 1
	[ "$(cat $OUT/ieee1284.sim.ppdev.rc)" -eq 0 ] &&
		grep -q '^negotiate nibble: E1284_OK$' $OUT/ieee1284.sim.ppdev.out &&
		grep -q '^device id .*MDL:sim-eoc;' $OUT/ieee1284.sim.ppdev.out &&
		printf 'to the simulated device\n' | cmp -s - $OUT/ieee1284.sim.ppdev.wire
}

test_ieee1284_sim_same_on_parown() {
	[ -s $OUT/ieee1284.sim.ppdev.out ] || return $SKIP
	run_on_sim ieee1284.sim.parown parown || return 1
	same ieee1284.sim.ppdev ieee1284.sim.parown
}

# The jtag session: a DLC5 cable (Xilinx Parallel Cable III) on the node,
# bit-level pod commands, a chain reset and detection. DLC5 reads TDO on
# the SELECT status line, which QEMU's port always reports high: detect
# finds TDO stuck at 1 and no chain, after about 90 s of shifting under
# the debug kernel.
jtag_script() {
	cat <<EOS
cable DLC5 ppdev $1
frequency 0
pod TCK=0 TMS=1 TDI=0
pod TDI=1
pod TCK=1
pod TCK=0 TMS=0
reset
detect
print
quit
EOS
}

run_jtag() {
	jtag_script "$2" >"$OUT/$1.jtag"
	# No home directory files, no readline: the same run every time.
	run_recorded "$1" 400 env HOME=/tmp/programs "$JTAG" -n "$OUT/$1.jtag"
	# The node's name is the only expected difference.
	sed -i "s#$2#NODE#g" "$OUT/$1.out"
}

test_jtag_on_ppdev() {
	[ -x "$JTAG" ] || { echo "# no $JTAG in the VM (see scripts/provision.sh)"; return $SKIP; }
	nodes_of ppdev || return 1
	run_jtag jtag.ppdev /dev/parport0
	# The baseline itself: the cable works, detect ran to its end.
	[ "$(cat $OUT/jtag.ppdev.rc)" -eq 0 ] &&
		! grep -q 'Cable not configured' $OUT/jtag.ppdev.out &&
		grep -q '^warning: TDO seems to be stuck at 1$' $OUT/jtag.ppdev.out
}

test_jtag_same_on_parown() {
	[ -s $OUT/jtag.ppdev.out ] || return $SKIP
	run_jtag jtag.parown /dev/parown0
	same jtag.ppdev jtag.parown
}

# The state letter of process PID (R, S, D, Z...), or nothing once gone.
proc_state() {
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1
}

# wait_line FILE PATTERN SECS: until FILE has a line matching PATTERN.
wait_line() {
	tries=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		[ $tries -ge $(($3 * 10)) ] && return 1
		sleep 0.1
		tries=$((tries + 1))
	done
}

# finished PID: the process has exited (a zombie until reaped).
finished() {
	st=$(proc_state "$1")
	[ -z "$st" ] || [ "$st" = Z ]
}

# Two sessions on parport0: A claims and holds the port, B starts once A
# owns it. Each writes its own line. A holds the port until the test
# sends it SIGUSR1, once B waits for the port (B's start, loading its
# libraries under emulation, takes a while).
start_two() {
	"$SESSION" parport0 "session A
" 60000 >$OUT/A.out 2>&1 &
	pid_a=$!
	wait_line $OUT/A.out '^claim: E1284_OK$' 20 || { echo "# A never claimed"; return 1; }
	"$SESSION" parport0 "session B
" 0 >$OUT/B.out 2>&1 &
	pid_b=$!
}

# until_true SECS CMD...: until CMD succeeds, at most SECS seconds.
until_true() {
	tries=$(($1 * 10))
	shift
	while ! "$@"; do
		[ $tries -gt 0 ] || return 1
		sleep 0.1
		tries=$((tries - 1))
	done
}

# B waits for the port: in ppdev's PPCLAIM, in the core.
b_waits_in_ppdev() {
	grep -q parport_claim_or_block /proc/$pid_b/stack 2>/dev/null
}

# B waits for the port: in parown's queue.
b_waits_in_parown() {
	[ "$(parownctl waiters 0 2>/dev/null)" = 1 ]
}

a_blocked() {
	[ "$(proc_state $pid_a)" = D ]
}

# ppdev: B sleeps in PPCLAIM holding ppdev's global mutex; when A, done
# with the port, asks to release it, that ioctl waits for the mutex in D
# state; neither ever finishes. The wait is bounded well below the
# hung-task limit (10 s in the VM): A is seen in D state, and still
# there, with B unfinished, 2 s later; then B is killed, which lets A go
# on: A finishes, and the port works again.
test_two_on_ppdev_hang() {
	[ -x "$SESSION" ] || return $SKIP
	nodes_of ppdev || return 1
	start_two || return 1
	rc=0
	if until_true 30 b_waits_in_ppdev; then
		kill -USR1 $pid_a
		if until_true 5 a_blocked; then
			sleep 2
			st_a=$(proc_state $pid_a)
			st_b=$(proc_state $pid_b)
			echo "# A blocked in D state; 2 s later A is in state '$st_a', B in '$st_b'"
			[ "$st_a" = D ] || { echo "# A went on: no deadlock"; rc=1; }
			finished $pid_b && { echo "# B finished: no deadlock"; rc=1; }
		else
			echo "# A never blocked in D state (state '$(proc_state $pid_a)'): no deadlock"
			rc=1
		fi
	else
		echo "# B never waited in PPCLAIM"
		rc=1
	fi
	kill -KILL $pid_b 2>/dev/null
	# (The shell's "Killed" notice would break the KTAP output.)
	wait $pid_b 2>/dev/null
	kill -USR1 $pid_a 2>/dev/null
	wait $pid_a
	rc_a=$?
	echo "# after killing B, A exited $rc_a"
	sed 's/^/# A | /' $OUT/A.out
	[ $rc_a -eq 0 ] || rc=1
	# Nothing is left holding the port.
	run_recorded ieee1284.ppdev.after 60 "$SESSION" parport0
	[ "$(cat $OUT/ieee1284.ppdev.after.rc)" -eq 0 ] || rc=1
	return $rc
}

# parown: B waits for A (FIFO), then has its turn; both finish, and the
# wire has A's line, then B's.
test_two_on_parown_take_turns() {
	[ -x "$SESSION" ] || return $SKIP
	nodes_of parown || return 1
	mark=$(wire_mark 0)
	start_two || { nodes_of ppdev; return 1; }
	rc=0
	until_true 30 b_waits_in_parown || { echo "# B never waited in parown's queue"; rc=1; }
	kill -USR1 $pid_a
	for pid in $pid_a $pid_b; do
		tries=0
		while ! finished $pid && [ $tries -lt 200 ]; do
			sleep 0.1
			tries=$((tries + 1))
		done
		if ! finished $pid; then
			echo "# session $pid did not finish in 20 s (state $(proc_state $pid))"
			kill -KILL $pid
			rc=1
		fi
	done
	wait $pid_a
	rc_a=$?
	wait $pid_b
	rc_b=$?
	nodes_of ppdev
	sed 's/^/# A | /' $OUT/A.out
	sed 's/^/# B | /' $OUT/B.out
	echo "# A exited $rc_a, B exited $rc_b"
	[ $rc_a -eq 0 ] && [ $rc_b -eq 0 ] || rc=1
	wire_since "$mark" $OUT/two.wire
	printf 'session A\nsession B\n' >$OUT/two.expect
	if ! cmp -s $OUT/two.wire $OUT/two.expect; then
		echo "# the wire has, in order:"
		od -An -c $OUT/two.wire | sed 's/^/# /'
		rc=1
	fi
	return $rc
}

ktap_print_header
ktap_set_plan 8
result "libieee1284 program on ppdev (the baseline)" test_ieee1284_on_ppdev
result "libieee1284 program: the same output and wire bytes on parown" test_ieee1284_same_on_parown
result "libieee1284 program on the simulated IEEE 1284 device, ppdev (the baseline)" test_ieee1284_sim_on_ppdev
result "libieee1284 program on the simulated IEEE 1284 device: the same on parown" test_ieee1284_sim_same_on_parown
result "urjtag on ppdev (the baseline)" test_jtag_on_ppdev
result "urjtag: the same output and wire bytes on parown" test_jtag_same_on_parown
result "two libieee1284 programs on one port deadlock under ppdev" test_two_on_ppdev_hang
result "two libieee1284 programs on one port take turns on parown" test_two_on_parown_take_turns
nodes_of ppdev
ktap_finished
