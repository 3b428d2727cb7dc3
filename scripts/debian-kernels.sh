#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# parown on Debian's own Rust-enabled kernels: for each kernel line Debian
# 13 ships with CONFIG_RUST=y (its newest release in trixie-backports),
# install parown in a clean Debian 13 environment exactly as the README
# says (DKMS), then boot Debian's own vmlinuz with Debian's own parport
# modules and the module DKMS built, and run the selftests there, polled
# and with parport0 on its interrupt. Prints one KTAP document.
#
# usage: scripts/debian-kernels.sh list          the kernels to test
#        scripts/debian-kernels.sh test [KERNEL…] test them (default: all)
#
# Cached under $CACHE_DIR/debian: the base root, one environment per
# kernel (made anew when the README's install commands change), the kernel
# packages. A second run repeats the README's commands in the cached
# environment (apt and the Rust metadata then have nothing to do; DKMS
# builds the current sources) and the VM runs.

set -eu

. "$(dirname "$0")/lib.sh"

DEBIAN_DIR=$CACHE_DIR/debian
ENV_SH=$PAROWN_TOP/scripts/debian-env.sh
VM_TIMEOUT=${PAROWN_DEBIAN_VM_TIMEOUT:-1500}

in_env() {
	"$ENV_SH" run "$@"
}

# The newest release of each kernel line that has a source package (which
# the Rust metadata is made from) and headers built with CONFIG_RUST=y
# (Debian 13's own 6.12 is not).
list_kernels() {
	base=$("$ENV_SH" base)
	in_env "$base" apt-get update -q=2 || die "apt-get update failed in $base"
	in_env "$base" sh -c '
		cd /tmp
		apt-cache search --names-only "^linux-source-[0-9]+\.[0-9]+\$" | cut -d" " -f1 |
		sed "s/^linux-source-//" | while read -r series; do
			k=$(apt-cache search --names-only "^linux-headers-$series\.[0-9]+\+deb13-amd64\$" |
				cut -d" " -f1 | sed "s/^linux-headers-//" | sort -V | tail -n 1)
			[ -n "$k" ] || continue
			apt-get download -q=2 "linux-headers-$k" || { echo "FAILED-DOWNLOAD-$k"; continue; }
			if dpkg-deb --fsys-tarfile linux-headers-"$k"_*.deb |
				tar -xOf - "./usr/src/linux-headers-$k/.config" | grep "^CONFIG_RUST=y" >/dev/null; then
				echo "$k"
			fi
			rm -f linux-headers-"$k"_*.deb
		done' | sort -V
}

# The README's Debian 13 installation commands, as a script.
readme_install_script() {
	sed -n '/<!-- debian-install:begin -->/,/<!-- debian-install:end -->/p' "$PAROWN_TOP/README.md" |
		sed -e '/^<!--/d' -e '/^```/d' -e '/^[[:space:]]*$/d'
}

# prepare_env KERNEL ENV: a clean environment, once per kernel and set of
# README commands.
prepare_env() {
	if [ -f "$2/.parown-env" ]; then
		return 0
	fi
	log "$1: a clean Debian 13 environment"
	"$ENV_SH" fresh "$2"
	# The README speaks to a user on that kernel: `uname -r` must name it,
	# and sudo is there. modprobe cannot load into the host's kernel: it
	# shows what it would load instead (the VM loads it for real).
	mkdir -p "$2/usr/local/bin"
	cat >"$2/usr/local/bin/uname" <<EOS
#!/bin/sh
[ "\$1" = -r ] && { echo '$1'; exit 0; }
exec /usr/bin/uname "\$@"
EOS
	printf '#!/bin/sh\nexec "$@"\n' >"$2/usr/local/bin/sudo"
	cat >"$2/usr/local/bin/modprobe" <<EOS
#!/bin/sh
exec /usr/sbin/modprobe --show-depends -S '$1' "\$@"
EOS
	chmod +x "$2/usr/local/bin/uname" "$2/usr/local/bin/sudo" "$2/usr/local/bin/modprobe"
	# The user runs that kernel: its image and modules are installed.
	log "$1: installing Debian's kernel $1 in it"
	in_env "$2" apt-get install -y -q -t trixie-backports "linux-image-$1" >"$2.kernel.log" 2>&1 ||
		{ tail -n 20 "$2.kernel.log" >&2; die "$1: cannot install linux-image-$1"; }
	# Nobody is at the keyboard to answer apt's question.
	printf 'APT::Get::Assume-Yes "true";\n' >"$2/etc/apt/apt.conf.d/99parown-assume-yes"
	touch "$2/.parown-env"
}

# The parown sources as a user would have them: what git tracks, plus new
# files not ignored.
copy_sources() {
	rm -rf "$1"
	mkdir -p "$1"
	(cd "$PAROWN_TOP" && git ls-files -co --exclude-standard | tar -cf - -T -) | tar -C "$1" -xf -
}

