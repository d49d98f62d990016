#!/usr/bin/env bash
# Seed corpus of the config harness: every config in the tree, compiled by
# dtc with small stand-ins for the images it /incbin/s (an arm64 Image header,
# a gzip header, a flat binary), so the seeds are a few KiB and still pass the
# image checks as the real ones do.
#   config-seeds.sh OUTDIR CONFIG.dts...
set -euo pipefail
out=$1
shift
rm -rf "$out"
mkdir -p "$out"
img=$(mktemp -d)
trap 'rm -rf "$img"' EXIT

# arm64 Image header (Documentation/arch/arm64/booting.rst): text_offset 0,
# image_size 64 KiB, flags 0xa (little-endian, 4K pages, anywhere), "ARM\x64".
arm64_image() {
	printf 'MZ\0\0\0\0\0\0' # code0, code1
	printf '\0\0\0\0\0\0\0\0' # text_offset
	printf '\0\0\1\0\0\0\0\0' # image_size
	printf '\12\0\0\0\0\0\0\0' # flags
	head -c 24 /dev/zero # res2-res4
	printf 'ARM\144' # magic
	head -c 4 /dev/zero # res5
	head -c 192 /dev/zero # the "kernel"
}

for dts; do
	for f in $(sed -n 's|.*/incbin/("\([^"]*\)").*|\1|p' "$dts"); do
		[ -e "$img/$f" ] && continue
		case $f in
		*gzip* | *.gz) { printf '\37\213\10\0'; head -c 60 /dev/zero; } >"$img/$f" ;;
		Image | *.img) arm64_image >"$img/$f" ;;
		*) head -c 256 /dev/zero | tr '\0' 'Z' >"$img/$f" ;;
		esac
	done
	name=$(basename "$(dirname "$dts")")-$(basename "$dts" .dts).dtb
	dtc -q -I dts -O dtb -i "$img" -i "$(dirname "$dts")" -o "$out/$name" "$dts"
done
