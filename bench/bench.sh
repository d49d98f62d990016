#!/usr/bin/env bash
# make bench: the benchmark guest natively, under Tessera (also with its Spectre-BHB
# scrub off, bench only), under Xen 4.17 (dom0less) and under KVM (Debian's kernel
# as the host, bench/kvm), Linux's boot to /init on all four, inter-VM channel round
# trips under Tessera, ping and bulk throughput between two Linux VMs on a Tessera network
# (bench/net.sh), cyclictest and the rt guest under interference
# (bench/interference.sh), in one run; then the report (bench/report.sh).
# Deterministic runs use -icount shift=0,sleep=off.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
out=build/bench
mkdir -p "$out"
QEMU=qemu-system-aarch64
CPU=cortex-a76
MACHINE="-m 1G -nographic -monitor none -nic none"
# Bench only, never a default: the same cortex-a76 with MIDR_EL1.PartNum 0xd05 (Cortex-A55,
# which Arm lists as not affected by Spectre-BHB), so Tessera installs its vectors without
# the branch loop (hyp/arch/arm64/spectre_bhb.c); the "Tessera, BHB scrub off" column.
# Tessera reads MIDR only for that and for VPIDR_EL2; QEMU's model is otherwise the same.
CPU_BHB_OFF="$CPU,midr=0x414fd051"
# -seed: QEMU's rng-seed and kaslr-seed (and so each VM's, hyp/core/entropy.c) the same every
# run, so a run repeats instruction for instruction.
ICOUNT="-icount shift=0,sleep=off -seed 1"
GUEST=build/guests/benchguest.bin
SAMPLES=${BENCH_SAMPLES:-10000}

# shellcheck source=bench/common.sh
source bench/common.sh

native() { # LOG EXTRA-QEMU-ARGS...
	local log=$1
	shift
	run_until "$log" "bench: done" 900 $QEMU -M virt,gic-version=3 -cpu $CPU $MACHINE -smp 2 "$@" \
		-kernel "$GUEST" -append "bench=all samples=$SAMPLES"
}

tessera() { # LOG CPU EXTRA-QEMU-ARGS...
	local log=$1 cpu=$2
	shift 2
	run_until "$log" "bench: done" 900 $QEMU -M virt,virtualization=on,gic-version=3 -cpu "$cpu" $MACHINE -smp 4 "$@" \
		-kernel build/qemu-virt/bench-tessera/tessera.bin
}

xen() { # LOG CPUS [--icount]
	local log=$1 cpus=$2
	shift 2
	bash bench/xen/run.sh --kernel "$GUEST" --bootargs "bench=all samples=$SAMPLES" --cpus "$cpus" \
		"$@" --timeout 900 --expect-end "bench: done" >"$log" 2>"${log%.log}.xen.log"
}

# KVM: --no-pmu, because every guest PMU read traps to KVM and would sit inside the
# ticks windows; KVM's vPMU counts the guest's side only anyway (bench/kvm/README.md).
kvm() { # LOG CPUS [--icount]
	local log=$1 cpus=$2
	shift 2
	bash bench/kvm/run.sh --kernel "$GUEST" --bootargs "bench=all samples=$SAMPLES" --cpus "$cpus" --no-pmu \
		"$@" --timeout 900 --expect-end "bench: done" >"$log" 2>"${log%.log}.host.log"
}

step "building"
make -s all guests linux-guest >/dev/null || exit 1
make -s image CONFIG=bench/configs/bench-tessera.dts >/dev/null || exit 1
make -s image CONFIG=bench/configs/linux-boot-tessera.dts >/dev/null || exit 1
make -s image CONFIG=bench/configs/bench-channel.dts >/dev/null || exit 1
make -s image CONFIG=bench/configs/linux-channel-tessera.dts >/dev/null || exit 1
make -s kvm-host >/dev/null || echo "bench: the KVM host could not be built; its column will say so"
bash bench/xen/fetch.sh || echo "bench: Xen could not be fetched; its column will say so"

