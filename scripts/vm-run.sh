#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run a command in a fresh QEMU VM with the test kernel, the parport stack
# and parown loaded, and return its output and exit status.
#
# usage: scripts/vm-run.sh [options] [--] COMMAND [ARG...]
#
#   -f, --file PATH     copy PATH (file or directory) into the VM's /work,
#                       where COMMAND runs; repeatable
#   -p, --with-program PATH
#                       copy PATH into the VM at the same absolute path;
#                       when PATH is a dynamically linked program, also
#                       the shared libraries it needs and its ELF
#                       interpreter (the dynamic loader), found as the
#                       host's loader finds them (its --list), so that
#                       the VM, which has no libraries of its own, can
#                       run it. A directory or any other file (a
#                       program's data) is copied as it is. Not under
#                       /proc, /sys or /dev, which the VM mounts; under
#                       /tmp is fine. Repeatable
#   -t, --timeout SECS  hard bound on the whole VM run (default 600)
#   -o, --out DIR       keep the run's files in DIR: console.log (the kernel
#                       log), output.log, lpt0.log and lpt1.log (every byte
#                       that left each parallel port)
#   -n, --no-load       do not load parport_pc and parown before COMMAND
#   -q, --quiet         do not show COMMAND's output as it runs
#   --no-build          use what is built; do not check the build first
#   --kdir DIR          boot the kernel built in DIR (implies --no-build)
#   --modules DIR       take parown.ko and the other modules from DIR, an
#                       output directory of the module build (MO=)
#   --kernel-deb FILE   boot a distribution kernel from its Debian packages
#                       (repeatable: on Debian 13, linux-binary-RELEASE and
#                       linux-modules-RELEASE), with its own parport
#                       modules; implies --no-build, and takes no parown
#                       modules from the source tree: give them with --ko
#   --kernel-root DIR   the same from a directory holding lib/modules/RELEASE
#                       (or usr/lib/modules/RELEASE) and boot/vmlinuz-RELEASE
#                       or a vmlinuz beside the modules (Debian 13's 7.x
#                       packages), e.g. the packages unpacked; with several
#                       RELEASEs, the last in name order. --kernel-deb wins
#   --ko FILE           add a module (.ko, .ko.xz, .ko.zst or .ko.gz) to
#                       the VM's /lib/modules; repeatable
#   --irq               drive parport0 by its interrupt (IRQ 7) instead of
#                       polling it (the VM's /etc/parown-vm.conf then says
#                       PAROWN_IRQ=1, for tests that look)
#
# Packages given with --kernel-deb are unpacked once, into
# $CACHE_DIR/kernel-debs/ (remove it to reclaim the space).
#
# The VM is a qemu-system-x86_64 "pc" with 2 CPUs and two isa-parallel
# ports: parport0 at 0x378 and parport1 at 0x278, polled (parport0 on
# IRQ 7 with --irq). What
# leaves each port also appears in the guest on /dev/ttyS2 and /dev/ttyS3,
# read into /tmp/wire0 and /tmp/wire1, so guest tests can check the bytes.
#
# Test programs in selftests/bin that are dynamically linked get their
# libraries the same way, and each line of selftests/bin/vm-programs.list
# (written by the test build: programs of Debian packages that tests run,
# such as urjtag's jtag) is a --with-program PATH; a listed path missing
# on the host is left out with a message (the test that needs it skips).
#
# Exit status: COMMAND's, or 124 if the VM ran out of time, or 125 if the
# VM failed or the kernel log shows a report (warning, BUG, lockdep, KASAN,
# Oops, hung task, panic): a report fails the run even if COMMAND passed.

set -eu

. "$(dirname "$0")/lib.sh"

timeout_s=600
out_dir=
load=1
quiet=
build=1
files=
KDIR=
modules=$PAROWN_TOP
kernel_debs=
kernel_root=
kos=
irq=
programs=

while [ $# -gt 0 ]; do
	case "$1" in
	-f|--file) files="$files
$2"; shift 2 ;;
	-p|--with-program) programs="$programs
