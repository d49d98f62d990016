/*
 * The SBSA Generic Watchdog (hyp/virt/vwdt.c with emul.c and the EL2 timer
 * service) on the fake arch, against a fake system counter: enable,
 * refresh, WS0 then WS1 at the times DEN 0029 gives, WOR/WCV writes, an
 * explicit WCV, disable, reset, and the register checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <tessera/vm.h>
#include <tessera/vm_control.h>
#include <virt/vwdt.h>

#include "fake_arch.h"

#define HYP_TIMER_INTID 26U
#define WS0_INTID 40U
#define WOR 1000U

static struct vm vm;
static struct vwdt wdt;
static struct platform plat;
static unsigned int events;
static enum vm_event last_event;

void gic_enable_private(u32 intid) { (void)intid; }

void vm_event(struct vm *v, enum vm_event event, const char *reason)
{
	assert_ptr_equal(v, &vm);
	assert_string_equal(reason, "watchdog expired");
	assert_false(wdt.lock.held); /* the policy may reset this watchdog: never under its lock */
	last_event = event;
	events++;
}

static void at(u64 t) { fake_sysreg_set("cntpct_el0", t); }

static u64 rd(enum mmio_result (*access)(void *, struct mmio_access *), u32 off)
{
	struct mmio_access a = { .offset = off, .size = 4, .value = 0xdeadbeef };

	assert_int_equal(access(&wdt, &a), MMIO_OK);
	return a.value;
}

static void wr(enum mmio_result (*access)(void *, struct mmio_access *), u32 off, u32 v)
{
	struct mmio_access a = { .offset = off, .size = 4, .is_write = true, .value = v };

	assert_int_equal(access(&wdt, &a), MMIO_OK);
}

#define CTL vwdt_control_access
#define REF vwdt_refresh_access

static u64 wcv(void) { return rd(CTL, VWDT_WCV) | rd(CTL, VWDT_WCV + 4) << 32; }
static bool timer_on(void) { return fake_sysreg_get("cnthp_ctl_el2") & 1; }

/* The EL2 timer interrupt, when the counter reaches what Tessera armed. */
static void timer_fires(void)
{
	assert_true(timer_on());
	at(fake_sysreg_get("cnthp_cval_el2"));
	assert_true(el2_timer_irq(HYP_TIMER_INTID));
}

static int setup(void **state)
{
	(void)state;
	fake_arch_reset();
	plat.timer_intid[3] = HYP_TIMER_INTID;
	el2_timer_init(&plat);
	fake_run_on(0, NULL);
	el2_timer_cpu_init();
	memset(&vm, 0, sizeof(vm));
	memset(&wdt, 0, sizeof(wdt));
	vm.name = "rt";
	vm.state = VM_RUNNING;
	events = 0;
	at(100);
	vwdt_init(&wdt, &vm, WS0_INTID);
	return 0;
}

/* Linux's sbsa_gwdt: set_timeout writes WOR, start writes WCS = EN. */
static void enable(void)
{
	wr(CTL, VWDT_WOR, WOR);
	at(200);
	wr(CTL, VWDT_WCS, VWDT_WCS_EN);
}

static void test_reset_state(void **state)
{
	(void)state;
	assert_int_equal(rd(CTL, VWDT_WCS), 0);
	assert_int_equal(rd(CTL, VWDT_WOR), 0);
	assert_int_equal(rd(CTL, VWDT_W_IIDR), 0); /* architecture version 0: 32-bit WOR */
	assert_int_equal(rd(REF, VWDT_W_IIDR), 0);
	assert_false(timer_on());
}

static void test_enable_sets_wcv_and_arms(void **state)
{
	(void)state;
	enable();
	assert_int_equal(rd(CTL, VWDT_WCS), VWDT_WCS_EN);
	assert_int_equal(rd(CTL, VWDT_WOR), WOR);
	assert_int_equal(wcv(), 200 + WOR); /* the WCS write is an explicit refresh */
	assert_true(timer_on());
	assert_int_equal(fake_sysreg_get("cnthp_cval_el2"), 200 + WOR + 1); /* count > WCV */
}

static void test_refresh_moves_deadline(void **state)
{
	(void)state;
	enable();
	at(900);
	wr(REF, VWDT_WRR, 0);
	assert_int_equal(wcv(), 900 + WOR);
	at(1201); /* the old deadline passed: a stale interrupt changes nothing */
	assert_true(el2_timer_irq(HYP_TIMER_INTID));
	assert_int_equal(rd(CTL, VWDT_WCS), VWDT_WCS_EN);
	assert_int_equal(fake_sysreg_get("cnthp_cval_el2"), 900 + WOR + 1);
}

static void test_ws0_then_ws1(void **state)
{
	(void)state;
	enable();
	at(200 + WOR); /* equal is not past */
	assert_true(el2_timer_irq(HYP_TIMER_INTID));
	assert_int_equal(rd(CTL, VWDT_WCS), VWDT_WCS_EN);

	timer_fires(); /* 1201: WS0, and a timeout refresh */
	assert_int_equal(rd(CTL, VWDT_WCS), VWDT_WCS_EN | VWDT_WCS_WS0);
	assert_int_equal(fake_irq_level(WS0_INTID), 1);
	assert_int_equal(wcv(), 200 + 2 * WOR);
	assert_int_equal(events, 0);

	timer_fires(); /* 2201: WS1, the VM's expiry */
	assert_int_equal(rd(CTL, VWDT_WCS), VWDT_WCS_EN | VWDT_WCS_WS0 | VWDT_WCS_WS1);
	assert_int_equal(events, 1);
	assert_int_equal(last_event, VM_EVENT_WATCHDOG);
	assert_int_equal(wdt.expiries, 1);
	assert_true(fake_printk_contains("tessera: VM rt: watchdog expired (WS1, expiry 1)"));
	assert_false(timer_on()); /* nothing more to time */
}

