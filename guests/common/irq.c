/* IRQ dispatch and waiting (irq.h). */
#include "gic.h"
#include "irq.h"

static irq_handler_fn handlers[GIC_PRIVATE_COUNT];
static irq_handler_fn after_eoi;
static struct irq_stats stats;

void irq_set_handler(u32 intid, irq_handler_fn fn)
{
	if (intid < GIC_PRIVATE_COUNT)
		handlers[intid] = fn;
}

void irq_set_after_eoi(irq_handler_fn fn)
{
	after_eoi = fn;
}

void irq_window(void)
{
	/* DAIFClr/DAIFSet immediate bit 1 is PSTATE.I; the ISB makes the unmask take effect. */
	__asm__ volatile("msr daifclr, #2\n\tisb\n\tmsr daifset, #2" : : : "memory");
}

void irq_wait(void)
{
	__asm__ volatile("wfi" : : : "memory");
	irq_window();
}

void irq_get_stats(struct irq_stats *st)
{
	*st = stats;
}

void irq_handle(void)
{
	u32 intid = gic_ack();

	if (intid >= GIC_INTID_SPECIAL) {
		stats.spurious++;
		return;
	}
	if (intid < GIC_PRIVATE_COUNT && handlers[intid]) {
		handlers[intid](intid);
		gic_eoi(intid);
		if (after_eoi)
			after_eoi(intid);
		return;
	}
	stats.unexpected++;
	stats.last_unexpected = intid;
	gic_eoi(intid);
}