$2"; shift 2 ;;
	-t|--timeout) timeout_s=$2; shift 2 ;;
	-o|--out) out_dir=$2; shift 2 ;;
	-n|--no-load) load=; shift ;;
	-q|--quiet) quiet=1; shift ;;
	--no-build) build=; shift ;;
	--kdir) KDIR=$2; build=; shift 2 ;;
	--modules) modules=$2; shift 2 ;;
	--kernel-deb) kernel_debs="$kernel_debs $(readlink -f "$2")"; build=; shift 2 ;;
	--kernel-root) kernel_root=$(readlink -f "$2"); build=; shift 2 ;;
	--ko) kos="$kos
$2"; shift 2 ;;
	--irq) irq=1; shift ;;
	--) shift; break ;;
	-*) die "unknown option $1 (see the comment at the top of $0)" ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || die "no command given (see the comment at the top of $0)"

# A distribution kernel's packages, unpacked once into the cache.
if [ -n "$kernel_debs" ]; then
	kernel_root=$CACHE_DIR/kernel-debs/$(for d in $kernel_debs; do basename "$d"; done | sha256sum | cut -c1-12)
	if [ ! -f "$kernel_root/.parown-complete" ]; then
		rm -rf "$kernel_root"
		mkdir -p "$kernel_root"
		for d in $kernel_debs; do dpkg-deb -x "$d" "$kernel_root"; done
		touch "$kernel_root/.parown-complete"
	fi
