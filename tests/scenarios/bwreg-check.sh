# The memory-bandwidth regulator's checks (bwreg-hog.scn), on testguest
# test=hog lines (guests/testguest/hog.c):
#   [VM] testguest: hog: window W: I iterations, E events; per P us: i iterations, e events
# Window 1 holds the start (Tessera's console lines, the guest's setup) and is left out.
# Only whole lines count: a restart or stop may cut a line anywhere (even
# right after its first "events"), and the console ends it there.

# hog_per_period LOG VM FIELD: "W value" per window from 2 on; FIELD iterations|events.
hog_per_period() {
	local col=13 n='[0-9]+'
	[ "$3" = events ] && col=15
	tr -d '\r' <"$1" |
		grep -aE "^\[$2\] testguest: hog: window $n: $n iterations, $n events; per $n us: $n iterations, $n events$" |
		awk -v c=$col '{ w = $5; sub(":", "", w); if (w > 1) print w, $c }'
}

# bwreg_budget_check LOG VM BUDGET PCT: every window's events per period within PCT % of BUDGET.
bwreg_budget_check() {
	local log=$1 vm=$2 budget=$3 pct=$4 lines
	lines=$(hog_per_period "$log" "$vm" events)
	[ -n "$lines" ] || { echo "$vm: no hog windows"; return; }
	awk -v b="$budget" -v p="$pct" -v vm="$vm" '
		{ d = $2 - b; if (d < 0) d = -d; if (d * 100 > b * p) printf "%s window %d: %d events per period, more than %d%% off its budget %d\n", vm, $1, $2, p, b }
	' <<<"$lines"
}

# bwreg_same_rate LOG CONTROL_LOG VM PCT: VM's mean iterations per period in LOG within PCT % of CONTROL_LOG's.
bwreg_same_rate() {
	local a b
	a=$(hog_per_period "$1" "$3" iterations | awk '{ s += $2; n++ } END { if (n) printf "%d", s / n }')
	b=$(hog_per_period "$2" "$3" iterations | awk '{ s += $2; n++ } END { if (n) printf "%d", s / n }')
	if [ -z "$a" ] || [ -z "$b" ]; then
		echo "$3: no hog windows to compare (run ${a:-none}, control ${b:-none})"
		return
	fi
	awk -v a="$a" -v b="$b" -v p="$4" -v vm="$3" 'BEGIN {
		d = a - b; if (d < 0) d = -d
		if (d * 100 > b * p) printf "%s: %d iterations per period beside the regulated VM, %d in the control run: more than %d%% apart\n", vm, a, b, p }'
}
