/*
 * ipi: an SGI from vCPU 0 to vCPU 1, timed in CNTVCT_EL0 ticks, which both
 * vCPUs read alike (one counter, one CNTVOFF per VM). vCPU 1 is started with
 * PSCI CPU_ON (secondary.S) and waits in WFI, IRQs masked, then unmasks
 * (the same wait as the timer's). One sample:
 *
 *   vCPU 1: ready = k; wfi; msr daifclr, #2; isb; ...
 *   vCPU 0: sees ready == k, lets 1 us pass (vCPU 1 is in WFI by then), then
 *           isb; mrs t, CNTVCT_EL0; str t, [sent]; dsb ish; msr ICC_SGI1R_EL1, v;
 *           isb; yield
 *   vCPU 1: IRQ vector reads CNTVCT_EL0 (stamp.S); its handler stores
 *           ticks = that - sent, then done = k
 *
 * PMU counters are per CPU (and under QEMU's single-threaded TCG they count
 * every vCPU's instructions), so there is no instruction figure for this one.
 * vCPU 0 waits with YIELD: a hint on hardware; under QEMU's single-threaded
 * TCG (icount) it hands the host thread to the next vCPU, which is how
 * vCPU 1 gets to run at all. At the end vCPU 1 calls CPU_OFF and vCPU 0
 * waits for AFFINITY_INFO to say OFF, so that later measurements run alone.
 */
#include "bench.h"
#include "gic.h"
#include "irq.h"
#include "percpu.h"
#include "pmu.h"
#include "psci.h"
#include "report.h"
#include "sysreg.h"
#include "timer.h"

#define IPI_SGI 1
#define IPI_SETTLE_US 1
#define IPI_GIVE_UP_US 1000000
#define IPI_STACK_SIZE 0x4000
/* MPIDR_EL1 affinity, Aff3 [39:32] and Aff2-Aff0 [23:0], as the DT's /cpus reg gives it. */
#define MPIDR_AFF_MASK 0xff00ffffffULL

/*
 * Stores CNTVCT_EL0 at @sent, then sends the SGI @sgi1r: the sender's side of
 * a sample. The YIELD after it: QEMU's single-threaded TCG does not switch to
 * the target vCPU when an interrupt is raised for it, only when the running
 * one yields, halts or ends its time slice.
 */
static void ipi_send(u64 sgi1r, u64 *sent)
{
	u64 t;

	__asm__ volatile("isb\n\tmrs %[t], cntvct_el0\n\tstr %[t], [%[s]]\n\tdsb ish\n\t"
			 "msr icc_sgi1r_el1, %[v]\n\tisb\n\tyield"
			 : [t] "=&r"(t)
			 : [s] "r"(sent), [v] "r"(sgi1r)
			 : "memory");
}

enum { UP_WAITING, UP_RUNNING, UP_FAILED };

/* Shared by the two vCPUs; each field says who writes it. */
static struct {
	u32 up;    /* vCPU 1: UP_* */
	u32 ready; /* vCPU 1: the sample it waits for, set just before each WFI */
	u32 done;  /* vCPU 1: the last sample it recorded */
	u32 stop;  /* vCPU 0: leave */
	u64 sent;  /* vCPU 0: CNTVCT_EL0 just before the SGI */
	u32 n;     /* vCPU 0, before CPU_ON: samples wanted */
	const char *err;          /* vCPU 1: why it could not set up its GIC */
	const struct dt_gic *gic; /* vCPU 0, before CPU_ON */
} ipi;

static struct bench_cpu cpu1;
static u8 cpu1_stack[IPI_STACK_SIZE] __attribute__((aligned(16)));

void secondary_entry(void); /* secondary.S */
void ipi_secondary_main(void) __attribute__((noreturn));

