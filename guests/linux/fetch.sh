#!/usr/bin/env bash
# Fetch the Linux guest's parts from Debian's archive, unmodified:
#   kernel    build/linux/Image    the kernel of linux-image-arm64:arm64 (the
#                                  versioned package it depends on), as a raw
#                                  arm64 Image
#             build/linux/version  "<kernel release> <Debian package version>"
#   busybox   build/linux/busybox  /bin/busybox of busybox-static:arm64
#   modules   build/linux/modules/ the modules guests/linux/modules.list names,
#                                  with their dependencies, from the same kernel
#                                  package; modules.load says in which order to
#                                  load them (guests/linux/README.md, "Modules")
#
# usage: fetch.sh [--force] [part...]   (default: every part)
# Idempotent: a part that exists and is newer than this script is kept; the
# modules are fetched again when modules.list differs from the one they were
# fetched for, and when the kernel changes.
#   --force      fetch again anyway (e.g. after a new kernel reached the archive)
#   LINUX_BUILD  output directory (default build/linux under the repository)
#
# Needs the arm64 foreign architecture (tools/setup.sh adds it) and depmod
# (kmod). Runs as root or as a user; sudo is used only for `apt-get update`,
# when the package lists lack the arm64 packages.
set -euo pipefail

me=guests/linux/fetch.sh
script=$(readlink -f "$0")
root=$(cd "$(dirname "$script")/../.." && pwd)
out=${LINUX_BUILD:-$root/build/linux}
mkdir -p "$out"
out=$(cd "$out" && pwd)
modlist=$root/guests/linux/modules.list
force=
parts=()
for arg in "$@"; do
	case $arg in
		--force) force=1 ;;
		kernel | busybox | modules) parts+=("$arg") ;;
		*) echo "usage: $0 [--force] [kernel|busybox|modules]..." >&2; exit 2 ;;
	esac
