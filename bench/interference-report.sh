#!/usr/bin/env bash
# The interference section of build/bench/report.md (bench/report.sh appends
# it): bench/interference-report.sh OUTDIR prints Markdown on stdout and draws
# OUTDIR/cyclictest-hist.png (gnuplot) from the logs bench/interference.sh
# left in OUTDIR (intf-*.log). A run without a log, or whose log lacks the
# figures, shows why instead of a number.
set -uo pipefail
out=${1:-build/bench}

log() { echo "$out/intf-$1.log"; }

# cyclictest's summary of run $1 in REPLY ("min avg max overflows"), or
# nothing. The line may carry Tessera's "[vm] " prefix.
ct_summary() {
	REPLY=
	[ -f "$(log "$1")" ] || return 1
	REPLY=$(sed -nE 's/^(\[[a-z0-9-]+\] )?init: cyclictest: min ([0-9]+) avg ([0-9]+) max ([0-9]+) overflows ([0-9]+).*/\2 \3 \4 \5/p' \
		"$(log "$1")" | head -n 1)
	[ -n "$REPLY" ]
}

# One table cell for cyclictest run $1, or why there is none.
ct_cell() {
	local min avg max ovf f
	f=$(log "$1")
	if ct_summary "$1"; then
		read -r min avg max ovf <<<"$REPLY"
		echo "$min / $avg / **$max**${ovf:+ ($ovf over 1 ms)}" | sed 's/ (0 over 1 ms)//'
	elif [ ! -f "$f" ]; then
		echo "not run"
	elif grep -q "is not there" "$f"; then
		echo "no run script"
	else
		echo "did not finish (intf-$1.log)"
	fi
}

ct_max() {
	local min avg max
	ct_summary "$1" && read -r min avg max _ <<<"$REPLY" && echo "$max"
}

# The rt guest's per-second line for second $2 of run $1: "ticks missed max_us".
rt_second() {
	sed -nE "s/^\[rt\] testguest: rt: second $2: ([0-9]+) ticks, latency max ([0-9.]+) us.*/\1 \2/p" "$(log "$1")" 2>/dev/null |
		head -n 1
}

rt_row() { # RUN LABEL
	local f s1 s2 last n fin worst missed gap
	f=$(log "$1")
	if [ ! -f "$f" ] || ! grep -q '^\[rt\] testguest: rt: done' "$f"; then
		echo "| $2 | not run or did not finish | | | | |"
		return
	fi
	s1=$(rt_second "$1" 1)
	s2=$(rt_second "$1" 2)
	n=$(grep -cE '^\[rt\] testguest: rt: second [0-9]+:' "$f")
	last=$(rt_second "$1" "$n")
	fin=$(grep -m1 '^\[rt\] testguest: rt: done' "$f")
	worst=$(sed -nE 's/.*worst latency ([0-9.]+) us.*/\1/p' <<<"$fin")
	missed=$(sed -nE 's/.*missed ([0-9]+).*/\1/p' <<<"$fin")
	gap=$(grep -E '^\[rt\] testguest: rt: second [0-9]+:' "$f" | tail -n 1 | sed -nE 's/.*longest gap ([0-9.]+) us.*/\1/p')
	echo "| $2 | ${s1% *} | ${s2% *} | ${last% *} (s $n) | ${missed:-0} | $worst | $gap |"
}

# The rt guest's histogram of run $1: "bucket count" lines.
rt_hist() {
	sed -nE 's/^\[rt\] testguest: rt: histogram (.*): ([0-9]+)[[:space:]]*$/\1|\2/p' "$(log "$1")" 2>/dev/null
}

