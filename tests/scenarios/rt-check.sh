# Shared by the rt scenarios, which run under icount (-icount shift=0,sleep=off:
# guest time is instruction-driven, so the host's load changes no figure).
#
#   rt_check LOG SECONDS MAX_GAP_US QUIET_AFTER MAX_QUIET_LATENCY_US
#
# prints a reason for every way the rt guest fell short (nothing when all hold):
# - every one of the first SECONDS seconds reported ticks;
# - while other VMs run, the longest gap between ticks is at most MAX_GAP_US. Under
#   icount QEMU runs every vCPU in turn in one host thread, so rt's gaps while Linux
#   boots (12-32 ms measured) are mostly QEMU's round robin, not Tessera; the bound
#   is QEMU's round-robin kick period, 100 ms: beyond it rt's CPU was held off
#   longer than QEMU itself ever holds a vCPU off, and that is Tessera.
# - once the console shows QUIET_AFTER (the other VMs have stopped), every whole
#   second after it has all its ticks, none missed, and a worst wake-up latency of
#   at most MAX_QUIET_LATENCY_US: there the latency is Tessera's own timer path
#   (the vtimer PPI taken at EL2 and injected), instruction for instruction.
# The figures are guest virtual time in us with three decimals (guests/testguest/
# README.md, "Interrupts and test=rt").
rt_check() {
	local log=$1 seconds=$2 max_gap_us=$3 quiet_after=$4 max_quiet_us=$5 s gap
	for ((s = 1; s <= seconds; s++)); do
		if ! grep -qE "^\[rt\] testguest: rt: second $s: [1-9][0-9]* ticks" "$log"; then
			echo "rt second $s: no ticks reported"
		fi
	done
	gap=$(grep -oE '^\[rt\] testguest: rt: second [0-9]+: .*longest gap [0-9]+\.[0-9]{3} us' "$log" |
		tail -n 1 | sed -E 's/.*longest gap ([0-9]+\.[0-9]{3}) us/\1/')
	if [ -z "$gap" ]; then
		echo "rt: no longest-gap figure"
	elif [ "${gap/./}" -gt "$((max_gap_us * 1000))" ]; then # in ns: no fractions in bash
		echo "rt: longest gap between ticks $gap us > $max_gap_us us"
	fi

	local from quiet=0 line lat ticks
	from=$(grep -nF -m1 -- "$quiet_after" "$log" | cut -d: -f1)
	if [ -z "$from" ]; then
		echo "rt: '$quiet_after' never appeared, so no quiet seconds to judge"
		return
	fi
	# The first second reported after it may have begun before it: skip that one.
	while IFS= read -r line; do
		quiet=$((quiet + 1))
		[ "$quiet" -gt 1 ] || continue
		s=$(sed -E 's/.*rt: second ([0-9]+):.*/\1/' <<<"$line")
		ticks=$(sed -E 's/.*: ([0-9]+) ticks.*/\1/' <<<"$line")
		lat=$(sed -E 's/.*latency max ([0-9]+\.[0-9]{3}) us.*/\1/' <<<"$line")
		[ "$ticks" = 1000 ] || echo "rt second $s (quiet): $ticks ticks, not 1000"
		case $line in *missed*) echo "rt second $s (quiet): ${line##*, missed} missed" ;; esac
		if [ "${lat/./}" -gt "$((max_quiet_us * 1000))" ]; then
			echo "rt second $s (quiet): latency max $lat us > $max_quiet_us us"
		fi
	done < <(tail -n "+$from" "$log" | grep -E '^\[rt\] testguest: rt: second [0-9]+: ')
	[ "$quiet" -ge 3 ] || echo "rt: only $quiet second(s) reported after '$quiet_after'; need 3"
}
