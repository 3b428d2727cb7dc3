# SPDX-License-Identifier: GPL-2.0
# Shared settings for parown's scripts; sourced, not run.

PAROWN_TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE_DIR=${PAROWN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/parown}
TOOLS_DIR=$CACHE_DIR/tools
BINDGEN_VERSION=0.73.2
BINDGEN=$TOOLS_DIR/bin/bindgen
KERNEL_TARBALL=/usr/src/linux-source-7.3.tar.xz

# The kernel toolchain: Debian's rustc (its std source is rust-web-src),
# LLVM 19 for C, libclang 19 for bindgen.
export LIBCLANG_PATH=/usr/lib/llvm-19/lib
KMAKE_TOOLS="LLVM=-19 RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc BINDGEN=$BINDGEN"

# Debian's cargo (cargo-web) with that same rustc, whatever else is on PATH.
deb_cargo() {
	RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc /usr/bin/cargo "$@"
}

log() {
	printf '%s: %s\n' "$(basename "$0" .sh)" "$*" >&2
}

die() {
	log "$*"
	exit 1
}

# The source tree a kernel build directory was configured from.
kernel_source() {
	readlink -f "$1/source"
}

# build_module_copy KDIR OUT: builds parown.ko for the kernel built in KDIR
# from a copy of the module's sources in OUT, so that the test build in
# the checkout stays as it is (M= insists on a tree without objects).
build_module_copy() {
	rm -rf "$2"
	mkdir -p "$2"
	cp -r "$PAROWN_TOP/Kbuild" "$PAROWN_TOP/rust" "$PAROWN_TOP/include" "$2/"
	find "$2/rust" \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \
		-o -name '*.mod*' \) -delete
	# shellcheck disable=SC2086
	make -s -C "$1" $KMAKE_TOOLS M="$2" modules >&2
}

# build_kbench_copy KDIR OUT [SYMVERS]: builds benchmarks/kbench's
# parown_kbench.ko in OUT/benchmarks/kbench against parown's SYMVERS
# (default: the parown.ko build_module_copy left in OUT), for `make bench`,
# `make profile` and `make check` (which only builds it).
build_kbench_copy() {
	mkdir -p "$2/benchmarks"
	rm -rf "$2/benchmarks/kbench"
	# kbench finds parown's header at ../../include.
	cp -r "$PAROWN_TOP/include" "$2/"
	cp -r "$PAROWN_TOP/benchmarks/kbench" "$2/benchmarks/"
	find "$2/benchmarks" \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \
		-o -name '*.mod*' \) -delete
	# shellcheck disable=SC2086
	make -s -C "$1" $KMAKE_TOOLS KCFLAGS=-Werror M="$2/benchmarks/kbench" \
		KBUILD_EXTRA_SYMBOLS="${3:-$2/Module.symvers}" modules >&2
}

# irq_ownership_tests: the guest command that runs parown_ownership with
# parport0 driven by its interrupt, printing the name of each test it
# leaves out. Left out: ppdev_and_parown_both_make_progress, because the
# parport core's release can save a strobe pulse of the next holder into
# ppdev's state, which repeats a byte on the wire (a known race of the
# core; see Documentation/parown-testing.rst).
irq_ownership_tests() {
	t=ppdev_and_parown_both_make_progress
	echo "echo '# left out: port0.$t (known parport core race)' &&
		/usr/lib/parown/bin/parown_ownership -T $t"
}
