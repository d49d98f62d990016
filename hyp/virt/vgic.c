/*
 * vGICv3 interrupt state machine and list-register management.
 *
 * An interrupt is deliverable when it is enabled, pending, routed to an
 * existing vCPU and its group is enabled. A deliverable interrupt, or one
 * whose list register needs updating, is "queued" on its target vCPU; the
 * CPU running that vCPU moves queued interrupts into list registers on its
 * way back to the guest (vgic_flush), highest priority first. When they do
 * not all fit, the underflow maintenance interrupt asks for another pass.
 * Level interrupts of emulated devices carry the LR EOI bit, so their line is
 * sampled again when the guest deactivates them. Forwarded physical
 * interrupts carry the HW bit, so the guest's deactivation reaches the GIC.
 *
 * A forwarded level interrupt's pending state follows its physical line:
 * vgic_hw.c.
 */
#include <drivers/gicv3.h>
#include <drivers/gicv3_vcpuif.h>
#include <tessera/irq.h>
#include <tessera/vm.h>
#include <virt/vgic.h>

#include "vgic_mmio.h"

static unsigned int nr_lrs;

bool vgic_irq_pending(const struct vgic_irq *irq)
{
	if (irq->hw)
		return irq->hw_active;
	return irq->pending_latch || (!irq->edge && irq->line_level);
}

struct vgic_irq *vgic_get_irq(struct vm *vm, struct vcpu *vcpu, u32 intid)
{
	if (intid < VGIC_NR_PRIVATE)
		return vcpu ? &vcpu->vgic.priv[intid] : NULL;
	/* SPIs past this VM's GICD_TYPER are not implemented: RAZ/WI (IHI 0069H 12.9). */
	if (intid < vm->vgic.nr_irqs && intid < VGIC_SPI_END)
		return &vm->vgic.spi[intid - VGIC_NR_PRIVATE];
	return NULL;
}

u32 vgic_nr_irqs(u32 max_spi)
{
	u32 n = (max_spi / 32 + 1) * 32;

	if (n < VGIC_MIN_IRQS)
		return VGIC_MIN_IRQS;
	return n > VGIC_MAX_IRQS ? VGIC_MAX_IRQS : n;
}

/* Every SPI a device may be given (config.h) has vGIC state: the clamp above never drops one. */
_Static_assert(CONFIG_DEVICE_INTID_MAX < VGIC_SPI_END && CONFIG_DEVICE_INTID_MAX < VGIC_MAX_IRQS,
	       "passed-through INTIDs beyond the vGIC");

static void irq_reset(struct vgic_irq *irq, bool edge, u8 target)
{
	*irq = (struct vgic_irq){ .priority = VGIC_PRIORITY_RESET, .target = target,
				  .lr = VGIC_NO_LR, .edge = edge, .group1 = true };
}

/* Lock held: every interrupt, enable and queue of @vm back to its reset state. */
static void reset_locked(struct vm *vm)
{
	struct vgic_dist *dist = &vm->vgic;

	spin_assert_held(&dist->lock);
	dist->enabled_grp0 = dist->enabled_grp1 = false;
	for (unsigned int i = 0; i < VGIC_MAX_SPIS; i++)
		irq_reset(&dist->spi[i], false, 0);
	for (unsigned int v = 0; v < vm->vcpu_count; v++) {
		struct vgic_cpu *vc = &vm->vcpus[v].vgic;

		/*
		 * A forwarded PPI latched here (not yet in an LR) is active at
		 * its CPU's GIC: that CPU ends it in vgic_cpu_enter, or it never
		 * fires there again (found by tests/fuzz/fuzz_vgic.c).
		 */
		for (unsigned int i = 0; i < VGIC_NR_PRIVATE; i++) {
			const struct vgic_irq *irq = &vc->priv[i];

			if (irq->hw && irq->hw_active && irq->lr == VGIC_NO_LR)
				vc->hw_release |= 1u << i;
		}
		vc->spis_released = true; /* devices_vm_reset() precedes every vgic_init_vm() */
		for (unsigned int i = 0; i < VGIC_NR_PRIVATE; i++)
			irq_reset(&vc->priv[i], i < VGIC_NR_SGIS, (u8)v);
		for (unsigned int w = 0; w < ARRAY_SIZE(vc->queued); w++)
			vc->queued[w] = 0;
		vc->queued_words = 0;
		vc->any_queued = false;
		vc->sleeping = true;
		vc->lr_used = 0;
		vc->lr_resample = 0;
	}
}

