/*
 * Fault reports. An access a VM has no right to gets what hardware gives, an
 * external abort injected into the guest, or, by the VM's fault policy, stops
 * that VM only; so does an SError taken from the guest, delivered to it as a
 * virtual SError (the one exception injected here, by HCR_EL2.VSE rather than
 * by vcpu.c's exception entry, which it does not need). An exception taken
 * at EL2 is a Tessera bug: the registers and the decoded syndrome are printed
 * and the CPU halts, never silently.
 */
#include <arch/esr.h>
#include <arch/sysregs.h>
#include <arch/traps.h>
#include <stdio.h>
#include <tessera/console.h>
#include <tessera/cpu.h>
#include <tessera/vm.h>

#define FAULT_REPORTS_PER_VM 8

/* "tessera: VM <vm> vCPU <n>: <what> at IPA 0x..., PC 0x...; <ESR decoded><outcome>" */
static void report_fault(const struct vcpu *vcpu, const struct guest_regs *regs, u64 esr,
			 const char *what, const char *outcome)
{
	u64 ec = ESR_EC(esr);
	char syndrome[160];
	char where[48] = "";

	esr_describe(esr, syndrome, sizeof(syndrome));
	if (ec == ESR_EC_DABT_LOW || ec == ESR_EC_IABT_LOW) {
		u64 type = esr & ESR_xABT_FSC_MASK & FSC_TYPE_MASK;

		/* HPFAR_EL2 holds the IPA for stage-2 translation, access flag and permission
		 * faults only (D19.2 HPFAR_EL2); for an external abort (HCR_EL2.TEA) it is
		 * UNKNOWN, and FAR_EL2 is the VA unless ESR.FnV says it is not valid. */
		if (type == FSC_TRANSLATION || type == FSC_ACCESS_FLAG || type == FSC_PERMISSION)
			snprintf(where, sizeof(where), " at IPA 0x%llx",
				 (unsigned long long)(HPFAR_TO_IPA(read_sysreg(hpfar_el2)) |
						      (read_sysreg(far_el2) & 0xfff)));
		else if (!(esr & ESR_xABT_FNV))
			snprintf(where, sizeof(where), " at VA 0x%llx",
				 (unsigned long long)read_sysreg(far_el2));
	}
	printk("tessera: VM %s vCPU %u: %s%s, PC 0x%llx; %s%s\n", vcpu->vm->name, vcpu->index, what,
	       where, (unsigned long long)regs->elr, syndrome, outcome);
}

void guest_fault(struct guest_regs *regs, u64 esr, const char *what)
{
	struct vcpu *vcpu = this_cpu()->vcpu;

	report_fault(vcpu, regs, esr, what, "");
	VM_STAT_INC(vcpu->vm, faults);
	vm_event(vcpu->vm, VM_EVENT_FAULT, "guest fault"); /* its on-fault policy; this CPU parks */
	cpu_park();
}

/*
 * Reports of what the guest is answered with are rate-limited: a guest must
 * not be able to flood the console. One count per VM for every kind (aborts,
 * SErrors); its vCPUs may fault at once: one report per number.
 */
static void report_injected(struct vcpu *vcpu, const struct guest_regs *regs, u64 esr,
			    const char *what, const char *outcome, const char *outcome_last)
{
	struct vm *vm = vcpu->vm;

	VM_STAT_INC(vm, faults);
	if (__atomic_load_n(&vm->abort_reported, __ATOMIC_RELAXED) < FAULT_REPORTS_PER_VM) {
		unsigned int n = __atomic_add_fetch(&vm->abort_reported, 1, __ATOMIC_RELAXED);

		if (n <= FAULT_REPORTS_PER_VM)
			report_fault(vcpu, regs, esr, what, n < FAULT_REPORTS_PER_VM ? outcome : outcome_last);
	}
}

enum trap_result guest_abort(struct guest_regs *regs, u64 esr_el2, const char *what)
{
	struct vcpu *vcpu = this_cpu()->vcpu;

