#!/usr/bin/env bash
# boot-uboot.sh IMAGE DIR: the QEMU options that boot IMAGE through U-Boot's
# booti, for a scenario with BOOT=uboot (run.sh).
#
# U-Boot (Debian u-boot-qemu, qemu_arm64) runs from QEMU's flash 0 and keeps its
# environment in flash 1 (CONFIG_ENV_IS_IN_FLASH, ENV_ADDR 0x4000000, ENV_SIZE
# 0x40000): an environment made with mkenvimage (u-boot-tools) presets bootcmd.
# The image is placed where booti finds it already 2 MiB aligned with
# text_offset 0, so booti does not move it and Tessera's footprint is
# HYP_LOAD_ADDR's (hyp/platform/qemu-virt/platform.mk); U-Boot relocates itself
# and copies the DT to the top of RAM, clear of it and of the VMs. The DT is
# U-Boot's own, QEMU's (${fdtcontroladdr}), with booti's /chosen fixups.
# U-Boot hands over at EL2: the package is built without
# CONFIG_ARMV8_SWITCH_TO_EL1 (/usr/share/doc/u-boot-qemu/configs/config.qemu_arm64.gz).
# Checked once with QEMU's gdb stub: at the image's first instruction
# CPSR = 0x600002c9 (M = EL2h, DAIF masked) and x0 = the DT U-Boot moved.
set -euo pipefail

image=$1 dir=$2
uboot=/usr/lib/u-boot/qemu_arm64/u-boot.bin
load_addr=0x40200000
[ -f "$uboot" ] || { echo "boot-uboot: $uboot is missing (Debian u-boot-qemu; tools/setup.sh)" >&2; exit 1; }
command -v mkenvimage >/dev/null ||
	{ echo "boot-uboot: mkenvimage is missing (Debian u-boot-tools; tools/setup.sh)" >&2; exit 1; }

mkdir -p "$dir"
flash=$dir/flash1.img
# shellcheck disable=SC2016 # ${fdtcontroladdr} is U-Boot's variable
printf '%s\n' bootdelay=0 "bootcmd=booti $load_addr - \${fdtcontroladdr}" |
	mkenvimage -s 0x40000 -o "$flash" -
truncate -s 64M "$flash" # QEMU virt's flash banks are 64 MiB

echo "-bios $uboot" \
	"-drive if=pflash,unit=1,format=raw,file=$flash" \
	"-device loader,file=$image,addr=$load_addr,force-raw=on"
