#!/usr/bin/env bash
# Runs QEMU scenarios: tests/scenarios/run.sh [name...] (default: every *.scn,
# sorted). Each <name>.scn is a bash fragment setting:
#
#   DESCRIPTION   one line, for people
#   CONFIG        the system config (.dts) to build; for KIND=build, one or
#                 more, separated by spaces
#   KIND          boot: build the image and boot it; refused: the build must
#                 fail; build: every CONFIG must build (a board QEMU cannot
#                 boot: its configs are checked, nothing runs)
#   PLATFORM      optional: the board to build for (make PLATFORM=...);
#                 default the runner's
#   TIMEOUT       seconds for boot (default 120)
#   BOOT          how QEMU starts the image: kernel (default: -kernel, as a
#                 Linux Image), or NAME: tests/scenarios/boot-NAME.sh IMAGE DIR
#                 prints the QEMU options that boot it (firmware, disks made
#                 in the scratch directory DIR): uefi, uefi-shell, uboot
#   QEMU_EXTRA    appended to the QEMU command line; "-icount shift=0,sleep=off"
#                 for a scenario whose verdict depends on timing, so that it
#                 judges Tessera and not the host's load (docs/architecture.md)
#   EXPECT=()     fixed strings that must appear in the output
#   FORBID=()     fixed strings that must not appear
#   EXPECT_ORDER=() fixed strings that must appear in this order
#   EXPECT_EXIT   QEMU's exit status for boot (default 0)
#   INPUT         optional, boot: a printf format typed into QEMU's stdin
#                 (otherwise stdin is /dev/null)
#   INPUT_AFTER   optional: type INPUT only once this fixed string is output
#                 (an array: once every one of them is)
#   DRIVER        optional, boot: an expect(1) script that runs QEMU on a
#                 pseudo-terminal, a real tty as `make demo` has (Ctrl-C,
#                 terminal queries), and types at it:
#                 `expect -f DRIVER QEMU-command...` with TIMEOUT in the
#                 environment; what it prints is the log, its exit status is
#                 taken as QEMU's. INPUT is not used then.
#   check_log     optional function: called with the log path; it prints one
#                 reason per failed property (nothing when all hold)
#   skip_reason   optional function: prints why the scenario cannot run on
#                 this machine (e.g. a board DT that needs the network once),
#                 nothing when it can; then "SKIP <name>: <reason>"
#
# Environment: QEMU_CMD (QEMU without the image; `make scenarios` sets it),
# PLATFORM (default qemu-virt). For testing the runner itself: SCENARIO_DIR
# (default tests/scenarios) and SCENARIO_MAKE (default make).
#
# Prints one line per scenario, "PASS <name>", "FAIL <name>: <reasons> (log:
# <path>)" or "SKIP <name>: <reason>", then "N passed, M failed" (", K
# skipped" when some were). Exit status 1 when any failed. Logs and
# timings are in build/scenarios/.
set -uo pipefail

cd "$(dirname "$0")/../.." || exit 2
DIR=${SCENARIO_DIR:-tests/scenarios}
LOGS=build/scenarios
PLATFORM=${PLATFORM:-qemu-virt}
MAKE_CMD=${SCENARIO_MAKE:-make}
mkdir -p "$LOGS"

# type_input FIFO LOG FORMAT TIMEOUT [AFTER...]: writes printf FORMAT into FIFO
# (QEMU's stdin), once LOG shows every AFTER, then holds the FIFO open so
# QEMU never sees end of input. The caller kills it when QEMU is gone.
type_input() {
	local fifo=$1 log=$2 format=$3 timeout=$4 deadline=$((SECONDS + $4)) after
	shift 4

	exec 3>"$fifo"
	for after in "$@"; do
		[ -n "$after" ] || continue
		until grep -qF -- "$after" "$log"; do
			[ $SECONDS -lt "$deadline" ] || exec sleep "$timeout" # never seen: type nothing
			sleep 0.2
		done
	done
	# shellcheck disable=SC2059 # the scenario's INPUT is the format
	printf -- "$format" >&3
	exec sleep "$timeout"
}

