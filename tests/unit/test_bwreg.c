/*
 * The memory-bandwidth regulator (core/bwreg.c) on the fake arch, with a
 * model of EL2's PMU counter (arch/pmu_el2.h) and the real EL2 timer
 * service: the period/budget state machine (overflow, hold, refill, an
 * overflow right at a period boundary, one whose interrupt was lost, missed
 * periods, budget changes, stop while held), and the CPU side: the hold
 * served by interrupts until the period timer releases it, a stop message
 * ending it, and an unregulated CPU left untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <tessera/bwreg.h>
#include <tessera/config.h>
#include <tessera/el2_timer.h>
#include <arch/traps.h>
#include <drivers/gicv3.h>
#include <tessera/vm.h>

#include "fake_arch.h"

#define HYP_TIMER_INTID 26U
#define PMU_INTID 23U
#define PERIOD 62500ULL /* 1 ms at 62.5 MHz */
#define BUDGET 1000U

struct platform platform;

/* ---- EL2's counter, modelled: 32 bits, overflows on wrap while counting. */
static struct {
	u32 value;
	bool counting, overflow;
	unsigned int loads, stops, reserves;
	u32 last_load;
} pmu;

unsigned int pmu_el2_counters(void) { return 6; }
void pmu_el2_reserve(u32 event, bool keep_pmcr_e) { (void)event; (void)keep_pmcr_e; pmu.reserves++; }
void pmu_el2_load(u32 budget)
{
	pmu.value = 0U - budget;
	pmu.overflow = false;
	pmu.counting = true;
	pmu.loads++;
	pmu.last_load = budget;
}
void pmu_el2_stop(void) { pmu.counting = false; pmu.stops++; }
bool pmu_el2_take_overflow(void)
{
	bool o = pmu.overflow;

	pmu.overflow = false;
	return o;
}
u32 pmu_el2_count(void) { return pmu.value; }

/* @n events happen in the guest. */
static void count(u32 n)
{
	if (!pmu.counting)
		return;
	if ((u64)pmu.value + n > 0xffffffffULL)
		pmu.overflow = true;
	pmu.value += n;
}

/* ---- GIC and dispatch: what the hold loop meets. */
static u32 ppi_enabled, ppi_disabled;
static bool park_on_msg;
static u64 wake_at; /* the counter when the WFI in the hold ends; 0: unchanged */

void gic_enable_private(u32 intid) { ppi_enabled |= 1U << intid; }
void gic_disable_private(u32 intid) { ppi_disabled |= 1U << intid; }

/*
 * An IRQ as from the guest (traps.c, irq.c): the CNTHP to the timer service;
 * the message SGI parks (cpu.c's cpu_park stops the regulator first).
 */
void trap_lower_irq(struct guest_regs *regs)
{
	u32 intid = (u32)fake_sysreg_get("icc_iar1_el1");

	(void)regs;
	if (wake_at)
		fake_sysreg_set("cntpct_el0", wake_at);
	if (el2_timer_irq(intid))
		return;
	if (intid == SGI_CPU_MSG && park_on_msg) {
		bwreg_cpu_park();
		cpu_park();
	}
}

static struct platform plat;
static struct vm_config cfg;
static struct vm vm;
static struct bwreg reg;

static void set_now(u64 t) { fake_sysreg_set("cntpct_el0", t); }
static u64 now(void) { return fake_sysreg_get("cntpct_el0"); }
static bool cnthp_on(void) { return fake_sysreg_get("cnthp_ctl_el2") & 1; }
static u64 cnthp(void) { return fake_sysreg_get("cnthp_cval_el2"); }

static void noop_fire(struct el2_timer *t) { (void)t; }

static int setup(void **state)
{
	(void)state;
	fake_arch_reset();
	memset(&pmu, 0, sizeof(pmu));
	ppi_enabled = ppi_disabled = 0;
	park_on_msg = false;
	wake_at = 0;
	plat.timer_intid[3] = HYP_TIMER_INTID;
	el2_timer_init(&plat);
	platform = (struct platform){ 0 };
	platform.pmu.intid = PMU_INTID;
	platform.pmu.event = 0x08;
	platform.pmu.event_name = "INST_RETIRED";
	cfg = (struct vm_config){ .name = "hog" };
	vm = (struct vm){ .cfg = &cfg, .name = "hog" };
	vm.vcpus[0].vm = &vm;
	vm.vcpus[0].pcpu = 1;
	fake_run_on(1, &vm.vcpus[0]);
	fake_sysreg_set("cnthp_ctl_el2", 0);
	fake_sysreg_set("cntfrq_el0", 62500000);
	el2_timer_cpu_init();
	set_now(1000);
	bwreg_init(&reg, BUDGET, PERIOD);
	reg.timer = EL2_TIMER_INIT(noop_fire);
	return 0;
}

/* ---- the state machine */

static void test_start_loads_budget_and_arms_period(void **state)
{
	(void)state;
	bwreg_start(&reg, now());
	assert_int_equal(reg.state, BWREG_RUNNING);
	assert_int_equal(pmu.last_load, BUDGET);
	assert_true(pmu.counting);
	assert_true(cnthp_on());
	assert_int_equal(cnthp(), 1000 + PERIOD);
}

