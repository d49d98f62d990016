/*
 * Memory-bandwidth regulation (tessera/bwreg.h): the period/budget state
 * machine, and its CPU side: the PMU's PPI, the period timer, the hold.
 *
 * The hold runs inside the PMU interrupt's handler (or the period timer's,
 * when a period starts with its budget already owed): a loop of WFI and
 * trap_lower_irq() (what an IRQ from the guest runs), until the period
 * timer releases it. Everything aimed at the CPU is served meanwhile: the guest's timers
 * are forwarded to its list registers (taken when it resumes), and a stop
 * or restart message parks the CPU (cpu_handle_msgs -> cpu_park, which
 * never returns and stops the regulator), which ends the hold.
 */
#include <arch/pmu_el2.h>
#include <arch/traps.h>
#include <drivers/gicv3.h>
#include <stddef.h>
#include <tessera/bwreg.h>
#include <tessera/console.h>
#include <tessera/cpu.h>
#include <tessera/vm.h>

void bwreg_init(struct bwreg *r, u32 budget, u64 period)
{
	r->state = BWREG_OFF;
	r->budget = r->next_budget = budget;
	r->period = r->next_period = period;
	r->period_end = 0;
	r->ppi_masked = false;
	r->periods = r->holds = r->debts = r->irqs = 0;
}

void bwreg_start(struct bwreg *r, u64 now)
{
	r->budget = r->next_budget;
	r->period = r->next_period;
	r->period_end = now + r->period;
	r->state = BWREG_RUNNING;
	(void)pmu_el2_take_overflow(); /* a previous life's is not owed */
	r->loaded = r->budget;
	pmu_el2_load(r->budget);
	el2_timer_arm(&r->timer, r->period_end);
}

bool bwreg_overflow(struct bwreg *r, u64 now)
{
	if (r->state != BWREG_RUNNING)
		return false;
	if (now >= r->period_end)
		return false; /* counted in a period that is over: the pending timer refills */
	r->state = BWREG_HELD;
	r->holds++;
	pmu_el2_stop();
	return true;
}

bool bwreg_period(struct bwreg *r, u64 now)
{
	u32 owed = 0, budget;

	if (r->state == BWREG_OFF)
		return false;
	/* An overflow whose interrupt was not taken (masked line, QEMU's PMCR.E): what went past is owed. */
	if (r->state == BWREG_RUNNING && pmu_el2_take_overflow()) {
		owed = pmu_el2_count();
		r->debts++;
	}
	r->budget = r->next_budget;
	r->period = r->next_period;
	if (now >= r->period_end)
		r->period_end += ((now - r->period_end) / r->period + 1) * r->period; /* missed ones skipped */
	r->periods++;
	budget = owed < r->budget ? r->budget - owed : 0;
	el2_timer_arm(&r->timer, r->period_end);
	if (budget == 0) {
		pmu_el2_stop();
		r->state = BWREG_HELD;
		r->holds++;
		return true;
	}
	r->loaded = budget;
	pmu_el2_load(budget);
	r->state = BWREG_RUNNING;
	return false;
}

void bwreg_stop(struct bwreg *r)
{
	r->state = BWREG_OFF;
	pmu_el2_stop();
	el2_timer_cancel(&r->timer);
}

void bwreg_set_budget(struct bwreg *r, u32 budget, u64 period)
{
	r->next_budget = budget;
	r->next_period = period;
}

/* ---- the CPU side */

static struct bwreg regulators[PLATFORM_MAX_CPUS];
static bool regulated[PLATFORM_MAX_CPUS];

struct bwreg *bwreg_this_cpu(void)
{
	unsigned int cpu = this_cpu()->index;

	return regulated[cpu] ? &regulators[cpu] : NULL;
}

/*
 * Where the PMU raises an overflow only at the CPU's next exception (QEMU,
 * platform_pmu.c), a timer makes one at the earliest time @events can have
 * been counted: QEMU's INST_RETIRED is at most one per ns under -icount
 * shift=0. Not overflowed by then (part of the time was spent at EL2), it
 * looks again when the rest can have been, unless the rest is within
 * NUDGE_SLACK of the budget: then it counts as spent, as looking again and
 * again would cost more EL2 time than the guest gets between looks. So on
 * QEMU a hold is taken here, not by the PMU interrupt (bwreg_irq), which
 * only the unit test drives; an arming at the budget plus a margin, to let
 * the interrupt come first, overshot by up to 50% beside a busy vCPU
 * (QEMU's round robin runs the other vCPU before this one sees it).
 */
#define NUDGE_SLACK(loaded) ((loaded) / 64)

static void nudge_arm(struct bwreg *r, u32 events)
{
	u64 freq = read_sysreg(cntfrq_el0);

	if (platform.pmu.overflow_at_exception)
		el2_timer_arm(&r->nudge, el2_timer_now() + ((u64)events * freq + 999999999) / 1000000000);
}

