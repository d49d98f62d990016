/* Physical interrupts at EL2: routing and the one dispatcher (tessera/irq.h). */
#include <arch/sysregs.h>
#include <drivers/bpmp.h>
#include <drivers/gicv3.h>
#include <tessera/bwreg.h>
#include <tessera/console.h>
#include <tessera/cpu.h>
#include <tessera/device.h>
#include <tessera/el2_timer.h>
#include <tessera/iommu.h>
#include <tessera/irq.h>
#include <tessera/vm.h>

/* SBSA and the GICv3 spec recommend PPI 9 (INTID 25) when the DT names none. */
#define DEFAULT_MAINTENANCE_INTID 25

u32 irq_vtimer, irq_ptimer, irq_maintenance, irq_console;

void irq_init(const struct platform *plat)
{
	irq_vtimer = plat->timer_intid[2];
	irq_ptimer = plat->timer_intid[1]; /* the non-secure EL1 physical timer */
	irq_maintenance = plat->gic_maint_intid ? plat->gic_maint_intid : DEFAULT_MAINTENANCE_INTID;
	irq_console = plat->uart_intid;
	el2_timer_init(plat);
}

void irq_cpu_init(bool runs_vcpu)
{
	if (runs_vcpu) {
		gic_enable_private(irq_vtimer);
		gic_enable_private(irq_ptimer);
		gic_enable_private(irq_maintenance);
	}
	el2_timer_cpu_init(); /* a deadline may be armed on any CPU */
}

static inline bool is_timer(u32 intid)
{
	return intid == irq_vtimer || intid == irq_ptimer;
}

void irq_dispatch_other(u32 intid, bool in_guest)
{
	if (device_irq_forward(intid))
		return;
	gic_eoi(intid);
	if (in_guest)
		irq_handle(intid);
	else if (intid == SGI_CPU_MSG)
		/* Parked: the caller looks at whether its vCPU can start again. */
		__atomic_exchange_n(&this_cpu()->msgs, 0, __ATOMIC_ACQUIRE);
	else if (!is_timer(intid) && intid != irq_maintenance)
		irq_handle(intid);
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
	else if (el2_timer_irq(intid)) /* CNTHP: BPMP timeouts, watchdogs, bandwidth periods */
		return;
	else if (bwreg_irq(intid)) /* the PMU's: a regulated CPU's budget spent */
		return;
	else if (!bpmp_irq(intid)) /* the BPMP's doorbell */
		iommu_irq(intid); /* an IOMMU's event queue or error interrupt */
}

void irq_timers_reset(void)
{
	/* Its previous life's timers stop; an activation EL2 still held for them ends. */
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntp_ctl_el0, 0);
	isb();
	gic_irq_clear_active(this_cpu()->gicr, irq_vtimer);
	gic_irq_clear_active(this_cpu()->gicr, irq_ptimer);
}
