/*
 * Layout shared by C and assembly: the guest register frame and the per-CPU
 * block that holds it. The frame sits right at the top of each CPU's EL2 stack,
 * so the trap vector saves the guest's registers with a plain `sub sp` and C
 * finds them at a fixed place. Static assertions in hyp/core/cpu.c keep the
 * numbers here and the C structures in step.
 */
#ifndef ARCH_CPU_REGS_H
#define ARCH_CPU_REGS_H

#define CPU_STACK_SIZE 0x4000
#define CPU_STRUCT_SIZE 0x5000 /* stack + one page for the frame and per-CPU fields */

#define GREGS_X(n) ((n) * 8)
#define GREGS_ELR 248
#define GREGS_SPSR 256
#define GREGS_SIZE 272 /* 31 GPRs, ELR, SPSR, padding to 16 bytes */

#ifndef __ASSEMBLY__
#include <tessera/types.h>

struct guest_regs {
	u64 x[31];
	u64 elr;
	u64 spsr;
	u64 pad;
};
#endif

#endif
