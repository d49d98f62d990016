#!/usr/bin/env bash
# bench/net-report.sh OUTDIR: the "Network between VMs" section of report.md
# (bench/report.sh), from bench/net.sh's logs and, for comparison, the Linux
# channel round trip bench.sh measures (linux-channel.log).
set -uo pipefail
out=$1

# line LOG PATTERN: the first line of LOG (its "\r"s removed) that matches
# the sed expression PATTERN (which prints), or "".
line() {
	[ -f "$1" ] || return 0
	tr -d '\r' <"$1" | sed -n "$2" | head -n 1
}
# rtt LOG VM-PREFIX: "min/avg/max" in ms of that end's ping, or "".
rtt() { line "$1" "s/.*$2init: net: ping [0-9.]*: round-trip min\/avg\/max = \([0-9.\/]*\) ms.*/\1/p"; }
# sent LOG VM-PREFIX: the client's "<ms>" for the transfer, or "".
sent_ms() { line "$1" "s/.*$2init: net: sent [0-9]* MiB in \([0-9]*\) ms.*/\1/p"; }
mib() { line "$1" "s/.*init: net: sent \([0-9]*\) MiB in.*/\1/p"; }
sha() { line "$1" "s/.*$2init: net: sha256 $3 \([0-9a-f]*\).*/\1/p"; }
irqs() { # LOG VM-PREFIX: the virtio device's interrupts over the VM's CPUs
	line "$1" "s/.*$2init: interrupts: [0-9]*: \(.*\) [A-Za-z0-9-]* [0-9]* Edge virtio[0-9]*.*/\1/p" |
		awk 'NF { for (i = 1; i <= NF; i++) s += $i; print s }'
}
rxtx() { line "$1" "s/.*$2init: net: eth0 rx_packets \([0-9]*\) tx_packets \([0-9]*\).*/\1 rx, \2 tx/p"; }

# row SYSTEM UNIT LOG-A PREFIX-A LOG-B PREFIX-B: one table row.
row() {
	local sys=$1 unit=$2 la=$3 pa=$4 lb=$5 pb=$6 ms n tput ok
	if ! grep -q "init: net test passed" "$lb" 2>/dev/null; then
		echo "| $sys | n/a (\`${lb##*/}\`: the run did not pass or did not take place) | | | | |"
		return
	fi
	ms=$(sent_ms "$lb" "$pb")
	n=$(mib "$lb")
	tput="-"
	[ -z "$ms" ] || tput=$(awk -v n="$n" -v ms="$ms" 'BEGIN { printf "%.1f", n * 1000 / ms }')
	ok=differ
	[ "$(sha "$lb" "$pb" sent)" != "$(sha "$la" "$pa" received)" ] || ok=equal
	echo "| $sys | $(rtt "$lb" "$pb") | $(rtt "$la" "$pa") | $tput ($n MiB in $ms $unit) | $ok |" \
		"$(irqs "$lb" "$pb") / $(irqs "$la" "$pa") ($(rxtx "$lb" "$pb") / $(rxtx "$la" "$pa")) |"
}

echo "## Network between VMs"
echo
echo "Two Linux VMs (one vCPU each), Debian's stock \`virtio_mmio\` and \`virtio_net\`, /init's"
echo "\`test=net\` (\`guests/linux/README.md\`; bench/net.sh): busybox \`ping -c 20 -i 0.2\` each way"
echo "(its min/avg/max), then 32 MiB of random data from linux-b to linux-a with busybox \`nc\`,"
echo "timed by the sender from connect to the receiver's close (\`/proc/uptime\`, 10 ms steps)."
echo "Under Tessera the machine runs under \`-icount shift=0,sleep=off\`: guest time is instruction"
echo "time (1 ns = 1 instruction of the whole machine), the same every run. Natively the two guests"
echo "are two QEMU processes whose virtio-net devices are joined by a socket netdev, timed by the"
echo "wall clock (icount cannot keep two processes' clocks together): a reference for QEMU on this"
echo "host, not a like-for-like figure."
echo
echo "| system | ping b -> a, ms (min/avg/max) | ping a -> b, ms | throughput, MiB/s | sha256 | virtio interrupts b / a (packets) |"
echo "| --- | --- | --- | --- | --- | --- |"
row "Tessera (icount, guest time)" "ms" "$out/net-tessera.log" '\[linux-a\] ' "$out/net-tessera.log" '\[linux-b\] '
row "native QEMU, socket netdev (wall clock)" "ms" "$out/net-native-a.log" '' "$out/net-native-b.log" ''
ch=$(line "$out/linux-channel.log" 's/.*chanuser: [0-9]* round trips in [0-9]* us (\([0-9]*\) ns each).*/\1/p')
echo
if [ -n "$ch" ]; then
	echo "For comparison, the channel round trip between Linux (chanuser over uio_pci_generic) and the"
	echo "bare-metal test guest under the same icount (the section above): $(awk -v n="$ch" 'BEGIN { printf "%.3f", n / 1e6 }') ms ($ch ns)."
else
	echo "For comparison, the channel round trip: n/a (no chanuser result in \`linux-channel.log\`)."
fi
echo "A ping round trip is two frames through both VMs' network stacks and drivers (ICMP echo and"
echo "reply), each a TX notify, a copy by Tessera into the other VM's RX buffer and an interrupt."
echo
