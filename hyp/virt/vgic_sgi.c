/*
 * SGIs between a VM's vCPUs. With HCR_EL2.IMO set, a guest write to
 * ICC_SGI1R_EL1 traps to EL2 (IHI 0069H 12.2.22); the targets are decoded
 * against the VM's virtual affinities (vm_vcpu_by_affinity), so a guest can
 * only ever reach its own vCPUs.
 */
#include <drivers/gicv3.h>
#include <tessera/vm.h>
#include <virt/vgic.h>

#define SGI1R_IRM BIT(40) /* every PE but the sender */

void vgic_send_sgi(struct vcpu *vcpu, u64 sgi1r)
{
	struct vm *vm = vcpu->vm;
	u32 intid = (u32)(sgi1r >> ICC_SGI1R_INTID_SHIFT) & 0xf;
	u64 targets = sgi1r & ICC_SGI1R_TARGETS_MASK;
	u64 aff0_base = ((sgi1r >> ICC_SGI1R_RS_SHIFT) & 0xf) * 16;
	/* Aff3.Aff2.Aff1 of every target, in MPIDR layout; the target list and RS give Aff0. */
	u64 upper_aff = ((sgi1r >> ICC_SGI1R_AFF1_SHIFT) & 0xff) << 8 |
			((sgi1r >> ICC_SGI1R_AFF2_SHIFT) & 0xff) << 16 |
			((sgi1r >> ICC_SGI1R_AFF3_SHIFT) & 0xff) << 32;

	if (sgi1r & SGI1R_IRM) {
		for (unsigned int i = 0; i < vm->vcpu_count; i++)
			if (i != vcpu->index)
				vgic_inject(vm, &vm->vcpus[i], intid);
		return;
	}
	while (targets) {
		u64 aff0 = aff0_base + (u64)__builtin_ctzll(targets);
		struct vcpu *target = vm_vcpu_by_affinity(vm, upper_aff | aff0);

		targets &= targets - 1;
		if (target)
			vgic_inject(vm, target, intid);
	}
}
