/* PSCI client: how Tessera starts CPUs and powers the machine off. */
#include <arch/sysregs.h>
#include <drivers/psci.h>

static const struct platform *psci_plat;

void psci_init(const struct platform *plat)
{
	psci_plat = plat;
}

static u64 psci_call(u64 fid, u64 a1, u64 a2, u64 a3)
{
	/* At EL2 an HVC would trap to ourselves: only SMC reaches firmware. */
	if (!psci_plat || psci_plat->psci_conduit != PSCI_CONDUIT_SMC)
		return (u64)PSCI_RET_NOT_SUPPORTED;
	return smccc_smc(fid, a1, a2, a3);
}

long psci_cpu_on(u64 mpidr, u64 entry, u64 context)
{
	return (long)psci_call(psci_plat->psci_cpu_on, mpidr, entry, context);
}

void psci_system_off(void)
{
	psci_call(psci_plat->psci_system_off, 0, 0, 0);
	for (;;) /* firmware without SYSTEM_OFF: stay quiet */
		wfi();
}
