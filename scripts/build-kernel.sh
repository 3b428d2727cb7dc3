#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the test kernel (Linux 7.3 from Debian's linux-source-7.3) from
# tinyconfig plus config fragments, and print its build directory (the KDIR
# to build modules against).
#
# usage: scripts/build-kernel.sh [FRAGMENT...]
#   default: selftests/config; later fragments override earlier ones
#   (benchmarks/config turns the debugging options off).
#
# The kernel carries the parport core fixes in patches/ (see
# Documentation/parown-testing.rst, "The test kernel's core fix"): they are
# applied to a source tree of its own, $CACHE_DIR/src/<version>-<patches'
# hash>, so that the unpatched tree stays as Debian ships it.
#
# The build is cached under $CACHE_DIR/kernel/<version>-<key>, where the key
# hashes the fragments, the patches and the toolchain; a second call with
# the same inputs prints the cached directory at once.

set -eu

. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || set -- "$PAROWN_TOP/selftests/config"

[ -r "$KERNEL_TARBALL" ] || die "$KERNEL_TARBALL missing: run scripts/provision.sh"
[ -x "$BINDGEN" ] || die "$BINDGEN missing: run scripts/provision.sh"

kver=$(dpkg-query -W -f='${Version}' linux-source-7.3)
patches=$(ls "$PAROWN_TOP"/patches/*.patch 2>/dev/null || true)
# What the patches change (their diffs; not their commit messages).
# shellcheck disable=SC2086
patches_hash=$(for p in $patches; do sed -n '/^diff --git /,$p' "$p"; done | sha256sum | cut -c1-12)
src_dir=$CACHE_DIR/src/$kver
[ -z "$patches" ] || src_dir=$src_dir-$patches_hash
# Comments in the fragments do not change the kernel.
key=$( { grep -hE '^(CONFIG_|# CONFIG_.* is not set)' "$@";
	[ -z "$patches" ] || echo "patches $patches_hash";
	/usr/bin/rustc --version; clang-19 --version | head -1; "$BINDGEN" --version; } |
	sha256sum | cut -c1-12)
out_dir=$CACHE_DIR/kernel/$kver-$key

mkdir -p "$CACHE_DIR/kernel" "$CACHE_DIR/src"
exec 9>"$CACHE_DIR/kernel/.lock"
flock 9

if [ -f "$out_dir/.parown-complete" ]; then
	echo "$out_dir"
	exit 0
fi

if [ ! -f "$src_dir/.parown-unpacked" ]; then
	log "unpacking $KERNEL_TARBALL"
	rm -rf "$src_dir"
	mkdir -p "$src_dir"
	tar -C "$src_dir" --strip-components=1 -xJf "$KERNEL_TARBALL"
	for p in $patches; do
		log "applying $(basename "$p")"
		patch -d "$src_dir" -p1 --batch --forward --quiet <"$p" ||
			die "$(basename "$p") does not apply to $kver"
	done
	touch "$src_dir/.parown-unpacked"
fi

mkdir -p "$out_dir"
kmake() {
	# shellcheck disable=SC2086
	make -s -C "$src_dir" O="$out_dir" $KMAKE_TOOLS "$@"
}

kmake rustavailable >/dev/null || die "the kernel says Rust is not available"
kmake tinyconfig >/dev/null
"$src_dir/scripts/kconfig/merge_config.sh" -m -O "$out_dir" \
	"$out_dir/.config" "$@" >/dev/null
kmake olddefconfig >/dev/null

# Kconfig silently drops options whose dependencies fail: insist on each,
# as the last fragment that names it asks.
bad=0
awk '
	/^CONFIG_[A-Za-z0-9_]+=/ { opt = $0; sub(/=.*/, "", opt); want[opt] = $0; order[++n] = opt }
	/^# CONFIG_[A-Za-z0-9_]+ is not set/ { opt = $2; want[opt] = $0; order[++n] = opt }
	END { for (i = 1; i <= n; i++) if (!(order[i] in done)) { print want[order[i]]; done[order[i]] = 1 } }
' "$@" >"$out_dir/.parown-wanted"
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qx "$line" "$out_dir/.config" ||
			{ log "not set as asked: $line (have: $(grep "^${line%%=*}=" "$out_dir/.config" || echo unset))"; bad=1; } ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		! grep -q "^$opt=" "$out_dir/.config" ||
			{ log "should be unset: $opt"; bad=1; } ;;
	esac
done <"$out_dir/.parown-wanted"
[ "$bad" -eq 0 ] || die "kernel config does not match $*"

# Progress: Kbuild's step lines counted against the last build's count
# (kept beside the cache; the first build on a machine guesses).
steps_file=$CACHE_DIR/kernel/.steps-$(for f; do basename "$(dirname "$f")"; done | tr '\n' -)
expected=$(cat "$steps_file" 2>/dev/null || echo 2600)
log "building Linux $kver in $out_dir (8-10 minutes on 2 cores, once)"
{
	rc=0
	# shellcheck disable=SC2086
	make -C "$src_dir" O="$out_dir" $KMAKE_TOOLS -j"$(($(nproc) + 1))" all 2>&1 || rc=$?
	echo $rc >"$out_dir/build.rc"
} | "$PAROWN_TOP/tools/make-progress" "build-kernel: Linux $kver" "$expected" "$out_dir/build.log" 30
[ "$(cat "$out_dir/build.rc")" -eq 0 ] ||
	{ tail -n 30 "$out_dir/build.log" >&2; die "kernel build failed: $out_dir/build.log"; }
grep -cE '^  [A-Z][A-Z0-9_]*( [A-Z])? +[^ ]' "$out_dir/build.log" >"$steps_file" || true
touch "$out_dir/.parown-complete"
echo "$out_dir"
