/*
 * The EL2 timer service (tessera/el2_timer.h). One list of armed timers per
 * CPU, one lock for all of them (arming moves a timer between CPUs; the
 * lists are a few entries: the BPMP's and one watchdog per VM). Each CPU's
 * CNTHP is set to the earliest deadline on its own list; a CPU cannot set
 * another's, so a timer cancelled or moved away leaves a stale CNTHP behind,
 * and the interrupt it raises finds nothing expired: harmless.
 */
#include <arch/sysregs.h>
#include <drivers/gicv3.h>
#include <tessera/cpu.h>
#include <tessera/el2_timer.h>
#include <tessera/spinlock.h>

/* DDI 0487 J.a D19.12.10, CNTHP_CTL_EL2: ENABLE; IMASK clear. */
#define CNTHP_CTL_ENABLE 1U

/* Callbacks one interrupt makes at most; more expired re-fire at once (bounded stack). */
#define EL2_TIMER_FIRE_MAX 8

static struct {
	struct spinlock lock;
	u32 intid;
	struct el2_timer *armed[PLATFORM_MAX_CPUS];
} el2_timers;

void el2_timer_init(const struct platform *plat)
{
	for (unsigned int i = 0; i < PLATFORM_MAX_CPUS; i++)
		el2_timers.armed[i] = NULL;
	el2_timers.intid = plat->timer_intid[3]; /* the EL2 physical timer's PPI */
}

void el2_timer_cpu_init(void)
{
	write_sysreg(cnthp_ctl_el2, 0);
	isb();
	gic_enable_private(el2_timers.intid);
}

u64 el2_timer_now(void)
{
	return read_sysreg(cntpct_el0);
}

/* This CPU's CNTHP at the earliest deadline on its list, or off. Under the lock. */
static void program(unsigned int cpu)
{
	struct el2_timer *t = el2_timers.armed[cpu];
	u64 first = ~0ULL;

	for (; t; t = t->next)
		if (t->deadline < first)
			first = t->deadline;
	if (first == ~0ULL) {
		write_sysreg(cnthp_ctl_el2, 0);
	} else {
		write_sysreg(cnthp_cval_el2, first);
		write_sysreg(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
	}
	isb();
}

/* Off its CPU's list, under the lock: true when it was on one. */
static bool unlink(struct el2_timer *timer)
{
	struct el2_timer **link;

	if (timer->cpu < 0)
		return false;
	for (link = &el2_timers.armed[timer->cpu]; *link; link = &(*link)->next)
		if (*link == timer) {
			*link = timer->next;
			break;
		}
	timer->cpu = -1;
	timer->next = NULL;
	return true;
}

void el2_timer_arm(struct el2_timer *timer, u64 deadline)
{
	unsigned int cpu = this_cpu()->index;

	spin_lock(&el2_timers.lock);
	unlink(timer);
	timer->deadline = deadline;
	timer->cpu = (int)cpu;
	timer->next = el2_timers.armed[cpu];
	el2_timers.armed[cpu] = timer;
	program(cpu);
	spin_unlock(&el2_timers.lock);
}

bool el2_timer_cancel(struct el2_timer *timer)
{
	bool was;
	int cpu;

	spin_lock(&el2_timers.lock);
	cpu = timer->cpu;
	was = unlink(timer);
	if (was && cpu == (int)this_cpu()->index)
		program((unsigned int)cpu); /* its own CNTHP is set at once; another CPU's goes stale */
	spin_unlock(&el2_timers.lock);
	return was;
}

bool el2_timer_irq(u32 intid)
{
	struct el2_timer *expired[EL2_TIMER_FIRE_MAX];
	unsigned int cpu, n = 0;
	struct el2_timer **link;
	u64 now;

	if (intid != el2_timers.intid)
		return false;
	cpu = this_cpu()->index;
	spin_lock(&el2_timers.lock);
	write_sysreg(cnthp_ctl_el2, 0); /* the level line drops; program() re-arms what is left */
	now = el2_timer_now();
	link = &el2_timers.armed[cpu];
	while (*link && n < EL2_TIMER_FIRE_MAX) {
		struct el2_timer *t = *link;

		if (t->deadline > now) {
			link = &t->next;
			continue;
		}
		*link = t->next;
		t->cpu = -1;
		t->next = NULL;
		expired[n++] = t;
	}
	program(cpu); /* any expired one left over makes it fire again at once */
	spin_unlock(&el2_timers.lock);
	for (unsigned int i = 0; i < n; i++)
		expired[i]->fire(expired[i]);
	return true;
}
