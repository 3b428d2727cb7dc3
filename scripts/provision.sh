#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install what building and testing parown needs on Debian 12, and nothing
# else. Idempotent: a second run installs nothing and takes a second.
#
# - linux-source-7.3 comes from trixie-backports, asked for by suite so that
#   apt takes only that one package from it (its dependencies, binutils and
#   xz-utils, come from Debian 12); a pin keeps every other package of that
#   suite out of upgrades.
# - Everything else comes from Debian 12 itself, including the real
#   programs the differential tests run unmodified (selftests/
#   parown_programs.sh): libieee1284-3-dev, to build a program against
#   Debian's libieee1284, and urjtag (its jtag); binutils' readelf for
#   the VM runner, which copies dynamic programs in with their libraries;
#   gnuplot-nox, with which `make bench` draws its latency plot; and
#   linux-perf, which `make profile` runs in the VM.
# - bindgen comes from crates.io, pinned, installed under the parown cache.
#
# As root this installs; otherwise it uses sudo when it can, or prints the
# exact commands to run and fails.

set -eu

. "$(dirname "$0")/lib.sh"

KSRC_PKG=linux-source-7.3
DEB12_PKGS="rustc-web rust-web-src rust-web-clippy rustfmt-web cargo-web clang-19 lld-19 llvm-19 libclang-19-dev \
qemu-system-x86 busybox-static cpio flex bison bc libelf-dev libssl-dev kmod \
make gcc gcc-multilib libc6-dev python3 xz-utils debootstrap \
libieee1284-3-dev urjtag binutils gnuplot-nox linux-perf"
BACKPORTS_LIST=/etc/apt/sources.list.d/parown-trixie-backports.sources
BACKPORTS_PIN=/etc/apt/preferences.d/parown-trixie-backports

if [ "$(id -u)" -eq 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO=sudo
else
	SUDO=none
fi

missing_pkgs() {
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || printf '%s ' "$p"
	done
}

need_root() {
	if [ "$SUDO" = none ]; then
		echo "provision: not root and no sudo; as root, run:" >&2
		printf '  %s\n' "$@" >&2
		exit 1
	fi
}

backports_source() {
	cat <<EOS
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
}

backports_pin() {
	cat <<EOS
# parown takes only linux-source-7.3 from trixie-backports, by asking for
# it as linux-source-7.3/trixie-backports; nothing else comes from there.
Package: *
Pin: release n=trixie-backports
Pin-Priority: 1
EOS
}

install_packages() {
	missing=$(missing_pkgs $DEB12_PKGS)
	missing_src=$(missing_pkgs $KSRC_PKG)
	[ -z "$missing$missing_src" ] && return 0

	need_root "printf '%s\n' '$(backports_source | tr '\n' '|')' | tr '|' '\n' > $BACKPORTS_LIST" \
		"apt-get update" \
		"apt-get install -y --no-install-recommends $missing $KSRC_PKG/trixie-backports"

	if [ -n "$missing_src" ] && [ ! -f "$BACKPORTS_LIST" ]; then
		backports_source | $SUDO tee "$BACKPORTS_LIST" >/dev/null
		backports_pin | $SUDO tee "$BACKPORTS_PIN" >/dev/null
	fi
	log "installing: $missing ${missing_src:+$KSRC_PKG/trixie-backports}"
	$SUDO apt-get update -qq
	# Progress: the download's size, then a line every 20 packages set up.
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q \
		-o Dpkg::Progress-Fancy=0 --no-install-recommends $missing \
		${missing_src:+$KSRC_PKG/trixie-backports} 2>&1 | awk -v prog="$(basename "$0" .sh)" '
		/^(Need to get|Fetched|E:)/ { print prog ": " $0 > "/dev/stderr" }
		/^Setting up/ { if (++n % 20 == 0) print prog ": " n " packages set up" > "/dev/stderr" }
		END { print prog ": " n + 0 " packages set up" > "/dev/stderr" }'
	[ -z "$(missing_pkgs $DEB12_PKGS $KSRC_PKG)" ] || die "apt-get could not install: $(missing_pkgs $DEB12_PKGS $KSRC_PKG)"
}

install_bindgen() {
	if [ -x "$BINDGEN" ] &&
	   "$BINDGEN" --version 2>/dev/null | grep -q " $BINDGEN_VERSION\$"; then
		return 0
	fi
	log "installing bindgen-cli $BINDGEN_VERSION (a minute or two: cargo shows each crate)"
	deb_cargo install --locked --root "$TOOLS_DIR" \
		--version "$BINDGEN_VERSION" bindgen-cli
}

install_packages
install_bindgen
log "toolchain ready: $(/usr/bin/rustc --version), $("$BINDGEN" --version), clang-19, $(qemu-system-x86_64 --version | head -1)"
