/* Per-vCPU stamps and the vector table that writes them (percpu.h, stamp.S). */
#include "percpu.h"
#include "pmu.h"
#include "sysreg.h"

/* stamp.S: the common vectors with a stamping IRQ entry, with and without the PMU read. */
extern char bench_vectors_pmu[], bench_vectors_nopmu[];

void percpu_init(struct bench_cpu *c)
{
	write_sysreg(tpidr_el1, (u64)(uintptr_t)c);
	write_sysreg(vbar_el1, (u64)(uintptr_t)(pmu_mode() != PMU_NONE ? bench_vectors_pmu
								       : bench_vectors_nopmu));
	isb();
}

struct bench_cpu *this_cpu(void)
{
	return (struct bench_cpu *)(uintptr_t)read_sysreg(tpidr_el1);
}

void percpu_after_eoi(u32 intid)
{
	struct bench_cpu *c = this_cpu();

	(void)intid;
	c->eoi_pmu = pmu_read();
	c->eoi_ticks = read_sysreg(cntvct_el0);
}
