#!/usr/bin/env bash
# The virtio-net driver's self-test on QEMU alone (no Tessera): guests/testguest/README.md,
# "Networks". Run from the top of the tree after `make build/guests/testguest.bin`:
#   1. one guest drives two QEMU virtio-net devices on one hub: test=net, 200 echo
#      requests from each device to the other, all answered;
#   2. two QEMUs joined by a TCP socket netdev: test=rt (under icount) pings the
#      other's test=net (a responder) 1000 times between its ticks.
# Prints PASS/FAIL per part; exit status 1 when any failed. Logs in build/net-native/.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
IMG=build/guests/testguest.bin
LOGS=build/net-native
QEMU="qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a76 -m 1G -nographic -monitor none
	-global virtio-mmio.force-legacy=false -kernel $IMG"
mkdir -p "$LOGS"
[ -f "$IMG" ] || { echo "FAIL: no $IMG (make build/guests/testguest.bin)"; exit 1; }
failed=0

# want LOG NAME STRING...: every fixed STRING is in LOG.
want() {
	local log=$1 name=$2 s
	shift 2
	for s in "$@"; do
		if ! grep -qF -- "$s" "$log"; then
			echo "FAIL $name: missing '$s' (log: $log)"
			failed=1
			return
		fi
	done
	echo "PASS $name"
}

# shellcheck disable=SC2086 # QEMU is a word list
timeout 60 $QEMU -netdev hubport,id=a,hubid=0 -device virtio-net-device,netdev=a,mac=02:00:00:00:00:0a \
	-netdev hubport,id=b,hubid=0 -device virtio-net-device,netdev=b,mac=02:00:00:00:00:0b \
	-append "test=net net_ip=169.254.0.11 net_frames=200" >"$LOGS/hub.log" 2>&1
want "$LOGS/hub.log" net-hub \
	'testguest: net: eth0: sent 200 echo requests to 169.254.0.12, 200 replies; answered 200 echo requests' \
	'testguest: net: eth1: sent 200 echo requests to 169.254.0.11, 200 replies; answered 200 echo requests' \
	'testguest: check net: ok'

port=$((20000 + RANDOM % 20000))
# shellcheck disable=SC2086
timeout 60 $QEMU -netdev socket,id=b,listen=127.0.0.1:$port \
	-device virtio-net-device,netdev=b,mac=02:00:00:00:00:02 \
	-append "test=net net_ip=169.254.0.2 net_peer=169.254.0.10 net_frames=0 net_seconds=15" \
	>"$LOGS/responder.log" 2>&1 &
responder=$!
sleep 1
# shellcheck disable=SC2086
timeout 60 $QEMU -icount shift=0,sleep=off -netdev socket,id=a,connect=127.0.0.1:$port \
	-device virtio-net-device,netdev=a,mac=02:00:00:00:00:0a \
	-append "test=rt seconds=20 net_ip=169.254.0.10 net_peer=169.254.0.2 net_frames=1000" \
	>"$LOGS/rt.log" 2>&1
wait "$responder"
want "$LOGS/rt.log" net-rt \
	'testguest: net: sent 1000 echo requests to 169.254.0.2, 1000 replies' \
	'testguest: rt: done, 20000 ticks, worst latency'
grep -q 'missed' "$LOGS/rt.log" && { echo "FAIL net-rt: ticks missed (log: $LOGS/rt.log)"; failed=1; }
exit $failed
