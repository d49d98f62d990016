#!/usr/bin/env bash
# Runs libFuzzer harnesses one after another, each for SECONDS, and prints
# one line per harness as the scenarios do:
#   PASS fuzz-<name> (<executions> executions in <s> s, <exec/s>/s, cov <edges>, corpus <units>)
#   FAIL fuzz-<name>: <what the sanitizer or invariant said>; input <crash file>; log <log>
# then "fuzz: N passed, M failed"; exit status 1 when any failed.
#   run.sh SECONDS DIR NAME...
# DIR holds each harness (DIR/NAME), its seed corpus (DIR/NAME.seeds, made by
# the build) and its working corpus (DIR/NAME.corpus, kept between runs so
# every run starts where the last one stopped). A crash input is written as
# DIR/NAME-crash-<sha1>; reproduce with DIR/NAME <that file>.
set -u
secs=$1 dir=$2
shift 2
passed=0 failed=0
for name; do
	bin=$dir/$name log=$dir/$name.log corpus=$dir/$name.corpus
	mkdir -p "$corpus"
	# A harness's dictionary (tests/fuzz/NAME.dict): the values its input format means.
	dict=()
	[ ! -f "tests/fuzz/$name.dict" ] || dict=(-dict="tests/fuzz/$name.dict")
	# -timeout: one input taking seconds is a hang, on any load this machine sees.
	nice -n 10 "$bin" -max_total_time="$secs" -timeout=25 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$dir/$name-" "${dict[@]}" \
		"$corpus" "$dir/$name.seeds" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
	units=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
	if [ "$rc" -eq 0 ] && [ -n "$runs" ]; then
		echo "PASS fuzz-$name ($runs executions in $secs s, $rate/s, cov ${cov:-?}, corpus ${units:-?})"
		passed=$((passed + 1))
	else
		why=$(grep -m1 -E 'invariant broken|runtime error|ERROR: (AddressSanitizer|LeakSanitizer)|Assertion|error: |ERROR: libFuzzer' "$log" |
			sed 's/^==[0-9]*==//')
		input=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | tail -1)
		echo "FAIL fuzz-$name: ${why:-exit status $rc}; input ${input:-none}; log $log"
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
