/*
 * Synchronous exceptions from the guest: one table indexed by exception
 * class. Every class Tessera does not handle answers with an Undefined
 * Instruction exception injected into the guest (as KVM and Xen do), so an
 * unexpected trap never reaches a panic. The PC is advanced here and only here.
 */
#include <arch/esr.h>
#include <arch/sysregs.h>
#include <arch/traps.h>
#include <drivers/gicv3.h>
#include <tessera/cpu.h>
#include <drivers/psci.h>
#include <tessera/console.h>
#include <tessera/device.h>
#include <tessera/hypercall.h>
#include <tessera/irq.h>
#include <tessera/vm.h>

#define UNDEF_REPORTS_PER_VM 8

/* Anything Tessera does not emulate: the guest gets an Undefined Instruction exception. */
static enum trap_result trap_undef(struct guest_regs *regs, u64 esr)
{
	struct vm *vm = this_cpu()->vcpu->vm;

	if (vm->undef_reported < UNDEF_REPORTS_PER_VM) {
		vm->undef_reported++;
		if (ESR_EC(esr) == ESR_EC_SYS64)
			printk("tessera: VM %s: %s of S%u_%u_C%u_C%u_%u at PC 0x%lx: "
			       "undefined instruction injected\n",
			       vm->name, ESR_SYS_READ(esr) ? "read" : "write",
			       (unsigned int)ESR_SYS_OP0(esr), (unsigned int)ESR_SYS_OP1(esr),
			       (unsigned int)ESR_SYS_CRN(esr), (unsigned int)ESR_SYS_CRM(esr),
			       (unsigned int)ESR_SYS_OP2(esr), regs->elr);
		else
			printk("tessera: VM %s: %s trap at PC 0x%lx: undefined instruction injected\n",
			       vm->name, esr_class_name(esr), regs->elr);
	}
	inject_undef(regs);
	return TRAP_RESUME;
}

/*
 * The Group 1 ICC_* registers ICH_HCR_EL2.TALL1 traps (IHI 0069H 12.4.4):
 * op0 3, op1 0, CRn 12, but not CRm 11 (SGI generation, trapped by IMO).
 */
static bool icc_group1_access(u64 esr)
{
	return ESR_SYS_OP0(esr) == 3 && ESR_SYS_OP1(esr) == 0 && ESR_SYS_CRN(esr) == 12 &&
	       ESR_SYS_CRM(esr) != 11;
}

static enum trap_result trap_sysreg(struct guest_regs *regs, u64 esr)
{
	/* A virtual IPI first: the one system-register trap on a hot path (never a TALL1 trap, CRm 11). */
	if (sysreg_trap_sgi1r(regs, esr))
		return TRAP_SKIP;
	/* The vGIC asked to see the guest's acknowledge: it looks, then the access runs untrapped. */
	if (icc_group1_access(esr) && vgic_resample_lrs(this_cpu()->vcpu))
		return TRAP_RESUME;
	return sysreg_trap_emulate(regs, esr) ? TRAP_SKIP : trap_undef(regs, esr);
}

/* A fetch from an IPA with no memory: the VM has no right to it (fault.c). */
static enum trap_result trap_inst_abort(struct guest_regs *regs, u64 esr)
{
	return guest_abort(regs, esr, "stage-2 instruction abort");
}

/* Default first, then the classes handled: the range initialiser is meant to be overridden. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
static const trap_handler_fn trap_handlers[ESR_EC_COUNT] = {
	[0 ... ESR_EC_COUNT - 1] = trap_undef,
	/* HVC and SMC: vectors.S sends them to trap_lower_smccc(), never here. */
	[ESR_EC_SYS64] = trap_sysreg,
	[ESR_EC_IABT_LOW] = trap_inst_abort,
	[ESR_EC_DABT_LOW] = trap_data_abort,
};
#pragma GCC diagnostic pop

void trap_lower_sync(struct guest_regs *regs, u64 esr)
{
	this_cpu()->vcpu->exits[ESR_EC(esr)]++; /* its own CPU's counter: one increment */
	if (trap_handlers[ESR_EC(esr)](regs, esr) == TRAP_SKIP)
		regs->elr += (esr & ESR_IL) ? 4 : 2;
	vgic_flush(this_cpu()->vcpu);
}

/* A trapped SMC's ELR points at the SMC itself (DDI 0487 D1.11.2); an HVC's is past it. */
static inline void smccc_step(struct guest_regs *regs, u64 esr)
{
	if (ESR_EC(esr) == ESR_EC_SMC64)
		regs->elr += (esr & ESR_IL) ? 4 : 2;
}

/* Every call but the architecture calls: out of line, so trap_lower_smccc() needs no stack frame. */
static __noinline void smccc_other_call(struct guest_regs *regs, u64 esr)
{
	hypercall_smccc_other(regs, ESR_EC(esr) == ESR_EC_SMC64 ? "SMC" : "HVC");
	smccc_step(regs, esr);
	vgic_flush(this_cpu()->vcpu);
}

/*
 * HVC and SMC trapped by HCR_EL2.TSC (vectors.S, with the caller-saved frame):
 * what trap_lower_sync() does, without the table's indirect call.
 */
void trap_lower_smccc(struct guest_regs *regs, u64 esr)
{
	struct vcpu *vcpu = this_cpu()->vcpu;

	vcpu->exits[ESR_EC(esr)]++;
	/* SMCCC calls use immediate 0 only (DEN 0028 2.6); any other is not ours to answer. */
	if ((esr & 0xffff) != 0) {
		regs->x[0] = (u64)SMCCC_RET_NOT_SUPPORTED;
	} else if (!hypercall_smccc_arch(regs)) {
		smccc_other_call(regs, esr);
		return;
	}
	smccc_step(regs, esr);
	vgic_flush(vcpu);
}

void trap_lower_irq(struct guest_regs *regs)
{
	(void)regs;
	if (irq_dispatch(true))
		vgic_flush(this_cpu()->vcpu);
}

void trap_lower_async(struct guest_regs *regs, unsigned int kind)
{
	u64 esr = read_sysreg(esr_el2);

	if (kind == 3)
		guest_serror(regs, esr);
	/* FIQ: nothing is configured as group 0; ignore a stray one. */
}
