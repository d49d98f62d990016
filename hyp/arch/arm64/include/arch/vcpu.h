/* Architectural vCPU entry (arch/arm64/vcpu.c). */
#ifndef ARCH_VCPU_H
#define ARCH_VCPU_H

#include <tessera/compiler.h>
#include <tessera/types.h>

struct vcpu;

/* This CPU's EL2 state, on every entry, cold or PSCI warm (el2_init.c). */
void cpu_init_el2(void);
/* Enter @vcpu at EL1h at @entry with x0 = @x0, MMU off. Never returns. */
void vcpu_arch_enter(struct vcpu *vcpu, u64 entry, u64 x0) __noreturn;

#endif
