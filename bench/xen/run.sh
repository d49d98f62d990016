#!/usr/bin/env bash
# Boot a guest as a Xen dom0less DomU on QEMU (bench/xen/README.md).
#
#   bench/xen/run.sh --kernel IMAGE [--initrd FILE] --bootargs "..." [--cpus N]
#       [--pcpus P] [--mem-mib M] [--icount] [--timeout S] [--expect-end "string"]
#       [--xen-args "..."] [--log FILE] [--keep DIR] [--quiet]
#
# The DomU's console lines go to stdout (Xen's "(XEN) DOM1: " / "(d1) "
# prefix removed), Xen's own lines to stderr and, with everything else, to
# the log. QEMU is stopped when a DomU line contains the end string (exit 0)
# or at the timeout (exit 1).
set -euo pipefail
export LC_ALL=C # byte lengths, plain ASCII regular expressions

me=bench/xen/run.sh
script=$(readlink -f "$0")
here=$(dirname "$script")
root=$(cd "$here/../.." && pwd)
xen_build=${XEN_BUILD:-$root/build/xen}

usage() {
	cat >&2 <<EOF
usage: $me --kernel IMAGE [--initrd FILE] --bootargs "..." [--cpus N] [--pcpus P] [--mem-mib M]
       [--icount] [--timeout S] [--expect-end "string"] [--xen-args "..."]
       [--log FILE] [--keep DIR] [--quiet]
  --kernel IMAGE     the DomU's kernel (an arm64 Image: Linux, or a bare-metal guest)
  --initrd FILE      the DomU's ramdisk
  --bootargs "..."   the DomU's command line
  --cpus N           DomU vCPUs (default 1)
  --pcpus P          QEMU CPUs (default N: one per vCPU; Xen needs none of its own)
  --mem-mib M        DomU memory in MiB (default 256)
  --icount           -icount shift=0,sleep=off -seed 1 (1 instruction = 1 ns, deterministic)
  --timeout S        stop QEMU after S seconds of wall time (default 120)
  --expect-end STR   stop QEMU when a DomU line contains STR (default "bench: done")
  --xen-args "..."   appended to Xen's command line (later words win)
  --log FILE         the whole console output (default build/xen/last.log)
  --keep DIR         keep the generated DTS/DTB and QEMU command line in DIR
  --quiet            Xen's own lines only to the log, not to stderr
EOF
	exit 2
}

die() { echo "$me: $*" >&2; exit 2; }

kernel='' initrd='' bootargs='' bootargs_set='' cpus=1 pcpus='' mem_mib=256 icount='' timeout=120
expect_end="bench: done" xen_args='' log=$xen_build/last.log keep='' quiet=''
# shellcheck source=bench/peer-args.sh
source "$here/../peer-args.sh"
peer_parse_args --xen-args xen_args '' '' -- "$@"
kernel=$(readlink -f "$kernel")
[ -z "$initrd" ] || initrd=$(readlink -f "$initrd")
[[ $cpus =~ ^[1-9][0-9]*$ ]] || die "--cpus wants a positive integer, not '$cpus'"
pcpus=${pcpus:-$cpus}
[[ $pcpus =~ ^[1-9][0-9]*$ ]] || die "--pcpus wants a positive integer, not '$pcpus'"
[ "$pcpus" -ge "$cpus" ] || echo "$me: warning: $cpus vCPUs on $pcpus CPUs: Xen time-shares them" >&2
[ -z "$icount" ] || [ "$pcpus" -eq 1 ] ||
	echo "$me: warning: with --icount, Xen hangs at boot with more than one CPU on QEMU 7.2 (README.md)" >&2
case $bootargs$xen_args in *'"'* | *\\*) die "bootargs may not contain '\"' or '\\'" ;; esac
[ "$mem_mib" -le 1536 ] || die "--mem-mib $mem_mib: QEMU has 2 GiB, Xen and the images need some of it"

for tool in qemu-system-aarch64 dtc; do
	command -v "$tool" >/dev/null || die "'$tool' not found (apt-get install qemu-system-arm device-tree-compiler)"
