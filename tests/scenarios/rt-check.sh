# Shared by the rt scenarios: rt_check LOG MAX_GAP_US SECONDS prints a reason for
# every way the rt guest's ticking fell short (nothing when it ticked throughout).
# The figures are guest virtual time in us with three decimals (guests/testguest/
# README.md, "Interrupts and test=rt"); they judge Tessera only under icount.
rt_check() {
	local log=$1 max_gap_us=$2 seconds=$3 s gap
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
}