echo "## Interference (icount)"
echo
echo "bench/interference.sh, all under \`-icount shift=0,sleep=off\` (1 instruction = 1 ns of guest"
echo "time: the host's load changes no figure). Logs: \`intf-*.log\`."
echo
echo "### cyclictest (Debian rt-tests), us: min / avg / **max**"
echo
echo "One SCHED_FIFO 99 thread on CPU 0, \`cyclictest -m -p 99 -a 0 -t 1 -i 1000 -l 5000 -h 1000 -q\`"
echo "(guests/linux/init, \`tessera.test=cyclictest\`), Debian's arm64 kernel, \`quiet\`. Neighbour:"
echo "\`stress-ng --cpu 1 --vm 1 --vm-bytes 32M --cache 1\`; natively pinned to CPU 1 of the same Linux,"
echo "under Tessera a second Linux VM on CPU 1."
echo
echo "| | native | Tessera | Xen 4.17 | KVM |"
echo "| --- | --- | --- | --- | --- |"
echo "| idle | $(ct_cell ct-native) | $(ct_cell ct-tessera) | $(ct_cell ct-xen) | $(ct_cell ct-kvm) |"
echo "| stress-ng neighbour | $(ct_cell ct-native-stress) | $(ct_cell ct-tessera-stress) | not run: icount stalls Xen's second CPU (bench/xen/README.md) and run.sh boots one DomU | $(ct_cell ct-kvm-stress) |"
echo
nat=$(ct_max ct-native) tes=$(ct_max ct-tessera)
if [ -n "$nat" ] && [ -n "$tes" ]; then
	if [ $((tes * 10)) -le $((nat * 11)) ]; then verdict=met; else verdict=missed; fi
	echo "Target \"cyclictest max under Tessera within 10% of native\" (idle): **$verdict**, $tes us against"
	echo "$nat us native. With the neighbour the maxima are QEMU's round-robin scheduling under icount,"
	echo "not the hypervisor's (below): they are shown, not judged."
else
	echo "Target \"cyclictest max under Tessera within 10% of native\": no figure (a run did not finish)."
fi
echo

# Figure $2 ("interrupts" or an "exits EC 0x.." label) of the cyclictest VM
# in run $1, as its manager VM printed it.
ct_stat() {
	grep -a '^\[mgr\] init: stats: ' "$(log "$1")" 2>/dev/null | tr -d '\r' |
		sed -nE "s/^\[mgr\] init: stats: +$2.* ([0-9]+)\$/\1/p" | head -n 1
}

if [ -f "$(log ct-exits-1000)" ] && [ -f "$(log ct-exits-2000)" ]; then
	echo "Where cyclictest's time goes under Tessera: its VM's exits after 1000 and after 2000 loops"
	echo "(a manager VM reads them, \`tessera stats\`; the boot is the same instruction for instruction,"
	echo "so the difference is 1000 wake-ups):"
	echo
	echo "| | 1000 loops | 2000 loops | per wake-up |"
	echo "| --- | --- | --- | --- |"
	for what in "interrupts" "exits EC 0x16" "exits EC 0x18" "exits EC 0x24"; do
		a=$(ct_stat ct-exits-1000 "$what")
		b=$(ct_stat ct-exits-2000 "$what")
		[ -n "$a$b" ] || continue
		per=$(awk -v a="${a:-0}" -v b="${b:-0}" 'BEGIN { printf "%.2f", (b - a) / 1000 }')
		echo "| $what | ${a:-0} | ${b:-0} | $per |"
	done
	echo
	rt_worst() { sed -nE 's/^\[rt\] testguest: rt: done, .*worst latency ([0-9.]+) us.*/\1/p' "$(log "$1")" 2>/dev/null; }
	echo "A wake-up costs the VM about one injected interrupt (its timer; Linux's own tick adds a quarter)"
	echo "and no trap: the HVC and system-register exits do not grow, the MMIO ones only by the console"
	echo "lines. Tessera's path for that interrupt is the rt guest's tick latency: $(rt_worst rt-alone) us"
	echo "under Tessera against $(rt_worst rt-native) us natively."
	echo
