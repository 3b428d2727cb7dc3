#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# parownctl, the Rust tool on the parown crate, against the VM's ports:
# every subcommand, its JSON, its exit statuses, and `lock ... -- COMMAND`
# giving the port back however COMMAND ends.

. "$(dirname "$0")/ktap_helpers.sh"
. /usr/lib/parown/lib.sh

BIN=$(dirname "$0")
CTL=$BIN/parownctl
# lock's commands run parownctl by name.
PATH=$BIN:$PATH
OUT=/tmp/ctl.out

# wait_for CMD...: until CMD succeeds, at most 10 s.
wait_for() {
	tries=200
	until "$@"; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || { echo "# never: $*"; return 1; }
		sleep 0.05
	done
}

# expect_status WANT CMD...: CMD exits with WANT.
expect_status() {
	want=$1
	shift
	"$@" >$OUT.status 2>&1
	got=$?
	[ "$got" -eq "$want" ] && return 0
	echo "# $* exited $got, not $want:"
	sed 's/^/#   /' $OUT.status
	return 1
}

holds() {
	grep -q held $OUT.hold
}

# Starts `parownctl hold PORT` in the background ($hold) and waits until it
# holds the port.
start_hold() {
	: >$OUT.hold
	"$CTL" hold "$1" >$OUT.hold &
	hold=$!
	wait_for holds
}

stop_hold() {
	kill $hold
	wait $hold 2>/dev/null
	return 0
}

test_status_names_owner_waiters_and_lp() {
	rc=0
	start_hold 0 || return 1
	"$CTL" write 0 "first waiter
" --timeout 20000 &
	w1=$!
	wait_for sh -c "[ \"\$($CTL waiters 0)\" = 1 ]" || rc=1
	"$CTL" write 0 "second waiter
" &
	w2=$!
	wait_for sh -c "[ \"\$($CTL waiters 0)\" = 2 ]" || rc=1
	insmod $MODDIR/lp.ko || rc=1
	printf 'from lp\n' >/dev/lp0 &
	lp=$!
	wait_for sh -c "$CTL status 0 | grep -q 'waiting: lp'" || rc=1
	"$CTL" status 0 >$OUT
	sed 's/^/# /' $OUT
	grep -q "^  owner:    pid $hold (parownctl), client [0-9]*, for [0-9]* ms$" $OUT || {
		echo "# no owner line for $hold"
		rc=1
	}
	grep -q "^    1\. pid $w1 (parownctl), client [0-9]*: allocate, waiting [0-9]* ms, timeout 20000 ms$" $OUT || {
		echo "# the first waiter is not $w1"
		rc=1
	}
	grep -q "^    2\. pid $w2 (parownctl), client [0-9]*: allocate, waiting [0-9]* ms, no timeout$" $OUT || {
		echo "# the second waiter is not $w2"
		rc=1
	}
	grep -q "^  core:     held by parown, waiting: lp (parown: held)$" $OUT || rc=1
	# The same facts as JSON.
	"$CTL" --json status 0 >$OUT.json
	for want in "\"pid\":$hold" '"waiters":\[{' "\"core_waiting\":\[\"lp\"\]" '"parown":"held"'; do
		grep -q "$want" $OUT.json || { echo "# no $want in $(cat $OUT.json)"; rc=1; }
	done
	# Order in the JSON: w1 before w2.
	tr -d '\n' <$OUT.json | grep -q "\"pid\":$w1.*\"pid\":$w2" || { echo "# JSON waiters out of order"; rc=1; }
	stop_hold
	wait $lp $w1 $w2 || rc=1
	rmmod lp || rc=1
	return $rc
}

