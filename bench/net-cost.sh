#!/usr/bin/env bash
# bench/net-cost.sh [OUTDIR]: Tessera's own instructions per frame
# (bench/net-cost.md). Boots bench/configs/net-cost.dts (two bare-metal
# members of lan0 pinging each other 20 times) under -icount shift=0,sleep=off
# twice: once plainly (OUTDIR/net-cost.log: the guests' "TX notifies, X ns
# each", 1 ns = 1 instruction), once with every instruction's PC logged
# (-singlestep -d exec,nochain: about 2.5 GB, deleted after), which
# bench/net-cost.py breaks down per exit class and function
# (OUTDIR/net-cost.txt). Not part of make bench: the trace takes minutes.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
out=${1:-build/bench}
mkdir -p "$out"
make -s image CONFIG=bench/configs/net-cost.dts >/dev/null || exit 1
# shellcheck disable=SC2054 # -M's options are one word, commas and all
qemu=(qemu-system-aarch64 -M virt,virtualization=on,gic-version=3,iommu=smmuv3 -cpu cortex-a76 -smp 4 -m 1G
	-nographic -monitor none -nic none -chardev stdio,id=con,signal=off -serial chardev:con -seed 1
	-icount shift=0,sleep=off -kernel build/qemu-virt/net-cost/tessera.bin)
timeout 300 "${qemu[@]}" </dev/null >"$out/net-cost.log" 2>&1
grep -F 'TX notifies' "$out/net-cost.log"
timeout 900 "${qemu[@]}" -singlestep -d exec,nochain -D "$out/net-cost.trace" </dev/null >/dev/null 2>&1
# Tessera runs at its load address (its banner: "image 0x40200000-..."), each
# testguest at its VM's RAM base (the config's memory).
base=$(sed -n 's/.*image \(0x[0-9a-f]*\)-.*/\1/p' "$out/net-cost.log")
python3 bench/net-cost.py "$out/net-cost.trace" build/qemu-virt/net-cost/tessera.elf \
	build/guests/testguest.elf "$base" 0x50000000 0x52000000 >"$out/net-cost.txt"
rm -f "$out/net-cost.trace"
head -40 "$out/net-cost.txt"
