/* Tessera's own physical interrupts: routing and dispatch. */
#include <drivers/gicv3.h>
#include <tessera/console.h>
#include <tessera/cpu.h>
#include <tessera/iommu.h>
#include <tessera/irq.h>
#include <tessera/vm.h>

/* SBSA and the GICv3 spec recommend PPI 9 (INTID 25) when the DT names none. */
#define DEFAULT_MAINTENANCE_INTID 25

u32 irq_vtimer, irq_maintenance, irq_console;

void irq_init(const struct platform *plat)
{
	irq_vtimer = plat->timer_intid[2];
	irq_maintenance = plat->gic_maint_intid ? plat->gic_maint_intid : DEFAULT_MAINTENANCE_INTID;
	irq_console = plat->uart_intid;
}

void irq_cpu_init(bool runs_vcpu)
{
	if (runs_vcpu) {
		gic_enable_private(irq_vtimer);
		gic_enable_private(irq_maintenance);
	}
}

void irq_handle(u32 intid)
{
	struct vcpu *vcpu = this_cpu()->vcpu;

	if (intid == SGI_CPU_MSG)
		cpu_handle_msgs();
	else if (intid == irq_maintenance && vcpu)
		vgic_maintenance(vcpu);
	else if (intid == irq_console)
		console_rx_irq();
	else
		iommu_irq(intid); /* an IOMMU's event queue or error interrupt */
}
