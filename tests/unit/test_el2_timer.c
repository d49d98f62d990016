/*
 * The EL2 timer service (core/el2_timer.c) on the fake arch: each CPU's
 * CNTHP follows the earliest deadline on its own list; an interrupt calls
 * back exactly the expired timers of its CPU; cancel and moving between CPUs
 * leave only harmless stale interrupts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <tessera/el2_timer.h>

#include "fake_arch.h"

#define HYP_TIMER_INTID 26U

static struct platform plat;
static unsigned int fired[3];
static struct el2_timer timers[3];
static u32 enabled_ppi;

void gic_enable_private(u32 intid) { enabled_ppi = intid; }

static void fire(struct el2_timer *t)
{
	fired[t - timers]++;
}

static int setup(void **state)
{
	(void)state;
	fake_arch_reset();
	plat.timer_intid[3] = HYP_TIMER_INTID;
	el2_timer_init(&plat);
	fake_run_on(0, NULL);
	fake_sysreg_set("cnthp_ctl_el2", 1); /* firmware left it on */
	el2_timer_cpu_init();
	for (unsigned int i = 0; i < 3; i++) {
		timers[i] = EL2_TIMER_INIT(fire);
		fired[i] = 0;
	}
	fake_sysreg_set("cntpct_el0", 1000);
	return 0;
}

static u64 cval(void) { return fake_sysreg_get("cnthp_cval_el2"); }
static bool on(void) { return fake_sysreg_get("cnthp_ctl_el2") & 1; }

static void test_cpu_init_disables_and_enables_ppi(void **state)
{
	(void)state;
	assert_false(on());
	assert_int_equal(enabled_ppi, HYP_TIMER_INTID);
	assert_false(el2_timer_irq(HYP_TIMER_INTID + 1)); /* not its interrupt */
}

static void test_earliest_deadline_programmed_and_only_expired_fire(void **state)
{
	(void)state;
	el2_timer_arm(&timers[0], 5000);
	assert_true(on());
	assert_int_equal(cval(), 5000);
	el2_timer_arm(&timers[1], 3000);
	assert_int_equal(cval(), 3000);
	el2_timer_arm(&timers[2], 9000);
	assert_int_equal(cval(), 3000);

	fake_sysreg_set("cntpct_el0", 3000);
	assert_true(el2_timer_irq(HYP_TIMER_INTID));
	assert_int_equal(fired[1], 1);
	assert_int_equal(fired[0] + fired[2], 0);
	assert_int_equal(cval(), 5000); /* the next one */
	assert_true(on());

	fake_sysreg_set("cntpct_el0", 9500); /* both left are past due */
	assert_true(el2_timer_irq(HYP_TIMER_INTID));
	assert_int_equal(fired[0], 1);
	assert_int_equal(fired[2], 1);
	assert_false(on()); /* nothing left: off */
}

static void test_rearm_moves_deadline(void **state)
{
	(void)state;
	el2_timer_arm(&timers[0], 3000);
	el2_timer_arm(&timers[0], 7000); /* re-armed later: the earlier deadline is gone */
	assert_int_equal(cval(), 7000);
	fake_sysreg_set("cntpct_el0", 3000);
	assert_true(el2_timer_irq(HYP_TIMER_INTID)); /* a stale interrupt */
	assert_int_equal(fired[0], 0);
	assert_true(on());
	assert_int_equal(cval(), 7000);
}

static void test_cancel(void **state)
{
	(void)state;
	el2_timer_arm(&timers[0], 3000);
	el2_timer_arm(&timers[1], 4000);
	assert_true(el2_timer_cancel(&timers[0]));
	assert_false(el2_timer_cancel(&timers[0]));
	fake_sysreg_set("cntpct_el0", 3500);
	assert_true(el2_timer_irq(HYP_TIMER_INTID));
	assert_int_equal(fired[0], 0);
	assert_int_equal(cval(), 4000);
	assert_true(el2_timer_cancel(&timers[1]));
	assert_false(on()); /* its own CPU's CNTHP is off at once */
	fake_sysreg_set("cntpct_el0", 5000);
	assert_true(el2_timer_irq(HYP_TIMER_INTID));
	assert_int_equal(fired[1], 0);
	assert_false(on());
}

static void test_timer_belongs_to_the_cpu_that_armed_it(void **state)
{
	(void)state;
	el2_timer_arm(&timers[0], 3000); /* on CPU 0 */
	fake_run_on(1, NULL);
	el2_timer_arm(&timers[0], 4000); /* moved to CPU 1 */
	fake_sysreg_set("cntpct_el0", 5000);
	fake_run_on(0, NULL);
	assert_true(el2_timer_irq(HYP_TIMER_INTID)); /* CPU 0's stale CNTHP */
	assert_int_equal(fired[0], 0);
	fake_run_on(1, NULL);
	assert_true(el2_timer_irq(HYP_TIMER_INTID));
	assert_int_equal(fired[0], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_cpu_init_disables_and_enables_ppi, setup),
		cmocka_unit_test_setup(test_earliest_deadline_programmed_and_only_expired_fire, setup),
		cmocka_unit_test_setup(test_rearm_moves_deadline, setup),
		cmocka_unit_test_setup(test_cancel, setup),
		cmocka_unit_test_setup(test_timer_belongs_to_the_cpu_that_armed_it, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
