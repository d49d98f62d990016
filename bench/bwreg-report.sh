#!/usr/bin/env bash
# bench/bwreg-report.sh OUTDIR: the "Memory-bandwidth regulation" section of
# report.md (bench/report.sh), from bench/bwreg.sh's logs: the hog's achieved
# rate per 1 ms period against its budget, windows 2 to 10 (window 1 holds the
# boot). Windows are read as the scenario bwreg-hog reads them.
set -uo pipefail
out=$1
source "$(dirname "$0")/../tests/scenarios/bwreg-check.sh"

# mean LOG FIELD: the mean per-period FIELD of the hog, or "".
mean() {
	[ -f "$1" ] || return 0
	hog_per_period "$1" hog "$2" | awk '{ s += $2; n++ } END { if (n) printf "%.0f", s / n }'
}

echo "## Memory-bandwidth regulation (icount)"
echo
echo "testguest \`test=hog\` alone on CPU 1, 1 ms periods, \`bandwidth-budget = <B 1000>\`"
echo "(bench/bwreg.sh). Events: the hog's own PMU counter 0, \`INST_RETIRED\` at EL1/EL0, which"
echo "on QEMU 7.2 under icount is guest time at EL1 (1 per ns), so a budget B is B ns of guest"
echo "time per period (docs/architecture.md, \"Memory-bandwidth regulation\"). Iterations: its"
echo "loop's work. Means over windows 2-10 (100 ms each)."
echo
echo "| budget (events / 1 ms) | events / period | vs budget | iterations / period | vs unregulated |"
echo "| --- | --- | --- | --- | --- |"
free_it=$(mean "$out/bwreg-none.log" iterations)
for b in none 100000 300000 600000; do
	ev=$(mean "$out/bwreg-$b.log" events)
	it=$(mean "$out/bwreg-$b.log" iterations)
	if [ -z "$ev" ]; then
		echo "| $b | n/a (no \`bwreg-$b.log\` windows) | - | - | - |"
		continue
	fi
	vs="-" vf="-"
	[ "$b" = none ] || vs=$(awk -v e="$ev" -v b="$b" 'BEGIN { printf "%+.1f%%", (e - b) * 100 / b }')
	[ -z "$free_it" ] || vf=$(awk -v i="$it" -v f="$free_it" 'BEGIN { printf "%.3f", i / f }')
	echo "| ${b/none/unregulated} | $ev | $vs | $it | $vf |"
done
echo
echo "Cost on an unregulated CPU: none by construction (no PMU change, no timer, no code on its"
echo "trap paths; unit test \`test_bwreg\`, \`test_unregulated_cpu_untouched\`); the Tessera column"
echo "above is measured on unregulated CPUs with the regulator built in (when it was merged, the"
echo "benchmark guest's figures were the same instruction for instruction with and without it)."
echo
