/*
 * SMCCC dispatch (Arm DEN 0028). Guests reach it with HVC #0 or with an SMC
 * that HCR_EL2.TSC traps. PSCI and the SMCCC architecture calls are answered;
 * every other function ID gets NOT_SUPPORTED, and the first few per VM are
 * noted on the console so a misbehaving guest is visible without flooding it.
 */
#include <arch/cpu_regs.h>
#include <drivers/psci.h>
#include <tessera/console.h>
#include <tessera/cpu.h>
#include <tessera/hypercall.h>
#include <tessera/vm.h>

#define UNKNOWN_CALLS_REPORTED 8

static bool smccc_arch(struct guest_regs *regs, u32 fid)
{
	switch (fid) {
	case SMCCC_VERSION:
		regs->x[0] = SMCCC_VERSION_1_1;
		return true;
	case SMCCC_ARCH_FEATURES:
		/* Only the calls that exist here; no workaround is offered yet. */
		regs->x[0] = (u32)regs->x[1] == SMCCC_VERSION ? SMCCC_RET_SUCCESS : (u64)SMCCC_RET_NOT_SUPPORTED;
		return true;
	default:
		return false;
	}
}

void hypercall_smccc(struct guest_regs *regs, const char *conduit)
{
	u32 fid = (u32)regs->x[0];
	struct vm *vm = this_cpu()->vcpu->vm;
	bool handled = false;

	switch (SMCCC_OWNER(fid)) {
	case SMCCC_OWNER_ARCH:
		handled = smccc_arch(regs, fid);
		break;
	case SMCCC_OWNER_STANDARD:
		handled = vpsci_handle(regs, fid);
		break;
	default:
		break;
	}
	if (handled)
		return;

	if (vm->unknown_calls_reported < UNKNOWN_CALLS_REPORTED) {
		vm->unknown_calls_reported++;
		printk("tessera: VM %s: unknown SMCCC call 0x%08x via %s: NOT_SUPPORTED\n", vm->name,
		       fid, conduit);
	}
	regs->x[0] = (u64)SMCCC_RET_NOT_SUPPORTED;
}