static u32 load(const u32 *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store(u32 *p, u32 v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* vCPU 1 (IRQ): the sample is the vector's count minus the sender's. */
static void ipi_handler(u32 intid)
{
	u32 k = ipi.done + 1;

	(void)intid;
	this_cpu()->taken++;
	if (load(&ipi.stop) || k > ipi.n)
		return;
	bench_samples[BUF_A_TICKS][k - 1] = (u32)(this_cpu()->entry_ticks - ipi.sent);
	store(&ipi.done, k);
}

void ipi_secondary_main(void)
{
	const char *err;

	percpu_init(&cpu1);
	err = gic_cpu_init(ipi.gic);
	if (err) {
		ipi.err = err;
		store(&ipi.up, UP_FAILED);
		psci_cpu_off();
	}
	gic_enable_private(IPI_SGI, GIC_PRIO_DEFAULT);
	store(&ipi.up, UP_RUNNING);
	while (!load(&ipi.stop)) {
		store(&ipi.ready, ipi.done + 1);
		irq_wait();
	}
	psci_cpu_off();
}

/* vCPU 0: yields until *@p == @want (@equal) or != @want (!@equal); false after 1 s. */
static bool wait_for(const u32 *p, u32 want, bool equal)
{
	u64 end = timer_count() + timer_us_to_ticks(IPI_GIVE_UP_US);

	while ((load(p) == want) != equal) {
		if (timer_count() > end)
			return false;
		__asm__ volatile("yield" : : : "memory");
	}
	return true;
}

static bool cpu1_off(u64 target)
{
	u64 end = timer_count() + timer_us_to_ticks(IPI_GIVE_UP_US);

	while (psci_affinity_info(target) != PSCI_AFFINITY_OFF) {
		if (timer_count() > end)
			return false;
		__asm__ volatile("yield" : : : "memory");
	}
	return true;
}

/* The first CPU of the DT that is not this one, or false. */
static bool other_cpu(const struct dt_info *dt, u64 *target)
{
	u64 me = read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;

	for (u32 i = 0; i < dt->cpu_count; i++) {
		if ((dt->cpu_mpidr[i] & MPIDR_AFF_MASK) != me) {
			*target = dt->cpu_mpidr[i] & MPIDR_AFF_MASK;
			return true;
		}
	}
	return false;
}

/* Runs the samples; NULL, or why it stopped. */
static const char *run(u64 target, u32 n)
{
	u64 sgi = gic_sgi1r(IPI_SGI, target), settle = timer_us_to_ticks(IPI_SETTLE_US);
	s64 ret;

	ret = psci_cpu_on(target, (u64)(uintptr_t)secondary_entry,
			  (u64)(uintptr_t)(cpu1_stack + sizeof(cpu1_stack)));
	if (ret)
		return "PSCI CPU_ON for vCPU 1 failed";
	if (!wait_for(&ipi.up, UP_WAITING, false))
		return "vCPU 1 did not start within 1 s";
	if (load(&ipi.up) == UP_FAILED)
		return ipi.err;
	for (u32 k = 1; k <= n; k++) {
		u64 end;

		if (!wait_for(&ipi.ready, k, true))
			return "vCPU 1 stopped waiting for SGIs";
		end = timer_count() + settle;
		while (timer_count() < end)
			;
		ipi_send(sgi, &ipi.sent);
		if (!wait_for(&ipi.done, k, true))
			return "an SGI was not taken on vCPU 1 within 1 s";
	}
	return NULL;
}

void bench_ipi(const struct bench_ctx *ctx)
{
	const char *err = NULL;
	u64 target = 0;

	if (ctx->dt->cpu_count < 2 || !other_cpu(ctx->dt, &target))
		err = "one vCPU: the DT's /cpus has no second CPU";
	else if (!ctx->gic_up)
		err = ctx->gic_err;
	else if (psci_conduit() == CONDUIT_NONE)
		err = "no PSCI in the DT: vCPU 1 cannot be started";
	if (err) {
		report_unavailable("ipi", pmu_unit(), "%s", err);
		report_unavailable("ipi", "ticks", "%s", err);
		return;
	}

	ipi.gic = &ctx->dt->gic;
	ipi.n = ctx->samples;
	irq_set_handler(IPI_SGI, ipi_handler);
	err = run(target, ctx->samples);
	store(&ipi.stop, 1);
	ipi_send(gic_sgi1r(IPI_SGI, target), &ipi.sent); /* out of its WFI, to CPU_OFF */
	if (!err && !cpu1_off(target))
		err = "vCPU 1 did not turn off within 1 s";
	irq_set_handler(IPI_SGI, NULL);

	report_unavailable("ipi", pmu_unit(),
			   "PMU counters are per CPU: the IPI is timed in ticks only");
	if (err)
		report_unavailable("ipi", "ticks", "%s", err);
	else
		report("ipi", "ticks", bench_samples[BUF_A_TICKS], ctx->samples, 1, NULL);
}