done
bash "$here/fetch.sh" || die "cannot fetch Xen (bench/xen/fetch.sh)"
xen=$xen_build/xen
[ -s "$xen" ] || die "$xen missing after bench/xen/fetch.sh"

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

# ---------------------------------------------------------------- machine
# No CPU for Xen itself: with no dom0 it only runs at EL2 on the DomU's CPUs.
machine=(-M "virt,virtualization=on,gic-version=3" -cpu cortex-a76 -smp "$pcpus" -m 2G)
qemu_common=(-nographic -monitor none -nic none)

# QEMU places the DTB at RAM base + min(RAM / 2, 128 MiB) = 0x48000000 (2 GiB),
# and Xen (loaded at 0x40000000) relocates itself to the top of RAM. The
# modules go from 0x50000000 up, each 2 MiB aligned, with a 2 MiB gap.
ram_base=$((0x40000000))
ram_end=$((ram_base + 0x80000000))
dtb_slot=$((0x48000000))
mod_base=$((0x50000000))
align2m() { echo $(( ($1 + 0x1fffff) & ~0x1fffff )); }
hex() { printf '0x%x' "$1"; }

kernel_size=$(stat -L -c %s "$kernel")
kernel_addr=$mod_base
next=$(align2m $((kernel_addr + kernel_size + 0x200000)))
initrd_addr='' initrd_size=''
if [ -n "$initrd" ]; then
	initrd_size=$(stat -L -c %s "$initrd")
	initrd_addr=$next
	next=$(align2m $((initrd_addr + initrd_size + 0x200000)))
fi
# Xen needs room above the modules for itself and the DomU's memory.
[ $((next + mem_mib * 0x100000 + 0x10000000)) -le "$ram_end" ] ||
	die "the images and $mem_mib MiB of DomU memory do not fit in QEMU's 2 GiB"

# ---------------------------------------------------------------- DTB
qemu-system-aarch64 "${machine[@]}" -machine dumpdtb="$tmp/qemu.dtb" "${qemu_common[@]}" \
	>"$tmp/dumpdtb.out" 2>&1 || { cat "$tmp/dumpdtb.out" >&2; die "QEMU could not dump its DTB"; }
dtc -q -I dtb -O dts -o "$tmp/qemu.dts" "$tmp/qemu.dtb" || die "dtc could not decompile QEMU's DTB"
[ "$(stat -c %s "$tmp/qemu.dtb")" -lt $((mod_base - dtb_slot - 0x100000)) ] ||
	die "QEMU's DTB is too large for the slot below the modules"

# Xen's console: the UART that /chosen/stdout-path names (QEMU's DTB has no
# /aliases, so "dtuart=serial0" would find nothing).
stdout_path=$(awk '/^\tchosen \{/ { c = 1 } c && /stdout-path/ { split($0, a, "\""); print a[2]; exit }' "$tmp/qemu.dts")
[ -n "$stdout_path" ] || die "QEMU's DTB has no /chosen/stdout-path"
stdout_path=${stdout_path%%:*}

# vwfi=native: a guest WFI waits on the CPU instead of trapping to Xen, as on
# Tessera. No sched=null: Debian's Xen is built without the null scheduler
# ("Could not find scheduler: null", it falls back to credit2); with one
# pCPU per vCPU credit2 has nothing to share anyway. guest_loglvl=all: the
# DomU's vPL011 lines are guest messages, dropped at the default level.
xen_cmdline="console=dtuart dtuart=$stdout_path bootscrub=off vwfi=native guest_loglvl=all"
xen_cmdline+=${xen_args:+ $xen_args}

