/* EL1 exception handling: report and power off, or resume past an armed catch. */
#include "exc.h"
#include "psci.h"
#include "sysreg.h"

#define EXC_KIND_SYNC_SPX 4 /* vector "current EL with SP_ELx, synchronous" */

static const char *const kind_names[16] = {
	"sync (EL1, SP_EL0)",  "IRQ (EL1, SP_EL0)",   "FIQ (EL1, SP_EL0)",   "SError (EL1, SP_EL0)",
	"sync (EL1, SP_EL1)",  "IRQ (EL1, SP_EL1)",   "FIQ (EL1, SP_EL1)",   "SError (EL1, SP_EL1)",
	"sync (EL0, AArch64)", "IRQ (EL0, AArch64)",  "FIQ (EL0, AArch64)",  "SError (EL0, AArch64)",
	"sync (EL0, AArch32)", "IRQ (EL0, AArch32)",  "FIQ (EL0, AArch32)",  "SError (EL0, AArch32)",
};

static volatile bool catch_armed;
static volatile bool catch_returns; /* resume at x30, not after the instruction */
static exc_hook_fn exc_hook;
static struct exc_caught caught;

unsigned int esr_ec(u64 esr)
{
	return (unsigned int)((esr >> ESR_EC_SHIFT) & ESR_EC_MASK);
}

void exc_catch_arm(void)
{
	caught.taken = false;
	catch_returns = false;
	catch_armed = true;
	__asm__ volatile("" : : : "memory");
}

void exc_catch_arm_return(void)
{
	exc_catch_arm();
	catch_returns = true;
}

struct exc_caught exc_catch_disarm(void)
{
	__asm__ volatile("" : : : "memory");
	catch_armed = false;
	return caught;
}

void exc_set_hook(exc_hook_fn hook)
{
	exc_hook = hook;
}

void exc_handle(struct exc_frame *f)
{
	if (exc_hook && exc_hook(f))
		return;
	if (catch_armed && f->kind == EXC_KIND_SYNC_SPX) {
		catch_armed = false;
		caught.taken = true;
		caught.esr = f->esr;
		caught.elr = f->elr;
		caught.far = f->far;
		caught.spsr = f->spsr;
		/* PSTATE.PAN as the handler runs (FEAT_PAN: ID_AA64MMFR1_EL1.PAN, bits [23:20]) */
		caught.pan = ((read_sysreg(id_aa64mmfr1_el1) >> 20) & 0xf) &&
			     (read_sysreg(s3_0_c4_c2_3) & PSTATE_PAN);
		/* resume after the instruction (A64: 4 bytes), or where a BLR would have returned */
		f->elr = catch_returns ? f->x[30] : f->elr + 4;
		return;
	}

	say("unexpected exception: %s, ESR 0x%llx (EC 0x%02x), ELR 0x%llx, FAR 0x%llx",
	    kind_names[f->kind & 15], (unsigned long long)f->esr, esr_ec(f->esr),
	    (unsigned long long)f->elr, (unsigned long long)f->far);
	say("powering off");
	psci_system_off();
}

/* libfdt is built with a stack protector (lib/stack_protector.c). */
void lib_stack_smashed(void) __attribute__((noreturn));
void lib_stack_smashed(void)
{
	say("stack smashed, powering off");
	psci_system_off();
}
