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
#include <arch/spectre_bhb.h>
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

/*
 * CPTR_EL2 (D19.2.31): FP/SIMD not trapped (guests own it); SVE and SME
 * trapped (the RES1 value sets TZ and TSM); the activity monitors and the
 * trace unit's System registers trapped where they exist (TAM, TTA: RES0
 * otherwise). The guest reads all four as absent (id_regs.c), and an
 * access anyway becomes an Undefined Instruction, as on a CPU without them.
 */
static u64 cptr_value(u64 pfr0, u64 dfr0)
{
	u64 cptr = CPTR_EL2_RES1;

	if (ID_FIELD(pfr0, ID_AA64PFR0_AMU))
		cptr |= CPTR_EL2_TAM;
	if (ID_FIELD(dfr0, ID_AA64DFR0_TRACEVER))
		cptr |= CPTR_EL2_TTA;
	return cptr;
}

/*
 * MDCR_EL2 (D19.3.15). The guest owns every PMU counter (HPMN = PMCR_EL0.N):
 * its vCPU is alone on this CPU, so there is nothing to switch, and Linux's
 * perf probe (PMCR_EL0.N, PMCEID*) sees the hardware; hence no TPM/TPMCR,
 * which KVM sets only because it shares the PMU with the host. What the
 * counters must not see is EL2: HPMD (FEAT_PMUv3p1) stops the event
 * counters and HCCD (FEAT_PMUv3p5) the cycle counter counting while
 * Tessera runs. Debug registers stay the guest's too (TDA, TDOSA, TDRA
 * clear: no debug exception targets EL2 while TDE = 0, D2.x). Statistical
 * profiling and trace filtering, hidden from the guest (id_regs.c), trap
 * where they exist (TPMS, TTRF); the profiling and trace buffers already
 * do (E2PB = E2TB = 0: owned by EL2, EL1 access trapped). A CPU with a
 * bandwidth budget then takes the last counter for EL2 (pmu_el2.c).
 */
static u64 mdcr_value(u64 dfr0)
{
	u64 pmuver = ID_FIELD(dfr0, ID_AA64DFR0_PMUVER);
	u64 mdcr = PMCR_N(read_sysreg(pmcr_el0)) & MDCR_EL2_HPMN_MASK;

	if (pmuver != ID_AA64DFR0_PMUVER_IMPDEF && pmuver >= ID_AA64DFR0_PMUVER_3P1)
		mdcr |= MDCR_EL2_HPMD;
	if (pmuver != ID_AA64DFR0_PMUVER_IMPDEF && pmuver >= ID_AA64DFR0_PMUVER_3P5)
		mdcr |= MDCR_EL2_HCCD;
	if (ID_FIELD(dfr0, ID_AA64DFR0_PMSVER))
		mdcr |= MDCR_EL2_TPMS;
	if (ID_FIELD(dfr0, ID_AA64DFR0_TRACEFILT))
		mdcr |= MDCR_EL2_TTRF;
	return mdcr;
}

/* The EL2 vector tables of vectors.S, one per Spectre-BHB mitigation. */
extern const char hyp_vectors[], hyp_vectors_clrbhb[], hyp_vectors_bhb_loop8[],
	hyp_vectors_bhb_loop24[], hyp_vectors_bhb_loop32[], hyp_vectors_bhb_loop38[],
	hyp_vectors_bhb_loop132[];

/* This CPU's mitigation (spectre_bhb.c), chosen once per entry: its vector table. */
static void install_vectors(u64 pfr0)
{
	const char *const tables[BHB_MITIGATION_COUNT] = {
		[BHB_NONE] = hyp_vectors,
		[BHB_CLRBHB] = hyp_vectors_clrbhb,
		[BHB_LOOP_8] = hyp_vectors_bhb_loop8,
		[BHB_LOOP_24] = hyp_vectors_bhb_loop24,
		[BHB_LOOP_32] = hyp_vectors_bhb_loop32,
		[BHB_LOOP_38] = hyp_vectors_bhb_loop38,
		[BHB_LOOP_132] = hyp_vectors_bhb_loop132,
	};
	u64 midr = read_sysreg(midr_el1);
	enum bhb_mitigation m = spectre_bhb_choose(midr, pfr0, read_sysreg(id_aa64mmfr1_el1),
						   read_sysreg(ID_AA64ISAR2_EL1));

	write_sysreg(vbar_el2, (u64)(uintptr_t)tables[m]);
	isb();
	if (this_cpu()->index == 0)
		printk("tessera: Spectre-BHB at EL2 (MIDR 0x%llx): %s\n", (unsigned long long)midr,
		       spectre_bhb_name(m));
}

void cpu_init_el2(void)
{
	u64 pa_range = read_sysreg(id_aa64mmfr0_el1) & ID_AA64MMFR0_PARANGE_MASK;
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1), dfr0 = read_sysreg(id_aa64dfr0_el1);

	take_pending_serror();
	install_vectors(pfr0);
	write_sysreg(cptr_el2, cptr_value(pfr0, dfr0));
	write_sysreg(mdcr_el2, mdcr_value(dfr0));
	write_sysreg(hstr_el2, 0); /* no AArch32 CP15 traps: HCR_EL2.RW = 1 anyway */
	/*
	 * EL1 owns the physical counter and the EL1 physical timer, untrapped
	 * (D19.12.4, E2H = 0): with one vCPU per CPU the timer is its guest's,
	 * and its PPI is forwarded as the virtual timer's is (core/irq.c).
	 * Tessera keeps the EL2 physical timer (CNTHP) for itself: the EL2 timer
	 * service (core/el2_timer.c) arms it; firmware may restore either enabled.
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
