#!/usr/bin/env bash
# boot-uefi-shell.sh IMAGE DIR: as boot-uefi.sh, but the image is started by
# the UEFI Shell with load options, for a scenario with BOOT=uefi-shell. The FAT
# disk holds no EFI/BOOT/BOOTAA64.EFI, so AAVMF's boot manager finds nothing on
# it and falls to its "EFI Internal Shell" boot option; the shell runs
# startup.nsh (after a 5-second prompt), which starts \tessera.efi with a command
# line. The shell passes that whole line, the file name first, as the image's
# LoadOptions (UCS-2), as L4TLauncher passes the extlinux APPEND line.
set -euo pipefail

image=$1 dir=$2
opts=$(bash "$(dirname "$0")/boot-uefi.sh" "$image" "$dir")
esp=$dir/esp.img
mmove -i "$esp" ::/EFI/BOOT/BOOTAA64.EFI ::/tessera.efi
printf 'fs0:\r\ntessera.efi root=/dev/mmcblk0p1 rw console=ttyTCU0,115200 "two words"\r\n' >"$dir/startup.nsh"
mcopy -i "$esp" "$dir/startup.nsh" ::/startup.nsh
echo "$opts"
