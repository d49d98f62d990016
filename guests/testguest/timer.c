/*
 * Virtual timer by polling: CNTFRQ_EL0 (DDI 0487 J.a D19.12.1), CNTV_CTL_EL0
 * (D19.12.25), CNTV_CVAL_EL0 (D19.12.26), CNTVCT_EL0 (D19.12.29).
 */
#include "sysreg.h"
#include "timer.h"

u64 timer_freq(void)
{
	return read_sysreg(cntfrq_el0) & 0xffffffffULL;
}

u64 timer_count(void)
{
	isb(); /* no reading the counter ahead of earlier instructions */
	return read_sysreg(cntvct_el0);
}

u64 timer_us_to_ticks(u64 us)
{
	return timer_freq() / 1000000 * us + timer_freq() % 1000000 * us / 1000000;
}

enum timer_wait timer_wait_until(u64 deadline, u64 grace, u64 *seen)
{
	enum timer_wait result = TIMER_LATE;
	u64 now;

	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntv_cval_el0, deadline);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE | CNTV_CTL_IMASK);
	isb();
	for (;;) {
		u64 ctl = read_sysreg(cntv_ctl_el0);

		/* The count is read after ISTATUS: a count below the deadline proves it early. */
		now = timer_count();
		if (ctl & CNTV_CTL_ISTATUS) {
			result = now >= deadline ? TIMER_FIRED : TIMER_EARLY;
			break;
		}
		if (now > deadline + grace)
			break;
	}
	write_sysreg(cntv_ctl_el0, 0);
	isb();
	if (seen)
		*seen = now;
	return result;
}
