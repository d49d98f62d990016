# shellcheck shell=bash
# Sourced by bench/xen/run.sh and bench/kvm/run.sh: the options both take.
#
# peer_parse_args PEER_OPT PEER_VAR FLAG_OPT FLAG_VAR -- ARGS...
#   Reads --kernel --initrd --bootargs --cpus --pcpus --mem-mib --timeout
#   --expect-end --log --keep (each with a value), --icount, --quiet and -h,
#   plus the peer's own: PEER_OPT's value into the variable PEER_VAR, and the
#   flag FLAG_OPT setting FLAG_VAR to 1 (FLAG_OPT "": none). The caller sets
#   the defaults first and defines $me, usage and die. Then checks what both
#   check: --kernel and --bootargs given, the kernel and initrd there,
#   --mem-mib and --timeout positive integers, --expect-end not empty. The
#   peer checks the rest (--cpus, --pcpus and its limits).
peer_parse_args() {
	local peer_opt=$1 peer_var=$2 flag_opt=$3 flag_var=$4 opt
	shift 4
	[ "${1:-}" = -- ] && shift
	while [ $# -gt 0 ]; do
		opt=$1
		case $opt in
			--icount) icount=1; shift; continue ;;
			--quiet) quiet=1; shift; continue ;;
			-h|--help) usage ;;
		esac
		if [ -n "$flag_opt" ] && [ "$opt" = "$flag_opt" ]; then
			printf -v "$flag_var" 1
			shift
			continue
		fi
		case $opt in
			--kernel|--initrd|--bootargs|--cpus|--pcpus|--mem-mib|--timeout|--expect-end|--log|--keep|"$peer_opt")
				[ $# -ge 2 ] || die "$opt needs a value" ;;
			*) echo "$me: unknown option '$opt'" >&2; usage ;;
		esac
		case $opt in
			--kernel) kernel=$2 ;;
			--initrd) initrd=$2 ;;
			--bootargs) bootargs=$2; bootargs_set=1 ;;
			--cpus) cpus=$2 ;;
			--pcpus) pcpus=$2 ;;
			--mem-mib) mem_mib=$2 ;;
			--timeout) timeout=$2 ;;
			--expect-end) expect_end=$2 ;;
			--log) log=$2 ;;
			--keep) keep=$2 ;;
			*) printf -v "$peer_var" '%s' "$2" ;;
		esac
		shift 2
	done
	[ -n "$kernel" ] || { echo "$me: --kernel is required" >&2; usage; }
	[ -n "$bootargs_set" ] || { echo "$me: --bootargs is required" >&2; usage; }
	[ -f "$kernel" ] || die "no such kernel image: $kernel"
	[ -z "$initrd" ] || [ -f "$initrd" ] || die "no such initrd: $initrd"
	[[ $mem_mib =~ ^[1-9][0-9]*$ ]] || die "--mem-mib wants a positive integer, not '$mem_mib'"
	[[ $timeout =~ ^[1-9][0-9]*$ ]] || die "--timeout wants a positive number of seconds, not '$timeout'"
	[ -n "$expect_end" ] || die "--expect-end must not be empty"
}