void vgic_init_vm(struct vm *vm, u64 gicd_base, u64 gicr_base, u32 nr_irqs)
{
	struct vgic_dist *dist = &vm->vgic;

	vgicd_index_init();
	/*
	 * Under the lock: in a restart, other CPUs still inject (a peer's
	 * doorbell, console input, a forwarded device interrupt); each lands
	 * whole in the old state (and is wiped here) or whole in the new one.
	 */
	spin_lock(&dist->lock);
	dist->gicd_base = gicd_base;
	dist->gicr_base = gicr_base;
	dist->nr_irqs = nr_irqs;
	reset_locked(vm);
	spin_unlock(&dist->lock);
}

void vgic_cpu_enter(struct vcpu *vcpu)
{
	struct vgic_cpu *vc = &vcpu->vgic;
	bool spis_released;
	u32 release;

	if (!nr_lrs)
		nr_lrs = ich_nr_lrs();
	/*
	 * Interrupts a previous life left in list registers are in none now;
	 * one still pending by its line (a level input that stayed high) is
	 * queued again, or it would never be delivered (fuzz_vgic.c).
	 */
	spin_lock(&vcpu->vm->vgic.lock);
	for (u32 used = vc->lr_used; used; used &= used - 1)
		vgic_get_irq(vcpu->vm, vcpu, vc->lr_intid[__builtin_ctz(used)])->lr = VGIC_NO_LR;
	while (vc->lr_used) {
		unsigned int n = (unsigned int)__builtin_ctz(vc->lr_used);

		vc->lr_used &= vc->lr_used - 1;
		vgic_irq_changed(vcpu->vm, vcpu, vc->lr_intid[n]);
	}
	vc->lr_resample = 0;
	/* An activation EL2 held for a private interrupt (a timer fired while disabled) ends too. */
	for (unsigned int i = 0; i < VGIC_NR_PRIVATE; i++) {
		struct vgic_irq *irq = &vc->priv[i];

		if (irq->hw_active) {
			irq->hw_active = false;
			irq_hw_deactivate(vcpu, irq->hw_intid);
		}
	}
	release = vc->hw_release;
	spis_released = vc->spis_released;
	vc->hw_release = 0;
	vc->spis_released = false;
	spin_unlock(&vcpu->vm->vgic.lock);
	/*
	 * A forwarded interrupt still in an LR, pending or active, is active at
	 * the physical GIC (EL2 acknowledged it): deactivate it, or it never
	 * fires on this CPU again. Not an SPI a VM restart released already:
	 * by now it may be active again for the new life, and this would end
	 * that activation.
	 */
	for (unsigned int n = 0; n < nr_lrs; n++) {
		u64 lr = ich_read_lr(n);
		u32 pintid = (u32)((lr & ICH_LR_PINTID_MASK) >> ICH_LR_PINTID_SHIFT);

		if ((lr & ICH_LR_HW) && (lr & ICH_LR_STATE_MASK) &&
		    (pintid < VGIC_NR_PRIVATE || !spis_released))
			gic_deactivate(pintid);
		ich_write_lr(n, 0);
	}
	for (; release; release &= release - 1)
		gic_deactivate((u32)__builtin_ctz(release));
	ich_write_ap1r0(0);
	ich_write_vmcr(0);
	ich_write_hcr(ICH_HCR_EN);
}

static inline bool irq_deliverable(const struct vm *vm, const struct vgic_irq *irq)
{
	return irq->enabled && vgic_irq_pending(irq) && irq->target < vm->vcpu_count &&
	       (irq->group1 ? vm->vgic.enabled_grp1 : vm->vgic.enabled_grp0);
}

/* Lock held: true when @vcpu's list register @n holds @intid. */
static bool lr_holds(const struct vcpu *vcpu, unsigned int n, u32 intid)
{
	return (vcpu->vgic.lr_used & (1u << n)) && vcpu->vgic.lr_intid[n] == intid;
}

/*
 * Lock held: the vCPU whose list register holds @irq (irq->lr is set). A
 * private interrupt is only ever in its own vCPU's; an SPI may be in another
 * vCPU's than its current target, after a GICD_IROUTER write.
 */
static struct vcpu *lr_holder(struct vm *vm, struct vcpu *vcpu, u32 intid,
			      const struct vgic_irq *irq)
{
	if (intid < VGIC_NR_PRIVATE)
		return vcpu;
	for (unsigned int v = 0; v < vm->vcpu_count; v++)
		if (lr_holds(&vm->vcpus[v], irq->lr, intid))
			return &vm->vcpus[v];
	return NULL;
}

