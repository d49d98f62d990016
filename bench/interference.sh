#!/usr/bin/env bash
# Interference under icount (-icount shift=0,sleep=off: 1 instruction = 1 ns of
# guest time, so the host's load changes no figure), for make bench
# (bench/bench.sh calls it; bench/interference-report.sh turns the logs into
# the report's section). Alone: bench/interference.sh [OUTDIR] (default
# build/bench), after `make all guests linux-guest-rt`.
#
#   cyclictest   Debian's cyclictest in a Linux VM (guests/linux/init,
#                tessera.test=cyclictest: 5000 loops of 1 ms) natively, under
#                Tessera, under Xen (and KVM: bench/kvm/run.sh, when there),
#                idle and with a stress-ng neighbour: natively stress-ng
#                pinned to CPU 1 of the same Linux; under Tessera a second
#                Linux VM on CPU 1 running stress-ng.
#   rt           the bare-metal rt guest's 1 ms ticks (testguest test=rt, 6 s)
#                natively (alone: the guest runs on one CPU), alone, beside a Linux VM that boots and then runs stress-ng,
#                beside one that boots and idles, and the tick-loss controls:
#                beside two bare-metal hog VMs (no traps at all), and with the
#                rt guest on CPU 0 instead of CPU 3 (first in QEMU's
#                round-robin order instead of last).
#   exits        cyclictest under Tessera for 1000 and 2000 loops, a manager
#                VM printing the cyclictest VM's exits afterwards: the
#                difference is what 1000 wake-ups cost in traps.
# Logs: OUTDIR/intf-<run>.log. About 4 minutes of runs on an idle host (plus
# building the images: each embeds one or two Linux kernels).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
out=${1:-build/bench}
mkdir -p "$out"
QEMU=qemu-system-aarch64
COMMON=(-cpu cortex-a76 -m 1G -nographic -monitor none -nic none -icount "shift=0,sleep=off" -seed 1)
NATIVE=("$QEMU" -M "virt,gic-version=3" "${COMMON[@]}" -kernel build/linux/Image
	-initrd build/linux/initramfs-rt.cpio.gz)
HYP=("$QEMU" -M "virt,virtualization=on,gic-version=3" "${COMMON[@]}")
CT_ARGS="console=ttyAMA0 quiet tessera.test=cyclictest tessera.loops=5000"

# shellcheck source=bench/common.sh
source bench/common.sh

tessera_run() { # NAME CONFIG SMP END
	run_until "$out/intf-$1.log" "$4" 600 "${HYP[@]}" -smp "$3" \
		-kernel "build/qemu-virt/$2/tessera.bin" || echo "interference: $1 did not finish (see $out/intf-$1.log)"
}

# A peer hypervisor's run script (bench/xen/run.sh; bench/kvm/run.sh takes the
# same options): NAME PEER CPUS BOOTARGS.
peer_run() {
	local name=$1 peer=$2 cpus=$3 args=$4
	if [ ! -f "bench/$peer/run.sh" ]; then
		echo "interference: bench/$peer/run.sh is not there: no $peer column" >"$out/intf-$name.log"
		return
	fi
	bash "bench/$peer/run.sh" --kernel build/linux/Image --initrd build/linux/initramfs-rt.cpio.gz \
		--bootargs "$args" --cpus "$cpus" --icount --timeout 600 --expect-end "init: cyclictest done" \
		>"$out/intf-$name.log" 2>"$out/intf-$name.$peer.log" ||
		echo "interference: $name did not finish (see $out/intf-$name.log)"
}

step "interference: building"
make -s all guests linux-guest-rt >/dev/null || exit 1
for c in intf-rt-alone intf-rt-hog intf-rt0-hog intf-rt-linux-stress intf-rt0-linux-stress \
	intf-rt-linux-idle intf-ct-tessera intf-ct-tessera-stress intf-ct-exits-1000 intf-ct-exits-2000; do
	make -s image CONFIG=bench/configs/$c.dts >/dev/null || exit 1
done
start=$SECONDS

step "cyclictest, icount: native (1 CPU idle; 2 CPUs, stress-ng on CPU 1)"
run_until "$out/intf-ct-native.log" "init: cyclictest done" 600 "${NATIVE[@]}" -smp 1 \
	-append "$CT_ARGS" || echo "interference: native cyclictest did not finish"
run_until "$out/intf-ct-native-stress.log" "init: cyclictest done" 600 "${NATIVE[@]}" -smp 2 \
	-append "$CT_ARGS tessera.neighbour=1" || echo "interference: native cyclictest + stress did not finish"
step "cyclictest, icount: Tessera (VM on CPU 0; stress-ng VM on CPU 1)"
tessera_run ct-tessera intf-ct-tessera 2 "init: cyclictest done"
tessera_run ct-tessera-stress intf-ct-tessera-stress 2 "init: cyclictest done"
step "cyclictest, icount: Tessera, 1000 and 2000 loops, a manager VM reads the exits"
tessera_run ct-exits-1000 intf-ct-exits-1000 2 "tessera: all VMs have stopped"
tessera_run ct-exits-2000 intf-ct-exits-2000 2 "tessera: all VMs have stopped"
# Under icount QEMU 7.2 stalls Xen's secondary-CPU bring-up (bench/xen/README.md)
# and run.sh boots one DomU: Xen's run is the idle one, on one CPU.
step "cyclictest, icount: Xen (1 vCPU, idle)"
peer_run ct-xen xen 1 "$CT_ARGS"
step "cyclictest, icount: KVM (1 vCPU, idle), if bench/kvm/run.sh is there"
peer_run ct-kvm kvm 1 "$CT_ARGS"

step "rt guest, icount: natively, alone, beside Linux (stress-ng; idle), beside bare-metal hogs, on CPU 0"
# Natively the rt guest's lines have no "[rt] " prefix: add it, so one parser reads every log.
run_until "$out/intf-rt-native.raw" "rt: done" 120 "$QEMU" -M "virt,gic-version=3" "${COMMON[@]}" -smp 1 \
	-kernel build/guests/testguest.bin -append "test=rt period_us=1000 seconds=6" ||
	echo "interference: the native rt run did not finish"
sed 's/^testguest: /[rt] testguest: /' "$out/intf-rt-native.raw" >"$out/intf-rt-native.log"
tessera_run rt-alone intf-rt-alone 4 "rt: done"
tessera_run rt-linux-stress intf-rt-linux-stress 4 "rt: done"
tessera_run rt-linux-idle intf-rt-linux-idle 4 "rt: done"
tessera_run rt-hog intf-rt-hog 4 "rt: done"
tessera_run rt0-hog intf-rt0-hog 4 "rt: done"
tessera_run rt0-linux-stress intf-rt0-linux-stress 4 "rt: done"
echo "interference: $((SECONDS - start)) s of runs"
