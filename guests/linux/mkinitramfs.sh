#!/usr/bin/env bash
# Build build/linux/initramfs.cpio.gz (newc cpio, gzip) for the Linux guest:
#   /init           guests/linux/init
#   /lib/tessera/init-net  guests/linux/init-net (the network tests /init sources)
#   /bin/busybox    build/linux/busybox (guests/linux/fetch.sh fetches it)
#   /bin/sh         -> busybox; /init installs the other applets at boot
#   /lib/modules/   build/linux/modules/*.ko (fetch.sh: the modules.list ones
#                   and their dependencies), with modules.load: one
#                   "<file>.ko [parameters]" a line, each after what it needs
#   /usr/bin/chanuser  build/linux/chanuser (guests/linux/chanuser)
#   /usr/bin/tessera   build/linux/tessera (guests/linux/tessera: docs/management.md)
#   /dev/console    character device 5:1, so the kernel opens a console for /init
#   /proc /sys /tmp /root /sbin /usr/sbin  empty directories
# No root needed: the tree is staged in build/linux/initramfs-root and archived
# owned by root; /dev/console, which an unprivileged user cannot create, is a
# hand-written newc entry appended to the archive (the kernel unpacks
# concatenated archives). Reproducible: fixed order, owners and times
# (SOURCE_DATE_EPOCH, default 0).
#   LINUX_BUILD  build directory (default build/linux under the repository)
#   INITRAMFS_EXTRA  a directory whose tree is added as well (the bench-only
#                initramfs: build/linux/rt-root, guests/linux/fetch-rt.sh)
#   INITRAMFS_OUT    the archive to write (default build/linux/initramfs.cpio.gz)
set -euo pipefail

me=guests/linux/mkinitramfs.sh
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${LINUX_BUILD:-$root/build/linux}
mkdir -p "$out"
out=$(cd "$out" && pwd)
busybox=$out/busybox
modules=$out/modules
chanuser=$out/chanuser
tessera=$out/tessera
stage=$out/initramfs-root${INITRAMFS_EXTRA:+-extra}
target=${INITRAMFS_OUT:-$out/initramfs.cpio.gz}
extra=${INITRAMFS_EXTRA:+$(readlink -f "$INITRAMFS_EXTRA")}
epoch=${SOURCE_DATE_EPOCH:-0}

die() { echo "$me: $*" >&2; exit 1; }
for tool in cpio gzip find sort touch; do
	command -v "$tool" >/dev/null || die "'$tool' not found (apt-get install $tool, or run tools/setup.sh)"
done
[ -f "$busybox" ] || die "$busybox is missing; run guests/linux/fetch.sh (or make linux-guest)"
[ -f "$here/init" ] || die "$here/init is missing"
[ -f "$modules/modules.load" ] || die "$modules/modules.load is missing; run guests/linux/fetch.sh modules (or make linux-guest)"
[ -f "$chanuser" ] || die "$chanuser is missing; build it with make linux-guest"
[ -f "$tessera" ] || die "$tessera is missing; build it with make linux-guest"
[ -z "$extra" ] || [ -d "$extra" ] || die "$extra is missing; run guests/linux/fetch-rt.sh"

rm -rf "$stage"
mkdir -p "$stage"
(
	cd "$stage"
	mkdir -p bin sbin usr/bin usr/sbin dev proc sys tmp root
	chmod 1777 tmp
	chmod 700 root
	install -m 0755 "$busybox" bin/busybox
	ln -s busybox bin/sh
	install -m 0755 "$here/init" init
	install -D -m 0644 "$here/init-net" lib/tessera/init-net
	mkdir -p lib/modules
	cp "$modules/modules.load" lib/modules/modules.load
	while read -r ko _; do
		install -m 0644 "$modules/$ko" "lib/modules/$ko"
	done <"$modules/modules.load"
	install -m 0755 "$chanuser" usr/bin/chanuser
	install -m 0755 "$tessera" usr/bin/tessera
	[ -z "$extra" ] || cp -R --preserve=mode "$extra/." .
)
find "$stage" -exec touch -h -d "@$epoch" {} +

# One newc header (Linux Documentation/driver-api/early-userspace/
# buffer-format.rst): "070701", 13 fields of 8 hex digits, the NUL-terminated
# name, padded to 4 bytes. Arguments: name, mode, rdev major, rdev minor, inode.
newc_header() {
	local name=$1 mode=$2 rmaj=$3 rmin=$4 ino=$5 namesize pad
	namesize=$((${#name} + 1))
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		"$ino" "$mode" 0 0 1 "$epoch" 0 0 0 "$rmaj" "$rmin" "$namesize" 0
	printf '%s\0' "$name"
	pad=$(((4 - (110 + namesize) % 4) % 4))
	head -c "$pad" /dev/zero
}

tmp=$target.tmp
{
	(cd "$stage" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --reproducible --quiet)
	newc_header dev/console $((8#020600)) 5 1 $((0x7fff0001))
	newc_header 'TRAILER!!!' 0 0 0 0
} | gzip -9 -n >"$tmp"
mv "$tmp" "$target"
echo "$me: $target: $(stat -c %s "$target") bytes" >&2
