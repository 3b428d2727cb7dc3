#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# parown's test command (`make check`): set up what is missing, then run
# the host unit tests (of both crates), the rustfmt check, clippy on the
# user-space crate, the selftests in the VM and the tests of the VM runner
# itself. Prints one KTAP document and ends with
# "N passed, N failed".
#
# usage: [KERNELS=all|test|debian] scripts/check.sh [VM_TEST...]
#   VM_TEST names selftests to run in the test kernel's VM (default: all
#   of them, plus the host and runner tests).
#   KERNELS chooses the kernels: `test`, the project's test kernel (with
#   lockdep and KASAN); `debian`, Debian 13's own Rust-enabled kernels,
#   with parown installed through DKMS as the README says (see
#   scripts/debian-kernels.sh); `all` (the default without VM_TEST), both.
#   With VM_TEST, the default is `test`.

set -eu

. "$(dirname "$0")/lib.sh"

results=$(mktemp -d "${TMPDIR:-/tmp}/parown-check.XXXXXX")
trap 'rm -rf "$results"' EXIT
ktap=$results/ktap

# Run a part of the suite, the function $2 with the arguments after it, as
# KTAP test number $1 named $2: its own output (KTAP or diagnostics) is
# indented as a subtest document.
part() {
	n=$1 name=$2
	shift
	rm -f "$results/rc"
	# (The parts use `rc` themselves: this one has its own name.)
	{
		part_rc=0
		"$@" 2>&1 || part_rc=$?
		echo $part_rc >"$results/rc"
	} | sed -u 's/^/    /' | tee -a "$ktap"
	if [ "$(cat "$results/rc" 2>/dev/null || echo 1)" -eq 0 ]; then
		echo "ok $n $name" | tee -a "$ktap"
	else
		echo "not ok $n $name" | tee -a "$ktap"
	fi
}

host_unit_tests() {
	if [ ! -f "$PAROWN_TOP/Cargo.toml" ]; then
		echo "KTAP version 1"
		echo "1..0 # SKIP no pure-Rust code yet"
		return 0
	fi
	deb_cargo test --workspace --manifest-path "$PAROWN_TOP/Cargo.toml" -- --test-threads=2 \
		2>&1 | "$PAROWN_TOP/scripts/cargo-test-ktap.sh"
}

# The benchmarks and the profiler's loop build, warnings as errors, so that
# `make bench` and `make profile` do not rot between their runs: the
# programs, and the in-kernel bench module against the test kernel (a copy,
# so the checkout gets no objects). They are not run here: figures come
# from the benchmark kernel, and a test never fails for being slow.
benchmarks_build() {
	make -s -C "$PAROWN_TOP/benchmarks" OUTPUT="$results/bench/bin" || return 1
	build_kbench_copy "$KDIR" "$results/bench" "$PAROWN_TOP/Module.symvers" 2>&1 || return 1
	echo "# built: parown_bench, parown_kbench.ko"
}

# The user-space crates (user/parown, parownctl, the VM's parown_crate
# test) as clippy sees them, warnings as errors, as the module is built
# (CLIPPY=1), and their rustdoc. Debian's cargo-clippy, by its path:
# one of rustup's may come first in PATH.
user_crate_clippy() {
	CARGO=/usr/bin/cargo RUSTC=/usr/bin/rustc /usr/bin/cargo-clippy clippy \
		--manifest-path "$PAROWN_TOP/Cargo.toml" -p parown -p parownctl -p parown_crate \
		--all-targets -- -D warnings || return 1
	# Their rustdoc too: broken links and missing docs fail.
	RUSTDOCFLAGS="-D warnings" deb_cargo doc -q --no-deps \
		--manifest-path "$PAROWN_TOP/Cargo.toml" -p parown -p parownctl
}

