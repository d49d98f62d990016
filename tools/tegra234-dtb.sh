#!/usr/bin/env bash
# Build the real Jetson AGX Orin devkit device tree for the host tests, from
# Debian's kernel source package, unmodified:
#   OUT (default build/tegra234/tegra234-p3737-0000+p3701-0000.dtb)
#
# usage: tegra234-dtb.sh [--force] [OUT]
# Once: `apt-get download linux-source-6.1` (not installed; ~140 MB), and only
# the files the DTB needs are unpacked into a cache outside the clone,
# ${XDG_CACHE_HOME:-$HOME/.cache}/tessera/linux-source-<version>/:
# arch/arm64/boot/dts/nvidia/tegra234*, include/dt-bindings,
# scripts/dtc/include-prefixes. The .deb is not kept. Then cpp + dtc, as
# the kernel's scripts/Makefile.lib does. Kernel sources never enter the
# repository.
#
# On failure (offline, package gone) it exits 1 after writing the reason to
# OUT.unavailable, which tests/unit/test_tegra234.c prints when it skips.
set -euo pipefail

me=tools/tegra234-dtb.sh
script=$(readlink -f "$0")
root=$(cd "$(dirname "$script")/.." && pwd)
PKG=linux-source-6.1
BOARD=tegra234-p3737-0000+p3701-0000
force=
[ "${1:-}" = --force ] && { force=1; shift; }
out=${1:-$root/build/tegra234/$BOARD.dtb}
mkdir -p "$(dirname "$out")"
cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/tessera

fail() {
	echo "$me: $*" >&2
	echo "$*" >"$out.unavailable"
	exit 1
}

# shellcheck source=tools/debfetch.sh
source "$root/tools/debfetch.sh"
stage=
die() { fail "$stage$*"; } # debfetch.sh's helpers report through die

# What the DTB needs from the source tarball (members are under $PKG/).
# include/dt-bindings/input/linux-event-codes.h is a symlink into uapi.
members=('arch/arm64/boot/dts/nvidia/tegra234*' include/dt-bindings
	include/uapi/linux/input-event-codes.h scripts/dtc/include-prefixes)

# A cached source tree: the newest one unpacked before with these members,
# unless --force.
src=
if [ -z "$force" ]; then
	src=$(printf '%s\n' "$cache_root/$PKG"-*/ | grep -v '\.tmp/$' | sort -V | tail -n1 || true)
	src=${src%/}
	[ -z "$src" ] || [ "$(cat "$src/.complete" 2>/dev/null)" = "${members[*]}" ] || src=
fi

if [ -z "$src" ]; then
	stage="cannot fetch $PKG (once, from the Debian archive; offline?): "
	debfetch_start
	download "$PKG"
	stage=
	deb=$(echo "$tmp/${PKG}"_*_all.deb)
	[ -f "$deb" ] || fail "apt-get download left no ${PKG}_*_all.deb"
	ver=$(dpkg-deb -f "$deb" Version)
	src=$cache_root/$PKG-$ver
	echo "$me: unpacking the tegra234 device trees of $PKG $ver into $src" >&2
	rm -rf "$src.tmp" && mkdir -p "$src.tmp"
	# The package holds one tarball, usr/src/linux-source-6.1.tar.xz, whose
	# members are under linux-source-6.1/: take only what the DTB needs.
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$PKG.tar.xz" |
		tar -xJ -C "$src.tmp" --strip-components=1 --wildcards "${members[@]/#/$PKG/}" ||
		fail "$deb: cannot unpack the tegra234 device trees from usr/src/$PKG.tar.xz"
	[ -f "$src.tmp/arch/arm64/boot/dts/nvidia/$BOARD.dts" ] || fail "$PKG $ver has no $BOARD.dts"
	echo "${members[*]}" >"$src.tmp/.complete"
	rm -rf "$src" && mv "$src.tmp" "$src"
fi

dts=$src/arch/arm64/boot/dts/nvidia/$BOARD.dts
[ -f "$dts" ] || fail "$dts is missing; run '$me --force'"
command -v cpp >/dev/null || fail "'cpp' not found (apt-get install cpp)"
command -v dtc >/dev/null || fail "'dtc' not found (apt-get install device-tree-compiler)"
# The kernel's dtc_cpp_flags (scripts/Makefile.lib).
cpp -nostdinc -undef -x assembler-with-cpp -D__DTS__ \
	-I "$src/arch/arm64/boot/dts/nvidia" -I "$src/scripts/dtc/include-prefixes" -I "$src/include" \
	-o "$out.pre.dts" "$dts" || fail "cpp failed on $dts"
dtc -q -I dts -O dtb -o "$out.tmp" "$out.pre.dts" || fail "dtc failed on $dts"
rm -f "$out.pre.dts" "$out.unavailable"
mv "$out.tmp" "$out"
echo "$me: $out from $(basename "$src")" >&2
