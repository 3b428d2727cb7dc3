#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Tests of tools/kernel-rust-metadata's refusals, run as root inside a
# Debian 13 environment where parown was installed for KERNEL (see
# scripts/debian-kernels.sh). Each wrong set-up is made beside the real
# one: fake headers trees under /usr/src, fake tools on a private PATH,
# another distribution's /etc/os-release bind-mounted in a private mount
# namespace. Prints KTAP.
#
# usage: test-kernel-rust-metadata.sh KERNEL

set -u

k=$1
tool=/usr/sbin/kernel-rust-metadata
scratch=$(mktemp -d)
fakes="9.8.0-parown-norust 9.8.0-parown-nosource"
trap 'rm -rf "$scratch"; for f in $fakes; do rm -rf /usr/src/linux-headers-$f /lib/modules/$f; done' EXIT

n=0 failed=0
echo "KTAP version 1"
echo "1..9"

# expect NAME STATUS PATTERN CMD...: CMD exits with STATUS and says PATTERN.
expect() {
	name=$1 want=$2 pattern=$3
	shift 3
	rc=0
	"$@" >"$scratch/out" 2>&1 || rc=$?
	sed 's/^/# /' "$scratch/out"
	n=$((n + 1))
	if [ "$rc" -eq "$want" ] && grep -q -- "$pattern" "$scratch/out"; then
		echo "ok $n $name"
	else
		echo "# exit $rc (want $want), looked for: $pattern"
		echo "not ok $n $name"
		failed=$((failed + 1))
	fi
}

# A headers tree for release $1 whose .config is the real one's, edited by
# the sed script $2; registered under /lib/modules like a real one.
fake_headers() {
	mkdir -p "/usr/src/linux-headers-$1" "/lib/modules/$1"
	sed "$2" "/lib/modules/$k/build/.config" >"/usr/src/linux-headers-$1/.config"
	ln -sfn "/usr/src/linux-headers-$1" "/lib/modules/$1/build"
}

# A tool that prints a version other than the kernel's.
fake_tool() {
	printf '#!/bin/sh\necho "%s"\n' "$2" >"$scratch/$1"
	chmod +x "$scratch/$1"
}

expect "--check: metadata there, toolchain matches" 0 "has Rust metadata" \
	"$tool" --check "$k"

fake_tool rustc "rustc 1.97.1 (0 2026-01-01) (built from a source tarball)"
expect "refuses another rustc, naming Debian's package" 1 "rustc=1.85.1+dfsg1-1+deb13u1" \
	env RUSTC="$scratch/rustc" "$tool" --check "$k"

fake_tool bindgen "bindgen 0.72.0"
expect "refuses another bindgen, naming Debian's package" 1 "bindgen=0.71.1-6" \
	env BINDGEN="$scratch/bindgen" "$tool" "$k"

expect "refuses a kernel without headers" 1 "apt install linux-headers-9.8.0-parown-none" \
	"$tool" 9.8.0-parown-none

fake_headers 9.8.0-parown-norust '/^CONFIG_RUST=/d'
expect "refuses a kernel without CONFIG_RUST" 1 "built without CONFIG_RUST" \
	"$tool" 9.8.0-parown-norust

fake_headers 9.8.0-parown-nosource 's/^CONFIG_BUILD_SALT=.*/CONFIG_BUILD_SALT="fake"/'
expect "refuses a kernel without its linux-source" 1 "apt install linux-source-9.8" \
	"$tool" 9.8.0-parown-nosource

printf 'ID=ubuntu\nID_LIKE=debian\n' >"$scratch/os-release"
expect "on Ubuntu, names linux-lib-rust" 1 "apt install linux-lib-rust-9.8.0-parown-nosource" \
	unshare --mount --propagation unchanged sh -c "mount --bind $scratch/os-release /etc/os-release && $tool 9.8.0-parown-nosource"

printf 'ID=fedora\n' >"$scratch/os-release"
expect "on Fedora, says what is missing instead of building" 1 "kernel-devel ships none" \
	unshare --mount --propagation unchanged sh -c "mount --bind $scratch/os-release /etc/os-release && $tool 9.8.0-parown-nosource"

# --remove takes away exactly what the manifest lists, then --check sees
# no metadata: on a copy of the real tree's additions, in a fake tree.
h=/usr/src/linux-headers-9.8.0-parown-nosource
mkdir -p "$h/rust" "$h/scripts"
(cd "/lib/modules/$k/build" && cp rust/libkernel.rmeta rust/.kernel-rust-metadata "$h/rust/" &&
	cp scripts/target.json "$h/scripts/")
printf 'rust/libkernel.rmeta\nscripts/target.json\nrust/.kernel-rust-metadata\n' >"$h/rust/.kernel-rust-metadata"
touch "$h/rust/kept.rmeta"
"$tool" --remove 9.8.0-parown-nosource >"$scratch/out" 2>&1
sed 's/^/# /' "$scratch/out"
n=$((n + 1))
if [ ! -e "$h/rust/libkernel.rmeta" ] && [ ! -e "$h/scripts/target.json" ] &&
	[ ! -e "$h/rust/.kernel-rust-metadata" ] && [ -e "$h/rust/kept.rmeta" ]; then
	echo "ok $n --remove removes what it added, and only that"
else
	echo "not ok $n --remove removes what it added, and only that"
	failed=$((failed + 1))
fi

[ "$failed" -eq 0 ]