test_status_every_port_and_watch() {
	rc=0
	"$CTL" status >$OUT || return 1
	for p in 0 1; do
		grep -q "^parport$p$" $OUT || { echo "# status left out parport$p"; rc=1; }
	done
	"$CTL" watch 1 --interval 50 --count 3 >$OUT || rc=1
	[ "$(grep -c '^parport1$' $OUT)" -eq 3 ] || { echo "# watch showed $(grep -c '^parport1$' $OUT) views, not 3"; rc=1; }
	"$CTL" --json watch 1 --interval 50 --count 2 >$OUT || rc=1
	[ "$(grep -c '^{"ports":\[{"chain"' $OUT)" -eq 2 ] || { echo "# watch --json: $(cat $OUT)"; rc=1; }
	# Without debugfs's permission: what GET_PORT_INFO tells, for the lp
	# group. The node as the udev rule makes it (a kernel without a uevent
	# helper, as Debian's, runs no rule in the VM).
	chgrp lp /dev/parown0 && chmod 0660 /dev/parown0 || rc=1
	su member -s /bin/sh -c "$CTL status 0" >$OUT 2>&1 || { cat $OUT; rc=1; }
	grep -q "^  owner:    none$" $OUT || { echo "# as a member of lp: $(cat $OUT)"; rc=1; }
	return $rc
}

test_hold_write_info_waiters() {
	rc=0
	mark=$(wire_mark 1)
	start_hold 1 || return 1
	[ "$("$CTL" waiters 1)" = 0 ] || rc=1
	"$CTL" info 1 | grep -q '^parport1: io 0x278, irq -1, .*, owned$' || { "$CTL" info 1; rc=1; }
	"$CTL" --json info 1 | grep -q '"owned":true' || rc=1
	printf 'one\n' | "$CTL" write 1 &
	writer=$!
	wait_for sh -c "[ \"\$($CTL waiters 1)\" = 1 ]" || rc=1
	stop_hold
	wait $writer || rc=1
	"$CTL" write 1 "two
" || rc=1
	printf 'one\ntwo\n' >$OUT.expect
	wire_check 1 "$mark" $OUT.expect || rc=1
	# A timed hold ends by itself, and frees.
	"$CTL" hold 1 100 >/dev/null || rc=1
	"$CTL" info 1 | grep -q ', free$' || rc=1
	return $rc
}

test_exit_statuses() {
	rc=0
	start_hold 1 || return 1
	expect_status 3 "$CTL" write 1 x --timeout 100 || rc=1
	expect_status 4 "$CTL" hold 1 --no-wait || rc=1
	expect_status 4 "$CTL" write 1 x --no-wait || rc=1
	stop_hold
	expect_status 5 su outsider -s /bin/sh -c "$CTL hold 1 1" || rc=1
	expect_status 6 "$CTL" info 9 || rc=1
	expect_status 6 "$CTL" status 9 || rc=1
	expect_status 2 "$CTL" hold || rc=1
	expect_status 2 "$CTL" write 1 x --device 4 || rc=1
	# A failed write to standard output is an error (1), not a panic (101).
	expect_status 1 sh -c "$CTL status >/dev/full" || rc=1
	expect_status 1 sh -c "$CTL completions bash >/dev/full" || rc=1
	return $rc
}

