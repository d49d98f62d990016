/* Platform devices given to VMs (tessera/device.h). */
#include <drivers/gicv3.h>
#include <drivers/tegra_mc.h>
#include <tessera/console.h>
#include <tessera/cpu.h>
#include <tessera/device.h>
#include <tessera/iommu.h>
#include <tessera/mmu.h>
#include <tessera/vm.h>
#include <virt/vgic.h>

/* Which VM each passed-through SPI belongs to, by INTID (one load per interrupt); boot only. */
static struct vm *irq_owner[CONFIG_DEVICE_INTID_MAX + 1];

const char *devices_create(struct vm *vm)
{
	u64 target = platform.cpu_mpidr[vm->vcpus[0].pcpu];
	char err[160];

	for (unsigned int d = 0; d < vm->cfg->device_count; d++) {
		const struct platform_device *hw = &vm->cfg->devices[d].hw;

		for (unsigned int i = 0; i < hw->region_count; i++) {
			const struct device_region *r = &hw->region[i];

			if (pt_map(&vm->s2, r->ipa, r->pa, r->size, PT_R | PT_W | PT_DEV))
				return "a device's pages cannot be mapped into it";
		}
		/* Its DMA carries its own stream ID, whatever the VM does (drivers/tegra_mc.h). */
		if (tegra_mc_fence_device(&platform, hw, err, sizeof(err))) {
			printk("mc: VM %s: %s: %s\n", vm->name, vm->cfg->devices[d].path, err);
			return "a device's stream ID cannot be set in the memory controller (see above)";
		}
		/* Its DMA: the VM's own memory only, through the IOMMU its node names. */
		if (iommu_attach_device(vm, platform.fdt, hw->node))
			return "a device's DMA cannot be isolated (see above)";
		/* Routed to the first vCPU's CPU, where Linux routes SPIs too; any vCPU may take it. */
		for (unsigned int i = 0; i < hw->irq_count; i++) {
			u32 intid = hw->intid[i];

			/* The DT may name more SPIs than the GIC has (GICD_TYPER); the checker cannot know. */
			if (!gic_spi_implemented(intid) || intid > CONFIG_DEVICE_INTID_MAX)
				return "a device's interrupt is past the SPIs the GIC implements";
			irq_owner[intid] = vm;
			gic_set_spi_trigger(intid, hw->irq_edge & BIT(i));
			gic_enable_spi(intid, target);
		}
	}
	return NULL;
}

/* A device interrupt of @vm: out of line, so the common case (no owner: an SGI, a timer) stays short. */
static __noinline void forward_owned(struct vm *vm, u32 intid)
{
	bool running, forward;

	/*
	 * Checked and pended in one step under vm->lock (tessera/vm.h): a
	 * restart changes the state under it, then clears its devices' active
	 * states (devices_vm_reset) and the vGIC, so the interrupt is pended
	 * in the old life (and wiped with it) or not at all. One this CPU
	 * acknowledged before a whole restart and forwards only after it reads
	 * inactive: it was the old life's and went with it (its priority is
	 * still to drop). This CPU is the first vCPU's: while that vCPU is in
	 * the guest a restart waits for this handler anyway; parked, it may not.
	 */
	spin_lock(&vm->lock);
	running = vm_running_locked(vm);
	forward = running && gic_spi_active(intid);
	if (forward) {
		gic_priority_drop(intid);
		vgic_inject_hw_spi(vm, intid);
	}
	spin_unlock(&vm->lock);
	if (!running)
		gic_eoi(intid); /* stopping or restarting: the VM will not see it */
	else if (!forward)
		gic_priority_drop(intid);
}

bool device_irq_forward(u32 intid)
{
	struct vm *vm = intid <= CONFIG_DEVICE_INTID_MAX ? irq_owner[intid] : NULL;

	if (!vm)
		return false;
	forward_owned(vm, intid);
	return true;
}

/* Calls @fn on each SPI of @vm's devices. */
static void for_each_device_irq(const struct vm *vm, void (*fn)(u32 intid))
{
	for (unsigned int d = 0; vm->cfg && d < vm->cfg->device_count; d++) {
		const struct platform_device *hw = &vm->cfg->devices[d].hw;

		for (unsigned int i = 0; i < hw->irq_count; i++)
			fn(hw->intid[i]);
	}
}

void devices_vm_stop(struct vm *vm)
{
	for_each_device_irq(vm, gic_disable_spi);
	for_each_device_irq(vm, gic_clear_active_spi);
}

void devices_vm_reset(struct vm *vm)
{
	/* Priority was dropped when it was forwarded; only the active state can be left. */
	for_each_device_irq(vm, gic_clear_active_spi);
}
