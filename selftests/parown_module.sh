#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The module's life cycle in the VM: a node per port, load and unload,
# open and close, rmmod refused while a node is open, nodes following the
# ports, and the test bed's view of the wire.

. "$(dirname "$0")/ktap_helpers.sh"
. /usr/lib/parown/lib.sh

nodes_present() {
	[ -c /dev/parown0 ] && [ -c /dev/parown1 ] &&
		[ -e /sys/class/misc/parown0 ] && [ -e /sys/class/misc/parown1 ]
}

nodes_absent() {
	[ ! -e /dev/parown0 ] && [ ! -e /dev/parown1 ] &&
		[ ! -e /sys/class/misc/parown0 ] && [ ! -e /sys/class/misc/parown1 ]
}

test_node_per_port() {
	[ -e /sys/bus/parport/devices/parport0 ] &&
		[ -e /sys/bus/parport/devices/parport1 ] && nodes_present
}

test_load_unload_20_times() {
	i=0
	while [ $i -lt 20 ]; do
		rmmod parown || return 1
		nodes_absent || { echo "# round $i: nodes left after rmmod"; return 1; }
		vm_load_parown || return 1
		nodes_present || { echo "# round $i: nodes missing after insmod"; return 1; }
		i=$((i + 1))
	done
}

test_open_close() {
	exec 3</dev/parown0 4</dev/parown1 5</dev/parown0 || return 1
	exec 3<&- 4<&- 5<&-
}

test_rmmod_refused_while_open() {
	exec 3</dev/parown1 || return 1
	if err=$(rmmod parown 2>&1); then
		echo "# rmmod succeeded with /dev/parown1 open"
		vm_load_parown
		return 1
	fi
	# The kernel refuses to unload a module in use with EWOULDBLOCK.
	case "$err" in
	*"Resource temporarily unavailable"*) ;;
	*) echo "# rmmod failed differently: $err"; return 1 ;;
	esac
	module_loaded parown && nodes_present || return 1
	exec 3<&-
	rmmod parown || return 1
	vm_load_parown
}

test_nodes_follow_ports() {
	rmmod parport_pc || return 1
	nodes_absent || { echo "# nodes left after rmmod parport_pc"; return 1; }
	module_loaded parown || return 1
	vm_load_parport || return 1
	nodes_present || { echo "# nodes missing after insmod parport_pc"; return 1; }
}

test_lp_bytes_reach_the_wire() {
	insmod $MODDIR/lp.ko || return 1
	printf 'hello-lp0\n' >/tmp/lp0.expect
	printf 'hello-lp1\n' >/tmp/lp1.expect
	m0=$(wire_mark 0)
	m1=$(wire_mark 1)
	cat /tmp/lp0.expect >/dev/lp0 && cat /tmp/lp1.expect >/dev/lp1 &&
		wire_check 0 "$m0" /tmp/lp0.expect && wire_check 1 "$m1" /tmp/lp1.expect
	rc=$?
	rmmod lp
	return $rc
}

ktap_print_header
ktap_set_plan 6
ktap_test_result "a node per port: /dev/parown0 and /dev/parown1" test_node_per_port
ktap_test_result "load and unload 20 times" test_load_unload_20_times
ktap_test_result "open and close" test_open_close
ktap_test_result "rmmod refused while a node is open, fine after close" test_rmmod_refused_while_open
ktap_test_result "nodes go with parport_pc and come back with it" test_nodes_follow_ports
ktap_test_result "bytes written to /dev/lp0 and /dev/lp1 reach the wire" test_lp_bytes_reach_the_wire
ktap_finished