test_lock_runs_a_command_on_the_device() {
	rc=0
	insmod $MODDIR/parown_sim.ko devices=4 || return 1
	# The command writes through descriptor 3, and through parownctl
	# (the same client), while another client waits.
	"$CTL" lock 2 --device 2 -- sh -c '
		printf "fd3 " >&3
		parownctl write 2 "and parownctl"
		[ "$PAROWN_PORT $PAROWN_DEVICE $PAROWN_FD" = "2 2 3" ] || exit 9
		[ "$(parownctl waiters 2)" = 0 ]' || { echo "# lock's command failed"; rc=1; }
	got=$(cat /sys/kernel/debug/parown_sim/dev2)
	[ "$got" = "fd3 and parownctl" ] || { echo "# device 2 got '$got'"; rc=1; }
	[ -z "$(cat /sys/kernel/debug/parown_sim/dev0 /sys/kernel/debug/parown_sim/eoc)" ] || rc=1
	"$CTL" info 2 | grep -q ', free$' || { echo "# the port stayed owned"; rc=1; }
	# The command's status comes back, and the port is given back.
	expect_status 42 "$CTL" lock 2 --device 1 -- sh -c 'exit 42' || rc=1
	expect_status 137 "$CTL" lock 2 -- sh -c 'kill -KILL $$' || rc=1
	"$CTL" info 2 | grep -q ', free$' || { echo "# a killed command left the port owned"; rc=1; }
	expect_status 127 "$CTL" lock 2 -- /no/such/tool || rc=1
	# `unlock` inside the command gives the port back early.
	"$CTL" lock 2 --device 3 -- sh -c '
		parownctl unlock || exit 8
		parownctl info 2 | grep -q ", free$" || exit 9' || { echo "# unlock inside lock failed"; rc=1; }
	expect_status 1 "$CTL" unlock 2 || rc=1
	# A process COMMAND leaves behind, holding descriptor 3 (the same
	# client), does not keep the port: parownctl unlocks it.
	"$CTL" lock 2 -- sh -c 'sleep 600 >/dev/null 2>&1 & echo $! >/tmp/ctl.left' || rc=1
	"$CTL" info 2 | grep -q ', free$' || { echo "# COMMAND's leftover kept the port"; rc=1; }
	kill "$(cat /tmp/ctl.left)"
	# SIGTERM goes on to the command; the port comes back.
	"$CTL" lock 2 -- sleep 600 &
	locker=$!
	wait_for sh -c "$CTL info 2 | grep -q ', owned$'" || rc=1
	kill -TERM $locker
	wait $locker
	got=$?
	[ $got -eq 143 ] || { echo "# SIGTERM'd lock exited $got"; rc=1; }
	"$CTL" info 2 | grep -q ', free$' || { echo "# SIGTERM left the port owned"; rc=1; }
	ps -o comm | grep -qx sleep && { echo "# the command outlived the lock"; rc=1; }
	rmmod parown_sim || rc=1
	return $rc
}

test_chain_lists_devices_with_ids() {
	rc=0
	insmod $MODDIR/parown_sim.ko devices=2 || return 1
	"$CTL" chain 2 >$OUT || rc=1
	sed 's/^/# /' $OUT
	[ "$(grep -c '^device [01]: MFG:' $OUT)" -eq 2 ] || rc=1
	grep -q '^end of chain: MFG:' $OUT || rc=1
	"$CTL" --json chain 2 >$OUT || rc=1
	grep -q '^{"chain":\[{"device":0,"error":null,"id":"MFG:' $OUT || { cat $OUT; rc=1; }
	rmmod parown_sim || rc=1
	return $rc
}

test_completions_and_man() {
	rc=0
	"$CTL" completions bash | grep -q 'complete .*parownctl' || rc=1
	"$CTL" completions zsh | grep -q '#compdef parownctl' || rc=1
	"$CTL" man /tmp/man || rc=1
	for page in parownctl parownctl-lock parownctl-status parownctl-chain; do
		grep -q '^\.TH' /tmp/man/$page.1 || { echo "# no $page.1"; rc=1; }
	done
	grep -q 'Exit status' /tmp/man/parownctl.1 || rc=1
	"$CTL" --help | grep -q '^  lock ' || rc=1
	return $rc
}

ktap_print_header
ktap_set_plan 7
ktap_test_result "status names the owner, the waiters in order and lp waiting" test_status_names_owner_waiters_and_lp
ktap_test_result "status shows every port, watch refreshes, a non-root user sees the basics" test_status_every_port_and_watch
ktap_test_result "hold, write (argument and stdin), info and waiters" test_hold_write_info_waiters
ktap_test_result "exit statuses tell timeout, busy, permission, absence and usage apart" test_exit_statuses
ktap_test_result "lock runs a command on the device and gives the port back however it ends" test_lock_runs_a_command_on_the_device
ktap_test_result "chain lists each device with its Device ID" test_chain_lists_devices_with_ids
ktap_test_result "completions and man pages come from the same definitions" test_completions_and_man
ktap_finished