	if (vcpu->vm->cfg->fault_policy == FAULT_POLICY_STOP)
		guest_fault(regs, esr_el2, what);
	report_injected(vcpu, regs, esr_el2, what, ": external abort injected",
			": external abort injected (further ones are not reported)");
	inject_abort(regs, esr_el2);
	return TRAP_RESUME;
}

/*
 * ESR_EL2.AET 0b000, Uncontainable (D19.2.40, ISS for an SError, FEAT_RAS:
 * valid when IDS is 0 and DFSC is "asynchronous SError"): the error may
 * have spread beyond what the guest owns, so its state is not trusted.
 */
static bool serror_uncontainable(u64 esr_el2)
{
	return !(esr_el2 & ESR_SERROR_IDS) &&
	       (esr_el2 & ESR_xABT_FSC_MASK) == ESR_SERROR_DFSC_ASYNC &&
	       (esr_el2 & ESR_SERROR_AET_MASK) == 0;
}

/*
 * What the guest would take without Tessera: its own SError exception,
 * here a virtual SError (HCR_EL2.VSE with AMO, D1.x "Virtual SError
 * exceptions"), taken when its PSTATE.A allows, VSE cleared by the PE as it
 * is taken. With FEAT_RAS, VSESR_EL2 (D19, VSESR_EL2) gives ESR_EL1.ISS
 * [24:0] for it: the physical SError's, the syndrome the guest would have
 * seen (without it, the ISS is IMPLEMENTATION DEFINED). A vCPU restart
 * rewrites HCR_EL2 whole (vcpu_arch_enter), so none survives into a new life.
 */
#define VSESR_ISS_MASK GENMASK(24, 0)

static void inject_virtual_serror(u64 esr_el2)
{
	if (ID_FIELD(read_sysreg(id_aa64pfr0_el1), ID_AA64PFR0_RAS)) /* FEAT_RAS */
		write_sysreg(vsesr_el2, esr_el2 & VSESR_ISS_MASK);
	write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_VSE);
}

void guest_serror(struct guest_regs *regs, u64 esr_el2)
{
	static const char what[] = "SError (asynchronous external abort)";
	struct vcpu *vcpu = this_cpu()->vcpu;

	if (vcpu->vm->cfg->fault_policy == FAULT_POLICY_STOP || serror_uncontainable(esr_el2))
		guest_fault(regs, esr_el2, what);
	report_injected(vcpu, regs, esr_el2, what, ": virtual SError injected",
			": virtual SError injected (further ones are not reported)");
	inject_virtual_serror(esr_el2);
}

static const char *const vector_kinds[] = { "synchronous", "IRQ", "FIQ", "SError" };

void hyp_fault(struct guest_regs *regs, unsigned int kind)
{
	u64 esr = read_sysreg(esr_el2);
	char syndrome[160];

	esr_describe(esr, syndrome, sizeof(syndrome));
	printk("tessera: PANIC: %s exception at EL2 on CPU %u\n", vector_kinds[kind & 3],
	       this_cpu() ? this_cpu()->index : 0);
	printk("tessera:   %s\n", syndrome);
	printk("tessera:   ELR 0x%016llx FAR 0x%016llx SPSR 0x%08llx\n",
	       (unsigned long long)regs->elr, (unsigned long long)read_sysreg(far_el2),
	       (unsigned long long)regs->spsr);
	for (unsigned int i = 0; i < 31; i += 2) {
		if (i == 30)
			printk("tessera:   x30 0x%016llx\n", (unsigned long long)regs->x[30]);
		else
			printk("tessera:   x%-2u 0x%016llx x%-2u 0x%016llx\n", i,
			       (unsigned long long)regs->x[i], i + 1,
			       (unsigned long long)regs->x[i + 1]);
	}
	printk("tessera: CPU halted\n");
	for (;;)
		wfe();
}

void lib_stack_smashed(void)
{
	printk("tessera: PANIC: stack corruption detected in libfdt\n");
	for (;;)
		wfe();
}
