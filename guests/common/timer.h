/*
 * The EL1 virtual timer: polled (timer_wait_until) or by interrupt through
 * the GIC (timer_irq_*, with the PPI the DT names; rt.c).
 */
#ifndef GUEST_TIMER_H
#define GUEST_TIMER_H

#include "guest.h"

u64 timer_freq(void);  /* CNTFRQ_EL0, Hz */
u64 timer_count(void); /* CNTVCT_EL0 */

/* Ticks in @us microseconds at the counter frequency. */
u64 timer_us_to_ticks(u64 us);
/* Counter ticks as nanoseconds / microseconds, rounded down. */
u64 timer_ticks_to_ns(u64 ticks);
u64 timer_ticks_to_us(u64 ticks);

enum timer_wait {
	TIMER_FIRED, /* ISTATUS set, at or after the deadline */
	TIMER_EARLY, /* ISTATUS set while the counter was still below it */
	TIMER_LATE,  /* not set by @deadline + @grace */
};

/*
 * Programs CNTV_CVAL_EL0 = @deadline with CNTV_CTL_EL0 = ENABLE | IMASK and
 * polls ISTATUS. @seen gets the count read just after ISTATUS was seen set.
 * The timer is left disabled.
 */
enum timer_wait timer_wait_until(u64 deadline, u64 grace, u64 *seen);

/* CNTV_CVAL_EL0 = @deadline, CNTV_CTL_EL0 = ENABLE with IMASK clear: the PPI asserts at it. */
void timer_irq_start(u64 deadline);
/* Moves the deadline of a started timer; a future one deasserts the PPI. */
void timer_irq_next(u64 deadline);
/* CNTV_CTL_EL0.ISTATUS: the deadline has passed (the timer condition is met). */
bool timer_irq_pending(void);
/* CNTV_CTL_EL0 = 0. */
void timer_stop(void);

#endif
