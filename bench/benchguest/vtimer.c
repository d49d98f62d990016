/*
 * timer_to_handler and timer_to_eoi: the EL1 virtual timer (CNTV_*_EL0,
 * DDI 0487 J.a D19.12) by interrupt. One sample:
 *
 *   CNTV_CVAL_EL0 = now + 20 us; CNTV_CTL_EL0 = ENABLE (IMASK clear)
 *   isb; mrs t0, CNTVCT_EL0; <pmu p0>; wfi          IRQs masked (PSTATE.I)
 *   msr daifclr, #2; isb; msr daifset, #2          the IRQ is taken here
 *
 * The IRQ vector (stamp.S) reads the PMU and CNTVCT_EL0 first thing; the
 * handler disables the timer (the level PPI drops before the EOI), the
 * common code writes ICC_EOIR1_EL1 and the hook reads both again.
 *
 *   timer_to_handler: ticks = CNTVCT at the vector - CVAL; PMU = at the vector - p0
 *   timer_to_eoi:     the same with the reads just after the EOI
 *
 * p0 is read before the deadline (a sample whose t0 is not below CVAL, or
 * whose WFI woke without the interrupt, is taken again) and nothing retires
 * in WFI, so the PMU count is the path from the deadline: the WFI, whatever
 * the hypervisor runs, the two unmasking instructions, the vector's first two.
 *
 * Sample i runs d = i % 16 NOPs between the WFI and the unmasking (a
 * dither; the PMU figures leave them out). The deadline is a tick edge, so a
 * sample's ticks are floor((P + d) / 16) under icount for a path of P
 * instructions, and 16 consecutive samples, d = 0..15, add up to exactly P
 * (Hermite's identity): the unit "ns" is such a group's ticks as ns / 16,
 * the whole path, the hypervisor's included, to the instruction under icount.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "gic.h"
#include "irq.h"
#include "percpu.h"
#include "pmu.h"
#include "report.h"
#include "timer.h"
#include "window.h"

#define TIMER_LEAD_US 20        /* deadline ahead of the WFI */
#define TIMER_GIVE_UP_US 1000000 /* an interrupt that does not come */

#define TIMER_DITHER 16 /* samples per "ns" group: one tick is 16 instructions under icount */

#define TIMER_WAIT(rd, d, tv, pv)                                                        \
	__asm__ volatile("isb\n\tmrs %[t0], cntvct_el0\n\t" rd("p0")                      \
			 "wfi\n\t.rept " #d "\n\tnop\n\t.endr\n\t"                          \
			 "msr daifclr, #2\n\tisb\n\tmsr daifset, #2"                      \
			 : [t0] "=&r"(tv), [p0] "=&r"(pv)                                  \
			 :                                                                \
			 : "memory")
#define TIMER_WAIT_CASE(d)                                                               \
	case d:                                                                          \
		if (pmu)                                                                 \
			TIMER_WAIT(WINDOW_PMU, d, *t0, *p0);                              \
		else                                                                     \
			TIMER_WAIT(WINDOW_NOPMU, d, *t0, *p0);                            \
		break

/* The wait with @d NOPs after the WFI: .rept needs a constant, hence a case each. */
static void timer_wait(u32 d, bool pmu, u64 *t0, u64 *p0)
{
	switch (d) {
		TIMER_WAIT_CASE(0); TIMER_WAIT_CASE(1); TIMER_WAIT_CASE(2); TIMER_WAIT_CASE(3);
		TIMER_WAIT_CASE(4); TIMER_WAIT_CASE(5); TIMER_WAIT_CASE(6); TIMER_WAIT_CASE(7);
		TIMER_WAIT_CASE(8); TIMER_WAIT_CASE(9); TIMER_WAIT_CASE(10); TIMER_WAIT_CASE(11);
		TIMER_WAIT_CASE(12); TIMER_WAIT_CASE(13); TIMER_WAIT_CASE(14); TIMER_WAIT_CASE(15);
	}
}
_Static_assert(TIMER_DITHER == 16, "timer_wait has a case for each dither");

enum sample { SAMPLE_OK, SAMPLE_AGAIN, SAMPLE_LOST };

static void vtimer_handler(u32 intid)
{
	(void)intid;
	timer_stop(); /* CNTV_CTL_EL0 = 0: the PPI drops before the EOI */
	this_cpu()->taken++;
}

/* One deadline; on SAMPLE_OK the four figures are stored at index @i. */
static enum sample one_sample(u32 i, u64 lead, u64 give_up)
{
	struct bench_cpu *c = this_cpu();
	u32 dither = i % TIMER_DITHER;
	u64 cval, t0 = 0, p0 = 0;
	bool woke_by_irq;