fi
# The guest's "init: crng: ready|not ready" line of run $1, or "no line".
crng() {
	local c
	c=$(grep -aoE 'init: crng: [a-z ]+' "$(log "$1")" 2>/dev/null | head -n 1 | sed 's/init: crng: //')
	echo "${c:-no line}"
}
echo "**Why a VM's wake-up took ~9 us more (found and fixed).** An instruction trace of one wake-up"
echo "(QEMU \`-d exec,nochain\` with \`singlestep\` switched on from the monitor mid-run, guest PCs mapped"
echo "to /proc/kallsyms of a \`nokaslr\` boot) gave 9,221 instructions per wake-up natively and 18,674"
echo "under Tessera, the difference almost all in the guest's RNG: \`blake2s_compress_generic\` 6,804,"
echo "\`chacha_permute\` 985, \`extract_entropy\` 173, ...; EL2 ~200. Linux's CRNG was never seeded in the"
echo "VM: natively QEMU puts \`/chosen/rng-seed\` in the DT (as U-Boot, or UEFI through the EFI stub,"
echo "does); Tessera's guest DT had none, and under icount interrupt timing credits too little to seed"
echo "it. While the CRNG is empty every \`get_random_u16()\` extracts from the input pool (BLAKE2s), and"
echo "Debian's kernel draws one on every syscall (RANDOMIZE_KSTACK_OFFSET): cyclictest's"
echo "\`clock_nanosleep\` pays it on the way back. Native with QEMU's \`dtb-randomness=off\` gives the same"
echo "13 us; Xen's DomU DT has no seed either (14 us; KVM's guest may seed from KVM's SMCCC TRNG). Each"
echo "VM load now gets its own 64-byte \`rng-seed\` (hyp/core/entropy.c: ChaCha20 keyed from the bootloader's"
echo "rng-seed and kaslr-seed, rekeyed after every draw): 13 / 13 / 23 us became 4 / 4 / 17, native's."
echo
echo "The guest kernel's CRNG when cyclictest started (\`init: crng:\`): native $(crng ct-native),"
echo "Tessera $(crng ct-tessera), Xen $(crng ct-xen), KVM $(crng ct-kvm)."
echo

echo "### The rt guest's 1 ms ticks (testguest test=rt, 6 s)"
echo
echo "Tessera, QEMU \`-smp 4\`; the rt guest on CPU 3 unless said. Ticks in second 1, second 2 and the last"
echo "second; missed deadlines over the run; worst wake-up latency and longest gap between ticks, us."
echo
echo "| run | s1 ticks | s2 ticks | last ticks | missed | worst | longest gap |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
rt_row rt-native "natively, no hypervisor, alone"
rt_row rt-alone "alone"
rt_row rt-linux-idle "beside Linux (CPUs 1-2) booting, then idle"
rt_row rt-linux-stress "beside Linux (CPUs 1-2) booting, then stress-ng"
rt_row rt0-linux-stress "the same, rt on CPU 0 (first in QEMU's order)"
rt_row rt-hog "beside 2 bare-metal hog VMs (CPUs 1, 2)"
rt_row rt0-hog "the same, rt on CPU 0"
echo
echo "Latency histogram (ticks per bucket; missed deadlines are not in it):"
echo
runs=(rt-alone rt-linux-stress rt-hog)
echo "| us | alone | beside Linux + stress-ng | beside bare-metal hogs |"
echo "| --- | --- | --- | --- |"
buckets=$(for r in "${runs[@]}"; do rt_hist "$r"; done | cut -d'|' -f1 | sort -t- -k1,1n -u)
while IFS= read -r b; do
	[ -n "$b" ] || continue
	line="| $b"
	for r in "${runs[@]}"; do
		c=$(rt_hist "$r" | awk -F'|' -v b="$b" '$1 == b { print $2 }')
		line+=" | ${c:-0}"
	done
	echo "$line |"
done <<<"$buckets"
echo

echo "### Where the tick loss comes from"
echo
cat <<'EOF'
The rt guest loses ticks only when another vCPU is running, and by how much depends on that
vCPU's *timers*, not on what Tessera does:

