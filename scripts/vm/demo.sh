#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What `make demo` shows inside the VM.

. /usr/lib/parown/lib.sh

step() {
	echo
	echo "### $*"
}

step "The parallel ports parport_pc found, and what parown made of them"
dmesg | grep -E 'parport[0-9]:|parown:' | sed 's/^\[[ 0-9.]*\] //'
ls -l /dev/parown*

step "An open node pins the module: rmmod parown is refused"
exec 3</dev/parown0
rmmod parown 2>&1 || true
exec 3<&-
echo "closed; rmmod now:"
rmmod parown && echo "unloaded" && vm_load_parown && echo "loaded again"

step "The nodes follow the ports: unload parport_pc, load it again"
rmmod parport_pc && ls /dev/parown* 2>&1
vm_load_parport && ls /dev/parown*
