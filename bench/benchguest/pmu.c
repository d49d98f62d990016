/*
 * Finding and programming the PMU (pmu.h). Natively and under Tessera the
 * guest owns it (Tessera leaves MDCR_EL2.TPM clear and HPMN at PMCR_EL0.N);
 * a hypervisor that traps it either injects an Undefined Instruction
 * exception (caught here) or makes it read as zero (PMCEID0_EL0 = 0, or a
 * counter that does not move): either way the guest falls back to ticks.
 */
#include "exc.h"
#include "pmu.h"

#define PMU_PROBE_LOOPS 64 /* instructions the counter must see move */

static enum pmu_mode mode = PMU_NONE;
static const char *why = "not probed";

static enum pmu_mode none(const char *reason)
{
	why = reason;
	mode = PMU_NONE;
	return mode;
}

/* Reads PMCR_EL0 with an exception catch armed: false when the read is UNDEFINED (trapped). */
static bool pmcr_readable(u64 *pmcr)
{
	struct exc_caught exc;
	u64 v = 0;

	exc_catch_arm();
	__asm__ volatile("mrs %0, pmcr_el0" : "+r"(v) : : "memory");
	exc = exc_catch_disarm();
	*pmcr = v;
	return !exc.taken;
}

/* The counter moves over a short loop: a counter that reads as zero (RAZ/WI) does not. */
static bool counter_moves(void)
{
	u32 before = (u32)read_sysreg(pmevcntr0_el0), after;

	for (unsigned int i = 0; i < PMU_PROBE_LOOPS; i++)
		__asm__ volatile("" : : : "memory");
	isb();
	after = (u32)read_sysreg(pmevcntr0_el0);
	return after != before;
}

enum pmu_mode pmu_init(void)
{
	u64 ver = (read_sysreg(id_aa64dfr0_el1) >> ID_AA64DFR0_PMUVER_SHIFT) &
		  ID_AA64DFR0_PMUVER_MASK;
	u64 pmcr, ceid, event;

	if (ver == 0 || ver == ID_AA64DFR0_PMUVER_IMPDEF)
		return none("ID_AA64DFR0_EL1.PMUVer says there is no PMUv3");
	if (!pmcr_readable(&pmcr))
		return none("PMU registers are trapped (reading PMCR_EL0 is UNDEFINED)");
	ceid = read_sysreg(pmceid0_el0);
	if (ceid & SR_BIT(PMU_EVENT_INST_RETIRED))
		event = PMU_EVENT_INST_RETIRED;
	else if (ceid & SR_BIT(PMU_EVENT_CPU_CYCLES))
		event = PMU_EVENT_CPU_CYCLES;
	else
		return none("PMCEID0_EL0 has neither INST_RETIRED nor CPU_CYCLES");

	/* Counter 0 alone, no overflow interrupts, counting at EL1 and EL2 (not EL0). */
	write_sysreg(pmcntenclr_el0, 0xffffffffULL);
	write_sysreg(pmintenclr_el1, 0xffffffffULL);
	write_sysreg(pmevtyper0_el0, event | PMEVTYPER_U | PMEVTYPER_NSH);
	write_sysreg(pmcr_el0, pmcr | PMCR_E | PMCR_P);
	write_sysreg(pmcntenset_el0, 1);
	isb();
	if (!counter_moves())
		return none("the PMU event counter does not count (read as zero?)");
	why = NULL;
	mode = event == PMU_EVENT_INST_RETIRED ? PMU_INST : PMU_CYCLES;
	return mode;
}

enum pmu_mode pmu_mode(void)
{
	return mode;
}

const char *pmu_why(void)
{
	return why;
}

const char *pmu_name(void)
{
	return mode == PMU_INST ? "inst" : mode == PMU_CYCLES ? "cycles" : "none";
}

const char *pmu_unit(void)
{
	return mode == PMU_CYCLES ? "cycles" : "instr";
}
