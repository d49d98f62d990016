/*
 * What each vCPU of the benchmark guest stamps while it handles an
 * interrupt, reached through TPIDR_EL1 (DDI 0487 J.a D19.2): the IRQ vector
 * (stamp.S) reads the counters first thing, the after-EOI hook reads them
 * again just after ICC_EOIR1_EL1.
 * Included from assembly: only the offsets there.
 */
#ifndef BENCH_PERCPU_H
#define BENCH_PERCPU_H

#define CPU_ENTRY_PMU 0 /* offsetof(struct bench_cpu, entry_pmu), for stamp.S */

#ifndef __ASSEMBLY__
#include <stddef.h>

#include "guest.h"

struct bench_cpu {
	u64 entry_pmu;   /* PMU event counter, third instruction of the IRQ vector */
	u64 entry_ticks; /* CNTVCT_EL0, the instruction after (stored together: stp) */
	u64 eoi_pmu;     /* both again just after the EOI (irq_set_after_eoi) */
	u64 eoi_ticks;
	volatile u32 taken; /* interrupts its handlers counted; the measuring code clears it */
};

_Static_assert(offsetof(struct bench_cpu, entry_pmu) == CPU_ENTRY_PMU, "stamp.S");
_Static_assert(offsetof(struct bench_cpu, entry_ticks) == CPU_ENTRY_PMU + 8, "stamp.S: stp");

/* Makes @c the calling CPU's (TPIDR_EL1) and installs the vector table that stamps it. */
void percpu_init(struct bench_cpu *c);

/* The calling CPU's struct bench_cpu. */
struct bench_cpu *this_cpu(void);

/* The after-EOI hook (irq.h): stamps eoi_pmu and eoi_ticks. */
void percpu_after_eoi(u32 intid);
#endif

#endif
