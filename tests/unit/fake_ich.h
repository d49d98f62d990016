/*
 * Host fakes for the vGIC: the ICH_* virtual CPU interface of each CPU, the
 * physical GIC's deactivation, the CPU layer's kick, a spinlock, and a small
 * VM to run it on. Include this before any hypervisor header, then the vGIC
 * sources and fake_ich.c, into one test translation unit.
 *
 * A "CPU" here is a bank of list registers; fake_ich_cpu selects the one the
 * ich_* accessors use, as running on that CPU would (vCPU i runs on CPU i).
 */
#ifndef FAKE_ICH_H
#define FAKE_ICH_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <tessera/types.h>

#include "fake_spinlock.h"

#include <tessera/vm.h>
#include <virt/vgic.h>

#define FAKE_CPUS 4
#define FAKE_MAX_RECORDS 64

struct fake_ich_cpu {
	u64 lr[16];
	u64 hcr, vmcr, ap1r0;
};

extern struct fake_ich_cpu fake_ich[FAKE_CPUS];
extern unsigned int fake_ich_cpu;    /* the CPU the ich_* accessors act on */
extern unsigned int fake_ich_nr_lrs; /* ICH_VTR_EL2.ListRegs + 1; default 4 */

extern u32 fake_deactivated[FAKE_MAX_RECORDS]; /* gic_deactivate(), gic_clear_active_spi() */
extern unsigned int fake_deactivated_count;
extern unsigned int fake_kicks[PLATFORM_MAX_CPUS]; /* cpu_kick_vcpu() calls per vCPU index */
/*
 * The physical side of forwarded interrupts (irq_hw_*): each physical
 * INTID's line, high unless set low here, and its pending latch as the
 * guest's ISPENDR/ICPENDR writes left it (-1: never written).
 */
extern bool fake_line_low[VGIC_MAX_IRQS];
extern int fake_phys_latch[VGIC_MAX_IRQS];

/* Clears every fake (LRs, records) and resets the LR count to 4. */
void fake_ich_reset(void);

/*
 * A VM with @nr_vcpus vCPUs (vCPU i on fake CPU i), vgic_init_vm() done and
 * vgic_cpu_enter() run for each vCPU on its CPU. Resets the fakes first.
 */
struct vm *fake_vm_create(unsigned int nr_vcpus);

/* The guest side of a list register on @cpu. */
int fake_lr_find(unsigned int cpu, u32 vintid); /* LR index holding @vintid, or -1 */
void fake_guest_ack(unsigned int cpu, unsigned int n); /* pending -> active */
void fake_guest_eoi(unsigned int cpu, unsigned int n); /* deactivate: the LR becomes invalid */
/*
 * ICH_EISR_EL2 of @cpu as the hardware derives it from the LRs (IHI 0069H
 * 12.4): bit n when LR n is invalid with HW = 0 and EOI = 1. Non-zero keeps
 * the maintenance interrupt asserted.
 */
u32 fake_ich_eisr(unsigned int cpu);

#endif
