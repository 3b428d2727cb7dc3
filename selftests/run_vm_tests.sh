#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run parown's selftests inside the test VM and print one KTAP document,
# each test program a subtest.
#
# usage: run_vm_tests.sh [TEST...]    (default: every test in tests.list)
#
# Each program runs with a time bound and starts from the VM's base state:
# parport_pc and parown loaded, lp not loaded. A program that leaves another
# state behind fails, and the base state is restored for the next one.

BIN=$(dirname "$0")
. /usr/lib/parown/lib.sh
PER_TEST_TIMEOUT=${PER_TEST_TIMEOUT:-900}

[ $# -gt 0 ] || set -- $(cat "$BIN/tests.list")

echo "KTAP version 1"
echo "1..$#"
n=0
failed=0
for t in "$@"; do
	n=$((n + 1))
	if [ ! -x "$BIN/$t" ]; then
		echo "not ok $n $t # no such test"
		failed=$((failed + 1))
		continue
	fi
	{
		timeout "$PER_TEST_TIMEOUT" "$BIN/$t" 2>&1
		echo $? >/tmp/test.rc
	} | sed 's/^/    /'
	rc=$(cat /tmp/test.rc)
	state=$(vm_base_state_problems)
	if [ -n "$state" ]; then
		echo "    # left the VM in a wrong state: $state"
		vm_restore_base_state
	fi
	if [ "$rc" -eq 0 ] && [ -z "$state" ]; then
		echo "ok $n $t"
	elif [ "$rc" -eq 4 ] && [ -z "$state" ]; then
		echo "ok $n $t # SKIP"
	else
		[ "$rc" -eq 143 ] && echo "    # timed out after ${PER_TEST_TIMEOUT}s"
		echo "not ok $n $t"
		failed=$((failed + 1))
	fi
done
# What the guest saw on each wire, for the host to compare with its copy.
for w in 0 1; do
	echo "# wire$w sha256 $(sha256sum </tmp/wire$w | cut -d' ' -f1) size $(wire_mark $w)"
done
[ "$failed" -eq 0 ]
