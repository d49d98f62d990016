/*
 * Physical interrupts at EL2: Tessera's own (the cross-CPU message SGI, the
 * vGIC maintenance interrupt, the console UART, the IOMMUs' fault and error
 * interrupts, core/iommu.c), and those forwarded to the running vCPU with
 * the HW bit: the EL1 virtual and physical timers' PPIs and passed-through
 * devices' SPIs (core/device.c). One dispatcher takes them all.
 */
#ifndef TESSERA_IRQ_H
#define TESSERA_IRQ_H

#include <drivers/gicv3.h>
#include <tessera/cpu.h>
#include <tessera/platform.h>
#include <tessera/types.h>
#include <virt/vgic.h>

struct vcpu;

/* INTIDs, from the platform (set by irq_init). */
extern u32 irq_vtimer, irq_ptimer, irq_maintenance, irq_console;

void irq_init(const struct platform *plat);
/* Per CPU: enable the private interrupts this CPU needs (it runs a vCPU or not). */
void irq_cpu_init(bool runs_vcpu);
/* irq_dispatch() for everything but a timer forwarded to the running vCPU. */
void irq_dispatch_other(u32 intid, bool in_guest);

/*
 * The one dispatcher: acknowledges the highest pending interrupt and handles
 * it. @in_guest: taken from the running vCPU (traps.c), else while parked
 * (cpu.c), where nothing is forwarded to a guest and only messages matter.
 * True when the way back to the guest must still run vgic_flush().
 * Inline, the timers first: the virtual timer's is the path rt-check.sh
 * measures, and it must cost no more than a compare here.
 */
static inline bool irq_dispatch(bool in_guest)
{
	u32 intid = gic_ack();

	if (in_guest && (intid == irq_vtimer || intid == irq_ptimer)) {
		/* Forwarded: stays active until the guest deactivates its virtual copy (HW bit). */
		gic_priority_drop(intid);
		vgic_inject_hw(this_cpu()->vcpu, intid); /* placed, or queued and flushed */
		return false;
	}
	if (intid != GIC_INTID_SPURIOUS)
		irq_dispatch_other(intid, in_guest);
	return true;
}
/* Handle an acknowledged and EOI'd interrupt that is Tessera's own. */
void irq_handle(u32 intid);
/* A vCPU (re)starts on this CPU: its timers are off and their PPIs inactive. */
void irq_timers_reset(void);

/*
 * The physical side of an interrupt forwarded with the HW bit (irq_hw.c), for
 * the vGIC: @vcpu is the vCPU whose PPI @pintid is (its CPU's), ignored for
 * an SPI. irq_hw_line: the interrupt's input as it is now (for a timer on
 * this CPU, its condition; otherwise the physical pending state).
 * irq_hw_set_pending: the physical pending latch (a guest's ISPENDR/ICPENDR).
 * irq_hw_deactivate: ends an activation EL2 made and no list register holds.
 */
bool irq_hw_line(const struct vcpu *vcpu, u32 pintid);
void irq_hw_set_pending(const struct vcpu *vcpu, u32 pintid, bool pending);
void irq_hw_deactivate(const struct vcpu *vcpu, u32 pintid);

#endif
