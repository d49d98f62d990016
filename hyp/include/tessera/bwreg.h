/*
 * Memory-bandwidth regulation, MemGuard-style (core/bwreg.c): each CPU of a
 * VM with bandwidth-budget = <events period-us> may cause that many PMU
 * events (the platform's, platform_pmu.c) per period. One PMU event counter,
 * reserved for EL2 (arch/pmu_el2.h), is preloaded to overflow after the
 * budget; its overflow interrupt, taken at EL2, holds the vCPU out of the
 * guest until the next period, when this CPU's EL2 timer (el2_timer.h)
 * refills the budget. A held CPU still serves EL2's work (messages: a stop
 * or restart parks it, which ends the hold). Unregulated CPUs are never
 * touched: no PMU change, no timer, nothing on their trap paths.
 */
#ifndef TESSERA_BWREG_H
#define TESSERA_BWREG_H

#include <tessera/el2_timer.h>
#include <tessera/types.h>

/* Period bounds (config check): below 100 us the overflow latency and the regulator's own cost dominate. */
#define BWREG_PERIOD_MIN_US 100U
#define BWREG_PERIOD_MAX_US 1000000U

enum bwreg_state {
	BWREG_OFF,     /* not regulating: vCPU parked, or an unregulated CPU */
	BWREG_RUNNING, /* budget left in this period */
	BWREG_HELD,    /* budget spent: the vCPU waits at EL2 for the next period */
};

/* One CPU's regulator: written only by its own CPU. */
struct bwreg {
	enum bwreg_state state;
	u32 budget;         /* events per period */
	u64 period;         /* counter ticks (el2_timer_now) */
	u32 next_budget;    /* bwreg_set_budget(): from the next period on */
	u64 next_period;
	u64 period_end;     /* the current period's end, the timer's deadline */
	bool ppi_masked;    /* a guest overflow kept the line up: masked until the next period */
	u32 loaded;         /* events the counter was loaded with this period */
	struct el2_timer timer;
	struct el2_timer nudge; /* QEMU only: see bwreg.c nudge_arm() */
	/* Statistics. */
	u64 periods, holds, debts, irqs;
};

/*
 * The state machine, on this CPU, at counter time @now (host-tested).
 * bwreg_start: a period begins with the full budget (the vCPU enters).
 * bwreg_overflow: the EL2 counter overflowed: true when the vCPU must now be
 * held (false when not running, or when the period already ended: the
 * pending timer refills).
 * bwreg_period: the period timer: the next period (periods missed are
 * skipped, not owed), its budget less any overflow whose interrupt was not
 * taken (the events past the budget are owed); true when it starts held.
 * bwreg_stop: off, counter stopped, timer cancelled.
 * bwreg_set_budget: takes effect at the next period.
 */
void bwreg_init(struct bwreg *r, u32 budget, u64 period);
void bwreg_start(struct bwreg *r, u64 now);
bool bwreg_overflow(struct bwreg *r, u64 now);
bool bwreg_period(struct bwreg *r, u64 now);
void bwreg_stop(struct bwreg *r);
void bwreg_set_budget(struct bwreg *r, u32 budget, u64 period);

/* This CPU, from cpu_main (every entry): regulated when its VM has a budget; the PMU partitioned. */
void bwreg_cpu_init(void);
/* Its vCPU enters (vcpu_try_start) / parks (cpu_park): the regulator starts / stops. No-op unregulated. */
void bwreg_vcpu_start(void);
void bwreg_cpu_park(void);
/* The PMU's PPI (irq_handle): true when @intid is it. May hold the vCPU before returning. */
bool bwreg_irq(u32 intid);
/* This CPU's regulator, or NULL when unregulated (statistics, tests). */
struct bwreg *bwreg_this_cpu(void);

#endif
