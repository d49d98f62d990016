/*
 * Data aborts from the guest: decode the syndrome once into a struct
 * mmio_access for the emulated device at that IPA. Anything that is not a
 * well-formed access to an emulated device is an access the VM has no right
 * to, answered by guest_abort() (an external abort, or a stop by the VM's
 * fault policy): an access outside its memory, a stage-1 walk outside its
 * memory, an instruction whose syndrome we cannot decode, a width or
 * alignment the device refuses (emul.c). Cache maintenance by VA where there
 * is no memory is skipped, as KVM does: nothing there can be cached.
 */
#include <arch/esr.h>
#include <arch/sysregs.h>
#include <arch/traps.h>
#include <tessera/cpu.h>
#include <tessera/vm.h>

static u64 guest_reg(const struct guest_regs *regs, unsigned int rt)
{
	return rt == 31 ? 0 : regs->x[rt]; /* register 31 is XZR here */
}

enum trap_result trap_data_abort(struct guest_regs *regs, u64 esr)
{
	struct vcpu *vcpu = this_cpu()->vcpu;
	u64 ipa = HPFAR_TO_IPA(read_sysreg(hpfar_el2)) | (read_sysreg(far_el2) & 0xfff);
	const struct emul_device *dev;
	struct mmio_access acc;
	unsigned int rt = (esr >> ESR_DABT_SRT_SHIFT) & ESR_DABT_SRT_MASK;
	u64 fsc = esr & ESR_xABT_FSC_MASK;

	if ((fsc & FSC_TYPE_MASK) != FSC_TRANSLATION || (esr & ESR_DABT_S1PTW) ||
	    (esr & ESR_DABT_EA) || !(dev = vm_find_emul(vcpu->vm, ipa))) {
		if ((esr & ESR_DABT_CM) && (fsc & FSC_TYPE_MASK) == FSC_TRANSLATION &&
		    !(esr & ESR_DABT_S1PTW))
			return TRAP_SKIP;
		return guest_abort(regs, esr, "stage-2 data abort");
	}
	if (!(esr & ESR_DABT_ISV))
		return guest_abort(regs, esr,
				   "device access with no valid syndrome (load/store pair or writeback?)");

	/* Field by field: a compound literal would also zero the padding, on every access. */
	acc.ipa = ipa;
	acc.offset = ipa - dev->base;
	acc.size = 1u << ((esr >> ESR_DABT_SAS_SHIFT) & ESR_DABT_SAS_MASK);
	acc.is_write = esr & ESR_DABT_WNR;
	acc.value = acc.is_write ? guest_reg(regs, rt) : 0;
	if (dev->access(dev->dev, &acc) != MMIO_OK)
		return guest_abort(regs, esr,
				   "malformed access to an emulated device (width or alignment)");

	if (!acc.is_write && rt != 31) {
		u64 v = acc.value;

		if ((esr & ESR_DABT_SSE) && acc.size < 8) {
			unsigned int shift = 64 - acc.size * 8;

			v = (u64)((s64)(v << shift) >> shift);
		}
		if (!(esr & ESR_DABT_SF))
			v &= 0xffffffffULL;
		regs->x[rt] = v;
	}
	return TRAP_SKIP;
}
