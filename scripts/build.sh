#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Make sure everything the VM needs is built: the toolchain, the test
# kernel, parown.ko, the test-only modules and the test programs. Prints the
# kernel build directory (KDIR) on its last line. Cheap when nothing changed.

set -eu

. "$(dirname "$0")/lib.sh"

"$PAROWN_TOP/scripts/provision.sh" >&2
KDIR=$("$PAROWN_TOP/scripts/build-kernel.sh")

# Our own modules build with clippy and with warnings as errors.
kmake_ext() {
	# shellcheck disable=SC2086
	make -s -C "$KDIR" $KMAKE_TOOLS CLIPPY=1 CLIPPY_DRIVER=/usr/bin/clippy-driver \
		KRUSTFLAGS=-Dwarnings KCFLAGS=-Werror "$@" >&2
}

log "building parown.ko"
kmake_ext M="$PAROWN_TOP" modules
log "building the sample and the test modules"
for dir in samples selftests/modules; do
	kmake_ext M="$PAROWN_TOP/$dir" \
		KBUILD_EXTRA_SYMBOLS="$PAROWN_TOP/Module.symvers" modules
done
log "building the test programs"
RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc make -s -C "$PAROWN_TOP/selftests" CARGO=/usr/bin/cargo \
	KSRC="$(kernel_source "$KDIR")" >&2

echo "$KDIR" >"$CACHE_DIR/last-kdir"
echo "$KDIR"
