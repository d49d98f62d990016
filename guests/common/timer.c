/*
 * Virtual timer, polled or by interrupt: CNTFRQ_EL0 (DDI 0487 J.a D19.12.1), CNTV_CTL_EL0
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

/* @ticks * @unit / frequency without overflowing for any count that fits 64 bits / @unit. */
static u64 ticks_scale(u64 ticks, u64 unit)
{
	u64 freq = timer_freq();

	return freq ? ticks / freq * unit + ticks % freq * unit / freq : 0;
}

u64 timer_ticks_to_ns(u64 ticks)
{
	return ticks_scale(ticks, 1000000000ULL);
}

u64 timer_ticks_to_us(u64 ticks)
{
	return ticks_scale(ticks, 1000000ULL);
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

void timer_irq_start(u64 deadline)
{
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntv_cval_el0, deadline);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
}

void timer_irq_next(u64 deadline)
{
	write_sysreg(cntv_cval_el0, deadline);
	/* Enabled and unmasked again: a hypervisor (Xen) may set IMASK when it forwards the interrupt. */
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb(); /* the condition (and the PPI) follows the new value before we end the interrupt */
}

bool timer_irq_pending(void)
{
	return read_sysreg(cntv_ctl_el0) & CNTV_CTL_ISTATUS;
}

void timer_stop(void)
{
	write_sysreg(cntv_ctl_el0, 0);
	isb();
}
