/*
 * test=level (leveltest.h). What hardware gives EL1 and what is checked:
 *
 * - ptimer: the EL1 physical timer (CNTP_CVAL_EL0, CNTP_CTL_EL0, DDI 0487
 *   D19.12) polled: ISTATUS is set, and only once CNTPCT_EL0 >= CVAL.
 * - ptimer-vtimer: the physical and the virtual timer by interrupt on the
 *   same CPU, TICKS each on their own period; every handler finds its timer's
 *   ISTATUS set and its counter at or past its CVAL.
 * - vtimer-stale: the virtual timer's PPI disabled in the GIC, the timer
 *   fires, then CNTV_CTL_EL0 is cleared: a level interrupt whose line has
 *   fallen reads not pending in GICR_ISPENDR0 (IHI 0069H 4.1, level-sensitive interrupts; 12.11.27)
 *   and is not taken when enabled again. The control round keeps the timer
 *   firing: pending, and taken exactly once.
 * - ispendr: the virtual timer's PPI pended by software, the timer off: taken
 *   exactly once.
 * - level-spi: the PL031 RTC (arm,pl031 in the DT, when the VM has one),
 *   level-sensitive: EVENTS match interrupts, each handled "EOI first, then
 *   clear the device". The line is still high at the EOI, so the GIC signals
 *   again and withdraws it once the device is clear: the handler runs once
 *   per event, never on a clear device (an acknowledge may read 1023).
 *
 * Interrupts are taken with IRQs masked, by polling ISR_EL1.I
 * and acknowledging in line, except in ptimer-vtimer, which uses irq.h.
 */
#include <libfdt.h>
#include <mmio.h>

#include "gic.h"
#include "irq.h"
#include "leveltest.h"
#include "sysreg.h"
#include "timer.h"

/* CNTP_CTL_EL0 has CNTV_CTL_EL0's layout (DDI 0487 D19.12). */
#define CNT_ENABLE CNTV_CTL_ENABLE
#define CNT_IMASK CNTV_CTL_IMASK
#define CNT_ISTATUS CNTV_CTL_ISTATUS

#define TICKS 10
#define PTIMER_PERIOD_US 700
#define VTIMER_PERIOD_US 1000
#define EVENTS 10

/* PL031 registers (ARM DDI 0224): data, match, interrupt mask, masked status, clear. */
#define PL031_DR 0x00
#define PL031_MR 0x04
#define PL031_IMSC 0x10
#define PL031_MIS 0x18
#define PL031_ICR 0x1c

