/*
 * The CPU PMU in the boot DT (arm,pmu.yaml): its overflow interrupt (a PPI)
 * and, by the core its compatible names, the event the memory-bandwidth
 * regulator counts (core/bwreg.c, docs/architecture.md "Memory-bandwidth
 * regulation"). A board whose PMU node is absent, not a PPI or of a core
 * not in the table has no regulator: plat->pmu.event stays 0 and the config
 * checker refuses a bandwidth budget there.
 */
#include <string.h>

#include "platform_internal.h"

static const struct platform_pmu_kind {
	const char *compatible;
	u32 event;
	const char *event_name;
	bool irq_needs_pmcr_e, overflow_at_exception;
} kinds[] = {
	/*
	 * Tegra234 (Cortex-A78AE): L3D_CACHE_REFILL, "Attributable Level 3 unified
	 * cache refill" (Arm Cortex-A78AE Core TRM, 101779, PMU events table:
	 * 0x2A): the refills of the cluster's L3 this core causes, i.e. its reads
	 * that go to the system cache and DRAM, the traffic MemGuard budgets.
	 */
	{ "arm,cortex-a78-pmu", 0x2a, "L3D_CACHE_REFILL", false, false },
	/*
	 * QEMU virt names the generic PMUv3. QEMU 7.2 counts only SW_INCR,
	 * CPU_CYCLES and, under -icount, INST_RETIRED (0x08, DDI 0487 D13.11
	 * common events), and that one is the global instruction count: while
	 * this CPU is at EL1/EL0 it advances with every vCPU's instructions, so
	 * it stands for guest time spent in the guest, not for memory traffic.
	 * QEMU raises the PMU interrupt only while PMCR_EL0.E is set, also for
	 * counters at or above HPMN (target/arm/helper.c pmu_update_irq), where
	 * the architecture enables by MDCR_EL2.HPME: hence irq_needs_pmcr_e. And
	 * under -icount it sees an event counter overflow only when the CPU takes
	 * an exception (measured: the interrupt came with the next period's
	 * timer, 700000 events late on a 300000 budget): overflow_at_exception.
	 */
	{ "arm,armv8-pmuv3", 0x08, "INST_RETIRED", true, true },
};

int platform_pmu_parse(struct dt *dt, struct platform *plat)
{
	struct platform_pmu *pmu = &plat->pmu;

	memset(pmu, 0, sizeof(*pmu));
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		int node = fdt_node_offset_by_compatible(dt->fdt, -1, kinds[i].compatible);
		int n;

		if (node < 0 || !node_usable(dt->fdt, node, false))
			continue;
		n = irq_count(dt, node);
		if (n < 0)
			return -1;
		/* One PPI for every CPU; a per-CPU SPI list (old boards) is not supported. */
		if (n < 1 || irq_intid(dt, node, 0, &pmu->intid) || !intid_is_ppi(pmu->intid)) {
			memset(pmu, 0, sizeof(*pmu));
			return 0;
		}
		pmu->event = kinds[i].event;
		pmu->event_name = kinds[i].event_name;
		pmu->irq_needs_pmcr_e = kinds[i].irq_needs_pmcr_e;
		pmu->overflow_at_exception = kinds[i].overflow_at_exception;
		return 0;
	}
	return 0;
}
