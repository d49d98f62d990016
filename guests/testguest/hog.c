/*
 * test=hog (hog.h). One line per 100 ms window of guest time (CNTVCT):
 *   hog: window W: I iterations, E events; per P us: i iterations, e events
 * E is its PMU counter 0 over the window (INST_RETIRED, EL1 and EL0; reset
 * each window with PMCR_EL0.P, which must not touch a counter EL2 keeps:
 * D19.4.16). Windows are on absolute deadlines, so printing never shifts them.
 * PMU registers: DDI 0487 J.a D19.4 (PMCR_EL0, PMEVTYPER<n>_EL0,
 * PMEVCNTR<n>_EL0, PMCNTENSET_EL0); INST_RETIRED is common event 0x08.
 */
#include "hog.h"
#include "irq.h"
#include "rt.h"
#include "sysreg.h"
#include "timer.h"

#define HOG_WINDOW_US 100000ULL
#define PMCR_E SR_BIT(0)
#define PMCR_P SR_BIT(1)
#define PMU_EVENT_INST_RETIRED 0x08

static volatile bool hog_woken;

static void hog_wake(u32 intid)
{
	(void)intid;
	hog_woken = true;
	timer_stop();
}

/* WFI until the virtual timer reaches @deadline. */
static void hog_sleep_until(u64 deadline)
{
	hog_woken = false;
	timer_irq_start(deadline);
	while (!hog_woken)
		irq_wait();
}

/* Iterations until the counter reaches @end or @max are done. */
static u64 spin_until(u64 end, u64 max)
{
	u64 iters = 0;

	while (timer_count() < end && iters < max)
		iters++;
	return iters;
}

static u32 pmu_take_events(void)
{
	u32 ev = (u32)read_sysreg(pmevcntr0_el0);

	write_sysreg(pmcr_el0, PMCR_E | PMCR_P); /* counter 0 back to 0 */
	isb();
	return ev;
}

bool test_hog(const struct dt_info *info, u64 period_us, u64 busy_us, u64 work, u64 seconds)
{
	u64 pmuver = (read_sysreg(id_aa64dfr0_el1) >> 8) & 0xf;
	u64 window = timer_us_to_ticks(HOG_WINDOW_US), per = HOG_WINDOW_US / period_us;
	unsigned int n;
	u64 t;

	if (pmuver == 0 || pmuver == 0xf) {
		say("hog: FAILED (no PMUv3: ID_AA64DFR0_EL1.PMUVer %llu)", (unsigned long long)pmuver);
		return false;
	}
	n = (unsigned int)((read_sysreg(pmcr_el0) >> 11) & 0x1f);
	say("hog: PMU: %u event counters", n);
	if (n == 0 || period_us == 0 || HOG_WINDOW_US % period_us || busy_us > period_us) {
		say("hog: FAILED (%u counters, period %llu us, busy %llu us: need a counter, a "
		    "period dividing 100000 us and busy <= period)",
		    n, (unsigned long long)period_us, (unsigned long long)busy_us);
		return false;
	}
	if (busy_us || work) {
		const char *err = vtimer_irq_setup(info);

		if (err) {
			say("hog: FAILED (%s)", err);
			return false;
		}
		irq_set_handler(info->vtimer_intid, hog_wake);
	}
	write_sysreg(pmevtyper0_el0, PMU_EVENT_INST_RETIRED); /* P, U, NSH clear: EL1 and EL0 */
	write_sysreg(pmcntenset_el0, SR_BIT(0));
	isb();
	say("hog: %s, windows of %llu us, periods of %llu us, for %llu s",
	    busy_us ? "busy part of each period" : work ? "a fixed work per period" : "unlimited",
	    HOG_WINDOW_US, (unsigned long long)period_us, (unsigned long long)seconds);
	(void)pmu_take_events();
	t = timer_count();
	for (u64 w = 1; !seconds || w <= seconds * (1000000 / HOG_WINDOW_US); w++) {
		u64 end = t + window, iters = 0;
		u32 ev;

		if (!busy_us && !work) {
			iters = spin_until(end, ~0ULL);
		} else {
			for (u64 p = 0; p < per; p++) {
				u64 start = t + p * timer_us_to_ticks(period_us);
				u64 stop = start + timer_us_to_ticks(busy_us ? busy_us : period_us);

				iters += spin_until(stop, work ? work : ~0ULL);
				if (timer_count() < start + timer_us_to_ticks(period_us))
					hog_sleep_until(start + timer_us_to_ticks(period_us));
			}
		}
		ev = pmu_take_events();
		t = end;
		say("hog: window %llu: %llu iterations, %u events; per %llu us: %llu iterations, %llu events",
		    (unsigned long long)w, (unsigned long long)iters, ev, (unsigned long long)period_us,
		    (unsigned long long)(iters / per), (unsigned long long)(ev / per));
	}
	if (busy_us || work)
		irq_set_handler(info->vtimer_intid, NULL);
	say("hog: done");
	return true;
}
