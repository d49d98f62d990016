/* Trap handling from the guest (lower EL): one handler per exception class. */
#ifndef ARCH_TRAPS_H
#define ARCH_TRAPS_H

#include <arch/cpu_regs.h>
#include <tessera/compiler.h>

enum trap_result {
	TRAP_SKIP,   /* the trapped instruction was emulated: step over it */
	TRAP_RESUME, /* return to ELR_EL2 as it is (HVC, or an exception was injected) */
};

typedef enum trap_result (*trap_handler_fn)(struct guest_regs *regs, u64 esr);

/*
 * Called from vectors.S with the guest's frame (and ESR_EL2, read there to
 * choose how much of the frame to save: for HVC and SMC only x0-x18, x30).
 */
void trap_lower_sync(struct guest_regs *regs, u64 esr);
/* HVC and trapped SMC (EC 0x16, 0x17): the SMCCC dispatcher, the only classes not in the table. */
void trap_lower_smccc(struct guest_regs *regs, u64 esr);
void trap_lower_irq(struct guest_regs *regs);
void trap_lower_async(struct guest_regs *regs, unsigned int kind);
void hyp_fault(struct guest_regs *regs, unsigned int kind) __noreturn;

enum trap_result trap_data_abort(struct guest_regs *regs, u64 esr);
/* EC 0x18: true when the register is one Tessera emulates (sysreg_trap.c). */
bool sysreg_trap_emulate(struct guest_regs *regs, u64 esr);
/* EC 0x18: true when it was an MSR to ICC_SGI1R_EL1, now sent (sysreg_trap.c). */
bool sysreg_trap_sgi1r(struct guest_regs *regs, u64 esr);

/*
 * Make the guest take a synchronous exception at EL1 with @esr and @far, as
 * hardware takes one: the one way Tessera injects exceptions (vcpu.c).
 */
void inject_sync_exception(struct guest_regs *regs, u64 esr, u64 far);
/* An Undefined Instruction exception (EC 0). */
void inject_undef(struct guest_regs *regs);
/* A synchronous external abort for the stage 2 abort @esr_el2 (EC 0x20 or 0x24). */
void inject_abort(struct guest_regs *regs, u64 esr_el2);

/*
 * An access the VM has no right to (@esr_el2: an instruction or data abort):
 * by its fault policy, reported (rate-limited) and answered with an injected
 * external abort, or reported and the VM stopped (fault.c).
 */
enum trap_result guest_abort(struct guest_regs *regs, u64 esr_el2, const char *what);

/*
 * A physical SError taken from the guest (@esr_el2, EC 0x2f): by its fault
 * policy, reported (rate-limited, as aborts are) and delivered to the guest
 * as a virtual SError, or reported and the VM stopped; an uncontainable one
 * stops it under either (fault.c).
 */
void guest_serror(struct guest_regs *regs, u64 esr_el2);

/* Report a fatal guest fault on the console and stop its VM. */
void guest_fault(struct guest_regs *regs, u64 esr, const char *what) __noreturn;

#endif
