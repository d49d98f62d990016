/*
 * Fault reports. An access a VM has no right to gets what hardware gives, an
 * external abort injected into the guest, or, by the VM's fault policy, stops
 * that VM only; so does any other guest fault (an SError). An exception taken
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
	if (ec == ESR_EC_DABT_LOW || ec == ESR_EC_IABT_LOW)
		snprintf(where, sizeof(where), " at IPA 0x%llx",
			 (unsigned long long)(HPFAR_TO_IPA(read_sysreg(hpfar_el2)) |
					      (read_sysreg(far_el2) & 0xfff)));
	printk("tessera: VM %s vCPU %u: %s%s, PC 0x%llx; %s%s\n", vcpu->vm->name, vcpu->index, what,
	       where, (unsigned long long)regs->elr, syndrome, outcome);
}

void guest_fault(struct guest_regs *regs, u64 esr, const char *what)
{
	struct vcpu *vcpu = this_cpu()->vcpu;

	report_fault(vcpu, regs, esr, what, "");
	vm_stop(vcpu->vm, "guest fault");
}

enum trap_result guest_abort(struct guest_regs *regs, u64 esr_el2, const char *what)
{
	struct vcpu *vcpu = this_cpu()->vcpu;
	struct vm *vm = vcpu->vm;

	if (vm->cfg->fault_policy == FAULT_POLICY_STOP)
		guest_fault(regs, esr_el2, what);
	/*
	 * Reports are rate-limited: a guest must not be able to flood the
	 * console. The VM's vCPUs may fault at once: one report per number.
	 */
	if (__atomic_load_n(&vm->abort_reported, __ATOMIC_RELAXED) < FAULT_REPORTS_PER_VM) {
		unsigned int n = __atomic_add_fetch(&vm->abort_reported, 1, __ATOMIC_RELAXED);

		if (n <= FAULT_REPORTS_PER_VM)
			report_fault(vcpu, regs, esr_el2, what,
				     n < FAULT_REPORTS_PER_VM
					     ? ": external abort injected"
					     : ": external abort injected (further ones are not reported)");
	}
	inject_abort(regs, esr_el2);
	return TRAP_RESUME;
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
