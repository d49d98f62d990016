/*
 * PSCI for guests (Arm DEN 0022), version 1.1. Each VM sees only its own
 * vCPUs; SYSTEM_OFF stops that VM alone.
 */
#include <arch/cpu_regs.h>
#include <drivers/psci.h>
#include <tessera/cpu.h>
#include <tessera/hypercall.h>
#include <tessera/vm.h>

static bool psci_implemented(u32 fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_FEATURES:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
		return true;
	default:
		return false;
	}
}

bool vpsci_handle(struct guest_regs *regs, u32 fid)
{
	struct vcpu *vcpu = this_cpu()->vcpu;

	switch (fid) {
	case PSCI_VERSION:
		regs->x[0] = PSCI_VERSION_1_1;
		return true;
	case PSCI_FEATURES:
		regs->x[0] = psci_implemented((u32)regs->x[1]) ? PSCI_RET_SUCCESS
							       : (u64)(s64)PSCI_RET_NOT_SUPPORTED;
		return true;
	case PSCI_MIGRATE_INFO_TYPE:
		regs->x[0] = 2; /* no Trusted OS that needs migrating */
		return true;
	case PSCI_SYSTEM_OFF:
		vm_stop(vcpu->vm, "PSCI SYSTEM_OFF");
	default:
		return false;
	}
}
