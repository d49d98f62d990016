#!/usr/bin/env bash
# Fetch the Linux guest's parts from Debian's archive, unmodified:
#   build/linux/Image    the kernel of linux-image-arm64:arm64 (the versioned
#                        package it depends on), as a raw arm64 Image
#   build/linux/version  "<kernel release> <Debian package version>"
#   build/linux/busybox  /bin/busybox of busybox-static:arm64
#
# Idempotent: a part that exists and is newer than this script is kept.
#   --force      fetch again anyway (e.g. after a new kernel reached the archive)
#   LINUX_BUILD  output directory (default build/linux under the repository)
#
# Needs the arm64 foreign architecture (tools/setup.sh adds it). Runs as root
# or as a user; sudo is used only for `apt-get update`, when the package lists
# lack the arm64 packages.
set -euo pipefail

me=guests/linux/fetch.sh
script=$(readlink -f "$0")
root=$(cd "$(dirname "$script")/../.." && pwd)
out=${LINUX_BUILD:-$root/build/linux}
mkdir -p "$out"
out=$(cd "$out" && pwd)
force=
case "${1:-}" in
	--force) force=1 ;;
	"") ;;
	*) echo "usage: $0 [--force]" >&2; exit 2 ;;
esac

# shellcheck source=tools/debfetch.sh
source "$root/tools/debfetch.sh"

need_kernel=1 need_busybox=1
current "$out/Image" "$out/version" && need_kernel=
current "$out/busybox" && need_busybox=
[ -n "$need_kernel$need_busybox" ] || exit 0

debfetch_start

# linux-image-arm64 is a metapackage; the kernel is in the versioned package it
# depends on, e.g. linux-image-6.1.0-56-arm64.
kernel_pkg() {
	apt-cache depends linux-image-arm64:arm64 2>/dev/null |
		awk '$1 ~ /^\|?Depends:$/ && $2 ~ /^linux-image-[0-9]/ { sub(/:arm64$/, "", $2); print $2; exit }'
}


# Print the format of compressed data in file $1 at byte offset $2 (default 0).
magic_of() {
	local m
	m=$(od -An -tx1 -j "${2:-0}" -N6 "$1" | tr -d ' \n')
	case $m in
		1f8b*) echo gzip ;;
		fd377a585a00) echo xz ;;
		28b52ffd*) echo zstd ;;
		425a68*) echo bzip2 ;;
		04224d18*) echo lz4 ;;
		894c5a4f*) echo lzo ;;
		5d0000*) echo lzma ;;
		*) echo unknown ;;
	esac
}

decompress() { # FORMAT < in > out
	local tool
	case $1 in
		gzip) tool="gzip -dc" ;;
		xz) tool="xz -dc" ;;
		lzma) tool="xz -dc --format=lzma" ;;
		zstd) tool="zstd -dcq" ;;
		bzip2) tool="bzip2 -dc" ;;
		lz4) tool="lz4 -dc" ;;
		lzo) tool="lzop -dc" ;;
		*) die "cannot decompress '$1' data" ;;
	esac
	command -v "${tool%% *}" >/dev/null || die "the kernel is $1-compressed but '${tool%% *}' is not installed (apt-get install ${tool%% *})"
	$tool
}

le32() { # FILE OFFSET: a little-endian 32-bit word
	local b
	b=$(od -An -tu4 --endian=little -j "$2" -N4 "$1" | tr -d ' ')
	echo "$b"
}

# Turn Debian's vmlinuz into a raw arm64 Image: it may be a raw Image already,
# a compressed Image, or an EFI zboot image (PE with "zimg", a compressed
# payload inside).
to_image() { # IN OUT
	local in=$1 o=$2 fmt poff psize
	if [ "$(od -An -c -j4 -N4 "$in" | tr -d ' ')" = zimg ]; then
		poff=$(le32 "$in" 8)
		psize=$(le32 "$in" 12)
		fmt=$(magic_of "$in" "$poff")
		echo "$me: vmlinuz is an EFI zboot image ($fmt payload of $psize bytes at $poff)" >&2
		dd if="$in" bs=4096 iflag=skip_bytes,count_bytes skip="$poff" count="$psize" status=none |
			decompress "$fmt" >"$o"
	else
		fmt=$(magic_of "$in")
		if [ "$fmt" = unknown ]; then
			cp "$in" "$o"
		else
			echo "$me: vmlinuz is $fmt-compressed; decompressing" >&2
			decompress "$fmt" <"$in" >"$o"
		fi
	fi
	# Linux Documentation/arch/arm64/booting.rst: magic "ARM\x64" at 0x38.
	[ "$(od -An -tx1 -j56 -N4 "$o" | tr -d ' \n')" = 41524d64 ] ||
		die "$in did not give an arm64 Image (no ARM\\x64 magic at offset 0x38)"
}

mkdir -p "$out"

if [ -n "$need_kernel" ]; then
	pkg=$(kernel_pkg)
	if [ -z "$pkg" ]; then
		apt_update || true
		pkg=$(kernel_pkg)
	fi
	[ -n "$pkg" ] || die "cannot resolve linux-image-arm64:arm64 to a versioned kernel package (apt-cache depends linux-image-arm64:arm64 names none)"
	download "$pkg:arm64"
	deb=$(echo "$tmp/${pkg}"_*_arm64.deb)
	[ -f "$deb" ] || die "apt-get download left no ${pkg}_*_arm64.deb"
	pkgver=$(dpkg-deb -f "$deb" Version)
	kver=${pkg#linux-image-}
	mkdir "$tmp/kernel"
	# Only boot/ is needed: unpack that instead of the whole module tree.
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp/kernel" "./boot/vmlinuz-$kver" ||
		die "$deb has no boot/vmlinuz-$kver"
	to_image "$tmp/kernel/boot/vmlinuz-$kver" "$tmp/Image"
	mv "$tmp/Image" "$out/Image"
	echo "$kver $pkgver" >"$out/version.tmp"
	mv "$out/version.tmp" "$out/version"
	echo "$me: $out/Image: Linux $kver ($pkg $pkgver), $(stat -c %s "$out/Image") bytes" >&2
fi

if [ -n "$need_busybox" ]; then
	download busybox-static:arm64
	deb=$(echo "$tmp"/busybox-static_*_arm64.deb)
	[ -f "$deb" ] || die "apt-get download left no busybox-static_*_arm64.deb"
	mkdir "$tmp/busybox"
	dpkg -x "$deb" "$tmp/busybox"
	[ -x "$tmp/busybox/bin/busybox" ] || die "$deb has no bin/busybox"
	cp "$tmp/busybox/bin/busybox" "$out/busybox.tmp"
	mv "$out/busybox.tmp" "$out/busybox"
	echo "$me: $out/busybox: busybox-static $(dpkg-deb -f "$deb" Version)" >&2
fi
