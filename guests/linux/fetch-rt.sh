#!/usr/bin/env bash
# Fetch the interference tools for the bench-only Linux initramfs
# (bench/interference.sh), unmodified from Debian's arm64 archive:
#   build/linux/rt-root/usr/bin/cyclictest   rt-tests:arm64
#   build/linux/rt-root/usr/bin/stress-ng    stress-ng:arm64
#   build/linux/rt-root/lib/...              every shared library they need
#                                            (their DT_NEEDED, followed
#                                            recursively) and the loader
#   build/linux/rt-root/versions             "<package> <version>" a line
#
# The libraries come from the arm64 packages of the two packages' dependency
# closure (apt-cache depends --recurse, ~60 small packages, ~15 MB); only the
# files the DT_NEEDED walk reaches are kept. A soname no package gives is an error.
#
# usage: fetch-rt.sh [--force]   Idempotent, as guests/linux/fetch.sh.
#   LINUX_BUILD  output directory (default build/linux under the repository)
set -euo pipefail

me=guests/linux/fetch-rt.sh
script=$(readlink -f "$0")
root=$(cd "$(dirname "$script")/../.." && pwd)
out=${LINUX_BUILD:-$root/build/linux}
mkdir -p "$out"
out=$(cd "$out" && pwd)
force=
case ${1:-} in
	--force) force=1 ;;
	'') ;;
	*) echo "usage: $0 [--force]" >&2; exit 2 ;;
esac
dest=$out/rt-root

# shellcheck source=tools/debfetch.sh
source "$root/tools/debfetch.sh"
current "$dest/versions" && exit 0

debfetch_start
readelf=
for r in aarch64-linux-gnu-readelf readelf; do
	command -v "$r" >/dev/null && { readelf=$r; break; }
done
[ -n "$readelf" ] || die "no readelf (apt-get install binutils-aarch64-linux-gnu)"

tops=(rt-tests:arm64 stress-ng:arm64)
mapfile -t libs < <(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
	--no-breaks --no-replaces --no-enhances "${tops[@]}" 2>/dev/null |
	awk '/^[a-z0-9][^ <>]*:arm64$/' | grep -vxF -e rt-tests:arm64 -e stress-ng:arm64 | sort -u)
[ "${#libs[@]}" -gt 0 ] || {
	apt_update || true
	mapfile -t libs < <(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
		--no-breaks --no-replaces --no-enhances "${tops[@]}" 2>/dev/null |
		awk '/^[a-z0-9][^ <>]*:arm64$/' | grep -vxF -e rt-tests:arm64 -e stress-ng:arm64 | sort -u)
}
[ "${#libs[@]}" -gt 0 ] || die "apt-cache names no arm64 dependency of ${tops[*]}"
download "${tops[@]}" "${libs[@]}"

tree=$tmp/tree
mkdir "$tree"
: >"$tmp/versions"
for deb in "$tmp"/*.deb; do
	dpkg -x "$deb" "$tree"
	echo "$(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)" >>"$tmp/versions"
done
for bin in usr/bin/cyclictest usr/bin/stress-ng; do
	[ -x "$tree/$bin" ] || die "no $bin in the packages"
done

# A soname's file in the unpacked tree: Debian's multiarch directories (with
# usrmerge, /lib is /usr/lib).
find_lib() {
	local d
	for d in usr/lib/aarch64-linux-gnu lib/aarch64-linux-gnu usr/lib lib; do
		[ -e "$tree/$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	return 1
}

stage=$tmp/rt-root
mkdir -p "$stage/usr/bin" "$stage/lib/aarch64-linux-gnu"
declare -A seen=()
queue=(usr/bin/cyclictest usr/bin/stress-ng)
interp=
while [ ${#queue[@]} -gt 0 ]; do
	f=${queue[0]}
	queue=("${queue[@]:1}")
	if [ -z "$interp" ]; then
		interp=$("$readelf" -l "$tree/$f" | sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
	fi
	while read -r so; do
		[ -z "${seen[$so]:-}" ] || continue
		seen[$so]=1
		p=$(find_lib "$so") || die "$f needs $so, which no package of the closure gives"
		queue+=("$p")
	done < <("$readelf" -d "$tree/$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
done
[ -n "$interp" ] || die "cyclictest has no program interpreter"
cp -L "$tree/usr/bin/cyclictest" "$tree/usr/bin/stress-ng" "$stage/usr/bin/"
for so in "${!seen[@]}"; do
	cp -L "$tree/$(find_lib "$so")" "$stage/lib/aarch64-linux-gnu/$so"
done
# The loader at the path the binaries name (/lib/ld-linux-aarch64.so.1).
ld=$(find_lib "${interp##*/}") || die "no loader ${interp##*/} in libc6"
mkdir -p "$stage/${interp%/*}"
cp -L "$tree/$ld" "$stage/$interp"
# The loader and libraries are mapped executable: open_exec wants the x bit.
chmod 0755 "$stage/$interp" "$stage"/lib/aarch64-linux-gnu/*
sort "$tmp/versions" >"$stage/versions"

rm -rf "$dest.old"
[ ! -d "$dest" ] || mv "$dest" "$dest.old"
mv "$stage" "$dest"
rm -rf "$dest.old"
echo "$me: $dest: cyclictest, stress-ng and ${#seen[@]} libraries ($(du -sh "$dest" | cut -f1))" >&2
