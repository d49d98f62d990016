/*
 * This CPU's EL2 state, rebuilt in full on every entry: the cold boot and
 * every PSCI warm entry (CPU_ON; CPU_SUSPEND powerdown would return the same
 * way), where EL2 state is lost (DEN 0022 6.4.3; Tegra234's TF-A keeps only
 * CNTHP_CTL_EL2). el2_entry.S has already set HCR_EL2, SCTLR_EL2, SPSel and
 * VBAR_EL2, and head.S the translation registers (MAIR, TCR, TTBR0_EL2);
 * gic_cpu_init() sets ICC_SRE_EL2 and the ICH_* registers. Everything else
 * Tessera relies on is here, so no register keeps a value from a previous
 * life of the CPU. Register sections: DDI 0487, chapter D19.
 */
#include <arch/sysregs.h>
#include <arch/vcpu.h>
#include <tessera/console.h>
#include <tessera/cpu.h>
#include <tessera/mmu.h>

static void __noreturn halt(void)
{
	for (;;)
		wfe();
}

/*
 * An SError already pending when Tessera takes a CPU (ISR_EL1.A) belongs to
 * no VM: firmware left it (the Xen port on Orin met a stale CCPMU error
 * record from MB2). Left masked, it would be taken at the first guest entry
 * and stop that guest for an error it did not make. So it is taken here, at
 * EL2, by unmasking PSTATE.A: hyp_fault() prints ESR_EL2 (AET says how bad)
 * and halts this CPU. docs/architecture.md, "Errors (RAS)".
 */
static void take_pending_serror(void)
{
	if (!(read_sysreg(isr_el1) & ISR_EL1_A))
		return;
	printk("tessera: CPU %u: an SError was pending when Tessera took this CPU (left by firmware); "
	       "taking it at EL2 to report it\n", this_cpu()->index);
	__asm__ volatile("msr daifclr, #4\n\tisb" ::: "memory");
	/* Not taken: the CPU cannot say what it was, and nothing trusts it now. */
	printk("tessera: CPU %u: the pending SError was not taken; CPU halted\n", this_cpu()->index);
	halt();
}

void cpu_init_el2(void)
{
	u64 pa_range = read_sysreg(id_aa64mmfr0_el1) & ID_AA64MMFR0_PARANGE_MASK;

	take_pending_serror();
	write_sysreg(cptr_el2, CPTR_EL2_RES1); /* FP/SIMD not trapped: guests own it */
	write_sysreg(mdcr_el2, PMCR_N(read_sysreg(pmcr_el0)) & MDCR_EL2_HPMN_MASK);
	write_sysreg(hstr_el2, 0); /* no AArch32 CP15 traps: HCR_EL2.RW = 1 anyway */
	/*
	 * EL1 owns the physical counter and the EL1 physical timer, untrapped
	 * (D19.12.4, E2H = 0): with one vCPU per CPU the timer is its guest's,
	 * and its PPI is forwarded as the virtual timer's is (core/irq.c).
	 * Tessera keeps the EL2 physical timer (CNTHP) for itself and does not
	 * use it; firmware may restore either enabled.
	 */
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(cntp_ctl_el0, 0);
	write_sysreg(cnthp_ctl_el2, 0);
	write_sysreg(vtcr_el2, VTCR_RES1 | VTCR_T0SZ(PT_T0SZ) | VTCR_SL0_L1 | VTCR_IRGN0_WBWA |
				       VTCR_ORGN0_WBWA | VTCR_SH0_INNER | VTCR_TG0_4K |
				       pa_range << VTCR_PS_SHIFT);
	write_sysreg(vttbr_el2, 0); /* no stage 2 until a vCPU starts here */
	write_sysreg(hcr_el2, HCR_RW);
	isb();
	/*
	 * From here an SError while EL2 runs (booting, parked) is taken at once
	 * and reported with its syndrome (hyp_fault), never deferred to the next
	 * guest entry. Traps from a guest mask it again on entry (D1.3.3), so an
	 * error still in flight from the guest is taken when it resumes: its VM's.
	 */
	__asm__ volatile("msr daifclr, #4" ::: "memory");
}
