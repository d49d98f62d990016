/*
 * A measured window: the inline assembly around the operation under test.
 *
 *     isb; mrs t0, CNTVCT_EL0; <pmu p0>; isb
 *     <the operation>
 *     isb; <pmu p1>; isb; mrs t1, CNTVCT_EL0
 *
 * The PMU reads sit inside the tick reads; <pmu> is "mrs, PMEVCNTR0_EL0" or,
 * without a usable PMU, "mov, xzr" (the read could be UNDEFINED): each
 * measurement is compiled twice (WINDOW_PMU, WINDOW_NOPMU) and picks one
 * outside the window. The ISBs keep the counter reads in program order on
 * real hardware; under QEMU each is one more instruction in every window
 * (pmu_window in the env line is an empty window's count).
 */
#ifndef BENCH_WINDOW_H
#define BENCH_WINDOW_H

#include "guest.h"

struct window {
	u64 t0, t1; /* CNTVCT_EL0 */
	u64 p0, p1; /* PMU event counter (32 bits) */
};

#define WINDOW_PMU(op) "mrs %[" op "], pmevcntr0_el0\n\t"
#define WINDOW_NOPMU(op) "mov %[" op "], xzr\n\t"

#define WINDOW_OPEN(rd) "isb\n\tmrs %[t0], cntvct_el0\n\t" rd("p0") "isb\n\t"
#define WINDOW_CLOSE(rd) "isb\n\t" rd("p1") "isb\n\tmrs %[t1], cntvct_el0\n\t"
#define WINDOW_OUT(w) [t0] "=&r"((w)->t0), [t1] "=&r"((w)->t1), [p0] "=&r"((w)->p0), \
		      [p1] "=&r"((w)->p1)

/* The PMU count of an empty window (the smallest of a few): what every window adds. */
u32 window_empty_pmu(void);

static inline u32 window_pmu(const struct window *w)
{
	return (u32)w->p1 - (u32)w->p0;
}

static inline u32 window_ticks(const struct window *w)
{
	return (u32)(w->t1 - w->t0);
}

/*
 * A batch: BATCH_OPS copies of the operation back to back (.rept, no loop)
 * between two CNTVCT_EL0 reads, for the unit "ns" (per operation):
 *
 *     isb; mrs t0, CNTVCT_EL0; isb
 *     <the operation> x BATCH_OPS
 *     isb; mrs t1, CNTVCT_EL0
 *
 * The counter alone sees everything that runs, the hypervisor included (its
 * PMU counters may stop at EL2: MDCR_EL2.HPMD), but only to a tick (16 ns,
 * 16 instructions under icount); over a batch that is a tick / BATCH_OPS per
 * operation, under 0.07 ns. The window's own ISBs add about 3 / BATCH_OPS.
 */
#define BATCH_OPS 256
#define BATCH_REPT_(n) ".rept " #n "\n\t"
#define BATCH_REPT(n) BATCH_REPT_(n)
#define BATCH_WINDOW(op)                                                                    \
	"isb\n\tmrs %[t0], cntvct_el0\n\tisb\n\t" BATCH_REPT(BATCH_OPS) op "\n\t.endr\n\t" \
	"isb\n\tmrs %[t1], cntvct_el0\n\t"
#define BATCH_OUT(w) [t0] "=&r"((w)->t0), [t1] "=&r"((w)->t1)

/* Batches per metric: one per 16 samples, at least one (a batch is BATCH_OPS operations). */
static inline u32 batch_count(u32 samples)
{
	return (samples + 15) / 16;
}

/* A batch's ticks as nanoseconds (CNTFRQ_EL0), the sample report() divides by BATCH_OPS. */
u32 batch_ns(const struct window *w);

#endif
