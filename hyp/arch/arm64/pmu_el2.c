/*
 * EL2's PMU event counter on a regulated CPU (arch/pmu_el2.h). The guest
 * owns every other counter (el2_init.c), untrapped but for PMCR_EL0.
 * Register sections: DDI 0487 J.a chapter D13 and D19.4 (PMU registers).
 *
 * EL2's counter is reached through PMSELR_EL0/PMXEV*_EL0, as its number is
 * known only at run time; PMSELR_EL0 is the guest's, so it is restored.
 *
 * What QEMU 7.2 does differently (target/arm/helper.c): PMCR_EL0.N reads N,
 * not HPMN, at EL1, and PMCR_EL0.P at EL1 resets every counter; both are
 * answered here by trapping PMCR_EL0 (TPMCR), which also gives hardware's
 * behaviour on hardware. It raises the overflow interrupt only while
 * PMCR_EL0.E is set (see keep_e). It does not make EL2's bits RAZ/WI at EL1
 * in PMCNTEN*, PMINTEN*, PMOVS* or PMSELR-indexed accesses, so a guest can
 * stop or read EL2's counter there; on hardware, at EL1, those bits are
 * RAZ/WI and an indexed access to n >= HPMN is UNDEFINED or CONSTRAINED
 * UNPREDICTABLE. The regulator re-arms the counter every
 * period (core/bwreg.c), so on QEMU such a guest escapes for one period.
 */
#include <arch/pmu_el2.h>
#include <arch/sysregs.h>
#include <tessera/cpu.h>

/* PMEVTYPER<n>_EL0 (D19.4.x): P, U clear = count at EL1 and EL0; NSH clear = not at EL2. */
#define PMEVTYPER_EVENT_MASK 0xffffULL
/* PMCR_EL0 (D19.4.16): E, P (event counter reset, write-only), N [15:11]. */
#define PMCR_E BIT(0)
#define PMCR_P BIT(1)
#define PMCR_N_MASK (0x1fULL << 11)

static struct {
	unsigned int counter; /* EL2's: N-1 */
	bool keep_e;
	bool guest_e; /* the guest's PMCR_EL0.E when keep_e */
} pmu_el2[PLATFORM_MAX_CPUS];

unsigned int pmu_el2_counters(void)
{
	return PMCR_N(read_sysreg(pmcr_el0));
}

/* EL2's counter selected in PMSELR_EL0 for @fn; the guest's selection back after it. */
#define WITH_SELECTED(n, stmt)                           \
	do {                                             \
		u64 sel_ = read_sysreg(pmselr_el0);      \
		write_sysreg(pmselr_el0, (n));           \
		isb();                                   \
		stmt;                                    \
		write_sysreg(pmselr_el0, sel_);          \
		isb();                                   \
	} while (0)

void pmu_el2_reserve(u32 event, bool keep_pmcr_e)
{
	unsigned int cpu = this_cpu()->index, n = pmu_el2_counters() - 1;
	u64 mdcr = read_sysreg(mdcr_el2);

	pmu_el2[cpu].counter = n;
	pmu_el2[cpu].keep_e = keep_pmcr_e;
	pmu_el2[cpu].guest_e = false;
	/*
	 * MDCR_EL2 (D19.3.15): HPMN = n leaves the guest counters [0, n);
	 * HPME enables [n, N); TPMCR traps PMCR_EL0; HLP (FEAT_PMUv3p5, RES0
	 * before) clear: EL2's counter overflows at 32 bits.
	 */
	mdcr &= ~(MDCR_EL2_HPMN_MASK | MDCR_EL2_HLP);
	mdcr |= n | MDCR_EL2_HPME | MDCR_EL2_TPMCR;
	write_sysreg(mdcr_el2, mdcr);
	write_sysreg(pmcntenclr_el0, BIT(n));
	WITH_SELECTED(n, write_sysreg(pmxevtyper_el0, event & PMEVTYPER_EVENT_MASK));
	write_sysreg(pmintenset_el1, BIT(n));
	if (keep_pmcr_e)
		write_sysreg(pmcr_el0, read_sysreg(pmcr_el0) | PMCR_E);
	isb();
}

void pmu_el2_load(u32 budget)
{
	unsigned int n = pmu_el2[this_cpu()->index].counter;

	write_sysreg(pmcntenclr_el0, BIT(n));
	write_sysreg(pmovsclr_el0, BIT(n));
	/* 2^32 - budget: the 32-bit counter overflows on the budget's last event. */
	WITH_SELECTED(n, write_sysreg(pmxevcntr_el0, (u32)(0U - budget)));
	write_sysreg(pmcntenset_el0, BIT(n));
	isb();
}

void pmu_el2_stop(void)
{
	write_sysreg(pmcntenclr_el0, BIT(pmu_el2[this_cpu()->index].counter));
	isb();
}

bool pmu_el2_take_overflow(void)
{
	u64 bit = BIT(pmu_el2[this_cpu()->index].counter);
	bool overflowed = read_sysreg(pmovsset_el0) & bit;

	if (overflowed) {
		write_sysreg(pmovsclr_el0, bit); /* the PMU line drops with it */
		isb();
	}
	return overflowed;
}

u32 pmu_el2_count(void)
{
	u64 v = 0;

	WITH_SELECTED(pmu_el2[this_cpu()->index].counter, v = read_sysreg(pmxevcntr_el0));
	return (u32)v;
}

/* What EL1 reads on hardware (D19.4.16): N is MDCR_EL2.HPMN. */
u64 pmu_el2_guest_pmcr_read(void)
{
	unsigned int cpu = this_cpu()->index;
	u64 v = read_sysreg(pmcr_el0) & ~PMCR_N_MASK;

	v |= (read_sysreg(mdcr_el2) & MDCR_EL2_HPMN_MASK) << 11;
	if (pmu_el2[cpu].keep_e)
		v = (v & ~PMCR_E) | (pmu_el2[cpu].guest_e ? PMCR_E : 0);
	return v;
}

/*
 * A write from EL1: P resets the guest's counters [0, HPMN) only (D19.4.16:
 * at EL1 "event counters reserved for EL2 use are not reset"), which EL2
 * does one by one, as P written from EL2 would reset EL2's too.
 */
void pmu_el2_guest_pmcr_write(u64 v)
{
	unsigned int cpu = this_cpu()->index, n = pmu_el2[cpu].counter;

	if (v & PMCR_P) {
		u64 sel = read_sysreg(pmselr_el0);

		for (unsigned int i = 0; i < n; i++) {
			write_sysreg(pmselr_el0, i);
			isb();
			write_sysreg(pmxevcntr_el0, 0);
		}
		write_sysreg(pmselr_el0, sel);
	}
	v &= ~PMCR_P;
	if (pmu_el2[cpu].keep_e) {
		pmu_el2[cpu].guest_e = v & PMCR_E;
		v |= PMCR_E;
	}
	write_sysreg(pmcr_el0, v);
	isb();
}
