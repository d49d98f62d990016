/*
 * EL2's own PMU event counter on a regulated CPU (pmu_el2.c): the highest
 * one, split off from the guest's by MDCR_EL2.HPMN (DDI 0487 J.a chapter D13,
 * "The Performance Monitors Extension": counters [HPMN, N) are EL2's, enabled
 * by MDCR_EL2.HPME, not by PMCR_EL0.E; D19.3.15 MDCR_EL2). Used by core/bwreg.c.
 */
#ifndef ARCH_PMU_EL2_H
#define ARCH_PMU_EL2_H

#include <tessera/types.h>

/* Event counters this CPU implements (PMCR_EL0.N read at EL2). */
unsigned int pmu_el2_counters(void);
/*
 * Counter N-1 becomes EL2's on this CPU: HPMN = N-1, HPME, counting @event
 * at EL1 and EL0 only, its overflow interrupt enabled; PMCR_EL0 traps
 * (TPMCR) so the guest sees N-1 counters and cannot reset EL2's.
 * @keep_pmcr_e: QEMU gates every overflow interrupt by PMCR_EL0.E, so it is
 * kept set and the guest's E is a shadow (platform_pmu.c).
 */
void pmu_el2_reserve(u32 event, bool keep_pmcr_e);
/* Stopped, overflow cleared, preloaded to overflow after @budget events, counting. */
void pmu_el2_load(u32 budget);
/* Stopped. */
void pmu_el2_stop(void);
/* Its overflow flag, cleared: true when it had overflowed. */
bool pmu_el2_take_overflow(void);
/* Its value: after an overflow, the events counted past it. */
u32 pmu_el2_count(void);
/* The guest's PMCR_EL0, trapped on a regulated CPU (sysreg_trap.c). */
u64 pmu_el2_guest_pmcr_read(void);
void pmu_el2_guest_pmcr_write(u64 v);

#endif
