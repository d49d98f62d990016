/* The EL1 virtual timer, polled (no interrupt controller yet). */
#ifndef TESTGUEST_TIMER_H
#define TESTGUEST_TIMER_H

#include "guest.h"

u64 timer_freq(void);  /* CNTFRQ_EL0, Hz */
u64 timer_count(void); /* CNTVCT_EL0 */

/* Ticks in @us microseconds at the counter frequency. */
u64 timer_us_to_ticks(u64 us);

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

#endif
