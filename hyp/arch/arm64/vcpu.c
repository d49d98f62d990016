/*
 * Architectural side of a vCPU: the EL2 controls it runs under and its reset
 * state. With one vCPU per physical CPU, nothing here runs on a trap path:
 * the registers are written once when the vCPU (re)starts.
 */
#include <arch/esr.h>
#include <arch/sysregs.h>
#include <arch/vcpu.h>
#include <arch/traps.h>
#include <tessera/cpu.h>
#include <tessera/vm.h>

/*
 * No HCR_EL2.FB: a vCPU never moves to another CPU, so the guest's local TLB
 * and I-cache maintenance is already enough, and forcing it to broadcast
 * would make every guest TLBI reach (and, under QEMU, stall) other VMs' CPUs.
 */
#define HCR_GUEST (HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_BSU_IS | \
		   HCR_TSC | HCR_TIDCP | HCR_TACR | HCR_RW)

void vcpu_arch_enter(struct vcpu *vcpu, u64 entry, u64 x0)
{
	struct guest_regs *regs = vcpu->regs;
	u64 hcr = HCR_GUEST;

	/*
	 * Pointer authentication, where present, runs untrapped (HCR_EL2.API,
	 * APK, D19.2.48: else every PAC instruction and key access traps to
	 * EL2, as hvisor met on Orin): its keys never leave this CPU.
	 */
	if (pauth_implemented(read_sysreg(id_aa64isar1_el1), read_sysreg(ID_AA64ISAR2_EL1)))
		hcr |= HCR_API | HCR_APK;

	*regs = (struct guest_regs){ .elr = entry, .spsr = PSR_MODE_EL1h | PSR_DAIF };
	regs->x[0] = x0;

	write_sysreg(vttbr_el2, vcpu->vm->vttbr);
	write_sysreg(cntvoff_el2, vcpu->vm->cntvoff);
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(vmpidr_el2, VMPIDR_RES1 | vcpu_affinity(vcpu->index));
	write_sysreg(sctlr_el1, SCTLR_EL1_RES1);
	write_sysreg(hcr_el2, hcr);
	isb();
	/* A restarted VM must not see translations from its previous life. */
	__asm__ volatile("tlbi vmalls12e1\n\tic iallu" ::: "memory");
	dsb(nsh);
	isb();
	guest_enter(regs);
}

void inject_undef(struct guest_regs *regs)
{
	u64 mode = regs->spsr & (PSR_MODE_MASK | PSR_MODE_RW);
	u64 offset = mode == PSR_MODE_EL1h ? VECTOR_CURRENT_SPX :
		     mode == PSR_MODE_EL1t ? VECTOR_CURRENT_SP0 :
		     (mode & PSR_MODE_RW) ? VECTOR_LOWER_A32 : VECTOR_LOWER_A64;

	/* D1.10: the exception is taken to EL1h with ESR EC 0, IL set, at the vector. */
	write_sysreg(elr_el1, regs->elr);
	write_sysreg(spsr_el1, regs->spsr);
	write_sysreg(esr_el1, ESR_IL);
	regs->elr = read_sysreg(vbar_el1) + offset;
	regs->spsr = PSR_MODE_EL1h | PSR_DAIF;
}
