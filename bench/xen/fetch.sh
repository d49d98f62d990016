#!/usr/bin/env bash
# Fetch Debian's Xen hypervisor for arm64, unmodified, for the benchmark
# comparison (bench/xen/README.md):
#   build/xen/xen      boot/xen-<ver>-arm64 of xen-hypervisor-<ver>-arm64:arm64
#   build/xen/version  "<package> <Debian package version>"
#
# Idempotent: when both exist and are newer than this script, nothing is done.
#   --force    fetch again anyway (e.g. after a security update)
#   XEN_BUILD  output directory (default build/xen under the repository)
#   XEN_PKG    the package (default xen-hypervisor-4.17-arm64)
#
# Needs the arm64 foreign architecture (tools/setup.sh adds it). Runs as root
# or as a user; sudo is used only for `apt-get update`, when the package lists
# lack the package.
set -euo pipefail

me=bench/xen/fetch.sh
script=$(readlink -f "$0")
root=$(cd "$(dirname "$script")/../.." && pwd)
out=${XEN_BUILD:-$root/build/xen}
pkg=${XEN_PKG:-xen-hypervisor-4.17-arm64}
force=
case "${1:-}" in
	--force) force=1 ;;
	"") ;;
	*) echo "usage: $0 [--force]" >&2; exit 2 ;;
esac

# shellcheck source=tools/debfetch.sh
source "$root/tools/debfetch.sh"

current "$out/xen" "$out/version" && exit 0
debfetch_start

mkdir -p "$out"
out=$(cd "$out" && pwd)
download "$pkg:arm64"
debs=("$tmp/${pkg}"_*_arm64.deb)
deb=${debs[0]}
[ -f "$deb" ] || die "apt-get download left no ${pkg}_*_arm64.deb"
pkgver=$(dpkg-deb -f "$deb" Version)

dpkg -x "$deb" "$tmp/root"
# The package ships boot/xen-<major.minor>-arm64 (and, in some versions, a
# boot/xen-<full version>-arm64 as well); take the regular file.
bin=
for f in "$tmp/root/boot/"xen-*-arm64; do
	[ -f "$f" ] && [ ! -L "$f" ] && { bin=$f; break; }
done
[ -n "$bin" ] || die "$deb has no boot/xen-*-arm64"
# Xen's arm64 image has the Linux Image header: magic "ARM\x64" at 0x38.
[ "$(od -An -tx1 -j56 -N4 "$bin" | tr -d ' \n')" = 41524d64 ] ||
	die "$bin is not an arm64 Image (no ARM\\x64 magic at offset 0x38)"

cp "$bin" "$out/xen.tmp"
mv "$out/xen.tmp" "$out/xen"
echo "$pkg $pkgver" >"$out/version.tmp"
mv "$out/version.tmp" "$out/version"
echo "$me: $out/xen: ${bin#"$tmp/root/"} of $pkg $pkgver, $(stat -c %s "$out/xen") bytes" >&2
