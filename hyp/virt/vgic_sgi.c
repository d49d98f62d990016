/*
 * SGIs between a VM's vCPUs. With HCR_EL2.IMO set, a guest write to
 * ICC_SGI1R_EL1 traps to EL2 (IHI 0069H 12.2.22); the targets are decoded
 * against the VM's virtual affinities (Aff0 = vCPU index, Aff1-3 = 0), so a
 * guest can only ever reach its own vCPUs.
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
	bool upper_aff = (sgi1r >> ICC_SGI1R_AFF1_SHIFT) & 0xff ||
			 (sgi1r >> ICC_SGI1R_AFF2_SHIFT) & 0xff ||
			 (sgi1r >> ICC_SGI1R_AFF3_SHIFT) & 0xff;

	if (sgi1r & SGI1R_IRM) {
		for (unsigned int i = 0; i < vm->vcpu_count; i++)
			if (i != vcpu->index)
				vgic_inject(vm, &vm->vcpus[i], intid);
		return;
	}
	if (upper_aff)
		return; /* no vCPU has a non-zero Aff1-Aff3 */
	while (targets) {
		u64 index = aff0_base + (u64)__builtin_ctzll(targets);

		targets &= targets - 1;
		if (index < vm->vcpu_count)
			vgic_inject(vm, &vm->vcpus[index], intid);
	}
}
