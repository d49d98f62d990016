/*
 * SMCCC dispatch (Arm DEN 0028). Guests reach it with HVC #0 or with an SMC
 * that HCR_EL2.TSC traps. PSCI and the SMCCC architecture calls are answered,
 * and the management calls for the manager VM (core/manage.c); every other
 * function ID gets NOT_SUPPORTED. The discovery calls a guest
 * routinely makes at boot (known_probes) get it silently; the first few other
 * IDs per VM are noted on the console so a misbehaving guest is visible
 * without flooding it.
 */
#include <arch/cpu_regs.h>
#include <drivers/psci.h>
#include <tessera/console.h>
#include <tessera/cpu.h>
#include <tessera/hypercall.h>
#include <tessera/manage.h>
#include <tessera/vm.h>

#define UNKNOWN_CALLS_REPORTED 8

#define SMCCC_TRNG_VERSION 0x84000050u        /* True Random Number Generator interface */
#define SMCCC_VENDOR_HYP_CALL_UID 0x8600ff01u /* vendor-specific hypervisor service UID */

/*
 * Services Tessera does not offer, which guests probe for at boot. The answer
 * is the one firmware without the service gives: NOT_SUPPORTED (-1), the
 * value of an unknown function ID (DEN 0028, "Unknown Function Identifier")
 * and what each probe's own specification names for "not implemented". The
 * guest is told exactly that, so there is nothing to report: no console line,
 * not even a per-VM summary (it would print on every Linux boot and say
 * nothing a reader could act on). SMCCC_ARCH_FEATURES and PSCI_FEATURES
 * queries, Linux's other boot probes, are answered by smccc_arch() and
 * vpsci_handle().
 */
static const u32 known_probes[] = {
	/*
	 * Arm DEN 0098, "TRNG_VERSION": NOT_SUPPORTED when the TRNG interface
	 * is not implemented; Linux 6.1 smccc_probe_trng().
	 */
	SMCCC_TRNG_VERSION,
	/*
	 * DEN 0028, "General Service Queries" (function 0xFF01 of owner 6);
	 * Linux 6.1 kvm_init_hyp_services() looks for KVM's UID there.
	 */
	SMCCC_VENDOR_HYP_CALL_UID,
};

static bool known_probe(u32 fid)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(known_probes); i++)
		if (known_probes[i] == fid)
			return true;
	return false;
}

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

bool hypercall_smccc_arch(struct guest_regs *regs)
{
	u32 fid = (u32)regs->x[0];

	return SMCCC_OWNER(fid) == SMCCC_OWNER_ARCH && smccc_arch(regs, fid);
}

void hypercall_smccc_other(struct guest_regs *regs, const char *conduit)
{
	u32 fid = (u32)regs->x[0];
	struct vm *vm = this_cpu()->vcpu->vm;
	bool handled = false;

	switch (SMCCC_OWNER(fid)) {
	case SMCCC_OWNER_STANDARD:
		handled = vpsci_handle(regs, fid);
		break;
	case SMCCC_OWNER_VENDOR_HYP:
		/* The management calls, for the manager only (tessera/manage.h). */
		handled = fid >= MANAGE_FID_BASE && manage_hvc(vm, regs, fid);
		break;
	default:
		break;
	}
	if (handled)
		return;

	if (!known_probe(fid) && vm->unknown_calls_reported < UNKNOWN_CALLS_REPORTED) {
		vm->unknown_calls_reported++;
		printk("tessera: VM %s: unknown SMCCC call 0x%08x via %s: NOT_SUPPORTED\n", vm->name,
		       fid, conduit);
	}
	regs->x[0] = (u64)SMCCC_RET_NOT_SUPPORTED;
}
