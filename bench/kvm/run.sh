#!/usr/bin/env bash
# Boot a guest under KVM on QEMU: Debian's arm64 kernel as the host at EL2 and
# bench/kvm/vmm (kvmvmm) as its VMM (bench/kvm/README.md).
#
#   bench/kvm/run.sh --kernel IMAGE [--initrd FILE] --bootargs "..." [--cpus N]
#       [--pcpus P] [--mem-mib M] [--icount] [--timeout S] [--expect-end "string"]
#       [--host-args "..."] [--no-pmu] [--log FILE] [--keep DIR] [--quiet]
#
# The guest's console lines go to stdout (kvmvmm's "kvm-guest| " prefix
# removed), the host's own lines (kernel, /init, kvmvmm) to stderr and, with
# everything else, to the log. QEMU is stopped when a guest line contains the
# end string (exit 0); the timeout, or QEMU exiting without it, is exit 1.
set -euo pipefail
export LC_ALL=C # byte lengths, plain ASCII regular expressions

me=bench/kvm/run.sh
script=$(readlink -f "$0")
here=$(dirname "$script")
root=$(cd "$here/../.." && pwd)
kvm_build=${KVM_BUILD:-$root/build/kvm}
host_kernel=${KVM_HOST_KERNEL:-$root/build/linux/Image}

usage() {
	cat >&2 <<END_USAGE
usage: $me --kernel IMAGE [--initrd FILE] --bootargs "..." [--cpus N] [--pcpus P] [--mem-mib M]
       [--icount] [--timeout S] [--expect-end "string"] [--host-args "..."] [--no-pmu]
       [--log FILE] [--keep DIR] [--quiet]
  --kernel IMAGE     the guest's kernel (an arm64 Image: Linux, or a bare-metal guest)
  --initrd FILE      the guest's ramdisk
  --bootargs "..."   the guest's command line
  --cpus N           guest vCPUs (default 1, at most 8), vCPU i pinned to host CPU 1 + i
  --pcpus P          QEMU CPUs for the host (default N + 1: CPU 0 for the host's own work)
  --mem-mib M        guest memory in MiB (default 256)
  --icount           -icount shift=0,sleep=off -seed 1 (1 instruction = 1 ns, deterministic)
  --timeout S        stop QEMU after S seconds of wall time (default 300)
  --expect-end STR   stop QEMU when a guest line contains STR (default "bench: done")
  --host-args "..."  appended to the host kernel's command line
  --no-pmu           give the guest no vPMU (default: KVM's vPMU when KVM offers one)
  --log FILE         the whole console output (default build/kvm/last.log)
  --keep DIR         keep the host initramfs, kvmvmm's arguments and the QEMU command line in DIR
  --quiet            the host's own lines only to the log, not to stderr
END_USAGE
	exit 2
}

die() { echo "$me: $*" >&2; exit 2; }

kernel='' initrd='' bootargs='' bootargs_set='' cpus=1 pcpus='' mem_mib=256 icount='' timeout=300
expect_end="bench: done" host_args='' no_pmu='' log=$kvm_build/last.log keep='' quiet=''
# shellcheck source=bench/peer-args.sh
source "$here/../peer-args.sh"
peer_parse_args --host-args host_args --no-pmu no_pmu -- "$@"
[[ $cpus =~ ^[1-8]$ ]] || die "--cpus wants 1 to 8 (kvmvmm's limit), not '$cpus'"
pcpus=${pcpus:-$((cpus + 1))}
[[ $pcpus =~ ^[1-9][0-9]*$ ]] || die "--pcpus wants a positive integer, not '$pcpus'"
[ "$pcpus" -gt "$cpus" ] ||
	echo "$me: warning: $cpus vCPUs on $pcpus host CPUs: the vCPUs past CPU $((pcpus - 1)) are not pinned" >&2
if [ "$mem_mib" -lt 16 ] || [ "$mem_mib" -gt 1024 ]; then
	die "--mem-mib $mem_mib: from 16 to 1024 (the host has 2 GiB, and the images are in its RAM too)"
fi
case $bootargs in *$'\n'*) die "--bootargs may not contain a newline" ;; esac

for tool in qemu-system-aarch64 cpio make; do
	command -v "$tool" >/dev/null || die "'$tool' not found (run tools/setup.sh)"
done
# The host kernel (Debian's: guests/linux/fetch.sh), kvmvmm and the host's fixed initramfs.
make -s -C "$root" kvm-host >&2 || die "cannot build the KVM host (make kvm-host)"
[ -s "$host_kernel" ] || die "$host_kernel missing after make kvm-host"

tmp=$(mktemp -d)
qemu_pid=''
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	if [ -n "$qemu_pid" ] && kill -0 "$qemu_pid" 2>/dev/null; then
		kill "$qemu_pid" 2>/dev/null || true
		wait "$qemu_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- host initramfs
# The fixed part, then an archive holding /guest: the images and kvmvmm's arguments.
mkdir -p "$tmp/root/guest"
vmm_args=(--kernel /guest/Image --bootargs "$bootargs" --cpus "$cpus" --mem-mib "$mem_mib")
ln -s "$(readlink -f "$kernel")" "$tmp/root/guest/Image"
if [ -n "$initrd" ]; then
	ln -s "$(readlink -f "$initrd")" "$tmp/root/guest/initrd"
	vmm_args+=(--initrd /guest/initrd)
fi
[ -z "$no_pmu" ] || vmm_args+=(--no-pmu)
printf '%s\n' "${vmm_args[@]}" >"$tmp/vmm.args"
cp "$tmp/vmm.args" "$tmp/root/guest/vmm.args"
{
	cat "$kvm_build/host-base.cpio"
	(cd "$tmp/root" && find guest -printf '%p\n' | LC_ALL=C sort |
		cpio -o -H newc -L -R 0:0 --reproducible --quiet)
} >"$tmp/host.cpio" || die "could not build the host initramfs"

# ---------------------------------------------------------------- QEMU
# The host at EL2 (virtualization=on): Debian's kernel starts KVM in VHE mode.
qemu=(qemu-system-aarch64 -M "virt,virtualization=on,gic-version=3" -cpu cortex-a76
	-smp "$pcpus" -m 2G -nographic -monitor none -nic none)
[ -z "$icount" ] || qemu+=(-icount "shift=0,sleep=off" -seed 1)
qemu+=(-kernel "$host_kernel" -initrd "$tmp/host.cpio"
	-append "console=ttyAMA0 rdinit=/init${host_args:+ $host_args}")

if [ -n "$keep" ]; then
	mkdir -p "$keep"
	cp "$tmp/host.cpio" "$tmp/vmm.args" "$keep/"
	printf '%q ' "${qemu[@]}" | sed "s|$tmp/|$keep/|g; s/ \$/\\n/" >"$keep/qemu.cmd"
fi

# kvmvmm writes each guest line with one write(), as "kvm-guest| text"; the
# host's tty adds a "\r". Anything else is the host's (kernel, /init, kvmvmm)
# or QEMU's.
guest_re='^kvm-guest\| (.*)$'
peer_guest_text() {
	[[ $1 =~ $guest_re ]] || return 1
	text=${BASH_REMATCH[1]}
}

# shellcheck source=bench/peer-console.sh
source "$here/../peer-console.sh"
peer_console_run
