/*
 * Architectural side of a vCPU: the EL2 controls it runs under, its reset
 * state, and the exceptions Tessera injects into it. With one vCPU per
 * physical CPU, the controls are written once when the vCPU (re)starts; an
 * injection writes the guest's EL1 exception registers on its own CPU.
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
	write_sysreg(vmpidr_el2, VMPIDR_RES1 | vcpu->index);
	write_sysreg(sctlr_el1, SCTLR_EL1_RES1);
	write_sysreg(hcr_el2, hcr);
	isb();
	/* A restarted VM must not see translations from its previous life. */
	__asm__ volatile("tlbi vmalls12e1\n\tic iallu" ::: "memory");
	dsb(nsh);
	isb();
	guest_enter(regs);
}

/*
 * PSTATE on taking an exception to EL1h (D1.10, AArch64.TakeException()):
 * D, A, I, F masked; SS, IL, UAO, BTYPE cleared; PAN set when SCTLR_EL1.SPAN
 * is 0 (FEAT_PAN); SSBS from SCTLR_EL1.DSSBS (FEAT_SSBS); TCO set (FEAT_MTE).
 * NZCV, DIT and an already set PAN are kept (from AArch32 EL0, DIT is SPSR
 * bit 21, C5.2.18).
 */
static u64 el1_entry_pstate(u64 spsr)
{
	bool from_a32 = spsr & PSR_MODE_RW;
	u64 sctlr = read_sysreg(sctlr_el1);
	u64 pstate = PSR_MODE_EL1h | PSR_DAIF | (spsr & (PSR_NZCV | PSR_PAN));

	if (spsr & (from_a32 ? PSR_A32_DIT : PSR_DIT))
		pstate |= PSR_DIT;
	if (ID_FIELD(read_sysreg(id_aa64mmfr1_el1), ID_AA64MMFR1_PAN_SHIFT) && !(sctlr & SCTLR_EL1_SPAN))
		pstate |= PSR_PAN;
	if (ID_FIELD(read_sysreg(id_aa64pfr1_el1), ID_AA64PFR1_SSBS_SHIFT) && (sctlr & SCTLR_EL1_DSSBS))
		pstate |= PSR_SSBS;
	if (ID_FIELD(read_sysreg(id_aa64pfr1_el1), ID_AA64PFR1_MTE_SHIFT))
		pstate |= PSR_TCO;
	return pstate;
}

void inject_sync_exception(struct guest_regs *regs, u64 esr, u64 far)
{
	u64 mode = regs->spsr & (PSR_MODE_MASK | PSR_MODE_RW);
	u64 offset = mode == PSR_MODE_EL1h ? VECTOR_CURRENT_SPX :
		     mode == PSR_MODE_EL1t ? VECTOR_CURRENT_SP0 :
		     (mode & PSR_MODE_RW) ? VECTOR_LOWER_A32 : VECTOR_LOWER_A64;

	/* D1.10.2: ELR_EL1 = the instruction, SPSR_EL1 = PSTATE, then the vector for the source. */
	write_sysreg(elr_el1, regs->elr);
	write_sysreg(spsr_el1, regs->spsr);
	write_sysreg(esr_el1, esr);
	write_sysreg(far_el1, far);
	regs->elr = read_sysreg(vbar_el1) + offset;
	regs->spsr = el1_entry_pstate(regs->spsr);
}

void inject_undef(struct guest_regs *regs)
{
	/* EC 0 (unknown reason), IL set; FAR_EL1 is UNKNOWN for it (D19.2.40). */
	inject_sync_exception(regs, ESR_IL, 0);
}

/* The abort hardware gives (esr.c esr_external_abort), at the address the guest used. */
void inject_abort(struct guest_regs *regs, u64 esr_el2)
{
	bool from_el1 = (regs->spsr & (PSR_MODE_RW | GENMASK(3, 2))) == PSR_MODE_EL1t;
	u64 esr = esr_external_abort(esr_el2, from_el1);

	inject_sync_exception(regs, esr, (esr & ESR_xABT_FNV) ? 0 : read_sysreg(far_el2));
}