void vgic_irq_changed(struct vm *vm, struct vcpu *vcpu, u32 intid)
{
	struct vgic_irq *irq = vgic_get_irq(vm, vcpu, intid);
	struct vcpu *target;

	spin_assert_held(&vm->vgic.lock);
	if (!irq)
		return;
	if (irq->lr != VGIC_NO_LR)
		target = lr_holder(vm, vcpu, intid, irq); /* only its CPU can update that LR */
	else if (irq_deliverable(vm, irq))
		target = &vm->vcpus[irq->target];
	else
		return;
	if (!target)
		return;
	target->vgic.queued[intid / 32] |= 1u << (intid % 32);
	target->vgic.queued_words |= 1u << (intid / 32);
	WRITE_ONCE(target->vgic.any_queued, true);
	cpu_kick_vcpu(target);
}

void vgic_inject(struct vm *vm, struct vcpu *target, u32 intid)
{
	struct vgic_irq *irq;

	spin_lock(&vm->vgic.lock);
	irq = vgic_get_irq(vm, target, intid);
	if (irq) {
		vm->stats.irqs_injected++; /* under the vGIC's lock */
		irq->pending_latch = true;
		vgic_irq_changed(vm, target, intid);
	}
	spin_unlock(&vm->vgic.lock);
}

void vgic_set_level(struct vm *vm, u32 intid, bool level)
{
	struct vgic_irq *irq;

	spin_lock(&vm->vgic.lock);
	irq = vgic_get_irq(vm, NULL, intid);
	if (irq && irq->line_level != level) {
		irq->line_level = level;
		if (level)
			vm->stats.irqs_injected++; /* under the vGIC's lock, as in vgic_inject */
		if (irq->edge && level)
			irq->pending_latch = true;
		vgic_irq_changed(vm, NULL, intid);
	}
	spin_unlock(&vm->vgic.lock);
}

static inline u64 lr_value(u32 intid, const struct vgic_irq *irq);

/*
 * Lock held, own CPU: put a private interrupt straight into a list register
 * when that is all there is to do: the LR it had is empty again, or one is
 * free and nothing else waits. False: take the queue (vgic_irq_changed).
 * This is the virtual timer's path, so it is kept short.
 */
static bool place_private_now(struct vcpu *vcpu, u32 intid, struct vgic_irq *irq)
{
	struct vgic_cpu *vc = &vcpu->vgic;
	unsigned int n = irq->lr;

	/* Deliverable but for the pending state it is about to get. */
	if (vc->any_queued || !irq->enabled ||
	    !(irq->group1 ? vcpu->vm->vgic.enabled_grp1 : vcpu->vm->vgic.enabled_grp0))
		return false;
	if (n != VGIC_NO_LR) {
		if (!(ich_elrsr() & (1u << n)))
			return false; /* still pending or active there */
	} else {
		u32 free = ~vc->lr_used & ((1u << nr_lrs) - 1);

		if (!free)
			return false;
		n = (unsigned int)__builtin_ctz(free);
		irq->lr = (u8)n;
		vc->lr_intid[n] = (u16)intid;
		vc->lr_used |= 1u << n;
	}
	ich_write_lr(n, lr_value(intid, irq));
	irq->pending_latch = false; /* a guest's ISPENDR write, if any, is delivered with it */
	return true;
}

void vgic_inject_hw(struct vcpu *vcpu, u32 intid)
{
	struct vgic_irq *irq = &vcpu->vgic.priv[intid];
	bool placed;

	spin_lock(&vcpu->vm->vgic.lock);
	vcpu->vm->stats.irqs_injected++;
	if (unlikely(!irq->hw)) {
		irq->hw = true;
		irq->hw_intid = (u16)intid;
	}
	placed = place_private_now(vcpu, intid, irq);
	if (!placed) {
		irq->hw_active = true;
		vgic_irq_changed(vcpu->vm, vcpu, intid);
	}
	spin_unlock(&vcpu->vm->vgic.lock);
	if (!placed)
		vgic_flush(vcpu);
}
/*
 * Lock held, own CPU: forget list registers the guest has finished with. An
 * LR with the EOI bit does not count as empty in ICH_ELRSR_EL2 until it has
 * been handled; ICH_EISR_EL2 names those (IHI 0069H 12.4.3, 12.4.5).
 */