done
[ ${#parts[@]} -gt 0 ] || parts=(kernel busybox modules)
wanted() { [[ " ${parts[*]} " == *" $1 "* ]]; }

# shellcheck source=tools/debfetch.sh
source "$root/tools/debfetch.sh"

# The kernel release and package version build/linux/version records.
kver=
pkgver=
[ -s "$out/version" ] && read -r kver pkgver <"$out/version"

# The modules are current: newer than this script, fetched for this kernel and
# for this modules.list.
modules_current() {
	current "$out/modules/modules.load" && cmp -s "$modlist" "$out/modules/modules.list" &&
		cmp -s "$out/version" "$out/modules/version"
}

need_kernel='' need_busybox='' need_modules=''
wanted kernel && ! current "$out/Image" "$out/version" && need_kernel=1
# The modules must match the Image: without one, fetch it too.
wanted modules && [ -z "$kver" ] && need_kernel=1
wanted busybox && ! current "$out/busybox" && need_busybox=1
wanted modules && { [ -n "$need_kernel" ] || ! modules_current; } && need_modules=1
[ -n "$need_kernel$need_busybox$need_modules" ] || exit 0

debfetch_start
[ -z "$need_modules" ] || command -v depmod >/dev/null ||
	die "'depmod' not found (apt-get install kmod, or run tools/setup.sh)"

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
	command -v "${tool%% *}" >/dev/null || die "$1-compressed data but '${tool%% *}' is not installed (apt-get install ${tool%% *})"
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

# The kernel package's .deb in $tmp: the archive's current one when the kernel
# is fetched, else exactly the version build/linux/version records.
kdeb=
kernel_deb() {
	local pkg=linux-image-$kver
	[ -z "$kdeb" ] || return 0
	if [ -n "$need_kernel" ]; then
		pkg=$(kernel_pkg)
		if [ -z "$pkg" ]; then
			apt_update || true
			pkg=$(kernel_pkg)
		fi
		[ -n "$pkg" ] || die "cannot resolve linux-image-arm64:arm64 to a versioned kernel package (apt-cache depends linux-image-arm64:arm64 names none)"
		download "$pkg:arm64"
	else
		if ! apt-cache show "$pkg:arm64=$pkgver" >/dev/null 2>&1; then
			apt_update || true
			apt-cache show "$pkg:arm64=$pkgver" >/dev/null 2>&1 ||
				die "$pkg $pkgver (build/linux/version) is no longer in the archive; '$me --force' moves to the current kernel"
		fi
		download "$pkg:arm64=$pkgver"
	fi
	kdeb=$(echo "$tmp/${pkg}"_*_arm64.deb)
	[ -f "$kdeb" ] || die "apt-get download left no ${pkg}_*_arm64.deb"
}

if [ -n "$need_kernel" ]; then
	kernel_deb
	pkgver=$(dpkg-deb -f "$kdeb" Version)
	pkg=$(dpkg-deb -f "$kdeb" Package)
	kver=${pkg#linux-image-}
	mkdir "$tmp/kernel"
	# Only boot/ is needed here: unpack that instead of the whole module tree.
	dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$tmp/kernel" "./boot/vmlinuz-$kver" ||
		die "$kdeb has no boot/vmlinuz-$kver"
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

# A module's name from its path, in $REPLY (no subshell: modules.dep has
# thousands of lines): the file name without .ko[.xz|.zst|.gz], with "-" as
# "_" (the kernel treats them alike).
modname() {
	REPLY=${1##*/}
	REPLY=${REPLY%%.ko*}
	REPLY=${REPLY//-/_}
}

if [ -n "$need_modules" ]; then
	[ -f "$modlist" ] || die "$modlist is missing"
	kernel_deb
	mods=$tmp/modules-tree
	mkdir -p "$mods"
	dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$mods" "./lib/modules/$kver" ||
		die "$kdeb has no lib/modules/$kver"
	moddir=$mods/lib/modules/$kver
	# The package has no modules.dep (its postinst runs depmod): make it.
	depmod -b "$mods" "$kver" || die "depmod failed on lib/modules/$kver of $kdeb"
	declare -A mpath=() mdeps=() builtin=() params=() seen=()
	while read -r file deps; do
		file=${file%:}
		modname "$file"
		mpath[$REPLY]=$file
		names=
		for d in $deps; do
			modname "$d"
			names+=" $REPLY"
		done
		modname "$file"
		mdeps[$REPLY]=$names
	done <"$moddir/modules.dep"
	if [ -f "$moddir/modules.builtin" ]; then
		while read -r file; do
			modname "$file"
			builtin[$REPLY]=1
		done <"$moddir/modules.builtin"
	fi

	# Depth first: every module after the modules it needs.
	order=()
	visit() {
		local d
		[ -z "${seen[$1]:-}" ] || return 0
		seen[$1]=1
		for d in ${mdeps[$1]}; do visit "$d"; done
		order+=("$1")
	}
	listed=0
	while read -r name args; do
		name=${name//-/_}
		listed=$((listed + 1))
		if [ -z "${mpath[$name]:-}" ]; then
			if [ -n "${builtin[$name]:-}" ]; then
				[ -z "$args" ] || die "modules.list: $name is built into Linux $kver: its parameters ($args) go on the kernel command line as $name.<param>=<value>"
				echo "$me: $name is built into Linux $kver: nothing to load" >&2
				continue
			fi
			die "modules.list: no module $name in ${kdeb##*/} (lib/modules/$kver)"
		fi
		params[$name]=$args
		visit "$name"
	done < <(sed 's/#.*//' "$modlist" | awk 'NF')

	new=$tmp/modules
	mkdir "$new"
	: >"$new/modules.load"
	for name in "${order[@]}"; do
		file=${mpath[$name]}
		ko=${file##*/}
		ko=${ko%%.ko*}.ko
		# busybox's insmod takes plain ELF modules: decompress here.
		case $file in
			*.ko) cp "$moddir/$file" "$new/$ko" ;;
			*.ko.xz) decompress xz <"$moddir/$file" >"$new/$ko" ;;
			*.ko.zst) decompress zstd <"$moddir/$file" >"$new/$ko" ;;
			*.ko.gz) decompress gzip <"$moddir/$file" >"$new/$ko" ;;
			*) die "$file: unknown module compression" ;;
		esac
		echo "$ko${params[$name]:+ ${params[$name]}}" >>"$new/modules.load"
	done
	cp "$modlist" "$new/modules.list"
	cp "$out/version" "$new/version"
	rm -rf "$out/modules.old"
	[ ! -d "$out/modules" ] || mv "$out/modules" "$out/modules.old"
	mv "$new" "$out/modules"
	rm -rf "$out/modules.old"
	echo "$me: $out/modules: ${#order[@]} module(s) for $listed listed: ${order[*]}" >&2
fi
