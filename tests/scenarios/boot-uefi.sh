#!/usr/bin/env bash
# boot-uefi.sh IMAGE DIR: the QEMU options that boot IMAGE through UEFI, for a
# scenario with BOOT=uefi (run.sh). Debian's AAVMF (qemu-efi-aarch64) runs
# from pflash, with a private copy of its variable store in DIR (pflash images
# are 64 MiB, as the package ships them); IMAGE goes on a FAT disk, built
# without root with dosfstools and mtools, as EFI/BOOT/BOOTAA64.EFI, the
# removable-media path the firmware boots by default (UEFI 2.10 3.5.1.1).
# acpi=off: with ACPI tables the firmware installs no device tree.
set -euo pipefail

image=$1 dir=$2
code=/usr/share/AAVMF/AAVMF_CODE.fd
vars=/usr/share/AAVMF/AAVMF_VARS.fd
for f in "$code" "$vars"; do
	[ -f "$f" ] || { echo "boot-uefi: $f is missing (Debian qemu-efi-aarch64; tools/setup.sh)" >&2; exit 1; }
done

mkdir -p "$dir"
cp "$vars" "$dir/vars.fd"
esp=$dir/esp.img
rm -f "$esp"
# The image and 8 MiB for the file system's own structures, in KiB.
mkfs.vfat -C "$esp" $(( $(stat -c %s "$image") / 1024 + 8192 )) >/dev/null
mmd -i "$esp" ::/EFI ::/EFI/BOOT
mcopy -i "$esp" "$image" ::/EFI/BOOT/BOOTAA64.EFI

echo "-machine acpi=off" \
	"-drive if=pflash,format=raw,readonly=on,file=$code" \
	"-drive if=pflash,format=raw,file=$dir/vars.fd" \
	"-drive if=virtio,format=raw,file=$esp"
