#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Clean Debian 13 ("trixie") environments made from Debian's packages, for
# testing parown's installation on Debian's own kernels without installing
# anything from Debian 13 on the host.
#
# usage: scripts/debian-env.sh base          make (once) the cached base
#                                            root; print its path
#        scripts/debian-env.sh fresh DIR     make DIR a copy of the base
#        scripts/debian-env.sh run DIR CMD…  run CMD as root in DIR
#
# The base is `debootstrap --variant=minbase trixie` with trixie, its
# updates, security and backports suites in apt's sources, cached under
# $CACHE_DIR/debian/base. `run` mounts /proc, /sys and /dev into the root
# in a private mount namespace, so nothing stays mounted when it ends,
# whatever happens.

set -eu

. "$(dirname "$0")/lib.sh"

DEBIAN_DIR=$CACHE_DIR/debian
BASE=$DEBIAN_DIR/base

# The Debian mirror the host's apt already uses (apt's own configuration
# names it); the archive's default name otherwise.
host_mirror() {
	m=$(grep -rhsE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/ |
		grep -oE 'https?://[^ ]+/debian/?( |$)' | head -n 1 | tr -d ' ')
	echo "${m:-http://deb.debian.org/debian}"
}

sources() {
	cat <<EOS
Types: deb
URIs: $1
Suites: trixie trixie-updates trixie-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${1%/debian*}/debian-security
Suites: trixie-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
}

make_base() {
	if [ -f "$BASE/.parown-complete" ]; then
		return 0
	fi
	command -v debootstrap >/dev/null || die "debootstrap missing: run scripts/provision.sh"
	mirror=$(host_mirror)
	rm -rf "$BASE"
	mkdir -p "$DEBIAN_DIR"
	log "making a Debian 13 root with debootstrap from $mirror (about a minute, once)"
	# Its phases as progress; every line in the log.
	{
		rc=0
		debootstrap --variant=minbase --include=ca-certificates,debian-archive-keyring \
			trixie "$BASE" "$mirror" 2>&1 || rc=$?
		echo $rc >"$DEBIAN_DIR/debootstrap.rc"
	} | tee "$DEBIAN_DIR/debootstrap.log" |
		grep --line-buffered -E '^I: (Retrieving Packages|Resolving|Found additional|Retrieving|Extracting|Installing core|Unpacking the base|Configuring the base|Base system)' |
		awk -v prog="$(basename "$0" .sh)" '
			{ phase = $2 }
			phase != last { print prog ": debootstrap: " substr($0, 4) > "/dev/stderr"; last = phase }'
	[ "$(cat "$DEBIAN_DIR/debootstrap.rc")" -eq 0 ] || {
		tail -n 20 "$DEBIAN_DIR/debootstrap.log" >&2
		die "debootstrap failed: $DEBIAN_DIR/debootstrap.log"
	}
	rm -f "$BASE/etc/apt/sources.list"
	sources "$mirror" >"$BASE/etc/apt/sources.list.d/debian.sources"
	# Only what the commands name and need: recommended packages would hide
	# a missing dependency of the README's commands.
	printf 'APT::Install-Recommends "false";\n' >"$BASE/etc/apt/apt.conf.d/90parown"
	run_in "$BASE" apt-get update -q >/dev/null
	touch "$BASE/.parown-complete"
}

# run_in ROOT CMD...: CMD as root in ROOT, with /proc, /sys and /dev, the
# host's resolver, and no way to start services.
run_in() {
	root=$1
	shift
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
	chmod +x "$root/usr/sbin/policy-rc.d"
	unshare --mount --propagation private sh -eu -c '
		root=$1
		shift
		mount --bind /proc "$root/proc"
		mount --bind /sys "$root/sys"
		mount --rbind /dev "$root/dev"
		exec env -i HOME=/root TERM=dumb LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			chroot "$root" "$@"
	' sh "$root" "$@"
}

[ "$(id -u)" -eq 0 ] || die "Debian environments need root (debootstrap, chroot)"
cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
base)
	make_base
	echo "$BASE"
	;;
fresh)
	[ $# -eq 1 ] || die "usage: $0 fresh DIR"
	make_base
	rm -rf "$1"
	mkdir -p "$(dirname "$1")"
	cp -a "$BASE" "$1"
	;;
run)
	[ $# -ge 2 ] || die "usage: $0 run DIR CMD..."
	run_in "$@"
	;;
*)
	die "usage: $0 base | fresh DIR | run DIR CMD..."
	;;
esac