{
	printf '\t\txen,xen-bootargs = "%s";\n' "$xen_cmdline"
	printf '\t\t#address-cells = <0x01>;\n\t\t#size-cells = <0x01>;\n\n'
	printf '\t\tdomU1 {\n'
	printf '\t\t\tcompatible = "xen,domain";\n'
	printf '\t\t\t#address-cells = <0x01>;\n\t\t\t#size-cells = <0x01>;\n'
	printf '\t\t\tmemory = <0x00 %s>;\n' "$(hex $((mem_mib * 1024)))"
	printf '\t\t\tcpus = <%d>;\n' "$cpus"
	printf '\t\t\tvpl011;\n\n'
	printf '\t\t\tmodule@%x {\n' "$kernel_addr"
	printf '\t\t\t\tcompatible = "multiboot,kernel", "multiboot,module";\n'
	printf '\t\t\t\treg = <%s %s>;\n' "$(hex "$kernel_addr")" "$(hex "$kernel_size")"
	printf '\t\t\t\tbootargs = "%s";\n' "$bootargs"
	printf '\t\t\t};\n'
	if [ -n "$initrd" ]; then
		printf '\n\t\t\tmodule@%x {\n' "$initrd_addr"
		printf '\t\t\t\tcompatible = "multiboot,ramdisk", "multiboot,module";\n'
		printf '\t\t\t\treg = <%s %s>;\n' "$(hex "$initrd_addr")" "$(hex "$initrd_size")"
		printf '\t\t\t};\n'
	fi
	printf '\t\t};\n'
} >"$tmp/chosen.dtsi"

# Insert after /chosen's existing properties, before its closing brace.
awk -v add="$tmp/chosen.dtsi" '
	/^\tchosen \{/ { inchosen = 1 }
	inchosen && /^\t\};/ {
		while ((getline l < add) > 0) print l
		inchosen = 0; done = 1
	}
	{ print }
	END { if (!done) exit 1 }
' "$tmp/qemu.dts" >"$tmp/dom0less.dts" || die "no /chosen node in QEMU's DTB"
dtc -q -I dts -O dtb -o "$tmp/dom0less.dtb" "$tmp/dom0less.dts" ||
	die "dtc could not compile the dom0less DTS ($tmp/dom0less.dts)"

# ---------------------------------------------------------------- QEMU
qemu=(qemu-system-aarch64 "${machine[@]}" "${qemu_common[@]}")
[ -z "$icount" ] || qemu+=(-icount "shift=0,sleep=off" -seed 1)
qemu+=(-kernel "$xen" -dtb "$tmp/dom0less.dtb"
	-device "loader,file=$kernel,addr=$(hex "$kernel_addr"),force-raw=on")
[ -z "$initrd" ] || qemu+=(-device "loader,file=$initrd,addr=$(hex "$initrd_addr"),force-raw=on")

if [ -n "$keep" ]; then
	mkdir -p "$keep"
	cp "$tmp/dom0less.dts" "$tmp/dom0less.dtb" "$keep/"
	printf '%q ' "${qemu[@]}" | sed "s|$tmp/|$keep/|g; s/ \$/\\n/" >"$keep/qemu.cmd"
fi

# Xen 4.17 prints a DomU's vPL011 output a line at a time as "(XEN) DOM1:
# text" (guest_loglvl=all lets it through). It buffers the characters and
# prints when the guest writes '\n' or when 126 are buffered, so a chunk of
# exactly 126 bytes is the start of a longer line: join it to the next one.
# The guest's own '\r' characters come through (Linux writes "\r\n"), one
# more '\r' comes from Xen's serial driver (which writes "\r\n" for '\n').
# "(d1) text" is the hypercall console. Anything else is Xen's own (or QEMU's).
vpl011_re='^\(XEN\) DOM[0-9]+: (.*)$'
hvc_re='^\(d[0-9]+\) (.*)$'
vpl011_chunk=126
pending=''
peer_guest_text() {
	if [[ $1 =~ $vpl011_re ]]; then
		text=${BASH_REMATCH[1]}
		if [ ${#text} -eq $vpl011_chunk ]; then
			pending+=$text
			return 2
		fi
		text=$pending$text
		pending=''
	elif [[ $1 =~ $hvc_re ]]; then
		text=${BASH_REMATCH[1]}
	else
		return 1
	fi
}
peer_console_flush() {
	[ -z "$pending" ] || printf '%s\n' "$pending" # a line Xen never finished
}

# shellcheck source=bench/peer-console.sh
source "$here/../peer-console.sh"
peer_console_run