- **Alone**, every tick arrives 0.224 us late (224 instructions: the vtimer PPI taken at EL2 and
  injected), none missed.
- **Beside two bare-metal hog VMs** that never trap, never print and arm no timer (so no Tessera
  code runs for them after their start), the rt guest gets exactly **10 ticks a second, each
  100 ms late**, on CPU 3 and on CPU 0 alike. 100 ms is QEMU's round-robin kick period
  (`TCG_KICK_PERIOD`, `accel/tcg/tcg-accel-ops-rr.h`). With one host thread for every vCPU, QEMU
  7.2's `rr_cpu_thread_fn()` runs each vCPU in turn for an instruction budget that reaches the
  next `QEMU_CLOCK_VIRTUAL` deadline (`icount_get_limit()`, `tcg-accel-ops-icount.c`). When the
  rt guest's timer fires, its next deadline is not armed until its handler runs, so the nearest
  deadline is the kick timer: the running vCPU keeps the thread for up to 100 ms of guest time
  while the rt vCPU's interrupt waits. Nothing in Tessera can shorten another vCPU's QEMU slice.
- **Beside Linux** the neighbour's own timers (its 4 ms tick, hrtimers) are the nearest deadlines,
  so the slices are shorter: hundreds of ticks a second are lost, with gaps of a few ms (a multiple
  of Linux's 4 ms tick, the "longest gap" column), while Linux boots or runs stress-ng, and none
  once Linux idles in WFI (a halted vCPU takes no slice). That is the issue's "up to half the ticks
  in the first second (479 of 1000, worst 11.7 ms), none once Linux was up". On CPU 0 instead of
  CPU 3 the rt guest loses fewer while Linux boots, and exactly as many beside the hogs: its place
  in QEMU's round matters only when timers cut the slices short.
- **Natively, without any hypervisor**, cyclictest beside stress-ng on the other CPU of the same
  Linux shows the same effect (max in the table above, with hundreds of wake-ups over 1 ms), while
  idle it stays within a few us.

So the tick loss is QEMU's single-threaded round-robin scheduling under icount, and none of it is
Tessera's: no Tessera fix is made for it. It says nothing about a real machine, where each CPU
runs on its own; under icount, rt figures are only meaningful while the other vCPUs are idle
(the rt scenarios judge latency only once the other VMs have stopped, tests/scenarios/rt-check.sh).
EOF
echo

# The chart: cyclictest's histograms, one line per run, both axes logarithmic.
charted=()
for r in ct-native ct-native-stress ct-tessera ct-tessera-stress ct-xen ct-kvm ct-kvm-stress; do
	f=$(log "$r")
	[ -f "$f" ] || continue
	sed -nE 's/^(\[[a-z0-9-]+\] )?init: cyclictest hist ([0-9]+) ([0-9]+).*/\2 \3/p' "$f" >"$out/$r.hist.dat"
	if [ -s "$out/$r.hist.dat" ]; then charted+=("$r"); else rm -f "$out/$r.hist.dat"; fi
done
if [ ${#charted[@]} -gt 0 ] && command -v gnuplot >/dev/null; then
	plots=
	for r in "${charted[@]}"; do
		plots+="${plots:+, }'$out/$r.hist.dat' using (\$1 + 0.5):2 with linespoints title '${r#ct-}'"
	done
	gnuplot <<GP 2>/dev/null && have_chart=1
set terminal pngcairo size 1100,620 noenhanced font 'sans,11'
set output '$out/cyclictest-hist.png'
set title 'cyclictest wake-up latency, icount (1 us buckets up to 1 ms; over 1 ms not shown)'
set xlabel 'latency, us'
set ylabel 'wake-ups (of 5000)'
set logscale xy
set grid
set key top right
plot $plots
GP
	rm -f "$out"/ct-*.hist.dat
	if [ -n "${have_chart:-}" ]; then
		echo "![cyclictest histograms](cyclictest-hist.png)"
		echo
	fi
fi
