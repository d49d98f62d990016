/*
 * The physical side of interrupts forwarded with the HW bit (tessera/irq.h):
 * what the vGIC reads and changes so that a forwarded level interrupt's
 * pending state follows its line, and a guest's pending writes and EL2's own
 * activations stay consistent with the physical GIC (virt/vgic.c).
 */
#include <arch/sysregs.h>
#include <drivers/gicv3.h>
#include <tessera/cpu.h>
#include <tessera/irq.h>
#include <tessera/vm.h>

/* CNTV_CTL_EL0 / CNTP_CTL_EL0 (DDI 0487 D19.12): ENABLE, IMASK, ISTATUS. */
#define CNT_CTL_ENABLE BIT(0)
#define CNT_CTL_IMASK BIT(1)
#define CNT_CTL_ISTATUS BIT(2)

/* The timer's interrupt output: asserted while enabled, condition met, not masked (DDI 0487 D11.2). */
static bool timer_output(u64 ctl)
{
	return (ctl & (CNT_CTL_ENABLE | CNT_CTL_IMASK | CNT_CTL_ISTATUS)) ==
	       (CNT_CTL_ENABLE | CNT_CTL_ISTATUS);
}

/* RD_base of the CPU whose private interrupt @pintid is: @vcpu's; 0 for an SPI. */
static u64 owner_gicr(const struct vcpu *vcpu, u32 pintid)
{
	return pintid < GIC_PRIVATE_COUNT && vcpu ? cpus[vcpu->pcpu].gicr : 0;
}

bool irq_hw_line(const struct vcpu *vcpu, u32 pintid)
{
	/*
	 * On its own CPU a timer's output is read where it is made, at once
	 * after the guest's last CTL write; the GIC may see it change later.
	 */
	if (vcpu && vcpu->pcpu == this_cpu()->index) {
		if (pintid == irq_vtimer)
			return timer_output(read_sysreg(cntv_ctl_el0));
		if (pintid == irq_ptimer)
			return timer_output(read_sysreg(cntp_ctl_el0));
	}
	return gic_irq_pending(owner_gicr(vcpu, pintid), pintid);
}

void irq_hw_set_pending(const struct vcpu *vcpu, u32 pintid, bool pending)
{
	gic_irq_set_pending(owner_gicr(vcpu, pintid), pintid, pending);
}

void irq_hw_deactivate(const struct vcpu *vcpu, u32 pintid)
{
	/* EL2 dropped its priority when it took it: only the active state is left. */
	gic_irq_clear_active(owner_gicr(vcpu, pintid), pintid);
}
