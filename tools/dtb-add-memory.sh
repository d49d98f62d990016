#!/usr/bin/env bash
# A board DT with RAM added for the config checker, for a board whose DT has
# no /memory (on Tegra234 RAM comes from the UEFI memory map):
#   dtb-add-memory.sh IN.dtb OUT.dtb BASE-HI BASE-LO SIZE-HI SIZE-LO [...]
# copies IN to OUT and gives it /memory@<first base> with device_type
# "memory" and reg = the cells given (the root's #address-cells and
# #size-cells must be 2). When IN is missing it fails with IN.unavailable's
# reason (tools/tegra234-dtb.sh writes it when offline).
set -euo pipefail

me=tools/dtb-add-memory.sh
if [ $# -lt 6 ] || [ $((($# - 2) % 4)) -ne 0 ]; then
	echo "usage: $me IN.dtb OUT.dtb BASE-HI BASE-LO SIZE-HI SIZE-LO [...]" >&2
	exit 2
fi
in=$1 out=$2
shift 2
if [ ! -f "$in" ]; then
	echo "$me: $in is unavailable: $(cat "$in.unavailable" 2>/dev/null || echo 'not built')" >&2
	exit 1
fi
for c in address size; do
	[ "$(fdtget "$in" / "#$c-cells")" = 2 ] || { echo "$me: $in: /#$c-cells is not 2" >&2; exit 1; }
done
if fdtget -l "$in" / | grep -q '^memory'; then
	echo "$me: $in already has a /memory node; use it as it is" >&2
	exit 1
fi
node=/memory@$(printf '%x' $(($1 << 32 | $2)))
mkdir -p "$(dirname "$out")"
cp "$in" "$out.tmp"
fdtput -c "$out.tmp" "$node"
fdtput -t s "$out.tmp" "$node" device_type memory
fdtput -t x "$out.tmp" "$node" reg "$@"
mv "$out.tmp" "$out"
