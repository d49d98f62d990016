/*
 * A VM's memory-bandwidth budget in the config (docs/configuration.md,
 * "Memory-bandwidth regulation"): bandwidth-budget = <events period-us>,
 * the PMU events each of its CPUs may cause per period (core/bwreg.c).
 */
#include <string.h>
#include <tessera/bwreg.h>

#include "config_internal.h"

bool bwreg_parse_prop(const void *val, int len, struct vm_config *vm, struct problems *p)
{
	const fdt32_t *cells = val;

	if (len != 8) {
		report(p, vm->node,
		       "bandwidth-budget must be <events period-us>, two cells; write e.g. "
		       "bandwidth-budget = <200000 1000>;");
		return false;
	}
	vm->bandwidth.budget = fdt32_to_cpu(cells[0]);
	vm->bandwidth.period_us = fdt32_to_cpu(cells[1]);
	vm->bandwidth.present = true;
	return true;
}

bool bwreg_validate(const struct vm_config *vm, const struct platform *plat, struct problems *p)
{
	const struct bandwidth_config *b = &vm->bandwidth;
	bool ok = true;

	if (!b->present)
		return true;
	if (b->budget == 0) {
		report(p, vm->node,
		       "bandwidth-budget allows 0 events per period: the VM could never run; "
		       "give at least 1 (or leave bandwidth-budget out: unregulated)");
		ok = false;
	}
	if (b->period_us < BWREG_PERIOD_MIN_US || b->period_us > BWREG_PERIOD_MAX_US) {
		report(p, vm->node,
		       "bandwidth-budget period %u us is outside %u to %u us (below the floor the "
		       "regulator's own cost and overflow latency would dominate); write e.g. "
		       "bandwidth-budget = <%u 1000>;",
		       b->period_us, BWREG_PERIOD_MIN_US, BWREG_PERIOD_MAX_US, b->budget ? b->budget : 200000);
		ok = false;
	}
	if (!plat->pmu.event) {
		report(p, vm->node,
		       "bandwidth-budget needs a CPU PMU with a PPI this Tessera knows "
		       "(arm,cortex-a78-pmu or arm,armv8-pmuv3 in the board's DT) and this board "
		       "has none; remove bandwidth-budget");
		ok = false;
	}
	return ok;
}
