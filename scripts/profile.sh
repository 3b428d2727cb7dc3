#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# `make profile`: where the time of parown's fast paths goes. Runs one
# request pair in a loop (`parown_bench --spin`, benchmarks/uncontended.c)
# in the benchmark VM, samples it with perf's software clock (TCG has no
# PMU), and prints the functions that took at least 0.5% of the
# samples, for each of: two ioctls on /dev/null (the syscall floor), two
# unknown ioctls on /dev/parown0 (the dispatch floor), ALLOCATE+FREE and
# TRY_ALLOCATE+FREE. Only the loop's own process is sampled, in user space
# and in the kernel. perf is Debian's (linux-perf), copied into the VM
# with its libraries.
#
# usage: scripts/profile.sh [PAIRS]   (default 200000 pairs per loop)

set -eu

. "$(dirname "$0")/lib.sh"

pairs=${1:-200000}
"$PAROWN_TOP/scripts/provision.sh" >&2
[ -x /usr/bin/perf ] || die "perf missing: apt-get install linux-perf"
KDIR=$("$PAROWN_TOP/scripts/build-kernel.sh" \
	"$PAROWN_TOP/selftests/config" "$PAROWN_TOP/benchmarks/config")

out=$CACHE_DIR/profile/$(basename "$KDIR")
log "building parown.ko and parown_kbench.ko for the benchmark kernel"
build_module_copy "$KDIR" "$out"
build_kbench_copy "$KDIR" "$out"
mkdir -p "$out/bin"
make -s -C "$PAROWN_TOP/benchmarks" OUTPUT="$out/bin" >&2

cat >"$out/bin/profile-in-vm.sh" <<EOS
#!/bin/sh
cd /work
echo 0 >/proc/sys/kernel/kptr_restrict
# sample LABEL COMMAND...: the functions that took 0.5% of COMMAND's samples
# or more, with their module (a module's code is named only with it).
sample() {
	echo "# profile: \$1"
	shift
	/usr/bin/perf record -q -e cpu-clock -F 20000 -o /tmp/profile.data "\$@"
	/usr/bin/perf report -i /tmp/profile.data --stdio --no-children --sort dso,symbol \\
		--percent-limit 0.5 2>/dev/null | grep -v '^#' | grep -v '^\$'
}
for what in null unknown urandom allocate try; do
	sample "\$what, $pairs pairs" ./parown_bench --spin \$what $pairs
done
sample "kernel, parown_kbench.ko's pairs, 3 rounds of $pairs each" \\
	insmod /lib/modules/parown_kbench.ko rounds=3 pairs=$pairs
cat /sys/kernel/debug/parown_kbench
rmmod parown_kbench
insmod /lib/modules/lp.ko
for what in lp parown; do
	sample "write, \$what, one write() of 32768 bytes" ./parown_bench --write \$what 32768
done
rmmod lp
for what in parown pipe; do
	sample "hand-over, \$what, 8 processes, every process" ./parown_bench --handover \$what 8
done
EOS
chmod +x "$out/bin/profile-in-vm.sh"
exec "$PAROWN_TOP/scripts/vm-run.sh" --kdir "$KDIR" --modules "$out" -t 900 \
	--ko "$out/benchmarks/kbench/parown_kbench.ko" \
	-p /usr/bin/perf -f "$out/bin/parown_bench" \
	-f "$out/bin/profile-in-vm.sh" -- ./profile-in-vm.sh
