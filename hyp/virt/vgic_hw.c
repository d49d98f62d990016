/*
 * Forwarded (HW-bit) interrupts in the vGIC: their pending state and the
 * physical side (tessera/irq.h, core/irq_hw.c). Injection on the timer's
 * fast path stays in vgic.c (vgic_inject_hw).
 *
 * A forwarded interrupt is delivered from EL2's acknowledge of it: while EL2
 * holds that activation and no LR does, irq->hw_active. A forwarded level
 * interrupt's pending state follows its physical line (IHI 0069H 4.1,
 * level-sensitive interrupts), read again wherever the guest can see or act
 * on it: a pending read (vgic_read_pending), before delivery, which an
 * enable leads to (vgic_flush_queued), at the guest's acknowledge for an SPI
 * EL2 delivered for its line (ICH_HCR_EL2.TALL1, vgic_resample_lrs: a
 * handler that deactivates before it clears its device leaves the line high
 * at the deactivation), and after the deactivation the physical GIC itself
 * signals a line still high. A line found low ends EL2's activation. The
 * guest's pending writes go to the physical GIC (vgic_write_pending), so
 * only an activation EL2 made ever reaches an LR with the HW bit, and the
 * guest's deactivation always meets an active physical interrupt.
 */
#include <drivers/gicv3_vcpuif.h>
#include <tessera/irq.h>
#include <tessera/vm.h>
#include <virt/vgic.h>

void vgic_inject_hw_spi(struct vm *vm, u32 intid)
{
	struct vgic_irq *irq = vgic_get_irq(vm, NULL, intid);

	if (!irq)
		return;
	spin_lock(&vm->vgic.lock);
	vm->stats.irqs_injected++;
	irq->hw = true;
	irq->hw_intid = (u16)intid;
	irq->hw_active = true;
	vgic_irq_changed(vm, NULL, intid);
	spin_unlock(&vm->vgic.lock);
}

/* The vCPU whose private interrupt @intid is, for its physical side; NULL for an SPI. */
static inline const struct vcpu *hw_owner(const struct vcpu *vcpu, u32 intid)
{
	return intid < VGIC_NR_PRIVATE ? vcpu : NULL;
}

bool vgic_hw_resample(struct vcpu *vcpu, u32 intid, struct vgic_irq *irq)
{
	const struct vcpu *owner = hw_owner(vcpu, intid);
	bool line = irq_hw_line(owner, irq->hw_intid);

	if (!line && !irq->pending_latch && irq->hw_active) {
		irq->hw_active = false;
		irq_hw_deactivate(owner, irq->hw_intid);
	}
	return line;
}

bool vgic_read_pending(struct vm *vm, struct vcpu *vcpu, u32 intid)
{
	struct vgic_irq *irq = vgic_get_irq(vm, vcpu, intid);

	if (!irq)
		return false;
	if (!irq->hw)
		return vgic_irq_pending(irq);
	if (irq->edge)
		return irq->pending_latch || irq->hw_active;
	return vgic_hw_resample(vcpu, intid, irq) || irq->pending_latch;
}

void vgic_write_pending(struct vm *vm, struct vcpu *vcpu, u32 intid, bool pending)
{
	struct vgic_irq *irq = vgic_get_irq(vm, vcpu, intid);
	const struct vcpu *owner = hw_owner(vcpu, intid);

	if (!irq)
		return;
	if (!irq->hw) {
		if (irq->pending_latch != pending) {
			irq->pending_latch = pending;
			vgic_irq_changed(vm, vcpu, intid);
		}
		return;
	}
	if (pending) {
		/*
		 * Pended at the physical GIC (GICD_ISPENDR<n>, GICR_ISPENDR0): EL2
		 * takes it from there as any activation, so its LR gets the HW
		 * bit with the physical interrupt active. The virtual latch
		 * keeps it pending when the line is low. Already held by EL2:
		 * pending already, nothing to add. In an LR (active, or still
		 * pending: that LR is not readable from here), the physical GIC
		 * signals it again after the guest's deactivation.
		 */
		if (irq->hw_active)
			return;
		irq->pending_latch = true;
		irq_hw_set_pending(owner, irq->hw_intid, true);
		return;
	}
	/*
	 * Cleared (GICD_ICPENDR<n>, GICR_ICPENDR0): the latch goes, here and
	 * physically; a level interrupt whose line is high stays pending. An activation EL2
	 * holds is ended only when nothing keeps it pending, so a deactivation
	 * only ever meets an active physical interrupt.
	 */
	irq->pending_latch = false;
	irq_hw_set_pending(owner, irq->hw_intid, false);
	if (irq->hw_active && (irq->edge || !irq_hw_line(owner, irq->hw_intid))) {
		irq->hw_active = false;
		irq_hw_deactivate(owner, irq->hw_intid);
	}
}

bool vgic_resample_lrs(struct vcpu *vcpu)
{
	struct vgic_cpu *vc = &vcpu->vgic;

	/* Nothing else traps the Group 1 registers: without TALL1 the trap is not ours. */
	if (!(ich_read_hcr() & ICH_HCR_TALL1))
		return false;
	spin_lock(&vcpu->vm->vgic.lock);
	while (vc->lr_resample) {
		unsigned int n = (unsigned int)__builtin_ctz(vc->lr_resample);
		struct vgic_irq *irq = vgic_get_irq(vcpu->vm, vcpu, vc->lr_intid[n]);

		vc->lr_resample &= vc->lr_resample - 1;
		/*
		 * Still only pending, its line low: withdrawn, as a GIC withdraws
		 * a level interrupt whose line falls before it is acknowledged
		 * (the guest then reads 1023, spurious). EL2's activation ends.
		 */
		if ((ich_read_lr(n) & ICH_LR_STATE_MASK) != ICH_LR_STATE_PENDING ||
		    irq_hw_line(NULL, irq->hw_intid))
			continue;
		ich_write_lr(n, 0);
		vc->lr_used &= ~(1u << n);
		irq->lr = VGIC_NO_LR;
		irq_hw_deactivate(NULL, irq->hw_intid);
	}
	ich_write_hcr(ich_read_hcr() & ~ICH_HCR_TALL1);
	spin_unlock(&vcpu->vm->vgic.lock);
	return true;
}