# in_env_step LOG NAME CMD...: CMD in the kernel's environment as one
# subtest named NAME, its output kept in $out/LOG.log and its end shown.
in_env_step() {
	step_log=$out/$1.log step_name=$2
	shift 2
	rc=0
	in_env "$env" "$@" >"$step_log" 2>&1 || rc=$?
	sed 's/^/# /' "$step_log" | tail -n 20
	result $rc "$step_name"
}

# in_vm DIR VM_RUN_ARGS...: the VM runner with these arguments, its files
# kept in $out/DIR; shows the VM's output (its KTAP, as subtests) and the
# end of the runner's own; leaves its status in rc.
in_vm() {
	vm_dir=$out/$1
	shift
	rc=0
	"$PAROWN_TOP/scripts/vm-run.sh" -q -o "$vm_dir" -t "$VM_TIMEOUT" "$@" >"$vm_dir.out" 2>&1 || rc=$?
	sed 's/^/    /' "$vm_dir/output.log" 2>/dev/null | grep -vE '^    parown-vm: ' || true
	sed 's/^/# /' "$vm_dir.out" | tail -n 20
}

# test_kernel N KERNEL: KTAP subtests for one kernel, as test N.
test_kernel() {
	k=$1
	work=$DEBIAN_DIR/$k
	# A new environment when the README's commands or the way an
	# environment is made change.
	key=$( { readme_install_script; sed -n '/^prepare_env()/,/^}/p' "$0"; } | sha256sum | cut -c1-12)
	env=$work/env-$key
	out=$work/out
	mkdir -p "$work"
	for old in "$work"/env-*; do
		[ "$old" = "$env" ] || rm -rf "$old"
	done
	rm -rf "$out"
	mkdir -p "$out"
	n=0 failed=0
	result() {
		n=$((n + 1))
		if [ "$1" -eq 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; failed=$((failed + 1)); fi
	}

	echo "KTAP version 1"
	echo "1..8"

	prepare_env "$k" "$env"
	# A copy that stopped half-way lacks some of these.
	[ -f "$env/.parown-complete" ] && [ -x "$env/usr/local/bin/uname" ] ||
		die "$k: $env is incomplete: remove it and run again"
	copy_sources "$env/root/parown"
	readme_install_script >"$env/root/readme-install.sh"
	# A user's apt lists are current; a cached environment's may not be.
	in_env "$env" apt-get update -q=2 || echo "# apt-get update failed"
	log "$k: the README's installation commands (the first time: packages, then the Rust metadata, about 8 minutes)"
	# Progress: apt's packages set up, then kernel-rust-metadata's, which
	# DKMS keeps in its log.
	dkms_log=$env/var/lib/dkms/parown/0.1/build/make.log
	(
		prev=
		while sleep 20; do
			line=$(grep 'kernel-rust-metadata: .* steps' "$dkms_log" 2>/dev/null | tail -n 1)
			[ -n "$line" ] || line="apt: $(grep -c '^Setting up' "$out/install.log" 2>/dev/null) packages set up"
			[ "$line" = "$prev" ] || log "$k: $line"
			prev=$line
		done
	) &
	watcher=$!
	rc=0
	in_env "$env" sh -exc 'cd /root/parown && . /root/readme-install.sh' >"$out/install.log" 2>&1 || rc=$?
	kill "$watcher"
	sed 's/^/# /' "$out/install.log" | grep -vE '^# (Get|Selecting|Preparing|Unpacking|Setting up|Processing)' | tail -n 60
	result $rc "the README's Debian 13 installation (DKMS) works verbatim"

	dkms_ko=$(ls "$env/lib/modules/$k/updates/dkms"/parown.ko* 2>/dev/null | head -n 1 || true)
	rc=1
	if [ -n "$dkms_ko" ] && grep -q "^insmod .*/parport\.ko" "$out/install.log" &&
		grep -q "^insmod .*/updates/dkms/parown\.ko" "$out/install.log"; then
		rc=0
	fi
	echo "# DKMS installed: ${dkms_ko#"$env"}"
	result $rc "DKMS installed parown.ko for $k and modprobe resolves it with parport"

	rc=0
	in_env "$env" sh /root/parown/scripts/test-kernel-rust-metadata.sh "$k" >"$out/refusals.log" 2>&1 || rc=$?
	sed 's/^/    /' "$out/refusals.log"
	result $rc "kernel-rust-metadata refuses what cannot work, saying what to install"

	in_env_step modules "the sample and the test modules build for $k without warnings" sh -exc "
		cd /root/parown
		make -s KDIR=/lib/modules/$k/build KRUSTFLAGS=-Dwarnings KCFLAGS=-Werror modules
		for d in samples selftests/modules; do
			make -s -C /lib/modules/$k/build M=/root/parown/\$d KBUILD_EXTRA_SYMBOLS=/root/parown/Module.symvers \
				KRUSTFLAGS=-Dwarnings KCFLAGS=-Werror modules
		done"

	# Debian's vmlinuz and modules: as installed in the environment, then
	# (for the runner's --kernel-deb) from the packages apt fetched.
	kos=
	[ -z "$dkms_ko" ] || kos="--ko $dkms_ko"
	for ko in "$env"/root/parown/samples/*.ko "$env"/root/parown/selftests/modules/*.ko; do
		[ -e "$ko" ] && kos="$kos --ko $ko"
	done
	debs=
	for d in "$env"/var/cache/apt/archives/linux-binary-"$k"_*.deb \
		"$env"/var/cache/apt/archives/linux-modules-"$k"_*.deb; do
		[ -e "$d" ] && debs="$debs --kernel-deb $d"
	done

	log "$k: the selftests on Debian's vmlinuz"
	# shellcheck disable=SC2086
	in_vm vm --kernel-root "$env" $kos -- /usr/lib/parown/bin/run_vm_tests.sh
	skipped=$(grep -cE '^ *ok [0-9]+ .*# SKIP' "$out/vm/output.log" 2>/dev/null || true)
	echo "# skipped: ${skipped:-0}"
	result $rc "selftests pass on Debian's $k (polled ports)"

	log "$k: ownership tests with parport0 on its interrupt"
	# One test is left out, by name (see irq_ownership_tests in lib.sh).
	# shellcheck disable=SC2086
	in_vm vm-irq ${debs:---kernel-root "$env"} $kos --irq -- \
		sh -c "/usr/lib/parown/bin/run_vm_tests.sh parown_module.sh &&
			$(irq_ownership_tests)"
	grep -q 'parport0: PC-style at 0x378, irq 7' "$out/vm-irq/console.log" 2>/dev/null || {
		echo "# parport0 did not come up on IRQ 7"
		rc=1
	}
	result $rc "ownership tests pass on Debian's $k with parport0 IRQ-driven"

	in_env_step uninstall "make dkms-uninstall removes parown" sh -exc '
		cd /root/parown
		make dkms-uninstall
		! dkms status | grep -q parown || exit 1
		! ls /lib/modules/*/updates/dkms/parown.ko* 2>/dev/null'

	# parownctl is built with Debian 13's cargo (README, "Build against
	# your own kernel"), the crates from crates.io. cargo there trusts the
	# certificates the host trusts (a network may intercept TLS with its
	# own authority, which a fresh environment does not know).
	cp "${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}" "$env/root/host-ca.crt"
	in_env_step make-install "make install and make uninstall, without DKMS, with parownctl" sh -exc "
		cd /root/parown
		export CARGO_HTTP_CAINFO=/root/host-ca.crt
		apt-get install -y -q=2 cargo
		make install KVER=$k
		ls /lib/modules/$k/updates/rust/parown.ko*
		[ -f /usr/lib/udev/rules.d/60-parown.rules ]
		modprobe parown | grep '/updates/rust/parown\.ko'
		parownctl --version
		grep -q '^\.TH' /usr/local/share/man/man1/parownctl-lock.1
		grep -q parownctl /usr/local/share/bash-completion/completions/parownctl
		make uninstall KVER=$k
		! ls /lib/modules/$k/updates/rust/parown.ko* 2>/dev/null || exit 1
		[ ! -e /usr/lib/udev/rules.d/60-parown.rules ]
		[ ! -e /usr/local/bin/parownctl ]
		! ls /usr/local/share/man/man1/parownctl* 2>/dev/null"

	[ "$failed" -eq 0 ]
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
list)
	list_kernels
	;;
test)
	if [ $# -eq 0 ]; then
		kernels=$(list_kernels)
		case "$kernels" in
		*FAILED-DOWNLOAD-*) die "could not fetch the headers of $(echo "$kernels" | sed -n 's/^FAILED-DOWNLOAD-//p')" ;;
		esac
		set -- $kernels
	fi
	[ $# -gt 0 ] || die "found no Debian kernel to test"
	echo "KTAP version 1"
	echo "1..$#"
	i=0 bad=0
	for k in "$@"; do
		i=$((i + 1))
		mkdir -p "$DEBIAN_DIR/$k"
		rm -f "$DEBIAN_DIR/$k/rc"
		{
			rc=0
			# A subshell, so that a die() in it ends this kernel alone.
			(test_kernel "$k") 2>&1 || rc=$?
			echo $rc >"$DEBIAN_DIR/$k/rc"
		} | sed -u 's/^/    /'
		rc=$(cat "$DEBIAN_DIR/$k/rc" 2>/dev/null || echo 1)
		if [ "$rc" -eq 0 ]; then echo "ok $i $k"; else echo "not ok $i $k"; bad=1; fi
	done
	[ "$bad" -eq 0 ]
	;;
*)
	die "usage: $0 list | test [KERNEL...]"
	;;
esac
