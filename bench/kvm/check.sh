#!/usr/bin/env bash
# make kvm-check: does kvmvmm give a guest what KVM and the DT promise?
# Three runs under icount through bench/kvm/run.sh, each judged on the guest's
# own lines (bench/kvm/README.md, "Checks"):
#   testguest   test=selftest with 2 vCPUs: memory, PL011 (PrimeCell IDs),
#               timer, GIC, PSCI all pass, then SYSTEM_OFF stops kvmvmm
#   benchguest  hvc_null, gicd_read and ipi (CPU_ON of vCPU 1, an SGI between
#               the two vCPUs) each give a ticks result
#   linux       Debian's kernel and the guest initramfs reach /init
# Prints "PASS <name>" or "FAIL <name>: <reason>", then "N passed, N failed";
# exit 1 when any failed.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
out=build/kvm/check
mkdir -p "$out"
passed=0 failed=0

pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

# run NAME END RUN-ARGS...: the guest until END; its lines in $out/NAME.log.
run() {
	local name=$1 end=$2
	shift 2
	bash bench/kvm/run.sh --icount --quiet --timeout 300 --expect-end "$end" \
		--log "$out/$name.console.log" "$@" >"$out/$name.log" 2>"$out/$name.err"
}

# A guest line, or its absence, as a failure reason.
has() { grep -qF -- "$2" "$out/$1.log"; }

# kvmvmm says it saw SYSTEM_OFF on the host's console, after the guest's last line:
# "powering off" ends the run at once, so run until QEMU exits instead.
if run testguest "no such line" --kernel build/guests/testguest.bin --bootargs "test=selftest" --cpus 2; then
	fail testguest "the run ended on an impossible line"
elif ! has testguest "testguest: all checks passed"; then
	fail testguest "no 'all checks passed' ($(grep -m1 -E 'FAIL|unexpected' "$out/testguest.log" || echo 'see '"$out/testguest.log"))"
elif ! grep -qF "kvmvmm: guest powered off (PSCI SYSTEM_OFF" "$out/testguest.console.log"; then
	fail testguest "kvmvmm did not report the guest's SYSTEM_OFF ($out/testguest.console.log)"
else
	pass testguest
fi

if ! run benchguest "bench: done" --kernel build/guests/benchguest.bin \
	--bootargs "bench=hvc_null,gicd_read,ipi samples=100" --cpus 2 --no-pmu; then
	fail benchguest "no 'bench: done' ($out/benchguest.err)"
else
	missing=''
	for m in hvc_null gicd_read ipi; do
		has benchguest "bench: result $m ticks n=100 " || missing+=" $m"
	done
	if [ -n "$missing" ]; then
		fail benchguest "no ticks result for:$missing"
	elif ! has benchguest "cpus=2 pmu=none"; then
		fail benchguest "the guest did not see 2 CPUs and no PMU: $(grep -m1 'bench: env' "$out/benchguest.log")"
	else
		pass benchguest
	fi
fi

if run linux "init: reached /init" --kernel build/linux/Image --initrd build/linux/initramfs.cpio.gz \
	--bootargs "console=ttyAMA0 tessera.test=busy tessera.busy=0"; then
	pass linux
else
	fail linux "no 'init: reached /init' ($out/linux.log, $out/linux.err)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