# Every Rust file of the crate, the sample, the test modules and the
# user-space crate, as rustfmt formats it with the kernel's .rustfmt.toml
# (what `make rustfmtcheck` uses in the kernel tree). rustfmt follows `mod`
# items into other files, so a file is not ok when any diff names it,
# whichever file was checked.
rustfmt_clean() {
	config=$(kernel_source "$KDIR")/.rustfmt.toml
	files=$(cd "$PAROWN_TOP" &&
		find rust samples selftests/modules selftests/sim selftests/parown_crate user -name '*.rs' | sort)
	out=$results/rustfmt.out
	rc=0
	# shellcheck disable=SC2086
	(cd "$PAROWN_TOP" && /usr/bin/rustfmt --check --color never \
		--config-path "$config" --edition 2021 $files) >"$out" 2>&1 || rc=$?
	sed -n 's/^Diff in \(.*\):[0-9]*:$/\1/p' "$out" |
		while read -r f; do readlink -f "$f"; done >"$results/rustfmt.bad"
	echo "KTAP version 1"
	echo "1..$(echo "$files" | wc -l)"
	n=0
	for f in $files; do
		n=$((n + 1))
		if grep -qxF "$(readlink -f "$PAROWN_TOP/$f")" "$results/rustfmt.bad"; then
			echo "not ok $n $f"
		else
			echo "ok $n $f"
		fi
	done
	# Diffs, or errors that name no file (a file rustfmt cannot parse).
	[ "$rc" -eq 0 ] || sed 's/^/# /' "$out" | head -n 60
	return $rc
}

# Every selftest, with both ports polled.
vm_selftests() {
	rc=0
	"$PAROWN_TOP/scripts/vm-run.sh" --kdir "$KDIR" -o "$results/vm" -t 2400 -- \
		/usr/lib/parown/bin/run_vm_tests.sh "$@" || rc=$?
	reports=$("$PAROWN_TOP/scripts/kernel-reports.sh" --count \
		"$results/vm/console.log" || true)
	echo "# kernel reports: $reports"
	return $rc
}

# The module, ownership and ppdev tests again with parport0 driven by its
# interrupt (parport1 polled), under lockdep; the ppdev tests' interrupt
# test runs only here. One test is left out, by name (see
# irq_ownership_tests in lib.sh).
vm_selftests_irq() {
	rc=0
	"$PAROWN_TOP/scripts/vm-run.sh" --kdir "$KDIR" --irq -o "$results/vm-irq" -t 1200 -- \
		sh -c "/usr/lib/parown/bin/run_vm_tests.sh parown_module.sh parown_ppdev parown_ppdev32 &&
			$(irq_ownership_tests)" || rc=$?
	grep -q 'parport0: PC-style at 0x378, irq 7' "$results/vm-irq/console.log" ||
		{ echo "# parport0 did not come up on IRQ 7"; rc=1; }
	reports=$("$PAROWN_TOP/scripts/kernel-reports.sh" --count \
		"$results/vm-irq/console.log" || true)
	echo "# kernel reports: $reports"
	return $rc
}

# Whatever left the QEMU ports is what the host-side chardev files hold: the
# guest's wire views, which the VM tests checked byte by byte, must equal
# the host's copies.
host_sees_the_wire() {
	echo "KTAP version 1"
	echo "1..2"
	rc=0
	for n in 0 1; do
		guest=$(sed -n "s/^ *# wire$n sha256 \([0-9a-f]*\) size \([0-9]*\)\$/\1 \2/p" \
			"$results/vm/output.log" | tail -n 1)
		host="$(sha256sum <"$results/vm/lpt$n.log" | cut -d' ' -f1) $(stat -c %s "$results/vm/lpt$n.log")"
		if [ -n "$guest" ] && [ "$guest" = "$host" ] && [ "${host#* }" -gt 0 ]; then
			echo "ok $((n + 1)) lpt$n: host file equals the guest's wire view (${host#* } bytes)"
		else
			echo "# guest: ${guest:-none}; host: $host"
			echo "not ok $((n + 1)) lpt$n: host file equals the guest's wire view"
			rc=1
		fi
	done
	return $rc
}

# The runner must fail a run whose kernel log shows a warning, even when
# the command itself succeeds.
runner_fails_on_planted_warning() {
	rc=0
	"$PAROWN_TOP/scripts/vm-run.sh" --kdir "$KDIR" -q -t 300 -- \
		insmod /lib/modules/parown_test_warn.ko >"$results/warn.out" 2>&1 || rc=$?
	sed 's/^/# /' "$results/warn.out" | head -n 20
	[ "$rc" -eq 125 ] && grep -q 'WARNING:.*parown_test_warn' "$results/warn.out"
}