# run_one NAME: prints the result line; returns 0 on PASS, 2 on SKIP.
run_one() {
	local name=$1 scn=$DIR/$1.scn
	local DESCRIPTION='' CONFIG='' KIND='' TIMEOUT=120 QEMU_EXTRA='' EXPECT_EXIT=0 BOOT=kernel
	local INPUT='' INPUT_AFTER='' DRIVER=''
	local -a EXPECT=() FORBID=() EXPECT_ORDER=() reasons=()
	local log build_log status t0 t_build t_run=0

	if [ ! -f "$scn" ]; then
		echo "FAIL $name: no such scenario ($scn)"
		return 1
	fi
	unset -f check_log skip_reason # functions outlive the scenario that defined them
	# shellcheck source=/dev/null
	if ! source "$scn"; then
		echo "FAIL $name: $scn does not parse"
		return 1
	fi
	case $KIND in boot | refused | build) ;; *)
		echo "FAIL $name: KIND is '$KIND', not boot, refused or build"
		return 1 ;;
	esac
	local c
	local -a configs=("$CONFIG")
	[ "$KIND" = build ] && read -ra configs <<<"$CONFIG"
	[ ${#configs[@]} -gt 0 ] || configs=("")
	for c in "${configs[@]}"; do
		if [ -z "$c" ] || [ ! -f "$c" ]; then
			echo "FAIL $name: CONFIG '$c' is not a file"
			return 1
		fi
	done
	if declare -F skip_reason >/dev/null; then
		local why
		why=$(skip_reason)
		if [ -n "$why" ]; then
			echo "SKIP $name: $why"
			return 2
		fi
	fi

	build_log=$LOGS/$name.build.log
	t0=$SECONDS
	: >"$build_log"
	for c in "${configs[@]}"; do
		$MAKE_CMD -s image PLATFORM="$PLATFORM" CONFIG="$c" >>"$build_log" 2>&1
		status=$?
		[ $status -eq 0 ] || break
	done
	t_build=$((SECONDS - t0))

	if [ "$KIND" = build ]; then
		log=$build_log
		[ $status -eq 0 ] || reasons+=("the build failed with status $status")
	elif [ "$KIND" = refused ]; then
		log=$build_log
		[ $status -ne 0 ] || reasons+=("the build succeeded but must be refused")
	else
		log=$LOGS/$name.log
		if [ $status -ne 0 ]; then
			echo "## $name: build failed with status $status after ${t_build} s" >>"$build_log"
			echo "FAIL $name: build failed (log: $build_log)"
			return 1
		fi
		if [ -z "${QEMU_CMD:-}" ]; then
			echo "FAIL $name: QEMU_CMD is not set; run it through make scenarios"
			return 1
		fi
		local image
		image=build/$PLATFORM/$(basename "$CONFIG" .dts)/tessera.bin
		local boot_opts="-kernel $image"
		if [ "$BOOT" != kernel ] &&
			! boot_opts=$(bash "tests/scenarios/boot-$BOOT.sh" "$image" "$LOGS/$name.boot" 2>>"$build_log"); then
			echo "FAIL $name: BOOT=$BOOT: tests/scenarios/boot-$BOOT.sh failed (log: $build_log)"
			return 1
		fi
		local stdin=/dev/null feeder='' driver=()
		if [ -n "$DRIVER" ]; then
			if [ ! -f "$DRIVER" ]; then
				echo "FAIL $name: DRIVER '$DRIVER' is not a file"
				return 1
			fi
			driver=(env TIMEOUT="$TIMEOUT" expect -f "$DRIVER")
		elif [ -n "$INPUT" ]; then
			stdin=$LOGS/$name.input
			rm -f "$stdin" && mkfifo "$stdin"
			: >"$log"
			type_input "$stdin" "$log" "$INPUT" "$TIMEOUT" "${INPUT_AFTER[@]}" &
			feeder=$!
		fi
		t0=$SECONDS
		# -seed: the seeds QEMU's firmware and DT hand on (rng-seed, kaslr-seed, and so the
		# VMs' rng-seed, hyp/core/entropy.c) are the same every run, so a run under icount
		# repeats instruction for instruction.
		# shellcheck disable=SC2086 # QEMU_CMD, QEMU_EXTRA and boot_opts are word lists
		timeout -k 5 "$TIMEOUT" ${driver[@]+"${driver[@]}"} $QEMU_CMD -seed 1 $QEMU_EXTRA $boot_opts <"$stdin" >"$log" 2>&1
		status=$?
		t_run=$((SECONDS - t0))
		if [ -n "$feeder" ]; then
			kill "$feeder" 2>/dev/null
			wait "$feeder" 2>/dev/null
			rm -f "$stdin"
		fi
		if [ $status -eq 124 ] || [ $status -eq 137 ]; then
			reasons+=("timeout after $TIMEOUT s")
		elif [ "$status" -ne "$EXPECT_EXIT" ]; then
			reasons+=("exit status $status not $EXPECT_EXIT")
		fi
	fi

	local s prev='' line=0 n
	for s in "${EXPECT[@]}"; do
		grep -qF -- "$s" "$log" || reasons+=("missing '$s'")
	done
	for s in "${FORBID[@]}"; do
		grep -qF -- "$s" "$log" && reasons+=("forbidden '$s' appeared")
	done
	# Each string must be on a line after the previous one's.
	for s in "${EXPECT_ORDER[@]}"; do
		n=$(tail -n "+$((line + 1))" "$log" | grep -nF -m1 -- "$s" | cut -d: -f1)
		if [ -z "$n" ]; then
			# shellcheck disable=SC2016 # the quotes are text; $prev expands
			reasons+=("'$s' does not appear${prev:+ after '$prev'}")
			break
		fi
		line=$((line + n))
		prev=$s
	done

	if declare -F check_log >/dev/null; then
		local r
		while IFS= read -r r; do
			[ -n "$r" ] && reasons+=("$r")
		done < <(check_log "$log")
	fi

	echo "## $name ($KIND, $DESCRIPTION): build ${t_build} s, run ${t_run} s, status $status" >>"$log"
	if [ ${#reasons[@]} -eq 0 ]; then
		echo "PASS $name"
		return 0
	fi
	local joined
	joined=$(printf '%s; ' "${reasons[@]}")
	echo "FAIL $name: ${joined%; } (log: $log)"
	return 1
}

names=()
if [ $# -gt 0 ]; then
	for a in "$@"; do
		a=${a##*/}
		names+=("${a%.scn}")
	done
else
	for f in "$DIR"/*.scn; do
		[ -e "$f" ] || continue
		f=${f##*/}
		names+=("${f%.scn}")
	done
	mapfile -t names < <(printf '%s\n' ${names[@]+"${names[@]}"} | LC_ALL=C sort)
fi

passed=0
failed=0
skipped=0
for name in ${names[@]+"${names[@]}"}; do
	[ -n "$name" ] || continue
	# A subshell: one scenario's variables never leak into the next.
	(run_one "$name")
	case $? in
	0) passed=$((passed + 1)) ;;
	2) skipped=$((skipped + 1)) ;;
	*) failed=$((failed + 1)) ;;
	esac
done
echo "$passed passed, $failed failed$([ $skipped -eq 0 ] || echo ", $skipped skipped")"
[ $failed -eq 0 ]
