# shellcheck shell=bash disable=SC2154  # $me, $force and $script come from the sourcing script
# Sourced by the scripts that take parts out of Debian's arm64 packages
# (guests/linux/fetch.sh, bench/xen/fetch.sh): the checks, `apt-get update`
# at most once, and a temporary download directory apt can write to.
# The caller sets $me (its name, for messages) and $force before sourcing;
# it may then call current FILE... and download PKG... (files land in $tmp).

die() { echo "$me: $*" >&2; exit 1; }

# True when every FILE exists, is not empty and is newer than the caller's
# script, and --force was not given.
current() {
	local f
	[ -z "$force" ] || return 1
	for f in "$@"; do
		[ -s "$f" ] && [ "$f" -nt "$script" ] || return 1
	done
}

debfetch_start() {
	local tool
	for tool in apt-get apt-cache dpkg dpkg-deb tar od; do
		command -v "$tool" >/dev/null || die "'$tool' not found; this script needs Debian's apt and dpkg"
	done
	dpkg --print-foreign-architectures | grep -qx arm64 ||
		die "the arm64 foreign architecture is not enabled; run 'bash tools/setup.sh' (or: sudo dpkg --add-architecture arm64 && sudo apt-get update)"
	SUDO=
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	# As root, apt downloads as the _apt user: let it write the download directory.
	if [ "$(id -u)" -eq 0 ] && id -u _apt >/dev/null 2>&1; then
		chown _apt "$tmp"
	fi
}

debfetch_updated=
apt_update() {
	[ -z "$debfetch_updated" ] || return 1
	debfetch_updated=1
	echo "$me: updating the package lists (apt-get update)" >&2
	$SUDO apt-get update -q >&2 || die "apt-get update failed"
}

# apt-get download PKG... into $tmp; on failure (stale or missing lists),
# update the lists once and retry.
download() {
	echo "$me: fetching $*" >&2
	(cd "$tmp" && apt-get download -q "$@") && return 0
	apt_update || die "apt-get download $* failed"
	(cd "$tmp" && apt-get download -q "$@") || die "apt-get download $* failed after apt-get update"
}