static void sync_lrs(struct vcpu *vcpu)
{
	struct vgic_cpu *vc = &vcpu->vgic;
	u32 done = vc->lr_used & (ich_elrsr() | ich_eisr());

	while (done) {
		unsigned int n = (unsigned int)__builtin_ctz(done);
		u32 intid = vc->lr_intid[n];
		struct vgic_irq *irq = vgic_get_irq(vcpu->vm, vcpu, intid);

		done &= done - 1;
		/*
		 * Empty it: an invalid LR that still has EOI set (HW = 0) keeps
		 * its ICH_EISR_EL2 bit, and so the maintenance interrupt, asserted;
		 * and an LR Tessera does not hold is zero, so no stale vINTID sits
		 * beside the LR the same interrupt gets next (as KVM keeps them).
		 * Skipping the write for ICH_ELRSR_EL2-only LRs saved about one
		 * tick of IPI and left such stale entries (fuzz_vgic's check_lrs).
		 */
		ich_write_lr(n, 0);
		vc->lr_used &= ~(1u << n);
		vc->lr_resample &= ~(1u << n);
		irq->lr = VGIC_NO_LR;
		irq->active = false;
		/*
		 * Pending again: a level line still high, or an edge since the LR was written.
		 * A private one already queued here (a sender's vgic_irq_changed found it in
		 * this LR) needs nothing more: its target is this vCPU, so vgic_irq_changed
		 * would only set the same queue bits and kick this CPU itself.
		 */
		if (vgic_irq_pending(irq) &&
		    !(intid < VGIC_NR_PRIVATE && (vc->queued[0] & (1u << intid))))
			vgic_irq_changed(vcpu->vm, vcpu, intid);
	}
}

static inline u64 lr_value(u32 intid, const struct vgic_irq *irq)
{
	u64 lr = intid | (u64)irq->priority << ICH_LR_PRIORITY_SHIFT | ICH_LR_STATE_PENDING;

	if (irq->group1)
		lr |= ICH_LR_GROUP1;
	if (irq->hw)
		lr |= ICH_LR_HW | (u64)irq->hw_intid << ICH_LR_PINTID_SHIFT;
	else if (!irq->edge)
		lr |= ICH_LR_EOI;
	return lr;
}

/* Lock held: the queued INTID with the highest priority (lowest value), or -1. */
static int next_queued(struct vcpu *vcpu)
{
	struct vgic_cpu *vc = &vcpu->vgic;
	int best = -1;
	unsigned int best_prio = 0x100;

	for (u32 words = vc->queued_words; words; words &= words - 1) {
		unsigned int w = (unsigned int)__builtin_ctz(words);
		u32 bits = vc->queued[w];

		while (bits) {
			u32 intid = w * 32 + (u32)__builtin_ctz(bits);
			const struct vgic_irq *irq = vgic_get_irq(vcpu->vm, vcpu, intid);

			bits &= bits - 1;
			if (irq->priority < best_prio) {
				best = (int)intid;
				best_prio = irq->priority;
			}
		}
	}
	return best;
}

/* Lock held, own CPU: deliver one queued INTID; false when it needs an LR and none is free. */
static bool flush_one(struct vcpu *vcpu, u32 intid)
{
	struct vgic_cpu *vc = &vcpu->vgic;
	struct vgic_irq *irq = vgic_get_irq(vcpu->vm, vcpu, intid);
	u32 free = ~vc->lr_used & ((1u << nr_lrs) - 1);

	if (irq->lr != VGIC_NO_LR) {
		/*
		 * Already in one of our LRs: an edge since it was written (the
		 * latch) makes it pending again there, active and pending if the
		 * guest has taken it. An SPI in another vCPU's LR is that vCPU's
		 * to update.
		 */
		if (lr_holds(vcpu, irq->lr, intid) && irq->pending_latch && !irq->hw) {
			ich_write_lr(irq->lr, ich_read_lr(irq->lr) | ICH_LR_STATE_PENDING);
			irq->pending_latch = false;
		}
		/*
		 * A forwarded one's pending state is kept at the physical GIC
		 * meanwhile, which signals it again after the guest's
		 * deactivation: a HW LR is never pending and active.
		 */
	} else if (irq_deliverable(vcpu->vm, irq) && irq->target == vcpu->index &&
		   (!irq->hw || irq->edge || vgic_hw_resample(vcpu, intid, irq) || irq->pending_latch)) {
		if (!free)
			return false;
		unsigned int n = (unsigned int)__builtin_ctz(free);

		ich_write_lr(n, lr_value(intid, irq));
		/* A forwarded level SPI delivered for its line: look again at the guest's acknowledge. */
		if (irq->hw && !irq->edge && intid >= VGIC_NR_PRIVATE && !irq->pending_latch)
			vc->lr_resample |= 1u << n;
		irq->pending_latch = false; /* the LR holds that pending state now */
		irq->hw_active = false;
		irq->lr = (u8)n;
		vc->lr_intid[n] = (u16)intid;
		vc->lr_used |= 1u << n;
	}
	vc->queued[intid / 32] &= ~(1u << (intid % 32));
	if (!vc->queued[intid / 32])
		vc->queued_words &= ~(1u << (intid / 32));
	return true;
}