/*
 * Out of the guest until the period timer releases it, serving every
 * interrupt meanwhile as if taken from the guest. Through trap_lower_irq(),
 * not a copy of the inline irq_dispatch(): a second caller of the virtual
 * timer's path made LTO stop inlining it into trap_lower_irq(), 4
 * instructions more on every CPU's timer interrupt (benchguest
 * timer_to_handler 203 -> 207 ns).
 */
static void hold(struct bwreg *r)
{
	while (READ_ONCE(r->state) == BWREG_HELD) {
		wfi();
		trap_lower_irq(&this_cpu()->guest);
	}
}

static void nudge_fire(struct el2_timer *timer)
{
	struct bwreg *r = (struct bwreg *)((char *)timer - offsetof(struct bwreg, nudge));
	u32 left;

	if (r->state != BWREG_RUNNING)
		return;
	left = pmu_el2_take_overflow() ? 0 : 0U - pmu_el2_count();
	if (left > NUDGE_SLACK(r->loaded))
		nudge_arm(r, left);
	else if (bwreg_overflow(r, el2_timer_now()))
		hold(r);
}

static void period_fire(struct el2_timer *timer)
{
	struct bwreg *r = (struct bwreg *)((char *)timer - offsetof(struct bwreg, timer));

	if (r->state == BWREG_OFF)
		return; /* stopped after the interrupt was taken */
	if (r->ppi_masked) {
		r->ppi_masked = false;
		gic_enable_private(platform.pmu.intid);
	}
	/* A hint (el2_timer.h): early, it re-arms the same deadline. */
	if (el2_timer_now() < r->period_end) {
		el2_timer_arm(&r->timer, r->period_end);
		return;
	}
	if (bwreg_period(r, el2_timer_now()))
		hold(r);
	else
		nudge_arm(r, r->loaded);
}

void bwreg_cpu_init(void)
{
	struct cpu *cpu = this_cpu();
	const struct vm_config *cfg = cpu->vcpu ? cpu->vcpu->vm->cfg : NULL;
	struct bwreg *r = &regulators[cpu->index];

	regulated[cpu->index] = false;
	if (!cfg || !cfg->bandwidth.present)
		return; /* unregulated: the PMU stays the guest's, whole */
	if (!platform.pmu.event || pmu_el2_counters() == 0) {
		printk("tessera: CPU %u: VM %s has a bandwidth-budget but this CPU has no PMU "
		       "counter to spare; it runs unregulated\n", cpu->index, cpu->vcpu->vm->name);
		return;
	}
	bwreg_init(r, cfg->bandwidth.budget,
		   (u64)cfg->bandwidth.period_us * (read_sysreg(cntfrq_el0) / 1000000));
	r->timer = EL2_TIMER_INIT(period_fire);
	r->nudge = EL2_TIMER_INIT(nudge_fire);
	pmu_el2_reserve(platform.pmu.event, platform.pmu.irq_needs_pmcr_e);
	gic_enable_private(platform.pmu.intid);
	regulated[cpu->index] = true;
	printk("tessera: CPU %u (VM %s): %u %s events per %u us; the guest sees %u PMU counters\n",
	       cpu->index, cpu->vcpu->vm->name, cfg->bandwidth.budget, platform.pmu.event_name,
	       cfg->bandwidth.period_us, pmu_el2_counters() - 1);
}

void bwreg_vcpu_start(void)
{
	struct bwreg *r = bwreg_this_cpu();

	if (r) {
		bwreg_start(r, el2_timer_now());
		nudge_arm(r, r->loaded);
	}
}

void bwreg_cpu_park(void)
{
	struct bwreg *r = bwreg_this_cpu();

	bool held;

	if (!r || r->state == BWREG_OFF)
		return;
	held = r->state == BWREG_HELD;
	bwreg_stop(r);
	el2_timer_cancel(&r->nudge);
	printk("tessera: CPU %u: bandwidth regulator stopped after %llu periods, %llu holds "
	       "(%llu with the budget owed), %llu PMU interrupts%s\n", this_cpu()->index,
	       (unsigned long long)r->periods, (unsigned long long)r->holds,
	       (unsigned long long)r->debts, (unsigned long long)r->irqs,
	       held ? "; it was holding the vCPU" : "");
}

bool bwreg_irq(u32 intid)
{
	struct bwreg *r;

	if (intid != platform.pmu.intid || !intid)
		return false;
	r = bwreg_this_cpu();
	if (!r)
		return true; /* stale: never enabled on an unregulated CPU */
	r->irqs++;
	if (pmu_el2_take_overflow()) {
		if (bwreg_overflow(r, el2_timer_now()))
			hold(r);
	} else if (r->state != BWREG_OFF) {
		/*
		 * The guest's own overflow keeps the shared line up (no VM is given the
		 * PMU interrupt: its DT has no PMU node). Masked until the next period;
		 * an overflow of EL2's meanwhile is owed then (bwreg_period).
		 */
		gic_disable_private(intid);
		r->ppi_masked = true;
	}
	return true;
}
