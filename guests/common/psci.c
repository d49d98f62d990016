/* SMCCC calls by HVC or SMC, and the PSCI calls the guest makes (psci.h). */
#include "psci.h"

/* Until the DT is read: both QEMU virt at EL1 and Tessera take PSCI by HVC. */
static enum smccc_conduit psci_method = CONDUIT_HVC;

/* SMCCC (DEN 0028): arguments in x0-x3, result in x0; x4-x17 are not preserved. */
#define SMCCC_CALL(insn, x0, x1, x2, x3)                                                 \
	__asm__ volatile(insn " #0"                                                      \
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)                         \
			 :                                                                \
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", \
			   "x14", "x15", "x16", "x17", "memory")

s64 smccc_call(enum smccc_conduit conduit, u32 fid, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 __asm__("x0") = fid;
	register u64 x1 __asm__("x1") = a1;
	register u64 x2 __asm__("x2") = a2;
	register u64 x3 __asm__("x3") = a3;

	if (conduit == CONDUIT_HVC)
		SMCCC_CALL("hvc", x0, x1, x2, x3);
	else if (conduit == CONDUIT_SMC)
		SMCCC_CALL("smc", x0, x1, x2, x3);
	else
		return SMCCC_RET_NOT_SUPPORTED;
	/* An SMC32/HVC32 call returns W0; bits [63:32] of X0 carry nothing. */
	if (!(fid & SMCCC_FID_SMC64))
		return (s64)(int32_t)(u32)x0;
	return (s64)x0;
}

void psci_set_conduit(enum smccc_conduit conduit)
{
	psci_method = conduit;
}

enum smccc_conduit psci_conduit(void)
{
	return psci_method;
}

const char *conduit_name(enum smccc_conduit conduit)
{
	switch (conduit) {
	case CONDUIT_HVC:
		return "hvc";
	case CONDUIT_SMC:
		return "smc";
	default:
		return "none";
	}
}

s64 psci_version(void)
{
	return smccc_call(psci_method, PSCI_0_2_FN_PSCI_VERSION, 0, 0, 0);
}

s64 psci_cpu_on(u64 mpidr, u64 entry, u64 context)
{
	return smccc_call(psci_method, PSCI_0_2_FN64_CPU_ON, mpidr, entry, context);
}

void psci_cpu_off(void)
{
	smccc_call(psci_method, PSCI_0_2_FN_CPU_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

s64 psci_cpu_suspend(u32 power_state, u64 entry, u64 context)
{
	return smccc_call(psci_method, PSCI_0_2_FN64_CPU_SUSPEND, power_state, entry, context);
}

s64 psci_features(u32 fid)
{
	return smccc_call(psci_method, PSCI_1_0_FN_PSCI_FEATURES, fid, 0, 0);
}

s64 psci_affinity_info(u64 mpidr)
{
	return smccc_call(psci_method, PSCI_0_2_FN64_AFFINITY_INFO, mpidr, 0, 0);
}

void psci_system_off(void)
{
	smccc_call(psci_method, PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

void psci_system_reset(void)
{
	smccc_call(psci_method, PSCI_0_2_FN_SYSTEM_RESET, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}
