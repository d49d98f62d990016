#!/usr/bin/env bash
# Build build/kvm/host-base.cpio, the fixed part of the KVM host's initramfs
# (newc, uncompressed: unpacking is then a copy, cheap under icount):
#   /init          bench/kvm/host-init
#   /bin/busybox   build/linux/busybox (Debian's busybox-static), /bin/sh -> busybox
#   /bin/kvmvmm    build/kvm/kvmvmm (bench/kvm/vmm)
#   /dev /proc /sys /guest  empty directories
# bench/kvm/run.sh appends a second archive with /guest/* (the guest's images
# and vmm.args); the kernel unpacks concatenated archives. No /dev/console:
# /init mounts devtmpfs first and opens the console there.
#   KVM_BUILD    output directory (default build/kvm)
#   LINUX_BUILD  where busybox is (default build/linux)
set -euo pipefail
me=bench/kvm/mkhost.sh
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${KVM_BUILD:-$root/build/kvm}
linux=${LINUX_BUILD:-$root/build/linux}
die() { echo "$me: $*" >&2; exit 1; }
command -v cpio >/dev/null || die "'cpio' not found (apt-get install cpio, or run tools/setup.sh)"
[ -f "$linux/busybox" ] || die "$linux/busybox is missing (make linux-guest)"
[ -f "$out/kvmvmm" ] || die "$out/kvmvmm is missing (make kvm-host)"

stage=$out/host-root
rm -rf "$stage"
mkdir -p "$stage"/{bin,dev,proc,sys,guest}
install -m 0755 "$here/host-init" "$stage/init"
install -m 0755 "$linux/busybox" "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
install -m 0755 "$out/kvmvmm" "$stage/bin/kvmvmm"
find "$stage" -exec touch -h -d @0 {} +
(cd "$stage" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --reproducible --quiet) >"$out/host-base.cpio.tmp"
mv "$out/host-base.cpio.tmp" "$out/host-base.cpio"
