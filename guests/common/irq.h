/*
 * IRQs at EL1, through the GIC (gic.h). The guest runs with IRQs masked
 * (PSTATE.I = 1); they are taken only inside irq_wait() and irq_window(), so
 * a handler never interrupts anything but a wait. Each IRQ exception
 * acknowledges one interrupt, runs its handler, then ends it (EOImode 0).
 */
#ifndef GUEST_IRQ_H
#define GUEST_IRQ_H

#include "guest.h"

typedef void (*irq_handler_fn)(u32 intid);

/* The handler for SGI or PPI @intid (< GIC_PRIVATE_COUNT); NULL removes it. */
void irq_set_handler(u32 intid, irq_handler_fn fn);

/*
 * Called just after ICC_EOIR1_EL1 for every interrupt a handler took, on the
 * CPU that took it (the benchmark guest reads its counters there); NULL: none.
 */
void irq_set_after_eoi(irq_handler_fn fn);

/*
 * WFI with IRQs still masked (an interrupt pending at the GIC wakes it all
 * the same), then a window in which what woke it is taken.
 */
void irq_wait(void);

/* Unmasks IRQs for one instruction boundary: takes whatever is pending. */
void irq_window(void);

struct irq_stats {
	u64 spurious;       /* ICC_IAR1_EL1 returned a special INTID (1020-1023) */
	u64 unexpected;     /* INTIDs with no handler (acknowledged and ended) */
	u32 last_unexpected;
};

void irq_get_stats(struct irq_stats *st);

/* Called by vectors.S (irq_entry) for an IRQ taken at EL1 with SP_EL1. */
void irq_handle(void);

#endif