static void test_overflow_holds_until_refill(void **state)
{
	(void)state;
	bwreg_start(&reg, now());
	count(BUDGET - 1);
	assert_false(pmu.overflow);
	count(1); /* the budget's last event */
	assert_true(pmu_el2_take_overflow());
	set_now(1000 + PERIOD / 3);
	assert_true(bwreg_overflow(&reg, now()));
	assert_int_equal(reg.state, BWREG_HELD);
	assert_false(pmu.counting); /* stopped while held */
	assert_int_equal(reg.holds, 1);
	/* The period ends: full budget, next deadline one period on. */
	set_now(1000 + PERIOD);
	assert_false(bwreg_period(&reg, now()));
	assert_int_equal(reg.state, BWREG_RUNNING);
	assert_int_equal(pmu.last_load, BUDGET);
	assert_true(pmu.counting);
	assert_int_equal(reg.period_end, 1000 + 2 * PERIOD);
	assert_int_equal(cnthp(), 1000 + 2 * PERIOD);
	assert_int_equal(reg.debts, 0);
}

static void test_overflow_at_period_boundary_does_not_hold(void **state)
{
	(void)state;
	bwreg_start(&reg, now());
	count(BUDGET);
	set_now(1000 + PERIOD); /* the period is over; its timer not yet taken */
	assert_true(pmu_el2_take_overflow());
	assert_false(bwreg_overflow(&reg, now()));
	assert_int_equal(reg.state, BWREG_RUNNING);
	assert_int_equal(reg.holds, 0);
	assert_false(bwreg_period(&reg, now())); /* the timer: a fresh budget, nothing owed */
	assert_int_equal(pmu.last_load, BUDGET);
	assert_int_equal(reg.debts, 0);
}

static void test_lost_overflow_interrupt_is_owed(void **state)
{
	(void)state;
	bwreg_start(&reg, now());
	count(BUDGET + BUDGET / 4); /* overflowed, interrupt never taken */
	set_now(1000 + PERIOD);
	assert_false(bwreg_period(&reg, now()));
	assert_int_equal(reg.debts, 1);
	assert_int_equal(pmu.last_load, BUDGET - BUDGET / 4);
	/* Owed a whole budget or more: the next period starts held. */
	count(2 * BUDGET);
	set_now(1000 + 2 * PERIOD);
	assert_true(bwreg_period(&reg, now()));
	assert_int_equal(reg.state, BWREG_HELD);
	assert_false(pmu.counting);
	assert_int_equal(cnthp(), 1000 + 3 * PERIOD);
	set_now(1000 + 3 * PERIOD);
	assert_false(bwreg_period(&reg, now()));
	assert_int_equal(pmu.last_load, BUDGET); /* nothing carried further */
}

static void test_missed_periods_are_skipped(void **state)
{
	(void)state;
	bwreg_start(&reg, now());
	set_now(1000 + 4 * PERIOD + PERIOD / 2); /* the timer came 3.5 periods late */
	assert_false(bwreg_period(&reg, now()));
	assert_int_equal(reg.period_end, 1000 + 5 * PERIOD);
	assert_int_equal(pmu.last_load, BUDGET); /* one budget, not four */
}

static void test_stop_while_held(void **state)
{
	(void)state;
	bwreg_start(&reg, now());
	count(BUDGET);
	assert_true(pmu_el2_take_overflow());
	assert_true(bwreg_overflow(&reg, now()));
	bwreg_stop(&reg);
	assert_int_equal(reg.state, BWREG_OFF);
	assert_false(pmu.counting);
	assert_false(cnthp_on()); /* its timer cancelled on its own CPU */
	/* A late interrupt or timer of the stopped life does nothing. */
	assert_false(bwreg_overflow(&reg, now()));
	assert_false(bwreg_period(&reg, now() + PERIOD));
	assert_int_equal(reg.state, BWREG_OFF);
	/* The restart: a fresh period with the whole budget. */
	set_now(5000);
	pmu.overflow = true; /* left from the previous life */
	bwreg_start(&reg, now());
	assert_int_equal(reg.state, BWREG_RUNNING);
	assert_int_equal(pmu.last_load, BUDGET);
	assert_false(pmu.overflow);
	assert_int_equal(cnthp(), 5000 + PERIOD);
}

static void test_budget_change_takes_effect_next_period(void **state)
{
	(void)state;
	bwreg_start(&reg, now());
	bwreg_set_budget(&reg, 3 * BUDGET, 2 * PERIOD);
	assert_int_equal(reg.budget, BUDGET);
	count(BUDGET); /* the old budget still holds in this period */
	assert_true(pmu_el2_take_overflow());
	assert_true(bwreg_overflow(&reg, now()));
	set_now(1000 + PERIOD);
	assert_false(bwreg_period(&reg, now()));
	assert_int_equal(pmu.last_load, 3 * BUDGET);
	assert_int_equal(reg.period_end, 1000 + 3 * PERIOD); /* the old end + the new period */
	count(2 * BUDGET);
	assert_false(pmu.overflow);
}

