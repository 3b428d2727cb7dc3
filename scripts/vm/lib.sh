# SPDX-License-Identifier: GPL-2.0
#
# Helpers for scripts that run inside parown's test VM; sourced by /init and
# available to commands as /usr/lib/parown/lib.sh.

MODDIR=/lib/modules
PAROWN_IRQ=
if [ -r /etc/parown-vm.conf ]; then . /etc/parown-vm.conf; fi
# The two QEMU ports: parport0 at 0x378, parport1 at 0x278, both polled
# unless the run asked for parport0 on its interrupt (vm-run.sh --irq;
# make check's runs do). parport_pc needs irq= and dma= whenever io= is
# given. With an interrupt, an unpatched parport core's hand-over to a
# waiter sleeping in parport_claim_or_block() (lp, ppdev) turns interrupts
# on under cad_lock, which lockdep reports; the test kernel carries the fix
# (see Documentation/parown.rst, "Known parport core issues").
if [ -n "$PAROWN_IRQ" ]; then
	PARPORT_PC_ARGS="io=0x378,0x278 irq=7,none dma=none,none"
else
	PARPORT_PC_ARGS="io=0x378,0x278 irq=none,none dma=none,none"
fi

# Each QEMU parallel port's output is looped into a serial port: wire N is
# /dev/ttyS(N+2) (its IRQ, 10 or 11, comes from QEMU's ACPI tables), read
# into /tmp/wireN.
vm_start_wire_readers() {
	for n in 0 1; do
		tty=/dev/ttyS$((n + 2))
		stty -F "$tty" raw -echo || return 1
		cat "$tty" >"/tmp/wire$n" &
	done
}

# On a distribution kernel the parport core and ppdev are modules (built in
# on the test kernel): load them first when they are there.
vm_load_parport() {
	for m in parport ppdev; do
		if [ -f $MODDIR/$m.ko ] && ! module_loaded $m; then
			insmod $MODDIR/$m.ko || return 1
		fi
	done
	# shellcheck disable=SC2086
	insmod $MODDIR/parport_pc.ko $PARPORT_PC_ARGS
}

vm_load_parown() {
	insmod $MODDIR/parown.ko
}

module_loaded() {
	grep -q "^$1 " /proc/modules
}

# What differs from the base state tests start from, or nothing.
vm_base_state_problems() {
	module_loaded parport_pc || printf 'parport_pc not loaded; '
	module_loaded parown || printf 'parown not loaded; '
	module_loaded lp && printf 'lp loaded; '
	module_loaded parown_sim && printf 'parown_sim loaded; '
	for n in 0 1; do
		[ -c /dev/parown$n ] || printf '/dev/parown%s missing; ' $n
	done
}

vm_restore_base_state() {
	module_loaded lp && rmmod lp
	module_loaded parown_sim && rmmod parown_sim
	module_loaded parport_pc || vm_load_parport
	module_loaded parown || vm_load_parown
}

# wire_mark N: how many bytes wire N has seen so far.
wire_mark() {
	stat -c %s "/tmp/wire$1"
}

# wire_check N MARK FILE: wait (up to 5 s) until wire N has seen, since
# MARK, exactly the bytes in FILE, and no more.
wire_check() {
	want=$(($2 + $(stat -c %s "$3")))
	tries=0
	while [ "$(wire_mark "$1")" -lt "$want" ] && [ $tries -lt 50 ]; do
		sleep 0.1
		tries=$((tries + 1))
	done
	sleep 0.2
	have=$(wire_mark "$1")
	if [ "$have" -ne "$want" ]; then
		echo "# wire$1: $((have - $2)) bytes since mark, expected $(stat -c %s "$3")"
		return 1
	fi
	dd if="/tmp/wire$1" bs=1 skip="$2" 2>/dev/null | cmp -s - "$3" || {
		echo "# wire$1: bytes differ from $3"
		return 1
	}
}