fi
if [ -n "$kernel_root" ]; then
	[ "$modules" != "$PAROWN_TOP" ] || modules=
	# Debian 13 has merged /usr: the packages put modules in usr/lib.
	for d in "$kernel_root"/lib/modules/* "$kernel_root"/usr/lib/modules/*; do
		[ -d "$d/kernel" ] && kernel_mods=$d
	done
	[ -n "${kernel_mods:-}" ] || die "no lib/modules/RELEASE/kernel in $kernel_root"
	# In boot/, or (Debian 13's 7.x packages) beside the modules.
	vmlinuz=$(ls "$kernel_root"/boot/vmlinuz-"$(basename "$kernel_mods")" "$kernel_mods/vmlinuz" 2>/dev/null | head -n 1)
	[ -n "$vmlinuz" ] || die "no vmlinuz for $(basename "$kernel_mods") in $kernel_root"
elif [ -n "$build" ]; then
	KDIR=$("$PAROWN_TOP/scripts/build.sh")
elif [ -z "$KDIR" ]; then
	KDIR=$(cat "$CACHE_DIR/last-kdir" 2>/dev/null) || die "nothing built yet: drop --no-build"
fi
[ -n "$kernel_root" ] || vmlinuz=$KDIR/arch/x86/boot/bzImage

run=$(mktemp -d "${TMPDIR:-/tmp}/parown-vm.XXXXXX")
cleanup() {
	[ -n "${tail_pid:-}" ] && kill "$tail_pid" 2>/dev/null || true
	if [ -n "$out_dir" ]; then
		mkdir -p "$out_dir"
		cp "$run"/*.log "$out_dir"/ 2>/dev/null || true
	fi
	rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The initramfs: busybox, /init, the modules, the test programs, the
# command and the user's files.
root=$run/root
mkdir -p "$root/bin" "$root/lib/modules" "$root/usr/lib/parown" "$root/work" \
	"$root/etc" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$PAROWN_TOP/scripts/vm/init" "$root/init"
cp "$PAROWN_TOP/scripts/vm/lib.sh" "$root/usr/lib/parown/lib.sh"
cp "$PAROWN_TOP/scripts/vm/hotplug" "$root/bin/hotplug"
cp "$PAROWN_TOP/scripts/vm/passwd" "$PAROWN_TOP/scripts/vm/group" "$root/etc/"
# add_module FILE: FILE into the VM's /lib/modules, decompressed (busybox's
# insmod reads plain modules only).
add_module() {
	name=$(basename "$1")
	case "$name" in
	*.ko.xz) xz -dc "$1" >"$root/lib/modules/${name%.xz}" ;;
	*.ko.zst) zstd -qdc "$1" >"$root/lib/modules/${name%.zst}" ;;
	*.ko.gz) gzip -dc "$1" >"$root/lib/modules/${name%.gz}" ;;
	*) cp "$1" "$root/lib/modules/" ;;
	esac
}
if [ -n "$kernel_root" ]; then
	# parport, lp and ppdev are modules there (built in on the test kernel).
	for m in drivers/parport/parport drivers/parport/parport_pc drivers/char/lp drivers/char/ppdev; do
		for f in "$kernel_mods/kernel/$m".ko*; do
			if [ -e "$f" ]; then add_module "$f"; fi
		done
	done
else
	cp "$KDIR/drivers/parport/parport_pc.ko" "$KDIR/drivers/char/lp.ko" "$root/lib/modules/"
fi
if [ -n "$modules" ]; then
	for ko in "$modules"/rust/parown.ko "$modules"/samples/*.ko "$modules"/selftests/modules/*.ko; do
		if [ -e "$ko" ]; then add_module "$ko"; fi
	done
fi
printf '%s\n' "$kos" | while IFS= read -r f; do
	if [ -n "$f" ]; then add_module "$f"; fi
done
# elf_interpreter FILE: the dynamic loader FILE asks for, or nothing (a
# static program, a library, or not ELF at all).
elf_interpreter() {
	readelf -lW "$1" 2>/dev/null |
		sed -n 's/^.*\[Requesting program interpreter: \(.*\)\]$/\1/p'
}
# add_at_same_path PATH: PATH (file or directory, links followed) into
# the VM at the same absolute path. The VM mounts a tmpfs over /tmp: what
# goes there waits in /usr/lib/parown/tmp, which /init copies into it.
add_at_same_path() {
	case "$1" in
	/proc/*|/sys/*|/dev/*)
		die "$1: the VM mounts its own $(echo "$1" | cut -d/ -f2); copy it from elsewhere" ;;
	/tmp/*) dest=$root/usr/lib/parown/tmp${1#/tmp} ;;
	*) dest=$root$1 ;;
	esac
	mkdir -p "$(dirname "$dest")"
	cp -rL "$1" "$dest"
}
# add_libraries PROGRAM: the shared libraries a dynamically linked
# PROGRAM needs, and its interpreter, into the VM at the paths where the
# host's loader finds them; their directories are listed for the VM's
# loader cache (below). Nothing for a static program.
add_libraries() {
	interp=$(elf_interpreter "$1")
	[ -n "$interp" ] || return 0
	[ -x "$interp" ] || die "$1 needs the loader $interp, which this host lacks"
	# --list: the loader resolves every library as it would to run the
	# program, without running it.
	"$interp" --list "$1" >"$run/libs" || die "$interp --list $1 failed"
	if grep -q 'not found' "$run/libs"; then
		die "$1 needs libraries this host lacks: $(grep 'not found' "$run/libs" | tr -s ' \t' ' ')"
	fi
	# "name => /path (addr)", or the loader itself as "/path (addr)";
	# the vDSO has no path.
	sed -n -e 's/^.*=> \(\/[^ ]*\) (0x[0-9a-f]*)$/\1/p' \
		-e 's/^[[:space:]]*\(\/[^ ]*\) (0x[0-9a-f]*)$/\1/p' "$run/libs" |
		while IFS= read -r lib; do
			add_at_same_path "$lib"
			dirname "$lib" >>"$run/libdirs"
		done
	add_at_same_path "$interp"
}
# add_program PATH: a --with-program (see the top of this file).
add_program() {
	case "$1" in
	/*) path=$1 ;;
	*) path=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") ;;
	esac
	add_at_same_path "$path"
	if [ -f "$path" ]; then add_libraries "$path"; fi
}
: >"$run/libdirs"
if [ -d "$PAROWN_TOP/selftests/bin" ]; then
	cp -r "$PAROWN_TOP/selftests/bin" "$root/usr/lib/parown/"
	for prog in "$PAROWN_TOP"/selftests/bin/*; do
		if [ -f "$prog" ] && [ -x "$prog" ]; then add_libraries "$prog"; fi
	done
	if [ -f "$PAROWN_TOP/selftests/bin/vm-programs.list" ]; then
		while IFS= read -r prog; do
			if [ -z "$prog" ]; then continue; fi
			if [ -e "$prog" ]; then
				programs="$programs
$prog"
			else
				log "left out of the VM: $prog (not on this host; run scripts/provision.sh)"
			fi
		done <"$PAROWN_TOP/selftests/bin/vm-programs.list"
	fi
fi
printf '%s\n' "$programs" | while IFS= read -r f; do
	if [ -n "$f" ]; then
		[ -e "$f" ] || die "--with-program $f: no such file"
		add_program "$f"
	fi
done
# The VM's loader finds libraries in its default directories; a cache
# made from the directories the host found them in covers the others too.
if [ -s "$run/libdirs" ]; then
	sort -u "$run/libdirs" >"$root/etc/ld.so.conf"
	ldconfig -r "$root" || die "ldconfig -r $root failed"
fi
printf '%s\n' "$files" | while IFS= read -r f; do
	if [ -n "$f" ]; then cp -r "$f" "$root/work/"; fi
done
{
	printf 'PAROWN_LOAD=%s\n' "$load"
	printf 'set --'
	for arg in "$@"; do
		printf " '%s'" "$(printf '%s' "$arg" | sed "s/'/'\\\\''/g")"
	done
	printf '\n'
} >"$root/etc/parown-command"
# What the VM's helpers (scripts/vm/lib.sh) need to know of this run.
printf 'PAROWN_IRQ=%s\n' "$irq" >"$root/etc/parown-vm.conf"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$run/initramfs.gz"

# Each parallel port writes into a FIFO that a serial port of the same VM
# reads, so the guest sees its own wire; logfile= keeps a host copy.
for n in 0 1; do
	mkfifo "$run/wire$n" "$run/lpt$n-in"
	ln -s wire$n "$run/lpt$n.out"
	ln -s lpt$n-in "$run/lpt$n.in"
	ln -s wire$n "$run/tty$n.in"
	ln -s /dev/null "$run/tty$n.out"
done

# TCG: nested KVM on the machines this was built on hangs or aborts QEMU.
# PAROWN_KVM=1 asks for KVM where it works.
accel="-accel tcg"
if [ -n "${PAROWN_KVM:-}" ]; then
	accel="-accel kvm -cpu host"
fi

: >"$run/output.log"
if [ -z "$quiet" ]; then
	tail -n +1 -f "$run/output.log" | sed -u 's/\r//g' &
	tail_pid=$!
fi

status=0
timeout -k 10 "$timeout_s" qemu-system-x86_64 \
	-M pc $accel -smp 2 -m 1G \
	-nodefaults -display none -no-reboot \
	-kernel "$vmlinuz" -initrd "$run/initramfs.gz" \
	-append "console=ttyS0 panic=-1 oops=panic printk.time=1 sysctl.kernel.hung_task_timeout_secs=10" \
	-serial "file:$run/console.log" \
	-serial "file:$run/output.log" \
	-chardev "pipe,id=wire0,path=$run/tty0" \
	-device isa-serial,chardev=wire0,iobase=0x3e8,irq=10 \
	-chardev "pipe,id=wire1,path=$run/tty1" \
	-device isa-serial,chardev=wire1,iobase=0x2e8,irq=11 \
	-chardev "pipe,id=lpt0,path=$run/lpt0,logfile=$run/lpt0.log" \
	-device isa-parallel,chardev=lpt0,index=0,irq=7 \
	-chardev "pipe,id=lpt1,path=$run/lpt1,logfile=$run/lpt1.log" \
	-device isa-parallel,chardev=lpt1,index=1,irq=5 \
	</dev/null || status=$?

# Let the live view catch up before judging.
sleep 0.3
tr -d '\r' <"$run/output.log" >"$run/output.clean" && mv "$run/output.clean" "$run/output.log"

if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
	log "the VM ran out of time (${timeout_s}s); last kernel messages:"
	tail -n 30 "$run/console.log" >&2
	exit 124
fi
[ "$status" -eq 0 ] || { log "qemu failed ($status)"; tail -n 30 "$run/console.log" >&2; exit 125; }

reports=$("$PAROWN_TOP/scripts/kernel-reports.sh" "$run/console.log" || true)
if [ -n "$reports" ]; then
	log "the kernel log shows a report:"
	printf '%s\n' "$reports" >&2
	exit 125
fi

result=$(sed -n 's/^parown-vm: exit \([0-9]*\)$/\1/p' "$run/output.log" | tail -n 1)
if [ -z "$result" ]; then
	log "the VM ended without reporting the command's status; last kernel messages:"
	tail -n 30 "$run/console.log" >&2
	exit 125
fi
exit "$result"