static u64 pcount(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

static bool check_ptimer(void)
{
	u64 deadline = pcount() + timer_us_to_ticks(1000);
	u64 limit = deadline + timer_us_to_ticks(100000), now, ctl, cval;

	write_sysreg(cntp_ctl_el0, 0);
	write_sysreg(cntp_cval_el0, deadline);
	write_sysreg(cntp_ctl_el0, CNT_ENABLE | CNT_IMASK);
	isb();
	do {
		ctl = read_sysreg(cntp_ctl_el0);
		now = pcount(); /* after ISTATUS: a count below CVAL proves it early */
	} while (!(ctl & CNT_ISTATUS) && now <= limit);
	cval = read_sysreg(cntp_cval_el0);
	write_sysreg(cntp_ctl_el0, 0);
	isb();
	if (!(ctl & CNT_ISTATUS)) {
		say("check ptimer: FAILED (ISTATUS not set 100 ms past CVAL; CNTP_CTL_EL0 reads 0x%llx, "
		    "CNTP_CVAL_EL0 0x%llx, wrote 0x%llx)", (unsigned long long)ctl,
		    (unsigned long long)cval, (unsigned long long)deadline);
		return false;
	}
	if (now < deadline) {
		say("check ptimer: FAILED (ISTATUS set at CNTPCT 0x%llx, before CVAL 0x%llx)",
		    (unsigned long long)now, (unsigned long long)deadline);
		return false;
	}
	say("check ptimer: ok");
	return true;
}

/* One timer driven by interrupt: which registers, its schedule, what its handler saw. */
struct tick_timer {
	bool physical;
	u64 period, deadline;
	unsigned int ticks, bad;
	u64 bad_ctl, bad_count, bad_cval;
};

static struct tick_timer ptick = { .physical = true }, vtick;

static u64 tick_count(const struct tick_timer *t)
{
	return t->physical ? pcount() : timer_count();
}

static void tick_arm(const struct tick_timer *t, u64 ctl)
{
	if (t->physical) {
		write_sysreg(cntp_cval_el0, t->deadline);
		write_sysreg(cntp_ctl_el0, ctl);
	} else {
		write_sysreg(cntv_cval_el0, t->deadline);
		write_sysreg(cntv_ctl_el0, ctl);
	}
	isb(); /* the line follows before the handler's EOI */
}

static void tick(struct tick_timer *t)
{
	u64 count = tick_count(t);
	u64 ctl = t->physical ? read_sysreg(cntp_ctl_el0) : read_sysreg(cntv_ctl_el0);

	if (!(ctl & CNT_ISTATUS) || count < t->deadline) {
		t->bad++;
		t->bad_ctl = ctl;
		t->bad_count = count;
		t->bad_cval = t->deadline;
	}
	t->deadline += t->period;
	/* The virtual timer goes on ticking, uncounted: the waiting loop needs a wake-up. */
	if (t->ticks < TICKS)
		t->ticks++;
	tick_arm(t, t->ticks < TICKS || !t->physical ? CNT_ENABLE : 0);
}

static void ptimer_handler(u32 intid)
{
	(void)intid;
	tick(&ptick);
}

static void vtimer_handler(u32 intid)
{
	(void)intid;
	tick(&vtick);
}

static bool check_ptimer_vtimer(const struct dt_info *info)
{
	struct irq_stats st;
	u64 end;

	if (!info->ptimer_intid || !info->vtimer_intid) {
		say("check ptimer-vtimer: FAILED (%s)",
		    info->ptimer_intid ? info->vtimer_err : info->ptimer_err);
		return false;
	}
	irq_set_handler(info->ptimer_intid, ptimer_handler);
	irq_set_handler(info->vtimer_intid, vtimer_handler);
	gic_enable_private(info->ptimer_intid, GIC_PRIO_DEFAULT);
	gic_enable_private(info->vtimer_intid, GIC_PRIO_DEFAULT);
	ptick.period = timer_us_to_ticks(PTIMER_PERIOD_US);
	vtick.period = timer_us_to_ticks(VTIMER_PERIOD_US);
	ptick.deadline = pcount() + ptick.period;
	vtick.deadline = timer_count() + vtick.period;
	tick_arm(&ptick, CNT_ENABLE);
	tick_arm(&vtick, CNT_ENABLE);
	end = timer_count() + timer_us_to_ticks(1000000);
	while ((ptick.ticks < TICKS || vtick.ticks < TICKS) && timer_count() < end)
		irq_wait();
	write_sysreg(cntp_ctl_el0, 0);
	timer_stop();
	irq_set_handler(info->ptimer_intid, NULL);
	irq_set_handler(info->vtimer_intid, NULL);
	irq_get_stats(&st);
	for (unsigned int i = 0; i < 2; i++) {
		const struct tick_timer *t = i ? &vtick : &ptick;
		const char *name = i ? "virtual" : "physical";

		if (t->ticks != TICKS) {
			say("check ptimer-vtimer: FAILED (%s timer: %u interrupts in 1 s, wanted %u)", name,
			    t->ticks, TICKS);
			return false;
		}
		if (t->bad) {
			say("check ptimer-vtimer: FAILED (%s timer: %u handlers found ISTATUS clear or the "
			    "count early; last CTL 0x%llx, count 0x%llx, CVAL 0x%llx)", name, t->bad,
			    (unsigned long long)t->bad_ctl, (unsigned long long)t->bad_count,
			    (unsigned long long)t->bad_cval);
			return false;
		}
	}
	if (st.unexpected) {
		say("check ptimer-vtimer: FAILED (%llu unexpected interrupts, last INTID %u)",
		    (unsigned long long)st.unexpected, st.last_unexpected);
		return false;
	}
	say("check ptimer-vtimer: ok (%u ticks each, every handler at or past its CVAL)", TICKS);
	return true;
}

static unsigned int vstale_taken;

static void vstale_handler(u32 intid)
{
	(void)intid;
	vstale_taken++;
	timer_stop(); /* the line falls before the EOI */
}

/* Round @clear: CNTV_CTL_EL0 cleared after the timer fired (else kept firing, the control). */
static bool vtimer_stale_round(u32 intid, bool clear)
{
	u32 bit = 1U << intid;
	u64 end = timer_count() + timer_us_to_ticks(100000);
	bool fired_pending, pending;
	unsigned int taken;

	gic_disable_private(intid);
	timer_irq_start(timer_count() + timer_us_to_ticks(500));
	while (!timer_irq_pending() && timer_count() < end)
		;
	/* 1 ms more: the PPI reaches the GIC (and a hypervisor's EL2) while disabled here. */
	end = timer_count() + timer_us_to_ticks(1000);
	while (timer_count() < end)
		;
	fired_pending = gic_pending_private() & bit;
	if (clear)
		timer_stop();
	pending = gic_pending_private() & bit;
	taken = vstale_taken;
	gic_enable_private(intid, GIC_PRIO_DEFAULT);
	end = timer_count() + timer_us_to_ticks(2000);
	while (timer_count() < end)
		irq_window();
	taken = vstale_taken - taken;
	timer_stop();
	if (!fired_pending) {
		say("check vtimer-stale: FAILED (the fired timer's INTID %u does not read pending while "
		    "disabled)", intid);
		return false;
	}
	if (pending != !clear || taken != (clear ? 0 : 1)) {
		say("check vtimer-stale: FAILED (%s: GICR_ISPENDR0 reads %s, taken %u times when "
		    "enabled; wanted %s, %u)", clear ? "CNTV_CTL_EL0 cleared" : "still firing",
		    pending ? "pending" : "not pending", taken, clear ? "not pending" : "pending",
		    clear ? 0 : 1);
		return false;
	}
	return true;
}

static bool check_vtimer_stale(const struct dt_info *info)
{
	u32 intid = info->vtimer_intid;
	bool ok;

	if (!intid) {
		say("check vtimer-stale: FAILED (%s)", info->vtimer_err);
		return false;
	}
	irq_set_handler(intid, vstale_handler);
	ok = vtimer_stale_round(intid, true) && vtimer_stale_round(intid, false);
	irq_set_handler(intid, NULL);
	if (ok)
		say("check vtimer-stale: ok (fired while disabled, then cleared: not pending, not taken)");
	return ok;
}

/*
 * A software pend of the virtual timer's PPI (GICR_ISPENDR0, as Linux's
 * irq_retrigger does) with the timer off: taken exactly once, then no
 * longer pending. Under a hypervisor that forwards the PPI with the HW bit,
 * the guest's deactivation must meet a physical interrupt that is active.
 */
static bool check_ispendr(const struct dt_info *info)
{
	u32 intid = info->vtimer_intid;
	u64 end = timer_count() + timer_us_to_ticks(2000);
	unsigned int taken;
	bool pending;

	if (!intid) {
		say("check ispendr: FAILED (%s)", info->vtimer_err);
		return false;
	}
	irq_set_handler(intid, vstale_handler);
	timer_stop();
	gic_enable_private(intid, GIC_PRIO_DEFAULT);
	taken = vstale_taken;
	gic_set_pending_private(intid);
	while (timer_count() < end)
		irq_window();
	taken = vstale_taken - taken;
	pending = gic_pending_private() & (1U << intid);
	irq_set_handler(intid, NULL);
	if (taken != 1 || pending) {
		say("check ispendr: FAILED (INTID %u pended by software: taken %u times, then %s)",
		    intid, taken, pending ? "still pending" : "not pending");
		return false;
	}
	say("check ispendr: ok (taken once)");
	return true;
}

/* The PL031's base and INTID from the DT; false when the VM has none. */
static bool find_pl031(const struct dt_info *info, u64 *base, u32 *intid, const char **err)
{
	const void *fdt = (const void *)(uintptr_t)info->fdt;
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl031"), len;
	const fdt32_t *irq;
	struct range r = { 0 };

	*err = NULL;
	if (node < 0)
		return false;
	irq = fdt_getprop(fdt, node, "interrupts", &len);
	if (!dt_reg(fdt, node, 0, &r) || !irq || len < 3 * (int)sizeof(*irq) || fdt32_ld(irq) != 0) {
		*err = "its node has no reg or no SPI in interrupts";
		return true;
	}
	*base = r.base;
	*intid = GIC_PRIVATE_COUNT + fdt32_ld(irq + 1);
	return true;
}

static bool check_level_spi(const struct dt_info *info)
{
	unsigned int runs = 0, on_clear = 0, spurious = 0, other = 0;
	const char *err;
	u64 base;
	u32 intid;

	if (!find_pl031(info, &base, &intid, &err)) {
		say("check level-spi: skipped (no arm,pl031 in the DT)");
		return true;
	}
	if (!err)
		err = gic_enable_spi(intid, GIC_PRIO_DEFAULT, false);
	if (err) {
		say("check level-spi: FAILED (PL031: %s)", err);
		return false;
	}
	mmio_write32(base + PL031_ICR, 1);
	mmio_write32(base + PL031_IMSC, 1);
	for (unsigned int k = 0; k < EVENTS; k++) {
		u64 end = timer_count() + timer_us_to_ticks(100000);
		bool got = false;

		/* A match value equal to the count raises the interrupt at once (QEMU's PL031). */
		mmio_write32(base + PL031_MR, mmio_read32(base + PL031_DR));
		while (timer_count() < end) {
			u32 i;

			if (!(read_sysreg(isr_el1) & ISR_EL1_I))
				continue;
			i = gic_ack();
			if (i >= GIC_INTID_SPECIAL) {
				spurious++;
				continue;
			}
			if (i != intid) {
				other++;
				gic_eoi(i);
				continue;
			}
			runs++;
			if (!(mmio_read32(base + PL031_MIS) & 1))
				on_clear++;
			gic_eoi(i);                         /* EOI first, */
			mmio_write32(base + PL031_ICR, 1);  /* then the device */
			dsb(sy);
			if (!got) /* 5 ms more, for a second run */
				end = timer_count() + timer_us_to_ticks(5000);
			got = true;
		}
		if (!got) {
			say("check level-spi: FAILED (event %u: INTID %u not taken within 100 ms)", k + 1,
			    intid);
			return false;
		}
	}
	mmio_write32(base + PL031_IMSC, 0);
	if (runs != EVENTS || on_clear || other) {
		say("check level-spi: FAILED (%u device events, %u handler runs, %u of them on a clear "
		    "device, %u other INTIDs)", EVENTS, runs, on_clear, other);
		return false;
	}
	say("check level-spi: ok (%u device events, %u handler runs, %u spurious acknowledges)",
	    EVENTS, runs, spurious);
	return true;
}

bool test_level(const struct dt_info *info)
{
	const char *err = gic_init(&info->gic);
	bool ok = check_ptimer();

	if (err) {
		say("check level: FAILED (%s)", err);
		return false;
	}
	ok = check_ptimer_vtimer(info) && ok;
	ok = check_vtimer_stale(info) && ok;
	ok = check_ispendr(info) && ok;
	ok = check_level_spi(info) && ok;
	return ok;
}
