/*
 * The PMU as the benchmark uses it: event counter 0 counting INST_RETIRED
 * (or CPU_CYCLES when that event is missing) at EL1 and at EL2, so that a
 * hypervisor's instructions on the measured path count too. Registers:
 * Arm ARM DDI 0487 J.a, chapter D19 "Performance Monitors registers"
 * (PMCR_EL0, PMCEID0_EL0, PMEVTYPER<n>_EL0, PMEVCNTR<n>_EL0, PMCNTENSET_EL0,
 * PMCNTENCLR_EL0, PMINTENCLR_EL1) and ID_AA64DFR0_EL1 (D19.2); event numbers
 * from the common event list of chapter D11 "The Performance Monitors Extension".
 */
#ifndef BENCH_PMU_H
#define BENCH_PMU_H

#include "guest.h"
#include "sysreg.h"

enum pmu_mode {
	PMU_NONE,   /* no usable PMU: figures in ticks only */
	PMU_INST,   /* event 0x08 INST_RETIRED */
	PMU_CYCLES, /* event 0x11 CPU_CYCLES (under QEMU TCG without icount: ns) */
};

/* ID_AA64DFR0_EL1.PMUVer, bits [11:8]: 0 = no PMU, 0xf = IMPLEMENTATION DEFINED (not PMUv3). */
#define ID_AA64DFR0_PMUVER_SHIFT 8
#define ID_AA64DFR0_PMUVER_MASK 0xfULL
#define ID_AA64DFR0_PMUVER_IMPDEF 0xfULL

/* PMCR_EL0. */
#define PMCR_E SR_BIT(0) /* enable the counters */
#define PMCR_P SR_BIT(1) /* reset the event counters (writes only) */

/* Common events (D11, "Common event numbers"); PMCEID0_EL0 bit n = event n is implemented. */
#define PMU_EVENT_INST_RETIRED 0x08
#define PMU_EVENT_CPU_CYCLES 0x11

/* PMEVTYPER<n>_EL0 filters: P (31) = not at EL1, U (30) = not at EL0, NSH (27) = at EL2 too. */
#define PMEVTYPER_P SR_BIT(31)
#define PMEVTYPER_U SR_BIT(30)
#define PMEVTYPER_NSH SR_BIT(27)

/* Finds and programs the counter; pmu_why() says why when the result is PMU_NONE. */
enum pmu_mode pmu_init(void);
enum pmu_mode pmu_mode(void);
const char *pmu_why(void);

/* "inst", "cycles" or "none" (the env line) and the unit of PMU results: "instr" or "cycles". */
const char *pmu_name(void);
const char *pmu_unit(void);

/* The event counter (32 bits), 0 without a usable PMU. */
static inline u32 pmu_read(void)
{
	return pmu_mode() != PMU_NONE ? (u32)read_sysreg(pmevcntr0_el0) : 0;
}

#endif
