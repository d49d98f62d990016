/*
 * test=suspend (tests.h): PSCI CPU_SUSPEND with the virtual timer armed, as
 * an OS's idle loop calls it, IRQs masked: each call must return SUCCESS
 * once the timer's interrupt is pending, not before, and that interrupt is
 * then taken once. Natively on QEMU and under Tessera alike. And
 * test=suspend-reset: a CPU suspended with nothing to wake it must not keep
 * its VM from restarting.
 */
#include "irq.h"
#include "psci.h"
#include "rt.h"
#include "tests.h"
#include "timer.h"

#define SUSPEND_AHEAD_US 20000
#define EXTENDED_POWERDOWN 0x40000007U /* bit 30 set: the extended format's powerdown (Orin's DT) */
#define SUSPEND_SETTLE_US 50000

/*
 * CPU 1's whole life in test=suspend-reset: CPU_SUSPEND (SMC64, standby) by
 * HVC, again whenever it returns. Its GIC interface is never enabled, so
 * nothing wakes it. Runs with the MMU off: no stack, no data access.
 */
void suspend_forever(void);
__asm__(".pushsection .text\n"
	".global suspend_forever\n"
	".balign 4\n"
	"suspend_forever:\n"
	"	movz x0, #0x0001\n"
	"	movk x0, #0xc400, lsl #16\n"
	"	mov x1, xzr\n"
	"	mov x2, xzr\n"
	"	mov x3, xzr\n"
	"	hvc #0\n"
	"	b suspend_forever\n"
	".popsection\n");

static volatile unsigned int timer_irqs;

static void suspend_timer_irq(u32 intid)
{
	(void)intid;
	timer_stop(); /* drops the level PPI before the interrupt is ended */
	timer_irqs++;
}

/* Where a powerdown that was carried out would resume: it must not be. */
static void suspend_resumed_at_entry(void)
{
	say("check suspend: FAILED (resumed at the powerdown entry point)");
	psci_system_off();
}

/* One CPU_SUSPEND with the timer due SUSPEND_AHEAD_US later; true when it behaved as WFI. */
static bool suspend_until_timer(const char *kind, u32 power_state)
{
	u64 deadline = timer_count() + timer_us_to_ticks(SUSPEND_AHEAD_US), back;
	s64 ret;

	timer_irqs = 0;
	timer_irq_start(deadline);
	ret = psci_cpu_suspend(power_state, (u64)(uintptr_t)suspend_resumed_at_entry, 0);
	back = timer_count();
	irq_window(); /* what woke it is taken here */
	if (ret != PSCI_RET_SUCCESS) {
		timer_stop();
		say("check suspend: FAILED (%s 0x%x returned %lld, not SUCCESS)", kind, power_state,
		    (long long)ret);
		return false;
	}
	if (back < deadline) {
		timer_stop();
		say("check suspend: FAILED (%s returned %llu us before the timer's deadline)", kind,
		    (unsigned long long)timer_ticks_to_us(deadline - back));
		return false;
	}
	if (timer_irqs != 1) {
		timer_stop();
		say("check suspend: FAILED (%s: the timer interrupt taken %u times after it, not once)",
		    kind, timer_irqs);
		return false;
	}
	say("suspend: %s returned SUCCESS %llu us after the timer's deadline, its interrupt taken once",
	    kind, (unsigned long long)timer_ticks_to_us(back - deadline));
	return true;
}

bool test_suspend(const struct dt_info *info)
{
	const char *err = vtimer_irq_setup(info);
	s64 flags = psci_features(PSCI_0_2_FN64_CPU_SUSPEND), ret;
	bool ok;

	if (err) {
		say("check suspend: FAILED (%s)", err);
		return false;
	}
	if (flags < 0) {
		say("check suspend: FAILED (PSCI_FEATURES(CPU_SUSPEND) returned %lld)", (long long)flags);
		return false;
	}
	say("suspend: PSCI_FEATURES(CPU_SUSPEND) flags 0x%llx (%s format)", (unsigned long long)flags,
	    (flags & 2) ? "extended" : "original");
	irq_set_handler(info->vtimer_intid, suspend_timer_irq);
	ok = suspend_until_timer("standby", PSCI_POWER_STATE_STANDBY) &&
	     suspend_until_timer("powerdown", PSCI_POWER_STATE_POWERDOWN);
	irq_set_handler(info->vtimer_intid, NULL);
	if (!ok)
		return false;
	if (!(flags & 2)) {
		ret = psci_cpu_suspend(EXTENDED_POWERDOWN, 0, 0);
		if (ret != PSCI_RET_INVALID_PARAMETERS) {
			say("check suspend: FAILED (power_state 0x%x returned %lld, not INVALID_PARAMETERS)",
			    EXTENDED_POWERDOWN, (long long)ret);
			return false;
		}
	}
	say("check suspend: ok (standby and powerdown woken by the timer's interrupt; "
	    "0x%x refused in the original format)", EXTENDED_POWERDOWN);
	return true;
}

bool test_suspend_reset(const struct dt_info *info)
{
	u32 restarts = info->restart_count;
	u64 until;
	s64 ret;

	if (restarts) {
		say("check suspend-reset: ok (restarted, restart count %u, with CPU 1 suspended at the reset)",
		    restarts);
		return true;
	}
	if (info->cpu_count < 2 || info->psci != CONDUIT_HVC) {
		say("check suspend-reset: FAILED (needs 2 CPUs and PSCI by HVC)");
		return false;
	}
	ret = psci_cpu_on(info->cpu_mpidr[1], (u64)(uintptr_t)suspend_forever, 0);
	if (ret != PSCI_RET_SUCCESS) {
		say("check suspend-reset: FAILED (CPU_ON of CPU 1 returned %lld)", (long long)ret);
		return false;
	}
	until = timer_count() + timer_us_to_ticks(SUSPEND_SETTLE_US);
	while (timer_count() < until)
		;
	say("suspend: CPU 1 in CPU_SUSPEND with nothing to wake it; SYSTEM_RESET");
	psci_system_reset();
}