	c->taken = 0;
	cval = timer_count() + lead;
	timer_irq_start(cval);
	timer_wait(dither, pmu_mode() != PMU_NONE, &t0, &p0);
	woke_by_irq = c->taken;
	while (!c->taken) {
		if (timer_count() > cval + give_up) {
			timer_stop();
			return SAMPLE_LOST;
		}
		irq_window();
	}
	if (!woke_by_irq || t0 >= cval)
		return SAMPLE_AGAIN;
	bench_samples[BUF_A_PMU][i] = (u32)c->entry_pmu - (u32)p0 - dither;
	bench_samples[BUF_A_TICKS][i] = (u32)(c->entry_ticks - cval);
	bench_samples[BUF_B_PMU][i] = (u32)c->eoi_pmu - (u32)p0 - dither;
	bench_samples[BUF_B_TICKS][i] = (u32)(c->eoi_ticks - cval);
	return SAMPLE_OK;
}

static void unavailable(bool to_handler, bool to_eoi, const char *why)
{
	for (unsigned int m = 0; m < 2; m++) {
		const char *metric = m ? "timer_to_eoi" : "timer_to_handler";

		if (!(m ? to_eoi : to_handler))
			continue;
		report_unavailable(metric, pmu_unit(), "%s", why);
		report_unavailable(metric, "ticks", "%s", why);
		report_unavailable(metric, "ns", "%s", why);
	}
}

/*
 * Each group of TIMER_DITHER samples (d = 0..15) as one: its ticks in ns, the
 * sample report() divides by TIMER_DITHER. In place: group g's sum goes to
 * s[g], which no later group reads.
 */
static u32 dither_groups(u32 *s, u32 n)
{
	u64 freq = timer_freq();
	u32 groups = n / TIMER_DITHER;

	for (u32 g = 0; g < groups; g++) {
		u64 sum = 0;

		for (u32 d = 0; d < TIMER_DITHER; d++)
			sum += s[g * TIMER_DITHER + d];
		s[g] = freq ? (u32)((sum * 1000000000ULL + freq / 2) / freq) : 0;
	}
	return groups;
}

/*
 * A metric's two lines. The PMU window opens before the deadline: with
 * instructions nothing counts while the vCPU waits in WFI, with cycles the
 * wait counts too, so cycles give no latency here (ticks do).
 */
static void report_timer(bool wanted, const char *metric, enum bench_buf pmu, u32 n)
{
	if (!wanted)
		return;
	if (pmu_mode() == PMU_CYCLES)
		report_unavailable(metric, pmu_unit(),
				   "cycles also count the wait before the deadline: see ticks");
	else
		report_pmu(metric, bench_samples[pmu], n, 1, NULL);
	/* The groups first: report() sorts the samples in place. */
	memcpy(bench_samples[pmu], bench_samples[pmu + 1], n * sizeof(u32));
	report(metric, "ticks", bench_samples[pmu + 1], n, 1, NULL);
	if (n < TIMER_DITHER)
		report_unavailable(metric, "ns", "fewer than %u samples", TIMER_DITHER);
	else
		report(metric, "ns", bench_samples[pmu],
		       dither_groups(bench_samples[pmu], n), TIMER_DITHER, NULL);
}

void bench_timer(const struct bench_ctx *ctx, bool to_handler, bool to_eoi)
{
	u32 intid = ctx->dt->vtimer_intid, n = ctx->samples, again = 0;
	u64 lead = timer_us_to_ticks(TIMER_LEAD_US), give_up = timer_us_to_ticks(TIMER_GIVE_UP_US);
	u32 i;

	if (!ctx->gic_up || !intid) {
		unavailable(to_handler, to_eoi, ctx->gic_up ? ctx->dt->vtimer_err : ctx->gic_err);
		return;
	}
	irq_set_handler(intid, vtimer_handler);
	gic_enable_private(intid, GIC_PRIO_DEFAULT);
	for (i = 0; i < n;) {
		enum sample r = one_sample(i, lead, give_up);

		if (r == SAMPLE_OK)
			i++;
		else if (r == SAMPLE_LOST || ++again > n)
			break;
	}
	irq_set_handler(intid, NULL);
	if (i < n) {
		char why[96];

		if (again > n)
			snprintf(why, sizeof(why),
				 "more samples started late than on time (INTID %u)", intid);
		else
			snprintf(why, sizeof(why), "INTID %u not taken within 1 s of its deadline",
				 intid);
		unavailable(to_handler, to_eoi, why);
		return;
	}
	report_timer(to_handler, "timer_to_handler", BUF_A_PMU, n);
	report_timer(to_eoi, "timer_to_eoi", BUF_B_PMU, n);
}
