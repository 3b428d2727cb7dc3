#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What `make demo` shows inside the VM.

. /usr/lib/parown/lib.sh
PATH=$PATH:/usr/lib/parown/bin

step() {
	echo
	echo "### $*"
}

step "The parallel ports parport_pc found, and what parown made of them"
dmesg | grep -E 'parport[0-9]:|parown:' | sed 's/^\[[ 0-9.]*\] //'
ls -l /dev/parown*
parownctl info 0
parownctl info 1

step "One client holds parport0 for 2 s; two more ask, and are served in turn"
parownctl hold 0 2000 &
sleep 0.5
parownctl write 0 "first in line
" &
sleep 0.3
parownctl write 0 "second in line
" &
sleep 0.3
echo "waiting for parport0: $(parownctl waiters 0)"
wait
echo "what left parport0:"
cat /tmp/wire0

step "lp waits for a parown owner too, and prints after the free"
insmod $MODDIR/lp.ko
parownctl hold 0 1500 &
sleep 0.3
start=$(date +%s)
echo "printed by lp" >/dev/lp0
echo "lp's write returned after about $(( $(date +%s) - start )) s"
wait
rmmod lp
tail -n 1 /tmp/wire0

step "Who holds parport0, who waits: the live state, and the trace of the turns"
tracing=/sys/kernel/tracing
[ -d $tracing/events ] || mount -t tracefs nodev $tracing 2>/dev/null
if [ -d $tracing/events/parown ]; then
	: >$tracing/trace
	echo 1 >$tracing/events/parown/enable
fi
insmod $MODDIR/lp.ko
parownctl hold 0 1500 &
sleep 0.3
parownctl write 0 "queued behind the holder
" &
sleep 0.2
parownctl write 0 "queued second, with a 5 s limit
" --timeout 5000 &
sleep 0.2
echo "printed by lp, after them" >/dev/lp0 &
sleep 0.3
parownctl status 0
echo "(parownctl reads the live state, /sys/kernel/debug/parown/parport0; --json for scripts)"
wait
rmmod lp
if [ -d $tracing/events/parown ]; then
	echo 0 >$tracing/events/parown/enable
	echo "the trace events of those turns:"
	grep -E ': (allocate|grant|free):' $tracing/trace | sed 's/^ *//'
fi

step "A simulated IEEE 1284.3 daisy chain: parown finds its devices and selects them"
insmod $MODDIR/parown_sim.ko devices=3
parownctl info 2
parownctl chain 2
parownctl write 2 "for device 0" --device 0
parownctl write 2 "for the printer at the end of the chain" --device eoc
echo "device 2 locked while a command runs: what it writes to descriptor 3 goes to the device"
parownctl lock 2 --device 2 -- sh -c 'printf "for device 2" >&3; parownctl status 2 | grep -E "owner|chain"'
for t in dev0 dev1 dev2 eoc; do
	echo "$t received: $(cat /sys/kernel/debug/parown_sim/$t)"
done
rmmod parown_sim

step "An open node pins the module: rmmod parown is refused"
exec 3</dev/parown0
rmmod parown 2>&1 || true
exec 3<&-
echo "closed; rmmod now:"
rmmod parown && echo "unloaded" && vm_load_parown && echo "loaded again"

step "The nodes follow the ports: unload parport_pc, load it again"
rmmod parport_pc && ls /dev/parown* 2>&1
vm_load_parport && ls /dev/parown*
