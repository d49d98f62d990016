# shellcheck shell=bash disable=SC2154 # $logs comes from bench/report.sh
# Sourced by bench/report.sh: kvm_notes prints the KVM column's paragraph.
kvm_notes() {
	local mode=''
	[ -f "$logs/kvm.host.log" ] &&
		mode=$(sed -n 's/.*kvm \[[0-9]*\]: \(.*mode initialized successfully\).*/\1/p' "$logs/kvm.host.log" | head -n 1)
	echo "KVM: Debian's $(cat build/linux/version 2>/dev/null || echo '?') as the host at EL2 on the same"
	echo "QEMU machine (${mode:-mode not seen in \`kvm.host.log\`}), \`bench/kvm/vmm\` (kvmvmm) as the VMM: the"
	echo "in-kernel vGICv3 and arch timer, PSCI by HVC answered by KVM, each vCPU a thread pinned to"
	echo "its own host CPU (host CPU 0 left to the host), the guest's PL011 emulated in kvmvmm. Two"
	echo "vCPUs under icount (Linux's CPUs wait with WFE, so QEMU's icount loop moves on), so its IPI"
	echo "is measured. KVM's column is in ticks and ns: its vPMU counts the guest's EL1/EL0 only, and"
	echo "every guest PMU register access traps to KVM, which would put two traps inside every ticks"
	echo "window, so the benchmark guest runs with \`--no-pmu\` (\`bench/kvm/README.md\`)."
}
