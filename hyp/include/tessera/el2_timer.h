/*
 * Deadlines at EL2, multiplexed over each CPU's EL2 physical timer (CNTHP,
 * Arm DDI 0487 J.a D11 "The Generic Timer", D19.12.10-12 CNTHP_CTL/CVAL_EL2),
 * which Tessera keeps for itself (el2_init.c). A client owns a static
 * struct el2_timer (no allocation): arming it puts it on the arming CPU's
 * list, and that CPU's CNTHP interrupt calls it back at or after the deadline.
 *
 * A callback is a hint, not a promise: it runs without the service's lock,
 * from the timer interrupt, and may race with a re-arm or cancel on another
 * CPU, so it checks its own state against el2_timer_now() (bpmp.c, vwdt.c).
 */
#ifndef TESSERA_EL2_TIMER_H
#define TESSERA_EL2_TIMER_H

#include <tessera/platform.h>
#include <tessera/types.h>

struct el2_timer {
	void (*fire)(struct el2_timer *timer); /* from the interrupt, no service lock held */
	/* The service's, under its lock. */
	u64 deadline;
	int cpu; /* the CPU whose list holds it; -1 when not armed */
	struct el2_timer *next;
};

#define EL2_TIMER_INIT(fn) ((struct el2_timer){ .fire = (fn), .cpu = -1 })

/* Boot CPU, before any timer is armed: the PPI (the platform's hyp timer). */
void el2_timer_init(const struct platform *plat);
/* Each CPU: its CNTHP off, its PPI enabled. */
void el2_timer_cpu_init(void);
/* The system counter (CNTPCT_EL0), the timebase of every deadline. */
u64 el2_timer_now(void);
/* Arms @timer on this CPU at counter value @deadline, moving it from wherever it was. */
void el2_timer_arm(struct el2_timer *timer, u64 deadline);
/* Disarms @timer: true when it was armed. A callback already taken may still run. */
bool el2_timer_cancel(struct el2_timer *timer);
/* The CNTHP interrupt: true when @intid is it (expired timers called back). */
bool el2_timer_irq(u32 intid);

#endif
