#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Print the reports a kernel log contains, with a few lines of context;
# exit 0 if there are any, 1 if the log is clean. With --count, print only
# how many report lines it contains (0 if none), with the same exit status.
# This is the one list of what counts as a kernel report: every script
# that looks for reports uses it.
#
# usage: scripts/kernel-reports.sh [--count] CONSOLE_LOG
#
# A report is anything the kernel's debugging machinery prints when it finds
# a bug: WARN*, BUG*, lockdep and KASAN splats (both print "WARNING:" or
# "BUG:"), Oopses, panics, hung tasks, soft lockups, RCU stalls, kmemleak
# findings and Rust panics; and the parport core's complaints that two
# devices disagree about who holds a port, which a driver sharing ports
# correctly never causes.

set -eu

PATTERN='WARNING:|BUG:|kernel BUG at|Oops|Kernel panic|general protection fault|'\
'INFO: task .* blocked for more than|soft lockup|hard LOCKUP|'\
'rcu: INFO|detected stalls? on CPU|INFO: trying to register non-static key|'\
'unreferenced object 0x|panicked at|UBSAN:|list_(add|del) corruption|'\
'already owner|tried to release parport when not owner|'\
'released port when preempted|forgot to release port'

if [ "${1:-}" = --count ]; then
	n=$(grep -cE "$PATTERN" "$2" || true)
	echo "${n:-0}"
	[ "${n:-0}" -gt 0 ] && exit 0
	exit 1
fi
grep -E -A 12 "$PATTERN" "$1" | head -n 80 | grep . && exit 0
exit 1