step "benchmark guest, icount: native"
native "$out/native.log" $ICOUNT || echo "native run did not finish (see $out/native.log)"
step "benchmark guest, icount: Tessera"
tessera "$out/tessera.log" $CPU $ICOUNT || echo "Tessera run did not finish (see $out/tessera.log)"
step "benchmark guest, icount: Tessera, Spectre-BHB scrub off (bench only: MIDR of an unaffected core)"
tessera "$out/tessera-bhb-off.log" $CPU_BHB_OFF $ICOUNT ||
	echo "Tessera (BHB scrub off) run did not finish (see $out/tessera-bhb-off.log)"
# Under icount QEMU 7.2 stalls Xen's secondary-CPU bring-up (bench/xen/README.md), so
# Xen's deterministic run has one vCPU and no IPI figure.
step "benchmark guest, icount: Xen (1 vCPU)"
xen "$out/xen.log" 1 --icount || echo "Xen run did not finish (see $out/xen.log)"
step "benchmark guest, icount: KVM (2 vCPUs)"
kvm "$out/kvm.log" 2 --icount || echo "KVM run did not finish (see $out/kvm.log, $out/kvm.host.log)"

step "Linux to /init, icount, one vCPU"
run_until "$out/linux-native.log" "init: reached /init" 600 $QEMU -M virt,gic-version=3 -cpu $CPU $MACHINE -smp 1 $ICOUNT \
	-kernel build/linux/Image -initrd build/linux/initramfs.cpio.gz \
	-append "console=ttyAMA0 tessera.test=busy tessera.busy=0" || echo "native Linux run did not reach /init"
run_until "$out/linux-tessera.log" "init: reached /init" 600 $QEMU -M virt,virtualization=on,gic-version=3 -cpu $CPU $MACHINE -smp 4 $ICOUNT \
	-kernel build/qemu-virt/linux-boot-tessera/tessera.bin || echo "Tessera Linux run did not reach /init"
bash bench/xen/run.sh --kernel build/linux/Image --initrd build/linux/initramfs.cpio.gz \
	--bootargs "console=ttyAMA0 tessera.test=busy tessera.busy=0" --cpus 1 --icount --timeout 600 \
	--expect-end "init: reached /init" >"$out/linux-xen.log" 2>"$out/linux-xen.xen.log" ||
	echo "Xen Linux run did not reach /init"
bash bench/kvm/run.sh --kernel build/linux/Image --initrd build/linux/initramfs.cpio.gz \
	--bootargs "console=ttyAMA0 tessera.test=busy tessera.busy=0" --cpus 1 --icount --timeout 600 \
	--expect-end "init: reached /init" >"$out/linux-kvm.log" 2>"$out/linux-kvm.host.log" ||
	echo "KVM Linux run did not reach /init"

# Two VMs on their own CPUs; Tessera powers the machine off when both stop.
step "channel round trips, icount: bare-metal <-> bare-metal, Linux <-> bare-metal"
run_until "$out/channel.log" "[ping] bench: done" 300 $QEMU -M virt,virtualization=on,gic-version=3 -cpu $CPU $MACHINE -smp 4 $ICOUNT \
	-kernel build/qemu-virt/bench-channel/tessera.bin || echo "channel run did not finish (see $out/channel.log)"
run_until "$out/linux-channel.log" "init: powering off" 300 $QEMU -M virt,virtualization=on,gic-version=3 -cpu $CPU $MACHINE -smp 4 $ICOUNT \
	-kernel build/qemu-virt/linux-channel-tessera/tessera.bin || echo "Linux channel run did not finish (see $out/linux-channel.log)"

step "network between two Linux VMs: Tessera under icount, natively by wall clock (bench/net.sh)"
bash bench/net.sh "$out"

step "memory-bandwidth regulation, icount: a hog's rate against its budget (bench/bwreg.sh)"
bash bench/bwreg.sh "$out"

step "benchmark guest, wall clock (reference only)"
SAMPLES=2000
native "$out/native-wall.log" || true
tessera "$out/tessera-wall.log" $CPU || true
xen "$out/xen-wall.log" 2 || true
kvm "$out/kvm-wall.log" 2 || true

# cyclictest and the rt guest's ticks under interference (about 4 minutes).
step "interference: cyclictest and the rt guest, icount (bench/interference.sh)"
bash bench/interference.sh "$out" || echo "interference runs failed (see $out/intf-*.log)"

step "report"
bash bench/report.sh "$out"