/* ---- the CPU side */

static void regulated_cpu(void)
{
	cfg.bandwidth = (struct bandwidth_config){ .present = true, .budget = BUDGET, .period_us = 1000 };
	bwreg_cpu_init();
	assert_non_null(bwreg_this_cpu());
	bwreg_vcpu_start();
}

static void test_hold_served_until_period_timer(void **state)
{
	struct bwreg *r;

	(void)state;
	regulated_cpu();
	r = bwreg_this_cpu();
	assert_int_equal(pmu.reserves, 1);
	assert_true(ppi_enabled & (1U << PMU_INTID));
	count(BUDGET);
	/* The PMU interrupt a third into the period; the hold's WFI wakes for the period's timer. */
	set_now(now() + PERIOD / 3);
	fake_sysreg_set("icc_iar1_el1", HYP_TIMER_INTID);
	wake_at = r->period_end;
	assert_true(bwreg_irq(PMU_INTID));
	assert_int_equal(r->holds, 1);
	assert_int_equal(r->periods, 1);
	assert_int_equal(r->state, BWREG_RUNNING);
	assert_true(pmu.counting);
	assert_int_equal(pmu.last_load, BUDGET);
	assert_false(bwreg_irq(PMU_INTID + 1)); /* not its interrupt */
}

static void test_stop_message_ends_hold(void **state)
{
	struct bwreg *r;

	(void)state;
	regulated_cpu();
	r = bwreg_this_cpu();
	count(BUDGET);
	park_on_msg = true;
	fake_sysreg_set("icc_iar1_el1", SGI_CPU_MSG); /* a stop: the CPU parks from the hold */
	assert_true(FAKE_NORETURN(bwreg_irq(PMU_INTID)));
	assert_string_equal(fake_exit.fn, "cpu_park");
	assert_int_equal(r->state, BWREG_OFF);
	assert_false(pmu.counting);
	assert_false(cnthp_on());
	assert_true(fake_printk_contains("bandwidth regulator stopped after 0 periods, 1 holds"));
	/* The restart enters the vCPU again: a new first period. */
	bwreg_vcpu_start();
	assert_int_equal(r->state, BWREG_RUNNING);
}

static void test_guest_overflow_masks_line_until_next_period(void **state)
{
	struct bwreg *r;

	(void)state;
	regulated_cpu();
	r = bwreg_this_cpu();
	assert_true(bwreg_irq(PMU_INTID)); /* EL2's counter has not overflowed: the guest's */
	assert_true(ppi_disabled & (1U << PMU_INTID));
	assert_true(r->ppi_masked);
	assert_int_equal(r->state, BWREG_RUNNING);
	/* Meanwhile EL2's overflows unseen; the period timer re-enables the line and charges it. */
	count(BUDGET + 100);
	ppi_enabled = 0;
	set_now(r->period_end);
	fake_sysreg_set("icc_iar1_el1", GIC_INTID_SPURIOUS);
	assert_true(el2_timer_irq(HYP_TIMER_INTID));
	assert_true(ppi_enabled & (1U << PMU_INTID));
	assert_false(r->ppi_masked);
	assert_int_equal(r->debts, 1);
	assert_int_equal(pmu.last_load, BUDGET - 100);
}

static void test_unregulated_cpu_untouched(void **state)
{
	unsigned int mdcr_writes = fake_sysreg_writes("mdcr_el2");

	(void)state;
	bwreg_cpu_init(); /* cfg has no bandwidth-budget */
	assert_null(bwreg_this_cpu());
	bwreg_vcpu_start();
	bwreg_cpu_park();
	assert_true(bwreg_irq(PMU_INTID)); /* a stale one: swallowed, nothing touched */
	assert_int_equal(pmu.reserves + pmu.loads + pmu.stops, 0);
	assert_int_equal(ppi_enabled & (1U << PMU_INTID), 0);
	assert_int_equal(ppi_disabled, 0);
	assert_false(cnthp_on());
	assert_int_equal(fake_sysreg_writes("mdcr_el2"), mdcr_writes);
	assert_string_equal(fake_printk_output(), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_start_loads_budget_and_arms_period, setup),
		cmocka_unit_test_setup(test_overflow_holds_until_refill, setup),
		cmocka_unit_test_setup(test_overflow_at_period_boundary_does_not_hold, setup),
		cmocka_unit_test_setup(test_lost_overflow_interrupt_is_owed, setup),
		cmocka_unit_test_setup(test_missed_periods_are_skipped, setup),
		cmocka_unit_test_setup(test_stop_while_held, setup),
		cmocka_unit_test_setup(test_budget_change_takes_effect_next_period, setup),
		cmocka_unit_test_setup(test_hold_served_until_period_timer, setup),
		cmocka_unit_test_setup(test_stop_message_ends_hold, setup),
		cmocka_unit_test_setup(test_guest_overflow_masks_line_until_next_period, setup),
		cmocka_unit_test_setup(test_unregulated_cpu_untouched, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
