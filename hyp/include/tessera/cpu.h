/*
 * Physical CPUs. Each has a 16 KiB EL2 stack whose top holds the guest
 * register frame (arch/cpu_regs.h); TPIDR_EL2 points at the CPU's block.
 */
#ifndef TESSERA_CPU_H
#define TESSERA_CPU_H

#include <arch/cpu_regs.h>
#include <arch/sysregs.h>
#include <tessera/compiler.h>
#include <tessera/platform.h>

struct vcpu;

/* Requests another CPU acts on when it takes the message SGI. */
#define CPU_MSG_STOP BIT(0) /* its VM was stopped */
#define CPU_MSG_WAKE BIT(1) /* re-check its vCPU (e.g. PSCI CPU_ON) */
#define CPU_MSG_VGIC BIT(2) /* interrupts were queued for its vCPU */

struct cpu {
	u8 stack[CPU_STACK_SIZE];
	struct guest_regs guest; /* at the stack top, see vectors.S */
	unsigned int index;
	u64 mpidr;
	struct vcpu *vcpu; /* set at boot, before this CPU starts */
	u64 gicr;          /* this CPU's GIC redistributor (RD_base) */
	u32 msgs;          /* CPU_MSG_*: set by other CPUs (atomic), cleared by this one */
} __aligned(4096);

extern struct cpu cpus[PLATFORM_MAX_CPUS];
extern struct platform platform;

static inline struct cpu *this_cpu(void)
{
	return (struct cpu *)read_sysreg(tpidr_el2);
}

/* Boot CPU: start every other CPU of the platform with PSCI CPU_ON. */
void cpus_start_secondaries(unsigned int boot_cpu);
/* Post @msg to CPU @index and interrupt it. */
void cpu_send_msg(unsigned int index, u32 msg);
/* Handles pending messages for this CPU (called on the message SGI). */
void cpu_handle_msgs(void);
/* Nothing (more) to run here: wait for messages forever. */
void cpu_park(void) __noreturn;

/* Assembly entry points, head.S */
void cpu_enter(unsigned int index) __noreturn;
void secondary_entry(void);
void guest_enter(struct guest_regs *frame) __noreturn;
void dcache_clean_poc(u64 start, u64 end);
void dcache_inval_poc(u64 start, u64 end);

#endif