void vgic_flush_queued(struct vcpu *vcpu)
{
	struct vgic_cpu *vc = &vcpu->vgic;
	struct vm *vm = vcpu->vm;
	bool overflow = false, fits = true;
	u32 free;
	int intid;

	spin_lock(&vm->vgic.lock);
	sync_lrs(vcpu);
	/*
	 * Everything fits when there are at least as many free LRs as queued
	 * INTIDs: one free bit cleared per queued one (few are queued, and there
	 * is no CNT without FP/SIMD).
	 */
	free = ~vc->lr_used & ((1u << nr_lrs) - 1);
	for (u32 words = vc->queued_words; words && fits; words &= words - 1)
		for (u32 bits = vc->queued[__builtin_ctz(words)]; bits && fits; bits &= bits - 1) {
			fits = free != 0;
			free &= free - 1;
		}
	if (fits) {
		/* Everything fits: order does not matter, one pass. */
		while (vc->queued_words && !overflow) {
			unsigned int w = (unsigned int)__builtin_ctz(vc->queued_words);

			overflow = !flush_one(vcpu, w * 32 + (u32)__builtin_ctz(vc->queued[w]));
		}
	} else {
		/* Not all fit: highest priority first; the rest wait for the underflow. */
		while (!overflow && (intid = next_queued(vcpu)) >= 0)
			overflow = !flush_one(vcpu, (u32)intid);
	}
	vc->any_queued = overflow;
	ich_write_hcr(ICH_HCR_EN | (overflow ? ICH_HCR_UIE : 0) | (vc->lr_resample ? ICH_HCR_TALL1 : 0));
	spin_unlock(&vm->vgic.lock);
}

void vgic_maintenance(struct vcpu *vcpu)
{
	/* EOI of a level interrupt, or LRs running low: look at every LR again. */
	spin_lock(&vcpu->vm->vgic.lock);
	sync_lrs(vcpu);
	spin_unlock(&vcpu->vm->vgic.lock);
	WRITE_ONCE(vcpu->vgic.any_queued, true);
	vgic_flush(vcpu);
}

struct vcpu *vgic_vcpu_by_affinity(struct vm *vm, u64 mpidr)
{
	return vm_vcpu_by_affinity(vm, mpidr & MPIDR_AFF_MASK);
}

/*
 * What completes a WFI at EL1 (Arm ARM, "Wait For Interrupt": a virtual IRQ
 * or FIQ, whatever PSTATE.I and F say): an LR in the pending state whose
 * group the guest enabled (ICH_VMCR_EL2.VENG0/1) and whose priority is above
 * its priority mask (VPMR), which the virtual CPU interface signals (IHI
 * 0069H 12.4.10). Running priority is not looked at: a WFI may complete
 * early, never late. Interrupts that did not fit in the LRs (any_queued
 * after the flush) are pending too.
 */
bool vgic_wakeup_pending(struct vcpu *vcpu)
{
	u64 vmcr = ich_read_vmcr();

	if (!nr_lrs)
		nr_lrs = ich_nr_lrs();
	if (READ_ONCE(vcpu->vgic.any_queued))
		return true;
	for (unsigned int n = 0; n < nr_lrs; n++) {
		u64 lr = ich_read_lr(n);
		bool enabled = vmcr & ((lr & ICH_LR_GROUP1) ? ICH_VMCR_VENG1 : ICH_VMCR_VENG0);

		if ((lr & ICH_LR_STATE_MASK) == ICH_LR_STATE_PENDING && enabled &&
		    ((lr >> ICH_LR_PRIORITY_SHIFT) & 0xff) < ICH_VMCR_VPMR(vmcr))
			return true;
	}
	return false;
}
