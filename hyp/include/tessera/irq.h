/*
 * Physical interrupts Tessera takes for itself at EL2: the cross-CPU message
 * SGI, the vGIC maintenance interrupt, the console UART, the IOMMUs' fault
 * and error interrupts (core/iommu.c). The virtual timer's
 * PPI is forwarded to the running vCPU instead (traps.c).
 */
#ifndef TESSERA_IRQ_H
#define TESSERA_IRQ_H

#include <tessera/platform.h>
#include <tessera/types.h>

/* INTIDs, from the platform (set by irq_init). */
extern u32 irq_vtimer, irq_maintenance, irq_console;

void irq_init(const struct platform *plat);
/* Per CPU: enable the private interrupts this CPU needs (it runs a vCPU or not). */
void irq_cpu_init(bool runs_vcpu);
/* Handle an acknowledged and EOI'd interrupt that is Tessera's own. */
void irq_handle(u32 intid);

#endif