# A user's own script: copied in, run, its output and status returned.
runner_runs_user_program() {
	script=$results/user-script.sh
	cat >"$script" <<'EOS'
#!/bin/sh
echo "user program sees: $(echo /dev/parown*)"
exit 7
EOS
	chmod +x "$script"
	rc=0
	"$PAROWN_TOP/scripts/vm-run.sh" --kdir "$KDIR" -q -t 300 -f "$script" -o "$results/user" -- \
		./user-script.sh >"$results/user.out" 2>&1 || rc=$?
	sed 's/^/# /' "$results/user.out"
	[ "$rc" -eq 7 ] &&
		grep -q '^user program sees: /dev/parown0 /dev/parown1$' "$results/user/output.log"
}

# A user's dynamically linked program, from outside the tree, given with
# --with-program: it runs in the VM with the libraries it was linked with
# (libm here, which no test program uses), at the path it has on the host.
runner_runs_dynamic_program() {
	src=$results/dyn.c
	cat >"$src" <<'EOS'
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv)
{
	printf("dynamic program: sqrt(%s) = %.0f\n", argv[1], sqrt(atof(argv[1])));
	return 5;
}
EOS
	gcc -O2 -o "$results/dyn" "$src" -lm || return 1
	rc=0
	"$PAROWN_TOP/scripts/vm-run.sh" --kdir "$KDIR" -q -t 300 -p "$results/dyn" -o "$results/dyn-vm" -- \
		"$results/dyn" 49 >"$results/dyn.out" 2>&1 || rc=$?
	sed 's/^/# /' "$results/dyn.out"
	[ "$rc" -eq 5 ] &&
		grep -q '^dynamic program: sqrt(49) = 7$' "$results/dyn-vm/output.log"
}

# Debian's own kernels: parown installed as the README says, then the
# selftests on Debian's vmlinuz.
debian_kernels() {
	# debootstrap and chroot need root.
	if [ "$(id -u)" -eq 0 ]; then
		"$PAROWN_TOP/scripts/debian-kernels.sh" test
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
		sudo -n "$PAROWN_TOP/scripts/debian-kernels.sh" test
	else
		echo "# Debian's kernels need root (debootstrap, chroot): run make check as root or with sudo, or KERNELS=test"
		return 1
	fi
}

if [ $# -gt 0 ]; then
	kernels=${KERNELS:-test}
else
	kernels=${KERNELS:-all}
fi
case "$kernels" in
all|test|debian) ;;
*) die "KERNELS must be all, test or debian, not '$kernels'" ;;
esac

# The test programs, which every VM runs, build against the test kernel's
# source tree: the test kernel is built whatever KERNELS says.
log "preparing (the first run installs packages and builds a kernel)"
# The VMs boot the kernel this build printed, not the cache's last-kdir,
# which another tree's build (with another kernel) may have rewritten since.
KDIR=$("$PAROWN_TOP/scripts/build.sh")

# The parts, in order: the test kernel's (only its VM selftests when some
# are named), then Debian's kernels.
parts=
if [ "$kernels" != debian ]; then
	if [ $# -gt 0 ]; then
		parts=vm_selftests
	else
		parts="host_unit_tests rustfmt_clean user_crate_clippy benchmarks_build vm_selftests host_sees_the_wire vm_selftests_irq
			runner_fails_on_planted_warning runner_runs_user_program
			runner_runs_dynamic_program"
	fi
fi
[ "$kernels" = test ] || parts="$parts debian_kernels"

echo "KTAP version 1" | tee "$ktap"
# shellcheck disable=SC2086
echo "1..$(echo $parts | wc -w)" | tee -a "$ktap"
n=0
for p in $parts; do
	n=$((n + 1))
	if [ "$p" = vm_selftests ]; then
		part "$n" "$p" "$@"
	else
		part "$n" "$p"
	fi
done
python3 "$PAROWN_TOP/scripts/ktap-summary.py" "$ktap"
