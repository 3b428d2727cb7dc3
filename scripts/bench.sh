#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: parown's benchmarks, on a kernel without the debugging
# machinery (benchmarks/config), in the same VM as the tests. Prints the
# results; a benchmark never fails for being slow.

set -eu

. "$(dirname "$0")/lib.sh"

"$PAROWN_TOP/scripts/provision.sh" >&2
KDIR=$("$PAROWN_TOP/scripts/build-kernel.sh" \
	"$PAROWN_TOP/selftests/config" "$PAROWN_TOP/benchmarks/config")

# Built from a copy of the module's sources, so the test build in the
# checkout stays as it is (MO= insists on a source tree without objects).
out=$CACHE_DIR/bench/$(basename "$KDIR")
rm -rf "$out"
mkdir -p "$out"
cp -r "$PAROWN_TOP/Kbuild" "$PAROWN_TOP/rust" "$PAROWN_TOP/include" "$out/"
find "$out/rust" \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' -o -name '*.mod*' \) -delete
log "building parown.ko for the benchmark kernel"
# shellcheck disable=SC2086
make -s -C "$KDIR" $KMAKE_TOOLS M="$out" modules >&2
make -s -C "$PAROWN_TOP/benchmarks" OUTPUT="$out/bin" >&2

exec "$PAROWN_TOP/scripts/vm-run.sh" --kdir "$KDIR" --modules "$out" -t 600 \
	-f "$out/bin/parown_bench" -- ./parown_bench
