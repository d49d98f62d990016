# shellcheck shell=bash disable=SC2154 # me, tmp, log, qemu, ...: the runner's (below)
# Sourced by bench/xen/run.sh and bench/kvm/run.sh: run a peer hypervisor's QEMU and
# split its console. The runner sets me, tmp, log, timeout, expect_end, quiet and the
# array qemu, keeps qemu_pid for its EXIT trap, and defines
#   peer_guest_text LINE   (LINE without its last '\r'): set text and return 0 for a
#                          guest line, 1 for one of the host's or QEMU's, 2 for part of a
#                          guest line held back for the next one;
#   peer_console_flush     (optional): print what is still held back at the end.
# peer_console_run prints the guest's lines on stdout, the rest on stderr (unless
# quiet), every line to the log, and exits 0 once a guest line holds expect_end,
# 1 on timeout or when QEMU exits first.

# elapsed: wall time since QEMU started, in microseconds (no subshell: this runs
# once per line of output).
peer_update_elapsed() {
	local now=$EPOCHREALTIME
	elapsed=$(( (${now%.*} - ${start%.*}) * 1000000 + 10#${now#*.} - 10#${start#*.} ))
}

peer_console_run() {
	local line clean left left_us limit_us result=timeout rc took status
	mkdir -p "$(dirname "$log")"
	exec 4>"$log"
	mkfifo "$tmp/out"
	start=$EPOCHREALTIME
	elapsed=0
	"${qemu[@]}" </dev/null >"$tmp/out" 2>&1 &
	qemu_pid=$!
	exec 3<"$tmp/out"
	limit_us=$((timeout * 1000000))
	while :; do
		peer_update_elapsed
		left_us=$((limit_us - elapsed))
		[ "$left_us" -gt 0 ] || break
		printf -v left '%d.%06d' $((left_us / 1000000)) $((left_us % 1000000))
		if IFS= read -r -t "$left" line <&3; then
			line=${line%$'\r'}
			clean=$line
			while [[ $clean == *$'\r' ]]; do clean=${clean%$'\r'}; done
			printf '%s\n' "$clean" >&4
			status=0
			peer_guest_text "$line" || status=$?
			if [ "$status" -eq 1 ]; then
				[ -n "$quiet" ] || printf '%s\n' "$clean" >&2
				continue
			fi
			[ "$status" -eq 0 ] || continue
			while [[ $text == *$'\r' ]]; do text=${text%$'\r'}; done
			printf '%s\n' "$text"
			if [[ $text == *"$expect_end"* ]]; then
				result=seen
				break
			fi
		elif [ $? -gt 128 ]; then
			[ -z "$line" ] || printf '%s\n' "$line" >&4 # a partial line
			break                                      # timed out
		else
			# A partial last line, then end of file: QEMU exited.
			[ -z "$line" ] || printf '%s\n' "$line" >&4
			result=exited
			break
		fi
	done
	! declare -F peer_console_flush >/dev/null || peer_console_flush
	peer_update_elapsed
	printf -v took '%d.%02d' $((elapsed / 1000000)) $((elapsed % 1000000 / 10000))
	exec 3<&-
	case $result in
		seen)
			echo "$me: '$expect_end' seen after $took s (wall); stopping QEMU" >&2
			exit 0 ;;
		timeout)
			echo "$me: FAILED: no '$expect_end' within $timeout s; stopping QEMU (log: $log)" >&2 ;;
		exited)
			wait "$qemu_pid" && rc=0 || rc=$?
			qemu_pid=
			echo "$me: FAILED: QEMU exited (status $rc) after $took s without '$expect_end' (log: $log)" >&2 ;;
	esac
	exit 1
}