static void test_refresh_after_ws0_clears_it(void **state)
{
	(void)state;
	enable();
	timer_fires();
	assert_int_equal(fake_irq_level(WS0_INTID), 1);
	at(1500);
	wr(REF, VWDT_WRR, 0x1234);
	assert_int_equal(rd(CTL, VWDT_WCS), VWDT_WCS_EN);
	assert_int_equal(fake_irq_level(WS0_INTID), 0);
	assert_int_equal(wcv(), 1500 + WOR);
	assert_int_equal(events, 0);
}

static void test_late_interrupt_counts_from_deadline(void **state)
{
	(void)state;
	enable();
	at(1201 + WOR + 5); /* EL2 late past both stages: both happened */
	assert_true(el2_timer_irq(HYP_TIMER_INTID));
	assert_int_equal(rd(CTL, VWDT_WCS), VWDT_WCS_EN | VWDT_WCS_WS0 | VWDT_WCS_WS1);
	assert_int_equal(events, 1);
}

static void test_wor_write_refreshes(void **state)
{
	(void)state;
	enable();
	timer_fires();
	at(1300);
	wr(CTL, VWDT_WOR, 5000);
	assert_int_equal(rd(CTL, VWDT_WCS), VWDT_WCS_EN);
	assert_int_equal(wcv(), 1300 + 5000);
	assert_int_equal(fake_sysreg_get("cnthp_cval_el2"), 1300 + 5000 + 1);
}

static void test_explicit_wcv(void **state)
{
	(void)state;
	enable();
	timer_fires(); /* WS0 set: a WCV write is no refresh */
	wr(CTL, VWDT_WCV + 4, 1);
	wr(CTL, VWDT_WCV, 7);
	assert_int_equal(wcv(), (1ULL << 32) | 7);
	assert_int_equal(rd(CTL, VWDT_WCS), VWDT_WCS_EN | VWDT_WCS_WS0);
	assert_int_equal(fake_sysreg_get("cnthp_cval_el2"), (1ULL << 32) + 8);
	wr(CTL, VWDT_WCV + 4, 0); /* now in the past: WS1 at once */
	assert_int_equal(events, 1);
}

static void test_disable_stops_counting(void **state)
{
	(void)state;
	enable();
	wr(CTL, VWDT_WCS, 0);
	assert_int_equal(rd(CTL, VWDT_WCS), 0);
	assert_false(timer_on());
	at(1000000);
	assert_true(el2_timer_irq(HYP_TIMER_INTID));
	assert_int_equal(rd(CTL, VWDT_WCS), 0);
	assert_int_equal(events, 0);
}

static void test_status_bits_read_only(void **state)
{
	(void)state;
	wr(CTL, VWDT_WCS, VWDT_WCS_WS0 | VWDT_WCS_WS1);
	assert_int_equal(rd(CTL, VWDT_WCS), 0);
	assert_int_equal(events, 0);
}

static void test_stop_and_reset(void **state)
{
	(void)state;
	enable();
	timer_fires();
	vwdt_stop(&wdt);
	assert_false(timer_on());
	vwdt_reset(&wdt);
	assert_int_equal(rd(CTL, VWDT_WCS), 0);
	assert_int_equal(rd(CTL, VWDT_WOR), 0);
	at(1000000);
	assert_true(el2_timer_irq(HYP_TIMER_INTID));
	assert_int_equal(events, 0);
}

static void test_bad_accesses(void **state)
{
	struct mmio_access a = { .offset = VWDT_WCS, .size = 8 };

	(void)state;
	assert_int_equal(CTL(&wdt, &a), MMIO_BAD_ACCESS); /* 32-bit registers */
	a = (struct mmio_access){ .offset = VWDT_WOR + 2, .size = 4 };
	assert_int_equal(CTL(&wdt, &a), MMIO_BAD_ACCESS); /* misaligned */
	a = (struct mmio_access){ .offset = VWDT_WCS, .size = 1 };
	assert_int_equal(CTL(&wdt, &a), MMIO_BAD_ACCESS);
	a = (struct mmio_access){ .offset = VWDT_WRR, .size = 2, .is_write = true };
	assert_int_equal(REF(&wdt, &a), MMIO_BAD_ACCESS);
	/* Reserved: read as zero, writes ignored (no refresh, no enable). */
	assert_int_equal(rd(CTL, 0x100), 0);
	wr(CTL, 0x100, 1);
	wr(REF, 0x004, 1);
	assert_int_equal(rd(CTL, VWDT_WCS), 0);
	assert_false(timer_on());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_state, setup),
		cmocka_unit_test_setup(test_enable_sets_wcv_and_arms, setup),
		cmocka_unit_test_setup(test_refresh_moves_deadline, setup),
		cmocka_unit_test_setup(test_ws0_then_ws1, setup),
		cmocka_unit_test_setup(test_refresh_after_ws0_clears_it, setup),
		cmocka_unit_test_setup(test_late_interrupt_counts_from_deadline, setup),
		cmocka_unit_test_setup(test_wor_write_refreshes, setup),
		cmocka_unit_test_setup(test_explicit_wcv, setup),
		cmocka_unit_test_setup(test_disable_stops_counting, setup),
		cmocka_unit_test_setup(test_status_bits_read_only, setup),
		cmocka_unit_test_setup(test_stop_and_reset, setup),
		cmocka_unit_test_setup(test_bad_accesses, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
