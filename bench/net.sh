#!/usr/bin/env bash
# bench/net.sh OUTDIR: make bench's network runs (issue 15); bench/net-report.sh
# reads their logs.
#   OUTDIR/net-tessera.log   two Linux VMs on Tessera's virtual LAN
#                            (bench/configs/linux-net-tessera.dts), under
#                            -icount shift=0,sleep=off: guest time is
#                            instruction time, whatever the host's load
#   OUTDIR/net-native-{a,b}.log  the same two Linux guests natively, two QEMU
#                            processes whose virtio-net devices (virtio-mmio,
#                            modern) are joined by a socket netdev. Not under
#                            icount: two machines' clocks would run apart (each
#                            skips its own idle time), so these are wall-clock
#                            figures of QEMU and the host, for reference only
# Both run /init's test=net (guests/linux/README.md): linux-b (169.254.0.2,
# client) and linux-a (169.254.0.1, server) ping each other 20 times, then
# linux-b sends 32 MiB to linux-a with busybox nc.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
out=$1
# shellcheck source=bench/common.sh
source bench/common.sh
QEMU=qemu-system-aarch64

make -s image CONFIG=bench/configs/linux-net-tessera.dts >/dev/null || echo "net: the Tessera network image did not build"
[ ! -f build/qemu-virt/linux-net-tessera/tessera.bin ] ||
	run_until "$out/net-tessera.log" "all VMs have stopped" 900 $QEMU -M virt,virtualization=on,gic-version=3 \
		-cpu cortex-a76 -m 1G -smp 4 -nographic -monitor none -nic none -icount shift=0,sleep=off -seed 1 \
		-kernel build/qemu-virt/linux-net-tessera/tessera.bin ||
	echo "net: the Tessera run did not finish (see $out/net-tessera.log)"

# native VM IP PEER ROLE MAC NETDEV: one guest, in the background.
native() {
	timeout 600 $QEMU -M virt,gic-version=3 -cpu cortex-a76 -m 512M -smp 1 -nographic -monitor none \
		-kernel build/linux/Image -initrd build/linux/initramfs.cpio.gz \
		-global virtio-mmio.force-legacy=false -device "virtio-net-device,netdev=n0,mac=$5" \
		-netdev "socket,id=n0,$6" \
		-append "console=ttyAMA0 quiet tessera.test=net tessera.ip=$2 tessera.peer=$3 tessera.role=$4" \
		</dev/null >"$out/net-native-$1.log" 2>&1 &
}
port=$((20000 + $$ % 20000))
native a 169.254.0.1 169.254.0.2 server 02:54:53:00:00:0a "listen=127.0.0.1:$port"
pid_a=$!
sleep 1 # listening before the other connects
native b 169.254.0.2 169.254.0.1 client 02:54:53:00:00:0b "connect=127.0.0.1:$port"
pid_b=$!
wait "$pid_a" "$pid_b"
for v in a b; do
	grep -q "init: net test passed" "$out/net-native-$v.log" ||
		echo "net: the native run's $v end did not pass (see $out/net-native-$v.log)"
done
