/* The guest-facing call interface: SMCCC through HVC or a trapped SMC. */
#ifndef TESSERA_HYPERCALL_H
#define TESSERA_HYPERCALL_H

#include <arch/cpu_regs.h>

/*
 * The SMCCC architecture calls (SMCCC_VERSION, SMCCC_ARCH_FEATURES), answered
 * in x0: true when @regs held one. Small, for the trap's hot path.
 */
bool hypercall_smccc_arch(struct guest_regs *regs);
/* Every other call: PSCI, the management calls, NOT_SUPPORTED for the rest (noted once per VM). */
void hypercall_smccc_other(struct guest_regs *regs, const char *conduit);

/* PSCI for guests, hyp/virt/vpsci.c: true when @fid is a PSCI function it handles. */
bool vpsci_handle(struct guest_regs *regs, u32 fid);

#endif
