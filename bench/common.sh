# shellcheck shell=bash
# Shared by bench/bench.sh and bench/interference.sh (sourced).

step() { printf '== %s\n' "$*"; }

# run_until LOG END TIMEOUT CMD...: run CMD, log it, stop it once END is printed
# (some runs never stop by themselves: hog VMs, a guest that idles after its report).
run_until() {
	local log=$1 end=$2 t=$3
	shift 3
	# The log exists before the first look at it (the background job opens it later).
	: >"$log"
	timeout "$t" "$@" </dev/null >"$log" 2>&1 &
	local pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		if grep -qF -- "$end" "$log"; then
			sleep 1
			kill "$pid" 2>/dev/null
			break
		fi
		sleep 1
	done
	wait "$pid" 2>/dev/null
	grep -qF -- "$end" "$log"
}
